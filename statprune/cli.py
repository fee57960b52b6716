"""The ``statprune`` command line: a thin typer layer over the public API.

Conventions shared by every command:

* ``--json PATH`` writes machine-readable output atomically; ``--json -`` writes it
  to stdout (and nothing else goes to stdout). Without ``--json`` a readable table.
* Bad input (a missing column, NaN, a bad option value) exits with code 2 and the
  message on stderr. ``statprune doctor`` and ``statprune validate`` exit 1 when a
  check fails. Never a traceback (``STATPRUNE_TRACEBACK=1`` shows one for a bug).
* Warnings are one ``warning: ...`` line each on stderr; progress bars (tqdm, stderr,
  :func:`statprune._progress.progress`) are off with ``--json`` or when stderr is not a
  terminal. See docs/cli.md.
"""

from __future__ import annotations

import inspect
import math
import os
import shlex
import sys
import warnings
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, Optional

import typer

from . import __version__, workflows
from ._json import dumps, write_atomic
from ._text import anova_text, fits, frame_text, table_text, terminal_width, wrap_prose
from .errors import DataError, ParameterError, RError, RNotAvailableError, SelectionWarning, StatpruneError

app = typer.Typer(
    name="statprune",
    help="Statistical parameter pruning that gives the same answers as R.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"statprune {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True,
                                 help="Print statprune's version and exit."),
    na_values: Optional[str] = typer.Option(
        None, "--na-values",
        help="Text read as missing in every command, comma-separated (R's na.strings; default 'NA' as read.csv)."),
) -> None:
    """Statistical parameter pruning that gives the same answers as R."""
    workflows.set_na_values(na_values)  # reset on every invocation


# --------------------------------------------------------------------------- the shared vocabulary
#: ``--seed``'s default, the same for every command (docs/cli.md): R's ``set.seed(42)`` before
#: ``cv.glmnet``, and the seed of every split, forest, shuffle and subsample.
SEED = 42

JsonOpt = typer.Option(None, "--json", help="Write JSON to this path, or '-' for stdout.")


def target_opt(help: str = "Target column.", default: Any = ...) -> Any:  # noqa: A002 - typer's word
    """``-y/--target``: the response column (every command that reads a table)."""
    return typer.Option(default, "--target", "-y", help=help)


def seed_opt(help: str = "Seed of the random steps.") -> Any:  # noqa: A002
    """``--seed`` with the one default :data:`SEED`."""
    return typer.Option(SEED, "--seed", help=f"{help} The same default for every command.")


def fold_column_opt() -> Any:
    return typer.Option(None, "--fold-column", help="Column of fold ids 1..K (not a predictor).")


def weights_column_opt() -> Any:
    return typer.Option(None, "--weights-column", help="Column of case weights (not a predictor).")


def method_opt(choices: Sequence[str]) -> Any:
    return typer.Option([], "--method", help=f"Run only these methods (repeatable or comma-separated): "
                                              f"{', '.join(choices)}. Default: all.")


def deprecated_opt(old: str) -> Any:
    """A hidden option kept so that scripts using the old name still run (with a warning)."""
    return typer.Option(None, old, hidden=True)


def renamed(new_value: Any, old_value: Any, old: str, new: str) -> Any:
    """The value of a renamed option: the new name wins; the old one warns on stderr."""
    if old_value is None or old_value == []:
        return new_value
    typer.echo(f"warning: {old} is deprecated; use {new}", err=True)
    if new_value not in (None, []) and new_value != old_value:
        raise ParameterError(f"give {new} only (its old name {old} was also given, with another value)")
    return old_value


def split_methods(values: Sequence[str]) -> list[str]:
    """``--method a --method b`` and ``--method a,b`` both give ``["a", "b"]``."""
    return [m.strip() for v in values for m in str(v).split(",") if m.strip()]


# --------------------------------------------------------------------------- helpers
def emit_json(obj: Any, dest: str) -> None:
    """Write JSON to stdout (``-``) or atomically to a file."""
    text = dumps(obj) + "\n"
    if dest == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(dest, text)
        typer.echo(f"wrote {dest}", err=True)


#: The keys every command's JSON starts with (docs/cli.md).
CORE_KEYS = ("selected", "pruned", "n_rows", "provenance")


def _guess_n_rows(d: dict[str, Any]) -> Optional[int]:
    for key in ("n_rows", "n_obs", "n"):
        if isinstance(d.get(key), int):
            return d[key]
    info = d.get("info")
    if isinstance(info, dict) and isinstance(info.get("n"), int):
        return info["n"]
    metrics = d.get("metrics")
    if isinstance(metrics, dict) and isinstance(metrics.get("n_train"), int):
        return int(metrics["n_train"]) + int(metrics.get("n_test") or 0)
    split = d.get("split")
    if isinstance(split, dict) and isinstance(split.get("n_train"), int):
        return int(split["n_train"]) + int(split.get("n_test") or 0)
    return None


