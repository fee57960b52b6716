"""R expressions inside formula terms: tokenized, parsed and evaluated without Python's ``eval``.

A formula variable such as ``I(x^2)``, ``log(x + 1)``, ``poly(x, 2)`` or
``I(a > 1 & b < 2)`` is R code. statprune never hands it to Python's ``eval``:

1. :func:`tokenize` splits the text with R's lexical rules (names may contain
   dots, backticks quote any name, ``%op%`` operators, R numbers ``1e-3``,
   ``2L``, ``0x10``).
2. :func:`parse` builds a tree of :mod:`ast` nodes with R's operator
   precedence (``?Syntax``: ``^`` > unary minus > ``:`` > ``%%`` ``%/%``
   ``%in%`` > ``* /`` > ``+ -`` > comparisons (non-associative) > ``!`` >
   ``& &&`` > ``| ||``). Only the node types below can be produced: names,
   constants, unary/binary operators, single comparisons, ``&``/``|``, and calls
   of a *name* with positional and ``name = value`` arguments. Indexing (``[``),
   ``$``, ``@``, ``::``, assignment, braces, ``function``, or anything else is a
   :class:`~statprune.errors.ParameterError` naming it.
3. :func:`evaluate` walks the tree; a call is looked up in a fixed table of
   vectorised numpy functions (:data:`FUNCTIONS`), a name is a column of the
   data (or ``TRUE``/``FALSE``/``T``/``F``/``pi``). No attribute is ever read and
   no Python object is reached from the text.

:func:`deparse` writes tokens back as R's ``deparse`` does (R's term labels):
spaces around ``+ - * == & |`` and ``%in%``, none around ``^ / : %% %/%``,
numbers in R's 15-significant-digit format (``1e-3`` is ``0.001``, ``1e5`` is
``1e+05``).
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ...errors import DataError, ParameterError

__all__ = ["FUNCTIONS", "deparse", "evaluate", "parse", "r_number", "tokenize"]

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<bq>`(?:[^`\\]|\\.)*`)
  | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<num>0[xX][0-9a-fA-F]+L?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?L?)
  | (?P<name>(?:[^\W\d_]|\.(?!\d))[\w.]*)
  | (?P<op>%[^%\s]*%|::|<=|>=|==|!=|&&|\|\||<<-|<-|->|\*\*|\[\[|[-+*/^<>!&|~?:=$@,()\[\]{};\\])
    """,
    re.X,
)


def tokenize(text: str) -> list[tuple[str, str]]:
    """R tokens of ``text`` as ``(kind, text)``; kinds ``name bq num str op``.

    Examples
    --------
    >>> tokenize("I(x %/% 2) + 1e-3")
    [('name', 'I'), ('op', '('), ('name', 'x'), ('op', '%/%'), ('num', '2'), ('op', ')'), ('op', '+'), ('num', '1e-3')]
    """
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ParameterError(f"cannot read {text!r}: unexpected character {text[pos]!r} at position {pos + 1}")
        kind = m.lastgroup or ""
        if kind != "ws":
            tok = m.group()
            out.append((kind, "^" if tok == "**" else tok))  # R reads ** as ^
        pos = m.end()
    return out


# --------------------------------------------------------------------------- deparse
def r_number(text: str) -> str:
    """An R numeric literal as R's ``deparse`` prints it (15 significant digits)."""
    t = text[:-1] if text.endswith("L") else text
    v = float(int(t, 16)) if t[:2].lower() == "0x" else float(t)
    if v == 0:
        return "0"
    if not math.isfinite(v):
        return "Inf" if v > 0 else "-Inf"
    digits = 15
    for d in range(1, 16):
        if float(f"{v:.{d - 1}e}") == float(f"{v:.14e}"):
            digits = d
            break
    mant, exp = f"{v:.{digits - 1}e}".split("e")
    e = int(exp)
    sci = f"{mant}e{'-' if e < 0 else '+'}{abs(e):02d}"
    decimals = max(0, digits - 1 - e)
    fixed = f"{v:.{decimals}f}"
    return fixed if len(fixed) <= len(sci) else sci


_SPACED = {"+", "-", "*", "==", "!=", "<", ">", "<=", ">=", "&", "|", "&&", "||", "=", "~", "<-", "->"}


