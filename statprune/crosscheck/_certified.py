"""The certified stages of the crosscheck: fit at s, the whole path, the CV curve (private).

Each stage fits glmnet's problem with the reference engines of
:mod:`statprune.crosscheck._refsolvers`, certifies every solution with
:mod:`statprune.crosscheck._certify` and turns the comparison with R into rows whose
``verdict`` (see :mod:`statprune.crosscheck.report`) is ``agree``, ``disagree``,
``not converged`` or ``info``.

An engine that does not converge is retried with a larger budget, and when fewer
than two engines are certified the stronger references (``glum``, ``skglm``,
``scipy``) are tried before giving up.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .._glmnet.rules import choose_lambda, cv_aggregate, fold_means
from . import _certify, _refsolvers, mapping
from .report import base_verdict, curve_row, num_row


def apply_certificates(rows: list[dict[str, Any]], certs: list[_certify.Certificate], where: str = "") -> None:
    """Set verdict, objective_gap and kkt_violation of comparison rows from the two engines' certificates."""
    worst_gap = max((c.gap for c in certs if np.isfinite(c.gap)), default=math.nan)
    worst_kkt = max((max(c.kkt, c.intercept_score) for c in certs), default=math.nan)
    bad = [c for c in certs if not c.converged]
    for row in rows:
        row["objective_gap"] = worst_gap
        row["kkt_violation"] = worst_kkt
        v = base_verdict(row)
        if bad and v != "info" and row.get("quantity") != "lambda":  # the lambda row is a mapping check: never excused
            row["verdict"] = "not converged"
            row["ok"] = True
            row["note"] = _join(row.get("note", ""), "; ".join(_describe(c, where) for c in bad))
        else:
            row["verdict"] = v


def _describe(c: _certify.Certificate, where: str = "") -> str:
    own = c.own_kkt if np.isfinite(c.own_kkt) else c.kkt
    txt = f"{c.engine} not converged{where}: KKT violation {max(own, c.own_intercept_score if np.isfinite(c.own_intercept_score) else c.intercept_score):.2g} (of lambda) on its own problem"
    if np.isfinite(c.gap):
        txt += f", objective gap {c.gap:.2g}"
    if c.tried:
        txt += f"; tried {', '.join(c.tried)}"
    return txt


def _join(a: str, b: str) -> str:
    return f"{a}; {b}" if a and b else (a or b)


def run_engine(engine: str, prob: mapping.GlmnetProblem, gp: _certify.PenalisedProblem, lam: float, classes: list[str] | None,
               offset: Any, options: dict[str, dict[str, Any]]) -> tuple[_refsolvers.Solution | None, _certify.Certificate | None, str | None]:
    """Solve with ``engine``; retry once with a larger budget unless the user set its options. (solution, certificate, why not)."""
    opts = options.get(engine)
    tried: list[str] = []
    sol = cert = None
    for strong in ((False,) if opts else (False, True)):
        try:
            sol = _refsolvers.solve(engine, prob, lam, classes=classes, offset=offset, options=opts, strong=strong)
        except _refsolvers.Unsupported as exc:
            return None, None, str(exc)
        tried.append(_settings_text(sol.settings) + (" (user options)" if opts else ""))
        coef, icpt = ordered(sol, classes)
        cert = _certify.certify(engine, gp, icpt, coef, own=sol.native, n_iter=sol.n_iter, tried=tried)
        if cert.converged:
            break
    return sol, cert, None


def _settings_text(settings: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in settings.items())


def ordered(sol: _refsolvers.Solution, classes: list[str] | None) -> tuple[np.ndarray, np.ndarray]:
    """The solution's coefficients and intercepts in glmnet's class order."""
    coef, icpt = sol.coef, sol.intercept
    if classes is not None and sol.classes is not None and np.ndim(coef) == 2:
        order = [sol.classes.index(c) for c in classes]
        coef, icpt = coef[order], icpt[order]
    return coef, icpt


