"""Every command that reads a data file reports per-column missing cells the same way (issue 13).

R's ``read.csv`` reads ``NA`` as missing; each command says ``colSums(is.na(d))`` of the columns
with missing cells: the line :func:`statprune.workflows.missing_line` in the text output and the
key ``missing`` in ``--json -``. ``tests/test_cli_end_to_end.py`` checks pca, importance,
stepwise, subsets, vif, drop1 and stability; this file the other commands. ``lasso-ooc`` streams
the file and never holds it whole: it refuses missing cells naming the columns (exit 2).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from statprune import datasets
from statprune.cli import app
from statprune.workflows import missing_line

EXPECTED = {"Agriculture": 2, "Catholic": 1}


@pytest.fixture(scope="module")
def swiss_with_gaps(tmp_path_factory):
    """R's swiss with two NA cells in Agriculture and one in Catholic."""
    d = pd.read_csv(datasets.path("swiss"))
    d.loc[[3, 7], "Agriculture"] = np.nan
    d.loc[[11], "Catholic"] = np.nan
    p = tmp_path_factory.mktemp("gaps") / "swiss_gaps.csv"
    d.to_csv(p, index=False, na_rep="NA")
    return str(p)


def _run(argv):
    res = CliRunner().invoke(app, argv)
    assert "Traceback" not in res.stdout + res.stderr, res.stderr
    return res


R = pytest.mark.against_r


@pytest.mark.parametrize("args", [
    pytest.param(["lasso", "{f}", "-y", "Fertility", "--drop-missing", "--seed", "1"], marks=R, id="lasso"),
    pytest.param(["add1", "{f}", "--formula", "Fertility ~ Education", "--scope", "~ Education + Agriculture"], id="add1"),
    pytest.param(["prune-nn", "{f}", "-y", "Fertility", "--drop-missing"], id="prune-nn"),
    pytest.param(["compare", "{f}", "-y", "Fertility", "--drop-missing"], marks=R, id="compare"),
    pytest.param(["selective", "{f}", "-y", "Fertility", "--drop-missing"], marks=R, id="selective"),
    pytest.param(["knockoff", "{f}", "-y", "Fertility", "--drop-missing"], marks=R, id="knockoff"),
    pytest.param(["validate", "{f}", "-y", "Fertility", "--drop-missing"], marks=R, id="validate"),
])
def test_command_reports_missing_cells_as_every_command_does(args, swiss_with_gaps):
    argv = [a.format(f=swiss_with_gaps) for a in args]
    text = _run(argv)
    assert text.exit_code == 0, text.stderr
    assert missing_line(EXPECTED) in text.stdout.splitlines()
    js = _run([*argv, "--json", "-"])
    assert js.exit_code == 0, js.stderr
    assert json.loads(js.stdout)["missing"] == EXPECTED


def test_lasso_ooc_refuses_missing_cells_naming_the_columns(swiss_with_gaps):
    res = _run(["lasso-ooc", swiss_with_gaps, "-y", "Fertility"])
    assert res.exit_code == 2
    assert "['Agriculture', 'Catholic']" in res.stderr
