"""statprune.crosscheck: glmnet vs scikit-learn / statsmodels, lm/glm vs OLS/GLM, prcomp vs PCA.

Tiers: unit tests of the mapping and of the report (no R); ``against_r`` live
comparisons through the bridge and through the pure-R reference scripts
(``r_scripts/lm_glm_reference.R``, ``prcomp_reference.R``, ``cv_glmnet.R``).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from helpers import ROOT, assert_allclose, run_rscript

from statprune import datasets
from statprune.crosscheck import mapping
from statprune.errors import DataError, ParameterError

DATA = ROOT / "statprune" / "data"


# --------------------------------------------------------------------------- unit: the mapping
def test_mapping_formulas():
    assert mapping.lasso_alpha(0.3, 2.0) == pytest.approx(0.15)
    assert mapping.logistic_C(0.02, 768) == pytest.approx(1 / (768 * 0.02))
    assert mapping.statsmodels_alpha(0.1) == 0.1
    assert mapping.poisson_ridge_alpha(0.1) == 0.1


def test_weights_and_penalty_factors_rescaled_like_glmnet():
    w = mapping.glmnet_weights([1, 2, 3, 2], 4)
    assert_allclose(w.sum(), 4, rtol=1e-15)
    assert_allclose(w, np.array([1, 2, 3, 2]) * 0.5, rtol=1e-15)
    pf = mapping.glmnet_penalty_factor([1, 1, 2], 3)
    assert_allclose(pf.sum(), 3, rtol=1e-15)
    assert_allclose(pf, [0.75, 0.75, 1.5], rtol=1e-15)
    with pytest.raises(ParameterError, match="sample_weight has 2 values"):
        mapping.glmnet_weights([1, 2], 3)
    with pytest.raises(ParameterError, match="non-negative"):
        mapping.glmnet_penalty_factor([1, -1], 2)


def test_population_sd_is_used():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3))
    w = np.ones(20)
    m, sd = mapping.glmnet_x_scale(X, w)
    assert_allclose(sd, X.std(axis=0, ddof=0), rtol=1e-13)
    assert_allclose(m, X.mean(axis=0), rtol=1e-13)
    _, sd1 = mapping.glmnet_x_scale(X, w, standardize=False)
    assert_allclose(sd1, 1.0)
    # weighted: equals repeating rows
    w2 = np.r_[np.full(10, 2.0), np.ones(10)]
    _, sdw = mapping.glmnet_x_scale(X, w2)
    Xr = np.vstack([X[:10], X[:10], X[10:]])
    assert_allclose(sdw, Xr.std(axis=0), rtol=1e-12)


def test_which_penalty_factors_sklearn_can_reproduce():
    X = np.random.default_rng(1).normal(size=(10, 3))
    ok = lambda fam, a, pf: mapping.GlmnetProblem.build(X, (X[:, 0] > 0).astype(float), fam, a, penalty_factor=pf).sklearn_ok  # noqa: E731
    assert ok("gaussian", 0.5, None) and ok("binomial", 0.5, [2, 2, 2])
    assert ok("gaussian", 1.0, [1, 2, 0]) and ok("binomial", 1.0, [1, 2, 3])  # column rescaling (+ partialling out)
    assert ok("gaussian", 0.5, [0, 2, 2])  # equal positive factors: lambda * c
    assert not ok("gaussian", 0.5, [1, 2, 3]) and not ok("binomial", 1.0, [0, 1, 1])
    with pytest.raises(ParameterError, match="no per-feature penalty"):
        mapping.refit(mapping.GlmnetProblem.build(X, X[:, 0], "gaussian", 0.5, penalty_factor=[1, 2, 3]), 0.1)
    with pytest.raises(ParameterError, match="family"):
        mapping.GlmnetProblem.build(X, X[:, 0], "gamma", 1.0)


def test_gaussian_enet_mapping_without_r():
    """sklearn ElasticNet on y/s_y at lambda/s_y == the glmnet objective written out (checked by KKT)."""
    b = datasets.load_boston()
    X = b.drop(columns="medv").to_numpy(float)
    y = b["medv"].to_numpy(float)
    prob = mapping.GlmnetProblem.build(X, y, "gaussian", 0.5)
    lam = 0.3
    ref = mapping.refit(prob, lam)
    # KKT of glmnet's problem on the standardized scale: (1/n) Z'r = lam*(alpha*sign(b) + (1-alpha)*b/s_y) ...
    # glmnet: 1/(2n)||y - Zb||^2 + lam*alpha*|b| + lam*(1-alpha)/(2*s_y)*||b||^2 (b on the y scale)
    Z = (X - X.mean(0)) / prob.x_sd
    bz = ref.coef * prob.x_sd
    r = y - y.mean() - Z @ bz
    g = Z.T @ r / len(y) - lam * (1 - 0.5) / prob.s_y * bz
    act = bz != 0
    assert_allclose(g[act], lam * 0.5 * np.sign(bz[act]), atol=1e-9)
    assert np.all(np.abs(g[~act]) <= lam * 0.5 + 1e-9)


# --------------------------------------------------------------------------- unit: the report
def _toy_report():
    from statprune.crosscheck.report import CrosscheckReport, num_row, set_row

    rows = [
        num_row("coefficient", "a", "r", "sklearn", 1.0, 1.0 + 1e-9, 1e-6),
        num_row("coefficient", "b", "r", "sklearn", 2.0, 2.1, 1e-6),
        set_row("selected set", "", "r", "sklearn", ["a", "b"], ["a"]),
        num_row("cvm raw", "", "r", "sklearn", 1.0, 2.0, math.nan),
    ]
    return CrosscheckReport(rows, {"family": "gaussian", "alpha": 1.0, "lambda": 0.1, "n": 3, "p": 2, "notes": ["n1"]}, {"seed": 1})


def test_report_object():
    rep = _toy_report()
    assert not rep.ok
    df = rep.to_frame()
    assert list(df.columns)[:10] == ["quantity", "term", "engine_a", "engine_b", "value_a", "value_b", "abs_diff", "rel_diff", "tolerance", "ok"]
    assert df["ok"].tolist() == [True, False, False, True]  # the informational row never fails
    assert rep.max_rel_diff == pytest.approx(0.5)  # the set row: 1 of 2 terms differs; the info row does not count
    assert len(rep.failed()) == 2
    d = json.loads(rep.to_json())
    assert set(d) >= {"checks", "ok", "max_rel_diff", "provenance"}
    assert d["ok"] is False and d["checks"][3]["tolerance"] is None
    text = rep.summary()
    assert "FAILED" in text and "note: n1" in text and "info" in text
    html = rep._repr_html_()
    assert "<table>" in html and "FAIL" in html
    assert "2 failed" in repr(rep)


def test_set_row_lists_differences():
    from statprune.crosscheck.report import set_row

    row = set_row("selected set", "", "r", "sklearn", ["a", "b"], ["b", "c"])
    assert not row["ok"] and row["abs_diff"] == 2 and "a, c" in row["note"]


def test_bad_arguments():
    import statprune

    X = np.zeros((5, 2))
    with pytest.raises(ParameterError, match="engine"):
        statprune.crosscheck(None, X, np.zeros(5), engines=("r", "julia"), family="gaussian", lambda_=0.1)
    with pytest.raises(ParameterError, match="must include 'r'"):
        statprune.crosscheck(None, X, np.zeros(5), engines=("sklearn",), family="gaussian", lambda_=0.1)
    with pytest.raises(ParameterError, match="check"):
        statprune.crosscheck(None, X, np.zeros(5), checks=("bogus",), family="gaussian", lambda_=0.1)
    with pytest.raises(ParameterError, match="not fitted"):
        from statprune.lasso import GlmnetCV

        statprune.crosscheck(GlmnetCV(), X, np.zeros(5))


def test_statprune_crosscheck_is_callable_and_lazy():
    import subprocess
    import sys

    code = "import sys, statprune; f = statprune.crosscheck; print(callable(f), 'rpy2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "False"]


# --------------------------------------------------------------------------- against R: fixed lambda
def _rows(rep, quantity=None, a="r", b=None):
    df = rep.to_frame()
    m = df["engine_a"].eq(a)
    if quantity is not None:
        m &= df["quantity"].eq(quantity)
    if b is not None:
        m &= df["engine_b"].eq(b)
    return df[m]


@pytest.fixture(scope="module")
def boston():
    b = datasets.load_boston()
    return b.drop(columns="medv"), b["medv"]


@pytest.mark.against_r
@pytest.mark.parametrize("alpha", [1.0, 0.5])
def test_gaussian_glmnet_vs_sklearn_1e6(boston, alpha):
    import statprune

    X, y = boston
    rep = statprune.crosscheck(None, X, y, family="gaussian", alpha=alpha, lambda_=0.3, checks=("fit", "path"))
    assert rep.ok, rep.summary()
    coef = _rows(rep, "coefficient", "r", "sklearn")
    assert len(coef) == 13 and coef["rel_diff"].max() < 1e-6
    assert _rows(rep, "path coefficient")["rel_diff"].iloc[0] < 1e-6
    assert _rows(rep, "deviance", "r", "sklearn")["rel_diff"].iloc[0] < 1e-8


@pytest.mark.against_r
def test_binomial_pima_lambda_002(r):
    """The issue's data point: Pima, lambda 0.02, saga tol 1e-12 agrees with glmnet to ~1e-8."""
    import statprune

    pm = datasets.load_pima()
    X, y = pm.drop(columns="type"), pm["type"]
    rep = statprune.crosscheck(None, X, y, family="binomial", alpha=1.0, lambda_=0.02, checks=("fit",))
    assert rep.ok, rep.summary()
    assert _rows(rep, "coefficient", "r", "sklearn")["rel_diff"].max() < 1e-7
    lam_row = _rows(rep, "lambda", "r", "sklearn").iloc[0]
    assert lam_row["term"].startswith("C=") and float(lam_row["term"][2:]) == pytest.approx(1 / (len(pm) * 0.02), rel=1e-5)


