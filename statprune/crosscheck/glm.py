"""statsmodels ``OLS``/``GLM`` against R's ``lm``/``glm`` on the same model matrix (the crosscheck's refit rows)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _backend_r, _provenance
from ._inputs import prepare_X, prepare_y
from .report import EXACT_TOL, PVALUE_TOL, CrosscheckReport, num_row

__all__ = ["crosscheck_glm"]


def crosscheck_glm(X: Any, y: Any, *, family: str = "gaussian", feature_names: Sequence[str] | None = None, sample_weight: Any = None) -> CrosscheckReport:
    """statsmodels ``OLS``/``GLM`` against R ``lm``/``glm`` on the same model matrix.

    Compares coefficients, standard errors, p-values, deviance, AIC and the
    log-likelihood. The model matrix is built in Python and passed to R as a
    numeric matrix; R names its columns ``x1..xp`` itself, so no user string is
    ever pasted into a formula.

    Examples
    --------
    >>> from statprune import datasets
    >>> from statprune.crosscheck import crosscheck_glm
    >>> b = datasets.load_boston()
    >>> rep = crosscheck_glm(b[["lstat", "rm"]], b["medv"])
    >>> rep.ok
    True
    """
    import statsmodels.api as sm  # noqa: PLC0415  (deferred: statsmodels.api takes about a second to import; only these rows use it)

    Xa, names = prepare_X(X, feature_names)
    n, p = Xa.shape
    y_py, _, _ = prepare_y(y, family, n, None, glmnet=False)
    w = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
    r = _backend_r.crosscheck_lm_glm(Xa, y_py, family, w)
    design = np.column_stack([np.ones(n), Xa])
    notes = ["p-values of a model refitted after selection are not valid p-values (selective inference); these rows check the arithmetic only"]
    if family == "gaussian":
        fit = (sm.WLS(y_py, design, weights=w) if w is not None else sm.OLS(y_py, design)).fit()
        dev = float(fit.ssr)
        aic_sm = float(fit.aic) + 2.0
        notes.append("OLS: R's AIC counts sigma^2 as a parameter, statsmodels' does not: value_b is statsmodels' aic + 2")
        eng = "statsmodels.OLS" if w is None else "statsmodels.WLS"
    else:
        fam = sm.families.Binomial() if family == "binomial" else sm.families.Poisson()
        model = sm.GLM(y_py, design, family=fam, var_weights=w)
        fit = model.fit(tol=1e-14, maxiter=100)
        # polish as R's side does: one IRLS pass from the estimate, so bse use the weights at the estimate
        fit = model.fit(start_params=fit.params, tol=1e-14, maxiter=100)
        notes.append("glm/GLM: both fits are polished by one IRLS pass started at the estimate, so the standard errors "
                     "use the working weights at the estimate (R's default glm() reports them at the previous iterate; "
                     "differences of order 1e-8 relative)")
        dev = float(fit.deviance)
        aic_sm = float(fit.aic)
        eng = "statsmodels.GLM"
    terms = ["(Intercept)", *names]
    rows = []
    rc, rse, rp = (np.atleast_1d(np.asarray(r[k], dtype=float)) for k in ("coef", "se", "pvalue"))
    if np.isnan(rc).any():
        aliased = [t for t, v in zip(terms, rc) if np.isnan(v)]
        notes.append(f"R reports {aliased} as aliased (NA: the model matrix is rank deficient); the refit rows are not comparable and are informational")
    for k, t in enumerate(terms):
        rows.append(num_row("refit coefficient", t, "r.lm" if family == "gaussian" else "r.glm", eng, rc[k], fit.params[k], EXACT_TOL, scale=max(abs(rc[k]), rse[k])))
    for k, t in enumerate(terms):
        rows.append(num_row("refit std error", t, "r.lm" if family == "gaussian" else "r.glm", eng, rse[k], fit.bse[k], EXACT_TOL))
    for k, t in enumerate(terms):
        rows.append(num_row("refit p-value", t, "r.lm" if family == "gaussian" else "r.glm", eng, rp[k], fit.pvalues[k], PVALUE_TOL,
                             note=f"{r['test']}-test"))
    a = "r.lm" if family == "gaussian" else "r.glm"
    if np.isnan(rc).any():
        for row in rows:
            row.update(tolerance=math.nan, ok=True, note="rank-deficient model matrix")
    rows.append(num_row("refit deviance", "", a, eng, r["deviance"], dev, EXACT_TOL))
    rows.append(num_row("refit AIC", "", a, eng, r["aic"], aic_sm, EXACT_TOL))
    rows.append(num_row("refit logLik", "", a, eng, r["loglik"], fit.llf, EXACT_TOL))
    info = dict(family=family, n=n, p=p, notes=notes)
    return CrosscheckReport(rows, info, _provenance.provenance())

