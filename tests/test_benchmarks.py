"""The benchmark harness end to end on tiny sizes (``make bench``'s code path; nothing here is timed).

``python -m benchmarks.run_all --quick --only bench_fresh`` with ``STATPRUNE_BENCH_CASES`` set to tiny
cases runs R ``cv.glmnet`` (fresh Rscript), statprune's three fresh-process entry points and the
installed peers on the same data and folds, and writes results.md/results.json and the generated
block of a copy of docs/performance.md. The test checks that the output is well formed and that
statprune's answers equal R's (agreement is a correctness property; times are only recorded).
adelie is left out (its own environment takes minutes to install).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from helpers import ROOT, child_env, require_r

pytestmark = [pytest.mark.against_r, pytest.mark.slow]

CASES = "gaussian:400x5,binomial:400x5,poisson:400x5,multinomial:400x5"


def _tables(block: str) -> list[list[str]]:
    """The markdown tables of a text, each as its lines."""
    tables, cur = [], []
    for line in block.splitlines():
        if line.startswith("|"):
            cur.append(line)
        elif cur:
            tables.append(cur)
            cur = []
    if cur:
        tables.append(cur)
    return tables


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    require_r()
    out = tmp_path_factory.mktemp("bench")
    docs = out / "performance.md"
    docs.write_text((ROOT / "docs" / "performance.md").read_text())
    env = {**child_env(), "STATPRUNE_BENCH_CASES": CASES, "STATPRUNE_BENCH_PEERS": "sklearn,glum,skglm",
           "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run_all", "--quick", "--only", "bench_fresh",
                           "--output", str(out / "results.md"), "--docs", str(docs)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=1800, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, docs


def test_rows_and_agreement_with_r(bench_run):
    out, _ = bench_run
    rows = json.loads((out / "results.json").read_text())["rows"]
    assert {"load_average", "load_average_at_end", "cpus"} <= set(json.loads((out / "results.json").read_text())["environment"])
    by_case: dict[str, list[dict]] = {}
    for r in rows:
        if r["bench"] == "fresh":
            by_case.setdefault(r["case"], []).append(r)
    assert set(by_case) == {"gaussian 400 x 5", "binomial 400 x 5", "poisson 400 x 5", "multinomial 400 x 5"}
    for case, rs in by_case.items():
        engines = [r["engine"] for r in rs]
        if case.startswith("multinomial") and len(rs) == 1:  # no fast multinomial engine on this checkout
            assert "no fast multinomial engine" in rs[0]["note"]
            continue
        r_row = next(r for r in rs if r["engine"] == "R cv.glmnet (Rscript)")
        assert r_row["fit_cpu"] >= 0 and r_row["cpu"] > 0 and r_row["wall"] >= r_row["fit_wall"]
        fresh = [r for r in rs if r["engine"].endswith("fresh process")]
        assert len(fresh) == 3, engines  # cv_glmnet_fast, GlmnetCV, the command
        for r in fresh:
            assert r.get("same_lambda_min") is True, r
            assert r["lambda_min_rel"] <= 1e-9 and r["coef_rel"] <= 1e-6 and r["cvm_rel"] <= 1e-6, r
            assert "imports rpy2: no" in r["note"], r
            family = case.split()[0]
            expected_engine = {"gaussian": "gram", "multinomial": "multinomial"}.get(family, "glm")
            assert r["engine_used"] == expected_engine, r
            assert r["cpu"] > 0 and r["x_R_cpu"] > 0
        assert sum("warm" in e for e in engines) == 2
        peers = [r for r in rs if r["engine"].split()[0] in ("sklearn", "glum", "skglm")]
        assert len(peers) == (0 if case.startswith("multinomial") else 3), engines  # no multinomial peer (PEERS)
        for r in peers:  # installed peers ran and were compared with R (their answers may differ), or say why not
            assert "fit_cpu" in r or r["note"].startswith(("not installed", "did not finish")), r
            if "fit_cpu" in r:
                assert isinstance(r["same_lambda_min"], bool) and r["coef_rel"] >= 0 and r["cvm_rel"] >= 0, r
    start = {r["case"]: r for r in rows if r["bench"] == "startup"}
    assert {"python -c 'import statprune'", "statprune --help"} <= set(start)
    assert "rpy2: no" in start["python -c 'import statprune'"]["note"]
    assert "numba: no" in start["fresh GlmnetCV(engine='gram', seed=1).fit, 1,000 x 10"]["note"]


def test_docs_block_is_well_formed(bench_run):
    out, docs = bench_run
    text = docs.read_text()
    start, end = "<!-- bench_fresh:start", "<!-- bench_fresh:end -->"
    assert text.count(start) == 1 and text.count(end) == 1
    block = text[text.index(start):text.index(end)]
    assert "load average" in block and "--quick" in block
    for case in ("gaussian 400 x 5", "binomial 400 x 5", "poisson 400 x 5"):
        assert f"**{case}**" in block
    tables = _tables(block)
    assert len(tables) >= 4
    for t in tables:
        width = t[0].count("|")
        assert all(line.count("|") == width for line in t), t
        assert re.fullmatch(r"\|(---\|)+", t[1]), t[1]
    # what lies outside the block is untouched
    orig = (ROOT / "docs" / "performance.md").read_text()
    assert text[:text.index(start)] == orig[:orig.index(start)]
    assert text[text.index(end):] == orig[orig.index(end):]
    assert "## fresh" in (out / "results.md").read_text()
