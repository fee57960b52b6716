"""Out-of-core Gaussian cv.glmnet on Dask: 5,000,000 x 100 in Parquet (quick: 200,000 x 100).

Writes seeded synthetic data (``benchmarks._synth``-style: AR(1) correlated columns,
sparse coefficients) as many uncompressed Parquet files in a temporary folder, then
times ``statprune.cv_glmnet_ooc`` (10-fold CV, row-number folds):

* on the local threaded scheduler, in a fresh subprocess (so its peak RSS growth is
  measurable);
* on a local ``distributed`` cluster of 2 worker processes x 1 thread (peak RSS
  growth of each worker);
* the in-memory gram engine on the same rows and folds (data loaded whole), for
  parity (max |coefficient difference|, cvm relative difference) and time.

Binomial (issue 16): ``python -m benchmarks.bench_outofcore --binomial [--quick] [--n=N --files=F --dir=D]``
runs ``statprune lasso-ooc --family binomial`` (the CLI) on a 2-worker ``LocalCluster``
over 6,000,000 x 100 (about 4.9 GB; quick: 200,000 x 100): wall time, the workers' CPU
seconds and peak RSS, passes, load; and the agreement of a twin (the first files) with
the in-memory engine on the same rows and folds.

Run: ``python -m benchmarks.bench_outofcore [--quick]`` or through ``run_all``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

FULL = (5_000_000, 100, 100)  # n, p, files
QUICK = (200_000, 100, 20)
NFOLDS, SEED = 10, 1


def _log(msg: str) -> None:
    print(f"[outofcore] {msg}", file=sys.stderr, flush=True)


def write_data(folder: Path, n: int, p: int, files: int, seed: int = 2024, rho: float = 0.5,
               family: str = "gaussian") -> int:
    """Seeded synthetic data as ``files`` Parquet files (``family``: gaussian y, or a 0/1 binomial y); returns bytes."""
    import pandas as pd

    rng0 = np.random.default_rng(seed)
    beta = np.zeros(p)
    nz = rng0.choice(p, size=max(5, p // 20), replace=False)
    beta[nz] = rng0.choice([-1.0, 1.0], size=nz.size) * rng0.uniform(0.5, 2.0, size=nz.size)
    rows = np.full(files, n // files)
    rows[: n % files] += 1
    cols = [f"x{j}" for j in range(p)]
    for i, m in enumerate(rows):
        rng = np.random.default_rng([seed, i])
        e = rng.standard_normal((m, p))
        X = np.empty_like(e)
        X[:, 0] = e[:, 0]
        for j in range(1, p):  # AR(1) across columns: corr(x_j, x_k) = rho^|j-k|
            X[:, j] = rho * X[:, j - 1] + np.sqrt(1 - rho**2) * e[:, j]
        if family == "binomial":
            y = (rng.random(m) < 1.0 / (1.0 + np.exp(-(0.5 * (X @ beta) - 0.5)))).astype(float)
        else:
            y = X @ beta + 3.0 + rng.standard_normal(m) * 2.0
        pd.DataFrame(X, columns=cols).assign(y=y).to_parquet(folder / f"part{i:04d}.parquet", compression=None)
    return int(sum(f.stat().st_size for f in folder.glob("*.parquet")))


_LOCAL = r"""
import json, sys, time, numpy as np
from statprune import cv_glmnet_ooc
src, out, warm = sys.argv[1], sys.argv[2], sys.argv[3:]
def peak():  # this process's own peak RSS (ru_maxrss would start at the parent's peak at fork)
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) * 1024 for l in fh if l.startswith("VmHWM:"))
cv_glmnet_ooc(warm, "y", nfolds=10, seed=1)
before = peak(); t0 = time.perf_counter()
r = cv_glmnet_ooc(src, "y", nfolds=10, seed=1)
sec = time.perf_counter() - t0
np.savez(out, beta=r.beta, cvm=r.cvm, a0=r.a0, lam=r.lambdas)
print(json.dumps({"seconds": sec, "grew": peak() - before, "peak": peak(), "n": r.n_rows, "parts": r.n_partitions,
                  "index_min": r.index_min}))
