"""Missing values are read as R's ``read.csv`` reads them (issue 13, defect 1).

R's ``read.csv`` treats only ``"NA"`` (``na.strings``) and blank fields of a numeric
column as missing; ``"None"``, ``"NULL"``, ``"null"``, ``"nan"``, ``"N/A"`` and ``""`` in a
text column are values. MASS::Cars93 has a factor level ``"None"`` (``AirBags``): read
as pandas reads it, 34 rows silently disappear. Every comparison here is with R run
through ``Rscript`` on the same file (``LC_ALL=C``, so factor levels sort as statprune
sorts them): read.csv's column classes and ``is.na`` counts exactly, cv.glmnet's lambda
(rtol 1e-9), cvm (rtol 1e-6) and coefficients (1e-6 of their scale), step()'s path and
AIC (1e-6).
"""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pandas as pd
import pytest
from helpers import assert_allclose, child_env, require_r

from statprune._data import prepare_xy, read_table
from statprune.lasso import cv_glmnet_table

pytestmark = pytest.mark.against_r


def _rscript(code: str, *args: str) -> dict:
    require_r()
    env = child_env()
    env["LC_ALL"] = "C"
    proc = subprocess.run(["Rscript", "-e", code, *map(str, args)], capture_output=True, text=True, timeout=300,
                          env=env, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"Rscript failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


TRICKY = (
    "txt,num,mix,q\n"
    'None,1,1,"NA"\n'
    'NULL,,2,"x"\n'
    'null,3,nan,"None"\n'
    'nan,NA,NaN,""\n'
    "N/A,5,Inf,y\n"
    ",6,-inf,z\n"
    "NA,7, 8 ,NA\n"
)


def test_read_table_matches_read_csv(tmp_path):
    p = tmp_path / "tricky.csv"
    p.write_text(TRICKY)
    ref = _rscript(
        "d <- read.csv(commandArgs(TRUE)[1]); cat(jsonlite::toJSON(list(cls = sapply(d, class), "
        "na = as.list(colSums(is.na(d))), txt = d$txt, num = d$num, mix = d$mix, q = d$q), "
        "digits = NA, na = 'null'))", p)
    df = read_table(p)
    for col, cls in zip(df.columns, ref["cls"]):
        kind = "numeric" if pd.api.types.is_numeric_dtype(df[col].dtype) else "character"
        assert kind == ("numeric" if cls in ("numeric", "integer") else "character"), col
    counts = df.attrs["na_counts"]
    assert counts == {k: int(v[0]) for k, v in ref["na"].items()}
    txt = [None if pd.isna(v) else v for v in df["txt"]]
    assert txt == ref["txt"]  # "None", "NULL", "null", "nan", "N/A", "" are values; only "NA" is missing
    assert [None if pd.isna(v) else v for v in df["q"]] == ref["q"]
    num = df["num"].to_numpy(float)
    assert_allclose(np.nan_to_num(num, nan=-1), [-1 if v is None else v for v in ref["num"]])
    # R's NaN/Inf literals in a numeric column
    mix = df["mix"].to_numpy(float)
    assert np.isnan(mix[2]) and np.isnan(mix[3]) and mix[4] == np.inf and mix[5] == -np.inf and mix[6] == 8


def test_na_values_option_changes_the_rule(tmp_path):
    p = tmp_path / "tricky.csv"
    p.write_text(TRICKY)
    df = read_table(p, na_values=["NA", "None", "NULL", ""])
    assert df.attrs["na_counts"]["txt"] == 4 and df.attrs["na_counts"]["q"] == 4
    ref = _rscript("d <- read.csv(commandArgs(TRUE)[1], na.strings = c('NA', 'None', 'NULL', '')); "
                   "cat(jsonlite::toJSON(as.list(colSums(is.na(d)))))", p)
    assert df.attrs["na_counts"] == {k: int(v[0]) for k, v in ref.items()}


def test_parquet_keeps_strings_and_counts_nulls(tmp_path):
    pytest.importorskip("pyarrow")
    df = pd.DataFrame({"a": ["None", "NA", None, "x"], "b": [1.0, np.nan, 3.0, 4.0]})
    p = tmp_path / "t.parquet"
    df.to_parquet(p)
    got = read_table(p)
    # R's arrow::read_parquet: only nulls are NA; the string "NA" is a value in a Parquet file
    assert got["a"].tolist()[:2] == ["None", "NA"] and pd.isna(got["a"].iloc[2])
    assert got.attrs["na_counts"] == {"a": 1, "b": 1}
    got2 = read_table(p, na_values=["NA"])
    assert got2.attrs["na_counts"] == {"a": 2, "b": 1}


CARS_COLS = ["Price", "AirBags", "DriveTrain", "MPG.city", "Horsepower", "Rear.seat.room", "Luggage.room", "Weight"]


@pytest.fixture(scope="module")
def cars93(tmp_path_factory):
    """MASS::Cars93 written by R's write.csv (AirBags has the level "None")."""
    d = tmp_path_factory.mktemp("cars")
    p = d / "cars93.csv"
    _rscript("d <- MASS::Cars93; write.csv(d[, strsplit(commandArgs(TRUE)[2], ',')[[1]]], commandArgs(TRUE)[1], "
             "row.names = FALSE); cat('{}')", p, ",".join(CARS_COLS))
    return p


def test_cars93_airbags_none_is_a_level(cars93):
    prep = prepare_xy(cars93, "Price", categorical="encode", drop_missing=True)
    assert "AirBagsNone" in prep.feature_names
    # R: na.omit drops the 13 rows with NA in Rear.seat.room / Luggage.room only
    ref = _rscript("d <- read.csv(commandArgs(TRUE)[1]); cat(jsonlite::toJSON(list(n = nrow(na.omit(d)), "
                   "na = as.list(colSums(is.na(d))))))", cars93)
    assert prep.X.shape[0] == ref["n"][0]
    assert prep.missing == {k: int(v[0]) for k, v in ref["na"].items() if v[0] > 0}


def test_cars93_cv_glmnet_matches_r(cars93):
    ref = _rscript(
        "suppressPackageStartupMessages(library(glmnet)); d <- na.omit(read.csv(commandArgs(TRUE)[1])); "
        "x <- model.matrix(Price ~ ., d)[, -1]; set.seed(1); f <- cv.glmnet(x, d$Price, nfolds = 5); "
        "cat(jsonlite::toJSON(list(lambda = f$lambda, cvm = f$cvm, lmin = f$lambda.min, "
        "coef = as.numeric(coef(f, s = 'lambda.min')), names = rownames(coef(f))), digits = NA))", cars93)
    res = cv_glmnet_table(cars93, "Price", seed=1, nfolds=5, drop_missing=True, categorical="encode")
    assert ["(Intercept)", *res.feature_names] == ref["names"]
    assert_allclose(res.lambdas, ref["lambda"], rtol=1e-9)
    assert_allclose(res.cvm, ref["cvm"], rtol=1e-6)
    cf = res.coef("lambda.min").to_numpy()
    scale = np.max(np.abs(ref["coef"]))
    assert_allclose(cf, ref["coef"], atol=1e-6 * scale)
    assert res.to_dict()["missing"] == {"Rear.seat.room": 2, "Luggage.room": 11}
    assert "Luggage.room: 11" in res.summary()


def test_cars93_step_matches_r(cars93):
    from statprune.stepwise import stepwise

    ref = _rscript(
        "d <- read.csv(commandArgs(TRUE)[1]); "
        "f <- step(lm(Price ~ AirBags + DriveTrain + MPG.city + Horsepower + Weight, data = d), trace = 0); "
        "cat(jsonlite::toJSON(list(aic = f$anova$AIC, step = as.character(f$anova$Step), n = nobs(f)), digits = NA))",
        cars93)
    res = stepwise(cars93, "Price ~ AirBags + DriveTrain + MPG.city + Horsepower + Weight")
    assert res.n == ref["n"][0] == 93
    assert [s.strip() for s in res.steps["Step"]] == [s.strip() for s in ref["step"]]
    assert_allclose(res.steps["AIC"].to_numpy(), ref["aic"], rtol=1e-6)


def test_cli_na_values_and_missing_report(cars93, tmp_path):
    from typer.testing import CliRunner

    from statprune.cli import app

    out = tmp_path / "o.json"
    r = CliRunner().invoke(app, ["lasso", str(cars93), "--target", "Price", "--seed", "1", "--nfolds", "5",
                                 "--drop-missing", "--encode-categoricals", "--json", str(out)])
    assert r.exit_code == 0, r.output
    got = json.loads(out.read_text())
    assert got["missing"] == {"Rear.seat.room": 2, "Luggage.room": 11}
    assert "AirBagsNone" in got["coefficients"]
    # with None as a missing marker (pandas' habit) the 34 rows go, as R's read.csv(na.strings = c("NA", "None"))
    r2 = CliRunner().invoke(app, ["lasso", str(cars93), "--target", "Price", "--seed", "1", "--nfolds", "5",
                                  "--drop-missing", "--encode-categoricals", "--na-values", "NA,None", "--json", "-"])
    assert r2.exit_code == 0, r2.output
    got2 = json.loads(r2.stdout)
    assert got2["missing"]["AirBags"] == 34 and "AirBagsNone" not in got2["coefficients"]


def test_root_na_values_applies_to_every_command(cars93):
    from typer.testing import CliRunner

    from statprune.cli import app

    args = ["stepwise", str(cars93), "--formula", "Price ~ AirBags + Horsepower", "--json", "-"]
    r = CliRunner().invoke(app, ["--na-values", "NA,None", *args])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["n"] == 93 - 34
    r2 = CliRunner().invoke(app, args)  # the option does not leak into the next invocation
    assert r2.exit_code == 0, r2.output
    assert json.loads(r2.stdout)["n"] == 93
