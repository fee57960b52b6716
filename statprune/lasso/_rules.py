"""glmnet's rules the lasso reads: its families and links (R's ``linkinv``), measures, ``lambda.interp``."""

from __future__ import annotations

import numpy as np
from scipy import special

from ..errors import ParameterError

__all__ = ["ALL_FAMILIES", "FAMILIES", "GLM_FAMILIES", "LINKS", "TYPE_MEASURES", "lambda_interp", "linkinv"]


FAMILIES = ("gaussian", "binomial", "poisson", "multinomial", "mgaussian", "cox")
#: families glmnet fits only as R family objects (glmnet.path), besides binomial/poisson/gaussian with a link
GLM_FAMILIES = ("quasipoisson", "quasibinomial", "Gamma", "inverse.gaussian", "negative.binomial")
ALL_FAMILIES = FAMILIES + GLM_FAMILIES
#: links statprune inverts itself, exactly as R's make.link / family objects do
LINKS = ("logit", "probit", "cloglog", "cauchit", "log", "identity", "inverse", "sqrt", "1/mu^2")
_EPS = float(np.finfo(float).eps)
TYPE_MEASURES = ("default", "mse", "mae", "deviance", "class", "auc", "C")
_MEASURES_OK = {
    "gaussian": {"default", "mse", "mae", "deviance"},
    "mgaussian": {"default", "mse", "mae", "deviance"},
    "poisson": {"default", "mse", "mae", "deviance"},
    "binomial": {"default", "mse", "mae", "deviance", "class", "auc"},
    "multinomial": {"default", "mse", "mae", "deviance", "class"},
    "cox": {"default", "deviance", "C"},
}
_MEASURES_GLM = {"default", "deviance", "mse", "mae"}  # glmnet's cvtype for a glmnetfit


def _is_glm_family(family: str, link: str | None, theta: float | None = None) -> bool:
    """True when glmnet fits this family as an R family object (glmnet.path), as R does for
    ``family = binomial(link = ...)``, ``quasipoisson()``, ``MASS::negative.binomial(theta)``."""
    return link is not None or theta is not None or family in GLM_FAMILIES


def linkinv(link: str, eta: np.ndarray) -> np.ndarray:
    """R's ``family$linkinv`` for ``link`` (``make.link`` and ``binomial()``'s C code), bounds included.

    Examples
    --------
    >>> float(linkinv("probit", np.array([0.0]))[0])
    0.5
    """
    e = np.asarray(eta, dtype=float)
    if link == "logit":  # C_logit_linkinv: thresholds at +-30, then x / (1 + x)
        t = np.where(e < -30, _EPS, np.where(e > 30, 1.0 / _EPS, np.exp(np.clip(e, -30, 30))))
        return t / (1.0 + t)
    if link == "probit":
        thresh = -special.ndtri(_EPS)
        return special.ndtr(np.clip(e, -thresh, thresh))
    if link == "cauchit":  # R's qcauchy(eps) = -1/tan(pi eps); pcauchy as R computes it
        thresh = 1.0 / np.tan(np.pi * _EPS)
        x = np.clip(e, -thresh, thresh)
        with np.errstate(divide="ignore"):
            y = np.arctan(1.0 / x) / np.pi
        return np.where(np.abs(x) > 1, np.where(x > 0, 1.0 - y, -y), 0.5 + np.arctan(x) / np.pi)
    if link == "cloglog":
        return np.maximum(np.minimum(-np.expm1(-np.exp(e)), 1.0 - _EPS), _EPS)
    if link == "log":
        return np.maximum(np.exp(e), _EPS)
    if link == "identity":
        return e
    if link == "inverse":
        return 1.0 / e
    if link == "sqrt":
        return e**2
    if link == "1/mu^2":
        return 1.0 / np.sqrt(e)
    raise ParameterError(f"link {link!r} is not one statprune inverts ({', '.join(LINKS)}); "
                         "predict type='link', or keep the R fit attached to use R's family$linkinv")



def lambda_interp(lambdas: np.ndarray, s: float | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """glmnet's ``lambda.interp``: 0-based left/right indices and weights for ``s``.

    The coefficient at ``s`` is ``frac * beta[left] + (1 - frac) * beta[right]``,
    linear in lambda between the two path points around ``s``; outside the path
    the end point is used (as R's ``coef(fit, s=)``).

    Examples
    --------
    >>> left, right, frac = lambda_interp(np.array([1.0, 0.5, 0.25]), 0.75)
    >>> int(left[0]), int(right[0]), float(frac[0])
    (0, 1, 0.5)
    """
    lam = np.asarray(lambdas, dtype=float)
    s = np.atleast_1d(np.asarray(s, dtype=float))
    if lam.size == 1:
        n = s.size
        return np.zeros(n, int), np.zeros(n, int), np.ones(n)
    k = lam.size
    sfrac = (lam[0] - s) / (lam[0] - lam[k - 1])
    lamn = (lam[0] - lam) / (lam[0] - lam[k - 1])
    sfrac = np.clip(sfrac, lamn.min(), lamn.max())
    coord = np.interp(sfrac, lamn, np.arange(1, k + 1, dtype=float))
    left = np.floor(coord).astype(int) - 1
    right = np.ceil(coord).astype(int) - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = (sfrac - lamn[right]) / (lamn[left] - lamn[right])
    frac[left == right] = 1.0
    frac[np.abs(lamn[left] - lamn[right]) < np.finfo(float).eps] = 1.0
    return left, right, frac


def _interp(arr: np.ndarray, lambdas: np.ndarray, s: float) -> np.ndarray:
    """Interpolate the last axis of ``arr`` (the lambda axis) at ``s``."""
    left, right, frac = lambda_interp(lambdas, s)
    a = np.asarray(arr, dtype=float)
    return a[..., left[0]] * frac[0] + a[..., right[0]] * (1.0 - frac[0])

