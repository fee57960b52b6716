"""The CLI's shared vocabulary: the typer app, the common options, JSON/table output, error handling."""

from __future__ import annotations

import inspect
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Annotated, Any, Optional

import typer

from .. import __version__
from .._json import dumps, write_atomic
from .._text import wrap_prose
from ..errors import DataError, ParameterError, RError, RNotAvailableError, StatpruneError


class _DeferredWorkflows:
    """:mod:`statprune.workflows`, imported on first use (a command's body, the root callback).

    workflows imports pandas (with pyarrow, about 1 s), which ``statprune --help`` and
    ``--version`` do not need; every command that reads a table imports it when it runs.
    """

    def __getattr__(self, name: str) -> Any:
        from .. import workflows as module

        return getattr(module, name)


workflows = _DeferredWorkflows()


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
#: the table a command reads (``data: DataArg``)
DataArg = Annotated[str, typer.Argument(help="CSV or Parquet file.")]


def target_opt(help: str = "Target column.", default: Any = ...) -> Any:  # noqa: A002 - typer's word
    """``-y/--target``: the response column (every command that reads a table)."""
    return typer.Option(default, "--target", "-y", help=help)


def seed_opt(help: str = "Seed of the random steps.") -> Any:  # noqa: A002
    """``--seed`` with the one default :data:`SEED`."""
    return typer.Option(SEED, "--seed", help=f"{help} The same default for every command.")


#: glmnet's ``alpha`` and ``nfolds`` defaults as the CLI shows them: copies of
#: ``statprune._glmnet.params.DEFAULTS`` (the CLI imports no method at start-up), written only here;
#: tests/test_architecture.py checks that they equal DEFAULTS
GLMNET_ALPHA, GLMNET_NFOLDS = 1.0, 10


def alpha_opt(help: str = "Elastic-net mixing (1 = Lasso).") -> Any:  # noqa: A002
    """``--alpha`` with glmnet's default."""
    return typer.Option(GLMNET_ALPHA, "--alpha", help=help)


def nfolds_opt(help: str = "Number of CV folds.") -> Any:  # noqa: A002
    """``--nfolds`` with cv.glmnet's default."""
    return typer.Option(GLMNET_NFOLDS, "--nfolds", help=help)


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
    sig = inspect.signature(fn, eval_str=True)  # typer reads the wrapper's signature: Annotated options resolved
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
