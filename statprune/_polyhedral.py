"""The polyhedral lemma and the truncated-Gaussian pivot, as R's ``selectiveInference`` computes them.

Selective inference after the lasso, forward stepwise or least angle regression
(Lee, Sun, Sun & Taylor 2016; Tibshirani, Taylor, Lockhart & Tibshirani 2016)
conditions on a selection event of the form ``{A y <= b}``. For a contrast
``eta``, ``eta' y`` given that event (and the part of ``y`` independent of
``eta' y``) is a Gaussian truncated to ``[vlo, vup]``:

* :func:`tg_limits` is ``selectiveInference:::TG.limits`` (``vlo``, ``vup``, the
  sd of ``eta' y`` and its observed value, for a general covariance ``Sigma``);
* :func:`tnorm_surv` is ``tnorm.surv`` with ``bits = NULL`` (standard double
  precision): ``P(Z > z | a <= Z <= b)`` as ``(pnorm(b) - pnorm(z)) / (pnorm(b) - pnorm(a))``,
  with Bryc's (2002) tail approximation where that is ``0/0``, exactly as R does;
* :func:`tg_pvalue` is ``TG.pvalue.base``;
* :func:`tg_interval` is ``TG.interval.base``: the confidence interval is found by
  R's two-level grid search (``grid.search``/``grid.bsearch``: 100 points over
  ``gridrange * sd``, then 100 points between the two grid points that bracket
  each tail area), so an end point is a grid point, as in R, not a root. Grids are
  built as R's ``seq(from, to, length.out = n)`` builds them.

No optimisation, random numbers or Monte Carlo are involved: the numbers agree with
R's to rounding (``pnorm`` is scipy's ``ndtr``).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

__all__ = ["Limits", "r_seq", "tnorm_surv", "tg_limits", "tg_pvalue", "tg_interval", "pinv_sym", "forward_stop"]


@dataclass(frozen=True)
class Limits:
    """What ``TG.limits`` returns: the truncation interval of ``eta' Z``, its sd and observed value."""

    vlo: float
    vup: float
    sd: float
    estimate: float


