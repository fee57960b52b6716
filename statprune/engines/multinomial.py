"""Exact fast ``cv.glmnet(family = "multinomial")`` without R.

glmnet 4.1's own algorithms in C (``statprune/engines/_native/multinet.c``), for both
``type.multinomial`` choices: ``"ungrouped"`` (``glmnetpp``'s dense multi-class path, Newton):
class by class a quadratic approximation solved by naive coordinate descent, the
coefficients centred across classes after each sweep (``elc``); ``"grouped"`` (its
``MultiClassGroup`` path, ``kopt = 2``): the group lasso over the classes, one quadratic
bound ``2 max p (1 - p)`` for every class, each variable's K coefficients updated together
(block soft-thresholding, limits by ``chkbnds``/``bnorm``), the columns' weighted mean
squares of ``MultLStandardize1``.  Both: strong rules with KKT checks, warm starts along lambda.
Around it, R's semantics:

* ``glmnet()`` / ``lognet``: ``y`` a factor (classes in R's level order,
  :func:`statprune._glmnet.families.class_levels`), one-hot rows times the weights, rows with
  zero weight dropped, weights normalized to sum 1; ``x`` centred (with an intercept) and
  scaled by its weighted population sd; penalty factors normalized to sum to ``p``, ``Inf`` =
  excluded; limits scaled by the sd; the offset an ``n x K`` matrix whose rows glmnet centres;
  lambda_max from the largest gradient over the classes, the sequence and ``fix.lam`` as for
  the other families; the path stops after ``mnlam = 5`` values when the deviance ratio
  exceeds ``devmax`` or gains less than ``fdev`` over one step, or more than ``dfmax``
  variables are non-zero in some class; the intercepts centred over the classes
  (``getcoef.multinomial``);
* ``cv.glmnet.raw``: each training set fitted with its own lambda sequence and predicted at
  the full-data lambdas through ``lambda.interp`` (``buildPredmat.array``, the raw offset
  added); ``cv.multnet``'s per-row measures (deviance with probabilities clipped to
  ``[1e-5, 1 - 1e-5]``, class with the first largest probability, mse and mae summed over
  the classes), grouped by fold (``cvcompute``), ``cvstats`` and ``getOptcv.glmnet``; ``nzero``
  as R counts it (:func:`multinomial_nzero`).

What it does not cover (:class:`~statprune.errors.GlmNotSupported`; the caller runs R
instead): ``type.logistic = "modified.Newton"`` (:func:`multinomial_unsupported_reason`), ungrouped
CV (fewer than 3 rows per fold), a class with fewer than 8 observations (R warns or stops), a
path that hits ``maxit``, a null probability below ``pmin``, a grouped variance bound below
``eps`` or ``bnorm`` at ``mxit`` (R's errors and warnings), relaxed fits.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = rng.standard_normal((300, 5)); codes = np.argmax(X[:, :3] + rng.standard_normal((300, 3)), axis=1)
>>> out = cv_glmnet_multinomial(X, codes, n_classes=3, foldid=np.arange(300) % 5 + 1)
>>> out["name"], out["beta"].shape[:2], bool(out["lambda_min"] <= out["lambda_1se"])
('Multinomial Deviance', (3, 5), True)
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from statprune._glmnet import folds, params, rules
from statprune._glmnet.params import CONTROL, DEFAULTS
from statprune.engines import _native
from statprune.engines._settings import PathSettings, kernel_args, path_settings, without_zero_weights
from statprune.engines.glmpath import _workers
from statprune.errors import DataError, GlmNotSupported

__all__ = ["cv_glmnet_multinomial", "glmnet_multinomial_path", "multinomial_unsupported_reason"]

_PROB_MIN = 1e-5  # cv.multnet's prob_min


def multinomial_unsupported_reason(*, type_measure: str = DEFAULTS.type_measure,
                                   type_multinomial: str = DEFAULTS.type_multinomial,
                                   type_logistic: str = DEFAULTS.type_logistic, relax: bool = False,
                                   n: int | None = None, nfolds: int | None = None) -> str | None:
    """Why :func:`cv_glmnet_multinomial` cannot serve this request (``None`` when it can).

    Examples
    --------
    >>> multinomial_unsupported_reason(type_logistic="modified.Newton")
    "type_logistic='modified.Newton' is left to R"
    >>> multinomial_unsupported_reason(type_measure="auc")
    "type_measure='auc' is not a multinomial measure"
    """
    if type_measure not in params.MEASURES_BY_FAMILY["multinomial"]:
        return f"type_measure={type_measure!r} is not a multinomial measure"
    if type_multinomial not in ("ungrouped", "grouped"):
        return f"type_multinomial={type_multinomial!r}: glmnet has 'ungrouped' and 'grouped'"
    if type_logistic != DEFAULTS.type_logistic:
        return f"type_logistic={type_logistic!r} is left to R"
    if relax:
        return "relax=True is not supported by the fast multinomial engine"
    if n is not None and nfolds is not None and n / nfolds < 3:
        return "fewer than 3 rows per fold: cv.glmnet switches to ungrouped CV"
    return None


def _kernel(grouped: bool) -> Any:
    fn = _native.multnet_kernel(grouped)
    if fn is None:
        raise GlmNotSupported("the C kernels are not built (no C compiler); the fast multinomial engine needs them")
    return fn


def _group_xv(X: np.ndarray, ww: np.ndarray, ju: np.ndarray, xm: np.ndarray, s: PathSettings) -> np.ndarray:
    """``MultLStandardize1``'s ``xv``: each column's weighted mean square on the scale the kernel
    sees (centred with an intercept; 1, or ``1 + mean^2 / var`` without one, when standardized)."""
    if s.standardize and s.fit_intercept:
        return np.ones(X.shape[1])
    if s.standardize:
        msq = (ww @ X) ** 2
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(ju, 1.0 + msq / (ww @ (X * X) - msq), 1.0)
    xc = X - xm
    return ww @ (xc * xc)


def glmnet_multinomial_path(X: np.ndarray, codes: np.ndarray, n_classes: int, *, weights: np.ndarray | None = None,
                            offset: np.ndarray | None = None, settings: PathSettings,
                            dfmax: int | None = None, grouped: bool = False) -> dict:
    """One ``glmnet(x, y, family = "multinomial")`` path; ``codes`` are 0-based class indices.

    Returns ``lambda``, ``a0`` (K, L; centred over the classes as R returns it), ``beta``
    (K, p, L) on the original scale, ``dev_ratio``, ``nulldev``, ``df`` (variables non-zero
    in some class), ``npasses``.
    """
    return _multinomial_path(np.asarray(X, dtype=float), None, codes, n_classes, weights=weights, offset=offset,
                             settings=settings, dfmax=dfmax, grouped=grouped)


def _multinomial_path(X: np.ndarray, rows: np.ndarray | None, codes: np.ndarray, n_classes: int, *,
                      weights: np.ndarray | None, offset: np.ndarray | None, settings: PathSettings,
                      dfmax: int | None = None, grouped: bool = False) -> dict:
    """:func:`glmnet_multinomial_path` on the rows ``rows`` (``None``: all) of ``X``; ``codes``, ``weights``
    and ``offset`` are those rows'."""
    n = X.shape[0] if rows is None else rows.shape[0]
    nobs_lmr = n  # lambda.min.ratio looks at nrow(x) before lognet drops zero-weight rows
    K = int(n_classes)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float).reshape(-1)
    codes = np.asarray(codes, dtype=np.int64).reshape(-1)
    g = None if offset is None else np.asarray(offset, dtype=float).reshape(n, K)
    w, rows, codes, g = without_zero_weights(w, rows, codes, g)
    n = codes.shape[0]
    s = settings
    Xt, ww, sw, ju, xm, xs, cl, flmin, ulam, nlam, ne = kernel_args(X, w, s, nobs=nobs_lmr, dfmax=dfmax, rows=rows)
    Y = np.zeros((K, n))
    Y[codes, np.arange(n)] = 1.0
    extra = {"xv": _group_xv(X if rows is None else X[rows], ww, ju, xm, s), "prec": CONTROL.prec, "mxit": CONTROL.mxit} if grouped else {}
    res = _kernel(grouped)(Xt, Y, ww, None if g is None else g.T, ju, s.vp, cl, s.alpha, flmin,
                           ulam, nlam, s.thresh, s.maxit, s.fit_intercept, CONTROL.pmin, CONTROL.exmx, s.sml,
                           CONTROL.devmax, CONTROL.mnlam, CONTROL.eps, CONTROL.big, ne, **extra)
    lmu, a0, ao, almo, devo, dev0, nlp, jerr = res
    if jerr != 0:
        raise GlmNotSupported(f"glmnet error code {jerr} (maxit reached or a null probability below pmin): left to R")
    beta = np.transpose(ao[:lmu], (1, 2, 0)) / xs[None, :, None]  # (K, p, L)
    beta[:, ~ju, :] = 0.0
    if s.fit_intercept:
        a0 = a0[:lmu].T - np.einsum("p,kpl->kl", xm, beta)
        a0 = a0 - a0.mean(axis=0)  # getcoef.multinomial: scale(a0, TRUE, FALSE)
    else:
        a0 = np.zeros((K, lmu))
    lam = s.finish_lambda(almo[:lmu].copy())
    return {"lambda": lam, "a0": a0, "beta": beta, "dev_ratio": devo[:lmu].copy(), "nulldev": float(2.0 * sw * dev0),
            "df": (beta != 0).any(axis=0).sum(axis=0), "npasses": int(nlp)}


