"""The whole ``statprune report`` on a realistic size: time per section (issue 15: 50,000 x 100 on 2 cores).

Usage: ``python -m benchmarks.bench_report [--quick] [--n N] [--p P]``

One seeded gaussian data set (``benchmarks._synth.make_regression``: AR(1) correlated predictors,
10 non-zero coefficients), written to CSV, then :func:`statprune.report.build_report` with every
method and the cross-check, as ``statprune report data.csv -y y --out report.html`` runs it.
Rows: ``bench, case, engine, n, p, section, seconds, cpu_seconds`` (one per section, plus ``total``
that also counts reading the file and rendering the HTML, with the cores and the 1-minute load
average: the machine may be shared, so CPU seconds beside wall). The sections time themselves
(``Report.timings``, ``Report.cpu_timings``: this process, R and worker threads included).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks._synth import make_regression


def run(quick: bool = False, n: int | None = None, p: int | None = None) -> list[dict[str, Any]]:
    from statprune.report import build_report

    n = n or (5_000 if quick else 50_000)
    p = p or (20 if quick else 100)
    d = make_regression(n, p, sparsity=10, seed=1)
    frame = pd.DataFrame(d.X, columns=[f"x{j + 1}" for j in range(p)])
    frame["y"] = d.y
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.csv"
        frame.to_csv(path, index=False)
        t0, c0 = time.perf_counter(), time.process_time()
        rep = build_report(str(path), "y", seed=42, timestamp=False)
        html = rep.render("html")
        total, cpu = time.perf_counter() - t0, time.process_time() - c0
    case = f"{n}x{p}"
    for section, secs in rep.timings.items():
        rows.append({"bench": "report", "case": case, "engine": "statprune", "n": n, "p": p, "section": section,
                     "seconds": round(secs, 3), "cpu_seconds": round(rep.cpu_timings.get(section, float("nan")), 3)})
    load = os.getloadavg()[0]
    rows.append({"bench": "report", "case": case, "engine": "statprune", "n": n, "p": p, "section": "total",
                 "seconds": round(total, 3), "cpu_seconds": round(cpu, 3), "cores": os.cpu_count(),
                 "load_average_1min": round(load, 2), "html_bytes": len(html)})
    return rows


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--n", type=int)
    ap.add_argument("--p", type=int)
    a = ap.parse_args()
    for r in run(a.quick, a.n, a.p):
        print(r)
