"""Reference solvers for the certified crosscheck: glmnet's problem handed to other libraries (private).

Each adapter takes a :class:`statprune.mapping.GlmnetProblem` and glmnet's
``lambda``, maps them to the library's parameters with the functions of
:mod:`statprune.crosscheck.mapping` (documented in ``docs/lambdamapping.md``), fits, and
returns a :class:`Solution`: the coefficients on glmnet's (original x) scale plus
the library's *own* problem (:class:`statprune.crosscheck._certify.PenalisedProblem`) with
the parameters it was actually given, and the solution on that problem's scale.
:mod:`statprune.crosscheck._certify` then tells "the library did not converge" (KKT violated
on its own problem) apart from "the library solved a different problem" (KKT
satisfied on its own problem, violated on glmnet's: a mapping error).

Engines (measured on glmnet's example data and MASS, see ``docs/lambdamapping.md``):

``sklearn``     ``ElasticNet`` / ``LogisticRegression(solver="saga")`` / ``PoissonRegressor`` (ridge)
``glum``        ``GeneralizedLinearRegressor`` (gaussian, binomial, poisson; weights, offsets, P1/P2 penalty factors)
``skglm``       ``GeneralizedLinearEstimator`` with ``Quadratic``/``Logistic``/``Poisson`` and ``L1``,
                ``WeightedL1`` or ``L1_plus_L2`` (no sample weights, no offsets)
``scipy``       ``scipy.optimize.minimize(method="L-BFGS-B")`` on glmnet's objective written in split
                form (``b = b+ - b-``, ``b+/- >= 0``): the stronger reference of last resort, every family
``statsmodels`` ``GLM.fit_regularized(method="elastic_net")`` (binomial, poisson; only when asked for: it
                does not reach the optimum on glmnet's PoissonExample whatever ``maxiter``)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import minimize

from ..errors import SolverNotSupported as Unsupported
from . import _certify, mapping

__all__ = ["ENGINES", "REFERENCE_ENGINES", "Solution", "Unsupported", "solve"]

ENGINES = ("sklearn", "glum", "skglm", "scipy", "statsmodels")
#: engines used by default, per family, in order of preference (each measured to reach glmnet's optimum)
REFERENCE_ENGINES = {
    "gaussian": ("sklearn", "glum"),
    "binomial": ("sklearn", "glum"),
    "poisson": ("glum", "skglm", "sklearn"),  # sklearn: ridge only (PoissonRegressor)
    "multinomial": ("sklearn", "scipy"),
}
#: engines of the path and CV stages (many fits: the ones with fast warm-started paths first)
STAGE_ENGINES = {
    "gaussian": ("sklearn", "glum", "skglm", "scipy"),
    "binomial": ("glum", "skglm", "scipy", "sklearn"),  # saga is slow near separation (small lambdas)
    "poisson": ("glum", "skglm", "scipy"),
    "multinomial": ("scipy", "sklearn"),  # saga can stop with the intercepts short of the optimum when every coefficient is 0
}
#: tried, in this order, when fewer than two engines are certified
STRONGER = ("glum", "scipy", "skglm")


@dataclass
class Solution:
    engine: str
    estimator: str
    param_name: str
    param_value: float
    lambda_equivalent: float
    intercept: np.ndarray  # (1,) or (K,)
    coef: np.ndarray  # (p,) or (K, p), glmnet's original x scale
    classes: list[str] | None = None
    n_iter: Any = None
    native: tuple[_certify.PenalisedProblem, Any, Any] | None = None
    settings: dict[str, Any] = field(default_factory=dict)


# glum and skglm are optional (the [crosscheck] extra): imported on first use, so that a missing one makes its engine
# Unsupported (skipped with the install line) instead of failing the crosscheck
def _glum_estimator() -> Any:
    try:
        from glum import GeneralizedLinearRegressor  # noqa: PLC0415 - deferred: glum/skglm are optional (the [crosscheck] extra)
    except ImportError:
        raise Unsupported("glum is not installed (pip install 'statprune[crosscheck]')") from None
    return GeneralizedLinearRegressor


def _skglm_modules() -> dict[str, Any]:
    try:
        from skglm import GeneralizedLinearEstimator  # noqa: PLC0415 - deferred: glum/skglm are optional (the [crosscheck] extra)
        from skglm.datafits import Logistic, Poisson, Quadratic  # noqa: PLC0415 - deferred: glum/skglm are optional (the [crosscheck] extra)
        from skglm.penalties import L1, L1_plus_L2, WeightedL1  # noqa: PLC0415 - deferred: glum/skglm are optional (the [crosscheck] extra)
        from skglm.solvers import AndersonCD, ProxNewton  # noqa: PLC0415 - deferred: glum/skglm are optional (the [crosscheck] extra)
    except ImportError:
        raise Unsupported("skglm is not installed (pip install 'statprune[crosscheck]')") from None
    return dict(GeneralizedLinearEstimator=GeneralizedLinearEstimator, Logistic=Logistic, Poisson=Poisson, Quadratic=Quadratic, L1=L1,
                L1_plus_L2=L1_plus_L2, WeightedL1=WeightedL1, AndersonCD=AndersonCD, ProxNewton=ProxNewton)


def _onehot(y: np.ndarray, classes: list[str]) -> np.ndarray:
    yv = np.asarray([str(v) for v in y])
    return (yv[:, None] == np.asarray(classes)[None, :]).astype(float)


def solve(engine: str, prob: mapping.GlmnetProblem, lam: float, *, classes: list[str] | None = None, offset: Any = None,
          options: dict[str, Any] | None = None, strong: bool = False) -> Solution:
    """Fit glmnet's problem ``prob`` at ``lam`` with ``engine``; ``strong`` asks for a larger budget."""
    opts = dict(options or {})
    fn = {"sklearn": _sklearn, "glum": _glum, "skglm": _skglm, "scipy": _scipy, "statsmodels": _statsmodels}.get(engine)
    if fn is None:
        raise Unsupported(f"unknown engine {engine!r}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(prob, lam, classes=classes, offset=offset, opts=opts, strong=strong)


# --------------------------------------------------------------------------- scikit-learn
def _sklearn(prob, lam, *, classes, offset, opts, strong):
    if offset is not None:
        raise Unsupported("scikit-learn's linear models take no offset")
    if not prob.sklearn_ok:
        raise Unsupported("scikit-learn has no per-feature penalty (column rescaling covers the lasso with positive factors only)")
    if prob.family == "poisson" and prob.alpha != 0.0:
        raise Unsupported("scikit-learn's PoissonRegressor has only an L2 penalty")
    tol = opts.get("tol", 1e-14 if strong else 1e-12)
    max_iter = opts.get("max_iter", 1_000_000)
    ref = mapping.refit(prob, lam, "sklearn", tol=tol, max_iter=max_iter)
    native = None
    Z = prob.X / prob.col_scale
    if prob.family == "gaussian" and not np.any(prob.pf == 0):
        a = ref.param_value
        sw = prob.w / prob.w.sum()
        nat = _certify.PenalisedProblem("gaussian", Z, prob.y / prob.s_y, sw, np.full(prob.X.shape[1], a * prob.alpha),
                                        np.full(prob.X.shape[1], a * (1 - prob.alpha)), None, prob.fit_intercept, a, "sklearn")
        native = (nat, ref.intercept / prob.s_y, ref.coef * prob.col_scale / prob.s_y)
    elif prob.family in ("binomial", "multinomial"):
        C = ref.param_value
        sw_sum = float(prob.w.sum())
        s = 1.0 / (C * sw_sum)
        yy = (np.asarray(prob.y, dtype=float) if prob.family == "binomial" else _onehot(prob.y, ref.classes))
        p = prob.X.shape[1]
        nat = _certify.PenalisedProblem(prob.family, Z, yy, prob.w / sw_sum, np.full(p, s * prob.alpha), np.full(p, s * (1 - prob.alpha)),
                                        None, prob.fit_intercept, s, "sklearn")
        native = (nat, ref.intercept, ref.coef * prob.col_scale)
    elif prob.family == "poisson":
        a = ref.param_value
        p = prob.X.shape[1]
        nat = _certify.PenalisedProblem("poisson", Z, prob.y, prob.w / prob.w.sum(), np.zeros(p), np.full(p, a), None, prob.fit_intercept, a, "sklearn")
        native = (nat, ref.intercept, ref.coef * prob.col_scale)
    return Solution("sklearn", ref.estimator, ref.param_name, ref.param_value, ref.lambda_equivalent, ref.intercept, ref.coef,
                    ref.classes, ref.n_iter, native, dict(tol=tol, max_iter=max_iter))


# --------------------------------------------------------------------------- glum
def _glum(prob, lam, *, classes, offset, opts, strong):
    fam = prob.family
    if fam == "multinomial":
        raise Unsupported("glum has no multinomial family")
    GeneralizedLinearRegressor = _glum_estimator()

    a = mapping.glum_alpha(lam, prob.s_y if fam == "gaussian" else 1.0)
    gtol = opts.get("gradient_tol", 1e-10 if strong else 1e-8)
    max_iter = opts.get("max_iter", 1000 if strong else 300)
    Z = prob.X / prob.x_sd
    yy = prob.y / prob.s_y if fam == "gaussian" else np.asarray(prob.y, dtype=float)
    off = None if offset is None else np.asarray(offset, dtype=float) / (prob.s_y if fam == "gaussian" else 1.0)
    m = GeneralizedLinearRegressor(family={"gaussian": "normal", "binomial": "binomial", "poisson": "poisson"}[fam], alpha=a, l1_ratio=prob.alpha,
                                   P1=prob.pf, P2=prob.pf, fit_intercept=prob.fit_intercept, scale_predictors=False, gradient_tol=gtol,
                                   max_iter=max_iter, step_size_tol=1e-16 if strong else None)
    m.fit(Z, yy, sample_weight=prob.w, offset=off)
    s = prob.s_y if fam == "gaussian" else 1.0
    coef = np.asarray(m.coef_, dtype=float) * s / prob.x_sd
    icpt = np.atleast_1d(float(m.intercept_) * s)
    nat = _certify.PenalisedProblem(fam, Z, yy, prob.w / prob.w.sum(), a * prob.alpha * prob.pf, a * (1 - prob.alpha) * prob.pf, off,
                                    prob.fit_intercept, a, "glum")
    pf_txt = "" if np.allclose(prob.pf, 1.0) else ", P1=P2=penalty factors"
    est = f"GeneralizedLinearRegressor(family={m.family!r}, alpha={a:.6g}, l1_ratio={prob.alpha:g}{pf_txt})" + (f" on y/{s:.6g}" if fam == "gaussian" else "")
    return Solution("glum", est, "alpha", a, a * s, icpt, coef, None, m.n_iter_, (nat, np.atleast_1d(m.intercept_), np.asarray(m.coef_)),
                    dict(gradient_tol=gtol, max_iter=max_iter))


# --------------------------------------------------------------------------- skglm
def _skglm(prob, lam, *, classes, offset, opts, strong):
    fam = prob.family
    if fam == "multinomial":
        raise Unsupported("skglm has no multinomial datafit")
    if offset is not None:
        raise Unsupported("skglm's datafits take no offset")
    if not np.allclose(prob.w, 1.0):
        raise Unsupported("skglm's Logistic/Poisson/Quadratic datafits take no sample weights")
    if prob.alpha < 1.0 and not np.allclose(prob.pf, 1.0):
        raise Unsupported("skglm has no weighted elastic net (WeightedL1 is L1 only)")
    skglm = _skglm_modules()
    GeneralizedLinearEstimator = skglm["GeneralizedLinearEstimator"]
    Logistic, Poisson, Quadratic = skglm["Logistic"], skglm["Poisson"], skglm["Quadratic"]
    L1, L1_plus_L2, WeightedL1 = skglm["L1"], skglm["L1_plus_L2"], skglm["WeightedL1"]
    AndersonCD, ProxNewton = skglm["AndersonCD"], skglm["ProxNewton"]

    s = prob.s_y if fam == "gaussian" else 1.0
    a = mapping.skglm_alpha(lam, s)
    tol = opts.get("tol", 1e-12 if strong else 1e-10)
    max_iter = opts.get("max_iter", 5000 if strong else 1000)
    p = prob.X.shape[1]
    if prob.alpha == 1.0:
        pen = L1(a) if np.allclose(prob.pf, 1.0) else WeightedL1(a, np.asarray(prob.pf, dtype=float))
        l1, l2 = a * prob.pf, np.zeros(p)
    else:
        pen = L1_plus_L2(a, prob.alpha)
        l1, l2 = np.full(p, a * prob.alpha), np.full(p, a * (1 - prob.alpha))
    Z = prob.X / prob.x_sd
    if fam == "gaussian":
        datafit, solver, yy = Quadratic(), AndersonCD(fit_intercept=prob.fit_intercept, tol=tol, max_iter=max_iter), prob.y / s
        y_fit = yy
    else:
        yy = np.asarray(prob.y, dtype=float)
        datafit = Logistic() if fam == "binomial" else Poisson()
        solver = ProxNewton(fit_intercept=prob.fit_intercept, tol=tol, max_iter=max_iter)
        y_fit = 2.0 * yy - 1.0 if fam == "binomial" else yy
    m = GeneralizedLinearEstimator(datafit, pen, solver).fit(Z, y_fit)
    coef = np.asarray(m.coef_, dtype=float).reshape(-1) * s / prob.x_sd
    icpt = np.atleast_1d(float(m.intercept_) * s)
    nat = _certify.PenalisedProblem(fam, Z, yy, np.full(prob.n, 1.0 / prob.n), l1, l2, None, prob.fit_intercept, a, "skglm")
    est = f"GeneralizedLinearEstimator({type(datafit).__name__}(), {type(pen).__name__}(alpha={a:.6g}{'' if prob.alpha == 1 else f', l1_ratio={prob.alpha:g}'}), {type(solver).__name__})"
    return Solution("skglm", est + (f" on y/{s:.6g}" if fam == "gaussian" else ""), "alpha", a, a * s, icpt, coef, None, None,
                    (nat, np.atleast_1d(m.intercept_), np.asarray(m.coef_).reshape(-1)), dict(tol=tol, max_iter=max_iter))


# --------------------------------------------------------------------------- scipy on glmnet's objective
def _scipy(prob, lam, *, classes, offset, opts, strong):
    """L-BFGS-B on glmnet's objective in split form; no mapping: the problem is glmnet's own."""
    gp = _certify.glmnet_problem(prob.X, prob.y, prob.family, prob.alpha, lam, weights=prob.w, penalty_factor=prob.pf, offset=offset,
                                 standardize=not np.all(prob.x_sd == 1.0), intercept=prob.fit_intercept, classes=classes)
    fam = prob.family
    p = prob.X.shape[1]
    K = gp.y.shape[1] if fam == "multinomial" else 1
    nb = K * p
    n0 = K if gp.intercept else 0

    # solve on centred columns (the intercept then decouples from the slopes), starting at the null model
    zc = gp.w @ gp.Z / gp.w.sum() if gp.intercept else np.zeros(p)
    Zc = gp.Z - zc
    cp = _certify.PenalisedProblem(fam, Zc, gp.y, gp.w, gp.l1, gp.l2, gp.offset, gp.intercept, gp.scale, "scipy")

    def unpack(v):
        a0 = v[:n0] if gp.intercept else np.zeros(K)
        b = (v[n0 : n0 + nb] - v[n0 + nb :]).reshape(K, p)
        return a0, (b if fam == "multinomial" else b[0])

    def fg(v):
        a0, b = unpack(v)
        l1 = np.tile(gp.l1, K)
        # split form: the L1 part is l1 (b+ + b-), not l1 |b+ - b-| (they differ when both are positive)
        f = cp.objective(a0, b) - float(np.abs(np.atleast_2d(b)).reshape(-1) @ l1) + float(l1 @ (v[n0 : n0 + nb] + v[n0 + nb :]))
        score, g = cp.gradient(a0, b)  # smooth part incl. the ridge term
        g = np.atleast_2d(g).reshape(-1)
        grad = np.concatenate([score if gp.intercept else np.zeros(0), g + l1, -g + l1])
        return f, grad

    maxiter = opts.get("max_iter", 200_000 if strong else 50_000)
    v = np.zeros(n0 + 2 * nb)
    if gp.intercept:
        ybar = gp.w @ gp.y / gp.w.sum()
        if fam == "gaussian":
            v[:n0] = ybar
        elif fam == "binomial":
            v[:n0] = np.log(ybar / (1 - ybar))
        elif fam == "poisson":
            v[:n0] = np.log(ybar)
        else:
            v[:n0] = np.log(np.clip(ybar, 1e-300, None))
    bounds = [(None, None)] * n0 + [(0.0, None)] * (2 * nb)
    nit = 0
    for _ in range(opts.get("restarts", 20)):  # L-BFGS-B restarts (fresh memory) until KKT holds or no progress
        res = minimize(fg, v, jac=True, method="L-BFGS-B", bounds=bounds,
                       options=dict(maxiter=maxiter, maxfun=10 * maxiter, ftol=0.0, gtol=opts.get("gtol", 1e-14), maxcor=50))
        nit += int(res.nit)
        moved = np.max(np.abs(res.x - v)) if v.size else 0.0
        v = res.x
        a0, b = unpack(v)
        if max(cp.kkt(a0, b)) <= 1e-9 or moved == 0.0:
            break
    a0, b = unpack(v)
    a0, b = _newton_polish(cp, a0, b, fam)
    a0 = np.atleast_1d(a0 - np.atleast_2d(b) @ zc) if gp.intercept else np.atleast_1d(a0)
    if fam != "multinomial":
        a0 = a0[:1]
    s = prob.s_y if fam == "gaussian" else 1.0
    coef = np.asarray(b, dtype=float) * s / prob.x_sd
    icpt = np.atleast_1d(np.asarray(a0, dtype=float) * s)
    est = f"scipy.optimize.minimize(method='L-BFGS-B') on glmnet's objective (lambda={lam:.6g}), split b = b+ - b-"
    return Solution("scipy", est, "lambda", lam, lam, icpt, coef, classes, nit, (gp, a0, b), dict(maxiter=maxiter))


def _newton_polish(cp: _certify.PenalisedProblem, a0: np.ndarray, b: np.ndarray, fam: str, steps: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """Newton steps on the active set (signs fixed, Hessian by central differences of the exact gradient).

    L-BFGS-B stalls where the objective's changes fall below its floating-point
    resolution (small lambdas); the KKT conditions are a gradient statement, so
    polish on the gradient. A step is kept only when it lowers the KKT violation.
    """
    a0 = np.atleast_1d(np.asarray(a0, dtype=float)).copy()
    B = np.atleast_2d(np.asarray(b, dtype=float)).copy()
    n0 = a0.size if cp.intercept else 0
    l1 = np.broadcast_to(cp.l1, B.shape)

    def shape(Bm):
        return Bm if fam == "multinomial" else Bm[0]

    def viol(a, Bm):
        return max(cp.kkt(a, shape(Bm)))

    best = viol(a0, B)
    for _ in range(steps):
        if best <= 1e-12:
            break
        act = np.flatnonzero(B.reshape(-1) != 0)
        sgn = np.sign(B.reshape(-1)[act])

        def grad(x):
            a = x[:n0] if n0 else a0
            Bm = B.reshape(-1).copy()
            Bm[act] = x[n0:]
            Bm = Bm.reshape(B.shape)
            score, g = cp.gradient(a, shape(Bm))
            g = np.atleast_2d(g).reshape(-1)[act] + l1.reshape(-1)[act] * sgn
            return np.concatenate([score if n0 else np.zeros(0), g])

        x0 = np.concatenate([a0[:n0], B.reshape(-1)[act]])
        g0 = grad(x0)
        m = x0.size
        H = np.empty((m, m))
        for i in range(m):
            h = 1e-5 * max(1.0, abs(x0[i]))
            e = np.zeros(m)
            e[i] = h
            H[:, i] = (grad(x0 + e) - grad(x0 - e)) / (2 * h)
        H = 0.5 * (H + H.T)
        step = np.linalg.lstsq(H, -g0, rcond=1e-12)[0]
        # keep every active coefficient on its side of zero
        cur, d = x0[n0:], step[n0:]
        cross = (cur * (cur + d)) < 0
        t = min(1.0, float(np.min(-cur[cross] / d[cross]))) if cross.any() else 1.0
        x1 = x0 + t * step
        a1 = x1[:n0] if n0 else a0
        B1 = B.reshape(-1).copy()
        B1[act] = np.where(np.abs(x1[n0:]) < 1e-300, 0.0, x1[n0:])
        B1 = B1.reshape(B.shape)
        v1 = viol(a1, B1)
        if not v1 < best:
            break
        a0, B, best = np.atleast_1d(a1).copy(), B1, v1
    return a0, shape(B)


# --------------------------------------------------------------------------- statsmodels
def _statsmodels(prob, lam, *, classes, offset, opts, strong):
    if prob.family not in ("binomial", "poisson"):
        raise Unsupported(f"the penalised statsmodels fit is used for binomial and poisson, not {prob.family!r}")
    if offset is not None:
        raise Unsupported("the statsmodels elastic-net crosscheck takes no offset")
    if not np.allclose(prob.w, 1.0):
        raise Unsupported("the statsmodels elastic-net crosscheck does not support sample weights")
    max_iter = opts.get("max_iter", 10_000 if strong else 1_000_000)
    ref = mapping.refit(prob, lam, "statsmodels", tol=opts.get("tol", 1e-12), max_iter=max_iter)
    # its own problem: -loglik / n + alpha * (L1_wt |b| + (1 - L1_wt) / 2 b^2) per parameter, on x centred and scaled
    Zc = (prob.X - (prob.x_mean if prob.fit_intercept else 0.0)) / prob.x_sd
    a = ref.param_value
    nat = _certify.PenalisedProblem(prob.family, Zc, np.asarray(prob.y, dtype=float), np.full(prob.n, 1.0 / prob.n), a * prob.alpha * prob.pf,
                                    a * (1 - prob.alpha) * prob.pf, None, prob.fit_intercept, a, "statsmodels")
    nb = ref.coef * prob.x_sd
    na0 = ref.intercept + (prob.x_mean @ ref.coef if prob.fit_intercept else 0.0)
    return Solution("statsmodels", ref.estimator, ref.param_name, ref.param_value, ref.lambda_equivalent, ref.intercept, ref.coef, None, None,
                    (nat, na0, nb), dict(max_iter=max_iter))


def solve_path(engine: str, prob: mapping.GlmnetProblem, lambdas: np.ndarray, *, classes: list[str] | None = None,
               options: dict[str, Any] | None = None, offset: Any = None) -> list[Solution]:
    """``engine`` at every lambda of a decreasing sequence (glum: its own warm-started path; others: one fit per lambda)."""
    lambdas = np.asarray(lambdas, dtype=float)
    if engine == "glum" and not options:
        return _glum_path(prob, lambdas, offset)
    if offset is None and engine == "sklearn" and not options and prob.family == "gaussian" and np.all(prob.pf > 0) and (prob.alpha == 1.0 or np.allclose(prob.pf, prob.pf[0])):
        return _sklearn_enet_path(prob, lambdas)
    return [solve(engine, prob, float(lam), classes=classes, options=options, offset=offset) for lam in lambdas]


def _glum_path(prob: mapping.GlmnetProblem, lambdas: np.ndarray, offset: Any = None) -> list[Solution]:
    fam = prob.family
    if fam == "multinomial":
        raise Unsupported("glum has no multinomial family")
    GeneralizedLinearRegressor = _glum_estimator()
    s = prob.s_y if fam == "gaussian" else 1.0
    alphas = np.array([mapping.glum_alpha(float(lam), s) for lam in lambdas])
    Z = prob.X / prob.x_sd
    yy = prob.y / prob.s_y if fam == "gaussian" else np.asarray(prob.y, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = GeneralizedLinearRegressor(family={"gaussian": "normal", "binomial": "binomial", "poisson": "poisson"}[fam], alpha_search=True,
                                       alphas=alphas, l1_ratio=prob.alpha, P1=prob.pf, P2=prob.pf, fit_intercept=prob.fit_intercept,
                                       scale_predictors=False, gradient_tol=1e-8, max_iter=300)
        m.fit(Z, yy, sample_weight=prob.w, offset=offset)
    out = []
    for k, a in enumerate(alphas):
        cz = np.asarray(m.coef_path_[k], dtype=float)
        iz = float(np.asarray(m.intercept_path_[k]).reshape(-1)[0]) if prob.fit_intercept else 0.0
        nat = _certify.PenalisedProblem(fam, Z, yy, prob.w / prob.w.sum(), a * prob.alpha * prob.pf, a * (1 - prob.alpha) * prob.pf, offset,
                                        prob.fit_intercept, a, "glum")
        out.append(Solution("glum", f"GeneralizedLinearRegressor(alpha_search=True, alphas=glmnet's lambdas{' / s_y' if fam == 'gaussian' else ''})",
                            "alpha", float(a), float(a) * s, np.atleast_1d(iz * s), cz * s / prob.x_sd, None, None,
                            (nat, np.atleast_1d(iz), cz), dict(gradient_tol=1e-8, max_iter=300, path=True)))
    return out


def _sklearn_enet_path(prob: mapping.GlmnetProblem, lambdas: np.ndarray) -> list[Solution]:
    """scikit-learn's ``enet_path`` (warm-started coordinate descent) on glmnet's lambdas, gaussian."""
    a0, beta = mapping.sklearn_path(prob, lambdas, tol=1e-14)
    _, _, Zc, yc = prob.sklearn_design()
    n, p = prob.X.shape
    out = []
    for j, lam in enumerate(lambdas):
        a = mapping.lasso_alpha(float(lam), prob.s_y)
        nat = _certify.PenalisedProblem("gaussian", Zc, yc, np.full(n, 1.0 / n), np.full(p, a * prob.alpha), np.full(p, a * (1 - prob.alpha)),
                                        None, False, a, "sklearn")
        c = beta[:, j] * prob.col_scale / prob.s_y
        out.append(Solution("sklearn", "enet_path on glmnet's lambdas / s_y", "alpha", a, a * prob.s_y, np.atleast_1d(a0[j]), beta[:, j], None, None,
                            (nat, np.zeros(1), c), dict(tol=1e-14, path=True)))
    return out
