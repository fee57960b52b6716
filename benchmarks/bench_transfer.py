"""R matrix transfer (issue 3): statprune's buffer copy vs rpy2's ``numpy2ri``.

A ``100,000 x 500`` float64 matrix (400 MB) goes from numpy into an R double
matrix, C-ordered and Fortran-ordered input, best of 3.  The fast path
(``statprune._r.r_matrix``) lays the data out in Fortran order (free for
F-ordered input) and copies the buffer into an R vector in one ``memcpy``; the
round trip back to numpy is checked bit for bit.
"""

from __future__ import annotations

import gc
import json
import sys
import time

import numpy as np

FULL = (100_000, 500)
QUICK = (20_000, 100)


def _best(f, repeats: int = 3) -> float:
    best = np.inf
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        obj = f()
        best = min(best, time.perf_counter() - t0)
        del obj
    return best


def run(quick: bool = False) -> list[dict]:
    from statprune import _r

    if not _r.is_available():
        return [{"bench": "transfer", "case": "R not available", "engine": "-", "seconds": float("nan")}]
    n, p = QUICK if quick else FULL
    rng = np.random.default_rng(42)
    xc = rng.standard_normal((n, p))
    xf = np.asfortranarray(xc)
    back = _r.matrix_from_r(_r.r_matrix(xc))
    exact = bool(np.array_equal(back, xc))
    rows = []
    for order, x in (("C", xc), ("F", xf)):
        t_fast = _best(lambda: _r.r_matrix(x))
        t_slow = _best(lambda: _r.numpy2ri_matrix(x))
        case = {"bench": "transfer", "case": f"{n:,} x {p} ({order}-ordered, {x.nbytes / 1e6:.0f} MB)",
                "n": n, "p": p, "order": order}
        rows.append({**case, "engine": "statprune r_matrix (buffer)", "seconds": t_fast,
                     "speedup_vs_numpy2ri": t_slow / t_fast, "round_trip_exact": exact})
        rows.append({**case, "engine": "rpy2 numpy2ri", "seconds": t_slow})
    return rows


if __name__ == "__main__":  # pragma: no cover
    for row in run("--quick" in sys.argv):
        print(json.dumps(row, default=float))
