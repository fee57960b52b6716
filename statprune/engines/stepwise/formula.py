"""R model formulas with R's semantics: terms, factors, contrasts, model matrices.

This module reproduces what R's ``terms.formula``, ``model.frame`` and
``model.matrix`` do for the formulas used in model selection. The work is split
between formulaic and statprune as follows.

**formulaic** (``formulaic.parser``) tokenizes the formula text and does the
term algebra: ``+ - * / : ^ ( )``, ``0``/``1``/``-1`` for the intercept, ``.``
(expanded through the parse context ``__formulaic_variables_available__``),
dotted names such as ``Infant.Mortality`` and backtick-quoted names, and the set
semantics of terms (``a:a`` is ``a``, ``b:a`` is ``a:b``, duplicates collapse,
``- term`` removes it).

**statprune** adds what R decides differently, each a small documented shim
checked against R's ``terms()`` in ``tests/test_formula.py``:

* ``%in%``: formulaic reads ``a %in% b`` as nesting (``b + b:a``) at the
  precedence of ``*``; R reads it as the interaction ``a:b`` only, binding
  tighter than ``*`` and looser than ``:`` (``a*b %in% c`` is
  ``a + b:c + a:b:c``). A replacement ``in`` operator does R's.
* term order: formulaic keeps appearance order (``_ordering="none"``); R sorts
  by order of interaction, then appearance (``sort_terms``).
* labels: R names an interaction by its variables in the order they first
  appear in the formula (``y ~ b:a + a`` gives ``b:a``; ``y ~ a + b:a`` gives
  ``a:b``). formulaic's terms are sets, so the variable order is read from the
  token stream (``.`` standing for its columns) and ``term_label`` uses it.
* calls (``log(x)``, ``I(x^2)``, ``relevel(g, ref = "b")``, ``as.factor(g)``)
  are one variable each, labelled as R deparses them. formulaic would reformat
  them as Python (``I(x ^ 2)``) and cannot read R names such as ``as.factor``,
  so each call is handed to formulaic as an opaque placeholder name and keeps
  R's label. Inside a call, formulaic's tokenizer splits the text and
  statprune evaluates it as R would (``^`` is a power, not ``xor``).
* ``.`` in a scope formula means the terms of the model being updated (R's
  ``update.formula``), interactions included; formulaic's ``.`` only knows
  columns, so the terms are substituted before parsing. In a model formula
  ``.`` is every column except the variables of the response.
* numbers other than ``0``/``1`` (outside a power) are errors as in R
  (formulaic would read ``2:a`` as a scaled term), and ``|`` is not R's.

statprune also keeps, as R has them: variable evaluation and factors
(strings, booleans and pandas categoricals are factors; levels sorted as
``factor()`` does, categoricals keep their category order, unused levels are
dropped as ``drop.unused.levels = TRUE``; ``factor()``, ``C()``, ``as.factor()``,
``relevel(x, ref = )``); coding of a factor in a term by treatment contrasts or
full dummies exactly as R's ``TermCode`` decides (contrasts when the term
without that variable is contained in a preceding term), with the columns of an
interaction varying fastest in the first variable and R's column names
(``racewhite:smokeTRUE``) — formulaic's coding and level rules differ from R's
in the cases that decide which term ``step()`` drops next; and
``drop_scope``/``add_scope`` (R's ``factor.scope``, marginality). Nothing here
calls R.
"""

from __future__ import annotations

import ast
import difflib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from formulaic.errors import FormulaicError
from formulaic.parser import DefaultFormulaParser, DefaultOperatorResolver
from formulaic.parser.algos.tokenize import tokenize as _fl_tokenize
from formulaic.parser.types import Operator, OrderedSet, Token

from ..._collate import locale_key
from ..._glmnet.families import class_levels
from ...errors import DataError, ParameterError
from .rexpr import deparse, evaluate, parse, r_number, tokenize

