"""Stability selection: stabs' error bounds, the solved parameter, glmnet.lasso parity, API.

Against stabs itself: ``tests/expected/stabs_cases.json`` (``r_scripts/stabs_reference.R``,
stabs built from its sources) holds ``stabs::stabsel(x, y, fitfun = glmnet.lasso)`` for the
"MB" bound and the "SS" bounds with "unimodal" and "r-concave", on Boston, simulated p = 60
and Pima (binomial) data, with the subsamples stabs drew after ``set.seed(seed)``; the
selection frequencies must be identical on those subsamples. These fixture tests need R and
glmnet (Debian packages, in CI) but not stabs; a live test runs stabs where it is installed.

The r-concave and unimodal bounds are also checked against the values printed by the
``stabs`` package (stabs 0.7-1, ``tests/regtest-inference.Rout.save``) and the
Meinshausen-Buhlmann bound against the closed form. The subsample fits are compared with
a pure-R re-implementation of ``stabsel(x, y, fitfun = glmnet.lasso, folds = ...)``
(``r_scripts/stabsel_glmnet.R``) on the same subsamples.
"""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import ROOT, run_rscript
from sklearn.utils.estimator_checks import parametrize_with_checks
from typer.testing import CliRunner

from statprune.errors import DataError, ParameterError
from statprune.stability import (
    StabilityPathDisplay,
    StabilityResult,
    StabilitySelection,
    max_q,
    min_d,
    stabsel,
    stabsel_parameters,
    subsample_folds,
)
from statprune.stability._rnumerics import r_fmin as _r_fmin
from statprune.stability._rnumerics import r_zeroin as _r_zeroin

# stabs 0.7-1, tests/regtest-inference.Rout.save: stabsel_parameters(cutoff = 0.6, q = i,
# p = 100, sampling.type = "SS", assumption = ...)$specifiedPFER, i = 1..10 (7 significant digits)
STABS_UNIMODAL = [0.02631579, 0.1052632, 0.2368421, 0.4210526, 0.6578947, 0.9473684, 1.289474, 1.684211,
                  2.131579, 2.631579]
STABS_RCONCAVE = [0.006971364, 0.03342845, 0.08691176, 0.1637231, 0.2605329, 0.3820466, 0.5295188, 0.7042719,
                  0.9077127, 1.141338]
STABS_RCONCAVE_PRINTED = [0.00697, 0.0334, 0.0869, 0.164, 0.261, 0.382, 0.53, 0.704, 0.908, 1.14]


def _sig7(x: float) -> float:
    return float(f"{x:.6e}")


# --------------------------------------------------------------------------- bounds
@pytest.mark.parametrize("q", range(1, 11))
def test_unimodal_and_rconcave_bounds_match_stabs(q):
    u = stabsel_parameters(100, cutoff=0.6, q=q, assumption="unimodal")
    r = stabsel_parameters(100, cutoff=0.6, q=q, assumption="r-concave")
    assert _sig7(u.specified_pfer) == pytest.approx(STABS_UNIMODAL[q - 1], rel=1e-12)
    assert _sig7(r.specified_pfer) == pytest.approx(STABS_RCONCAVE[q - 1], rel=1e-12)
    assert r.pfer == STABS_RCONCAVE_PRINTED[q - 1]


def test_unimodal_closed_form_by_hand():
    # cutoff <= 3/4: PFER = q^2 / p / (2 (2 pi - 1 - 1/(2B)))  (Shah & Samworth, eq. (7))
    q, p, B, pi = 5, 100, 50, 0.6
    assert stabsel_parameters(p, cutoff=pi, q=q, B=B).specified_pfer == pytest.approx(
        q**2 / p / (2 * (2 * pi - 1 - 1 / (2 * B))), rel=1e-15)
    # cutoff > 3/4: PFER = q^2 / p * 4 (1 - pi + 1/(2B)) / (1 + 1/B)
    pi = 0.9
    assert stabsel_parameters(p, cutoff=pi, q=q, B=B).specified_pfer == pytest.approx(
        q**2 / p * 4 * (1 - pi + 1 / (2 * B)) / (1 + 1 / B), rel=1e-15)


