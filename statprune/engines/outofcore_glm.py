"""Out-of-core ``cv.glmnet(family = "binomial" | "poisson")``: glmnet's IRLS, one Dask pass per step.

The model state is small: per fit (the full data and the ``K`` training sets) an
intercept and ``p`` coefficients.  What an IRLS step needs from the rows at the
current coefficients is a handful of weighted sums over the fit's rows, with
``mu`` the mean and ``v = w * mu (1 - mu)`` (binomial) or ``v = w * mu`` (poisson)
the working weights, ``r = w (y - mu)`` the weighted residual:
``X'VX``, ``X'v``, ``sum v``, ``X'r``, ``sum r`` and the deviance.  So each IRLS
step of **every fit at once** is one pass over the partitions (every row
contributes to the full fit and the ``K - 1`` training sets it belongs to), the
partial sums are added in a tree, and the coordinate descent runs in memory on
those ``p x p`` statistics: glmnet's naive coordinate descent on the working
residual, written with the Gram matrix (the same iterates in exact arithmetic:
:mod:`statprune.engines.glmpath` is the in-memory engine, and its rules are the
ones followed here, step for step: standardization by the training set's weighted
mean and population sd, the null model, lambda_max from its gradient, strong-rule
sets with KKT checks, ``thresh * null deviance``, the path stops after ``mnlam``).

The rows are centred and scaled by the full data's weighted mean and sd inside the
pass (so the sums lose no digits to large means), and each fit's own
standardization is applied to the ``p x p`` statistics exactly.

Passes per fit: one for the per-fold means, sds, ranges and the response checks;
(binomial with an offset: the intercept-only null model's Newton steps, one pass
each, about 5); one per IRLS step of the slowest of the ``K + 1`` path fits (they
advance in lockstep: about 2-4 per lambda); one for the held-out CV measures
(``cv.lognet``/``cv.fishnet``'s per-row losses summed per fold and lambda in the pass;
no row is collected).  ``type_measure="auc"`` needs the rows and is refused.

Examples
--------
>>> from statprune.datasets import make_partitioned
>>> out, info = cv_glm_dask(make_partitioned(family="binomial"), "y", family="binomial", nfolds=5, seed=1,
...                         scheduler="synchronous")
>>> out["name"], info.n_rows, info.passes > 3
('Binomial Deviance', 600, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np


from statprune._glmnet import params, rules
from statprune._glmnet.params import CONTROL, DEFAULTS
from statprune.engines._gram_stats import GramStats, blas_single_thread
from statprune.engines._glm_gram_path import GramPathFit
from statprune.engines._settings import path_settings
from statprune.engines.glmpath import _cvraw
from statprune.engines.outofcore import (
    GramStatsResult, OocData, _accumulate, _chunk_step, _compute, _FoldAccumulator, _Plan, _plan, chunk_folds,
    iter_chunks,
)
from statprune.errors import DataError, GlmNotSupported, ParameterError

__all__ = ["GlmDaskInfo", "cv_glm_dask"]

_FAMILIES = ("binomial", "poisson")


# =========================================================================== pass 1: ranges, means, checks
def _check_rows(family: str, X: np.ndarray, y: np.ndarray, w: np.ndarray | None, off: np.ndarray | None,
                features: list[str], target: str, a: int) -> None:
    bad = ~np.isfinite(X)
    if bad.any() or not np.isfinite(y).all() or (w is not None and not np.isfinite(w).all()) or (
            off is not None and not np.isfinite(off).all()):
        cols = [features[j] for j in np.flatnonzero(bad.any(axis=0))]
        what = (", target" if not np.isfinite(y).all() else "") + (
            ", offset" if off is not None and not np.isfinite(off).all() else "") + (
            ", weights" if w is not None and not np.isfinite(w).all() else "")
        raise DataError(f"rows {a}..{a + X.shape[0] - 1} hold NaN, inf or missing cells (predictor columns "
                        f"{cols[:10]}{what}); clean the data first")
    if family == "binomial" and not np.all((y == 0) | (y == 1)):
        i = int(np.flatnonzero((y != 0) & (y != 1))[0])
        raise DataError(f"binomial target '{target}' must be 0/1 (1 = the second class); row {a + i} holds {float(y[i]):g}")
    if family == "poisson" and np.any(y < 0):
        i = int(np.flatnonzero(y < 0)[0])
        raise DataError(f"negative counts in target '{target}' (row {a + i}: {float(y[i]):g}): not permitted for poisson")
    if w is not None and np.any(w < 0):
        raise DataError(f"negative weights in rows {a}..{a + X.shape[0] - 1}")
    if family == "binomial" and w is not None and np.any(w == 0):
        raise ParameterError("zero weights with family='binomial' are not supported out of core "
                             "(glmnet drops those rows first); drop the rows instead")


_N_EXTRA = 7  # per fold: rows, sum w, sum w*y, sum w*y*log(y), sum w*y*g, sum w*exp(clip g), class-1 rows


def _pass1_part(kind: str, src: Any, offset: int, fold_slice: Any, plan: _Plan, family: str) -> tuple:
    p = len(plan.features)
    step = _chunk_step(p)
    use = plan.features + [plan.target] + [c for c in (plan.weights, plan.offset, plan.fold_column) if c is not None]
    acc = _FoldAccumulator(plan.nfolds, p)
    extra = np.zeros((plan.nfolds, _N_EXTRA))
    buf = np.empty((step, p))
    fmax = math.log(np.finfo(float).max * 0.1)
    with blas_single_thread():
        for a, cols in iter_chunks(kind, src, offset, use, step):
            m = cols[plan.target].shape[0]
            X = np.column_stack([cols[f] for f in plan.features])
            y = cols[plan.target]
            w = None if plan.weights is None else cols[plan.weights]
            g = None if plan.offset is None else cols[plan.offset]
            _check_rows(family, X, y, w, g, plan.features, plan.target, a)
            fid = chunk_folds(plan, cols, a, m, offset, fold_slice)
            ww = np.ones(m) if w is None else w
            with np.errstate(divide="ignore", invalid="ignore"):
                ylogy = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)), 0.0)
            gg = np.zeros(m) if g is None else g
            cols6 = np.column_stack([np.ones(m), ww, ww * y, ww * ylogy, ww * y * gg,
                                     ww * np.exp(np.clip(gg, -fmax, fmax)), (y == 1).astype(float)])
            for k in range(plan.nfolds):
                sel = fid == k + 1
                if sel.any():
                    extra[k] += cols6[sel].sum(axis=0)
            if m > buf.shape[0]:
                buf = np.empty((m, p))
            _accumulate(acc, X, y, w, fid, buf)
    return acc.to_stats(), extra


def _add_pass1(*parts: tuple) -> tuple:
    st, ex = parts[0]
    for s2, e2 in parts[1:]:
        st = st + s2
        ex = ex + e2
    return st, ex


# =========================================================================== the IRLS pass
@dataclass
class _PassArgs:
    """What every task of one IRLS pass needs: the fits' coefficients on the pass's scale."""

    family: str
    models: np.ndarray       # (M,) 0 = the full data, k = the training set without fold k
    B: np.ndarray            # (p, M): coefficients of the globally standardized columns U
    c0: np.ndarray           # (M,): intercepts on U's scale
    cx: np.ndarray           # (p,) global centre
    sx: np.ndarray           # (p,) global scale
    fmax: float
    cols: np.ndarray         # (s,) the columns whose Gram entries X'VX are computed


def _mean_weights(family: str, eta: np.ndarray, fmax: float) -> tuple[np.ndarray, np.ndarray]:
    """``glm_update`` of glmpath.c: the mean and ``mu (1 - mu)`` / ``mu`` at ``eta``, clipped as glmnet clips."""
    if family == "binomial":
        with np.errstate(over="ignore"):
            mu = np.where(eta < -fmax, 0.0, np.where(eta > fmax, 1.0, 1.0 / (1.0 + np.exp(-eta))))
        return mu, mu * (1.0 - mu)
    mu = np.exp(np.copysign(np.minimum(np.abs(eta), fmax), eta))
    return mu, mu


def _irls_part(kind: str, src: Any, offset: int, fold_slice: Any, plan: _Plan, pa: _PassArgs) -> dict:
    p = len(plan.features)
    M = pa.models.shape[0]
    step = _chunk_step(p)
    use = plan.features + [plan.target] + [c for c in (plan.weights, plan.offset, plan.fold_column) if c is not None]
    S = pa.cols
    ns = S.shape[0]
    out = {"A": np.zeros((M, ns, ns)), "b": np.zeros((M, p)), "c": np.zeros(M), "g": np.zeros((M, p)),
           "r0": np.zeros(M), "dev": np.zeros(M)}
    pmin = CONTROL.pmin
    buf = np.empty((step, ns))
    with blas_single_thread():
        for a, cols in iter_chunks(kind, src, offset, use, step):
            m = cols[plan.target].shape[0]
            U = np.empty((m, p))
            for j, f in enumerate(plan.features):
                np.subtract(cols[f], pa.cx[j], out=U[:, j])
                U[:, j] /= pa.sx[j]
            y = cols[plan.target]
            w = np.ones(m) if plan.weights is None else cols[plan.weights]
            fid = chunk_folds(plan, cols, a, m, offset, fold_slice)
            E = U @ pa.B + pa.c0
            if plan.offset is not None:
                E += cols[plan.offset][:, None]
            W = w[:, None] * (fid[:, None] != pa.models[None, :])  # model 0 (fid >= 1) keeps every row
            mu, vq = _mean_weights(pa.family, E, pa.fmax)
            V = W * vq
            R = W * (y[:, None] - mu)
            out["b"] += (U.T @ V).T
            out["c"] += V.sum(axis=0)
            out["g"] += (U.T @ R).T
            out["r0"] += R.sum(axis=0)
            if pa.family == "binomial":
                pc = np.clip(mu, pmin, 1.0 - pmin)
                out["dev"] += (W * (y[:, None] * np.log(pc) + (1.0 - y[:, None]) * np.log(1.0 - pc))).sum(axis=0)
            else:
                out["dev"] += (W * y[:, None] * E).sum(axis=0)
            if ns == 0:
                continue
            US = U[:, S] if ns < p else U
            if buf.shape[0] < m:
                buf = np.empty((m, ns))
            Uv = buf[:m]
            sV = np.sqrt(V)  # X'VX = (sqrt(V) X)'(sqrt(V) X): numpy hands Z.T @ Z to syrk, half gemm's work
            for i in range(M):
                np.multiply(US, sV[:, i : i + 1], out=Uv)
                out["A"][i] += Uv.T @ Uv
    return out


def _add_dicts(*parts: dict) -> dict:
    out = {k: v.copy() for k, v in parts[0].items()}
    for d in parts[1:]:
        for k, v in d.items():
            out[k] += v
    return out


# =========================================================================== the null-model pass (binomial offset)
def _null_part(kind: str, src: Any, offset: int, fold_slice: Any, plan: _Plan, models: np.ndarray,
               az: np.ndarray) -> np.ndarray:
    """Per fit: ``sum w p (1 - p)``, ``sum w p``, ``sum w (y g + log(1 - p))`` at ``p = 1 / (1 + exp(-g - az))``."""
    out = np.zeros((models.shape[0], 3))
    use = [plan.target, plan.offset] + [c for c in (plan.weights, plan.fold_column) if c is not None]
    for a, cols in iter_chunks(kind, src, offset, use, _chunk_step(1)):
        m = cols[plan.target].shape[0]
        y, g = cols[plan.target], cols[plan.offset]
        w = np.ones(m) if plan.weights is None else cols[plan.weights]
        fid = chunk_folds(plan, cols, a, m, offset, fold_slice)
        for i, k in enumerate(models):
            sel = slice(None) if k == 0 else fid != k
            pp = 1.0 / (1.0 + np.exp(-az[i]) * np.exp(-g[sel]))
            wi = w[sel]
            out[i] += [wi @ (pp * (1.0 - pp)), wi @ pp, wi @ (y[sel] * g[sel] + np.log(1.0 - pp))]
    return out


def _add_arrays(*parts: np.ndarray) -> np.ndarray:
    return np.sum(parts, axis=0)


# =========================================================================== the CV pass
def _cv_part(kind: str, src: Any, offset: int, fold_slice: Any, plan: _Plan, family: str, measure: str,
             B: np.ndarray, c0: np.ndarray, cx: np.ndarray, sx: np.ndarray) -> np.ndarray:
    """Per fold and lambda: weighted sums of the held-out loss over finite entries, and their weights.

    ``B`` (K, p, L) and ``c0`` (K, L): each fold's path at the full-data lambdas on U's scale.
    Returns (K, 2, L) plus the fold weights in a last column block (K, 1, L) (every column equal).
    """
    K, p, L = B.shape
    out = np.zeros((K, 3, L))
    use = plan.features + [plan.target] + [c for c in (plan.weights, plan.offset, plan.fold_column) if c is not None]
    with blas_single_thread():
        for a, cols in iter_chunks(kind, src, offset, use, _chunk_step(p)):
            m = cols[plan.target].shape[0]
            fid = chunk_folds(plan, cols, a, m, offset, fold_slice)
            U = np.column_stack([(cols[f] - cx[j]) / sx[j] for j, f in enumerate(plan.features)])
            y = cols[plan.target]
            w = np.ones(m) if plan.weights is None else cols[plan.weights]
            for k in range(K):
                te = fid == k + 1
                if not te.any():
                    continue
                eta = U[te] @ B[k] + c0[k]
                if plan.offset is not None:
                    eta += cols[plan.offset][te][:, None]
                with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                    loss = _cvraw(family, measure, y[te], eta)
                ok = np.isfinite(loss)
                wk = w[te]
                out[k, 0] += wk @ np.where(ok, loss, 0.0)
                out[k, 1] += wk @ ok
                out[k, 2] += wk.sum()
    return out


# =========================================================================== the driver
@dataclass
class GlmDaskInfo:
    """What :func:`cv_glm_dask` read: rows, partitions, folds, passes over the data."""

    stats: GramStatsResult
    n_rows: int
    passes: int
    pass_kinds: dict[str, int] = field(default_factory=dict)


def _training(ex: np.ndarray, k: int) -> np.ndarray:
    return ex.sum(axis=0) - (ex[k - 1] if k > 0 else 0.0)


def cv_glm_dask(
    source: Any,
    target: str | None = None,
    *,
    family: str,
    type_measure: str = DEFAULTS.type_measure,
    progress: Any = None,
    **kwargs: Any,
) -> tuple[dict, GlmDaskInfo]:
    """``cv.glmnet(x, y, family = "binomial" | "poisson")`` on partitioned data, one pass per IRLS step.

    ``source``, ``target`` and the data keywords are
    :class:`~statprune.engines.outofcore.OocData`'s (``weights``, ``offset``,
    ``fold_column``, ``nfolds``, ``seed``, ``folds``, ``client``, ``scheduler`` ...);
    the other keywords are glmnet's, as
    :func:`~statprune.engines._settings.path_settings` takes them (``alpha``,
    ``lambda_``, ``nlambda``, ``lambda_min_ratio``, ``standardize``,
    ``fit_intercept``, ``penalty_factor``, ``lower_limits``, ``upper_limits``,
    ``thresh``, ``maxit``, ``exclude_idx``).  Binomial ``y`` is 0/1 (1 = the second
    class).  ``progress`` is called as ``progress(passes_done, kind)``.  Returns the
    ``CVGlmnetOutput`` dict (as :func:`~statprune.engines.glmpath.cv_glmnet_glm`;
    ``foldid`` and ``fit`` are ``None``) and a :class:`GlmDaskInfo`.
    """
    datakw, glmnet_args = OocData.split(kwargs)
    data = OocData.of(source, target, datakw)
    from dask import delayed  # noqa: PLC0415 - heavy (about a second), see engines/outofcore

    if family not in _FAMILIES:
        raise ParameterError(f"family={family!r}: the out-of-core GLM engine covers 'binomial' and 'poisson'")
    measure = params.default_type_measure(family) if type_measure == "default" else type_measure
    if measure == "auc":
        raise ParameterError("type_measure='auc' needs every held-out row's prediction; out of core, use "
                             "'deviance', 'class', 'mse' or 'mae'")
    if measure not in params.MEASURES_BY_FAMILY[family]:
        raise ParameterError(f"type_measure={type_measure!r} is not a {family} measure")
    if "type_gaussian" in glmnet_args:
        raise ParameterError("type_gaussian is a gaussian option")
    plan = _plan(data)
    client, scheduler, fanin, offset = data.client, data.scheduler, data.fanin, data.offset
    light = plan.light()
    K, p = plan.nfolds, len(plan.features)
    kinds = {"stats": 0, "null": 0, "irls": 0, "cv": 0}

    def run(fn: Any, combine: Any, *args: Any) -> Any:
        tasks = [delayed(fn, pure=False)(kind, src, off, fs, light, *args) for kind, src, off, fs in plan.parts]
        level = tasks
        while len(level) > 1:
            level = [delayed(combine, pure=False)(*level[i : i + fanin]) for i in range(0, len(level), fanin)]
        return _compute(level[0], client, scheduler, data.progress_bar)

    def tick(kind: str) -> None:
        kinds[kind] += 1
        if progress is not None:
            progress(sum(kinds.values()), kind)

    # ---- pass 1: per-fold means, sds, ranges; response sums and checks
    gstats, extra = run(_pass1_part, _add_pass1, family)
    tick("stats")
    n_rows = int(extra[:, 0].sum())
    if (extra[:, 0] == 0).any():
        raise DataError(f"fold(s) {(np.flatnonzero(extra[:, 0] == 0) + 1).tolist()} have no rows")
    if n_rows / K < 3:
        raise DataError("fewer than 3 rows per fold: cv.glmnet switches to ungrouped CV; use 'statprune lasso'")
    if family == "binomial":
        n1 = extra[:, 6].sum()
        if min(n1, n_rows - n1) < 8:
            raise DataError(f"a class of '{plan.target}' has fewer than 8 observations "
                            f"({int(n1)} ones, {int(n_rows - n1)} zeros): glmnet refuses or warns; use 'statprune lasso'")
    settings = path_settings(p, **glmnet_args)
    tot = gstats.total()
    sd_all = np.sqrt(np.maximum(np.diagonal(tot.xx[0]) / tot.w[0], 0.0))
    cx = tot.mean_x[0].copy() if settings.fit_intercept else np.zeros(p)
    if not settings.fit_intercept:  # no centring (the fits' own centre is 0): scale by the root mean square
        sd_all = np.sqrt(sd_all ** 2 + tot.mean_x[0] ** 2)
    sx = np.where(sd_all > 0, sd_all, 1.0)
    fmax = math.log(1.0 / CONTROL.pmin - 1.0) if family == "binomial" else math.log(np.finfo(float).max * 0.1)
    ne = params.dfmax_default(p)

    # ---- each fit's standardization and null model
    fits: list[GramPathFit] = []
    az_need: list[int] = []
    for k in range(K + 1):
        st: GramStats = tot if k == 0 else gstats.training(k - 1)
        ex = _training(extra, k)
        nobs, sw = int(ex[0]), float(ex[1])
        if sw <= 0:
            raise DataError("the weights sum to zero: nothing to fit")
        xm_k = st.mean_x[0]
        xs_k = np.sqrt(np.maximum(np.diagonal(st.xx[0]) / st.w[0], 0.0)) if settings.standardize else np.ones(p)
        ju = (st.x_min[0] < st.x_max[0]) & ~settings.exclude
        if not ju.any():
            raise ParameterError("all variables are constant or excluded: nothing to fit")
        xs_k = np.where(ju, xs_k, 1.0)
        if not settings.fit_intercept:
            xm_k = np.zeros(p)
        qy = ex[2] / sw
        if family == "binomial":
            q0 = qy
            if q0 <= CONTROL.pmin or q0 >= 1.0 - CONTROL.pmin:
                raise DataError(f"the null probability of fit {k} is {q0:.3g}: glmnet stops (error 8001/9001)")
            if offset is None:
                q0 = q0 if settings.fit_intercept else 0.5
                bz = math.log(q0 / (1.0 - q0)) if settings.fit_intercept else 0.0
                b0, dev1 = bz, -(bz * q0 + math.log(1.0 - q0))
            else:
                b0 = dev1 = float("nan")  # Newton passes below
                az_need.append(k)
            dev0 = dev1
        else:
            yb = qy
            if offset is None:
                b0 = math.log(yb) if settings.fit_intercept else 0.0
                dv0 = yb * (b0 - 1.0) if settings.fit_intercept else -1.0
            else:
                v0, tg = ex[5] / sw, ex[4] / sw
                b0 = math.log(yb / v0) if settings.fit_intercept else 0.0
                dv0 = tg - yb * (1.0 - b0) if settings.fit_intercept else tg - v0
            dev0 = -yb + ex[3] / sw - dv0
            dev1 = dv0
        fits.append(GramPathFit(k, family, settings, xm=xm_k, xs=xs_k, ju=ju, sw=sw, nobs=nobs, qy=qy, b0=b0, dev0=dev0,
                             dev1=dev1, ne=ne))

    if az_need:  # binomial with an offset: glmnet's azero, Newton on the intercept, one pass per step
        models = np.asarray(az_need)
        az = np.zeros(len(az_need))
        if settings.fit_intercept:
            going = np.ones(len(az_need), dtype=bool)
            while going.any():
                sums = run(_null_part, _add_arrays, models, az)
                tick("null")
                for i, k in enumerate(az_need):
                    if not going[i]:
                        continue
                    sw = fits[k].sw
                    d = (fits[k].qy - sums[i, 1] / sw) / (sums[i, 0] / sw)
                    az[i] += d
                    if abs(d) < 1e-7:
                        going[i] = False
                    if kinds["null"] > 200:
                        raise GlmNotSupported("the null model with the offset did not converge")
        sums = run(_null_part, _add_arrays, models, az)
        tick("null")
        for i, k in enumerate(az_need):
            f = fits[k]
            f.b0 = float(az[i])
            f.dev1 = -(f.b0 * f.qy + sums[i, 2] / f.sw)
            f.dev0 = f.dev1
            f.thr = settings.thresh * f.dev0
    for f in fits:
        if not f.dev0 > 0:
            raise GlmNotSupported(f"the null deviance of fit {f.k} is {f.dev0}: nothing to fit")

    # ---- the paths: all fits advance one IRLS step per pass
    while True:
        act = [f for f in fits if not f.done]
        if not act:
            break
        coefs = [f.pass_coefs(cx, sx) for f in act]
        want = np.logical_or.reduce([f.wanted() for f in act])
        S = np.flatnonzero(want)
        pa = _PassArgs(family, np.asarray([f.k for f in act]), np.column_stack([c[0] for c in coefs]),
                       np.asarray([c[1] for c in coefs]), cx, sx, fmax, S)
        st = run(_irls_part, _add_dicts, pa)
        tick("irls")
        A = np.zeros((len(act), p, p))
        A[:, S[:, None], S[None, :]] = st["A"]
        st["A"], st["cols"] = A, want
        for i, f in enumerate(act):
            f.advance(st, i, cx, sx)

    # ---- the CV pass at the full-data lambdas
    paths = [f.path() for f in fits]
    lam = paths[0]["lambda"]
    L = lam.shape[0]
    Bk = np.empty((K, p, L))
    c0k = np.empty((K, L))
    for k in range(1, K + 1):
        fp = paths[k]
        b = rules.interpolate(fp["beta"], fp["lambda"], lam)
        a0 = rules.interpolate(fp["a0"], fp["lambda"], lam)
        Bk[k - 1] = sx[:, None] * b
        c0k[k - 1] = a0 + cx @ b
    sums = run(_cv_part, _add_arrays, family, measure, Bk, c0k, cx, sx)
    tick("cv")
    with np.errstate(invalid="ignore", divide="ignore"):
        cvraw = sums[:, 0] / sums[:, 1]
    fold_w = sums[:, 2, 0]
    cv = rules.cv_summary(lam, cvraw, fold_w, maximize=False)
    if cv["lambda"].shape[0] != L:
        raise GlmNotSupported("some lambdas have no CV error (every held-out loss infinite)")
    full = paths[0]
    info = GlmDaskInfo(
        stats=GramStatsResult(stats=gstats, feature_names=plan.features, target=plan.target, n_rows=n_rows,
                              n_partitions=len(plan.parts), nfolds=K, fold_method=plan.fold_method, seed=plan.seed,
                              partition_rows=plan.lens),
        n_rows=n_rows, passes=sum(kinds.values()), pass_kinds=kinds,
    )
    out = {
        **cv, "nzero": (full["beta"] != 0).sum(axis=0).astype(np.int64), "name": params.measure_name(family, measure),
        "type_measure": measure, "a0": full["a0"], "beta": full["beta"], "dev_ratio": full["dev_ratio"],
        "nulldev": full["nulldev"], "df": full["df"], "foldid": None, "fit": None, "cvraw": cvraw,
        "fold_weights": fold_w, "engine": "glm-dask",
    }
    return out, info
