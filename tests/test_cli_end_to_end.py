"""The command line as a user meets it: every command, its JSON keys, its bad-input messages.

Most tests run in-process with typer's CliRunner (stdout and stderr kept apart); the ones
that must see the real file descriptors (R writing to stdout, a console-script start) run
``python -m statprune.cli`` in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from statprune import datasets
from statprune.cli import app

COMMANDS = ["doctor", "demo", "lasso", "lasso-ooc", "stepwise", "importance", "pca", "prune-nn", "compare",
            "stability", "validate", "report"]
BOSTON = str(datasets.path("boston"))
SWISS = str(datasets.path("swiss"))
PIMA = str(datasets.path("pima"))


def run(*args: str):
    res = CliRunner().invoke(app, list(args))
    assert "Traceback" not in res.stdout + res.stderr, res.stderr
    return res


def run_json(*args: str) -> dict:
    res = run(*args, "--json", "-")
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)  # stdout holds exactly one JSON document


def run_subprocess(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "default"}
    return subprocess.run([sys.executable, "-m", "statprune.cli", *args], capture_output=True, text=True,
                          timeout=120, env=env)


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    """Deliberately broken copies of the bundled data."""
    d = tmp_path_factory.mktemp("bad")
    b = pd.read_csv(BOSTON)
    p = pd.read_csv(PIMA)
    rng = np.random.default_rng(0)
    files = {}

    def save(name, frame):
        files[name] = str(d / f"{name}.csv")
        frame.to_csv(files[name], index=False)

    x = b.copy(); x.loc[3, "crim"] = np.nan; save("nan_pred", x)  # noqa: E702
    x = b.copy(); x.loc[3, "crim"] = np.inf; save("inf_pred", x)  # noqa: E702
    x = b.copy(); x.loc[3, "medv"] = np.nan; save("nan_target", x)  # noqa: E702
    x = b.copy(); x["medv"] = x["medv"].astype(str) + "k"; save("str_target", x)  # noqa: E702
    x = b.copy(); x["chas"] = x["chas"].map({0: "no", 1: "yes"}); save("str_pred", x)  # noqa: E702
    x = b.copy(); x["const"] = 1.0; save("const", x)  # noqa: E702
    x = p.copy(); x.loc[:10, "type"] = "Maybe"; save("three_class", x)  # noqa: E702
    x = p.copy(); x["type"] = "Yes"; save("one_class", x)  # noqa: E702
    save("tiny", b.head(5))
    x = b.copy(); x["fold"] = np.array([1, 2, 4])[np.arange(len(b)) % 3]; save("fold_gap", x)  # noqa: E702
    X = rng.normal(size=(30, 40))
    x = pd.DataFrame(X, columns=[f"x{i}" for i in range(40)]); x["y"] = 2 * X[:, 0] + rng.normal(size=30)  # noqa: E702
    save("wide", x)
    x = pd.DataFrame(rng.normal(size=(100, 5)), columns=list("abcde")); x["y"] = rng.normal(size=100)  # noqa: E702
    save("noise", x)
    files["dup"] = str(d / "dup.csv")
    with open(files["dup"], "w") as fh:
        fh.write("a,a,y\n" + "".join(f"{u},{v},{w}\n" for u, v, w in rng.normal(size=(30, 3))))
    files["missing"] = str(d / "no_such_file.csv")
    return files


# --------------------------------------------------------------------------- help
def test_help_lists_every_command_with_a_description():
    res = run("--help")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    listed = [ln.strip("│ ").split(" ")[0] for ln in lines if ln.startswith("│ ") and ln[2:3].isalpha()]
    assert [c for c in listed if c in COMMANDS] == ["demo", "doctor", "lasso", "lasso-ooc", "stepwise", "importance",
                                                     "pca", "prune-nn", "stability", "compare", "validate", "report"]
    for cmd in COMMANDS:
        row = [ln for ln in lines if ln.strip("│ ").startswith(cmd + " ")]
        assert row, f"{cmd} missing from --help"
        assert len(row[0].strip("│ ")) > len(cmd) + 10, f"{cmd} has no description"


# --------------------------------------------------------------------------- JSON contracts
@pytest.mark.against_r
def test_lasso_json_stdout_is_only_json_with_issue4_keys():
    proc = run_subprocess("lasso", BOSTON, "--target", "medv", "--seed", "42", "--json", "-")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)  # fails on any R chatter or progress bar on stdout
    for key in ("family", "alpha", "lambda", "cvm", "cvsd", "nzero", "lambda_min", "lambda_1se", "s",
                "coefficients", "selected", "pruned", "provenance"):
        assert key in d, key
    features = [c for c in pd.read_csv(BOSTON, nrows=0).columns if c != "medv"]
    assert list(d["coefficients"]) == ["(Intercept)", *features]
    assert sorted(d["selected"] + d["pruned"]) == sorted(features)
    assert all(d["coefficients"][f] == 0 for f in d["pruned"])
    assert all(d["coefficients"][f] != 0 for f in d["selected"])
    assert len(d["lambda"]) == len(d["cvm"]) == len(d["cvsd"]) == len(d["nzero"])
    assert d["lambda_min"] == pytest.approx(0.0211850194206, rel=1e-9)  # set.seed(42); cv.glmnet(x, y) in R
    assert d["lambda_1se"] == pytest.approx(0.3145908147491, rel=1e-9)
    for key in ("r_version", "glmnet_version", "rpy2_version", "statprune_version", "seed"):
        assert key in d["provenance"], key
    assert d["provenance"]["seed"] == 42


def test_stepwise_json_issue5_keys():
    d = run_json("stepwise", SWISS, "--formula", "Fertility ~ .")
    for key in ("formula", "family", "direction", "criterion", "steps", "final_terms", "coefficients", "pvalues"):
        assert key in d, key
    first, second = d["steps"][0], d["steps"][1]
    assert set(first) >= {"step", "df", "deviance", "resid_df", "resid_dev", "aic"}
    assert first["step"] == "" and second["step"] == "- Examination"
    assert first["aic"] == pytest.approx(190.69134631930947, abs=1e-6)  # R: step(lm(Fertility ~ ., swiss))
    assert d["final_terms"] == ["Agriculture", "Education", "Catholic", "Infant.Mortality"]
    p = run_json("stepwise", BOSTON, "--formula", "medv ~ .", "--criterion", "pvalue")
    assert p["dropped"] == ["age", "indus"] and len(p["dropped_p"]) == 2 and min(p["dropped_p"]) > 0.05


@pytest.mark.parametrize(
    "args, payload",
    [
        (["importance", BOSTON, "--target", "medv", "--seed", "1", "--trees", "30", "--repeats", "2"], "scores"),
        (["pca", BOSTON, "--exclude", "medv"], "components"),
        (["prune-nn", PIMA, "--target", "type", "--epochs", "20", "--prune-epochs", "3"], "scores"),
    ],
    ids=["importance", "pca", "prune-nn"],
)
def test_issue7_json_keys(args, payload):
    d = run_json(*args)
    for key in ("method", payload, "selected", "pruned"):
        assert key in d, key
    assert isinstance(d["selected"], list) and isinstance(d["pruned"], list)


@pytest.mark.against_r
def test_validate_and_doctor_json_keys():
    d = run_json("validate", BOSTON, "--target", "medv", "--seed", "42")
    assert set(d) >= {"checks", "ok", "max_rel_diff", "provenance"}
    assert d["ok"] is True and d["max_rel_diff"] < 1e-2
    assert {"quantity", "value_a", "value_b", "abs_diff", "rel_diff", "tolerance", "ok"} <= set(d["checks"][0])
    doc = run_json("doctor")
    assert set(doc) >= {"python", "statprune", "r", "glmnet", "rpy2", "numpy", "sklearn", "statsmodels", "ok"}
    human = run("doctor")
    assert human.stdout.startswith("statprune ") and "R BLAS" in human.stdout


def test_json_path_is_written_atomically(tmp_path):
    out = tmp_path / "pca.json"
    res = run("pca", BOSTON, "--exclude", "medv", "--json", str(out))
    assert res.exit_code == 0 and res.stdout == ""
    assert f"wrote {out}" in res.stderr
    assert json.loads(out.read_text())["method"]
    assert sorted(os.listdir(tmp_path)) == ["pca.json"]  # no temporary file left behind


# --------------------------------------------------------------------------- bad input: exit 2, a clear message
BAD_CASES = [
    # (id, args (with {file} placeholders), words the message must contain)
    ("missing-file", ["pca", "{missing}"], ["does not exist"]),
    ("unknown-target", ["importance", BOSTON, "--target", "zzz"], ["'zzz'", "not found"]),
    ("nan-predictor", ["pca", "{nan_pred}"], ["'crim'", "NaN"]),
    ("nan-target-importance", ["importance", "{nan_target}", "--target", "medv"], ["'medv'", "missing"]),
    ("nan-target-stability", ["stability", "{nan_target}", "--target", "medv", "--q", "3", "--pfer", "1"],
     ["'medv'", "missing"]),
    ("text-target-stability", ["stability", "{str_target}", "--target", "medv", "--q", "3", "--pfer", "1"],
     ["'medv'", "not numeric"]),
    ("3-class-binomial-stability", ["stability", "{three_class}", "--target", "type", "--family", "binomial",
                                    "--q", "3", "--pfer", "1"], ["'type'", "two classes"]),
    ("inf-stepwise", ["stepwise", "{inf_pred}", "--formula", "medv ~ ."], ["'crim'", "infinite"]),
    ("text-predictor", ["pca", "{str_pred}"], ["'chas'", "non-numeric"]),
    ("constant-pca", ["pca", "{const}", "--exclude", "medv"], ["'const'", "constant"]),
    ("duplicate-names", ["importance", "{dup}", "--target", "y"], ["duplicate", "'a'"]),
    ("one-class", ["importance", "{one_class}", "--target", "type"], ["single class", "'Yes'"]),
    ("one-class-nn", ["prune-nn", "{one_class}", "--target", "type"], ["single class"]),
    ("tiny-importance", ["importance", "{tiny}", "--target", "medv"], ["n_samples = 5"]),
    ("sparsity-1", ["prune-nn", PIMA, "--target", "type", "--sparsity", "1.0"], ["[0, 1)"]),
    ("sparsity-neg", ["prune-nn", PIMA, "--target", "type", "--sparsity", "-0.1"], ["[0, 1)"]),
    ("unknown-family", ["stepwise", SWISS, "--formula", "Fertility ~ .", "--family", "gaus"], ["family", "'gaus'"]),
    ("unknown-criterion", ["stepwise", SWISS, "--formula", "Fertility ~ .", "--criterion", "cp"], ["criterion"]),
    ("formula-column", ["stepwise", SWISS, "--formula", "Fertility ~ zz"], ["'zz'"]),
    ("zero-resid-df", ["stepwise", "{wide}", "--formula", "y ~ ."], ["zero residual degrees of freedom"]),
    ("ooc-s", ["lasso-ooc", BOSTON, "--target", "medv", "--s", "foo"], ["--s", "'foo'"]),
    ("ooc-scheduler", ["lasso-ooc", BOSTON, "--target", "medv", "--scheduler", "foo"], ["--scheduler"]),
    ("ooc-text-column", ["lasso-ooc", "{str_pred}", "--target", "medv"], ["non-numeric", "'chas'"]),
    ("ooc-fewer-rows-than-folds", ["lasso-ooc", "{tiny}", "--target", "medv"], ["rows per fold", "statprune lasso"]),
    ("report-format", ["report", BOSTON, "--target", "medv", "--format", "xml", "--out", "-"], ["--format"]),
    ("compare-3-class", ["compare", "{three_class}", "--target", "type"], ["3 classes"]),
    ("two-of-three", ["stability", BOSTON, "--target", "medv", "--q", "3"], ["exactly two"]),
]


@pytest.mark.parametrize("args, words", [(a, w) for _, a, w in BAD_CASES], ids=[c[0] for c in BAD_CASES])
def test_bad_input_exits_2_with_a_message(bad, args, words):
    json_opt = [] if args[0] == "report" else ["--json", "-"]  # report writes JSON with --format json --out -
    res = run(*[a.format(**bad) if a.startswith("{") else a for a in args], *json_opt)
    assert res.exit_code == 2, (res.exit_code, res.stdout, res.stderr)
    assert res.stdout == ""  # nothing half-written on stdout
    assert res.stderr.startswith("error: ")
    for w in words:
        assert w in res.stderr, (w, res.stderr)


R_BAD_CASES = [
    ("nan-predictor", ["lasso", "{nan_pred}", "--target", "medv"], ["'crim'", "--drop-missing"]),
    ("nan-target", ["lasso", "{nan_target}", "--target", "medv"], ["'medv'", "NaN"]),
    ("text-target", ["lasso", "{str_target}", "--target", "medv"], ["'medv'", "not numeric"]),
    ("3-class-binomial", ["lasso", "{three_class}", "--target", "type", "--family", "binomial"], ["two classes"]),
    ("1-class-binomial", ["lasso", "{one_class}", "--target", "type", "--family", "binomial"], ["two classes"]),
    ("fewer-rows-than-folds", ["lasso", "{tiny}", "--target", "medv"], ["nfolds=10", "(5)"]),
    ("fold-missing", ["lasso", "{fold_gap}", "--target", "medv", "--fold-column", "fold"], ["[3]"]),
    ("unknown-family", ["lasso", BOSTON, "--target", "medv", "--family", "gaus"], ["'gaus'"]),
    ("unknown-keep", ["lasso", BOSTON, "--target", "medv", "--keep", "zz"], ["'zz'"]),
    ("validate-fold-missing", ["validate", "{fold_gap}", "--target", "medv", "--fold-column", "fold"], ["'fold'"]),
]


@pytest.mark.against_r
@pytest.mark.parametrize("args, words", [(a, w) for _, a, w in R_BAD_CASES], ids=[c[0] for c in R_BAD_CASES])
def test_bad_input_exits_2_r_commands(bad, args, words):
    res = run(*[a.format(**bad) if a.startswith("{") else a for a in args], "--json", "-")
    assert res.exit_code == 2, (res.exit_code, res.stdout, res.stderr)
    assert res.stdout == "" and res.stderr.startswith("error: ")
    for w in words:
        assert w in res.stderr, (w, res.stderr)


# --------------------------------------------------------------------------- valid edge cases
@pytest.mark.against_r
def test_lasso_edge_cases_n_lt_p_constant_all_pruned_drop_missing(bad):
    wide = run_json("lasso", bad["wide"], "--target", "y", "--seed", "1")  # glmnet's regime: works
    assert "x0" in wide["selected"] and len(wide["coefficients"]) == 41
    const = run_json("lasso", bad["const"], "--target", "medv", "--seed", "1")
    assert const["constant"] == ["const"] and "const" in const["pruned"] and const["coefficients"]["const"] == 0
    res = run("lasso", bad["noise"], "--target", "y", "--seed", "1", "--s", "lambda.1se", "--json", "-")
    assert res.exit_code == 0
    d = json.loads(res.stdout)
    assert d["selected"] == [] and sorted(d["pruned"]) == list("abcde")
    # the warning is one readable line on stderr, not Python's "file:line: Category: ... source" echo
    assert res.stderr.startswith("warning: no feature is selected at lambda.1se") and ".py:" not in res.stderr
    dm = run_json("lasso", bad["nan_pred"], "--target", "medv", "--seed", "1", "--drop-missing")
    assert dm["selected"]


def test_importance_constant_column_is_reported(bad):
    d = run_json("importance", bad["const"], "--target", "medv", "--seed", "1", "--trees", "20", "--repeats", "2")
    assert d["scores"]["const"] == 0 and "const" in d["pruned"]
    assert any("const" in w and "constant" in w for w in d["warnings"])


def test_stability_drop_missing(bad):
    d = run_json("stability", bad["nan_pred"], "--target", "medv", "--q", "4", "--pfer", "1", "--B", "5",
                 "--seed", "1", "--engine", "sklearn", "--drop-missing")
    assert "lstat" in d["probabilities"]


def test_report_n_lt_p_says_stepwise_cannot_run(bad):
    res = run("report", bad["wide"], "--target", "y", "--method", "stepwise,pca", "--format", "json",
              "--no-crosscheck", "--no-timestamp", "--out", "-")
    assert res.exit_code == 0, res.stderr
    text = res.stdout
    assert "not run: zero residual degrees of freedom" in text
    json.loads(text)


def test_unexpected_error_is_one_line_not_a_traceback(monkeypatch):
    import statprune.pca as pca_mod

    def boom(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(pca_mod, "pca_table", boom)
    res = run("pca", BOSTON)
    assert res.exit_code == 1
    assert res.stderr.startswith("error: unexpected RuntimeError: boom") and "report it" in res.stderr


# --------------------------------------------------------------------------- progress bars (issue 8)
def test_progress_quiet_with_json_or_without_tty(monkeypatch):
    from statprune import cli

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert cli.quiet_progress(None) is False
    assert cli.quiet_progress("-") is True and cli.quiet_progress("out.json") is True
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert cli.quiet_progress(None) is True


def test_permutation_importance_progress_counts_every_score_and_keeps_numbers(capsys):
    from statprune.importance import importance_table

    kw = dict(random_state=1, n_estimators=20, n_repeats=3)
    quiet = importance_table(BOSTON, "medv", progress=False, **kw).to_dict()["scores"]
    capsys.readouterr()
    loud = importance_table(BOSTON, "medv", progress=True, **kw).to_dict()["scores"]
    err = capsys.readouterr()
    assert loud == quiet  # the counting scorer changes nothing
    # one tick for the fit, one for the baseline score, one per shuffle (13 features x 3 repeats)
    assert "importance: 13 features x 3 shuffles" in err.err and f"/{2 + 13 * 3}" in err.err and err.out == ""


@pytest.mark.against_r
def test_crosscheck_progress_ticks_once_per_solver_and_check_and_keeps_numbers(capsys):
    from statprune import workflows
    from statprune.crosscheck import _refsolvers, validate

    seen: list[tuple[int, int]] = []
    quiet = validate(datasets.load_boston(), "medv", seed=1, progress=lambda done, total: seen.append((done, total)))
    fit, stage = _refsolvers.REFERENCE_ENGINES["gaussian"], _refsolvers.STAGE_ENGINES["gaussian"]
    # R's tight refit, each fit engine, R's path + each path engine, R's CV + each CV engine, LassoCV, the lm refit
    planned = 1 + len(fit) + 2 * (1 + len(stage)) + 1 + 1
    assert seen[0] == (0, 1) and seen[1][1] == planned and seen[-1][0] == seen[-1][1] >= planned
    # one tick per solver; the stage engines not needed once two are certified are counted at once
    assert all(0 <= b[0] - a[0] < len(stage) and b[1] >= a[1] for a, b in zip(seen, seen[1:])), seen
    assert sum(b[0] - a[0] == 1 for a, b in zip(seen, seen[1:])) >= 1 + len(fit) + 2 * 3 + 2, seen
    ticks = sum(b[0] - a[0] for a, b in zip(seen, seen[1:]))
    assert ticks == seen[-1][1]  # every planned step ticked, none twice
    capsys.readouterr()
    loud = workflows.validate(BOSTON, "medv", seed=1, progress=True)
    err = capsys.readouterr()
    assert loud.to_frame().equals(quiet.to_frame())  # the callback changes nothing
    # the bar on stderr counts to the steps' total (which draws are shown depends on tqdm's redraw interval)
    assert "validate: cv.glmnet in R" in err.err and f"/{seen[-1][1]}" in err.err and err.out == ""


def test_prune_nn_and_stability_progress_go_to_stderr(capsys):
    from statprune.nn import prune_nn
    from statprune.stability import stabsel

    prune_nn(PIMA, "type", epochs=5, prune_epochs=2, progress=True)
    err = capsys.readouterr()
    assert "prune-nn" in err.err and err.out == ""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 6))
    stabsel(X, X[:, 0] + rng.normal(size=60), q=3, pfer=1, B=4, engine="sklearn", seed=1, progress=True)
    err = capsys.readouterr()
    assert "stability selection" in err.err and err.out == ""


# --------------------------------------------------------------------------- the flags the messages point to exist
@pytest.mark.parametrize("cmd", ["lasso", "importance", "pca", "prune-nn", "compare", "stability", "validate", "report"])
def test_commands_reading_a_table_offer_drop_missing(cmd):
    # the shared NaN message says "(CLI: --drop-missing)": every command that can print it must accept it
    assert "--drop-missing" in run(cmd, "--help").stdout


@pytest.mark.parametrize("cmd", ["lasso", "importance", "pca", "prune-nn", "compare", "stability"])
def test_commands_refusing_text_columns_offer_encode_categoricals(cmd):
    assert "--encode-categoricals" in run(cmd, "--help").stdout


def test_prune_nn_drop_missing_and_encoding(bad):
    d = run_json("prune-nn", bad["nan_pred"], "--target", "medv", "--drop-missing", "--epochs", "5",
                 "--prune-epochs", "2")
    assert d["metrics"]["n_train"] + d["metrics"]["n_test"] == 505  # one row dropped
    e = run_json("prune-nn", bad["str_pred"], "--target", "medv", "--encode-categoricals", "--epochs", "5",
                 "--prune-epochs", "2")
    assert "chasyes" in e["selected"] + e["pruned"]  # R's treatment dummy name


@pytest.mark.against_r
def test_lasso_encode_categoricals_and_validate_drop_missing(bad):
    d = run_json("lasso", bad["str_pred"], "--target", "medv", "--seed", "1", "--encode-categoricals")
    assert "chasyes" in d["coefficients"] and "chas" not in d["coefficients"]
    v = run_json("validate", bad["nan_pred"], "--target", "medv", "--seed", "1", "--drop-missing")
    assert v["ok"] is True


def test_unwritable_output_is_an_error_line_not_a_bug_report(tmp_path):
    target = tmp_path / "file"
    target.write_text("")
    res = run("pca", BOSTON, "--json", str(target / "out.json"))  # a path below a regular file
    assert res.exit_code == 1
    assert res.stderr.startswith("error: ") and "bug" not in res.stderr


@pytest.mark.against_r
@pytest.mark.parametrize("wide", [False, True], ids=["boston", "n<p"])
def test_lasso_engines_agree_through_the_cli(bad, tmp_path, wide):
    """The same folds through `lasso` (R), `lasso --engine gram` and `lasso-ooc`: the same numbers."""
    frame = pd.read_csv(bad["wide"] if wide else BOSTON)
    target = "y" if wide else "medv"
    frame["fold"] = np.arange(len(frame)) % 5 + 1
    path = str(tmp_path / "folds.csv")
    frame.to_csv(path, index=False)
    r = run_json("lasso", path, "--target", target, "--fold-column", "fold")
    gram = run_json("lasso", path, "--target", target, "--fold-column", "fold", "--engine", "gram")
    ooc = run_json("lasso-ooc", path, "--target", target, "--fold-column", "fold", "--nfolds", "5")
    # were --engine ignored, `lasso --engine gram` would be R compared with itself
    assert (r["provenance"]["engine"], gram["provenance"]["engine"]) == ("r", "gram")
    for other in (gram, ooc):
        np.testing.assert_allclose(other["lambda"], r["lambda"], rtol=1e-10)
        np.testing.assert_allclose(other["cvm"], r["cvm"], rtol=1e-6)
        assert other["lambda_min"] == pytest.approx(r["lambda_min"], rel=1e-10)
        assert other["lambda_1se"] == pytest.approx(r["lambda_1se"], rel=1e-10)
        assert other["selected"] == r["selected"]
        for name, value in r["coefficients"].items():
            assert other["coefficients"][name] == pytest.approx(value, rel=1e-6, abs=1e-8), name


def test_importance_everything_pruned_is_said(bad):
    d = run_json("importance", bad["noise"], "--target", "y", "--threshold", "100", "--trees", "20",
                 "--repeats", "2", "--seed", "1")
    assert d["selected"] == [] and sorted(d["pruned"]) == list("abcde")
    assert any("every feature is pruned" in w for w in d["warnings"])  # the CLI silences the Python warning
    assert "every feature is pruned" in run("importance", bad["noise"], "--target", "y", "--threshold", "100",
                                            "--trees", "20", "--repeats", "2", "--seed", "1").stdout


# --------------------------------------------------------------------------- one vocabulary (issue 15)
DATA_COMMANDS = ["lasso", "lasso-ooc", "stepwise", "importance", "pca", "prune-nn", "stability", "compare",
                 "validate", "report"]


def _options(cmd: str) -> set[str]:
    """The option names a command accepts (hidden ones included), from click's own parser."""
    import typer.main

    command = typer.main.get_command(app)
    sub = command.commands[cmd] if cmd else command
    return {o for p in sub.params for o in (*p.opts, *p.secondary_opts)}


