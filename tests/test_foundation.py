"""Foundation: lazy import, the R bridge, data checks, atomic writes, doctor, datasets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import ROOT, source_test_r_into_bridge

from statprune import datasets
from statprune._data import prepare_xy, read_table, write_atomic
from statprune.errors import DataError, RError, RNotAvailableError


@pytest.fixture
def r(r):
    """The R bridge with the bridge's test-only functions (``tests/r/bridge.R``) in its environment."""
    source_test_r_into_bridge("bridge")
    return r


def _py(code: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)


def test_import_does_not_start_r():
    proc = _py(
        "import statprune, sys; assert 'rpy2' not in sys.modules, 'rpy2 imported';"
        "import statprune.cli, statprune.datasets;"
        "assert 'rpy2' not in sys.modules, 'rpy2 imported by cli'; print('ok')"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_public_api_lazy_names_resolve():
    proc = _py("import statprune; [getattr(statprune, n) for n in statprune.__all__]; print(len(statprune.__all__))")
    assert proc.returncode == 0, proc.stderr


def test_missing_rpy2_gives_actionable_error():
    code = (
        "import sys; sys.modules['rpy2'] = None; sys.modules['rpy2.rinterface'] = None\n"
        "from statprune import _r\n"
        "from statprune.errors import RNotAvailableError\n"
        "try:\n    _r.start()\nexcept RNotAvailableError as e:\n    print('RAISED'); print(e); print(e.apt_packages)\n"
    )
    proc = _py(code)
    assert "RAISED" in proc.stdout, proc.stdout + proc.stderr
    assert "apt-get install -y --no-install-recommends r-base-core r-cran-glmnet" in proc.stdout
    assert "r-cran-glmnet" in proc.stdout


def test_missing_r_library_gives_actionable_error():
    # R_HOME pointing nowhere: rpy2 cannot load libR
    env = {**os.environ, "R_HOME": "/nonexistent/R", "LD_LIBRARY_PATH": ""}
    code = (
        "from statprune import _r\nfrom statprune.errors import RNotAvailableError\n"
        "try:\n    _r.start(); print('STARTED')\nexcept RNotAvailableError as e:\n    print('RAISED'); print(e)\n"
    )
    proc = _py(code, env=env)
    assert "RAISED" in proc.stdout, proc.stdout + proc.stderr
    assert "apt-get install" in proc.stdout


@pytest.mark.against_r
def test_missing_r_package_names_apt_package(r):
    with pytest.raises(RNotAvailableError, match=r"apt-get install .*r-cran-notarealpkg") as ei:
        r.require_r_packages("glmnet", "notARealPkg")
    assert ei.value.apt_packages == ("r-cran-notarealpkg",)


@pytest.mark.against_r
def test_r_error_carries_r_message_and_call(r):
    with pytest.raises(RError) as ei:
        r.call("_bridge", "sp_fail", "something broke in R")
    assert ei.value.r_message == "something broke in R"
    assert ei.value.r_call is not None and ei.value.r_call.startswith("sp_fail(")
    # an error inside a base R function keeps R's text
    with pytest.raises(RError, match="non-numeric argument"):
        r.call("_bridge", "sp_log", "a")


@pytest.mark.against_r
def test_r_warning_becomes_python_warning(r):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        assert r.call("_bridge", "sp_warn_then_value", "careful now", 2.5) == 2.5
    assert any(isinstance(w.message, r.RWarning) and str(w.message) == "careful now" for w in rec)


@pytest.mark.against_r
@pytest.mark.parametrize("order", ["C", "F"])
def test_matrix_round_trip_is_bit_exact(r, order):
    rng = np.random.default_rng(7)
    x = np.array(rng.standard_normal((257, 13)) * 10.0 ** rng.integers(-300, 300, (257, 13)), order=order)
    back = r.call("_bridge", "sp_identity", x)
    assert back.shape == x.shape
    assert back.tobytes() == np.ascontiguousarray(x).tobytes()
    # and R sees the same numbers in the same places
    assert r.call("_bridge", "sp_element", x, 3, 5) == x[2, 4]


@pytest.mark.against_r
def test_vectors_are_plain_vectors_not_arrays(r):
    y = np.arange(5, dtype=float)
    info = r.call("_bridge", "sp_describe", y)
    assert info == {"class": "numeric", "has_dim": False, "length": 5}
    info = r.call("_bridge", "sp_describe", np.arange(3))
    assert info["class"] == "integer" and not info["has_dim"]
    info = r.call("_bridge", "sp_describe", ["a", "b"])
    assert info["class"] == "character"
    info = r.call("_bridge", "sp_describe", np.ones((2, 3)))
    assert info["class"] == "matrix" and info["has_dim"]


@pytest.mark.against_r
def test_data_frame_and_factor_round_trip(r):
    df = pd.DataFrame({"a": [1.5, 2.5, np.nan], "g": ["b", "a", "b"], "i": [1, 2, 3]})
    back = r.call("_bridge", "sp_identity", df)
    assert list(back.columns) == ["a", "g", "i"]
    np.testing.assert_array_equal(back["a"].to_numpy(), df["a"].to_numpy())
    assert list(back["g"].cat.categories) == ["a", "b"]  # R's alphabetical levels
    assert list(back["g"].astype(str)) == ["b", "a", "b"]
    # S3 objects for R: is.object() is TRUE, so lm(data=) and factor dispatch work
    info = r.call("_bridge", "sp_describe", df)
    assert info["class"] == "data.frame"
    assert r.call("_bridge", "sp_is_object", df) is True
    assert r.call("_bridge", "sp_is_object", pd.Categorical(["a", "b"])) is True
    d2 = pd.DataFrame({"y": [1.0, 2.5, 2.0, 4.0], "x": [0.0, 1.0, 2.0, 3.0]})
    coef = r.call("_bridge", "sp_lm_coef", d2, "y")
    slope = np.polyfit(d2["x"], d2["y"], 1)[0]
    np.testing.assert_allclose(coef[1], slope, rtol=1e-12)


@pytest.mark.against_r
def test_bundled_datasets_equal_r_copies(r):
    for name, (rname, pkg) in {
        "boston": ("Boston", "MASS"),
        "birthwt": ("birthwt", "MASS"),
        "swiss": ("swiss", "datasets"),
        "quine": ("quine", "MASS"),
        "warpbreaks": ("warpbreaks", "datasets"),
    }.items():
        ours = datasets.load(name)
        theirs = r.call("_bridge", "sp_dataset", rname, pkg)
        assert list(ours.columns) == list(theirs.columns), name
        for c in ours.columns:
            if isinstance(ours[c].dtype, pd.CategoricalDtype):
                assert list(ours[c].cat.categories) == list(theirs[c].cat.categories), (name, c)
                assert list(ours[c].astype(str)) == list(theirs[c].astype(str)), (name, c)
            else:
                np.testing.assert_array_equal(ours[c].to_numpy(float), theirs[c].to_numpy(float), err_msg=f"{name}.{c}")


def test_prepare_xy_errors_name_the_problem(tmp_path):
    df = datasets.load_boston()
    with pytest.raises(DataError, match="target column 'nope' not found"):
        prepare_xy(df, "nope")
    bad = df.copy()
    bad.loc[[3, 7], "rm"] = np.nan
    bad.loc[9, "age"] = np.inf
    with pytest.raises(DataError, match=r"'rm' \(2 rows\), 'age' \(1 rows\).*3 rows in all.*drop_missing"):
        prepare_xy(bad, "medv")
    p = prepare_xy(bad, "medv", drop_missing=True)
    assert p.dropped_rows == 3 and len(p.X) == 503
    cat = df.assign(town=["a"] * 500 + ["b"] * 6)
    with pytest.raises(DataError, match="non-numeric predictor column.*'town'"):
        prepare_xy(cat, "medv")
    enc = prepare_xy(cat, "medv", categorical="encode")
    assert "townb" in enc.feature_names and "town" not in enc.feature_names
    const = df.assign(k=1.0)
    assert prepare_xy(const, "medv").constant == ["k"]
    with pytest.raises(DataError, match=r"'k'\] are constant"):
        prepare_xy(const, "medv", constant="error")
    with pytest.raises(DataError, match="target 'g' is not numeric"):
        from statprune._data import check_target

        check_target(pd.Series(["a", "b"]), "g")
    csv = tmp_path / "dup.csv"
    csv.write_text("a,b,a\n1,2,3\n4,5,6\n")
    with pytest.raises(DataError, match=r"duplicate column name\(s\) \['a'\]"):
        read_table(csv)


def test_read_table_csv_and_parquet(tmp_path):
    df = datasets.load_boston()
    df.to_csv(tmp_path / "b.csv", index=False)
    df.to_parquet(tmp_path / "b.parquet")
    pd.testing.assert_frame_equal(read_table(tmp_path / "b.csv"), df, check_dtype=False)
    pd.testing.assert_frame_equal(read_table(tmp_path / "b.parquet"), df)
    with pytest.raises(DataError, match="does not exist"):
        read_table(tmp_path / "missing.csv")


def test_write_atomic_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    write_atomic(target, "old")

    class Boom(Exception):
        pass

    def failing_fsync(fd):
        raise Boom

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(Boom):
        write_atomic(target, "new content")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


@pytest.mark.against_r
def test_doctor_json_has_required_keys():
    proc = subprocess.run(
        [sys.executable, "-m", "statprune.cli", "doctor", "--json", "-"], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    for key in ("python", "statprune", "r", "glmnet", "rpy2", "numpy", "sklearn", "statsmodels", "ok"):
        assert key in out, key
    assert out["ok"] is True
    assert out["glmnet"].startswith("4.")


def test_doctor_exits_1_without_r():
    env = {**os.environ, "R_HOME": "/nonexistent/R"}
    code = "import sys; sys.modules['rpy2']=None; sys.modules['rpy2.rinterface']=None; from statprune.cli import main; sys.argv=['statprune','doctor','--need-r','--json','-']; main()"
    proc = _py(code, env=env)
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    assert out["ok"] is False
    r_check = next(c for c in out["checks"] if c["name"] == "R")
    assert "apt-get install" in r_check["fix"]


def test_doctor_without_r_lists_features_and_install_lines():
    """R is optional: without it doctor exits 0 and says, per feature, works / needs R / needs an extra."""
    env = {**os.environ, "R_HOME": "/nonexistent/R"}
    code = "import sys; sys.modules['rpy2']=None; sys.modules['rpy2.rinterface']=None; from statprune.cli import main; sys.argv=['statprune','doctor'{}]; main()"
    proc = _py(code.format(", '--json', '-'"), env=env)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    feats = {f["name"]: f for f in out["features"]}
    for name in ("stepwise", "importance", "pca", "stability-sklearn", "compare", "report", "lasso-ooc", "lasso-gram"):
        assert feats[name]["status"] == "works", feats[name]
    for name in ("lasso", "validate", "rds", "stability-glmnet"):
        assert feats[name]["status"] == "needs R", feats[name]
        assert "apt-get install" in feats[name]["fix"] and "statprune[r]" in feats[name]["fix"]
    human = _py(code.format(""), env=env)
    assert human.returncode == 0 and "needs R" in human.stdout and "pip install 'statprune[r]'" in human.stdout
    assert "Unable to determine R home" not in human.stdout + human.stderr


def test_rpy2_noise_without_r_does_not_reach_the_user():
    """rpy2 installed but no R on PATH and no R_HOME: only statprune's message, not rpy2's log line."""
    pytest.importorskip("rpy2")
    env = {k: v for k, v in os.environ.items() if k != "R_HOME"}
    env["PATH"] = "/nonexistent"
    code = ("from statprune import _r\nfrom statprune.errors import RNotAvailableError\n"
            "try:\n    _r.start()\nexcept RNotAvailableError as e:\n    print('RAISED')\n")
    proc = _py(code, env=env)
    assert "RAISED" in proc.stdout, proc.stdout + proc.stderr
    assert "Unable to determine R home" not in proc.stdout + proc.stderr


@pytest.mark.against_r
def test_starting_r_does_not_leak_library_path_into_children():
    code = (
        "import os, subprocess, sys\n"
        "before = os.environ.get('LD_LIBRARY_PATH')\n"
        "from statprune import _r\n_r.start()\n"
        "child = subprocess.run(['sh', '-c', 'printf %s \"${LD_LIBRARY_PATH-UNSET}\"'], capture_output=True, text=True).stdout\n"
        "print(repr(child), repr(before if before is not None else 'UNSET'))\n"
        "assert child == (before if before is not None else 'UNSET')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    proc = _py(code, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_write_atomic_error_names_the_requested_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    target = blocker / "sub" / "out.json"  # parent is a file: cannot be created
    with pytest.raises(OSError, match=r"file/sub/out.json'$"):
        write_atomic(target, "data")
