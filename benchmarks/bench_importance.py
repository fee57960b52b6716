"""``statprune importance`` with its defaults on a realistic size (issue 15: 2,000 x 100 and 50,000 x 100).

Usage: ``python -m benchmarks.bench_importance [--n N] [--p P] [--seed S]``

One seeded gaussian data set (``benchmarks._synth.make_regression``: AR(1) correlated predictors,
10 non-zero coefficients) and :func:`statprune.importance.importance_table` with no option but the
seed, as ``statprune importance data.csv -y y --seed S`` runs it. One row: wall and CPU seconds
(``time.process_time``: this process and its worker threads), the cores, the 1-minute load average
before and after (the machine may be shared), and what the sizing chose (``extra["sizing"]`` when the
code records it), so that a row says which defaults it timed.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from typing import Any

import pandas as pd

from benchmarks._synth import make_regression


def run(n: int = 2_000, p: int = 100, seed: int = 1) -> dict[str, Any]:
    from statprune.importance import importance_table

    d = make_regression(n, p, sparsity=10, seed=seed)
    frame = pd.DataFrame(d.X, columns=[f"x{j + 1}" for j in range(p)]).assign(y=d.y)
    load0 = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = importance_table(frame, "y", random_state=seed)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    e = res.extra
    return {"bench": "importance", "case": f"{n}x{p}", "n": n, "p": p, "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
            "cores": os.cpu_count(), "load_before": round(load0, 2), "load_after": round(os.getloadavg()[0], 2),
            "estimator": res.estimator_name, "model_params": e.get("model_params"), "n_repeats": e.get("n_repeats"),
            "n_scored": e.get("n_scored"), "n_jobs": e.get("n_jobs"), "sizing": e.get("sizing"),
            "selected": len(res.selected), "true_nonzero_selected": sum(f"x{j + 1}" in res.selected for j in range(p) if d.beta[j] != 0)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2_000)
    ap.add_argument("--p", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    print(run(a.n, a.p, a.seed))