def test_version():
    res = run("--version")
    assert res.exit_code == 0 and res.stdout.startswith("statprune ") and res.stdout.split()[1][0].isdigit()


@pytest.mark.parametrize("cmd", COMMANDS)
def test_every_command_takes_json(cmd):
    assert "--json" in _options(cmd)


@pytest.mark.parametrize("cmd", DATA_COMMANDS)
def test_every_data_command_takes_target_and_seed_with_one_default(cmd):
    import typer.main

    from statprune.cli import SEED

    opts = _options(cmd)
    assert {"-y", "--target"} <= opts, cmd
    params = {p.name: p for p in typer.main.get_command(app).commands[cmd].params}
    if cmd not in ("pca", "stepwise"):  # the deterministic ones have no random step
        assert params["seed"].default == SEED == 42, cmd
    assert "--foldid-column" not in run(cmd, "--help").stdout  # old names are hidden


def test_same_names_for_the_same_things():
    for cmd in ("lasso", "lasso-ooc", "validate"):
        assert "--fold-column" in _options(cmd), cmd
    for cmd in ("lasso", "lasso-ooc"):
        assert "--weights-column" in _options(cmd), cmd
    for cmd in ("compare", "report"):
        assert "--method" in _options(cmd), cmd
    assert "--kind" in _options("importance")
    assert "--method" not in run("importance", "--help").stdout  # one meaning of --method: the methods run