def _cvraw(measure: str, Y: np.ndarray, eta: np.ndarray) -> np.ndarray:
    """``cv.multnet``'s per-row loss (rows x lambdas) from the linear predictors (rows x K x lambdas)."""
    with np.errstate(over="ignore", invalid="ignore"):
        pr = np.exp(eta)
        pr = pr / pr.sum(axis=1, keepdims=True)
    bigY = Y[:, :, None]
    if measure == "mse":
        return ((bigY - pr) ** 2).sum(axis=1)
    if measure == "mae":
        return np.abs(bigY - pr).sum(axis=1)
    if measure == "deviance":
        pc = np.clip(pr, _PROB_MIN, 1.0 - _PROB_MIN)
        with np.errstate(divide="ignore", invalid="ignore"):
            ly = np.where(bigY == 0, 0.0, bigY * np.log(np.where(bigY > 0, bigY, 1.0)))
        return (2.0 * (ly - bigY * np.log(pc))).sum(axis=1)
    if measure == "class":
        # glmnet_softmax: the first class with the largest probability (a strict > scan)
        best = np.zeros(pr.shape[0:1] + pr.shape[2:], dtype=np.int64)
        top = pr[:, 0, :].copy()
        for k in range(1, pr.shape[1]):
            up = pr[:, k, :] > top
            best[up] = k
            top[up] = pr[:, k, :][up]
        return 1.0 - np.take_along_axis(np.broadcast_to(bigY, pr.shape), best[:, None, :], axis=1)[:, 0, :]
    raise AssertionError(measure)


