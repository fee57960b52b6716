"""Families, links, the class order of a classification target, and one target rule per family.

Family names are R's: glmnet's named families (:data:`GLMNET_FAMILIES`), the
families glmnet fits as R family objects through ``glmnet.path``
(:data:`GLM_FAMILIES`), and R's ``glm`` families with their links
(:data:`FAMILY_LINKS`, R's ``family`` objects; ``glm.nb`` is ``MASS::glm.nb``).

The class order
---------------
A binomial or multinomial target is a factor in R, and its classes are
``levels(factor(y))``; glmnet models the probability of the SECOND level (the
"event"), ``glm`` too. R orders the levels by the type of ``y``
(:func:`class_levels`):

* numeric ``y``: numerically (labels ``{2, 10}``: ``"2" < "10"``, the event is 10);
* logical ``y``: ``FALSE < TRUE``;
* character ``y``: R's ``sort()``: code points under ``LC_COLLATE=C``
  (``collation="C"``, statprune's default: "B" < "a"), or the ICU collation of an
  English locale (``collation="locale"``: "a" < "B", :mod:`statprune._collate`);
* a factor (pandas ``Categorical``): its categories in their order (categories
  without rows dropped, as ``factor(y)`` drops them).

Examples
--------
>>> class_levels([10, 2, 2, 10])
[2, 10]
>>> class_levels(["b", "B", "a"]), class_levels(["b", "B", "a"], collation="locale")
(['B', 'a', 'b'], ['a', 'b', 'B'])
>>> import pandas as pd
>>> class_levels(pd.Categorical(["lo", "hi"], categories=["lo", "hi"])), class_levels([True, False])
(['lo', 'hi'], [False, True])
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .._collate import locale_key
from .._estimator import is_dataframe
from ..errors import DataError, ParameterError

__all__ = [
    "ALL_FAMILIES",
    "CLASSIFICATION_FAMILIES",
    "COUNT_FAMILIES",
    "DEFAULT_LINKS",
    "FAMILY_ALIASES",
    "FAMILY_LINKS",
    "GLMNET_FAMILIES",
    "GLM_FAMILIES",
    "LINKS",
    "STEPWISE_FAMILIES",
    "Target",
    "check_family_target",
    "class_levels",
    "event_class",
    "is_glm_family",
    "linkinv",
    "resolve_family",
]

#: glmnet's named families (``glmnet(family = "...")``)
GLMNET_FAMILIES = ("gaussian", "binomial", "poisson", "multinomial", "mgaussian", "cox")
#: families glmnet fits only as R family objects (``glmnet.path``), besides binomial/poisson/gaussian with a link
GLM_FAMILIES = ("quasipoisson", "quasibinomial", "Gamma", "inverse.gaussian", "negative.binomial")
#: every family GlmnetCV accepts
ALL_FAMILIES = GLMNET_FAMILIES + GLM_FAMILIES
#: families of R's step()/MASS::stepAIC (glm families with an AIC; quasi families have none)
STEPWISE_FAMILIES = ("gaussian", "binomial", "poisson", "Gamma", "inverse.gaussian", "negative.binomial", "glm.nb")
#: families whose target is a factor
CLASSIFICATION_FAMILIES = ("binomial", "multinomial")
#: families whose target holds counts (non-negative; non-integer values are accepted, as R does)
COUNT_FAMILIES = ("poisson", "quasipoisson", "negative.binomial", "glm.nb")
#: other spellings accepted for a family name
FAMILY_ALIASES = {"gamma": "Gamma", "normal": "gaussian", "logistic": "binomial", "logit": "binomial",
                  "negbin": "glm.nb", "nb": "glm.nb", "inverse_gaussian": "inverse.gaussian"}
#: links of R's family objects (``binomial()$link`` etc.), the first the default
FAMILY_LINKS: dict[str, tuple[str, ...]] = {
    "gaussian": ("identity", "log", "inverse"),
    "binomial": ("logit", "probit", "cloglog", "cauchit", "log"),
    "quasibinomial": ("logit", "probit", "cloglog", "cauchit", "log"),
    "poisson": ("log", "identity", "sqrt"),
    "quasipoisson": ("log", "identity", "sqrt"),
    "Gamma": ("inverse", "identity", "log"),
    "inverse.gaussian": ("1/mu^2", "inverse", "identity", "log"),
    "negative.binomial": ("log", "identity", "sqrt"),
    "glm.nb": ("log", "identity", "sqrt"),
}
#: each family's default link
DEFAULT_LINKS = {f: links[0] for f, links in FAMILY_LINKS.items()}
#: links statprune inverts itself, exactly as R's make.link / family objects do
LINKS = ("logit", "probit", "cloglog", "cauchit", "log", "identity", "inverse", "sqrt", "1/mu^2")
_EPS = float(np.finfo(float).eps)


def resolve_family(family: str, allowed: tuple[str, ...] = ALL_FAMILIES) -> str:
    """The R name of ``family`` (aliases such as ``"logistic"``, ``"gamma"`` resolved), checked against ``allowed``.

    Examples
    --------
    >>> resolve_family("logistic"), resolve_family("gamma")
    ('binomial', 'Gamma')
    """
    if not isinstance(family, str):
        raise ParameterError(f"family={family!r} is not one of {', '.join(allowed)}")
    f = family if family in allowed else FAMILY_ALIASES.get(family.lower(), family)
    if f not in allowed:
        raise ParameterError(f"family={family!r} is not one of {', '.join(allowed)}")
    return f


def is_glm_family(family: str, link: str | None = None, theta: float | None = None) -> bool:
    """True when glmnet fits this family as an R family object (``glmnet.path``), as R does for
    ``family = binomial(link = ...)``, ``quasipoisson()``, ``MASS::negative.binomial(theta)``."""
    return link is not None or theta is not None or family in GLM_FAMILIES


def linkinv(link: str, eta: np.ndarray) -> np.ndarray:
    """R's ``family$linkinv`` for ``link`` (``make.link`` and ``binomial()``'s C code), bounds included.

    Examples
    --------
    >>> float(linkinv("probit", np.array([0.0]))[0])
    0.5
    """
    from scipy import special  # noqa: PLC0415 - scipy.special is only needed for probit

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


# --------------------------------------------------------------------------- class order
def _is_bool(a: np.ndarray) -> bool:
    if a.dtype == bool:
        return True
    return a.dtype == object and a.size > 0 and all(isinstance(v, (bool, np.bool_)) for v in a)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def class_levels(y: Any, *, collation: str = "C") -> list[Any]:
    """R's ``levels(factor(y))`` for the type of ``y``: the classes in R's order.

    The values are returned as given (numbers stay numbers); missing values are
    ignored (R's ``factor`` does not make them a level). See the module docstring
    for the rule per type. ``collation`` (``"C"`` or ``"locale"``) applies to text
    only.

    Examples
    --------
    >>> class_levels(np.array([2.5, 10.0, 2.5])), class_levels(["10", "2"])
    ([2.5, 10.0], ['10', '2'])
    """
    if collation not in ("C", "locale"):
        raise ParameterError(f"collation={collation!r}; use 'C' (code points) or 'locale' (R in an English locale)")
    import pandas as pd  # noqa: PLC0415 - deferred: classes are R factors (pandas.Categorical); a numeric fit needs no pandas

    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise DataError(f"a classification target has one column, got {y.shape[1]}")
        y = y.iloc[:, 0]
    if isinstance(getattr(y, "dtype", None), pd.CategoricalDtype) or isinstance(y, pd.Categorical):
        cat = pd.Categorical(y)
        used = set(pd.unique(cat.codes[cat.codes >= 0]).tolist())
        return [c for i, c in enumerate(cat.categories) if i in used]
    s = pd.Series(np.asarray(y, dtype=object).reshape(-1) if not isinstance(y, pd.Series) else y)
    s = s[~s.isna()]
    vals = pd.unique(s.to_numpy())
    arr = np.asarray(vals)
    if _is_bool(arr):
        return sorted((bool(v) for v in vals))
    if len(vals) and all(_is_number(v) for v in vals):
        return [v.item() if isinstance(v, np.generic) else v for v in sorted(vals, key=float)]
    text = [str(v) for v in vals]
    if len(set(text)) != len(text):
        raise DataError("the target's labels are not distinct as text (e.g. 1 and '1'); give one type of label")
    order = sorted(range(len(vals)), key=(lambda i: locale_key(text[i])) if collation == "locale" else (lambda i: text[i]))
    return [vals[i].item() if isinstance(vals[i], np.generic) else vals[i] for i in order]


def event_class(y: Any, *, collation: str = "C") -> Any:
    """The class a binomial model predicts the probability of: R's second factor level.

    Examples
    --------
    >>> event_class([2, 10, 10]), event_class(["no", "yes"]), event_class([True, False])
    (10, 'yes', True)
    """
    lev = class_levels(y, collation=collation)
    if len(lev) != 2:
        raise DataError(f"a binomial target needs exactly two classes, got {len(lev)}: {[str(v) for v in lev][:10]}")
    return lev[1]


# --------------------------------------------------------------------------- target rules
class Target(NamedTuple):
    """A checked target: ``y`` as a backend takes it, ``classes`` (R's level order) or column names, or None."""

    y: Any
    classes: list[Any] | None


def _cox_target(y: Any) -> np.ndarray:
    """(time, status) or (start, stop, status) as a float array from an array/DataFrame or a structured array."""
    if is_dataframe(y):
        a = y.to_numpy(dtype=float)
    else:
        arr = np.asarray(y)
        if arr.dtype.names:
            names = arr.dtype.names
            tname = "time" if "time" in names else names[1] if len(names) > 1 and "status" not in names[1:] else names[-1]
            sname = "status" if "status" in names else "event" if "event" in names else names[0]
            if "time" not in names:  # sksurv style (event, time)
                sname, tname = names[0], names[1]
            a = np.column_stack([arr[tname].astype(float), arr[sname].astype(float)])
        else:
            a = arr.astype(float)
    if a.ndim == 2 and a.shape[1] == 3:  # Surv(start, stop, status): counting-process data
        if not np.isfinite(a).all():
            raise DataError("the cox target (start, stop, status) holds NaN or inf")
        if (a[:, 0] >= a[:, 1]).any():
            raise DataError("cox (start, stop] intervals need start < stop (survival::Surv refuses stop <= start)")
        if not np.isin(a[:, 2], (0.0, 1.0)).all():
            raise DataError("cox status must be 0 (censored) or 1 (event)")
        return a
    if a.ndim != 2 or a.shape[1] != 2:
        raise DataError("a cox target must have two columns (time, status), three (start, stop, status), "
                        "or be a structured array with fields time/status")
    if not np.isfinite(a).all():
        raise DataError("the cox target (time, status) holds NaN or inf")
    if (a[:, 0] <= 0).any():
        raise DataError("cox survival times must be strictly positive (glmnet refuses non-positive times)")
    if not np.isin(a[:, 1], (0.0, 1.0)).all():
        raise DataError("cox status must be 0 (censored) or 1 (event)")
    return a


def missing_target(name: str, count: int) -> DataError:
    """The one message for a target with missing values (NA, or NaN which R's ``is.na`` also counts)."""
    return DataError(f"target '{name}' has {count} missing value(s) (NA/NaN); remove those rows first")


def _classes(arr: Any, family: str, name: str, collation: str) -> Target:
    import pandas as pd  # noqa: PLC0415 - deferred: classes are R factors (pandas.Categorical); a numeric fit needs no pandas

    s = arr if isinstance(getattr(arr, "dtype", None), pd.CategoricalDtype) else pd.Series(np.asarray(arr, dtype=object))
    miss = int(pd.isna(pd.Series(s)).sum())
    if miss:
        raise missing_target(name, miss)
    classes = class_levels(arr, collation=collation)
    if family == "binomial" and len(classes) != 2:
        raise DataError(f"target '{name}' has {len(classes)} distinct value(s) {[str(c) for c in classes][:10]}; "
                        "family='binomial' needs exactly two classes (use 'multinomial' for more)")
    if len(classes) < 2:
        raise DataError(f"target '{name}' has a single class; classification needs at least two")
    labels = [str(c) for c in classes]
    values = np.asarray(arr, dtype=object).reshape(-1)
    if isinstance(arr, pd.Categorical) or isinstance(getattr(arr, "dtype", None), pd.CategoricalDtype):
        values = np.asarray(pd.Categorical(arr).astype(object), dtype=object)
    cat = pd.Categorical([str(bool(v)) if isinstance(v, np.bool_) else str(v) for v in values], categories=labels)
    return Target(cat, classes)


def check_family_target(y: Any, family: str, *, name: str = "y", glmnet: bool = True,
                        collation: str = "C") -> Target:
    """The target rule of ``family``; ``y`` is 1-D (2-D for mgaussian, cox and binomial counts).

    * binomial: exactly two classes (R's order, :func:`class_levels`), returned as a
      ``pd.Categorical`` of the labels as text with ``classes`` the labels; or a
      two-column matrix of counts (the second column the event), each row with trials;
    * multinomial: at least two classes;
    * gaussian: finite numbers (glmnet: not constant, "y is constant; gaussian
      glmnet fails at standardization step");
    * poisson, quasipoisson, negative.binomial, glm.nb: finite and >= 0 (non-integer
      counts are accepted, as glmnet and R's ``glm`` do);
    * Gamma, inverse.gaussian: > 0; quasibinomial: proportions in [0, 1];
    * mgaussian: a finite matrix with at least two columns;
    * cox: (time > 0, status 0/1) or (start < stop, status).

    ``glmnet=False`` (R's ``lm``/``glm``) accepts a constant gaussian target.

    Examples
    --------
    >>> t = check_family_target([2, 10, 10, 2], "binomial")
    >>> t.classes, t.y.codes.tolist()
    ([2, 10], [0, 1, 1, 0])
    >>> check_family_target([0.5, 2.0], "poisson").y.tolist()
    [0.5, 2.0]
    """
    if family == "cox":
        return Target(_cox_target(y), None)
    if family == "mgaussian":
        a = np.asarray(y, dtype=float)
        if a.ndim != 2 or a.shape[1] < 2:
            raise DataError("family='mgaussian' needs a 2-D y with at least two response columns")
        if not np.isfinite(a).all():
            raise DataError(f"target '{name}' holds NaN or inf")
        cols = [str(c) for c in y.columns] if is_dataframe(y) else [f"y{k + 1}" for k in range(a.shape[1])]
        return Target(a, cols)
    if family == "binomial" and np.ndim(y) == 2 and np.shape(y)[1] == 2:
        # glmnet's two-column binomial response: counts (or proportions), the second column the target class
        a = np.asarray(y, dtype=float)
        if not np.isfinite(a).all() or (a < 0).any():
            raise DataError("a two-column binomial y holds counts: finite and >= 0")
        if (a.sum(axis=1) == 0).any():
            raise DataError(f"a two-column binomial y has {int((a.sum(axis=1) == 0).sum())} row(s) with no trials")
        cols = [str(c) for c in y.columns] if is_dataframe(y) else ["1", "2"]
        return Target(a, cols)
    if family in CLASSIFICATION_FAMILIES:
        return _classes(y, family, name, collation)
    arr = np.asarray(y)  # a logical y is 0/1, as R's as.double(y)
    try:
        a = arr.astype(float)
    except (TypeError, ValueError):
        raise DataError(f"target '{name}' is not numeric; for classes use family='binomial' or 'multinomial'") from None
    if np.isnan(a).any():
        raise missing_target(name, int(np.isnan(a).sum()))
    if not np.isfinite(a).all():
        raise DataError(f"target '{name}' has {int((~np.isfinite(a)).sum())} infinite value(s)")
    if family == "gaussian" and glmnet and a.size and np.ptp(a) == 0:
        raise DataError(f"target '{name}' is constant; a gaussian glmnet cannot be fitted (R: 'y is constant')")
    if family in COUNT_FAMILIES and (a < 0).any():
        raise DataError(f"target '{name}' has negative values; a {family} target must be >= 0 counts")
    if family in ("Gamma", "inverse.gaussian") and (a <= 0).any():
        raise DataError(f"target '{name}' must be strictly positive for family={family!r}")
    if family == "quasibinomial" and ((a < 0) | (a > 1)).any():
        raise DataError(f"target '{name}' must hold proportions in [0, 1] for family='quasibinomial'")
    return Target(a, None)
