"""``statprune report``: content, R parity of the numbers it shows, determinism, formats, CLI, and a real browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import IN_CI, assert_allclose, child_env, load_expected

from statprune.datasets import path as dataset_path
from statprune.errors import DataError, ParameterError
from statprune.report import build_report

BOSTON = dataset_path("boston")
FULL_METHODS = "lasso,stepwise,importance,pca"
VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def boston_report(r):
    """The full report on Boston (every method), built once."""
    return build_report(BOSTON, "medv", methods=FULL_METHODS, seed=42, timestamp=False)


@pytest.fixture(scope="module")
def boston_html(boston_report, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "boston.html"
    boston_report.write(out)
    return out


# --------------------------------------------------------------------------- content and R parity
def test_report_sections_and_numbers_match_r(boston_report):
    rep = boston_report
    assert [s.key for s in rep.sections] == FULL_METHODS.split(",")
    assert rep.data["rows"] == 506 and rep.data["columns"] == 14 and rep.data["missing_values"] == 0
    lasso = rep.sections[0]
    ref = load_expected("plot_boston_gaussian.json")  # set.seed(42); cv.glmnet(x, medv) in plain R
    assert_allclose(lasso.details["lambda"], ref["lambda"], rtol=1e-10)
    assert_allclose(lasso.details["cvm"], ref["cvm"], rtol=1e-8)
    assert_allclose(lasso.details["lambda_min"], ref["lambda_min"], rtol=1e-10)
    assert_allclose(lasso.details["lambda_1se"], ref["lambda_1se"], rtol=1e-10)
    # the plots embedded are SVG data URIs; the CV table shows R's printed numbers
    assert len(lasso.plots) == 2 and all(p.data_uri.startswith("data:image/svg+xml;base64,") for p in lasso.plots)
    cvtab = lasso.tables[0]
    assert cvtab.records[0]["lambda"] == pytest.approx(ref["lambda_min"], rel=1e-12)
    assert set(lasso.selected) | set(lasso.pruned) == set(ref["feature_names"])
    # session info: versions, seed, SHA-256 of the data file
    s = rep.session
    assert s["seed"] == 42 and ref["r_version"].startswith("R version " + s["r_version"]) and s["glmnet_version"] == ref["glmnet_version"]
    import hashlib

    assert s["data_sha256"] == hashlib.sha256(Path(BOSTON).read_bytes()).hexdigest()


def test_stepwise_trace_and_crosscheck_are_in_the_report(boston_report):
    step = next(s for s in boston_report.sections if s.key == "stepwise")
    trace = step.tables[0]
    assert "trace" in trace.caption and trace.columns == ["Step", "Df", "Deviance", "Resid. Df", "Resid. Dev", "AIC"]
    # R: step(lm(medv ~ ., Boston)) drops age then indus; final AIC 1585.760592
    assert [r["Step"] for r in trace.records] == ["", "- age", "- indus"]
    assert trace.records[-1]["AIC"] == pytest.approx(1585.760592, abs=1e-6)
    assert step.pruned == ["indus", "age"]
    cc = boston_report.crosscheck
    assert cc is not None and cc.classes and set(cc.classes) <= {"pass", "fail"}
    assert "fail" not in cc.classes, cc.rows


def test_html_is_self_contained(boston_html):
    text = boston_html.read_text()
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), "the report must not load anything"
    assert "url(http" not in text and "<script" not in text
    assert text.count('<img src="data:image/svg+xml;base64,') >= 3
    for needle in ("Session info", "lambda.min", "Kept (", "Pruned (", "SHA-256"):
        assert needle in text


def test_rendering_is_deterministic_and_timestamp_optional(tmp_path):
    kw = dict(methods="pca", crosscheck=False)
    a = build_report(dataset_path("swiss"), "Fertility", timestamp=False, **kw).render("html")
    b = build_report(dataset_path("swiss"), "Fertility", timestamp=False, **kw).render("html")
    assert a == b
    c = build_report(dataset_path("swiss"), "Fertility", timestamp=True, **kw)
    assert c.generated and c.generated in c.render("html") and "generated" not in a
    # the plots carry no date and a fixed hash salt
    assert "<dc:date>" not in a


def test_markdown_and_json(tmp_path):
    rep = build_report(dataset_path("swiss"), "Fertility", methods=["pca"], timestamp=False)
    md = rep.render("md")
    assert md.startswith("# statprune report") and "| column | role |" in md
    assert "data:image" not in md and "*Figure: Scree plot" in md  # no base64 lines in Markdown
    rep.write(tmp_path / "r.md")
    written = (tmp_path / "r.md").read_text()
    assert "![Scree plot](r_files/pca-1.svg)" in written
    assert (tmp_path / "r_files" / "pca-1.svg").read_text().lstrip().startswith("<?xml")
    assert max(len(line) for line in written.splitlines()) < 2000
    js = json.loads(rep.render("json"))
    assert js["data"]["rows"] == 47 and js["methods"]["pca"]["selected"] == rep.sections[0].selected
    assert js["session"]["data_sha256"] == rep.session["data_sha256"]
    rep.write(tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text()) == js
    with pytest.raises(ParameterError, match="format"):
        rep.render("pdf")


def test_data_summary_counts_missing_and_constant(tmp_path):
    df = pd.read_csv(dataset_path("swiss"))
    df["flat"] = 3.0
    df.loc[[0, 5], "Education"] = np.nan
    p = tmp_path / "swiss_na.csv"
    df.to_csv(p, index=False)
    with pytest.raises(DataError, match="Education"):
        build_report(p, "Fertility", methods=["pca"])
    rep = build_report(p, "Fertility", methods=["pca"], drop_missing=True, timestamp=False)
    assert rep.data["missing_values"] == 2 and rep.data["rows_with_missing"] == 2 and rep.data["rows_used"] == 45
    assert rep.data["constant_columns"] == ["flat"]
    assert "flat" in rep.sections[0].pruned
    assert "constant columns: flat" in rep.render("html")


def test_inference_binomial_event_is_rs_second_level():
    # the selective/knockoff sections' 0/1 target: the event is R's second factor level of the target as
    # given (numeric labels {2, 10} -> 10, as GlmnetCV and R's factor(); sorting the labels as text took 2)
    from statprune._data import prepare_xy
    from statprune.report import _inference_xy

    rng = np.random.default_rng(3)
    df = pd.DataFrame({"a": rng.normal(size=12), "b": rng.normal(size=12), "y": [2, 10, 10, 2] * 3})
    for labels, event in (([2, 10], 10), (["no", "yes"], "yes"), ([False, True], True)):
        d = df.assign(y=[labels[v == 10] for v in df["y"]])
        prep = prepare_xy(d, "y", categorical="encode", constant="keep")
        _, y01 = _inference_xy({"family": "binomial", "prepared": prep})
        np.testing.assert_array_equal(y01, (d["y"] == event).to_numpy(float), err_msg=str(labels))


def test_bad_arguments():
    with pytest.raises(ParameterError, match="unknown method"):
        build_report(BOSTON, "medv", methods="lasso,ridge")
    with pytest.raises(DataError, match="target column 'nope' not found"):
        build_report(BOSTON, "nope", methods="pca")


# --------------------------------------------------------------------------- CLI
def test_cli_report_same_bytes_across_processes(r, tmp_path, boston_report):
    from typer.testing import CliRunner

    from statprune.cli import app

    out = tmp_path / "rep.html"
    args = ["report", BOSTON, "--target", "medv", "--method", "lasso,pca", "--seed", "42", "--no-timestamp",
            "--no-crosscheck", "--out", str(out)]
    proc = subprocess.run([str(VENV_BIN / "statprune"), *args], capture_output=True, text=True, timeout=300,
                          env=child_env())
    assert proc.returncode == 0, proc.stderr
    first = out.read_bytes()
    assert not list(tmp_path.glob(".*.tmp")), "atomic write leaves no temporary file"
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    second = out.read_bytes()
    if second != first:
        i = next(k for k in range(min(len(first), len(second))) if first[k] != second[k])
        pytest.fail(f"same inputs must give the same bytes in a new process; first difference at {i}:\n"
                    f"{first[i - 300:i + 100]!r}\n{second[i - 300:i + 100]!r}")
    assert b"statprune report " + str(BOSTON).encode() in first  # the command line is recorded


def test_cli_report_bad_input_exit_2(tmp_path):
    from typer.testing import CliRunner

    from statprune.cli import app

    res = CliRunner().invoke(app, ["report", BOSTON, "--target", "medv", "--method", "ridge", "--out",
                                   str(tmp_path / "x.html")])
    assert res.exit_code == 2 and "unknown method" in res.output
    res = CliRunner().invoke(app, ["report", BOSTON, "--target", "medv", "--format", "pdf", "--out", "-"])
    assert res.exit_code == 2
    res = CliRunner().invoke(app, ["report", BOSTON, "--target", "medv", "--method", "pca", "--format", "json",
                                   "--no-timestamp", "--out", "-"])
    assert res.exit_code == 0 and json.loads(res.stdout)["data"]["rows"] == 506


# --------------------------------------------------------------------------- browser
def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if exe is None:
        if IN_CI:
            pytest.fail("headless Chromium is required under CI=true (scripts/setup.sh test installs 'chromium')")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return exe


def _run_chromium(exe: str, url: str, tmp: Path, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp / f"profile{len(list(tmp.glob('profile*')))}"
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *extra, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=child_env())


def _console_messages(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ":CONSOLE" in ln]


_PROBE = """<script>
window.addEventListener("load", function () {
  var imgs = Array.from(document.images);
  var ok = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
  document.body.setAttribute("data-images", ok + "/" + imgs.length);
});
</script></body>"""


@pytest.mark.browser
def test_report_in_headless_chromium(boston_html, tmp_path):
    exe = _chromium()
    # the console check can fail: a page that logs an error is caught
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><p>x</p><script>console.error('boom')</script></body></html>")
    assert any("boom" in m for m in _console_messages(_run_chromium(exe, bad.as_uri(), tmp_path, "--dump-dom").stderr))

    shot = tmp_path / "shot.png"
    proc = _run_chromium(exe, boston_html.as_uri(), tmp_path, f"--screenshot={shot}", "--window-size=1280,4000")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert _console_messages(proc.stderr) == []
    import matplotlib.image as mpimg

    px = mpimg.imread(shot)
    assert px.shape[0] == 4000 and px.shape[1] == 1280
    rgb = px[..., :3].reshape(-1, 3)
    assert rgb.std() > 0.05, "screenshot is blank"
    assert len(np.unique((rgb[::97] * 255).astype(np.uint8), axis=0)) > 50, "screenshot has too few colours"
    # the rendered DOM shows every plot decoded and every table (probe added to a copy; the report has no JS)
    probe = tmp_path / "probe.html"
    probe.write_text(boston_html.read_text().replace("</body>", _PROBE, 1))
    dom = _run_chromium(exe, probe.as_uri(), tmp_path, "--dump-dom", "--virtual-time-budget=5000")
    assert dom.returncode == 0
    m = re.search(r'data-images="(\d+)/(\d+)"', dom.stdout)
    assert m and m.group(1) == m.group(2) and int(m.group(2)) >= 3, m and m.group(0)
    assert dom.stdout.count("<table") >= 5
    assert _console_messages(dom.stderr) == []


def test_crosscheck_not_covering_a_configuration_is_said_not_fatal(monkeypatch):
    from types import SimpleNamespace

    import statprune.crosscheck as cc_mod
    from statprune.report import _sections as rmod

    def refuse(*args, **kwargs):
        raise ParameterError("lower_limits are not cross-checked")

    monkeypatch.setattr(cc_mod, "crosscheck", refuse)
    ctx = {"lasso_result": object(), "prepared": SimpleNamespace(X=None, y=None)}
    assert rmod._crosscheck(ctx) is None
    assert ctx["crosscheck_note"] == "not run: lower_limits are not cross-checked"
    import dataclasses

    base = build_report(dataset_path("swiss"), "Fertility", methods="pca", timestamp=False)
    rep = dataclasses.replace(base, crosscheck_note=ctx["crosscheck_note"])
    assert "not run: lower_limits are not cross-checked" in rep.render("html")
    assert "not run: lower_limits are not cross-checked" in rep.render("md")
    assert json.loads(rep.render("json"))["crosscheck"] == {"note": ctx["crosscheck_note"]}


# --------------------------------------------------------------------------- without R (issue 15)
def _without_r(*argv: str) -> subprocess.CompletedProcess:
    """Run the CLI in a fresh interpreter where rpy2 cannot be imported (as on a machine without R)."""
    code = ("import sys; sys.modules['rpy2'] = None; sys.modules['rpy2.rinterface'] = None\n"
            "from statprune.cli import main; sys.argv = ['statprune', *sys.argv[1:]]; main()")
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "R_HOME": "/nonexistent/R"})


def test_report_without_r_runs_the_other_sections_and_says_which_were_skipped():
    proc = _without_r("report", BOSTON, "-y", "medv", "--method", "lasso,stepwise,pca", "--no-timestamp",
                      "--json", "-")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert set(d["skipped"]) == {"lasso", "crosscheck"}
    assert "needs R" in d["skipped"]["lasso"]
    assert d["methods"]["stepwise"]["selected"] and d["methods"]["pca"]["selected"]  # these ran
    assert d["methods"]["lasso"]["selected"] == [] and "not run" in d["methods"]["lasso"]["headline"]
    assert "warning: lasso: not run: this section needs R" in proc.stderr
    assert "Traceback" not in proc.stderr and "Unable to determine R home" not in proc.stderr
    assert d["provenance"]["r_version"] is None


# --------------------------------------------------------------------------- a reader's document (issue 15)
def test_overview_comes_first_and_crosscheck_is_condensed(boston_report):
    html = boston_report.render("html")
    md = boston_report.render("md")
    for text, h2 in ((html, "<h2>{}</h2>"), (md, "## {}")):
        assert (text.index(h2.format("Overview")) < text.index("Which method kept which feature")
                < text.index(h2.format("Data")) < text.index(h2.format("Lasso (cv.glmnet)")))
    ov = boston_report.overview()
    assert ov.columns == ["feature", "lasso", "stepwise", "importance", "pca", "kept by"]
    row = {r["feature"]: r for r in ov.records}
    assert row["age"]["lasso"] is False and row["age"]["stepwise"] is False  # R: both drop age
    verdict, attention = boston_report.crosscheck_verdict()
    assert verdict.startswith("PASS")
    if attention is None:  # every row agrees: no table of rows in md
        assert "Every comparison agrees" in md
    else:  # only rows whose verdict is not "agree" (e.g. informational ones), none failing
        assert all(r.get("verdict", "") != "agree" and r.get("ok") is not False for r in attention.records)
    assert "<details>" in html
    assert json.loads(boston_report.render("json"))["overview"]["crosscheck"] == verdict


def test_crosscheck_condensed_shows_only_rows_that_do_not_agree():
    from statprune.report import Report, Table

    cc = Table("cc", ["quantity", "verdict", "ok"], [["lambda", "agree", "yes"], ["coef", "differ", "no"]],
               [{"quantity": "lambda", "verdict": "agree", "ok": True}, {"quantity": "coef", "verdict": "differ", "ok": False}],
               classes=["pass", "fail"], numeric=[False, False, False])
    rep = Report("t", {"rows": 1, "rows_used": 1, "predictors": 1, "target": "y"}, [], cc, {"methods": []})
    verdict, sub = rep.crosscheck_verdict()
    assert verdict.startswith("FAIL") and "1 differ" in verdict and [r["quantity"] for r in sub.records] == ["coef"]


def test_stepwise_section_has_an_aic_plot_and_text_columns_are_left_aligned(boston_report):
    step = next(s for s in boston_report.sections if s.key == "stepwise")
    assert any("AIC" in p.caption for p in step.plots)
    trace = step.tables[0]
    assert trace.numeric == [False, True, True, True, True, True]  # 'Step' is text
    html = boston_report.render("html")
    assert '<td class="num">' in html and "td.num, th.num { text-align: right; }" in html


def test_lasso_path_labels_do_not_overlap(boston_report):
    import xml.etree.ElementTree as ET

    lasso = boston_report.sections[0]
    svg = lasso.plots[1].svg
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    names = set(lasso.selected)
    ys = []
    for t in root.iter("{http://www.w3.org/2000/svg}text"):
        if (t.text or "").strip() in names:
            y = t.get("y")
            if y is not None:
                ys.append(float(y))
    assert len(ys) >= 8, ys  # the features are labelled ...
    ys.sort()
    assert min(b - a for a, b in zip(ys, ys[1:])) > 5.0, ys  # ... at least ~one line of 7.5 pt text apart
    del ns


def test_importance_is_sized_to_the_data():
    # one sizing rule, in statprune.importance, for the report, the CLI and the API
    from statprune.importance import importance_sizing

    assert importance_sizing(506, 13) == {"model": "rf", "max_features": 4, "n_repeats": 10, "max_samples": None, "n_jobs": -1}
    big = importance_sizing(50_000, 100)
    assert big == {"model": "hgb", "max_features": None, "n_repeats": 5, "max_samples": 5000, "n_jobs": -1}
    assert importance_sizing(50_000, 10)["n_repeats"] == 10  # few features: the full 10 shuffles fit the budget
    assert importance_sizing(50_000, 5_000)["n_repeats"] == 3  # many: never fewer than 3
    assert importance_sizing(1_000, 100)["max_samples"] is None  # the whole held-out quarter (250 rows) when it is small
    assert importance_sizing(50_000, 100, method="impurity")["model"] == "rf"  # impurity needs the forest
    assert importance_sizing(768, 8, classification=True)["max_features"] == 2  # R's mtry floor(sqrt(p))


def test_importance_section_records_its_sizing():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((700, 80))
    df = pd.DataFrame(X, columns=[f"x{j}" for j in range(80)]).assign(y=X[:, 0] * 2 + X[:, 1] + rng.standard_normal(700))
    rep = build_report(df, "y", methods=["importance"], crosscheck=False, seed=4, timestamp=False)
    sec = next(s for s in rep.sections if s.key == "importance")
    sizing = sec.details["sizing"]
    # 700 x 80 > 50,000 cells: hgb; the held-out 175 rows are all scored (fewer than 5,000)
    assert sizing["auto"] == {"model": "hgb", "max_features": None, "n_repeats": 10, "max_samples": None, "n_jobs": -1}
    assert (sizing["n"], sizing["p"]) == (700, 80)
    assert sec.details["n_scored"] == 175 and sec.details["n_repeats"] == 10 and sec.details["seed"] == 4
    assert sec.notes[0].startswith("importance sized to the data (700 rows x 80 features") and "model='hgb'" in sec.notes[0]
    assert sec.details["model_params"]["max_iter"] == 100
    assert sizing["note"] in sec.notes[0] and "100 boosting iterations" in sec.notes[0] and "seed 4" in sec.notes[0]
    assert {"x0", "x1"} <= set(sec.selected)  # the two signal columns


_LAYOUT_PROBE = """<script>
window.addEventListener("load", function () {
  var ov = document.getElementById("overview").getBoundingClientRect();
  var tbl = document.querySelector("#overview table").getBoundingClientRect();
  var cut = Array.from(document.querySelectorAll(".notes li, .headlines li")).filter(function (li) {
    return li.getBoundingClientRect().right > window.innerWidth + 1 || li.scrollWidth > li.clientWidth + 1; }).length;
  var td = document.querySelector("#overview tbody td");
  document.body.setAttribute("data-layout", [Math.round(ov.top), Math.round(tbl.top), window.innerHeight, cut,
                                              getComputedStyle(td).textAlign].join(","));
});
</script></body>"""


@pytest.mark.browser
def test_overview_is_in_the_first_screen_and_nothing_is_cut_at_1280px(boston_html, tmp_path):
    exe = _chromium()
    probe = tmp_path / "layout.html"
    probe.write_text(boston_html.read_text().replace("</body>", _LAYOUT_PROBE, 1))
    dom = _run_chromium(exe, probe.as_uri(), tmp_path, "--dump-dom", "--window-size=1280,800",
                        "--virtual-time-budget=5000")
    assert dom.returncode == 0, dom.stderr[-2000:]
    m = re.search(r'data-layout="([^"]+)"', dom.stdout)
    assert m, dom.stdout[-500:]
    ov_top, table_top, height, cut, align = m.group(1).split(",")
    assert int(ov_top) < int(height) and int(table_top) < int(height)  # the overview and its table start on screen 1
    assert cut == "0"  # no note or headline runs past the window at 1280 px
    assert align in ("left", "start")  # text columns are left-aligned
    shot = tmp_path / "first.png"
    proc = _run_chromium(exe, boston_html.as_uri(), tmp_path, f"--screenshot={shot}", "--window-size=1280,800")
    assert proc.returncode == 0 and shot.stat().st_size > 10_000


@pytest.mark.against_r  # cv.glmnet in R
def test_lasso_progress_per_fold_from_r_changes_no_number():
    """R's cv.glmnet reports each fold through its trace.it lines; the bar gets them, the fit is the same."""
    from statprune.datasets import load_boston
    from statprune.lasso import GlmnetCV

    b = load_boston()
    X, y = b.drop(columns="medv"), b["medv"]
    seen: list[tuple[int, int]] = []
    with_bar = GlmnetCV(seed=3, nfolds=5).fit(X, y, progress=lambda d, t: seen.append((d, t)))
    plain = GlmnetCV(seed=3, nfolds=5).fit(X, y)
    assert seen == [(k, 6) for k in range(6)] + [(6, 6)]  # "Training", "Fold: 1/5" .. "Fold: 5/5", then done
    np.testing.assert_array_equal(with_bar.result_.cvm, plain.result_.cvm)
    np.testing.assert_array_equal(with_bar.result_.beta, plain.result_.beta)
    assert with_bar.result_.r_code() == plain.result_.r_code()
    assert with_bar.result_.r_call == plain.result_.r_call and "trace.it" not in with_bar.result_.r_call


