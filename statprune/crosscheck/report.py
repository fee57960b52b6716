"""The crosscheck's difference table: :class:`CrosscheckReport`, its rows, verdicts and tolerances.

Every check is one row (a dict with the keys of :data:`COLUMNS`): the quantity,
the term, the two engines, both values, the absolute and relative difference,
the tolerance and a verdict:

``agree``          both engines converged and the values are within the row's tolerance;
``disagree``       both engines converged (KKT satisfied on the problem each was given) and the
                   values differ: a real discrepancy, e.g. a wrong mapping of lambda;
``not converged``  an engine did not reach the optimum of its own problem (named in the note with its
                   objective gap, KKT violation and what was tried); never counted as agreement;
``info``           informational rows (tolerance NaN: known, explained differences) that never fail.

Tolerances (``rel_diff <= tolerance``): :data:`COEF_TOL` between tight solvers
(relative to the coefficient scale), :data:`EXACT_TOL` for deterministic fits,
:data:`PVALUE_TOL` for p-values and :func:`result_tolerance` between a result as
given and the tight refit.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._json import to_jsonable
from ..results import Result

__all__ = ["CERTIFICATE_COLUMNS", "COLUMNS", "TABLE_COLUMNS", "VERDICTS", "VERDICT_COLUMNS", "CrosscheckReport", "base_verdict", "certificate_table",
           "curve_row", "num_row", "result_tolerance", "set_row", "verdict_rows", "verdict_table"]

#: the verdict of a row (see the module docstring)
VERDICTS = ("agree", "disagree", "not converged", "info")

#: the columns of :meth:`CrosscheckReport.to_frame` (one row per check)
COLUMNS = ["quantity", "term", "engine_a", "engine_b", "value_a", "value_b", "abs_diff", "rel_diff", "tolerance", "ok", "verdict",
           "objective_gap", "kkt_violation", "note"]
#: the columns of :func:`verdict_rows` (what the HTML report and ``--json`` show per row)
VERDICT_COLUMNS = ["engine", "quantity", "term", "value_a", "value_b", "abs_diff", "rel_diff", "tolerance", "verdict", "objective_gap",
                   "kkt_violation", "note"]
#: the columns of :func:`verdict_table` (the text summary's difference table)
TABLE_COLUMNS = ["quantity", "term", "engines", "value_a", "value_b", "rel_diff", "tol", "obj_gap", "kkt", "verdict"]
#: the caption of :func:`certificate_table` in the summary
CERTIFICATES_CAPTION = "Certificates (glmnet's objective; KKT violations as fractions of lambda):"
#: the columns of :func:`certificate_table`
CERTIFICATE_COLUMNS = ["stage", "at", "engine", "objective", "gap", "kkt", "intercept", "own_kkt", "status"]

#: coefficient agreement between tight solvers, relative to the coefficient scale
COEF_TOL = 1e-6
#: deterministic fits (lm/glm vs OLS/GLM, prcomp vs PCA)
EXACT_TOL = 1e-8
#: p-values: relative error of a tail probability grows with |t|
PVALUE_TOL = 1e-6
#: glmnet thresh for the tight refits (1e-14 leaves up to 8e-7 on Boston; see docs/lambda_mapping.md)
TIGHT_THRESH = 1e-20


def result_tolerance(thresh: float) -> float:
    """Tolerance for a glmnet fit run at ``thresh`` against the tight refit.

    glmnet stops when the largest weighted squared coefficient change falls
    below ``thresh`` times the null deviance, which leaves coefficient errors of
    order ``sqrt(thresh)``: measured 4e-3 (Boston), 1e-4 (Pima), 4e-4 (quine) of
    the coefficient scale at the default 1e-7, 8e-7 at 1e-14.

    Examples
    --------
    >>> result_tolerance(1e-7)
    0.01
    >>> result_tolerance(1e-14)
    1e-06
    """
    return float(min(0.05, max(COEF_TOL, 1e5 * float(thresh))))


def base_verdict(row: dict[str, Any]) -> str:
    """Verdict of a row from its tolerance alone (no certificates)."""
    tol = row.get("tolerance")
    if tol is None or (isinstance(tol, float) and math.isnan(tol)):
        return "info"
    return "agree" if row["ok"] else "disagree"


def verdict_rows(report: CrosscheckReport) -> list[dict[str, Any]]:
    """The rows of a crosscheck as the report renders them: engine pair, values, tolerance, verdict, gap, KKT.

    Examples
    --------
    >>> from statprune.crosscheck.report import CrosscheckReport, num_row, verdict_rows
    >>> rep = CrosscheckReport([num_row("coefficient", "x", "r", "glum", 1.0, 1.0, 1e-6)])
    >>> [(r["engine"], r["verdict"]) for r in verdict_rows(rep)]
    [('r vs glum', 'agree')]
    """
    out = []
    for r in report.rows:
        d = {k: r.get(k) for k in VERDICT_COLUMNS if k != "engine"}
        out.append({"engine": f"{r['engine_a']} vs {r['engine_b']}", **d})
    return out


def verdict_table(report: CrosscheckReport) -> tuple[list[str], list[list[str]]]:
    """The difference table as text cells: ``(columns, rows)``, what :meth:`CrosscheckReport.summary` prints.

    One row per check of :func:`verdict_rows`, numbers formatted (6 significant
    digits for values, 2 for differences), the tolerance as ``1e-06`` or ``info``
    and a disagreement shown as ``DISAGREE (FAIL)``. A front end renders it with
    its own table widget (``statprune validate`` does).

    Examples
    --------
    >>> from statprune.crosscheck.report import CrosscheckReport, num_row, verdict_table
    >>> cols, rows = verdict_table(CrosscheckReport([num_row("coefficient", "x", "r", "glum", 1.0, 1.5, 1e-6)]))
    >>> cols[-1], rows[0][2], rows[0][-1]
    ('verdict', 'r vs glum', 'DISAGREE (FAIL)')
    """
    out = []
    for r in verdict_rows(report):
        tol = "info" if not _finite(r["tolerance"]) else f"{r['tolerance']:.0e}"
        out.append([str(r["quantity"]), str(r["term"]), r["engine"], _fmt(r["value_a"]), _fmt(r["value_b"]), _fmt(r["rel_diff"], 2), tol,
                    _fmt(r["objective_gap"], 2), _fmt(r["kkt_violation"], 2), r["verdict"] if r["verdict"] != "disagree" else "DISAGREE (FAIL)"])
    return list(TABLE_COLUMNS), out


def certificate_table(report: CrosscheckReport) -> tuple[list[str], list[list[str]]]:
    """The certificates (glmnet's objective, gap, KKT violations per stage and engine) as text cells: ``(columns, rows)``."""
    rows = [[str(c["stage"]), str(c["at"]), str(c["engine"]), _fmt(c["objective"], 12), _fmt(c["objective_gap"], 2), _fmt(c["kkt_violation"], 2),
             _fmt(c["intercept_score"], 2), _fmt(c["own_kkt_violation"], 2), str(c["status"])] for c in report.certificates]
    return list(CERTIFICATE_COLUMNS), rows


def _fixed_width(columns: list[str], rows: list[list[str]], rule: bool) -> list[str]:
    widths = [max(len(h), *(len(b[i]) for b in rows)) if rows else len(h) for i, h in enumerate(columns)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(columns, widths))]
    if rule:
        lines.append("  ".join("-" * w for w in widths))
    return lines + ["  ".join(c.ljust(w) for c, w in zip(b, widths)) for b in rows]


