"""The lasso's own checks of its inputs: X (dense or sparse), column names, strata, new data's y.

Targets per family, weights, offsets and folds are :mod:`statprune._validation`'s (one rule
each, shared by every estimator). Every message names the column or argument and says what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._data import check_matrix, constant_columns
from .._estimator import is_sparse
from .._glmnet.families import check_family_target, class_levels
from ..errors import DataError, ParameterError


def y_for_r(family: str, y: Any, class_names: Sequence[Any] | None) -> Any:
    """New-data ``y`` as the bridge takes it: the fit's classes as a factor (unknown ones refused), cox
    as (time, status), mgaussian as a matrix, else a float vector."""
    if family == "binomial" and np.ndim(y) == 2 and np.shape(y)[1] == 2:
        return np.asarray(y, dtype=float)
    if family in ("binomial", "multinomial"):
        vals = np.asarray(y, dtype=object).reshape(-1)
        cats = list(class_names) if class_names is not None else class_levels(vals)
        unknown = sorted({str(v) for v in vals} - {str(c) for c in cats})
        if unknown:
            raise DataError(f"y has class(es) {unknown} that the fit never saw (classes: {[str(c) for c in cats]})")
        import pandas as pd  # noqa: PLC0415 - deferred: classes are R factors (pandas.Categorical); numbers need no pandas

        return pd.Categorical([str(v) for v in vals], categories=[str(c) for c in cats])
    if family == "cox":
        return check_family_target(y, "cox").y
    if family == "mgaussian":
        return np.asarray(y, dtype=float).reshape(len(y), -1)
    return np.asarray(y, dtype=float).reshape(-1)


def as_x(X: Any) -> Any:
    """X as a CSC matrix (sparse) or a float array."""
    return X.tocsc() if is_sparse(X) else np.asarray(X, dtype=float)


def check_x(X: Any, names: Sequence[str]) -> None:
    """NaN / inf in the predictors, named by column (dense: :func:`statprune._data.check_matrix`)."""
    if not is_sparse(X):
        check_matrix(X, names)
        return
    bad = ~np.isfinite(X.data)
    if bad.any():
        cols = np.repeat(np.arange(X.shape[1]), np.diff(X.indptr))[bad]
        raise DataError(f"predictor column(s) {sorted({names[j] for j in cols})} contain NaN or inf")


def constant_columns_of(X: Any, names: Sequence[str]) -> list[str]:
    """The constant columns (sd = 0; glmnet gives them a zero coefficient), dense or sparse."""
    if not is_sparse(X):
        return constant_columns(X, names)
    n = X.shape[0]
    out = []
    for j in range(X.shape[1]):
        v = X.data[X.indptr[j]:X.indptr[j + 1]]
        vals = np.unique(v if v.size == n else np.r_[v, 0.0])
        if vals.size <= 1:
            out.append(names[j])
    return out


def labels_as(lab: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Map the string labels used in R back to the original class values (and dtype)."""
    m = {str(c): c for c in classes}
    return np.asarray([m[str(v)] for v in lab], dtype=classes.dtype)


def names_arg(value: Any, arg: str, names: list[str]) -> list[str]:
    """Column names or 0-based indices (``keep``, ``exclude``) as names; unknown ones refused."""
    if value is None:
        return []
    vals = [value] if isinstance(value, (str, int, np.integer)) else list(value)
    out = []
    for v in vals:
        if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
            if not 0 <= int(v) < len(names):
                raise ParameterError(f"{arg}: column index {v} is out of range (0..{len(names) - 1})")
            out.append(names[int(v)])
        elif str(v) in names:
            out.append(str(v))
        else:
            raise ParameterError(f"{arg}: unknown column {v!r}; columns are: {', '.join(names)}")
    return out

def check_strata(strata: Any, family: str, n: int) -> pd.Categorical | None:  # noqa: F821
    """R's ``stratifySurv(y, strata)`` (cox only): n values without missing ones, as a factor."""
    if strata is None:
        return None
    if family != "cox":
        raise ParameterError("strata= applies to family='cox' only (R's stratifySurv)")
    import pandas as pd  # noqa: PLC0415 - deferred: strata are an R factor (pandas.Categorical), cox only

    st = np.asarray(strata).reshape(-1)
    if st.size != n or pd.isna(pd.Series(st)).any():
        raise DataError(f"strata must have {n} values without missing ones")
    return pd.Categorical([str(v) for v in st])
