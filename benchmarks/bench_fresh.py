"""Fresh-process and warm times of cross-validated lasso: R ``cv.glmnet`` vs statprune vs Python peers.

One run, same seeded data and the same 10 folds for every tool, BLAS pinned to one
thread everywhere (R's reference BLAS is single-threaded):

* ``R cv.glmnet, fresh``: a new ``Rscript`` process (``r_scripts/bench_cv_glmnet_family.R``):
  ``wall`` is the whole process (start, ``library(glmnet)``, reading the binary data,
  ``cv.glmnet``), ``seconds`` R's own ``proc.time`` around ``cv.glmnet``;
* ``statprune ..., fresh``: a new ``python`` process that imports statprune, loads the
  same data (``.npy``) and runs the CV: ``wall`` is the whole process, ``seconds`` the
  call.  ``statprune.engines.gram.cv_glmnet_gram`` is the engine; ``GlmnetCV(engine="gram")`` adds the
  scikit-learn estimator layer (importing scikit-learn/pandas);
* ``... warm``: the same call again in an already warm process (best of a few);
* peers, each in its own process (time of the fit only, imports excluded, at most
  ``PEER_TIMEOUT``), at their default tolerances: scikit-learn ``LassoCV`` /
  ``LogisticRegressionCV``, glum ``GeneralizedLinearRegressorCV``, skglm (a warm-started
  path per fold: it has no CV class), each given glmnet's lambda sequence on glmnet's
  standardised design and the same folds (``pip install -e .[bench]``).  adelie is not
  in the extra: its wheels (1.1.52) need numpy < 2, which this project's pandas/scipy
  do not allow.

Agreement is measured at ``thresh=1e-14`` (both converged), against R's answer at
``thresh=1e-14``: ``same_lambda_min`` (the chosen index), ``lambda_min_rel``, and
``coef_rel`` (max |difference| of the coefficients at lambda.min, intercept included,
over the largest |coefficient|).  Peers are compared at their own chosen lambda with
R's coefficients at R's lambda.min (so a different choice shows up there too).
Times are at glmnet's default ``thresh=1e-7``.
"""

from __future__ import annotations

import json
import os
import resource
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
R_SCRIPT = ROOT / "r_scripts" / "bench_cv_glmnet_family.R"
TIGHT = 1e-14
DEFAULT = 1e-7

FULL = [("gaussian", 20_000, 200), ("gaussian", 100_000, 500), ("binomial", 20_000, 200),
        ("binomial", 100_000, 200), ("poisson", 20_000, 200), ("poisson", 100_000, 200)]
QUICK = [("gaussian", 5_000, 50), ("binomial", 3_000, 30), ("poisson", 3_000, 30)]
PEER_MAX_CELLS = 4_000_000  # peers only up to 20,000 x 200 (they take minutes beyond)

_ENV = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}

# the fresh statprune process: argv = dir family thresh mode
_FRESH = r"""
import sys, time
t0 = time.perf_counter()
import numpy as np
d, family, thresh, mode = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
X = np.load(d + "/X.npy"); y = np.load(d + "/y.npy"); foldid = np.load(d + "/foldid.npy")
t1 = time.perf_counter(); c1 = time.process_time()
if mode == "engine":
    from statprune.engines.fast import cv_glmnet_fast as _engine_cv
    out = _engine_cv(X, y, family=family, foldid=foldid, thresh=thresh)
    lam_min = out["lambda_min"]
else:
    from statprune.lasso import GlmnetCV
    est = GlmnetCV(family=family, engine="gram", foldid=foldid, thresh=thresh).fit(X, y)
    lam_min = est.lambda_min_
t2 = time.perf_counter()
import json
print(json.dumps({"seconds": t2 - t1, "cpu_seconds": time.process_time() - c1, "load": t1 - t0, "lambda_min": float(lam_min),
                  "rpy2": "rpy2" in sys.modules, "numba": "numba" in sys.modules}))
"""


def _log(msg: str) -> None:
    print(f"[bench_fresh] {msg}", file=sys.stderr, flush=True)


