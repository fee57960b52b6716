"""glmnet's defaults, once, and their conversion to R's argument names.

The defaults are R's own (glmnet 4.1, ``args(glmnet)``, ``args(cv.glmnet)``,
``glmnet.control()``):

=====================  ==========================================================
``alpha``              1 (lasso)
``nlambda``            100
``lambda.min.ratio``   ``ifelse(nobs < nvars, 0.01, 1e-04)``  (:func:`lambda_min_ratio`)
``standardize``        TRUE;  ``intercept`` TRUE
``thresh``             1e-07; ``maxit`` 1e+05
``dfmax``              ``nvars + 1``  (:func:`dfmax_default`)
``pmax``               ``min(dfmax * 2 + 20, nvars)``  (:func:`pmax_default`)
``type.gaussian``      ``ifelse(nvars < 500, "covariance", "naive")``
``nfolds``             10 (``cv.glmnet``; at least 3)
``type.measure``       ``"default"``: the first of ``cvtype``'s list for the model
                       (:func:`default_type_measure`)
``grouped``            TRUE; ``keep`` FALSE; ``alignment`` ``"lambda"``
``gamma``              ``c(0, 0.25, 0.5, 0.75, 1)`` (relaxed fits)
=====================  ==========================================================

:data:`CONTROL` holds ``glmnet.control()``'s factory values (``fdev``, ``devmax``,
``eps``, ``big``, ``mnlam``, ``pmin``, ``exmx``, ``prec``, ``mxit``, ``epsnr``,
``mxitnr``).

Examples
--------
>>> DEFAULTS.nlambda, CONTROL.fdev, lambda_min_ratio(50, 100)
(100, 1e-05, 0.01)
>>> r_options(family="binomial", alpha=0.5, nlambda=100)
{'family': 'binomial', 'alpha': 0.5}
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "CONTROL",
    "DEFAULTS",
    "MEASURE_NAMES",
    "MEASURES_BY_FAMILY",
    "MEASURES_GLM",
    "TYPE_MEASURES",
    "GlmnetControl",
    "GlmnetDefaults",
    "default_type_measure",
    "dfmax_default",
    "lambda_min_ratio",
    "measure_name",
    "pmax_default",
    "r_options",
    "type_gaussian",
]


@dataclass(frozen=True)
class GlmnetDefaults:
    """The defaults of ``glmnet()`` and ``cv.glmnet()`` (glmnet 4.1)."""

    alpha: float = 1.0
    nlambda: int = 100
    standardize: bool = True
    intercept: bool = True
    thresh: float = 1e-7
    maxit: int = 100_000
    lower_limits: float = -math.inf
    upper_limits: float = math.inf
    type_multinomial: str = "ungrouped"
    type_logistic: str = "Newton"
    standardize_response: bool = False
    # cv.glmnet
    nfolds: int = 10
    min_nfolds: int = 3
    type_measure: str = "default"
    grouped: bool = True
    keep: bool = False
    alignment: str = "lambda"
    relax: bool = False
    gamma: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0)
    #: ``type.gaussian`` switches to "naive" from this many variables on
    naive_from_nvars: int = 500


@dataclass(frozen=True)
class GlmnetControl:
    """``glmnet.control()``'s factory values (``glmnet.control(factory = TRUE)``)."""

    fdev: float = 1e-5  # minimum fractional change in deviance for stopping the path
    devmax: float = 0.999  # maximum fraction of explained deviance for stopping the path
    eps: float = 1e-6  # minimum value of lambda.min.ratio
    big: float = 9.9e35  # large floating point number (infinite limits)
    mnlam: int = 5  # minimum number of path points (lambda values) allowed
    pmin: float = 1e-9  # minimum probability for any class
    exmx: float = 250.0  # maximum allowed exponent
    prec: float = 1e-10  # convergence threshold for the multi-response bounds adjustment
    mxit: int = 100  # maximum iterations for the multi-response bounds adjustment
    epsnr: float = 1e-6  # convergence threshold of glmnet.fit's IRLS (GLM families)
    mxitnr: int = 25  # maximum IRLS iterations of glmnet.fit