def deparse(tokens: Sequence[tuple[str, str]]) -> str:
    """R's ``deparse`` spacing of a token list (see the module docstring).

    Examples
    --------
    >>> deparse(tokenize("I(x/.5)+log(x,base=2)*1e5"))
    'I(x/0.5) + log(x, base = 2) * 1e+05'
    """
    out = ""
    prev: tuple[str, str] | None = None
    for kind, val in tokens:
        unary = prev is None or (prev[0] == "op" and prev[1] not in (")", "]"))
        if kind == "op" and (val in _SPACED or (val.startswith("%") and val not in ("%%", "%/%"))) and not unary:
            out += f" {val} "
        elif kind == "op" and val == ",":
            out += ", "
        elif kind == "num":
            out += r_number(val)
        else:
            out += val
        prev = (kind, val)
    return out


# --------------------------------------------------------------------------- parse (R's precedence)
_BINARY: dict[str, tuple[int, str]] = {  # operator -> (precedence, associativity)
    "|": (1, "l"), "||": (1, "l"),
    "&": (2, "l"), "&&": (2, "l"),
    "==": (4, "n"), "!=": (4, "n"), "<": (4, "n"), ">": (4, "n"), "<=": (4, "n"), ">=": (4, "n"),
    "+": (5, "l"), "-": (5, "l"),
    "*": (6, "l"), "/": (6, "l"),
    "%%": (7, "l"), "%/%": (7, "l"), "%in%": (7, "l"),
    ":": (8, "l"),
    "^": (10, "r"),
}
_NOT_PREC, _UMINUS_PREC = 3, 9
_AST_BIN = {"+": ast.Add, "-": ast.Sub, "*": ast.Mult, "/": ast.Div, "^": ast.Pow, "%%": ast.Mod, "%/%": ast.FloorDiv}
_AST_CMP = {"==": ast.Eq, "!=": ast.NotEq, "<": ast.Lt, ">": ast.Gt, "<=": ast.LtE, ">=": ast.GtE}
_WHAT = {
    "[": "indexing with [", "[[": "indexing with [[", "$": "'$' (element access)", "@": "'@' (slot access)",
    "::": "'::' (namespace access)", "<-": "assignment", "<<-": "assignment", "->": "assignment",
    "{": "braces", ";": "';'", "~": "a formula inside a term", "?": "'?'", "\\": "'\\'",
    "&&": "'&&' (use &)", "||": "'||' (use |)",
}
_CONSTANTS = {"TRUE": True, "T": True, "FALSE": False, "F": False, "pi": math.pi, "Inf": math.inf}


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], text: str) -> None:
        self.toks = tokens
        self.i = 0
        self.text = text

    def fail(self, msg: str) -> ParameterError:
        return ParameterError(f"cannot evaluate formula term {self.text!r}: {msg}")

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        t = self.peek()
        if t is None:
            raise self.fail("it ends unexpectedly")
        self.i += 1
        return t

    def unsupported(self, tok: tuple[str, str]) -> ParameterError:
        what = _WHAT.get(tok[1]) if tok[0] == "op" else None
        if what is not None:
            return self.fail(f"R's {what} is not supported in a formula term")
        return self.fail(f"unexpected {tok[1]!r}")

    def expr(self, min_prec: int = 0) -> ast.expr:
        left = self.prefix()
        while True:
            t = self.peek()
            if t is None or t[0] != "op" or t[1] in (")", ","):
                if t is not None and t[0] != "op":
                    raise self.fail(f"unexpected {t[1]!r}")
                return left
            if t[1] not in _BINARY:
                raise self.unsupported(t)
            prec, assoc = _BINARY[t[1]]
            if prec < min_prec:
                return left
            if t[1] in ("&&", "||"):
                raise self.unsupported(t)
            if t[1] == ":":
                raise self.fail("R's ':' (sequence) is not supported inside a call; write interactions outside calls")
            self.i += 1
            right = self.expr(prec + 1 if assoc in ("l", "n") else prec)
            left = self.combine(t[1], left, right)
            if assoc == "n":
                nxt = self.peek()
                if nxt is not None and nxt[0] == "op" and nxt[1] in _BINARY and _BINARY[nxt[1]][0] == prec:
                    raise self.fail(f"unexpected {nxt[1]!r} (R's comparisons do not chain)")

    def combine(self, op: str, left: ast.expr, right: ast.expr) -> ast.expr:
        if op in _AST_BIN:
            return ast.BinOp(left=left, op=_AST_BIN[op](), right=right)
        if op in _AST_CMP:
            return ast.Compare(left=left, ops=[_AST_CMP[op]()], comparators=[right])
        if op in ("&", "|"):
            return ast.BoolOp(op=ast.And() if op == "&" else ast.Or(), values=[left, right])
        return ast.Call(func=ast.Name(id=op, ctx=ast.Load()), args=[left, right], keywords=[])  # %in%

    def prefix(self) -> ast.expr:
        kind, val = self.take()
        if kind == "op" and val in ("-", "+"):
            operand = self.expr(_UMINUS_PREC)
            return ast.UnaryOp(op=ast.USub() if val == "-" else ast.UAdd(), operand=operand)
        if kind == "op" and val == "!":
            return ast.UnaryOp(op=ast.Not(), operand=self.expr(_NOT_PREC))
        if kind == "op" and val == "(":
            inner = self.expr()
            self.expect(")")
            return inner
        if kind == "num":
            t = val[:-1] if val.endswith("L") else val
            return ast.Constant(value=float(int(t, 16)) if t[:2].lower() == "0x" else float(t))
        if kind == "str":
            return ast.Constant(value=ast.literal_eval(val) if val[0] == '"' else val[1:-1])
        if kind in ("name", "bq"):
            name = val[1:-1] if kind == "bq" else val
            nxt = self.peek()
            if nxt == ("op", "("):
                if kind == "bq":
                    raise self.fail(f"calling a backtick-quoted name {val} is not supported")
                self.i += 1
                return self.call(name)
            if nxt is not None and nxt[0] == "op" and nxt[1] in ("[", "[[", "$", "@", "::"):
                raise self.unsupported(nxt)
            if kind == "name" and name in _CONSTANTS:
                return ast.Constant(value=_CONSTANTS[name])
            return ast.Name(id=name, ctx=ast.Load())
        raise self.unsupported((kind, val))

    def call(self, name: str) -> ast.Call:
        args: list[ast.expr] = []
        keywords: list[ast.keyword] = []
        if self.peek() == ("op", ")"):
            self.i += 1
            return ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=args, keywords=keywords)
        while True:
            t = self.peek()
            nxt = self.toks[self.i + 1] if self.i + 1 < len(self.toks) else None
            if t is not None and t[0] in ("name", "bq", "str") and nxt == ("op", "="):
                self.i += 2
                arg = t[1][1:-1] if t[0] != "name" else t[1]
                keywords.append(ast.keyword(arg=arg, value=self.expr()))
            else:
                if keywords:
                    raise self.fail("a positional argument after a named one is not supported")
                args.append(self.expr())
            sep = self.take()
            if sep == ("op", ")"):
                return ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=args, keywords=keywords)
            if sep != ("op", ","):
                raise self.unsupported(sep)

    def expect(self, val: str) -> None:
        t = self.take()
        if t != ("op", val):
            raise self.unsupported(t)


