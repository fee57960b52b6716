"""Exact Gaussian ``cv.glmnet`` from sufficient (Gram) statistics: ``engine="gram"``.

For the Gaussian family everything ``glmnet`` computes depends on the data only
through weighted counts, means and the centred cross-products ``X'WX``,
``X'Wy`` and ``y'Wy``.  This module computes those statistics once per CV fold
(one pass over the rows, BLAS ``syrk``), obtains every training set's
statistics by combining the other folds' (Chan's parallel update, no raw
uncentred sums), runs glmnet's covariance-mode coordinate descent on the
``p x p`` Gram matrix, and evaluates each held-out fold's squared error from
that fold's own statistics: the ``n`` rows are never touched again.

Two layers:

1. :func:`gram_stats` -> :class:`GramStats` (per fold; ``a + b`` combines the
   statistics of two row blocks, so out-of-core callers can sum per-partition
   statistics), in :mod:`statprune.engines._gram_stats`;
2. :func:`cv_glmnet_gram_from_stats` -> the ``CVGlmnetOutput`` dict of
   :mod:`statprune.lasso` (``fit=None``), here; :func:`cv_glmnet_gram` wraps both
   for in-memory arrays, :func:`glmnet_path_from_stats` fits one path.

The engine returns arrays only; the estimator (:class:`statprune.lasso.GlmnetCV`,
:func:`statprune.cv_glmnet_ooc`) builds the result.

The semantics are those of glmnet 4.1 (``glmnetpp`` ``elnet`` covariance
method, ``cv.glmnet.raw``, ``buildPredmat.default``, ``lambda.interp``,
``cvstats``, ``getOptcv.glmnet``): same lambda sequence (lambda_max from the
gradient after the unpenalised variables are fitted, ``lambda.min.ratio``
1e-4 or 1e-2 when ``n < p``, early stop on ``fdev``/``devmax`` after ``mnlam``
lambdas, first lambda re-extrapolated by ``fix.lam``), each fold fitted with
its own sequence and interpolated at the full-data lambdas.  Coordinate
descent follows glmnet's own iterations (the covariance method for ``p < 500``,
the naive method for ``p >= 500``, as R's default ``type.gaussian`` picks), so
results agree with R to rounding at any ``thresh``, not only when converged.

Not covered (callers fall back to R): ``type_measure="mae"`` (needs per-row
residuals), ungrouped CV (fewer than 3 rows per fold), offsets, relaxed fits,
non-Gaussian families.  :class:`GramNotSupported` is raised for these.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = rng.standard_normal((200, 5)); y = X[:, 0] - 2 * X[:, 1] + rng.standard_normal(200)
>>> foldid = np.arange(200) % 5 + 1
>>> out = cv_glmnet_gram(X, y, foldid=foldid)
>>> out["name"], out["beta"].shape[0], bool(out["lambda_min"] <= out["lambda_1se"])
('Mean-Squared Error', 5, True)
>>> seen = []
>>> _ = cv_glmnet_gram(X, y, foldid=foldid, progress=lambda done, total: seen.append((done, total)))
>>> seen[0], seen[-1]
((1, 6), (6, 6))
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Callable

import numpy as np

from statprune._glmnet import folds, params, rules
from statprune._glmnet.params import CONTROL, DEFAULTS
from statprune.engines import _native
from statprune.engines._gram_stats import GramStats, blas_single_thread, gram_stats
from statprune.engines._settings import PathSettings, path_settings
from statprune.errors import ConvergenceWarning, DataError, GramNotSupported, ParameterError, StatpruneError

__all__ = [
    "GramNotSupported",
    "GramStats",
    "cv_glmnet_gram",
    "cv_glmnet_gram_from_stats",
    "glmnet_path_from_stats",
    "gram_stats",
    "gram_unsupported_reason",
]

Progress = Callable[[int, int], None]


def gram_unsupported_reason(
    *,
    family: str = "gaussian",
    type_measure: str = DEFAULTS.type_measure,
    offset: Any = None,
    relax: bool = False,
    n: int | None = None,
    nfolds: int | None = None,
) -> str | None:
    """Why the Gram engine cannot serve this request (``None`` when it can).

    Examples
    --------
    >>> gram_unsupported_reason(type_measure="mae")
    "type_measure='mae' needs per-row residuals, which Gram statistics do not keep"
    >>> gram_unsupported_reason() is None
    True
    """
    if family != "gaussian":
        return f"family={family!r}: the Gram engine is Gaussian only"
    if type_measure == "mae":
        return "type_measure='mae' needs per-row residuals, which Gram statistics do not keep"
    if type_measure not in params.MEASURES_BY_FAMILY["gaussian"]:
        return f"type_measure={type_measure!r}: the Gram engine computes the Gaussian mse/deviance only"
    if offset is not None:
        return "offset is not supported by the Gram engine"
    if relax:
        return "relax=True is not supported by the Gram engine"
    if n is not None and nfolds is not None and n / nfolds < 3:
        return "fewer than 3 rows per fold: cv.glmnet switches to ungrouped CV, which needs per-row residuals"
    return None


# ----------------------------------------------------------------------------- path solver


def _path_kernel(naive: bool) -> Callable:
    """The compiled path kernel: C through ctypes (:mod:`statprune.engines._native`), else numba."""
    k = _native.elnet_kernel(naive)
    if k is not None:
        return k
    from statprune.engines import _numba  # noqa: PLC0415 - numba is heavy (JIT); only without a C compiler

    return _numba._elnet_naive_path if naive else _numba._elnet_cov_path


def glmnet_path_from_stats(stats: GramStats, settings: PathSettings | None = None, **glmnet_args: Any) -> dict:
    """One ``glmnet(family="gaussian")`` path from one-fold :class:`GramStats`.

    ``settings`` (from :func:`~statprune.engines._settings.path_settings`) or
    ``glmnet_args`` (the keyword arguments of ``path_settings``: glmnet's
    parameters) give the fit's parameters.  Returns a dict with ``lambda`` (L,), ``a0`` (L,),
    ``beta`` (p, L) on the original scale, ``dev_ratio`` (L,), ``nulldev``,
    ``df`` (L,), ``npasses`` and ``jerr`` (glmnet's codes; negative: the path
    stopped early because ``maxit`` was reached, with a ConvergenceWarning).
    """
    if stats.nfolds != 1:
        stats = stats.total()
    p = stats.n_features
    s = settings if settings is not None else path_settings(p, **glmnet_args)
    W = float(stats.w[0])
    nobs = int(stats.n[0])
    if W <= 0:
        raise DataError("the weights sum to zero: nothing to fit")
    ju = (stats.x_min[0] < stats.x_max[0]) & ~s.exclude
    if not ju.any():
        raise ParameterError("all variables are constant or excluded: nothing to fit")
    xx, xy, yy = stats.xx[0], stats.xy[0], float(stats.yy[0])
    mx, my = stats.mean_x[0], float(stats.mean_y[0])
    cvar = np.diag(xx) / W  # centred weighted variances
    if s.fit_intercept:
        nulldev = yy
        ym = my
        ys = math.sqrt(yy / W)
        xm = mx
        if s.standardize:
            xs = np.sqrt(cvar)
            xv = np.ones(p)
        else:
            xs = np.ones(p)
            xv = cvar.copy()
        gram = xx / W
        gy = xy / W
    else:
        U = xx + W * np.outer(mx, mx)
        uxy = xy + W * mx * my
        uyy = yy + W * my * my
        nulldev = uyy
        ym = 0.0
        ys = math.sqrt(uyy / W)
        xm = np.zeros(p)
        xv = np.diag(U) / W
        if s.standardize:
            xs = np.sqrt(cvar)
            with np.errstate(divide="ignore", invalid="ignore"):
                xv = 1.0 + mx * mx / cvar
        else:
            xs = np.ones(p)
        gram = U / W
        gy = uxy / W
    if nulldev == 0 or ys == 0:
        raise DataError("y is constant; gaussian glmnet fails at standardization step")
    xs = np.where(ju, xs, 1.0)
    xv = np.where(ju, xv, 1.0)
    G = gram / np.outer(xs, xs)
    G[~ju, :] = 0.0
    G[:, ~ju] = 0.0
    np.fill_diagonal(G, xv)
    g = np.where(ju, gy / (xs * ys), 0.0)
    cl = s.cl / ys
    if s.standardize:
        cl = cl * xs[None, :]
    flmin, ulam, nlam = s.lambda_args(nobs, scale=ys)
    kernel = _path_kernel(s.naive)
    lmu, ao, almo, rsqo, nlp, jerr = kernel(
        np.ascontiguousarray(G), g, xv, s.vp, np.ascontiguousarray(cl), ju, s.alpha, flmin, ulam, nlam,
        s.thresh, s.maxit, s.sml, CONTROL.devmax, CONTROL.mnlam, CONTROL.eps, CONTROL.big, params.dfmax_default(p),
    )
    if jerr < 0:
        warnings.warn(
            f"Convergence for {-jerr}th lambda value not reached after maxit={s.maxit} iterations; "
            "solutions for larger lambdas returned",
            ConvergenceWarning,
            stacklevel=3,
        )
    if lmu < 1:
        raise StatpruneError("an empty model has been returned; probably a convergence issue")
    beta = (ao[:lmu].T * (ys / xs)[:, None]).copy()
    beta[~ju, :] = 0.0
    a0 = ym - xm @ beta if s.fit_intercept else np.zeros(lmu)
    lam = s.finish_lambda(almo[:lmu] * ys)
    return {
        "lambda": lam,
        "a0": np.asarray(a0, dtype=float),
        "beta": beta,
        "dev_ratio": rsqo[:lmu].copy(),
        "nulldev": float(nulldev),
        "df": (beta != 0).sum(axis=0),
        "npasses": int(nlp),
        "jerr": int(jerr),
    }


def _heldout_sse(fold: GramStats, a0: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Weighted sum of squared prediction errors of one held-out fold, from its statistics only."""
    xx, xy, yy = fold.xx[0], fold.xy[0], float(fold.yy[0])
    W = float(fold.w[0])
    quad = np.einsum("jl,jl->l", beta, xx @ beta)
    lin = xy @ beta
    off = float(fold.mean_y[0]) - a0 - fold.mean_x[0] @ beta
    return yy - 2.0 * lin + quad + W * off * off


