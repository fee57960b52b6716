"""statprune._glmnet: glmnet's defaults, rules, fold policy and families, against R.

Stored values: ``tests/expected/glmnet_*.json`` (``r_scripts/make_expected_glmnet.R``: cv.glmnet's
lambda, cvm, cvsd, lambda.min/1se and their indices) and ``tests/expected/r_folds.json``
(``r_scripts/make_expected_rng.R``). Live: glmnet's own internals (``lambda.interp``, ``cvstats``,
``getOptcv.glmnet``) and ``levels(factor(y))`` through ``tests/r/glmnet_rules.R`` (Rscript).
"""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pandas as pd
import pytest
from helpers import EXPECTED, ROOT, child_env, load_expected, require_r

from statprune._glmnet import families, folds, params, rules
from statprune.errors import DataError, ParameterError

CV_CASES = sorted(p.name for p in EXPECTED.glob("glmnet_*.json") if p.name != "glmnet_cases.json")


def _args(d: dict) -> dict:
    """The case's command-line arguments (``--type-measure auc``) as a dict."""
    a = d.get("args") or []
    return {k.lstrip("-"): v for k, v in zip(a[::2], a[1::2])}


# --------------------------------------------------------------------------- params
def test_defaults_are_rs():
    d = params.DEFAULTS
    assert (d.alpha, d.nlambda, d.thresh, d.maxit, d.nfolds, d.standardize, d.intercept, d.grouped) == (
        1.0, 100, 1e-7, 100000, 10, True, True, True)
    c = params.CONTROL
    assert (c.fdev, c.devmax, c.eps, c.big, c.mnlam, c.pmin, c.exmx, c.prec, c.mxit, c.epsnr, c.mxitnr) == (
        1e-5, 0.999, 1e-6, 9.9e35, 5, 1e-9, 250.0, 1e-10, 100, 1e-6, 25)
    assert params.lambda_min_ratio(10, 11) == 0.01 and params.lambda_min_ratio(11, 11) == 1e-4
    assert params.dfmax_default(7) == 8 and params.pmax_default(7) == 7 and params.pmax_default(100) == 100
    assert params.pmax_default(100, dfmax=10) == 40
    assert params.type_gaussian(499) == "covariance" and params.type_gaussian(500) == "naive"
    with pytest.raises(Exception):
        params.DEFAULTS.alpha = 0.5  # frozen


def test_type_measure_table():
    assert [params.default_type_measure(f) for f in ("gaussian", "binomial", "poisson", "multinomial", "cox",
                                                     "mgaussian")] == ["mse", "deviance", "deviance", "deviance",
                                                                       "deviance", "mse"]
    assert params.default_type_measure("binomial", glm=True) == "deviance"
    assert "auc" in params.MEASURES_BY_FAMILY["binomial"] and "auc" not in params.MEASURES_BY_FAMILY["poisson"]
    assert "C" in params.MEASURES_BY_FAMILY["cox"] and params.MEASURES_GLM == {"default", "deviance", "mse", "mae"}
    assert params.measure_name("poisson", "default") == "Poisson Deviance"
    assert params.measure_name("gaussian", "deviance") == "Mean-squared Error"
    assert params.measure_name("cox", "C") == "C-index"


def test_stored_measure_names_match():
    for name in CV_CASES:
        d = load_expected(name)
        fam = d["family"]
        tm = _args(d).get("type-measure", "default")
        if fam in params.MEASURES_BY_FAMILY and tm in params.MEASURES_BY_FAMILY[fam]:
            assert params.measure_name(fam, tm) == d["name"], name


