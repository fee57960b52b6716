"""The shared result base (statprune.results), the one JSON conversion (_json) and errors."""

from __future__ import annotations

import json
import math
import os
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

from statprune import _json, errors
from statprune.results import Result, SelectionResult, Summary, TableResult


class _Kept(SelectionResult):
    def __init__(self) -> None:
        self.selected, self.pruned, self.n_rows = ["a"], ["b", "c"], 12
        self.provenance = {"seed": np.int64(3)}

    def _details(self) -> dict:
        return {"method": "demo", "threshold": np.float64(np.inf), "scores": np.array([0.5, np.nan])}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"term": ["a", "b", "c"], "score": [0.5, 0.25, 0.125]})

    def _summary_text(self) -> str:
        return "Demo <selection>\nkept: a"


class _Table(TableResult):
    def __init__(self) -> None:
        self.table = pd.DataFrame({"term": ["x1", "x2"], "p_value": [0.01, np.nan], "selected": [True, False]})
        self.n_rows, self.provenance = 5, {}

    @property
    def selected(self) -> list[str]:
        return [t for t, s in zip(self.table["term"], self.table["selected"]) if s]

    @property
    def pruned(self) -> list[str]:
        return [t for t, s in zip(self.table["term"], self.table["selected"]) if not s]

    def _details(self) -> dict:
        return {"rows": self.table_records()}

    def _summary_text(self) -> str:
        return "Table & result\n" + self.table.to_string()


def test_base_is_abstract_in_to_dict_to_frame_and_summary_text():
    with pytest.raises(TypeError):
        Result()  # type: ignore[abstract]

    class NoFrame(Result):
        def to_dict(self):  # noqa: ANN202
            return {}

        def _summary_text(self):  # noqa: ANN202
            return ""

    with pytest.raises(TypeError, match="to_frame"):
        NoFrame()  # type: ignore[abstract]


def test_selection_to_dict_starts_with_the_common_keys():
    d = _Kept().to_dict()
    assert list(d)[:4] == ["selected", "pruned", "n_rows", "provenance"]
    assert d["selected"] == ["a"] and d["pruned"] == ["b", "c"] and d["n_rows"] == 12 and d["method"] == "demo"


def test_to_json_plain_values_indent_and_atomic_path(tmp_path):
    res = _Kept()
    text = res.to_json()
    assert text == json.dumps(json.loads(text), indent=2)
    d = json.loads(text)
    assert d["threshold"] is None and d["scores"] == [0.5, None] and d["provenance"] == {"seed": 3}
    one = res.to_json(indent=None)
    assert "\n" not in one and json.loads(one) == d
    p = tmp_path / "sub" / "res.json"
    assert res.to_json(p) == text
    assert p.read_text() == text + "\n"
    assert [f for f in os.listdir(p.parent) if f != "res.json"] == []  # no temporary file left


def test_to_json_writes_stdout_for_dash(capsys):
    text = _Kept().to_json("-", indent=None)
    assert capsys.readouterr().out == text + "\n"


def test_summary_is_text_that_renders_as_html():
    s = _Kept().summary()
    assert isinstance(s, Summary) and isinstance(s, str)
    assert s == "Demo <selection>\nkept: a" and "kept: a" in s and s.splitlines()[0] == "Demo <selection>"
    assert type(s.as_text()) is str and repr(s) == s.as_text()
    h = s._repr_html_()
    assert h.startswith("<div><p><b>Demo &lt;selection&gt;</b></p>") and "<table" in h
    assert _Kept()._repr_html_() == h
    assert pickle.loads(pickle.dumps(s)).as_html() == h
    assert Summary("a < b").as_html() == "<pre>a &lt; b</pre>"


def test_repr_and_str():
    assert repr(_Kept()) == "<_Kept selected=['a']>"
    assert str(_Kept()) == "Demo <selection>\nkept: a"


