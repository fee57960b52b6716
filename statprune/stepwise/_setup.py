"""Problem setup of a stepwise selection: data, formula, scopes, family, response, NA rows.

:func:`_setup` turns the user's arguments into a :class:`_Problem` exactly as R builds the
fit that ``step()`` starts from: ``model.frame`` on every variable of the formula and the
scopes, then ``na.omit``; the response (a column, an expression or ``cbind(successes,
failures)``); prior weights and offsets (``offset()`` terms plus the argument); the family
as R writes it (``"binomial(link = 'probit')"``, ``"negative.binomial(theta = 2)"``,
``"glm.nb"``). The checks of the starting fit (``_check_fit``) and of the test names are
R's own stops.
"""

from __future__ import annotations

import ast
import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._data import read_table
from .._glmnet.families import FAMILY_ALIASES, FAMILY_LINKS, STEPWISE_FAMILIES
from ..engines.stepwise.engine import Engine, ModelInfo
from ..engines.stepwise.formula import Design, Formula, collation_key, parse_formula, sort_terms
from ..engines.stepwise.glmfit import Family
from ..engines.stepwise.rexpr import deparse, parse, tokenize
from ..errors import DataError, ParameterError, SelectionWarning


@dataclass
class _Problem:
    data: pd.DataFrame
    formula: Formula
    engine: Engine
    start: list[frozenset]
    lower: list[frozenset]
    upper: list[frozenset]
    n: int
    dropped_rows: int
    family_label: str = ""


def _family_name(family: str) -> str:
    """The family's R name (``Gamma``, ``glm.nb``...) of a spec such as ``"binomial(link = 'probit')"``."""
    return _family_spec(family, None)[0]


def _family_spec(family: Any, link: str | None) -> tuple[str, str | None, float | None]:
    """``(name, link, theta)`` of a family given as R writes it.

    Accepted: ``"binomial"``, ``"binomial(link = \"probit\")"``, ``"binomial(probit)"``,
    ``"poisson(link = 'sqrt')"``, ``"inverse.gaussian"``, ``"negative.binomial(theta = 2)"``
    (a fixed theta, R's ``glm(family = MASS::negative.binomial(2))``) and ``"glm.nb"``
    (``MASS::glm.nb``: theta estimated at every fit). ``link=`` overrides the link.
    """
    names = STEPWISE_FAMILIES
    if not isinstance(family, str) or not family.strip():
        raise ParameterError(f"family must be one of {', '.join(names)} (optionally with a link, e.g. "
                             f"'binomial(link = \"probit\")'), got {family!r}")
    text = family.strip()
    if text.startswith("MASS::"):
        text = text[6:]
    if text.startswith("stats::"):
        text = text[7:]
    spec_link: str | None = None
    theta: float | None = None
    if "(" in text:
        node = parse(text)
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            raise ParameterError(f"family {family!r}: write it as R does, e.g. 'binomial(link = \"probit\")'")
        fname = node.func.id
        args = list(node.args)
        kw = {k.arg: k.value for k in node.keywords}
        bad = [k for k in kw if k not in ("link", "theta")]
        if bad:
            raise ParameterError(f"family {family!r}: argument {bad[0]!r} is not supported")
        if fname in ("negative.binomial",):
            th = kw.get("theta", args.pop(0) if args else None)
            if not (isinstance(th, ast.Constant) and isinstance(th.value, float) and th.value > 0):
                raise ParameterError(f"family {family!r}: negative.binomial needs theta, a positive number")
            theta = float(th.value)
        ln = kw.get("link", args.pop(0) if args else None)
        if args:
            raise ParameterError(f"family {family!r}: too many arguments")
        if ln is not None:
            if isinstance(ln, ast.Constant) and isinstance(ln.value, str):
                spec_link = ln.value
            elif isinstance(ln, ast.Name):
                spec_link = ln.id
            else:
                raise ParameterError(f"family {family!r}: the link is a name such as \"probit\"")
        text = fname
    f = FAMILY_ALIASES.get(text.lower(), text)
    if f not in names:
        f = text.lower() if text.lower() in names else f
    if f not in names:
        if text.startswith("quasi"):
            raise ParameterError(f"family {family!r}: quasi families have no AIC (R's step() stops: 'AIC is not "
                                 "defined for this model'); use binomial/poisson, or family='glm.nb'")
        raise ParameterError(f"family must be one of {', '.join(names)}, got {family!r}")
    if link is not None:
        if spec_link is not None and spec_link != link:
            raise ParameterError(f"family {family!r} and link={link!r} disagree")
        spec_link = link
    fam_key = "negative.binomial" if f == "glm.nb" else f
    if spec_link is not None and spec_link not in FAMILY_LINKS[fam_key]:
        raise ParameterError(
            f"link \"{spec_link}\" not available for {fam_key} family; available links are "
            + ", ".join(f"'{x}'" for x in FAMILY_LINKS[fam_key])
        )
    return f, spec_link, theta


