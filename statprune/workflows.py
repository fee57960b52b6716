"""File in, result out: what the ``statprune`` commands and the report run.

One function per command. Each reads the table once as R's ``read.csv`` reads it
(:func:`read`: R's missing-value rules, ``write.csv`` row names, the ``--sep`` /
``--decimal`` dialect of :func:`reading`), prepares predictors and target, calls the
method's estimator or function and returns its result object. The command line
(:mod:`statprune.cli`) parses arguments and prints what comes back; the report
(:mod:`statprune.report`) lays it out. Neither does statistics of its own.

Shared by every workflow:

* ``missing``: each result carries R's ``colSums(is.na(d))`` of the columns that had
  missing cells as read (``result.missing``; ``attrs["missing"]`` for the
  ``drop1``/``add1`` tables), and :func:`missing_line` is the one wording of it
  (``Missing cells as read (R's read.csv rules): col: n, ...``).
* ``progress``: ``True`` shows a bar (tqdm on stderr, :mod:`statprune._progress`) inside
  the step; the library never shows one unless asked.
* The method's own parameters are passed through (``**params``): their defaults live
  once, in the method.

Each workflow imports its method's module when it runs (``# deferred``): the
methods' stacks (scikit-learn, statsmodels, TensorFlow, dask) take seconds to import,
and ``statprune --help`` or one command should not load all of them.

Examples
--------
>>> from statprune import datasets, workflows
>>> res = workflows.pca(datasets.path("boston"), n_components="kaiser", exclude=["medv"])
>>> res.n_kept, res.missing
(3, {})
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd

from ._data import CSV_DIALECT, NA_VALUES_DEFAULT, Prepared, _na_counts, _na_list, prepare_xy, read_table
from ._progress import bar_callback
from ._progress import progress as progress_bar
from .errors import DataError, GlmNotSupported, GramNotSupported

__all__ = [
    "MISSING_HEADER",
    "add1",
    "compare",
    "demo",
    "demo_text",
    "drop1",
    "importance",
    "knockoff",
    "lasso",
    "lasso_ooc",
    "load",
    "missing_cells",
    "missing_line",
    "pca",
    "prune_nn",
    "read",
    "reading",
    "selective",
    "set_na_values",
    "stability",
    "stepwise",
    "subsets",
    "validate",
    "vif",
]


# --------------------------------------------------------------------------- reading, missing cells
#: the start of :func:`missing_line` (also what tells that a summary already reports the counts)
MISSING_HEADER = "Missing cells as read (R's read.csv rules): "


def set_na_values(na_values: str | Sequence[str] | None) -> None:
    """The text every later read takes as missing (``statprune --na-values``; None: R's ``"NA"``)."""
    NA_VALUES_DEFAULT.set(None if na_values is None else _na_list(na_values))


@contextlib.contextmanager
def reading(*, sep: str | None = None, decimal: str | None = None) -> Iterator[None]:
    """Inside the block, CSV files are read with this field separator and decimal mark (``--sep``/``--decimal``).

    Examples
    --------
    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "d.csv")
    >>> _ = open(p, "w").write('"x";"y"\\n1,5;2\\n2,5;3\\n')     # write.csv2(d, p)
    >>> with reading(sep=";", decimal=","):
    ...     read(p)["x"].tolist()
    [1.5, 2.5]
    """
    token = CSV_DIALECT.set((sep, decimal))
    try:
        yield
    finally:
        CSV_DIALECT.reset(token)


def read(data: Any, *, na_values: Sequence[str] | str | None = None) -> pd.DataFrame:
    """The table as R's ``read.csv`` reads it (:func:`statprune._data.read_table`); a DataFrame as it is.

    A file's missing-cell counts are in ``attrs["na_counts"]`` (:func:`missing_cells` reads them).
    """
    return read_table(data, na_values=na_values)


def missing_cells(df: pd.DataFrame) -> dict[str, int]:
    """R's ``colSums(is.na(d))`` of the columns that have any missing cell, in column order."""
    counts = df.attrs.get("na_counts") or _na_counts(df)
    return {k: int(v) for k, v in counts.items() if v}


def missing_line(missing: dict[str, int]) -> str:
    """The one wording of the missing-cell counts (empty when there are none).

    Examples
    --------
    >>> missing_line({"Rear.seat.room": 2, "Luggage.room": 11})
    "Missing cells as read (R's read.csv rules): Rear.seat.room: 2, Luggage.room: 11"
    >>> missing_line({})
    ''
    """
    return MISSING_HEADER + ", ".join(f"{k}: {v}" for k, v in missing.items()) if missing else ""


def _with_missing(result: Any, df: pd.DataFrame) -> Any:
    """Record the table's missing-cell counts on the result (``attrs`` of a pandas table)."""
    missing = missing_cells(df)
    if isinstance(result, pd.DataFrame):
        result.attrs["missing"] = missing
    else:
        result.missing = missing
    return result


def load(data: Any, target: str | Sequence[str] | None, **options: Any) -> Prepared:
    """Read and prepare once: :func:`statprune._data.prepare_xy` of :func:`read` (``missing`` filled in)."""
    return prepare_xy(read(data), target, **options)


# --------------------------------------------------------------------------- the lasso
def lasso(data: Any, target: str | Sequence[str], *, progress: bool = False, **params: Any) -> Any:
    """``statprune lasso``: cross-validated glmnet on a table (:func:`statprune.lasso.cv_glmnet_table`).

    ``params`` are those of :func:`~statprune.lasso.cv_glmnet_table` (family, alpha, nfolds,
    foldid_column, weights_column, seed, s, engine, categorical, ... and any
    :class:`~statprune.lasso.GlmnetCV` parameter). ``progress``: a bar over the ``nfolds + 1``
    CV fits (the gram engine's, or R's read from cv.glmnet's ``trace.it`` lines).
    """
    from .lasso import cv_glmnet_table  # noqa: PLC0415 - deferred (module docstring)

    df = read(data, na_values=params.pop("na_values", None))
    with contextlib.ExitStack() as stack:
        on_fit = None
        if progress:
            desc = "cv.glmnet (gram engine)" if params.get("engine", "r") == "gram" else "cv.glmnet in R"
            on_fit = bar_callback(stack.enter_context(progress_bar(total=None, desc=desc, unit="fit")))
        res = cv_glmnet_table(df, target, progress=on_fit, **params)
    return _with_missing(res, df)


def lasso_ooc(data: Any, target: str, *, address: str | None = None, progress: bool = False, **params: Any) -> Any:
    """``statprune lasso-ooc``: cv.glmnet (gaussian, binomial, poisson) on partitioned data (:func:`statprune.cv_glmnet_ooc`).

    The data is never loaded whole, so no missing-cell count is taken here (the engine
    refuses NaN itself). ``address``: a Dask distributed scheduler (``tcp://host:8786``).
    """
    from . import cv_glmnet_ooc  # noqa: PLC0415 - deferred (dask); the public name, wherever the engine lives

    client = None
    if address is not None:
        from distributed import Client  # noqa: PLC0415 - optional

        client = Client(address)
    try:
        return cv_glmnet_ooc(data, target, client=client, progress_bar=progress, **params)
    except (GramNotSupported, GlmNotSupported) as exc:  # e.g. fewer than 3 rows per fold, maxit: the data, not the installation
        raise DataError(f"{exc}; the out-of-core engine cannot fit this, use 'statprune lasso' (R)") from None
    finally:
        if client is not None:
            client.close()


def demo(seed: int) -> Any:
    """``statprune demo --json``: the cross-validated lasso on the bundled Boston data (``set.seed(seed)`` in R)."""
    from . import datasets  # noqa: PLC0415 - deferred (module docstring)
    from .lasso import GlmnetCV  # noqa: PLC0415 - deferred (module docstring)

    d = datasets.load_boston()
    return GlmnetCV(seed=seed).fit(d.drop(columns="medv"), d["medv"]).result_


def demo_text(seed: int) -> str:
    """``statprune demo``: the fit of :func:`demo` as text, with the R code."""
    from .lasso import demo_text as _text  # noqa: PLC0415 - deferred (module docstring)

    return _text(seed=seed)


def validate(data: Any, target: str, *, progress: bool = False, **params: Any) -> Any:
    """``statprune validate``: the same model in R and the certified reference solvers (:func:`statprune.crosscheck.validate`)."""
    from .crosscheck import validate as _validate  # noqa: PLC0415 - deferred (module docstring)

    df = read(data)
    with progress_bar(total=None, desc="validate: cv.glmnet in R, then each check and reference solver", unit="step",
                      disable=not progress) as bar:
        rep = _validate(df, target, progress=bar_callback(bar) if progress else None, **params)
    return _with_missing(rep, df)


# --------------------------------------------------------------------------- the other methods
def importance(data: Any, target: str, *, progress: bool = False, **params: Any) -> Any:
    """``statprune importance``: tree-ensemble importance (:func:`statprune.importance.importance_table`)."""
    from .importance import importance_table  # noqa: PLC0415 - deferred (module docstring)

    df = read(data)
    return _with_missing(importance_table(df, target, progress=progress, **params), df)


def pca(data: Any, **params: Any) -> Any:
    """``statprune pca``: R's ``prcomp`` and the features loading on the kept components (:func:`statprune.pca.pca_table`)."""
    from .pca import pca_table  # noqa: PLC0415 - deferred (module docstring)

    df = read(data)
    return _with_missing(pca_table(df, **params), df)


def prune_nn(data: Any, target: str, *, progress: bool = False, **params: Any) -> Any:
    """``statprune prune-nn``: magnitude pruning of an MLP (:func:`statprune.nn.prune_nn`)."""
    from .nn import prune_nn as _prune  # noqa: PLC0415 - deferred (TensorFlow)

    df = read(data)
    return _with_missing(_prune(df, target, progress=progress, **params), df)


def stability(data: Any, target: str, *, progress: bool = False, **params: Any) -> Any:
    """``statprune stability``: stability selection with the lasso (:func:`statprune.stability.stability_selection`).

    ``params`` are :func:`~statprune.stability.stability_selection`'s (``exclude``,
    ``drop_missing``, ``categorical``, two of ``q``, ``cutoff``, ``pfer``; ``B``, ``family``,
    ``engine``, ``seed``, ...; ``plot``: also write the stability paths figure there, its
    format checked before the fit, an unknown one named as ``--plot``).
    """
    from .stability import stability_selection  # noqa: PLC0415 - deferred (module docstring)

    df = read(data)
    return _with_missing(stability_selection(df, target, plot_option="--plot", progress=progress, **params), df)


def compare(data: Any, target: str, *, methods: Sequence[str] | None = None, progress: bool = False,
            **params: Any) -> Any:
    """``statprune compare``: every method on one seeded split (:func:`statprune.compare.compare`)."""
    from .compare import METHODS  # noqa: PLC0415 - deferred (module docstring)
    from .compare import compare as _compare  # noqa: PLC0415 - deferred (module docstring)

    methods = tuple(methods or ()) or METHODS
    df = read(data)
    with progress_bar(total=len(methods), disable=not progress, desc="compare", unit="method") as bar:
        def tick(name: str) -> None:
            bar.set_postfix_str(name)
            bar.update(1)

        res = _compare(df, target, methods=methods, progress=tick, **params)
    return _with_missing(res, df)


def stepwise(data: Any, formula: str, **params: Any) -> Any:
    """``statprune stepwise``: R's ``step()`` (:func:`statprune.stepwise.stepwise`)."""
    from .stepwise import stepwise as _stepwise  # noqa: PLC0415 - deferred (module docstring)

    df = read(data)
    return _with_missing(_stepwise(df, formula, **params), df)


def drop1(data: Any, formula: str, **params: Any) -> pd.DataFrame:
    """``statprune drop1``: R's ``drop1(fit, test = ...)`` table (:func:`statprune.stepwise.drop1`)."""
    from .stepwise import drop1 as _drop1  # noqa: PLC0415 - deferred (module docstring)

    df = read(data)
    return _with_missing(_drop1(df, formula, **params), df)


def add1(data: Any, formula: str, scope: str, **params: Any) -> pd.DataFrame:
    """``statprune add1``: R's ``add1(fit, scope, test = ...)`` table (:func:`statprune.stepwise.add1`)."""
    from .stepwise import add1 as _add1  # noqa: PLC0415 - deferred (module docstring)

    df = read(data)
    return _with_missing(_add1(df, formula, scope, **params), df)


def subsets(data: Any, target: str, **params: Any) -> Any:
    """``statprune subsets``: best subsets as ``leaps::regsubsets`` (:func:`statprune.subsets.regsubsets`)."""
    from .subsets import regsubsets  # noqa: PLC0415 - deferred (module docstring)

    df = read(data)
    return _with_missing(regsubsets(df, target, **params), df)


def vif(data: Any, formula: str, **params: Any) -> Any:
    """``statprune vif``: (generalized) VIFs as ``car::vif`` (:func:`statprune.collinearity.vif`)."""
    from .collinearity import vif as _vif  # noqa: PLC0415 - deferred (module docstring)

    df = read(data)
    return _with_missing(_vif(df, formula, **params), df)


def selective(data: Any, target: str, **params: Any) -> Any:
    """``statprune selective``: selective inference (:func:`statprune.selective.selective_table`)."""
    from .selective import selective_table  # noqa: PLC0415 - deferred (module docstring)

    df = read(data)
    return _with_missing(selective_table(df, target, **params), df)


def knockoff(data: Any, target: str, **params: Any) -> Any:
    """``statprune knockoff``: the knockoff filter (:func:`statprune.knockoff.knockoff_table`)."""
    from .knockoff import knockoff_table  # noqa: PLC0415 - deferred (module docstring)

    df = read(data)
    return _with_missing(knockoff_table(df, target, **params), df)