def parse(text: str) -> ast.expr:
    """The expression tree of an R expression (R's precedence), or ParameterError.

    Examples
    --------
    >>> ast.dump(parse("-x^2"))
    "UnaryOp(op=USub(), operand=BinOp(left=Name(id='x', ctx=Load()), op=Pow(), right=Constant(value=2.0)))"
    """
    toks = tokenize(text)
    if not toks:
        raise ParameterError(f"empty expression in formula: {text!r}")
    p = _Parser(toks, text)
    node = p.expr()
    if p.i != len(toks):
        raise p.unsupported(toks[p.i])
    return node


# --------------------------------------------------------------------------- evaluate (whitelist)
def _num(x: Any, what: str) -> np.ndarray | float:
    """A numeric operand: logical becomes 0/1 as in R; strings/factors are refused."""
    if isinstance(x, str):
        raise DataError(f"{what}: a character string cannot be used in arithmetic")
    a = np.asarray(x)
    if a.dtype == bool:
        return a.astype(float)
    if a.dtype.kind not in "iuf":
        raise DataError(f"{what}: a non-numeric value (a factor or text column) cannot be used in arithmetic")
    return a.astype(float)


def _logical(x: Any, what: str) -> np.ndarray:
    a = np.asarray(x)
    if a.dtype == bool:
        return a
    return np.asarray(_num(a, what)) != 0


def _scale(x: Any, center: Any = True, scale: Any = True) -> np.ndarray:
    x = np.asarray(x, float)
    if x.ndim == 1:
        x = x[:, None]
        one = True
    else:
        one = False
    if center is True:
        x = x - x.mean(axis=0)
    elif center is not False:
        x = x - np.asarray(center, float)
    if scale is True:  # R: sqrt(sum(x^2) / (n - 1)) of the (centred) columns
        x = x / np.sqrt(np.sum(x**2, axis=0) / (x.shape[0] - 1))
    elif scale is not False:
        x = x / np.asarray(scale, float)
    return x[:, 0] if one else x