def test_old_option_names_still_run_with_a_deprecation_warning():
    new = run_json("importance", BOSTON, "-y", "medv", "--kind", "impurity", "--trees", "10", "--top", "3")
    res = run("importance", BOSTON, "-y", "medv", "--method", "impurity", "--trees", "10", "--top", "3",
              "--json", "-")
    assert res.exit_code == 0 and "--method is deprecated; use --kind" in res.stderr
    assert json.loads(res.stdout)["scores"] == new["scores"]
    res = run("importance", BOSTON, "-y", "medv", "--method", "impurity", "--kind", "shadow")
    assert res.exit_code == 2 and "--kind" in res.stderr


def test_method_is_repeatable_or_comma_separated():
    from statprune.cli import split_methods

    assert split_methods(["lasso,pca"]) == split_methods(["lasso", "pca"]) == ["lasso", "pca"]
    assert split_methods([" lasso , stepwise", "pca"]) == ["lasso", "stepwise", "pca"]


CORE = ["selected", "pruned", "n_rows", "provenance"]


@pytest.mark.parametrize(
    "args, n_rows",
    [
        (["stepwise", SWISS, "-y", "Fertility"], 47),
        (["importance", BOSTON, "-y", "medv", "--trees", "10", "--repeats", "1"], 506),
        (["pca", BOSTON, "-y", "medv"], 506),
        (["prune-nn", PIMA, "-y", "type", "--epochs", "3", "--prune-epochs", "1"], 532),
        (["stability", BOSTON, "-y", "medv", "--q", "4", "--pfer", "1", "--B", "3", "--engine", "sklearn"], 506),
        (["lasso-ooc", BOSTON, "-y", "medv"], 506),
        (["report", BOSTON, "-y", "medv", "--method", "pca", "--no-timestamp"], 506),
    ],
    ids=["stepwise", "importance", "pca", "prune-nn", "stability", "lasso-ooc", "report"],
)
def test_every_json_starts_with_the_core_keys_in_lower_case(args, n_rows):
    d = run_json(*args)
    assert list(d)[:4] == CORE
    assert d["n_rows"] == n_rows
    assert isinstance(d["selected"], list) and isinstance(d["pruned"], list) and d["selected"]
    assert isinstance(d["provenance"], dict) and d["provenance"]
    assert all(k == k.lower() for k in d), [k for k in d if k != k.lower()]


