"""PCAPruner: exact parity with R's prcomp, the component rules, the result object, the CLI."""

from __future__ import annotations

import json

import matplotlib
import numpy as np
import pandas as pd
import pytest
from helpers import assert_allclose, call_test_r, run_rscript
from sklearn.utils.estimator_checks import parametrize_with_checks

from statprune import datasets
from statprune.errors import DataError, ParameterError
from statprune.pca import PCAPruner, PCAResult, ScreeDisplay, elbow_point, sign_convention

matplotlib.use("Agg")


def _boston_X() -> pd.DataFrame:
    return datasets.load_boston().drop(columns="medv")


# ----------------------------------------------------------------------------- parity with R
CASES = [
    ("boston", "medv", True),
    ("boston", "medv", False),
    ("swiss", "", True),
    ("mtcars", "model", True),
    ("mtcars", "model", False),
]


@pytest.mark.against_r
@pytest.mark.parametrize(("name", "exclude", "scale"), CASES)
def test_matches_r_prcomp(name: str, exclude: str, scale: bool) -> None:
    ref = run_rscript("prcomp_reference.R", datasets.path(name), exclude, "TRUE" if scale else "FALSE")
    df = datasets.load(name)
    X = df.drop(columns=[c for c in exclude.split(",") if c])
    assert list(X.columns) == ref["features"]
    pca = PCAPruner(n_components=1.0, scale=scale).fit(X)
    # sdev: rtol 1e-10 (both use LAPACK dgesdd on the same centred/scaled matrix)
    assert_allclose(pca.sdev_, ref["sdev"], rtol=1e-10)
    assert_allclose(pca.center_, ref["center"], rtol=1e-13)
    if scale:
        assert_allclose(pca.scale_, ref["scale"], rtol=1e-13)
    # loadings and scores up to sign: apply the same convention to R's output
    r_rot = np.asarray(ref["rotation"], float)
    r_x = np.asarray(ref["x"], float)
    s = sign_convention(r_rot)
    assert_allclose(pca.rotation_, r_rot * s, atol=1e-10)
    assert_allclose(pca.result_.scores, r_x * s, atol=1e-10 * max(1.0, np.abs(r_x).max()))
    # summary(prcomp)'s rounded importance table
    assert_allclose(np.round(pca.explained_variance_ratio_, 5), ref["proportion"], atol=1e-12)
    assert_allclose(np.round(pca.result_.cumulative, 5), ref["cumulative"], atol=1e-12)


@pytest.mark.against_r
def test_matches_r_prcomp_wide(tmp_path) -> None:
    """n < p: R returns min(n, p) components; the last one has sdev ~ 0 and an arbitrary direction."""
    df = _boston_X().iloc[::60]  # 9 rows, 13 columns
    df = df.loc[:, df.nunique() > 1]
    assert df.shape[0] < df.shape[1]
    f = tmp_path / "wide.csv"
    df.to_csv(f, index=False, float_format="%.17g")
    ref = run_rscript("prcomp_reference.R", str(f), "", "TRUE")
    pca = PCAPruner(n_components=1.0).fit(pd.read_csv(f))
    n = df.shape[0]
    assert pca.sdev_.shape == (n,)
    assert_allclose(pca.sdev_[: n - 1], ref["sdev"][: n - 1], rtol=1e-10)
    assert abs(pca.sdev_[n - 1]) < 1e-12 and abs(ref["sdev"][n - 1]) < 1e-12
    r_rot = np.asarray(ref["rotation"], float)[:, : n - 1]
    assert_allclose(pca.rotation_[:, : n - 1], r_rot * sign_convention(r_rot), atol=1e-10)


# ----------------------------------------------------------------------------- rules
def test_variance_rule_is_smallest_k_reaching_share() -> None:
    pca = PCAPruner(0.9).fit(_boston_X())
    cum = pca.result_.cumulative
    k = pca.n_components_
    assert cum[k - 1] >= 0.9 > cum[k - 2]
    assert k == 8  # R: cumulative 0.89907 at PC7, 0.92954 at PC8
    assert PCAPruner(1.0).fit(_boston_X()).n_components_ == 13


def test_kaiser_rule() -> None:
    pca = PCAPruner("kaiser").fit(_boston_X())
    eig = pca.sdev_**2
    assert pca.n_components_ == int(np.sum(eig > 1)) == 3
    with pytest.raises(ParameterError, match="standardised"):
        PCAPruner("kaiser", scale=False).fit(_boston_X())


