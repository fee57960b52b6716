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

import sys
from typing import Any

import numpy as np

from ._estimator import is_dataframe
from ._glmnet.families import Target, check_family_target
from ._glmnet.folds import check_foldid, check_nfolds
from .errors import DataError, ParameterError

__all__ = ["Target", "check_design", "check_foldid", "check_nfolds", "check_offset", "check_target", "check_weights",
           "check_xy", "validate_data"]

_TWO_D = ("mgaussian", "cox")


#: the check_array options :func:`validate_data` handles itself (the others go to scikit-learn)
_OWN_PARAMS = frozenset({"dtype", "ensure_all_finite", "ensure_min_samples", "ensure_min_features", "accept_sparse"})


def _plain_matrix(estimator: Any, X: Any, reset: bool, params: dict[str, Any]) -> np.ndarray | None:
    """X as float64, as scikit-learn's ``validate_data`` returns it when it would neither warn nor raise; else None."""
    if params.get("dtype") is not np.float64:
        return None
    names = None
    if type(X) is np.ndarray and X.ndim == 2 and X.dtype.kind in "fiu":
        a = np.asarray(X, dtype=np.float64)
    elif is_dataframe(X) and len(X.columns) and all(type(c) is str for c in X.columns) and all(
            isinstance(d, np.dtype) and d.kind in "fiu" for d in X.dtypes):
        names = np.asarray(list(X.columns), dtype=object)
        a = X.to_numpy(dtype=np.float64)
    else:
        return None
    n, p = a.shape
    if n < params.get("ensure_min_samples", 1) or p < params.get("ensure_min_features", 1):
        return None
    if params.get("ensure_all_finite", True) and not np.isfinite(a).all():
        return None
    if not reset:
        fitted = getattr(estimator, "feature_names_in_", None)
        if (fitted is None) != (names is None) or (names is not None and not np.array_equal(fitted, names)):
            return None  # scikit-learn warns or raises about the names
        if getattr(estimator, "n_features_in_", p) != p:
            return None
        return a
    if names is not None:
        estimator.feature_names_in_ = names
    elif hasattr(estimator, "feature_names_in_"):
        delattr(estimator, "feature_names_in_")
    estimator.n_features_in_ = p
    return a


def validate_data(estimator: Any, X: Any = "no_validation", y: Any = "no_validation", *, reset: bool = True,
                  **check_params: Any) -> Any:
    """scikit-learn's ``validate_data(estimator, X, y, reset=..., **check_params)``.

    X alone with ``dtype=np.float64``, a numeric numpy array or a DataFrame of numeric
    columns named by text that scikit-learn would take without a word, is checked here
    (``n_features_in_``, ``feature_names_in_``, ``ensure_min_*``, ``ensure_all_finite``),
    so fitting on numpy arrays does not import scikit-learn. Everything else (what
    scikit-learn warns or complains about, sparse matrices, lists, y) goes to
    scikit-learn's own ``validate_data`` (>= 1.6, else sklearn_compat's), in its words.

    Examples
    --------
    >>> class E:
    ...     pass
    >>> e = E()
    >>> validate_data(e, np.ones((3, 2)), dtype=np.float64).shape, e.n_features_in_
    ((3, 2), 2)
    """
    if isinstance(y, str) and y == "no_validation" and set(check_params) <= _OWN_PARAMS:
        out = _plain_matrix(estimator, X, reset, check_params)
        if out is not None:
            return out
    # deferred: scikit-learn's own checks and messages for everything else (~1.7 s to import with scipy);
    # from scikit-learn itself where it has it: sklearn_compat also imports the estimator checks (~0.8 s)
    try:
        from sklearn.utils.validation import validate_data as sklearn_validate_data  # noqa: PLC0415
    except ImportError:  # scikit-learn < 1.6
        from sklearn_compat.utils.validation import validate_data as sklearn_validate_data  # noqa: PLC0415
    return sklearn_validate_data(estimator, X, y, reset=reset, **check_params)


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
        if is_dataframe(y):
            if y.shape[1] != 1:
                raise DataError(f"y has {y.shape[1]} columns; family={family!r} needs one")
            y = y.iloc[:, 0]
        elif not _is_pandas_vector(y):
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


def _is_pandas_vector(y: Any) -> bool:
    """A pandas Series or Categorical (pandas loaded: a pandas object means it is)."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(y, (pd.Series, pd.Categorical))


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
    if is_dataframe(X):
        import pandas as pd  # noqa: PLC0415 - deferred: a DataFrame X means pandas is loaded; only its column types

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
