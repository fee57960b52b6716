"""Cross-checks: the same model fitted by R, scikit-learn and statsmodels, with a difference table.

:func:`crosscheck` re-derives a glmnet fit (a :class:`~statprune.lasso.GlmnetCV`,
its ``LassoResult``, or a family/alpha/lambda given directly) in the other
ecosystems and returns a :class:`CrosscheckReport`: one row per (quantity, term,
engine pair) with both values, the absolute and relative difference, the
tolerance and whether it holds. The lambda <-> alpha/C mapping it relies on is
documented, with its derivation, in ``docs/lambda_mapping.md`` (and implemented
in :mod:`statprune._mapping`).

Engines (``engine_a`` / ``engine_b`` in the table):

``r:result``
    the numbers of the result as given (cv.glmnet at its own ``thresh``);
``r``
    glmnet refitted in R at the same lambda with a tight ``thresh`` (1e-20);
``sklearn``
    ``ElasticNet``/``Lasso``, ``enet_path``, ``LassoCV``/``ElasticNetCV``,
    ``LogisticRegression(solver="saga")``, ``PoissonRegressor``, ``PCA``;
``statsmodels``
    ``GLM.fit_regularized(method="elastic_net")`` (poisson), ``OLS``/``GLM`` (refit
    on the selected support against R's ``lm``/``glm``).

Tolerances (``rel_diff <= tolerance``): coefficients 1e-6 relative to the
coefficient scale (the largest absolute standardized coefficient) between tight
solvers; 1e-8 for the deterministic unpenalised refits (lm/glm vs OLS/GLM) and
PCA; a tolerance derived from ``thresh`` (``clip(1e5 * thresh, 1e-6, 0.05)``,
1e-2 for glmnet's default 1e-7) between the result as given and the tight refit.
Rows whose tolerance is NaN are informational (known, explained differences)
and never fail.
"""

from __future__ import annotations

import html
import math
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from . import _mapping
from ._json import dumps_to, to_jsonable
from .errors import DataError, ParameterError

__all__ = ["CrosscheckReport", "crosscheck", "crosscheck_glm", "crosscheck_pca", "crosscheck_stepwise", "result_tolerance", "validate", "verdict_rows"]

#: the columns of :func:`verdict_rows` (what the HTML report and ``--json`` show per row)
VERDICT_COLUMNS = ["engine", "quantity", "term", "value_a", "value_b", "abs_diff", "rel_diff", "tolerance", "verdict", "objective_gap",
                   "kkt_violation", "note"]


def verdict_rows(report: CrosscheckReport) -> list[dict[str, Any]]:
    """The rows of a crosscheck as the report renders them: engine pair, values, tolerance, verdict, gap, KKT.

    Examples
    --------
    >>> from statprune.crosscheck import CrosscheckReport, _num_row, verdict_rows
    >>> rep = CrosscheckReport([_num_row("coefficient", "x", "r", "glum", 1.0, 1.0, 1e-6)])
    >>> [(r["engine"], r["verdict"]) for r in verdict_rows(rep)]
    [('r vs glum', 'agree')]
    """
    out = []
    for r in report.rows:
        d = {k: r.get(k) for k in VERDICT_COLUMNS if k != "engine"}
        out.append({"engine": f"{r['engine_a']} vs {r['engine_b']}", **d})
    return out

COLUMNS = ["quantity", "term", "engine_a", "engine_b", "value_a", "value_b", "abs_diff", "rel_diff", "tolerance", "ok", "verdict",
           "objective_gap", "kkt_violation", "note"]

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


