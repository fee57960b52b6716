"""Exact fast ``cv.glmnet`` for ``family="binomial"`` and ``"poisson"`` without R.

glmnet 4.1's own algorithm (``glmnetpp``: ``lognet``/``fishnet`` dense paths) in C
(``statprune/engines/_native/glmpath.c``): IRLS with naive coordinate descent on the
working residual, strong-rule sets with KKT checks, warm starts along lambda,
convergence threshold ``thresh * null deviance``.  Around it, R's semantics:

* ``glmnet()``: weights normalized to sum 1; for binomial, rows with zero weight
  dropped first (``lognet``) and ``y`` the indicator of the second class (R's
  factor order); ``x`` centred (with an intercept) and scaled by its weighted
  population sd (``LStandardize1``); penalty factors normalized to sum to ``p``,
  ``Inf`` = excluded; limits scaled by the sd; ``fdev = 0`` when a limit is 0;
  lambda_max from the gradient at the fit of the unpenalized part, the sequence
  ``lambda_max * lambda.min.ratio^(k/(nlambda-1))`` (ratio 1e-4, or 1e-2 when
  ``n < p``), the first value re-extrapolated by ``fix.lam``; the path stops after
  ``mnlam = 5`` values when the deviance ratio exceeds ``devmax = 0.999``, or its
  gain is below ``fdev = 1e-5`` (binomial: over one step; poisson: relative, over
  ``mnlam - 1`` steps), or more than ``dfmax`` variables are non-zero;
* ``cv.glmnet.raw``: every training set fitted with its own lambda sequence and
  predicted at the full-data lambdas through ``lambda.interp`` (``buildPredmat``);
  ``cv.lognet``/``cv.fishnet``'s per-row measures (deviance with probabilities
  clipped to ``[1e-5, 1 - 1e-5]``, class, mse, mae, auc), grouped by fold
  (``cvcompute``), ``cvstats`` and ``getOptcv.glmnet``.

What it does not cover (``GlmNotSupported``; the caller runs R instead):
multinomial, relaxed fits, ungrouped CV (fewer than 3 rows per fold, or AUC with
fewer than 10 rows per fold), a path that hits ``maxit`` or a degenerate null model.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = rng.standard_normal((300, 6)); y = (X[:, 0] + rng.standard_normal(300) > 0).astype(float)
>>> out = cv_glmnet_glm(X, y, family="binomial", foldid=np.arange(300) % 5 + 1)
>>> out["name"], out["beta"].shape[0], bool(out["lambda_min"] <= out["lambda_1se"])
('Binomial Deviance', 6, True)
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from statprune._glmnet import folds, params, rules
from statprune._glmnet.params import CONTROL, DEFAULTS
from statprune.engines import _native
from statprune.engines._settings import PathSettings, kernel_args, path_settings, without_zero_weights
from statprune.errors import DataError, GlmNotSupported

__all__ = ["GlmNotSupported", "cv_glmnet_glm", "glm_unsupported_reason", "glmnet_glm_path"]

_FAMILIES = ("binomial", "poisson")
_FAMILY_CODE = {"binomial": 1, "poisson": 2}  # glmpath.c's family argument


def glm_unsupported_reason(*, family: str, type_measure: str = DEFAULTS.type_measure, relax: bool = False,
                           n: int | None = None, nfolds: int | None = None) -> str | None:
    """Why :func:`cv_glmnet_glm` cannot serve this request (``None`` when it can).

    Examples
    --------
    >>> glm_unsupported_reason(family="multinomial")
    "family='multinomial': the fast GLM engine covers 'binomial' and 'poisson'"
    >>> glm_unsupported_reason(family="poisson", type_measure="auc")
    "type_measure='auc' is not a poisson measure"
    """
    if family not in _FAMILIES:
        return f"family={family!r}: the fast GLM engine covers 'binomial' and 'poisson'"
    if type_measure not in params.MEASURES_BY_FAMILY[family]:
        return f"type_measure={type_measure!r} is not a {family} measure"
    if relax:
        return "relax=True is not supported by the fast GLM engine"
    if n is not None and nfolds is not None:
        if n / nfolds < 3:
            return "fewer than 3 rows per fold: cv.glmnet switches to ungrouped CV"
        if type_measure == "auc" and n / nfolds < 10:
            return "fewer than 10 rows per fold for type_measure='auc': cv.glmnet changes the measure"
    return None


def _kernel() -> Any:
    fn = _native.glm_kernel()
    if fn is None:
        raise GlmNotSupported("the C kernels are not built (no C compiler); the fast GLM engine needs them")
    return fn


def glmnet_glm_path(X: np.ndarray, y: np.ndarray, *, family: str, weights: np.ndarray | None = None,
                    offset: np.ndarray | None = None, settings: PathSettings, dfmax: int | None = None) -> dict:
    """One ``glmnet(x, y, family)`` path; ``y`` is 0/1 (binomial: the second class) or counts.

    Returns ``lambda``, ``a0``, ``beta`` (p, L) on the original scale, ``dev_ratio``,
    ``nulldev``, ``df``, ``npasses``.
    """
    return _glm_path(np.asarray(X, dtype=float), None, y, family=family, weights=weights, offset=offset,
                     settings=settings, dfmax=dfmax)


def _glm_path(X: np.ndarray, rows: np.ndarray | None, y: np.ndarray, *, family: str, weights: np.ndarray | None,
              offset: np.ndarray | None, settings: PathSettings, dfmax: int | None = None) -> dict:
    """:func:`glmnet_glm_path` on the rows ``rows`` (``None``: all) of ``X``; ``y``, ``weights`` and
    ``offset`` are those rows'."""
    n = X.shape[0] if rows is None else rows.shape[0]
    nobs_lmr = n  # lambda.min.ratio looks at nrow(x) before lognet drops zero-weight rows
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    g = None if offset is None else np.asarray(offset, dtype=float).reshape(-1)
    if family == "binomial":
        w, rows, y, g = without_zero_weights(w, rows, y, g)
    s = settings
    Xt, ww, sw, ju, xm, xs, cl, flmin, ulam, nlam, ne = kernel_args(X, w, s, nobs=nobs_lmr, dfmax=dfmax, rows=rows)
    res = _kernel()(_FAMILY_CODE[family], Xt, y, ww, g, ju, s.vp, cl, s.alpha,
                    flmin, ulam, nlam, s.thresh, s.maxit, s.fit_intercept, CONTROL.pmin, s.sml, CONTROL.devmax,
                    CONTROL.mnlam, CONTROL.eps, CONTROL.big, ne)
    lmu, a0, ao, almo, devo, dev0, nlp, jerr = res
    if jerr != 0:
        raise GlmNotSupported(f"glmnet error code {jerr} (maxit reached or a degenerate null model): left to R")
    beta = (ao[:lmu].T / xs[:, None]).copy()
    beta[~ju, :] = 0.0
    a0 = a0[:lmu] - xm @ beta if s.fit_intercept else np.zeros(lmu)
    lam = s.finish_lambda(almo[:lmu].copy())
    return {"lambda": lam, "a0": np.asarray(a0, dtype=float), "beta": beta, "dev_ratio": devo[:lmu].copy(),
            "nulldev": float(2.0 * sw * dev0), "df": (beta != 0).sum(axis=0), "npasses": int(nlp)}