def _log(x: Any, base: Any = math.e) -> np.ndarray:
    x = np.asarray(x, float)
    return np.log(x) if base == math.e else np.log(x) / np.log(float(base))


def _poly(x: Any, degree: Any = 1, raw: Any = False) -> np.ndarray:
    """R's ``poly(x, degree, raw)``: orthogonal polynomials (QR of centred powers) or raw powers."""
    x = np.asarray(x, float)
    if x.ndim != 1:
        raise ParameterError("poly() of several variables (polym) is not supported")
    d = float(degree)
    if not d.is_integer() or d < 1:
        raise ParameterError(f"poly(): 'degree' must be a positive integer, got {degree!r}")
    deg = int(d)
    if raw:
        return np.column_stack([x ** (j + 1) for j in range(deg)])
    if np.isnan(x).any():
        raise DataError("poly(): missing values are not allowed in 'poly' (R's error)")
    if deg >= len(np.unique(x)):
        raise DataError("poly(): 'degree' must be less than number of unique points")
    xc = x - x.mean()
    X = np.column_stack([xc**j for j in range(deg + 1)])
    Q, R = np.linalg.qr(X)
    Z = Q * np.diag(R)  # qr.qy(QR, diag(R)): independent of the signs LAPACK picks
    Z = Z / np.sqrt(np.sum(Z**2, axis=0))
    return Z[:, 1:]


def _ifelse(test: Any, yes: Any, no: Any) -> np.ndarray:
    return np.where(_logical(test, "ifelse"), _num(yes, "ifelse"), _num(no, "ifelse"))


