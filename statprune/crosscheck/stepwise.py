""":func:`statprune.stepwise` against R's ``step()`` on the same data (path, AIC, final terms and coefficients)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _backend_r, _provenance
from .._data import read_table
from ..errors import ParameterError
from ..stepwise import stepwise
from .report import EXACT_TOL, CrosscheckReport, num_row, set_row

__all__ = ["crosscheck_stepwise"]


def crosscheck_stepwise(data: Any, formula: str, *, family: str = "gaussian", direction: str = "backward", k: float = 2.0, tolerance: float = EXACT_TOL) -> CrosscheckReport:
    """:func:`statprune.stepwise` (AIC, penalty ``k``) against R's ``step()`` on the same data.

    Compares the path (the term changed at each step and the AIC after it), the
    final terms and the final coefficients. The formula reaches R as a string
    that R parses without evaluating and checks against the data's columns:
    only column names, ``.``, numbers and the formula operators are accepted.

    Examples
    --------
    >>> from statprune import datasets
    >>> from statprune.crosscheck import crosscheck_stepwise
    >>> rep = crosscheck_stepwise(datasets.load_swiss(), "Fertility ~ .")
    >>> rep.ok
    True
    """
    if not isinstance(formula, str) or "~" not in formula:
        raise ParameterError(f"formula must be an R formula string 'y ~ terms', got {formula!r}")
    df = read_table(data)
    py = stepwise(df, formula, family=family, direction=direction, criterion="aic", k=k)
    r = _backend_r.crosscheck_step(df, formula, family, direction, k)
    a, b = "r.step", "statprune.stepwise"
    rows = []
    r_steps = [str(t) for t in np.atleast_1d(r["step"])]
    p_steps = [str(t) for t in py.steps["Step"]]
    rows.append(num_row("step count", "", a, b, len(r_steps), len(p_steps), 0.0))
    r_aic = np.atleast_1d(np.asarray(r["aic"], dtype=float))
    p_aic = py.steps["AIC"].to_numpy(dtype=float)
    for i in range(max(len(r_steps), len(p_steps))):
        rs = r_steps[i] if i < len(r_steps) else "(none)"
        ps = p_steps[i] if i < len(p_steps) else "(none)"
        label = rs.strip() or "<start>"
        rows.append(dict(quantity="step", term=f"{i}: {label}", engine_a=a, engine_b=b, value_a=rs.strip() or "<start>", value_b=ps.strip() or "<start>",
                         abs_diff=float(rs.strip() != ps.strip()), rel_diff=float(rs.strip() != ps.strip()), tolerance=0.0, ok=rs.strip() == ps.strip(), note=""))
        if i < len(r_aic) and i < len(p_aic):
            rows.append(num_row("step AIC", f"{i}: {label}", a, b, r_aic[i], p_aic[i], tolerance))
    rows.append(set_row("final terms", "", a, b, [str(t) for t in np.atleast_1d(r["final_terms"])], list(py.final_terms)))
    r_coef = dict(zip([str(t) for t in np.atleast_1d(r["coef_names"])], np.atleast_1d(np.asarray(r["coef"], dtype=float))))
    p_coef = py.coefficients
    notes = ["coefficients are compared by R's names; terms named differently (e.g. factor dummies) show up as unmatched"]
    for name in dict.fromkeys([*r_coef, *[str(t) for t in p_coef.index]]):
        if name in r_coef and name in p_coef.index:
            rows.append(num_row("final coefficient", name, a, b, r_coef[name], float(p_coef[name]), tolerance, scale=max(abs(r_coef[name]), 1e-12)))
        else:
            va = r_coef.get(name, math.nan)
            vb = float(p_coef[name]) if name in p_coef.index else math.nan
            rows.append(dict(quantity="final coefficient", term=name, engine_a=a, engine_b=b, value_a=va, value_b=vb,
                             abs_diff=math.inf, rel_diff=math.inf, tolerance=tolerance, ok=False, note="only in one engine"))
    info = dict(family=family, formula=formula, direction=direction, k=k, n=int(py.n), p=len(py.initial_terms), notes=notes)
    return CrosscheckReport(rows, info, _provenance.provenance())