def test_elbow_rule_definition() -> None:
    assert elbow_point([10, 9, 8, 2, 1.5, 1, 0.5]) == 4  # the elbow point itself is kept
    assert elbow_point([5.0, 1.0, 0.9, 0.8, 0.7]) == 2
    assert elbow_point([1.0, 0.5]) == 1
    # a straight line has no elbow: every distance is 0, argmax is the first point
    assert elbow_point([4.0, 3.0, 2.0, 1.0]) == 1
    pca = PCAPruner("elbow").fit(_boston_X())
    assert pca.n_components_ == elbow_point(pca.sdev_**2) == 2


def test_fixed_number_and_bad_parameters() -> None:
    X = _boston_X()
    assert PCAPruner(4).fit(X).n_components_ == 4
    assert PCAPruner(40).fit(X).n_components_ == 13
    for bad in (0, -1, 0.0, 1.5, "scree", True, None):
        with pytest.raises(ParameterError):
            PCAPruner(bad).fit(X)
    with pytest.raises(ParameterError, match="loading_threshold"):
        PCAPruner(loading_threshold=2).fit(X)


def test_sign_convention_is_deterministic() -> None:
    X = _boston_X()
    a = PCAPruner(1.0).fit(X)
    b = PCAPruner(1.0).fit(X.iloc[::-1])  # row order changes nothing
    c = PCAPruner(1.0).fit(-X)  # negating every column flips every singular vector: convention restores signs
    assert_allclose(a.rotation_, b.rotation_, atol=1e-12)
    rot = a.rotation_
    assert np.all(rot[np.argmax(np.abs(rot), axis=0), np.arange(rot.shape[1])] > 0)
    assert_allclose(np.abs(a.rotation_), np.abs(c.rotation_), atol=1e-12)
    assert np.all(c.rotation_[np.argmax(np.abs(c.rotation_), axis=0), np.arange(13)] > 0)


def test_loading_threshold_and_selected_features() -> None:
    X = _boston_X()
    pca = PCAPruner(2, loading_threshold=0.6).fit(X)
    res = pca.result_
    corr = np.corrcoef(np.column_stack([X.to_numpy(), res.scores[:, :2]]), rowvar=False)[:13, 13:]
    assert_allclose(res.correlations[:, :2], corr, atol=1e-12)
    expect = [f for f, r in zip(res.feature_names, np.abs(corr).max(axis=1)) if r >= 0.6]
    assert res.selected == expect
    assert set(res.selected) | set(res.pruned) == set(X.columns)
    assert list(pca.get_support(indices=True)) == [list(X.columns).index(f) for f in expect]
    assert "rm" in res.pruned  # rm loads on PC3, not on the first two


def test_transform_equals_scores_and_inverse() -> None:
    X = _boston_X()
    pca = PCAPruner(13).fit(X)
    Z = pca.transform(X)
    assert_allclose(Z, pca.result_.scores, atol=1e-10)
    assert_allclose(pca.inverse_transform(Z), X.to_numpy(), atol=1e-9)
    assert list(pca.get_feature_names_out()) == [f"PC{i}" for i in range(1, 14)]
    out = PCAPruner(3).set_output(transform="pandas").fit_transform(X)
    assert list(out.columns) == ["PC1", "PC2", "PC3"]


def test_bad_input() -> None:
    X = _boston_X()
    with pytest.raises(DataError, match="constant"):
        PCAPruner().fit(X.assign(k=1.0))
    with pytest.raises(DataError, match="non-numeric"):
        PCAPruner().fit(X.assign(s="a"))
    with pytest.raises(DataError):
        PCAPruner().fit(X.assign(nan=np.nan))


# ----------------------------------------------------------------------------- result & plot
def test_result_outputs() -> None:
    res = PCAPruner("kaiser").fit(_boston_X()).result_
    assert isinstance(res, PCAResult)
    fr = res.to_frame()
    assert list(fr.index[:3]) == ["PC1", "PC2", "PC3"] and fr["kept"].sum() == 3
    assert res.to_frame("features").shape[0] == 13
    d = json.loads(res.to_json())
    assert {"method", "components", "selected", "pruned", "rule", "n_components", "provenance"} <= set(d)
    assert d["method"] == "pca" and len(d["components"]) == 13 and d["n_components"] == 3
    assert "Kaiser" in res.summary() and "<table" in res._repr_html_()


