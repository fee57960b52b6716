"""The knockoff filter against R's knockoff package (and knockpy where installed).

``tests/expected/knockoff_reference.json`` is written by ``r_scripts/knockoff_reference.R``
(knockoff 0.3.6, Rdsdp 1.0.5; versions in the file) with every number at 17 significant
digits. R and numpy draw different random numbers, so each case stores R's knockoff
matrix ``X_k``, the column swap and the CV folds R's statistic drew; the Python
statistics are computed on exactly those. Data sets: the package's own examples
(``?knockoff.filter``: model-X Gaussian, p = 100 > n = 80; ``?create.fixed``: fixed-X sdp
and equi), MASS::Boston (fixed-X equi and second-order SDP), MASS::Pima.tr (binomial).

Tolerances: statistics W 1e-8 relative (measured: 0, bit-identical: the same glmnet in
R on the same bits); thresholds 1e-12; selected sets identical; fixed-X equicorrelated
knockoffs 1e-10 (measured ~1e-14: SVD and QR, deterministic); SDP ``s`` 2e-5 of
``diag(Sigma)`` (two different SDP solvers, R's DSDP stops at a duality gap of 1e-6;
measured <= 3e-6 except the p = 50 Gram matrix, 2.2e-5).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from statprune.errors import DataError, ParameterError
from statprune.knockoff import (
    create_fixed,
    create_gaussian,
    knockoff_filter,
    knockoff_threshold,
    solve_equi,
    solve_sdp,
    stat_glmnet_coefdiff,
    stat_glmnet_lambdadiff,
    stat_glmnet_lambdasmax,
)

HERE = Path(__file__).parent
REF = json.loads((HERE / "expected" / "knockoff_reference.json").read_text())
CASES = REF["cases"]
SOLVE = REF["solve_s"]
_SPECIAL = {"Inf": np.inf, "-Inf": -np.inf}


def _f(v):
    return _SPECIAL[v] if isinstance(v, str) else float(v)


def _fdr(name):
    return 0.1 if name.startswith("example") else 0.2


def _sel(v):
    return [int(i) for i in np.atleast_1d(v)] if v is not None else []


# ------------------------------------------------------------------ thresholds (no R)
@pytest.mark.parametrize("name", list(CASES))
def test_threshold_and_selection_match_r(name):
    c = CASES[name]
    W = np.asarray(c["coefdiff"]["W"])
    fdr = _fdr(name)
    t1 = knockoff_threshold(W, fdr=fdr, offset=1)
    t0 = knockoff_threshold(W, fdr=fdr, offset=0)
    r1, r0 = _f(c["coefdiff"]["threshold_plus"]), _f(c["coefdiff"]["threshold"])
    assert t1 == pytest.approx(r1, rel=1e-12) if np.isfinite(r1) else t1 == np.inf
    assert t0 == pytest.approx(r0, rel=1e-12) if np.isfinite(r0) else t0 == np.inf
    assert list(np.flatnonzero(W >= t1) + 1) == _sel(c["coefdiff"]["selected"])
    assert list(np.flatnonzero(W >= t0) + 1) == _sel(c["coefdiff"]["selected_offset0"])
    for key in ("lambdasmax", "lambdadiff"):
        if key in c:
            Wm = np.asarray(c[key]["W"])
            assert knockoff_threshold(Wm, fdr=fdr, offset=1) == pytest.approx(_f(c[key]["threshold_plus"]), rel=1e-12)


def test_threshold_bad_arguments():
    with pytest.raises(ParameterError, match="offset"):
        knockoff_threshold([1.0], offset=2)
    with pytest.raises(ParameterError, match="fdr"):
        knockoff_threshold([1.0], fdr=0)


# ------------------------------------------------------------------ s and knockoff constructions (no R)
@pytest.mark.parametrize("key", ["ar1", "boston"])
def test_solve_equi_matches_r(key):
    Sigma = np.asarray(SOLVE["ar1"] if key == "ar1" else SOLVE["boston_cov"])
    np.testing.assert_allclose(solve_equi(Sigma), SOLVE[f"{key}_equi"], rtol=1e-10)


@pytest.mark.parametrize("key,sig", [("ar1_sdp", "ar1"), ("boston_sdp", "boston_cov"),
                                     ("fixed_example_gram_sdp", "fixed_example_gram")])
def test_solve_sdp_matches_rdsdp_to_solver_tolerance(key, sig):
    Sigma = np.asarray(SOLVE[sig])
    s = solve_sdp(Sigma)
    d = np.diag(Sigma)
    assert np.max(np.abs(s - np.asarray(SOLVE[key])) / d) < 5e-5
    # feasibility, as R checks it: 2 Sigma - diag(s) positive definite, 0 <= s <= diag(Sigma)
    assert np.linalg.eigvalsh(2 * Sigma - np.diag(s))[0] > 0
    assert np.all(s >= 0) and np.all(s <= d * (1 + 1e-12))
    # optimality: no worse than R's solution by more than the solvers' gaps
    assert s.sum() >= np.sum(SOLVE[key]) * (1 - 1e-6)


@pytest.mark.parametrize("name", ["example_fixed_equi", "boston_fixed_equi"])
def test_fixed_equi_knockoffs_match_r(name):
    c = CASES[name]
    Xn, Xk = create_fixed(np.asarray(c["X_raw"]), "equi")
    np.testing.assert_allclose(Xn, c["X"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(Xk, c["Xk"], rtol=0, atol=1e-10)


def test_fixed_sdp_knockoffs_match_r_given_rs_s():
    # with R's own s the construction is R's; the residual 1e-8 is sqrt of rounding-level singular
    # values of 2 diag(s) - diag(s) G^-1 diag(s), which is singular at the SDP optimum
    c = CASES["example_fixed_sdp"]
    _, Xk = create_fixed(np.asarray(c["X_raw"]), "sdp", s=SOLVE["fixed_example_internal_sdp"])
    np.testing.assert_allclose(Xk, c["Xk"], rtol=0, atol=1e-7)


@pytest.mark.parametrize("method", ["sdp", "equi"])
def test_fixed_knockoffs_have_the_knockoff_gram_structure(method):
    c = CASES["example_fixed_sdp"]
    X, Xk = create_fixed(np.asarray(c["X_raw"]), method)
    G = X.T @ X
    np.testing.assert_allclose(Xk.T @ Xk, G, atol=1e-10)
    off = X.T @ Xk
    s = np.diag(G - off)
    np.testing.assert_allclose(off - np.diag(np.diag(off)), G - np.diag(np.diag(G)), atol=1e-10)
    assert np.all(s >= -1e-10) and np.linalg.eigvalsh(2 * G - np.diag(s))[0] > -1e-10


def test_gaussian_knockoffs_have_the_joint_covariance():
    rng = np.random.default_rng(0)
    p = 5
    Sigma = 0.5 ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))
    X = rng.multivariate_normal(np.zeros(p), Sigma, size=200_000)
    Xk = create_gaussian(X, np.zeros(p), Sigma, method="sdp", seed=1)
    s = solve_sdp(Sigma)
    joint = np.cov(np.hstack([X, Xk]), rowvar=False)
    np.testing.assert_allclose(joint[p:, p:], Sigma, atol=0.02)
    np.testing.assert_allclose(joint[:p, p:], Sigma - np.diag(s), atol=0.02)


def test_fixed_needs_n_at_least_2p():
    with pytest.raises(ParameterError, match="n >= 2p"):
        create_fixed(np.random.default_rng(0).standard_normal((15, 10)))


# ------------------------------------------------------------------ statistics: glmnet in R (CI has it)
@pytest.mark.against_r
@pytest.mark.parametrize("name", list(CASES))
def test_coefdiff_statistic_matches_r_on_rs_knockoffs(name):
    c = CASES[name]
    cd = c["coefdiff"]
    W = stat_glmnet_coefdiff(np.asarray(c["X"]), np.asarray(c["Xk"]), np.asarray(c["y"]), family=c["family"],
                             swap=cd["swap"], foldid=cd["foldid"])
    np.testing.assert_allclose(W, cd["W"], rtol=1e-8, atol=1e-12)
    t = knockoff_threshold(W, fdr=_fdr(name), offset=1)
    assert list(np.flatnonzero(W >= t) + 1) == _sel(cd["selected"])


@pytest.mark.against_r
@pytest.mark.parametrize("name", [k for k in CASES if "lambdasmax" in CASES[k]])
def test_lambda_statistics_match_r_on_rs_knockoffs(name):
    c = CASES[name]
    X, Xk, y = np.asarray(c["X"]), np.asarray(c["Xk"]), np.asarray(c["y"])
    Wm = stat_glmnet_lambdasmax(X, Xk, y, swap=c["lambdasmax"]["swap"])
    np.testing.assert_allclose(Wm, c["lambdasmax"]["W"], rtol=1e-8, atol=1e-12)
    Wd = stat_glmnet_lambdadiff(X, Xk, y, swap=c["lambdadiff"]["swap"])
    np.testing.assert_allclose(Wd, c["lambdadiff"]["W"], rtol=1e-8, atol=1e-12)


@pytest.mark.against_r
def test_knockoff_filter_on_rs_knockoffs_selects_what_r_selects():
    c = CASES["example_gaussian"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = knockoff_filter(np.asarray(c["X"]), np.asarray(c["y"]), knockoffs=np.asarray(c["Xk"]),
                              swap=c["coefdiff"]["swap"], foldid=c["coefdiff"]["foldid"], fdr=0.1)
    assert [int(t[1:]) for t in res.selected] == _sel(c["knockoff_filter_selected"])
    assert res.threshold == pytest.approx(c["coefdiff"]["threshold_plus"], rel=1e-12)
    d = json.loads(res.to_json())
    assert {"selected", "pruned", "n_rows", "provenance", "rows", "threshold"} <= set(d)
    assert set(d["rows"][0]) == {"term", "statistic", "selected"}


@pytest.mark.against_r
def test_knockoff_filter_is_reproducible_with_a_seed():
    c = CASES["boston_fixed_equi"]
    X = pd.DataFrame(np.asarray(c["X_raw"]), columns=c["names"])
    a = knockoff_filter(X, np.asarray(c["y"]), fdr=0.2, seed=3, statistic="lambdasmax")
    b = knockoff_filter(X, np.asarray(c["y"]), fdr=0.2, seed=3, statistic="lambdasmax")
    np.testing.assert_array_equal(a.Xk, b.Xk)
    np.testing.assert_array_equal(a.table["statistic"], b.table["statistic"])
    assert set(a.selected) | set(a.pruned) == set(c["names"])


def test_knockoff_filter_bad_input():
    X = np.random.default_rng(0).standard_normal((30, 4))
    with pytest.raises(ParameterError, match="fdr"):
        knockoff_filter(X, X[:, 0], fdr=1.5)
    with pytest.raises(ParameterError, match="statistic"):
        knockoff_filter(X, X[:, 0], statistic="forest")
    with pytest.raises(DataError, match="rows"):
        knockoff_filter(X, X[:5, 0])
    with pytest.raises(ParameterError, match="knockoff matrix"):
        knockoff_filter(X, X[:, 0], knockoffs=X[:, :2])


# ------------------------------------------------------------------ knockpy (pip), where installed
def _knockpy():
    try:
        from knockpy import knockoff_stats, smatrix
    except Exception:  # noqa: BLE001 - knockpy or its cvxpy missing or incompatible
        return None
    return smatrix, knockoff_stats


@pytest.mark.skipif(_knockpy() is None, reason="knockpy not installed (pip install knockpy)")
@pytest.mark.parametrize("key", ["ar1", "boston_cov"])
def test_s_matches_knockpy(key):
    smatrix, _ = _knockpy()
    Sigma = np.asarray(SOLVE[key])
    d = np.diag(Sigma)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s_kp = np.diag(smatrix.compute_smatrix(Sigma, method="sdp"))
        e_kp = np.diag(smatrix.compute_smatrix(Sigma, method="equicorrelated"))
    # knockpy keeps a margin from the PSD boundary (measured: its SDP objective is 1-5% below the
    # optimum R's DSDP and statprune reach; its equicorrelated s is 1e-4 of diag(Sigma) below R's)
    s = solve_sdp(Sigma)
    assert np.linalg.eigvalsh(2 * Sigma - np.diag(s_kp))[0] > 0
    assert np.sum(s / d) >= np.sum(s_kp / d) and np.sum(s / d) <= np.sum(s_kp / d) * 1.06
    assert np.max(np.abs(solve_equi(Sigma) - e_kp) / d) < 1e-3


@pytest.mark.skipif(_knockpy() is None, reason="knockpy not installed (pip install knockpy)")
@pytest.mark.parametrize("name", ["example_gaussian", "boston_second_order"])
def test_selection_matches_knockpy_threshold(name):
    _, stats = _knockpy()
    W = np.asarray(CASES[name]["lambdasmax"]["W"])  # no zeros: knockpy counts W = 0 as negative, R does not
    for offset in (0, 1):
        t = knockoff_threshold(W, fdr=_fdr(name), offset=offset)
        tk = stats.data_dependent_threshhold(W, fdr=_fdr(name), offset=offset)
        assert set(np.flatnonzero(W >= t)) == set(np.flatnonzero(W >= tk))


# ------------------------------------------------------------------ CLI
def _cli(*args):
    from typer.testing import CliRunner

    from statprune.cli import app

    return CliRunner().invoke(app, list(args))


@pytest.mark.against_r
def test_cli_knockoff_json(tmp_path):
    c = CASES["boston_fixed_equi"]
    path = tmp_path / "b.csv"
    pd.DataFrame(np.asarray(c["X_raw"]), columns=c["names"]).assign(medv=c["y"]).to_csv(path, index=False)
    r = _cli("knockoff", str(path), "-y", "medv", "--fdr", "0.2", "--knockoffs", "fixed", "--construction", "equi",
             "--statistic", "lambdasmax", "--seed", "1", "--json", "-")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert list(d)[:4] == ["selected", "pruned", "n_rows", "provenance"] and {"rows", "threshold"} <= set(d)
    assert d["n_rows"] == 506 and d["fdr"] == 0.2 and d["provenance"]["seed"] == 1
    W = np.array([row["statistic"] for row in d["rows"]])
    assert [row["term"] for row in d["rows"] if row["selected"]] == d["selected"]
    if d["threshold"] is not None:
        assert d["threshold"] == knockoff_threshold(W, fdr=0.2, offset=1)


def test_cli_knockoff_bad_input_exits_2(tmp_path):
    path = tmp_path / "d.csv"
    pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 1, 4, 3], "y": [1.0, 2, 2, 5]}).to_csv(path, index=False)
    r = _cli("knockoff", str(path), "-y", "nope")
    assert r.exit_code == 2 and "nope" in r.stderr
    r = _cli("knockoff", str(path), "-y", "y", "--knockoffs", "magic")
    assert r.exit_code == 2 and "magic" in r.stderr