def test_stepwise_core_keys_are_the_final_terms_and_target_means_target_tilde_dot():
    d = run_json("stepwise", SWISS, "-y", "Fertility")
    f = run_json("stepwise", SWISS, "--formula", "Fertility ~ .")
    assert d["steps"] == f["steps"] and d["coefficients"] == f["coefficients"]
    assert d["selected"] == d["final_terms"] == ["Agriculture", "Education", "Catholic", "Infant.Mortality"]
    assert d["pruned"] == ["Examination"]
    res = run("stepwise", SWISS, "-y", "Education", "--formula", "Fertility ~ .")
    assert res.exit_code == 2 and "response" in res.stderr
    assert run("stepwise", SWISS).exit_code == 2


@pytest.mark.against_r
def test_r_commands_json_core_keys():
    for args, n in ((["lasso", BOSTON, "-y", "medv"], 506), (["validate", BOSTON, "-y", "medv"], 506),
                    (["compare", BOSTON, "-y", "medv", "--method", "lasso,pca"], 506), (["demo"], 506)):
        d = run_json(*args)
        assert list(d)[:4] == CORE and d["n_rows"] == n, args
        assert d["provenance"]["seed"] == 42, args  # the one default seed
    lasso = run_json("lasso", BOSTON, "-y", "medv")
    assert lasso["lambda_min"] == pytest.approx(0.02118501942064922, rel=1e-12)  # R: set.seed(42); cv.glmnet


