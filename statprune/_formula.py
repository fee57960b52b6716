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

from .errors import DataError, ParameterError

__all__ = [
    "Design",
    "Formula",
    "Variable",
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
_TWO_CHAR_OPS = {"==", "!=", "<=", ">=", "**", "&&", "||"}
_SCI = re.compile(r"^(?:\d+\.?\d*|\.\d+)[eE]$")


def _raw_tokens(text: str, whole: str | None = None) -> list[Token]:
    try:
        return list(_fl_tokenize(text))
    except FormulaicError as exc:
        raise ParameterError(f"cannot parse formula {whole or text!r}: {str(exc).splitlines()[0]}") from None


def _r_tokens(text: str) -> list[tuple[str, str]]:
    """R tokens of an expression as ``(kind, text)``, from formulaic's tokenizer.

    Kinds: ``name``, ``bq`` (backtick-quoted, quotes kept), ``num``, ``str``,
    ``op`` (operators, parentheses, commas). formulaic keeps a call as one
    Python token; it is split here (``f``, ``(``, arguments, ``)``), runs of
    operators it merges (``& !``) are split, and ``1e-5`` is rejoined.
    """
    out: list[tuple[str, str]] = []
    toks = _raw_tokens(text)
    i = 0
    while i < len(toks):
        t = toks[i]
        tok, kind = t.token, t.kind
        src = t.source[t.source_start] if t.source is not None and t.source_start is not None else ""
        if kind is Token.Kind.NAME and _SCI.match(tok) and i + 2 < len(toks) and toks[i + 1].token in ("-", "+"):
            out.append(("num", tok + toks[i + 1].token + toks[i + 2].token))
            i += 3
            continue
        if kind is Token.Kind.NAME:
            if src == "`":
                out.append(("bq", f"`{tok}`"))
            elif re.match(r"^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$", tok):
                out.append(("num", tok))
            else:
                out.append(("name", tok))
        elif kind is Token.Kind.VALUE:
            out.append(("str" if tok[:1] in "'\"" else "num", tok))
        elif kind is Token.Kind.PYTHON:
            cut = tok.find("(")
            if cut <= 0 or not tok.endswith(")"):
                raise ParameterError(f"cannot parse {tok!r} in formula")
            out += [("name", tok[:cut].strip()), ("op", "(")] + _r_tokens(tok[cut + 1 : -1]) + [("op", ")")]
        elif tok == "in":
            out.append(("op", "%in%"))
        else:  # formulaic merges a run of operators ("& !"): split it into R's operators
            run = tok.replace(" ", "")
            j = 0
            while j < len(run):
                n = 2 if run[j : j + 2] in _TWO_CHAR_OPS else 1
                out.append(("op", "^" if run[j : j + n] == "**" else run[j : j + n]))  # R reads ** as ^
                j += n
        i += 1
    return out


_BINOPS_SPACED = {"+", "-", "*", "/", "==", "!=", "<", ">", "<=", ">=", "&", "|", "=", "%in%"}


def _deparse(tokens: Sequence[tuple[str, str]]) -> str:
    """R's deparse spacing: spaces around binary operators, ``^`` and ``:`` tight."""
    out = ""
    prev: tuple[str, str] | None = None
    for kind, val in tokens:
        unary = prev is None or (prev[0] == "op" and prev[1] not in (")",))
        if kind == "op" and val in _BINOPS_SPACED and not unary:
            out += f" {val} "
        elif kind == "op" and val == ",":
            out += ", "
        else:
            out += val
        prev = (kind, val)
    return out


# --------------------------------------------------------------------------- variables
@dataclass
class Variable:
    """One evaluated variable: numeric (``values``) or factor (``codes`` into ``levels``)."""

    label: str
    values: np.ndarray | None = None
    codes: np.ndarray | None = None
    levels: list[str] = field(default_factory=list)

    @property
    def is_factor(self) -> bool:
        return self.codes is not None


def _fmt_level(v: Any) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (float, np.floating)) and math.isfinite(v) and float(v).is_integer():
        return str(int(v))
    return str(v)