def test_scree_display() -> None:
    import matplotlib.pyplot as plt

    res = PCAPruner("kaiser").fit(_boston_X()).result_
    fig, ax = plt.subplots()
    disp = ScreeDisplay.from_result(res).plot(ax=ax)
    assert disp.ax_ is ax
    assert disp.cut_.get_xdata()[0] == pytest.approx(3.5)
    assert len(disp.kept_.get_offsets()) == 3
    plt.close(fig)


@pytest.mark.sklearn
@parametrize_with_checks([PCAPruner(n_components=2)])
def test_sklearn_compatible(estimator, check) -> None:
    check(estimator)


# ----------------------------------------------------------------------------- CLI
def test_cli_pca_json(capsys) -> None:
    from typer.testing import CliRunner

    from statprune.cli import app

    r = CliRunner().invoke(app, ["pca", datasets.path("boston"), "--exclude", "medv", "--kaiser", "--json", "-"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["method"] == "pca" and d["n_components"] == 3
    r = CliRunner().invoke(app, ["pca", datasets.path("boston"), "--exclude", "medv", "--elbow"])
    assert r.exit_code == 0 and "PC1" in r.stdout
    r = CliRunner().invoke(app, ["pca", datasets.path("quine"), "--variance", "0.8"])
    assert r.exit_code == 2 and "non-numeric" in r.stderr
    r = CliRunner().invoke(app, ["pca", datasets.path("boston"), "--variance", "1.5"])
    assert r.exit_code == 2
    r = CliRunner().invoke(app, ["pca", datasets.path("boston"), "--kaiser", "--elbow"])
    assert r.exit_code == 2


# ----------------------------------------------------------------------------- rpy2 tier: random matrices
@pytest.mark.against_r
@pytest.mark.parametrize(("n", "p", "scale", "seed"), [(50, 6, True, 0), (30, 12, True, 1), (200, 3, False, 2), (12, 20, True, 3)])
def test_matches_r_prcomp_through_rpy2(r, n, p, scale, seed) -> None:
    rng = np.random.default_rng(seed)
    # correlated columns on very different scales
    X = rng.normal(size=(n, p)) @ rng.normal(size=(p, p)) * np.logspace(-2, 3, p) + rng.normal(size=p) * 100
    ref = call_test_r("pca_importance", "spi_prcomp", X, scale)
    pca = PCAPruner(1.0, scale=scale).fit(X)
    m = min(n - 1, p)  # with n <= p the last component is null (sdev ~ 0, direction arbitrary)
    assert_allclose(pca.sdev_[:m], np.asarray(ref["sdev"])[:m], rtol=1e-10)
    r_rot = np.asarray(ref["rotation"])[:, :m]
    assert_allclose(pca.rotation_[:, :m], r_rot * sign_convention(r_rot), atol=1e-10)
    r_x = np.asarray(ref["x"])[:, :m]
    assert_allclose(pca.result_.scores[:, :m], r_x * sign_convention(r_rot), atol=1e-10 * max(1.0, np.abs(r_x).max()))
    assert_allclose(pca.center_, ref["center"], rtol=1e-13)


@pytest.mark.parametrize("seed", range(3))
def test_column_order_invariance(seed) -> None:
    X = _boston_X()
    perm = np.random.default_rng(seed).permutation(X.shape[1])
    a = PCAPruner("kaiser").fit(X)
    b = PCAPruner("kaiser").fit(X.iloc[:, perm])
    assert_allclose(a.sdev_, b.sdev_, rtol=1e-12)
    assert_allclose(a.rotation_[perm], b.rotation_, atol=1e-12)
    assert set(a.result_.selected) == set(b.result_.selected)


def test_matches_stored_r_prcomp() -> None:
    """Stored tier (no R needed): tests/expected/prcomp_boston_scaled.json was written by
    ``Rscript r_scripts/prcomp_reference.R statprune/data/boston.csv medv TRUE`` (R version inside)."""
    from helpers import load_expected

    ref = load_expected("prcomp_boston_scaled.json")
    pca = PCAPruner(1.0).fit(_boston_X())
    assert_allclose(pca.sdev_, ref["sdev"], rtol=1e-10)
    r_rot = np.asarray(ref["rotation"], float)
    assert_allclose(pca.rotation_, r_rot * sign_convention(r_rot), atol=1e-10)
    assert_allclose(pca.result_.scores, np.asarray(ref["x"]) * sign_convention(r_rot), atol=1e-9)