def test_report_takes_json(tmp_path):
    out, js = tmp_path / "r.md", tmp_path / "r.json"
    res = run("report", BOSTON, "-y", "medv", "--method", "pca", "--no-timestamp", "--format", "md",
              "--out", str(out), "--json", str(js))
    assert res.exit_code == 0, res.stderr
    assert out.read_text().startswith("#") and list(json.loads(js.read_text()))[:4] == CORE
    assert run("report", BOSTON, "-y", "medv").exit_code == 2  # neither --out nor --json


def test_broken_pipe_exits_quietly():
    """`statprune ... | head -2`: the reader is gone before the command writes; no error, exit 0."""
    proc = subprocess.Popen([sys.executable, "-m", "statprune.cli", "pca", BOSTON, "-y", "medv"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # before the interpreter has even started: every write hits EPIPE
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert err == ""
    shell = subprocess.run(f"{sys.executable} -m statprune.cli pca {BOSTON} -y medv | head -2", shell=True,
                           capture_output=True, text=True, timeout=120)
    assert shell.returncode == 0 and len(shell.stdout.splitlines()) == 2 and shell.stderr == ""


@pytest.mark.against_r
def test_lasso_broken_pipe_exits_quietly():
    """`statprune lasso ... | head -2` (issue 15): R's fit, then a reader gone after two lines: exit 0, no traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "statprune.cli", "lasso", BOSTON, "-y", "medv"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 0, err
    assert err == ""
    shell = subprocess.run(f"set -o pipefail; {sys.executable} -m statprune.cli lasso {BOSTON} -y medv | head -2",
                           shell=True, executable="/bin/bash", capture_output=True, text=True, timeout=300)
    assert shell.returncode == 0, shell.stderr
    assert len(shell.stdout.splitlines()) == 2 and shell.stderr == ""


@pytest.mark.parametrize("width", [80, 100])
def test_text_output_wraps_to_the_terminal_width(width, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(width))
    for args in (["stepwise", SWISS, "-y", "Fertility"], ["pca", BOSTON, "-y", "medv"],
                 ["stability", BOSTON, "-y", "medv", "--q", "4", "--pfer", "1", "--B", "3", "--engine", "sklearn"]):
        res = run(*args)
        assert res.exit_code == 0, res.stderr
        wide = [ln for ln in res.stdout.splitlines() if len(ln) > width]
        assert not wide, (args, wide)


@pytest.mark.against_r
def test_validate_table_wraps_to_the_terminal_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    res = run("validate", BOSTON, "-y", "medv")
    assert res.exit_code == 0
    assert max(len(ln) for ln in res.stdout.splitlines()) <= 100
    assert "sklearn" in res.stdout and "coefficient" in res.stdout


@pytest.fixture(scope="module")
def swiss_with_gaps(tmp_path_factory):
    """Swiss with two NA cells in Agriculture and one in Catholic (R's read.csv reads 'NA' as missing)."""
    d = pd.read_csv(SWISS)
    d.loc[[3, 7], "Agriculture"] = np.nan
    d.loc[[11], "Catholic"] = np.nan
    p = tmp_path_factory.mktemp("gaps") / "swiss_gaps.csv"
    d.to_csv(p, index=False, na_rep="NA")
    return str(p)


@pytest.mark.parametrize("args", [
    ["pca", "{f}", "-y", "Fertility", "--drop-missing"],
    ["importance", "{f}", "-y", "Fertility", "--drop-missing", "--kind", "impurity", "--trees", "20"],
    ["stepwise", "{f}", "-y", "Fertility"],
    ["subsets", "{f}", "-y", "Fertility"],
    ["vif", "{f}", "--formula", "Fertility ~ ."],
    ["drop1", "{f}", "--formula", "Fertility ~ Agriculture + Education"],
    ["stability", "{f}", "-y", "Fertility", "--drop-missing", "--q", "2", "--pfer", "1", "--B", "3",
     "--engine", "sklearn"],
])
def test_every_command_reports_missing_cells_the_same_way(args, swiss_with_gaps):
    """Issue 13: each command that reads a file says how many missing cells each column had (as lasso does)."""
    argv = [a.format(f=swiss_with_gaps) for a in args]
    text = run(*argv)
    assert text.exit_code == 0, text.stderr
    assert "Missing cells as read (R's read.csv rules): Agriculture: 2, Catholic: 1" in text.stdout
    got = run_json(*argv)
    assert got["missing"] == {"Agriculture": 2, "Catholic": 1}
