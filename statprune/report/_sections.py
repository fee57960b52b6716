"""One function per report section: run the method through :mod:`statprune.workflows`, lay out its tables and plots."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import workflows
from .._doctor import PIP_R_LINE
from .._progress import bar_callback
from .._progress import progress as progress_bar
from .._rcode import r_name
from .._rcode import r_string as _lit
from .._validation import check_target
from ..errors import APT_R_LINE, DataError, ParameterError
from ._document import Plot, Section, Table, _figure, svg_of


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
    from ..plotting import CoefPathDisplay, CVPathDisplay  # noqa: PLC0415 - deferred: the section's method loads only when it runs

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
    from ..pca import ScreeDisplay  # noqa: PLC0415 - deferred: the section's method loads only when it runs

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

    return r_name(name)


def _r_string(s: str) -> str:

    return _lit(s)


def _sizing_note(res: Any) -> str:
    """The importance section's sizing in words: the automatic choices (:func:`statprune.importance.sizing_note`), model size, rows fitted and scored, shuffles, seed, cores."""
    e, mp = res.extra, res.extra.get("model_params", {})
    size = (f"{mp['n_estimators']} trees" if "n_estimators" in mp else f"{mp.get('max_iter')} boosting iterations")
    scored = (f"every one of the {e['n_test']} held-out rows" if e["n_scored"] >= e["n_test"]
              else f"a fresh random subsample of {e['n_scored']} of the {e['n_test']} held-out rows")
    return (f"importance {e['sizing']['note']} (statprune.importance.importance_sizing). {res.estimator_name} with {size} "
            f"fitted on {e['n_train']} training rows; each of the {e['n_repeats']} shuffles per feature scored on {scored}; "
            f"seed {res.seed}; {e['n_jobs']} worker(s)")


def _run_importance(ctx: dict[str, Any]) -> Section:
    from ..importance import ImportanceDisplay  # noqa: PLC0415 - deferred: the section's method loads only when it runs

    res = workflows.importance(ctx["frame"], ctx["target"], categorical="encode", random_state=ctx["seed"],
                               progress=ctx.get("progress", False))  # the defaults are sized to the data
    tables = [Table.from_frame(res.to_frame(), f"Importance ({res.method}, {res.estimator_name})",
                               row_class=lambda r: "kept" if r.get("selected", True) else "pruned")]
    fig, ax = _figure()
    ImportanceDisplay.from_result(res).plot(ax=ax)
    plots = [Plot(f"{res.method.capitalize()} importance", svg_of(fig), alt="importance")]
    headline = f"{len(res.selected)} of {len(res.feature_names)} features kept; rule: {res.rule}"
    notes = [_sizing_note(res), *res.warnings]
    data = res.to_dict()  # its "sizing": the automatic choices
    return Section("importance", "Tree-ensemble importance", headline, list(res.selected), list(res.pruned), tables,
                   plots, notes, None, data)


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
    from ..compare import _quote  # noqa: PLC0415 - deferred: the section's method loads only when it runs

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
    from ..lasso import GlmnetCV  # noqa: PLC0415 - deferred: the section's method loads only when it runs
    from ..selective import fixed_lasso_inf  # noqa: PLC0415 - deferred: the section's method loads only when it runs

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
    from ..knockoff import knockoff_filter  # noqa: PLC0415 - deferred: the section's method loads only when it runs

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
    from ..crosscheck import crosscheck, verdict_rows  # noqa: PLC0415 - deferred: the section's method loads only when it runs

    res = ctx.get("lasso_result")
    if res is None:
        if "lasso" in ctx.get("skipped", {}):
            ctx["crosscheck_note"] = "not run: it checks the Lasso, which did not run (needs R)"
        return None
    prep = ctx["prepared"]
    try:
        with progress_bar(total=None, desc="crosscheck: R and the reference solvers", unit="step",
                          disable=not ctx.get("progress", False)) as bar:
            cc = crosscheck(res, prep.X, prep.y, progress=bar_callback(bar) if ctx.get("progress", False) else None)
    except (ParameterError, DataError) as exc:  # a configuration the cross-check does not cover
        ctx["crosscheck_note"] = f"not run: {exc}"
        return None
    ctx["crosscheck_report"] = cc
    frame = pd.DataFrame(verdict_rows(cc))
    return Table.from_frame(frame, "Cross-check: the Lasso at s refitted in R (glmnet) and certified reference solvers "
                            "(verdict: agree / disagree / not converged, see docs/crosscheck.md); "
                            "plus the unpenalised refit on the selected features", index=False,
                            row_class=lambda r: "fail" if r["verdict"] == "disagree" else "pass")