@pytest.mark.against_r
def test_multinomial_glmnet_vs_saga(boston, r):
    import statprune

    X, y = boston
    yc = pd.cut(y, [0, 18, 25, 100], labels=["lo", "mid", "hi"])
    rep = statprune.crosscheck(None, X, yc, family="multinomial", alpha=1.0, lambda_=0.03, checks=("fit",))
    assert rep.ok, rep.summary()
    coef = _rows(rep, "coefficient", "r", "sklearn")
    assert len(coef) == 3 * 13 and coef["term"].iloc[0] == "lo:crim"  # glmnet's class order


@pytest.mark.against_r
def test_poisson_l1_vs_statsmodels_and_ridge_vs_poissonregressor(r):
    import statprune
    from statprune._data import prepare_xy

    q = prepare_xy(datasets.load_quine(), "Days", categorical="encode")
    rep = statprune.crosscheck(None, q.X, q.y, ("r", "sklearn", "statsmodels"), family="poisson", alpha=1.0, lambda_=0.05, checks=("fit",),
                               stronger=False)
    assert rep.ok, rep.summary()
    assert set(rep.to_frame()["engine_b"]) == {"statsmodels"}
    assert set(rep.to_frame()["verdict"]) == {"agree"}  # statsmodels converges on quine (KKT ~1e-12 of lambda)
    assert _rows(rep, "coefficient", "r", "statsmodels")["rel_diff"].max() < 1e-6
    assert any("PoissonRegressor has only an L2 penalty" in n for n in rep.info["notes"])
    ridge = statprune.crosscheck(None, q.X, q.y, family="poisson", alpha=0.0, lambda_=0.3, checks=("fit",))
    assert ridge.ok, ridge.summary()
    assert _rows(ridge, "coefficient", "r", "sklearn")["rel_diff"].max() < 1e-6


