"""Input checks and the estimates of R's ``selectiveInference`` shared by the fixed-lambda and path tests."""

from __future__ import annotations

import math
import warnings
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import DataError, ParameterError, SelectionWarning

__all__ = ["as_xy", "check_alpha", "naive_ols", "sigma_default"]


def as_xy(X: Any, y: Any, feature_names: Sequence[str] | None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    if isinstance(X, pd.DataFrame):
        names = [str(c) for c in X.columns]
        Xa = X.to_numpy(dtype=float)
    else:
        Xa = np.asarray(X, dtype=float)
        if Xa.ndim != 2:
            raise DataError(f"X must be a 2-D matrix, got shape {Xa.shape}")
        names = [f"x{j + 1}" for j in range(Xa.shape[1])]
    if feature_names is not None:
        names = [str(f) for f in feature_names]
        if len(names) != Xa.shape[1]:
            raise ParameterError(f"feature_names has {len(names)} names for {Xa.shape[1]} columns")
    ya = np.asarray(y, dtype=float).reshape(-1)
    if ya.size != Xa.shape[0]:
        raise DataError(f"y has {ya.size} values for {Xa.shape[0]} rows of X")
    if Xa.shape[1] == 0:
        raise DataError("X has no columns: there must be at least one predictor")
    if not np.all(np.isfinite(Xa)):
        raise DataError("X contains NaN or infinite values")
    if not np.all(np.isfinite(ya)):
        raise DataError("y contains NaN or infinite values")
    return Xa, ya, names


def check_alpha(alpha: float, gridrange: Sequence[float]) -> None:
    if not 0 < alpha < 1:
        raise ParameterError(f"alpha={alpha} must be between 0 and 1 (exclusive)")
    if len(gridrange) != 2 or gridrange[0] > gridrange[1]:
        raise ParameterError("gridrange must be an interval (a, b) with a <= b")


def _lsfit_sigma(x: np.ndarray, y: np.ndarray, intercept: bool) -> float:
    """``sqrt(sum(lsfit(x, y, intercept)$res^2) / (n - p - intercept))``."""
    n, p = x.shape
    xx = np.column_stack([np.ones(n), x]) if intercept else x
    coef, *_ = np.linalg.lstsq(xx, y, rcond=None)
    res = y - xx @ coef
    return math.sqrt(float(res @ res) / (n - p - int(intercept)))


def sigma_default(x: np.ndarray, y: np.ndarray, intercept: bool) -> float:
    n, p = x.shape
    if n >= 2 * p:
        return _lsfit_sigma(x, y, intercept)
    s = float(np.std(y, ddof=1))
    warnings.warn(f"p > n/2, and sd(y) = {s:.3f} used as an estimate of sigma; pass sigma= (an estimate of the "
                  "noise sd) for a more accurate answer", SelectionWarning, stacklevel=3)
    return s


def naive_ols(x: np.ndarray, y: np.ndarray, cols: Sequence[int], intercept: bool) -> np.ndarray:
    """Two-sided t-test p-values of ``lm(y ~ x[, cols])`` (the refit, not valid after selection)."""
    n = x.shape[0]
    xa = x[:, list(cols)]
    xx = np.column_stack([np.ones(n), xa]) if intercept else xa
    df = n - xx.shape[1]
    if df <= 0:
        return np.full(len(cols), math.nan)
    coef, *_ = np.linalg.lstsq(xx, y, rcond=None)
    res = y - xx @ coef
    s2 = float(res @ res) / df
    cov = s2 * np.linalg.pinv(xx.T @ xx)
    se = np.sqrt(np.diag(cov))
    t = coef / se
    p = 2 * stats.t.sf(np.abs(t), df)
    return p[1:] if intercept else p

