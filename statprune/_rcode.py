"""Strings placed into generated R code (the "same in R" snippets): always escaped, never pasted.

statprune never builds R code it runs from user strings (data goes to R as objects, see
:mod:`statprune._r`). But it prints R code for a colleague to run: the report's "same in R"
block, :meth:`LassoResult.r_code`, ``statprune demo``. A file name, column name, target, level or
formula pasted into that text could close a string and run code (``inj"); file.create("X"); ("``).
Every such string goes through one of:

* :func:`r_string` -- an R string literal (``"..."``) whose value is exactly the Python string:
  backslash, double quote and control characters escaped, non-ASCII written as ``\\u{XXXX}`` /
  ``\\U{XXXXXXXX}`` (the code is then plain ASCII, the same in every locale);
* :func:`r_name` -- a name R reads as exactly that symbol: as is when it is a syntactic R name,
  otherwise backquoted with backslash, backquote and control characters escaped (R does not read
  ``\\u`` escapes inside backquotes, so non-ASCII letters stay as UTF-8 there).

A string R cannot hold (one with a NUL character) raises :class:`~statprune.errors.DataError`.
"""

from __future__ import annotations

import re

from .errors import DataError

__all__ = ["r_name", "r_string"]

_SIMPLE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\a": "\\a", "\b": "\\b",
           "\f": "\\f", "\v": "\\v"}
_RESERVED = frozenset({"if", "else", "repeat", "while", "function", "for", "next", "break", "TRUE", "FALSE",
                       "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_", "NA_complex_", "in"})
_SYNTACTIC = re.compile(r"(?:[A-Za-z]|\.(?![0-9]))[A-Za-z0-9._]*|\.")


def _no_nul(s: str) -> None:
    if "\x00" in s:
        raise DataError(f"{s!r} contains a NUL character, which an R string cannot hold")


def r_string(s: str) -> str:
    """``s`` as an R string literal (double-quoted, ASCII) whose value in R is exactly ``s``.

    Examples
    --------
    >>> print(r_string('inj"); file.create("X"); ("x.csv'))
    "inj\\"); file.create(\\"X\\"); (\\"x.csv"
    >>> print(r_string("a\\\\b\\nc\\u00e9"))
    "a\\\\b\\nc\\u{00e9}"
    """
    s = str(s)
    _no_nul(s)
    out = []
    for ch in s:
        o = ord(ch)
        if ch in _SIMPLE:
            out.append(_SIMPLE[ch])
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        elif o < 0x80:
            out.append(ch)
        elif o <= 0xFFFF:
            out.append(f"\\u{{{o:04x}}}")
        else:
            out.append(f"\\U{{{o:08x}}}")
    return '"' + "".join(out) + '"'


def r_name(s: str) -> str:
    """``s`` as an R name: unchanged when syntactic, else backquoted and escaped.

    Examples
    --------
    >>> r_name("medv"), r_name("my var"), r_name("if"), r_name("a`b")
    ('medv', '`my var`', '`if`', '`a\\\\`b`')
    """
    s = str(s)
    _no_nul(s)
    if not s:
        raise DataError("an empty name cannot be written as an R name")
    if _SYNTACTIC.fullmatch(s) and s not in _RESERVED and not re.fullmatch(r"\.\.(\.|[0-9]+)", s):
        return s
    out = []
    for ch in s:
        o = ord(ch)
        if ch == "`":
            out.append("\\`")
        elif ch == "\\" or ch in "\n\r\t\a\b\f\v":
            out.append(_SIMPLE[ch])
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        else:
            out.append(ch)
    return "`" + "".join(out) + "`"
