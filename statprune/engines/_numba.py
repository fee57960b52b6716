"""The Gaussian path kernels of :mod:`statprune.engines.gram` in numba (the fallback of the C kernels).

:mod:`statprune.engines._native` compiles ``_native/elnet.c`` (the same iterations)
once per machine and loads it with ctypes, so a fresh process needs no JIT; these
numba versions run where no C compiler is available.  Both are kept on purpose: C
for start-up time (no JIT in every new process), numba for installations without
a compiler; they cannot share source, and ``tests/test_gram.py`` checks that they
give bit-identical paths.  Only the Gaussian paths have a numba twin: the
binomial/poisson engine needs the C kernel (without it the caller runs R).
Imported lazily (numba's import and JIT are heavy): ``import statprune.engines.gram``
does not import numba.
"""

from __future__ import annotations

import math

import numpy as np

from numba import njit as _njit


@_njit(cache=True, nogil=True, inline="always")
def _coordinate(gk, ak, xvk, vpk, lo, hi, ab, dem):  # pragma: no cover - compiled
    """glmnet's coordinate update: soft-threshold ``gk + ak * xvk`` at ``vpk * ab``, scale, clip to the limits."""
    u = gk + ak * xvk
    v = abs(u) - vpk * ab
    if v > 0.0:
        return max(lo, min(hi, math.copysign(v, u) / (xvk + vpk * dem)))
    return 0.0


@_njit(cache=True, nogil=True, inline="always")
def _path_arrays(nlam, ni):  # pragma: no cover - compiled
    """Coefficients, the path outputs (``ao``, ``almo``, ``rsqo``) and the active set (order, flags)."""
    return (np.zeros(ni), np.zeros((nlam, ni)), np.zeros(nlam), np.zeros(nlam), np.zeros(ni, dtype=np.int64),
            np.zeros(ni, dtype=np.bool_))


@_njit(cache=True, nogil=True, inline="always")
def _take_step(G, g, k, d, gk, xvk, dlx, rsq):  # pragma: no cover - compiled
    """Apply coefficient ``k``'s change ``d`` (gradient ``gk`` before it): glmnet's convergence
    measure ``max(xv_k d^2)``, the R^2 gain and the gradient update through row ``k`` of ``G``."""
    dlx = max(xvk * d * d, dlx)
    rsq += d * (2.0 * gk - d * xvk)
    row = G[k]
    for j in range(G.shape[0]):  # rows of excluded variables are zero: g[j] unchanged
        g[j] -= row[j] * d
    return dlx, rsq


@_njit(cache=True, nogil=True, inline="always")
def _path_constants(beta, flmin, eps, nlam, mnlam):  # pragma: no cover - compiled
    """``1 - alpha``, the ratio of consecutive lambdas, the fewest lambdas before a path may stop and
    the lambda before the first (0: :func:`_lambda_value` starts from it)."""
    return 1.0 - beta, _lambda_ratio(flmin, eps, nlam), min(mnlam, nlam), 0.0


@_njit(cache=True, nogil=True, inline="always")
def _strong_rule(strong, gabs, ju, vp, beta, alm, prev):  # pragma: no cover - compiled
    """The sequential strong rule: ``j`` enters when ``|g_j| > alpha (2 lambda - lambda_prev) vp_j``."""
    tlam = beta * (2.0 * alm - prev)
    for j in range(gabs.shape[0]):
        if ju[j] and not strong[j] and gabs[j] > tlam * vp[j]:
            strong[j] = True


@_njit(cache=True, nogil=True, inline="always")
def _lambda_ratio(flmin, eps, nlam):  # pragma: no cover - compiled
    """The ratio of consecutive lambdas of a computed sequence (1 for a user sequence)."""
    if flmin < 1.0:
        eqs = max(eps, flmin)
        return eqs ** (1.0 / (nlam - 1.0))
    return 1.0


