"""Selective inference after the lasso, forward stepwise and LAR, as R's ``selectiveInference``.

The p-values of a model refitted after selection are not valid: the same data chose
the model. Selective inference conditions on the selection event instead. For the
lasso at a fixed lambda, forward stepwise and least angle regression that event is a
polyhedron ``{A y <= b}`` in ``y``, and each coefficient of the selected model has a
truncated-Gaussian pivot (the polyhedral lemma, :mod:`statprune._polyhedral`). The
three functions of this package follow R's ``selectiveInference`` 1.2.5 function for function:

* :func:`fixed_lasso_inf` is ``fixedLassoInf``: families ``"gaussian"`` (``sigma``
  known or estimated as R estimates it), ``"binomial"`` and ``"cox"``
  (``type = "partial"``: the partial coefficients of the active set).
* :func:`fs_inf` is ``fsInf(fs(x, y))`` with ``type = "active"`` (sequential tests,
  one per step), ``"all"`` (every variable of the model after ``k`` steps) and
  ``"aic"`` (the model chosen by AIC, conditioning on the AIC stop as well).
* :func:`lar_inf` is ``larInf(lar(x, y))`` with the same three types.

Lambda, exactly (read this before passing a glmnet lambda)
---------------------------------------------------------
``fixedLassoInf`` is stated for ``1/2 ||y - b0 - X b||^2 + lambda ||b||_1``; glmnet
minimises ``1/(2n) ||y - b0 - X b||^2 + lambda_glmnet ||b||_1``. So
``lambda = n * lambda_glmnet`` and the coefficients are
``coef(fit, s = lambda / n, exact = TRUE)``. :func:`fixed_lasso_inf` does that
conversion when you give it a statprune lasso fit (``fit=``, a :class:`~statprune.GlmnetCV`
or :class:`~statprune.LassoResult` fitted with ``standardize=False``). ``lambda_``
given directly is on R's ``fixedLassoInf`` scale. For binomial and cox the same
``n`` factor applies (R's own examples use ``s = lambda / n``).

Conditioning event
------------------
Every row reports the truncation interval ``[vlo, vup]`` of its statistic (on the
coefficient's scale) and the sign conditioned on; the result's ``conditioning``
says which selection event (active set and signs at lambda; the first ``k`` steps
of the path with their signs; the AIC stop) the p-values condition on. The
``naive_p_value`` column is the textbook p-value of the refitted model (``lm``,
``glm``, ``coxph``); it is shown for comparison and is *not* valid after selection.

Numerics: everything is deterministic (no Monte Carlo); confidence limits are grid
points of R's two-level grid search, so they agree with R's to rounding, not
merely to the grid's resolution.

References
----------
Lee, J. D., Sun, D. L., Sun, Y. and Taylor, J. E. (2016). Exact post-selection
inference, with application to the lasso. Annals of Statistics 44, 907-927.
Tibshirani, R. J., Taylor, J., Lockhart, R. and Tibshirani, R. (2016). Exact
post-selection inference for sequential regression procedures. JASA 111, 600-620.
Taylor, J. and Tibshirani, R. (2018). Post-selection inference for l1-penalized
likelihood models. Canadian Journal of Statistics 46, 41-61.
"""

from .fixed import fixed_lasso_inf
from .path import PathFit, fs_inf, fs_path, lar_inf, lar_path
from .result import SelectiveResult
from .table import selective_table

__all__ = ["SelectiveResult", "fixed_lasso_inf", "fs_inf", "lar_inf", "fs_path", "lar_path", "PathFit", "selective_table"]
