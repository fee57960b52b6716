"""The pure-R reference scripts parse their command lines with optparse (issue 15): ``--help`` works,
the documented command lines keep working, and a bad command line stops with optparse's message."""

from __future__ import annotations

import json
import subprocess

import pytest
from helpers import R_SCRIPTS, ROOT, child_env, require_r

pytestmark = pytest.mark.against_r

BOSTON = str(ROOT / "statprune" / "data" / "boston.csv")
OPTPARSE_SCRIPTS = {  # script -> options its --help must list
    "cv_glmnet.R": ["--target", "--seed", "--foldid-column", "--weights-column", "--type-measure", "--penalty-factor", "--s"],
    "lm_glm_reference.R": ["--target", "--family", "--columns", "--exclude"],
    "selective_inf.R": ["--target", "--method", "--lambda", "--sigma", "--type", "--k", "--alpha"],
    "step_reference.R": ["--case", "--list", "--data", "--formula", "--direction", "--criterion", "--no_drop1"],
}


def _rscript(script: str, *args: str) -> subprocess.CompletedProcess:
    require_r()
    return subprocess.run(["Rscript", str(R_SCRIPTS / script), *args], capture_output=True, text=True,
                          timeout=300, env=child_env(), check=False)


def test_the_argument_parsers_use_optparse():
    assert "library(optparse)" in (R_SCRIPTS / "_args.R").read_text()
    assert "optparse::parse_args" in (R_SCRIPTS / "step_reference.R").read_text()
    for script in ("cv_glmnet.R", "lm_glm_reference.R", "selective_inf.R"):
        assert 'source(file.path(here, "_args.R"))' in (R_SCRIPTS / script).read_text(), script
    assert "r-cran-optparse" in (ROOT / "scripts" / "setup.sh").read_text()


@pytest.mark.parametrize("script", sorted(OPTPARSE_SCRIPTS))
def test_help_lists_the_options_and_exits_0(script):
    # selective_inf.R parses before it loads selectiveInference (not a Debian package): --help works without it
    r = _rscript(script, "--help")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"Usage: Rscript r_scripts/{script}")
    for opt in OPTPARSE_SCRIPTS[script]:
        assert f"{opt}" in r.stdout, (script, opt)


def test_documented_cv_glmnet_command_line_runs():
    # README.md, docs/lasso.md, docs/lambda_mapping.md: Rscript r_scripts/cv_glmnet.R <csv> --target medv --seed 42
    docs = (ROOT / "README.md").read_text() + (ROOT / "docs" / "lasso.md").read_text()
    assert "Rscript r_scripts/cv_glmnet.R statprune/data/boston.csv --target medv --seed 42" in docs
    out = json.loads(_rscript("cv_glmnet.R", BOSTON, "--target", "medv", "--seed", "42").stdout)
    assert out["seed"] == 42 and out["family"] == "gaussian" and out["alpha"] == 1
    assert out["lambda_min"] == pytest.approx(0.02118501942064922, rel=1e-12)  # README's number (nfolds 10)
    # --key=value is accepted as well as --key value
    again = json.loads(_rscript("cv_glmnet.R", BOSTON, "--target=medv", "--seed=42").stdout)
    assert again["lambda_min"] == out["lambda_min"]


@pytest.mark.parametrize("args, message", [
    ((BOSTON,), "--target is required"),
    (("--target", "medv"), "0 data files given, 1 expected"),
    ((BOSTON, "--target", "medv", "--bogus", "1"), "no such option: --bogus"),
    ((BOSTON, "--target"), 'flag "target" requires an argument'),
])
def test_bad_command_lines_stop_with_a_message(args, message):
    r = _rscript("cv_glmnet.R", *args)
    assert r.returncode != 0 and message in r.stderr, r.stderr


def test_step_reference_list_and_named_options():
    r = _rscript("step_reference.R", "--list")
    assert r.returncode == 0, r.stderr
    assert "swiss_backward" in json.loads(r.stdout)
    out = json.loads(_rscript("step_reference.R", "--data", "swiss", "--formula", "Fertility ~ .",
                              "--criterion", "bic", "--no_drop1", "1").stdout)
    assert out["final_terms"] == ["Agriculture", "Education", "Catholic", "Infant.Mortality"]
