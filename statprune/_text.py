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
import shutil
import textwrap
from collections.abc import Sequence
from typing import Any

__all__ = ["terminal_width", "table_text", "frame_text", "wrap_prose", "DEFAULT_WIDTH"]

#: Width used when stdout is not a terminal and ``COLUMNS`` is not set.
DEFAULT_WIDTH = 120


def terminal_width() -> int:
    """The terminal's width in columns (``COLUMNS``, the terminal, else :data:`DEFAULT_WIDTH`)."""
    return max(40, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def _is_number(v: Any) -> bool:
    import numbers  # noqa: PLC0415

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


def table_text(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None,
               width: int | None = None, digits: int = 6) -> str:
    """Render a table: numbers right-aligned, text left-aligned, cells wrapped to fit ``width``."""
    from rich import box  # noqa: PLC0415
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    rows = [list(r) for r in rows]
    numeric = [bool(rows) and all(_numeric_cell(r[i]) for r in rows) for i in range(len(columns))]
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", show_edge=False, pad_edge=True)
    for name, num in zip(columns, numeric):
        table.add_column(str(name), justify="right" if num else "left", overflow="fold")
    for r in rows:
        table.add_row(*(_fmt(v, digits) for v in r))
    buf = io.StringIO()
    console = Console(file=buf, width=width or terminal_width(), color_system=None, force_terminal=False,
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