def _data(family: str, n: int, p: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = make_regression(n, p, sparsity=max(5, p // 20), rho=0.5, seed=seed)
    X = d.X
    rng = np.random.default_rng(seed + 1)
    if family == "gaussian":
        y = d.y
    else:
        eta = X @ d.beta
        eta = eta / max(np.std(eta), 1e-12)
        if family == "binomial":
            y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
        else:
            y = rng.poisson(np.exp(0.5 * eta)).astype(float)
    return X, y, make_foldid(n, 10, seed=seed)


def _write(tmp: Path, X: np.ndarray, y: np.ndarray, foldid: np.ndarray) -> None:
    np.asfortranarray(X).T.astype("<f8").tofile(tmp / "x.bin")
    y.astype("<f8").tofile(tmp / "y.bin")
    foldid.astype("<i4").tofile(tmp / "foldid.bin")
    np.save(tmp / "X.npy", X)
    np.save(tmp / "y.npy", y)
    np.save(tmp / "foldid.npy", foldid)


def _child_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _rscript(tmp: Path, n: int, p: int, family: str, thresh: float) -> dict:
    c0 = _child_cpu()
    t0 = time.perf_counter()
    proc = subprocess.run(["Rscript", str(R_SCRIPT), str(tmp), str(n), str(p), family, repr(thresh)],
                          capture_output=True, text=True, env=_ENV, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"Rscript failed: {proc.stderr[-2000:]}")
    out = json.loads(proc.stdout)
    out["wall"] = wall
    out["cpu"] = _child_cpu() - c0
    return out


def _fresh(tmp: Path, family: str, thresh: float, mode: str) -> dict:
    c0 = _child_cpu()
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _FRESH, str(tmp), family, repr(thresh), mode],
                          capture_output=True, text=True, env=_ENV, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"fresh statprune process failed: {proc.stderr[-2000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall"] = wall
    out["cpu"] = _child_cpu() - c0
    return out


def _rel(a: Any, b: Any) -> float:
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def _coef_at(out: dict, s: float) -> np.ndarray:
    from statprune._glmnet.rules import lambda_interp as _lambda_interp

    left, right, frac = _lambda_interp(np.asarray(out["lambda"]), np.array([s]))
    beta = np.asarray(out["beta"]).reshape(-1, len(out["lambda"]))
    a0 = np.asarray(out["a0"]).reshape(-1)
    b = beta[:, left[0]] * frac[0] + beta[:, right[0]] * (1 - frac[0])
    a = a0[left[0]] * frac[0] + a0[right[0]] * (1 - frac[0])
    return np.concatenate([[a], b])


def _agreement(out: dict, ref: dict) -> dict:
    return {
        "same_lambda_min": bool(int(out["index_min"]) == int(ref["index_min"])),
        "lambda_min_rel": abs(float(out["lambda_min"]) - float(ref["lambda_min"])) / float(ref["lambda_min"]),
        "coef_rel": _rel(_coef_at(out, float(ref["lambda_min"])), ref["coef_min"]),
    }


def _best(f, k: int) -> tuple[float, Any]:
    best, out = np.inf, None
    for _ in range(k):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out


# ----------------------------------------------------------------------------- peers


def _standardized(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mu = X.mean(axis=0)
    sd = X.std(axis=0)
    return (X - mu) / sd, mu, sd


def _splits(foldid: np.ndarray) -> list:
    return [(np.nonzero(foldid != k)[0], np.nonzero(foldid == k)[0]) for k in range(1, int(foldid.max()) + 1)]


PEERS = {
    "gaussian": ["sklearn LassoCV", "glum GeneralizedLinearRegressorCV", "skglm (path per fold)"],
    "binomial": ["sklearn LogisticRegressionCV", "glum GeneralizedLinearRegressorCV", "skglm (path per fold)"],
    "poisson": ["glum GeneralizedLinearRegressorCV", "skglm (path per fold)"],
}
PEER_TIMEOUT = 240.0  # seconds of wall time per peer and case; slower peers are reported as such


def _peer_fit(name: str, family: str, Xs: np.ndarray, y: np.ndarray, foldid: np.ndarray,
              lam: np.ndarray) -> tuple[float, np.ndarray, float]:
    """(chosen lambda, coefficients on the standardized scale, intercept), each peer at its defaults."""
    splits = _splits(foldid)
    n = Xs.shape[0]
    if name == "sklearn LassoCV":
        from sklearn.linear_model import LassoCV

        m = LassoCV(alphas=lam, cv=splits).fit(Xs, y)
        return float(m.alpha_), m.coef_, float(m.intercept_)
    if name == "sklearn LogisticRegressionCV":
        from sklearn.linear_model import LogisticRegressionCV

        # sklearn: C * sum(logloss) + |b|_1  ==  (1/n) sum(logloss) + lambda |b|_1  with C = 1 / (n lambda)
        m = LogisticRegressionCV(Cs=1.0 / (n * lam), cv=splits, penalty="l1", solver="saga", scoring="neg_log_loss",
                                 max_iter=1000).fit(Xs, y)
        return float(1.0 / (n * m.C_[0])), m.coef_.ravel(), float(m.intercept_[0])
    if name == "glum GeneralizedLinearRegressorCV":
        from glum import GeneralizedLinearRegressorCV

        m = GeneralizedLinearRegressorCV(family="normal" if family == "gaussian" else family, l1_ratio=1.0,
                                         alphas=lam, cv=splits, scale_predictors=False, n_jobs=1).fit(Xs, y)
        return float(m.alpha_), m.coef_, float(m.intercept_)
    if name == "skglm (path per fold)":
        from skglm import GeneralizedLinearEstimator
        from skglm.datafits import Logistic, Poisson, Quadratic
        from skglm.penalties import L1
        from skglm.solvers import AndersonCD, ProxNewton

        # skglm has no CV class: a warm-started path per fold, glmnet's deviance on the held-out rows
        yy = 2 * y - 1 if family == "binomial" else y

        def make(a: float) -> Any:
            if family == "gaussian":
                return GeneralizedLinearEstimator(Quadratic(), L1(a), AndersonCD(warm_start=True, fit_intercept=True))
            datafit = Logistic() if family == "binomial" else Poisson()
            return GeneralizedLinearEstimator(datafit, L1(a), ProxNewton(warm_start=True, fit_intercept=True))

        cvm = np.zeros(len(lam))
        for tr, te in splits:
            est = make(lam[0])
            for j, a in enumerate(lam):
                est.penalty.alpha = a
                est.fit(Xs[tr], yy[tr])
                eta = Xs[te] @ est.coef_ + est.intercept_
                if family == "gaussian":
                    cvm[j] += np.sum((y[te] - eta) ** 2)
                elif family == "binomial":
                    cvm[j] += np.sum(np.logaddexp(0, eta) - y[te] * eta)
                else:
                    cvm[j] += np.sum(np.exp(eta) - y[te] * eta)
        a = float(lam[int(np.argmin(cvm))])
        full = make(a).fit(Xs, yy)
        return a, full.coef_, float(full.intercept_)
    raise KeyError(name)


def _peer_rows(family: str, tmp: Path, X: np.ndarray, lam: np.ndarray, ref: dict) -> list[dict]:
    """Each peer in its own process (bounded by PEER_TIMEOUT), BLAS on one thread."""
    rows: list[dict] = []
    _, mu, sd = _standardized(X)
    np.save(tmp / "lambda.npy", lam)
    for name in PEERS[family]:
        try:
            proc = subprocess.run([sys.executable, "-m", "benchmarks.bench_fresh", "--peer", name, str(tmp), family],
                                  capture_output=True, text=True, env=_ENV, cwd=ROOT, timeout=PEER_TIMEOUT,
                                  check=False)
        except subprocess.TimeoutExpired:
            rows.append({"engine": name, "seconds": float("nan"), "note": f"did not finish in {PEER_TIMEOUT:.0f} s"})
            continue
        if proc.returncode != 0:
            rows.append({"engine": name, "seconds": float("nan"), "note": proc.stderr.strip().splitlines()[-1][:120]})
            continue
        got = json.loads(proc.stdout.strip().splitlines()[-1])
        coef = np.asarray(got["coef"]) / sd
        full = np.concatenate([[got["intercept"] - mu @ coef], coef])
        i = int(np.argmin(np.abs(lam - got["lambda"]))) + 1
        rows.append({"engine": name, "seconds": got["seconds"], "cpu_seconds": got["cpu_seconds"], "same_lambda_min": i == int(ref["index_min"]),
                     "lambda_min_rel": abs(got["lambda"] - float(ref["lambda_min"])) / float(ref["lambda_min"]),
                     "coef_rel": _rel(full, ref["coef_min"])})
    return rows


def _peer_main(name: str, d: str, family: str) -> None:
    X = np.load(d + "/X.npy")
    y = np.load(d + "/y.npy")
    foldid = np.load(d + "/foldid.npy")
    lam = np.load(d + "/lambda.npy")
    Xs, _, _ = _standardized(X)
    t0 = time.perf_counter()
    c0 = time.process_time()
    a, coef, icpt = _peer_fit(name, family, Xs, y, foldid, lam)
    t = time.perf_counter() - t0
    print(json.dumps({"lambda": a, "coef": np.asarray(coef, float).ravel().tolist(), "intercept": icpt, "seconds": t,
                      "cpu_seconds": time.process_time() - c0}))


# ----------------------------------------------------------------------------- run


def run(quick: bool = False) -> list[dict]:
    from threadpoolctl import threadpool_limits

    from statprune.engines.fast import cv_glmnet_fast as _engine_cv

    rows: list[dict] = []
    have_r = shutil.which("Rscript") is not None
    for family, n, p in (QUICK if quick else FULL):
        case = {"bench": "fresh", "case": f"{family} {n:,} x {p}", "family": family, "n": n, "p": p}
        _log(case["case"])
        X, y, foldid = _data(family, n, p, seed=n + p)
        tmp = Path(tempfile.mkdtemp(prefix="statprune-fresh-"))
        try:
            _write(tmp, X, y, foldid)
            ref = _rscript(tmp, n, p, family, TIGHT) if have_r else None
            r = {}
            if have_r:
                r = _rscript(tmp, n, p, family, DEFAULT)
                rows.append({**case, "engine": "R cv.glmnet, fresh Rscript", "wall": r["wall"], "cpu": r["cpu"],
                             "seconds": r["seconds"], "cpu_seconds": r["cpu_seconds"],
                             "library_glmnet": r["load_seconds"]})
            nan = float("nan")
            for mode, label in (("engine", "statprune engine"), ("estimator", "statprune GlmnetCV(engine='gram')")):
                f = _fresh(tmp, family, DEFAULT, mode)
                rows.append({**case, "engine": f"{label}, fresh process", "wall": f["wall"], "cpu": f["cpu"],
                             "seconds": f["seconds"], "cpu_seconds": f["cpu_seconds"],
                             "x_vs_R_wall": r.get("wall", nan) / f["wall"], "x_vs_R_cpu": r.get("cpu", nan) / f["cpu"],
                             "imports_rpy2": f["rpy2"], "imports_numba": f["numba"]})
            with threadpool_limits(limits=1):
                _engine_cv(X, y, family=family, foldid=foldid, thresh=DEFAULT)
                t_warm, _ = _best(lambda: _engine_cv(X, y, family=family, foldid=foldid, thresh=DEFAULT), 2)
                c0 = time.process_time()
                _engine_cv(X, y, family=family, foldid=foldid, thresh=DEFAULT)
                c_warm = time.process_time() - c0
                out = _engine_cv(X, y, family=family, foldid=foldid, thresh=TIGHT)
            agree = _agreement(out, ref) if ref is not None else {}
            rows.append({**case, "engine": "statprune engine, warm", "seconds": t_warm, "cpu_seconds": c_warm,
                         "x_vs_R_call_wall": r.get("seconds", nan) / t_warm,
                         "x_vs_R_call_cpu": r.get("cpu_seconds", nan) / c_warm, "engine_used": out.get("engine"),
                         **agree})
            if ref is not None and n * p <= PEER_MAX_CELLS:
                lam = np.asarray(ref["lambda"], float)
                for pr in _peer_rows(family, tmp, X, lam, ref):
                    sec = pr.get("seconds", nan)
                    rows.append({**case, **pr, "x_vs_R_call_wall": r.get("seconds", nan) / sec if sec else nan,
                                 "x_vs_R_call_cpu": r.get("cpu_seconds", nan) / pr.get("cpu_seconds", nan)
                                 if pr.get("cpu_seconds") else nan})
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return rows


DOCS = ROOT / "docs" / "performance.md"
DOCS_START = "<!-- bench_fresh:start (generated by `make bench`; do not edit) -->"
DOCS_END = "<!-- bench_fresh:end -->"
_DOC_COLS = [("case", "case"), ("engine", "engine"), ("cpu", "process CPU s"), ("wall", "process wall s"),
             ("cpu_seconds", "call CPU s"), ("seconds", "call wall s"), ("x_vs_R_cpu", "x R process CPU"),
             ("x_vs_R_wall", "x R process wall"), ("x_vs_R_call_cpu", "x R call CPU"),
             ("x_vs_R_call_wall", "x R call wall"), ("same_lambda_min", "same lambda.min"),
             ("lambda_min_rel", "lambda.min rel"), ("coef_rel", "coef rel"), ("note", "note")]


def _cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        a = abs(v)
        if a == 0:
            return "0"
        return f"{v:.3g}" if 1e-3 <= a < 1e4 else f"{v:.1e}"
    return str(v)


def docs_table(rows: list[dict]) -> str:
    """The markdown table ``make bench`` writes into docs/performance.md."""
    lines = ["| " + " | ".join(h for _, h in _DOC_COLS) + " |", "|" + "---|" * len(_DOC_COLS)]
    for r in rows:
        if r.get("bench", "fresh") != "fresh":
            continue
        lines.append("| " + " | ".join(_cell(r.get(k)) for k, _ in _DOC_COLS) + " |")
    return "\n".join(lines)


def update_docs(rows: list[dict], note: str) -> None:
    """Replace the generated section of docs/performance.md (atomically)."""
    from statprune._data import write_atomic

    text = DOCS.read_text()
    i, j = text.find(DOCS_START), text.find(DOCS_END)
    if i < 0 or j < i:
        raise RuntimeError(f"{DOCS} lacks the markers {DOCS_START!r} ... {DOCS_END!r}")
    body = f"{DOCS_START}\n\n{note}\n\n{docs_table(rows)}\n\n"
    write_atomic(DOCS, text[:i] + body + text[j:])


if __name__ == "__main__":  # pragma: no cover
    if len(sys.argv) > 1 and sys.argv[1] == "--peer":
        _peer_main(sys.argv[2], sys.argv[3], sys.argv[4])
        sys.exit(0)
    for row in run("--quick" in sys.argv):
        print(json.dumps(row, default=float))
