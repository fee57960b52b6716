"""R's ``fs``/``lar`` paths and ``fsInf``/``larInf``: selective inference along forward stepwise and LAR.

The first ``k`` steps of either path (variables entered and their signs) are a
polyhedron ``{Gamma y >= 0}``; :func:`fs_path` and :func:`lar_path` build it as R's
``fs(x, y)`` and ``lar(x, y)`` do, and :func:`fs_inf` / :func:`lar_inf` test the
``"active"`` steps, ``"all"`` variables after ``k`` steps, or the model AIC stops at.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal, Sequence

import numpy as np
from scipy import linalg

from .._polyhedral import forward_stop, pinv_sym, tg_interval, tg_limits, tg_pvalue
from .._validation import check_xy
from ..errors import DataError, ParameterError
from ._common import check_alpha, naive_ols, sigma_default
from .result import SelectiveResult, frame, row, selective_provenance

__all__ = ["PathFit", "fs_inf", "fs_path", "lar_inf", "lar_path"]


@dataclass
class PathFit:
    """A forward stepwise (``fs``) or LAR (``lar``) path with its selection polyhedron, as R's objects hold it.

    ``x``/``y`` are centred (and columns scaled to unit norm when ``normalize``),
    ``action`` the 0-based variable entering at each step, ``sign`` its sign,
    ``Gamma`` the constraint rows (``Gamma y >= 0`` is the event of the first ``k``
    steps for rows ``< nk[k-1]``), ``vreg`` the regression contrast of each step.
    """

    kind: str
    x: np.ndarray
    y: np.ndarray
    sx: np.ndarray
    action: list[int]
    sign: list[float]
    df: list[int]
    Gamma: np.ndarray
    nk: list[int]
    vreg: np.ndarray
    intercept: bool
    lambdas: list[float] = field(default_factory=list)


def _standardize(x: np.ndarray, y: np.ndarray, intercept: bool, normalize: bool):  # noqa: ANN202
    if intercept:
        x = x - x.mean(axis=0)
        y = y - y.mean()
    sx = np.sqrt(np.sum(x**2, axis=0)) if normalize else np.ones(x.shape[1])
    if normalize:
        if np.any(sx == 0):
            raise DataError("a column of X is constant (zero norm after centring); drop it")
        x = x / sx
    return x, y, sx


def _sgn(v: np.ndarray | float) -> np.ndarray:
    """selectiveInference's ``Sign``: ``Sign(0) = 1``."""
    return np.where(np.asarray(v) >= 0, 1.0, -1.0)


def _resid(X1: np.ndarray, M: np.ndarray) -> np.ndarray:
    q, _ = np.linalg.qr(X1)
    return M - q @ (q.T @ M)


def fs_path(X: np.ndarray, y: np.ndarray, *, maxsteps: int = 2000, intercept: bool = True,
            normalize: bool = True) -> PathFit:
    """R's ``fs(x, y, maxsteps, intercept, normalize)``: the forward stepwise path and its polyhedron."""
    x, y, sx = _standardize(np.asarray(X, float), np.asarray(y, float), intercept, normalize)
    n, p = x.shape
    w = x / np.sqrt(np.sum(x**2, axis=0))
    score = w.T @ y
    i = int(np.argmax(np.abs(score)))
    sh = float(_sgn(score[i]))
    rest = [c for c in range(p) if c != i]
    G = [(sh * w[:, i])[None, :] + w[:, rest].T, (sh * w[:, i])[None, :] - w[:, rest].T, (sh * w[:, i])[None, :]]
    gi = 2 * (p - 1) + 1
    action, signs, df, nk = [i], [sh], [0], [gi]
    vreg = [sh * x[:, i] / float(x[:, i] @ x[:, i])]
    A, I = [i], rest
    k = 2
    while k <= maxsteps:
        if len(A) == min(n - int(intercept), p):
            break
        XA = x[:, A]
        XI_res = _resid(XA, x[:, I])
        wk = XI_res / np.sqrt(np.sum(XI_res**2, axis=0))
        score = wk.T @ y
        ss = _sgn(score)
        ih = int(np.argmax(ss * score))
        sh = float(ss[ih])
        action.append(I[ih])
        df.append(len(A))
        wk = wk * ss
        others = [c for c in range(len(I)) if c != ih]
        G += [wk[:, ih][None, :] + wk[:, others].T, wk[:, ih][None, :] - wk[:, others].T, wk[:, ih][None, :]]
        gi += 2 * len(others) + 1
        nk.append(gi)
        vreg.append(sh * XI_res[:, ih] / float(XI_res[:, ih] @ XI_res[:, ih]))
        A = A + [I[ih]]
        I = [c for c in I if c != I[ih]]
        signs.append(sh)
        k += 1
    return PathFit(kind="fs", x=x, y=y, sx=sx, action=action, sign=signs, df=[d + int(intercept) for d in df],
                   Gamma=np.vstack(G), nk=nk, vreg=np.vstack(vreg), intercept=intercept)