def _column_or_array(spec: Any, df: pd.DataFrame, what: str) -> np.ndarray | None:
    """A weights/offset argument: a column name or a numeric array of one value per row."""
    if spec is None:
        return None
    if isinstance(spec, str):
        if spec not in df.columns:
            raise DataError(f"{what} column {spec!r} is not in the data (columns: {', '.join(map(str, df.columns))})")
        col = df[spec]
        if not pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_bool_dtype(col.dtype):
            raise DataError(f"{what} column {spec!r} must be numeric")
        return col.to_numpy(dtype=float)
    arr = np.asarray(spec, dtype=float)
    if arr.ndim != 1 or len(arr) != len(df):
        raise DataError(f"{what} must have one value per row ({len(df)}), got shape {arr.shape}")
    return arr


def _scope_terms(spec: Any, columns: Sequence[str], base: Formula, what: str) -> list[frozenset] | None:
    """A scope given as a formula string ('~ a + b'), or a list of term labels."""
    if spec is None:
        return None
    if isinstance(spec, str):
        text = spec if "~" in spec else "~ " + spec
        f = parse_formula(text, columns, response=base.response, need_response=False, dot_terms=base.terms, var_order=base.var_order)
        return [t for t in f.terms]
    if isinstance(spec, (list, tuple)):
        out: list[frozenset] = []
        for lab in spec:
            if not isinstance(lab, str):
                raise ParameterError(f"{what} must be a formula string or a list of term labels, got {spec!r}")
            f = parse_formula("~ " + lab, columns, response=base.response, need_response=False, var_order=base.var_order)
            for t in f.terms:
                if t not in out:
                    out.append(t)
        return out
    raise ParameterError(f"{what} must be a formula string like '~ a + b' or a list of term labels, got {spec!r}")


