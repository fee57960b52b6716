"""The functions :func:`stepwise`, :func:`drop1` and :func:`add1` (R's ``step``, ``drop1``, ``add1``)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._provenance import provenance
from ..engines.stepwise.formula import add_scope, drop_scope, sort_terms
from ..engines.stepwise.glmfit import _warning_category
from ..errors import ParameterError
from ._search import _coef_rule, _one_shot, _step_aic, _step_pvalue, _steps_frame
from ._setup import _check_test, _check_test_for, _formula_text, _Problem, _scope_terms, _setup
from .result import StepwiseResult

__all__ = ["add1", "drop1", "stepwise"]

DIRECTIONS = ("backward", "forward", "both")
CRITERIA = ("aic", "bic", "pvalue", "adjusted", "vif", "stdcoef")
TESTS = ("F", "Chisq", "Rao", "Wald")
_DEFAULT_THRESHOLD = {"pvalue": 0.05, "adjusted": 0.05, "vif": 10.0, "stdcoef": 0.1}
POST_SELECTION_NOTE = (
    "p-values of the model refitted after selection are not valid inference: the same data chose the "
    "model (selective inference); use them descriptively, or split the data / use selective-inference methods."
)


def stepwise(
    data: Any,
    formula: str,
    family: str = "gaussian",
    direction: str | None = None,
    criterion: str = "aic",
    k: float | None = None,
    threshold: float | None = None,
    test: str | None = None,
    scope_lower: Any = None,
    scope_upper: Any = None,
    max_steps: int | None = None,
    trace: bool = False,
    keep: Sequence[str] | None = None,
    start: Any = None,
    adjust: str = "holm",
    *,
    link: str | None = None,
    weights: Any = None,
    offset: Any = None,
    collation: str = "C",
) -> StepwiseResult:
    """Select terms of a linear model or GLM as R's ``step()`` does.

    Parameters
    ----------
    data : DataFrame or path
        The data (CSV/Parquet path or DataFrame). String, boolean and categorical
        columns are factors (treatment contrasts; reference level first
        alphabetically, or the first category).
    formula : str
        R formula, e.g. ``"Fertility ~ ."``, ``"low ~ age + lwt + race + smoke"``,
        ``"y ~ a * b + C(g)"``. For backward/both it is the starting model (and the
        default upper scope); for forward it is the upper scope.
    family : {"gaussian", "binomial", "poisson", "Gamma"}
        ``gaussian`` is R's ``lm`` (OLS); the others R's ``glm`` with the default link.
    direction : {"backward", "forward", "both"}
        As in ``step()``. Forward starts from ``start`` or the lower scope (default ``~ 1``).
    criterion : {"aic", "bic", "pvalue", "adjusted", "vif", "stdcoef"}
        ``aic``/``bic``: ``step()`` with ``k = 2`` / ``k = log(n)``. ``pvalue``:
        elimination by ``drop1`` p-values (or entry by ``add1`` p-values when
        ``direction="forward"``). ``adjusted``: one-shot pruning of the full fit,
        p-values adjusted by ``adjust``. ``vif``: drop the largest GVIF^(1/df) above
        ``threshold``, repeat. ``stdcoef``: drop the smallest standardized coefficient
        below ``threshold``, repeat.
    k : float, optional
        Penalty per parameter; default 2 (``aic``) or ``log(n)`` (``bic``).
    threshold : float, optional
        ``pvalue``/``adjusted``: significance level (default 0.05); ``vif``: default 10;
        ``stdcoef``: default 0.1.
    test : {"F", "Chisq", "Wald"}, optional
        Test of the p-value rules: default ``F`` for gaussian (``drop1.lm``) and
        ``Chisq`` (likelihood ratio, ``drop1.glm``) for GLMs; ``Wald`` uses the
        coefficient covariance of the current fit.
    scope_lower, scope_upper : str or list of str, optional
        R's ``scope = list(lower = , upper = )``: formulas like ``"~ Education"``
        (``.`` means the model's terms) or lists of term labels. Lower-scope terms
        are never dropped.
    max_steps : int, optional
        R's ``steps`` (default 1000).
    trace : bool
        Print the ``drop1``/``add1`` tables as ``step(trace = 1)`` does.
    keep : list of str, optional
        Terms forced into the model (added to ``scope_lower``).
    start : str or list of str, optional
        Right side of the starting model when it is neither the formula nor the lower scope.
    adjust : str
        ``statsmodels.stats.multitest.multipletests`` method for ``criterion="adjusted"``
        (``holm``, ``fdr_bh``, ``bonferroni``...).

    Returns
    -------
    StepwiseResult

    Examples
    --------
    >>> import statprune
    >>> from statprune.datasets import load_mtcars
    >>> cars = load_mtcars().drop(columns="model")
    >>> res = statprune.stepwise(cars, "mpg ~ .", criterion="bic")
    >>> res.final_terms
    ['wt', 'qsec', 'am']
    >>> round(res.aic, 4)
    67.1702
    """
    if not isinstance(criterion, str) or criterion.lower() not in CRITERIA:
        raise ParameterError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
    criterion = criterion.lower()
    direction_missing = direction is None
    if direction is None:  # step()'s default: "both"; the p-value and pruning rules' default: backward
        direction = "both" if criterion in ("aic", "bic") else "backward"
    if not isinstance(direction, str) or direction not in DIRECTIONS:
        raise ParameterError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    test = _check_test(test, TESTS)
    if max_steps is None:
        max_steps = 1000
    if not isinstance(max_steps, (int, np.integer)) or isinstance(max_steps, bool) or max_steps < 0:
        raise ParameterError(f"max_steps must be a non-negative integer, got {max_steps!r}")
    if threshold is None:
        threshold = _DEFAULT_THRESHOLD.get(criterion)
    elif not isinstance(threshold, (int, float)) or not math.isfinite(threshold) or threshold < 0:
        raise ParameterError(f"threshold must be a non-negative number, got {threshold!r}")
    if criterion in ("pvalue", "adjusted") and threshold is not None and not 0 < threshold <= 1:
        raise ParameterError(f"threshold is a significance level for criterion={criterion!r}: 0 < threshold <= 1, got {threshold}")
    if criterion == "pvalue" and direction == "both":
        raise ParameterError("criterion='pvalue' supports direction='backward' or 'forward'; use criterion='aic'/'bic' for 'both'")
    if criterion in ("adjusted", "vif", "stdcoef") and direction != "backward":
        raise ParameterError(f"criterion={criterion!r} prunes the full model: use direction='backward'")
    if k is not None and (not isinstance(k, (int, float)) or not math.isfinite(k) or k < 0):
        raise ParameterError(f"k must be a non-negative number, got {k!r}")
    if test == "Wald" and direction == "forward":
        raise ParameterError("test='Wald' needs the term in the fit; use 'F' or 'Chisq' for forward selection")

    prob = _setup(data, formula, family, direction, scope_lower, scope_upper, keep, start, link=link,
                  weights=weights, offset=offset, collation=collation)
    eng = prob.engine
    fam = prob.family_label
    _check_test_for(test, eng)
    if k is None:
        k = math.log(prob.n) if criterion == "bic" else 2.0
    elif criterion == "bic" and not math.isclose(k, math.log(prob.n)):
        raise ParameterError(f"criterion='bic' means k = log(n) = {math.log(prob.n):.6g}; got k={k} (use criterion='aic' with k)")
    if test is None:
        test = "F" if eng.is_lm else "Chisq"
    notes = [POST_SELECTION_NOTE]
    added: list[str] = []
    added_p: list[float] = []
    dropped: list[str] = []
    dropped_p: list[float] = []
    if criterion in ("aic", "bic"):
        # R's step(): with the direction and the scope both missing, nothing is ever added
        no_forward = direction_missing and scope_upper is None and start is None
        out = _step_aic(prob, direction, float(k), int(max_steps), trace, no_forward=no_forward)
        if out["rejected"]:
            notes.append(
                "the last candidate step did not lower the refitted AIC (drop1/add1 use the deviance/dispersion "
                "shortcut): as in R's step(), the search stopped and the returned model is that candidate"
            )
    elif criterion == "pvalue":
        out = _step_pvalue(prob, direction, float(k), float(threshold), test, int(max_steps), trace)
        if direction == "backward":
            dropped, dropped_p = out["moved"], out["moved_p"]
        else:
            added, added_p = out["moved"], out["moved_p"]
    elif criterion == "adjusted":
        out = _one_shot(prob, float(k), float(threshold), test, adjust)
        dropped, dropped_p = out["moved"], out["moved_p"]
    else:
        out = _coef_rule(prob, float(k), float(threshold), criterion, int(max_steps))
        dropped, dropped_p = out["moved"], out["moved_p"]
    final = out["fit"]
    lab_final = out.get("labels")
    final_label = lab_final if lab_final is not None else eng.label
    final_order = lab_final.order if lab_final is not None else None
    tab = eng.coef_table(final, final_order)
    final_tests = None
    sc = [t for t in final]
    if sc:
        try:
            final_tests = eng.drop1(final, sc, float(k), test=test, labels=[final_label(t) for t in sc])
        except (np.linalg.LinAlgError, ValueError):  # pragma: no cover - numerical corner
            final_tests = None
    cand = list(dict.fromkeys([eng.label(t) for t in prob.start + prob.upper]))
    res = StepwiseResult(
        formula=formula,
        family=fam,
        direction=direction,
        collation=collation,
        weights=weights if isinstance(weights, str) else (None if weights is None else "<array>"),
        offset=offset if isinstance(offset, str) else (None if offset is None else "<array>"),
        theta=(eng.glm(eng.blocks(final), eng._theta_of.get(tuple(eng.blocks(final)))).theta if eng.is_negbin else None),
        criterion=criterion,
        k=float(k),
        threshold=None if threshold is None else float(threshold),
        test=test if criterion in ("pvalue", "adjusted") else None,
        steps=_steps_frame(out["models"]),
        initial_terms=[eng.label(t) for t in prob.start],
        final_terms=[final_label(t) for t in final],
        final_formula=_formula_text(prob, final, final_label),
        coef_table=tab,
        n=prob.n,
        forced_terms=[eng.label(t) for t in prob.lower],
        candidate_terms=cand,
        dropped=list(dropped),
        dropped_p=list(dropped_p),
        added=list(added),
        added_p=list(added_p),
        history=out["history"],
        final_tests=final_tests,
        warnings=list(eng.messages),
        notes=notes,
        provenance=provenance(with_r=False),
        _problem=prob,
        _final=final,
        _final_order=final_order,
    )
    for m in eng.messages:
        warnings.warn(m, _warning_category(m), stacklevel=2)
    aliased = [c for c, v in tab["Estimate"].items() if not np.isfinite(v)]
    if aliased:
        res.notes.append(f"{len(aliased)} coefficient(s) not defined because of singularities (R's NA): {', '.join(aliased)}")
    return res


def drop1(
    data: Any,
    formula: str,
    family: str = "gaussian",
    test: str | None = None,
    k: float = 2.0,
    scope: Any = None,
    *,
    link: str | None = None,
    weights: Any = None,
    offset: Any = None,
    collation: str = "C",
) -> pd.DataFrame:
    """R's ``drop1(fit, scope, test = test, k = k)`` for an ``lm``/``glm`` (or ``glm.nb``) given by formula.

    ``test``: ``"F"``, ``"Chisq"`` (``"LRT"``, its alias), ``"Rao"`` (glm only) or
    statprune's ``"Wald"``. ``family``, ``link``, ``weights``, ``offset`` and
    ``collation`` as in :func:`stepwise`. For ``family="glm.nb"`` the table is
    MASS's ``dropterm`` (each candidate refitted with theta re-estimated). The
    table's ``attrs`` record the family and the collation of factor levels.

    Examples
    --------
    >>> from statprune import drop1
    >>> from statprune.datasets import load_swiss
    >>> drop1(load_swiss(), "Fertility ~ .", test="F")["AIC"].round(3).tolist()
    [190.691, 195.104, 189.861, 209.358, 197.755, 197.032]
    """
    test = _check_test(test, TESTS)
    prob = _setup(data, formula, family, "backward", None, None, None, None, link=link, weights=weights,
                  offset=offset, collation=collation)
    eng = prob.engine
    _check_test_for(test, eng)
    sc = prob.start if scope is None else _scope_terms(scope, list(prob.data.columns), prob.formula, "scope")
    sc = drop_scope(prob.start, []) if scope is None else sc
    missing = [t for t in sc if t not in prob.start]  # type: ignore[union-attr]
    if missing:
        raise ParameterError("scope is not a subset of term labels")
    if not _k_ok(k):
        raise ParameterError(f"k must be a non-negative number, got {k!r}")
    eng.prepare([prob.start])
    tab = eng.drop1(prob.start, sc, float(k), test=test)  # type: ignore[arg-type]
    return _table_attrs(tab, prob, "Single term deletions", collation)


def add1(
    data: Any,
    formula: str,
    scope: Any,
    family: str = "gaussian",
    test: str | None = None,
    k: float = 2.0,
    *,
    link: str | None = None,
    weights: Any = None,
    offset: Any = None,
    collation: str = "C",
) -> pd.DataFrame:
    """R's ``add1(fit, scope, test = test, k = k)``: ``scope`` is a formula such as ``"~ . + x3"``.

    ``test``: ``"F"``, ``"Chisq"`` (``"LRT"``) or ``"Rao"`` (glm only); the other
    arguments as in :func:`drop1`.

    Examples
    --------
    >>> from statprune import add1
    >>> from statprune.datasets import load_swiss
    >>> add1(load_swiss(), "Fertility ~ Education", "~ . + Agriculture + Catholic")["AIC"].round(3).tolist()
    [213.042, 214.311, 202.183]
    """
    test = _check_test(test, ("F", "Chisq", "Rao"))
    prob = _setup(data, formula, family, "backward", None, scope, None, None, link=link, weights=weights,
                  offset=offset, collation=collation)
    eng = prob.engine
    _check_test_for(test, eng)
    sc = add_scope(prob.start, prob.upper)
    if not sc:
        raise ParameterError("no terms in scope for adding to object")
    if not _k_ok(k):
        raise ParameterError(f"k must be a non-negative number, got {k!r}")
    eng.prepare([sort_terms(list(dict.fromkeys(prob.start + prob.upper)))])
    tab = eng.add1(prob.start, sc, float(k), test=test)
    return _table_attrs(tab, prob, "Single term additions", collation)


def _k_ok(k: Any) -> bool:
    return isinstance(k, (int, float)) and not isinstance(k, bool) and math.isfinite(k) and k >= 0


def _table_attrs(tab: pd.DataFrame, prob: _Problem, heading: str, collation: str) -> pd.DataFrame:
    lab = prob.engine.label
    tab.attrs.update({
        "heading": heading,
        "model": _formula_text(prob, prob.start, lab),
        "family": prob.family_label,
        "collation": collation,
        "n": prob.n,
    })
    if prob.engine.is_negbin:
        tab.attrs["theta"] = prob.engine.glm(prob.engine.blocks(prob.start)).theta
    tab.attrs["warnings"] = list(prob.engine.messages)
    for m in prob.engine.messages:  # R's warnings (glm.fit's, "F test assumes 'quasipoisson' family")
        warnings.warn(m, _warning_category(m), stacklevel=3)
    return tab