def _as_factor(label: str, x: Any, *, ref: str | None = None) -> Variable:
    s = x if isinstance(x, pd.Series) else pd.Series(np.asarray(x))
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = [c for c in s.cat.categories if (s == c).any()]  # drop unused levels as model.frame does
        codes = pd.Categorical(s, categories=cats).codes.astype(np.int64)
    else:
        uniq = pd.unique(s.dropna())
        try:
            cats = sorted(uniq)
        except TypeError:
            cats = sorted(uniq, key=str)
        codes = pd.Categorical(s, categories=cats).codes.astype(np.int64)
    levels = [_fmt_level(c) for c in cats]
    if ref is not None:
        if ref not in levels:
            raise DataError(f"relevel: reference level {ref!r} is not a level of {label!r} (levels: {levels})")
        r = levels.index(ref)
        order = [r] + [i for i in range(len(levels)) if i != r]
        remap = np.empty(len(levels), dtype=np.int64)
        remap[order] = np.arange(len(levels))
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        levels = [levels[i] for i in order]
    return Variable(label, codes=codes, levels=levels)


def _is_factor_like(s: pd.Series) -> bool:
    return (
        isinstance(s.dtype, pd.CategoricalDtype)
        or pd.api.types.is_bool_dtype(s.dtype)
        or pd.api.types.is_object_dtype(s.dtype)
        or pd.api.types.is_string_dtype(s.dtype)
    )


def _scale(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, float)
    return (x - x.mean()) / x.std(ddof=1)


_FUNCS = {
    "log": np.log,
    "exp": np.exp,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "log2": np.log2,
    "log10": np.log10,
    "log1p": np.log1p,
    "sin": np.sin,
    "cos": np.cos,
    "scale": _scale,
    "I": lambda x: x,
    "as.numeric": lambda x: np.asarray(x, float),
}
_FACTOR_FUNCS = {"factor", "as.factor", "C", "ordered", "relevel"}


def _py_name(i: int) -> str:
    return f"_v{i}"


def evaluate_variable(label: str, data: pd.DataFrame) -> Variable:
    """Evaluate a formula variable against the data (a column or an allowed call)."""
    if label in data.columns:
        s = data[label]
        if _is_factor_like(s):
            return _as_factor(label, s)
        if not pd.api.types.is_numeric_dtype(s.dtype):
            raise DataError(f"column {label!r} has dtype {s.dtype}, which is neither numeric nor categorical")
        return Variable(label, values=s.to_numpy(dtype=float))
    toks = _r_tokens(label)
    if len(toks) >= 3 and toks[0][0] == "name" and toks[1][1] == "(" and toks[-1][1] == ")":
        fname = toks[0][1]
        if fname in _FACTOR_FUNCS:
            inner = toks[2:-1]
            ref = None
            # split off keyword/extra arguments at top level: relevel(x, ref = "b"), C(x, ...)
            depth, cut = 0, len(inner)
            for j, (_, v) in enumerate(inner):
                depth += v == "("
                depth -= v == ")"
                if v == "," and depth == 0:
                    cut = j
                    break
            extra = inner[cut + 1 :]
            inner = inner[:cut]
            if fname == "relevel":
                strs = [v for k, v in extra if k in ("str",)]
                if not strs:
                    raise ParameterError(f"{label}: relevel needs ref = \"level\"")
                ref = strs[-1][1:-1]
            elif extra and fname == "C":
                raise ParameterError(
                    f"{label}: only treatment contrasts are supported; write C({_deparse(inner)}) or "
                    "relevel(x, ref = \"level\") to choose the reference level"
                )
            sub = _deparse(inner)
            base = data[sub] if sub in data.columns else _eval_numeric(sub, inner, data)
            return _as_factor(label, base, ref=ref)
    values = _eval_numeric(label, toks, data)
    if values.dtype == bool:
        return _as_factor(label, values)
    return Variable(label, values=np.asarray(values, float))