def test_r_options_leave_defaults_out():
    assert params.r_options() == {}
    o = params.r_options(family="binomial", alpha=0.5, nlambda=50, lambda_min_ratio=0.01, standardize=False,
                         fit_intercept=False, penalty_factor=[1.0, 0.0], exclude=[1], lower_limits=-1.0,
                         upper_limits=[np.inf, 2.0], thresh=1e-10, maxit=10, grouped=False, keep=True,
                         alignment="fraction", dfmax=3, pmax=4, type_logistic="modified.Newton",
                         type_measure="auc")
    assert o["family"] == "binomial" and o["alpha"] == 0.5 and o["nlambda"] == 50
    assert o["lambda.min.ratio"] == 0.01 and o["standardize"] is False and o["intercept"] is False
    assert o["penalty.factor"].tolist() == [1.0, 0.0] and o["exclude"].tolist() == [2]  # 0-based 1 is R's 2
    assert o["lower.limits"] == -1.0 and o["upper.limits"].tolist() == [np.inf, 2.0]
    assert (o["thresh"], o["maxit"], o["grouped"], o["keep"], o["alignment"], o["dfmax"], o["pmax"]) == (
        1e-10, 10, False, True, "fraction", 3, 4)
    assert o["type.logistic"] == "modified.Newton" and o["type.measure"] == "auc"
    lam = params.r_options(lambda_=[1.0, 0.5], nlambda=10, lambda_min_ratio=0.1)
    assert list(lam) == ["lambda"]  # a user lambda replaces nlambda / lambda.min.ratio
    assert params.r_options(family="gaussian", link="log") == {"family": "gaussian", "spg.link": "log"}
    assert params.r_options(family="multinomial", type_multinomial="grouped")["type.multinomial"] == "grouped"
    assert params.r_options(relax=True, gamma=[0, 1])["gamma"].tolist() == [0.0, 1.0]


# --------------------------------------------------------------------------- rules (stored cv.glmnet values)
@pytest.mark.parametrize("name", CV_CASES)
def test_choose_lambda_reproduces_stored_cv_glmnet(name):
    d = load_expected(name)
    lam, cvm, cvsd = (np.asarray(d[k], dtype=float) for k in ("lambda", "cvm", "cvsd"))
    got = rules.choose_lambda(lam, cvm, cvsd, maximize=d["name"] in ("AUC", "C-index"))
    assert got.lambda_min == d["lambda_min"] and got.lambda_1se == d["lambda_1se"]
    assert (got.index_min + 1, got.index_1se + 1) == (d["index_min"], d["index_1se"])


# the cases on glmnet's default grid (a user lambda is not one; cox's path is checked elsewhere)
GRID_CASES = [n for n in CV_CASES if "lambda" not in _args(load_expected(n)) and load_expected(n)["family"] != "cox"]


@pytest.mark.parametrize("name", GRID_CASES)
def test_default_lambda_sequence_is_the_stored_grid(name):
    d = load_expected(name)
    args = _args(d)
    lam = np.asarray(d["lambda"], dtype=float)
    ratio = lam[1] / lam[0]  # one step of the grid: ratio^(1/(nlambda-1))
    nl = int(args.get("nlambda", 100))
    lmr = ratio ** (nl - 1)
    assert lmr == pytest.approx(params.lambda_min_ratio(0, 1), rel=1e-8) or lmr == pytest.approx(
        params.lambda_min_ratio(1, 0), rel=1e-8) or "lambda-min-ratio" in args
    grid = rules.lambda_sequence(lam[0], nl, lmr)[: lam.size]
    np.testing.assert_allclose(lam, grid, rtol=1e-10)
    np.testing.assert_allclose(rules.fix_lambda(np.r_[9.9e35, lam[1:]]), lam, rtol=1e-10)


def test_lambda_max_and_path_stop():
    assert rules.lambda_max([0.3, -0.6], [1.0, 2.0]) == pytest.approx(0.3)
    assert rules.lambda_max([0.3, -0.6], [1.0, 2.0], alpha=0.0) == pytest.approx(300.0)  # max(alpha, 1e-3)
    assert rules.lambda_max([1.0], [0.0]) == 1.0
    assert not rules.path_stops(10, 0.5, 0.5, 1, dfmax=5, user_lambda=True)
    assert rules.path_stops(10, 0.5, 0.4999999, 1, dfmax=5)  # gain below fdev * dev
    assert not rules.path_stops(10, 0.5, 0.4, 1, dfmax=5)
    assert not rules.path_stops(10, 0.5, 0.4999999, 1, dfmax=5, fdev=0.0)  # a zero limit: fdev = 0


def test_fold_means_and_cv_aggregate_rules():
    raw = np.array([[1.0, np.inf], [3.0, 2.0], [np.nan, 4.0], [5.0, 6.0]])
    cvraw, fw = rules.fold_means(raw, np.array([1, 1, 2, 2]), np.array([1.0, 3.0, 1.0, 1.0]))
    np.testing.assert_allclose(cvraw, [[2.5, 2.0], [5.0, 5.0]])
    assert fw.tolist() == [4.0, 2.0]
    cvm, cvsd = rules.cv_aggregate(np.array([[1.0, 2.0], [3.0, 4.0], [2.0, 3.0]]), np.array([1.0, 1.0, 2.0]))
    np.testing.assert_allclose(cvm, [2.0, 3.0])
    np.testing.assert_allclose(cvsd, np.sqrt(np.array([0.5, 0.5]) / 2))


