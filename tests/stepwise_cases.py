"""Python mirror of the cases in r_scripts/step_reference.R (sr_data / sr_cases)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from statprune import datasets


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
    for r_name, py_name in (("lower", "scope_lower"), ("upper", "scope_upper"), ("start", "start"), ("test", "test")):
        if spec.get(r_name) is not None:
            out[py_name] = spec[r_name]
    if spec.get("threshold") is not None:
        out["threshold"] = float(spec["threshold"])
    if spec.get("k") is not None:
        out["k"] = float(spec["k"])
    if spec.get("steps") is not None:
        out["max_steps"] = int(spec["steps"])
    return out
