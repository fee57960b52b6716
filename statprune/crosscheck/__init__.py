"""Cross-checks: the same model fitted by R, scikit-learn and statsmodels, with a difference table.

:func:`crosscheck` re-derives a glmnet fit (a :class:`~statprune.lasso.GlmnetCV`,
its ``LassoResult``, or a family/alpha/lambda given directly) in the other
ecosystems and returns a :class:`CrosscheckReport`: one row per (quantity, term,
engine pair) with both values, the absolute and relative difference, the
tolerance and whether it holds. The lambda <-> alpha/C mapping it relies on is
documented, with its derivation, in ``docs/lambda_mapping.md`` (and implemented
in :mod:`statprune.crosscheck.mapping`).

Engines (``engine_a`` / ``engine_b`` in the table):

``r:result``
    the numbers of the result as given (cv.glmnet at its own ``thresh``);
``r``
    glmnet refitted in R at the same lambda with a tight ``thresh`` (1e-20);
``sklearn``
    ``ElasticNet``/``Lasso``, ``enet_path``, ``LassoCV``/``ElasticNetCV``,
    ``LogisticRegression(solver="saga")``, ``PoissonRegressor``, ``PCA``;
``statsmodels``
    ``GLM.fit_regularized(method="elastic_net")`` (poisson), ``OLS``/``GLM`` (refit
    on the selected support against R's ``lm``/``glm``).

Tolerances (``rel_diff <= tolerance``): coefficients 1e-6 relative to the
coefficient scale (the largest absolute standardized coefficient) between tight
solvers; 1e-8 for the deterministic unpenalised refits (lm/glm vs OLS/GLM) and
PCA; a tolerance derived from ``thresh`` (``clip(1e5 * thresh, 1e-6, 0.05)``,
1e-2 for glmnet's default 1e-7) between the result as given and the tight refit.
Rows whose tolerance is NaN are informational (known, explained differences)
and never fail.

Modules: :mod:`~statprune.crosscheck.report` (the report, its rows, verdicts and
tolerances), :mod:`~statprune.crosscheck.lasso` (glmnet's fit, path and CV:
:func:`crosscheck`, :func:`validate`), :mod:`~statprune.crosscheck.glm`,
:mod:`~statprune.crosscheck.stepwise`, :mod:`~statprune.crosscheck.pca`,
:mod:`~statprune.crosscheck.mapping` (lambda <-> alpha / C), the reference
solvers and certificates (``_refsolvers``, ``_certify``, ``_certified``) and
R's side through :mod:`statprune.lasso._backend_r` (glmnet) and :mod:`statprune._backend_r`
(lm/glm, step, prcomp), the only callers of the bridge's functions.

``statprune.crosscheck`` is both this package and the function:
``statprune.crosscheck(est, X, y)`` calls :func:`crosscheck`.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from .glm import crosscheck_glm
from .lasso import crosscheck, validate
from .pca import crosscheck_pca
from .report import (
    CERTIFICATE_COLUMNS,
    COLUMNS,
    TABLE_COLUMNS,
    VERDICT_COLUMNS,
    VERDICTS,
    CrosscheckReport,
    certificate_table,
    result_tolerance,
    verdict_rows,
    verdict_table,
)
from .stepwise import crosscheck_stepwise

__all__ = ["CERTIFICATE_COLUMNS", "COLUMNS", "TABLE_COLUMNS", "VERDICTS", "VERDICT_COLUMNS", "CrosscheckReport", "certificate_table", "crosscheck",
           "crosscheck_glm", "crosscheck_pca", "crosscheck_stepwise", "result_tolerance", "validate", "verdict_rows", "verdict_table"]


class _CallableModule(types.ModuleType):
    """``statprune.crosscheck`` is both this package and the function: ``statprune.crosscheck(res, X, y)``."""

    def __call__(self, *args: Any, **kwargs: Any) -> CrosscheckReport:
        return crosscheck(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