def _setup(
    data: Any,
    formula: str,
    family: str,
    direction: str,
    scope_lower: Any,
    scope_upper: Any,
    keep: Any,
    start: Any,
    *,
    link: str | None = None,
    weights: Any = None,
    offset: Any = None,
    collation: str = "C",
) -> _Problem:
    collation_key(collation)
    df = read_table(data)
    if not isinstance(df, pd.DataFrame):
        raise DataError("data must be a pandas DataFrame or a path to a CSV/Parquet file")
    cols = [str(c) for c in df.columns]
    df = df.copy()
    df.columns = cols
    f = parse_formula(formula, cols)
    lower = _scope_terms(scope_lower, cols, f, "scope_lower") or []
    for t in _scope_terms(keep, cols, f, "keep") or []:
        if t not in lower:
            lower.append(t)
    upper_given = _scope_terms(scope_upper, cols, f, "scope_upper")
    if start is not None:
        start_terms = _scope_terms(start, cols, f, "start") or []
        upper = upper_given if upper_given is not None else list(f.terms)
    elif direction == "forward":
        # R: step(lm(y ~ <lower>), scope = list(lower = ..., upper = formula), direction = "forward")
        start_terms = sort_terms(lower)
        upper = upper_given if upper_given is not None else list(f.terms)
    else:
        start_terms = list(f.terms)
        upper = upper_given if upper_given is not None else list(f.terms)
    fam_name, fam_link, fam_theta = _family_spec(family, link)
    # the response: a column or expression, or cbind(successes, failures) for a binomial glm
    resp_vars: list[str] = [f.response]  # type: ignore[list-item]
    cbind = None
    if f.response is not None and f.response.startswith("cbind(") and f.response.endswith(")"):
        node = parse(f.response)
        if len(node.args) != 2 or node.keywords:  # type: ignore[attr-defined]
            raise ParameterError(f"response {f.response!r}: cbind(successes, failures) takes two columns")
        if fam_name != "binomial":
            raise ParameterError(f"response {f.response!r}: a two-column response is for family='binomial'")
        inner = f.response[len("cbind("):-1]
        # split at the top-level comma and deparse each side as R labels it
        depth, cut = 0, -1
        for j, ch in enumerate(inner):
            depth += ch == "("
            depth -= ch == ")"
            if ch == "," and depth == 0:
                cut = j
                break
        cbind = [deparse(tokenize(inner[:cut])), deparse(tokenize(inner[cut + 1:]))]
        resp_vars = list(cbind)
    # variables used anywhere: evaluate them once, drop incomplete rows (R's na.omit)
    var_labels = list(resp_vars) + [v for v in f.var_order if v != f.response and v not in f.offsets]
    for t in list(upper) + list(lower) + list(start_terms):
        for v in t:
            if v not in var_labels:
                var_labels.append(v)
    off_labels = [o[len("offset("):-1] for o in f.offsets]
    for o in off_labels:
        if o not in var_labels:
            var_labels.append(o)
    var_order = [f.response] + [v for v in var_labels if v not in resp_vars and v != f.response]
    design = Design(df, var_labels, collation=collation)
    w_arr = _column_or_array(weights, df, "weights")
    o_arr = _column_or_array(offset, df, "offset")
    n0 = len(df)
    bad = np.zeros(n0, bool)
    for lab in var_labels:
        v = design.var(lab)
        if v.is_factor:
            bad |= v.codes < 0
        else:
            vals = v.values if v.values.ndim == 1 else v.values.sum(axis=1)  # type: ignore[union-attr]
            n_inf = int(np.isinf(vals).sum())
            if n_inf:  # R's na.omit keeps Inf and lm.fit then stops ("NA/NaN/Inf in 'x'"): never drop silently
                raise DataError(
                    f"column {lab!r} holds {n_inf} infinite value(s) (R's lm/glm stop with 'NA/NaN/Inf in x'); "
                    "replace or remove those rows"
                )
            bad |= ~np.isfinite(vals)
    for arr, what in ((w_arr, "weights"), (o_arr, "offset")):
        if arr is not None:
            if np.isinf(arr).any():
                raise DataError(f"{what} hold infinite values; replace or remove those rows")
            bad |= np.isnan(arr)
    dropped = int(bad.sum())
    if dropped:
        if dropped == n0:
            raise DataError("every row has a missing value in a variable of the formula")
        warnings.warn(
            f"{dropped} row(s) with missing values in the formula's variables were removed (R's na.omit)",
            SelectionWarning,
            stacklevel=3,
        )
        design = design.subset(~bad)  # R: model.frame evaluates every row, then na.omit
        w_arr = None if w_arr is None else w_arr[~bad]
        o_arr = None if o_arr is None else o_arr[~bad]
    if w_arr is not None:
        if np.any(w_arr < 0):
            raise DataError("weights: missing or negative weights not allowed (R's error)")
        if np.any(w_arr == 0):
            raise DataError("weights: zero weights are not supported by statprune's step() (R keeps those rows in n "
                            "but not in the fit); remove the rows with weight 0")
    # offsets: the argument plus every offset() term (R's model.offset)
    off_total = None if o_arr is None else o_arr.copy()
    for o in off_labels:
        ov = design.var(o)
        if ov.is_factor or ov.values.ndim != 1:  # type: ignore[union-attr]
            raise DataError(f"offset({o}) must be numeric")
        off_total = ov.values.copy() if off_total is None else off_total + ov.values  # type: ignore[union-attr]
    n_trials = None
    if cbind is not None:
        s_v, f_v = design.var(cbind[0]), design.var(cbind[1])
        if s_v.is_factor or f_v.is_factor:
            raise DataError(f"response {f.response!r}: successes and failures must be numeric counts")
        succ, fail = np.asarray(s_v.values, float), np.asarray(f_v.values, float)
        if np.any(succ < 0) or np.any(fail < 0):
            raise DataError(f"response {f.response!r}: counts must be >= 0")
        n_trials = succ + fail
        with np.errstate(invalid="ignore", divide="ignore"):
            y = np.where(n_trials == 0, 0.0, succ / np.where(n_trials == 0, 1, n_trials))
        w_arr = n_trials if w_arr is None else w_arr * n_trials
        if np.any(n_trials == 0):
            raise DataError(f"response {f.response!r}: rows with 0 trials are not supported (weight 0)")
    else:
        yv = design.var(f.response)  # type: ignore[arg-type]
        if yv.is_factor:
            if fam_name != "binomial":
                raise DataError(f"response {f.response!r} is not numeric; use family='binomial' for a two-level factor")
            if len(yv.levels) != 2:
                raise DataError(f"binomial response {f.response!r} must have 2 levels, it has {yv.levels}")
            y = (yv.codes != 0).astype(float)
        else:
            if yv.values.ndim != 1:  # type: ignore[union-attr]
                raise DataError(f"response {f.response!r} must be one column")
            y = np.asarray(yv.values, float)
    fam_obj: Any
    if fam_name == "gaussian" and (fam_link in (None, "identity")):
        fam_obj = "gaussian"
    elif fam_name == "glm.nb":
        fam_obj = Family("negative.binomial", fam_link, theta=1.0)
    else:
        fam_obj = Family(fam_name, fam_link, theta=fam_theta)
    if fam_obj != "gaussian":
        msg = fam_obj.check_y(y)
        if msg:
            raise DataError(f"response {f.response!r}: {msg}")
        if fam_obj.name == "binomial" and cbind is None:
            m = y if w_arr is None else y * w_arr
            if np.any(np.abs(m - np.round(m)) > 1e-3):
                warnings.warn("non-integer #successes in a binomial glm!", SelectionWarning, stacklevel=3)
    predictors = [v for v in var_labels if v not in resp_vars and v not in off_labels]
    design.check_factors([v for v in predictors if any(v in t for t in list(upper) + list(start_terms))])
    engine = Engine(design, y, fam_obj, f.intercept, var_order, weights=w_arr, offset=off_total, n_trials=n_trials)
    if fam_name == "glm.nb":
        engine.family = "glm.nb"
    prob = _Problem(df, f, engine, list(start_terms), lower, list(upper), len(y), dropped)
    prob.family_label = _family_label(fam_name, engine)
    return prob


