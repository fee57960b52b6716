"""Gaussian cross-validated lasso: R ``cv.glmnet`` vs statprune's Gram engine vs scikit-learn.

For each size, on the same seeded data and the same 10 folds:

* ``R cv.glmnet (Rscript)``: ``r_scripts/bench_cv_glmnet.R`` in a fresh ``Rscript``
  process; the time is R's own ``proc.time`` around ``cv.glmnet`` (data loading excluded);
* ``R cv.glmnet (bridge)``: the same call through statprune's R bridge, timed from
  Python (matrix transfer and result conversion included);
* ``statprune gram``: ``statprune.engines.gram.cv_glmnet_gram`` with default BLAS threads,
  and ``statprune gram (1 thread)`` with BLAS pinned to one thread (R's reference
  BLAS and glmnet are single-threaded);
* ``sklearn LassoCV``: on the globally standardized design (population sd, so
  sklearn's ``alpha`` is glmnet's ``lambda``) with glmnet's lambda sequence and the
  same folds.  (``skglm`` and ``glum`` are not dependencies of statprune and are
  not benchmarked.)

All at default settings (``thresh=1e-7``), plus one size at ``thresh=1e-14`` for
the tight parity numbers.  Run through ``python -m benchmarks.run_all``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._synth import make_foldid, make_regression

ROOT = Path(__file__).resolve().parent.parent
R_SCRIPT = ROOT / "r_scripts" / "bench_cv_glmnet.R"

# (n, p): an n-series at p = 100, a p-series at n = 10,000, the corner and the headline case
FULL_SIZES = [
    (1_000, 20),
    (1_000, 100), (3_000, 100), (10_000, 100), (30_000, 100), (100_000, 100),
    (10_000, 20), (10_000, 50), (10_000, 200), (10_000, 500),
    (100_000, 500),
]
QUICK_SIZES = [(1_000, 20), (3_000, 20), (10_000, 20), (3_000, 50), (3_000, 100)]
TIGHT_SIZE_FULL = (10_000, 100)
TIGHT_SIZE_QUICK = (3_000, 20)


def _log(msg: str) -> None:
    print(f"[bench_glmnet] {msg}", file=sys.stderr, flush=True)


def _best(f, repeats: int) -> tuple[float, Any]:
    best = np.inf
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _repeats(n: int, p: int) -> int:
    return 5 if n * p <= 1e6 else 3 if n * p <= 1e7 else 2


def _rscript(X: np.ndarray, y: np.ndarray, foldid: np.ndarray, thresh: float) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="statprune-bench-"))
    try:
        np.asfortranarray(X).T.astype("<f8").tofile(tmp / "x.bin")  # column-major
        y.astype("<f8").tofile(tmp / "y.bin")
        foldid.astype("<i4").tofile(tmp / "foldid.bin")
        t0 = time.perf_counter()
        proc = subprocess.run(
            ["Rscript", str(R_SCRIPT), str(tmp), str(X.shape[0]), str(X.shape[1]), repr(thresh)],
            capture_output=True, text=True, check=False,
        )
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"Rscript failed: {proc.stderr[-2000:]}")
        out = json.loads(proc.stdout)
        out["wall"] = wall
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _coef_at(path: dict, s: float) -> np.ndarray:
    from statprune._glmnet.rules import lambda_interp as _lambda_interp

    left, right, frac = _lambda_interp(path["lambda"], np.array([s]))
    b = path["beta"][:, left[0]] * frac[0] + path["beta"][:, right[0]] * (1 - frac[0])
    a0 = path["a0"][left[0]] * frac[0] + path["a0"][right[0]] * (1 - frac[0])
    return np.concatenate([[a0], b])


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def _parity_vs_r(out: dict, ref: dict) -> dict:
    lam_r = np.asarray(ref["lambda"], float)
    L = min(len(lam_r), len(out["lambda"]))
    return {
        "n_lambda": f"{len(out['lambda'])}/{len(lam_r)}",
        "lambda_rel": _rel(out["lambda"][:L], lam_r[:L]),
        "cvm_rel": _rel(out["cvm"][:L], np.asarray(ref["cvm"], float)[:L]),
        "coef_min_rel": _rel(_coef_at(out, ref["lambda_min"]), np.asarray(ref["coef_min"], float)),
        "same_lambda_min": bool(int(out["index_min"]) == int(ref["index_min"])),
        "same_lambda_1se": bool(int(out["index_1se"]) == int(ref["index_1se"])),
    }


def _sklearn_lassocv(X: np.ndarray, y: np.ndarray, foldid: np.ndarray, lambdas: np.ndarray) -> tuple[float, Any, Any]:
    from sklearn.linear_model import LassoCV

    splits = [(np.nonzero(foldid != k)[0], np.nonzero(foldid == k)[0]) for k in range(1, int(foldid.max()) + 1)]

    def fit():
        mu = X.mean(axis=0)
        sd = X.std(axis=0)
        Xs = (X - mu) / sd
        m = LassoCV(alphas=lambdas, cv=splits, max_iter=100_000).fit(Xs, y)
        coef = m.coef_ / sd
        return m, np.concatenate([[m.intercept_ - mu @ coef], coef])

    t, (model, coef) = _best(fit, 1)
    return t, model, coef


def run(quick: bool = False) -> list[dict]:
    from threadpoolctl import threadpool_limits

    from statprune import _r
    from statprune.engines import gram as _gram
    from tests.helpers import call_test_r  # the test-only R reference (tests/r/gram.R); run from the checkout

    sizes = QUICK_SIZES if quick else FULL_SIZES
    tight = TIGHT_SIZE_QUICK if quick else TIGHT_SIZE_FULL
    rows: list[dict] = []
    have_r = shutil.which("Rscript") is not None and _r.is_available()
    if have_r:
        _r.require_r_packages("glmnet", "jsonlite")
    # compile the numba kernels once (cached on disk afterwards)
    d0 = make_regression(200, 5, seed=0)
    _gram.cv_glmnet_gram(d0.X, d0.y, foldid=make_foldid(200))

    def add(case: dict, engine: str, seconds: float, **extra: Any) -> None:
        rows.append({"bench": "glmnet", **case, "engine": engine, "seconds": seconds, **extra})

    for n, p in sizes:
        data = make_regression(n, p, sparsity=max(5, p // 20), rho=0.5, seed=n + p)
        X, y = data.X, data.y
        foldid = make_foldid(n, 10, seed=n + p)
        case = {"case": f"{n:,} x {p}", "n": n, "p": p, "thresh": 1e-7}
        _log(f"{case['case']}")
        reps = _repeats(n, p)
        t_gram, out = _best(lambda: _gram.cv_glmnet_gram(X, y, foldid=foldid), reps)
        with threadpool_limits(limits=1):
            t_gram1, _ = _best(lambda: _gram.cv_glmnet_gram(X, y, foldid=foldid), reps)
        ref = None
        if have_r:
            ref = _rscript(X, y, foldid, 1e-7)
            add(case, "R cv.glmnet (Rscript)", float(ref["seconds"]), speedup_of_gram=float(ref["seconds"]) / t_gram)
            t0 = time.perf_counter()
            bridged = call_test_r("gram", "gram_cv_reference", X, y, foldid.astype(float), None, {})
            t_bridge = time.perf_counter() - t0
            add(case, "R cv.glmnet (bridge)", t_bridge, speedup_of_gram=t_bridge / t_gram,
                r_side_seconds=float(bridged["elapsed"]))
        parity = _parity_vs_r(out, ref) if ref is not None else {}
        add(case, "statprune gram", t_gram, **parity)
        add(case, "statprune gram (1 thread)", t_gram1)
        t_sk, model, coef_sk = _sklearn_lassocv(X, y, foldid, out["lambda"])
        glm_at = _coef_at(out, float(model.alpha_))
        idx_sk = int(np.argmin(np.abs(out["lambda"] - model.alpha_))) + 1
        add(case, "sklearn LassoCV", t_sk, speedup_of_gram=t_sk / t_gram,
            coef_rel_vs_glmnet=_rel(coef_sk, glm_at), alpha_index=idx_sk, glmnet_index_min=int(out["index_min"]))
        del X, y, data

    # tight-threshold parity (both sides converged)
    n, p = tight
    data = make_regression(n, p, sparsity=max(5, p // 20), rho=0.5, seed=n + p)
    foldid = make_foldid(n, 10, seed=n + p)
    case = {"case": f"{n:,} x {p}", "n": n, "p": p, "thresh": 1e-14}
    _log(f"{case['case']} thresh=1e-14")
    t_gram, out = _best(lambda: _gram.cv_glmnet_gram(data.X, data.y, foldid=foldid, thresh=1e-14), 3)
    if have_r:
        ref = _rscript(data.X, data.y, foldid, 1e-14)
        add(case, "R cv.glmnet (Rscript)", float(ref["seconds"]), speedup_of_gram=float(ref["seconds"]) / t_gram)
        add(case, "statprune gram", t_gram, **_parity_vs_r(out, ref))
    else:
        add(case, "statprune gram", t_gram)
    return rows


if __name__ == "__main__":  # pragma: no cover
    quick = "--quick" in sys.argv
    for row in run(quick):
        print(json.dumps(row, default=float))

