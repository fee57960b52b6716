"""GlmnetCV's parameters: their constraints (scikit-learn's ``_parameter_constraints``), checks, R options.

:data:`PARAMETER_CONSTRAINTS` declares each parameter's type and range the way scikit-learn
does (``Interval``, ``StrOptions``...); :func:`validate_params` checks them in ``fit`` and
raises :class:`~statprune.errors.ParameterError` with statprune's message for the
parameter. :func:`check_params` then checks what depends on other parameters or on the
data's columns (a link for the family, the measures of a family, penalty factors by
column name), and :func:`glmnet_params` makes the fit's one
:class:`~statprune._glmnet.params.GlmnetParams` of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from numbers import Integral, Real
from typing import Any

import numpy as np

from .._estimator import Interval, StrOptions, make_constraint
from ..errors import ParameterError
from ._inputs import names_arg
from .._glmnet.families import ALL_FAMILIES, is_glm_family
from .._glmnet.params import MEASURES_BY_FAMILY, MEASURES_GLM, TYPE_MEASURES, GlmnetParams

__all__ = ["PARAMETER_CONSTRAINTS", "check_params", "glmnet_params", "r_only", "validate_params"]

_S_NAMES = ("lambda.min", "lambda.1se")
_GAMMA_NAMES = ("gamma.min", "gamma.1se")

#: scikit-learn style constraints of every GlmnetCV parameter ("no_validation": checked with the data in fit)
PARAMETER_CONSTRAINTS: dict[str, list[Any] | str] = {
    "family": [StrOptions(set(ALL_FAMILIES))],
    "alpha": [Interval(Real, 0, 1, closed="both")],
    "nfolds": "no_validation",  # only used without foldid: checked with n by the fold policy (_validation.check_nfolds)
    "foldid": [None, "array-like"],
    "seed": [None, Interval(Integral, None, None, closed="neither")],
    "type_measure": [StrOptions(set(TYPE_MEASURES))],
    "s": [StrOptions(set(_S_NAMES)), Interval(Real, 0, None, closed="left")],
    "lambda_": [None, "array-like"],
    "nlambda": [Interval(Integral, 1, None, closed="left")],
    "lambda_min_ratio": [None, Interval(Real, 0, 1, closed="neither")],
    "standardize": ["boolean"],
    "fit_intercept": ["boolean"],
    "penalty_factor": [None, dict, "array-like"],
    "keep": [None, str, Integral, "array-like"],
    "exclude": [None, str, Integral, "array-like", callable],
    "lower_limits": [Real, "array-like"],
    "upper_limits": [Real, "array-like"],
    "relax": ["boolean"],
    "gamma": [None, "array-like"],
    "thresh": [Interval(Real, 0, None, closed="neither")],
    "maxit": [Interval(Integral, 1, None, closed="left")],
    "type_multinomial": [StrOptions({"ungrouped", "grouped"})],
    "engine": [StrOptions({"r", "gram"})],
    "s_gamma": [None, StrOptions(set(_GAMMA_NAMES)), Interval(Real, 0, 1, closed="both")],
    "link": [None, str],
    "theta": [None, Interval(Real, 0, None, closed="neither")],
    "grouped": ["boolean"],
    "keep_preval": ["boolean"],
    "alignment": [StrOptions({"lambda", "fraction"})],
    "dfmax": [None, Interval(Integral, 0, None, closed="left")],
    "pmax": [None, Interval(Integral, 0, None, closed="left")],
    "type_logistic": [StrOptions({"Newton", "modified.Newton"})],
    "standardize_response": ["boolean"],
    "categorical": [StrOptions({"error", "treatment"})],
}


def _alpha_msg(v: Any) -> str:
    if isinstance(v, Real) and not isinstance(v, bool):
        return f"alpha={v!r} must be in [0, 1] (1 = lasso, 0 = ridge)"
    return f"alpha={v!r} must be a number in [0, 1]"


def _s_msg(v: Any) -> str:
    if isinstance(v, str):
        return f"s={v!r}; use 'lambda.min', 'lambda.1se' or a number"
    return f"s={v!r}; use 'lambda.min', 'lambda.1se' or a non-negative number"


#: statprune's message per parameter (a template on ``{v}``, the repr of the value, or a function of the value)
_MESSAGES: dict[str, str | Callable[[Any], str]] = {
    "family": "family={v} is not one of " + ", ".join(ALL_FAMILIES),
    "alpha": _alpha_msg,
    "seed": "seed={v} must be an integer (R's set.seed)",
    "type_measure": "type_measure={v} is not one of " + ", ".join(TYPE_MEASURES),
    "s": _s_msg,
    "nlambda": "nlambda={v} must be a positive integer",
    "lambda_min_ratio": "lambda_min_ratio={v} must be in (0, 1)",
    "thresh": "thresh={v} must be a positive number",
    "maxit": "maxit={v} must be a positive integer",
    "type_multinomial": "type_multinomial must be 'ungrouped' or 'grouped'",
    "engine": "engine={v}; use 'r' or 'gram'",
    "s_gamma": "s_gamma={v}; use 'gamma.min', 'gamma.1se' or a number in [0, 1]",
    "link": ("link={v}: a link is a name such as 'probit' and applies to gaussian/binomial/poisson and the GLM "
             "families, not multinomial/mgaussian/cox (glmnet takes no family object for those)"),
    "theta": "theta={v} must be a positive number",
    "alignment": "alignment={v}; use 'lambda' or 'fraction'",
    "dfmax": "dfmax={v} must be a non-negative integer",
    "pmax": "pmax={v} must be a non-negative integer",
    "type_logistic": "type_logistic={v}; use 'Newton' or 'modified.Newton'",
    "categorical": "categorical={v}; use 'error' or 'treatment'",
}


def _satisfied(constraint: Any, value: Any) -> bool:
    c = make_constraint(constraint)
    if isinstance(value, (bool, np.bool_)) and isinstance(c, Interval):  # True is not a number of folds or a lambda
        return False
    return c.is_satisfied_by(value)


def validate_params(est: Any) -> None:
    """Check every parameter against :data:`PARAMETER_CONSTRAINTS`, raising statprune's message.

    scikit-learn's ``_validate_params`` with :class:`~statprune.errors.ParameterError` and
    the message of :data:`_MESSAGES` (what is wrong and what to pass instead).
    """
    constraints = type(est)._parameter_constraints
    for name, value in est.get_params(deep=False).items():
        allowed = constraints[name]
        if allowed == "no_validation" or any(_satisfied(c, value) for c in allowed):
            continue
        msg = _MESSAGES.get(name)
        if msg is None:
            kinds = " or ".join(str(make_constraint(c)) for c in allowed)
            raise ParameterError(f"{name}={value!r} must be {kinds}")
        raise ParameterError(msg(value) if callable(msg) else msg.format(v=repr(value)))


def check_params(est: Any, p: int, names: list[str]) -> dict[str, Any]:
    """The checks that depend on other parameters or on the columns; the parameters as cv.glmnet takes them.

    Returns ``alpha``, ``lambda`` (array or None), ``pf`` (penalty factors, keep's set to 0),
    ``keep``, ``exclude`` (names), ``lower_limits``, ``upper_limits`` (arrays). Call
    :func:`validate_params` first.
    """
    fam = est.family
    if est.link is not None and fam in ("multinomial", "mgaussian", "cox"):
        raise ParameterError(_MESSAGES["link"].format(v=repr(est.link)))  # type: ignore[union-attr]
    if (est.theta is None) != (fam != "negative.binomial"):
        raise ParameterError("family='negative.binomial' needs theta=<number> (R's MASS::negative.binomial(theta)); "
                             "theta applies to that family only")
    tm = est.type_measure
    ok = MEASURES_GLM if is_glm_family(fam, est.link, est.theta) else MEASURES_BY_FAMILY[fam]
    if tm not in ok:
        what = f"family={fam!r}" + (f" with link={est.link!r} (an R family object)" if est.link else "")
        raise ParameterError(f"type_measure={tm!r} is not available for {what}; use one of {sorted(ok)}")
    if est.keep_preval and est.relax:
        raise ParameterError("keep_preval=True with relax=True: statprune reads fit.preval of the unrelaxed "
                             "fit only; fit without relax for roc()")
    if est.s_gamma is not None and not est.relax:
        raise ParameterError(f"s_gamma={est.s_gamma!r} needs a relaxed fit (relax=True, R's cv.glmnet(relax = TRUE))")
    alpha = float(est.alpha)
    lam = None
    if est.lambda_ is not None:
        lam = np.asarray(est.lambda_, dtype=float).reshape(-1)
        if lam.size < 2:
            raise ParameterError("lambda_ needs more than one value for cv.glmnet")
        if not np.isfinite(lam).all() or (lam < 0).any():
            raise ParameterError("lambda_ must hold finite non-negative values")
    # penalty factors, keep, exclude
    pf = np.ones(p)
    if est.penalty_factor is not None:
        if isinstance(est.penalty_factor, Mapping):
            unknown = [k for k in est.penalty_factor if k not in names]
            if unknown:
                raise ParameterError(f"penalty_factor names unknown column(s) {unknown}; columns are: {', '.join(names)}")
            for k, v in est.penalty_factor.items():
                pf[names.index(k)] = float(v)
        else:
            a = np.asarray(est.penalty_factor, dtype=float).reshape(-1)
            if a.size != p:
                raise ParameterError(f"penalty_factor has {a.size} values for {p} features")
            pf = a.copy()
        if np.isnan(pf).any() or (pf < 0).any():
            raise ParameterError("penalty_factor values must be >= 0 (Inf excludes a feature)")
    keep = names_arg(est.keep, "keep", names)
    for k in keep:
        pf[names.index(k)] = 0.0
    excl = [] if callable(est.exclude) else names_arg(est.exclude, "exclude", names)
    both = sorted(set(keep) & set(excl))
    if both:
        raise ParameterError(f"column(s) {both} are both in keep and exclude")
    lims = {}
    for nm in ("lower_limits", "upper_limits"):
        v = np.asarray(getattr(est, nm), dtype=float).reshape(-1)
        if v.size not in (1, p):
            raise ParameterError(f"{nm} needs 1 or {p} values, got {v.size}")
        lims[nm] = v
    if (lims["lower_limits"] > 0).any() or (lims["upper_limits"] < 0).any():
        raise ParameterError("lower_limits must be <= 0 and upper_limits >= 0 (glmnet's requirement)")
    return {"alpha": alpha, "lambda": lam, "pf": pf, "keep": keep, "exclude": excl, **lims}


#: GlmnetParams' fields that :func:`check_params` checks (or that GlmnetCV spells otherwise: ``keep_preval``)
_CHECKED = frozenset(("alpha", "lambda_", "penalty_factor", "exclude", "lower_limits", "upper_limits", "keep",
                      "type_gaussian"))


def glmnet_params(est: Any, prm: dict[str, Any], names: Sequence[str]) -> GlmnetParams:
    """The fit's one :class:`~statprune._glmnet.params.GlmnetParams`: ``est``'s glmnet arguments, with
    the checked ones of :func:`check_params` (``prm``) and the excluded columns as 0-based indices.

    It goes as it is to R (:func:`statprune._glmnet.params.r_options`) and to the fast engines.
    """
    same = {f.name: getattr(est, f.name) for f in fields(GlmnetParams) if f.name not in _CHECKED}
    return GlmnetParams(**same, alpha=prm["alpha"], lambda_=prm["lambda"], penalty_factor=prm["pf"],
                        exclude=tuple(names.index(e) for e in prm["exclude"]), lower_limits=prm["lower_limits"],
                        upper_limits=prm["upper_limits"], keep=bool(est.keep_preval))


def r_only(est: Any, params: GlmnetParams) -> bool:
    """Options only R's cv.glmnet has (the fast engines then fall back to R)."""
    return callable(est.exclude) or params.r_only