__all__ = [
    "Design",
    "Formula",
    "Variable",
    "contr_poly",
    "add_scope",
    "drop_scope",
    "parse_formula",
    "term_label",
]

Term = frozenset  # a term is the set of its variable labels


# --------------------------------------------------------------------------- formulaic, with R's %in%
def _interaction(*term_sets: OrderedSet) -> OrderedSet:
    return OrderedSet(a * b for a in term_sets[0] for b in term_sets[1])


class _ROperatorResolver(DefaultOperatorResolver):
    """formulaic's operators with R's ``%in%``: an interaction, between ``:`` and ``*``."""

    @property
    def operators(self) -> list[Operator]:
        ops = [op for op in super().operators if op.symbol != "in"]
        ops.append(Operator("in", arity=2, precedence=250, associativity="left", to_terms=_interaction))
        return ops


_FLAGS = DefaultFormulaParser.FeatureFlags
_PARSER = DefaultFormulaParser(operator_resolver=_ROperatorResolver(), feature_flags=_FLAGS.NONE)


def _raw_tokens(text: str, whole: str | None = None) -> list[Token]:
    try:
        return list(_fl_tokenize(text))
    except FormulaicError as exc:
        raise ParameterError(f"cannot parse formula {whole or text!r}: {str(exc).splitlines()[0]}") from None


# R's tokens and deparse of the text of a call (statprune.engines.stepwise.rexpr; the names are kept for the tests)
_r_tokens = tokenize
_deparse = deparse


# --------------------------------------------------------------------------- variables
COLLATIONS = ("C", "locale")


@dataclass
class Variable:
    """One evaluated variable: numeric (``values``, a matrix for ``poly()``) or factor (``codes`` into ``levels``)."""

    label: str
    values: np.ndarray | None = None
    codes: np.ndarray | None = None
    levels: list[str] = field(default_factory=list)
    ordered: bool = False  # an ordered factor: R's contr.poly
    colnames: list[str] | None = None  # suffixes of a matrix variable's columns (poly(x, 2)1, poly(x, 2)2)

    @property
    def is_factor(self) -> bool:
        return self.codes is not None

    def subset(self, keep: np.ndarray) -> Variable:
        """The rows ``keep`` of this variable; unused factor levels dropped (model.frame's drop.unused.levels)."""
        if not self.is_factor:
            return Variable(self.label, values=self.values[keep], colnames=self.colnames)  # type: ignore[index]
        codes = self.codes[keep]  # type: ignore[index]
        used = [i for i in range(len(self.levels)) if (codes == i).any()]
        remap = np.full(len(self.levels), -1, dtype=np.int64)
        remap[used] = np.arange(len(used))
        new = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        return Variable(self.label, codes=new, levels=[self.levels[i] for i in used], ordered=self.ordered)


def _fmt_level(v: Any) -> str:
    """A level as R's ``as.character`` writes it (``TRUE``, ``4``, ``0.3``, ``1e+05``)."""
    if isinstance(v, (bool, np.bool_)):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if not math.isfinite(f):
            return "NaN" if math.isnan(f) else ("Inf" if f > 0 else "-Inf")
        return ("-" + r_number(repr(-f))) if f < 0 else r_number(repr(f))
    return str(v)


def collation_key(collation: str) -> Any:
    """Sort key of text levels: ``"C"`` code points (R under LC_COLLATE=C), ``"locale"`` R in an English locale."""
    if collation == "C":
        return None
    if collation == "locale":
        return locale_key
    raise ParameterError(f"collation must be one of {COLLATIONS}, got {collation!r}")