def _weighted_auc(y: np.ndarray, prob: np.ndarray, w: np.ndarray) -> float:
    """``glmnet:::auc.mat`` = survival's weighted concordance of ``prob`` with the 0/1 outcome."""
    # each row is a class-1 case with weight w*y and a class-0 case with weight w*(1-y)
    w1, w0 = w * y, w * (1.0 - y)
    order = np.argsort(prob, kind="mergesort")
    ps, a1, a0 = prob[order], w1[order], w0[order]
    uniq, start = np.unique(ps, return_index=True)
    s1 = np.add.reduceat(a1, start)
    s0 = np.add.reduceat(a0, start)
    below0 = np.cumsum(s0) - s0  # class-0 weight with a strictly smaller prob
    num = float(np.sum(s1 * (below0 + 0.5 * s0)))
    den = float(a1.sum() * a0.sum())
    return num / den if den > 0 else float("nan")


def _cvraw(family: str, measure: str, y: np.ndarray, eta: np.ndarray) -> np.ndarray:
    """Per-row loss of ``cv.lognet``/``cv.fishnet`` (rows x lambdas)."""
    yc = y[:, None]
    if family == "binomial":
        pr = 1.0 / (1.0 + np.exp(-eta))
        if measure == "deviance":
            pc = np.clip(pr, 1e-5, 1 - 1e-5)
            return -2.0 * ((1.0 - yc) * np.log(1.0 - pc) + yc * np.log(pc))
        if measure == "mse":
            return 2.0 * (yc - pr) ** 2
        if measure == "mae":
            return 2.0 * np.abs(yc - pr)
        if measure == "class":
            return (1.0 - yc) * (pr > 0.5) + yc * (pr <= 0.5)
        raise AssertionError(measure)
    mu = np.exp(eta)
    if measure == "deviance":
        with np.errstate(divide="ignore", invalid="ignore"):
            devy = np.where(yc > 0, yc * np.log(np.where(yc > 0, yc, 1.0)) - yc, 0.0)
        return 2.0 * (devy - (yc * eta - mu))
    if measure == "mse":
        return (yc - mu) ** 2
    if measure == "mae":
        return np.abs(yc - mu)
    raise AssertionError(measure)


