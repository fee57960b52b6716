"""Out-of-core Gaussian cv.glmnet on Dask: same answer as the in-memory gram engine, bounded memory.

The big test writes ~205 MB of Parquet (32 files x 8,000 rows x 100 columns + y),
fits it (1) on the local threaded scheduler in a fresh subprocess and (2) on a local
``distributed`` cluster of 2 worker processes, and checks

* coefficients, cvm, cvsd and lambda against the in-memory gram engine on the same
  rows and folds (1e-10), lambda.min/lambda.1se identical;
* memory: the peak RSS growth of the process / of each worker during the fit (after a
  warm-up that imports everything) stays below 40% of the data size, i.e. the data
  were never all in memory (loading them would add >= 205 MB).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from statprune import cv_glmnet_ooc
from statprune.engines.gram import cv_glmnet_gram
from statprune.engines.outofcore import gram_stats_dask, hash_foldid
from statprune.errors import DataError, ParameterError

N_FILES, ROWS, P = 32, 8000, 100
NFOLDS, SEED = 10, 7


def _write_parquet(d, n_files=N_FILES, rows=ROWS, p=P):
    beta = np.zeros(p)
    beta[:10] = np.linspace(1, 0.1, 10)
    for i in range(n_files):
        rng = np.random.default_rng(1000 + i)
        X = rng.standard_normal((rows, p))
        y = X @ beta + rng.standard_normal(rows)
        pd.DataFrame(X, columns=[f"x{j}" for j in range(p)]).assign(y=y).to_parquet(d / f"part{i:03d}.parquet", compression=None)
    return d


def _assert_same_fit(res, ref, tol=1e-10):
    np.testing.assert_allclose(res["lambda"], ref["lambda"], rtol=tol, atol=0)
    scale = np.abs(ref["beta"]).max()
    np.testing.assert_allclose(res["beta"], ref["beta"], rtol=0, atol=tol * scale)
    np.testing.assert_allclose(res["a0"], ref["a0"], rtol=0, atol=tol * max(1.0, np.abs(ref["a0"]).max()))
    np.testing.assert_allclose(res["cvm"], ref["cvm"], rtol=tol, atol=0)
    np.testing.assert_allclose(res["cvsd"], ref["cvsd"], rtol=1e-8, atol=0)  # sd of near-equal numbers
    assert res["index_min"] == ref["index_min"] and res["index_1se"] == ref["index_1se"]


def _as_dict(r):
    return {"lambda": r.lambdas, "beta": r.beta, "a0": r.a0, "cvm": r.cvm, "cvsd": r.cvsd,
            "index_min": r.index_min, "index_1se": r.index_1se}


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    d = _write_parquet(tmp_path_factory.mktemp("ooc_big"))
    size = sum(f.stat().st_size for f in d.iterdir())
    return d, size


@pytest.fixture(scope="module")
def big_reference(big):
    d, _ = big
    df = pd.read_parquet(sorted(d.glob("*.parquet")))
    X = df.drop(columns="y").to_numpy()
    y = df["y"].to_numpy()
    return cv_glmnet_gram(X, y, foldid=hash_foldid(np.arange(len(y)), NFOLDS, SEED))


_LOCAL_SCRIPT = textwrap.dedent(
    """
    import json, sys, numpy as np
    from statprune import cv_glmnet_ooc
    src, files2 = sys.argv[1], sys.argv[2:]
    def peak():  # this process's own peak RSS (ru_maxrss would start at the parent's peak at fork)
        with open("/proc/self/status") as fh:
            return next(int(l.split()[1]) * 1024 for l in fh if l.startswith("VmHWM:"))
    cv_glmnet_ooc(files2, "y", nfolds=10, seed=7)          # warm-up: imports, numba, pyarrow
    before = peak()
    r = cv_glmnet_ooc(src, "y", nfolds=10, seed=7)
    after = peak()
    print(json.dumps({"before": before, "after": after, "n": r.n_rows, "parts": r.n_partitions,
        "lambda": r.lambdas.tolist(), "beta": r.beta.tolist(), "a0": r.a0.tolist(), "cvm": r.cvm.tolist(),
        "cvsd": r.cvsd.tolist(), "index_min": r.index_min, "index_1se": r.index_1se}))
    """
)


@pytest.mark.slow
def test_local_scheduler_same_fit_bounded_memory(big, big_reference):
    d, size = big
    files = sorted(str(f) for f in d.glob("*.parquet"))
    proc = subprocess.run([sys.executable, "-c", _LOCAL_SCRIPT, str(d / "*.parquet"), *files[:2]],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    assert out["n"] == N_FILES * ROWS and out["parts"] == N_FILES
    out = {k: np.asarray(v) if isinstance(v, list) else v for k, v in out.items()}
    _assert_same_fit(out, big_reference)
    grew = out["after"] - out["before"]
    assert size > 200e6
    assert grew < 0.4 * size, f"peak RSS grew by {grew / 1e6:.0f} MB for {size / 1e6:.0f} MB of data"


@pytest.mark.slow
def test_distributed_cluster_same_fit_bounded_memory(big, big_reference):
    from distributed import Client, LocalCluster, get_task_stream

    d, size = big
    files = sorted(str(f) for f in d.glob("*.parquet"))

    def peak():  # the worker's own peak RSS (VmHWM: ru_maxrss would include the parent's peak at fork)
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM:"))

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit="1.5GiB") as cluster, Client(cluster) as client:
        cv_glmnet_ooc(files[:4], "y", nfolds=NFOLDS, seed=SEED, client=client)  # warm-up on every worker
        before = client.run(peak)
        with get_task_stream(client) as ts:
            res = cv_glmnet_ooc(str(d / "*.parquet"), "y", nfolds=NFOLDS, seed=SEED, client=client)
        after = client.run(peak)
        # the work really ran on both worker processes (the scheduler's task log says where each task ran;
        # after >= before alone held always, VmHWM never decreases, even if nothing ran on the workers)
        assert len(before) == 2
        assert {t["worker"] for t in ts.data} == set(before)
        assert len(ts.data) >= N_FILES
    _assert_same_fit(_as_dict(res), big_reference)
    assert res.n_rows == N_FILES * ROWS and res.provenance["scheduler"] == "distributed"
    for w in before:
        grew = after[w] - before[w]
        assert grew < 0.4 * size, f"worker {w}: peak RSS grew by {grew / 1e6:.0f} MB for {size / 1e6:.0f} MB"


# --------------------------------------------------------------------------- small, fast
@pytest.fixture
def small(tmp_path):
    rng = np.random.default_rng(3)
    n, p = 900, 6
    X = rng.standard_normal((n, p)) * [1, 2, 3, 0.5, 1, 10] + [0, 5, -3, 1, 100, 0]
    y = X[:, 0] - 0.5 * X[:, 1] + 0.1 * X[:, 5] + rng.standard_normal(n)
    w = rng.uniform(0.5, 2, n)
    fold = np.resize(np.arange(1, 6), n)
    df = pd.DataFrame(X, columns=[f"v{j}" for j in range(p)]).assign(y=y, w=w, fold=fold)
    for i, chunk in enumerate(np.array_split(np.arange(n), 4)):
        df.iloc[chunk].to_csv(tmp_path / f"s{i}.csv", index=False)
        df.iloc[chunk].to_parquet(tmp_path / f"s{i}.parquet")
    return tmp_path, df


def test_csv_weights_fold_column_match_in_memory(small):
    d, df = small
    X = df[[f"v{j}" for j in range(6)]].to_numpy()
    ref = cv_glmnet_gram(X, df["y"].to_numpy(), weights=df["w"].to_numpy(), foldid=df["fold"].to_numpy())
    res = cv_glmnet_ooc(str(d / "*.csv"), "y", weights="w", fold_column="fold", nfolds=5, scheduler="synchronous",
                        blocksize=8000)
    assert res.n_partitions > 4  # several blocks per CSV file
    _assert_same_fit(_as_dict(res), ref)
    assert res.fold_method == "column" and res.feature_names == [f"v{j}" for j in range(6)]


def test_parquet_hash_folds_alpha_partition_independent(small):
    d, df = small
    X = df[[f"v{j}" for j in range(6)]].to_numpy()
    fid = hash_foldid(np.arange(len(df)), 5, seed=11)
    ref = cv_glmnet_gram(X, df["y"].to_numpy(), foldid=fid, alpha=0.5, standardize=False)
    res = cv_glmnet_ooc(str(d / "*.parquet"), "y", exclude=["w", "fold"], nfolds=5, seed=11, alpha=0.5,
                        standardize=False, scheduler="threads")
    _assert_same_fit(_as_dict(res), ref)
    # the partitioning does not change the folds or the answer: one file per row block vs CSV blocks
    res2 = cv_glmnet_ooc(str(d / "*.csv"), "y", exclude=["w", "fold"], nfolds=5, seed=11, alpha=0.5,
                         standardize=False, scheduler="synchronous", blocksize=5000)
    _assert_same_fit(_as_dict(res2), ref)


def test_dask_dataframe_input(small):
    import dask.dataframe as dd

    _, df = small
    X = df[[f"v{j}" for j in range(6)]].to_numpy()
    ref = cv_glmnet_gram(X, df["y"].to_numpy(), foldid=hash_foldid(np.arange(len(df)), 5, seed=2))
    ddf = dd.from_pandas(df.drop(columns=["w", "fold"]), npartitions=7)
    res = cv_glmnet_ooc(ddf, "y", nfolds=5, seed=2, scheduler="synchronous")
    assert res.n_partitions == 7
    _assert_same_fit(_as_dict(res), ref)


def test_hash_foldid_properties():
    f = hash_foldid(np.arange(1003), 10, seed=5)
    counts = np.bincount(f)[1:]
    assert counts.max() - counts.min() <= 1 and counts.sum() == 1003
    assert (hash_foldid(np.arange(500, 1003), 10, seed=5) == f[500:]).all()
    assert not (hash_foldid(np.arange(1003), 10, seed=6) == f).all()
    # every complete block of K rows holds each fold once
    assert (np.sort(f[:1000].reshape(100, 10), axis=1) == np.arange(1, 11)).all()


def test_errors(small, tmp_path):
    d, df = small
    with pytest.raises(DataError, match="column 'nope' not found"):
        gram_stats_dask(str(d / "*.parquet"), "nope", scheduler="synchronous")
    with pytest.raises(DataError, match="no data files"):
        gram_stats_dask(str(tmp_path / "missing*.parquet"), "y")
    bad = df.copy()
    bad.loc[5, "v2"] = np.nan
    bad.to_parquet(tmp_path / "bad.parquet")
    with pytest.raises(DataError, match="NaN"):
        gram_stats_dask(str(tmp_path / "bad.parquet"), "y", exclude=["w", "fold"], scheduler="synchronous")
    with pytest.raises(ParameterError, match="nfolds"):
        gram_stats_dask(str(d / "*.parquet"), "y", nfolds=2)


def test_cli_lasso_ooc(small):
    from statprune.cli import app

    d, _ = small
    r = CliRunner().invoke(app, ["lasso-ooc", str(d / "*.parquet"), "--target", "y", "--exclude", "w",
                                 "--fold-column", "fold", "--nfolds", "5", "--json", "-"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["n_rows"] == 900 and "v0" in out["selected"] and out["fold_method"] == "column"
    r2 = CliRunner().invoke(app, ["lasso-ooc", str(d / "*.parquet"), "--target", "nope"])
    assert r2.exit_code == 2


# --------------------------------------------------------------------------- binomial / poisson (issue 16)
TIGHT = 1e-14


def _glm_frame(family, n=800, p=6, seed=5):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 3.0, p) + rng.uniform(-2, 2, p)
    X[:, 1:] = 0.6 * X[:, :-1] + 0.8 * X[:, 1:]
    eta = (X[:, 0] - X[:, 0].mean()) / X[:, 0].std() - 0.7 * (X[:, 1] - X[:, 1].mean()) / X[:, 1].std()
    off = rng.normal(0, 0.3, n)
    if family == "binomial":
        y = (rng.random(n) < 1 / (1 + np.exp(-eta - off))).astype(float)
    else:
        y = rng.poisson(np.exp(0.4 * eta + 0.5 + off)).astype(float)
    df = pd.DataFrame(X, columns=[f"x{j}" for j in range(p)]).assign(
        y=y, w=rng.uniform(0.3, 2.5, n), off=off, fold=rng.permutation(np.resize(np.arange(1, 6), n)))
    return df


def _write_parts(df, d, n_parts=3, kind="parquet"):
    for i, idx in enumerate(np.array_split(np.arange(len(df)), n_parts)):
        part = df.iloc[idx]
        part.to_parquet(d / f"g{i}.parquet") if kind == "parquet" else part.to_csv(d / f"g{i}.csv", index=False)
    return str(d / f"g*.{kind}")


def _assert_same_glm(out, ref, tol=1e-10):
    """Lambdas, cvm, cvsd, coefficients, intercepts, deviance ratios and lambda.min/1se of two cv.glmnet outputs."""
    assert len(out["lambda"]) == len(ref["lambda"])
    np.testing.assert_allclose(out["lambda"], ref["lambda"], rtol=tol, atol=0)
    np.testing.assert_allclose(out["cvm"], ref["cvm"], rtol=tol, atol=0)
    np.testing.assert_allclose(out["cvsd"], ref["cvsd"], rtol=100 * tol, atol=0)  # sd of near-equal numbers
    scale = np.abs(ref["beta"]).max()
    np.testing.assert_allclose(out["beta"], ref["beta"], rtol=0, atol=tol * scale)
    np.testing.assert_allclose(out["a0"], ref["a0"], rtol=0, atol=tol * max(1.0, np.abs(ref["a0"]).max()))
    np.testing.assert_allclose(out["dev_ratio"], ref["dev_ratio"], rtol=tol, atol=1e-13)
    np.testing.assert_allclose(out["nulldev"], ref["nulldev"], rtol=tol)
    assert out["index_min"] == ref["index_min"] and out["index_1se"] == ref["index_1se"]


def _res_dict(r):
    return {"lambda": r.lambdas, "beta": r.beta, "a0": r.a0, "cvm": r.cvm, "cvsd": r.cvsd, "index_min": r.index_min,
            "index_1se": r.index_1se, "dev_ratio": r.dev_ratio, "nulldev": r.nulldev}


GLM_CASES = {
    "binomial-weights-pf": ("binomial", dict(weights="w", penalty_factor=[1, 0.5, 0, 2, 1, 1]), "parquet", "threads"),
    "binomial-offset-enet": ("binomial", dict(offset="off", alpha=0.5), "csv", "synchronous"),
    "binomial-class-nointercept": ("binomial", dict(fit_intercept=False, type_measure="class"), "parquet", "synchronous"),
    "poisson-weights-offset": ("poisson", dict(weights="w", offset="off"), "parquet", "threads"),
    "poisson-exclude-mae-nostd": ("poisson", dict(exclude_idx=[2], standardize=False, type_measure="mae"), "csv",
                                  "synchronous"),
}


@pytest.mark.parametrize("case", list(GLM_CASES), ids=list(GLM_CASES))
def test_glm_matches_in_memory_engine(case, tmp_path):
    """Out of core (hash folds) = the in-memory glmpath engine on the same rows and folds, to 1e-10 at tight thresh."""
    from statprune.engines.glmpath import cv_glmnet_glm

    family, kw, kind, scheduler = GLM_CASES[case]
    df = _glm_frame(family)
    src = _write_parts(df, tmp_path, kind=kind)
    kw = dict(kw)
    cols = {c: kw.pop(c) for c in ("weights", "offset") if c in kw}
    exclude = [c for c in ("w", "off", "fold") if c not in cols.values()]
    res = cv_glmnet_ooc(src, "y", family=family, exclude=exclude, nfolds=5, seed=13, thresh=TIGHT,
                        scheduler=scheduler, **cols, **kw)
    X = df[[f"x{j}" for j in range(6)]].to_numpy()
    ref = cv_glmnet_glm(X, df["y"].to_numpy(), family=family, foldid=hash_foldid(np.arange(len(df)), 5, 13),
                        weights=df["w"].to_numpy() if "weights" in cols else None,
                        offset=df["off"].to_numpy() if "offset" in cols else None, thresh=TIGHT, **kw)
    _assert_same_glm(_res_dict(res), ref)
    assert res.family == family and res.n_rows == len(df) and res.fold_method == "hash"
    assert res.passes == res.provenance["passes"] > 10 and res.provenance["engine"] == "glm-dask"


def test_glm_default_thresh_and_fold_column(tmp_path):
    """At glmnet's default thresh the Gram CD follows glmpath's iterates too (same order of updates)."""
    from statprune.engines.glmpath import cv_glmnet_glm

    df = _glm_frame("binomial", seed=8)
    src = _write_parts(df, tmp_path, n_parts=4)
    res = cv_glmnet_ooc(src, "y", family="binomial", exclude=["w", "off"], fold_column="fold", scheduler="synchronous")
    ref = cv_glmnet_glm(df[[f"x{j}" for j in range(6)]].to_numpy(), df["y"].to_numpy(), family="binomial",
                        foldid=df["fold"].to_numpy())
    _assert_same_glm(_res_dict(res), ref, tol=1e-10)
    assert res.fold_method == "column"


def test_r_folds_are_r_foldid(tmp_path):
    """folds='r': R's set.seed(seed); sample(rep(1:K, length.out = n)) over the global row order, any partitioning."""
    from statprune._glmnet.folds import r_foldid

    df = _glm_frame("poisson", n=500)
    X = df[[f"x{j}" for j in range(6)]].to_numpy()
    for kind, parts in (("parquet", 3), ("csv", 4)):
        src = _write_parts(df, tmp_path, n_parts=parts, kind=kind)
        res = cv_glmnet_ooc(src, "y", exclude=["w", "off", "fold"], folds="r", nfolds=5, seed=42, scheduler="synchronous")
        ref = cv_glmnet_gram(X, df["y"].to_numpy(), foldid=r_foldid(len(df), 5, 42))
        _assert_same_fit(_as_dict(res), ref)
        assert res.fold_method == "r" and res.seed == 42
    with pytest.raises(ParameterError, match="needs a seed"):
        gram_stats_dask(src, "y", folds="r")
    with pytest.raises(ParameterError, match="folds="):
        gram_stats_dask(src, "y", folds="sample", seed=1)