def _as_factor(
    label: str,
    x: Any,
    *,
    ref: str | None = None,
    levels: Sequence[str] | None = None,
    ordered: bool | None = None,
    collation: str = "C",
) -> Variable:
    if isinstance(x, Variable):  # factor(f) / relevel(f) of a factor: keep its level order
        if not x.is_factor:
            x = pd.Series(x.values)
        else:
            base = x.subset(np.ones(len(x.codes), bool))  # type: ignore[arg-type]
            codes, levs, ordd = base.codes, list(base.levels), base.ordered
            return _relevel(label, Variable(label, codes=codes, levels=levs, ordered=ordd if ordered is None else ordered),
                            ref, levels)
    s = x if isinstance(x, pd.Series) else pd.Series(np.asarray(x))
    ordd = False
    if isinstance(s.dtype, pd.CategoricalDtype):
        ordd = bool(s.cat.ordered)
        cats = [c for c in s.cat.categories if (s == c).any()]  # drop unused levels as model.frame does
        codes = pd.Categorical(s, categories=cats).codes.astype(np.int64)
    else:
        cats = class_levels(s, collation=collation)  # R's levels(factor(x)) for the type of x
        codes = pd.Categorical(s, categories=cats).codes.astype(np.int64)
    var = Variable(label, codes=codes, levels=[_fmt_level(c) for c in cats], ordered=ordd if ordered is None else ordered)
    return _relevel(label, var, ref, levels)


def _relevel(label: str, var: Variable, ref: str | None, levels: Sequence[str] | None) -> Variable:
    codes, levs = var.codes, list(var.levels)
    if levels is not None:  # factor(x, levels = c(...)): values outside are NA, unused levels dropped later
        levels = [str(v) for v in levels]
        pos = {lv: i for i, lv in enumerate(levels)}
        remap = np.array([pos.get(lv, -1) for lv in levs], dtype=np.int64)
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)] if len(remap) else -1, -1)  # type: ignore[index]
        levs = levels
    if ref is not None:
        if var.ordered:
            raise DataError(f"{label}: 'relevel' only for (unordered) factors (R's error)")
        if ref not in levs:
            raise DataError(f"relevel: reference level {ref!r} is not a level of {label!r} (levels: {levs})")
        r = levs.index(ref)
        order = [r] + [i for i in range(len(levs)) if i != r]
        remap = np.empty(len(levs), dtype=np.int64)
        remap[order] = np.arange(len(levs))
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)  # type: ignore[index]
        levs = [levs[i] for i in order]
    out = Variable(label, codes=np.asarray(codes, np.int64), levels=levs, ordered=var.ordered)
    return out.subset(np.ones(len(out.codes), bool))  # type: ignore[arg-type]


def _is_factor_like(s: pd.Series) -> bool:
    return (
        isinstance(s.dtype, pd.CategoricalDtype)
        or pd.api.types.is_bool_dtype(s.dtype)
        or pd.api.types.is_object_dtype(s.dtype)
        or pd.api.types.is_string_dtype(s.dtype)
    )


_FACTOR_FUNCS = {"factor", "as.factor", "C", "ordered", "as.ordered", "relevel"}


def _column_values(name: str, data: pd.DataFrame) -> np.ndarray:
    """A column as an operand of an expression: numbers as float, logicals as bool, text as objects."""
    if name not in data.columns:
        raise DataError(_missing_msg(name, list(data.columns)))
    s = data[name]
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.to_numpy(dtype=bool)
    if _is_factor_like(s):
        return s.astype(object).to_numpy()
    if not pd.api.types.is_numeric_dtype(s.dtype):
        raise DataError(f"column {name!r} has dtype {s.dtype}, which is neither numeric nor categorical")
    return s.to_numpy(dtype=float)