"""


def _peak() -> int:
    """This process's own peak RSS in bytes (VmHWM; ``ru_maxrss`` would include the parent's peak at fork)."""
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM:"))


def run(quick: bool = False) -> list[dict]:
    from distributed import Client, LocalCluster

    from statprune import cv_glmnet_ooc
    from statprune.engines.gram import cv_glmnet_gram
    from statprune.engines.outofcore import hash_foldid

    n, p, files = QUICK if quick else FULL
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="statprune_ooc_") as tmp:
        folder = Path(tmp)
        _log(f"writing {n:,} x {p} in {files} Parquet files")
        t0 = time.perf_counter()
        size = write_data(folder, n, p, files)
        _log(f"wrote {size / 1e9:.2f} GB in {time.perf_counter() - t0:.1f} s")
        case = {"bench": "outofcore", "case": f"{n:,} x {p} ({files} Parquet files, {size / 1e9:.2f} GB)", "n": n,
                "p": p, "data_mb": size / 1e6}
        src = str(folder / "*.parquet")
        paths = sorted(str(f) for f in folder.glob("*.parquet"))

        # 1. local threaded scheduler, fresh process
        _log("local scheduler (threads)")
        npz = folder / "local.npz"
        proc = subprocess.run([sys.executable, "-c", _LOCAL, src, str(npz), *paths[:2]], capture_output=True,
                              text=True, check=True)
        loc = json.loads(proc.stdout)
        local = np.load(npz)
        rows.append({**case, "engine": "gram + dask, local threads", "seconds": loc["seconds"],
                     "peak_rss_mb": loc["peak"] / 1e6, "peak_rss_growth_mb": loc["grew"] / 1e6})

        # 2. local distributed cluster, 2 worker processes
        _log("distributed LocalCluster (2 workers x 1 thread)")
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            cv_glmnet_ooc(paths[:4], "y", nfolds=NFOLDS, seed=SEED, client=client)
            before = client.run(_peak)
            t0 = time.perf_counter()
            dist = cv_glmnet_ooc(src, "y", nfolds=NFOLDS, seed=SEED, client=client)
            t_dist = time.perf_counter() - t0
            after = client.run(_peak)
        grew = max(after[w] - before[w] for w in before)
        rows.append({**case, "engine": "gram + dask, distributed 2 workers", "seconds": t_dist,
                     "peak_rss_mb": max(after.values()) / 1e6, "peak_rss_growth_mb": grew / 1e6,
                     "max_coef_diff_vs_local": float(np.abs(dist.beta - local["beta"]).max())})

        # 3. in memory (the whole data loaded), same rows and folds
        _log("in-memory gram engine")
        import pandas as pd

        before_mem = _peak()
        t0 = time.perf_counter()
        X = np.empty((n, p))  # filled file by file: one copy of the data, not three
        y = np.empty(n)
        at = 0
        for f in paths:
            part = pd.read_parquet(f)
            m = len(part)
            y[at : at + m] = part.pop("y").to_numpy()
            X[at : at + m] = part.to_numpy()
            at += m
            del part
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        ref = cv_glmnet_gram(X, y, foldid=hash_foldid(np.arange(n), NFOLDS, SEED))
        t_mem = time.perf_counter() - t0
        rows.append({**case, "engine": "gram in memory (read + fit)", "seconds": t_read + t_mem,
                     "fit_seconds": t_mem, "peak_rss_mb": _peak() / 1e6, "peak_rss_growth_mb": (_peak() - before_mem) / 1e6,
                     "max_coef_diff_vs_local": float(np.abs(ref["beta"] - local["beta"]).max()),
                     "cvm_rel_diff_vs_local": float(np.max(np.abs(ref["cvm"] - local["cvm"]) / ref["cvm"])),
                     "same_lambda_min": int(ref["index_min"]) == int(loc["index_min"])})
    return rows


def _cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


BINOMIAL_FULL = (6_000_000, 100, 120)  # about 4.9 GB of uncompressed Parquet
BINOMIAL_QUICK = (200_000, 100, 20)
TWIN_FILES = 4  # the in-memory parity twin: the first files (same global row numbers, same hash folds)


def run_binomial(quick: bool = False, n: int | None = None, files: int | None = None, keep: Path | None = None,
                 memory_limit: str = "2GiB") -> list[dict]:
    """``statprune lasso-ooc --family binomial`` (the CLI, in a subprocess) on a 2-worker ``LocalCluster``.

    Measures the wall time, the workers' CPU seconds and peak RSS (each worker's own
    ``VmHWM``, and its growth during the fit), the load average and the number of
    passes; then fits a twin (the first ``TWIN_FILES`` files) out of core and with the
    in-memory engine (:func:`statprune.engines.glmpath.cv_glmnet_glm`) on the same rows
    and folds, and reports their agreement.
    """
    from distributed import Client, LocalCluster

    from statprune import cv_glmnet_ooc
    from statprune.engines.glmpath import cv_glmnet_glm
    from statprune.engines.outofcore import hash_foldid

    n0, p, files0 = BINOMIAL_QUICK if quick else BINOMIAL_FULL
    n, files = n or n0, files or files0
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="statprune_ooc_bin_", dir=keep) as tmp:
        folder = Path(tmp)
        _log(f"writing {n:,} x {p} binomial in {files} Parquet files")
        t0 = time.perf_counter()
        size = write_data(folder, n, p, files, family="binomial")
        _log(f"wrote {size / 1e9:.2f} GB in {time.perf_counter() - t0:.1f} s")
        paths = sorted(str(f) for f in folder.glob("*.parquet"))
        case = {"bench": "outofcore-binomial", "case": f"{n:,} x {p} ({files} Parquet files, {size / 1e9:.2f} GB)",
                "n": n, "p": p, "data_mb": size / 1e6}
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                          memory_limit=memory_limit) as cluster, Client(cluster) as client:
            cv_glmnet_ooc(paths[:2], "y", family="binomial", nfolds=NFOLDS, seed=SEED, client=client)  # warm-up
            before, cpu0 = client.run(_peak), client.run(_cpu)
            load0 = os.getloadavg()
            out_json = folder / "fit.json"
            cmd = [sys.executable, "-c", "from statprune.cli import main; main()", "lasso-ooc", str(folder / "*.parquet"), "--target", "y",
                   "--family", "binomial", "--nfolds", str(NFOLDS), "--seed", str(SEED), "--address",
                   cluster.scheduler_address, "--json", str(out_json)]
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, text=True)
            wall = time.perf_counter() - t0
            after, cpu1 = client.run(_peak), client.run(_cpu)
            load1 = os.getloadavg()
            fit = json.loads(out_json.read_text())
            # the twin: the first files, out of core and in memory, same rows and folds
            twin = paths[:TWIN_FILES]
            ooc = cv_glmnet_ooc(twin, "y", family="binomial", nfolds=NFOLDS, seed=SEED, client=client, thresh=1e-14)
            ooc_d = cv_glmnet_ooc(twin, "y", family="binomial", nfolds=NFOLDS, seed=SEED, client=client)
        import pandas as pd

        df = pd.read_parquet(twin)
        X, y = df.drop(columns="y").to_numpy(), df["y"].to_numpy()
        fid = hash_foldid(np.arange(len(y)), NFOLDS, SEED)
        ref = cv_glmnet_glm(X, y, family="binomial", foldid=fid, thresh=1e-14)
        ref_d = cv_glmnet_glm(X, y, family="binomial", foldid=fid)

        def agree(o: object, r: dict) -> dict:
            same = len(o.lambdas) == len(r["lambda"])  # type: ignore[attr-defined]
            return {"same_path_length": same,
                    "lambda_rel": float(np.max(np.abs(o.lambdas / r["lambda"] - 1))) if same else None,  # type: ignore[attr-defined]
                    "cvm_rel": float(np.max(np.abs(o.cvm / r["cvm"] - 1))) if same else None,  # type: ignore[attr-defined]
                    "coef_diff_of_scale": float(np.abs(o.beta - r["beta"]).max() / np.abs(r["beta"]).max()) if same else None,  # type: ignore[attr-defined]
                    "same_lambda_min_1se": (o.index_min, o.index_1se) == (r["index_min"], r["index_1se"])}  # type: ignore[attr-defined]

        rows.append({**case, "engine": "lasso-ooc --family binomial, LocalCluster 2 workers x 1 thread",
                     "seconds": wall, "worker_cpu_seconds": sum(cpu1[w] - cpu0[w] for w in cpu0),
                     "peak_rss_mb_per_worker": max(after.values()) / 1e6,
                     "peak_rss_growth_mb_per_worker": max(after[w] - before[w] for w in before) / 1e6,
                     "memory_limit": memory_limit, "passes": fit.get("passes"), "n_lambda": len(fit.get("lambda", [])),
                     "selected": len(fit.get("selected", [])), "load_before": load0, "load_after": load1,
                     "twin_rows": int(len(y)), "twin_vs_in_memory_thresh_1e-14": agree(ooc, ref),
                     "twin_vs_in_memory_default_thresh": agree(ooc_d, ref_d)})
    return rows


if __name__ == "__main__":
    if "--binomial" in sys.argv:
        arg = dict(a.split("=", 1) for a in sys.argv[1:] if "=" in a)
        res = run_binomial(quick="--quick" in sys.argv, n=int(arg["--n"]) if "--n" in arg else None,
                           files=int(arg["--files"]) if "--files" in arg else None,
                           keep=Path(arg["--dir"]) if "--dir" in arg else None)
    else:
        res = run(quick="--quick" in sys.argv)
    for r in res:
        print(json.dumps(r))
