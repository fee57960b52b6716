"""The lasso's checks of its inputs: X (dense or sparse), y per family, folds, weights, offsets.

Every message names the column or argument and says what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._data import check_matrix, constant_columns
from ..errors import DataError, ParameterError


def y_for_r(family: str, y: Any, class_names: Sequence[Any] | None) -> Any:
    """New-data ``y`` as the bridge takes it: the fit's classes as a factor (unknown ones refused), cox
    as (time, status), mgaussian as a matrix, else a float vector."""
    if family == "binomial" and np.ndim(y) == 2 and np.shape(y)[1] == 2:
        return np.asarray(y, dtype=float)
    if family in ("binomial", "multinomial"):
        vals = np.asarray(y, dtype=object).reshape(-1)
        cats = list(class_names) if class_names is not None else sorted(set(vals))
        unknown = sorted({str(v) for v in vals} - {str(c) for c in cats})
        if unknown:
            raise DataError(f"y has class(es) {unknown} that the fit never saw (classes: {[str(c) for c in cats]})")
        return pd.Categorical([str(v) for v in vals], categories=[str(c) for c in cats])
    if family == "cox":
        return cox_y(y)
    if family == "mgaussian":
        return np.asarray(y, dtype=float).reshape(len(y), -1)
    return np.asarray(y, dtype=float).reshape(-1)


def cox_y(y: Any) -> np.ndarray:
    """(time, status) as an (n, 2) float array from a 2-column array/DataFrame or a structured array."""
    if isinstance(y, pd.DataFrame):
        a = y.to_numpy(dtype=float)
    else:
        arr = np.asarray(y)
        if arr.dtype.names:
            names = arr.dtype.names
            tname = "time" if "time" in names else names[1] if len(names) > 1 and "status" not in names[1:] else names[-1]
            sname = "status" if "status" in names else "event" if "event" in names else names[0]
            if "time" not in names:  # sksurv style (event, time)
                sname, tname = names[0], names[1]
            a = np.column_stack([arr[tname].astype(float), arr[sname].astype(float)])
        else:
            a = arr.astype(float)
    if a.ndim == 2 and a.shape[1] == 3:  # Surv(start, stop, status): counting-process data
        if not np.isfinite(a).all():
            raise DataError("the cox target (start, stop, status) holds NaN or inf")
        if (a[:, 0] >= a[:, 1]).any():
            raise DataError("cox (start, stop] intervals need start < stop (survival::Surv refuses stop <= start)")
        if not np.isin(a[:, 2], (0.0, 1.0)).all():
            raise DataError("cox status must be 0 (censored) or 1 (event)")
        return a
    if a.ndim != 2 or a.shape[1] != 2:
        raise DataError("a cox target must have two columns (time, status), three (start, stop, status), "
                        "or be a structured array with fields time/status")
    if not np.isfinite(a).all():
        raise DataError("the cox target (time, status) holds NaN or inf")
    if (a[:, 0] <= 0).any():
        raise DataError("cox survival times must be strictly positive (glmnet refuses non-positive times)")
    if not np.isin(a[:, 1], (0.0, 1.0)).all():
        raise DataError("cox status must be 0 (censored) or 1 (event)")
    return a


def as_x(X: Any) -> Any:
    """X as a CSC matrix (sparse) or a float array."""
    return X.tocsc() if is_sparse(X) else np.asarray(X, dtype=float)


def is_sparse(X: Any) -> bool:
    """True for a scipy.sparse matrix (it reaches R as a ``dgCMatrix``)."""
    return sp.issparse(X)


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

def check_foldid(foldid: Any, nfolds: Any, n: int) -> np.ndarray | None:
    """``foldid`` as integers 1..K with every fold used (or ``nfolds`` checked when it is None)."""
    if foldid is None:
        if not isinstance(nfolds, (int, np.integer)) or nfolds < 3:
            raise ParameterError(f"nfolds={nfolds!r} must be an integer >= 3 (glmnet's minimum; 10 is usual)")
        if nfolds > n:
            raise ParameterError(f"nfolds={nfolds} is larger than the number of rows ({n})")
        return None
    f = np.asarray(foldid).reshape(-1)
    if f.size != n:
        raise DataError(f"foldid has {f.size} values but the data has {n} rows")
    try:
        fi = f.astype(float)
    except (TypeError, ValueError):
        raise DataError("foldid must hold integers 1..K") from None
    if not np.isfinite(fi).all() or (fi != np.round(fi)).any() or fi.min() < 1:
        raise DataError("foldid must hold whole numbers 1..K (R's fold numbering starts at 1)")
    fi = fi.astype(int)
    K = int(fi.max())
    missing = sorted(set(range(1, K + 1)) - set(fi.tolist()))
    if missing:
        raise DataError(f"foldid: fold(s) {missing} have no rows; folds must be numbered 1..{K} with every fold used")
    if K < 3:
        raise DataError(f"foldid defines {K} folds; cv.glmnet needs at least 3")
    return fi

def prepare_y(y: Any, family: str, n: int, name: str = "y", who: str = "GlmnetCV") -> tuple[Any, list | None]:
    """The target for ``family`` as the bridge takes it, and the class (or response) names.

    Binomial/multinomial classes are ordered as R orders the factor levels of ``y``.
    """
    fam = family
    if y is None:
        raise DataError(f"{who} requires y to be passed, but the target y is None")
    if fam == "cox":
        return cox_y(y), None
    if fam == "mgaussian":
        a = np.asarray(y, dtype=float)
        if a.ndim != 2 or a.shape[1] < 2:
            raise DataError("family='mgaussian' needs a 2-D y with at least two response columns")
        if not np.isfinite(a).all():
            raise DataError("y holds NaN or inf")
        resp = [str(c) for c in y.columns] if isinstance(y, pd.DataFrame) else [f"y{k + 1}" for k in range(a.shape[1])]
        return a, resp
    if fam == "binomial" and np.ndim(y) == 2 and np.shape(y)[1] == 2:
        # glmnet's two-column binomial response: counts (or proportions), the second column the target class
        a = np.asarray(y, dtype=float)
        if not np.isfinite(a).all() or (a < 0).any():
            raise DataError("a two-column binomial y holds counts: finite and >= 0")
        if (a.sum(axis=1) == 0).any():
            raise DataError(f"a two-column binomial y has {int((a.sum(axis=1) == 0).sum())} row(s) with no trials")
        cols = [str(c) for c in y.columns] if isinstance(y, pd.DataFrame) else ["1", "2"]
        return a, cols
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise DataError(f"y has {y.shape[1]} columns; family={fam!r} needs one")
        y = y.iloc[:, 0]
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise DataError(f"y must be 1-D for family={fam!r}")
    if arr.shape[0] != n:
        raise DataError(f"y has {arr.shape[0]} values but X has {n} rows")
    if fam in ("binomial", "multinomial"):
        s = pd.Series(arr)
        if s.isna().any():
            raise DataError(f"target '{name}' has {int(s.isna().sum())} missing value(s)")
        classes = sorted(pd.unique(s), key=lambda v: (str(type(v)), v))
        if fam == "binomial" and len(classes) != 2:
            raise DataError(
                f"target '{name}' has {len(classes)} distinct value(s) {[str(c) for c in classes][:10]}; "
                "family='binomial' needs exactly two classes (use 'multinomial' for more)")
        if fam == "multinomial" and len(classes) < 2:
            raise DataError(f"target '{name}' has a single class; classification needs at least two")
        return pd.Categorical([str(v) for v in arr], categories=[str(c) for c in classes]), classes
    try:
        a = arr.astype(float)
    except (TypeError, ValueError):
        raise DataError(f"target '{name}' is not numeric; for classes use family='binomial' or 'multinomial'") from None
    if not np.isfinite(a).all():
        raise DataError(f"target '{name}' holds NaN or inf")
    if fam == "gaussian" and a.size and np.ptp(a) == 0:
        raise DataError(f"target '{name}' is constant; a gaussian glmnet cannot be fitted (R: 'y is constant')")
    if fam in ("poisson", "quasipoisson", "negative.binomial") and ((a < 0).any()):
        raise DataError(f"target '{name}' has negative values; a {fam} target must be >= 0 counts")
    if fam in ("Gamma", "inverse.gaussian") and (a <= 0).any():
        raise DataError(f"target '{name}' must be strictly positive for family={fam!r}")
    if fam == "quasibinomial" and ((a < 0) | (a > 1)).any():
        raise DataError(f"target '{name}' must hold proportions in [0, 1] for family='quasibinomial'")
    return a, None


def check_sample_weight(sample_weight: Any, n: int) -> np.ndarray | None:
    """R's ``weights``: n finite values >= 0, not all zero."""
    if sample_weight is None:
        return None
    w = np.asarray(sample_weight, dtype=float).reshape(-1)
    if w.size != n:
        raise DataError(f"sample_weight has {w.size} values for {n} rows")
    if not np.isfinite(w).all() or (w < 0).any():
        raise DataError("sample_weight must be finite and >= 0")
    if not (w > 0).any():
        raise DataError("Sample weights must contain at least one non-zero number (sample_weight sums to 0)")
    return w


def check_offset(offset: Any, n: int) -> np.ndarray | None:
    """R's ``offset``: n finite rows."""
    if offset is None:
        return None
    off = np.asarray(offset, dtype=float)
    if off.shape[0] != n or not np.isfinite(off).all():
        raise DataError(f"offset must be finite with {n} rows")
    return off


def check_strata(strata: Any, family: str, n: int) -> pd.Categorical | None:
    """R's ``stratifySurv(y, strata)`` (cox only): n values without missing ones, as a factor."""
    if strata is None:
        return None
    if family != "cox":
        raise ParameterError("strata= applies to family='cox' only (R's stratifySurv)")
    st = np.asarray(strata).reshape(-1)
    if st.size != n or pd.isna(pd.Series(st)).any():
        raise DataError(f"strata must have {n} values without missing ones")
    return pd.Categorical([str(v) for v in st])