@pytest.mark.parametrize("q", range(1, 11))
def test_mb_bound_closed_form(q):
    # stabs regtest: MB, cutoff 0.6, p = 100 -> PFER = q^2 / (0.2 * 100) = 0.05 q^2
    pars = stabsel_parameters(100, cutoff=0.6, q=q, sampling_type="MB")
    assert pars.pfer == pytest.approx(0.05 * q**2, rel=1e-12)
    assert pars.assumption == "none" and pars.B == 100
    assert pars.significance_level == pytest.approx(float(f"{0.05 * q**2 / 100:.3g}"))


def test_solve_q_and_cutoff_like_stabs():
    # regtest-inference: optimal_q / optimal_cutoff, p = 200, B = 50
    assert stabsel_parameters(200, cutoff=0.6, pfer=0.2, assumption="r-concave").q == 6
    assert round(min_d(6, 200, 0.6, 50) * 200, 3) == 0.174
    assert round(min_d(7, 200, 0.6, 50) * 200, 3) == 0.248
    assert stabsel_parameters(200, cutoff=0.6, pfer=0.2, assumption="unimodal").q == 3
    assert stabsel_parameters(200, q=7, pfer=0.2, assumption="r-concave").cutoff == 0.62
    assert round(min_d(7, 200, 0.62, 50) * 200, 3) == 0.196
    assert round(min_d(7, 200, 0.61, 50) * 200, 3) == 0.219
    assert stabsel_parameters(200, q=7, pfer=0.2, assumption="unimodal").cutoff == 0.81


@pytest.mark.parametrize(
    ("kwargs", "cutoff", "q", "pfer", "specified"),
    [  # regtest-inference.Rout.save, p = 100, B = 50, r-concave
        ({"cutoff": 0.6, "pfer": 0.001}, 0.6, 1, 0.00697, 0.001),
        ({"cutoff": 0.6, "pfer": 50}, 0.6, 30, 16.2, 50),
        ({"cutoff": 0.6, "pfer": 1}, 0.6, 9, 0.908, 1),
        ({"q": 10, "pfer": 5}, 0.37, 10, 4.99, 5),
        ({"q": 10, "pfer": 0.001}, 1.0, 10, 0.00518, 0.001),
        ({"q": 10, "pfer": 1}, 0.62, 10, 0.897, 1),
        ({"q": 10, "cutoff": 0.61}, 0.61, 10, 1.01, 1.005863),
        ({"q": 10, "cutoff": 0.2}, 0.2, 10, 100, 100),
    ],
)
def test_rconcave_extremes_match_stabs(kwargs, cutoff, q, pfer, specified):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pars = stabsel_parameters(100, assumption="r-concave", B=50, **kwargs)
    assert (pars.cutoff, pars.q, pars.pfer) == (pytest.approx(cutoff), q, pfer)
    assert _sig7(pars.specified_pfer) == pytest.approx(specified, rel=1e-12)


def test_mb_solve_cutoff_and_q():
    # none: cutoff = (q^2/(PFER p) + 1)/2, q = floor(sqrt(PFER (2 pi - 1) p))
    pars = stabsel_parameters(14, q=3, pfer=1, sampling_type="MB")  # stabs bodyfat example
    assert pars.cutoff == pytest.approx((9 / 14 + 1) / 2)
    assert pars.pfer == 1.0
    assert stabsel_parameters(100, cutoff=0.75, pfer=1, assumption="none").q == math.floor(math.sqrt(50))


def test_parameter_errors():
    with pytest.raises(ParameterError, match="exactly two"):
        stabsel_parameters(10, q=2)
    with pytest.raises(ParameterError, match="exactly two"):
        stabsel_parameters(10, q=2, cutoff=0.7, pfer=1)
    with pytest.raises(ParameterError, match="between 0.5 and 1"):
        stabsel_parameters(10, q=2, cutoff=0.4)
    with pytest.raises(ParameterError, match="larger than q/p"):
        stabsel_parameters(100, cutoff=0.1, q=10, assumption="r-concave")
    with pytest.raises(ParameterError, match="q must be <="):
        min_d(60, 100, 0.9, 50)
    assert max_q(100, 50) == 49


