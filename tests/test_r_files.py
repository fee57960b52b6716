"""Files as R users write them, and the same input handling in Python as on the CLI (issue 15, point 3).

The CSV files are written by R itself (``write.csv``/``write.csv2``) where R is available; the
non-R tier checks the same files written byte for byte as R writes them.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from statprune import datasets
from statprune._data import read_table
from statprune.cli import app
from statprune.errors import DataError, ParameterError

BOSTON = str(datasets.path("boston"))


def _write_csv_as_r(df: pd.DataFrame, path, *, csv2: bool = False) -> None:
    """What R's write.csv(d, path) / write.csv2(d, path) write: quoted header with "" for the row
    names, quoted row names "1".."n", numbers with '.' (write.csv) or ',' and ';' (write.csv2)."""
    sep, dec = (";", ",") if csv2 else (",", ".")
    lines = [sep.join(['""', *(f'"{c}"' for c in df.columns)])]
    for i, row in enumerate(df.itertuples(index=False), start=1):
        cells = [f'"{i}"']
        for v in row:
            if isinstance(v, str):
                cells.append(f'"{v}"')
            else:
                cells.append(repr(float(v)).rstrip("0").rstrip(".").replace(".", dec) if float(v) != int(v)
                             else str(int(v)))
        lines.append(sep.join(cells))
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def boston():
    return pd.read_csv(BOSTON)


def test_write_csv_row_names_are_not_a_predictor(tmp_path, boston):
    p = tmp_path / "b.csv"
    _write_csv_as_r(boston, p)
    d = read_table(p)
    assert list(d.columns) == list(boston.columns)  # no "Unnamed: 0" / "X" column
    assert d.attrs["row_names"][:3] == ["1", "2", "3"]
    np.testing.assert_array_equal(d.to_numpy(dtype=float), boston.to_numpy(dtype=float))
    # the CLI: the row names are not a predictor (pca keeps no 'Unnamed: 0')
    res = CliRunner().invoke(app, ["pca", str(p), "-y", "medv", "--json", "-"])
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    assert sorted(out["selected"] + out["pruned"]) == sorted(c for c in boston.columns if c != "medv")


def test_header_one_field_short_is_row_names_as_read_csv(tmp_path):
    p = tmp_path / "short.csv"
    p.write_text("a,b\nr1,1,2\nr2,3,4\nr3,5,7\n")  # read.csv: the first column is the row names
    d = read_table(p)
    assert list(d.columns) == ["a", "b"] and d.attrs["row_names"] == ["r1", "r2", "r3"]
    assert d["b"].tolist() == [2.0, 4.0, 7.0]


def test_write_csv2_is_detected_and_read_with_sep_and_decimal(tmp_path, boston):
    p = tmp_path / "b2.csv"
    _write_csv_as_r(boston, p, csv2=True)
    with pytest.raises(DataError, match=r"write\.csv2.*--sep ';' --decimal ','"):
        read_table(p)
    d = read_table(p, sep=";", decimal=",")
    np.testing.assert_allclose(d.to_numpy(dtype=float), boston.to_numpy(dtype=float), rtol=1e-15)
    res = CliRunner().invoke(app, ["pca", str(p), "-y", "medv", "--json", "-"])
    assert res.exit_code == 2 and "write.csv2" in res.stderr and res.stdout == ""
    a = CliRunner().invoke(app, ["pca", str(p), "-y", "medv", "--sep", ";", "--decimal", ",", "--json", "-"])
    b = CliRunner().invoke(app, ["pca", BOSTON, "-y", "medv", "--json", "-"])
    assert a.exit_code == 0, a.stderr
    assert json.loads(a.stdout)["components"] == json.loads(b.stdout)["components"]


@pytest.mark.against_r
@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript")
def test_files_written_by_r_itself(tmp_path, boston):
    """R's own write.csv / write.csv2 output reads back to the same numbers."""
    out1, out2 = tmp_path / "w.csv", tmp_path / "w2.csv"
    code = (f'd <- read.csv("{BOSTON}"); write.csv(d, "{out1}"); write.csv2(d, "{out2}")')
    subprocess.run(["Rscript", "-e", code], check=True, capture_output=True, timeout=120)
    a = read_table(out1)
    b = read_table(out2, sep=";", decimal=",")
    for d in (a, b):
        assert list(d.columns) == list(boston.columns)
        np.testing.assert_allclose(d.to_numpy(dtype=float), boston.to_numpy(dtype=float), rtol=1e-14)
    with pytest.raises(DataError, match="write.csv2"):
        read_table(out2)


# --------------------------------------------------------------------------- polars
def test_polars_frames_in_stepwise_and_compare():
    pl = pytest.importorskip("polars")
    import statprune

    swiss = datasets.load_swiss()
    res_pd = statprune.stepwise(swiss, "Fertility ~ .")
    res_pl = statprune.stepwise(pl.from_pandas(swiss), "Fertility ~ .")
    assert res_pl.final_terms == res_pd.final_terms
    np.testing.assert_allclose(res_pl.steps["AIC"], res_pd.steps["AIC"], rtol=1e-12)
    cmp = statprune.compare(pl.from_pandas(swiss), "Fertility", seed=1, methods=("stepwise", "pca"))
    assert cmp.to_dict()["selected"]


