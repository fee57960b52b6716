"""Bundled data sets: exact copies of R data sets, for demos, tests and vignettes.

Each CSV in ``statprune/data`` was written from R by ``r_scripts/export_datasets.R``
with 17 significant digits, so the numbers are bit-identical to R's copy (a test
checks this against R). Sources and licences: ``MASS`` (Venables and Ripley,
GPL-2 | GPL-3) for ``Boston``, ``birthwt``, ``Pima.tr``+``Pima.te`` and ``quine``;
R's ``datasets`` package (GPL-2 | GPL-3, part of R) for ``swiss``, ``mtcars`` and
``warpbreaks``. ``Boston`` replaces scikit-learn's removed ``load_boston``: R's
``MASS::Boston`` is the reference copy.

Examples
--------
>>> from statprune.datasets import load_boston
>>> df = load_boston()
>>> df.shape
(506, 14)
>>> float(df["medv"].iloc[0])
24.0
"""

from __future__ import annotations

import os
import tempfile
from importlib import resources

import numpy as np
import pandas as pd

from .errors import UnknownDatasetError

__all__ = [
    "available",
    "load",
    "load_birthwt",
    "load_boston",
    "load_mtcars",
    "load_pima",
    "load_quine",
    "load_swiss",
    "load_warpbreaks",
    "make_partitioned",
    "path",
]

#: name -> (R source, factor columns with their R level order)
_SETS: dict[str, tuple[str, dict[str, list[str]]]] = {
    "boston": ("MASS::Boston", {}),
    "birthwt": ("MASS::birthwt", {}),
    "pima": ("rbind(MASS::Pima.tr, MASS::Pima.te)", {"type": ["No", "Yes"]}),
    "quine": (
        "MASS::quine",
        {"Eth": ["A", "N"], "Sex": ["F", "M"], "Age": ["F0", "F1", "F2", "F3"], "Lrn": ["AL", "SL"]},
    ),
    "swiss": ("datasets::swiss", {}),
    "mtcars": ("datasets::mtcars (row names in column 'model')", {}),
    "warpbreaks": ("datasets::warpbreaks", {"wool": ["A", "B"], "tension": ["L", "M", "H"]}),
}


def available() -> dict[str, str]:
    """Names of the bundled data sets and the R object each copies."""
    return {k: v[0] for k, v in _SETS.items()}


def path(name: str) -> str:
    """Filesystem path of a bundled CSV (for the CLI and ``Rscript``).

    Raises :class:`~statprune.errors.UnknownDatasetError` (a ``KeyError``) for a name
    that :func:`available` does not list.

    Examples
    --------
    >>> path("nope")
    Traceback (most recent call last):
    ...
    statprune.errors.UnknownDatasetError: unknown data set 'nope'; available: boston, birthwt, pima, quine, swiss, mtcars, warpbreaks
    """
    if name not in _SETS:
        raise UnknownDatasetError(f"unknown data set {name!r}; available: {', '.join(_SETS)}")
    return str(resources.files("statprune") / "data" / f"{name}.csv")


def load(name: str) -> pd.DataFrame:
    """Load a bundled data set as a DataFrame; R factors become pandas categoricals
    with R's level order."""
    df = pd.read_csv(path(name))
    for col, levels in _SETS[name][1].items():
        df[col] = pd.Categorical(df[col], categories=levels)
    return df


def load_boston() -> pd.DataFrame:
    """``MASS::Boston``: 506 census tracts, target ``medv``, 13 predictors."""
    return load("boston")


def load_birthwt() -> pd.DataFrame:
    """``MASS::birthwt``: 189 births; ``low`` (binary) and ``bwt`` targets."""
    return load("birthwt")


def load_pima() -> pd.DataFrame:
    """``MASS::Pima.tr`` + ``Pima.te``: 532 women, binary target ``type``."""
    return load("pima")


def load_quine() -> pd.DataFrame:
    """``MASS::quine``: 146 children, count target ``Days``, four factors."""
    return load("quine")


def load_swiss() -> pd.DataFrame:
    """``datasets::swiss``: 47 provinces, target ``Fertility``."""
    return load("swiss")


def load_mtcars() -> pd.DataFrame:
    """``datasets::mtcars``: 32 cars, target ``mpg``; car names in ``model``."""
    return load("mtcars")


def load_warpbreaks() -> pd.DataFrame:
    """``datasets::warpbreaks``: 54 looms, count target ``breaks``, factors ``wool`` and ``tension``."""
    return load("warpbreaks")


def make_partitioned(directory: str | None = None, *, family: str = "gaussian", n_partitions: int = 3,
                     rows: int = 200, seed: int = 0) -> str:
    """Write a small partitioned Parquet data set to try the out-of-core engines on; its glob pattern.

    Each partition holds ``rows`` rows of four standard-normal predictors ``a``-``d`` and
    ``y = a - c + noise`` (``family="binomial"``: ``y = 1`` where that is positive), drawn in
    order from ``numpy.random.default_rng(seed)``.  ``directory`` defaults to a new
    temporary directory.  Needs pyarrow.

    Examples
    --------
    >>> import pandas as pd
    >>> pattern = make_partitioned(family="binomial")
    >>> pattern.endswith("*.parquet"), pd.read_parquet(pattern.replace("*", "part0")).shape
    (True, (200, 5))
    """
    if family not in ("gaussian", "binomial"):
        raise ValueError(f"family must be 'gaussian' or 'binomial' (got {family!r})")
    d = tempfile.mkdtemp() if directory is None else directory
    rng = np.random.default_rng(seed)
    for i in range(n_partitions):
        X = rng.standard_normal((rows, 4))
        y = X[:, 0] - X[:, 2] + rng.standard_normal(rows)
        if family == "binomial":
            y = (y > 0).astype(float)
        pd.DataFrame(X, columns=list("abcd")).assign(y=y).to_parquet(os.path.join(d, f"part{i}.parquet"))
    return os.path.join(d, "*.parquet")