def test_r_numerics_transcriptions():
    # uniroot/optimize ports: known answers
    assert _r_zeroin(lambda x: x**2 - 2, 0.0, 2.0, tol=1e-12) == pytest.approx(math.sqrt(2), abs=1e-12)
    assert _r_fmin(lambda x: (x - 1 / 3) ** 2, 0.0, 1.0) == pytest.approx(1 / 3, abs=1e-5)
    with pytest.raises(ParameterError, match="opposite sign"):
        _r_zeroin(lambda x: x**2 + 1, -1.0, 1.0, tol=1e-8)


def test_pfer_monotone_in_q_and_cutoff():
    for a in ("none", "unimodal", "r-concave"):
        b = [stabsel_parameters(100, cutoff=0.8, q=q, assumption=a).specified_pfer for q in range(1, 15)]
        assert np.all(np.diff(b) > 0)
        c = [stabsel_parameters(100, cutoff=c, q=8, assumption=a).specified_pfer for c in (0.65, 0.75, 0.85, 0.95)]
        assert np.all(np.diff(c) < 0)
    # the Shah & Samworth bounds are sharper than Meinshausen & Buhlmann's
    for q in (2, 5, 10):
        mb = stabsel_parameters(100, cutoff=0.8, q=q, assumption="none").specified_pfer
        um = stabsel_parameters(100, cutoff=0.8, q=q, assumption="unimodal").specified_pfer
        rc = stabsel_parameters(100, cutoff=0.8, q=q, assumption="r-concave").specified_pfer
        assert rc < um < mb


# --------------------------------------------------------------------------- fits
@pytest.fixture(scope="module")
def boston():
    from statprune.datasets import load_boston

    df = load_boston()
    return df.drop(columns="medv"), df["medv"]


def test_subsamples_reproducible_and_half():
    f1 = subsample_folds(101, 7, seed=5)
    assert (f1.sum(axis=0) == 50).all()
    assert np.array_equal(f1, subsample_folds(101, 7, seed=5))
    strata = np.repeat([0, 1], [40, 61])
    fs = subsample_folds(101, 3, seed=1, strata=strata)
    assert (fs[:40].sum(axis=0) == 20).all() and (fs[40:].sum(axis=0) == 30).all()


def test_sklearn_engine_reproducible_regardless_of_n_jobs(boston):
    X, y = boston
    a = stabsel(X, y, q=4, cutoff=0.75, B=10, seed=11, engine="sklearn", n_jobs=1)
    b = stabsel(X, y, q=4, cutoff=0.75, B=10, seed=11, engine="sklearn", n_jobs=2)
    pd.testing.assert_series_equal(a.max, b.max)
    pd.testing.assert_frame_equal(a.phat, b.phat)
    assert a.n_fits == 20  # complementary pairs
    assert a.max.equals(a.phat.iloc[:, -1].rename("probability"))  # stabs' regtest invariant
    assert set(a.selected) == {"rm", "ptratio", "lstat"}
    # at most q variables per subsample with the conservative type
    assert a.max.sum() <= 4 + 1e-12


@pytest.mark.against_r
def test_glmnet_engine_equals_stabs_glmnet_lasso(boston, tmp_path):
    """Same subsamples -> identical selection probabilities and paths as stabs' glmnet.lasso."""
    from statprune.datasets import path

    X, y = boston
    folds = subsample_folds(len(X), 12, seed=3)
    fpath = tmp_path / "folds.csv"
    np.savetxt(fpath, folds, fmt="%d", delimiter=",")
    ref = run_rscript("stabsel_glmnet.R", path("boston"), "medv", str(fpath), "4")
    res = stabsel(X, y, q=4, cutoff=0.75, B=12, folds=folds, engine="glmnet", n_jobs=1)
    np.testing.assert_allclose(res.max.to_numpy(), np.asarray(ref["max"]), rtol=0, atol=1e-14)
    np.testing.assert_allclose(res.phat.to_numpy(), np.asarray(ref["phat"]), rtol=0, atol=1e-14)
    assert res.n_fits == ref["n_fits"] == 24
    # the sklearn engine follows the same path: at most a couple of near-tie fits differ. It must not
    # touch R (were engine="sklearn" run by glmnet, the 2/24 bound would hold trivially)
    from statprune import _r

    def no_r(*args, **kwargs):
        raise AssertionError("engine='sklearn' called R")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_r, "call", no_r)
        sk = stabsel(X, y, q=4, cutoff=0.75, B=12, folds=folds, engine="sklearn")
    assert np.abs(sk.max.to_numpy() - np.asarray(ref["max"])).max() <= 2 / 24 + 1e-12
    # MB sampling and the anticonservative type
    ref2 = run_rscript("stabsel_glmnet.R", path("boston"), "medv", str(fpath), "3", "MB", "anticonservative")
    res2 = stabsel(X, y, q=3, cutoff=0.9, B=12, folds=folds, engine="glmnet", sampling_type="MB",
                   type="anticonservative")
    np.testing.assert_allclose(res2.max.to_numpy(), np.asarray(ref2["max"]), rtol=0, atol=1e-14)


