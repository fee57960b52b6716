"""R model formulas with R's semantics: terms, factors, contrasts, model matrices.

This module reproduces what R's ``terms.formula``, ``model.frame`` and
``model.matrix`` do for the formulas used in model selection:

* the term algebra ``+ - * / : ^ %in% ( )``, ``.`` (all other columns), ``0``/``1``
  for the intercept; terms are sorted by order (main effects, then two-way
  interactions, ...) and by appearance within an order, like ``terms()``;
* variables are column names (R's dotted names such as ``Infant.Mortality`` are
  kept verbatim; backticks quote anything else) or calls: ``factor(x)``,
  ``C(x)``, ``as.factor(x)``, ``relevel(x, ref = "b")``, ``I(...)``, ``log``,
  ``exp``, ``sqrt``, ``abs``, ``scale``, ``log2``, ``log10``, ``log1p``;
* strings, booleans and pandas categoricals are factors: levels sorted (R's
  ``factor()``), categoricals keep their category order, unused levels are
  dropped (``drop.unused.levels = TRUE``);
* a factor in a term is coded by treatment contrasts or by full dummies exactly
  as R's ``TermCode`` decides (contrasts when the term without that variable is
  contained in a preceding term), columns of an interaction vary fastest in the
  first variable, names are R's (``racewhite:smokeTRUE``);
* ``drop_scope``/``add_scope`` are R's ``factor.scope`` (marginality).

R's grammar is not Python's, so this is a small dedicated parser rather than
formulaic's (whose ``.``, term ordering and coding rules differ from R's in the
cases that decide which term ``step()`` drops next). Nothing here calls R.
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

# --------------------------------------------------------------------------- tokenizer
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<bq>`[^`]*`)
    | (?P<str>"[^"]*"|'[^']*')
    | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<name>[A-Za-z.][A-Za-z0-9._]*)
    | (?P<op>%in%|%[^%]*%|==|!=|<=|>=|\*\*|[-+*/:^~(),<>=!&|])
    )""",
    re.VERBOSE,
)


