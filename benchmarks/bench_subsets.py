"""Best subsets: statprune.regsubsets vs R's leaps::regsubsets on the same data.

Usage: ``python -m benchmarks.bench_subsets [--quick]``

Seeded regression data (``benchmarks._synth.make_regression``: AR(1) correlated
predictors, a sparse truth), ``y ~ .``, exhaustive search with ``nvmax = 8`` and the
forward path. ``seconds`` for R is leaps' own elapsed time of ``regsubsets()`` +
``summary()`` (``system.time`` inside Rscript, no start-up, no CSV). statprune's first
call compiles the branch-and-bound kernel (numba, cached on disk); the timing is of a
second call. ``parity``: identical subsets for every size and the largest relative
criterion difference.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks._synth import make_regression

FULL = [(5_000, 40), (2_000, 30)]
QUICK = [(2_000, 30)]
_R = r"""
suppressPackageStartupMessages({library(leaps); library(jsonlite)})
a <- commandArgs(trailingOnly = TRUE)
d <- read.csv(a[1])
t <- system.time({s <- summary(regsubsets(y ~ ., data = d, nvmax = as.integer(a[3]), method = a[2]))})[["elapsed"]]
w <- s$which[, -1, drop = FALSE]
cat(toJSON(list(seconds = t, terms = lapply(seq_len(nrow(w)), function(i) colnames(w)[w[i, ]]), bic = s$bic),
           digits = NA))
"""


def _log(msg: str) -> None:
    print(f"[bench_subsets] {msg}", file=sys.stderr, flush=True)


def run(quick: bool = False) -> list[dict]:
    import statprune

    rows = []
    for n, p in QUICK if quick else FULL:
        d = make_regression(n, p, sparsity=int(0.7 * p), rho=0.5, snr=3.0, seed=1)
        df = pd.DataFrame(d.X, columns=[f"x{j + 1}" for j in range(p)]).assign(y=d.y)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "d.csv"
            df.to_csv(path, index=False, float_format="%.17g")
            script = Path(tmp) / "b.R"
            script.write_text(_R)
            for method in ("exhaustive", "forward"):
                statprune.regsubsets(df, "y", method=method, nvmax=8)  # compile / warm up
                t0 = time.perf_counter()
                res = statprune.regsubsets(df, "y", method=method, nvmax=8)
                sp = time.perf_counter() - t0
                row = {"bench": "subsets", "case": f"{method}, nvmax=8", "n": n, "p": p, "engine": "statprune",
                       "seconds": sp, "nodes": res.nodes}
                rows.append(row)
                _log(f"n={n} p={p} {method}: statprune {sp:.3f}s")
                if shutil.which("Rscript"):
                    proc = subprocess.run(["Rscript", str(script), str(path), method, "8"], capture_output=True,
                                          text=True, check=False)
                    if proc.returncode == 0:
                        ref = json.loads(proc.stdout)
                        same = all(set(a) == set(b) for a, b in zip(res.sizes["terms"], ref["terms"]))
                        rel = float(np.max(np.abs(res.sizes["bic"].to_numpy() - np.asarray(ref["bic"]))
                                           / np.abs(np.asarray(ref["bic"]))))
                        rows.append({"bench": "subsets", "case": f"{method}, nvmax=8", "n": n, "p": p,
                                     "engine": "R leaps", "seconds": ref["seconds"],
                                     "parity": f"subsets identical: {same}; max rel. BIC diff {rel:.1e}"})
                        _log(f"n={n} p={p} {method}: leaps {ref['seconds']:.3f}s, {rows[-1]['parity']}")
    return rows


if __name__ == "__main__":
    print(json.dumps(run("--quick" in sys.argv), indent=2))