# --------------------------------------------------------------------------- the report
@dataclass(repr=False)
class CrosscheckReport(Result):
    """Difference table of a crosscheck (a :class:`~statprune.results.Result`: ``to_dict``, ``to_json``, ``to_frame``, ``summary``).

    Attributes
    ----------
    rows : list of dict
        One dict per check with the keys of :data:`COLUMNS`.
    info : dict
        What was checked: family, alpha, lambda, n, p, engines, solver settings, notes.
    provenance : dict
        Versions of R, glmnet, rpy2, numpy, scikit-learn, statsmodels; seed.
    """

    rows: list[dict[str, Any]]
    info: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)
    certificates: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.certificates and "certificates" in self.info:
            self.certificates = list(self.info.pop("certificates"))
        self.info.pop("certificates", None)
        for r in self.rows:
            r.setdefault("verdict", base_verdict(r))
            r.setdefault("objective_gap", math.nan)
            r.setdefault("kkt_violation", math.nan)

    @property
    def ok(self) -> bool:
        """True when every check is within its tolerance."""
        return all(bool(r["ok"]) for r in self.rows)

    @property
    def verdicts(self) -> dict[str, int]:
        """How many rows have each verdict (``agree``, ``disagree``, ``not converged``, ``info``)."""
        out = {"agree": 0, "disagree": 0, "not converged": 0, "info": 0}
        for r in self.rows:
            out[r["verdict"]] = out.get(r["verdict"], 0) + 1
        return out

    @property
    def max_rel_diff(self) -> float:
        """Largest relative difference among the checked (non-informational) rows."""
        vals = [r["rel_diff"] for r in self.rows if _finite(r["tolerance"]) and _finite(r["rel_diff"]) and r.get("verdict") != "not converged"]
        return float(max(vals)) if vals else 0.0

    def to_frame(self) -> pd.DataFrame:
        """The table, one row per check."""
        return pd.DataFrame(self.rows, columns=COLUMNS)

    def failed(self) -> pd.DataFrame:
        """The rows that are out of tolerance."""
        df = self.to_frame()
        return df[~df["ok"].astype(bool)]

    def to_dict(self) -> dict[str, Any]:
        """``checks`` (the rows), ``ok``, ``max_rel_diff``, ``info``, ``provenance``."""
        return {
            "checks": [{k: to_jsonable(r[k]) for k in COLUMNS} for r in self.rows],
            "certificates": to_jsonable(self.certificates),
            "verdicts": self.verdicts,
            "ok": self.ok,
            "max_rel_diff": self.max_rel_diff,
            "info": to_jsonable(self.info),
            "provenance": to_jsonable(self.provenance),
        }

    def headline(self) -> str:
        """The summary's first line: what was checked (family, alpha, lambda, n, p)."""
        i = self.info
        title = f"Crosscheck: {i.get('family', '')}"
        if "alpha" in i:
            title += f", alpha={i['alpha']:g}"
        if i.get("lambda") is not None:
            title += f", lambda={i['lambda']:.6g}"
        if "n" in i:
            title += f" (n={i['n']}, p={i['p']})"
        return title

    def footer(self) -> list[str]:
        """The summary's last lines: the verdict counts and the notes."""
        v = self.verdicts
        nfail = sum(not r["ok"] for r in self.rows)
        lines = [f"{len(self.rows)} checks: {v['agree']} agree, {v['disagree']} disagree, {v['not converged']} not converged, {v['info']} info; "
                 f"{nfail} failed; max rel_diff {self.max_rel_diff:.2e} -> " + ("OK" if self.ok else "FAILED")]
        return lines + [f"note: {note}" for note in self.info.get("notes", [])]

    def _summary_text(self) -> str:
        """Readable difference table (:func:`verdict_table`), the certificates (:func:`certificate_table`), the verdict and the notes."""
        lines = [self.headline(), *_fixed_width(*verdict_table(self), rule=True)]
        if self.certificates:
            lines += ["", CERTIFICATES_CAPTION, *_fixed_width(*certificate_table(self), rule=False)]
        return "\n".join([*lines, "", *self.footer()])

    def _repr_info(self) -> str:
        nfail = sum(not r["ok"] for r in self.rows)
        return f"{len(self.rows)} checks, {nfail} failed, max_rel_diff={self.max_rel_diff:.2e}"

    def _summary_html(self) -> str:
        head = ["quantity", "term", "engines", "value_a", "value_b", "rel_diff", "tolerance", "objective gap", "KKT violation", "verdict"]
        rows = []
        for b in verdict_table(self)[1]:
            style = ' style="background:#fdd"' if b[-1].startswith("DISAGREE") else (' style="background:#ffe9c6"' if b[-1] == "not converged" else "")
            rows.append(f"<tr{style}>" + "".join(f"<td>{html.escape(c)}</td>" for c in b) + "</tr>")
        verdict = "no disagreement" if self.ok else "SOME CHECKS FAILED (disagree)"
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.info.get("notes", []))
        return (
            f"<div><p><b>Crosscheck</b> ({html.escape(str(self.info.get('family', '')))}): {verdict}; "
            f"max rel_diff {self.max_rel_diff:.2e}</p><table><thead><tr>"
            + "".join(f"<th>{h}</th>" for h in head)
            + "</tr></thead><tbody>"
            + "".join(rows)
            + f"</tbody></table><ul>{notes}</ul></div>"
        )

    def __add__(self, other: CrosscheckReport) -> CrosscheckReport:
        info = {**other.info, **self.info}
        info["notes"] = list(dict.fromkeys([*self.info.get("notes", []), *other.info.get("notes", [])]))
        return CrosscheckReport(self.rows + other.rows, info, self.provenance or other.provenance)


