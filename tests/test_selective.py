"""Selective inference (fixedLassoInf, fsInf, larInf) against R's selectiveInference.

Three tiers:

* fixture tests (always run, also in CI): ``tests/expected/selective_reference.json`` holds
  the inputs and R's outputs, written by ``r_scripts/selective_reference.R`` with
  selectiveInference 1.2.5 (the versions are in the file). Data sets: the package's own
  examples (``?fixedLassoInf``: gaussian, binomial, cox; ``?fsInf``; ``?larInf``) and
  MASS::Boston (gaussian), MASS::Pima.tr (binomial), survival::lung (cox, Efron ties),
  mtcars (fs, lar). Tolerance: 1e-6 relative on p-values, CI bounds, truncation limits
  (measured: <= 3e-12; everything is deterministic, no Monte Carlo or integration).
* ``against_r`` (R + glmnet, never skipped in CI): a statprune GlmnetCV fit passed as
  ``fit=`` gives R's numbers, which checks the lambda conversion (``n * lambda_glmnet``,
  ``coef(exact = TRUE)``).
* live (where selectiveInference is installed, e.g. ``R_LIBS=/path/to/rlib``): a fresh
  simulated data set run through R and Python.
"""

from __future__ import annotations

import json
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from statprune.errors import DataError, NothingSelectedWarning, ParameterError
from statprune.selective import fixed_lasso_inf, fs_inf, lar_inf

HERE = Path(__file__).parent
REF = json.loads((HERE / "expected" / "selective_reference.json").read_text())
CASES = REF["cases"]
RTOL = 1e-6


_SPECIAL = {"Inf": np.inf, "-Inf": -np.inf, "NA": np.nan, "NaN": np.nan, None: np.nan}


def _num(v):
    """A number from the fixture: jsonlite writes R's Inf/-Inf/NA as strings."""
    return _SPECIAL[v] if isinstance(v, str) or v is None else float(v)


def _close(a, b, rtol=RTOL, atol=0.0):
    a = np.asarray(a, dtype=float)
    b = np.asarray([_num(v) for v in np.atleast_1d(np.asarray(b, dtype=object)).ravel()], dtype=float).reshape(a.shape)
    assert np.array_equal(np.isinf(a), np.isinf(b)) and np.array_equal(np.sign(a[np.isinf(a)]), np.sign(b[np.isinf(b)]))
    fin = np.isfinite(b)
    np.testing.assert_allclose(a[fin], b[fin], rtol=rtol, atol=atol)


def _check(res, ref, names=None):
    t = res.table
    vars_ = [int(v) - 1 for v in np.atleast_1d(ref["vars"])]
    names = names or [f"x{j + 1}" for j in range(max(vars_) + 1)]
    assert list(t["term"]) == [names[v] for v in vars_]
    _close(t["p_value"], ref["pv"])
    ci = np.asarray(ref["ci"], dtype=object).reshape(-1, 2)
    _close(t["ci_lower"], ci[:, 0])
    _close(t["ci_upper"], ci[:, 1])
    tail = np.asarray(ref["tailarea"], dtype=object).reshape(-1, 2)
    _close(t["tailarea_lower"], tail[:, 0], atol=1e-12)
    _close(t["tailarea_upper"], tail[:, 1], atol=1e-12)
    if ref.get("sigma") is not None:
        assert res.sigma == pytest.approx(ref["sigma"], rel=1e-10)
    if ref.get("khat") is not None:
        assert res.khat == ref["khat"]


LASSO = [k for k in CASES if k.startswith("lasso")]


