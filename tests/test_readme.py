"""The README's Python examples run, and the numbers it shows are the numbers statprune gives."""

from __future__ import annotations

import re

import numpy as np
import pytest
from helpers import ROOT

pytestmark = [pytest.mark.against_r, pytest.mark.slow]


def test_readme_python_blocks_run_and_match_the_text(tmp_path, monkeypatch):
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 3
    monkeypatch.chdir(tmp_path)
    ns: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), ns)  # noqa: S102 - our own README
    est, res = ns["est"], ns["res"]
    # the numbers quoted in the README (and printed by R in the same README)
    assert est.lambda_min_ == pytest.approx(0.02118501942064922, rel=1e-12)
    assert est.lambda_1se_ == pytest.approx(0.3145908147490857, rel=1e-12)
    assert "0.02118501942064922" in text and "0.31459081474908568" in text
    coef = est.result_.coef("lambda.min")
    np.testing.assert_allclose([coef["(Intercept)"], coef["crim"]], [34.880894915, -0.100714832], atol=5e-10)
    assert coef["indus"] == 0.0
    assert res.final_terms == ["Agriculture", "Education", "Catholic", "Infant.Mortality"]
    np.testing.assert_allclose(list(res.steps["AIC"]), [190.6913463, 189.8606219], atol=5e-8)
    assert ns["rep"].ok


# --------------------------------------------------------------------------- every block of README.md and docs/*.md
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

DOC_FILES = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]
# a block whose first line says so needs an R package Debian does not have; its numbers are checked
# against the fixtures of the named pure-R script instead (tests/expected/, made where the package is installed)
_NEEDS = re.compile(r"^# requires the CRAN package (\S+) \(not in Debian\); reference values: (r_scripts/\S+)")
DATA_FILES = ("boston", "swiss", "pima", "birthwt", "mtcars", "quine", "warpbreaks")


def _blocks() -> list[tuple[str, int, str, str, str | None]]:
    """(file, index, language, code, expected stdout) for every python/r block; the expected output is
    the ```text block that follows a block directly (blank lines between are allowed)."""
    out = []
    for name in DOC_FILES:
        text = (ROOT / name).read_text()
        found = list(re.finditer(r"```(\w+)\n(.*?)```", text, re.S))
        for i, m in enumerate(found):
            lang = m.group(1)
            if lang not in ("python", "r"):
                continue
            expected = None
            if i + 1 < len(found) and found[i + 1].group(1) == "text" and not text[m.end():found[i + 1].start()].strip():
                expected = found[i + 1].group(2)
            out.append((name, i, lang, m.group(2), expected))
    return out


BLOCKS = _blocks()
# blocks that still lean on an earlier block of the same page would be listed here (strict: a block made
# self-contained must leave the list); every block of README.md and docs/*.md now runs alone
NOT_YET_SELF_CONTAINED: dict[tuple[str, int], str] = {}


@pytest.fixture
def doc_dir(tmp_path, monkeypatch):
    """A fresh directory holding the bundled data sets as the CSV files the docs name."""
    from statprune import datasets

    for name in DATA_FILES:
        shutil.copy(datasets.path(name), tmp_path / f"{name}.csv")
    # blocks that name a checkout's test data (docs/crosscheck.md: glmnet's PoissonExample) as from the repo root
    shutil.copytree(ROOT / "tests" / "data", tmp_path / "tests" / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _norm(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip().splitlines()]


@pytest.mark.parametrize("name, index, lang, code, expected", BLOCKS,
                         ids=[f"{b[0]}:{b[1]}:{b[2]}" for b in BLOCKS])
def test_every_doc_block_runs_on_its_own(name, index, lang, code, expected, doc_dir, capfd):
    """Each block runs alone (a fresh namespace / a fresh R), in a directory with the data files."""
    if (name, index) in NOT_YET_SELF_CONTAINED:
        pytest.xfail(NOT_YET_SELF_CONTAINED[(name, index)])
    needs = _NEEDS.match(code)
    if needs:  # stabs & co. are not in Debian: the block's numbers come from a stored R run
        assert (ROOT / needs.group(2)).is_file(), needs.group(2)
        return
    if lang == "python":
        import matplotlib

        matplotlib.use("Agg")
        ns: dict = {"__name__": "__doc_block__"}
        exec(compile(code, f"{name}[{index}]", "exec"), ns)  # noqa: S102 - our own documentation
        out = capfd.readouterr().out
    else:
        if shutil.which("Rscript") is None:
            pytest.fail("Rscript is needed to run the R blocks of the docs")
        proc = subprocess.run(["Rscript", "--vanilla", "-e", code], capture_output=True, text=True, timeout=600,
                              cwd=doc_dir, env={**os.environ, "LC_ALL": "C.UTF-8"})
        assert proc.returncode == 0, f"{name} block {index} failed in R:\n{proc.stderr[-3000:]}"
        out = proc.stdout
    if expected is not None:
        assert _norm(out) == _norm(expected), f"{name} block {index}: printed output differs"
    sys.modules.pop("__doc_block__", None)


def test_readme_shows_the_without_r_install_line_beside_the_set_up_commands():
    # issue 15, "Done when": the first code block holds the two set-up commands and the install line without R,
    # and pyproject keeps rpy2 out of the core dependencies (the [r] extra) so that line installs without R
    import tomllib

    first = re.search(r"```\w*\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1).splitlines()
    assert [ln.split()[:2] for ln in first] == [["make", "demo"], ["make", "test"], ["pip", "install"]]
    assert first[2].split()[2] == "statprune" and "without R" in first[2]
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not any(d.lower().startswith("rpy2") for d in meta["dependencies"])
    assert any(d.lower().startswith("rpy2") for d in meta["optional-dependencies"]["r"])