def test_table_result_framing():
    res = _Table()
    fr = res.to_frame()
    fr.loc[0, "term"] = "changed"
    assert res.table.loc[0, "term"] == "x1"  # a copy
    d = res.to_dict()
    assert d["selected"] == ["x1"] and d["pruned"] == ["x2"]
    assert d["rows"] == [{"term": "x1", "p_value": 0.01, "selected": True},
                         {"term": "x2", "p_value": None, "selected": False}]
    assert all(type(r["selected"]) is bool for r in d["rows"])
    h = res._repr_html_()
    assert h.startswith("<p>Table &amp; result</p><table") and "x2" in h


def test_to_jsonable_numpy_and_pandas_values():
    out = _json.to_jsonable({
        "f": np.float32(1.5), "nan": float("nan"), "i": np.int16(-2), "b": np.bool_(False),
        "arr": np.array([[1, 2], [3, 4]]), "s": pd.Series([1.0, np.nan], index=["u", "v"]),
        "idx": pd.Index(["p", "q"]), "na": pd.NA, "nat": pd.NaT, "ts": pd.Timestamp("2024-01-02"),
        "set": {"b", "a"}, "t": (1, np.inf), 3: "key",
        "df": pd.DataFrame({"k": [np.int64(1)], "v": [np.nan]}),
    })
    assert out == {"f": 1.5, "nan": None, "i": -2, "b": False, "arr": [[1, 2], [3, 4]], "s": {"u": 1.0, "v": None},
                   "idx": ["p", "q"], "na": None, "nat": None, "ts": "2024-01-02T00:00:00", "set": ["a", "b"],
                   "t": [1, None], "3": "key", "df": [{"k": 1, "v": None}]}
    assert type(out["f"]) is float and type(out["i"]) is int and type(out["df"][0]["k"]) is int
    assert type(_json.to_jsonable(np.float64(2.0))) is float
    assert json.loads(_json.dumps({"x": math.inf})) == {"x": None}


def test_every_exception_and_warning_class_lives_in_errors():
    # where they are raised, they are imported from errors (test_no_exception_class_outside_errors)
    for cls in (errors.GramNotSupported, errors.GlmNotSupported, errors.SolverNotSupported):
        assert issubclass(cls, errors.EngineNotSupported)
        assert issubclass(cls, NotImplementedError) and issubclass(cls, errors.StatpruneError)
    assert issubclass(errors.AliasedError, errors.DataError) and issubclass(errors.AliasedError, ValueError)
    assert issubclass(errors.RWarning, UserWarning)
    for name in errors.__all__:
        obj = getattr(errors, name)
        assert isinstance(obj, type) and issubclass(obj, (Exception, Warning)) and obj.__doc__


def test_no_exception_class_outside_errors():
    import pathlib
    import re

    root = pathlib.Path(errors.__file__).parent
    pat = re.compile(r"^\s*class\s+\w+\s*\(([^)]*)\)", re.M)
    bases = re.compile(r"\b(\w*(Error|Exception|Warning)|NotImplementedError)\b")
    found = []
    for f in root.rglob("*.py"):
        if f.name == "errors.py":
            continue
        for m in pat.finditer(f.read_text(encoding="utf-8")):
            if bases.search(m.group(1)):
                found.append(f"{f.relative_to(root)}: {m.group(0).strip()}")
    assert found == []


def test_warnings_are_catchable_by_their_base():
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        warnings.warn("x", errors.NothingSelectedWarning, stacklevel=1)
    assert issubclass(rec[0].category, errors.SelectionWarning)


def test_unknown_dataset_is_a_parameter_error_and_a_key_error():
    from statprune import datasets

    with pytest.raises(errors.UnknownDatasetError, match="^unknown data set 'nope'; available: boston") as exc:
        datasets.path("nope")
    assert isinstance(exc.value, KeyError) and isinstance(exc.value, errors.ParameterError)
