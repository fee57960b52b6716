"""The report document: session info, rendering (jinja2 templates) and :func:`build_report`."""

from __future__ import annotations

import datetime as _dt
import os
import platform
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import workflows
from .._data import write_atomic
from .._json import dumps
from .._progress import progress as progress_bar
from .._provenance import provenance
from ..errors import DataError, ParameterError, RNotAvailableError
from ._document import EXTRA_METHODS, METHODS, Plot, Section, Table, _cell, _sha256, data_summary
from ._sections import _R_FIX, _RUNNERS, _TITLES, _crosscheck, _family_for


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
    cpu_timings: dict[str, float] = field(default_factory=dict)  # section -> CPU seconds of this process (R and threads included)

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
    import jinja2  # noqa: PLC0415 - deferred: jinja2 only when a report is rendered

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).resolve().parent.parent / "templates")),
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
    return (Path(__file__).resolve().parent.parent / "templates" / "report.css").read_text(encoding="utf-8")


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
    cpu_timings: dict[str, float] = {}
    ctx["skipped"] = skipped
    ctx["progress"] = progress
    with_r = any(m in methods for m in ("lasso", "stepwise", "selective", "knockoff"))
    with progress_bar(total=len(steps), desc="statprune report", disable=not progress, unit="section") as bar:
        for step in steps:
            bar.set_postfix_str(step)
            t0, c0 = time.perf_counter(), time.process_time()
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
            cpu_timings[step] = time.process_time() - c0
            bar.update(1)
    sess["family"] = fam
    sess["methods"] = methods
    generated = None
    if timestamp:

        generated = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    name = summary["file"] or "data frame"
    return Report(title or f"statprune report: {target} ~ . ({name})", summary, sections, cc, sess, generated,
                  ctx.get("crosscheck_note"), skipped, timings, cpu_timings)
