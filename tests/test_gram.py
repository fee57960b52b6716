"""The Gram engine (``engine="gram"``): exact ``cv.glmnet`` from sufficient statistics.

Live parity with R at ``thresh=1e-14`` (both sides converged): coefficients and
cvm within 1e-6 relative (in practice ~1e-12), identical lambda.min/lambda.1se,
lambda sequence to 1e-10.  At the default ``thresh=1e-7`` both are approximate.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glmnet_parity import compare_cv, py_kwargs, r_cv_reference, rel
from helpers import call_test_r

from statprune._glmnet.folds import r_foldid
from statprune.engines import _native, gram
from statprune.engines.gram import GramNotSupported, GramStats, cv_glmnet_gram, gram_stats

TIGHT = 1e-14


def _data(n: int, p: int, seed: int = 0, *, intercept: float = 10.0):
    rng = np.random.default_rng(seed)
    scale = rng.uniform(0.5, 3.0, p)
    shift = rng.uniform(-2.0, 2.0, p)
    z = rng.standard_normal((n, p))
    z[:, 1:] = 0.6 * z[:, :-1] + 0.8 * z[:, 1:]  # correlated neighbours
    X = z * scale + shift
    b = np.zeros(p)
    k = min(5, p)
    b[:k] = [3.0, -2.0, 1.5, 1.0, -1.0][:k]
    y = X @ b + 2.0 * rng.standard_normal(n) + intercept
    foldid = rng.permutation(np.resize(np.arange(1, 11), n))
    return X, y, foldid


CASES = {
    "lasso": dict(n=300, p=15, kw={}),
    "elastic_net": dict(n=300, p=15, kw={"alpha": 0.3}),
    "ridge": dict(n=200, p=8, kw={"alpha": 0.0, "nlambda": 30}),
    "weights": dict(n=300, p=15, kw={}, weights=True),
    "zero_weights": dict(n=300, p=15, kw={"alpha": 0.9}, weights="zeros"),
    "penalty_factor": dict(n=300, p=12, kw={"penalty.factor": [0, 0.5, 1, 2, 1, 1, 1, 1, 3, 1, 1, np.inf]}),
    "no_standardize": dict(n=250, p=10, kw={"standardize": False}),
    "no_intercept": dict(n=250, p=10, kw={"intercept": False}, weights=True),
    "no_intercept_no_std": dict(n=250, p=10, kw={"intercept": False, "standardize": False}),
    "n_less_than_p": dict(n=60, p=90, kw={}),
    "p500_r_uses_naive": dict(n=150, p=500, kw={"alpha": 0.8}),
    "folds_n_less_than_p_only": dict(n=100, p=92, kw={"nlambda": 40}),  # full fit 1e-4, training sets 1e-2
    "limits": dict(n=300, p=10, kw={"lower.limits": 0.0, "upper.limits": 2.5}),
    "exclude": dict(n=300, p=10, kw={"exclude": [2, 5]}),
    "user_lambda": dict(n=200, p=10, kw={"lambda": [2.0, 1.0, 0.5, 0.2, 0.1, 0.01]}),
    "type_measure_deviance": dict(n=200, p=10, kw={"type.measure": "deviance"}),
    "lambda_min_ratio": dict(n=200, p=10, kw={"lambda.min.ratio": 0.05, "nlambda": 40, "alpha": 0.7}),
}


@pytest.mark.against_r
@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_cv_glmnet_tight(r, case):
    spec = CASES[case]
    X, y, foldid = _data(spec["n"], spec["p"], seed=len(case))
    w = np.random.default_rng(5).uniform(0.2, 3.0, spec["n"]) if spec.get("weights") else None
    if spec.get("weights") == "zeros":
        w[::6] = 0.0
    kw = dict(spec["kw"], thresh=TIGHT)
    ref = r_cv_reference(X, y, foldid, w, **kw)
    out = cv_glmnet_gram(X, y, weights=w, foldid=foldid, **py_kwargs(kw))
    compare_cv(out, ref, tol=1e-6)
    np.testing.assert_array_equal(out["foldid"], foldid)


@pytest.mark.against_r
def test_constant_column_and_constant_in_training_fold(r):
    X, y, foldid = _data(200, 8, seed=3)
    X[:, 3] = 1.5  # constant everywhere
    X[:, 6] = 0.0
    X[foldid == 2, 6] = 1.0  # constant in every training set but fold 2's complement
    ref = r_cv_reference(X, y, foldid, thresh=TIGHT)
    out = cv_glmnet_gram(X, y, foldid=foldid, thresh=TIGHT)
    compare_cv(out, ref, tol=1e-6)
    assert np.all(out["beta"][3] == 0)


@pytest.mark.against_r
def test_seed_gives_r_folds(r):
    n = 137
    fid = r_foldid(n, 10, 2024)
    rfid = call_test_r("gram", "gram_cv_foldid_check", np.zeros((n, 3)) + np.arange(n)[:, None] * [1, 2, 3],
                       np.arange(n, dtype=float) % 7, 10, 2024)
    np.testing.assert_array_equal(fid, np.asarray(rfid).astype(int))
    X, y, _ = _data(n, 6, seed=9)
    out = cv_glmnet_gram(X, y, seed=2024, thresh=TIGHT)
    np.testing.assert_array_equal(out["foldid"], fid)
    ref = r_cv_reference(X, y, fid, thresh=TIGHT)
    compare_cv(out, ref, tol=1e-6)


DEFAULT_CASES = {
    "covariance_p20": dict(n=400, p=20, kw={}),
    "naive_p500": dict(n=150, p=500, kw={}),
    "naive_forced_pf": dict(n=300, p=20, kw={"type.gaussian": "naive", "penalty.factor": [0.0] + [1.0] * 19}),
    "naive_forced_no_intercept": dict(n=300, p=30, kw={"type.gaussian": "naive", "alpha": 0.3, "intercept": False}),
}


@pytest.mark.against_r
@pytest.mark.parametrize("case", sorted(DEFAULT_CASES))
def test_matches_cv_glmnet_default_thresh(r, case):
    """At the default thresh=1e-7 neither program has converged, but the engine runs glmnet's
    own iterations (covariance method for p < 500, naive method for p >= 500, as R picks), so
    it stops where R stops: same path, same cvm up to rounding."""
    spec = DEFAULT_CASES[case]
    X, y, foldid = _data(spec["n"], spec["p"], seed=11 + len(case))
    kw = spec["kw"]
    ref = r_cv_reference(X, y, foldid, **kw)
    out = cv_glmnet_gram(X, y, foldid=foldid, **py_kwargs(kw))
    compare_cv(out, ref, tol=1e-8)


def test_type_gaussian_rule_and_validation():
    X, y, foldid = _data(200, 6)
    a = cv_glmnet_gram(X, y, foldid=foldid, thresh=TIGHT)
    b = cv_glmnet_gram(X, y, foldid=foldid, thresh=TIGHT, type_gaussian="naive")
    np.testing.assert_allclose(a["cvm"], b["cvm"], rtol=1e-9)
    with pytest.raises(ValueError, match="type_gaussian"):
        cv_glmnet_gram(X, y, foldid=foldid, type_gaussian="fast")


# ------------------------------------------------------------------ statistics


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=12, max_value=80),
    p=st.integers(min_value=1, max_value=6),
    cuts=st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=4),
    seed=st.integers(min_value=0, max_value=2**31 - 1),
    weighted=st.booleans(),
    offset=st.floats(min_value=-1e4, max_value=1e4),
)
def test_block_stats_combine_to_whole(n, p, cuts, seed, weighted, offset):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * 3 + offset
    y = rng.standard_normal(n) + offset
    w = rng.uniform(0, 2, n) if weighted else None
    foldid = rng.integers(1, 4, n)
    whole = gram_stats(X, y, w, foldid, nfolds=3)
    edges = sorted({0, n, *(int(c * n) for c in cuts)})
    parts = [
        gram_stats(X[a:b], y[a:b], None if w is None else w[a:b], foldid[a:b], nfolds=3)
        for a, b in zip(edges[:-1], edges[1:])
    ]
    combined = sum(parts)
    for name in ("n", "x_min", "x_max"):  # exact (+-inf for a fold absent from every block)
        np.testing.assert_array_equal(getattr(combined, name), getattr(whole, name))
    for name in ("w", "mean_x", "mean_y", "xx", "xy", "yy"):
        a, b = np.asarray(getattr(combined, name), float), np.asarray(getattr(whole, name), float)
        assert np.max(np.abs(a - b)) <= 1e-10 * max(1.0, np.max(np.abs(b))), name


def test_stats_centred_not_raw_sums():
    """A huge common offset does not destroy the centred Gram matrix."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((1000, 3))
    y = rng.standard_normal(1000)
    s0 = gram_stats(X, y).xx[0]
    s1 = (gram_stats(X[:500] + 1e8, y[:500]) + gram_stats(X[500:] + 1e8, y[500:])).xx[0]
    np.testing.assert_allclose(s1, s0, rtol=1e-6)