@pytest.mark.against_r
@pytest.mark.parametrize("family", ["binomial", "poisson"])
def test_glm_r_folds_equal_cv_glmnet(r, family, tmp_path):
    """Live R: set.seed(s); cv.glmnet(x, y, nfolds = 5) draws the folds folds='r' uses, and gives the same fit."""
    from glmnet_parity import compare_cv, r_cv_reference
    from helpers import call_test_r

    from statprune._glmnet.folds import r_foldid

    df = _glm_frame(family, n=400)
    X = df[[f"x{j}" for j in range(6)]].to_numpy()
    y = df["y"].to_numpy()
    r_fid = np.asarray(call_test_r("gram", "gram_cv_foldid_check", X, y, 5, 2024)).astype(int)
    assert (r_foldid(len(y), 5, 2024) == r_fid).all()
    ref = r_cv_reference(X, y, r_fid, family=family, thresh=TIGHT)
    res = cv_glmnet_ooc(_write_parts(df, tmp_path), "y", family=family, exclude=["w", "off", "fold"], folds="r",
                        nfolds=5, seed=2024, thresh=TIGHT, scheduler="synchronous")
    out = _res_dict(res) | {"lambda_min": res.lambda_min, "lambda_1se": res.lambda_1se, "nzero": res.nzero,
                            "name": res.measure_name}
    compare_cv(out, ref, tol=1e-8)