def cv_glmnet_gram_from_stats(
    stats: GramStats, *, type_measure: str = DEFAULTS.type_measure, progress: Progress | None = None,
    **glmnet_args: Any,
) -> dict:
    """``cv.glmnet(family="gaussian")`` from per-fold :class:`GramStats`.

    Parameters
    ----------
    stats : GramStats
        Per-fold statistics (``K >= 3`` folds).
    type_measure : {"default", "mse", "deviance"}
    progress : callable, optional
        Called as ``progress(done, total)`` after each of the ``K + 1`` path fits
        (``total = K + 1``).
    **glmnet_args
        glmnet's parameters, as :func:`~statprune.engines._settings.path_settings`
        takes them: ``params`` (the fit's one :class:`~statprune._glmnet.params.GlmnetParams`)
        and/or its path fields as keywords (``alpha``, ``lambda_``, ``penalty_factor``,
        ``exclude``, ``thresh``, ``type_gaussian``...).

    Returns
    -------
    dict
        The ``CVGlmnetOutput`` of :mod:`statprune.lasso` with ``fit=None`` and
        ``foldid=None`` (the wrapper :func:`cv_glmnet_gram` fills it), plus
        ``cvraw`` (K, L) per-fold mean squared errors and ``fold_weights`` (K,).

    Raises
    ------
    GramNotSupported
        For ``type_measure="mae"`` or ungrouped CV (fewer than 3 rows per fold).
    """
    with blas_single_thread():
        return _cv_from_stats(stats, type_measure=type_measure, progress=progress, **glmnet_args)