def _factor_call(label: str, node: ast.Call, data: pd.DataFrame, collation: str) -> Variable:
    fname = node.func.id  # type: ignore[attr-defined]
    if len(node.args) < 1:
        raise ParameterError(f"{label}: {fname}() needs a variable")
    inner, extra = node.args[0], node.args[1:]
    kw = {k.arg: k.value for k in node.keywords}
    allowed = {"factor": {"levels", "ordered"}, "ordered": {"levels"}, "relevel": {"ref"}}.get(fname, set())
    bad = [k for k in kw if k not in allowed]
    if bad:
        raise ParameterError(f"{label}: argument {bad[0]!r} of {fname}() is not supported")
    ref = None
    if fname == "relevel":
        refnode = kw.get("ref", extra[0] if extra else None)
        if not isinstance(refnode, ast.Constant):
            raise ParameterError(f"{label}: relevel needs ref = \"level\"")
        ref = _fmt_level(refnode.value) if not isinstance(refnode.value, str) else refnode.value
        extra = extra[1:] if "ref" not in kw else extra
    if extra:
        if fname == "C":
            raise ParameterError(
                f"{label}: only R's default contrasts are supported (treatment for factors, contr.poly for "
                "ordered factors); write C(x) or relevel(x, ref = \"level\") to choose the reference level"
            )
        raise ParameterError(f"{label}: extra arguments of {fname}() are not supported")
    levels = None
    if "levels" in kw:
        lv = evaluate(kw["levels"], lambda nm: _column_values(nm, data), text=label)
        levels = [_fmt_level(v) for v in np.atleast_1d(np.asarray(lv))]
    ordered: bool | None = None
    if fname in ("ordered", "as.ordered"):
        ordered = True
    elif "ordered" in kw:
        o = kw["ordered"]
        if not (isinstance(o, ast.Constant) and isinstance(o.value, bool)):
            raise ParameterError(f"{label}: ordered = TRUE or FALSE")
        ordered = o.value
    elif fname == "factor":
        ordered = None  # factor() of an ordered factor stays ordered (R: ordered = is.ordered(x))
    if isinstance(inner, ast.Name) and inner.id in data.columns:
        base: Any = data[inner.id]
    elif isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id in _FACTOR_FUNCS:
        base = _factor_call(label, inner, data, collation)
    else:
        base = evaluate(inner, lambda nm: _column_values(nm, data), text=label)
        base = np.broadcast_to(np.asarray(base), (len(data),)) if np.ndim(base) == 0 else np.asarray(base)
        if base.ndim != 1:
            raise ParameterError(f"{label}: {fname}() of a matrix is not supported")
        if base.dtype.kind == "f":
            base = np.where(np.isnan(base), None, base).astype(object) if np.isnan(base).any() else base
    return _as_factor(label, base, ref=ref, levels=levels, ordered=ordered, collation=collation)


def evaluate_variable(label: str, data: pd.DataFrame, collation: str = "C") -> Variable:
    """Evaluate a formula variable against the data: a column, or an R call through :mod:`statprune.engines.stepwise.rexpr`.

    The text is parsed into a tree with R's precedence and evaluated through a
    fixed table of functions: nothing is handed to Python's ``eval``.
    """
    if label in data.columns:
        s = data[label]
        if _is_factor_like(s):
            return _as_factor(label, s, collation=collation)
        if not pd.api.types.is_numeric_dtype(s.dtype):
            raise DataError(f"column {label!r} has dtype {s.dtype}, which is neither numeric nor categorical")
        return Variable(label, values=s.to_numpy(dtype=float))
    node = parse(label)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FACTOR_FUNCS:
        return _factor_call(label, node, data, collation)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("offset", "cbind"):
        raise ParameterError(f"{label}: {node.func.id}() is only allowed as a whole term (offset) or the response (cbind)")
    value = evaluate(node, lambda nm: _column_values(nm, data), text=label)
    arr = np.asarray(value)
    n = len(data)
    if arr.ndim == 0:
        arr = np.full(n, arr.item())
    if arr.shape[0] != n:
        raise DataError(f"formula term {label!r} has {arr.shape[0]} values for {n} rows")
    if arr.dtype == bool:
        return _as_factor(label, arr, collation=collation)
    if arr.dtype.kind not in "iuf":
        return _as_factor(label, arr, collation=collation)
    arr = arr.astype(float)
    if arr.ndim == 2:
        if arr.shape[1] == 1:
            return Variable(label, values=arr[:, 0])
        return Variable(label, values=arr, colnames=[str(j + 1) for j in range(arr.shape[1])])
    return Variable(label, values=arr)


