"""The glmnet plots draw exactly R's numbers (plot.cv.glmnet, plot.glmnet/plotCoef, plot.multnet).

Stored references come from ``r_scripts/plot_reference.R`` (pure R): the CV curve,
and for each panel and xvar the x index, R's ``pretty(index)`` and the df labels
``approx(..., method = "constant")`` puts on the top axis.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from helpers import ROOT, assert_allclose, load_expected, run_rscript  # noqa: E402

from statprune.errors import ParameterError  # noqa: E402
from statprune.plotting import CoefPathDisplay, CVPathDisplay, r_approx_constant, r_pretty  # noqa: E402

CASES = {
    "plot_boston_gaussian.json": ("boston.csv", "medv", "gaussian", "42"),
    "plot_birthwt_multinomial.json": ("birthwt.csv", "race", "multinomial", "1"),
}


def fake_result(ref: dict) -> SimpleNamespace:
    """A LassoResult-shaped object built from the R reference (no statprune.lasso needed)."""
    beta = np.array([p["beta"] for p in ref["panels"]], dtype=float)
    return SimpleNamespace(
        lambdas=np.array(ref["lambda"]), cvm=np.array(ref["cvm"]), cvsd=np.array(ref["cvsd"]),
        cvup=np.array(ref["cvup"]), cvlo=np.array(ref["cvlo"]), nzero=np.array(ref["nzero"]),
        lambda_min=ref["lambda_min"], lambda_1se=ref["lambda_1se"], measure_name=ref["name"],
        beta=beta[0] if beta.shape[0] == 1 else beta, dev_ratio=np.array(ref["dev_ratio"]),
        feature_names=ref["feature_names"], class_names=ref.get("class_names"),
    )


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("name", sorted(CASES))
def test_cv_curve_draws_r_numbers(name):
    ref = load_expected(name)
    d = CVPathDisplay.from_result(fake_result(ref)).plot()
    x = np.log(ref["lambda"])
    assert_allclose(d.points_.get_xdata(), x, rtol=1e-15)
    assert_allclose(d.points_.get_ydata(), ref["cvm"], rtol=1e-15)
    segs = d.errorbars_.get_segments()
    n = len(x)
    bars = np.array(segs[:n])  # the vertical bars: (x, cvup) -> (x, cvlo)
    assert_allclose(bars[:, 0, 0], x, rtol=1e-15)
    assert_allclose(bars[:, 0, 1], ref["cvup"], rtol=1e-15)
    assert_allclose(bars[:, 1, 1], ref["cvlo"], rtol=1e-15)
    caps = np.array(segs[n : 2 * n])
    assert_allclose(caps[:, 1, 0] - caps[:, 0, 0], 2 * 0.01 * (x.max() - x.min()), rtol=1e-12)
    assert_allclose([ln.get_xdata()[0] for ln in d.vlines_], np.log([ref["lambda_min"], ref["lambda_1se"]]), rtol=1e-15)
    assert all(ln.get_linestyle() == ":" for ln in d.vlines_)
    assert d.ax_.get_ylabel() == ref["name"]
    assert d.top_labels_ == [str(int(v)) for v in ref["nzero"]]
    assert_allclose(d.top_ax_.get_xticks(), x, rtol=1e-15)
    shown = [t.get_text() for t in d.top_ax_.get_xticklabels() if t.get_text()]
    assert 3 <= len(shown) < n  # overlapping labels are thinned, as R's axis() does
    lo, hi = d.ax_.get_ylim()
    assert lo <= min(ref["cvlo"]) and hi >= max(ref["cvup"])


def test_cv_curve_sign_lambda():
    ref = load_expected("plot_boston_gaussian.json")
    d = CVPathDisplay.from_result(fake_result(ref), sign_lambda=-1).plot()
    assert_allclose(d.points_.get_xdata(), -np.log(ref["lambda"]), rtol=1e-15)
    assert_allclose(d.vlines_[0].get_xdata()[0], -np.log(ref["lambda_min"]), rtol=1e-15)
    assert d.ax_.get_xlabel().startswith("-")
    with pytest.raises(ParameterError, match="sign_lambda"):
        CVPathDisplay.from_result(fake_result(ref), sign_lambda=2).plot()


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("xvar", ["norm", "lambda", "dev"])
def test_coef_paths_draw_r_numbers(name, xvar):
    ref = load_expected(name)
    res = fake_result(ref)
    d = CoefPathDisplay.from_result(res, xvar=xvar).plot()
    assert len(d.axes_) == len(ref["panels"])
    for i, panel in enumerate(ref["panels"]):
        r = panel[xvar]
        assert_allclose(d.x_ if len(ref["panels"]) == 1 else d.lines_[i][0].get_xdata(), r["index"], rtol=1e-12)
        # R's pretty() positions and the df approx()-ed there, label for label
        assert_allclose(d.top_ticks_[i], r["atdf"], rtol=1e-15)
        assert d.top_labels_[i] == [f"{v:.15g}" for v in r["prettydf"]]
        # only R's nonzeroCoef() rows are drawn, in that order, with the path's numbers
        assert (d.which_[i] + 1).tolist() == panel["which"]
        beta = np.array(panel["beta"])
        # one line per nonzero row (zip alone would stop at the shorter list), each drawn against R's
        # index: with a single panel the x check above reads d.x_, not what the lines were drawn at
        assert len(d.lines_[i]) == len(d.which_[i]) == len(panel["which"])
        for ln, w in zip(d.lines_[i], d.which_[i]):
            assert ln.get_label() == ref["feature_names"][w]
            assert_allclose(ln.get_xdata(), r["index"], rtol=1e-12)
            assert_allclose(ln.get_ydata(), beta[w], rtol=0, atol=0)
    want = {"norm": "L1 Norm", "lambda": "Log Lambda", "dev": "Fraction Deviance Explained"}[xvar]
    assert d.ax_.get_xlabel() == want
    if ref.get("class_names"):
        assert d.axes_[1].get_ylabel() == f"Coefficients: Response {ref['class_names'][1]}"
    else:
        assert d.ax_.get_ylabel() == "Coefficients"


def test_coef_paths_labels_and_axes():
    ref = load_expected("plot_boston_gaussian.json")
    d = CoefPathDisplay.from_result(fake_result(ref), xvar="lambda", label=True).plot()
    texts = [t.get_text() for t in d.ax_.texts]
    assert texts == [ref["feature_names"][w] for w in d.which_[0]]
    d = CoefPathDisplay.from_result(fake_result(ref), xvar="lambda", label="index").plot()
    assert [t.get_text() for t in d.ax_.texts] == [str(w) for w in ref["panels"][0]["which"]]
    with pytest.raises(ParameterError, match="xvar"):
        CoefPathDisplay.from_result(fake_result(ref), xvar="l1").plot()
    multi = fake_result(load_expected("plot_birthwt_multinomial.json"))
    _, ax = plt.subplots()
    with pytest.raises(ParameterError, match="3 panel"):
        CoefPathDisplay.from_result(multi).plot(ax=ax)
    _, axs = plt.subplots(1, 3)
    d = CoefPathDisplay.from_result(multi).plot(ax=axs)
    assert d.axes_ == list(axs)


def test_all_zero_path_is_said():
    lam = np.exp(np.linspace(0, -2, 5))
    d = CoefPathDisplay(lam, np.zeros((2, 5)), np.zeros(5), ["a", "b"], xvar="lambda").plot()
    assert d.lines_ == [[]]
    assert "all coefficients are zero" in d.ax_.texts[0].get_text()


def test_r_pretty_and_approx_match_r_on_edge_cases():
    ranges = [(0.13, 2.7), (-6.9, -1.2), (0, 0), (5, 5), (1e-5, 3e-4), (-0.5, 123.4), (0.001, 0.00100001)]
    want = [
        [0, 0.5, 1, 1.5, 2, 2.5, 3], [-7, -6, -5, -4, -3, -2, -1], [-1, 0], [0, 5],
        [0, 5e-05, 1e-04, 0.00015, 2e-04, 0.00025, 3e-04], [-20, 0, 20, 40, 60, 80, 100, 120, 140],
        [0.001, 0.001000002, 0.001000004, 0.001000006, 0.001000008, 0.00100001],
    ]
    for rng, w in zip(ranges, want):
        assert_allclose(r_pretty(rng), w, rtol=1e-12, err_msg=str(rng))
    # ties averaged (ties = mean), rule = 2 clamps, f picks the left (0) or right (1) value
    assert r_approx_constant([3, 2, 1, 2], [0, 1, 4, 5], [0, 1.5, 2, 2.5, 9], f=0).tolist() == [4, 4, 3, 3, 0]
    assert r_approx_constant([0, 0, 1, 2, 3], [0, 1, 4, 5, 7], [-1, 0, 0.5, 1.5, 2.5, 9], f=1).tolist() == [
        0.5, 0.5, 4, 5, 7, 7]


@pytest.mark.against_r
def test_stored_plot_references_are_current():
    for name, (csv, target, family, seed) in CASES.items():
        live = run_rscript("plot_reference.R", str(ROOT / "statprune" / "data" / csv), target, family, seed)
        stored = load_expected(name)
        assert_allclose(live["cvm"], stored["cvm"], rtol=1e-12)
        assert live["panels"][0]["lambda"]["prettydf"] == stored["panels"][0]["lambda"]["prettydf"]
        json.dumps(live)


# --------------------------------------------------------------------------- the real objects
@pytest.mark.against_r
@pytest.mark.parametrize("name", sorted(CASES))
def test_displays_of_a_real_glmnetcv_fit_draw_its_numbers(r, name):
    """GlmnetCV (R's cv.glmnet through the bridge) -> displays: the drawn data are the result's numbers,
    and, with the same seed, the same numbers plain R draws (the stored reference)."""
    import pandas as pd

    from statprune.lasso import GlmnetCV

    csv, target, family, seed = CASES[name]
    df = pd.read_csv(ROOT / "statprune" / "data" / csv)
    X = df.drop(columns=target)
    y = df[target].astype(str) if family == "multinomial" else df[target]
    est = GlmnetCV(family=family, seed=int(seed)).fit(X, y)
    res = est.result_
    cv = CVPathDisplay.from_result(est).plot()  # the estimator works as well as its result_
    assert_allclose(cv.points_.get_xdata(), np.log(res.lambdas), rtol=1e-15)
    assert_allclose(cv.points_.get_ydata(), res.cvm, rtol=0)
    assert cv.top_labels_ == [str(int(v)) for v in res.nzero]
    assert_allclose([ln.get_xdata()[0] for ln in cv.vlines_], np.log([res.lambda_min, res.lambda_1se]), rtol=1e-15)
    assert cv.ax_.get_ylabel() == res.measure_name
    ref = load_expected(name)
    assert_allclose(cv.points_.get_ydata(), ref["cvm"], rtol=1e-8)
    for xvar in ("norm", "lambda", "dev"):
        d = CoefPathDisplay.from_result(res, xvar=xvar).plot()
        beta = res.beta if res.beta.ndim == 3 else res.beta[None]
        for i, panel in enumerate(ref["panels"]):
            assert len(d.lines_[i]) == len(d.which_[i])  # every nonzero row is drawn (zip would hide a gap)
            for ln, w in zip(d.lines_[i], d.which_[i]):
                assert_allclose(ln.get_ydata(), beta[i, w], rtol=0)
            assert (d.which_[i] + 1).tolist() == panel["which"]
            assert_allclose(d.top_ticks_[i], panel[xvar]["atdf"], rtol=1e-9)
            assert d.top_labels_[i] == [f"{v:.15g}" for v in panel[xvar]["prettydf"]]
        plt.close("all")