@pytest.mark.against_r
def test_glmnet_engine_workers_binomial(tmp_path, monkeypatch):
    """R runs in worker processes (loky), identical to the in-process run; binomial family."""
    import joblib

    from statprune.datasets import load_pima, path

    # a == b alone also held when n_jobs=2 quietly ran in-process: record that the loky pool was used
    pools = []

    class SpyParallel(joblib.Parallel):
        def __init__(self, *args, **kwargs):
            pools.append((kwargs.get("n_jobs"), kwargs.get("backend")))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(joblib, "Parallel", SpyParallel)
    df = load_pima()
    X, y = df.drop(columns="type"), df["type"]
    folds = subsample_folds(len(df), 6, seed=2)
    a = stabsel(X, y, q=3, cutoff=0.8, B=6, folds=folds, family="binomial", engine="glmnet", n_jobs=2)
    assert pools == [(2, "loky")]
    b = stabsel(X, y, q=3, cutoff=0.8, B=6, folds=folds, family="binomial", engine="glmnet", n_jobs=1)
    assert pools == [(2, "loky")]  # n_jobs=1 stays in this process
    pd.testing.assert_series_equal(a.max, b.max)
    fpath = tmp_path / "folds.csv"
    np.savetxt(fpath, folds, fmt="%d", delimiter=",")
    ref = run_rscript("stabsel_glmnet.R", path("pima"), "type", str(fpath), "3", "SS", "conservative", "binomial")
    np.testing.assert_allclose(a.max.to_numpy(), np.asarray(ref["max"]), rtol=0, atol=1e-14)


def test_result_api_and_with_parameters(boston):
    X, y = boston
    res = stabsel(X, y, q=4, pfer=1, B=10, seed=1, engine="sklearn")
    fr = res.to_frame()
    assert list(fr.columns) == ["probability", "selected", "rank"]
    assert fr["selected"].sum() == len(res.selected)
    d = json.loads(res.to_json())
    assert d["q"] == 4 and d["selected"] == res.selected and len(d["paths"]) == 13
    assert "Selection probabilities" in res.summary() and "<table>" in res._repr_html_()
    other = res.with_parameters(cutoff=0.95, assumption="r-concave")
    assert other.cutoff == 0.95 and other.assumption == "r-concave"
    assert set(other.selected) <= set(res.with_parameters(cutoff=0.6).selected)


def test_display(boston):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X, y = boston
    res = stabsel(X, y, q=4, cutoff=0.75, B=5, seed=1, engine="sklearn")
    fig, ax = plt.subplots()
    disp = StabilityPathDisplay.from_result(res).plot(ax=ax)
    assert disp.ax_ is ax and len(disp.lines_) == int((res.phat.sum(axis=1) > 0).sum())
    disp2 = StabilityPathDisplay.from_result(res).plot(kind="maxsel")
    assert len(disp2.lines_) == len(disp.lines_)
    plt.close("all")


def test_selector_in_pipeline(boston):
    from sklearn.base import clone
    from sklearn.linear_model import LinearRegression
    from sklearn.pipeline import make_pipeline

    X, y = boston
    sel = StabilitySelection(q=4, cutoff=0.75, B=5, seed=0, engine="sklearn")
    pipe = make_pipeline(sel, LinearRegression()).fit(X, y)
    assert list(pipe[0].get_feature_names_out()) == pipe[0].result_.selected
    assert isinstance(pipe[0].result_, StabilityResult)
    assert clone(sel).get_params()["q"] == 4