@pytest.mark.against_r
def test_weights_and_penalty_factor(boston, r):
    import statprune

    X, y = boston
    w = np.random.default_rng(3).uniform(0.5, 2.0, len(y))
    rep = statprune.crosscheck(None, X, y, family="gaussian", lambda_=0.2, sample_weight=w, checks=("fit", "path"))
    assert rep.ok, rep.summary()
    # rep.ok is also true when a comparison is silently left out: the weighted refit rows must be there
    coef = _rows(rep, "coefficient", "r", "sklearn")
    assert len(coef) == 13 and coef["rel_diff"].max() < 1e-6
    pf = np.r_[np.full(6, 2.0), np.ones(7)]
    rep = statprune.crosscheck(None, X, y, family="gaussian", lambda_=0.2, penalty_factor=pf, checks=("fit", "path"))
    assert rep.ok, rep.summary()
    assert _rows(rep, "path coefficient")["rel_diff"].iloc[0] < 1e-6
    # always-kept columns (factor 0): partialled out (Frisch-Waugh), lasso and elastic net
    for alpha, pf in ((1.0, np.r_[0.0, np.full(5, 2.0), np.ones(7)]), (0.5, np.r_[0.0, 0.0, np.full(11, 3.0)])):
        rep = statprune.crosscheck(None, X, y, family="gaussian", alpha=alpha, lambda_=0.2, penalty_factor=pf, sample_weight=w, checks=("fit",))
        assert rep.ok, rep.summary()
        assert _rows(rep, "coefficient", "r", "sklearn")["rel_diff"].max() < 1e-6
    # factors scikit-learn cannot express: said so, not a wrong number
    rep = statprune.crosscheck(None, X, y, family="gaussian", alpha=0.5, lambda_=0.2, penalty_factor=np.arange(1.0, 14.0), checks=("fit",))
    assert rep.ok and _rows(rep, "coefficient", "r", "sklearn").empty
    assert any("no per-feature penalty" in n for n in rep.info["notes"])
    pm = datasets.load_pima()
    wb = np.random.default_rng(4).integers(1, 4, len(pm)).astype(float)
    rep = statprune.crosscheck(None, pm.drop(columns="type"), pm["type"], family="binomial", lambda_=0.01, sample_weight=wb, checks=("fit",))
    assert rep.ok, rep.summary()
    coef = _rows(rep, "coefficient", "r", "sklearn")
    assert len(coef) == 7 and coef["rel_diff"].max() < 1e-6
    # binomial with an always-kept column: statsmodels with a per-parameter alpha
    rep = statprune.crosscheck(None, pm.drop(columns="type"), pm["type"], ("r", "sklearn", "statsmodels"), family="binomial", alpha=0.5, lambda_=0.02,
                               penalty_factor=np.r_[0.0, np.ones(6)], checks=("fit",))
    assert rep.ok, rep.summary()
    assert _rows(rep, "coefficient", "r", "statsmodels")["rel_diff"].max() < 1e-6


# --------------------------------------------------------------------------- against R: a wrong mapping is caught
@pytest.mark.against_r
def test_wrong_logistic_C_is_caught(monkeypatch, r):
    """C = 1/lambda (forgetting n) must make the report fail."""
    import statprune

    monkeypatch.setattr(mapping, "logistic_C", lambda lam, n: 1.0 / lam)
    pm = datasets.load_pima()
    rep = statprune.crosscheck(None, pm.drop(columns="type"), pm["type"], family="binomial", lambda_=0.02, checks=("fit",))
    assert not rep.ok
    failed = rep.failed()
    assert (failed["quantity"] == "coefficient").any() and (failed["engine_b"] == "sklearn").all()
    assert failed["rel_diff"].max() > 1e-2