@pytest.mark.slow
def test_glm_distributed_cluster(tmp_path):
    """Binomial with weights and an offset on a LocalCluster of 2 processes = the in-memory engine (1e-10)."""
    from distributed import Client, LocalCluster, get_task_stream

    from statprune.engines.glmpath import cv_glmnet_glm

    df = _glm_frame("binomial", n=1200, seed=21)
    src = _write_parts(df, tmp_path, n_parts=6)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit="1GiB") as cluster, Client(cluster) as client:
        with get_task_stream(client) as ts:
            res = cv_glmnet_ooc(src, "y", family="binomial", weights="w", offset="off", exclude=["fold"], nfolds=5,
                                seed=3, thresh=TIGHT, client=client)
        workers = set(client.scheduler_info()["workers"])
        assert {t["worker"] for t in ts.data} == workers and len(workers) == 2
    ref = cv_glmnet_glm(df[[f"x{j}" for j in range(6)]].to_numpy(), df["y"].to_numpy(), family="binomial",
                        foldid=hash_foldid(np.arange(len(df)), 5, 3), weights=df["w"].to_numpy(),
                        offset=df["off"].to_numpy(), thresh=TIGHT)
    _assert_same_glm(_res_dict(res), ref)
    assert res.provenance["scheduler"] == "distributed"