def lar_path(X: np.ndarray, y: np.ndarray, *, maxsteps: int = 2000, minlam: float = 0.0, intercept: bool = True,
             normalize: bool = True) -> PathFit:
    """R's ``lar(x, y, maxsteps, minlam, intercept, normalize)``: the LAR path and its polyhedron."""
    x, y, sx = _standardize(np.asarray(X, float), np.asarray(y, float), intercept, normalize)
    n, p = x.shape
    uhat = x.T @ y
    i = int(np.argmax(np.abs(uhat)))
    lambdas = [float(abs(uhat[i]))]
    s = [float(_sgn(uhat[i]))]
    rest = [c for c in range(p) if c != i]
    G = [(s[0] * x[:, i])[None, :] + x[:, rest].T, (s[0] * x[:, i])[None, :] - x[:, rest].T, (s[0] * x[:, i])[None, :]]
    gi = 2 * (p - 1) + 1
    action, df, nk = [i], [0], [gi]
    vreg = [s[0] * x[:, i] / float(x[:, i] @ x[:, i])]
    A, I = [i], rest
    k = 2
    while k <= maxsteps and lambdas[-1] >= minlam:
        X1 = x[:, A]
        X2 = x[:, I]
        q, r = np.linalg.qr(X1)
        a = linalg.solve_triangular(r, q.T @ y)
        bvec = linalg.solve_triangular(r, linalg.solve_triangular(r, np.asarray(s), trans="T"))
        aa = X2.T @ (y - X1 @ a)
        bb = X2.T @ (X1 @ bvec)
        if len(A) == min(n - int(intercept), p):
            hit = 0.0
        else:
            shits = _sgn(aa)
            hits = aa / (shits - bb)
            hits[hits > lambdas[-1]] = 0
            ih = int(np.argmax(hits))
            hit = float(hits[ih])
            shit = float(shits[ih])
        if hit <= 0:
            break
        lambdas.append(hit)
        action.append(I[ih])
        df.append(len(A))
        X2perp = X2 - q @ (q.T @ X2)
        c = X2perp / (shits - bb)
        others = [j for j in range(len(I)) if j != ih]
        G += [shits[:, None] * X2perp.T, c[:, ih][None, :] - c[:, others].T, c[:, ih][None, :]]
        gi += len(I) + len(others) + 1
        nk.append(gi)
        vreg.append(shit * X2perp[:, ih] / float(X2perp[:, ih] @ X2perp[:, ih]))
        A = A + [I[ih]]
        I = [c_ for c_ in I if c_ != I[ih]]
        s.append(shit)
        k += 1
    return PathFit(kind="lar", x=x, y=y, sx=sx, action=action, sign=s, df=[d + int(intercept) for d in df],
                   Gamma=np.vstack(G), nk=nk, vreg=np.vstack(vreg), intercept=intercept, lambdas=lambdas)


def _aic_stop(x: np.ndarray, y: np.ndarray, action: list[int], df: list[int], sigma: float, mult: float,
              ntimes: int) -> tuple[int, np.ndarray, np.ndarray, bool]:
    """``aicStop``: AIC's stopping step and the constraints that make it part of the event."""
    n = y.size
    k = len(action)
    aic = []
    G, u = [], []
    count = 0
    i = 0
    for i in range(1, k + 1):
        Aset = action[:i]
        xa = x[:, Aset]
        coef, *_ = np.linalg.lstsq(xa, y, rcond=None)
        res = y - xa @ coef
        aic.append(float(res @ res) + mult * sigma**2 * df[i - 1])
        j = action[i - 1]
        xtil = x[:, j] if i == 1 else _resid(x[:, action[: i - 1]], x[:, [j]])[:, 0]
        sgn = float(np.sign(xtil @ y))
        if i == 1 or aic[i - 1] <= aic[i - 2]:
            G.append(sgn * xtil / math.sqrt(float(xtil @ xtil)))
            u.append(math.sqrt(mult) * sigma)
            count = 0
        else:
            G.append(-sgn * xtil / math.sqrt(float(xtil @ xtil)))
            u.append(-math.sqrt(mult) * sigma)
            count += 1
            if count == ntimes:
                break
    stopped = i < k
    khat = i - ntimes if stopped else k
    return khat, np.vstack(G) if G else np.zeros((0, n)), np.asarray(u), stopped