def _tokenize(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ParameterError(f"cannot parse formula {text!r} at {text[pos:]!r}")
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


# --------------------------------------------------------------------------- term algebra
@dataclass
class _Expr:
    terms: list[frozenset]  # ordered, unique
    intercept: int | None = None  # 1 add, 0 remove, None unspecified
    is_dot: bool = False
    removed: list[frozenset] = field(default_factory=list)  # terms subtracted ("- x")


def _union(a: Iterable[frozenset], b: Iterable[frozenset]) -> list[frozenset]:
    out = list(a)
    seen = set(out)
    for t in b:
        if t not in seen:
            out.append(t)
            seen.add(t)
    return out


class _Parser:
    """Recursive descent over R's precedence: ``+ -`` < ``* /`` < ``%in%`` < ``:`` < ``^``."""

    def __init__(
        self,
        tokens: list[tuple[str, str]],
        dot_vars: Sequence[str],
        columns: Sequence[str],
        dot_terms: Sequence[frozenset] | None = None,
    ) -> None:
        self.toks = tokens
        self.dot_terms = None if dot_terms is None else list(dot_terms)
        self.i = 0
        self.dot_vars = list(dot_vars)
        self.columns = set(columns)
        self.var_order: list[str] = []

    # helpers
    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise ParameterError("formula ends unexpectedly")
        self.i += 1
        return tok

    def _var(self, label: str) -> _Expr:
        if label not in self.var_order:
            self.var_order.append(label)
        return _Expr([frozenset([label])])

    # grammar
    def parse_sum(self) -> _Expr:
        tok = self.peek()
        if tok is not None and tok[1] in ("-", "+"):  # leading unary sign: "~ -1 + x", "~ +x"
            self.take()
            rhs = self.parse_prod()
            left = self._neg(rhs) if tok[1] == "-" else rhs
        else:
            left = self.parse_prod()
        while (tok := self.peek()) is not None and tok[1] in ("+", "-"):
            self.take()
            right = self.parse_prod()
            left = self._plus(left, right) if tok[1] == "+" else self._minus(left, right)
        return left

    @staticmethod
    def _neg(e: _Expr) -> _Expr:
        icpt = {1: 0, 0: 1}.get(e.intercept) if e.intercept is not None else None
        return _Expr([], icpt, removed=list(e.terms))

    @staticmethod
    def _plus(a: _Expr, b: _Expr) -> _Expr:
        gone = set(b.removed)
        terms = [t for t in _union(a.terms, b.terms) if t not in gone]
        icpt = b.intercept if b.intercept is not None else a.intercept
        return _Expr(terms, icpt, removed=a.removed + b.removed)

    @staticmethod
    def _minus(a: _Expr, b: _Expr) -> _Expr:
        drop = set(b.terms)
        terms = [t for t in a.terms if t not in drop]
        icpt = a.intercept
        if b.intercept == 1:
            icpt = 0
        elif b.intercept == 0:
            icpt = 1
        return _Expr(terms, icpt, removed=a.removed + list(b.terms))

    def parse_prod(self) -> _Expr:
        left = self.parse_in()
        while (tok := self.peek()) is not None and tok[1] in ("*", "/"):
            self.take()
            right = self.parse_in()
            if tok[1] == "*":
                left = _Expr(_union(_union(left.terms, right.terms), _inter(left.terms, right.terms)), left.intercept)
            else:  # a/b = a + (all of a):b
                allvars = frozenset().union(*left.terms) if left.terms else frozenset()
                nested = _inter([allvars], right.terms) if allvars else list(right.terms)
                left = _Expr(_union(left.terms, nested), left.intercept)
        return left

    def parse_in(self) -> _Expr:
        left = self.parse_colon()
        while (tok := self.peek()) is not None and tok[1] == "%in%":
            self.take()
            right = self.parse_colon()
            left = _Expr(_inter(left.terms, right.terms), left.intercept)
        return left

    def parse_colon(self) -> _Expr:
        left = self.parse_pow()
        while (tok := self.peek()) is not None and tok[1] == ":":
            self.take()
            right = self.parse_pow()
            left = _Expr(_inter(left.terms, right.terms), None)
        return left

    def parse_pow(self) -> _Expr:
        base = self.parse_atom()
        tok = self.peek()
        if tok is not None and tok[1] in ("^", "**"):
            self.take()
            kind, val = self.take()
            if kind != "num" or float(val) != int(float(val)) or int(float(val)) < 1:
                raise ParameterError(f"the power in a formula must be a positive integer, got {val!r}")
            n = int(float(val))
            out = list(base.terms)
            for _ in range(n - 1):
                out = _union(out, _inter(out, base.terms))
            out = [t for t in out if len(t) <= max((len(b) for b in base.terms), default=0) * n]
            base = _Expr(out, base.intercept)
        return base

    def parse_atom(self) -> _Expr:
        kind, val = self.take()
        if val == "(":
            e = self.parse_sum()
            if self.take()[1] != ")":
                raise ParameterError("unbalanced parentheses in formula")
            return e
        if kind == "num":
            if float(val) == 1:
                return _Expr([], 1)
            if float(val) == 0:
                return _Expr([], 0)
            raise ParameterError(f"unexpected number {val!r} in formula (only 0 and 1 are allowed)")
        if kind == "bq":
            return self._var(val[1:-1])
        if kind == "name":
            nxt = self.peek()
            if nxt is not None and nxt[1] == "(":
                return self._var(self._call(val))
            if val == "." and self.dot_terms is not None:  # update.formula: "." is the old right side
                for t in self.dot_terms:
                    for v in sorted(t):
                        if v not in self.var_order:
                            self.var_order.append(v)
                return _Expr(list(self.dot_terms), None, is_dot=True)
            if val == ".":
                terms = []
                for v in self.dot_vars:
                    terms.extend(self._var(v).terms)
                return _Expr(terms, None, is_dot=True)
            return self._var(val)
        raise ParameterError(f"unexpected {val!r} in formula")

    def _call(self, fname: str) -> str:
        """A function call is one variable; its label is R's deparsed text."""
        self.take()  # "("
        depth = 1
        parts: list[tuple[str, str]] = []
        while depth:
            tok = self.take()
            if tok[1] == "(":
                depth += 1
            elif tok[1] == ")":
                depth -= 1
                if depth == 0:
                    break
            parts.append(tok)
        return f"{fname}({_deparse(parts)})"


def _inter(a: Sequence[frozenset], b: Sequence[frozenset]) -> list[frozenset]:
    out: list[frozenset] = []
    for s in a:
        for t in b:
            u = s | t
            if u not in out:
                out.append(u)
    return out


_BINOPS_SPACED = {"+", "-", "*", "/", "==", "!=", "<", ">", "<=", ">=", "&", "|", "=", "%in%"}


def _deparse(tokens: Sequence[tuple[str, str]]) -> str:
    """Approximate R's deparse spacing: spaces around binary operators, ``^`` and ``:`` tight."""
    out = ""
    prev: tuple[str, str] | None = None
    for kind, val in tokens:
        if kind == "op" and val in _BINOPS_SPACED and prev is not None and prev[1] not in ("(", ","):
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
    toks = _tokenize(label)
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

    ``.`` expands to every column except the response, or, for a scope formula
    (``dot_terms`` given), to the terms of the model being updated, as in R's
    ``update.formula``. ``var_order`` seeds the variable order (labels of interactions).
    """
    if not isinstance(text, str) or not text.strip():
        raise ParameterError(f"formula must be a non-empty string like 'y ~ x1 + x2', got {text!r}")
    lhs_text, sep, rhs_text = text.partition("~")
    if not sep:
        raise ParameterError(f"formula {text!r} has no '~'; write it like 'y ~ x1 + x2'")
    lhs = lhs_text.strip()
    if lhs:
        ltoks = _tokenize(lhs)
        resp = ltoks[0][1][1:-1] if len(ltoks) == 1 and ltoks[0][0] == "bq" else _deparse(ltoks)
    else:
        if need_response and response is None:
            raise ParameterError(f"formula {text!r} has no response on the left of '~'")
        resp = response
    dot_vars = [str(c) for c in columns if str(c) != resp]
    toks = _tokenize(rhs_text)
    if not toks:
        raise ParameterError(f"formula {text!r} has nothing on the right of '~' (use '~ 1' for the null model)")
    p = _Parser(toks, dot_vars, columns, dot_terms)
    if var_order is not None:
        p.var_order = [v for v in var_order if v != resp]
    expr = p.parse_sum()
    if p.peek() is not None:
        raise ParameterError(f"cannot parse formula {text!r} near {p.peek()[1]!r}")
    terms = [t for t in expr.terms if t]
    var_order = ([resp] if resp else []) + [v for v in p.var_order if v != resp]
    if resp is not None:
        terms = [t for t in terms if resp not in t]
    return Formula(resp, sort_terms(terms), expr.intercept != 0, var_order)


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