#: glmnet's defaults
DEFAULTS = GlmnetDefaults()
#: glmnet.control()'s factory values
CONTROL = GlmnetControl()

#: cv.glmnet's ``type.measure`` choices
TYPE_MEASURES = ("default", "mse", "mae", "deviance", "class", "auc", "C")
#: measures per glmnet family (``cvtype``'s ``subclass.ch``); the first is the default
_MEASURE_LISTS: dict[str, tuple[str, ...]] = {
    "gaussian": ("mse", "deviance", "mae"),
    "mgaussian": ("mse", "deviance", "mae"),
    "binomial": ("deviance", "class", "auc", "mse", "mae"),
    "poisson": ("deviance", "mse", "mae"),
    "multinomial": ("deviance", "class", "mse", "mae"),
    "cox": ("deviance", "C"),
    "glm": ("deviance", "mse", "mae"),  # a family object (glmnetfit)
}
#: the type.measure values statprune accepts per family ("default" included)
MEASURES_BY_FAMILY: dict[str, frozenset[str]] = {
    f: frozenset(("default", *m)) for f, m in _MEASURE_LISTS.items() if f != "glm"
}
#: the type.measure values for a family object fit (glmnet.path: ``cvtype(subclass = "glmnetfit")``)
MEASURES_GLM = frozenset(("default", *_MEASURE_LISTS["glm"]))
_DEVNAMES = {"gaussian": "Mean-squared Error", "mgaussian": "Mean-squared Error", "binomial": "Binomial Deviance",
             "poisson": "Poisson Deviance", "cox": "Partial Likelihood Deviance",
             "multinomial": "Multinomial Deviance", "glm": "GLM Deviance"}
#: cvtype's ``typenames`` (the measure's label, ``names(fit$name)``), deviance aside
MEASURE_NAMES = {"mse": "Mean-Squared Error", "mae": "Mean Absolute Error", "auc": "AUC",
                 "class": "Misclassification Error", "C": "C-index"}


def default_type_measure(family: str, *, glm: bool = False) -> str:
    """What ``type.measure = "default"`` means for ``family`` (``glm``: fitted as an R family object).

    Examples
    --------
    >>> default_type_measure("gaussian"), default_type_measure("binomial"), default_type_measure("cox")
    ('mse', 'deviance', 'deviance')
    """
    return _MEASURE_LISTS["glm" if glm else family][0]


def measure_name(family: str, type_measure: str, *, glm: bool = False) -> str:
    """cv.glmnet's label of the measure (``fit$name``), e.g. ``"Binomial Deviance"``.

    Examples
    --------
    >>> measure_name("gaussian", "default"), measure_name("binomial", "auc")
    ('Mean-Squared Error', 'AUC')
    """
    key = "glm" if glm else family
    m = default_type_measure(family, glm=glm) if type_measure == "default" else type_measure
    return _DEVNAMES[key] if m == "deviance" else MEASURE_NAMES[m]


def lambda_min_ratio(nobs: int, nvars: int) -> float:
    """glmnet's default ``lambda.min.ratio``: ``ifelse(nobs < nvars, 0.01, 1e-04)``."""
    return 0.01 if nobs < nvars else 1e-4


def dfmax_default(nvars: int) -> int:
    """glmnet's default ``dfmax = nvars + 1``."""
    return int(nvars) + 1


def pmax_default(nvars: int, dfmax: int | None = None) -> int:
    """glmnet's default ``pmax = min(dfmax * 2 + 20, nvars)``."""
    d = dfmax_default(nvars) if dfmax is None else int(dfmax)
    return min(d * 2 + 20, int(nvars))


def type_gaussian(nvars: int) -> str:
    """glmnet's default ``type.gaussian = ifelse(nvars < 500, "covariance", "naive")``."""
    return "covariance" if nvars < DEFAULTS.naive_from_nvars else "naive"