def test_cv_summary_drops_missing_lambdas_and_equals_the_parts():
    raw = np.array([[1.0, 2.0, np.nan], [3.0, 2.5, np.nan], [2.0, 1.0, np.nan]])
    out = rules.cv_summary(np.array([1.0, 0.5, 0.25]), raw, np.array([1.0, 2.0, 1.0]))
    assert out["lambda"].tolist() == [1.0, 0.5]  # the all-missing lambda is dropped (cvstats' nas)
    cvm, cvsd = rules.cv_aggregate(raw[:, :2], np.array([1.0, 2.0, 1.0]))
    np.testing.assert_array_equal(out["cvm"], cvm)
    np.testing.assert_array_equal(out["cvup"], cvm + cvsd)
    best = rules.choose_lambda(out["lambda"], cvm, cvsd)
    assert (out["lambda_min"], out["index_min"], out["index_1se"]) == (best.lambda_min, best.index_min + 1,
                                                                      best.index_1se + 1)


def test_glmnet_scale_is_population_sd():
    x = np.array([[1.0, 2.0], [2.0, 2.0], [4.0, 2.0]])
    w = np.array([1.0, 1.0, 2.0])
    xm, xs = rules.glmnet_scale(x, w)
    wn = w / w.sum()
    assert xm[0] == pytest.approx(wn @ x[:, 0]) and xs[0] == pytest.approx(np.sqrt(wn @ (x[:, 0] - xm[0]) ** 2))
    assert xs[1] == 1.0
    xm0, xs0 = rules.glmnet_scale(x, intercept=False, standardize=False)
    assert xm0.tolist() == [0.0, 0.0] and xs0.tolist() == [1.0, 1.0]