@_njit(cache=True, nogil=True, inline="always")
def _lambda_value(m, alm, alf, flmin, ulam, big, beta, grad, ju, vp):  # pragma: no cover - compiled
    """The ``m``-th lambda of glmnet's path and the previous one for the strong rule.

    A user sequence (``flmin >= 1``) is read from ``ulam``; otherwise the first value is
    ``big`` (every coefficient zero), the second ``lambda_max * alf`` with ``lambda_max``
    from the absolute gradients ``grad`` of the penalized variables, then ``* alf``.
    """
    if flmin >= 1.0:
        return ulam[m], alm
    if m > 1:
        return alm * alf, alm
    if m == 0:
        return big, alm
    alm0 = 0.0
    for j in range(grad.shape[0]):
        if (not ju[j]) or vp[j] <= 0.0:
            continue
        alm0 = max(alm0, abs(grad[j]) / vp[j])
    alm0 = alm0 / max(beta, 1e-3)
    return alm0 * alf, alm0


@_njit(cache=True, nogil=True)
def _partial_fit(G, Ga, g, a, xv, vp, cl, ia, nin, active, ju, da, ga, aa, tmp, ab, dem, thr, maxit, nlp, rsq):  # pragma: no cover - compiled
    """Coordinate descent restricted to the active set, then the gradient update of the others.

    Works on compact copies (``Ga`` is the active-set Gram matrix, kept up to date
    as variables enter): the arithmetic is glmnet's, the memory access contiguous.
    """
    ni = G.shape[0]
    for l in range(nin):
        k = ia[l]
        da[l] = a[k]
        aa[l] = a[k]
        ga[l] = g[k]
    failed = False
    while True:
        nlp += 1
        dlx = 0.0
        for l in range(nin):
            k = ia[l]
            ak = aa[l]
            anew = _coordinate(ga[l], ak, xv[k], vp[k], cl[0, k], cl[1, k], ab, dem)
            aa[l] = anew
            if anew == ak:
                continue
            d = anew - ak
            dlx = max(xv[k] * d * d, dlx)
            rsq += d * (2.0 * ga[l] - d * xv[k])
            row = Ga[l]
            for jj in range(nin):
                ga[jj] -= row[jj] * d
        if dlx < thr:
            break
        if nlp > maxit:
            failed = True
            break
    for l in range(nin):
        k = ia[l]
        a[k] = aa[l]
        g[k] = ga[l]
    if failed:
        return nlp, rsq, True
    for j in range(ni):
        tmp[j] = 0.0
    for l in range(nin):
        dl = da[l] - aa[l]
        if dl == 0.0:
            continue
        row = G[ia[l]]
        for j in range(ni):
            tmp[j] += dl * row[j]
    for j in range(ni):
        if active[j] or not ju[j]:
            continue
        g[j] += tmp[j]
    return nlp, rsq, False


@_njit(cache=True, nogil=True)
def _record_lambda(m, a, ia, nin, rsq, rsq0, alm, ao, rsqo, almo, mnl, flmin, ne, sml, rsqmax):  # pragma: no cover - compiled
    """Store the solution at the ``m``-th lambda (both glmnet methods); True when glmnet's path
    stops there: more than ``ne`` nonzero, or, after ``mnl`` lambdas on a computed sequence, a
    relative deviance gain below ``sml`` or a deviance ratio above ``rsqmax``."""
    me = 0
    for l in range(nin):
        ao[m, ia[l]] = a[ia[l]]
        if a[ia[l]] != 0.0:
            me += 1
    rsqo[m] = rsq
    almo[m] = alm
    if m + 1 < mnl or flmin >= 1.0:
        return False
    prop = np.inf if rsq == 0.0 else (rsq - rsq0) / rsq
    return me > ne or prop < sml or rsq > rsqmax


@_njit(cache=True, nogil=True, inline="always")
def _close_lambda(m, failed, a, ia, nin, rsq, rsq0, alm, ao, rsqo, almo, mnl, flmin, ne, sml, rsqmax):  # pragma: no cover - compiled
    """``(stop, lmu, jerr)`` after the ``m``-th lambda: a failed fit stops the path with ``m`` lambdas
    done and glmnet's ``jerr = -(m + 1)``; else the solution is stored (:func:`_record_lambda`)."""
    if failed:
        return True, m, -(m + 1)
    return _record_lambda(m, a, ia, nin, rsq, rsq0, alm, ao, rsqo, almo, mnl, flmin, ne, sml, rsqmax), m + 1, 0