def multinomial_nzero(beta: np.ndarray, a0_grouped: np.ndarray | None = None) -> np.ndarray:
    """cv.glmnet's ``nzero`` of a multinomial fit.

    Ungrouped: per lambda, the ceiling of the median over the classes of each class's count
    of non-zero coefficients.  Grouped (``a0_grouped``: the fit's (K, L) intercepts): R counts
    the non-zero rows of the first class's coefficient matrix *with its intercept row*
    (``predict(type = "nonzero")`` of a grouped fit), so the centred intercept adds one when
    it is not zero.

    Examples
    --------
    >>> b = np.zeros((3, 4, 2)); b[0, :2, 1] = 1; b[1, :3, 1] = 1
    >>> multinomial_nzero(b).tolist()
    [0, 2]
    >>> multinomial_nzero(b, a0_grouped=np.array([[0.5, 0.0], [0.1, 0.2], [0.0, 0.0]])).tolist()
    [1, 2]
    """
    if a0_grouped is not None:
        return ((np.asarray(beta)[0] != 0).sum(axis=0) + (np.asarray(a0_grouped)[0] != 0)).astype(np.int64)
    counts = (np.asarray(beta) != 0).sum(axis=1)  # (K, L)
    return np.ceil(np.median(counts, axis=0)).astype(np.int64)


