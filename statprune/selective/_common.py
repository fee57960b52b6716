"""Input checks and the estimates of R's ``selectiveInference`` shared by the fixed-lambda and path tests."""

from __future__ import annotations

import math
import warnings
from typing import Sequence

import numpy as np
from scipy import stats

from ..errors import ParameterError, SelectionWarning

__all__ = ["check_alpha", "naive_ols", "sigma_default"]


def check_alpha(alpha: float, gridrange: Sequence[float]) -> None:
    """``alpha`` in (0, 1) and ``gridrange`` an interval, as R's functions require."""
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
    """R's default noise sd: the full least-squares residual sd when ``n >= 2p``, else ``sd(y)`` with a warning."""
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