@pytest.mark.parametrize("name", LASSO)
def test_fixed_lasso_inf_matches_r_fixture(name):
    c = CASES[name]
    kw = {"beta": c["beta"], "lambda_": c["lambda"], "family": c["family"]}
    if c.get("sigma") is not None:
        kw["sigma"] = c["sigma"]
    if c.get("alpha") is not None:
        kw["alpha"] = c["alpha"]
    if c["family"] == "cox":
        kw["status"] = c["status"]
    res = fixed_lasso_inf(np.asarray(c["x"]), np.asarray(c["y"]), feature_names=c.get("names"), **kw)
    names = c.get("names") or [f"x{j + 1}" for j in range(np.asarray(c["x"]).shape[1])]
    _check(res, c["out"], names)
    ref = c["out"]
    if c["family"] == "gaussian":  # R reports vlo/vup on the coefficient scale and coef0 = the LS coefficient
        _close(res.table["vlo"], ref["vlo"])
        _close(res.table["vup"], ref["vup"])
        _close(res.table["estimate"], ref["coef0"])
    if c["family"] == "binomial":
        _close(res.table["estimate"], ref["coef0"])


@pytest.mark.parametrize("name", [k for k in CASES if k.startswith(("fs_", "lar_"))])
def test_fs_lar_inf_match_r_fixture(name):
    c = CASES[name]
    f = fs_inf if name.startswith("fs") else lar_inf
    x, y = np.asarray(c["x"]), np.asarray(c["y"])
    names = c.get("names") or [f"x{j + 1}" for j in range(x.shape[1])]
    kw = {"feature_names": names}
    _check(f(x, y, **kw), c["active"], names)
    _check(f(x, y, type="aic", **kw), c["aic"], names)
    if "all5" in c:
        _check(f(x, y, type="all", k=5, **kw), c["all5"], names)
    else:
        _check(f(x, y, type="all", k=3, sigma=2.5, alpha=0.05, **kw), c["all3"], names)
    act = f(x, y, **kw)
    assert act.active == [names[int(a) - 1] for a in c["action"]]
    np.testing.assert_array_equal(act.table["sign"], np.asarray(c["sign"], dtype=float))


def test_path_lambdas_match_r_lar():
    from statprune.selective import lar_path

    c = CASES["lar_example"]
    path = lar_path(np.asarray(c["x"]), np.asarray(c["y"]))
    np.testing.assert_allclose(path.lambdas, c["lambda"], rtol=1e-10)


# ------------------------------------------------------------------ API behaviour
def test_result_shape_and_json_core_keys():
    c = CASES["lasso_boston"]
    res = fixed_lasso_inf(np.asarray(c["x"]), np.asarray(c["y"]), beta=c["beta"], lambda_=c["lambda"],
                          feature_names=c["names"])
    d = json.loads(res.to_json())
    for key in ("selected", "pruned", "n_rows", "provenance", "rows", "conditioning"):
        assert key in d
    assert d["n_rows"] == 506
    assert set(d["rows"][0]) >= {"term", "estimate", "p_value", "ci_lower", "ci_upper", "naive_p_value"}
    assert set(res.selected) <= set(res.active)
    assert set(res.selected) | set(res.pruned) == set(c["names"])
    assert "NOT valid" in res.summary()


def test_naive_p_value_is_the_lm_refit():
    import statsmodels.api as sm

    c = CASES["lasso_boston"]
    x, y = np.asarray(c["x"]), np.asarray(c["y"])
    res = fixed_lasso_inf(x, y, beta=c["beta"], lambda_=c["lambda"], feature_names=c["names"])
    cols = [c["names"].index(t) for t in res.active]
    ols = sm.OLS(y, sm.add_constant(x[:, cols])).fit()
    np.testing.assert_allclose(res.table["naive_p_value"], ols.pvalues[1:], rtol=1e-8)


def test_bad_input_is_a_clear_error():
    c = CASES["lasso_example_known_sigma"]
    x, y = np.asarray(c["x"]), np.asarray(c["y"])
    with pytest.raises(ParameterError, match="one per column"):
        fixed_lasso_inf(x, y, beta=c["beta"][:-1], lambda_=c["lambda"])
    with pytest.raises(ParameterError, match="polyhedral"):
        fixed_lasso_inf(x, y, beta=c["beta"], lambda_=c["lambda"] * 200)
    with pytest.raises(ParameterError, match="alpha"):
        fixed_lasso_inf(x, y, beta=c["beta"], lambda_=c["lambda"], alpha=1.5)
    with pytest.raises(DataError, match="NaN"):
        fixed_lasso_inf(np.where(x > 2, np.nan, x), y, beta=c["beta"], lambda_=c["lambda"])
    with pytest.raises(ParameterError, match="k"):
        fs_inf(x, y, type="all")
    with pytest.raises(ParameterError, match="status"):
        fixed_lasso_inf(x, y, beta=c["beta"], lambda_=c["lambda"], family="cox")


