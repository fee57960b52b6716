"""`--method` has one meaning on the command line (issue 15): the selection methods to run (`compare`,
`report`). Where a command's `--method` named something else it has its own option now (`importance
--kind`, `subsets --search`, `selective --procedure`, `knockoff --construction`); the old spelling still
runs, hidden from `--help`, with a deprecation warning on stderr, and the same numbers."""

from __future__ import annotations

import json

import pytest
import typer.main
from typer.testing import CliRunner

from statprune import datasets
from statprune.cli import app

RENAMED = {"importance": "--kind", "subsets": "--search", "selective": "--procedure", "knockoff": "--construction"}


def _command(cmd: str):
    return typer.main.get_command(app).commands[cmd]


def _visible_options(cmd: str) -> set[str]:
    return {o for p in _command(cmd).params if not getattr(p, "hidden", False) for o in (*p.opts, *p.secondary_opts)}


def run(*args: str):
    res = CliRunner().invoke(app, list(args))
    assert "Traceback" not in res.stdout + res.stderr, res.stderr
    return res


def test_method_means_the_methods_to_run_in_every_command():
    commands = typer.main.get_command(app).commands
    with_method = {cmd for cmd in commands if "--method" in _visible_options(cmd)}
    assert with_method == {"compare", "report"}
    for cmd in with_method:
        assert "methods" in " ".join(p.help or "" for p in _command(cmd).params if "--method" in p.opts)
    for cmd, new in RENAMED.items():
        assert new in _visible_options(cmd), cmd
        assert "--method" not in run(cmd, "--help").stdout, cmd  # the old spelling is hidden


def test_the_vocabulary_is_documented():
    from helpers import ROOT

    text = (ROOT / "docs" / "cli.md").read_text()
    for cmd, new in RENAMED.items():
        assert f"| `{new} " in text, new
        assert f"`{cmd}` (now `{new}`)" in text, cmd


def test_subsets_method_is_a_deprecated_alias_of_search():
    args = ("subsets", datasets.path("mtcars"), "-y", "mpg", "--exclude", "model", "--nvmax", "3", "--json", "-")
    new = run(*args[:-2], "--search", "forward", *args[-2:])
    assert new.exit_code == 0 and "deprecated" not in new.stderr, new.stderr
    old = run(*args[:-2], "--method", "forward", *args[-2:])
    assert old.exit_code == 0 and "warning: --method is deprecated; use --search" in old.stderr
    assert json.loads(old.stdout)["sizes"] == json.loads(new.stdout)["sizes"]
    assert json.loads(new.stdout)["method"] == "forward"
    default = json.loads(run(*args).stdout)
    assert default["method"] == "exhaustive"
    clash = run(*args[:-2], "--method", "forward", "--search", "backward")
    assert clash.exit_code == 2 and "--search" in clash.stderr


def test_selective_method_is_a_deprecated_alias_of_procedure(tmp_path):
    path = tmp_path / "m.csv"
    datasets.load_mtcars().drop(columns="model").to_csv(path, index=False)
    args = ("selective", str(path), "-y", "mpg", "--type", "all", "--k", "3", "--sigma", "2.5", "--json", "-")
    new = run(*args[:4], "--procedure", "forward-stepwise", *args[4:])
    assert new.exit_code == 0 and "deprecated" not in new.stderr, new.stderr
    old = run(*args[:4], "--method", "forward-stepwise", *args[4:])
    assert old.exit_code == 0 and "warning: --method is deprecated; use --procedure" in old.stderr
    assert json.loads(old.stdout)["rows"] == json.loads(new.stdout)["rows"]
    clash = run(*args[:4], "--method", "lar", "--procedure", "forward-stepwise", *args[4:])
    assert clash.exit_code == 2 and "--procedure" in clash.stderr


@pytest.mark.against_r  # the knockoff statistics are R's glmnet fits
def test_knockoff_method_is_a_deprecated_alias_of_construction():
    args = ("knockoff", datasets.path("boston"), "-y", "medv", "--knockoffs", "fixed", "--statistic", "lambdasmax",
            "--seed", "1", "--json", "-")
    new = run(*args[:4], "--construction", "equi", *args[4:])
    assert new.exit_code == 0 and "deprecated" not in new.stderr, new.stderr
    old = run(*args[:4], "--method", "equi", *args[4:])
    assert old.exit_code == 0 and "warning: --method is deprecated; use --construction" in old.stderr
    assert json.loads(old.stdout)["rows"] == json.loads(new.stdout)["rows"]