def test_training_stats_equal_direct_stats():
    X, y, foldid = _data(120, 4, seed=2)
    st_all = gram_stats(X, y, foldid=foldid)
    for k in (0, 4, 9):
        direct = gram_stats(X[foldid != k + 1], y[foldid != k + 1])
        tr = st_all.training(k)
        np.testing.assert_allclose(tr.xx, direct.xx, rtol=1e-11, atol=1e-9)
        np.testing.assert_allclose(tr.mean_x, direct.mean_x, rtol=1e-12, atol=1e-12)
        assert tr.n[0] == direct.n[0]


def test_from_stats_equals_wrapper():
    X, y, foldid = _data(200, 6, seed=4)
    a = cv_glmnet_gram(X, y, foldid=foldid)
    b = gram.cv_glmnet_gram_from_stats(gram_stats(X, y, foldid=foldid))
    np.testing.assert_array_equal(a["cvm"], b["cvm"])
    np.testing.assert_array_equal(a["beta"], b["beta"])


def test_not_supported_requests():
    X, y, foldid = _data(100, 4)
    with pytest.raises(GramNotSupported, match="mae"):
        cv_glmnet_gram(X, y, foldid=foldid, type_measure="mae")
    with pytest.raises(GramNotSupported, match="3 rows per fold"):
        cv_glmnet_gram(X[:20], y[:20], foldid=np.arange(20) % 10 + 1)
    assert isinstance(GramNotSupported("x"), NotImplementedError)
    assert gram.gram_unsupported_reason(family="binomial") is not None


