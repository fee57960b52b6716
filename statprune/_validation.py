"""Input checks shared by every estimator and command: targets, weights, offsets, folds.

One rule each, with statprune's messages (what was wrong, where, what to do):

* :func:`check_target`: the target of a ``family`` (shape, missing values, then the
  family's rule and R's class order, :mod:`statprune._glmnet.families`);
* :func:`check_weights`: observation weights, finite, ``>= 0``, not all zero;
* :func:`check_offset`: an offset (a vector, or a matrix for multinomial), finite;
* :func:`check_foldid` / :func:`check_nfolds`: the fold policy of
  :mod:`statprune._glmnet.folds`;
* :func:`validate_data`: scikit-learn's ``validate_data`` for every estimator.

Examples
--------
>>> t = check_target([2, 10, 2, 10], "binomial", n=4)
>>> t.classes
[2, 10]
>>> check_weights([1, 0, 2], 3).tolist()
[1.0, 0.0, 2.0]
>>> check_weights([1, -1], 2)
Traceback (most recent call last):
...
statprune.errors.DataError: sample_weight must be finite and >= 0 (row 2 is -1.0)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._glmnet.families import Target, check_family_target
from ._glmnet.folds import check_foldid, check_nfolds
from .errors import DataError, ParameterError

__all__ = ["Target", "check_design", "check_foldid", "check_nfolds", "check_offset", "check_target", "check_weights",
           "check_xy", "validate_data"]

_TWO_D = ("mgaussian", "cox")


def validate_data(*args: Any, **kwargs: Any) -> Any:
    """scikit-learn's ``validate_data(estimator, X, y, ...)``: its own (>= 1.6), else sklearn_compat's.

    Imported on the first call, from scikit-learn itself where it has it: importing it from
    ``sklearn_compat`` also imports scikit-learn's estimator-check machinery (about 0.8 s in
    every fresh process that fits an estimator).
    """
    try:
        from sklearn.utils.validation import validate_data as sklearn_validate_data
    except ImportError:  # scikit-learn < 1.6
        from sklearn_compat.utils.validation import validate_data as sklearn_validate_data
    return sklearn_validate_data(*args, **kwargs)


def check_target(y: Any, family: str, *, name: str | None = None, n: int | None = None, glmnet: bool = True,
                 collation: str = "C", caller: str = "the estimator") -> Target:
    """Check a target for ``family`` and return it as the backends take it.

    Parameters
    ----------
    y : array-like, Series, DataFrame or None
        One column (two or three for ``"cox"``; two or more for ``"mgaussian"``;
        two count columns are allowed for ``"binomial"``).
    family : str
        An R family name (:data:`statprune._glmnet.families.ALL_FAMILIES`, or a
        stepwise family).
    name : str, optional
        The target's name in messages (default: the Series' name, else ``"y"``).
    n : int, optional
        The number of rows of X; a target of another length is refused.
    glmnet : bool
        Apply glmnet's rules (a constant gaussian target cannot be fitted).
    collation : {"C", "locale"}
        How text labels are ordered (R's ``sort()`` under ``LC_COLLATE=C`` or in an
        English locale); the class order decides binomial's event (the second class).
    caller : str
        Who asks, for the message when ``y`` is None.

    Returns
    -------
    Target
        ``(y, classes)``: classes in R's factor-level order for binomial and
        multinomial, column names for mgaussian and two-column binomial, else None.
    """
    if y is None:
        raise DataError(f"{caller} requires y to be passed, but the target y is None")
    label = str(name if name is not None else (getattr(y, "name", None) or "y"))
    two_d_ok = family in _TWO_D or (family == "binomial" and np.ndim(y) == 2 and np.shape(y)[1] == 2)
    if not two_d_ok:
        if isinstance(y, pd.DataFrame):
            if y.shape[1] != 1:
                raise DataError(f"y has {y.shape[1]} columns; family={family!r} needs one")
            y = y.iloc[:, 0]
        elif not isinstance(y, (pd.Series, pd.Categorical)):
            arr = np.asarray(y)
            if arr.ndim == 2 and arr.shape[1] == 1:
                arr = arr[:, 0]
            if arr.ndim != 1:
                raise DataError(f"y must be 1-D for family={family!r}")
            y = arr
    rows = len(y) if not hasattr(y, "shape") else y.shape[0]
    if n is not None and rows != n:
        raise DataError(f"y has {rows} values but X has {n} rows")
    return check_family_target(y, family, name=label, glmnet=glmnet, collation=collation)


def check_weights(sample_weight: Any, n: int, *, what: str = "sample_weight") -> np.ndarray | None:
    """Observation weights as float64 ``(n,)``: finite, ``>= 0`` and not all zero (None stays None).

    glmnet normalizes weights to sum to ``n`` (``nobs``) itself; a zero weight drops
    the row from the fit.
    """
    if sample_weight is None:
        return None
    w = np.asarray(sample_weight, dtype=float).reshape(-1)
    if w.size != n:
        raise DataError(f"{what} has {w.size} values for {n} rows")
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(f"{what} must be finite and >= 0 (row {i + 1} is {w[i]})")
    if not (w > 0).any():
        raise DataError(f"Sample weights must contain at least one non-zero number ({what} sums to 0)")
    return w


def check_offset(offset: Any, n: int, *, what: str = "offset") -> np.ndarray | None:
    """An offset as float64 with ``n`` rows (a vector, or ``(n, K)`` for multinomial), finite; None stays None."""
    if offset is None:
        return None
    off = np.asarray(offset, dtype=float)
    if off.ndim == 2 and off.shape[1] == 1:
        off = off[:, 0]
    if off.ndim not in (1, 2) or off.shape[0] != n:
        raise DataError(f"{what} must be finite with {n} rows (got shape {off.shape})")
    if not np.isfinite(off).all():
        raise DataError(f"{what} must be finite with {n} rows ({int((~np.isfinite(off)).sum())} value(s) are NaN or inf)")
    return off


def check_design(X: Any, feature_names: Any = None, *, prefix: str = "x") -> tuple[np.ndarray, list[str]]:
    """A finite numeric matrix ``X`` with at least one column, and its column names.

    Names are ``feature_names``, else the DataFrame's columns, else R's names for a
    matrix without column names: ``x1..xp`` as ``model.matrix(~ x)`` names them
    (``prefix="x"``), ``V1..Vp`` as ``as.data.frame(x)`` and glmnet do (``prefix="V"``).
    A DataFrame's text or categorical columns are refused by name.

    Examples
    --------
    >>> check_design([[1.0, 2.0], [3.0, 4.0]], prefix="V")[1]
    ['V1', 'V2']
    """
    if isinstance(X, pd.DataFrame):
        bad = [str(c) for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
        if bad:
            raise DataError(f"non-numeric predictor column(s) {bad}; encode them (e.g. "
                            "statprune._data.prepare_xy(..., categorical='encode')) first")
        names = [str(c) for c in X.columns]
        Xa = X.to_numpy(dtype=float)
    else:
        Xa = np.asarray(X, dtype=float)
        if Xa.ndim != 2:
            raise DataError(f"X must be a 2-D matrix, got shape {Xa.shape}")
        names = [f"{prefix}{j + 1}" for j in range(Xa.shape[1])]
    if feature_names is not None:
        names = [str(f) for f in feature_names]
        if len(names) != Xa.shape[1]:
            raise ParameterError(f"feature_names has {len(names)} names for {Xa.shape[1]} columns")
    if Xa.shape[1] == 0:
        raise DataError("X has no columns: there must be at least one predictor")
    if not np.all(np.isfinite(Xa)):
        raise DataError("X contains NaN or inf values; drop or impute those rows first")
    return Xa, names


def check_xy(X: Any, y: Any, feature_names: Any = None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """A numeric matrix ``X`` (:func:`check_design`: names default to R's ``x1..xp``), a finite numeric
    vector ``y`` with one value per row, and the column names.

    Examples
    --------
    >>> X, y, names = check_xy([[1.0, 2.0], [3.0, 4.0]], [0.5, 1.5])
    >>> names
    ['x1', 'x2']
    """
    Xa, names = check_design(X, feature_names)
    ya = np.asarray(y, dtype=float).reshape(-1)
    if ya.size != Xa.shape[0]:
        raise DataError(f"y has {ya.size} values for {Xa.shape[0]} rows of X")
    if not np.all(np.isfinite(ya)):
        raise DataError("y contains NaN or infinite values")
    return Xa, ya, names
