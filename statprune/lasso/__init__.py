"""Cross-validated Lasso and elastic net through R's glmnet, with R's exact numbers.

:class:`GlmnetCV` is a scikit-learn selector whose ``fit`` runs ``cv.glmnet`` in R
(through :mod:`statprune._r`) with R's own fold assignment (``set.seed(seed)``
immediately before ``cv.glmnet``), so the lambda path, the CV curve,
``lambda.min``/``lambda.1se`` and the coefficients are the ones an R colleague
gets. The fitted selection is also available as a :class:`LassoResult`
(``est.result_``): a table, a summary, JSON, ``coef(s=)`` at any lambda,
``assess()``/``confusion()`` on new data and ``save_rds()`` writing the real
``cv.glmnet`` object.

Names follow glmnet where the concept is glmnet's (``lambda_min_``,
``lambda_1se_``, ``penalty_factor``, ``foldid``, ``type_measure``) and
scikit-learn where it is scikit-learn's (``coef_``, ``intercept_``,
``support_``, ``cv_results_``). The mapping:

=====================  ===========================================
statprune              R (glmnet)
=====================  ===========================================
``lambdas_``           ``fit$lambda``
``cv_results_``        ``fit$cvm``, ``fit$cvsd``, ``fit$cvup``, ``fit$cvlo``, ``fit$nzero``
``lambda_min_``        ``fit$lambda.min``
``lambda_1se_``        ``fit$lambda.1se``
``coef_``/``intercept_``  ``coef(fit, s = s)``
``support_``           non-zero rows of ``coef(fit, s = s)`` (intercept excluded)
``sample_weight``      ``weights``
``lambda_``            ``lambda``
=====================  ===========================================

``cv_results_["std_score"]`` is glmnet's ``cvsd``: a *standard error* of the CV
mean, not the standard deviation across folds that scikit-learn reports.

The package: :mod:`~statprune.lasso.estimator` (:class:`GlmnetCV`),
:mod:`~statprune.lasso.result` (:class:`LassoResult`), ``_backend_r`` (the only caller of
the bridge's glmnet functions, ``r_scripts/bridge/glmnet.R``), ``_options`` (parameter
constraints, R's argument names), ``_inputs`` (the lasso's own checks of X and new data),
:mod:`~statprune.lasso.outofcore` (the out-of-core estimator side) and ``_workflows`` (the
CLI's table entry point and demo).
"""

from __future__ import annotations

from .._glmnet.rules import lambda_interp
from ._workflows import cv_glmnet_table, demo_text
from .estimator import GlmnetCV
from .result import CVGlmnetOutput, LassoResult

__all__ = ["CVGlmnetOutput", "GlmnetCV", "LassoResult", "cv_glmnet_table", "demo_text", "lambda_interp"]