def core_json(d: dict[str, Any], *, n_rows: Optional[int] = None) -> dict[str, Any]:
    """One JSON shape for every command: lower-case keys, :data:`CORE_KEYS` first.

    ``selected`` / ``pruned`` are the features kept / dropped (``[]`` where a command
    selects nothing), ``n_rows`` the number of rows the method used (after
    ``--drop-missing``), ``provenance`` the versions and seed.
    """
    out = {(k.lower() if isinstance(k, str) else k): v for k, v in d.items()}
    if "selected" not in out and "final_terms" in out:  # stepwise: the terms of the final model
        out["selected"] = list(out["final_terms"])
        out["pruned"] = [t for t in out.get("initial_terms") or [] if t not in out["selected"]]
    head = {
        "selected": list(out.pop("selected", None) or []),
        "pruned": list(out.pop("pruned", None) or []),
        "n_rows": n_rows if n_rows is not None else _guess_n_rows(out),
        "provenance": out.pop("provenance", None) or {},
    }
    out.pop("n_rows", None)
    return {**head, **out}


def show(result: Any, json_dest: Optional[str], *, n_rows: Optional[int] = None) -> None:
    """Print a result: its ``to_dict()`` as JSON (:func:`core_json`) with ``--json``, else its ``summary()``.

    Both say how many missing cells each column had as read (``result.missing``, filled in by
    :mod:`statprune.workflows`): the JSON key ``missing``, and :func:`statprune.workflows.missing_line`
    after the summary unless the summary states it itself.
    """
    missing = getattr(result, "missing", None) or {}
    if json_dest is not None:
        d = result.to_dict()
        d.setdefault("missing", dict(missing))
        emit_json(core_json(d, n_rows=n_rows), json_dest)
    else:
        text = str(result.summary())
        if missing and workflows.MISSING_HEADER not in text:
            text = f"{text}\n{workflows.missing_line(missing)}"
        echo(text)


def echo(text: str) -> None:
    """Print text on stdout, its prose lines wrapped to the terminal width."""
    typer.echo(wrap_prose(text))