def _eval_numeric(label: str, toks: Sequence[tuple[str, str]], data: pd.DataFrame) -> np.ndarray:
    env: dict[str, Any] = {}
    src: list[str] = []
    cols = list(data.columns)
    for j, (kind, val) in enumerate(toks):
        nxt = toks[j + 1][1] if j + 1 < len(toks) else None
        if kind in ("name", "bq"):
            name = val[1:-1] if kind == "bq" else val
            if nxt == "(" and kind == "name":
                if name not in _FUNCS:
                    raise ParameterError(
                        f"function {name!r} in formula term {label!r} is not supported; allowed: "
                        f"{', '.join(sorted(_FUNCS))}, factor, C, as.factor, relevel"
                    )
                key = "_f_" + re.sub(r"\W", "_", name)
                env[key] = _FUNCS[name]
                src.append(key)
            elif name in ("TRUE", "T"):
                src.append("True")
            elif name in ("FALSE", "F"):
                src.append("False")
            elif name == "pi":
                src.append(repr(math.pi))
            else:
                if name not in data.columns:
                    raise DataError(_missing_msg(name, cols))
                key = _py_name(cols.index(name))
                s = data[name]
                if _is_factor_like(s) and not pd.api.types.is_bool_dtype(s.dtype):
                    raise DataError(f"column {name!r} is not numeric; it cannot be used in {label!r}")
                env[key] = s.to_numpy()
                src.append(key)
        elif kind == "op":
            src.append({"^": "**", "&": "&", "|": "|", "!": "~"}.get(val, val))
        else:
            src.append(val)
    code = " ".join(src)
    try:
        tree = ast.parse(code, mode="eval")
        out = eval(compile(tree, "<formula>", "eval"), {"__builtins__": {}}, env)  # noqa: S307 - names whitelisted
    except (SyntaxError, TypeError, ValueError, ZeroDivisionError) as exc:
        raise ParameterError(f"cannot evaluate formula term {label!r}: {exc}") from exc
    arr = np.asarray(out)
    if arr.ndim == 0:
        arr = np.full(len(data), arr.item())
    if arr.dtype != bool:
        arr = arr.astype(float)
    return arr


def _missing_msg(name: str, cols: Sequence[str]) -> str:
    import difflib  # noqa: PLC0415

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

    pieces: list[str] = []
    pos = 0
    prev: Token | None = None
    for t in toks:
        start, end = t.source_start, t.source_end + 1
        if t.kind is Token.Kind.PYTHON:
            label = _deparse(_r_tokens(t.token))
            see(label)
            new = alias(label)
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
        if t and t not in terms:
            terms.append(t)
    var_order = ([resp] if resp else []) + [v for v in order if v != resp]
    if resp is not None:
        terms = [t for t in terms if resp not in t]
    return Formula(resp, sort_terms(terms), intercept, var_order)


# --------------------------------------------------------------------------- design
class Design:
    """Evaluated variables of a data set plus R's model matrix of any term list.

    ``columns(terms, intercept)`` returns the blocks (one per term, in order) with
    R's coding; blocks are cached by (term, coding) so that evaluating many
    candidate models costs one evaluation per distinct block.
    """

    def __init__(self, data: pd.DataFrame, var_labels: Iterable[str]) -> None:
        self.data = data
        self.n = len(data)
        self.vars: dict[str, Variable] = {}
        for lab in var_labels:
            self.var(lab)
        self._cache: dict[tuple, tuple[np.ndarray, list[str]]] = {}

    def var(self, label: str) -> Variable:
        v = self.vars.get(label)
        if v is None:
            v = evaluate_variable(label, self.data)
            self.vars[label] = v
        return v

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
            if var.is_factor:
                lev_idx = range(len(var.levels)) if c == 2 else range(1, len(var.levels))
                mats = [(var.codes == li).astype(float) for li in lev_idx]
                labs = [f"{v}{var.levels[li]}" for li in lev_idx]
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