@_njit(cache=True, nogil=True)
def _elnet_cov_path(G, g_in, xv, vp, cl, ju, beta, flmin, ulam, nlam, thr, maxit, sml, rsqmax, mnlam, eps, big, ne):  # pragma: no cover - compiled
    """glmnetpp's dense Gaussian covariance path (ElnetPath<gaussian, cov>), on a precomputed Gram matrix.

    ``G`` must be exactly symmetric with zero rows/columns for excluded variables.
    """
    ni = G.shape[0]
    g = g_in.copy()
    a, ao, almo, rsqo, ia, active = _path_arrays(nlam, ni)
    Ga = np.zeros((ni, ni))
    da = np.zeros(ni)
    ga = np.zeros(ni)
    aa = np.zeros(ni)
    tmp = np.zeros(ni)
    nin, nlp, jerr, lmu, rsq, iz = 0, 0, 0, 0, 0.0, False  # active, passes, error, lambdas done, R^2, warm
    omb, alf, mnl, alm = _path_constants(beta, flmin, eps, nlam, mnlam)
    for m in range(nlam):
        alm, _ = _lambda_value(m, alm, alf, flmin, ulam, big, beta, g, ju, vp)
        dem, ab, rsq0 = alm * omb, alm * beta, rsq
        failed = False
        if iz:
            nlp, rsq, failed = _partial_fit(G, Ga, g, a, xv, vp, cl, ia, nin, active, ju, da, ga, aa, tmp, ab, dem,
                                            thr, maxit, nlp, rsq)
        while not failed:
            # full pass over all variables
            nlp += 1
            dlx = 0.0
            for k in range(ni):
                if not ju[k]:
                    continue
                ak = a[k]
                anew = _coordinate(g[k], ak, xv[k], vp[k], cl[0, k], cl[1, k], ab, dem)
                a[k] = anew
                if anew == ak:
                    continue
                if not active[k]:
                    row = G[k]
                    for l in range(nin):
                        c = row[ia[l]]
                        Ga[nin, l] = c
                        Ga[l, nin] = c
                    Ga[nin, nin] = row[k]
                    ia[nin] = k
                    nin += 1
                    active[k] = True
                dlx, rsq = _take_step(G, g, k, anew - ak, g[k], xv[k], dlx, rsq)
            if dlx < thr:
                break
            if nlp > maxit:
                failed = True
                break
            iz = True
            nlp, rsq, failed = _partial_fit(G, Ga, g, a, xv, vp, cl, ia, nin, active, ju, da, ga, aa, tmp, ab, dem,
                                            thr, maxit, nlp, rsq)
        stop, lmu, jerr = _close_lambda(m, failed, a, ia, nin, rsq, rsq0, alm, ao, rsqo, almo, mnl, flmin, ne, sml,
                                        rsqmax)
        if stop:
            break
    return lmu, ao, almo, rsqo, nlp, jerr


@_njit(cache=True, nogil=True, inline="always")
def _naive_update(G, g, a, xv, vp, cl, k, ab, dem, dlx, rsq):  # pragma: no cover - compiled
    """glmnet's update of coefficient ``k`` in place (naive mode): ``(moved, dlx, rsq)``; when it
    moves, :func:`_take_step` updates the convergence measure, R^2 and the gradients."""
    ak = a[k]
    gk = g[k]
    anew = _coordinate(gk, ak, xv[k], vp[k], cl[0, k], cl[1, k], ab, dem)
    a[k] = anew
    if anew == ak:
        return False, dlx, rsq
    dlx, rsq = _take_step(G, g, k, anew - ak, gk, xv[k], dlx, rsq)
    return True, dlx, rsq


@_njit(cache=True, nogil=True)
def _naive_pass(G, g, a, xv, vp, cl, sel, ia, nin, active, ab, dem, rsq):  # pragma: no cover - compiled
    """One coordinate-descent pass over the variables flagged in ``sel`` (naive-mode order)."""
    ni = G.shape[0]
    dlx = 0.0
    for k in range(ni):
        if not sel[k]:
            continue
        moved, dlx, rsq = _naive_update(G, g, a, xv, vp, cl, k, ab, dem, dlx, rsq)
        if moved and not active[k]:
            ia[nin] = k
            nin += 1
            active[k] = True
    return dlx, nin, rsq