# --------------------------------------------------------------------------- GlmnetCV: text columns, score, set_params
def _chas_text(boston: pd.DataFrame) -> pd.DataFrame:
    x = boston.drop(columns="medv").copy()
    x["chas"] = x["chas"].map({0: "no", 1: "yes"})
    return x


def test_glmnet_text_column_message_names_it(boston):
    from statprune import GlmnetCV

    with pytest.raises(DataError, match=r"'chas'.*categorical='treatment'"):
        GlmnetCV(seed=1).fit(_chas_text(boston), boston["medv"])
    with pytest.raises(ParameterError, match="categorical"):
        GlmnetCV(categorical="onehot").fit(_chas_text(boston), boston["medv"])


def test_treatment_encoder_matches_model_matrix_names_and_values():
    from statprune.engines.stepwise.categorical import TreatmentEncoder

    d = pd.DataFrame({"g": ["b", "a", "c", "a"], "x": [1.0, 2.0, 3.0, 4.0],
                      "f": pd.Categorical(["lo", "hi", "hi", "lo"], categories=["lo", "hi"])})
    enc = TreatmentEncoder().fit(d)
    # R: colnames(model.matrix(~ ., d))[-1] with d$f <- factor(..., levels = c("lo", "hi"))
    out = enc.transform(d)
    assert out.columns.tolist() == ["gb", "gc", "x", "fhi"]
    assert out.to_numpy().tolist() == [[1, 0, 1, 0], [0, 0, 2, 1], [0, 1, 3, 1], [0, 0, 4, 0]]
    with pytest.raises(DataError, match="not seen in fit"):
        enc.transform(d.assign(g=["z", "a", "b", "c"]))


@pytest.mark.against_r
def test_encode_categoricals_is_r_model_matrix_through_formulaic(tmp_path):
    """prepare_xy(categorical='encode') (the CLI's --encode-categoricals) codes text columns with the
    estimators' formulaic TreatmentEncoder: R's colnames(model.matrix(~ ., d))[-1] and values, also for a
    column named Intercept (formulaic's own name), a level holding '[' and unused categories."""
    from helpers import require_r

    from statprune._data import prepare_xy
    from statprune.engines.stepwise.categorical import TreatmentEncoder

    d = pd.DataFrame({"Intercept": [1.5, 2.0, 3.0, 4.0, 5.0, 6.0], "g": ["b", "x[1]", "a", "b", "a", "x[1]"],
                      "f": pd.Categorical(["lo", "hi", "hi", "lo", "lo", "hi"], categories=["lo", "mid", "hi"]),
                      "y": [1.0, 3.0, 2.0, 5.0, 4.0, 6.0]})
    prep = prepare_xy(d, "y", categorical="encode", constant="keep")
    names = ["Intercept", "gb", "gx[1]", "fmid", "fhi"]
    assert prep.feature_names == names and prep.encoded == {"g": ["gb", "gx[1]"], "f": ["fmid", "fhi"]}
    enc = TreatmentEncoder().fit(d.drop(columns="y"))
    assert enc.feature_names_out_ == names
    np.testing.assert_array_equal(prep.X.to_numpy(), enc.transform(d.drop(columns="y")).to_numpy())
    require_r()
    d.drop(columns="f").to_csv(tmp_path / "d.csv", index=False)
    code = (f"d <- read.csv('{tmp_path / 'd.csv'}', check.names = FALSE); d$y <- NULL; "
            "d$f <- factor(c('lo','hi','hi','lo','lo','hi'), levels = c('lo','mid','hi')); "
            "m <- model.matrix(~ ., d)[, -1]; cat(colnames(m), sep = '\\n'); write.csv(m, stdout(), row.names = FALSE)")
    r = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[:5] == names
    ref = pd.read_csv(pd.io.common.StringIO("\n".join(lines[5:])))
    np.testing.assert_array_equal(prep.X.to_numpy(), ref.to_numpy())


@pytest.mark.against_r
def test_glmnet_treatment_equals_r_model_matrix(boston):
    """categorical='treatment' == cv.glmnet on model.matrix(~ ., d)[, -1] (the 0/1 chas column renamed)."""
    from statprune import GlmnetCV

    X = _chas_text(boston)
    est = GlmnetCV(seed=42, categorical="treatment").fit(X, boston["medv"])
    ref = GlmnetCV(seed=42).fit(boston.drop(columns="medv").rename(columns={"chas": "chasyes"}), boston["medv"])
    assert "chasyes" in est.feature_names_in_
    assert est.lambda_min_ == pytest.approx(0.02118501942064922, rel=1e-12)  # README's R number
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-12)
    Xr = boston.drop(columns="medv").rename(columns={"chas": "chasyes"})
    np.testing.assert_allclose(est.predict(X.head(5)), ref.predict(Xr.head(5)), rtol=1e-12)
    assert est.transform(X).shape[1] == len(est.result_.selected)