def _workers(K: int, n_jobs: int | None) -> int:
    if n_jobs is not None and n_jobs > 0:
        return min(int(n_jobs), K)
    return max(1, min(K, os.cpu_count() or 1))


def cv_glmnet_glm(
    X: Any,
    y: Any,
    *,
    family: str,
    weights: Any = None,
    offset: Any = None,
    foldid: Any = None,
    nfolds: int = DEFAULTS.nfolds,
    seed: int | None = None,
    type_measure: str = DEFAULTS.type_measure,
    n_jobs: int | None = None,
    **glmnet_args: Any,
) -> dict:
    """``cv.glmnet(x, y, family = "binomial" | "poisson", ...)`` without R.

    ``y``: for binomial, 0/1 with 1 for the second class (R's factor-level order);
    for poisson, non-negative counts.  ``foldid`` (``1..K``) fixes the folds; without
    it, ``seed`` gives R's ``set.seed(seed); sample(rep(seq(nfolds), length = n))``
    (:mod:`statprune._rng`).  The folds' paths run in ``n_jobs`` threads (the C
    kernel releases the GIL; results do not depend on it).  ``glmnet_args`` are
    glmnet's parameters as :func:`~statprune.engines._settings.path_settings` takes
    them (``alpha``, ``lambda_``, ``penalty_factor``, ``thresh``...).  Returns the
    ``CVGlmnetOutput`` dict of :mod:`statprune.lasso` with ``fit=None``.

    Raises
    ------
    GlmNotSupported
        For what only R computes (see the module docstring).
    """
    X = np.asarray(X, dtype=float)
    if not (X.flags.c_contiguous or X.flags.f_contiguous):  # the fits gather their rows from X
        X = np.ascontiguousarray(X)
    n, p = X.shape
    y = np.asarray(y, dtype=float).reshape(-1)
    reason = glm_unsupported_reason(family=family, type_measure=type_measure)
    if reason:
        raise GlmNotSupported(reason)
    measure = params.default_type_measure(family) if type_measure == "default" else type_measure
    if family == "binomial" and not np.all((y == 0) | (y == 1)):
        raise DataError("binomial y must be 0/1 (1 = the second class)")
    if family == "poisson" and np.any(y < 0):
        raise DataError("negative responses encountered; not permitted for Poisson family")
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float).reshape(-1)
    off = None if offset is None else np.asarray(offset, dtype=float).reshape(-1)
    foldid = folds.draw_foldid(n, nfolds, seed) if foldid is None else folds.check_foldid(foldid, n)
    K = int(foldid.max())
    reason = glm_unsupported_reason(family=family, type_measure=measure, n=n, nfolds=K)
    if reason:
        raise GlmNotSupported(reason)
    if family == "binomial":
        ww = w[w > 0]
        yy = y[w > 0]
        if min(ww[yy == 0].size, ww[yy == 1].size) < 8:
            # R errors (<= 1) or warns "fewer than 8 observations; dangerous ground": let R say it
            raise GlmNotSupported("a binomial class has fewer than 8 observations: left to R and its message")
    if "type_gaussian" in glmnet_args:
        raise TypeError("cv_glmnet_glm() got an unexpected keyword argument 'type_gaussian'")
    settings = path_settings(p, **glmnet_args)


    def path(k: int) -> dict:  # k = 0: the full data; else fold k's training rows
        if k == 0:
            return _glm_path(X, None, y, family=family, weights=w, offset=off, settings=settings)
        tr = np.flatnonzero(foldid != k)
        return _glm_path(X, tr, y[tr], family=family, weights=w[tr], offset=None if off is None else off[tr],
                         settings=settings)

    # the K + 1 paths are independent (only the predictions need the full data's lambdas): all of them
    # run in the pool, the full one first (the largest); the C kernel releases the GIL
    workers = _workers(K + 1, n_jobs)
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(path, k) for k in range(K + 1)]
            try:
                fits = [f.result() for f in futures]
            except BaseException:  # a path left to R: the others are not needed
                for f in futures:
                    f.cancel()
                raise
    else:
        fits = [path(k) for k in range(K + 1)]
    full = fits[0]
    lam = full["lambda"]
    L = lam.shape[0]
    predmat = np.empty((n, L))
    for k in range(1, K + 1):  # buildPredmat: each fold's path at the full data's lambdas
        te = foldid == k
        b = rules.interpolate(fits[k]["beta"], fits[k]["lambda"], lam)
        a0 = rules.interpolate(fits[k]["a0"], fits[k]["lambda"], lam)
        eta = X[te] @ b + a0
        predmat[te] = eta if off is None else eta + off[te][:, None]
    if measure == "auc":
        cvraw = np.empty((K, L))
        for k in range(K):
            te = foldid == k + 1
            pr = 1.0 / (1.0 + np.exp(-predmat[te]))
            for j in range(L):
                cvraw[k, j] = _weighted_auc(y[te], pr[:, j], w[te])
        fold_w = np.array([w[foldid == k + 1].sum() for k in range(K)])
    else:
        cvraw, fold_w = rules.fold_means(_cvraw(family, measure, y, predmat), foldid, w)
    cv = rules.cv_summary(lam, cvraw, fold_w, maximize=measure == "auc")
    if cv["lambda"].shape[0] != L:  # R drops them from the CV curve but keeps them in the path
        raise GlmNotSupported("some lambdas have no CV error (every held-out loss infinite): left to R")
    nzero = (full["beta"] != 0).sum(axis=0).astype(np.int64)
    return {
        **cv, "nzero": nzero, "name": params.measure_name(family, measure), "type_measure": measure, "a0": full["a0"],
        "beta": full["beta"], "dev_ratio": full["dev_ratio"], "nulldev": full["nulldev"], "df": full["df"],
        "foldid": foldid, "fit": None, "cvraw": cvraw, "fold_weights": fold_w, "engine": "glm",
    }
