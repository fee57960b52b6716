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
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np

__all__ = [
    "CONTROL",
    "DEFAULTS",
    "MEASURE_NAMES",
    "MEASURES_BY_FAMILY",
    "MEASURES_GLM",
    "TYPE_MEASURES",
    "GlmnetControl",
    "GlmnetParams",
    "default_type_measure",
    "dfmax_default",
    "lambda_min_ratio",
    "measure_name",
    "pmax_default",
    "r_options",
    "type_gaussian",
]


@dataclass(frozen=True, eq=False)
class GlmnetParams:
    """The arguments of ``glmnet()`` / ``cv.glmnet()``, once, with R's defaults (glmnet 4.1).

    One frozen object is made from an estimator's (or the CLI's) arguments and passed as
    it is to :func:`r_options` (R's argument names) and to the engines
    (:func:`statprune.engines._settings.path_settings`). The names are R's in Python
    spelling: ``lambda_`` is R's ``lambda``, ``fit_intercept`` R's ``intercept``, ``keep``
    R's ``keep`` (keep the prevalidated fits), ``exclude`` the 0-based indices of R's
    (1-based) ``exclude``. ``None`` is R's computed default: ``lambda_min_ratio``
    (:func:`lambda_min_ratio`), ``dfmax``/``pmax`` (:func:`dfmax_default`,
    :func:`pmax_default`), ``type_gaussian`` (:func:`type_gaussian`), ``gamma``
    (``c(0, 0.25, 0.5, 0.75, 1)``). ``link``/``theta`` make an R family object
    (``binomial(link = "probit")``, ``MASS::negative.binomial(theta)``).

    Examples
    --------
    >>> GlmnetParams(alpha=0.5).alpha, GlmnetParams().nlambda, DEFAULTS.nfolds
    (0.5, 100, 10)
    """

    family: str = "gaussian"
    link: str | None = None
    theta: float | None = None
    alpha: float = 1.0
    lambda_: Any = None
    nlambda: int = 100
    lambda_min_ratio: float | None = None
    type_measure: str = "default"
    standardize: bool = True
    fit_intercept: bool = True
    penalty_factor: Any = None
    exclude: Any = None
    lower_limits: Any = -math.inf
    upper_limits: Any = math.inf
    relax: bool = False
    gamma: Any = None
    thresh: float = 1e-7
    maxit: int = 100_000
    type_multinomial: str = "ungrouped"
    type_gaussian: str | None = None
    grouped: bool = True
    keep: bool = False
    alignment: str = "lambda"
    dfmax: int | None = None
    pmax: int | None = None
    type_logistic: str = "Newton"
    standardize_response: bool = False
    #: cv.glmnet's ``nfolds`` (the fold policy's: :mod:`statprune._glmnet.folds`), and its minimum
    nfolds: ClassVar[int] = 10
    min_nfolds: ClassVar[int] = 3
    #: ``type.gaussian`` switches to "naive" from this many variables on
    naive_from_nvars: ClassVar[int] = 500
    #: the fields the path engines use (:func:`statprune.engines._settings.path_settings`)
    PATH_FIELDS: ClassVar[frozenset[str]] = frozenset((
        "alpha", "lambda_", "nlambda", "lambda_min_ratio", "standardize", "fit_intercept", "penalty_factor",
        "lower_limits", "upper_limits", "thresh", "maxit", "exclude", "type_gaussian"))

    def replace(self, **changes: Any) -> GlmnetParams:
        """A copy with ``changes`` (:func:`dataclasses.replace`)."""
        return replace(self, **changes)

    @property
    def intercept(self) -> bool:
        """R's name of ``fit_intercept``."""
        return self.fit_intercept

    @property
    def r_only(self) -> bool:
        """Options only R's cv.glmnet has (the fast engines then leave the fit to R)."""
        return (not self.grouped or self.keep or self.alignment != DEFAULTS.alignment or self.dfmax is not None
                or self.pmax is not None or self.type_logistic != DEFAULTS.type_logistic)


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
DEFAULTS = GlmnetParams()
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