def _missing_msg(name: str, cols: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, [str(c) for c in cols], n=3)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    return f"formula names column {name!r}, which is not in the data{hint} (columns: {', '.join(map(str, cols))})"


# --------------------------------------------------------------------------- formula
@dataclass
class Formula:
    """A parsed R formula: response label, ordered terms, intercept, variable order."""

    response: str | None
    terms: list[frozenset]
    intercept: bool
    var_order: list[str]
    offsets: list[str] = field(default_factory=list)  # offset(...) terms, R's attr(terms, "offset")

    def labels(self) -> list[str]:
        return [term_label(t, self.var_order) for t in self.terms]


def term_label(term: frozenset, var_order: Sequence[str]) -> str:
    """R's label of a term: its variables in formula order joined by ``:``."""
    pos = {v: i for i, v in enumerate(var_order)}
    return ":".join(sorted(term, key=lambda v: (pos.get(v, len(pos)), v)))


def sort_terms(terms: Iterable[frozenset]) -> list[frozenset]:
    """R's ``terms()`` order: by order (number of variables), stable within an order."""
    return sorted(terms, key=len)


def parse_formula(
    text: str,
    columns: Sequence[str],
    *,
    response: str | None = None,
    need_response: bool = True,
    dot_terms: Sequence[frozenset] | None = None,
    var_order: Sequence[str] | None = None,
) -> Formula:
    """Parse ``"y ~ x1 + x2"`` (or a one-sided ``"~ x1"`` when ``response`` is given).

    ``.`` expands to every column except the variables of the response, or, for
    a scope formula (``dot_terms`` given), to the terms of the model being
    updated, as in R's ``update.formula``. ``var_order`` seeds the variable order
    (labels of interactions). The term algebra is formulaic's (see the module
    docstring for the shims); terms come back in R's ``terms()`` order.

    Examples
    --------
    >>> f = parse_formula("y ~ b:a + a + I(x^2)", ["y", "a", "b", "x"])
    >>> f.labels(), f.intercept
    (['a', 'I(x^2)', 'b:a'], True)
    >>> parse_formula("y ~ 0 + a %in% b", ["y", "a", "b"]).labels()
    ['a:b']
    """
    if not isinstance(text, str) or not text.strip():
        raise ParameterError(f"formula must be a non-empty string like 'y ~ x1 + x2', got {text!r}")
    lhs_text, sep, rhs_text = text.partition("~")
    if not sep:
        raise ParameterError(f"formula {text!r} has no '~'; write it like 'y ~ x1 + x2'")
    lhs = lhs_text.strip()
    lhs_names: set[str] = set()
    if lhs:
        ltoks = _r_tokens(lhs)
        parse(lhs)
        resp = ltoks[0][1][1:-1] if len(ltoks) == 1 and ltoks[0][0] == "bq" else _deparse(ltoks)
        nxt = [*ltoks[1:], ("", "")]
        lhs_names = {v[1:-1] if k == "bq" else v for (k, v), n in zip(ltoks, nxt) if k in ("name", "bq") and n[1] != "("}
    else:
        if need_response and response is None:
            raise ParameterError(f"formula {text!r} has no response on the left of '~'")
        resp = response
    cols = [str(c) for c in columns]
    # R's "." is every column but the variables of the response (all.vars(lhs))
    dot_vars = [c for c in cols if c != resp and c not in lhs_names]
    toks = _raw_tokens(rhs_text, text)
    if not toks:
        raise ParameterError(f"formula {text!r} has nothing on the right of '~' (use '~ 1' for the null model)")
    if var_order is not None:
        order = [v for v in var_order if v != resp]
    else:
        order = []
    # Hand formulaic the right side with every call replaced by a placeholder
    # name (R's label kept aside) and, in a scope formula, "." by the old terms
    # (then every variable is a placeholder, so that "- a:b" meets the "a:b" of ".").
    names: dict[str, str] = {}  # placeholder -> R label

    def alias(label: str) -> str:
        for key, lab in names.items():
            if lab == label:
                return key
        key = f"_statprune{len(names)}_"
        names[key] = label
        return key

    def see(label: str) -> None:
        if label not in order:
            order.append(label)

    offsets: list[str] = []
    pieces: list[str] = []
    pos = 0
    prev: Token | None = None
    for t in toks:
        start, end = t.source_start, t.source_end + 1
        if t.kind is Token.Kind.PYTHON:
            parse(t.token)  # R's syntax first (adjacent names, indexing...): deparse would hide the error
            label = _deparse(_r_tokens(t.token))
            see(label)
            new = alias(label)
            if label.startswith("offset(") and label.endswith(")"):
                if label not in offsets:
                    offsets.append(label)
        elif t.token == "." and t.kind is not Token.Kind.PYTHON:
            if dot_terms is not None:
                for term in dot_terms:
                    for v in sorted(term):
                        see(v)
                new = "(" + (" + ".join(":".join(alias(v) for v in sorted(term)) for term in dot_terms) or "1") + ")"
            else:
                for v in dot_vars:
                    see(v)
                new = None
        elif t.kind is Token.Kind.NAME:
            if re.match(r"^\.?\d", t.token):
                raise ParameterError(f"unexpected number {t.token!r} in formula {text!r}")
            see(t.token)
            # a scope's "." is spelled with placeholders: its variables must be the same names here
            new = alias(t.token) if dot_terms is not None else None
            if new is not None and rhs_text[start : start + 1] == "`":
                end += 1  # formulaic's span stops before the closing backtick
        elif t.kind is Token.Kind.VALUE:
            after_power = prev is not None and prev.token in ("^", "**")
            if t.token[:1] in "'\"" or (t.token not in ("0", "1") and not after_power):
                raise ParameterError(
                    f"unexpected {t.token!r} in formula {text!r} (only 0 and 1 are allowed, or a power after ^)"
                )
            if after_power and not re.fullmatch(r"[1-9]\d*", t.token):
                raise ParameterError(f"the power in a formula must be a positive integer, got {t.token!r}")
            new = None
        else:
            new = None
        if new is not None:
            pieces.append(rhs_text[pos:start] + new)
            pos = end
        prev = t
    pieces.append(rhs_text[pos:])
    context: dict[str, Any] = {"__formulaic_variables_available__": dot_vars}
    try:
        parsed = _PARSER.get_terms("~ " + "".join(pieces), context=context)
    except FormulaicError as exc:
        msg = str(exc).splitlines()[0]
        if "operator" in msg.lower() and rhs_text.rstrip()[-1:] in "+-*/:^~":
            msg = "formula ends unexpectedly"
        raise ParameterError(f"cannot parse formula {text!r}: {msg}") from None
    intercept = False
    terms: list[frozenset] = []
    for term in parsed:
        labels = [f.expr for f in term.factors]
        if labels == ["1"]:
            intercept = True
            continue
        t = frozenset(names.get(v, v) for v in labels)
        if any(v in offsets for v in t):  # an offset is not a term (R's terms(): attr "offset")
            continue
        if t and t not in terms:
            terms.append(t)
    var_order = ([resp] if resp else []) + [v for v in order if v != resp]
    if resp is not None:
        terms = [t for t in terms if resp not in t]
    return Formula(resp, sort_terms(terms), intercept, var_order, offsets)