def _path_inf(path: PathFit, names: list[str], x_orig: np.ndarray, y_orig: np.ndarray, sigma: float | None,
              alpha: float, k: int | None, type: str, gridrange: Sequence[float], mult: float, ntimes: int) -> SelectiveResult:
    check_alpha(alpha, gridrange)
    if type not in ("active", "all", "aic"):
        raise ParameterError(f"type={type!r} is not valid; use 'active', 'all' or 'aic'")
    if sigma is not None and not sigma > 0:
        raise ParameterError(f"sigma={sigma} must be > 0")
    if k is not None and (int(k) != k or k < 1):
        raise ParameterError(f"k={k} must be an integer >= 1")
    if mult < 0:
        raise ParameterError("mult must be >= 0")
    if ntimes <= 0 or int(ntimes) != ntimes:
        raise ParameterError("ntimes must be an integer > 0")
    nsteps = len(path.action)
    if k is None:
        if type == "all":
            raise ParameterError("k (the number of steps) must be given when type='all'")
        k = nsteps
    k = min(int(k), nsteps)
    x, y = path.x, path.y
    n, p = x.shape
    if sigma is None:
        sigma = sigma_default(x, y, path.intercept)
    G, nk, sx = path.Gamma, path.nk, path.sx
    method = "forward-stepwise" if path.kind == "fs" else "lar"
    khat = None
    rows = []
    s2 = sigma**2
    if type == "active":
        vars_ = path.action[:k]
        naive = naive_ols(x_orig, y_orig, vars_, path.intercept)
        pvs = []
        for j in range(k):
            Aj = -G[: nk[j]]
            bj = np.zeros(nk[j])
            vj = path.vreg[j]
            mj = math.sqrt(float(vj @ vj))
            vj = vj / mj
            lim = tg_limits(y, Aj, bj, vj, s2)
            pv = tg_pvalue(lim)
            pvs.append(pv)
            sxj = sx[vars_[j]]
            ci, tail = tg_interval(lim, alpha=alpha, gridrange=gridrange, flip=path.sign[j] == -1)
            vm = vj * mj / sxj
            est = path.sign[j] * float(vm @ y)
            rows.append(row(names[vars_[j]], est, pv, (ci[0] * mj / sxj, ci[1] * mj / sxj),
                             lim.vlo * mj / sxj, lim.vup * mj / sxj, path.sign[j], tail, naive[j]))
        khat = forward_stop(np.asarray(pvs), alpha)
        cond = f"each step j of the first {k} steps of the path (variables entered and signs up to step j)"
    else:
        if type == "aic":
            khat, Ga, ua, stopped = _aic_stop(x, y, path.action[:k], path.df[:k], sigma, mult, int(ntimes))
            if khat < 1:
                raise ParameterError("AIC stops before the first step: there is no model to test")
            m = int(stopped) * int(ntimes)
            Gc = np.vstack([Ga, G[: nk[khat + m - 1]]])
            u = np.concatenate([ua, np.zeros(nk[khat + m - 1])])
            kk = khat
            cond = (f"the first {khat + m} steps of the path with their signs and the AIC stop at step {khat} "
                    f"(mult = {mult:g}, ntimes = {ntimes})")
        else:
            Gc = G[: nk[k - 1]]
            u = np.zeros(nk[k - 1])
            kk = k
            cond = f"the first {k} steps of the path (variables entered and their signs)"
        vars_ = path.action[:kk]
        xa = x[:, vars_]
        M = pinv_sym(xa.T @ xa) @ xa.T
        naive = naive_ols(x_orig, y_orig, vars_, path.intercept)
        for j in range(kk):
            vj = M[j]
            mj = math.sqrt(float(vj @ vj))
            vj = vj / mj
            sgn = float(np.sign(vj @ y))
            vj = sgn * vj
            Aj = -np.vstack([Gc, vj[None, :]])
            bj = -np.concatenate([u, [0.0]])
            lim = tg_limits(y, Aj, bj, vj, s2)
            pv = tg_pvalue(lim)
            sxj = sx[vars_[j]]
            ci, tail = tg_interval(lim, alpha=alpha, gridrange=gridrange, flip=sgn == -1)
            vm = vj * mj / sxj
            rows.append(row(names[vars_[j]], sgn * float(vm @ y), pv, (ci[0] * mj / sxj, ci[1] * mj / sxj),
                             lim.vlo * mj / sxj, lim.vup * mj / sxj, sgn, tail, naive[j]))
    return SelectiveResult(method=method, family="gaussian", type=type, table=frame(rows), feature_names=names,
                           alpha=alpha, sigma=float(sigma), n_rows=n, conditioning=cond, k=k, khat=khat,
                           provenance=selective_provenance())