class _FakeBar:
    """A stand-in for a tqdm bar that records its updates (the progress tests' sink)."""

    def __init__(self, **kw):
        self.kw, self.n, self.total, self.updates = kw, 0, kw.get("total"), []

    def update(self, k):
        self.n += k
        self.updates.append((self.n, self.total))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.against_r  # cv.glmnet in R
def test_lasso_section_progress_reaches_a_bar(monkeypatch):
    """workflows.lasso turns the per-fold callback into statprune's one progress bar (a fake sink here)."""
    from statprune import workflows

    bars: list[_FakeBar] = []
    monkeypatch.setattr(workflows, "progress_bar", lambda **kw: bars.append(_FakeBar(**kw)) or bars[-1])
    workflows.lasso(dataset_path("boston"), ["medv"], seed=1, nfolds=4, progress=True)
    assert bars[0].kw["desc"] == "cv.glmnet in R"
    assert [n for n, _ in bars[0].updates] == [0, 1, 2, 3, 4, 5] and bars[0].updates[-1] == (5, 5)


@pytest.mark.against_r
def test_crosscheck_section_progress_reaches_a_bar(monkeypatch):
    """The report's cross-check moves its own bar, one tick per solver and check, to its total (a fake sink here)."""
    from statprune.report import _sections

    bars: list[_FakeBar] = []
    monkeypatch.setattr(_sections, "progress_bar", lambda **kw: bars.append(_FakeBar(**kw)) or bars[-1])
    rep = build_report(dataset_path("boston"), "medv", methods=["lasso"], seed=1, timestamp=False, progress=True)
    assert rep.crosscheck is not None and [b.kw["desc"] for b in bars] == ["crosscheck: R and the reference solvers"]
    ups = bars[0].updates
    assert ups[-1][0] == ups[-1][1] >= 10 and len({n for n, _ in ups}) >= 8  # R's refit ... the lm refit