def _cv_from_stats(stats: GramStats, *, type_measure: str, progress: Progress | None, **glmnet_args: Any) -> dict:
    reason = gram_unsupported_reason(type_measure=type_measure)
    if reason:
        raise GramNotSupported(reason)
    measure = params.default_type_measure("gaussian") if type_measure == "default" else type_measure
    K = stats.nfolds
    N = int(stats.n.sum())
    if K < DEFAULTS.min_nfolds:
        raise ParameterError("nfolds must be bigger than 3; nfolds=10 recommended")
    if N / K < 3:
        raise GramNotSupported(gram_unsupported_reason(n=N, nfolds=K))
    settings = path_settings(stats.n_features, **glmnet_args)
    if settings.lambda_ is not None and settings.lambda_.size < 2:
        raise ParameterError("Need more than one value of lambda for cv.glmnet")
    if np.any(stats.n == 0):
        raise ParameterError("every fold must hold at least one row (foldid must use every value 1..K)")
    if not (np.isfinite(stats.xx).all() and np.isfinite(stats.xy).all() and np.isfinite(stats.yy).all()):
        raise DataError("X or y holds NaN or inf values; remove or impute them first")
    p = stats.n_features
    total = K + 1
    full = glmnet_path_from_stats(stats.total(), settings)
    if progress is not None:
        progress(1, total)
    lam = full["lambda"]
    L = lam.shape[0]
    cvraw = np.empty((K, L))
    fold_w = stats.w.copy()
    # every training set as (folds before k) + (folds after k): O(K) pairwise combines, no subtraction
    suffix = [GramStats.empty(1, p)]
    for k in range(K - 1, 0, -1):
        suffix.append(suffix[-1] + stats.fold(k))
    suffix = suffix[::-1]  # suffix[k] = folds k+1..K-1
    prefix = GramStats.empty(1, p)
    for k in range(K):
        if k:
            prefix = prefix + stats.fold(k - 1)
        train = prefix + suffix[k]
        suffix[k] = None  # free as we go
        fit = glmnet_path_from_stats(train, settings)
        b = rules.interpolate(fit["beta"], fit["lambda"], lam)  # buildPredmat: the fold's path at lam
        a0 = rules.interpolate(fit["a0"], fit["lambda"], lam)
        fold = stats.fold(k)
        cvraw[k] = _heldout_sse(fold, a0, b) / float(fold.w[0])
        if progress is not None:
            progress(k + 2, total)
    cv = rules.cv_summary(lam, cvraw, fold_w)  # every fold has rows: no lambda is dropped
    return {
        **cv,
        "nzero": (full["beta"] != 0).sum(axis=0).astype(np.int64),
        "name": params.measure_name("gaussian", measure),
        "type_measure": measure,
        "a0": full["a0"],
        "beta": full["beta"],
        "dev_ratio": full["dev_ratio"],
        "nulldev": full["nulldev"],
        "df": full["df"],
        "foldid": None,
        "fit": None,
        "cvraw": cvraw,
        "fold_weights": fold_w,
        "engine": "gram",
    }


