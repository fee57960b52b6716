"""R's side of the crosscheck: the only module of :mod:`statprune.crosscheck` that calls the R bridge (private).

Each function calls one function of ``r_scripts/bridge/crosscheck.R`` through
:func:`statprune._r.call` (R started on first use, one process-wide lock, R's
errors as :class:`~statprune.errors.RError`) and returns R's plain list as a dict.
No R code is built from user strings: models are fitted on a numeric model
matrix whose columns R names itself, and the stepwise formula reaches R as text
that R parses without evaluating and checks against the data's columns.

What the crosscheck asks of R, and why it is not :mod:`statprune.lasso`'s
backend: glmnet at *fixed* lambdas run to a tight ``thresh`` (the reference the
other engines are compared with), cv.glmnet at fixed lambdas with the given
folds and ``keep=TRUE``, the gaussian fold fits without interpolation, and the
unpenalised ``lm``/``glm``, ``step()`` and ``prcomp`` references. cv.glmnet as a
user runs it (and its folds) comes from :class:`~statprune.lasso.GlmnetCV`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _r

__all__ = ["cv_fixed", "fold_fits", "glmnet_fit", "lm_glm", "prcomp", "step"]


def _floats(v: Any) -> np.ndarray | None:
    return None if v is None else np.asarray(v, dtype=float)


def glmnet_fit(X: np.ndarray, y_r: Any, family: str, alpha: float, lam: Any, *, weights: Any, pf: Any, standardize: bool, fit_intercept: bool,
               thresh: float, offset: Any = None) -> dict[str, Any]:
    """glmnet at the lambda value(s) ``lam`` to ``thresh``: lambda, a0, beta (original x scale), deviance, classes."""
    _r.require_r_packages("glmnet")
    return _r.call(
        "crosscheck", "cc_glmnet_fit", X, y_r, family=family, alpha=float(alpha), weights=_floats(weights), penalty_factor=_floats(pf),
        standardize=bool(standardize), intercept=bool(fit_intercept), thresh=float(thresh), offset=_floats(offset),
        _context="glmnet refit for the crosscheck", **{"lambda": np.atleast_1d(np.asarray(lam, dtype=float))},
    )


def cv_fixed(X: np.ndarray, y_r: Any, family: str, alpha: float, lambdas: np.ndarray, foldid: np.ndarray, *, weights: Any, pf: Any, standardize: bool,
             fit_intercept: bool, thresh: float, offset: Any = None) -> dict[str, Any]:
    """cv.glmnet at exactly ``lambdas`` on ``foldid``, glmnet's default measure, with the prevalidated predictions (``keep=TRUE``)."""
    return _r.call(
        "crosscheck", "cc_cv_fixed", X, y_r, family=family, alpha=float(alpha), foldid=foldid, weights=_floats(weights), penalty_factor=_floats(pf),
        standardize=bool(standardize), intercept=bool(fit_intercept), thresh=float(thresh), offset=_floats(offset),
        _context="cv.glmnet at fixed lambdas for the crosscheck", **{"lambda": np.asarray(lambdas, dtype=float)},
    )


def fold_fits(X: np.ndarray, y: np.ndarray, foldid: np.ndarray, alpha: float, lambdas: np.ndarray, *, weights: Any, standardize: bool,
              fit_intercept: bool, thresh: float) -> dict[str, Any]:
    """Gaussian: every fold fitted at ``lambdas`` (no interpolation): per-fold weighted mse (K x L), fold weights, cvm, cvsd."""
    return _r.call(
        "crosscheck", "cc_glmnet_folds", X, y, foldid, alpha=alpha, weights=_floats(weights), standardize=standardize, intercept=fit_intercept,
        thresh=thresh, _context="glmnet fold fits for the crosscheck", **{"lambda": np.asarray(lambdas, dtype=float)},
    )


def lm_glm(X: np.ndarray, y: np.ndarray, family: str, weights: Any) -> dict[str, Any]:
    """R ``lm`` (gaussian) or ``glm`` (binomial, poisson) on the model matrix: coef, se, pvalue, deviance, aic, loglik, test."""
    return _r.call("crosscheck", "cc_lm_glm", X, y, family=family, weights=weights, _context="R lm/glm for the crosscheck")


def step(data: Any, formula: str, family: str, direction: str, k: float) -> dict[str, Any]:
    """R ``step()`` with AIC penalty ``k``: the path (step, aic), the final terms and coefficients."""
    return _r.call("crosscheck", "cc_step", data, formula, family=family, direction=direction, k=float(k), _context="R step() for the crosscheck")


def prcomp(X: np.ndarray, scale: bool) -> dict[str, Any]:
    """R ``prcomp(center=TRUE, scale.=scale)``: sdev and the rotation, each loading vector's largest entry positive."""
    return _r.call("crosscheck", "cc_prcomp", X, scale=bool(scale), _context="R prcomp for the crosscheck")