def _quiet_broken_pipe() -> None:
    """The reader went away (``statprune lasso ... | head -2``): stop quietly, as ``cat`` does."""
    try:  # later writes (and the interpreter's final flush) go nowhere instead of raising again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (an in-process test runner)
        pass


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Map statprune's exceptions to exit codes: bad input 2, R/environment problems 1.

    A command whose first argument is ``data`` (a file) also gets ``--sep`` and ``--decimal``
    (the CSV dialect, e.g. ``--sep ';' --decimal ','`` for R's ``write.csv2`` files).
    """
    sig = inspect.signature(fn)
    reads_table = "data" in sig.parameters

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        sep, decimal = (kwargs.pop("csv_sep", None), kwargs.pop("csv_decimal", None)) if reads_table else (None, None)
        try:
            with warnings.catch_warnings(), workflows.reading(sep=sep, decimal=decimal):
                warnings.showwarning = _show_warning  # one line on stderr, not Python's source echo
                return fn(*args, **kwargs)
        except (DataError, ParameterError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=2) from None
        except (RNotAvailableError, RError, StatpruneError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=1) from None
        except KeyboardInterrupt:  # Ctrl-C (also inside R, see statprune._r): the shell's 128 + SIGINT
            typer.echo("interrupted", err=True)
            raise typer.Exit(code=130) from None
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            _quiet_broken_pipe()
            raise typer.Exit(code=0) from None
        except OSError as exc:  # a path that cannot be read or written: the environment, not a bug
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=1) from None
        except Exception as exc:  # a bug, not bad input: say so in one line (the traceback on request)
            if os.environ.get("STATPRUNE_TRACEBACK"):
                raise
            typer.echo(f"error: unexpected {type(exc).__name__}: {exc}\n"
                       "this is a bug in statprune; please report it (STATPRUNE_TRACEBACK=1 shows the traceback)",
                       err=True)
            raise typer.Exit(code=1) from None

    if reads_table:
        extra = [
            inspect.Parameter("csv_sep", inspect.Parameter.KEYWORD_ONLY, annotation=Optional[str],
                              default=typer.Option(None, "--sep", help="CSV field separator (default ',', tab for .tsv; ';' for write.csv2 files).")),
            inspect.Parameter("csv_decimal", inspect.Parameter.KEYWORD_ONLY, annotation=Optional[str],
                              default=typer.Option(None, "--decimal", help="CSV decimal mark (default '.'; ',' for write.csv2 files).")),
        ]
        params = list(sig.parameters.values())
        wrapper.__signature__ = sig.replace(parameters=params + extra)  # type: ignore[attr-defined]
    return wrapper


def _show_warning(message: Any, category: Any, filename: str, lineno: int, file: Any = None, line: Any = None) -> None:
    typer.echo(f"warning: {message}", err=True)


def quiet_progress(json_dest: Optional[str]) -> bool:
    """Progress bars are off in ``--json`` mode and when stderr is not a terminal."""
    return json_dest is not None or not sys.stderr.isatty()


# --------------------------------------------------------------------------- doctor
@app.command()
def doctor(
    need_r: bool = typer.Option(False, "--need-r", help="Exit 1 unless the R-backed features work too."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """Check the installation: each feature works / needs R / needs an extra, with the install line; exit 1 when a core package is missing."""
    from ._doctor import run_doctor  # noqa: PLC0415 - deferred: it imports every optional package to check it

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
    model: str = typer.Option("rf", "--model", help="rf (random forest) | gbm (gradient boosting) | hgb (histogram GBM)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="Keep features with importance >= T."),
    top: Optional[int] = typer.Option(None, "--top", help="Keep the K most important features."),
    cumulative: Optional[float] = typer.Option(None, "--cumulative", help="Keep the fewest top features reaching this share of total importance."),
    seed: int = seed_opt("Seed of the split, the model and the shuffles."),
    trees: Optional[int] = typer.Option(None, "--trees", help="Trees / boosting iterations (rf 500, gbm/hgb 100)."),
    repeats: int = typer.Option(10, "--repeats", help="Shuffles per feature (permutation)."),
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
            n_repeats=repeats, test_size=test_size, n_shadow=rounds, alpha=alpha,
            categorical="encode" if encode_categoricals else "error", progress=not quiet_progress(json_out),
        )
    show(res, json_out)


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
    alpha: float = typer.Option(1.0, "--alpha", help="Elastic-net mixing (1 = Lasso)."),
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
    from .report import build_report  # noqa: PLC0415 - deferred: jinja2 and matplotlib, for this command only

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
@app.command()
@handle_errors
def lasso(
    data: str = typer.Argument(..., help="CSV or Parquet file; every column except target/fold/weights is a predictor."),
    target: str = target_opt("Target column ('time,status' for --family cox)."),
    family: str = typer.Option("gaussian", "--family", help="gaussian, binomial, poisson, multinomial, mgaussian, cox; quasipoisson, quasibinomial, Gamma, inverse.gaussian, negative.binomial (R family objects)."),
    alpha: float = typer.Option(1.0, "--alpha", help="Elastic-net mixing: 1 lasso, 0 ridge."),
    nfolds: int = typer.Option(10, "--nfolds", help="Number of CV folds."),
    fold_column: Optional[str] = fold_column_opt(),
    foldid_column: Optional[str] = deprecated_opt("--foldid-column"),
    seed: int = seed_opt("set.seed(SEED) in R right before cv.glmnet draws the folds."),
    type_measure: str = typer.Option("default", "--type-measure", help="default, mse, mae, deviance, class, auc, C."),
    s: str = typer.Option("lambda.min", "--s", help="lambda.min, lambda.1se or a number."),
    keep: list[str] = typer.Option([], "--keep", help="Always keep this column (penalty factor 0); repeatable."),
    exclude: list[str] = typer.Option([], "--exclude", help="Force this column out (glmnet's exclude); repeatable."),
    penalty_factor: list[str] = typer.Option([], "--penalty-factor", help="NAME=VALUE penalty factor; repeatable."),
    weights_column: Optional[str] = weights_column_opt(),
    nlambda: int = typer.Option(100, "--nlambda", help="Number of lambda values."),
    save_rds: Optional[str] = typer.Option(None, "--save-rds", help="Also write the cv.glmnet object for readRDS()."),
    engine: str = typer.Option("r", "--engine", help="r (cv.glmnet in R) | gram (fast exact engines without R: gaussian, binomial, poisson; anything else falls back to R)."),
    drop_missing: bool = typer.Option(False, "--drop-missing", help="Drop rows with NaN/inf instead of failing."),
    encode_categoricals: bool = typer.Option(False, "--encode-categoricals", help="Expand non-numeric columns into R's treatment dummies."),
    na_values: Optional[str] = typer.Option(None, "--na-values", help="Text read as missing, comma-separated (R's na.strings; default 'NA')."),
    relax: bool = typer.Option(False, "--relax", help="Relaxed lasso (R's relax = TRUE)."),
    gamma: Optional[str] = typer.Option(None, "--gamma", help="Relaxed gamma grid, comma-separated (R's cv.glmnet gamma; default 0,0.25,0.5,0.75,1)."),
    s_gamma: Optional[str] = typer.Option(None, "--s-gamma", help="Relaxed fits: gamma.min, gamma.1se or a number (R's coef(fit, s, gamma = ))."),
    type_multinomial: str = typer.Option("ungrouped", "--type-multinomial", help="ungrouped or grouped (multinomial)."),
    lower_limits: Optional[str] = typer.Option(None, "--lower-limits", help="Lower coefficient bound: one number, or one per predictor, comma-separated."),
    upper_limits: Optional[str] = typer.Option(None, "--upper-limits", help="Upper coefficient bound: one number, or one per predictor, comma-separated."),
    no_standardize: bool = typer.Option(False, "--no-standardize", help="R's standardize = FALSE."),
    no_intercept: bool = typer.Option(False, "--no-intercept", help="R's intercept = FALSE."),
    lambda_seq: Optional[str] = typer.Option(None, "--lambda", help="User lambda sequence, comma-separated (R's lambda)."),
    lambda_min_ratio: Optional[float] = typer.Option(None, "--lambda-min-ratio", help="R's lambda.min.ratio."),
    offset_column: Optional[str] = typer.Option(None, "--offset-column", help="Column of offsets (R's offset)."),
    thresh: float = typer.Option(1e-7, "--thresh", help="Convergence threshold (R's thresh)."),
    maxit: int = typer.Option(100000, "--maxit", help="Maximum passes (R's maxit)."),
    link: Optional[str] = typer.Option(None, "--link", help="Fit R's family object with this link, e.g. --family binomial --link probit."),
    theta: Optional[float] = typer.Option(None, "--theta", help="theta of --family negative.binomial (MASS::negative.binomial(theta))."),
    strata_column: Optional[str] = typer.Option(None, "--strata-column", help="Cox strata column (R's stratifySurv)."),
    no_grouped: bool = typer.Option(False, "--no-grouped", help="R's grouped = FALSE."),
    keep_preval: bool = typer.Option(False, "--keep-preval", help="R's keep = TRUE: keep the prevalidated fits."),
    alignment: str = typer.Option("lambda", "--alignment", help="lambda or fraction (R's alignment)."),
    dfmax: Optional[int] = typer.Option(None, "--dfmax", help="R's dfmax."),
    pmax: Optional[int] = typer.Option(None, "--pmax", help="R's pmax."),
    type_logistic: str = typer.Option("Newton", "--type-logistic", help="Newton or modified.Newton (R's type.logistic)."),
    standardize_response: bool = typer.Option(False, "--standardize-response", help="R's standardize.response (mgaussian)."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """Cross-validated Lasso / elastic net with R's glmnet (same numbers as cv.glmnet in R)."""
    _PE = ParameterError
    foldid_column = renamed(fold_column, foldid_column, "--foldid-column", "--fold-column")

    pf: dict[str, float] = {}
    for item in penalty_factor:
        name, sep, val = item.partition("=")
        try:
            pf[name] = float(val)
        except ValueError:
            raise _PE(f"--penalty-factor {item!r}: use NAME=VALUE, e.g. --penalty-factor lstat=0") from None
        if not sep:
            raise _PE(f"--penalty-factor {item!r}: use NAME=VALUE")
    if engine not in ("r", "gram"):
        raise _PE(f"--engine {engine!r}: use r or gram")
    extra: dict[str, Any] = {"relax": relax, "type_multinomial": type_multinomial, "standardize": not no_standardize,
                             "fit_intercept": not no_intercept, "lambda_min_ratio": lambda_min_ratio, "thresh": thresh,
                             "maxit": maxit, "link": link, "theta": theta, "grouped": not no_grouped,
                             "keep_preval": keep_preval, "alignment": alignment, "dfmax": dfmax, "pmax": pmax,
                             "type_logistic": type_logistic, "standardize_response": standardize_response}
    for opt, key, val in (("--gamma", "gamma", gamma), ("--lower-limits", "lower_limits", lower_limits),
                          ("--upper-limits", "upper_limits", upper_limits), ("--lambda", "lambda_", lambda_seq)):
        if val is not None:
            extra[key] = _numbers(opt, val)
    if s_gamma is not None:
        extra["s_gamma"] = s_gamma if s_gamma in ("gamma.min", "gamma.1se") else _numbers("--s-gamma", s_gamma)[0]
    res = workflows.lasso(data, target, family=family, alpha=alpha, nfolds=nfolds, foldid_column=foldid_column,
                          weights_column=weights_column, seed=seed, type_measure=type_measure, s=s, keep=keep,
                          exclude=exclude, penalty_factor=pf or None, nlambda=nlambda,
                          drop_missing=drop_missing, engine=engine,
                          categorical="encode" if encode_categoricals else "error", na_values=na_values,
                          offset_column=offset_column, strata_column=strata_column,
                          progress=not quiet_progress(json_out), **extra)
    if save_rds:
        res.save_rds(save_rds)
        typer.echo(f"wrote {save_rds}", err=True)
    show(res, json_out, n_rows=None if res.foldid is None else len(res.foldid))
    if json_out is None:
        typer.echo("")
        typer.echo(frame_text(res.to_frame()))


def _numbers(opt: str, text: str) -> list[float]:
    """A comma-separated list of numbers from the command line (exit 2 naming the option otherwise)."""
    try:
        vals = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise ParameterError(f"{opt} {text!r}: give numbers separated by commas, e.g. {opt} 1,0.5,0.1") from None
    if not vals:
        raise ParameterError(f"{opt} {text!r}: give at least one number")
    return vals


# --- demo (issue 4)
@app.command()
@handle_errors
def demo(
    seed: int = seed_opt("R's set.seed() before cv.glmnet draws the folds."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """Cross-validated Lasso on the bundled Boston data, with the equivalent R code."""
    if json_out is not None:  # the demo's fit as `statprune lasso boston.csv -y medv --json` gives it
        res = workflows.demo(seed)
        out = core_json(res.to_dict(), n_rows=len(res.foldid))
        out["r_code"] = res.r_code(data="boston.csv", target="medv")
        emit_json(out, json_out)
        return
    echo(workflows.demo_text(seed))


# --- validate (issue 9)
@app.command()
@handle_errors
def validate(
    data: str = typer.Argument(..., help="CSV or Parquet file."),
    target: str = target_opt("Target column; every other column is a predictor."),
    family: str = typer.Option("gaussian", "--family", help="gaussian | binomial | multinomial | poisson"),
    alpha: float = typer.Option(1.0, "--alpha", help="Elastic-net mixing (1 = Lasso)."),
    seed: int = seed_opt("R's set.seed() before cv.glmnet draws the folds."),
    fold_column: Optional[str] = fold_column_opt(),
    foldid_column: Optional[str] = deprecated_opt("--foldid-column"),
    nfolds: int = typer.Option(10, "--nfolds", help="Number of folds when no fold-id column is given."),
    exclude: list[str] = typer.Option([], "--exclude", help="Columns that are not predictors."),
    drop_missing: bool = typer.Option(False, "--drop-missing", help="Drop rows with NaN/inf instead of failing."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """The same model in R (glmnet) and certified reference solvers (scikit-learn, glum, skglm, scipy), fit, path and CV:
    verdict per row agree / disagree / not converged (docs/crosscheck.md); exit 1 only when a row disagrees."""
    foldid_column = renamed(fold_column, foldid_column, "--foldid-column", "--fold-column")
    rep = workflows.validate(data, target, family=family, alpha=alpha, seed=seed, foldid_column=foldid_column,
                             nfolds=nfolds, exclude=exclude, drop_missing=drop_missing,
                             progress=not quiet_progress(json_out))
    if json_out is not None:
        show(rep, json_out)
    else:
        missing = getattr(rep, "missing", None) or {}  # the line every command prints (issue 13)
        echo(_validate_text(rep) + (f"\n{workflows.missing_line(missing)}" if missing else ""))
    raise typer.Exit(code=0 if rep.ok else 1)


def _validate_text(rep: Any) -> str:
    """The cross-check as ``statprune validate`` prints it: what was checked, the verdict rows and the
    certificates as tables wrapped to the terminal, then the verdict counts and the notes.

    The cells come from :func:`statprune.crosscheck.verdict_rows` (the report's rows), rendered directly.
    """
    from .crosscheck import verdict_rows  # noqa: PLC0415 - deferred with the cross-check

    def num(v: Any, digits: int) -> str:
        return "nan" if not isinstance(v, (int, float)) or not math.isfinite(v) else f"{float(v):.{digits}g}"

    body = [[str(r["quantity"]), str(r["term"]), r["engine"], num(r["value_a"], 6), num(r["value_b"], 6),
             num(r["rel_diff"], 2), "info" if num(r["tolerance"], 1) == "nan" else f"{r['tolerance']:.0e}",
             num(r["objective_gap"], 2), num(r["kkt_violation"], 2),
             "DISAGREE (FAIL)" if r["verdict"] == "disagree" else r["verdict"]] for r in verdict_rows(rep)]
    head = ["quantity", "term", "engines", "value_a", "value_b", "rel_diff", "tol", "obj_gap", "kkt", "verdict"]
    lines = rep.summary().splitlines()
    parts = [lines[0]]
    natural = [max([len(h)] + [len(b[i]) for b in body]) for i, h in enumerate(head)]
    if not fits(natural, terminal_width()):  # a narrow terminal: the per-row gap and KKT columns go
        body = [b[:7] + b[9:] for b in body]
        head = head[:7] + head[9:]
        parts.append("(obj_gap and kkt of each row: in --json or a wider terminal)")
    parts.append(table_text(head, body))
    if rep.certificates:
        certs = [[str(c["stage"]), str(c["at"]), str(c["engine"]), num(c["objective"], 12), num(c["objective_gap"], 2),
                  num(c["kkt_violation"], 2), num(c["intercept_score"], 2), num(c["own_kkt_violation"], 2),
                  str(c["status"])] for c in rep.certificates]
        parts += ["", "Certificates (glmnet's objective; KKT violations as fractions of lambda):",
                  table_text(["stage", "at", "engine", "objective", "gap", "kkt", "intercept", "own_kkt", "status"],
                             certs)]
    footer = lines[len(lines) - 1 - lines[::-1].index(""):] if "" in lines else []
    return "\n".join([*parts, *footer])


# --- compare (issue 7)
@app.command()
@handle_errors
def compare(
    data: str = typer.Argument(..., help="CSV or Parquet file."),
    target: str = target_opt("Numeric target (OLS refit) or two-class target (logistic refit)."),
    seed: int = seed_opt("Seeds the split, R's set.seed before cv.glmnet, the forest."),
    test_size: float = typer.Option(0.25, "--test-size", help="Held-out share."),
    method: list[str] = method_opt(("lasso", "stepwise", "importance", "pca", "subsets", "vif", "selective", "knockoff")),
    trees: Optional[int] = typer.Option(None, "--trees", help="Trees of the importance forest (default 500)."),
    exclude: list[str] = typer.Option([], "--exclude", help="Column to leave out (repeatable)."),
    drop_missing: bool = typer.Option(False, "--drop-missing", help="Drop rows with NaN/inf instead of failing."),
    encode_categoricals: bool = typer.Option(False, "--encode-categoricals", help="Expand non-numeric columns into R's treatment dummies."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """Lasso, stepwise, tree importance and PCA on one seeded split: kept features side by side, held-out error."""
    res = workflows.compare(data, target, seed=seed, test_size=test_size, exclude=exclude,
                            methods=split_methods(method), importance_params={"n_estimators": trees} if trees else None,
                            drop_missing=drop_missing, categorical="encode" if encode_categoricals else "error",
                            progress=not quiet_progress(json_out))
    show(res, json_out)


# --- lasso-ooc (issue 6)
@app.command("lasso-ooc")
@handle_errors
def lasso_ooc(
    data: str = typer.Argument(..., help="Parquet/CSV file, directory or glob (quote it), e.g. 'data/*.parquet'."),
    target: str = typer.Option(..., "--target", "-y", help="Target column."),
    exclude: list[str] = typer.Option([], "--exclude", help="Columns that are not predictors."),
    weights_column: Optional[str] = weights_column_opt(),
    weights_old: Optional[str] = deprecated_opt("--weights"),
    fold_column: Optional[str] = fold_column_opt(),
    nfolds: int = typer.Option(10, "--nfolds", help="Number of CV folds K."),
    seed: int = seed_opt("Seed of the row-number fold assignment."),
    alpha: float = typer.Option(1.0, "--alpha", help="Elastic-net mixing (1 = Lasso)."),
    s: str = typer.Option("lambda.min", "--s", help="lambda.min | lambda.1se | a number."),
    scheduler: str = typer.Option("threads", "--scheduler", help="Local Dask scheduler: threads | processes | synchronous."),
    address: Optional[str] = typer.Option(None, "--address", help="Address of a Dask distributed scheduler (tcp://host:8786)."),
    blocksize: Optional[str] = typer.Option(None, "--blocksize", help="CSV bytes per partition (e.g. 64MB)."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """Gaussian cv.glmnet on data larger than memory (Dask partitions -> Gram statistics -> glmnet path)."""
    weights = renamed(weights_column, weights_old, "--weights", "--weights-column")
    try:
        s_val: Any = s if s in ("lambda.min", "lambda.1se") else float(s)
    except ValueError:
        raise ParameterError(f"--s {s!r}: use lambda.min, lambda.1se or a number") from None
    if address is None and scheduler not in ("threads", "processes", "synchronous"):
        raise ParameterError(f"--scheduler {scheduler!r}: use threads, processes or synchronous")
    res = workflows.lasso_ooc(data, target, exclude=exclude, weights=weights, fold_column=fold_column, nfolds=nfolds,
                              seed=seed, alpha=alpha, s=s_val, scheduler=scheduler, address=address,
                              blocksize=blocksize, progress=not quiet_progress(json_out))
    if json_out is not None:
        emit_json(core_json(res.to_dict(), n_rows=res.n_rows), json_out)
    else:
        echo(res.summary())


# --- stepwise (issue 5; issue 13: weights, offsets, links, glm.nb, --start, drop1/add1)
_FAMILY_HELP = ("gaussian (lm), binomial, poisson, Gamma, inverse.gaussian (glm), glm.nb (MASS::glm.nb), "
                "negative.binomial(theta = 2); a link as R writes it: 'binomial(link = \"probit\")' or --link.")
_COLLATION_HELP = "Order of text factor levels: C (code points, R under LC_COLLATE=C) or locale (R in an English locale)."


@app.command()
@handle_errors
def stepwise(
    data: str = typer.Argument(..., help="CSV or Parquet file."),
    formula: Optional[str] = typer.Option(None, "--formula", help="R formula, e.g. 'Fertility ~ .' or 'cbind(s, f) ~ x + offset(log(n))'."),
    target: Optional[str] = target_opt("Target column: the formula 'TARGET ~ .' (when --formula is not given).", None),
    family: str = typer.Option("gaussian", "--family", help=_FAMILY_HELP),
    link: Optional[str] = typer.Option(None, "--link", help="Link of the family (probit, cloglog, log, identity, sqrt, inverse, 1/mu^2...)."),
    direction: Optional[str] = typer.Option(None, "--direction", help="both (step()'s default; without --upper/--start nothing is added), backward or forward."),
    criterion: str = typer.Option("aic", "--criterion", help="aic, bic, pvalue, adjusted, vif, stdcoef."),
    k: Optional[float] = typer.Option(None, "--k", help="Penalty per parameter (default 2; log(n) for bic)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="p-value level (0.05), VIF (10), std. coef (0.1)."),
    test: Optional[str] = typer.Option(None, "--test", help="F, Chisq (LRT), Rao or Wald for the p-value rules."),
    keep: list[str] = typer.Option([], "--keep", help="Term forced into the model (R's scope lower); repeatable."),
    lower: Optional[str] = typer.Option(None, "--lower", help="Lower scope formula, e.g. '~ Education'."),
    upper: Optional[str] = typer.Option(None, "--upper", help="Upper scope formula, e.g. '~ .^2'."),
    start: Optional[str] = typer.Option(None, "--start", help="Starting model's right side, e.g. '~ 1': step(lm(y ~ 1), scope = <formula>)."),
    steps: Optional[int] = typer.Option(None, "--steps", help="Maximum number of steps (R's steps)."),
    adjust: str = typer.Option("holm", "--adjust", help="multipletests method for --criterion adjusted."),
    weights_column: Optional[str] = typer.Option(None, "--weights-column", help="Column of prior weights (R's weights =)."),
    offset_column: Optional[str] = typer.Option(None, "--offset-column", help="Column added to the linear predictor (R's offset =)."),
    collation: str = typer.Option("C", "--collation", help=_COLLATION_HELP),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """Stepwise selection with R's step()/drop1() semantics (same path, AIC and final model as R)."""
    if formula is None and target is None:
        raise ParameterError("give --formula (e.g. 'Fertility ~ .') or -y/--target (for 'TARGET ~ .')")
    if formula is None:
        formula = f"`{target}` ~ ."
    elif target is not None and formula.partition("~")[0].strip().strip("`") != target:
        raise ParameterError(f"--target {target!r} is not the response of --formula {formula!r}; give one of them")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = workflows.stepwise(data, formula, family=family, direction=direction, criterion=criterion, k=k,
                        threshold=threshold, test=test, keep=keep or None, scope_lower=lower, scope_upper=upper,
                        max_steps=steps, adjust=adjust, start=start, link=link, weights=weights_column,
                        offset=offset_column, collation=collation)
    for w in caught:  # R's warnings (e.g. glm.fit's perfect separation) go to stderr
        typer.echo(f"warning: {w.message}", err=True)
    show(res, json_out)


# --- best subsets and VIF (issue 17)
@app.command()
@handle_errors
def subsets(
    data: str = typer.Argument(..., help="CSV or Parquet file."),
    target: str = typer.Option(..., "--target", "-y", help="Numeric target column; every other column is a predictor."),
    search: Optional[str] = typer.Option(None, "--search", help="exhaustive (the default) | forward | backward | seqrep: leaps' method=."),
    method_old: Optional[str] = deprecated_opt("--method"),
    nvmax: int = typer.Option(8, "--nvmax", help="Largest subset size (leaps' nvmax)."),
    force_in: list[str] = typer.Option([], "--force-in", help="Column in every model; repeatable."),
    force_out: list[str] = typer.Option([], "--force-out", help="Column in no model; repeatable."),
    exclude: list[str] = typer.Option([], "--exclude", help="Columns that are not predictors; repeatable."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """Best subset selection as R's leaps::regsubsets: criteria per size and the subsets chosen by BIC, Cp, adjusted R^2."""
    method = renamed(search, method_old, "--method", "--search") or "exhaustive"
    show(workflows.subsets(data, target, method=method, nvmax=nvmax, force_in=force_in, force_out=force_out,
                    exclude=exclude), json_out)


@app.command()
@handle_errors
def vif(
    data: str = typer.Argument(..., help="CSV or Parquet file."),
    formula: str = typer.Option(..., "--formula", help="R formula of the linear model, e.g. 'medv ~ .'."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="Prune: drop the largest GVIF^(1/Df) above this, repeat."),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """(Generalized) variance inflation factors as R's car::vif, with optional VIF pruning."""
    show(workflows.vif(data, formula, threshold=threshold), json_out)


def _single_term_table(tab: Any, json_out: Optional[str]) -> None:
    """Print a drop1/add1 table as R does (heading, model, table), or write it as JSON.

    Its ``attrs`` hold R's heading, the model, family, n and the missing-cell counts (``missing``).
    """
    attrs = dict(tab.attrs)
    missing = attrs.pop("missing", None) or {}
    if json_out is not None:
        rows = []
        for name, row in tab.iterrows():
            rec: dict[str, Any] = {"term": name}
            for col, v in row.items():
                f = float(v)
                rec[col] = None if not math.isfinite(f) else f
            rows.append(rec)
        emit_json({**{k: v for k, v in attrs.items()}, "columns": list(tab.columns), "rows": rows,
                   "missing": missing}, json_out)
        return
    typer.echo(attrs.get("heading", ""))
    typer.echo("")
    typer.echo(f"Model:\n{attrs.get('model', '')}")
    extra = f", theta = {attrs['theta']:.6g}" if attrs.get("theta") is not None else ""
    typer.echo(f"family: {attrs.get('family')}, n = {attrs.get('n')}{extra}, factor levels: collation {attrs.get('collation')!r}")
    typer.echo(anova_text(tab))
    if missing:
        typer.echo(workflows.missing_line(missing))


@app.command("drop1")
@handle_errors
def drop1_cmd(
    data: str = typer.Argument(..., help="CSV or Parquet file."),
    formula: str = typer.Option(..., "--formula", help="R formula of the fitted model, e.g. 'counts ~ outcome + treatment'."),
    family: str = typer.Option("gaussian", "--family", help=_FAMILY_HELP),
    link: Optional[str] = typer.Option(None, "--link", help="Link of the family."),
    test: Optional[str] = typer.Option(None, "--test", help="none (default), F, Chisq (LRT), Rao (glm) or Wald."),
    k: float = typer.Option(2.0, "--k", help="Penalty per parameter of the AIC column."),
    scope: Optional[str] = typer.Option(None, "--scope", help="Terms to drop, e.g. '~ outcome' (default: drop.scope)."),
    weights_column: Optional[str] = typer.Option(None, "--weights-column", help="Column of prior weights."),
    offset_column: Optional[str] = typer.Option(None, "--offset-column", help="Offset column."),
    collation: str = typer.Option("C", "--collation", help=_COLLATION_HELP),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """R's drop1(fit, test = ...): the single-term deletions table of an lm/glm/glm.nb."""
    tab = workflows.drop1(data, formula, family=family, test=None if test == "none" else test, k=k, scope=scope, link=link,
                 weights=weights_column, offset=offset_column, collation=collation)
    _single_term_table(tab, json_out)


@app.command("add1")
@handle_errors
def add1_cmd(
    data: str = typer.Argument(..., help="CSV or Parquet file."),
    formula: str = typer.Option(..., "--formula", help="R formula of the fitted model."),
    scope: str = typer.Option(..., "--scope", help="Terms that may be added, e.g. '~ . + x3' or '~ outcome * treatment'."),
    family: str = typer.Option("gaussian", "--family", help=_FAMILY_HELP),
    link: Optional[str] = typer.Option(None, "--link", help="Link of the family."),
    test: Optional[str] = typer.Option(None, "--test", help="none (default), F, Chisq (LRT) or Rao (glm)."),
    k: float = typer.Option(2.0, "--k", help="Penalty per parameter of the AIC column."),
    weights_column: Optional[str] = typer.Option(None, "--weights-column", help="Column of prior weights."),
    offset_column: Optional[str] = typer.Option(None, "--offset-column", help="Offset column."),
    collation: str = typer.Option("C", "--collation", help=_COLLATION_HELP),
    json_out: Optional[str] = JsonOpt,
) -> None:
    """R's add1(fit, scope, test = ...): the single-term additions table of an lm/glm/glm.nb."""
    tab = workflows.add1(data, formula, scope, family=family, test=None if test == "none" else test, k=k, link=link,
                weights=weights_column, offset=offset_column, collation=collation)
    _single_term_table(tab, json_out)


# --- the order of `statprune --help` (commands register in file order; list them as a user meets them)
_HELP_ORDER = ["demo", "doctor", "lasso", "lasso-ooc", "stepwise", "drop1", "add1", "importance", "pca", "prune-nn", "stability", "subsets", "vif",
               "compare", "validate", "report"]


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
    nfolds: int = typer.Option(10, "--nfolds", help="CV folds of the coefdiff statistic."),
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


def _help_rank(info: Any) -> int:
    name = info.name or info.callback.__name__.replace("_", "-")
    return _HELP_ORDER.index(name) if name in _HELP_ORDER else len(_HELP_ORDER)


app.registered_commands.sort(key=_help_rank)  # stable: a command not listed keeps its place at the end


def main() -> None:  # console-script entry point
    try:
        app()
    except BrokenPipeError:  # raised outside a command (help text, --version) or at the final flush
        _quiet_broken_pipe()
        sys.exit(0)


if __name__ == "__main__":  # pragma: no cover
    main()
