"""statprune.compare: one split, every method on the training rows, refits scored on the held-out rows."""

from __future__ import annotations

import json

import matplotlib
import numpy as np
import pytest
from helpers import assert_allclose

from statprune import datasets
from statprune.compare import CompareDisplay, CompareResult, compare
from statprune.errors import DataError, ParameterError, RNotAvailableError

matplotlib.use("Agg")

FAST_IMP = {"n_estimators": 60, "n_repeats": 3}


def _split(n: int, seed: int, test_size: float = 0.25, stratify=None):
    from sklearn.model_selection import train_test_split

    return train_test_split(np.arange(n), test_size=test_size, random_state=seed, stratify=stratify)


def _ols_mse(Xtr, ytr, Xte, yte) -> float:
    A = np.column_stack([np.ones(len(ytr)), Xtr])
    beta, *_ = np.linalg.lstsq(A, ytr, rcond=None)
    return float(np.mean((yte - np.column_stack([np.ones(len(yte)), Xte]) @ beta) ** 2))


@pytest.fixture(scope="module")
def boston_full():
    return compare(datasets.load_boston(), "medv", seed=3, importance_params=FAST_IMP)


@pytest.mark.against_r
def test_boston_side_by_side(boston_full: CompareResult) -> None:
    res = boston_full
    df = datasets.load_boston()
    names = list(df.columns.drop("medv"))
    assert list(res.table.columns) == ["lasso.min", "lasso.1se", "stepwise", "importance", "pca"]
    assert list(res.table.index) == names and res.table.dtypes.eq(bool).all()
    text = res.summary()
    for col in res.table.columns:
        assert col in text
    assert "Lasso (lambda.1se)" in text and "intercept only" in text
    # the Lasso column is GlmnetCV on the training rows, read at lambda.min / lambda.1se
    from statprune.lasso import GlmnetCV

    tr, te = _split(len(df), 3)
    X, y = df[names], df["medv"].to_numpy()
    est = GlmnetCV(family="gaussian", seed=3).fit(X.iloc[tr].reset_index(drop=True), y[tr])
    for key, s in (("lasso.min", "lambda.min"), ("lasso.1se", "lambda.1se")):
        cf = est.result_.coef(s).drop("(Intercept)")
        assert res.kept[key] == [f for f in names if cf[f] != 0]
        assert_allclose(res.scores[key]["mse"], _ols_mse(X.iloc[tr][res.kept[key]], y[tr], X.iloc[te][res.kept[key]], y[te]), rtol=1e-10)
    assert len(res.kept["lasso.1se"]) <= len(res.kept["lasso.min"])
    d = json.loads(res.to_json())
    assert d["method"] == "compare" and set(d["selected_by_method"]) >= {"lasso.min", "stepwise", "importance", "pca", "all"}
    assert d["split"] == {"seed": 3, "test_size": 0.25, "n_train": 379, "n_test": 127, "stratified": False}


def test_refits_are_ols_on_the_same_split() -> None:
    df = datasets.load_boston()
    names = list(df.columns.drop("medv"))
    res = compare(df, "medv", seed=5, methods=("stepwise", "importance", "pca"), importance_params=FAST_IMP)
    tr, te = _split(len(df), 5)
    X, y = df[names].to_numpy(), df["medv"].to_numpy()
    for key in ("stepwise", "importance", "all"):
        cols = [names.index(f) for f in res.kept[key]]
        assert_allclose(res.scores[key]["mse"], _ols_mse(X[tr][:, cols], y[tr], X[te][:, cols], y[te]), rtol=1e-10)
    assert_allclose(res.scores["none"]["mse"], np.mean((y[te] - y[tr].mean()) ** 2), rtol=1e-12)
    # stepwise column == statprune.stepwise on the training rows (R: step(lm(medv ~ ., train)))
    from statprune.stepwise import stepwise

    st = stepwise(df.iloc[tr].reset_index(drop=True), "medv ~ .", family="gaussian", direction="backward", criterion="aic")
    assert res.kept["stepwise"] == [f for f in names if f in st.final_terms]
    # PCA column: principal components regression on the kept components
    from statprune.pca import PCAPruner

    pca = PCAPruner(0.9).fit(df[names].iloc[tr])
    assert res.kept["pca"] == pca.result_.selected
    assert_allclose(res.scores["pca"]["mse"], _ols_mse(pca.transform(df[names].iloc[tr]), y[tr], pca.transform(df[names].iloc[te]), y[te]), rtol=1e-10)
    assert res.details["pca"]["n_components"] == pca.n_components_


def test_binary_target_logistic_refit() -> None:
    import statsmodels.api as sm

    df = datasets.load_pima()
    res = compare(df, "type", seed=2, methods=("stepwise", "pca"))
    assert res.family == "binomial" and res.metric == "error_rate" and res.levels == ["No", "Yes"]
    y = (df["type"] == "Yes").to_numpy(float)
    tr, te = _split(len(df), 2, stratify=y)
    names = list(df.columns.drop("type"))
    cols = res.kept["stepwise"]
    A = sm.add_constant(df[cols].to_numpy()[tr])
    fit = sm.GLM(y[tr], A, family=sm.families.Binomial()).fit()
    prob = fit.predict(sm.add_constant(df[cols].to_numpy()[te]))
    assert res.scores["stepwise"]["error_rate"] == pytest.approx(np.mean((prob > 0.5) != y[te]), abs=1e-12)
    assert set(res.table.index) == set(names)


