"""Reproducible pruning reports: one self-contained HTML (or Markdown/JSON) file an auditor can read.

:func:`build_report` runs the requested methods on one table and target and
collects, for each, the kept and pruned features with their coefficients or
criteria, its plots (rendered to SVG and embedded as data URIs, so the file
opens offline), the stepwise trace, the cross-check against scikit-learn and
statsmodels, and a session-info block (R, glmnet and Python package versions,
BLAS, seed, command line, SHA-256 of the data file) from which the report can be
reproduced. :meth:`Report.render` turns it into HTML, Markdown or JSON and
:meth:`Report.write` writes it atomically.

Rendering is deterministic: the same inputs give the same bytes. The only
varying field is the generation timestamp, which ``timestamp=False``
(CLI ``--no-timestamp``) leaves out. Plots are saved with a fixed
``svg.hashsalt``, text kept as text (``svg.fonttype="none"``) and no date
metadata. The cross-validation folds come from R's ``set.seed(seed)``; a report
therefore always sets a seed (default 1) and prints it.

Examples
--------
>>> from statprune.datasets import path
>>> from statprune.report import build_report
>>> rep = build_report(path("swiss"), "Fertility", methods=["pca"], timestamp=False)
>>> rep.data["rows"], [s.key for s in rep.sections]
(47, ['pca'])
>>> rep.render("html").startswith("<!DOCTYPE html>")
True
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import workflows
from ._json import dumps
from ._progress import progress as progress_bar
from ._progress import ticking
from ._validation import check_target
from .errors import DataError, ParameterError, RNotAvailableError

__all__ = ["Report", "Section", "Table", "Plot", "build_report", "METHODS", "svg_of"]

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
    import matplotlib  # noqa: PLC0415

    buf = io.StringIO()
    with matplotlib.rc_context(_SVG_RC):
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    try:
        import matplotlib.pyplot as plt  # noqa: PLC0415

        plt.close(fig)
    except Exception:  # noqa: BLE001 - a Figure made without pyplot is not registered
        pass
    text = buf.getvalue()
    # drop the XML prolog and DOCTYPE: the SVG is embedded, not a standalone file
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def _figure(width: float = 7.0, height: float = 4.5, ncols: int = 1) -> tuple[Any, Any]:
    from matplotlib.figure import Figure  # noqa: PLC0415

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
    from ._data import constant_columns  # noqa: PLC0415

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


# --------------------------------------------------------------------------- methods
def _family_for(y: pd.Series) -> str:
    """gaussian for a numeric target, binomial for two classes, multinomial for more."""
    if pd.api.types.is_numeric_dtype(y.dtype) and not pd.api.types.is_bool_dtype(y.dtype) and y.nunique() > 2:
        return "gaussian"
    k = y.nunique()
    if k == 2:
        return "binomial"
    if k < 2:
        raise DataError(f"target '{y.name}' has a single value; there is nothing to model")
    return "multinomial"


def _run_lasso(ctx: dict[str, Any]) -> Section:
    from .plotting import CoefPathDisplay, CVPathDisplay  # noqa: PLC0415

    res = workflows.lasso(ctx["frame"], [ctx["target"]], family=ctx["family"], seed=ctx["seed"], categorical="encode",
                          progress=ctx.get("progress", False))
    ctx["lasso_result"] = res
    frame = res.to_frame()
    tables = [Table.from_frame(frame, f"Coefficients at lambda.min and lambda.1se; selected at s = {res.s}",
                               row_class=lambda r: "kept" if r["selected"] else "pruned")]
    ref = pd.DataFrame({
        "lambda": [res.lambda_min, res.lambda_1se],
        "index": [res.index_min, res.index_1se],
        "measure": [res.cvm[res.index_min - 1], res.cvm[res.index_1se - 1]],
        "SE": [res.cvsd[res.index_min - 1], res.cvsd[res.index_1se - 1]],
        "nonzero": [res.nzero[res.index_min - 1], res.nzero[res.index_1se - 1]],
    }, index=pd.Index(["min", "1se"], name=""))
    tables.insert(0, Table.from_frame(ref, f"print(cv.glmnet): {res.measure_name}"))
    fig, ax = _figure()
    CVPathDisplay.from_result(res).plot(ax=ax)
    plots = [Plot(f"Cross-validation curve ({res.measure_name}), as plot(cv.glmnet(...))", svg_of(fig),
                  alt="CV curve")]
    k = res.beta.shape[0] if res.beta.ndim == 3 else 1
    fig, axes = _figure(6.5 if k > 1 else 7.0, 4.5, ncols=k)
    CoefPathDisplay.from_result(res, xvar="lambda", label=k > 1).plot(ax=axes)
    if k == 1:
        _spread_labels(axes, np.log(res.lambdas), res.beta, res.feature_names)
    plots.append(Plot("Coefficient paths against log(lambda), as plot(fit$glmnet.fit, xvar = \"lambda\")",
                      svg_of(fig), alt="coefficient paths"))
    headline = (f"cv.glmnet family={res.family}, alpha={res.alpha:g}: lambda.min = {res.lambda_min:.7g}, "
                f"lambda.1se = {res.lambda_1se:.7g}; at s = {res.s} {len(res.selected)} of "
                f"{len(res.feature_names)} features kept")
    notes = ["cvsd (SE) is the standard error of the CV mean, not a standard deviation across folds.",
             "p-values of a model refit after selection are not valid p-values (selective inference)."]
    if res.constant:
        notes.append("constant column(s) " + ", ".join(res.constant) + ": glmnet gives them a zero coefficient")
    r_code = res.r_code(data=ctx["data_name"], target=ctx["target"]) if hasattr(res, "r_code") else None
    return Section("lasso", "Lasso (cv.glmnet)", headline, list(res.selected), list(res.pruned), tables, plots,
                   notes, r_code, res.to_dict())


def _spread_labels(ax: Any, x: np.ndarray, beta: np.ndarray, names: Sequence[str], top: int = 12) -> None:
    """Label the paths at the smallest lambda, at most ``top`` of them (largest |coefficient|), with the
    labels pushed apart vertically so that none overlaps (plot.glmnet's labels collide near zero)."""
    end = beta[:, -1]
    order = [j for j in np.argsort(-np.abs(end)) if end[j] != 0][:top]
    if not order:
        return
    lo, hi = ax.get_ylim()
    gap = (hi - lo) * 0.045
    ys = sorted(((float(end[j]), j) for j in order))
    placed: list[float] = []
    for y, _ in ys:
        placed.append(max(y, placed[-1] + gap) if placed else y)
    shift = max(0.0, placed[-1] - (hi - gap / 2))  # keep the top label inside the axes
    placed = [v - shift for v in placed]
    x_end = float(np.min(x))
    ax.set_xlim(x_end - (np.max(x) - x_end) * 0.22, ax.get_xlim()[1])
    for (y, j), yl in zip(ys, placed):
        ax.annotate(str(names[j]), xy=(x_end, y), xytext=(x_end - (np.max(x) - x_end) * 0.03, yl),
                    ha="right", va="center", fontsize=7.5,
                    arrowprops={"arrowstyle": "-", "color": "#888888", "lw": 0.5})


def _run_pca(ctx: dict[str, Any]) -> Section:
    from .pca import ScreeDisplay  # noqa: PLC0415

    prep = ctx["prepared"]
    res = workflows.pca(prep.X.drop(columns=prep.constant))
    fig, ax = _figure()
    ScreeDisplay.from_result(res).plot(ax=ax)
    tables = [
        Table.from_frame(res.to_frame("components"), "Components (prcomp(x, scale. = TRUE))",
                         row_class=lambda r: "kept" if r["kept"] else "pruned"),
        Table.from_frame(res.to_frame("features"), "Features",
                         row_class=lambda r: "kept" if r["selected"] else "pruned"),
    ]
    notes = [f"rule: {res.rule_description}"]
    if prep.constant:
        notes.append("constant column(s) left out of the PCA (they cannot be scaled): " + ", ".join(prep.constant))
    headline = f"{res.n_kept} of {len(res.sdev)} components kept; {len(res.selected)} features load on them"
    return Section("pca", "Principal components (prcomp)", headline, list(res.selected),
                   list(res.pruned) + list(prep.constant), tables, [Plot("Scree plot", svg_of(fig), alt="scree")],
                   notes, None, res.to_dict())


def _run_stepwise(ctx: dict[str, Any]) -> Section:
    fam = {"gaussian": "gaussian", "binomial": "binomial", "poisson": "poisson"}.get(ctx["family"])
    if fam is None:
        why = (f"not run: R's step() works on lm/glm fits, which have no {ctx['family']!r} family "
               "(leave 'stepwise' out of --methods to drop this section)")
        return Section("stepwise", "Stepwise selection (step)", why, [], [], notes=[why])
    target = ctx["target"]
    frame = ctx["frame"]
    try:
        res = workflows.stepwise(frame, f"`{target}` ~ .", family=fam)
    except DataError as exc:  # e.g. n <= p: step() cannot start, but the lasso (glmnet's regime) can
        why = f"not run: {exc}"
        return Section("stepwise", "Stepwise selection (step)", why, [], [], notes=[why])
    final = set(res.final_terms)
    selected = [t for t in res.candidate_terms if t in final]
    pruned = [t for t in res.candidate_terms if t not in final]
    fig, ax = _figure(7.0, 3.6)
    aic = res.steps["AIC"].to_numpy(dtype=float)
    ax.plot(np.arange(len(aic)), aic, marker="o", color="#2457a6")
    ax.set_xticks(np.arange(len(aic)))
    ax.set_xticklabels(["start", *[str(v) for v in res.steps["Step"].iloc[1:]]], rotation=30, ha="right", fontsize=8)
    ax.set_xlabel("step")
    ax.set_ylabel("AIC" if res.criterion == "aic" else f"criterion (k = {res.k:.3g})")
    ax.set_title("Criterion along the stepwise path (fit$anova$AIC)", fontsize=10)
    fig.tight_layout()
    plots = [Plot("AIC at each step of step() (lower is better)", svg_of(fig), alt="AIC per step")]
    tables = [
        Table.from_frame(res.steps, "Stepwise trace (R's step(...)$anova)", index=False),
        Table.from_frame(res.to_frame(), "Candidate terms", index=False,
                         row_class=lambda r: "kept" if r["selected"] else "pruned"),
        Table.from_frame(res.coef_table.rename_axis("term"), "Final model: summary() coefficients"),
    ]
    headline = (f"step() backward by AIC on {'lm' if fam == 'gaussian' else f'glm({fam})'}: "
                f"{len(selected)} of {len(res.candidate_terms)} terms kept; final AIC = {res.aic:.7g}")
    notes = [*res.warnings, *res.notes]
    if not any("selective" in n for n in notes):
        notes.insert(0, "p-values of the final model are not valid p-values: the same data chose the model "
                        "(selective inference).")
    model = "lm" if fam == "gaussian" else "glm"
    fam_arg = "" if fam == "gaussian" else f", family = {_r_name(fam)}"
    r_code = (f'd <- read.csv({_r_string(ctx["data_name"])}, stringsAsFactors = TRUE, check.names = FALSE)\n'
              f"fit <- step({model}({_r_name(target)} ~ ., data = d{fam_arg}))\n"
              "fit$anova\nsummary(fit)\n")
    return Section("stepwise", "Stepwise selection (step)", headline, selected, pruned, tables, plots, notes, r_code,
                   res.to_dict())


def _r_name(name: str) -> str:
    from ._rcode import r_name  # noqa: PLC0415 - escaped (backquotes, backslashes), never pasted

    return r_name(name)


def _r_string(s: str) -> str:
    from ._rcode import r_string as _lit  # noqa: PLC0415

    return _lit(s)


def importance_params(n: int, p: int) -> dict[str, Any]:
    """The report's importance, sized to the data so that the report finishes on large tables.

    Up to 10,000 rows: a random forest of 500 trees (randomForest's default) and 10 shuffles per
    feature on the held-out quarter. Above: histogram gradient boosting (``hgb``, 100 iterations,
    every core), whose fit grows linearly in n, and permutation repeats cut to keep about a
    million held-out predictions per feature set (at least 3). The method stays held-out
    permutation importance; the section's caption names the model.
    """
    if n <= 10_000:
        return {"n_jobs": -1}
    held_out = n // 4
    repeats = int(max(3, min(10, 1_000_000 // max(1, held_out * max(1, p // 10)))))
    return {"model": "hgb", "n_repeats": repeats, "n_jobs": -1}


def _run_importance(ctx: dict[str, Any]) -> Section:
    from .importance import ImportanceDisplay  # noqa: PLC0415

    prep = ctx["prepared"]
    params = importance_params(*prep.X.shape)
    res = workflows.importance(ctx["frame"], ctx["target"], categorical="encode", random_state=ctx["seed"],
                               progress=ctx.get("progress", False), **params)
    tables = [Table.from_frame(res.to_frame(), f"Importance ({res.method}, {res.estimator_name})",
                               row_class=lambda r: "kept" if r.get("selected", True) else "pruned")]
    fig, ax = _figure()
    ImportanceDisplay.from_result(res).plot(ax=ax)
    plots = [Plot(f"{res.method.capitalize()} importance", svg_of(fig), alt="importance")]
    headline = f"{len(res.selected)} of {len(res.feature_names)} features kept; rule: {res.rule}"
    notes = list(res.warnings)
    return Section("importance", "Tree-ensemble importance", headline, list(res.selected), list(res.pruned), tables,
                   plots, notes, None, res.to_dict())


def _run_subsets(ctx: dict[str, Any]) -> Section:
    title = "Best subset selection (leaps::regsubsets)"
    if ctx["family"] != "gaussian":
        why = f"not run: best subsets fit a linear model; the target is {ctx['family']}"
        return Section("subsets", title, why, [], [], notes=[why])
    prep = ctx["prepared"]
    X = prep.X.drop(columns=prep.constant)
    p = X.shape[1]
    try:
        res = workflows.subsets(X.assign(**{ctx["target"]: np.asarray(prep.y, float)}), ctx["target"],
                         method="exhaustive" if p <= 50 else "forward", nvmax=min(p, 20))
    except (DataError, ParameterError) as exc:
        why = f"not run: {exc}"
        return Section("subsets", title, why, [], [], notes=[why])
    fr = res.to_frame()
    fr["terms"] = [", ".join(t) for t in fr["terms"]]
    best = res.best
    headline = f"BIC keeps {len(best['bic'])} of {len(res.columns)} features ({res.method} search)"
    notes = [f"best by {c}: " + (", ".join(t) or "none") for c, t in best.items()] + list(res.warnings)
    return Section("subsets", title, headline, list(res.selected), list(res.pruned) + list(prep.constant),
                   [Table.from_frame(fr, "Best subset of each size (summary(regsubsets()))")], [], notes, None,
                   res.to_dict())


def _run_vif(ctx: dict[str, Any]) -> Section:
    from .compare import _quote  # noqa: PLC0415

    title = "Variance inflation (car::vif)"
    prep = ctx["prepared"]
    X = prep.X.drop(columns=prep.constant)
    formula = f"{_quote(ctx['target'])} ~ " + " + ".join(_quote(c) for c in X.columns)
    yv = np.asarray(prep.y)
    y = yv.astype(float) if np.issubdtype(yv.dtype, np.number) else pd.factorize(yv, sort=True)[0].astype(float)
    try:
        res = workflows.vif(X.assign(**{ctx["target"]: y}), formula, threshold=10.0)  # the VIFs depend on the predictors only
    except (DataError, ParameterError) as exc:
        why = f"not run: {exc}"
        return Section("vif", title, why, [], [], notes=[why])
    headline = f"{len(res.selected)} of {len(res.terms)} features kept (drop the largest GVIF^(1/Df) above 10, repeat)"
    return Section("vif", title, headline, list(res.selected), list(res.pruned) + list(prep.constant),
                   [Table.from_frame(res.to_frame(), "(G)VIF of the full model",
                                     row_class=lambda r: "kept" if r["selected"] else "pruned")], [],
                   list(res.warnings), None, res.to_dict())


def _inference_xy(ctx: dict[str, Any]) -> tuple[pd.DataFrame, Any] | str:
    """Scaled predictors and a numeric / 0-1 target for the opt-in inference sections (issue 17)."""
    if ctx["family"] not in ("gaussian", "binomial"):
        return f"not run: needs a numeric or two-class target (family {ctx['family']!r})"
    prep = ctx["prepared"]
    X = prep.X.drop(columns=prep.constant)
    Xs = (X - X.mean()) / X.std(ddof=1)  # R's scale(x)
    y = prep.y
    if ctx["family"] == "binomial":
        y = (check_target(y, "binomial").y.codes == 1).astype(float)  # the event: R's second factor level
    else:
        y = y.to_numpy(dtype=float)
    return Xs, y


def _run_selective(ctx: dict[str, Any]) -> Section:
    from .lasso import GlmnetCV  # noqa: PLC0415
    from .selective import fixed_lasso_inf  # noqa: PLC0415

    title = "Selective inference after the lasso (selectiveInference::fixedLassoInf)"
    xy = _inference_xy(ctx)
    if isinstance(xy, str):
        return Section("selective", title, xy, [], [], notes=[xy])
    Xs, y = xy
    est = GlmnetCV(family=ctx["family"], standardize=False, seed=ctx["seed"]).fit(Xs, y)
    res = fixed_lasso_inf(Xs, y, fit=est, s="lambda.min", family=ctx["family"])
    frame = res.to_frame()
    tables = [Table.from_frame(frame, "Selective p-values and 90% intervals at lambda.min (columns scaled); "
                               "naive_p_value is the refit's, not valid after selection", index=False,
                               row_class=lambda r: "kept" if r["p_value"] <= res.alpha else "pruned")]
    headline = (f"lambda = n x lambda.min = {res.lambda_:.7g}; {len(res.selected)} of {len(res.active)} lasso terms "
                f"have a selective p-value <= {res.alpha:g}")
    notes = [f"conditioning on {res.conditioning}", "see docs/inference.md"]
    return Section("selective", title, headline, res.selected, res.pruned, tables, [], notes, None, res.to_dict())


def _run_knockoff(ctx: dict[str, Any]) -> Section:
    from .knockoff import knockoff_filter  # noqa: PLC0415

    title = "Knockoff filter at FDR 0.1 (knockoff::knockoff.filter)"
    xy = _inference_xy(ctx)
    if isinstance(xy, str):
        return Section("knockoff", title, xy, [], [], notes=[xy])
    Xs, y = xy
    n, p = Xs.shape
    kind = "fixed" if ctx["family"] == "gaussian" and n >= 2 * p else "second-order"
    try:
        res = knockoff_filter(Xs, y, knockoffs=kind, statistic="lambdasmax", fdr=0.1, family=ctx["family"],
                              seed=ctx["seed"])
    except (DataError, ParameterError) as exc:
        why = f"not run: {exc}"
        return Section("knockoff", title, why, [], [], notes=[why])
    tables = [Table.from_frame(res.to_frame(), f"Knockoff statistics W ({kind} knockoffs, lambdasmax); threshold "
                               f"{res.threshold:.7g}", index=False,
                               row_class=lambda r: "kept" if r["selected"] else "pruned")]
    headline = f"knockoff+ threshold {res.threshold:.7g}: {len(res.selected)} of {p} features selected"
    notes = ["knockoffs, the statistic's column swap and folds are drawn from numpy (seed), not R's stream",
             "see docs/inference.md"]
    return Section("knockoff", title, headline, res.selected, res.pruned, tables, [], notes, None, res.to_dict())


_TITLES = {"lasso": "Lasso (cv.glmnet)", "stepwise": "Stepwise selection (step)",
           "importance": "Tree-ensemble importance", "pca": "Principal components (prcomp)",
           "subsets": "Best subset selection (leaps::regsubsets)", "vif": "Variance inflation (car::vif)",
           "selective": "Selective inference after the lasso (selectiveInference::fixedLassoInf)",
           "knockoff": "Knockoff filter at FDR 0.1 (knockoff::knockoff.filter)"}


def _r_fix() -> str:
    from ._doctor import PIP_R_LINE  # noqa: PLC0415
    from .errors import APT_R_LINE  # noqa: PLC0415

    return f"to run it, install R and the [r] extra: {APT_R_LINE}; then {PIP_R_LINE}"


_R_FIX = _r_fix()


_RUNNERS: dict[str, Callable[[dict[str, Any]], Section]] = {
    "lasso": _run_lasso,
    "stepwise": _run_stepwise,
    "importance": _run_importance,
    "pca": _run_pca,
    "subsets": _run_subsets,
    "vif": _run_vif,


    "selective": _run_selective,  # opt-in (issue 17)
    "knockoff": _run_knockoff,    # opt-in (issue 17)
}


def _crosscheck(ctx: dict[str, Any]) -> Table | None:
    """The Lasso of the report refitted in R, scikit-learn and statsmodels, with pass/fail per quantity."""
    from .crosscheck import crosscheck, verdict_rows  # noqa: PLC0415

    res = ctx.get("lasso_result")
    if res is None:
        if "lasso" in ctx.get("skipped", {}):
            ctx["crosscheck_note"] = "not run: it checks the Lasso, which did not run (needs R)"
        return None
    prep = ctx["prepared"]
    try:
        with ticking("crosscheck: R and the reference solvers", disable=not ctx.get("progress", False)):
            cc = crosscheck(res, prep.X, prep.y)
    except (ParameterError, DataError) as exc:  # a configuration the cross-check does not cover
        ctx["crosscheck_note"] = f"not run: {exc}"
        return None
    ctx["crosscheck_report"] = cc
    frame = pd.DataFrame(verdict_rows(cc))
    return Table.from_frame(frame, "Cross-check: the Lasso at s refitted in R (glmnet) and certified reference solvers "
                            "(verdict: agree / disagree / not converged, see docs/crosscheck.md); "
                            "plus the unpenalised refit on the selected features", index=False,
                            row_class=lambda r: "fail" if r["verdict"] == "disagree" else "pass")


# --------------------------------------------------------------------------- session info
def _python_blas() -> list[str]:
    """The BLAS numpy and scipy were built against (static: unlike the libraries loaded at run time,
    it does not depend on which modules happened to be imported first)."""
    out = []
    for modname in ("numpy", "scipy"):
        try:
            mod = __import__(modname)
            blas = mod.__config__.CONFIG["Build Dependencies"]["blas"]
            out.append(f"{modname}: {blas.get('name')} {blas.get('version')}")
        except Exception:  # noqa: BLE001 - older builds have no CONFIG dict
            out.append(f"{modname}: unknown")
    return out


def session_info(seed: int | None, data_path: str | None, command_line: str | None, *, with_r: bool) -> dict[str, Any]:
    """Versions, BLAS, seed, command line and the SHA-256 of the data file."""
    from ._provenance import provenance  # noqa: PLC0415

    try:
        prov = provenance(seed=seed, with_r=with_r)
    except RNotAvailableError:  # R is optional: the sections that need it said so
        prov = provenance(seed=seed, with_r=False)
    blas = _python_blas()
    return {
        "seed": seed,
        "command_line": command_line,
        "data_file": data_path,
        "data_sha256": _sha256(data_path) if data_path and os.path.isfile(data_path) else None,
        "python": platform.python_version(),
        "platform": prov.get("platform"),
        "r_version": prov.get("r_version"),
        "glmnet_version": prov.get("glmnet_version"),
        "rpy2_version": prov.get("rpy2_version"),
        "r_blas": prov.get("r_blas"),
        "python_blas": blas,
        "packages": {k[: -len("_version")]: v for k, v in prov.items() if k.endswith("_version")
                     and k not in ("r_version", "glmnet_version", "rpy2_version", "python_version")},
    }


# --------------------------------------------------------------------------- report
@dataclass
class Report:
    """Everything a report shows; :meth:`render` produces HTML, Markdown or JSON."""

    title: str
    data: dict[str, Any]
    sections: list[Section]
    crosscheck: Table | None
    session: dict[str, Any]
    generated: str | None = None
    crosscheck_note: str | None = None
    skipped: dict[str, str] = field(default_factory=dict)  # section -> why it did not run (e.g. needs R)
    timings: dict[str, float] = field(default_factory=dict)  # section -> seconds (benchmarks/bench_report.py)

    # ----------------------------------------------------------------- the overview and the condensed cross-check
    def overview(self) -> Table:
        """Which method kept which feature (as ``statprune compare``'s table): one row per feature."""
        ran = [s for s in self.sections if s.selected or s.pruned]
        feats = list(dict.fromkeys(f for s in ran for f in [*s.selected, *s.pruned]))
        cols = ["feature", *[s.key for s in ran], "kept by"]
        rows, records, classes = [], [], []
        for f in feats:
            marks = ["kept" if f in s.selected else "." for s in ran]
            n = sum(m == "kept" for m in marks)
            rows.append([f, *marks, f"{n} of {len(ran)}"])
            records.append({"feature": f, **{s.key: f in s.selected for s in ran}, "kept_by": n})
            classes.append("kept" if n == len(ran) else ("pruned" if n == 0 else ""))
        return Table("Which method kept which feature", cols, rows, records, classes=classes,
                     numeric=[False] * len(cols))

    def crosscheck_verdict(self) -> tuple[str, Table | None]:
        """The cross-check condensed: one verdict line and only the rows that do not agree."""
        t = self.crosscheck
        if t is None:
            return (self.crosscheck_note or "not run"), None
        verdicts = [str(r.get("verdict", "agree" if r.get("ok", True) else "differ")) for r in t.records]
        keep = [i for i, v in enumerate(verdicts) if v != "agree"]
        counts: dict[str, int] = {}
        for v in verdicts:
            counts[v] = counts.get(v, 0) + 1
        fails = sum(1 for r in t.records if r.get("ok") is False)
        head = ("PASS" if fails == 0 else "FAIL") + f": {len(t.records)} comparisons, " + ", ".join(
            f"{n} {v}" for v, n in sorted(counts.items()))
        if not keep:
            return head, None
        sub = Table("Comparisons that do not agree", t.columns, [t.rows[i] for i in keep],
                    [t.records[i] for i in keep], classes=[t.classes[i] for i in keep] if t.classes else [],
                    numeric=list(t.numeric))
        return head, sub

    def headlines(self) -> list[tuple[str, str]]:
        """(section title, its headline) for the overview."""
        return [(s.title, s.headline) for s in self.sections]

    def to_dict(self) -> dict[str, Any]:
        """JSON-able content (plots left out; everything else, with full-precision numbers).

        Starts with the keys every statprune JSON has: ``selected`` (the features kept by at
        least one method), ``pruned`` (those every method that ran dropped), ``n_rows`` (rows
        used) and ``provenance`` (the session info).
        """
        ran = [s for s in self.sections if s.selected or s.pruned]
        kept = {f for s in ran for f in s.selected}
        order = list(dict.fromkeys(f for s in ran for f in [*s.selected, *s.pruned]))
        verdict, _ = self.crosscheck_verdict()
        return {
            "selected": [f for f in order if f in kept],
            "pruned": [f for f in order if f not in kept],
            "n_rows": self.data.get("rows_used"),
            "provenance": self.session,
            "title": self.title,
            "overview": {"table": self.overview().records, "headlines": dict((k, h) for k, h in self.headlines()),
                         "crosscheck": verdict},
            "generated": self.generated,
            "data": self.data,
            "methods": {
                s.key: {
                    "title": s.title, "headline": s.headline, "selected": s.selected, "pruned": s.pruned,
                    "tables": [{"caption": t.caption, "rows": t.records} for t in s.tables],
                    "notes": s.notes, "r_code": s.r_code, "details": s.details,
                }
                for s in self.sections
            },
            "crosscheck": ({"note": self.crosscheck_note} if self.crosscheck is None else
                           {"caption": self.crosscheck.caption, "rows": self.crosscheck.records}),
            "skipped": self.skipped,
            "session": self.session,
        }

    def render(self, format: str = "html", *, image_dir: str | None = None) -> str:  # noqa: A002
        """The report as text: ``"html"`` (self-contained), ``"md"`` or ``"json"``.

        Markdown links each figure as a file, ``<image_dir>/<section>-<n>.svg`` (:meth:`write`
        writes them next to the ``.md`` file); without ``image_dir`` the figures are only named.
        """
        if format == "json":
            return dumps(self.to_dict()) + "\n"
        if format not in ("html", "md"):
            raise ParameterError(f"format must be 'html', 'md' or 'json', got {format!r}")
        env = _jinja_env(autoescape=format == "html")
        tmpl = env.get_template(f"report.{format}.j2")
        images = {id(p): f"{image_dir}/{name}" for name, p in self.figures()} if image_dir else {}
        out = tmpl.render(report=self, css=_css() if format == "html" else "", images=images)
        return out if out.endswith("\n") else out + "\n"

    def figures(self) -> list[tuple[str, Plot]]:
        """Every figure with its file name (``<section>-<n>.svg``)."""
        return [(f"{s.key}-{i + 1}.svg", p) for s in self.sections for i, p in enumerate(s.plots)]

    def write(self, path: str | os.PathLike[str], format: str | None = None) -> Path:  # noqa: A002
        """Write atomically; the format defaults to the file's extension (``.html``, ``.md``, ``.json``).

        Markdown: the figures go to ``<stem>_files/`` next to the file, linked from it."""
        from ._data import write_atomic  # noqa: PLC0415

        fmt = format or _format_for(path)
        p = Path(path)
        if fmt == "md" and p.parent.is_dir() and not _is_special(p):
            folder = f"{p.stem}_files"
            (p.parent / folder).mkdir(exist_ok=True)
            for name, plot in self.figures():
                svg = plot.svg if plot.svg.lstrip().startswith("<?xml") else (
                    '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n' + plot.svg)
                write_atomic(p.parent / folder / name, svg)
            return write_atomic(path, self.render(fmt, image_dir=folder))
        return write_atomic(path, self.render(fmt))


def _is_special(p: Path) -> bool:
    """stdout ('-'), a character device or a FIFO: no folder of figures next to it."""
    import stat  # noqa: PLC0415

    if str(p) == "-":
        return True
    try:
        mode = os.stat(p).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)


def _format_for(path: str | os.PathLike[str]) -> str:
    ext = Path(path).suffix.lower()
    return {".md": "md", ".markdown": "md", ".json": "json"}.get(ext, "html")


def _jinja_env(autoescape: bool) -> Any:
    import jinja2  # noqa: PLC0415

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["mdcell"] = lambda v: str(v).replace("|", "\\|").replace("\n", " ")
    env.filters["fmt"] = _cell
    env.filters["id"] = id
    return env


def _css() -> str:
    return (Path(__file__).resolve().parent / "templates" / "report.css").read_text(encoding="utf-8")


def build_report(
    data: str | os.PathLike[str] | pd.DataFrame,
    target: str,
    *,
    methods: Sequence[str] = METHODS,
    seed: int = 1,
    family: str = "auto",
    crosscheck: bool = True,
    drop_missing: bool = False,
    timestamp: bool = True,
    command_line: str | None = None,
    progress: bool = False,
    title: str | None = None,
) -> Report:
    """Run the pruning methods on ``data`` and collect everything the report shows.

    Parameters
    ----------
    data : path to a CSV/Parquet file, or a DataFrame
        A path is hashed (SHA-256) into the session info.
    target : str
        The response column; every other column is a predictor.
    methods : sequence of {"lasso", "stepwise", "importance", "pca"}, plus the opt-in
        ``"selective"`` and ``"knockoff"`` (docs/inference.md)
    seed : int
        R's ``set.seed(seed)`` before ``cv.glmnet`` (the CV folds), and the random
        state of the permutation importance.
    family : "auto" or a glmnet family
        ``"auto"``: gaussian for a numeric target, binomial for two classes,
        multinomial for more.
    crosscheck : bool
        Add the cross-check table (needs the Lasso).
    drop_missing : bool
        Run the methods on the complete rows (the summary still counts the missing values).
    timestamp : bool
        Record the generation time (the only field that changes between identical runs).
    command_line : str, optional
        Shown in the session info (the CLI passes its own argv).
    progress : bool
        Show a tqdm progress bar on stderr.
    """
    methods = [m.strip() for m in (methods.split(",") if isinstance(methods, str) else methods) if m.strip()]
    unknown = [m for m in methods if m not in _RUNNERS]
    if unknown or not methods:
        raise ParameterError(f"unknown method(s) {unknown}; choose from {', '.join((*METHODS, *EXTRA_METHODS))}"
                             if unknown else f"no method given; choose from {', '.join(METHODS)}")
    methods = [m for m in (*METHODS, *EXTRA_METHODS) if m in methods]
    if seed is None or int(seed) != seed:
        raise ParameterError(f"seed must be an integer, got {seed!r}")
    data_path = None if isinstance(data, pd.DataFrame) else str(data)
    df = workflows.read(data)
    if target not in [str(c) for c in df.columns]:
        raise DataError(f"target column '{target}' not found; columns are: {', '.join(map(str, df.columns))}")
    summary = data_summary(df, target)
    summary["file"] = None if data_path is None else os.path.basename(data_path)
    prep = workflows.load(df, target, drop_missing=drop_missing, categorical="encode", constant="keep")
    summary["rows_used"] = int(prep.X.shape[0])
    summary["encoded"] = prep.encoded
    fam = _family_for(prep.y) if family == "auto" else family
    ctx: dict[str, Any] = {
        "prepared": prep, "frame": df.loc[prep.X.index], "seed": int(seed), "family": fam, "target": target,
        "data_name": summary["file"] or "data.csv",
    }
    steps = [*methods, *(["crosscheck"] if crosscheck and "lasso" in methods else []), "session info"]
    sections: list[Section] = []
    cc = None
    skipped: dict[str, str] = {}
    timings: dict[str, float] = {}
    ctx["skipped"] = skipped
    ctx["progress"] = progress
    with_r = any(m in methods for m in ("lasso", "stepwise", "selective", "knockoff"))
    with progress_bar(total=len(steps), desc="statprune report", disable=not progress, unit="section") as bar:
        for step in steps:
            bar.set_postfix_str(step)
            t0 = time.perf_counter()
            if step in _RUNNERS:
                try:
                    sections.append(_RUNNERS[step](ctx))
                except RNotAvailableError as exc:  # R is optional: the other sections still run
                    why = f"not run: this section needs R ({str(exc).splitlines()[0]})"
                    skipped[step] = why
                    sections.append(Section(step, _TITLES[step], why, [], [], notes=[why, _R_FIX]))
            elif step == "crosscheck":
                cc = _crosscheck(ctx)
                if cc is None and ctx.get("crosscheck_note") and "R" in ctx["crosscheck_note"]:
                    skipped["crosscheck"] = ctx["crosscheck_note"]
            else:
                sess = session_info(int(seed), data_path, command_line, with_r=with_r)
            timings[step] = time.perf_counter() - t0
            bar.update(1)
    sess["family"] = fam
    sess["methods"] = methods
    generated = None
    if timestamp:
        import datetime as _dt  # noqa: PLC0415

        generated = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    name = summary["file"] or "data frame"
    return Report(title or f"statprune report: {target} ~ . ({name})", summary, sections, cc, sess, generated,
                  ctx.get("crosscheck_note"), skipped, timings)