@pytest.mark.against_r
def test_forgetting_the_sd_scaling_is_caught(monkeypatch, boston, r):
    import statprune

    real = mapping.glmnet_x_scale
    monkeypatch.setattr(mapping, "glmnet_x_scale", lambda X, w, standardize=True: (real(X, w, standardize)[0], np.ones(X.shape[1])))
    X, y = boston
    rep = statprune.crosscheck(None, X, y, family="gaussian", lambda_=0.3, checks=("fit",))
    assert not rep.ok
    assert rep.failed()["rel_diff"].max() > 1e-2


@pytest.mark.against_r
def test_forgetting_y_sd_for_elastic_net_is_caught(monkeypatch, boston, r):
    import statprune

    monkeypatch.setattr(mapping, "lasso_alpha", lambda lam, s_y: lam)  # right for the lasso only
    X, y = boston
    rep = statprune.crosscheck(None, X, y, family="gaussian", alpha=0.5, lambda_=0.3, checks=("fit",))
    assert not rep.ok


# --------------------------------------------------------------------------- against R: CV on the same folds
@pytest.mark.against_r
def test_cv_crosscheck_with_glmnetcv(boston, r):
    import statprune
    from statprune.lasso import GlmnetCV

    X, y = boston
    est = GlmnetCV(seed=42).fit(X, y)
    rep = statprune.crosscheck(est, X, y, checks=("fit", "cv"))
    assert rep.ok, rep.summary()
    df = rep.to_frame()
    exact = df[df["quantity"].str.contains("fold fits at glmnet's lambdas")]
    assert len(exact) == 4 and exact["rel_diff"].max() < 1e-6
    info = df[df["tolerance"].isna()]
    assert {"cvm raw (LassoCV mse_path_.mean)", "cvm reconciled (LassoCV, fold-size weights)", "cvsd raw (LassoCV mse_path_.std)"} <= set(info["quantity"])
    # raw sklearn std is a standard deviation across folds: about sqrt(K-1)=3 times glmnet's cvsd
    raw_sd = info[info["quantity"].str.startswith("cvsd raw")].iloc[0]
    assert 2.0 < raw_sd["value_b"] / raw_sd["value_a"] < 4.5
    rec_sd = info[info["quantity"].str.startswith("cvsd reconciled")].iloc[0]
    assert rec_sd["rel_diff"] < 0.05
    # the result's numbers (thresh 1e-7) against the tight refit: within the stated tolerance
    res_rows = _rows(rep, "coefficient", "r:result", "r")
    assert len(res_rows) == 13 and (res_rows["tolerance"] == 0.01).all() and res_rows["ok"].all()
    assert rep.info["selected"] == est.result_.selected


# --------------------------------------------------------------------------- against R: lm/glm and PCA
@pytest.mark.against_r
@pytest.mark.parametrize(
    ("name", "target", "family", "columns"),
    [("boston", "medv", "gaussian", ["crim", "rm", "lstat", "chas"]), ("pima", "type", "binomial", ["glu", "bmi", "ped"]), ("quine", "Days", "poisson", None)],
)
def test_glm_refit_vs_r_reference_script(name, target, family, columns, r):
    from statprune._data import prepare_xy
    from statprune.crosscheck import crosscheck_glm

    prep = prepare_xy(DATA / f"{name}.csv", target, categorical="encode")
    X = prep.X if columns is None else prep.X[columns]
    rep = crosscheck_glm(X, prep.y if family != "binomial" else (prep.y == "Yes").astype(float), family=family)
    assert rep.ok, rep.summary()
    # the pure-R script (no bridge) gives the same numbers
    args = [str(DATA / f"{name}.csv"), "--target", target, "--family", family]
    if columns is not None:
        args += ["--columns", ",".join(columns)]
    ref = run_rscript("lm_glm_reference.R", *args)
    df = rep.to_frame()
    coef = df[df["quantity"] == "refit coefficient"].set_index("term")["value_b"]
    # every coefficient R reports has a row (an empty selection would compare [] with [] and pass)
    assert list(coef.index) == list(ref["coefficients"])
    assert_allclose(coef.to_numpy(), [ref["coefficients"][t] for t in coef.index], rtol=1e-8)
    se = df[df["quantity"] == "refit std error"].set_index("term")["value_b"]
    assert list(se.index) == list(ref["std_errors"])
    assert_allclose(se.to_numpy(), [ref["std_errors"][t] for t in se.index], rtol=1e-8)
    aic = df[df["quantity"] == "refit AIC"]["value_b"].iloc[0]
    assert_allclose(aic, ref["aic"], rtol=1e-10)


@pytest.mark.against_r
def test_glm_refit_rank_deficient_is_informational(r):
    from statprune.crosscheck import crosscheck_glm

    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3))
    X = np.column_stack([X, X[:, 0] + X[:, 1]])
    with pytest.warns(Warning):
        rep = crosscheck_glm(X, X[:, 0] + rng.normal(size=20))
    assert rep.ok and any("aliased" in n for n in rep.info["notes"])
    assert rep.to_frame().query("quantity == 'refit deviance'")["rel_diff"].iloc[0] < 1e-8  # still checked