def test_bad_input_messages():
    X, y, foldid = _data(100, 4)
    with pytest.raises(ValueError, match="y is constant"):
        cv_glmnet_gram(X, np.ones(100), foldid=foldid)
    with pytest.raises(ValueError, match="penalty_factor has 3"):
        cv_glmnet_gram(X, y, foldid=foldid, penalty_factor=[1, 1, 1])
    with pytest.raises(ValueError, match="same nfolds"):
        gram_stats(X, y, foldid=foldid) + gram_stats(X, y)
    Xn = X.copy()
    Xn[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        cv_glmnet_gram(Xn, y, foldid=foldid)
    with pytest.raises(ValueError, match="alpha"):
        cv_glmnet_gram(X, y, foldid=foldid, alpha=2)


def test_progress_callback():
    X, y, foldid = _data(100, 4)
    calls = []
    cv_glmnet_gram(X, y, foldid=foldid, progress=lambda i, t: calls.append((i, t)))
    assert calls[-1] == (11, 11) and len(calls) == 11


def test_empty_stats_is_neutral():
    X, y, foldid = _data(50, 3)
    s = gram_stats(X, y, foldid=foldid)
    z = GramStats.empty(10, 3)
    np.testing.assert_array_equal((z + s).xx, s.xx)
    np.testing.assert_array_equal((s + z).mean_x, s.mean_x)


# ------------------------------------------------------------------ benchmark tooling (no timing assertions)


def test_benchmark_report_tooling(tmp_path):
    import sys

    from helpers import ROOT

    sys.path.insert(0, str(ROOT))
    from benchmarks import run_all
    from benchmarks._synth import make_foldid, make_regression

    d = make_regression(300, 12, sparsity=3, rho=0.3, seed=4)
    assert d.X.shape == (300, 12) and (d.beta != 0).sum() == 3
    f = make_foldid(300, 10, seed=1)
    assert sorted(np.bincount(f)[1:]) == [30] * 10
    assert run_all.slope([1, 10, 100], [2, 20, 200]) == pytest.approx(1.0)
    rows = [{"bench": "x", "case": f"{n}", "n": n, "p": 5, "engine": "e", "seconds": 1e-3 * n ** 2} for n in (10, 20, 40)]
    sc = run_all.scaling(rows)
    assert len(sc) == 1 and sc[0]["exponent k"] == pytest.approx(2.0)
    text = run_all.render(rows, {"cpus": 2}, True, [], 1.0)
    assert "## x" in text and "Scaling exponents" in text and "time ~ n^k" in text
    assert "bench_glmnet" in run_all.discover() and "bench_transfer" in run_all.discover()


def test_cli_engine_option_validated():
    from typer.testing import CliRunner

    from statprune.cli import app

    res = CliRunner().invoke(app, ["lasso", "data.csv", "--target", "y", "--engine", "julia"])
    assert res.exit_code == 2
    assert "--engine" in res.output + (res.stderr if res.stderr_bytes is not None else "")


@pytest.mark.against_r
def test_matches_pure_rscript_reference(tmp_path):
    """Same comparison through a fresh Rscript process (r_scripts/bench_cv_glmnet.R), no bridge."""
    from helpers import run_rscript

    X, y, foldid = _data(500, 25, seed=21)
    np.asfortranarray(X).T.astype("<f8").tofile(tmp_path / "x.bin")
    y.astype("<f8").tofile(tmp_path / "y.bin")
    foldid.astype("<i4").tofile(tmp_path / "foldid.bin")
    ref = run_rscript("bench_cv_glmnet.R", str(tmp_path), "500", "25", "1e-14")
    out = cv_glmnet_gram(X, y, foldid=foldid, thresh=TIGHT)
    np.testing.assert_allclose(out["lambda"], ref["lambda"], rtol=1e-10)
    np.testing.assert_allclose(out["cvm"], ref["cvm"], rtol=1e-6)
    np.testing.assert_allclose(out["cvsd"], ref["cvsd"], rtol=1e-6)
    assert out["lambda_min"] == pytest.approx(ref["lambda_min"], rel=1e-12)
    assert out["lambda_1se"] == pytest.approx(ref["lambda_1se"], rel=1e-12)
    i = out["index_min"] - 1
    coef = np.concatenate([[out["a0"][i]], out["beta"][:, i]])
    assert rel(coef, ref["coef_min"]) < 1e-6


@pytest.mark.against_r
def test_glmnetcv_engine_gram_equals_engine_r(r):
    """Through the public estimator, at default settings, weights, keep and exclude."""
    import pandas as pd

    from statprune import datasets
    from statprune.lasso import GlmnetCV

    d = datasets.load_boston()
    X = d.drop(columns="medv")
    y = d["medv"]
    w = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    kw = dict(seed=7, alpha=0.5, keep=["lstat"], exclude=["age"])
    a = GlmnetCV(**kw).fit(X, y, sample_weight=w)
    b = GlmnetCV(engine="gram", **kw).fit(X, y, sample_weight=w)
    # b really ran the gram engine (a silent fallback to R would compare R with itself)
    assert (a.result_.provenance["engine"], b.result_.provenance["engine"]) == ("r", "gram")
    assert a.lambda_min_ == pytest.approx(b.lambda_min_, rel=1e-12)
    assert a.lambda_1se_ == pytest.approx(b.lambda_1se_, rel=1e-12)
    np.testing.assert_allclose(b.coef_, a.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b.cv_results_["mean_score"], a.cv_results_["mean_score"], rtol=1e-10)
    assert list(pd.Index(b.get_feature_names_out())) == list(pd.Index(a.get_feature_names_out()))


def test_maxit_truncates_path_with_glmnet_warning():
    from statprune.errors import ConvergenceWarning

    X, y, foldid = _data(300, 15)
    with pytest.warns(ConvergenceWarning, match=r"th lambda value not reached after maxit=60"):
        out = cv_glmnet_gram(X, y, foldid=foldid, maxit=60)
    full = cv_glmnet_gram(X, y, foldid=foldid)
    L = len(out["lambda"])
    assert 5 <= L < len(full["lambda"])
    np.testing.assert_allclose(out["lambda"], full["lambda"][:L], rtol=1e-12)


def test_memory_layout_and_dataframe_input_do_not_change_results():
    import pandas as pd

    X, y, foldid = _data(400, 7, seed=8)
    a = gram_stats(X, y, foldid=foldid)
    b = gram_stats(np.asfortranarray(X), y, foldid=foldid)
    c = gram_stats(pd.DataFrame(X), pd.Series(y), foldid=foldid)
    for other in (b, c):
        np.testing.assert_array_equal(other.xx, a.xx)
        np.testing.assert_array_equal(other.xy, a.xy)


@pytest.mark.against_r
def test_engine_gram_falls_back_to_r_silently_for_what_it_does_not_cover():
    import warnings as _w

    from statprune import datasets
    from statprune.lasso import GlmnetCV

    d = datasets.load_boston()
    X, y = d.drop(columns="medv"), d["medv"]
    with _w.catch_warnings():
        _w.simplefilter("error")  # the fallback must be warning-free
        g = GlmnetCV(engine="gram", seed=3, type_measure="mae", nlambda=30).fit(X, y)
    r = GlmnetCV(engine="r", seed=3, type_measure="mae", nlambda=30).fit(X, y)
    np.testing.assert_allclose(g.cv_results_["mean_score"], r.cv_results_["mean_score"], rtol=1e-12)
    assert g.lambda_min_ == r.lambda_min_
    assert g.result_.measure_name == "Mean Absolute Error"
    assert g.result_.provenance["engine"] == "r"  # the fallback did happen


@pytest.mark.against_r
def test_cli_lasso_engine_gram_equals_engine_r():
    import json as _json
    import subprocess
    import sys

    from statprune import datasets

    def run(engine):
        proc = subprocess.run(
            [sys.executable, "-m", "statprune.cli", "lasso", datasets.path("boston"), "--target", "medv",
             "--seed", "42", "--engine", engine, "--json", "-"],
            capture_output=True, text=True, check=False,
        )
        assert proc.returncode == 0, proc.stderr
        return _json.loads(proc.stdout)

    g, r = run("gram"), run("r")
    # each run used the engine asked for (were --engine ignored, R would be compared with itself)
    assert (g["provenance"]["engine"], r["provenance"]["engine"]) == ("gram", "r")
    assert g["lambda_min"] == pytest.approx(r["lambda_min"], rel=1e-12)
    assert g["selected"] == r["selected"]
    for k, v in r["coefficients"].items():
        assert g["coefficients"][k] == pytest.approx(v, rel=1e-6, abs=1e-8), k


# ----------------------------------------------------------------------------- no R on the gram path (issue 16)

_NO_R_SCRIPT = r"""
import atexit, sys
atexit.register(lambda: print("RPY2_IMPORTED=" + str("rpy2" in sys.modules), "NUMBA_IMPORTED="
                              + str("numba" in sys.modules), file=sys.stderr))
import numpy as np
mode = sys.argv[1]
if mode == "api":
    from statprune.lasso import GlmnetCV
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 6)); y = X[:, 0] - X[:, 1] + rng.standard_normal(300)
    est = GlmnetCV(engine="gram", seed=11).fit(X, y)
    print(est.result_.provenance["engine"], est.lambda_min_)
else:
    from statprune.cli import main
    sys.argv = ["statprune", "lasso", sys.argv[2], "--target", "y", "--engine", "gram", "--seed", "11",
                "--json", "-"]
    main()
"""


@pytest.mark.parametrize("mode", ["api", "cli"])
def test_gram_path_never_imports_rpy2(mode, tmp_path):
    import os
    import subprocess
    import sys

    import pandas as pd

    rng = np.random.default_rng(1)
    X = rng.standard_normal((200, 4))
    df = pd.DataFrame(X, columns=[f"x{j}" for j in range(4)])
    df["y"] = X[:, 0] + rng.standard_normal(200)
    csv = tmp_path / "d.csv"
    df.to_csv(csv, index=False)
    env = dict(os.environ)
    proc = subprocess.run([sys.executable, "-c", _NO_R_SCRIPT, mode, str(csv)], capture_output=True, text=True,
                          env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "RPY2_IMPORTED=False" in proc.stderr, proc.stderr[-2000:]
    if _native.library_path() is not None:  # the C kernels are built: no JIT either
        assert "NUMBA_IMPORTED=False" in proc.stderr, proc.stderr[-2000:]
    if mode == "api":
        assert proc.stdout.split()[0] == "gram"


@pytest.mark.against_r
def test_glmnetcv_gram_seed_equals_r_engine(r):
    from statprune.lasso import GlmnetCV

    X, y, _ = _data(211, 7, seed=5)
    g = GlmnetCV(engine="gram", seed=99, thresh=TIGHT, nfolds=5).fit(X, y)
    rr = GlmnetCV(engine="r", seed=99, thresh=TIGHT, nfolds=5).fit(X, y)
    assert g.result_.provenance["engine"] == "gram" and rr.result_.provenance["engine"] == "r"
    np.testing.assert_allclose(g.cv_results_["mean_score"], rr.cv_results_["mean_score"], rtol=1e-8)
    assert g.lambda_min_ == pytest.approx(rr.lambda_min_, rel=1e-10)
    assert g.lambda_1se_ == pytest.approx(rr.lambda_1se_, rel=1e-10)
    np.testing.assert_allclose(g.coef_, rr.coef_, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("naive", [False, True])
def test_c_kernels_equal_numba_kernels(naive, monkeypatch):
    """The C path kernels (statprune.engines._native) give bit-identical paths to the numba ones."""
    if _native.elnet_kernel(naive) is None:
        if __import__("helpers").IN_CI:
            pytest.fail("no C compiler under CI: the C kernels must build (scripts/setup.sh installs gcc)")
        pytest.skip("no C compiler here")
    rng = np.random.default_rng(3)
    for n, p, kw in [(300, 15, {}), (200, 40, {"alpha": 0.4, "lower_limits": -0.5}), (80, 120, {})]:
        X, y, foldid = _data(n, p, seed=int(rng.integers(1000)))
        kw = dict(kw, type_gaussian="naive" if naive else "covariance", thresh=1e-10)
        a = cv_glmnet_gram(X, y, foldid=foldid, **kw)
        monkeypatch.setattr(_native, "elnet_kernel", lambda naive: None)
        b = cv_glmnet_gram(X, y, foldid=foldid, **kw)
        monkeypatch.undo()
        np.testing.assert_array_equal(a["lambda"], b["lambda"])
        np.testing.assert_array_equal(a["beta"], b["beta"])
        np.testing.assert_array_equal(a["cvm"], b["cvm"])