def r_options(params: GlmnetParams | None = None, /, **fields: Any) -> dict[str, Any]:
    """``params`` (or :class:`GlmnetParams` of ``fields``) in ``cv.glmnet``/``glmnet``'s argument names,
    R's defaults left out.

    Leaving the defaults out keeps the stored R call as short as the one an R user
    writes. ``exclude`` becomes R's 1-based indices, ``lambda_`` R's ``lambda``;
    ``link``/``theta`` go to the bridge as ``spg.link``/``spg.theta`` (it builds the
    family object, e.g. ``binomial(link = "probit")``).

    Examples
    --------
    >>> r_options(family="gaussian", lambda_min_ratio=0.001, thresh=1e-10, maxit=100000)
    {'lambda.min.ratio': 0.001, 'thresh': 1e-10}
    >>> r_options(GlmnetParams(family="binomial", link="probit", exclude=[1]))["exclude"].tolist()
    [2]
    """
    prm = GlmnetParams(**fields) if params is None else params.replace(**fields)
    family, link, theta, lambda_ = prm.family, prm.link, prm.theta, prm.lambda_
    o: dict[str, Any] = {}
    if family != "gaussian" or link is not None:
        o["family"] = family
    if link is not None:
        o["spg.link"] = str(link)
    if theta is not None:
        o["spg.theta"] = float(theta)
    if float(prm.alpha) != DEFAULTS.alpha:
        o["alpha"] = float(prm.alpha)
    if lambda_ is not None:
        o["lambda"] = np.asarray(lambda_, dtype=float).reshape(-1)
    elif int(prm.nlambda) != DEFAULTS.nlambda:
        o["nlambda"] = int(prm.nlambda)
    if prm.lambda_min_ratio is not None and lambda_ is None:
        o["lambda.min.ratio"] = float(prm.lambda_min_ratio)
    if prm.type_measure != DEFAULTS.type_measure:
        o["type.measure"] = prm.type_measure
    if not prm.standardize:
        o["standardize"] = False
    if not prm.fit_intercept:
        o["intercept"] = False
    if prm.penalty_factor is not None and not np.all(np.asarray(prm.penalty_factor, dtype=float) == 1.0):
        o["penalty.factor"] = np.asarray(prm.penalty_factor, dtype=float)
    if prm.exclude is not None and len(prm.exclude):
        o["exclude"] = np.asarray(prm.exclude, dtype=np.int64).reshape(-1) + 1  # R's indices are 1-based
    for v, rn in ((prm.lower_limits, "lower.limits"), (prm.upper_limits, "upper.limits")):
        a = np.asarray(v, dtype=float).reshape(-1)
        if np.isfinite(a).any():
            o[rn] = float(a[0]) if a.size == 1 else a
    if prm.relax:
        o["relax"] = True
        if prm.gamma is not None:
            o["gamma"] = np.asarray(prm.gamma, dtype=float).reshape(-1)
    if float(prm.thresh) != DEFAULTS.thresh:
        o["thresh"] = float(prm.thresh)
    if int(prm.maxit) != DEFAULTS.maxit:
        o["maxit"] = int(prm.maxit)
    if family == "multinomial" and prm.type_multinomial == "grouped":
        o["type.multinomial"] = "grouped"
    if not prm.grouped:
        o["grouped"] = False
    if prm.keep:
        o["keep"] = True
    if prm.alignment != DEFAULTS.alignment:
        o["alignment"] = prm.alignment
    if prm.dfmax is not None:
        o["dfmax"] = int(prm.dfmax)
    if prm.pmax is not None:
        o["pmax"] = int(prm.pmax)
    if prm.type_logistic != DEFAULTS.type_logistic:
        o["type.logistic"] = prm.type_logistic
    if prm.standardize_response:
        o["standardize.response"] = True
    if prm.type_gaussian is not None:
        o["type.gaussian"] = prm.type_gaussian
    return o
