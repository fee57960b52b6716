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
