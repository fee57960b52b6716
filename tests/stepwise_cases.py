"""Python mirror of the cases in r_scripts/step_reference.R (sr_data / sr_cases)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from statprune import datasets

DATA = Path(__file__).resolve().parent / "data"


def bwt() -> pd.DataFrame:
    """MASS's factor version of birthwt (?birthwt, stepAIC examples)."""
    b = datasets.load_birthwt()
    ftv = np.where(b["ftv"] >= 2, "2+", b["ftv"].astype(str))
    return pd.DataFrame(
        {
            "low": pd.Categorical(b["low"].astype(str), categories=["0", "1"]),
            "age": b["age"],
            "lwt": b["lwt"],
            "race": pd.Categorical.from_codes(b["race"] - 1, categories=["white", "black", "other"]),
            "smoke": b["smoke"] > 0,
            "ptd": b["ptl"] > 0,
            "ht": b["ht"] > 0,
            "ui": b["ui"] > 0,
            "ftv": pd.Categorical(ftv, categories=["0", "1", "2+"]),
        }
    )


def data(name: str) -> pd.DataFrame:
    if name == "swiss":
        return datasets.load_swiss()
    if name == "mtcars":
        return datasets.load_mtcars().drop(columns="model")
    if name in ("Boston", "boston"):
        return datasets.load_boston()
    if name == "quine":
        return datasets.load_quine()
    if name == "warpbreaks":
        return datasets.load_warpbreaks()
    if name == "bwt":
        return bwt()
    if name == "swiss_alias":
        d = datasets.load_swiss()
        d["Agri2"] = 2 * d["Agriculture"]
        return d
    if name == "dobson":  # example(glm): gl(3, 1, 9), gl(3, 3)
        return pd.DataFrame({"counts": [18.0, 17, 15, 20, 10, 20, 25, 13, 12],
                             "outcome": pd.Categorical(["1", "2", "3"] * 3),
                             "treatment": pd.Categorical(["1"] * 3 + ["2"] * 3 + ["3"] * 3)})
    if name == "budworm":  # example(predict.glm)
        nd = np.array([1, 4, 9, 13, 18, 20, 0, 2, 6, 10, 12, 16], float)
        return pd.DataFrame({"ldose": np.tile(np.arange(6.0), 2), "numdead": nd, "numalive": 20 - nd,
                             "prop": nd / 20, "total": 20.0, "sex": ["M"] * 6 + ["F"] * 6})
    if name == "housing":  # MASS::housing: Sat ordered, the others in R's level order
        d = pd.read_csv(DATA / "mass_housing.csv")
        d["Sat"] = pd.Categorical(d["Sat"], categories=["Low", "Medium", "High"], ordered=True)
        d["Infl"] = pd.Categorical(d["Infl"], categories=["Low", "Medium", "High"])
        d["Type"] = pd.Categorical(d["Type"], categories=["Tower", "Apartment", "Atrium", "Terrace"])
        d["Cont"] = pd.Categorical(d["Cont"], categories=["Low", "High"])
        return d
    if name == "cars93":  # text columns (the collation decides the level order); "None" is a level, as in R
        from statprune._data import read_table

        return read_table(DATA / "mass_cars93.csv")
    if name == "anorexia":
        return pd.read_csv(DATA / "mass_anorexia.csv")
    if name == "swiss_w":
        d = datasets.load_swiss()
        d["w"] = d["Examination"] / 10
        return d
    if name == "separation":
        i = np.arange(1, 21)
        return pd.DataFrame({"x": i, "z": ((i * 7) % 11) / 11, "y": (i > 10).astype(int)})
    raise KeyError(name)


def kwargs(spec: dict) -> dict:
    """stepwise() arguments of an R case spec."""
    out = {
        "formula": spec["formula"],
        "family": spec.get("family", "gaussian"),
        "direction": spec.get("direction", "backward"),
        "criterion": spec.get("criterion", "aic"),
    }
    for r_name, py_name in (("lower", "scope_lower"), ("upper", "scope_upper"), ("start", "start"), ("test", "test"),
                            ("link", "link"), ("weights", "weights"), ("offset", "offset")):
        if spec.get(r_name) is not None:
            out[py_name] = spec[r_name]
    if spec.get("collation") is not None:
        out["collation"] = spec["collation"]
    if spec.get("threshold") is not None:
        out["threshold"] = float(spec["threshold"])
    if spec.get("k") is not None:
        out["k"] = float(spec["k"])
    if spec.get("steps") is not None:
        out["max_steps"] = int(spec["steps"])
    return out


def table_kwargs(spec: dict) -> dict:
    """drop1()/add1() arguments of an R table case (spec["table"] is "drop1" or "add1")."""
    out = {"family": spec.get("family", "gaussian")}
    for key in ("test", "link", "weights", "offset"):
        if spec.get(key) is not None:
            out[key] = spec[key]
    if spec["table"] == "add1":
        out["scope"] = spec["scope"]
    return out