def _finite(v: Any) -> bool:
    return isinstance(v, (int, float, np.floating, np.integer)) and math.isfinite(float(v))


def _fmt(v: Any, digits: int = 6) -> str:
    if isinstance(v, (float, np.floating)):
        return "nan" if not math.isfinite(float(v)) else f"{float(v):.{digits}g}"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    s = str(v)
    return s if len(s) <= 40 else s[:37] + "..."


def num_row(quantity: str, term: str, a: str, b: str, va: float, vb: float, tol: float, scale: float | None = None, note: str = "") -> dict[str, Any]:
    va, vb = float(va), float(vb)
    d = abs(va - vb)
    ref = max(abs(va), abs(vb)) if scale is None else float(scale)
    rel = d / ref if ref > 0 else (0.0 if d == 0 else math.inf)
    if not (math.isfinite(va) and math.isfinite(vb)):
        d = rel = math.inf if va != vb else 0.0
    ok = True if not _finite(tol) else bool(rel <= tol)
    return dict(quantity=quantity, term=term, engine_a=a, engine_b=b, value_a=va, value_b=vb, abs_diff=d, rel_diff=rel, tolerance=float(tol), ok=ok, note=note)


def set_row(quantity: str, term: str, a: str, b: str, sa: Sequence[str], sb: Sequence[str], note: str = "") -> dict[str, Any]:
    A, B = set(sa), set(sb)
    sym = len(A ^ B)
    rel = sym / max(len(A | B), 1)
    order = [t for t in sa] + [t for t in sb if t not in A]
    fa = ", ".join(t for t in order if t in A) or "(none)"
    fb = ", ".join(t for t in order if t in B) or "(none)"
    if sym:
        note = (note + "; " if note else "") + "differ: " + ", ".join(sorted(A ^ B))
    return dict(quantity=quantity, term=term, engine_a=a, engine_b=b, value_a=fa, value_b=fb, abs_diff=float(sym), rel_diff=rel, tolerance=0.0, ok=sym == 0, note=note)


def curve_row(quantity: str, a: str, b: str, va: np.ndarray, vb: np.ndarray, tol: float, lambdas: np.ndarray | None = None, scale: np.ndarray | float | None = None, note: str = "") -> dict[str, Any]:
    """One row summarising two curves: the worst point (largest relative difference)."""
    va = np.asarray(va, dtype=float)
    vb = np.asarray(vb, dtype=float)
    d = np.abs(va - vb)
    ref = np.maximum(np.abs(va), np.abs(vb)) if scale is None else np.broadcast_to(np.asarray(scale, dtype=float), d.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(ref > 0, d / ref, np.where(d == 0, 0.0, np.inf))
    k = int(np.nanargmax(rel)) if rel.size else 0
    idx = np.unravel_index(k, rel.shape) if rel.size else (0,)
    where = f"max over {rel.size} values"
    if lambdas is not None and rel.size:
        where += f" (at lambda={lambdas[idx[-1]]:.4g})"
    row = num_row(quantity, where, a, b, va[idx], vb[idx], tol, note=note)
    row["abs_diff"] = float(d[idx])
    row["rel_diff"] = float(rel[idx])
    row["ok"] = True if not _finite(tol) else bool(rel[idx] <= tol)
    return row