@pytest.mark.against_r
def test_cv_crosscheck_column_constant_in_a_fold(r):
    """A dummy present in one fold only is constant on the other folds' training rows: zero coefficient, as glmnet."""
    import statprune
    from statprune.lasso import GlmnetCV

    b = datasets.load_boston()
    X, y = b.drop(columns="medv"), b["medv"]
    X = X.assign(rare=0.0)
    X.loc[X.index[:3], "rare"] = 1.0
    foldid = np.r_[np.ones(3, int), np.resize(np.arange(1, 6), len(y) - 3)]
    res = GlmnetCV(foldid=foldid).fit(X, y)
    rep = statprune.crosscheck(res, X, y, checks=("cv",))
    assert rep.ok, rep.summary()
    assert rep.to_frame()["quantity"].str.contains("fold fits").any()


@pytest.mark.against_r
@pytest.mark.parametrize("scale", [True, False])
def test_pca_vs_prcomp(scale, r):
    from statprune.crosscheck import crosscheck_pca

    sw = datasets.load_swiss()
    rep = crosscheck_pca(sw, scale=scale)
    assert rep.ok, rep.summary()
    ref = run_rscript("prcomp_reference.R", str(DATA / "swiss.csv"), "", "TRUE" if scale else "FALSE")
    sdev = rep.to_frame().query("quantity == 'pca sdev'")["value_b"].to_numpy()
    assert_allclose(sdev, ref["sdev"], rtol=1e-10)


# --------------------------------------------------------------------------- against R: stepwise vs step()
@pytest.mark.against_r
def test_stepwise_vs_r_step(r):
    from statprune.crosscheck import crosscheck_stepwise

    rep = crosscheck_stepwise(datasets.load_swiss(), "Fertility ~ .")
    assert rep.ok, rep.summary()
    steps = rep.to_frame().query("quantity == 'step'")["value_a"].tolist()
    assert steps == ["<start>", "- Examination"]
    b = datasets.load_birthwt()
    b["race"] = b["race"].map({1: "white", 2: "black", 3: "other"})
    rep = crosscheck_stepwise(b, "low ~ age + lwt + race + smoke + ht + ui", family="binomial", direction="both")
    assert rep.ok, rep.summary()
    assert {"raceother", "racewhite"} <= set(rep.to_frame()["term"])  # a factor, compared dummy by dummy
    rep = crosscheck_stepwise(datasets.load_swiss(), "Fertility ~ .", direction="forward")
    assert rep.ok, rep.summary()


@pytest.mark.against_r
@pytest.mark.parametrize("text", ['y ~ system("ls")', "y ~ a + zz", "y ~ log(a)", "~ a", "y ~ a; b"])
def test_r_formula_guard_refuses_non_column_text(text, r):
    from statprune.errors import RError

    with pytest.raises(RError):
        r.call("crosscheck", "cc_safe_formula", text, ["y", "a", "b"])
    # a column-only formula comes back as an R formula (str() of any return value, even None, was != "")
    ok = r.call("crosscheck", "cc_safe_formula", "y ~ a * b - 1", ["y", "a", "b"])
    assert isinstance(ok, r.RObject) and ok.r_class == ("formula",)