# --------------------------------------------------------------------------- the report
@dataclass
class CrosscheckReport:
    """Difference table of a crosscheck.

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
        from ._certified import base_verdict  # noqa: PLC0415

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

    def to_json(self, path: str | None = None) -> str:
        """JSON text (NaN as null); written atomically to ``path`` when given."""
        return dumps_to(self.to_dict(), path)

    def _table_rows(self, only_failed: bool = False, limit: int | None = None) -> list[list[str]]:
        out = []
        for r in self.rows:
            if only_failed and r["ok"]:
                continue
            tol = "info" if not _finite(r["tolerance"]) else f"{r['tolerance']:.0e}"
            out.append(
                [
                    str(r["quantity"]),
                    str(r["term"]),
                    f"{r['engine_a']} vs {r['engine_b']}",
                    _fmt(r["value_a"]),
                    _fmt(r["value_b"]),
                    _fmt(r["rel_diff"], 2),
                    tol,
                    _fmt(r["objective_gap"], 2),
                    _fmt(r["kkt_violation"], 2),
                    r["verdict"] if r["verdict"] != "disagree" else "DISAGREE (FAIL)",
                ]
            )
        return out[:limit] if limit else out

    def summary(self) -> str:
        """Readable difference table with the verdict and the notes."""
        head = ["quantity", "term", "engines", "value_a", "value_b", "rel_diff", "tol", "obj_gap", "kkt", "verdict"]
        body = self._table_rows()
        widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(head)]
        lines = []
        i = self.info
        title = f"Crosscheck: {i.get('family', '')}"
        if "alpha" in i:
            title += f", alpha={i['alpha']:g}"
        if i.get("lambda") is not None:
            title += f", lambda={i['lambda']:.6g}"
        if "n" in i:
            title += f" (n={i['n']}, p={i['p']})"
        lines.append(title)
        lines.append("  ".join(h.ljust(w) for h, w in zip(head, widths)))
        lines.append("  ".join("-" * w for w in widths))
        for b in body:
            lines.append("  ".join(c.ljust(w) for c, w in zip(b, widths)))
        nfail = sum(not r["ok"] for r in self.rows)
        if self.certificates:
            lines.append("")
            lines.append("Certificates (glmnet's objective; KKT violations as fractions of lambda):")
            chead = ["stage", "at", "engine", "objective", "gap", "kkt", "intercept", "own_kkt", "status"]
            cbody = [[str(c["stage"]), str(c["at"]), str(c["engine"]), _fmt(c["objective"], 12), _fmt(c["objective_gap"], 2),
                      _fmt(c["kkt_violation"], 2), _fmt(c["intercept_score"], 2), _fmt(c["own_kkt_violation"], 2), str(c["status"])]
                     for c in self.certificates]
            cw = [max(len(h), *(len(b[i]) for b in cbody)) for i, h in enumerate(chead)]
            lines.append("  ".join(h.ljust(w) for h, w in zip(chead, cw)))
            for b in cbody:
                lines.append("  ".join(c.ljust(w) for c, w in zip(b, cw)))
        v = self.verdicts
        lines.append("")
        lines.append(
            f"{len(self.rows)} checks: {v['agree']} agree, {v['disagree']} disagree, {v['not converged']} not converged, {v['info']} info; "
            f"{nfail} failed; max rel_diff {self.max_rel_diff:.2e} -> "
            + ("OK" if self.ok else "FAILED")
        )
        for note in i.get("notes", []):
            lines.append(f"note: {note}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        nfail = sum(not r["ok"] for r in self.rows)
        return f"<CrosscheckReport {len(self.rows)} checks, {nfail} failed, max_rel_diff={self.max_rel_diff:.2e}>"

    def _repr_html_(self) -> str:
        head = ["quantity", "term", "engines", "value_a", "value_b", "rel_diff", "tolerance", "objective gap", "KKT violation", "verdict"]
        rows = []
        for b in self._table_rows():
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


def _num_row(quantity: str, term: str, a: str, b: str, va: float, vb: float, tol: float, scale: float | None = None, note: str = "") -> dict[str, Any]:
    va, vb = float(va), float(vb)
    d = abs(va - vb)
    ref = max(abs(va), abs(vb)) if scale is None else float(scale)
    rel = d / ref if ref > 0 else (0.0 if d == 0 else math.inf)
    if not (math.isfinite(va) and math.isfinite(vb)):
        d = rel = math.inf if va != vb else 0.0
    ok = True if not _finite(tol) else bool(rel <= tol)
    return dict(quantity=quantity, term=term, engine_a=a, engine_b=b, value_a=va, value_b=vb, abs_diff=d, rel_diff=rel, tolerance=float(tol), ok=ok, note=note)


def _set_row(quantity: str, term: str, a: str, b: str, sa: Sequence[str], sb: Sequence[str], note: str = "") -> dict[str, Any]:
    A, B = set(sa), set(sb)
    sym = len(A ^ B)
    rel = sym / max(len(A | B), 1)
    order = [t for t in sa] + [t for t in sb if t not in A]
    fa = ", ".join(t for t in order if t in A) or "(none)"
    fb = ", ".join(t for t in order if t in B) or "(none)"
    if sym:
        note = (note + "; " if note else "") + "differ: " + ", ".join(sorted(A ^ B))
    return dict(quantity=quantity, term=term, engine_a=a, engine_b=b, value_a=fa, value_b=fb, abs_diff=float(sym), rel_diff=rel, tolerance=0.0, ok=sym == 0, note=note)


def _curve_row(quantity: str, a: str, b: str, va: np.ndarray, vb: np.ndarray, tol: float, lambdas: np.ndarray | None = None, scale: np.ndarray | float | None = None, note: str = "") -> dict[str, Any]:
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
    row = _num_row(quantity, where, a, b, va[idx], vb[idx], tol, note=note)
    row["abs_diff"] = float(d[idx])
    row["rel_diff"] = float(rel[idx])
    row["ok"] = True if not _finite(tol) else bool(rel[idx] <= tol)
    return row


# --------------------------------------------------------------------------- inputs
def _as_result(obj: Any) -> tuple[Any, dict[str, Any]]:
    """(result-like, estimator params) from a GlmnetCV, a LassoResult, or None."""
    if obj is None:
        return None, {}
    if hasattr(obj, "result_"):
        params = obj.get_params() if hasattr(obj, "get_params") else {}
        return obj.result_, params
    if hasattr(obj, "get_params") and not hasattr(obj, "lambdas"):
        raise ParameterError(f"{type(obj).__name__} is not fitted: call fit(X, y) before the crosscheck")
    if hasattr(obj, "lambdas") and hasattr(obj, "beta"):
        return obj, {}
    raise ParameterError(
        f"crosscheck needs a fitted GlmnetCV, a LassoResult or None (with family/alpha/lambda_), got {type(obj).__name__}"
    )


def _lambda_at(res: Any, s: Any) -> float:
    if isinstance(s, str):
        if s in ("lambda.min", "lambda_min"):
            return float(res.lambda_min)
        if s in ("lambda.1se", "lambda_1se"):
            return float(res.lambda_1se)
        raise ParameterError(f"s must be 'lambda.min', 'lambda.1se' or a number, got {s!r}")
    return float(s)


def _prepare_X(X: Any, feature_names: Sequence[str] | None) -> tuple[np.ndarray, list[str]]:
    if isinstance(X, pd.DataFrame):
        bad = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
        if bad:
            raise DataError(f"non-numeric predictor column(s) {bad}; encode them (e.g. statprune._data.prepare_xy(..., categorical='encode')) first")
        names = [str(c) for c in X.columns]
        Xa = X.to_numpy(dtype=float)
    else:
        Xa = np.asarray(X, dtype=float)
        if Xa.ndim != 2:
            raise DataError(f"X must be 2-D, got shape {Xa.shape}")
        names = list(feature_names) if feature_names is not None else [f"x{j}" for j in range(Xa.shape[1])]
    if feature_names is not None and len(feature_names) != Xa.shape[1]:
        raise ParameterError(f"{len(feature_names)} feature names for {Xa.shape[1]} columns")
    if not np.all(np.isfinite(Xa)):
        raise DataError("X contains NaN or inf; drop or impute those rows first")
    return Xa, names


def _prepare_y(y: Any, family: str, n: int, class_names: Sequence[str] | None) -> tuple[np.ndarray, Any, list[str] | None]:
    """(y for the Python engines, y for R, class labels in glmnet's order)."""
    yv = y.to_numpy() if isinstance(y, (pd.Series, pd.Index)) else np.asarray(y)
    if yv.shape[0] != n:
        raise DataError(f"y has {yv.shape[0]} values but X has {n} rows")
    if family in ("gaussian", "poisson"):
        yf = np.asarray(yv, dtype=float)
        if not np.all(np.isfinite(yf)):
            raise DataError("y contains NaN or inf")
        if family == "poisson" and np.any(yf < 0):
            raise DataError("the poisson family needs a non-negative count target")
        return yf, yf, None
    if class_names is not None:
        levels = [str(c) for c in class_names]
    elif isinstance(y, pd.Series) and isinstance(y.dtype, pd.CategoricalDtype):
        levels = [str(c) for c in y.cat.categories]
    else:
        levels = sorted({str(v) for v in yv})
    labels = np.array([str(v) for v in yv], dtype=object)
    unknown = sorted(set(labels) - set(levels))
    if unknown:
        raise DataError(f"y has labels {unknown} not among the classes {levels}")
    if family == "binomial" and len(levels) != 2:
        raise DataError(f"the binomial family needs 2 classes, y has {len(levels)}: {levels}")
    ycat = pd.Categorical(labels, categories=levels)
    if family == "binomial":
        return (labels == levels[1]).astype(float), ycat, levels
    return labels, ycat, levels


def _terms(names: list[str], classes: list[str] | None, family: str) -> list[str]:
    if family == "multinomial" and classes:
        return [f"{c}:{t}" for c in classes for t in names]
    return list(names)


# --------------------------------------------------------------------------- R helpers
def _r_fit(X: np.ndarray, y_r: Any, family: str, alpha: float, lam: Any, *, weights: Any, pf: Any, standardize: bool, fit_intercept: bool, thresh: float,
           offset: Any = None) -> dict[str, Any]:
    from . import _r  # noqa: PLC0415

    _r.require_r_packages("glmnet")
    return _r.call(
        "crosscheck",
        "cc_glmnet_fit",
        X,
        y_r,
        family=family,
        alpha=float(alpha),
        weights=None if weights is None else np.asarray(weights, dtype=float),
        penalty_factor=None if pf is None else np.asarray(pf, dtype=float),
        standardize=bool(standardize),
        intercept=bool(fit_intercept),
        thresh=float(thresh),
        offset=None if offset is None else np.asarray(offset, dtype=float),
        _context="glmnet refit for the crosscheck",
        **{"lambda": np.atleast_1d(np.asarray(lam, dtype=float))},
    )


def cv_glmnet_r(X: Any, y: Any, *, family: str = "gaussian", alpha: float = 1.0, foldid: Any = None, nfolds: int = 10, seed: int | None = None, sample_weight: Any = None, feature_names: Sequence[str] | None = None) -> SimpleNamespace:
    """cv.glmnet in R, returned with the attribute names of ``LassoResult`` (lambdas, cvm, ...).

    Used by ``statprune validate`` and by :func:`crosscheck` when no GlmnetCV result is given.
    """
    from . import _provenance, _r  # noqa: PLC0415

    Xa, names = _prepare_X(X, feature_names)
    _, y_r, levels = _prepare_y(y, family, Xa.shape[0], None)
    _r.require_r_packages("glmnet")
    out = _r.call(
        "crosscheck",
        "cc_cv_glmnet",
        Xa,
        y_r,
        family=family,
        alpha=float(alpha),
        foldid=None if foldid is None else np.asarray(foldid, dtype=np.int64),
        nfolds=int(nfolds),
        seed=None if seed is None else int(seed),
        weights=None if sample_weight is None else np.asarray(sample_weight, dtype=float),
        _context="cv.glmnet for the crosscheck",
    )
    beta = np.asarray(out["beta"], dtype=float)
    a0 = np.asarray(out["a0"], dtype=float)
    if family != "multinomial":
        beta = beta.reshape(Xa.shape[1], -1)
        a0 = a0.reshape(-1)
    return SimpleNamespace(
        family=family,
        alpha=float(alpha),
        s="lambda.min",
        lambdas=np.asarray(out["lambda"], dtype=float),
        cvm=np.asarray(out["cvm"], dtype=float),
        cvsd=np.asarray(out["cvsd"], dtype=float),
        nzero=np.asarray(out["nzero"]),
        lambda_min=float(out["lambda_min"]),
        lambda_1se=float(out["lambda_1se"]),
        measure_name=str(out["name"]),
        beta=beta,
        a0=a0,
        feature_names=names,
        class_names=levels,
        foldid=np.asarray(out["foldid"], dtype=np.int64),
        seed=seed,
        thresh=1e-7,
        provenance=_provenance.provenance(seed=seed),
    )


# --------------------------------------------------------------------------- the crosscheck
def crosscheck(
    result_or_estimator: Any = None,
    X: Any = None,
    y: Any = None,
    engines: Sequence[str] | None = None,
    *,
    family: str | None = None,
    alpha: float | None = None,
    lambda_: float | None = None,
    s: Any = None,
    sample_weight: Any = None,
    penalty_factor: Any = None,
    standardize: bool | None = None,
    fit_intercept: bool | None = None,
    foldid: Any = None,
    feature_names: Sequence[str] | None = None,
    checks: Sequence[str] = ("fit", "path", "cv", "refit"),
    thresh: float = TIGHT_THRESH,
    tol: float = 1e-12,
    coef_tolerance: float = COEF_TOL,
    seed: int | None = None,
    nfolds: int = 10,
    engine_options: dict[str, dict[str, Any]] | None = None,
    stronger: bool = True,
    offset: Any = None,
) -> CrosscheckReport:
    """Fit the same penalised model in R (glmnet), scikit-learn and statsmodels and tabulate the differences.

    Parameters
    ----------
    result_or_estimator : GlmnetCV, LassoResult or None
        A fitted :class:`~statprune.lasso.GlmnetCV` (or its ``result_``): family,
        alpha, lambda (at ``s``), coefficients, folds and the CV curve are taken
        from it. ``None`` with ``lambda_``: check that one fit. ``None`` without
        ``lambda_`` (or the short form ``crosscheck(X, y, family=...)``): run
        cv.glmnet first (``seed``, ``nfolds``, ``foldid``) and check at lambda.min.
    X : array-like or DataFrame of shape (n, p)
        The numeric design the model was fitted on (no intercept column).
    y : array-like of shape (n,)
        The target (numbers; class labels for binomial/multinomial).
    engines : sequence of {"r", "sklearn", "statsmodels"}
        Engines to compare; R (the reference) is required.
    family, alpha, lambda_ : optional
        glmnet's family, mixing parameter and penalty (override the result's).
    s : "lambda.min", "lambda.1se" or float, optional
        Which lambda of the result to check (default: the result's ``s``).
    sample_weight, penalty_factor : array-like, optional
        As passed to glmnet (rescaled by glmnet to sum to n and p; see the docs).
    standardize, fit_intercept : bool, optional
        glmnet's ``standardize`` and ``intercept`` (default True).
    foldid : array-like of int, optional
        Fold ids (1..K) for the CV crosscheck (default: the result's).
    feature_names : sequence of str, optional
        Names of the columns of an array ``X``.
    checks : sequence of {"fit", "path", "cv", "refit"}
        ``fit``: coefficients at lambda; ``path``: the whole lambda sequence
        (gaussian); ``cv``: CV curves on the same folds (gaussian); ``refit``:
        unpenalised statsmodels vs R lm/glm on the selected support.
    thresh : float
        glmnet ``thresh`` of the tight R refits.
    tol : float
        Tolerance of the scikit-learn/statsmodels solvers (``1e-2 * tol`` for
        coordinate descent, whose ``tol`` is a duality gap).
    coef_tolerance : float
        Tolerance of the tight comparisons (relative to the coefficient scale).
    seed, nfolds : int, optional
        For the cv.glmnet run when no result is given (R's ``set.seed(seed)``).
    engine_options : dict of {engine: dict}, optional
        Solver settings per engine (e.g. ``{"glum": {"max_iter": 2}}``); an engine
        given options is not retried with a larger budget.
    stronger : bool
        When fewer than two engines are certified, try the stronger references
        (glum, scipy's L-BFGS-B on glmnet's objective, skglm) before giving up.
    offset : array-like of shape (n,), optional
        glmnet's ``offset`` (binomial and poisson): passed to R, glum and scipy;
        engines without offsets (scikit-learn, skglm, statsmodels) are skipped.

    Returns
    -------
    CrosscheckReport

    Notes
    -----
    p-values of a model refitted after selection are not valid p-values
    (selective inference): the ``refit`` rows check that the two engines compute
    the same numbers, not that those numbers mean what an unselected fit's would.

    Examples
    --------
    >>> import statprune
    >>> from statprune import datasets
    >>> b = datasets.load_boston()
    >>> X, y = b.drop(columns="medv"), b["medv"]
    >>> rep = statprune.crosscheck(None, X, y, family="gaussian", alpha=1.0, lambda_=0.3,
    ...                            checks=("fit",))
    >>> rep.ok, rep.max_rel_diff < 1e-6
    (True, True)
    >>> row = rep.to_frame().query("quantity == 'lambda'").iloc[0]
    >>> row["term"], row["engine_b"]
    ('alpha=0.0326512', 'sklearn')

    With a fitted :class:`~statprune.lasso.GlmnetCV`, everything comes from the fit::

        est = GlmnetCV(seed=42).fit(X, y)
        statprune.crosscheck(est, X, y).summary()
    """
    from . import _provenance  # noqa: PLC0415

    from . import _refsolvers  # noqa: PLC0415

    explicit = engines is not None
    engines = tuple(engines) if engines is not None else ("r", "sklearn", "glum", "skglm", "scipy", "statsmodels")
    unknown = set(engines) - {"r", *_refsolvers.ENGINES}
    if unknown:
        raise ParameterError(f"unknown engine(s) {sorted(unknown)}; use 'r', {', '.join(repr(e) for e in _refsolvers.ENGINES)}")
    if "r" not in engines:
        raise ParameterError("the crosscheck compares against R (glmnet): engines must include 'r'")
    bad_checks = set(checks) - {"fit", "path", "cv", "refit"}
    if bad_checks:
        raise ParameterError(f"unknown check(s) {sorted(bad_checks)}; use 'fit', 'path', 'cv', 'refit'")
    if y is None and X is not None and _looks_like_data(result_or_estimator):
        result_or_estimator, X, y = None, result_or_estimator, X  # crosscheck(X, y, ...)
    if X is None or y is None:
        raise ParameterError("crosscheck needs the data: X and y")
    res, params = _as_result(result_or_estimator)
    if res is None and lambda_ is None:
        res = _run_cv(X, y, family or "gaussian", 1.0 if alpha is None else float(alpha), foldid, nfolds, seed, sample_weight, feature_names)

    family = family or getattr(res, "family", None) or params.get("family") or "gaussian"
    if alpha is None:
        alpha = getattr(res, "alpha", None)
        alpha = params.get("alpha", 1.0) if alpha is None else alpha
    alpha = float(alpha)
    if standardize is None:
        standardize = bool(params.get("standardize", True))
    if fit_intercept is None:
        fit_intercept = bool(params.get("fit_intercept", True))
    if penalty_factor is None and res is not None and getattr(res, "penalty_factor", None) is not None:
        penalty_factor = np.asarray(res.penalty_factor, dtype=float)
    elif penalty_factor is None:
        penalty_factor = params.get("penalty_factor")
        if isinstance(penalty_factor, dict):
            raise ParameterError("pass penalty_factor as an array when crosschecking an estimator that got a dict")
    for lim, bound in (("lower_limits", -np.inf), ("upper_limits", np.inf)):
        v = params.get(lim)
        if v is not None and np.any(np.asarray(v, dtype=float) != bound):
            raise ParameterError(f"{lim} are not cross-checked (scikit-learn has no box constraints); refit without them to compare")
    res_thresh = float(getattr(res, "thresh", None) or params.get("thresh", 1e-7))
    class_names = getattr(res, "class_names", None)

    if res is not None and isinstance(X, pd.DataFrame) and getattr(res, "feature_names", None) is not None:
        missing = [t for t in res.feature_names if t not in X.columns]
        if missing:
            raise DataError(f"X lacks the column(s) {missing} the result was fitted on")
        X = X[list(res.feature_names)]
    Xa, names = _prepare_X(X, feature_names)
    if res is not None and getattr(res, "feature_names", None) is not None and feature_names is None and not isinstance(X, pd.DataFrame):
        names = [str(t) for t in res.feature_names]
    # columns glmnet gives a zero coefficient by construction: excluded and constant ones
    notes: list[str] = []
    drop = [t for t in [*getattr(res, "excluded", []), *getattr(res, "constant", [])] if t in names]
    drop += [t for j, t in enumerate(names) if t not in drop and np.ptp(Xa[:, j]) == 0]
    keep_idx = np.array([j for j, t in enumerate(names) if t not in drop], dtype=int)
    if drop:
        notes.append(f"column(s) {drop} (excluded or constant) have a zero coefficient by construction and are left out of the refits")
        if penalty_factor is not None and not np.allclose(np.asarray(penalty_factor, dtype=float)[keep_idx], np.asarray(penalty_factor, dtype=float)[keep_idx][0]):
            raise ParameterError("non-uniform penalty factors together with excluded/constant columns are not cross-checked "
                                 "(glmnet rescales the factors over all columns)")
        Xa = Xa[:, keep_idx]
        names = [names[j] for j in keep_idx]
        if penalty_factor is not None:
            penalty_factor = np.asarray(penalty_factor, dtype=float)[keep_idx]
    n, p = Xa.shape
    y_py, y_r, levels = _prepare_y(y, family, n, class_names)

    if lambda_ is None:
        if res is None:
            raise ParameterError("give lambda_ (glmnet's penalty) or a fitted GlmnetCV / LassoResult")
        if s is None and getattr(res, "s_value", None) is not None:
            lambda_ = float(res.s_value)
        else:
            lambda_ = _lambda_at(res, s if s is not None else getattr(res, "s", "lambda.min"))
    lam = float(lambda_)
    if not lam > 0:
        raise ParameterError(f"lambda_ must be positive, got {lam!r}")

    if offset is not None:
        offset = np.asarray(offset, dtype=float).reshape(-1)
        if family not in ("binomial", "poisson"):
            raise ParameterError(f"offsets are cross-checked for the binomial and poisson families, not {family!r}")
        if offset.shape[0] != n or not np.all(np.isfinite(offset)):
            raise DataError(f"offset must hold {n} finite values, got {offset.shape[0]}")
        if res is not None and getattr(res, "offset", None) is None:
            notes.append("an offset is given: the result's own fit (without it) is not compared")
    prob = _mapping.GlmnetProblem.build(
        Xa, y_py, family, alpha, sample_weight=sample_weight, penalty_factor=penalty_factor,
        standardize=standardize, fit_intercept=fit_intercept,
    )
    rows: list[dict[str, Any]] = []
    info: dict[str, Any] = dict(
        family=family, alpha=alpha, **{"lambda": lam}, n=n, p=p, engines=list(engines), checks=list(checks),
        r_thresh=thresh, solver_tol=tol, coef_tolerance=coef_tolerance, result_thresh=res_thresh if res is not None else None,
        standardize=standardize, fit_intercept=fit_intercept,
    )

    # ---- R tight refit at lambda
    rfit = _r_fit(Xa, y_r, family, alpha, lam, weights=sample_weight, pf=penalty_factor, standardize=standardize, fit_intercept=fit_intercept, thresh=thresh,
                  offset=offset)
    r_beta, r_a0, r_classes = _unpack_fit(rfit, family, p, 0)
    if family == "multinomial":
        levels = r_classes
    std = prob.x_sd if standardize else np.ones(p)
    coef_scale = float(np.max(np.abs(np.atleast_2d(r_beta) * std))) or 1.0
    terms = _terms(names, levels, family)
    r_support = _support(r_beta, std, coef_scale, names, family)
    r_dev = float(np.asarray(rfit["deviance"]).reshape(-1)[0])
    info["coef_scale"] = coef_scale
    info["selected"] = r_support
    # glmnet's objective, built from the raw inputs (nothing shared with the mapping under test)
    from . import _certify  # noqa: PLC0415

    gp = _certify.glmnet_problem(Xa, y_py, family, alpha, lam, weights=sample_weight, penalty_factor=penalty_factor,
                                 standardize=standardize, intercept=fit_intercept, classes=levels, offset=offset)
    r_cert = _certify.certify("r", gp, r_a0, r_beta, tried=[f"glmnet thresh={thresh:g}"])
    engine_options = dict(engine_options or {})
    if explicit:
        fit_engines = [e for e in engines if e != "r"]
    else:
        fit_engines = list(_refsolvers.REFERENCE_ENGINES[family])
    certificates: list[dict[str, Any]] = []
    info["certificates"] = certificates

    if "fit" in checks:
        # ---- the result as reported vs the tight refit
        if res is not None and getattr(res, "relaxed", None):
            notes.append("the result is a relaxed lasso: its coefficients are not glmnet's at lambda and are not compared; "
                         "the other rows check the (unrelaxed) glmnet fit at that lambda")
        elif res is not None and offset is None:
            rows += _result_rows(res, lam, r_beta, r_a0, std, coef_scale, terms, family, res_thresh, names, r_support, keep_idx)
            notes.append(
                f"r:result is glmnet at thresh={res_thresh:g}; r is glmnet refitted at thresh={thresh:g}: their "
                f"difference is solver tolerance (tolerance {result_tolerance(res_thresh):g}, see result_tolerance())"
            )
        # ---- the reference engines at the mapped parameters, each solution certified on glmnet's objective
        if family == "poisson" and alpha > 0 and "sklearn" in engines:
            notes.append("scikit-learn's PoissonRegressor has only an L2 penalty: the poisson L1/elastic net is checked against "
                         + ("statsmodels fit_regularized" if explicit and "statsmodels" in engines else "glum and skglm"))
        rows += _fit_stage(prob, gp, lam, fit_engines, levels, engine_options, stronger, r_cert, r_beta, r_a0, r_dev, std, coef_scale, terms, names,
                           r_support, coef_tolerance, sample_weight, notes, info, explicit, offset)

    # ---- the whole path, every family: R (tight) against the certified engines at each lambda
    from . import _certified  # noqa: PLC0415

    # the path and CV stages refit many times: the engines with fast warm-started paths first; the first two that can express
    # the problem are used (each solution is certified at every lambda, whatever the fit stage found)
    allowed = [e for e in engines if e != "r"] if explicit else list(_refsolvers.STAGE_ENGINES[family])
    stage_engines = [e for e in _refsolvers.STAGE_ENGINES[family] if e in allowed]
    path_lambdas = np.asarray(getattr(res, "lambdas", None) if res is not None else _default_path(prob, lam), dtype=float)
    if "path" in checks:
        rp = _r_fit(Xa, y_r, family, alpha, path_lambdas, weights=sample_weight, pf=penalty_factor, standardize=standardize,
                    fit_intercept=fit_intercept, thresh=thresh, offset=offset)
        rb = np.asarray(rp["beta"], dtype=float)
        ra0 = np.asarray(rp["a0"], dtype=float)
        if family == "multinomial":
            rb, ra0 = rb.reshape(rb.shape[0], p, -1), ra0.reshape(rb.shape[0], -1)
        else:
            rb, ra0 = rb.reshape(p, -1), ra0.reshape(-1)
        new_rows, cert_rows = _certified.path_stage(
            Xa, y_py, family, alpha, path_lambdas, stage_engines, (rb, ra0), weights=sample_weight, pf=penalty_factor, standardize=standardize,
            intercept=fit_intercept, classes=levels, coef_tol=coef_tolerance, options=engine_options, offset=offset)
        rows += new_rows
        certificates += cert_rows
    fid_all = foldid if foldid is not None else getattr(res, "foldid", None)
    if "cv" in checks and fid_all is not None:
        fid_all = np.asarray(fid_all, dtype=np.int64)
        from . import _r  # noqa: PLC0415

        cv_lambdas = _certified.cv_grid(path_lambdas, lam)
        if cv_lambdas.size < path_lambdas.size:
            notes.append(f"certified CV stage: {cv_lambdas.size} of the {path_lambdas.size} lambdas (spread along the path, with lambda={lam:.6g}), "
                         "every fold refitted by each engine at exactly those lambdas")

        rcv = _r.call("crosscheck", "cc_cv_fixed", Xa, y_r, family=family, alpha=float(alpha), foldid=fid_all,
                      weights=None if sample_weight is None else np.asarray(sample_weight, dtype=float),
                      penalty_factor=None if penalty_factor is None else np.asarray(penalty_factor, dtype=float),
                      standardize=bool(standardize), intercept=bool(fit_intercept), thresh=float(thresh),
                      offset=None if offset is None else np.asarray(offset, dtype=float),
                      _context="cv.glmnet at fixed lambdas for the crosscheck", **{"lambda": cv_lambdas})
        new_rows, cert_rows = _certified.cv_stage(
            Xa, y_py, family, alpha, cv_lambdas, fid_all, stage_engines, rcv, weights=sample_weight, pf=penalty_factor,
            standardize=standardize, intercept=fit_intercept, classes=levels, coef_tol=coef_tolerance, options=engine_options, offset=offset)
        rows += new_rows
        certificates += cert_rows
    elif "cv" in checks:
        notes.append("certified CV stage skipped: it needs the folds (a cv.glmnet result or foldid)")

    # ---- cross-validation on the same folds (gaussian)
    if "cv" in checks and family == "gaussian" and "sklearn" in engines and not np.allclose(prob.pf, 1.0):
        notes.append("CV crosscheck skipped: it is implemented for equal penalty factors")
    elif "cv" in checks and family == "gaussian" and "sklearn" in engines:
        fid = foldid if foldid is not None else getattr(res, "foldid", None)
        measure = str(getattr(res, "measure_name", "") or "")
        if fid is None or res is None:
            notes.append("CV crosscheck skipped: it needs a cv.glmnet result with its foldid")
        elif measure and "Squared" not in measure:
            notes.append(f"CV crosscheck skipped: it compares mean squared errors, the result's measure is {measure!r}")
        else:
            rows += _cv_rows(res, prob, Xa, y_py, np.asarray(fid, dtype=np.int64), sample_weight, standardize, fit_intercept, thresh, tol, coef_tolerance, notes)


    # ---- unpenalised refit on the selected support: statsmodels vs R lm/glm
    if "refit" in checks and offset is not None:
        notes.append("the lm/glm refit rows are not run with an offset")
    elif "refit" in checks and "statsmodels" in engines and family in ("gaussian", "binomial", "poisson"):
        sel = [names.index(t) for t in r_support]
        rep = crosscheck_glm(Xa[:, sel], y_py, family=family, feature_names=[names[j] for j in sel], sample_weight=sample_weight)
        rows += rep.rows
        notes += rep.info.get("notes", [])

    info["notes"] = list(dict.fromkeys(notes))
    prov = _provenance.provenance(seed=getattr(res, "seed", None))
    return CrosscheckReport(rows, info, prov)


def _fit_stage(prob: _mapping.GlmnetProblem, gp: Any, lam: float, fit_engines: list[str], levels: list[str] | None, engine_options: dict[str, Any],
               stronger: bool, r_cert: Any, r_beta: np.ndarray, r_a0: np.ndarray, r_dev: float, std: np.ndarray, coef_scale: float, terms: list[str], names: list[str], r_support: list[str],
               coef_tolerance: float, sample_weight: Any, notes: list[str], info: dict[str, Any], explicit: bool, offset: Any = None) -> list[dict[str, Any]]:
    """The fit at s: every engine's solution certified, compared with R's tight refit (see :mod:`statprune._certified`)."""
    from . import _certified, _certify  # noqa: PLC0415

    family = prob.family
    sols: dict[str, tuple[Any, Any]] = {}
    queue, done = list(fit_engines), set()
    while queue:
        eng = queue.pop(0)
        done.add(eng)
        if eng == "statsmodels" and not ((family == "poisson" and prob.alpha > 0) or (family == "binomial" and not prob.sklearn_ok)):
            continue  # statsmodels only where scikit-learn cannot express the problem (and only when asked for)
        sol, cert, why = _certified.run_engine(eng, prob, gp, lam, levels, offset, engine_options)
        if sol is None:
            if explicit or eng in _refsolvers_reference(family):
                notes.append(f"{eng} skipped: {why}")
        else:
            sols[eng] = (sol, cert)
        if not queue and stronger:
            certified = [e for e, (_, c) in sols.items() if c.converged and c.optimal]
            queue += _certified.choose_engines(fit_engines, family, certified, done)
    certs = [r_cert, *(c for _, c in sols.values())]
    _certify.set_gaps(certs)
    rows: list[dict[str, Any]] = []
    sw = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
    for eng, (sol, cert) in sols.items():
        new = _refit_rows(sol, prob, sw, lam, r_beta, r_a0, r_dev, std, coef_scale, terms, names, levels, r_support, coef_tolerance, offset)
        _certified.apply_certificates(new, [r_cert, cert])
        rows += new
        info.setdefault("refits", {})[eng] = sol.estimator
    info["certificates"] += [_certified.certificate_row("fit", f"lambda={lam:.6g}", c) for c in certs]
    info["certified_engines"] = [e for e, (_, c) in sols.items() if c.converged and c.optimal]
    return rows


def _refsolvers_reference(family: str) -> tuple[str, ...]:
    from . import _refsolvers  # noqa: PLC0415

    return _refsolvers.REFERENCE_ENGINES.get(family, ())


def _looks_like_data(obj: Any) -> bool:
    return isinstance(obj, (pd.DataFrame, np.ndarray)) or (isinstance(obj, list) and bool(obj) and isinstance(obj[0], (list, tuple)))


def _run_cv(X: Any, y: Any, family: str, alpha: float, foldid: Any, nfolds: int, seed: int | None, sample_weight: Any, feature_names: Sequence[str] | None) -> Any:
    """cv.glmnet through :class:`~statprune.lasso.GlmnetCV` (or the bridge when that is unavailable)."""
    try:
        from .lasso import GlmnetCV  # noqa: PLC0415
    except ImportError:  # pragma: no cover - the lasso module is part of statprune
        return cv_glmnet_r(X, y, family=family, alpha=alpha, foldid=foldid, nfolds=nfolds, seed=seed, sample_weight=sample_weight, feature_names=feature_names)
    Xf = X
    if not isinstance(X, pd.DataFrame) and feature_names is not None:
        Xf = pd.DataFrame(np.asarray(X, dtype=float), columns=list(feature_names))
    est = GlmnetCV(family=family, alpha=alpha, nfolds=nfolds, foldid=foldid, seed=seed)
    est.fit(Xf, y, sample_weight=sample_weight)
    return est.result_


def _unpack_fit(rfit: dict[str, Any], family: str, p: int, j: int) -> tuple[np.ndarray, np.ndarray, list[str] | None]:
    beta = np.asarray(rfit["beta"], dtype=float)
    a0 = np.asarray(rfit["a0"], dtype=float)
    if family == "multinomial":
        beta = beta.reshape(beta.shape[0], p, -1)[:, :, j]
        a0 = a0.reshape(beta.shape[0], -1)[:, j]
        classes = [str(c) for c in np.atleast_1d(rfit["classes"])]
        return beta, a0, classes
    return beta.reshape(p, -1)[:, j], a0.reshape(-1)[j : j + 1], None


def _support(beta: np.ndarray, std: np.ndarray, scale: float, names: list[str], family: str) -> list[str]:
    """Selected terms: |standardized coefficient| > 1e-10 x the coefficient scale (any class)."""
    b = np.abs(np.atleast_2d(beta) * std)
    keep = np.any(b > 1e-10 * scale, axis=0)
    return [t for t, k in zip(names, keep) if k]


def _default_path(prob: _mapping.GlmnetProblem, lam: float) -> np.ndarray:
    """A glmnet-like sequence (lambda_max down, 50 values) through ``lam`` when no result gives one."""
    top = max(lam * 10, lam)
    return np.geomspace(top, lam * 1e-2, 50)


def _result_rows(res: Any, lam: float, r_beta: np.ndarray, r_a0: np.ndarray, std: np.ndarray, scale: float, terms: list[str], family: str, res_thresh: float, names: list[str], r_support: list[str], keep_idx: np.ndarray) -> list[dict[str, Any]]:
    lambdas = np.asarray(res.lambdas, dtype=float)
    hit = np.flatnonzero(np.isclose(lambdas, lam, rtol=1e-12, atol=0))
    if hit.size == 0:
        return []
    j = int(hit[0])
    beta = np.asarray(res.beta, dtype=float)
    a0 = np.asarray(res.a0, dtype=float)
    if family == "multinomial":
        bj, aj = beta[:, keep_idx, j], a0[:, j]
    else:
        bj, aj = beta[keep_idx, j], np.atleast_1d(a0[j])
    tol = result_tolerance(res_thresh)
    rows = [dict(_num_row("lambda", "", "r:result", "r", lam, lam, 0.0), note="the refit uses the result's lambda")]
    rows += _coef_rows("coefficient", "r:result", "r", bj, r_beta, std, scale, terms, tol)
    rows += _intercept_rows("r:result", "r", aj, r_a0, scale, tol, family)
    rows.append(_set_row("selected set", "", "r:result", "r", _support(bj, std, scale, names, family), r_support))
    return rows


def _coef_rows(q: str, a: str, b: str, va: np.ndarray, vb: np.ndarray, std: np.ndarray, scale: float, terms: list[str], tol: float) -> list[dict[str, Any]]:
    va2, vb2 = np.atleast_2d(va), np.atleast_2d(vb)
    out = []
    k = 0
    for c in range(va2.shape[0]):
        for jj in range(va2.shape[1]):
            row = _num_row(q, terms[k], a, b, va2[c, jj], vb2[c, jj], tol, scale=scale / std[jj])
            out.append(row)
            k += 1
    return out


def _intercept_rows(a: str, b: str, ia: np.ndarray, ib: np.ndarray, scale: float, tol: float, family: str, classes: list[str] | None = None) -> list[dict[str, Any]]:
    ia, ib = np.atleast_1d(ia).astype(float), np.atleast_1d(ib).astype(float)
    note = ""
    if family == "multinomial":
        ia, ib = ia - ia.mean(), ib - ib.mean()
        note = "multinomial intercepts are identified up to a constant: centred"
    out = []
    for k in range(ia.size):
        term = "(Intercept)" if ia.size == 1 else f"{classes[k] if classes else k}:(Intercept)"
        out.append(_num_row("intercept", term, a, b, ia[k], ib[k], tol, scale=max(abs(ia[k]), abs(ib[k]), scale), note=note))
    return out


def _refit_rows(ref: _mapping.Refit, prob: _mapping.GlmnetProblem, sample_weight: Any, lam: float, r_beta: np.ndarray, r_a0: np.ndarray, r_dev: float, std: np.ndarray, scale: float, terms: list[str], names: list[str], levels: list[str] | None, r_support: list[str], tol: float, offset: Any = None) -> list[dict[str, Any]]:
    eng = ref.engine
    coef, icpt = ref.coef, ref.intercept
    if prob.family == "multinomial":
        order = [ref.classes.index(c) for c in levels]  # type: ignore[union-attr]
        coef, icpt = coef[order], icpt[order]
    rows = [
        dict(
            _num_row("lambda", f"{ref.param_name}={ref.param_value:.6g}", "r", eng, lam, ref.lambda_equivalent, 1e-12),
            note=f"{ref.estimator}; value_b is its {ref.param_name} mapped back to glmnet's lambda",
        )
    ]
    rows += _coef_rows("coefficient", "r", eng, r_beta, coef, std, scale, terms, tol)
    rows += _intercept_rows("r", eng, r_a0, icpt, scale, tol, prob.family, levels)
    rows.append(_set_row("selected set", "", "r", eng, r_support, _support(coef, std, scale, names, prob.family)))
    eta = _mapping.linear_predictor(prob.X, icpt, coef)
    if offset is not None:
        eta = eta + offset
    dev = _mapping.deviance(prob.family, prob.y, eta, sample_weight, levels)  # glmnet's deviance uses the weights as given
    rows.append(_num_row("deviance", "", "r", eng, r_dev, dev, tol, note="glmnet deviance(fit) vs the deviance of the refit's predictions"))
    return rows


def _cv_rows(res: Any, prob: _mapping.GlmnetProblem, X: np.ndarray, y: np.ndarray, foldid: np.ndarray, sample_weight: Any, standardize: bool, fit_intercept: bool, thresh: float, tol: float, coef_tol: float, notes: list[str]) -> list[dict[str, Any]]:
    from . import _r  # noqa: PLC0415

    lambdas = np.asarray(res.lambdas, dtype=float)
    K = int(foldid.max())
    if foldid.shape[0] != X.shape[0] or foldid.min() < 1 or set(np.unique(foldid)) != set(range(1, K + 1)):
        raise DataError("foldid must give each row a fold 1..K with every fold used")
    w = _mapping.glmnet_weights(sample_weight, X.shape[0])
    rows: list[dict[str, Any]] = []

    # 1. exact: each fold fitted at glmnet's lambdas, standardized on its own training rows, both engines
    rcv = _r.call(
        "crosscheck", "cc_glmnet_folds", X, y, foldid, alpha=prob.alpha, weights=None if sample_weight is None else np.asarray(sample_weight, dtype=float),
        standardize=standardize, intercept=fit_intercept, thresh=thresh, _context="glmnet fold fits for the crosscheck", **{"lambda": lambdas},
    )
    r_fold = np.asarray(rcv["fold_mse"], dtype=float).reshape(K, -1)
    s_fold = np.empty_like(r_fold)
    wsum = np.empty(K)
    for k in range(1, K + 1):
        test = foldid == k
        sw = None if sample_weight is None else np.asarray(sample_weight, dtype=float)[~test]
        Xk = X[~test]
        live = np.ptp(Xk, axis=0) > 0  # a column constant on the training rows gets a zero coefficient, as in glmnet
        pk = _mapping.GlmnetProblem.build(Xk[:, live], y[~test], "gaussian", prob.alpha, sample_weight=sw, standardize=standardize, fit_intercept=fit_intercept)
        a0, bl = _mapping.sklearn_path(pk, lambdas, tol=tol * 1e-2)
        beta = np.zeros((X.shape[1], bl.shape[1]))
        beta[live] = bl
        pred = X[test] @ beta + a0
        err = (y[test][:, None] - pred) ** 2
        wt = np.ones(test.sum()) if sample_weight is None else np.asarray(sample_weight, dtype=float)[test]
        s_fold[k - 1] = wt @ err / wt.sum()
        wsum[k - 1] = wt.sum()
    s_cvm, s_cvsd = _glmnet_cv_aggregate(s_fold, wsum)
    rows.append(_curve_row("cv fold mse (fold fits at glmnet's lambdas)", "r", "sklearn", r_fold, s_fold, coef_tol, lambdas,
                           note="each fold standardized on its training rows, as cv.glmnet does; no interpolation"))
    rows.append(_curve_row("cvm (fold fits at glmnet's lambdas)", "r", "sklearn", np.asarray(rcv["cvm"]), s_cvm, coef_tol, lambdas))
    rows.append(_curve_row("cvsd (fold fits at glmnet's lambdas)", "r", "sklearn", np.asarray(rcv["cvsd"]), s_cvsd, coef_tol, lambdas))
    i_r = _glmnet_argmin(np.asarray(rcv["cvm"], dtype=float))
    i_s = _glmnet_argmin(s_cvm)
    rows.append(dict(_num_row("lambda.min (fold fits at glmnet's lambdas)", "", "r", "sklearn", lambdas[i_r], lambdas[i_s], 0.0),
                     note="largest lambda at the minimum of the curve, glmnet's rule"))

    # 2. cv.glmnet as the user ran it vs the exact fold fits: interpolation of each fold's own path + thresh
    cvm_res = np.asarray(res.cvm, dtype=float)
    L = min(cvm_res.size, lambdas.size)
    rows.append(_curve_row("cvm (r:result vs fixed-lambda fold fits)", "r:result", "r", cvm_res[:L], np.asarray(rcv["cvm"])[:L], np.nan, lambdas[:L],
                           note="cv.glmnet fits each fold on its own lambda sequence and interpolates; solver thresh"))

    # 3. scikit-learn's LassoCV / ElasticNetCV with the same folds and the mapped lambdas, raw and reconciled
    if sample_weight is None:
        from sklearn.linear_model import ElasticNetCV  # noqa: PLC0415
        from sklearn.model_selection import PredefinedSplit  # noqa: PLC0415

        m = ElasticNetCV(l1_ratio=prob.alpha, alphas=lambdas / prob.s_y, cv=PredefinedSplit(foldid - 1), tol=tol * 1e-2, max_iter=1_000_000, fit_intercept=fit_intercept)
        m.fit(X / prob.col_scale, y / prob.s_y)
        mse = np.asarray(m.mse_path_, dtype=float) * prob.s_y**2  # (L, K), in the order of m.alphas_ (decreasing)
        sizes = np.bincount(foldid - 1, minlength=K).astype(float)
        raw_mean, raw_std = mse.mean(axis=1), mse.std(axis=1)
        rec_mean, rec_sd = _glmnet_cv_aggregate(mse.T, sizes)
        rows.append(_curve_row("cvm raw (LassoCV mse_path_.mean)", "r:result", "sklearn", cvm_res[:L], raw_mean[:L], np.nan, lambdas[:L],
                               note="unweighted mean over folds; X standardized once on all rows"))
        rows.append(_curve_row("cvsd raw (LassoCV mse_path_.std)", "r:result", "sklearn", np.asarray(res.cvsd, dtype=float)[:L], raw_std[:L], np.nan, lambdas[:L],
                               note="sklearn: sd across folds; glmnet: standard error of the mean"))
        rows.append(_curve_row("cvm reconciled (LassoCV, fold-size weights)", "r:result", "sklearn", cvm_res[:L], rec_mean[:L], np.nan, lambdas[:L],
                               note="remaining difference: per-fold standardization, per-fold lambda sequences, thresh"))
        rows.append(_curve_row("cvsd reconciled (LassoCV, weighted SE)", "r:result", "sklearn", np.asarray(res.cvsd, dtype=float)[:L], rec_sd[:L], np.nan, lambdas[:L]))
        rows.append(dict(_num_row("lambda.min raw (LassoCV alpha_ x s_y)", "", "r:result", "sklearn", float(res.lambda_min), float(m.alpha_) * prob.s_y, np.nan),
                         note="LassoCV picks the smallest unweighted mean"))
        notes.append(
            "CV: glmnet weights fold errors by fold size and reports cvsd as a standard error, scikit-learn's mse_path_ is per fold "
            "(its std is a standard deviation); glmnet standardizes x inside each fold and fits each fold on its own lambda sequence, "
            "then interpolates: rows marked 'info' show these known differences, the 'fold fits at glmnet's lambdas' rows remove them"
        )
    return rows


def _glmnet_cv_aggregate(fold_err: np.ndarray, fold_w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """cvm and cvsd from per-fold errors (K, L) as glmnet:::cvstats does (grouped)."""
    K = fold_err.shape[0]
    wn = fold_w / fold_w.sum()
    cvm = wn @ fold_err
    cvsd = np.sqrt(wn @ (fold_err - cvm) ** 2 / (K - 1))
    return cvm, cvsd


def _glmnet_argmin(cvm: np.ndarray) -> int:
    m = np.nanmin(cvm)
    return int(np.flatnonzero(cvm <= m)[0])  # lambdas decrease: the first is the largest


def validate(
    data: Any,
    target: str,
    *,
    family: str = "gaussian",
    alpha: float = 1.0,
    seed: int | None = None,
    foldid_column: str | None = None,
    nfolds: int = 10,
    exclude: Sequence[str] = (),
    engines: Sequence[str] | None = None,
    drop_missing: bool = False,
) -> CrosscheckReport:
    """What ``statprune validate`` runs: cv.glmnet in R, then :func:`crosscheck` at lambda.min.

    Categorical predictors are expanded into R's treatment dummies and constant
    columns are dropped, as ``model.matrix`` users would do before ``cv.glmnet``.

    Examples
    --------
    >>> from statprune import datasets
    >>> from statprune.crosscheck import validate
    >>> rep = validate(datasets.load_boston(), "medv", seed=42)
    >>> rep.ok, round(rep.info["lambda"], 6)
    (True, 0.021185)
    """
    from ._data import prepare_xy  # noqa: PLC0415

    if family not in _mapping.FAMILIES:
        raise ParameterError(f"family must be one of {', '.join(_mapping.FAMILIES)} for the crosscheck, got {family!r}")
    try:
        alpha = float(alpha)
    except (TypeError, ValueError):
        raise ParameterError(f"alpha={alpha!r} must be a number in [0, 1]") from None
    if not 0.0 <= alpha <= 1.0:
        raise ParameterError(f"alpha={alpha!r} must be in [0, 1] (1 = lasso, 0 = ridge)")
    prep = prepare_xy(data, target, exclude=exclude, extra_columns=[foldid_column], categorical="encode", constant="drop",
                      drop_missing=drop_missing)
    foldid = None
    if foldid_column is not None:
        f = pd.to_numeric(prep.extra[foldid_column], errors="coerce").to_numpy(dtype=float)
        if not np.all(np.isfinite(f)) or np.any(f != np.round(f)) or f.min() < 1:
            raise DataError(f"fold-id column '{foldid_column}' must hold integers 1..K")
        foldid = f.astype(np.int64)
        K = int(foldid.max())
        if K < 3 or set(np.unique(foldid)) != set(range(1, K + 1)):
            raise DataError(f"fold-id column '{foldid_column}' must use every fold 1..K with K >= 3, got {sorted(set(foldid.tolist()))}")
    y = prep.y
    if family in ("binomial", "multinomial"):
        y = y.astype("category") if not isinstance(y.dtype, pd.CategoricalDtype) else y
        k = len(y.cat.categories)
        if family == "binomial" and k != 2:
            raise DataError(f"--family binomial needs a target with 2 classes; '{target}' has {k}")
    elif not pd.api.types.is_numeric_dtype(y):
        raise DataError(f"--family {family} needs a numeric target; '{target}' is {y.dtype} (use --family binomial or multinomial)")
    res = _run_cv(prep.X, y, family, alpha, foldid, nfolds, seed, None, None)
    rep = crosscheck(res, prep.X, y, engines, foldid=foldid)
    rep.info["target"] = target
    rep.info["seed"] = seed
    rep.provenance = {**rep.provenance, "seed": seed}
    if prep.encoded:
        rep.info["notes"].append(f"categorical column(s) {sorted(prep.encoded)} expanded into treatment dummies (R's model.matrix)")
    if prep.constant:
        rep.info["notes"].append(f"constant column(s) {prep.constant} dropped")
    return rep


# --------------------------------------------------------------------------- statsmodels vs R lm/glm
def crosscheck_glm(X: Any, y: Any, *, family: str = "gaussian", feature_names: Sequence[str] | None = None, sample_weight: Any = None) -> CrosscheckReport:
    """statsmodels ``OLS``/``GLM`` against R ``lm``/``glm`` on the same model matrix.

    Compares coefficients, standard errors, p-values, deviance, AIC and the
    log-likelihood. The model matrix is built in Python and passed to R as a
    numeric matrix; R names its columns ``x1..xp`` itself, so no user string is
    ever pasted into a formula.

    Examples
    --------
    >>> from statprune import datasets
    >>> from statprune.crosscheck import crosscheck_glm
    >>> b = datasets.load_boston()
    >>> rep = crosscheck_glm(b[["lstat", "rm"]], b["medv"])
    >>> rep.ok
    True
    """
    import statsmodels.api as sm  # noqa: PLC0415

    from . import _provenance, _r  # noqa: PLC0415

    Xa, names = _prepare_X(X, feature_names)
    n, p = Xa.shape
    y_py, _, _ = _prepare_y(y, family, n, None) if family != "binomial" else _prepare_y(y, family, n, None)
    w = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
    r = _r.call("crosscheck", "cc_lm_glm", Xa, y_py, family=family, weights=w, _context="R lm/glm for the crosscheck")
    design = np.column_stack([np.ones(n), Xa])
    notes = ["p-values of a model refitted after selection are not valid p-values (selective inference); these rows check the arithmetic only"]
    if family == "gaussian":
        fit = (sm.WLS(y_py, design, weights=w) if w is not None else sm.OLS(y_py, design)).fit()
        dev = float(fit.ssr)
        aic_sm = float(fit.aic) + 2.0
        notes.append("OLS: R's AIC counts sigma^2 as a parameter, statsmodels' does not: value_b is statsmodels' aic + 2")
        eng = "statsmodels.OLS" if w is None else "statsmodels.WLS"
    else:
        fam = sm.families.Binomial() if family == "binomial" else sm.families.Poisson()
        model = sm.GLM(y_py, design, family=fam, var_weights=w)
        fit = model.fit(tol=1e-14, maxiter=100)
        # polish as R's side does: one IRLS pass from the estimate, so bse use the weights at the estimate
        fit = model.fit(start_params=fit.params, tol=1e-14, maxiter=100)
        notes.append("glm/GLM: both fits are polished by one IRLS pass started at the estimate, so the standard errors "
                     "use the working weights at the estimate (R's default glm() reports them at the previous iterate; "
                     "differences of order 1e-8 relative)")
        dev = float(fit.deviance)
        aic_sm = float(fit.aic)
        eng = "statsmodels.GLM"
    terms = ["(Intercept)", *names]
    rows = []
    rc, rse, rp = (np.atleast_1d(np.asarray(r[k], dtype=float)) for k in ("coef", "se", "pvalue"))
    if np.isnan(rc).any():
        aliased = [t for t, v in zip(terms, rc) if np.isnan(v)]
        notes.append(f"R reports {aliased} as aliased (NA: the model matrix is rank deficient); the refit rows are not comparable and are informational")
    for k, t in enumerate(terms):
        rows.append(_num_row("refit coefficient", t, "r.lm" if family == "gaussian" else "r.glm", eng, rc[k], fit.params[k], EXACT_TOL, scale=max(abs(rc[k]), rse[k])))
    for k, t in enumerate(terms):
        rows.append(_num_row("refit std error", t, "r.lm" if family == "gaussian" else "r.glm", eng, rse[k], fit.bse[k], EXACT_TOL))
    for k, t in enumerate(terms):
        rows.append(_num_row("refit p-value", t, "r.lm" if family == "gaussian" else "r.glm", eng, rp[k], fit.pvalues[k], PVALUE_TOL,
                             note=f"{r['test']}-test"))
    a = "r.lm" if family == "gaussian" else "r.glm"
    if np.isnan(rc).any():
        for row in rows:
            row.update(tolerance=math.nan, ok=True, note="rank-deficient model matrix")
    rows.append(_num_row("refit deviance", "", a, eng, r["deviance"], dev, EXACT_TOL))
    rows.append(_num_row("refit AIC", "", a, eng, r["aic"], aic_sm, EXACT_TOL))
    rows.append(_num_row("refit logLik", "", a, eng, r["loglik"], fit.llf, EXACT_TOL))
    info = dict(family=family, n=n, p=p, notes=notes)
    return CrosscheckReport(rows, info, _provenance.provenance())


# --------------------------------------------------------------------------- stepwise vs R step()
def crosscheck_stepwise(data: Any, formula: str, *, family: str = "gaussian", direction: str = "backward", k: float = 2.0, tolerance: float = EXACT_TOL) -> CrosscheckReport:
    """:func:`statprune.stepwise` (AIC, penalty ``k``) against R's ``step()`` on the same data.

    Compares the path (the term changed at each step and the AIC after it), the
    final terms and the final coefficients. The formula reaches R as a string
    that R parses without evaluating and checks against the data's columns:
    only column names, ``.``, numbers and the formula operators are accepted.

    Examples
    --------
    >>> from statprune import datasets
    >>> from statprune.crosscheck import crosscheck_stepwise
    >>> rep = crosscheck_stepwise(datasets.load_swiss(), "Fertility ~ .")
    >>> rep.ok
    True
    """
    from . import _provenance, _r  # noqa: PLC0415
    from ._data import read_table  # noqa: PLC0415
    from .stepwise import stepwise  # noqa: PLC0415

    if not isinstance(formula, str) or "~" not in formula:
        raise ParameterError(f"formula must be an R formula string 'y ~ terms', got {formula!r}")
    df = read_table(data)
    py = stepwise(df, formula, family=family, direction=direction, criterion="aic", k=k)
    r = _r.call("crosscheck", "cc_step", df, formula, family=family, direction=direction, k=float(k), _context="R step() for the crosscheck")
    a, b = "r.step", "statprune.stepwise"
    rows = []
    r_steps = [str(t) for t in np.atleast_1d(r["step"])]
    p_steps = [str(t) for t in py.steps["Step"]]
    rows.append(_num_row("step count", "", a, b, len(r_steps), len(p_steps), 0.0))
    r_aic = np.atleast_1d(np.asarray(r["aic"], dtype=float))
    p_aic = py.steps["AIC"].to_numpy(dtype=float)
    for i in range(max(len(r_steps), len(p_steps))):
        rs = r_steps[i] if i < len(r_steps) else "(none)"
        ps = p_steps[i] if i < len(p_steps) else "(none)"
        label = rs.strip() or "<start>"
        rows.append(dict(quantity="step", term=f"{i}: {label}", engine_a=a, engine_b=b, value_a=rs.strip() or "<start>", value_b=ps.strip() or "<start>",
                         abs_diff=float(rs.strip() != ps.strip()), rel_diff=float(rs.strip() != ps.strip()), tolerance=0.0, ok=rs.strip() == ps.strip(), note=""))
        if i < len(r_aic) and i < len(p_aic):
            rows.append(_num_row("step AIC", f"{i}: {label}", a, b, r_aic[i], p_aic[i], tolerance))
    rows.append(_set_row("final terms", "", a, b, [str(t) for t in np.atleast_1d(r["final_terms"])], list(py.final_terms)))
    r_coef = dict(zip([str(t) for t in np.atleast_1d(r["coef_names"])], np.atleast_1d(np.asarray(r["coef"], dtype=float))))
    p_coef = py.coefficients
    notes = ["coefficients are compared by R's names; terms named differently (e.g. factor dummies) show up as unmatched"]
    for name in dict.fromkeys([*r_coef, *[str(t) for t in p_coef.index]]):
        if name in r_coef and name in p_coef.index:
            rows.append(_num_row("final coefficient", name, a, b, r_coef[name], float(p_coef[name]), tolerance, scale=max(abs(r_coef[name]), 1e-12)))
        else:
            va = r_coef.get(name, math.nan)
            vb = float(p_coef[name]) if name in p_coef.index else math.nan
            rows.append(dict(quantity="final coefficient", term=name, engine_a=a, engine_b=b, value_a=va, value_b=vb,
                             abs_diff=math.inf, rel_diff=math.inf, tolerance=tolerance, ok=False, note="only in one engine"))
    info = dict(family=family, formula=formula, direction=direction, k=k, n=int(py.n), p=len(py.initial_terms), notes=notes)
    return CrosscheckReport(rows, info, _provenance.provenance())


# --------------------------------------------------------------------------- PCA
def crosscheck_pca(X: Any, *, scale: bool = False, feature_names: Sequence[str] | None = None, tolerance: float = EXACT_TOL) -> CrosscheckReport:
    """scikit-learn ``PCA`` against R ``prcomp``: sdev and loadings (sign normalised).

    The sign of each loading vector is fixed so that its entry of largest
    absolute value is positive, in both engines. ``scale=True`` is
    ``prcomp(scale.=TRUE)``: columns divided by their sample sd (n - 1).

    Examples
    --------
    >>> from statprune import datasets
    >>> from statprune.crosscheck import crosscheck_pca
    >>> rep = crosscheck_pca(datasets.load_swiss(), scale=True)
    >>> rep.ok
    True
    """
    from sklearn.decomposition import PCA  # noqa: PLC0415

    from . import _provenance, _r  # noqa: PLC0415

    Xa, names = _prepare_X(X, feature_names)
    r = _r.call("crosscheck", "cc_prcomp", Xa, scale=bool(scale), _context="R prcomp for the crosscheck")
    Z = Xa - Xa.mean(axis=0)
    if scale:
        sd = Xa.std(axis=0, ddof=1)
        if np.any(sd == 0):
            raise DataError("a column is constant: prcomp(scale.=TRUE) cannot rescale it")
        Z = Z / sd
    pca = PCA(svd_solver="full").fit(Z)
    sdev_s = np.sqrt(pca.explained_variance_)
    load_s = pca.components_.T.copy()
    for j in range(load_s.shape[1]):
        i = int(np.argmax(np.abs(load_s[:, j])))
        if load_s[i, j] < 0:
            load_s[:, j] *= -1
    sdev_r = np.atleast_1d(np.asarray(r["sdev"], dtype=float))
    load_r = np.asarray(r["rotation"], dtype=float).reshape(len(names), -1)
    k = min(sdev_r.size, sdev_s.size, load_r.shape[1])
    rows = []
    for j in range(k):
        rows.append(_num_row("pca sdev", f"PC{j + 1}", "r.prcomp", "sklearn.PCA", sdev_r[j], sdev_s[j], tolerance, scale=sdev_r[0]))
    for j in range(k):
        d = np.abs(load_r[:, j] - load_s[:, j])
        i = int(np.argmax(d))
        row = _num_row("pca loading", f"PC{j + 1}:{names[i]}", "r.prcomp", "sklearn.PCA", load_r[i, j], load_s[i, j], tolerance, scale=1.0,
                       note="largest difference in the unit loading vector, sign normalised")
        # near-equal eigenvalues make a loading vector ill-determined; say so rather than fail silently
        gap = min([abs(sdev_r[j] - sdev_r[m]) for m in (j - 1, j + 1) if 0 <= m < sdev_r.size] or [np.inf])
        if gap < 1e-6 * sdev_r[0]:
            row.update(tolerance=np.nan, ok=True, note="eigenvalue (nearly) tied with a neighbour: loadings not identified")
        rows.append(row)
    info = dict(family="pca", n=Xa.shape[0], p=Xa.shape[1], scale=scale, notes=[])
    return CrosscheckReport(rows, info, _provenance.provenance())


class _CallableModule(types.ModuleType):
    """``statprune.crosscheck`` is both this module and the function: ``statprune.crosscheck(res, X, y)``."""

    def __call__(self, *args: Any, **kwargs: Any) -> CrosscheckReport:
        return crosscheck(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