@pytest.mark.sklearn
@parametrize_with_checks([StabilitySelection(q=1, cutoff=0.6, assumption="none", B=3, engine="sklearn", seed=0)])
def test_sklearn_compliance(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)


def test_bad_input():
    X = np.random.default_rng(0).standard_normal((20, 3))
    with pytest.raises(ParameterError, match="engine='sklearn' supports family='gaussian'"):
        stabsel(X, np.arange(20) % 2, q=1, cutoff=0.9, engine="sklearn", family="binomial")
    with pytest.raises(DataError, match="rows"):
        stabsel(X, np.ones(19), q=1, cutoff=0.9, engine="sklearn")
    with pytest.raises(ParameterError, match="folds must be"):
        stabsel(X, np.ones(20), q=1, cutoff=0.9, engine="sklearn", folds=np.ones((20, 3)) * 2, B=3)


def test_stability_selection_workflow_writes_the_figure(tmp_path, monkeypatch):
    """The library function the CLI calls: table in, result and figure out; a bad format fails before fitting."""
    from statprune.datasets import path
    from statprune.stability import stability_selection

    res = stability_selection(path("boston"), "medv", q=4, pfer=1, B=5, seed=1, engine="sklearn",
                              plot=tmp_path / "paths.svg")
    assert res.n_samples == res.n_rows == 506 and "rm" in res.selected
    assert (tmp_path / "paths.svg").read_text().lstrip().startswith("<?xml")
    import statprune.stability.workflow as wf

    monkeypatch.setattr(wf, "stabsel", lambda *a, **k: pytest.fail("ran the analysis before checking --plot"))
    with pytest.raises(ParameterError, match=r"--plot '.*paths\.bogus'.*\.bogus"):
        stability_selection(path("boston"), "medv", q=4, pfer=1, plot=str(tmp_path / "paths.bogus"),
                            plot_option="--plot")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paths.svg"]


