"""The other methods' commands: doctor, importance, pca, prune-nn, stability, report, selective, knockoff."""

from __future__ import annotations

import shlex
import sys
import warnings
from typing import Any, Optional

import typer

from .._text import table_text
from ..errors import ParameterError, SelectionWarning
from ._common import JsonOpt, alpha_opt, app, deprecated_opt, emit_json, handle_errors, method_opt, nfolds_opt, quiet_progress, renamed, seed_opt, show, split_methods, target_opt, workflows


@app.command()
def doctor(
    need_r: bool = typer.Option(False, "--need-r", help="Exit 1 unless the R-backed features work too."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """Check the installation: each feature works / needs R / needs an extra, with the install line; exit 1 when a core package is missing."""
    from .._doctor import run_doctor  # noqa: PLC0415 - deferred: it imports every optional package to check it

    report = run_doctor(need_r=need_r)
    if json_out is not None:
        emit_json(report, json_out)
    else:
        typer.echo(f"statprune {report.get('statprune')} on Python {report.get('python')}")
        for lib in report.get("blas") or []:
            typer.echo(f"  Python {lib.get('user_api')}: {lib.get('internal_api')} {lib.get('version') or ''} "
                       f"({lib.get('num_threads')} threads) {lib.get('filepath')}")
        if report.get("r_blas"):
            typer.echo(f"  R BLAS: {report['r_blas']}; LAPACK: {report.get('r_lapack')}")
        for check in report["checks"]:
            mark = "ok  " if check["ok"] else ("FAIL" if check.get("required", True) else "--  ")
            line = f"[{mark}] {check['name']:<14} {check.get('version') or ''}"
            typer.echo(line)
            if not check["ok"] and check.get("fix"):
                typer.echo(f"       fix: {check['fix']}")
        typer.echo("")
        feats = report.get("features") or []
        typer.echo(table_text(["feature", "status", "what"], [[f["name"], f["status"], f["what"]] for f in feats]))
        fixes = list(dict.fromkeys(f["fix"] for f in feats if f["fix"]))
        for fix in fixes:
            typer.echo(f"to enable: {fix}")
        typer.echo("all good" if report["ok"] else "some checks failed")
    raise typer.Exit(code=0 if report["ok"] else 1)


# --- importance (issue 7)
@app.command()
@handle_errors
def importance(
    data: str = typer.Argument(..., help="CSV or Parquet file."),
    target: str = target_opt("Target column (numeric: regression; classes: classification)."),
    kind: Optional[str] = typer.Option(None, "--kind", help="impurity | permutation (held-out; the default) | shadow (Boruta-style)."),
    method_old: Optional[str] = deprecated_opt("--method"),
    model: str = typer.Option("auto", "--model", help="auto (sized to the data: rf up to 50,000 cells, hgb above) | rf (random forest) | gbm (gradient boosting) | hgb (histogram GBM)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="Keep features with importance >= T."),
    top: Optional[int] = typer.Option(None, "--top", help="Keep the K most important features."),
    cumulative: Optional[float] = typer.Option(None, "--cumulative", help="Keep the fewest top features reaching this share of total importance."),
    seed: int = seed_opt("Seed of the split, the model and the shuffles."),
    trees: Optional[int] = typer.Option(None, "--trees", help="Trees / boosting iterations (rf 500, gbm/hgb 100)."),
    repeats: Optional[int] = typer.Option(None, "--repeats", help="Shuffles per feature (permutation; default sized to the data: 10, or 3-10 above 50,000 cells)."),
    max_features: Optional[str] = typer.Option(None, "--max-features", help="Features tried per split (R's mtry): an integer, a share, sqrt or log2 (default: R's mtry, p/3 or sqrt(p))."),
    max_samples: Optional[float] = typer.Option(None, "--max-samples", help="Held-out rows scored per shuffle: a count, or a share <= 1 (1: every row; default: every row, at most 5,000 above 50,000 cells)."),
    n_jobs: Optional[int] = typer.Option(None, "--n-jobs", help="Worker threads (-1: every core, the default; the numbers do not depend on it)."),
    test_size: float = typer.Option(0.25, "--test-size", help="Held-out share (permutation)."),
    rounds: int = typer.Option(20, "--rounds", help="Shadow rounds (shadow)."),
    alpha: float = typer.Option(0.05, "--alpha", help="Family-wise level of the shadow test."),
    exclude: list[str] = typer.Option([], "--exclude", help="Column to leave out (repeatable)."),
    drop_missing: bool = typer.Option(False, "--drop-missing", help="Drop rows with NaN/inf instead of failing."),
    encode_categoricals: bool = typer.Option(False, "--encode-categoricals", help="Expand non-numeric columns into R's treatment dummies."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """Tree-ensemble feature importance (impurity, held-out permutation, shadow test) and the features it keeps."""
    method = renamed(kind, method_old, "--method", "--kind") or "permutation"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SelectionWarning)  # reported in the output instead
        res = workflows.importance(
            data, target, exclude=exclude, drop_missing=drop_missing, method=method, model=model,
            threshold=threshold, top_k=top, cumulative=cumulative, random_state=seed, n_estimators=trees,
            n_repeats="auto" if repeats is None else repeats, max_features=_max_features(max_features),
            max_samples="auto" if max_samples is None else (int(max_samples) if max_samples > 1 else max_samples),
            n_jobs="auto" if n_jobs is None else n_jobs, test_size=test_size, n_shadow=rounds, alpha=alpha,
            categorical="encode" if encode_categoricals else "error", progress=not quiet_progress(json_out),
        )
    show(res, json_out)


def _max_features(text: Optional[str]) -> Any:
    """``--max-features``: an integer count, a share in (0, 1], sqrt or log2; absent: "auto" (R's mtry)."""
    if text is None:
        return "auto"
    if text in ("sqrt", "log2"):
        return text
    try:
        v = float(text)
    except ValueError:
        raise ParameterError(f"--max-features {text!r}: give an integer, a share in (0, 1], sqrt or log2") from None
    if v.is_integer() and v >= 1 and "." not in text:
        return int(v)
    if 0 < v <= 1:
        return v
    raise ParameterError(f"--max-features {text!r}: give an integer >= 1, a share in (0, 1], sqrt or log2")


# --- pca (issue 7)
@app.command()
@handle_errors
def pca(
    data: str = typer.Argument(..., help="CSV or Parquet file."),
    variance: Optional[float] = typer.Option(None, "--variance", help="Keep the fewest components reaching this variance share (default 0.9)."),
    kaiser: bool = typer.Option(False, "--kaiser", help="Kaiser rule: eigenvalue > 1 (standardised data)."),
    elbow: bool = typer.Option(False, "--elbow", help="Scree elbow: point farthest from the chord of the scree curve."),
    n: Optional[int] = typer.Option(None, "--n", help="Keep exactly N components."),
    target: Optional[str] = target_opt("Target column: left out of the components (as --exclude).", None),
    exclude: list[str] = typer.Option([], "--exclude", help="Column to leave out (repeatable), e.g. the target."),
    no_scale: bool = typer.Option(False, "--no-scale", help="Do not scale columns to unit variance (prcomp scale.=FALSE)."),
    loading_threshold: float = typer.Option(0.5, "--loading-threshold", help="|corr(feature, PC)| for a feature to load on a PC."),
    drop_missing: bool = typer.Option(False, "--drop-missing", help="Drop rows with NaN/inf instead of failing."),
    encode_categoricals: bool = typer.Option(False, "--encode-categoricals", help="Expand non-numeric columns into R's treatment dummies."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """Principal components exactly as R's prcomp(scale.=TRUE), and which features load on the kept ones."""
    chosen = [x for x in (variance is not None, kaiser, elbow, n is not None) if x]
    if len(chosen) > 1:
        raise ParameterError("give at most one of --variance, --kaiser, --elbow, --n")
    rule: Any = 0.9 if variance is None else variance
    if kaiser:
        rule = "kaiser"
    elif elbow:
        rule = "elbow"
    elif n is not None:
        rule = n
    if target is not None and target not in exclude:
        exclude = [*exclude, target]
    res = workflows.pca(data, n_components=rule, exclude=exclude, scale=not no_scale,
                    loading_threshold=loading_threshold, drop_missing=drop_missing,
                    categorical="encode" if encode_categoricals else "error")
    show(res, json_out)


# --- prune-nn (issue 7)
@app.command("prune-nn")
@handle_errors
def prune_nn_cmd(
    data: str = typer.Argument(..., help="CSV or Parquet file."),
    target: str = typer.Option(..., "--target", "-y", help="Target column."),
    sparsity: float = typer.Option(0.5, "--sparsity", help="Target fraction of zero weights per layer, in [0, 1)."),
    schedule: str = typer.Option("constant", "--schedule", help="constant (TF-MOT ConstantSparsity) or polynomial (PolynomialDecay from 0)."),
    hidden: str = typer.Option("64,32", "--hidden", help="Hidden layer sizes, comma-separated."),
    epochs: int = typer.Option(200, "--epochs", help="Epochs of dense training (adam)."),
    prune_epochs: int = typer.Option(20, "--prune-epochs", help="Epochs of fine-tuning with masks."),
    global_: bool = typer.Option(False, "--global", help="One magnitude threshold over all layers instead of per layer."),
    task: str = typer.Option("auto", "--task", help="auto, classification or regression."),
    test_size: float = typer.Option(0.25, "--test-size", help="Fraction of rows held out for the metrics."),
    seed: int = seed_opt("Seed of the split, initialisation and shuffling."),
    exclude: list[str] = typer.Option([], "--exclude", help="Column to leave out (repeatable)."),
    drop_missing: bool = typer.Option(False, "--drop-missing", help="Drop rows with NaN/inf instead of failing."),
    encode_categoricals: bool = typer.Option(False, "--encode-categoricals", help="Expand non-numeric columns into R's treatment dummies."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """Magnitude-prune an MLP with TF-MOT's prune_low_magnitude rules; accuracy/loss before and after, sparsity, size."""
    res = workflows.prune_nn(data, target, sparsity=sparsity, schedule=schedule, hidden=hidden, epochs=epochs,  # type: ignore[arg-type]
                   prune_epochs=prune_epochs, scope="global" if global_ else "layer", task=task,  # type: ignore[arg-type]
                   test_size=test_size, seed=seed, exclude=exclude, progress=not quiet_progress(json_out),
                   drop_missing=drop_missing, categorical="encode" if encode_categoricals else "error")
    show(res, json_out)


# --- stability (issue 6)
@app.command()
@handle_errors
def stability(
    data: str = typer.Argument(..., help="CSV or Parquet file."),
    target: str = typer.Option(..., "--target", "-y", help="Target column."),
    q: Optional[int] = typer.Option(None, "--q", help="Variables selected per subsample."),
    cutoff: Optional[float] = typer.Option(None, "--cutoff", help="Selection-probability threshold pi_thr."),
    pfer: Optional[float] = typer.Option(None, "--pfer", help="Bound on the expected number of false selections."),
    assumption: str = typer.Option("unimodal", "--assumption", help="none | unimodal | r-concave"),
    sampling_type: str = typer.Option("SS", "--sampling-type", help="SS (complementary pairs) | MB"),
    B: Optional[int] = typer.Option(None, "--B", help="Subsamples (MB, default 100) or pairs (SS, default 50)."),
    family: str = typer.Option("gaussian", "--family", help="gaussian | binomial | poisson"),
    alpha: float = alpha_opt("Elastic-net mixing (1 = Lasso)."),
    engine: str = typer.Option("glmnet", "--engine", help="glmnet (R) | sklearn (gaussian, no R)"),
    exclude: list[str] = typer.Option([], "--exclude", help="Columns that are not predictors."),
    seed: int = seed_opt("Seed of the subsampling."),
    n_jobs: int = typer.Option(1, "--n-jobs", help="Worker processes (-1: all cores)."),
    fit_type: str = typer.Option("conservative", "--type", help="conservative (pmax = q) | anticonservative (dfmax = q - 1)"),
    plot: Optional[str] = typer.Option(None, "--plot", help="Save the stability paths figure to this file (png, pdf, svg)."),
    drop_missing: bool = typer.Option(False, "--drop-missing", help="Drop rows with NaN/inf instead of failing."),
    encode_categoricals: bool = typer.Option(False, "--encode-categoricals", help="Expand non-numeric columns into R's treatment dummies."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """Stability selection with the Lasso (R's stabs::stabsel with glmnet.lasso): give two of --q, --cutoff, --pfer."""
    given = sum(v is not None for v in (q, cutoff, pfer))
    if given != 2:
        raise ParameterError("give exactly two of --q, --cutoff and --pfer; the third is solved for")
    res = workflows.stability(
        data, target, exclude=exclude, drop_missing=drop_missing, categorical="encode" if encode_categoricals else "error",
        q=q, cutoff=cutoff, pfer=pfer, B=B, assumption=assumption, sampling_type=sampling_type,
        family=family, alpha=alpha, engine=engine, seed=seed, n_jobs=n_jobs, type=fit_type,
        plot=plot, progress=not quiet_progress(json_out),
    )
    if plot is not None:
        typer.echo(f"wrote {plot}", err=True)
    show(res, json_out, n_rows=res.n_samples)


# --- report (issue 8)
@app.command()
@handle_errors
def report(
    data: str = typer.Argument(..., help="CSV or Parquet file."),
    target: str = target_opt("Target column; every other column is a predictor."),
    method: list[str] = method_opt(("lasso", "stepwise", "importance", "pca", "subsets", "vif")),
    methods_old: Optional[str] = deprecated_opt("--methods"),
    seed: int = seed_opt("R's set.seed() before cv.glmnet; also the permutation seed."),
    family: str = typer.Option("auto", "--family", help="glmnet family, or auto (gaussian / binomial / multinomial from the target)."),
    fmt: str = typer.Option("html", "--format", help="html (self-contained), md or json: the format of --out."),
    no_timestamp: bool = typer.Option(False, "--no-timestamp", help="Leave out the generation time: identical inputs give identical bytes."),
    no_crosscheck: bool = typer.Option(False, "--no-crosscheck", help="Skip the scikit-learn/statsmodels cross-check table."),
    drop_missing: bool = typer.Option(False, "--drop-missing", help="Run the methods on complete rows instead of failing on NaN."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Output file (written atomically), or '-' for stdout."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """One self-contained report (HTML, Markdown or JSON): data summary, each method's kept/pruned features, plots, trace, cross-check, session info."""
    from ..report import build_report  # noqa: PLC0415 - deferred: jinja2 and matplotlib, for this command only

    if fmt not in ("html", "md", "json"):
        raise ParameterError(f"--format must be html, md or json, got {fmt!r}")
    if out is None and json_out is None:
        raise ParameterError("give --out FILE (the report) and/or --json PATH|- (its JSON)")
    if out == "-" and json_out == "-":
        raise ParameterError("--out - and --json - cannot both write to stdout")
    methods = split_methods(renamed(method, [methods_old] if methods_old else [], "--methods", "--method")) or [
        "lasso", "stepwise", "importance", "pca"]
    # the canonical command (same however it was typed, so the report stays byte-reproducible)
    argv = ["statprune", "report", data, "--target", target, "--method", ",".join(methods), "--seed", str(seed),
            "--family", family, "--format", fmt, *(["--no-timestamp"] if no_timestamp else []),
            *(["--no-crosscheck"] if no_crosscheck else []), *(["--drop-missing"] if drop_missing else []),
            *(["--out", out] if out is not None else []), *(["--json", json_out] if json_out is not None else [])]
    stdout_used = out == "-" or json_out == "-"
    rep = build_report(data, target, methods=methods, seed=seed, family=family, crosscheck=not no_crosscheck,
                       drop_missing=drop_missing, timestamp=not no_timestamp, command_line=shlex.join(argv),
                       progress=not quiet_progress("-" if stdout_used else None))
    for section, why in rep.skipped.items():  # e.g. the Lasso without R: the other sections ran
        typer.echo(f"warning: {section}: {why}", err=True)
    if out == "-":
        sys.stdout.write(rep.render(fmt))
        sys.stdout.flush()
    elif out is not None:
        rep.write(out, fmt)
        typer.echo(f"wrote {out}", err=True)
    if json_out is not None:
        emit_json(rep.to_dict(), json_out)


# --- lasso (issue 4)


# --- selective inference (issue 17)
@app.command()
@handle_errors
def selective(
    data: str = typer.Argument(..., help="CSV or Parquet file; every column except the target is a predictor."),
    target: str = target_opt("Target column ('time,status' for --family cox)."),
    procedure: Optional[str] = typer.Option(None, "--procedure", help="The selection the inference conditions on: fixed-lasso (the default) | forward-stepwise | lar."),
    method_old: Optional[str] = deprecated_opt("--method"),
    family: str = typer.Option("gaussian", "--family", help="gaussian | binomial | cox (fixed-lasso only for the last two)."),
    lambda_: Optional[float] = typer.Option(None, "--lambda", help="fixed-lasso: glmnet's lambda (tested at n * lambda); default --s of cv.glmnet."),
    s: str = typer.Option("lambda.min", "--s", help="fixed-lasso without --lambda: lambda.min or lambda.1se of cv.glmnet."),
    seed: int = seed_opt("fixed-lasso: set.seed(SEED) in R before cv.glmnet's folds."),
    scale: bool = typer.Option(False, "--scale", help="Scale every predictor to sd 1 first (R's scale(x))."),
    sigma: Optional[float] = typer.Option(None, "--sigma", help="Noise sd (gaussian); default as R estimates it."),
    alpha: float = typer.Option(0.1, "--alpha", help="Miscoverage of the intervals; terms with p <= alpha are 'selected'."),
    type_: str = typer.Option("active", "--type", help="forward-stepwise/lar: active | all | aic"),
    k: Optional[int] = typer.Option(None, "--k", help="forward-stepwise/lar: number of steps (required for --type all)."),
    exclude: list[str] = typer.Option([], "--exclude", help="Columns that are not predictors."),
    drop_missing: bool = typer.Option(False, "--drop-missing", help="Drop rows with NaN/inf instead of failing."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """Selective p-values and intervals after the lasso, forward stepwise or LAR (R's selectiveInference)."""
    method = renamed(procedure, method_old, "--method", "--procedure") or "fixed-lasso"
    res = workflows.selective(data, target, method=method, family=family, lambda_=lambda_, s=s, seed=seed,  # type: ignore[arg-type]
                          scale=scale, sigma=sigma, alpha=alpha, type=type_, k=k, exclude=exclude,
                          drop_missing=drop_missing)
    show(res, json_out)


# --- knockoff filter (issue 17)
@app.command()
@handle_errors
def knockoff(
    data: str = typer.Argument(..., help="CSV or Parquet file; every column except the target is a predictor."),
    target: str = target_opt(),
    fdr: float = typer.Option(0.1, "--fdr", help="Target false discovery rate."),
    knockoffs: str = typer.Option("second-order", "--knockoffs", help="second-order (model-X, R's default) | fixed (fixed-X, n >= 2p)."),
    construction: Optional[str] = typer.Option(None, "--construction", help="How the knockoffs are constructed: sdp (the default) | equi."),
    method_old: Optional[str] = deprecated_opt("--method"),
    statistic: str = typer.Option("coefdiff", "--statistic", help="coefdiff (cv.glmnet coefficient difference) | lambdasmax | lambdadiff."),
    offset: int = typer.Option(1, "--offset", help="1: knockoff+ (controls the FDR); 0: knockoff."),
    family: str = typer.Option("gaussian", "--family", help="gaussian | binomial"),
    nfolds: int = nfolds_opt("CV folds of the coefdiff statistic."),
    seed: int = seed_opt("Seed of the knockoff draw, column swap and folds (numpy)."),
    exclude: list[str] = typer.Option([], "--exclude", help="Columns that are not predictors."),
    drop_missing: bool = typer.Option(False, "--drop-missing", help="Drop rows with NaN/inf instead of failing."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """The knockoff filter with FDR control (R's knockoff::knockoff.filter)."""
    method = renamed(construction, method_old, "--method", "--construction") or "sdp"
    res = workflows.knockoff(data, target, fdr=fdr, knockoffs=knockoffs, method=method, statistic=statistic,  # type: ignore[arg-type]
                         offset=offset, family=family, nfolds=nfolds, seed=seed, exclude=exclude,  # type: ignore[arg-type]
                         drop_missing=drop_missing)
    show(res, json_out)