# --------------------------------------------------------------------------- against R: the CLI (done-when)
@pytest.mark.against_r
@pytest.mark.parametrize(
    ("data", "args"),
    [
        ("boston.csv", ["--target", "medv", "--seed", "42"]),
        ("pima.csv", ["--target", "type", "--family", "binomial", "--seed", "42"]),
        ("quine.csv", ["--target", "Days", "--family", "poisson", "--seed", "1"]),
    ],
)
def test_cli_validate_ok(data, args, r):
    from typer.testing import CliRunner

    from statprune.cli import app

    res = CliRunner().invoke(app, ["validate", str(DATA / data), *args, "--json", "-"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["ok"] is True and set(out) >= {"checks", "ok", "max_rel_diff", "provenance"}
    assert out["provenance"]["glmnet_version"]
    kinds = {c["engine_b"] for c in out["checks"]}
    assert "statsmodels.OLS" in kinds or "statsmodels.GLM" in kinds
    assert all(c["ok"] for c in out["checks"])


@pytest.mark.against_r
def test_cli_validate_matches_pure_r_script(tmp_path, r):
    """lambda.min of `statprune validate` is the one the pure-R cv_glmnet.R script finds."""
    from typer.testing import CliRunner

    from statprune.cli import app

    res = CliRunner().invoke(app, ["validate", str(DATA / "boston.csv"), "--target", "medv", "--seed", "42", "--json", str(tmp_path / "v.json")])
    assert res.exit_code == 0, res.output
    out = json.loads((tmp_path / "v.json").read_text())
    ref = run_rscript("cv_glmnet.R", str(DATA / "boston.csv"), "--target", "medv", "--seed", "42")
    lam = ref.get("lambda_min", ref.get("lambda.min"))
    assert_allclose(out["info"]["lambda"], lam, rtol=1e-12)


def test_cli_validate_bad_input_exit_2(tmp_path):
    from typer.testing import CliRunner

    from statprune.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["validate", str(DATA / "boston.csv"), "--target", "nope"])
    assert res.exit_code == 2 and "not found" in res.output
    res = runner.invoke(app, ["validate", str(DATA / "boston.csv"), "--target", "medv", "--alpha", "2"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["validate", str(DATA / "boston.csv"), "--target", "medv", "--family", "cox"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["validate", str(DATA / "boston.csv"), "--target", "medv", "--fold-column", "chas"])
    assert res.exit_code == 2 and "fold" in res.output


@pytest.mark.against_r
def test_cli_validate_exit_1_when_a_check_fails(monkeypatch, r):
    from typer.testing import CliRunner

    from statprune.cli import app

    monkeypatch.setattr(mapping, "logistic_C", lambda lam, n: 1.0 / lam)
    res = CliRunner().invoke(app, ["validate", str(DATA / "pima.csv"), "--target", "type", "--family", "binomial", "--seed", "1"])
    assert res.exit_code == 1
    assert "FAIL" in res.stdout


def test_validate_data_errors():
    from statprune.crosscheck import validate

    df = pd.DataFrame({"a": [1.0, 2, 3, 4], "y": ["u", "v", "w", "u"]})
    with pytest.raises(DataError, match="two classes"):
        validate(df, "y", family="binomial")
    with pytest.raises(DataError, match="not numeric"):
        validate(df, "y", family="gaussian")


# --------------------------------------------------------------------------- issue 14: certificates
TESTDATA = ROOT / "tests" / "data"


def test_certificate_kkt_and_objective_without_r():
    """sklearn's Lasso solution satisfies glmnet's KKT conditions; a perturbed one does not, and scores worse."""
    from statprune.crosscheck import _certify, _refsolvers

    b = datasets.load_boston()
    X = b.drop(columns="medv").to_numpy(float)
    y = b["medv"].to_numpy(float)
    prob = mapping.GlmnetProblem.build(X, y, "gaussian", 1.0)
    sol = _refsolvers.solve("sklearn", prob, 0.3)
    gp = _certify.glmnet_problem(X, y, "gaussian", 1.0, 0.3)
    good = _certify.certify("sklearn", gp, sol.intercept, sol.coef, own=sol.native)
    assert good.kkt < 1e-8 and good.intercept_score < 1e-8 and good.own_kkt < 1e-8 and good.converged and good.optimal
    bad_coef = sol.coef.copy()
    bad_coef[np.flatnonzero(bad_coef)[0]] *= 1.01
    bad = _certify.certify("x", gp, sol.intercept, bad_coef)
    assert bad.kkt > 1e-4 and bad.objective > good.objective and not bad.converged
    # the scipy engine solves glmnet's objective directly: same optimum
    sp = _refsolvers.solve("scipy", prob, 0.3)
    c = _certify.certify("scipy", gp, sp.intercept, sp.coef, own=sp.native)
    assert c.converged and abs(c.objective - good.objective) < 1e-12
    assert_allclose(sp.coef * prob.x_sd, sol.coef * prob.x_sd, atol=1e-6)


def test_verdicts_from_certificates():
    from statprune.crosscheck import _certified, _certify
    from statprune.crosscheck.report import CrosscheckReport, num_row

    ok_cert = _certify.Certificate("a", 1.0, 1e-9, 1e-9, 1e-9, 1e-9, 0.0)
    stuck = _certify.Certificate("b", 1.1, 0.3, 1e-3, 0.3, 1e-3, 0.1, tried=["max_iter=2 (user options)"])
    rows = [num_row("coefficient", "x", "r", "b", 1.0, 1.5, 1e-6), num_row("lambda", "", "r", "b", 0.1, 0.1, 1e-12)]
    _certified.apply_certificates(rows, [ok_cert, stuck])
    assert rows[0]["verdict"] == "not converged" and rows[0]["ok"] and "b not converged" in rows[0]["note"] and "max_iter=2" in rows[0]["note"]
    assert rows[1]["verdict"] == "agree"  # the lambda mapping row is never excused
    rows = [num_row("coefficient", "x", "r", "a", 1.0, 1.5, 1e-6)]
    _certified.apply_certificates(rows, [ok_cert, ok_cert])
    assert rows[0]["verdict"] == "disagree" and not rows[0]["ok"]
    rep = CrosscheckReport(rows, {"family": "gaussian", "notes": []})
    assert not rep.ok and rep.verdicts["disagree"] == 1
    assert set(json.loads(rep.to_json())["checks"][0]) >= {"verdict", "objective_gap", "kkt_violation"}


def _example(name):
    df = pd.read_csv(TESTDATA / name)
    return df.filter(regex=r"^V\d+$"), df["y"], df["fold"].to_numpy()


@pytest.mark.against_r
def test_poisson_example_validate_exit_0_two_certified_engines(r):
    """Done-when of issue 14: PoissonExample with a fold column: exit 0, every penalised row agree, 2 certified engines besides R."""
    from typer.testing import CliRunner

    from statprune.cli import app

    res = CliRunner().invoke(app, ["validate", str(TESTDATA / "glmnet_poisson_example.csv"), "--target", "y", "--family", "poisson",
                                   "--fold-column", "fold", "--json", "-"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    checks = pd.DataFrame(out["checks"])
    penalised = checks[~checks["quantity"].str.startswith("refit")]
    assert len(penalised) > 50 and set(penalised["verdict"]) == {"agree"}
    certs = pd.DataFrame(out["certificates"])
    fit = certs[(certs["stage"] == "fit") & (certs["engine"] != "r")]
    assert set(fit.loc[fit["optimal"], "engine"]) >= {"glum", "skglm"}
    assert certs["kkt_violation"].max() < 1e-5 and certs["objective_gap"].max() < 1e-9
    # every stage is there for both engines
    for q in ("coefficient", "path coefficient", "path objective", "cvm", "cvsd", "lambda.min", "cv prevalidated linear predictor"):
        assert set(checks.loc[checks["quantity"] == q, "engine_b"]) >= {"glum", "skglm"}, q
    # statsmodels' elastic net is not a default engine: it does not converge here (the issue's false alarm)
    assert "statsmodels" not in set(penalised["engine_b"])


@pytest.mark.against_r
def test_statsmodels_poisson_example_is_not_converged_not_disagree(r):
    import statprune

    X, y, _ = _example("glmnet_poisson_example.csv")
    rep = statprune.crosscheck(None, X, y, ("r", "statsmodels"), family="poisson", lambda_=0.128, checks=("fit",))
    assert rep.ok  # never a disagreement ...
    sm = _rows(rep, "coefficient", "r", "statsmodels")
    assert len(sm) == 20 and set(sm["verdict"]) == {"not converged"}  # ... and never counted as agreement
    assert "statsmodels not converged" in sm["note"].iloc[0]
    certs = pd.DataFrame(rep.certificates)
    st = certs[certs["engine"] == "statsmodels"].iloc[0]
    assert st["kkt_violation"] > 0.1 and st["objective_gap"] > 1e-5
    # the stronger references were tried and are certified
    assert set(certs.loc[certs["optimal"] & (certs["engine"] != "r"), "engine"]) >= {"glum", "scipy"}


@pytest.mark.against_r
def test_engine_capped_at_two_iterations_is_not_converged(r):
    import statprune

    X, y, _ = _example("glmnet_poisson_example.csv")
    rep = statprune.crosscheck(None, X, y, family="poisson", lambda_=0.128, checks=("fit",), engine_options={"glum": {"max_iter": 2}})
    assert rep.ok, rep.summary()
    glum = _rows(rep, "coefficient", "r", "glum")
    assert set(glum["verdict"]) == {"not converged"} and glum["rel_diff"].max() > 1e-3
    assert "max_iter=2" in glum["note"].iloc[0]
    assert set(_rows(rep, "coefficient", "r", "skglm")["verdict"]) == {"agree"}
    certs = pd.DataFrame(rep.certificates)
    assert certs.loc[certs["engine"] == "glum", "status"].iloc[0] == "not converged"
    # a stronger reference was tried before giving up: two certified engines remain
    assert (certs["optimal"] & (certs["engine"] != "r")).sum() >= 2
    # the same cap on the path and CV stages
    X2, y2 = X.iloc[:, :5], y
    rep = statprune.crosscheck(None, X2, y2, ("r", "glum"), family="poisson", lambda_=0.1, checks=("path",), engine_options={"glum": {"max_iter": 2}},
                               stronger=False)
    assert set(_rows(rep, "path coefficient", "r", "glum")["verdict"]) == {"not converged"}


@pytest.mark.against_r
@pytest.mark.parametrize("family", ["poisson", "gaussian"])
def test_wrong_glum_lambda_mapping_is_disagree(monkeypatch, family, r):
    """glum given alpha = 2 lambda converges (own KKT) to another problem: disagree, exit 1."""
    import statprune

    real = mapping.glum_alpha
    monkeypatch.setattr(mapping, "glum_alpha", lambda lam, s_y=1.0: 2 * real(lam, s_y))
    if family == "poisson":
        X, y, _ = _example("glmnet_poisson_example.csv")
        lam = 0.128
    else:
        X, y, _ = _example("glmnet_quickstart.csv")
        lam = 0.08
    rep = statprune.crosscheck(None, X, y, family=family, lambda_=lam, checks=("fit",))
    assert not rep.ok
    glum = _rows(rep, "coefficient", "r", "glum")
    assert (glum["verdict"] == "disagree").any() and not (glum["verdict"] == "not converged").any()
    certs = pd.DataFrame(rep.certificates).set_index("engine")
    assert certs.loc["glum", "own_kkt_violation"] < 1e-5 and certs.loc["glum", "kkt_violation"] > 0.1
    assert certs.loc["glum", "status"] == "converged, not glmnet's optimum"


@pytest.mark.against_r
def test_cli_validate_wrong_mapping_exit_1(monkeypatch, r):
    from typer.testing import CliRunner

    from statprune.cli import app

    real = mapping.skglm_alpha
    monkeypatch.setattr(mapping, "skglm_alpha", lambda lam, s_y=1.0: real(lam, s_y) / 3)
    res = CliRunner().invoke(app, ["validate", str(TESTDATA / "glmnet_poisson_example.csv"), "--target", "y", "--family", "poisson",
                                   "--fold-column", "fold"])
    assert res.exit_code == 1, res.output
    assert "DISAGREE" in res.stdout


# Tolerances stated per row (and asserted below): coefficients, intercepts, path and CV curves 1e-6 relative to the
# coefficient (or curve) scale; path objective 1e-9 absolute on glmnet's scale; lambda.min exact; certificates:
# KKT violation <= 1e-5 of lambda, objective gap <= 1e-9.
FAMILY_CASES = [
    ("gaussian", "glmnet_quickstart.csv", None),
    ("gaussian", "boston.csv", "medv"),
    ("binomial", "glmnet_binomial_example.csv", None),
    ("binomial", "pima.csv", "type"),
    ("poisson", "glmnet_poisson_example.csv", None),
    ("poisson", "quine.csv", "Days"),
    ("multinomial", "glmnet_multinomial_example.csv", None),
    ("multinomial", "birthwt.csv", "race"),
]


@pytest.mark.against_r
@pytest.mark.slow
@pytest.mark.parametrize(("family", "data", "target"), FAMILY_CASES, ids=[f"{f}-{d.split('.')[0]}" for f, d, _ in FAMILY_CASES])
def test_every_family_fit_path_cv_certified(family, data, target, r):
    from statprune.crosscheck import validate

    if target is None:
        rep = validate(TESTDATA / data, "y", family=family, foldid_column="fold")
    else:
        kw = dict(exclude=["low"]) if data == "birthwt.csv" else {}
        rep = validate(DATA / data, target, family=family, seed=1, nfolds=5, **kw)
    df = rep.to_frame()
    assert rep.ok, rep.summary()
    pen = df[~df["quantity"].str.startswith("refit") & (df["engine_a"] == "r")]
    pen_all = pen
    stuck = pen[pen["verdict"] == "not converged"]
    if family == "multinomial":
        # scikit-learn's saga can stop with the intercepts short of their optimum when every coefficient is zero (a fold's
        # largest lambdas): reported, named, never counted as agreement; scipy (certified) is the second engine there
        assert set(stuck["engine_b"]) <= {"sklearn"} and stuck["note"].str.contains("sklearn not converged").all()
        pen = pen[pen["verdict"] != "not converged"]
    assert set(pen["verdict"]) == {"agree"}, rep.summary()
    for q, tol in (("coefficient", 1e-6), ("intercept", 1e-6), ("path coefficient", 1e-6), ("path intercept", 1e-6), ("path objective", 1e-9),
                   ("cvm", 1e-6), ("cvsd", 1e-6), ("cv prevalidated linear predictor", 1e-6), ("lambda.min", 0.0)):
        assert pen_all.loc[pen_all["quantity"] == q, "engine_b"].nunique() >= 2, (q, rep.summary())
        sub = pen[pen["quantity"] == q]
        assert (sub["tolerance"] == tol).all() and (sub["rel_diff"] <= tol).all(), q
    certs = pd.DataFrame(rep.certificates)
    good = certs[certs["engine"] != "sklearn"] if family == "multinomial" else certs
    assert good["optimal"].all(), certs
    assert good["kkt_violation"].max() < 1e-5
    fit = certs[(certs["stage"] == "fit") & (certs["engine"] != "r")]
    assert fit["optimal"].sum() >= 2, certs  # two certified engines besides R at lambda.min
    assert df.loc[df["quantity"] == "cvm (glmnet's rules on R's predictions)", "rel_diff"].max() < 1e-10


@pytest.mark.against_r
def test_docs_crosscheck_blocks_run(monkeypatch, r):
    """The Python blocks of docs/crosscheck.md run (from the repository root, where its data path points)."""
    import re

    text = (ROOT / "docs" / "crosscheck.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks
    monkeypatch.chdir(ROOT)
    ns: dict = {}
    for block in blocks:
        exec(compile(block, "docs/crosscheck.md", "exec"), ns)  # noqa: S102 - our own docs
    assert ns["rep"].ok and ns["status"]["glum"] == "not converged"


@pytest.mark.against_r
def test_poisson_offset_and_weights_certified(r):
    """An offset (log exposure) and case weights: glum and scipy take them, R's glmnet(offset=, weights=) is the reference."""
    import statprune

    X, y, fold = _example("glmnet_poisson_example.csv")
    rng = np.random.default_rng(14)
    off = np.log(rng.uniform(0.5, 2.0, len(y)))
    w = rng.integers(1, 4, len(y)).astype(float)
    rep = statprune.crosscheck(None, X, y, family="poisson", lambda_=0.1, offset=off, sample_weight=w, foldid=fold, checks=("fit", "path", "cv"))
    assert rep.ok, rep.summary()
    df = rep.to_frame()
    pen = df[df["engine_a"] == "r"]
    assert set(pen["verdict"]) == {"agree"}, rep.summary()
    assert {"glum", "scipy"} <= set(pen.loc[pen["quantity"] == "coefficient", "engine_b"])
    assert {"glum", "scipy"} <= set(pen.loc[pen["quantity"] == "cvm", "engine_b"])
    assert pen.loc[pen["quantity"] == "coefficient", "rel_diff"].max() < 1e-6
    assert any("skglm skipped" in n for n in rep.info["notes"])
    with pytest.raises(ParameterError, match="offsets"):
        statprune.crosscheck(None, X, y, family="gaussian", lambda_=0.1, offset=off, checks=("fit",))