def fs_inf(X: Any, y: Any, *, sigma: float | None = None, alpha: float = 0.1, k: int | None = None,
           type: Literal["active", "all", "aic"] = "active", maxsteps: int = 2000, intercept: bool = True,
           normalize: bool = True, gridrange: tuple[float, float] = (-100, 100), mult: float = 2.0,
           ntimes: int = 2, feature_names: Sequence[str] | None = None) -> SelectiveResult:
    """Selective inference for forward stepwise regression: R's ``fsInf(fs(x, y), ...)``.

    ``type="active"`` tests, at each step j, the variable entering (its partial
    coefficient given the earlier ones), conditioning on the path up to step j;
    ``khat`` is the ForwardStop rule's step at ``alpha``. ``type="all"`` tests every
    variable of the model after ``k`` steps (``k`` required); ``type="aic"`` the
    model AIC stops at (``mult``: AIC's penalty per df, ``ntimes``: steps past the
    minimum before stopping). Estimates and intervals are on the scale of the
    original columns (R divides by ``sx``).

    Examples
    --------
    >>> import numpy as np
    >>> from statprune import fs_inf
    >>> rng = np.random.default_rng(1)
    >>> X = rng.standard_normal((50, 5)); y = 3 * X[:, 2] + rng.standard_normal(50)
    >>> res = fs_inf(X, y, sigma=1.0, k=3, type="all")
    >>> res.active[0], bool(res.table.loc[0, "p_value"] < 1e-6)
    ('x3', True)
    """
    Xa, ya, names = check_xy(X, y, feature_names)
    path = fs_path(Xa, ya, maxsteps=maxsteps, intercept=intercept, normalize=normalize)
    return _path_inf(path, names, Xa, ya, sigma, alpha, k, type, gridrange, mult, ntimes)


def lar_inf(X: Any, y: Any, *, sigma: float | None = None, alpha: float = 0.1, k: int | None = None,
            type: Literal["active", "all", "aic"] = "active", maxsteps: int = 2000, minlam: float = 0.0,
            intercept: bool = True, normalize: bool = True, gridrange: tuple[float, float] = (-100, 100),
            mult: float = 2.0, ntimes: int = 2, feature_names: Sequence[str] | None = None) -> SelectiveResult:
    """Selective inference for least angle regression: R's ``larInf(lar(x, y), ...)``.

    Types as :func:`fs_inf`. (R's ``larInf`` also returns the spacing, modified
    spacing and covariance-test p-values for ``type="active"``; they are not
    computed here.)

    Examples
    --------
    >>> import numpy as np
    >>> from statprune import lar_inf
    >>> rng = np.random.default_rng(1)
    >>> X = rng.standard_normal((50, 5)); y = 3 * X[:, 2] + rng.standard_normal(50)
    >>> res = lar_inf(X, y, sigma=1.0)
    >>> res.active[0]
    'x3'
    """
    Xa, ya, names = check_xy(X, y, feature_names)
    path = lar_path(Xa, ya, maxsteps=maxsteps, minlam=minlam, intercept=intercept, normalize=normalize)
    return _path_inf(path, names, Xa, ya, sigma, alpha, k, type, gridrange, mult, ntimes)