def _rules_in_r(tmp_path, payload: dict) -> dict:
    require_r()
    f = tmp_path / "in.json"
    f.write_text(json.dumps(payload))
    env = {**child_env(), "LC_COLLATE": "C", "LC_ALL": "C"}
    proc = subprocess.run(["Rscript", str(ROOT / "tests" / "r" / "glmnet_rules.R"), str(f)], capture_output=True,
                          text=True, timeout=300, check=False, env=env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.against_r
def test_interp_cvstats_getopt_equal_glmnets_own(tmp_path):
    rng = np.random.default_rng(12)
    interp, cv = [], []
    for L in (1, 2, 5, 40):
        lam = np.sort(rng.uniform(0.01, 3.0, L))[::-1]
        if L > 2:
            lam[2] = lam[1]  # a repeated lambda (glmnet's abs(...) < eps rule)
        s = np.r_[rng.uniform(0, 3.5, 12), lam[: min(L, 3)], 10.0, 0.0]
        interp.append({"lambda": lam.tolist(), "s": s.tolist()})
    for K, L, name in ((3, 7, "Mean-Squared Error"), (10, 30, "AUC"), (5, 12, "C-index"), (4, 9, "Binomial Deviance")):
        raw = rng.gamma(2.0, 1.0, (K, L))
        raw[:, 2] = raw[:, 1]  # ties in cvm
        raw[1, 3] = np.nan
        w = rng.integers(5, 20, K).astype(float)
        lam = np.geomspace(2.0, 0.01, L)
        cv.append({"cvraw": [[None if np.isnan(v) else v for v in row] for row in raw], "weights": w.tolist(),
                   "lambda": lam.tolist(), "name": name, "_raw": raw})
    out = _rules_in_r(tmp_path, {"interp": interp, "cv": [{k: v for k, v in c.items() if k != "_raw"} for c in cv],
                                 "levels": []})
    for case, want in zip(interp, out["interp"]):
        left, right, frac = rules.lambda_interp(np.asarray(case["lambda"]), np.asarray(case["s"]))
        assert left.tolist() == want["left"] and right.tolist() == want["right"]
        np.testing.assert_allclose(frac, want["frac"], rtol=1e-13, atol=1e-15)
    for case, want in zip(cv, out["cv"]):
        cvm, cvsd = rules.cv_aggregate(case["_raw"], np.asarray(case["weights"]))
        np.testing.assert_allclose(cvm, want["cvm"], rtol=1e-13)
        np.testing.assert_allclose(cvsd, want["cvsd"], rtol=1e-12)
        got = rules.choose_lambda(np.asarray(case["lambda"]), cvm, cvsd, maximize=case["name"] in ("AUC", "C-index"))
        assert got.lambda_min == pytest.approx(want["lambda_min"][0], rel=1e-14)
        assert got.lambda_1se == pytest.approx(want["lambda_1se"][0], rel=1e-14)
        assert (got.index_min, got.index_1se) == (want["index_min"][0], want["index_1se"][0])


def test_interpolate_matches_lambda_interp():
    lam = np.array([1.0, 0.6, 0.3, 0.1])
    beta = np.arange(8.0).reshape(2, 4) ** 2
    left, right, frac = rules.lambda_interp(lam, [0.45])
    np.testing.assert_allclose(rules.interpolate(beta, lam, 0.45), beta[:, left[0]] * frac[0] + beta[:, right[0]] * (1 - frac[0]))
    np.testing.assert_allclose(rules.interpolate(beta, lam, lam), beta)  # at the path points: the path
    np.testing.assert_allclose(rules.interpolate(beta, lam, [5.0, 0.0]), beta[:, [0, 3]])  # outside: the ends


# --------------------------------------------------------------------------- folds
def test_r_foldid_equals_stored_r_draws():
    doc = json.loads((EXPECTED / "r_folds.json").read_text())
    small = [c for c in doc["cases"] if c["foldid"] is not None][::7]
    assert len(small) > 50
    for c in small:
        assert folds.r_foldid(c["n"], c["nfolds"], c["seed"]).tolist() == list(np.atleast_1d(c["foldid"])), c
    assert folds.draw_foldid(50, 5, seed=3).tolist() == folds.r_foldid(50, 5, 3).tolist()
    f = folds.draw_foldid(53, 5)
    assert sorted(np.bincount(f)[1:].tolist()) == [10, 10, 11, 11, 11]


def test_check_foldid_messages():
    assert folds.check_foldid([1.0, 2.0, 3.0], 3).tolist() == [1, 2, 3]
    for bad, msg in (([1, 2], "has 2 values but the data has 3 rows"), ([0, 1, 2], "whole numbers 1..K"),
                     ([1.5, 2, 3], "whole numbers"), ([1, 3, 3], r"fold\(s\) \[2\] have no rows"),
                     ([1, 2, 2], "defines 2 folds"), (["a", "b", "c"], "integers 1..K"),
                     ([1, np.nan, 3], "whole numbers")):
        with pytest.raises(DataError, match=msg):
            folds.check_foldid(bad, 3)
    with pytest.raises(DataError, match="fold-id column 'f'"):
        folds.check_foldid([1, 1, 1], 3, what="fold-id column 'f'")
    assert folds.check_nfolds(3, 3) == 3
    for bad in (2, 3.0, True, "5"):
        with pytest.raises(ParameterError, match=">= 3"):
            folds.check_nfolds(bad, 10)
    with pytest.raises(ParameterError, match="larger than the number of rows"):
        folds.check_nfolds(11, 10)


def test_hash_foldid_is_partition_independent_and_balanced():
    f = folds.hash_foldid(np.arange(1000), 10, seed=7)
    assert np.bincount(f)[1:].tolist() == [100] * 10
    assert (folds.hash_foldid(np.arange(333, 777), 10, seed=7) == f[333:777]).all()
    assert not (folds.hash_foldid(np.arange(1000), 10, seed=8) == f).all()
    assert folds.hash_salt(5) == 5 and isinstance(folds.hash_salt(None), int)
    with pytest.raises(ParameterError):
        folds.hash_foldid([-1], 3)


# --------------------------------------------------------------------------- families
def test_family_lists_and_links():
    assert families.GLMNET_FAMILIES == ("gaussian", "binomial", "poisson", "multinomial", "mgaussian", "cox")
    assert set(families.GLM_FAMILIES) <= set(families.ALL_FAMILIES)
    assert families.DEFAULT_LINKS["Gamma"] == "inverse" and families.DEFAULT_LINKS["inverse.gaussian"] == "1/mu^2"
    assert families.resolve_family("logistic") == "binomial"
    assert families.resolve_family("nb", families.STEPWISE_FAMILIES) == "glm.nb"
    with pytest.raises(ParameterError, match="not one of"):
        families.resolve_family("tweedie")
    assert families.is_glm_family("binomial", "probit") and families.is_glm_family("Gamma")
    assert not families.is_glm_family("binomial")
    eta = np.array([-40.0, -1.0, 0.0, 2.0, 40.0])
    np.testing.assert_allclose(families.linkinv("logit", eta)[1:4], 1 / (1 + np.exp(-eta[1:4])), rtol=1e-15)
    with pytest.raises(ParameterError):
        families.linkinv("foo", eta)


@pytest.mark.parametrize(("y", "levels"), [
    ([2, 10, 10, 2], [2, 10]),
    (np.array([2.0, 10.0]), [2.0, 10.0]),
    ([-1, 1, -1], [-1, 1]),
    (["b", "B", "a"], ["B", "a", "b"]),
    (["10", "2"], ["10", "2"]),
    ([True, False, True], [False, True]),
    (pd.Series([True, False]), [False, True]),
    (pd.Categorical(["lo", "hi", "lo"], categories=["lo", "hi"]), ["lo", "hi"]),
    (pd.Series(pd.Categorical(["z", "a"], categories=["z", "a", "unused"])), ["z", "a"]),
    (pd.Series(["x", None, "a"]), ["a", "x"]),
])
def test_class_levels(y, levels):
    assert families.class_levels(y) == levels


def test_class_levels_locale():
    assert families.class_levels(["b", "B", "a", "A"], collation="locale") == ["a", "A", "b", "B"]
    with pytest.raises(ParameterError):
        families.class_levels(["a"], collation="de")


@pytest.mark.against_r
def test_class_levels_equal_rs_factor_levels(tmp_path):
    cases = [("numeric", [2, 10, 10, 2], None), ("numeric", [1.5, -3, 100, 20], None),
             ("character", ["b", "B", "a", "_x", "10", "9"], None), ("logical", [True, False, True], None),
             ("factor", ["lo", "hi", "lo"], ["lo", "hi"]), ("factor", ["b", "a"], ["b", "a"])]
    out = _rules_in_r(tmp_path, {"interp": [], "cv": [], "levels": [
        {"kind": k, "values": v, **({"levels": lv} if lv else {})} for k, v, lv in cases]})
    assert out["locale"] == ["C"]
    for (kind, v, lv), want in zip(cases, out["levels"]):
        y = pd.Categorical(v, categories=lv) if kind == "factor" else v
        got = families.class_levels(y)
        r_text = [("TRUE" if g else "FALSE") if isinstance(g, bool) else f"{g:g}" if isinstance(g, float) else str(g)
                  for g in got]
        assert r_text == list(want), (kind, v)


def test_family_targets():
    t = families.check_family_target([2, 10, 10, 2], "binomial")
    assert t.classes == [2, 10] and t.y.codes.tolist() == [0, 1, 1, 0] and families.event_class([2, 10]) == 10
    assert families.event_class([True, False]) is True
    with pytest.raises(DataError, match="needs exactly two classes"):
        families.check_family_target([1, 2, 3], "binomial")
    with pytest.raises(DataError, match="single class"):
        families.check_family_target(["a", "a"], "multinomial")
    with pytest.raises(DataError, match="missing"):
        families.check_family_target(["a", None, "b"], "binomial")
    assert families.check_family_target([[1, 2], [0, 3]], "binomial").classes == ["1", "2"]
    with pytest.raises(DataError, match="no trials"):
        families.check_family_target([[0, 0], [0, 3]], "binomial")
    assert families.check_family_target([0.5, 2.0, 0.0], "poisson").y.tolist() == [0.5, 2.0, 0.0]  # glmnet's rule
    with pytest.raises(DataError, match="negative"):
        families.check_family_target([-1.0, 2.0], "poisson")
    with pytest.raises(DataError, match="strictly positive"):
        families.check_family_target([0.0, 2.0], "Gamma")
    with pytest.raises(DataError, match=r"\[0, 1\]"):
        families.check_family_target([0.5, 2.0], "quasibinomial")
    with pytest.raises(DataError, match="constant"):
        families.check_family_target([1.0, 1.0], "gaussian")
    assert families.check_family_target([1.0, 1.0], "gaussian", glmnet=False).y.tolist() == [1.0, 1.0]
    with pytest.raises(DataError, match="not numeric"):
        families.check_family_target(["a", "b"], "gaussian")
    assert families.check_family_target(pd.DataFrame({"a": [1.0, 2], "b": [3.0, 1]}), "mgaussian").classes == ["a", "b"]
    with pytest.raises(DataError, match="at least two response"):
        families.check_family_target([1.0, 2.0], "mgaussian")
    assert families.check_family_target(np.array([[1.0, 1], [2, 0]]), "cox").y.shape == (2, 2)
    with pytest.raises(DataError, match="strictly positive"):
        families.check_family_target(np.array([[0.0, 1], [2, 0]]), "cox")