def _family_label(name: str, engine: Engine) -> str:
    """How R prints the family of the fit (``binomial(link = "probit")``, ``glm.nb``)."""
    if name == "gaussian" and engine.is_lm:
        return "gaussian"
    fam = engine.fam
    if name == "glm.nb":
        return "glm.nb" if fam.link == "log" else f'glm.nb(link = "{fam.link}")'  # type: ignore[union-attr]
    base = f"negative.binomial(theta = {fam.theta:.6g}" if name == "negative.binomial" else f"{name}("  # type: ignore[union-attr]
    default = FAMILY_LINKS[fam.name][0]  # type: ignore[union-attr]
    if fam.link == default:  # type: ignore[union-attr]
        return name if name != "negative.binomial" else base + ")"
    sep = ", " if name == "negative.binomial" else ""
    return f'{base}{sep}link = "{fam.link}")'  # type: ignore[union-attr]


def _check_test(test: Any, allowed: Sequence[str]) -> str | None:
    """R's test names; ``"LRT"`` is R's alias of ``"Chisq"``."""
    if test is None:
        return None
    if test == "LRT":
        return "Chisq"
    if not isinstance(test, str) or test not in allowed:
        raise ParameterError(f"test must be one of {', '.join(allowed)} or 'LRT' (R's alias of 'Chisq'), got {test!r}")
    return test


def _check_test_for(test: str | None, engine: Engine) -> None:
    if test == "Rao" and engine.is_lm:
        raise ParameterError("test='Rao' is the score test of glm's drop1/add1; R's drop1.lm/add1.lm offer "
                             "'F' and 'Chisq' (fit the model with family='gaussian', link='log' for a glm)")
    if engine.is_negbin and test not in (None, "Chisq"):
        raise ParameterError(f"test={test!r} is not available for a negative binomial model (MASS's dropterm/"
                             "addterm offer 'Chisq')")


def _check_fit(engine: Engine, terms: Sequence[frozenset], info: ModelInfo) -> None:
    if info.df_resid > 0 and engine.is_lm and info.deviance <= 0:
        raise DataError(
            "the starting model fits the response exactly (RSS = 0, AIC is -infinity, so 'step' cannot "
            "proceed): is the response, or a copy of it, among the predictors?"
        )
    if info.df_resid <= 0:
        p = info.edf
        raise DataError(
            f"zero residual degrees of freedom: the starting model has {p} estimable coefficients for "
            f"{engine.n} rows (AIC is -infinity, so 'step' cannot proceed); use fewer terms or more rows"
        )
    if not math.isfinite(info.aic):
        raise DataError("AIC is not defined for this model, so 'step' cannot proceed")


def _formula_text(prob: _Problem, terms: Sequence[frozenset], label: Any = None) -> str:
    label = label or prob.engine.label
    labs = [_quote(label(t)) for t in terms] + list(prob.formula.offsets)
    rhs = " + ".join(labs) if labs else "1"
    if not prob.formula.intercept:
        rhs += " - 1"
    return f"{_quote(prob.formula.response or '')} ~ {rhs}"


def _quote(label: str) -> str:
    parts = label.split(":")
    out = []
    for p in parts:
        if re.fullmatch(r"[A-Za-z.][A-Za-z0-9._]*", p) or "(" in p:
            out.append(p)
        else:
            out.append(f"`{p}`")
    return ":".join(out)