def cv_glmnet_multinomial(
    X: Any,
    codes: Any,
    *,
    n_classes: int | None = None,
    weights: Any = None,
    offset: Any = None,
    foldid: Any = None,
    nfolds: int = DEFAULTS.nfolds,
    seed: int | None = None,
    type_measure: str = DEFAULTS.type_measure,
    type_multinomial: str = DEFAULTS.type_multinomial,
    n_jobs: int | None = None,
    **glmnet_args: Any,
) -> dict:
    """``cv.glmnet(x, y, family = "multinomial", ...)`` without R.

    ``codes`` are the 0-based class indices in R's factor-level order (``n_classes``
    classes, default ``codes.max() + 1``); ``offset`` is ``n x K``.  ``foldid`` (``1..K``)
    fixes the folds; without it ``seed`` gives R's draw.  The folds' paths run in
    ``n_jobs`` threads (the C kernel releases the GIL; results do not depend on it).
    ``glmnet_args`` are glmnet's parameters as
    :func:`~statprune.engines._settings.path_settings` takes them.  Returns the
    ``CVGlmnetOutput`` dict of :mod:`statprune.lasso` with ``fit=None``: ``beta`` (K, p, L),
    ``a0`` (K, L).

    Raises
    ------
    GlmNotSupported
        For what only R computes (see the module docstring).
    """
    X = np.asarray(X, dtype=float)
    if not (X.flags.c_contiguous or X.flags.f_contiguous):  # the fits gather their rows from X
        X = np.ascontiguousarray(X)
    n, p = X.shape
    codes = np.asarray(codes).reshape(-1)
    if codes.shape[0] != n or not np.issubdtype(codes.dtype, np.integer) or codes.min() < 0:
        raise DataError(f"multinomial codes must be {n} non-negative class indices")
    K = int(codes.max()) + 1 if n_classes is None else int(n_classes)
    reason = multinomial_unsupported_reason(type_measure=type_measure, type_multinomial=type_multinomial)
    if reason:
        raise GlmNotSupported(reason)
    measure = params.default_type_measure("multinomial") if type_measure == "default" else type_measure
    counts = np.bincount(codes, minlength=K)
    if counts.min() < 8:
        # R stops (<= 1) or warns "fewer than 8 observations; dangerous ground": let R say it
        raise GlmNotSupported("a multinomial class has fewer than 8 observations: left to R and its message")
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float).reshape(-1)
    off = None if offset is None else np.asarray(offset, dtype=float)
    if off is not None and off.shape != (n, K):
        raise DataError(f"a multinomial offset must be an n x K matrix ({n} x {K}), got shape {off.shape}")
    foldid = folds.draw_foldid(n, nfolds, seed) if foldid is None else folds.check_foldid(foldid, n)
    nf = int(foldid.max())
    reason = multinomial_unsupported_reason(type_measure=measure, n=n, nfolds=nf)
    if reason:
        raise GlmNotSupported(reason)
    for key in ("type_gaussian",):
        if key in glmnet_args:
            raise TypeError(f"cv_glmnet_multinomial() got an unexpected keyword argument {key!r}")
    settings = path_settings(p, **glmnet_args)
    grouped = type_multinomial == "grouped"
    full = _multinomial_path(X, None, codes, K, weights=w, offset=off, settings=settings, grouped=grouped)
    lam = full["lambda"]
    L = lam.shape[0]

    def fold_fit(k: int) -> np.ndarray:
        tr = np.flatnonzero(foldid != k)
        te = foldid == k
        fit = _multinomial_path(X, tr, codes[tr], K, weights=w[tr], offset=None if off is None else off[tr],
                                settings=settings, grouped=grouped)
        b = rules.interpolate(fit["beta"], fit["lambda"], lam)  # (K, p, L): the fold's path at lam
        a0 = rules.interpolate(fit["a0"], fit["lambda"], lam)  # (K, L)
        eta = np.einsum("np,kpl->nkl", X[te], b) + a0[None, :, :]
        if off is not None:
            eta = eta + off[te][:, :, None]
        return eta

    predmat = np.empty((n, K, L))
    workers = _workers(nf, n_jobs)
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            etas = list(pool.map(fold_fit, range(1, nf + 1)))
    else:
        etas = [fold_fit(k) for k in range(1, nf + 1)]
    for k, eta in zip(range(1, nf + 1), etas):
        predmat[foldid == k] = eta
    Y = np.zeros((n, K))
    Y[np.arange(n), codes] = 1.0
    cvraw, fold_w = rules.fold_means(_cvraw(measure, Y, predmat), foldid, w)
    cv = rules.cv_summary(lam, cvraw, fold_w)
    if cv["lambda"].shape[0] != L:  # R drops them from the CV curve but keeps them in the path
        raise GlmNotSupported("some lambdas have no CV error (every held-out loss infinite): left to R")
    return {
        **cv, "nzero": multinomial_nzero(full["beta"], full["a0"] if grouped else None), "name": params.measure_name("multinomial", measure),
        "type_measure": measure, "a0": full["a0"], "beta": full["beta"], "dev_ratio": full["dev_ratio"],
        "nulldev": full["nulldev"], "df": full["df"], "foldid": foldid, "fit": None, "cvraw": cvraw,
        "fold_weights": fold_w, "engine": "multinomial",
    }
