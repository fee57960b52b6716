"""Every code block of docs/stepwise.md runs: the Python blocks, and each `$ statprune ...` line of the
console blocks (in a directory holding the data files they name)."""

from __future__ import annotations

import re
import shlex

import numpy as np
import pandas as pd
import pytest
import stepwise_cases as C
from helpers import ROOT
from typer.testing import CliRunner

from statprune import datasets
from statprune.cli import app

DOC = (ROOT / "docs" / "stepwise.md").read_text()
COMMANDS = [line[2:] for block in re.findall(r"```console\n(.*?)```", DOC, re.S) for line in block.splitlines()
            if line.startswith("$ statprune ")]


def _files(tmp_path) -> None:
    for name in ("swiss", "birthwt", "boston", "mtcars", "quine"):
        pd.read_csv(datasets.path(name)).to_csv(tmp_path / f"{name}.csv", index=False)
    C.data("budworm").to_csv(tmp_path / "budworm.csv", index=False)
    C.data("anorexia").to_csv(tmp_path / "anorexia.csv", index=False)
    d = C.data("dobson")  # as text levels: a CSV of "1", "2", "3" would be read as numbers
    d["outcome"] = "o" + d["outcome"].astype(str)
    d["treatment"] = "t" + d["treatment"].astype(str)
    d.to_csv(tmp_path / "dobson.csv", index=False)


def test_python_blocks_run():
    blocks = re.findall(r"```python\n(.*?)```", DOC, re.S)
    assert len(blocks) >= 2
    results = []
    for block in blocks:
        ns: dict = {}
        exec(compile(block, "docs/stepwise.md", "exec"), ns)  # noqa: S102 - our own documentation
        results.append(ns["res"])
    assert results[0].final_terms == ["Agriculture", "Education", "Catholic", "Infant.Mortality"]
    # MASS's ?birthwt model: bwt (the birth weight low is derived from) is no predictor, as in MASS
    bw = results[1]
    assert "bwt" not in bw.steps.to_string() and bw.final_terms == ["lwt", "race", "smoke", "ptd", "ht", "ui"]
    np.testing.assert_allclose(list(bw.steps["AIC"]), [217.4755, 214.8337, 213.8516], atol=5e-5)


def test_every_printing_block_shows_its_output():
    """A python or r block that prints is followed by the ```text block of what it prints, which
    tests/test_readme.py compares with the block's output (so a shown "41" where "41.0" prints fails)."""
    found = list(re.finditer(r"```(\w+)\n(.*?)```", DOC, re.S))
    checked = 0
    for i, m in enumerate(found):
        if m.group(1) not in ("python", "r"):
            continue
        nxt = found[i + 1] if i + 1 < len(found) else None
        shown = nxt is not None and nxt.group(1) == "text" and not DOC[m.end():nxt.start()].strip()
        assert shown, f"block {i} of docs/stepwise.md has no ```text block of its output after it"
        checked += 1
    assert checked >= 4


def test_there_are_console_lines():
    assert len(COMMANDS) >= 8 and any(c.startswith("statprune drop1") for c in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_console_lines_run(command, tmp_path, monkeypatch):
    _files(tmp_path)
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(command, comments=True)[1:]
    r = CliRunner().invoke(app, argv)
    assert r.exit_code == 0, (command, r.output)