# --------------------------------------------------------------------------- design
class Design:
    """Evaluated variables of a data set plus R's model matrix of any term list.

    ``columns(terms, intercept)`` returns the blocks (one per term, in order) with
    R's coding; blocks are cached by (term, coding) so that evaluating many
    candidate models costs one evaluation per distinct block.
    """

    def __init__(self, data: pd.DataFrame, var_labels: Iterable[str], collation: str = "C") -> None:
        self.data = data
        self.n = len(data)
        self.collation = collation
        collation_key(collation)  # validate
        self.vars: dict[str, Variable] = {}
        self._rows: np.ndarray | None = None  # rows kept by subset(): variables are evaluated on all rows first
        for lab in var_labels:
            self.var(lab)
        self._cache: dict[tuple, tuple[np.ndarray, list[str]]] = {}

    def var(self, label: str) -> Variable:
        v = self.vars.get(label)
        if v is None:
            v = evaluate_variable(label, self.data, self.collation)
            if self._rows is not None:
                v = v.subset(self._rows)
            self.vars[label] = v
        return v

    def subset(self, keep: np.ndarray) -> Design:
        """The rows ``keep`` (R's ``na.omit`` after ``model.frame``): variables such as ``scale(x)`` or
        ``poly(x, 2)`` keep the values computed on every row, unused factor levels are dropped."""
        out = Design.__new__(Design)
        out.data = self.data
        out.collation = self.collation
        out._rows = np.flatnonzero(keep) if self._rows is None else self._rows[np.flatnonzero(keep)]
        out.n = len(out._rows)
        out.vars = {lab: v.subset(np.flatnonzero(keep)) for lab, v in self.vars.items()}
        out._cache = {}
        return out

    def check_factors(self, labels: Iterable[str]) -> None:
        for lab in labels:
            v = self.var(lab)
            if v.is_factor and len(v.levels) < 2:
                raise DataError(
                    f"factor {lab!r} has only one level ({v.levels[0] if v.levels else 'none'!r}); "
                    "contrasts need 2 or more levels: drop it from the formula"
                )

    def codings(self, terms: Sequence[frozenset], intercept: bool, var_order: Sequence[str]) -> list[tuple]:
        """R's TermCode: per term, per variable (in formula order): 1 contrasts, 2 dummies, 0 numeric."""
        out: list[tuple] = []
        pos = {v: i for i, v in enumerate(var_order)}
        for j, t in enumerate(terms):
            vs = sorted(t, key=lambda v: (pos.get(v, len(pos)), v))
            code = []
            for v in vs:
                if not self.var(v).is_factor:
                    code.append(0)
                    continue
                rest = t - {v}
                code.append(1 if not rest or any(rest <= terms[i] for i in range(j)) else 2)
            out.append((tuple(vs), code))
        if not intercept:  # model.matrix: the first factor found is coded by dummies
            for _, code in out:
                hit = [i for i, c in enumerate(code) if c > 0]
                if hit:
                    code[hit[0]] = 2
                    break
        return [(vs, tuple(code)) for vs, code in out]

    def block(self, vs: tuple[str, ...], code: tuple[int, ...]) -> tuple[np.ndarray, list[str]]:
        key = (vs, code)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        cols = [np.ones(self.n)]
        names = [""]
        for v, c in zip(vs, code):
            var = self.var(v)
            if var.is_factor and var.ordered and c == 1:  # R's contr.poly for an ordered factor
                P, suffixes = contr_poly(len(var.levels))
                mats = [P[:, j][var.codes] for j in range(P.shape[1])]
                labs = [f"{v}{sfx}" for sfx in suffixes]
            elif var.is_factor:
                lev_idx = range(len(var.levels)) if c == 2 else range(1, len(var.levels))
                mats = [(var.codes == li).astype(float) for li in lev_idx]
                labs = [f"{v}{var.levels[li]}" for li in lev_idx]
            elif var.colnames is not None:  # a matrix variable (poly): one column each, named label + colname
                mats = [var.values[:, j] for j in range(var.values.shape[1])]  # type: ignore[index]
                labs = [f"{v}{cn}" for cn in var.colnames]
            else:
                mats = [np.asarray(var.values, float)]
                labs = [v]
            # first variable varies fastest: new variable is the outer loop
            cols = [m * a for m in mats for a in cols]
            names = [f"{nm}:{lab}" if nm else lab for lab in labs for nm in names]
        X = np.column_stack(cols) if cols else np.empty((self.n, 0))
        hit = (X, names)
        self._cache[key] = hit
        return hit

    def matrix(
        self, terms: Sequence[frozenset], intercept: bool, var_order: Sequence[str]
    ) -> tuple[np.ndarray, list[str], np.ndarray]:
        """Model matrix, column names and R's ``assign`` (0 intercept, j for the j-th term)."""
        blocks = [np.ones((self.n, 1))] if intercept else []
        names = ["(Intercept)"] if intercept else []
        assign = [0] if intercept else []
        for j, (vs, code) in enumerate(self.codings(terms, intercept, var_order), start=1):
            X, nm = self.block(vs, code)
            blocks.append(X)
            names.extend(nm)
            assign.extend([j] * X.shape[1])
        X = np.column_stack(blocks) if blocks else np.empty((self.n, 0))
        return X, names, np.asarray(assign, dtype=int)


