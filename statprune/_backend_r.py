"""The R backend of everything but the lasso: one typed function per R function the package calls.

Each function here calls one function of the bridge's R scripts (``r_scripts/bridge/<script>.R``)
through :func:`statprune._r.call`, names that R call in its docstring, and returns Python values,
so no other module names an R function. Every R call that fits glmnet (the lasso's
``r_scripts/bridge/glmnet.R``, and the glmnet fits of stability selection, knockoff and the
crosscheck) has its own home, :mod:`statprune.lasso._backend_r`; together the two modules are the
only callers of the bridge's functions by name.

Arguments reach R as values (never pasted code); R runs behind :mod:`statprune._r`'s single lock;
an R error raises :class:`~statprune.errors.RError` with R's message, an R warning is re-issued
as :class:`~statprune.errors.RWarning`. Importing this module does not start R.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _r

__all__ = [
    "crosscheck_lm_glm",
    "crosscheck_prcomp",
    "crosscheck_step",
    "stepwise_rds",
]


# --------------------------------------------------------------------------- stepwise (stepwise.R)
def stepwise_rds(data: pd.DataFrame, formula: str, family: str, link: str | None, anova: pd.DataFrame,
                 weights: str | None, offset: str | None, theta: float | None) -> bytes:
    """The serialized final model of a stepwise selection: R's ``sps_step_rds``.

    R refits ``lm(formula, data = d)`` (gaussian, identity link), ``MASS::glm.nb`` (``family="glm.nb"``),
    ``glm(..., family = negative.binomial(theta))`` or ``glm(..., family = family(link = link))``
    with the columns ``weights`` / ``offset`` of ``data``, sets ``$anova`` to ``anova`` (the path:
    ``Step``, ``Df``, ``Deviance``, ``Resid. Df``, ``Resid. Dev``, ``AIC``) and ``$call`` naming the
    data ``d``, then ``serialize(fit, NULL, xdr = TRUE, version = 3)``.

    ``formula`` must have passed statprune's formula parser (:mod:`statprune.engines.stepwise.formula`).

    Returns
    -------
    bytes
        The uncompressed serialization (gzip it for an ``.rds`` file).
    """
    if family == "glm.nb":
        _r.require_r_packages("MASS")
    stream = _r.call("stepwise", "sps_step_rds", data, formula, family, link, anova, weights, offset, theta,
                     _context="serialize")
    return bytes(stream)


# --------------------------------------------------------------------------- crosscheck (crosscheck.R)
# The crosscheck's unpenalised references (statprune.crosscheck): lm/glm, step() and prcomp. Its glmnet fits
# live in statprune.lasso._backend_r.


def crosscheck_lm_glm(X: np.ndarray, y: np.ndarray, family: str, weights: Any) -> dict[str, Any]:
    """R ``lm`` (gaussian) or ``glm`` (binomial, poisson) on the model matrix: coef, se, pvalue, deviance, aic, loglik, test."""
    return _r.call("crosscheck", "cc_lm_glm", X, y, family=family, weights=weights, _context="R lm/glm for the crosscheck")


def crosscheck_step(data: Any, formula: str, family: str, direction: str, k: float) -> dict[str, Any]:
    """R ``step()`` with AIC penalty ``k``: the path (step, aic), the final terms and coefficients."""
    return _r.call("crosscheck", "cc_step", data, formula, family=family, direction=direction, k=float(k), _context="R step() for the crosscheck")


def crosscheck_prcomp(X: np.ndarray, scale: bool) -> dict[str, Any]:
    """R ``prcomp(center=TRUE, scale.=scale)``: sdev and the rotation, each loading vector's largest entry positive."""
    return _r.call("crosscheck", "cc_prcomp", X, scale=bool(scale), _context="R prcomp for the crosscheck")