def test_empty_model_warns_and_returns_no_rows():
    c = CASES["lasso_example_known_sigma"]
    with pytest.warns(NothingSelectedWarning):
        res = fixed_lasso_inf(np.asarray(c["x"]), np.asarray(c["y"]), beta=np.zeros(10), lambda_=1e4, sigma=1.0)
    assert res.table.empty and res.selected == []


def test_sd_y_fallback_warns_when_p_over_n_half():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((20, 12))
    y = x[:, 0] * 2 + rng.standard_normal(20)
    with pytest.warns(UserWarning, match="sd\\(y\\)"):
        res = lar_inf(x, y, k=2, type="all")
    assert res.sigma == pytest.approx(np.std(y - y.mean(), ddof=1))


def test_dataframe_names_are_terms():
    c = CASES["fs_mtcars"]
    df = pd.DataFrame(np.asarray(c["x"]), columns=c["names"])
    res = fs_inf(df, np.asarray(c["y"]), k=3, type="all", sigma=2.5)
    assert res.active == [c["names"][int(a) - 1] for a in c["action"][:3]]


# ------------------------------------------------------------------ against R (glmnet through rpy2)
@pytest.mark.against_r
def test_fit_argument_converts_glmnet_lambda_exactly():
    """A statprune GlmnetCV(standardize=False) fit at s = 0.1 gives R's fixedLassoInf(x, y, beta, n * 0.1)."""
    from statprune import GlmnetCV

    c = CASES["lasso_boston"]
    x, y = np.asarray(c["x"]), np.asarray(c["y"])
    est = GlmnetCV(standardize=False, thresh=1e-14, seed=1).fit(pd.DataFrame(x, columns=c["names"]), y)
    res = fixed_lasso_inf(x, y, fit=est, s=c["glmnet_lambda"], feature_names=c["names"])
    assert res.lambda_ == pytest.approx(506 * 0.1, rel=1e-14)
    _check(res, c["out"], c["names"])


@pytest.mark.against_r
def test_fit_with_standardize_true_is_refused():
    from statprune import GlmnetCV

    c = CASES["lasso_example_known_sigma"]
    x, y = np.asarray(c["x"]), np.asarray(c["y"])
    est = GlmnetCV(seed=1).fit(x, y)
    with pytest.raises(ParameterError, match="standardize"):
        fixed_lasso_inf(x, y, fit=est)