def choose_engines(requested: list[str], family: str, certified: list[str], tried: set[str]) -> list[str]:
    """The stronger references still to try when fewer than two engines are certified."""
    if len(certified) >= 2:
        return []
    return [e for e in _refsolvers.STRONGER if e not in tried and e not in requested]


def certificate_row(stage: str, where: str, cert: _certify.Certificate) -> dict[str, Any]:
    d = cert.to_dict()
    return {"stage": stage, "at": where, **d}


# --------------------------------------------------------------------------- the whole path
def _solutions_on_path(engine: str, prob: mapping.GlmnetProblem, lambdas: np.ndarray, classes: list[str] | None,
                       options: dict[str, dict[str, Any]], offset: Any = None) -> list[_refsolvers.Solution]:
    return _refsolvers.solve_path(engine, prob, lambdas, classes=classes, options=options.get(engine), offset=offset)


#: a path solution whose KKT violation exceeds this (of lambda) is refitted alone with a larger budget (precision, not the verdict)
REFIT_KKT = 1e-7


def _certified_path(eng: str, prob: mapping.GlmnetProblem, lambdas: np.ndarray, gps: list[_certify.PenalisedProblem], classes: list[str] | None,
                    options: dict[str, dict[str, Any]], offset: Any = None) -> tuple[list[_refsolvers.Solution], list[_certify.Certificate]]:
    """The engine's path, certified at each lambda; lambdas where it did not converge are refitted alone with a larger budget."""
    sols = _solutions_on_path(eng, prob, lambdas, classes, options, offset)
    certs = []
    for j, sol in enumerate(sols):
        coef, icpt = ordered(sol, classes)
        cert = _certify.certify(eng, gps[j], icpt, coef, own=sol.native, n_iter=sol.n_iter, tried=[_settings_text(sol.settings)])
        if max(cert.own_kkt, cert.own_intercept_score, cert.kkt, cert.intercept_score) > REFIT_KKT and not options.get(eng):
            sol2 = _refsolvers.solve(eng, prob, float(lambdas[j]), classes=classes, offset=offset, strong=True)
            coef2, icpt2 = ordered(sol2, classes)
            cert2 = _certify.certify(eng, gps[j], icpt2, coef2, own=sol2.native, n_iter=sol2.n_iter,
                                     tried=[*cert.tried, _settings_text(sol2.settings) + " (refit alone)"])
            if max(cert2.own_kkt, cert2.own_intercept_score) <= max(cert.own_kkt, cert.own_intercept_score):
                sols[j], cert = sol2, cert2
        certs.append(cert)
    return sols, certs


def _worst(certs: list[_certify.Certificate], lambdas: np.ndarray, engine: str) -> tuple[_certify.Certificate, str]:
    """One certificate summarising many (the largest own KKT violation, the largest gap)."""
    own = [max(c.own_kkt if np.isfinite(c.own_kkt) else c.kkt, c.own_intercept_score if np.isfinite(c.own_intercept_score) else c.intercept_score)
           for c in certs]
    k = int(np.argmax(own))
    w = certs[k]
    agg = _certify.Certificate(engine, w.objective, max(max(c.kkt, c.intercept_score) for c in certs), max(c.intercept_score for c in certs),
                               w.own_kkt, w.own_intercept_score, max((c.gap for c in certs if np.isfinite(c.gap)), default=math.nan), w.n_iter, w.tried)
    return agg, f" at lambda={lambdas[k % len(lambdas)]:.4g}"


