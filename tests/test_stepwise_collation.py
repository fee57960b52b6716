"""Factor level order under collation="C" and collation="locale", against R started under
LC_COLLATE=C and LC_COLLATE=en_US.UTF-8 (R with ICU, as Debian builds it). The stepwise path on
MASS::Cars93 under both is in test_stepwise_parity.py (cases cars93_collation_C/_locale)."""

from __future__ import annotations

import json
import subprocess

import pandas as pd
import pytest
from helpers import child_env, require_r

from statprune.engines.stepwise.formula import Design
from statprune.errors import ParameterError
from statprune.stepwise import drop1, stepwise

WORDS = ["USA", "non-USA", "b", "A", "a", "B", "Driver only", "Driver & Passenger", "_x", "x_1", "x-2", "x 3",
         "10", "9", "Z", "é", "e", "f", "ab", "aB", "Ab", "a.b", "co-op", "coop", "Co op"]



def _r_sort(lc: str) -> list[str]:
    require_r()
    env = child_env()
    env.pop("LC_ALL", None)
    env["LC_COLLATE"] = lc
    code = "x <- jsonlite::fromJSON(readLines(file('stdin'))); cat(jsonlite::toJSON(levels(factor(x))))"
    proc = subprocess.run(["Rscript", "-e", code], input=json.dumps(WORDS), capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _levels(collation: str) -> list[str]:
    df = pd.DataFrame({"g": WORDS})
    return Design(df, ["g"], collation=collation).var("g").levels


def test_c_is_code_point_order():
    assert _levels("C") == sorted(WORDS)
    assert _levels("C").index("USA") < _levels("C").index("non-USA")


def test_locale_is_case_insensitive_first():
    lv = _levels("locale")
    assert lv.index("non-USA") < lv.index("USA") and lv.index("a") < lv.index("B")


@pytest.mark.against_r
@pytest.mark.parametrize(("collation", "lc"), [("C", "C"), ("locale", "en_US.UTF-8")])
def test_levels_match_r_under_each_locale(collation, lc):
    assert _levels(collation) == _r_sort(lc)


def test_categorical_keeps_its_order_under_both():
    df = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 6], "g": pd.Categorical(list("bBabBa"), categories=["b", "B", "a"])})
    for coll in ("C", "locale"):
        assert Design(df, ["g"], collation=coll).var("g").levels == ["b", "B", "a"]


def test_every_output_names_the_collation():
    df = pd.DataFrame({"y": [1.0, 3, 2, 5, 4, 7, 6, 9], "g": ["USA", "non-USA"] * 4, "x": [1.0, 2, 3, 4, 5, 6, 7, 9]})
    for coll in ("C", "locale"):
        res = stepwise(df, "y ~ g + x", collation=coll)
        assert res.to_dict()["collation"] == coll and f"collation {coll!r}" in res.summary()
        assert drop1(df, "y ~ g + x", collation=coll).attrs["collation"] == coll
    c = stepwise(df, "y ~ g + x", collation="C").coefficients.index.tolist()
    loc = stepwise(df, "y ~ g + x", collation="locale").coefficients.index.tolist()
    assert "gnon-USA" in c and "gUSA" in loc  # R: Originnon-USA under C, OriginUSA in en_US


def test_bad_collation_is_a_parameter_error():
    with pytest.raises(ParameterError, match="collation"):
        Design(pd.DataFrame({"g": ["a", "b"]}), ["g"], collation="de_DE")
    with pytest.raises(ParameterError, match="collation"):
        stepwise(pd.DataFrame({"y": [1.0, 2, 3], "g": ["a", "b", "a"]}), "y ~ g", collation="de_DE")
