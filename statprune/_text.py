"""Plain-text tables and prose for the terminal, wrapped to its width (rich renders the tables).

The width is the terminal's (``COLUMNS`` first, then the terminal stdout is attached to);
when there is no terminal (a pipe, a file) it is :data:`DEFAULT_WIDTH`. The output holds no
colour codes, so it can be piped and diffed.

Examples
--------
>>> print(table_text(["term", "coef"], [["crim", -0.1007], ["(Intercept)", 34.88]], width=40))
 term             coef
───────────────────────
 crim          -0.1007
 (Intercept)     34.88
"""

from __future__ import annotations

import io
import math
import numbers
import shutil
import textwrap
from collections.abc import Sequence
from typing import Any

__all__ = ["terminal_width", "fits", "table_text", "frame_text", "anova_text", "wrap_prose", "DEFAULT_WIDTH"]

#: Width used when stdout is not a terminal and ``COLUMNS`` is not set.
DEFAULT_WIDTH = 120


def terminal_width() -> int:
    """The terminal's width in columns (``COLUMNS``, the terminal, else :data:`DEFAULT_WIDTH`)."""
    return max(40, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def _is_number(v: Any) -> bool:

    return isinstance(v, numbers.Number) and not isinstance(v, bool)


def _numeric_cell(v: Any) -> bool:
    """A number, an empty cell, or text that reads as a number (a pre-formatted cell)."""
    if v is None or _is_number(v):
        return True
    if isinstance(v, str):
        if v.strip() in ("", "NA", "-"):
            return True
        try:
            float(v)
        except ValueError:
            return False
        return True
    return False


def _fmt(v: Any, digits: int) -> str:
    if v is None:
        return ""
    if _is_number(v):
        f = float(v)
        if f != f:
            return "NA"
        if float(f).is_integer() and abs(f) < 1e15 and not isinstance(v, float):
            return str(int(f))
        return f"{f:.{digits}g}"
    return str(v)


def fits(widths: Sequence[int], width: int) -> bool:
    """Whether columns of these widths fit in ``width`` characters as :func:`table_text` lays them out."""
    return sum(widths) + 3 * len(widths) - 1 <= width


def table_text(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None,
               width: int | None = None, digits: int = 6) -> str:
    """Render a table: numbers right-aligned, text left-aligned, cells wrapped to fit ``width``."""
    from rich import box  # noqa: PLC0415 - deferred: rich only when a table is printed
    from rich.console import Console  # noqa: PLC0415 - deferred: rich only when a table is printed
    from rich.table import Table  # noqa: PLC0415 - deferred: rich only when a table is printed

    rows = [list(r) for r in rows]
    numeric = [bool(rows) and all(_numeric_cell(r[i]) for r in rows) for i in range(len(columns))]
    cells = [[_fmt(v, digits) for v in r] for r in rows]
    width = width or terminal_width()
    # a table wider than the terminal is folded; keep whole words (and numbers) whole when they all fit
    least = [max([len(w) for w in str(name).split()] + [len(w) for r in cells for w in r[i].split()] or [1])
             for i, name in enumerate(columns)]
    if not fits(least, width):  # numbers stay whole; text columns as wide as still fits (at least 6)
        caps = [c for c in range(max(least), 5, -1) if fits([lo if num else min(lo, c) for lo, num in zip(least, numeric)],
                                                          width)]
        least = ([lo if num else min(lo, caps[0]) for lo, num in zip(least, numeric)] if caps else [1] * len(columns))
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", show_edge=False, pad_edge=True)
    for name, num, lo in zip(columns, numeric, least):
        table.add_column(str(name), justify="right" if num else "left", overflow="fold", min_width=lo)
    for r in cells:
        table.add_row(*r)
    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system=None, force_terminal=False,
                      legacy_windows=False, emoji=False, markup=False, highlight=False)
    console.print(table)
    return "\n".join(line.rstrip() for line in buf.getvalue().rstrip("\n").splitlines())


def frame_text(df: Any, *, index: bool = True, title: str | None = None, width: int | None = None,
               digits: int = 6) -> str:
    """:func:`table_text` of a pandas DataFrame (the index as the first column when ``index``)."""
    cols = ([df.index.name or ""] if index else []) + [str(c) for c in df.columns]
    rows = []
    for idx, rec in zip(df.index, df.itertuples(index=False)):
        vals = [v.item() if hasattr(v, "item") else v for v in rec]
        rows.append(([idx] if index else []) + vals)
    return table_text(cols, rows, title=title, width=width, digits=digits)


def wrap_prose(text: str, width: int | None = None) -> str:
    """Wrap the prose lines of ``text`` to ``width``; table rows (runs of two spaces) stay as they are."""
    width = width or terminal_width()
    out = []
    for line in text.splitlines():
        if len(line) <= width or "  " in line.strip():
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out.extend(textwrap.wrap(line, width=width, subsequent_indent=indent + "  ", break_long_words=False,
                                 break_on_hyphens=False) or [line])
    return "\n".join(out)


def anova_text(df: Any, index_name: str = "") -> str:
    """A table as R prints an anova (``drop1``/``add1``): whole numbers as integers, others with 6 digits, ``NA``.

    Examples
    --------
    >>> import pandas as pd
    >>> print(anova_text(pd.DataFrame({"Df": [float("nan"), 1.0], "AIC": [190.69, 189.12345678]},
    ...                               index=["<none>", "- x"])))
            Df      AIC
    <none>  NA   190.69
    - x      1  189.123
    """

    def fmt(v: Any) -> str:
        if isinstance(v, str):
            return v
        try:
            f = float(v)
        except (TypeError, ValueError):
            return str(v)
        if not math.isfinite(f):
            return "NA" if math.isnan(f) else str(f)
        if f == int(f) and abs(f) < 1e9:
            return str(int(f))
        return f"{f:.6g}"

    cols = [index_name] + [str(c) for c in df.columns]
    body = [[str(i)] + [fmt(v) for v in row] for i, row in zip(df.index, df.itertuples(index=False))]
    widths = [max(len(r[j]) for r in [cols] + body) for j in range(len(cols))]
    out = ["  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(cols, widths)))]
    for r in body:
        out.append("  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths))))
    return "\n".join(out)