def path_stage(X: np.ndarray, y_py: np.ndarray, family: str, alpha: float, lambdas: np.ndarray, engines: list[str], r_path: tuple[np.ndarray, np.ndarray],
               *, weights: Any, pf: Any, standardize: bool, intercept: bool, classes: list[str] | None, coef_tol: float,
               options: dict[str, dict[str, Any]], offset: Any = None,
               tick: Callable[[int], None] | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """R's path (tight thresh) against each engine at every lambda: coefficient, intercept and objective curves, certified."""
    rb, ra = r_path  # (p, L) / (K, p, L); (L,) / (K, L)
    L = rb.shape[-1]
    lambdas = np.asarray(lambdas, dtype=float)[:L]
    prob = mapping.GlmnetProblem.build(X, y_py, family, alpha, sample_weight=weights, penalty_factor=pf, standardize=standardize, fit_intercept=intercept)
    gps = _certify.glmnet_problem(X, y_py, family, alpha, lambdas, weights=weights, penalty_factor=pf, standardize=standardize,
                                  intercept=intercept, classes=classes, offset=offset)
    sd = gps[0].x_sd
    r_certs = [_certify.certify("r", gps[j], ra[..., j], rb[..., j]) for j in range(L)]
    rows: list[dict[str, Any]] = []
    cert_rows: list[dict[str, Any]] = []
    std_r = rb * (sd[:, None] if rb.ndim == 2 else sd[None, :, None])
    pscale = max(float(np.max(np.abs(std_r))), 1e-300)
    used = 0
    tick = tick or (lambda k=1: None)
    for i, eng in enumerate(engines):  # progress: one step per engine, those not needed counted at once
        if used == 2:
            tick(len(engines) - i)
            break
        tick(1)
        try:
            sols, e_certs = _certified_path(eng, prob, lambdas, gps, classes, options, offset)
        except _refsolvers.Unsupported:
            continue
        used += 1
        eb = np.stack([ordered(s, classes)[0] for s in sols], axis=-1)
        ea = np.stack([ordered(s, classes)[1] for s in sols], axis=-1)
        for j in range(L):
            _certify.set_gaps([r_certs[j], e_certs[j]])
        std_e = eb * (sd[:, None] if eb.ndim == 2 else sd[None, :, None])
        ra2, ea2 = (ra - ra.mean(axis=0), ea - ea.mean(axis=0)) if family == "multinomial" else (ra.reshape(-1), ea.reshape(-1))
        new = [
            curve_row("path coefficient", "r", eng, std_r, std_e, coef_tol, lambdas, scale=pscale,
                       note="standardized scale, relative to the largest |coefficient| on the path"),
            curve_row("path intercept", "r", eng, ra2, ea2, coef_tol, lambdas, scale=max(pscale, float(np.max(np.abs(ra2))))),
            curve_row("path objective", "r", eng, np.array([c.objective for c in r_certs]), np.array([c.objective for c in e_certs]),
                       _certify.GAP_TOL, lambdas, scale=1.0, note="glmnet's objective at each lambda; abs difference"),
        ]
        agg_r, where_r = _worst(r_certs, lambdas, "r")
        agg_e, where_e = _worst(e_certs, lambdas, eng)
        if not agg_e.converged:
            used -= 1  # not certified: a stronger reference is tried next (when the family has one)
        apply_certificates(new, [agg_r, agg_e], where_e)
        rows += new
        cert_rows.append(certificate_row("path", f"worst of {L} lambdas{where_e}", agg_e))
    agg_r, where_r = _worst(r_certs, lambdas, "r")
    cert_rows.insert(0, certificate_row("path", f"worst of {L} lambdas{where_r}", agg_r))
    return rows, cert_rows


# --------------------------------------------------------------------------- cross-validation
#: the CV stage refits every fold at each lambda with each engine: at most this many lambdas
CV_LAMBDAS = 20


def cv_grid(lambdas: np.ndarray, lam: float, size: int = CV_LAMBDAS) -> np.ndarray:
    """At most ``size`` of glmnet's lambdas, evenly spread along the (decreasing) path, always with ``lam`` when it is one of them."""
    lambdas = np.asarray(lambdas, dtype=float)
    if lambdas.size <= size:
        return lambdas
    idx = set(np.unique(np.round(np.linspace(0, lambdas.size - 1, size - 1)).astype(int)).tolist())
    hit = np.flatnonzero(np.isclose(lambdas, lam, rtol=1e-12, atol=0))
    if hit.size:
        idx.add(int(hit[0]))
    return lambdas[sorted(idx)]

def cv_raw(family: str, y: np.ndarray, eta: np.ndarray, classes: list[str] | None = None) -> np.ndarray:
    """glmnet's per-observation CV error (default measure) from linear predictors ``eta`` (n, L) or (n, K, L).

    gaussian ``(y - eta)^2``; binomial / multinomial deviance with probabilities
    clipped to ``[1e-5, 1 - 1e-5]`` (glmnet:::cv.lognet / cv.multnet); poisson
    ``2 (y log y - y - (y eta - e^eta))`` (glmnet:::cv.fishnet).
    """
    if family == "gaussian":
        return (np.asarray(y, dtype=float)[:, None] - eta) ** 2
    if family == "binomial":
        yy = np.asarray(y, dtype=float)[:, None]
        pr = np.clip(1.0 / (1.0 + np.exp(-eta)), 1e-5, 1 - 1e-5)
        return -2.0 * (yy * np.log(pr) + (1 - yy) * np.log(1 - pr))
    if family == "poisson":
        yy = np.asarray(y, dtype=float)[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            devy = np.where(yy > 0, yy * np.log(yy) - yy, 0.0)
        return 2.0 * (devy - (yy * eta - np.exp(eta)))
    if family == "multinomial":
        yv = np.asarray([str(v) for v in y])
        Y = (yv[:, None] == np.asarray(classes)[None, :]).astype(float)
        pr = np.exp(eta - np.logaddexp.reduce(eta, axis=1, keepdims=True))
        pr = np.clip(pr, 1e-5, 1 - 1e-5)
        return -2.0 * np.sum(Y[:, :, None] * np.log(pr), axis=1)
    raise ValueError(family)


def cv_curve(raw: np.ndarray, w: np.ndarray, foldid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fold errors (K, L), cvm, cvsd) by glmnet's rules (``cvcompute`` + ``cvstats``, :mod:`statprune._glmnet.rules`)."""
    fold, fold_w = fold_means(raw, foldid, w)
    cvm, cvsd = cv_aggregate(fold, fold_w)
    return fold, cvm, cvsd


def cv_stage(X: np.ndarray, y_py: np.ndarray, family: str, alpha: float, lambdas: np.ndarray, foldid: np.ndarray, engines: list[str],
             r_cv: dict[str, Any], *, weights: Any, pf: Any, standardize: bool, intercept: bool, classes: list[str] | None, coef_tol: float,
             options: dict[str, dict[str, Any]], offset: Any = None,
             tick: Callable[[int], None] | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """cv.glmnet at fixed lambdas with these folds (R) against each engine fitted per fold: predictions, cvm, cvsd, lambda.min."""
    n, p = X.shape
    lambdas = np.asarray(lambdas, dtype=float)
    L = lambdas.size
    K = int(foldid.max())
    w_given = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    r_pre = np.asarray(r_cv["preval"], dtype=float)
    r_pre = r_pre.reshape(n, -1, L) if family == "multinomial" else r_pre.reshape(n, L)
    r_cvm = np.asarray(r_cv["cvm"], dtype=float)
    r_cvsd = np.asarray(r_cv["cvsd"], dtype=float)
    rows: list[dict[str, Any]] = []
    cert_rows: list[dict[str, Any]] = []
    # R's own prevalidated predictions give R's measure through the same rules: checks the rules themselves
    _, py_cvm_r, _ = cv_curve(cv_raw(family, y_py, r_pre, classes), w_given, foldid)
    rows.append(curve_row("cvm (glmnet's rules on R's predictions)", "r", "statprune", r_cvm, py_cvm_r, 1e-10, lambdas,
                           note="glmnet:::cvcompute/cvstats re-implemented, applied to cv.glmnet's fit.preval"))
    used = 0
    tick = tick or (lambda k=1: None)
    for i, eng in enumerate(engines):  # progress: one step per engine, those not needed counted at once
        if used == 2:
            tick(len(engines) - i)
            break
        tick(1)
        pre = np.empty_like(r_pre)
        certs: list[_certify.Certificate] = []
        ok = True
        for k in range(1, K + 1):
            test = foldid == k
            Xk = X[~test]
            live = np.ptp(Xk, axis=0) > 0
            wk = None if weights is None else w_given[~test]
            pfk = None if pf is None else np.asarray(pf, dtype=float)[live]
            prob = mapping.GlmnetProblem.build(Xk[:, live], y_py[~test], family, alpha, sample_weight=wk, penalty_factor=pfk,
                                                standardize=standardize, fit_intercept=intercept)
            offk = None if offset is None else np.asarray(offset, dtype=float)[~test]
            gpk = _certify.glmnet_problem(Xk[:, live], y_py[~test], family, alpha, lambdas, weights=wk, penalty_factor=pfk,
                                          standardize=standardize, intercept=intercept, classes=classes, offset=offk)
            try:
                sols, kcerts = _certified_path(eng, prob, lambdas, gpk, classes, options, offk)
            except _refsolvers.Unsupported:
                ok = False
                break
            certs += kcerts
            for j, sol in enumerate(sols):
                coef, icpt = ordered(sol, classes)
                full = np.zeros((coef.shape[0], p)) if coef.ndim == 2 else np.zeros(p)
                full[..., live] = coef
                if family == "multinomial":
                    pre[test, :, j] = X[test] @ full.T + icpt[None, :]
                else:
                    pre[test, j] = X[test] @ full + float(icpt[0]) + (0.0 if offset is None else np.asarray(offset, dtype=float)[test])
        if not ok:
            continue
        used += 1
        fold_e, cvm_e, cvsd_e = cv_curve(cv_raw(family, y_py, pre, classes), w_given, foldid)
        if family == "multinomial":
            rp, ep = r_pre - r_pre.mean(axis=1, keepdims=True), pre - pre.mean(axis=1, keepdims=True)
        else:
            rp, ep = r_pre, pre
        new = [
            curve_row("cv prevalidated linear predictor", "r", eng, rp, ep, coef_tol, lambdas, scale=max(float(np.max(np.abs(rp))), 1e-300),
                       note="cv.glmnet(keep=TRUE)$fit.preval vs the engine's out-of-fold predictions (each fold standardized on its training rows)"),
            curve_row("cvm", "r", eng, r_cvm, cvm_e, coef_tol, lambdas, note=f"glmnet's measure: {r_cv.get('name', '')}"),
            curve_row("cvsd", "r", eng, r_cvsd, cvsd_e, coef_tol, lambdas, note="standard error of the mean (glmnet's cvsd)"),
        ]
        i_r = choose_lambda(lambdas, r_cvm, r_cvsd).index_min
        i_e = choose_lambda(lambdas, cvm_e, cvsd_e).index_min
        new.append(dict(num_row("lambda.min", "", "r", eng, lambdas[i_r], lambdas[i_e], 0.0), note="largest lambda at the minimum of cvm (glmnet's rule)"))
        grid = np.tile(lambdas, K)
        agg, where = _worst(certs, grid, eng)
        if not agg.converged:
            used -= 1  # not certified: a stronger reference is tried next (when the family has one)
        # R's folds are not certified one by one (cv.glmnet does not return them); R's fit-stage certificate covers the solver
        apply_certificates(new, [agg], where)
        rows += new
        cert_rows.append(certificate_row("cv", f"worst of {K} folds x {L} lambdas{where}", agg))
    return rows, cert_rows
