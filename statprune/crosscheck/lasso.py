"""glmnet's fit, path and CV against the reference solvers: :func:`crosscheck` and :func:`validate`.

:func:`crosscheck` re-derives a glmnet fit (a :class:`~statprune.lasso.GlmnetCV`,
its ``LassoResult``, or a family/alpha/lambda given directly) in the other
ecosystems, certifies every solution on glmnet's objective
(:mod:`statprune.crosscheck._certify`) and returns a
:class:`~statprune.crosscheck.report.CrosscheckReport`. Stages:

``fit``    the result as given against glmnet refitted in R at a tight ``thresh``, and every
           reference engine at the mapped parameters (:mod:`statprune.crosscheck.mapping`);
``path``   the whole lambda sequence, R against the first two engines that can express the problem;
``cv``     cv.glmnet at fixed lambdas on the result's folds against every engine fitted per fold,
           and for the gaussian family scikit-learn's ``LassoCV`` (:mod:`statprune.crosscheck._cv_gaussian`);
``refit``  the unpenalised refit on the selected support, statsmodels against R's lm/glm
           (:func:`~statprune.crosscheck.glm.crosscheck_glm`).

glmnet in R is reached through :mod:`statprune.lasso._backend_r` (its crosscheck section);
cv.glmnet as a user runs it (with its folds) through :class:`~statprune.lasso.GlmnetCV`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _provenance
from .._data import prepare_xy
from .._glmnet.params import DEFAULTS
from .._progress import Steps
from .._validation import check_foldid, check_offset, check_target
from ..errors import DataError, ParameterError
from ..lasso import _backend_r as glmnet_r
from . import _certified, _certify, _refsolvers, mapping
from ._cv_gaussian import cv_rows
from ._inputs import as_result, lambda_at, looks_like_data, prepare_X, prepare_y, run_cv, term_labels
from .glm import crosscheck_glm
from .report import COEF_TOL, TIGHT_THRESH, CrosscheckReport, num_row, result_tolerance, set_row

__all__ = ["crosscheck", "validate"]


def crosscheck(
    result_or_estimator: Any = None,
    X: Any = None,
    y: Any = None,
    engines: Sequence[str] | None = None,
    *,
    family: str | None = None,
    alpha: float | None = None,
    lambda_: float | None = None,
    s: Any = None,
    sample_weight: Any = None,
    penalty_factor: Any = None,
    standardize: bool | None = None,
    fit_intercept: bool | None = None,
    foldid: Any = None,
    feature_names: Sequence[str] | None = None,
    checks: Sequence[str] = ("fit", "path", "cv", "refit"),
    thresh: float = TIGHT_THRESH,
    tol: float = 1e-12,
    coef_tolerance: float = COEF_TOL,
    seed: int | None = None,
    nfolds: int = DEFAULTS.nfolds,
    engine_options: dict[str, dict[str, Any]] | None = None,
    stronger: bool = True,
    offset: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> CrosscheckReport:
    """Fit the same penalised model in R (glmnet), scikit-learn and statsmodels and tabulate the differences.

    Parameters
    ----------
    result_or_estimator : GlmnetCV, LassoResult or None
        A fitted :class:`~statprune.lasso.GlmnetCV` (or its ``result_``): family,
        alpha, lambda (at ``s``), coefficients, folds and the CV curve are taken
        from it. ``None`` with ``lambda_``: check that one fit. ``None`` without
        ``lambda_`` (or the short form ``crosscheck(X, y, family=...)``): run
        cv.glmnet first (``seed``, ``nfolds``, ``foldid``) and check at lambda.min.
    X : array-like or DataFrame of shape (n, p)
        The numeric design the model was fitted on (no intercept column).
    y : array-like of shape (n,)
        The target (numbers; class labels for binomial/multinomial).
    engines : sequence of {"r", "sklearn", "statsmodels"}
        Engines to compare; R (the reference) is required.
    family, alpha, lambda_ : optional
        glmnet's family, mixing parameter and penalty (override the result's).
    s : "lambda.min", "lambda.1se" or float, optional
        Which lambda of the result to check (default: the result's ``s``).
    sample_weight, penalty_factor : array-like, optional
        As passed to glmnet (rescaled by glmnet to sum to n and p; see the docs).
    standardize, fit_intercept : bool, optional
        glmnet's ``standardize`` and ``intercept`` (default True).
    foldid : array-like of int, optional
        Fold ids (1..K) for the CV crosscheck (default: the result's).
    feature_names : sequence of str, optional
        Names of the columns of an array ``X``.
    checks : sequence of {"fit", "path", "cv", "refit"}
        ``fit``: coefficients at lambda; ``path``: the whole lambda sequence
        (gaussian); ``cv``: CV curves on the same folds (gaussian); ``refit``:
        unpenalised statsmodels vs R lm/glm on the selected support.
    thresh : float
        glmnet ``thresh`` of the tight R refits.
    tol : float
        Tolerance of the scikit-learn/statsmodels solvers (``1e-2 * tol`` for
        coordinate descent, whose ``tol`` is a duality gap).
    coef_tolerance : float
        Tolerance of the tight comparisons (relative to the coefficient scale).
    seed, nfolds : int, optional
        For the cv.glmnet run when no result is given (R's ``set.seed(seed)``).
    engine_options : dict of {engine: dict}, optional
        Solver settings per engine (e.g. ``{"glum": {"max_iter": 2}}``); an engine
        given options is not retried with a larger budget.
    stronger : bool
        When fewer than two engines are certified, try the stronger references
        (glum, scipy's L-BFGS-B on glmnet's objective, skglm) before giving up.
    offset : array-like of shape (n,), optional
        glmnet's ``offset`` (binomial and poisson): passed to R, glum and scipy;
        engines without offsets (scikit-learn, skglm, statsmodels) are skipped.
    progress : callable, optional
        ``progress(done, total)``, called with one step per solver and check: cv.glmnet when it
        is run here, R's tight refit, each engine of the fit stage (the total grows when stronger
        references are tried), R's path and each path engine, R's CV and each CV engine,
        scikit-learn's ``LassoCV`` and the lm/glm refit (a skipped one counts as done).

    Returns
    -------
    CrosscheckReport

    Notes
    -----
    p-values of a model refitted after selection are not valid p-values
    (selective inference): the ``refit`` rows check that the two engines compute
    the same numbers, not that those numbers mean what an unselected fit's would.

    Examples
    --------
    >>> import statprune
    >>> from statprune import datasets
    >>> b = datasets.load_boston()
    >>> X, y = b.drop(columns="medv"), b["medv"]
    >>> rep = statprune.crosscheck(None, X, y, family="gaussian", alpha=1.0, lambda_=0.3,
    ...                            checks=("fit",))
    >>> rep.ok, rep.max_rel_diff < 1e-6
    (True, True)
    >>> row = rep.to_frame().query("quantity == 'lambda'").iloc[0]
    >>> row["term"], row["engine_b"]
    ('alpha=0.0326512', 'sklearn')

    With a fitted :class:`~statprune.lasso.GlmnetCV`, everything comes from the fit::

        est = GlmnetCV(seed=42).fit(X, y)
        statprune.crosscheck(est, X, y).summary()
    """
    explicit = engines is not None
    engines = tuple(engines) if engines is not None else ("r", "sklearn", "glum", "skglm", "scipy", "statsmodels")
    unknown = set(engines) - {"r", *_refsolvers.ENGINES}
    if unknown:
        raise ParameterError(f"unknown engine(s) {sorted(unknown)}; use 'r', {', '.join(repr(e) for e in _refsolvers.ENGINES)}")
    if "r" not in engines:
        raise ParameterError("the crosscheck compares against R (glmnet): engines must include 'r'")
    bad_checks = set(checks) - {"fit", "path", "cv", "refit"}
    if bad_checks:
        raise ParameterError(f"unknown check(s) {sorted(bad_checks)}; use 'fit', 'path', 'cv', 'refit'")
    if y is None and X is not None and looks_like_data(result_or_estimator):
        result_or_estimator, X, y = None, result_or_estimator, X  # crosscheck(X, y, ...)
    if X is None or y is None:
        raise ParameterError("crosscheck needs the data: X and y")
    res, params = as_result(result_or_estimator)
    steps = Steps(progress, 1)
    if res is None and lambda_ is None:
        steps.grow(1)
        res = run_cv(X, y, family or "gaussian", 1.0 if alpha is None else float(alpha), foldid, nfolds, seed, sample_weight, feature_names)
        steps.tick()  # cv.glmnet in R

    family = family or getattr(res, "family", None) or params.get("family") or "gaussian"
    if alpha is None:
        alpha = getattr(res, "alpha", None)
        alpha = params.get("alpha", 1.0) if alpha is None else alpha
    alpha = float(alpha)
    if standardize is None:
        standardize = bool(params.get("standardize", True))
    if fit_intercept is None:
        fit_intercept = bool(params.get("fit_intercept", True))
    if penalty_factor is None and res is not None and getattr(res, "penalty_factor", None) is not None:
        penalty_factor = np.asarray(res.penalty_factor, dtype=float)
    elif penalty_factor is None:
        penalty_factor = params.get("penalty_factor")
        if isinstance(penalty_factor, dict):
            raise ParameterError("pass penalty_factor as an array when crosschecking an estimator that got a dict")
    for lim, bound in (("lower_limits", -np.inf), ("upper_limits", np.inf)):
        v = params.get(lim)
        if v is not None and np.any(np.asarray(v, dtype=float) != bound):
            raise ParameterError(f"{lim} are not cross-checked (scikit-learn has no box constraints); refit without them to compare")
    res_thresh = float(getattr(res, "thresh", None) or params.get("thresh", DEFAULTS.thresh))
    class_names = getattr(res, "class_names", None)

    if res is not None and isinstance(X, pd.DataFrame) and getattr(res, "feature_names", None) is not None:
        missing = [t for t in res.feature_names if t not in X.columns]
        if missing:
            raise DataError(f"X lacks the column(s) {missing} the result was fitted on")
        X = X[list(res.feature_names)]
    Xa, names = prepare_X(X, feature_names)
    if res is not None and getattr(res, "feature_names", None) is not None and feature_names is None and not isinstance(X, pd.DataFrame):
        names = [str(t) for t in res.feature_names]
    # columns glmnet gives a zero coefficient by construction: excluded and constant ones
    notes: list[str] = []
    drop = [t for t in [*getattr(res, "excluded", []), *getattr(res, "constant", [])] if t in names]
    drop += [t for j, t in enumerate(names) if t not in drop and np.ptp(Xa[:, j]) == 0]
    keep_idx = np.array([j for j, t in enumerate(names) if t not in drop], dtype=int)
    if drop:
        notes.append(f"column(s) {drop} (excluded or constant) have a zero coefficient by construction and are left out of the refits")
        if penalty_factor is not None and not np.allclose(np.asarray(penalty_factor, dtype=float)[keep_idx], np.asarray(penalty_factor, dtype=float)[keep_idx][0]):
            raise ParameterError("non-uniform penalty factors together with excluded/constant columns are not cross-checked "
                                 "(glmnet rescales the factors over all columns)")
        Xa = Xa[:, keep_idx]
        names = [names[j] for j in keep_idx]
        if penalty_factor is not None:
            penalty_factor = np.asarray(penalty_factor, dtype=float)[keep_idx]
    n, p = Xa.shape
    y_py, y_r, levels = prepare_y(y, family, n, class_names)

    if lambda_ is None:
        if res is None:
            raise ParameterError("give lambda_ (glmnet's penalty) or a fitted GlmnetCV / LassoResult")
        if s is None and getattr(res, "s_value", None) is not None:
            lambda_ = float(res.s_value)
        else:
            lambda_ = lambda_at(res, s if s is not None else getattr(res, "s", "lambda.min"))
    lam = float(lambda_)
    if not lam > 0:
        raise ParameterError(f"lambda_ must be positive, got {lam!r}")

    if offset is not None:
        if family not in ("binomial", "poisson"):
            raise ParameterError(f"offsets are cross-checked for the binomial and poisson families, not {family!r}")
        offset = check_offset(np.asarray(offset, dtype=float).reshape(-1), n)
        if res is not None and getattr(res, "offset", None) is None:
            notes.append("an offset is given: the result's own fit (without it) is not compared")
    prob = mapping.GlmnetProblem.build(
        Xa, y_py, family, alpha, sample_weight=sample_weight, penalty_factor=penalty_factor,
        standardize=standardize, fit_intercept=fit_intercept,
    )
    rows: list[dict[str, Any]] = []
    info: dict[str, Any] = dict(
        family=family, alpha=alpha, **{"lambda": lam}, n=n, p=p, engines=list(engines), checks=list(checks),
        r_thresh=thresh, solver_tol=tol, coef_tolerance=coef_tolerance, result_thresh=res_thresh if res is not None else None,
        standardize=standardize, fit_intercept=fit_intercept,
    )

    # ---- R tight refit at lambda
    rfit = glmnet_r.crosscheck_glmnet_fit(Xa, y_r, family, alpha, lam, weights=sample_weight, pf=penalty_factor, standardize=standardize,
                                 fit_intercept=fit_intercept, thresh=thresh, offset=offset)
    r_beta, r_a0, r_classes = _unpack_fit(rfit, family, p, 0)
    if family == "multinomial":
        levels = r_classes
    std = prob.x_sd if standardize else np.ones(p)
    coef_scale = float(np.max(np.abs(np.atleast_2d(r_beta) * std))) or 1.0
    terms = term_labels(names, levels, family)
    r_support = _support(r_beta, std, coef_scale, names, family)
    r_dev = float(np.asarray(rfit["deviance"]).reshape(-1)[0])
    info["coef_scale"] = coef_scale
    info["selected"] = r_support
    # glmnet's objective, built from the raw inputs (nothing shared with the mapping under test)
    gp = _certify.glmnet_problem(Xa, y_py, family, alpha, lam, weights=sample_weight, penalty_factor=penalty_factor,
                                 standardize=standardize, intercept=fit_intercept, classes=levels, offset=offset)
    r_cert = _certify.certify("r", gp, r_a0, r_beta, tried=[f"glmnet thresh={thresh:g}"])
    engine_options = dict(engine_options or {})
    if explicit:
        fit_engines = [e for e in engines if e != "r"]
    else:
        fit_engines = list(_refsolvers.REFERENCE_ENGINES[family])
    certificates: list[dict[str, Any]] = []
    info["certificates"] = certificates
    allowed = [e for e in engines if e != "r"] if explicit else list(_refsolvers.STAGE_ENGINES[family])
    stage_engines = [e for e in _refsolvers.STAGE_ENGINES[family] if e in allowed]
    fid_all = foldid if foldid is not None else getattr(res, "foldid", None)
    steps.grow(("fit" in checks) * len(fit_engines) + ("path" in checks) * (1 + len(stage_engines))
               + ("cv" in checks and fid_all is not None) * (1 + len(stage_engines))
               + ("cv" in checks and family == "gaussian" and "sklearn" in engines) + ("refit" in checks))
    steps.tick()  # R's tight refit

    if "fit" in checks:
        # ---- the result as reported vs the tight refit
        if res is not None and getattr(res, "relaxed", None):
            notes.append("the result is a relaxed lasso: its coefficients are not glmnet's at lambda and are not compared; "
                         "the other rows check the (unrelaxed) glmnet fit at that lambda")
        elif res is not None and offset is None:
            rows += _result_rows(res, lam, r_beta, r_a0, std, coef_scale, terms, family, res_thresh, names, r_support, keep_idx)
            notes.append(
                f"r:result is glmnet at thresh={res_thresh:g}; r is glmnet refitted at thresh={thresh:g}: their "
                f"difference is solver tolerance (tolerance {result_tolerance(res_thresh):g}, see result_tolerance())"
            )
        # ---- the reference engines at the mapped parameters, each solution certified on glmnet's objective
        if family == "poisson" and alpha > 0 and "sklearn" in engines:
            notes.append("scikit-learn's PoissonRegressor has only an L2 penalty: the poisson L1/elastic net is checked against "
                         + ("statsmodels fit_regularized" if explicit and "statsmodels" in engines else "glum and skglm"))
        rows += _fit_stage(prob, gp, lam, fit_engines, levels, engine_options, stronger, r_cert, r_beta, r_a0, r_dev, std, coef_scale, terms, names,
                           r_support, coef_tolerance, sample_weight, notes, info, explicit, offset, steps)

    # ---- the whole path, every family: R (tight) against the certified engines at each lambda
    # the path and CV stages refit many times: the engines with fast warm-started paths first; the first two that can express
    # the problem are used (each solution is certified at every lambda, whatever the fit stage found)
    path_lambdas = np.asarray(getattr(res, "lambdas", None) if res is not None else _default_path(prob, lam), dtype=float)
    if "path" in checks:
        rp = glmnet_r.crosscheck_glmnet_fit(Xa, y_r, family, alpha, path_lambdas, weights=sample_weight, pf=penalty_factor, standardize=standardize,
                                   fit_intercept=fit_intercept, thresh=thresh, offset=offset)
        steps.tick()  # R's path
        rb = np.asarray(rp["beta"], dtype=float)
        ra0 = np.asarray(rp["a0"], dtype=float)
        if family == "multinomial":
            rb, ra0 = rb.reshape(rb.shape[0], p, -1), ra0.reshape(rb.shape[0], -1)
        else:
            rb, ra0 = rb.reshape(p, -1), ra0.reshape(-1)
        new_rows, cert_rows = _certified.path_stage(
            Xa, y_py, family, alpha, path_lambdas, stage_engines, (rb, ra0), weights=sample_weight, pf=penalty_factor, standardize=standardize,
            intercept=fit_intercept, classes=levels, coef_tol=coef_tolerance, options=engine_options, offset=offset, tick=steps.tick)
        rows += new_rows
        certificates += cert_rows
    if "cv" in checks and fid_all is not None:
        fid_all = np.asarray(fid_all, dtype=np.int64)
        cv_lambdas = _certified.cv_grid(path_lambdas, lam)
        if cv_lambdas.size < path_lambdas.size:
            notes.append(f"certified CV stage: {cv_lambdas.size} of the {path_lambdas.size} lambdas (spread along the path, with lambda={lam:.6g}), "
                         "every fold refitted by each engine at exactly those lambdas")

        rcv = glmnet_r.crosscheck_cv_fixed(Xa, y_r, family, alpha, cv_lambdas, fid_all, weights=sample_weight, pf=penalty_factor, standardize=standardize,
                                  fit_intercept=fit_intercept, thresh=thresh, offset=offset)
        steps.tick()  # R's CV
        new_rows, cert_rows = _certified.cv_stage(
            Xa, y_py, family, alpha, cv_lambdas, fid_all, stage_engines, rcv, weights=sample_weight, pf=penalty_factor,
            standardize=standardize, intercept=fit_intercept, classes=levels, coef_tol=coef_tolerance, options=engine_options, offset=offset,
            tick=steps.tick)
        rows += new_rows
        certificates += cert_rows
    elif "cv" in checks:
        notes.append("certified CV stage skipped: it needs the folds (a cv.glmnet result or foldid)")

    # ---- cross-validation on the same folds (gaussian)
    if "cv" in checks and family == "gaussian" and "sklearn" in engines and not np.allclose(prob.pf, 1.0):
        notes.append("CV crosscheck skipped: it is implemented for equal penalty factors")
    elif "cv" in checks and family == "gaussian" and "sklearn" in engines:
        fid = foldid if foldid is not None else getattr(res, "foldid", None)
        measure = str(getattr(res, "measure_name", "") or "")
        if fid is None or res is None:
            notes.append("CV crosscheck skipped: it needs a cv.glmnet result with its foldid")
        elif measure and "Squared" not in measure:
            notes.append(f"CV crosscheck skipped: it compares mean squared errors, the result's measure is {measure!r}")
        else:
            rows += cv_rows(res, prob, Xa, y_py, np.asarray(fid, dtype=np.int64), sample_weight, standardize, fit_intercept, thresh, tol, coef_tolerance, notes)
    if "cv" in checks and family == "gaussian" and "sklearn" in engines:
        steps.tick()  # scikit-learn's LassoCV (run or skipped)

    # ---- unpenalised refit on the selected support: statsmodels vs R lm/glm
    if "refit" in checks and offset is not None:
        notes.append("the lm/glm refit rows are not run with an offset")
    elif "refit" in checks and "statsmodels" in engines and family in ("gaussian", "binomial", "poisson"):
        sel = [names.index(t) for t in r_support]
        rep = crosscheck_glm(Xa[:, sel], y_py, family=family, feature_names=[names[j] for j in sel], sample_weight=sample_weight)
        rows += rep.rows
        notes += rep.info.get("notes", [])
    if "refit" in checks:
        steps.tick()  # the lm/glm refit (run or skipped)

    info["notes"] = list(dict.fromkeys(notes))
    prov = _provenance.provenance(seed=getattr(res, "seed", None))
    return CrosscheckReport(rows, info, prov)


def _fit_stage(prob: mapping.GlmnetProblem, gp: Any, lam: float, fit_engines: list[str], levels: list[str] | None, engine_options: dict[str, Any],
               stronger: bool, r_cert: Any, r_beta: np.ndarray, r_a0: np.ndarray, r_dev: float, std: np.ndarray, coef_scale: float, terms: list[str], names: list[str], r_support: list[str],
               coef_tolerance: float, sample_weight: Any, notes: list[str], info: dict[str, Any], explicit: bool, offset: Any = None,
               steps: Steps | None = None) -> list[dict[str, Any]]:
    """The fit at s: every engine's solution certified, compared with R's tight refit (see :mod:`statprune.crosscheck._certified`)."""
    family = prob.family
    sols: dict[str, tuple[Any, Any]] = {}
    queue, done = list(fit_engines), set()
    steps = steps or Steps(None, 0)
    while queue:
        eng = queue.pop(0)
        done.add(eng)
        steps.tick()
        if eng == "statsmodels" and not ((family == "poisson" and prob.alpha > 0) or (family == "binomial" and not prob.sklearn_ok)):
            continue  # statsmodels only where scikit-learn cannot express the problem (and only when asked for)
        sol, cert, why = _certified.run_engine(eng, prob, gp, lam, levels, offset, engine_options)
        if sol is None:
            if explicit or eng in _refsolvers.REFERENCE_ENGINES.get(family, ()):
                notes.append(f"{eng} skipped: {why}")
        else:
            sols[eng] = (sol, cert)
        if not queue and stronger:
            certified = [e for e, (_, c) in sols.items() if c.converged and c.optimal]
            more = _certified.choose_engines(fit_engines, family, certified, done)
            steps.grow(len(more))
            queue += more
    certs = [r_cert, *(c for _, c in sols.values())]
    _certify.set_gaps(certs)
    rows: list[dict[str, Any]] = []
    sw = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
    for eng, (sol, cert) in sols.items():
        new = _refit_rows(sol, prob, sw, lam, r_beta, r_a0, r_dev, std, coef_scale, terms, names, levels, r_support, coef_tolerance, offset)
        _certified.apply_certificates(new, [r_cert, cert])
        rows += new
        info.setdefault("refits", {})[eng] = sol.estimator
    info["certificates"] += [_certified.certificate_row("fit", f"lambda={lam:.6g}", c) for c in certs]
    info["certified_engines"] = [e for e, (_, c) in sols.items() if c.converged and c.optimal]
    return rows



def _unpack_fit(rfit: dict[str, Any], family: str, p: int, j: int) -> tuple[np.ndarray, np.ndarray, list[str] | None]:
    beta = np.asarray(rfit["beta"], dtype=float)
    a0 = np.asarray(rfit["a0"], dtype=float)
    if family == "multinomial":
        beta = beta.reshape(beta.shape[0], p, -1)[:, :, j]
        a0 = a0.reshape(beta.shape[0], -1)[:, j]
        classes = [str(c) for c in np.atleast_1d(rfit["classes"])]
        return beta, a0, classes
    return beta.reshape(p, -1)[:, j], a0.reshape(-1)[j : j + 1], None


def _support(beta: np.ndarray, std: np.ndarray, scale: float, names: list[str], family: str) -> list[str]:
    """Selected terms: |standardized coefficient| > 1e-10 x the coefficient scale (any class)."""
    b = np.abs(np.atleast_2d(beta) * std)
    keep = np.any(b > 1e-10 * scale, axis=0)
    return [t for t, k in zip(names, keep) if k]


def _default_path(prob: mapping.GlmnetProblem, lam: float) -> np.ndarray:
    """A glmnet-like sequence (lambda_max down, 50 values) through ``lam`` when no result gives one."""
    top = max(lam * 10, lam)
    return np.geomspace(top, lam * 1e-2, 50)


def _result_rows(res: Any, lam: float, r_beta: np.ndarray, r_a0: np.ndarray, std: np.ndarray, scale: float, terms: list[str], family: str, res_thresh: float, names: list[str], r_support: list[str], keep_idx: np.ndarray) -> list[dict[str, Any]]:
    lambdas = np.asarray(res.lambdas, dtype=float)
    hit = np.flatnonzero(np.isclose(lambdas, lam, rtol=1e-12, atol=0))
    if hit.size == 0:
        return []
    j = int(hit[0])
    beta = np.asarray(res.beta, dtype=float)
    a0 = np.asarray(res.a0, dtype=float)
    if family == "multinomial":
        bj, aj = beta[:, keep_idx, j], a0[:, j]
    else:
        bj, aj = beta[keep_idx, j], np.atleast_1d(a0[j])
    tol = result_tolerance(res_thresh)
    rows = [dict(num_row("lambda", "", "r:result", "r", lam, lam, 0.0), note="the refit uses the result's lambda")]
    rows += _coef_rows("coefficient", "r:result", "r", bj, r_beta, std, scale, terms, tol)
    rows += _intercept_rows("r:result", "r", aj, r_a0, scale, tol, family)
    rows.append(set_row("selected set", "", "r:result", "r", _support(bj, std, scale, names, family), r_support))
    return rows


def _coef_rows(q: str, a: str, b: str, va: np.ndarray, vb: np.ndarray, std: np.ndarray, scale: float, terms: list[str], tol: float) -> list[dict[str, Any]]:
    va2, vb2 = np.atleast_2d(va), np.atleast_2d(vb)
    out = []
    k = 0
    for c in range(va2.shape[0]):
        for jj in range(va2.shape[1]):
            row = num_row(q, terms[k], a, b, va2[c, jj], vb2[c, jj], tol, scale=scale / std[jj])
            out.append(row)
            k += 1
    return out


def _intercept_rows(a: str, b: str, ia: np.ndarray, ib: np.ndarray, scale: float, tol: float, family: str, classes: list[str] | None = None) -> list[dict[str, Any]]:
    ia, ib = np.atleast_1d(ia).astype(float), np.atleast_1d(ib).astype(float)
    note = ""
    if family == "multinomial":
        ia, ib = ia - ia.mean(), ib - ib.mean()
        note = "multinomial intercepts are identified up to a constant: centred"
    out = []
    for k in range(ia.size):
        term = "(Intercept)" if ia.size == 1 else f"{classes[k] if classes else k}:(Intercept)"
        out.append(num_row("intercept", term, a, b, ia[k], ib[k], tol, scale=max(abs(ia[k]), abs(ib[k]), scale), note=note))
    return out


def _refit_rows(ref: mapping.Refit, prob: mapping.GlmnetProblem, sample_weight: Any, lam: float, r_beta: np.ndarray, r_a0: np.ndarray, r_dev: float, std: np.ndarray, scale: float, terms: list[str], names: list[str], levels: list[str] | None, r_support: list[str], tol: float, offset: Any = None) -> list[dict[str, Any]]:
    eng = ref.engine
    coef, icpt = ref.coef, ref.intercept
    if prob.family == "multinomial":
        order = [ref.classes.index(c) for c in levels]  # type: ignore[union-attr]
        coef, icpt = coef[order], icpt[order]
    rows = [
        dict(
            num_row("lambda", f"{ref.param_name}={ref.param_value:.6g}", "r", eng, lam, ref.lambda_equivalent, 1e-12),
            note=f"{ref.estimator}; value_b is its {ref.param_name} mapped back to glmnet's lambda",
        )
    ]
    rows += _coef_rows("coefficient", "r", eng, r_beta, coef, std, scale, terms, tol)
    rows += _intercept_rows("r", eng, r_a0, icpt, scale, tol, prob.family, levels)
    rows.append(set_row("selected set", "", "r", eng, r_support, _support(coef, std, scale, names, prob.family)))
    eta = mapping.linear_predictor(prob.X, icpt, coef)
    if offset is not None:
        eta = eta + offset
    dev = mapping.deviance(prob.family, prob.y, eta, sample_weight, levels)  # glmnet's deviance uses the weights as given
    rows.append(num_row("deviance", "", "r", eng, r_dev, dev, tol, note="glmnet deviance(fit) vs the deviance of the refit's predictions"))
    return rows



def validate(
    data: Any,
    target: str,
    *,
    family: str = "gaussian",
    alpha: float = DEFAULTS.alpha,
    seed: int | None = None,
    foldid_column: str | None = None,
    nfolds: int = DEFAULTS.nfolds,
    exclude: Sequence[str] = (),
    engines: Sequence[str] | None = None,
    drop_missing: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> CrosscheckReport:
    """What ``statprune validate`` runs: cv.glmnet in R, then :func:`crosscheck` at lambda.min.

    Categorical predictors are expanded into R's treatment dummies and constant
    columns are dropped, as ``model.matrix`` users would do before ``cv.glmnet``.

    Examples
    --------
    >>> from statprune import datasets
    >>> from statprune.crosscheck import validate
    >>> rep = validate(datasets.load_boston(), "medv", seed=42)
    >>> rep.ok, round(rep.info["lambda"], 6)
    (True, 0.021185)
    """
    if family not in mapping.MAPPED_FAMILIES:
        raise ParameterError(f"family must be one of {', '.join(mapping.MAPPED_FAMILIES)} for the crosscheck, got {family!r}")
    try:
        alpha = float(alpha)
    except (TypeError, ValueError):
        raise ParameterError(f"alpha={alpha!r} must be a number in [0, 1]") from None
    if not 0.0 <= alpha <= 1.0:
        raise ParameterError(f"alpha={alpha!r} must be in [0, 1] (1 = lasso, 0 = ridge)")
    prep = prepare_xy(data, target, exclude=exclude, extra_columns=[foldid_column], categorical="encode", constant="drop",
                      drop_missing=drop_missing)
    foldid = None
    if foldid_column is not None:
        f = pd.to_numeric(prep.extra[foldid_column], errors="coerce").to_numpy(dtype=float)
        foldid = check_foldid(f, f.size, what=f"fold-id column '{foldid_column}'")
    y = prep.y
    check_target(y, family, name=target)  # the family's rule, before R is started
    res = run_cv(prep.X, y, family, alpha, foldid, nfolds, seed, None, None)
    rep = crosscheck(res, prep.X, y, engines, foldid=foldid, progress=progress)
    rep.info["target"] = target
    rep.info["seed"] = seed
    rep.provenance = {**rep.provenance, "seed": seed}
    if prep.encoded:
        rep.info["notes"].append(f"categorical column(s) {sorted(prep.encoded)} expanded into treatment dummies (R's model.matrix)")
    if prep.constant:
        rep.info["notes"].append(f"constant column(s) {prep.constant} dropped")
    return rep
