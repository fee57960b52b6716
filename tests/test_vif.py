"""statprune.vif against car::vif (type = "terms", car's default).

Stored values: tests/expected/vif_cases.json from r_scripts/vif_reference.R (carData::Duncan
from car's examples, mtcars, MASS::Boston, birthwt, quine, warpbreaks; factors, interactions,
calls, no intercept). Live: r_scripts/vif_live.R on simulated data with factors.
"""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pandas as pd
import pytest
from helpers import R_SCRIPTS, child_env, load_expected

import statprune
from statprune.datasets import load_birthwt, load_boston, load_mtcars, load_quine, load_warpbreaks
from statprune.errors import DataError, ParameterError

RTOL = 1e-10
REF = load_expected("vif_cases.json")


def _duncan() -> pd.DataFrame:
    d = REF["duncan"]
    return pd.DataFrame({"type": pd.Categorical(d["type"], categories=d["type_levels"]), "income": d["income"],
                         "education": d["education"], "prestige": d["prestige"]})


def _birthwt() -> pd.DataFrame:
    d = load_birthwt()
    d["race"] = pd.Categorical.from_codes(d["race"].astype(int) - 1, categories=["white", "black", "other"])
    return d


DATA = {"duncan": _duncan, "mtcars": load_mtcars, "boston": load_boston, "birthwt": _birthwt, "quine": load_quine,
        "warpbreaks": load_warpbreaks}


def _check(res, ref_terms):
    fr = res.to_frame()
    assert list(fr.index) == [t["term"] for t in ref_terms]
    for t in ref_terms:
        row = fr.loc[t["term"]]
        assert int(row["df"]) == int(t["df"])
        np.testing.assert_allclose(row["gvif"], t["gvif"], rtol=RTOL, err_msg=t["term"])
        np.testing.assert_allclose(row["gvif_adj"], t["gvif_adj"], rtol=RTOL, err_msg=t["term"])


@pytest.mark.parametrize("name", sorted(REF["cases"]))
def test_matches_car(name):
    case = REF["cases"][name]
    res = statprune.vif(DATA[case["data"]](), case["formula"])
    _check(res, case["terms"])
    assert res.all_one_df == case["vector"]
    assert ("No intercept: vifs may not be sensible." in res.warnings) == bool(case["r_warnings"])


def test_fixture_has_cars_example_and_factors():
    assert {"duncan_plain", "duncan_type"} <= set(REF["cases"])
    assert any(t["df"] > 1 for c in REF["cases"].values() for t in c["terms"])
    assert REF["car_version"]


def test_plain_vif_is_one_over_one_minus_r2():
    df = load_mtcars()
    res = statprune.vif(df, "mpg ~ disp + hp + wt")
    X = df[["hp", "wt"]].to_numpy(float)
    A = np.column_stack([np.ones(len(df)), X])
    y = df["disp"].to_numpy(float)
    r = y - A @ np.linalg.lstsq(A, y, rcond=None)[0]
    r2 = 1 - r @ r / ((y - y.mean()) @ (y - y.mean()))
    np.testing.assert_allclose(res.terms.loc["disp", "gvif"], 1 / (1 - r2), rtol=1e-12)


def test_pruning_drops_until_below_threshold():
    res = statprune.vif(load_boston(), "medv ~ .", threshold=5)
    assert res.dropped == ["tax"] and res.dropped_gvif[0] > 5
    kept = " + ".join(res.selected)
    after = statprune.vif(load_boston(), f"medv ~ {kept}")
    assert (after.terms["gvif"] ** (1 / after.terms["df"]) <= 5).all()
    d = json.loads(res.to_json())
    for key in ("terms", "selected", "pruned", "n_rows", "provenance"):
        assert key in d
    assert d["pruned"] == ["tax"] and d["terms"][0].keys() >= {"term", "gvif", "df", "gvif_adj"}


def test_stepwise_vif_rule_uses_the_same_gvif():
    from statprune.stepwise import stepwise

    st = stepwise(_birthwt(), "bwt ~ age + lwt + race * smoke + ht + ui", criterion="vif", threshold=1.5)
    first = st.history[0]
    ref = {t["term"]: t["gvif"] ** (1 / t["df"]) for t in REF["cases"]["birthwt_race_smoke"]["terms"]}
    for term, v in first.iloc[:, 0].items():
        np.testing.assert_allclose(v, ref[term], rtol=RTOL)


def test_errors():
    df = load_mtcars()
    with pytest.raises(DataError, match="fewer than 2 terms"):
        statprune.vif(df, "mpg ~ wt")
    df = df.assign(w2=2 * df["wt"])
    with pytest.raises(DataError, match="aliased"):
        statprune.vif(df, "mpg ~ wt + w2 + hp")
    with pytest.raises(ParameterError, match="threshold"):
        statprune.vif(load_mtcars(), "mpg ~ wt + hp", threshold=-1)
    with pytest.raises(ParameterError, match="formula"):
        statprune.vif(load_mtcars(), "wt + hp")
    res = statprune.vif(load_mtcars(), "mpg ~ wt + hp")
    assert "VIF" in res.summary() and "<table" in res._repr_html_()


@pytest.mark.against_r
def test_live_against_car(tmp_path, r):
    rng = np.random.default_rng(5)
    n = 300
    g = rng.choice(["a", "b", "c", "d"], n)
    h = rng.choice(["u", "v"], n)
    x1 = rng.standard_normal(n) + (g == "b")
    x2 = 0.7 * x1 + rng.standard_normal(n)
    x3 = rng.standard_normal(n) - (h == "v")
    y = x1 + x2 + rng.standard_normal(n)
    df = pd.DataFrame({"g": g, "h": h, "x1": x1, "x2": x2, "x3": x3, "y": y})
    path = tmp_path / "d.csv"
    df.to_csv(path, index=False, float_format="%.17g")
    formula = "y ~ g * x1 + x2 + h:x3 + x3"
    proc = subprocess.run(["Rscript", str(R_SCRIPTS / "vif_live.R"), str(path), formula, "g", "h"],
                          capture_output=True, text=True, timeout=300, env=child_env(), check=False)
    assert proc.returncode == 0, proc.stderr
    ref = json.loads(proc.stdout)
    _check(statprune.vif(pd.read_csv(path), formula), ref["terms"])


@pytest.mark.against_r
def test_docs_section_python_and_r_print_the_same_numbers(tmp_path, r):
    from helpers import doc_blocks, number_lines, run_doc_python, run_doc_r

    blocks = doc_blocks("inference.md", "VIF and GVIF")
    assert len(blocks["python"]) == 1 and len(blocks["r"]) == 1
    py = run_doc_python(blocks["python"][0], tmp_path)
    rr = run_doc_r(blocks["r"][0], tmp_path)
    assert number_lines(py) and number_lines(py) == number_lines(rr)