# ------------------------------------------------------------------ live, where selectiveInference is installed
def _have_selective_inference() -> bool:
    try:
        r = subprocess.run(["Rscript", "-e", "quit(status = !requireNamespace('selectiveInference', quietly = TRUE))"],
                           capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


def _run_r(csv, *args):
    r = subprocess.run(["Rscript", str(HERE.parent / "r_scripts" / "selective_inf.R"), str(csv), "--target", "y", *args],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    return {"vars": out["vars"], "pv": out["pv"], "ci": out["ci"], "tailarea": out["tailarea"],
            "sigma": out["sigma"][0] if out["sigma"] else None,
            "khat": out["khat"][0] if out.get("khat") else None}, out


LIVE = pytest.mark.skipif(not _have_selective_inference(),
                          reason="R package selectiveInference not installed (not in Debian; see r_scripts/selective_inf.R)")


@pytest.fixture(scope="module")
def live_data(tmp_path_factory):
    rng = np.random.default_rng(2026)
    n, p = 80, 8
    X = rng.standard_normal((n, p))
    X = (X - X.mean(0)) / X.std(0, ddof=1)
    y = 1.5 * X[:, 0] - 1.0 * X[:, 3] + 0.5 * X[:, 5] + rng.standard_normal(n)
    df = pd.DataFrame(X, columns=[f"v{j}" for j in range(p)]).assign(y=y)
    path = tmp_path_factory.mktemp("live") / "d.csv"
    df.to_csv(path, index=False, float_format="%.17g")
    return path, X, y, [f"v{j}" for j in range(p)]


@LIVE
def test_live_fixed_lasso(live_data):
    path, X, y, names = live_data
    ref, raw = _run_r(path, "--method", "fixed-lasso", "--lambda", "0.08")
    res = fixed_lasso_inf(X, y, beta=raw["beta"], lambda_=raw["lambda"][0], feature_names=names)
    _check(res, ref, names)


@LIVE
@pytest.mark.parametrize("method,f", [("forward-stepwise", fs_inf), ("lar", lar_inf)])
@pytest.mark.parametrize("type_,k", [("active", None), ("all", 4), ("aic", None)])
def test_live_fs_lar(live_data, method, f, type_, k):
    path, X, y, names = live_data
    extra = ["--k", str(k)] if k else []
    ref, _ = _run_r(path, "--method", method, "--type", type_, *extra)
    _check(f(X, y, type=type_, k=k, feature_names=names), ref, names)


# ------------------------------------------------------------------ CLI
def _cli(*args):
    from typer.testing import CliRunner

    from statprune.cli import app

    return CliRunner().invoke(app, list(args))


def test_cli_forward_stepwise_json_matches_the_api(tmp_path):
    c = CASES["fs_mtcars"]
    df = pd.DataFrame(np.asarray(c["x"]), columns=c["names"]).assign(mpg=c["y"])
    path = tmp_path / "m.csv"
    df.to_csv(path, index=False, float_format="%.17g")
    r = _cli("selective", str(path), "-y", "mpg", "--procedure", "forward-stepwise", "--type", "all", "--k", "3",
             "--sigma", "2.5", "--alpha", "0.05", "--json", "-")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert list(d)[:4] == ["selected", "pruned", "n_rows", "provenance"] and "rows" in d
    assert all(k == k.lower() for k in d)
    rows = pd.DataFrame(d["rows"])
    _check_rows = {"term", "estimate", "p_value", "ci_lower", "ci_upper"}
    assert _check_rows <= set(rows.columns)
    ref = c["all3"]
    np.testing.assert_allclose(rows["p_value"], ref["pv"], rtol=RTOL)
    np.testing.assert_allclose(rows["ci_lower"], np.asarray(ref["ci"])[:, 0], rtol=RTOL)


def test_cli_bad_input_exits_2(tmp_path):
    path = tmp_path / "d.csv"
    pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 1, 4, 3], "y": [1.0, 2, 2, 5]}).to_csv(path, index=False)
    r = _cli("selective", str(path), "-y", "nope", "--procedure", "lar")
    assert r.exit_code == 2 and "nope" in r.stderr
    r = _cli("selective", str(path), "-y", "y", "--procedure", "ridge")
    assert r.exit_code == 2 and "ridge" in r.stderr
    r = _cli("selective", str(path), "-y", "y", "--procedure", "lar", "--type", "all")
    assert r.exit_code == 2 and "k" in r.stderr


@pytest.mark.against_r
def test_cli_fixed_lasso_at_glmnet_lambda_matches_r_fixture(tmp_path):
    c = CASES["lasso_boston"]
    df = pd.DataFrame(np.asarray(c["x"]), columns=c["names"]).assign(medv=c["y"])
    path = tmp_path / "b.csv"
    df.to_csv(path, index=False, float_format="%.17g")
    r = _cli("selective", str(path), "-y", "medv", "--lambda", "0.1", "--seed", "1", "--json", "-")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    rows = pd.DataFrame(d["rows"])
    np.testing.assert_allclose(rows["p_value"], c["out"]["pv"], rtol=RTOL)
    np.testing.assert_allclose(rows["ci_upper"], np.asarray(c["out"]["ci"])[:, 1], rtol=RTOL)
    assert d["lambda"] == pytest.approx(50.6, rel=1e-14)


# ------------------------------------------------------------------ docs/inference.md
DOC = HERE.parent / "docs" / "inference.md"