@pytest.mark.against_r
def test_glmnet_score_and_cross_val_score(boston):
    from sklearn.metrics import r2_score
    from sklearn.model_selection import cross_val_score

    from statprune import GlmnetCV

    X, y = boston.drop(columns="medv"), boston["medv"]
    est = GlmnetCV(seed=1).fit(X, y)
    assert est.score(X, y) == pytest.approx(r2_score(y, est.predict(X)), rel=1e-12)
    # deviance explained at lambda.min on the training rows is glmnet's dev.ratio there (interpolated path)
    assert 0.7 < est.score(X, y) < 0.75
    scores = cross_val_score(GlmnetCV(seed=1), X, y, cv=3)
    assert scores.shape == (3,) and np.isfinite(scores).all()


@pytest.mark.against_r
def test_from_rds_set_params_s_predicts_at_lambda_1se(tmp_path, boston):
    from statprune import GlmnetCV

    X, y = boston.drop(columns="medv"), boston["medv"]
    est = GlmnetCV(seed=42).fit(X, y)
    p = tmp_path / "fit.rds"
    est.result_.save_rds(p)
    loaded = GlmnetCV.from_rds(p)
    at_min = loaded.predict(X.to_numpy())
    loaded.set_params(s="lambda.1se")
    at_1se = loaded.predict(X.to_numpy())
    np.testing.assert_allclose(at_1se, est.result_.predict(X.to_numpy(), s="lambda.1se"), rtol=1e-12)
    assert not np.allclose(at_min, at_1se)
    assert loaded.result_.s == "lambda.1se" and len(loaded.result_.selected) == 9  # R: nzero at lambda.1se
    np.testing.assert_allclose(loaded.coef_, est.result_._coef_array(est.lambda_1se_), rtol=1e-12)


# --------------------------------------------------------------------------- stepwise results for an R colleague
@pytest.mark.against_r
def test_stepwise_save_rds_is_steps_lm_with_anova_and_r_code_runs(tmp_path):
    import statprune

    swiss = datasets.load_swiss()
    res = statprune.stepwise(swiss, "Fertility ~ .", direction="backward")
    rds = tmp_path / "step.rds"
    res.save_rds(rds)
    csv = tmp_path / "swiss.csv"
    swiss.to_csv(csv, index=False)
    script = tmp_path / "check.R"
    code = res.r_code(data=str(csv))
    script.write_text(
        f'fit <- readRDS("{rds}")\n'
        f"{code}"
        "ref <- fit\nsaved <- readRDS(commandArgs(TRUE)[1])\n"
        "cat(jsonlite::toJSON(list(class = class(saved), coef = unname(coef(saved)), names = names(coef(saved)),\n"
        "  aic = saved$anova$AIC, steps = saved$anova$Step, ref_aic = ref$anova$AIC,\n"
        "  ref_coef = unname(coef(ref)), call = deparse(saved$call)), digits = NA))\n")
    proc = subprocess.run(["Rscript", str(script), str(rds)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["class"] == ["lm"]
    assert out["names"] == ["(Intercept)", "Agriculture", "Education", "Catholic", "Infant.Mortality"]
    np.testing.assert_allclose(out["aic"], res.steps["AIC"], rtol=1e-10)  # the saved path is step()'s
    np.testing.assert_allclose(out["ref_aic"], res.steps["AIC"], rtol=1e-10)  # r_code() gives the same path in R
    np.testing.assert_allclose(out["coef"], out["ref_coef"], rtol=1e-10)
    np.testing.assert_allclose(out["coef"], res.coefficients.to_numpy(), rtol=1e-8)
    assert out["steps"] == ["", "- Examination"] and out["call"][0].startswith("lm(formula = Fertility ~")


@pytest.mark.against_r
def test_stepwise_save_rds_glm_binomial_with_factors(tmp_path):
    import statprune

    bw = datasets.load_birthwt() if hasattr(datasets, "load_birthwt") else None
    if bw is None:
        pytest.skip("no birthwt data set")
    bw = bw.drop(columns=["bwt"]).assign(race=lambda d: d["race"].map({1: "white", 2: "black", 3: "other"}))
    res = statprune.stepwise(bw, "low ~ .", family="binomial", direction="backward")
    rds = tmp_path / "glm.rds"
    res.save_rds(rds)
    code = (f'fit <- readRDS("{rds}"); cat(class(fit), "\\n"); cat(format(AIC(fit), digits = 17), "\\n");'
            "cat(format(fit$anova$AIC, digits = 17), '\\n')")
    proc = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["glm", "lm"]
    assert float(lines[1]) == pytest.approx(res.aic, rel=1e-10)
    np.testing.assert_allclose([float(v) for v in lines[2].split()], res.steps["AIC"], rtol=1e-10)