def test_glm_bad_input(tmp_path):
    df = _glm_frame("binomial", n=300)
    bad = df.copy()
    bad.loc[7, "y"] = 2.0
    src = _write_parts(bad, tmp_path)
    with pytest.raises(DataError, match=r"binomial target 'y' must be 0/1.*row 7 holds 2"):
        cv_glmnet_ooc(src, "y", family="binomial", exclude=["w", "off", "fold"], scheduler="synchronous")
    neg = df.assign(y=df["y"] - 1)
    src = _write_parts(neg, tmp_path)
    with pytest.raises(DataError, match="negative counts in target 'y'"):
        cv_glmnet_ooc(src, "y", family="poisson", exclude=["w", "off", "fold"], scheduler="synchronous")
    miss = df.copy()
    miss.loc[11, "x3"] = np.nan
    src = _write_parts(miss, tmp_path)
    with pytest.raises(DataError, match=r"NaN, inf or missing cells \(predictor columns \['x3'\]"):
        cv_glmnet_ooc(src, "y", family="binomial", exclude=["w", "off", "fold"], scheduler="synchronous")
    src = _write_parts(df, tmp_path)
    with pytest.raises(ParameterError, match="auc"):
        cv_glmnet_ooc(src, "y", family="binomial", type_measure="auc", scheduler="synchronous")
    with pytest.raises(ParameterError, match="offset"):
        cv_glmnet_ooc(src, "y", offset="off", scheduler="synchronous")
    with pytest.raises(ParameterError, match="family='multinomial'"):
        cv_glmnet_ooc(src, "y", family="multinomial", scheduler="synchronous")
    zero = df.copy()
    zero.loc[3, "w"] = 0.0
    src = _write_parts(zero, tmp_path)
    with pytest.raises(ParameterError, match="zero weights"):
        cv_glmnet_ooc(src, "y", family="binomial", weights="w", exclude=["off", "fold"], scheduler="synchronous")


def test_cli_lasso_ooc_binomial(tmp_path):
    from statprune.cli import app

    df = _glm_frame("binomial", n=400)
    src = _write_parts(df, tmp_path)
    r = CliRunner().invoke(app, ["lasso-ooc", src, "--target", "y", "--family", "binomial", "--exclude", "w",
                                 "--exclude", "fold", "--offset", "off", "--folds", "r", "--seed", "4", "--nfolds", "5",
                                 "--json", "-"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["family"] == "binomial" and out["fold_method"] == "r" and out["n_rows"] == 400 and out["passes"] > 10
    assert "x0" in out["selected"]
    bad = CliRunner().invoke(app, ["lasso-ooc", src, "--target", "y", "--family", "poisson", "--folds", "sample"])
    assert bad.exit_code == 2 and "--folds" in bad.output
    bad = CliRunner().invoke(app, ["lasso-ooc", src, "--target", "w", "--family", "binomial"])
    assert bad.exit_code == 2 and "0/1" in bad.output