@_njit(cache=True, nogil=True)
def _naive_active_pass(G, g, a, xv, vp, cl, ia, nin, ab, dem, rsq):  # pragma: no cover - compiled
    """One pass over the active set in order of entry (naive mode)."""
    dlx = 0.0
    for l in range(nin):
        k = ia[l]
        _, dlx, rsq = _naive_update(G, g, a, xv, vp, cl, k, ab, dem, dlx, rsq)
    return dlx, rsq


@_njit(cache=True, nogil=True)
def _naive_active_loop(G, g, a, xv, vp, cl, ia, nin, ab, dem, rsq, thr, maxit, nlp):  # pragma: no cover - compiled
    """Active-set passes until converged (``failed``: ``maxit`` passes reached first)."""
    while True:
        nlp += 1
        dlx, rsq = _naive_active_pass(G, g, a, xv, vp, cl, ia, nin, ab, dem, rsq)
        if dlx < thr:
            return nlp, rsq, False
        if nlp > maxit:
            return nlp, rsq, True


@_njit(cache=True, nogil=True)
def _elnet_naive_path(G, g_in, xv, vp, cl, ju, beta, flmin, ulam, nlam, thr, maxit, sml, rsqmax, mnlam, eps, big, ne):  # pragma: no cover - compiled
    """glmnetpp's dense Gaussian *naive* path (what R uses when ``nvars >= 500``), on a Gram matrix.

    Same iterations as the naive method (strong-rule set, KKT checks on the stale
    absolute gradients, full passes over the strong set, active-set passes); the
    gradient ``x_k'r`` is maintained through the Gram matrix instead of recomputed
    from the residual, which is equal up to rounding.
    """
    ni = G.shape[0]
    g = g_in.copy()
    gabs = np.zeros(ni)  # glmnet's stored absolute gradient (refreshed only at KKT checks)
    for j in range(ni):
        if ju[j]:
            gabs[j] = abs(g[j])
    a, ao, almo, rsqo, ia, active = _path_arrays(nlam, ni)
    strong = np.zeros(ni, dtype=np.bool_)
    nin, nlp, jerr, lmu, rsq, iz = 0, 0, 0, 0, 0.0, False  # active, passes, error, lambdas done, R^2, warm
    omb, alf, mnl, alm = _path_constants(beta, flmin, eps, nlam, mnlam)
    for m in range(nlam):
        alm, prev = _lambda_value(m, alm, alf, flmin, ulam, big, beta, gabs, ju, vp)
        dem, ab, rsq0 = alm * omb, alm * beta, rsq
        _strong_rule(strong, gabs, ju, vp, beta, alm, prev)
        failed = False
        if iz:  # warm start: active-set passes first
            nlp, rsq, failed = _naive_active_loop(G, g, a, xv, vp, cl, ia, nin, ab, dem, rsq, thr, maxit, nlp)
        while not failed:
            done = False
            while True:  # full passes over the strong set until converged and the KKT conditions hold
                if nlp > maxit:
                    failed = True
                    break
                nlp += 1
                dlx, nin, rsq = _naive_pass(G, g, a, xv, vp, cl, strong, ia, nin, active, ab, dem, rsq)
                if dlx < thr:
                    updated = False
                    for j in range(ni):
                        if strong[j] or not ju[j]:
                            continue
                        gabs[j] = abs(g[j])
                        if gabs[j] > ab * vp[j]:
                            strong[j] = True
                            updated = True
                    if not updated:
                        done = True
                        break
                    continue
                if nlp > maxit:
                    failed = True
                break
            if failed or done:
                break
            iz = True
            nlp, rsq, failed = _naive_active_loop(G, g, a, xv, vp, cl, ia, nin, ab, dem, rsq, thr, maxit, nlp)
        stop, lmu, jerr = _close_lambda(m, failed, a, ia, nin, rsq, rsq0, alm, ao, rsqo, almo, mnl, flmin, ne, sml,
                                        rsqmax)
        if stop:
            break
    return lmu, ao, almo, rsqo, nlp, jerr