# --------------------------------------------------------------------------- CLI
def test_cli_stability_json(tmp_path):
    from statprune.cli import app
    from statprune.datasets import path

    out = tmp_path / "s.json"
    r = CliRunner().invoke(app, ["stability", path("boston"), "--target", "medv", "--q", "4", "--pfer", "1",
                                 "--B", "5", "--seed", "1", "--engine", "sklearn", "--json", str(out),
                                 "--plot", str(tmp_path / "paths.png")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "paths.png").stat().st_size > 1000
    assert (tmp_path / "paths.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"  # format follows the extension
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # written atomically
    d = json.loads(out.read_text())
    assert d["q"] == 4 and d["assumption"] == "unimodal" and "rm" in d["selected"]
    r2 = CliRunner().invoke(app, ["stability", path("boston"), "--target", "medv", "--q", "4", "--B", "5"])
    assert r2.exit_code == 2 and "two of" in r2.output


# --------------------------------------------------------------------------- against stabs itself
# tests/expected/stabs_cases.json: r_scripts/stabs_reference.R ran stabs::stabsel(x, y, fitfun = glmnet.lasso)
# (stabs built from its sources) on the subsamples stabs::subsample drew after set.seed(seed) (the script
# checks that stabsel's own default folds from the same seed give the same answer); here statprune.stabsel
# (engine="glmnet") runs on those subsamples. Selection frequencies are k / n_fits: they must be identical.
from helpers import load_expected  # noqa: E402

STABS = load_expected("stabs_cases.json")


def _stabs_xy(name: str) -> tuple[pd.DataFrame, object]:
    from statprune.datasets import load_boston, load_pima

    if name == "boston":
        b = load_boston()
        return b.drop(columns="medv"), b["medv"].to_numpy(float)
    if name == "pima":
        d = load_pima()
        return d.drop(columns="type"), d["type"].astype(str).to_numpy()
    sim = STABS["simulated"]
    return pd.DataFrame(np.asarray(sim["x"], float).T, columns=sim["names"]), np.asarray(sim["y"], float)


def _stabs_folds(case: dict) -> np.ndarray:
    return np.array([[int(ch) for ch in s] for s in case["folds"]], dtype=np.int8).T


def test_stabs_fixture_covers_both_bounds():
    cases = STABS["cases"].values()
    assert {(c["sampling_type"], c["assumption"]) for c in cases} >= {("MB", "none"), ("SS", "unimodal"),
                                                                       ("SS", "r-concave")}
    assert {c["data"] for c in cases} >= {"boston", "simulated", "pima"}
    assert STABS["stabs_version"] and STABS["glmnet_version"]


@pytest.mark.against_r
@pytest.mark.parametrize("name", sorted(STABS["cases"]))
def test_selection_frequencies_identical_to_stabs(name, r):
    case = STABS["cases"][name]
    X, y = _stabs_xy(case["data"])
    folds = _stabs_folds(case)
    assert folds.shape == (len(X), case["B"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stabsel(X, y, q=case["q_arg"], cutoff=case["cutoff_arg"], pfer=case["PFER_arg"], B=case["B"],
                      assumption=case["assumption"], sampling_type=case["sampling_type"], family=case["family"],
                      type=case["type"], folds=folds, engine="glmnet")
    assert list(res.max.index) == case["names"]
    nf = case["n_fits"]
    np.testing.assert_array_equal(res.max.to_numpy(), np.asarray(case["max_count"], float) / nf)
    np.testing.assert_array_equal(res.phat.to_numpy(), np.asarray(case["phat_count"], float) / nf)
    assert res.selected == case["selected"]
    assert res.cutoff == pytest.approx(case["cutoff"], rel=1e-12)
    assert res.q == case["q"]
    assert res.pfer == pytest.approx(case["PFER"], rel=1e-12)
    assert res.parameters.specified_pfer == pytest.approx(case["specifiedPFER"], rel=1e-10)
    assert res.n_fits == nf == (2 if case["sampling_type"] == "SS" else 1) * case["B"]


def _stabs_installed() -> str | None:
    import shutil
    import subprocess

    from helpers import child_env

    if shutil.which("Rscript") is None:
        return "Rscript is not on PATH"
    proc = subprocess.run(["Rscript", "-e", "cat(requireNamespace('stabs', quietly = TRUE))"], capture_output=True,
                          text=True, env=child_env(), check=False)
    return None if proc.stdout.strip().endswith("TRUE") else "stabs is not installed (set R_LIBS to its library)"


@pytest.mark.slow
def test_live_stabs_same_seed_same_subsamples(tmp_path):
    # stabs is not a Debian package, so CI cannot have it: this live check runs where it is installed
    # (R_LIBS=<lib> with stabs built from cran/stabs); the stored-fixture tests above always run.
    import subprocess

    from helpers import R_SCRIPTS, child_env

    why = _stabs_installed()
    if why:
        pytest.skip(why)
    rng = np.random.default_rng(8)
    n, p = 120, 25
    X = pd.DataFrame(rng.standard_normal((n, p)), columns=[f"z{j}" for j in range(p)])
    y = 2 * X["z0"] - 1.5 * X["z4"] + X["z7"] + rng.standard_normal(n)
    path = tmp_path / "d.csv"
    X.assign(y=y).to_csv(path, index=False, float_format="%.17g")
    proc = subprocess.run(["Rscript", str(R_SCRIPTS / "stabs_live.R"), str(path), "y", "SS", "r-concave", "5", "0.5",
                           "42", "30"], capture_output=True, text=True, timeout=600, env=child_env(), check=False)
    assert proc.returncode == 0, proc.stderr
    ref = json.loads(proc.stdout)
    folds = np.array([[int(ch) for ch in s] for s in ref["folds"]], dtype=np.int8).T
    d = pd.read_csv(path)
    res = stabsel(d.drop(columns="y"), d["y"], q=5, pfer=0.5, B=30, assumption="r-concave", sampling_type="SS",
                  folds=folds, engine="glmnet")
    np.testing.assert_array_equal(res.max.to_numpy(), np.asarray(ref["max_count"], float) / ref["n_fits"])
    assert res.selected == ref["selected"] and res.cutoff == pytest.approx(ref["cutoff"], rel=1e-12)


@pytest.mark.against_r
def test_docs_section_python_prints_stabs_numbers(tmp_path, r):
    # the docs' R block needs stabs (not in CI): the Python block runs on the subsamples it would write,
    # taken from the stored stabs run of the same call (boston_SS_unimodal: set.seed(2), B = 50, q = 4,
    # PFER = 0.5), and must print stabs' frequencies; the R block runs too where stabs is installed
    from helpers import doc_blocks, number_lines, run_doc_python, run_doc_r

    blocks = doc_blocks("inference.md", "Stability selection checked against stabs")
    assert len(blocks["python"]) == 1 and len(blocks["r"]) == 1
    case = STABS["cases"]["boston_SS_unimodal"]
    assert (case["seed"], case["B"], case["q_arg"], case["PFER_arg"], case["assumption"]) == (2, 50, 4, 0.5, "unimodal")
    folds = _stabs_folds(case)
    # the block reads the subsamples its R twin writes from the checkout (tests/data, stored by stabs_reference.R)
    stored = pd.read_csv(ROOT / "tests" / "data" / "stabs_boston_folds.csv")
    assert list(stored.columns) == [f"V{j + 1}" for j in range(folds.shape[1])]
    np.testing.assert_array_equal(stored.to_numpy(), folds)
    py = run_doc_python(blocks["python"][0], ROOT)
    freqs = np.asarray(case["max_count"], float) / case["n_fits"]
    assert number_lines(py) == [[f"{v:.4f}" for v in freqs]]
    assert str(case["selected"]) in py
    if _stabs_installed() is None:
        rr = run_doc_r(blocks["r"][0], tmp_path)
        assert number_lines(rr) == number_lines(py)


@pytest.mark.against_r
@pytest.mark.parametrize("labels", [(2, 10), ("b", "a"), (False, True)])
def test_binomial_event_is_r_second_factor_level(labels, monkeypatch):
    """The event of a binomial target is ``levels(factor(y))[2]``, as in R and GlmnetCV.

    For the numeric labels {2, 10} R orders the levels numerically (2, 10) and models 10;
    sorting the labels as strings took 2 as the event.
    """
    import subprocess

    import statprune.stability.selection as stability
    from helpers import child_env

    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 4))
    y = np.array([labels[i % 2] for i in range(40)], dtype=object if isinstance(labels[0], str) else None)
    r_vec = ", ".join(repr(v) if isinstance(v, str) else str(v).upper() if isinstance(v, bool) else str(v)
                      for v in labels)
    proc = subprocess.run(["Rscript", "-e", f"cat(levels(factor(c({r_vec}))), sep = '\\n')"], capture_output=True,
                          text=True, env=child_env(), check=True)
    r_levels = proc.stdout.split()
    seen = {}

    def spy(engine, x, yv, folds, q, opts, n_jobs, progress):
        seen["y"] = yv
        return [(np.ones((x.shape[1], 1), dtype=np.int8), np.ones(x.shape[1], dtype=bool))] * folds.shape[1]

    monkeypatch.setattr(stability, "run_fits", spy)
    res = stabsel(X, y, q=2, cutoff=0.8, B=4, seed=0, family="binomial", engine="glmnet")
    event = [v for v in labels if (str(v).upper() if isinstance(v, bool) else str(v)) == r_levels[1]][0]
    np.testing.assert_array_equal(seen["y"], (y == event).astype(float))
    assert [str(c).upper() if isinstance(c, (bool, np.bool_)) else str(c) for c in res.classes] == r_levels


@pytest.mark.against_r
def test_sklearn_engine_without_intercept_scales_as_glmnet(boston):
    """fit_intercept=False: glmnet still scales x by its sd around the mean (not the root mean square)."""
    X, y = boston
    folds = subsample_folds(len(X), 12, seed=3)
    kw = dict(q=4, cutoff=0.75, B=12, folds=folds, fit_intercept=False)
    gl = stabsel(X, y, engine="glmnet", n_jobs=1, **kw)
    sk = stabsel(X, y, engine="sklearn", **kw)
    assert np.abs(sk.max.to_numpy() - gl.max.to_numpy()).max() <= 2 / 24 + 1e-12
    assert list(sk.selected) == list(gl.selected)
