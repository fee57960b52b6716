"""glmnet's numerical rules, once: lambda sequence, interpolation, path stop, CV summary, min/1se.

Each function is R's (glmnet 4.1) and names the R source it reproduces:

* :func:`lambda_max` / :func:`lambda_sequence` / :func:`fix_lambda`: the default
  path (``glmnetpp``: ``lambda_max = max_j |g_j| / vp_j / max(alpha, 1e-3)`` on the
  standardized problem, then ``lambda_max * ratio^(k / (nlambda - 1))``; R's
  ``fix.lam`` re-extrapolates the first value from the next two);
* :func:`lambda_interp` / :func:`interpolate`: ``lambda.interp``, which
  ``coef(fit, s=)``, ``predict(fit, s=)`` and ``cv.glmnet``'s ``buildPredmat``
  use between path points;
* :func:`path_stops`: the early stop of a Gaussian/binomial path (``elnet``,
  ``lognet``: after ``mnlam`` values, when more than ``dfmax`` variables are
  non-zero, the deviance ratio gains less than ``fdev`` of itself, or exceeds
  ``devmax``; never with a user ``lambda``);
* :func:`fold_means` / :func:`cv_aggregate`: ``cvcompute`` and ``cvstats``
  (grouped CV: per-fold weighted means, then the fold-weighted mean ``cvm`` and
  its standard ERROR ``cvsd``);
* :func:`choose_lambda`: ``getOptcv.glmnet`` (``lambda.min``, ``lambda.1se``);
* :func:`glmnet_scale`: glmnet's weighted centring and population-sd scaling.

Examples
--------
>>> import numpy as np
>>> lam = lambda_sequence(1.0, 3, 0.01)
>>> lam.tolist()
[1.0, 0.1, 0.01]
>>> round(float(interpolate(np.array([0.0, 1.0, 2.0]), lam, 0.55)), 12)
0.5
>>> cvm, cvsd = cv_aggregate(np.array([[1.0, 2.0], [3.0, 2.0], [2.0, 2.0]]), np.ones(3))
>>> cvm.tolist(), choose_lambda(np.array([1.0, 0.5]), cvm, cvsd).lambda_min
([2.0, 2.0], 1.0)
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .params import CONTROL, DEFAULTS, GlmnetControl

__all__ = [
    "CVChoice",
    "choose_lambda",
    "cv_aggregate",
    "cv_summary",
    "fix_lambda",
    "fold_means",
    "glmnet_scale",
    "interpolate",
    "lambda_interp",
    "lambda_max",
    "lambda_sequence",
    "path_stops",
]


# --------------------------------------------------------------------------- lambda sequence
def lambda_max(gradient: np.ndarray, penalty_factor: np.ndarray | None = None, alpha: float = DEFAULTS.alpha) -> float:
    """The first lambda of glmnet's default path: ``max_j |g_j| / vp_j / max(alpha, 1e-3)``.

    ``gradient`` is ``x_s' W r / sum(W)`` on glmnet's standardized problem (``x``
    centred and scaled, ``r`` the residual of the unpenalized fit, ``y`` scaled by
    its sd for the Gaussian family); ``penalty_factor`` already normalized to sum
    to ``nvars``. Variables with a zero penalty factor do not count. 1.0 when no
    variable is penalized (glmnet then fits the unpenalized model only).

    Examples
    --------
    >>> lambda_max(np.array([0.2, -0.5, 0.1]), np.array([1.0, 1.0, 0.0]), alpha=0.5)
    1.0
    """
    g = np.abs(np.asarray(gradient, dtype=float).reshape(-1))
    vp = np.ones_like(g) if penalty_factor is None else np.asarray(penalty_factor, dtype=float).reshape(-1)
    ok = vp > 0
    if not ok.any():
        return 1.0
    return float(np.max(g[ok] / vp[ok]) / max(float(alpha), 1e-3))


def lambda_sequence(lmax: float, nlambda: int, ratio: float) -> np.ndarray:
    """glmnet's log grid ``lmax * ratio^(k / (nlambda - 1))``, ``k = 0..nlambda-1``.

    ``ratio`` is ``lambda.min.ratio`` (:func:`statprune._glmnet.params.lambda_min_ratio`
    for the default). This is the sequence ``fix.lam`` restores; the path may stop
    before its end (:func:`path_stops`).
    """
    nlambda = int(nlambda)
    if nlambda == 1:
        return np.array([float(lmax)])
    return float(lmax) * float(ratio) ** (np.arange(nlambda) / (nlambda - 1))


def fix_lambda(lam: np.ndarray) -> np.ndarray:
    """R's ``fix.lam``: the first lambda re-extrapolated on the log scale from the next two.

    The Fortran/C++ solvers return ``big`` (9.9e35) as the first lambda of a default
    path; ``glmnet()`` replaces it by ``exp(2 log lam[2] - log lam[3])`` when the path
    has more than two values. A copy is returned.
    """
    out = np.asarray(lam, dtype=float).copy()
    if out.shape[0] > 2:
        llam = np.log(out[:3])
        out[0] = np.exp(2 * llam[1] - llam[2])
    return out


# --------------------------------------------------------------------------- interpolation
def lambda_interp(lambdas: np.ndarray, s: float | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """glmnet's ``lambda.interp``: 0-based left/right indices and weights for ``s``.

    The coefficient at ``s`` is ``frac * beta[left] + (1 - frac) * beta[right]``,
    linear in lambda between the two path points around ``s``; outside the path
    the end point is used (as R's ``coef(fit, s=)``).

    Examples
    --------
    >>> left, right, frac = lambda_interp(np.array([1.0, 0.5, 0.25]), 0.75)
    >>> int(left[0]), int(right[0]), float(frac[0])
    (0, 1, 0.5)
    """
    lam = np.asarray(lambdas, dtype=float).reshape(-1)
    s = np.atleast_1d(np.asarray(s, dtype=float)).reshape(-1)
    if lam.size == 1:
        n = s.size
        return np.zeros(n, np.int64), np.zeros(n, np.int64), np.ones(n)
    k = lam.size
    sfrac = (lam[0] - s) / (lam[0] - lam[k - 1])
    lamn = (lam[0] - lam) / (lam[0] - lam[k - 1])
    sfrac = np.clip(sfrac, lamn.min(), lamn.max())
    pos = np.arange(1, k + 1, dtype=float)
    ux, inv = np.unique(lamn, return_inverse=True)
    if ux.size < k:  # R's approx(ties = mean): a repeated lambda is one point at the mean position
        pos = np.bincount(inv, weights=pos) / np.bincount(inv)
        lamn_x = ux
    else:
        lamn_x = lamn
    coord = np.interp(sfrac, lamn_x, pos)  # R's approx(lambda, seq(lambda), sfrac)
    left = np.floor(coord).astype(np.int64) - 1
    right = np.ceil(coord).astype(np.int64) - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = (sfrac - lamn[right]) / (lamn[left] - lamn[right])
    frac[left == right] = 1.0
    frac[np.abs(lamn[left] - lamn[right]) < np.finfo(float).eps] = 1.0
    return left, right, frac


def interpolate(arr: Any, lambdas: np.ndarray, s: float | np.ndarray) -> np.ndarray:
    """``arr`` (its last axis the lambda path) at ``s`` as ``coef(fit, s=)`` computes it.

    A scalar ``s`` drops the lambda axis; an array ``s`` gives a last axis of
    ``len(s)`` (``buildPredmat``: a fold's path at the full-data lambdas).

    Examples
    --------
    >>> beta = np.array([[0.0, 1.0, 3.0]])                 # one coefficient, three lambdas
    >>> interpolate(beta, [1.0, 0.5, 0.25], 0.375).round(12).tolist()
    [2.0]
    >>> interpolate(beta, [1.0, 0.5, 0.25], [2.0, 0.75]).tolist()
    [[0.0, 0.5]]
    """
    left, right, frac = lambda_interp(lambdas, s)
    a = np.asarray(arr, dtype=float)
    out = a[..., left] * frac + a[..., right] * (1.0 - frac)
    return out[..., 0] if np.ndim(s) == 0 else out


# --------------------------------------------------------------------------- path stop
def path_stops(m: int, dev_ratio: float, prev_dev_ratio: float, n_nonzero: int, *, dfmax: int,
               user_lambda: bool = False, fdev: float | None = None, control: GlmnetControl = CONTROL) -> bool:
    """Whether glmnet's Gaussian/binomial path ends after its ``m``-th value (0-based).

    ``elnet``/``lognet`` (glmnetpp): no stop before ``mnlam`` values or on a user
    ``lambda``; then stop when more than ``dfmax`` variables are non-zero, when the
    deviance ratio gains less than ``fdev * dev_ratio`` over the previous value, or
    when it exceeds ``devmax``. The value at which the path stops is kept. ``fdev``
    defaults to ``glmnet.control()$fdev``; glmnet uses 0 when a coefficient limit
    is 0. (Poisson's rule is relative over ``mnlam - 1`` steps and lives in the C
    kernel.) Exceeding ``pmax`` is different: that lambda is dropped.

    Examples
    --------
    >>> path_stops(3, 0.5, 0.5, 2, dfmax=10), path_stops(4, 0.5, 0.5, 2, dfmax=10)
    (False, True)
    >>> path_stops(4, 0.9995, 0.99, 2, dfmax=10), path_stops(4, 0.6, 0.5, 11, dfmax=10)
    (True, True)
    """
    if user_lambda or m + 1 < control.mnlam:
        return False
    sml = control.fdev if fdev is None else float(fdev)
    return bool(n_nonzero > dfmax or dev_ratio - prev_dev_ratio < sml * dev_ratio or dev_ratio > control.devmax)


# --------------------------------------------------------------------------- cross-validation
def fold_means(raw: np.ndarray, foldid: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``cvcompute``: per-row CV errors (n, L) -> per-fold weighted means (K, L) and fold weights (K,).

    As R: infinite errors are set missing, each fold's mean is
    ``weighted.mean(na.rm = TRUE)`` over its rows, and a fold weighs the sum of its
    rows' weights (``tapply(weights, foldid, sum)``). ``foldid`` holds ``1..K``.
    """
    mat = np.array(raw, dtype=float, copy=True)
    if mat.ndim == 1:
        mat = mat[:, None]
    fid = np.asarray(foldid).astype(np.int64).reshape(-1)
    w = np.ones(mat.shape[0]) if weights is None else np.asarray(weights, dtype=float).reshape(-1)
    mat[np.isinf(mat)] = np.nan
    K = int(fid.max())
    out = np.empty((K, mat.shape[1]))
    fold_w = np.empty(K)
    for k in range(K):
        te = fid == k + 1
        wk = w[te]
        fold_w[k] = wk.sum()
        mk = mat[te]
        ok = ~np.isnan(mk)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[k] = np.nansum(mk * wk[:, None], axis=0) / np.sum(wk[:, None] * ok, axis=0)
    return out, fold_w


def cv_aggregate(cvraw: np.ndarray, fold_weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``cvstats`` (grouped): ``cvm`` = fold-weighted mean of the fold errors, ``cvsd`` its standard ERROR.

    ``cvm = weighted.mean(cvraw[, l], w, na.rm = TRUE)`` and
    ``cvsd = sqrt(weighted.mean((cvraw[, l] - cvm)^2, w, na.rm = TRUE) / (K - 1))``
    with ``K`` the number of folds. (scikit-learn's ``std`` of a CV score is a
    standard deviation across folds, not this.) A lambda whose every fold error is
    missing gets NaN; R then drops it from the CV curve.

    Parameters
    ----------
    cvraw : (K, L) array
        Per-fold errors (:func:`fold_means`).
    fold_weights : (K,) array
        The folds' total weights.
    """
    raw = np.asarray(cvraw, dtype=float)
    w = np.asarray(fold_weights, dtype=float).reshape(-1)
    K = raw.shape[0]
    if not np.isnan(raw).any():  # R's weighted.mean: sum(x * w) / sum(w)
        wsum = w.sum()
        cvm = (w @ raw) / wsum
        cvsd = np.sqrt((w @ (raw - cvm) ** 2) / wsum / (K - 1))
        return cvm, cvsd
    ok = ~np.isnan(raw)
    ww = w[:, None] * ok
    with np.errstate(invalid="ignore", divide="ignore"):
        cvm = np.nansum(raw * w[:, None], axis=0) / ww.sum(axis=0)
        cvsd = np.sqrt(np.nansum((raw - cvm) ** 2 * w[:, None], axis=0) / ww.sum(axis=0) / (K - 1))
    return cvm, cvsd


class CVChoice(NamedTuple):
    """``getOptcv.glmnet``'s answer; indices are 0-based positions in the lambda sequence."""

    lambda_min: float
    lambda_1se: float
    index_min: int
    index_1se: int


def choose_lambda(lambdas: np.ndarray, cvm: np.ndarray, cvsd: np.ndarray, *, maximize: bool = False) -> CVChoice:
    """``getOptcv.glmnet``: ``lambda.min`` and ``lambda.1se``.

    ``lambda.min`` is the LARGEST lambda whose ``cvm`` equals the minimum (ties go
    to the sparser model); ``lambda.1se`` the largest lambda whose ``cvm`` is within
    ``cvsd[index_min]`` of that minimum. ``maximize=True`` for AUC and the C-index
    (R negates ``cvm``). Missing ``cvm`` values never qualify.

    Examples
    --------
    >>> choose_lambda(np.array([1.0, 0.5, 0.25]), np.array([3.0, 1.0, 1.0]), np.array([0.1, 2.5, 0.1]))
    CVChoice(lambda_min=0.5, lambda_1se=1.0, index_min=1, index_1se=0)
    """
    lam = np.asarray(lambdas, dtype=float).reshape(-1)
    c = np.asarray(cvm, dtype=float).reshape(-1)
    c = -c if maximize else c
    sd = np.asarray(cvsd, dtype=float).reshape(-1)
    cmin = np.nanmin(c)
    lmin = float(np.max(lam[c <= cmin]))
    imin = int(np.flatnonzero(lam == lmin)[0])  # R's match(): the first position
    semin = c[imin] + sd[imin]
    l1se = float(np.max(lam[c <= semin]))
    i1se = int(np.flatnonzero(lam == l1se)[0])
    return CVChoice(lmin, l1se, imin, i1se)


def cv_summary(lambdas: np.ndarray, cvraw: np.ndarray, fold_weights: np.ndarray, *,
               maximize: bool = False) -> dict[str, Any]:
    """``cvstats`` + ``getOptcv.glmnet`` in one: the CV part of a ``CVGlmnetOutput``.

    Returns ``lambda``, ``cvm``, ``cvsd``, ``cvup``, ``cvlo`` (lambdas whose ``cvsd`` is
    missing dropped, as R drops them), ``lambda_min``, ``lambda_1se`` and R's 1-based
    ``index_min``/``index_1se``. ``maximize=True`` for AUC and the C-index.

    Examples
    --------
    >>> out = cv_summary(np.array([1.0, 0.5]), np.array([[2.0, 1.0], [2.0, 1.5], [2.0, 0.5]]), np.ones(3))
    >>> out["lambda_min"], out["index_min"], out["cvm"].tolist()
    (0.5, 2, [2.0, 1.0])
    """
    lam = np.asarray(lambdas, dtype=float).reshape(-1)
    cvm, cvsd = cv_aggregate(cvraw, fold_weights)
    keep = ~np.isnan(cvsd)
    lam, cvm, cvsd = lam[keep], cvm[keep], cvsd[keep]
    best = choose_lambda(lam, cvm, cvsd, maximize=maximize)
    return {"lambda": lam, "cvm": cvm, "cvsd": cvsd, "cvup": cvm + cvsd, "cvlo": cvm - cvsd,
            "lambda_min": best.lambda_min, "lambda_1se": best.lambda_1se,
            "index_min": best.index_min + 1, "index_1se": best.index_1se + 1}


# --------------------------------------------------------------------------- scaling
def glmnet_scale(x: np.ndarray, weights: np.ndarray | None = None, *, intercept: bool = True,
                 standardize: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """glmnet's centring and scaling of ``x``: ``(xm, xs)``.

    Weights are normalized to sum 1. ``xm`` is the weighted mean with an intercept,
    0 without; ``xs`` the weighted POPULATION sd around the weighted mean (divisor
    ``sum(w)``, not ``n - 1``) when ``standardize``, else 1. A constant column gets
    ``xs = 1`` (glmnet leaves it out of the fit). The fit runs on ``(x - xm) / xs``;
    coefficients go back as ``beta / xs``.

    Examples
    --------
    >>> xm, xs = glmnet_scale(np.array([[1.0, 5.0], [3.0, 5.0]]))
    >>> xm.tolist(), xs.tolist()
    ([2.0, 5.0], [1.0, 1.0])
    """
    a = np.asarray(x, dtype=float)
    w = np.ones(a.shape[0]) if weights is None else np.asarray(weights, dtype=float).reshape(-1)
    w = w / w.sum()
    mean = w @ a
    xm = mean if intercept else np.zeros(a.shape[1])
    if standardize:
        d = a - mean
        np.square(d, out=d)  # one n x p temporary, not two
        var = w @ d
        xs = np.sqrt(var)
        xs[~(xs > 0)] = 1.0
    else:
        xs = np.ones(a.shape[1])
    return xm, xs