def test_lasso_not_available_is_reported(monkeypatch) -> None:
    import statprune.lasso as lasso

    def boom(self, *a, **k):
        raise RNotAvailableError("R is not installed")

    monkeypatch.setattr(lasso.GlmnetCV, "fit", boom)
    res = compare(datasets.load_swiss(), "Fertility", methods=("lasso", "pca"))
    assert "lasso.min" not in res.table.columns and "pca" in res.table.columns
    assert "not run" in res.notes["lasso.min"] and "R is not installed" in res.summary()
    assert json.loads(res.to_json())["methods"]["lasso.1se"]["not_run"].startswith("not run")


def test_bad_input() -> None:
    df = datasets.load_boston()
    with pytest.raises(DataError, match="single value"):
        compare(df.assign(k=1.0), "k", methods=("pca",))
    with pytest.raises(DataError, match="3 classes"):
        compare(df.assign(c=np.array(["a", "b", "c"])[np.arange(len(df)) % 3]), "c", methods=("pca",))
    with pytest.raises(DataError, match="rows"):
        compare(datasets.load_swiss().iloc[:20], "Fertility", methods=("pca",))
    with pytest.raises(DataError, match="non-numeric"):
        compare(datasets.load_quine(), "Days", methods=("pca",))
    with pytest.raises(ParameterError):
        compare(df, "medv", methods=("ridge",))
    with pytest.raises(DataError, match="not found"):
        compare(df, "price")


def test_encoded_categoricals() -> None:
    res = compare(datasets.load_quine(), "Days", methods=("stepwise", "pca"), categorical="encode")
    assert "AgeF1" in res.table.index


def test_display() -> None:
    import matplotlib.pyplot as plt

    res = compare(datasets.load_swiss(), "Fertility", methods=("stepwise", "pca"))
    disp = CompareDisplay.from_result(res).plot()
    assert disp.image_.get_array().shape == (5, 2)
    plt.close(disp.figure_)
    assert "<table" in res._repr_html_()


def test_cli_compare() -> None:
    from typer.testing import CliRunner

    from statprune.cli import app

    run = CliRunner().invoke
    r = run(app, ["compare", datasets.path("swiss"), "--target", "Fertility", "--method", "stepwise",
                  "--method", "importance", "--trees", "30", "--json", "-"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["method"] == "compare" and "stepwise" in d["selected_by_method"] and d["family"] == "gaussian"
    r = run(app, ["compare", datasets.path("swiss"), "--target", "Fertility", "--method", "pca"])
    assert r.exit_code == 0 and "PCA (components regression)" in r.stdout
    r = run(app, ["compare", datasets.path("quine"), "--target", "Days"])
    assert r.exit_code == 2 and "non-numeric" in r.stderr
    r = run(app, ["compare", datasets.path("swiss"), "--target", "Fertility", "--method", "nope"])
    assert r.exit_code == 2


@pytest.mark.against_r
def test_cli_compare_boston_prints_table() -> None:
    from typer.testing import CliRunner

    from statprune.cli import app

    r = CliRunner().invoke(app, ["compare", datasets.path("boston"), "--target", "medv", "--seed", "1", "--trees", "60"])
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "lasso.min" in out and "lasso.1se" in out and "stepwise" in out and "importance" in out and "pca" in out
    lines = [ln for ln in out.splitlines() if ln.startswith(("crim ", "lstat ", "chas "))]
    assert len(lines) == 3 and all(ln.split()[1:] and set(ln.split()[1:]) <= {"x", "."} for ln in lines)
    # the printed marks are the kept/pruned table of the same comparison (any x/. pattern passed above)
    res = compare(datasets.load_boston(), "medv", seed=1, importance_params={"n_estimators": 60})
    header = next(ln for ln in out.splitlines() if ln.startswith("feature "))
    assert header.split()[1:] == list(res.table.columns)
    printed = {ln.split()[0]: ln.split()[1:] for ln in out.splitlines() if ln.split() and ln.split()[0] in res.table.index}
    assert sorted(printed) == sorted(res.table.index)
    for f, marks in printed.items():
        assert marks == ["x" if v else "." for v in res.table.loc[f]], f


def test_public_api_is_callable() -> None:
    import statprune

    res = statprune.compare(datasets.load_swiss(), "Fertility", methods=("pca",))
    assert isinstance(res, statprune.CompareResult)


def test_binomial_class_order_is_rs() -> None:
    # numeric labels {2, 10}: R orders factor levels numerically, the event (second level) is 10
    df = datasets.load_boston()
    y = np.where(df["medv"] > 22, 10, 2)
    res = compare(df.drop(columns="medv").assign(y=y), "y", methods=("pca",))
    assert res.family == "binomial" and res.levels == [2, 10]
    assert res.to_dict()["levels"] == [2, 10]
    res_s = compare(df.drop(columns="medv").assign(y=np.where(y == 10, "10", "2")), "y", methods=("pca",))
    assert res_s.levels == ["10", "2"]  # text labels: R's sort() under LC_COLLATE=C