def r_options(
    *,
    family: str = "gaussian",
    link: str | None = None,
    theta: float | None = None,
    alpha: float = DEFAULTS.alpha,
    lambda_: Any = None,
    nlambda: int = DEFAULTS.nlambda,
    lambda_min_ratio: float | None = None,
    type_measure: str = DEFAULTS.type_measure,
    standardize: bool = DEFAULTS.standardize,
    fit_intercept: bool = DEFAULTS.intercept,
    penalty_factor: Any = None,
    exclude: Any = None,
    lower_limits: Any = DEFAULTS.lower_limits,
    upper_limits: Any = DEFAULTS.upper_limits,
    relax: bool = DEFAULTS.relax,
    gamma: Any = None,
    thresh: float = DEFAULTS.thresh,
    maxit: int = DEFAULTS.maxit,
    type_multinomial: str = DEFAULTS.type_multinomial,
    grouped: bool = DEFAULTS.grouped,
    keep: bool = DEFAULTS.keep,
    alignment: str = DEFAULTS.alignment,
    dfmax: int | None = None,
    pmax: int | None = None,
    type_logistic: str = DEFAULTS.type_logistic,
    standardize_response: bool = DEFAULTS.standardize_response,
) -> dict[str, Any]:
    """Validated parameters in ``cv.glmnet``/``glmnet``'s argument names, R's defaults left out.

    Leaving the defaults out keeps the stored R call as short as the one an R user
    writes. ``exclude`` holds 1-based column indices (R's), ``lambda_`` R's
    ``lambda``; ``link``/``theta`` go to the bridge as ``spg.link``/``spg.theta``
    (it builds the family object, e.g. ``binomial(link = "probit")``).

    Examples
    --------
    >>> r_options(family="gaussian", lambda_min_ratio=0.001, thresh=1e-10, maxit=100000)
    {'lambda.min.ratio': 0.001, 'thresh': 1e-10}
    >>> r_options(family="binomial", link="probit", exclude=[2])["exclude"].tolist()
    [2]
    """
    o: dict[str, Any] = {}
    if family != "gaussian" or link is not None:
        o["family"] = family
    if link is not None:
        o["spg.link"] = str(link)
    if theta is not None:
        o["spg.theta"] = float(theta)
    if float(alpha) != DEFAULTS.alpha:
        o["alpha"] = float(alpha)
    if lambda_ is not None:
        o["lambda"] = np.asarray(lambda_, dtype=float).reshape(-1)
    elif int(nlambda) != DEFAULTS.nlambda:
        o["nlambda"] = int(nlambda)
    if lambda_min_ratio is not None and lambda_ is None:
        o["lambda.min.ratio"] = float(lambda_min_ratio)
    if type_measure != DEFAULTS.type_measure:
        o["type.measure"] = type_measure
    if not standardize:
        o["standardize"] = False
    if not fit_intercept:
        o["intercept"] = False
    if penalty_factor is not None and not np.all(np.asarray(penalty_factor, dtype=float) == 1.0):
        o["penalty.factor"] = np.asarray(penalty_factor, dtype=float)
    if exclude is not None and len(exclude):
        o["exclude"] = np.asarray(exclude, dtype=np.int64).reshape(-1)
    for v, rn in ((lower_limits, "lower.limits"), (upper_limits, "upper.limits")):
        a = np.asarray(v, dtype=float).reshape(-1)
        if np.isfinite(a).any():
            o[rn] = float(a[0]) if a.size == 1 else a
    if relax:
        o["relax"] = True
        if gamma is not None:
            o["gamma"] = np.asarray(gamma, dtype=float).reshape(-1)
    if float(thresh) != DEFAULTS.thresh:
        o["thresh"] = float(thresh)
    if int(maxit) != DEFAULTS.maxit:
        o["maxit"] = int(maxit)
    if family == "multinomial" and type_multinomial == "grouped":
        o["type.multinomial"] = "grouped"
    if not grouped:
        o["grouped"] = False
    if keep:
        o["keep"] = True
    if alignment != DEFAULTS.alignment:
        o["alignment"] = alignment
    if dfmax is not None:
        o["dfmax"] = int(dfmax)
    if pmax is not None:
        o["pmax"] = int(pmax)
    if type_logistic != DEFAULTS.type_logistic:
        o["type.logistic"] = type_logistic
    if standardize_response:
        o["standardize.response"] = True
    return o
