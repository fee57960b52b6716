"""Backward elimination for OLS: statprune's swept Gram matrix vs naive refitting vs R's step().

Usage: ``python -m benchmarks.bench_stepwise [--quick]``

One data set (seeded, ``benchmarks._synth.make_regression``: AR(1) correlated
predictors, a minority of zero coefficients so that several terms get dropped),
``y ~ .`` with ``k = 2``, the same number of steps for every method:

* ``statprune (sweep)``: :func:`statprune.stepwise` (the Gram matrix of all
  columns is formed once, O(n p^2); each step sweeps it, O(p^3); each candidate
  costs O(k^3) on the swept matrix);
* ``naive refit (numpy QR)``: what ``drop1.lm`` does, a least-squares refit of
  every candidate model from the n rows (O(n p^2) per candidate), same decisions;
* ``R step() (Rscript)``: ``r_scripts/step_reference.R`` on the same data written
  to CSV; ``seconds`` is R's own elapsed time of ``step()`` (no start-up, no CSV).

``ratio`` is seconds / seconds of statprune on the same case; ``parity`` says
whether the path (sequence of dropped terms) is identical and the largest AIC
difference along it. Rows: ``case, n, p, method, seconds, ratio, parity``.
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

ROOT = Path(__file__).resolve().parent.parent
FULL = {"n": 10_000, "p": 100, "steps": 3}
QUICK = {"n": 2_000, "p": 30, "steps": 3}


def _log(msg: str) -> None:
    print(f"[bench_stepwise] {msg}", file=sys.stderr, flush=True)


def _frame(n: int, p: int, seed: int) -> pd.DataFrame:
    d = make_regression(n, p, sparsity=int(0.8 * p), rho=0.5, snr=3.0, seed=seed)
    df = pd.DataFrame(d.X, columns=[f"x{j + 1}" for j in range(p)])
    df["y"] = d.y
    return df


def naive_backward(df: pd.DataFrame, steps: int, k: float = 2.0) -> list[tuple[str, float]]:
    """step()'s backward loop with a fresh least-squares fit per candidate (drop1.lm's cost)."""
    y = df["y"].to_numpy()
    cols = [c for c in df.columns if c != "y"]
    X_all = df[cols].to_numpy()
    n = len(y)
    ones = np.ones((n, 1))

    def aic(use: list[int]) -> float:
        X = np.hstack([ones, X_all[:, use]])
        q, r = np.linalg.qr(X)
        resid = y - q @ (q.T @ y)
        return float(n * np.log(resid @ resid / n) + k * X.shape[1])

    cur = list(range(len(cols)))
    best = aic(cur)
    path = [("", best)]
    for _ in range(steps):
        cands = [(aic([c for c in cur if c != j]), j) for j in cur]
        a, j = min(cands, key=lambda t: t[0])  # first minimum, as R's stable order()
        if not a < best:
            break
        cur.remove(j)
        best = a
        path.append((f"- {cols[j]}", a))
    return path


def _rscript(csv: Path, steps: int) -> dict | None:
    if shutil.which("Rscript") is None:
        return None
    proc = subprocess.run(
        ["Rscript", str(ROOT / "r_scripts" / "step_reference.R"), "--data", str(csv), "--formula", "y ~ .",
         "--direction", "backward", "--steps", str(steps), "--no_drop1", "1"],
        capture_output=True, text=True, check=False, timeout=3600,
    )
    if proc.returncode != 0:
        _log(f"Rscript failed: {proc.stderr[-500:]}")
        return None
    return json.loads(proc.stdout)


def _parity(path_a: list[tuple[str, float]], path_b: list[tuple[str, float]]) -> str:
    same = [s for s, _ in path_a] == [s for s, _ in path_b]
    m = min(len(path_a), len(path_b))
    d = max(abs(a[1] - b[1]) for a, b in zip(path_a[:m], path_b[:m]))
    return f"{'same path' if same else 'DIFFERENT path'}, max |dAIC| {d:.1e}"


def run(quick: bool = False) -> list[dict]:
    from threadpoolctl import threadpool_limits

    from statprune.stepwise import stepwise

    cfg = QUICK if quick else FULL
    n, p, steps = cfg["n"], cfg["p"], cfg["steps"]
    df = _frame(n, p, seed=20260)
    case = f"OLS backward {n:,} x {p}, {steps} steps"
    rows: list[dict] = []
    with threadpool_limits(limits=1):
        stepwise(df.iloc[:200], "y ~ .", max_steps=1)  # warm-up (imports)
        t0 = time.perf_counter()
        res = stepwise(df, "y ~ .", max_steps=steps)
        t_sp = time.perf_counter() - t0
        sp_path = list(zip(res.steps["Step"], res.steps["AIC"]))
        _log(f"statprune {t_sp:.3f}s")
        t0 = time.perf_counter()
        res_full = stepwise(df, "y ~ .")
        t_full = time.perf_counter() - t0
        t0 = time.perf_counter()
        nv_path = naive_backward(df, steps)
        t_nv = time.perf_counter() - t0
        _log(f"naive {t_nv:.3f}s")
    rows.append({"case": case, "n": n, "p": p, "method": "statprune (sweep)", "seconds": t_sp, "ratio": 1.0,
                 "parity": "reference"})
    rows.append({"case": case, "n": n, "p": p, "method": "naive refit (numpy QR)", "seconds": t_nv,
                 "ratio": t_nv / t_sp, "parity": _parity(nv_path, sp_path)})
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "bench.csv"
        df.to_csv(csv, index=False, float_format="%.17g")
        ref = _rscript(csv, steps)
    if ref is not None:
        r_path = [(s["step"], s["aic"]) for s in ref["steps"]]
        rows.append({"case": case, "n": n, "p": p, "method": "R step() (Rscript)", "seconds": float(ref["seconds"]),
                     "ratio": float(ref["seconds"]) / t_sp, "parity": _parity(sp_path, r_path)})
        _log(f"R {ref['seconds']:.3f}s")
    else:
        rows.append({"case": case, "n": n, "p": p, "method": "R step() (Rscript)", "seconds": float("nan"),
                     "ratio": float("nan"), "parity": "R not available"})
    full_case = f"OLS backward {n:,} x {p}, to convergence ({len(res_full.steps) - 1} steps)"
    rows.append({"case": full_case, "n": n, "p": p, "method": "statprune (sweep)", "seconds": t_full, "ratio": 1.0,
                 "parity": "-"})
    for r in rows:
        r["bench"] = "stepwise"
        r["engine"] = r["method"]
    return rows


if __name__ == "__main__":  # pragma: no cover
    for row in run("--quick" in sys.argv):
        print(json.dumps(row, default=float))
