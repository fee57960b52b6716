"""The stepwise / drop1 / add1 commands against R's stored answers (issue 13): --start, --link,
--weights-column, --offset-column, cbind() responses, glm.nb, --test LRT/Rao, --collation; exit 2 for
bad input. The numbers come from tests/expected/stepwise_<case>.json (r_scripts/make_expected_stepwise.R)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import stepwise_cases as C
from helpers import EXPECTED, assert_allclose
from typer.testing import CliRunner

from statprune.cli import app

runner = CliRunner()


def _csv(tmp_path, name: str) -> str:
    """The case's data as a file; Parquet when it has factors a CSV would not keep (R's level order, "1"/"2")."""
    df = C.data(name)
    if any(str(t) == "category" for t in df.dtypes):
        path = tmp_path / f"{name}.parquet"
        df.to_parquet(path)
    else:
        path = tmp_path / f"{name}.csv"
        df.to_csv(path, index=False)
    return str(path)


def _exp(case: str) -> dict:
    return json.loads((EXPECTED / f"stepwise_{case}.json").read_text())


def _json(args: list[str]) -> dict:
    r = runner.invoke(app, [*args, "--json", "-"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _check_steps(out: dict, exp: dict) -> None:
    assert [s["step"] for s in out["steps"]] == [s["step"] for s in exp["steps"]]
    assert out["final_terms"] == exp["final_terms"]
    assert_allclose([s["aic"] for s in out["steps"]], [s["aic"] for s in exp["steps"]], atol=1e-6)


def test_stepwise_start_formula_is_step_from_the_null_model(tmp_path):
    """step(lm(Fertility ~ 1), scope = ~ <all>, direction = "both") written with --start."""
    out = _json(["stepwise", _csv(tmp_path, "swiss"), "--formula", "Fertility ~ .", "--start", "~ 1"])
    assert out["direction"] == "both" and out["collation"] == "C"
    _check_steps(out, _exp("swiss_both_null"))


def test_stepwise_default_direction_is_steps_both(tmp_path):
    out = _json(["stepwise", _csv(tmp_path, "swiss"), "--formula", "Fertility ~ ."])
    assert out["direction"] == "both"
    _check_steps(out, _exp("swiss_backward"))  # R: step(lm) with no scope never adds


@pytest.mark.parametrize(
    ("case", "extra"),
    [
        ("budworm_probit", ["--family", 'binomial(link = "probit")', "--direction", "both"]),
        ("budworm_cloglog", ["--family", "binomial", "--link", "cloglog", "--direction", "backward"]),
        ("budworm_weights", ["--family", "binomial", "--weights-column", "total", "--direction", "backward"]),
        ("anorexia_offset_arg", ["--offset-column", "Prewt", "--direction", "both"]),
        ("mtcars_invgauss_log", ["--family", "inverse.gaussian", "--link", "log", "--direction", "both"]),
        ("quine_nb_small", ["--family", "glm.nb", "--direction", "backward"]),
    ],
)
def test_stepwise_cli_matches_r(tmp_path, case, extra):
    exp = _exp(case)
    out = _json(["stepwise", _csv(tmp_path, exp["spec"]["data"]), "--formula", exp["spec"]["formula"], *extra])
    _check_steps(out, exp)
    coef = {k: (np.nan if v is None else v) for k, v in exp["coefficients"].items()}
    assert list(out["coefficients"]) == list(coef)
    assert_allclose(list(out["coefficients"].values()), list(coef.values()), rtol=1e-7, atol=1e-10)
    if exp.get("theta") is not None:
        assert_allclose(out["theta"], exp["theta"], rtol=1e-6)


@pytest.mark.parametrize(
    ("command", "case", "extra"),
    [
        ("drop1", "dobson_drop1_lrt", ["--test", "LRT"]),
        ("drop1", "dobson_drop1_rao", ["--test", "Rao"]),
        ("add1", "dobson_add1_rao", ["--test", "Rao", "--scope", "~ outcome * treatment"]),
        ("drop1", "housing_dropterm", ["--test", "Chisq"]),
        ("drop1", "swiss_weights_drop1", ["--test", "F", "--weights-column", "w"]),
        ("drop1", "quine_nb_dropterm", ["--test", "Chisq"]),
    ],
)
def test_drop1_add1_commands_match_r(tmp_path, command, case, extra):
    exp = _exp(case)
    spec = exp["spec"]
    data = _csv(tmp_path, spec["data"])
    out = _json([command, data, "--formula", spec["formula"], "--family", spec.get("family", "gaussian"), *extra])
    tab = exp["table"]
    assert [r["term"] for r in out["rows"]] == tab["rows"]
    assert out["collation"] == "C" and out["family"]
    assert_allclose([r["AIC"] for r in out["rows"]], tab["AIC"], atol=1e-6)
    pcol = next(c for c in tab if c.startswith("Pr("))
    got = np.array([np.nan if r[pcol] is None else r[pcol] for r in out["rows"]], float)
    want = np.array([np.nan if v is None else v for v in tab[pcol]], float)
    assert_allclose(got, want, rtol=1e-6, atol=1e-10)


def test_drop1_text_output_names_family_and_collation(tmp_path):
    r = runner.invoke(app, ["drop1", _csv(tmp_path, "dobson"), "--formula", "counts ~ outcome + treatment",
                            "--family", "poisson", "--test", "Chisq"])
    assert r.exit_code == 0, r.output
    assert "Single term deletions" in r.output and "collation 'C'" in r.output and "LRT" in r.output


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["stepwise", "--formula", "Fertility ~ .", "--family", "quasipoisson"], "quasi"),
        (["stepwise", "--formula", "Fertility ~ .", "--family", "poisson", "--link", "probit"], "not available"),
        (["drop1", "--formula", "Fertility ~ .", "--test", "Rao"], "Rao"),
        (["stepwise", "--formula", "Fertility ~ .", "--collation", "fr_FR"], "collation"),
        (["stepwise", "--formula", "Fertility ~ .", "--weights-column", "nope"], "nope"),
        (["stepwise", "--formula", "cbind(Fertility, Education) ~ .", "--family", "poisson"], "binomial"),
        (["add1", "--formula", "Fertility ~ Education", "--scope", "~ . + I(Agriculture[1])"], "indexing"),
        (["stepwise", "--formula", "Fertility ~ C(Education, contr.sum)"], "contrasts"),
        (["stepwise", "--formula", "Fertility ~ Education", "--family", "binomial(link = probit, x = 1)"], "argument"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, args, match):
    cmd, rest = args[0], args[1:]
    r = runner.invoke(app, [cmd, _csv(tmp_path, "swiss"), *rest])
    assert r.exit_code == 2, r.output
    assert match in r.output and "Traceback" not in r.output
    assert r.output.count("error:") == 1


def test_f_test_on_poisson_warns_as_r(tmp_path):
    """drop1(glm.D93, test = "F") warns "F test assumes 'quasipoisson' family" (example(drop1))."""
    import warnings

    from statprune.stepwise import add1, drop1

    d = C.data("dobson")
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        drop1(d, "counts ~ outcome + treatment", family="poisson", test="F")
        add1(d, "counts ~ outcome", "~ . + treatment", family="poisson", test="F")
    msgs = [str(w.message) for w in rec]
    assert "F test assumes 'quasipoisson' family" in msgs and "F test assumes quasipoisson family" in msgs