def r_seq(start: float, stop: float, n: int) -> np.ndarray:
    """R's ``seq(start, stop, length.out = n)`` (``seq.default``), value for value.

    >>> r_seq(0.0, 1.0, 5).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    if n <= 2:
        return np.array([start, stop][:n], dtype=float)
    if start == stop:
        return np.full(n, float(start))
    n1 = n - 1
    by = (stop - start) / n1
    return np.concatenate([[start], start + np.arange(1, n1) * by, [stop]])


def pinv_sym(A: np.ndarray, tol: float = float(np.finfo(float).eps)) -> np.ndarray:
    """``selectiveInference:::pinv``: eigen-based pseudo-inverse of a symmetric matrix."""
    A = np.atleast_2d(np.asarray(A, dtype=float))
    d, v = np.linalg.eigh(A)
    dinv = np.where(d > tol, 1.0 / np.where(d > tol, d, 1.0), 0.0)
    return (v * dinv) @ v.T


def _ff(z: np.ndarray) -> np.ndarray:
    return (z**2 + 5.575192695 * z + 12.7743632) / (
        z**3 * math.sqrt(2 * math.pi) + 14.38718147 * z * z + 31.53531977 * z + 2 * 12.77436324
    )


def _bryc_tnorm_surv(z: float, mean: np.ndarray, sd: float, a: float, b: float) -> np.ndarray:
    zz = (z - mean) / sd
    aa = (a - mean) / sd
    bb = (b - mean) / sd
    with np.errstate(all="ignore"):
        term1 = np.exp(zz * zz)
        o = aa > -np.inf
        term1 = np.where(o, _ff(aa) * np.exp(-(aa**2 - zz**2) / 2), term1)
        oo = bb < np.inf
        term2 = np.where(oo, _ff(bb) * np.exp(-(bb**2 - zz**2) / 2), 0.0)
        p = (_ff(zz) - term2) / (term1 - term2)
    return np.minimum(1.0, np.maximum(0.0, p))  # R's pmin/pmax keep NaN as NaN


def tnorm_surv(z: float, mean: np.ndarray | float, sd: float, a: float, b: float) -> np.ndarray:
    """``P(Z > z | a <= Z <= b)`` for ``Z ~ N(mean, sd^2)``, R's ``tnorm.surv`` (``bits = NULL``).

    >>> float(tnorm_surv(0.0, 0.0, 1.0, -np.inf, np.inf)[0])
    0.5
    """
    mean = np.atleast_1d(np.asarray(mean, dtype=float))
    z = max(min(z, b), a)
    p = np.zeros(mean.size)
    p[mean == np.inf] = 1.0
    o = np.isfinite(mean)
    mm = mean[o]
    with np.errstate(all="ignore"):
        zz = (z - mm) / sd
        aa = (a - mm) / sd
        bb = (b - mm) / sd
        pp = (ndtr(bb) - ndtr(zz)) / (ndtr(bb) - ndtr(aa))
    bad = np.isnan(pp)
    if bad.any():
        pp[bad] = _bryc_tnorm_surv(z, mm[bad], sd, a, b)
    p[o] = pp
    return p


def tg_limits(Z: np.ndarray, A: np.ndarray, b: np.ndarray, eta: np.ndarray, Sigma: np.ndarray | float) -> Limits:
    """``TG.limits(Z, A, b, eta, Sigma)``: truncation limits of ``eta' Z`` given ``A Z <= b``.

    ``Sigma`` is the covariance of ``Z``: a matrix, or a number ``s2`` meaning ``s2 * I``.
    """
    Z = np.asarray(Z, dtype=float).reshape(-1)
    eta = np.asarray(eta, dtype=float).reshape(-1)
    A = np.atleast_2d(np.asarray(A, dtype=float))
    b = np.asarray(b, dtype=float).reshape(-1)
    estimate = float(eta @ Z)
    if A.shape[0] and np.max(A @ Z - b) > 0:
        warnings.warn("Constraint not satisfied. A %*% Z should be elementwise less than or equal to b",
                      stacklevel=2)
    if np.isscalar(Sigma) or np.ndim(Sigma) == 0:
        cross_cov = float(Sigma) * eta
    else:
        cross_cov = np.asarray(Sigma, dtype=float) @ eta
    var_estimate = float(eta @ cross_cov)
    resid = Z - (cross_cov / var_estimate) * estimate
    rho = (A @ cross_cov) / var_estimate
    with np.errstate(divide="ignore", invalid="ignore"):
        vec = (b - A @ resid) / rho
    lo = vec[rho < 0]
    up = vec[rho > 0]
    vlo = float(np.max(lo)) if lo.size else -math.inf
    vup = float(np.min(up)) if up.size else math.inf
    return Limits(vlo=vlo, vup=vup, sd=math.sqrt(var_estimate), estimate=estimate)


def tg_pvalue(lim: Limits, null_value: float = 0.0) -> float:
    """``TG.pvalue.base``: the one-sided selective p-value ``P(eta'Z > observed | selection)`` under the null."""
    return float(tnorm_surv(lim.estimate, null_value, lim.sd, lim.vlo, lim.vup)[0])


def _grid_bsearch(left: float, right: float, fun, val: float, gridpts: int, griddepth: int, below: bool) -> float:  # noqa: ANN001
    depth = 1
    n = gridpts
    while depth <= griddepth:
        grid = r_seq(left, right, n)
        vals = fun(grid)
        if below:
            ii = np.flatnonzero(vals >= val)
            if ii.size == 0:
                return float(grid[n - 1])
            i0 = int(ii.min())
            if i0 == 0:
                return float(grid[0])
            left, right = grid[i0 - 1], grid[i0]
        else:
            ii = np.flatnonzero(vals <= val)
            if ii.size == 0:
                return float(grid[0])
            i0 = int(ii.max())
            if i0 == n - 1:
                return float(grid[n - 1])
            left, right = grid[i0], grid[i0 + 1]
        depth += 1
    return float(left if below else right)


def _grid_search(grid: np.ndarray, fun, val1: float, val2: float, gridpts: int, griddepth: int) -> tuple[float, float]:  # noqa: ANN001
    n = grid.size
    vals = fun(grid)
    ii = np.flatnonzero(vals >= val1)
    jj = np.flatnonzero(vals <= val2)
    if ii.size == 0:
        return float(grid[n - 1]), math.inf
    if jj.size == 0:
        return -math.inf, float(grid[0])
    i1, i2 = int(ii.min()), int(jj.max())
    lo = -math.inf if i1 == 0 else _grid_bsearch(grid[i1 - 1], grid[i1], fun, val1, gridpts, griddepth - 1, True)
    hi = math.inf if i2 == n - 1 else _grid_bsearch(grid[i2], grid[i2 + 1], fun, val2, gridpts, griddepth - 1, False)
    return lo, hi


def tg_interval(lim: Limits, alpha: float = 0.1, gridrange: tuple[float, float] = (-100, 100),
                gridpts: int = 100, griddepth: int = 2, flip: bool = False) -> tuple[tuple[float, float], tuple[float, float]]:
    """``TG.interval.base``: the selective confidence interval and its achieved tail areas.

    Returns ``((lower, upper), (lower_tail_area, upper_tail_area))``; the tail areas
    should be close to ``alpha / 2`` (R's check of the grid search).
    """
    grid = r_seq(gridrange[0] * lim.sd, gridrange[1] * lim.sd, gridpts)

    def pivot(param: np.ndarray | float) -> np.ndarray:
        return tnorm_surv(lim.estimate, param, lim.sd, lim.vlo, lim.vup)

    lo, hi = _grid_search(grid, pivot, alpha / 2, 1 - alpha / 2, gridpts, griddepth)
    tail = (float(pivot(lo)[0]), float(1 - pivot(hi)[0]))
    if flip:
        lo, hi = -hi, -lo
        tail = (tail[1], tail[0])
    return (lo, hi), tail


def forward_stop(pv: np.ndarray, alpha: float = 0.1) -> int:
    """``forwardStop(pv, alpha)``: the ForwardStop rule of G'Sell et al. (2016), a step count.

    >>> forward_stop(np.array([0.001, 0.01, 0.9, 0.8]), 0.1)
    2
    """
    pv = np.asarray(pv, dtype=float)
    with np.errstate(divide="ignore"):
        val = -(1.0 / np.arange(1, pv.size + 1)) * np.cumsum(np.log(1 - pv))
    oo = np.flatnonzero(val <= alpha)
    return 0 if oo.size == 0 else int(oo[-1]) + 1