def cv_glmnet_gram(
    X: Any,
    y: Any,
    *,
    weights: Any = None,
    foldid: Any = None,
    nfolds: int = DEFAULTS.nfolds,
    seed: int | None = None,
    type_measure: str = DEFAULTS.type_measure,
    progress: Progress | None = None,
    **glmnet_args: Any,
) -> dict:
    """``cv.glmnet(X, y, family="gaussian", ...)`` computed from Gram statistics.

    ``foldid`` (values ``1..K``) fixes the folds.  Without it, folds are drawn
    as ``cv.glmnet`` draws them (:func:`statprune._glmnet.folds.draw_foldid`):
    with ``seed``, R's own ``set.seed(seed); sample(rep(seq(nfolds), length = n))``
    (reproduced without R); without ``seed``, unseeded.
    ``type_measure``, ``progress``, ``glmnet_args`` and the returned dict: see
    :func:`cv_glmnet_gram_from_stats`; ``foldid`` holds the folds used.
    """
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    reason = gram_unsupported_reason(type_measure=type_measure)
    if reason:
        raise GramNotSupported(reason)
    foldid = folds.draw_foldid(n, nfolds, seed) if foldid is None else folds.check_foldid(foldid, n)
    K = int(foldid.max())
    if n / K < 3:
        raise GramNotSupported(gram_unsupported_reason(n=n, nfolds=K))
    stats = gram_stats(X, y, weights, foldid, nfolds=K)
    out = cv_glmnet_gram_from_stats(stats, type_measure=type_measure, progress=progress, **glmnet_args)
    out["foldid"] = foldid
    return out