def _doc_blocks(lang):
    import re

    text = DOC.read_text()
    # these sections are run by their own tests (tests/test_subsets.py, test_vif.py, test_stability.py)
    for heading in ("Best subset selection", "VIF and GVIF", "Stability selection checked against stabs"):
        text = re.sub(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", "", text, flags=re.S | re.M)
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


@pytest.mark.against_r
@pytest.mark.slow
def test_docs_inference_python_blocks_run_and_match_the_text():
    """Every Python block of docs/inference.md runs; the numbers the page quotes are R's (fixtures)."""
    ns: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for block in _doc_blocks("python"):
            exec(compile(block, str(DOC), "exec"), ns)  # noqa: S102 - our own docs
    text = DOC.read_text()
    sel = ns["sel"]
    assert ns["est"].lambda_min_ == pytest.approx(0.0254922035697058, rel=1e-9) and "0.0254922" in text
    crim = sel.table.iloc[0]
    assert crim["term"] == "crim" and "0.0012240" in text and "-1.39791" in text and "0.00101" in text
    assert crim["p_value"] == pytest.approx(0.0012240377859151, rel=1e-6)
    assert crim["ci_lower"] == pytest.approx(-1.39791186686867, rel=1e-6)
    assert sel.sigma == pytest.approx(4.74529818169963, rel=1e-10)
    # the mtcars numbers quoted are the fixture's (R's fsInf on the same data)
    ref = CASES["fs_mtcars"]
    np.testing.assert_allclose(ns["seq"].table["p_value"], ref["active"]["pv"], rtol=RTOL)
    np.testing.assert_allclose(ns["aic"].table["p_value"], ref["aic"]["pv"], rtol=RTOL)
    assert ns["seq"].khat == 1 and "6.8e-05" in text and "0.224" in text
    ko = ns["ko"]
    assert ko.threshold == pytest.approx(85.2118003396089, rel=1e-12) and "85.2118" in text
    assert ko.pruned == ["age"]


def _have(pkg):
    import subprocess

    try:
        return subprocess.run(["Rscript", "-e", f"quit(status = !requireNamespace('{pkg}', quietly = TRUE))"],
                              capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not (_have("selectiveInference") and _have("knockoff")),
                    reason="the R blocks need selectiveInference and knockoff (not Debian packages)")
def test_docs_inference_r_blocks_run(tmp_path):
    blocks = _doc_blocks("r")
    assert len(blocks) >= 3
    script = tmp_path / "blocks.R"
    script.write_text("\n".join(blocks) + '\ncat(sprintf("KO %.10g\\n", ko$threshold))\n'
                      'cat(sprintf("CRIM %.10g\\n", out$pv[1]))\n')
    r = subprocess.run(["Rscript", str(script)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "KO 85.2118003" in r.stdout and "CRIM 0.001224037786" in r.stdout


# ------------------------------------------------------------------ compare and report columns (issue 17)
@pytest.mark.against_r
def test_compare_and_report_have_selective_and_knockoff_columns():
    import statprune
    from statprune import datasets

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = statprune.compare(datasets.load_boston(), "medv", methods=("selective", "knockoff"), seed=1)
        rep = statprune.build_report(datasets.path("boston"), "medv", methods=["selective", "knockoff"], seed=1,
                                     timestamp=False, crosscheck=False)
    assert list(res.table.columns) == ["selective", "knockoff"]
    d = json.loads(res.to_json())
    pv = res.details["selective"]["p_values"]
    assert d["methods"]["selective"]["selected"] == [t for t in res.feature_names if t in pv and pv[t] <= 0.1]
    secs = {s.key: s for s in rep.sections}
    assert set(secs) == {"selective", "knockoff"}
    # the report's selective section is fixed_lasso_inf on the scaled full data: the vignette's numbers
    ref = json.loads((HERE.parent / "vignettes" / "05_reference.json").read_text())["selective"]
    assert secs["selective"].selected == [t for t, p in zip(ref["terms"], ref["pv"]) if p <= 0.1]
    rows = secs["selective"].tables[0].records
    assert [r["term"] for r in rows] == ref["terms"]
    assert "knockoff" in rep.render("md")