def _pminmax(f: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    def g(*xs: Any) -> np.ndarray:
        out = np.asarray(_num(xs[0], "pmin/pmax"))
        for x in xs[1:]:
            out = f(out, _num(x, "pmin/pmax"))
        return out

    return g


def _r_round(x: Any, digits: Any = 0) -> np.ndarray:
    return np.round(np.asarray(x, float), int(digits))  # IEEE round-half-even, as R >= 4.0.0 for .5 cases


def _numeric(f: Callable[..., Any]) -> Callable[..., Any]:
    def g(*args: Any, **kw: Any) -> Any:
        return f(*[_num(a, "argument") if not isinstance(a, (bool, str)) else a for a in args], **kw)

    return g


#: R functions a formula term may call: name -> (function, allowed keyword arguments).
FUNCTIONS: dict[str, tuple[Callable[..., Any], tuple[str, ...]]] = {
    "I": (lambda x: x, ()),
    "log": (_numeric(_log), ("base",)),
    "exp": (_numeric(np.exp), ()),
    "sqrt": (_numeric(np.sqrt), ()),
    "abs": (_numeric(np.abs), ()),
    "log2": (_numeric(np.log2), ()),
    "log10": (_numeric(np.log10), ()),
    "log1p": (_numeric(np.log1p), ()),
    "expm1": (_numeric(np.expm1), ()),
    "sin": (_numeric(np.sin), ()),
    "cos": (_numeric(np.cos), ()),
    "tan": (_numeric(np.tan), ()),
    "asin": (_numeric(np.arcsin), ()),
    "acos": (_numeric(np.arccos), ()),
    "atan": (_numeric(np.arctan), ()),
    "sinh": (_numeric(np.sinh), ()),
    "cosh": (_numeric(np.cosh), ()),
    "tanh": (_numeric(np.tanh), ()),
    "floor": (_numeric(np.floor), ()),
    "ceiling": (_numeric(np.ceil), ()),
    "trunc": (_numeric(np.trunc), ()),
    "round": (_numeric(_r_round), ("digits",)),
    "sign": (_numeric(np.sign), ()),
    "scale": (_numeric(_scale), ("center", "scale")),
    "poly": (_numeric(_poly), ("degree", "raw")),
    "as.numeric": (lambda x: _num(x, "as.numeric"), ()),
    "as.integer": (lambda x: np.trunc(_num(x, "as.integer")), ()),
    "ifelse": (_ifelse, ("test", "yes", "no")),
    "pmin": (_pminmax(np.fmin), ()),
    "pmax": (_pminmax(np.fmax), ()),
    "%in%": (lambda x, table: np.isin(np.asarray(x), np.asarray(table)), ()),
    "c": (lambda *xs: np.concatenate([np.atleast_1d(np.asarray(x)) for x in xs]) if xs else np.empty(0), ()),
}


def evaluate(node: ast.AST, name: Callable[[str], Any], *, text: str = "") -> Any:
    """Value of a tree from :func:`parse`; ``name(label)`` gives a column's values.

    Only the node types :func:`parse` produces are accepted, and a call only of a
    function in :data:`FUNCTIONS`.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([1.0, 2.0, 4.0])
    >>> evaluate(parse("log(x, base = 2) + (x > 1)"), {"x": x}.__getitem__)
    array([0., 2., 3.])
    """
    what = f"formula term {text!r}" if text else "formula term"

    def fail(msg: str) -> ParameterError:
        return ParameterError(f"cannot evaluate {what}: {msg}")

    def ev(n: ast.AST) -> Any:
        if isinstance(n, ast.Constant):
            v = n.value
            if isinstance(v, bool) or isinstance(v, str):
                return v
            if isinstance(v, float):
                return np.float64(v)
            raise fail(f"unexpected constant {v!r}")
        if isinstance(n, ast.Name):
            return name(n.id)
        if isinstance(n, ast.UnaryOp):
            v = ev(n.operand)
            if isinstance(n.op, ast.Not):
                return ~_logical(v, what)
            if isinstance(n.op, ast.USub):
                return -_num(v, what)
            if isinstance(n.op, ast.UAdd):
                return _num(v, what)
            raise fail("unsupported unary operator")
        if isinstance(n, ast.BinOp):
            a, b = _num(ev(n.left), what), _num(ev(n.right), what)
            op = n.op
            if isinstance(op, ast.Add):
                return a + b
            if isinstance(op, ast.Sub):
                return a - b
            if isinstance(op, ast.Mult):
                return a * b
            if isinstance(op, ast.Div):
                return np.divide(a, b)
            if isinstance(op, ast.Pow):
                return np.power(a, b)
            if isinstance(op, ast.Mod):
                return np.mod(a, b)
            if isinstance(op, ast.FloorDiv):
                return np.floor_divide(a, b)
            raise fail("unsupported operator")
        if isinstance(n, ast.Compare) and len(n.ops) == 1 and len(n.comparators) == 1:
            a, b = ev(n.left), ev(n.comparators[0])
            if not (isinstance(a, str) or isinstance(b, str) or np.asarray(a).dtype.kind in "OUS"
                    or np.asarray(b).dtype.kind in "OUS"):
                a, b = _num(a, what), _num(b, what)
            else:
                a, b = np.asarray(a, object), np.asarray(b, object)
            op = n.ops[0]
            table = {ast.Eq: np.equal, ast.NotEq: np.not_equal, ast.Lt: np.less, ast.Gt: np.greater,
                     ast.LtE: np.less_equal, ast.GtE: np.greater_equal}
            f = table.get(type(op))
            if f is None:
                raise fail("unsupported comparison")
            return np.asarray(f(a, b), dtype=bool)
        if isinstance(n, ast.BoolOp) and len(n.values) == 2:
            a, b = _logical(ev(n.values[0]), what), _logical(ev(n.values[1]), what)
            return (a & b) if isinstance(n.op, ast.And) else (a | b)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
            entry = FUNCTIONS.get(n.func.id)
            if entry is None:
                raise fail(
                    f"function {n.func.id!r} is not supported; allowed: "
                    + ", ".join(sorted(k for k in FUNCTIONS if k[0] != "%"))
                    + ", factor, ordered, as.factor, C, relevel, offset"
                )
            fn, kwnames = entry
            args = [ev(a) for a in n.args]
            kwargs = {}
            for kw in n.keywords:
                if kw.arg not in kwnames:
                    raise fail(f"{n.func.id}() has no argument {kw.arg!r} here (allowed: {', '.join(kwnames) or 'none'})")
                kwargs[kw.arg] = ev(kw.value)
            try:
                with np.errstate(all="ignore"):  # R: NaN with a warning; the rows are then missing
                    return fn(*args, **kwargs)
            except TypeError as exc:
                raise fail(f"wrong arguments for {n.func.id}(): {exc}") from None
        raise fail(f"unsupported expression ({type(n).__name__})")

    with np.errstate(all="ignore"):
        return ev(node)
