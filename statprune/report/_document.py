"""The report's building blocks: tables, plots (deterministic SVG), sections, the data summary."""

from __future__ import annotations

import base64
import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._data import constant_columns



#: Methods a report can run, in the order they appear.
METHODS = ("lasso", "stepwise", "importance", "pca")
#: further sections, added when asked for (``methods="lasso,subsets,vif"``)
EXTRA_METHODS = ("subsets", "vif", "selective", "knockoff")

_SVG_RC = {"svg.hashsalt": "statprune-report", "svg.fonttype": "none", "svg.image_inline": True}


# --------------------------------------------------------------------------- building blocks
@dataclass
class Table:
    """A table for the report: pre-formatted cells (HTML/Markdown) and the raw records (JSON)."""

    caption: str
    columns: list[str]
    rows: list[list[str]]
    records: list[dict[str, Any]]
    index_name: str = ""
    classes: list[str] = field(default_factory=list)  # optional CSS class per row ("pass"/"fail"/"kept"...)
    numeric: list[bool] = field(default_factory=list)  # per column: right-aligned numbers (text is left-aligned)

    @classmethod
    def from_frame(cls, df: pd.DataFrame, caption: str, *, digits: int = 7, index: bool = True,
                   row_class: Callable[[pd.Series], str] | None = None) -> Table:
        """Format every value deterministically: floats with ``digits`` significant digits (R's default 7)."""
        frame = df.reset_index() if index else df.reset_index(drop=True)
        cols = [str(c) for c in frame.columns]
        rows = [[_cell(v, digits) for v in rec] for rec in frame.itertuples(index=False, name=None)]
        records = [{c: _plain(v) for c, v in zip(cols, rec)} for rec in frame.itertuples(index=False, name=None)]
        classes = [row_class(r) for _, r in df.iterrows()] if row_class is not None else []
        numeric = [bool(pd.api.types.is_numeric_dtype(frame[c].dtype) and not pd.api.types.is_bool_dtype(frame[c].dtype))
                   for c in frame.columns]
        return cls(caption, cols, rows, records, index_name=str(df.index.name or "") if index else "", classes=classes,
                   numeric=numeric)


@dataclass
class Plot:
    """A rendered figure: SVG text, embedded in HTML as a data URI."""

    caption: str
    svg: str
    alt: str = ""

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode("utf-8")).decode("ascii")


@dataclass
class Section:
    """One method's part of the report."""

    key: str
    title: str
    headline: str
    selected: list[str]
    pruned: list[str]
    tables: list[Table] = field(default_factory=list)
    plots: list[Plot] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    r_code: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def _plain(v: Any) -> Any:
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return f if np.isfinite(f) else None
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return None
    return v if isinstance(v, (int, str)) else str(v)


def _cell(v: Any, digits: int = 7) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if np.isnan(f):
            return "NA"
        if np.isinf(f):
            return "Inf" if f > 0 else "-Inf"
        return f"{f:.{digits}g}"
    if v is None or v is pd.NA:
        return "NA" if v is pd.NA else ""
    return str(v)


def svg_of(fig: Any) -> str:
    """Render a matplotlib figure to deterministic SVG text (fixed hash salt, no date) and close it."""
    import matplotlib  # noqa: PLC0415 - deferred: matplotlib only when a figure is drawn

    buf = io.StringIO()
    with matplotlib.rc_context(_SVG_RC):
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    try:
        import matplotlib.pyplot as plt  # noqa: PLC0415 - deferred: matplotlib only when a figure is drawn

        plt.close(fig)
    except Exception:  # noqa: BLE001 - a Figure made without pyplot is not registered
        pass
    text = buf.getvalue()
    # drop the XML prolog and DOCTYPE: the SVG is embedded, not a standalone file
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def _figure(width: float = 7.0, height: float = 4.5, ncols: int = 1) -> tuple[Any, Any]:
    from matplotlib.figure import Figure  # noqa: PLC0415 - deferred: matplotlib only when a figure is drawn

    fig = Figure(figsize=(width * ncols if ncols > 1 else width, height))
    axes = fig.subplots(1, ncols, squeeze=False).ravel().tolist()
    return fig, (axes[0] if ncols == 1 else axes)


# --------------------------------------------------------------------------- data summary
def _sha256(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def data_summary(df: pd.DataFrame, target: str) -> dict[str, Any]:
    """Rows, columns, missing values, constant columns and a per-column overview of the raw table."""

    cols = []
    for c in df.columns:
        s = df[c]
        num = pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)
        cols.append({
            "column": str(c),
            "role": "target" if str(c) == target else "predictor",
            "type": "numeric" if num else "categorical",
            "missing": int(s.isna().sum()),
            "distinct": int(s.nunique(dropna=True)),
            "mean": float(s.mean()) if num and s.notna().any() else None,
            "sd": float(s.std()) if num and s.notna().sum() > 1 else None,
            "min": float(s.min()) if num and s.notna().any() else None,
            "max": float(s.max()) if num and s.notna().any() else None,
        })
    return {
        "rows": int(df.shape[0]),
        "columns": int(df.shape[1]),
        "predictors": int(df.shape[1] - 1),
        "target": target,
        "missing_values": int(df.isna().sum().sum()),
        "rows_with_missing": int(df.isna().any(axis=1).sum()),
        "constant_columns": constant_columns(df.drop(columns=[target])),
        "column_info": cols,
    }