def contr_poly(n: int) -> tuple[np.ndarray, list[str]]:
    """R's ``contr.poly(n)``: orthonormal polynomial contrasts and their names ``.L .Q .C ^4 ...``."""
    if n < 2:
        raise DataError(f"contrasts not defined for {n - 1} degrees of freedom")
    if n > 95:
        raise DataError(f"orthogonal polynomials cannot be represented accurately enough for {n - 1} degrees of freedom")
    sc = np.arange(1, n + 1, dtype=float)
    y = sc - sc.mean()
    X = np.column_stack([y**j for j in range(n)])
    Q, R = np.linalg.qr(X)
    Z = Q * np.diag(R)
    Z = Z / np.sqrt(np.sum(Z**2, axis=0))
    names = [f"^{j}" for j in range(n)]
    names[1 : min(4, n)] = [".L", ".Q", ".C"][: min(3, n - 1)]
    return Z[:, 1:], names[1:]


# --------------------------------------------------------------------------- scopes
def drop_scope(model_terms: Sequence[frozenset], lower_terms: Sequence[frozenset] | None) -> list[frozenset]:
    """R's ``factor.scope(..)$drop``: terms not in ``lower`` whose removal keeps marginality.

    As in R, containment is only checked among the terms that are not in ``lower``.
    """
    if not model_terms:
        return []
    lower = list(lower_terms or [])
    missing = [t for t in lower if t not in model_terms]
    if missing:
        raise ParameterError(
            "lower scope has term(s) not included in the model: "
            + ", ".join(":".join(sorted(t)) for t in missing)
        )
    facs = [t for t in model_terms if t not in set(lower)]
    if len(facs) <= 1:
        return facs
    return [t for t in facs if not any(t <= u for u in facs if u is not t and u != t)]


def add_scope(model_terms: Sequence[frozenset], upper_terms: Sequence[frozenset] | None) -> list[frozenset]:
    """R's ``factor.scope(..)$add``: upper-scope terms not in the model whose margins are present."""
    if not upper_terms:
        return []
    upper = list(upper_terms)
    missing = [t for t in model_terms if t not in upper]
    if missing:
        raise ParameterError(
            "upper scope has term(s) not included in the model: "
            + ", ".join(":".join(sorted(t)) for t in missing)
            + "; the upper scope must contain every term of the starting model"
        )
    add = [t for t in upper if t not in set(model_terms)]
    if len(add) <= 1:
        return add
    return [t for t in add if not any(u < t for u in add)]
