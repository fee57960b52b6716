"""Cross-validated lasso, one run, every tool: R ``cv.glmnet`` vs statprune (fresh and warm) vs Python peers.

Same seeded data (:func:`case_data`) and the same 10 folds for every tool, BLAS pinned to one
thread everywhere (R's reference BLAS is single-threaded). Cases: gaussian 20,000 x 200 and
100,000 x 500, binomial and poisson 20,000 x 200 and 100,000 x 200, multinomial 20,000 x 200
when this checkout's fast engine covers multinomial (probed; otherwise a row says so).

* ``R cv.glmnet``: a new ``Rscript`` (``r_scripts/bench_cv_glmnet_family.R``) reading the
  binary data. ``cpu``/``wall``: the whole Rscript process (start, ``library(glmnet)``,
  reading, ``cv.glmnet``); ``fit_cpu``/``fit_wall``: R's ``proc.time()`` around ``cv.glmnet``.
* ``statprune ..., fresh process``: a new ``python`` that imports statprune, loads the same data
  (``.npy``) and runs the CV once: ``wall`` from launching the process to having the answer,
  ``cpu`` the process's CPU up to then (interpreter start and imports included); ``fit_*`` the
  call alone. Three entry points: ``statprune.engines.fast.cv_glmnet_fast`` (numpy only),
  ``GlmnetCV(engine="gram").fit`` (adds the scikit-learn estimator layer), and the command
  ``statprune lasso data.parquet --engine gram --fold-column fold`` (reads the Parquet file,
  writes ``--json``; a separate process per run).
* ``... warm``: the second identical fit in the same fresh process (``fit_*`` only).
* peers, each in its own process (fit time only, imports and data loading excluded; at most
  ``PEER_TIMEOUT`` seconds of wall time), each at its default tolerance, given glmnet's lambda
  sequence, glmnet's standardised design (population sd) and the same folds:
  scikit-learn ``LassoCV`` / ``LogisticRegressionCV(penalty="l1", solver="saga")`` /
  ``PoissonRegressor`` (a warm-started path per fold: scikit-learn has no L1 Poisson, so this is
  the ridge problem at the same penalty values, timed for reference and not expected to agree),
  glum ``GeneralizedLinearRegressorCV``, skglm (a warm-started path per fold: no CV class), and
  adelie ``grpnet`` (a path per fold; groups of one = the lasso). adelie needs numpy < 2, which
  this project's pandas/scipy do not allow: it runs from its own virtual environment
  (``.venv-bench-adelie`` at the checkout's root, created on first use by :func:`adelie_python`);
  if pip cannot install it, its rows say "not installed". ``STATPRUNE_BENCH_PEERS=sklearn,glum``
  runs only the peers whose names start so (``none``: no peer).

Agreement with glmnet's answer (R at ``thresh=1e-14``; statprune also at ``1e-14``, in the same
process after the timed fits; peers at their defaults): ``same_lambda_min`` (the chosen index),
``lambda_min_rel``, ``coef_rel`` (max |difference| of the coefficients at R's lambda.min,
intercept included, over the largest |coefficient|; for a peer: its coefficients at its own choice)
and ``cvm_rel`` (max |difference| of the CV curve over max |R's cvm|, where the tool gives one:
for peers computed from their fold paths with glmnet's measure). Times are at glmnet's default
``thresh=1e-7``. ``x_R_*``: R's time over the row's (process total over process total for fresh
rows; fit over fit for warm and peer rows).
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
ADELIE_VENV = ROOT / ".venv-bench-adelie"
TIGHT = 1e-14
DEFAULT = 1e-7
NFOLDS = 10

FULL = [("gaussian", 20_000, 200), ("gaussian", 100_000, 500), ("binomial", 20_000, 200),
        ("binomial", 100_000, 200), ("poisson", 20_000, 200), ("poisson", 100_000, 200),
        ("multinomial", 20_000, 200)]
QUICK = [("gaussian", 2_000, 20), ("binomial", 2_000, 20), ("poisson", 2_000, 20), ("multinomial", 2_000, 20)]
PEER_MAX_CELLS = 4_000_000  # peers up to 20,000 x 200: beyond, each takes minutes (issue 16's table)
# seconds of wall time per peer and case (STATPRUNE_BENCH_PEER_TIMEOUT); slower peers are reported as such
PEER_TIMEOUT = float(os.environ.get("STATPRUNE_BENCH_PEER_TIMEOUT", "240"))
PARTIAL = ROOT / "benchmarks" / "out" / "bench_fresh.partial.json"  # the rows so far, rewritten after each case



def _child_env() -> dict:
    """The children's environment: one BLAS thread, this checkout first on the path, no R library path.

    Starting the embedded R in this process (run_all's provenance does) prepends R's library
    folders, among them ``/usr/lib/x86_64-linux-gnu``, to ``LD_LIBRARY_PATH``; a child Python
    would then load system libraries in place of its wheels' (pyarrow fails to import).
    """
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    if "/usr/lib/R/lib" in env.get("LD_LIBRARY_PATH", "").split(":"):
        env.pop("LD_LIBRARY_PATH")
    return env

PEERS = {
    "gaussian": ["sklearn LassoCV", "glum", "skglm", "adelie"],
    "binomial": ["sklearn LogisticRegressionCV", "glum", "skglm", "adelie"],
    "poisson": ["sklearn PoissonRegressor (L2 only)", "glum", "skglm", "adelie"],
    "multinomial": [],
}


def _log(msg: str) -> None:
    print(f"[bench_fresh] {msg}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- data


def case_data(family: str, n: int, p: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seeded X (AR(1) design, :mod:`benchmarks._synth`), y of ``family`` and balanced 10-fold ids."""
    d = make_regression(n, p, sparsity=max(5, p // 20), rho=0.5, seed=seed)
    X = d.X
    rng = np.random.default_rng(seed + 1)
    if family == "gaussian":
        y = d.y
    else:
        eta = X @ d.beta
        eta = (eta - eta.mean()) / max(np.std(eta), 1e-12)
        if family == "binomial":
            y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
        elif family == "poisson":
            y = rng.poisson(np.exp(0.5 * eta)).astype(float)
        else:  # three classes: softmax of (0, eta, -eta / 2)
            logits = np.stack([np.zeros(n), eta, -0.5 * eta], axis=1)
            prob = np.exp(logits - logits.max(axis=1, keepdims=True))
            prob /= prob.sum(axis=1, keepdims=True)
            y = (rng.random(n)[:, None] > np.cumsum(prob, axis=1)).sum(axis=1).astype(float) + 1
    return X, y, make_foldid(n, NFOLDS, seed=seed)


def _write(tmp: Path, X: np.ndarray, y: np.ndarray, foldid: np.ndarray) -> None:
    """The same data for every tool: binary (R), .npy (Python), Parquet (the command line)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    np.asfortranarray(X).T.astype("<f8").tofile(tmp / "x.bin")
    y.astype("<f8").tofile(tmp / "y.bin")
    foldid.astype("<i4").tofile(tmp / "foldid.bin")
    np.save(tmp / "X.npy", X)
    np.save(tmp / "y.npy", y)
    np.save(tmp / "foldid.npy", foldid)
    cols = {f"x{j + 1}": X[:, j] for j in range(X.shape[1])}
    cols["y"] = y
    cols["fold"] = foldid.astype(np.int64)
    pq.write_table(pa.table(cols), tmp / "data.parquet", compression="NONE")
    # every tool then finds the files written back and cached: without this, the first process to read
    # them (at 100,000 x 500, 400 MB) paid about 1 s of CPU for the write-back of the others
    os.sync()
    for f in tmp.iterdir():
        with open(f, "rb") as fh:
            while fh.read(1 << 24):
                pass


def _child_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _run(cmd: list[str], *, timeout: float | None = None, what: str) -> tuple[subprocess.CompletedProcess, float, float]:
    c0 = _child_cpu()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_child_env(), cwd=ROOT, timeout=timeout, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
        raise RuntimeError(f"{what} failed (exit {proc.returncode}): {' / '.join(lines[-4:])[-600:]}")
    return proc, wall, _child_cpu() - c0


def _last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- R


def rscript(tmp: Path, n: int, p: int, family: str, thresh: float) -> dict:
    """cv.glmnet in a fresh Rscript: R's answer, R's fit times and the process's wall/CPU."""
    proc, wall, cpu = _run(["Rscript", str(R_SCRIPT), str(tmp), str(n), str(p), family, repr(thresh)], what="Rscript")
    out = json.loads(proc.stdout)
    out.update(wall=wall, cpu=cpu)
    return out


# ----------------------------------------------------------------------------- statprune

# a fresh statprune process: argv = dir family mode; prints one JSON line
_FRESH = r"""
import time
t_start = time.time()
import json, resource, sys
d, family, mode, default, tight = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
import numpy as np
X = np.load(d + "/X.npy"); y = np.load(d + "/y.npy"); foldid = np.load(d + "/foldid.npy")
if mode == "engine" and family == "multinomial":  # classes 1..K: R's factor levels in order
    from statprune.engines.multinomial import cv_glmnet_multinomial
    def fit(thresh):
        out = cv_glmnet_multinomial(X, (y - 1).astype(np.int64), foldid=foldid, thresh=thresh)
        return {**{k: out[k] for k in ("lambda", "cvm", "a0", "beta", "index_min", "lambda_min")}, "engine": "multinomial"}
elif mode == "engine":
    from statprune.engines.fast import cv_glmnet_fast
    def fit(thresh):
        out = cv_glmnet_fast(X, y, family=family, foldid=foldid, thresh=thresh)
        return {k: out[k] for k in ("lambda", "cvm", "a0", "beta", "index_min", "lambda_min", "engine")}
else:
    from statprune.lasso import GlmnetCV
    def fit(thresh):
        r = GlmnetCV(family=family, engine="gram", foldid=foldid, thresh=thresh).fit(X, y).result_
        return {"lambda": r.lambdas, "cvm": r.cvm, "a0": r.a0, "beta": r.beta, "index_min": r.index_min,
                "lambda_min": r.lambda_min, "engine": r.provenance.get("engine")}
def timed(thresh):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fit(thresh)
    return out, time.perf_counter() - t0, time.process_time() - c0
first, fit_wall, fit_cpu = timed(default)
t_answer = time.time()
ru = resource.getrusage(resource.RUSAGE_SELF)
cpu_to_answer = ru.ru_utime + ru.ru_stime
modules = {"rpy2": "rpy2" in sys.modules, "numba": "numba" in sys.modules, "sklearn": "sklearn" in sys.modules}
_, warm_wall, warm_cpu = timed(default)
tight_out, _, _ = timed(tight)
def plain(v):
    a = np.asarray(v)
    return a.tolist() if a.dtype.kind in "fiub" else str(v)
print(json.dumps({"t_answer": t_answer, "t_start": t_start, "cpu_to_answer": cpu_to_answer, "fit_wall": fit_wall,
                  "fit_cpu": fit_cpu, "warm_wall": warm_wall, "warm_cpu": warm_cpu, "modules": modules,
                  "tight": {k: plain(v) for k, v in tight_out.items()}}))
"""

# the command line, exactly as the console script runs it, reporting what it imported (stderr)
_CLI = r"""
import atexit, json, sys
atexit.register(lambda: sys.stderr.write("\nBENCH_MODULES " + json.dumps(
    {"rpy2": "rpy2" in sys.modules, "numba": "numba" in sys.modules, "sklearn": "sklearn" in sys.modules}) + "\n"))
sys.argv = ["statprune"] + sys.argv[1:]
from statprune.cli import main
sys.exit(main())
"""


def fresh_statprune(tmp: Path, family: str, mode: str) -> dict:
    """One fresh process: wall and CPU from launch to the answer, the fit, the warm refit, the tight answer."""
    t_launch = time.time()
    proc, wall_all, cpu_all = _run([sys.executable, "-c", _FRESH, str(tmp), family, mode, repr(DEFAULT), repr(TIGHT)],
                                   what=f"fresh statprune ({mode})")
    out = _last_json(proc.stdout)
    out["wall"] = out["t_answer"] - t_launch
    out["cpu"] = out["cpu_to_answer"]
    return out


def fresh_cli(tmp: Path, family: str) -> dict:
    """``statprune lasso data.parquet --engine gram`` twice: timed at the default thresh, then at 1e-14."""
    got: dict[str, Any] = {}
    for thresh in (DEFAULT, TIGHT):
        js = tmp / "cli.json"
        cmd = [sys.executable, "-c", _CLI, "lasso", str(tmp / "data.parquet"), "--target", "y", "--fold-column", "fold",
               "--family", family, "--engine", "gram", "--thresh", repr(thresh), "--json", str(js)]
        proc, wall, cpu = _run(cmd, what="statprune lasso")
        res = json.loads(js.read_text())
        if thresh == DEFAULT:
            mods = [ln for ln in proc.stderr.splitlines() if ln.startswith("BENCH_MODULES ")]
            got.update(wall=wall, cpu=cpu, modules=json.loads(mods[-1].split(" ", 1)[1]) if mods else {})
        else:
            got["result"] = res
    return got


# ----------------------------------------------------------------------------- agreement


def _rel(a: Any, b: Any) -> float:
    a = np.asarray(a, float).ravel()
    b = np.asarray(b, float).ravel()
    if a.shape != b.shape:
        return float("nan")
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def _coef_at(out: dict, s: float) -> np.ndarray | None:
    """Intercept and coefficients of a path at ``s`` (glmnet's lambda.interp); None for a multi-response path."""
    from statprune._glmnet.rules import lambda_interp

    lam = np.asarray(out["lambda"], float)
    beta = np.asarray(out["beta"], float)
    a0 = np.asarray(out["a0"], float)
    left, right, frac = lambda_interp(lam, np.array([s]))
    if a0.ndim == 2 and beta.ndim == 3:  # multinomial (K, L) and (K, p, L): class by class, as R's coef list
        return np.concatenate([_coef_at({"lambda": lam, "a0": a0[k], "beta": beta[k]}, s) for k in range(len(a0))])
    if a0.ndim != 1 or beta.ndim != 2:
        return None
    b = beta[:, left[0]] * frac[0] + beta[:, right[0]] * (1 - frac[0])
    a = a0[left[0]] * frac[0] + a0[right[0]] * (1 - frac[0])
    return np.concatenate([[a], b])


def _cvm_rel(cvm: Any, ref: dict) -> float:
    if cvm is None:
        return float("nan")
    a = np.asarray(cvm, float).ravel()
    b = np.asarray(ref["cvm"], float).ravel()
    m = min(a.size, b.size)
    return _rel(a[:m], b[:m]) if a.size == b.size else float("nan")


def agreement(out: dict, ref: dict) -> dict:
    """statprune's path vs R's answer: chosen index, lambda.min, coefficients at R's lambda.min, cvm."""
    coef = _coef_at(out, float(ref["lambda_min"]))
    return {
        "same_lambda_min": bool(int(out["index_min"]) == int(ref["index_min"])),
        "lambda_min_rel": abs(float(out["lambda_min"]) - float(ref["lambda_min"])) / float(ref["lambda_min"]),
        "coef_rel": _rel(coef, ref["coef_min"]) if coef is not None else float("nan"),
        "cvm_rel": _cvm_rel(out["cvm"], ref),
    }


def cli_agreement(res: dict, ref: dict) -> dict:
    """The command's JSON (lambda, cvm, index_min, coefficients at lambda.min) vs R's answer."""
    coefs = res.get("coefficients") or {}
    vals = list(coefs.values())
    if vals and all(isinstance(v, dict) for v in vals):  # multinomial: {class: {term: value}}, class by class
        vals = [x for v in vals for x in v.values()]
    coef = np.asarray(vals, float) if vals and all(isinstance(v, (int, float)) for v in vals) else None
    return {
        "same_lambda_min": bool(int(res["index_min"]) == int(ref["index_min"])),
        "lambda_min_rel": abs(float(res["lambda_min"]) - float(ref["lambda_min"])) / float(ref["lambda_min"]),
        "coef_rel": _rel(coef, ref["coef_min"]) if coef is not None else float("nan"),
        "cvm_rel": _cvm_rel(res.get("cvm"), ref),
    }


# ----------------------------------------------------------------------------- peers


def _standardized(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mu = X.mean(axis=0)
    sd = X.std(axis=0)
    return (X - mu) / sd, mu, sd


def _splits(foldid: np.ndarray) -> list:
    return [(np.nonzero(foldid != k)[0], np.nonzero(foldid == k)[0]) for k in range(1, int(foldid.max()) + 1)]


def heldout_loss(family: str, y: np.ndarray, eta: np.ndarray) -> np.ndarray:
    """Per-row loss of glmnet's default type.measure at linear predictors ``eta``.

    gaussian: squared error (``mse``); binomial: ``-2 (y log p + (1-y) log(1-p))`` with
    ``p`` clamped to ``[1e-5, 1-1e-5]`` (cv.lognet's ``deviance``); poisson: the unit deviance
    ``2 (y log(y/mu) - (y - mu))`` (cv.fishnet). The grouped cvm of equal-weight rows is the
    mean of these over all rows.

    >>> heldout_loss("gaussian", np.array([1.0, 2.0]), np.array([0.0, 2.0])).tolist()
    [1.0, 0.0]
    """
    if family == "gaussian":
        return (y - eta) ** 2
    if family == "binomial":
        prob = np.clip(1 / (1 + np.exp(-eta)), 1e-5, 1 - 1e-5)
        return -2 * (y * np.log(prob) + (1 - y) * np.log(1 - prob))
    mu = np.exp(eta)
    ylogy = np.where(y > 0, y * np.log(np.where(y > 0, y, 1) / mu), 0.0)
    return 2 * (ylogy - (y - mu))


def _fold_paths(path: Any, family: str, Xs: np.ndarray, y: np.ndarray, foldid: np.ndarray,
                lam: np.ndarray) -> tuple[float, np.ndarray, float, np.ndarray]:
    """A path per training set, glmnet's measure on the held-out rows, then the path on all rows to the choice.

    ``path(X, y, lambdas)`` returns ``(coefs (L, p), intercepts (L,))`` along ``lambdas`` (warm-started).
    """
    cvm = np.zeros(len(lam))
    for tr, te in _splits(foldid):
        coefs, icpts = path(Xs[tr], y[tr], lam)
        cvm += heldout_loss(family, y[te][:, None], Xs[te] @ coefs.T + icpts).sum(axis=0)
    cvm /= len(y)
    j = int(np.argmin(cvm))
    coefs, icpts = path(Xs, y, lam[: j + 1])
    return float(lam[j]), coefs[-1], float(icpts[-1]), cvm


def _warm_path(make: Any, refit: Any) -> Any:
    """A ``path`` function for :func:`_fold_paths` from a model that refits warm-started at each penalty."""

    def path(Xt: np.ndarray, yt: np.ndarray, lams: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        model = make(lams[0])
        out = [refit(model, a, Xt, yt) for a in lams]
        return np.array([c for c, _ in out]), np.array([i for _, i in out])

    return path


def _peer_fit(name: str, family: str, Xs: np.ndarray, y: np.ndarray, foldid: np.ndarray,
              lam: np.ndarray) -> tuple[float, np.ndarray, float, np.ndarray | None]:
    """(chosen lambda, coefficients on the standardized scale, intercept, cvm or None), each peer at its defaults."""
    splits = _splits(foldid)
    n = Xs.shape[0]
    sizes = np.array([len(te) for _, te in splits], float)
    if name == "sklearn LassoCV":
        from sklearn.linear_model import LassoCV

        m = LassoCV(alphas=lam, cv=splits).fit(Xs, y)
        # mse_path_ (n_alphas, n_folds): fold mean squared errors; glmnet weights them by fold size
        order = np.argsort(-m.alphas_)
        cvm = (m.mse_path_[order] @ sizes) / n
        return float(m.alpha_), m.coef_, float(m.intercept_), cvm
    if name == "sklearn LogisticRegressionCV":
        from sklearn.linear_model import LogisticRegressionCV

        # sklearn: C * sum(logloss) + |b|_1  ==  (1/n) sum(logloss) + lambda |b|_1  with C = 1 / (n lambda)
        m = LogisticRegressionCV(Cs=1.0 / (n * lam), cv=splits, penalty="l1", solver="saga", scoring="neg_log_loss",
                                 max_iter=1000).fit(Xs, y)
        scores = np.asarray(next(iter(m.scores_.values())))  # (n_folds, n_Cs): -mean log loss per fold
        cvm = -2 * (sizes @ scores) / n
        return float(1.0 / (n * m.C_[0])), m.coef_.ravel(), float(m.intercept_[0]), cvm
    if name == "sklearn PoissonRegressor (L2 only)":
        from sklearn.linear_model import PoissonRegressor

        def refit(model: Any, a: float, Xt: np.ndarray, yt: np.ndarray) -> tuple[np.ndarray, float]:
            model.set_params(alpha=a).fit(Xt, yt)
            return model.coef_.copy(), float(model.intercept_)

        path = _warm_path(lambda a: PoissonRegressor(alpha=a, warm_start=True), refit)
        return _fold_paths(path, family, Xs, y, foldid, lam)
    if name == "glum":
        from glum import GeneralizedLinearRegressorCV

        m = GeneralizedLinearRegressorCV(family="normal" if family == "gaussian" else family, l1_ratio=1.0,
                                         alphas=lam, cv=splits, scale_predictors=False, n_jobs=1).fit(Xs, y)
        # coef_path_ (n_folds, n_l1_ratios, n_alphas, p): glmnet's measure on each held-out fold
        cvm = np.zeros(len(lam))
        for k, (_, te) in enumerate(splits):
            eta = Xs[te] @ np.asarray(m.coef_path_[k, 0]).T + np.asarray(m.intercept_path_[k, 0]).ravel()
            cvm += heldout_loss(family, y[te][:, None], eta).sum(axis=0)
        return float(m.alpha_), m.coef_, float(m.intercept_), cvm / n
    if name == "skglm":
        from skglm import GeneralizedLinearEstimator
        from skglm.datafits import Logistic, Poisson, Quadratic
        from skglm.penalties import L1
        from skglm.solvers import AndersonCD, ProxNewton

        def make(a: float) -> Any:
            if family == "gaussian":
                return GeneralizedLinearEstimator(Quadratic(), L1(a), AndersonCD(warm_start=True, fit_intercept=True))
            datafit = Logistic() if family == "binomial" else Poisson()
            return GeneralizedLinearEstimator(datafit, L1(a), ProxNewton(warm_start=True, fit_intercept=True))

        def refit(model: Any, a: float, Xt: np.ndarray, yt: np.ndarray) -> tuple[np.ndarray, float]:
            model.penalty.alpha = a
            model.fit(Xt, 2 * yt - 1 if family == "binomial" else yt)  # skglm's Logistic takes y in {-1, 1}
            return model.coef_.ravel().copy(), float(model.intercept_)

        return _fold_paths(_warm_path(make, refit), family, Xs, y, foldid, lam)
    if name == "adelie":
        import adelie as ad

        glms = {"gaussian": ad.glm.gaussian, "binomial": ad.glm.binomial, "poisson": ad.glm.poisson}

        def path(Xt: np.ndarray, yt: np.ndarray, lams: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            # groups of one (adelie's default) and penalty factors 1: the lasso on glmnet's lambdas
            st = ad.grpnet(np.asfortranarray(Xt), glms[family](yt), lmda_path=lams, intercept=True,
                           early_exit=False, progress_bar=False, n_threads=1)
            betas = st.betas.toarray() if hasattr(st.betas, "toarray") else np.asarray(st.betas)
            if len(st.lmdas) != len(lams):
                raise RuntimeError(f"adelie returned {len(st.lmdas)} of {len(lams)} lambdas")
            return betas, np.asarray(st.intercepts)

        return _fold_paths(path, family, Xs, y, foldid, lam)
    raise KeyError(name)


def adelie_python() -> Path | None:
    """The Python of the benchmark's own adelie environment (``.venv-bench-adelie``), created on first use.

    adelie's wheels need numpy < 2, so it never goes into the project's environment. Returns
    None when the environment cannot be made or pip cannot install adelie (the rows then say so).
    """
    py = ADELIE_VENV / "bin" / "python"
    check = [str(py), "-c", "import adelie, numpy"]
    if py.exists() and subprocess.run(check, capture_output=True, check=False).returncode == 0:
        return py
    _log(f"creating {ADELIE_VENV} (adelie, numpy<2)")
    base = getattr(sys, "_base_executable", None) or sys.executable
    try:
        subprocess.run([base, "-m", "venv", "--clear", str(ADELIE_VENV)], check=True, capture_output=True, timeout=300)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "adelie", "numpy<2"],
                       check=True, capture_output=True, timeout=900)
    except (subprocess.SubprocessError, OSError) as exc:
        _log(f"adelie not installed: {exc}")
        return None
    return py if subprocess.run(check, capture_output=True, check=False).returncode == 0 else None


def _peer_python(name: str) -> tuple[str | None, str]:
    """(interpreter, note) for a peer; None when the peer is not installed."""
    import importlib.util

    if name == "adelie":
        py = adelie_python()
        return (str(py), "own venv, numpy<2") if py is not None else (None, "not installed (pip could not install adelie)")
    module = name.split()[0]
    if importlib.util.find_spec(module) is None:
        return None, f"not installed (pip install -e .[bench])"
    return sys.executable, ""


def peer_rows(family: str, tmp: Path, X: np.ndarray, ref: dict, r_fit: dict) -> list[dict]:
    """Each peer in its own process (bounded by PEER_TIMEOUT), BLAS on one thread, against R's answer."""
    rows: list[dict] = []
    _, mu, sd = _standardized(X)
    lam = np.asarray(ref["lambda"], float)
    np.save(tmp / "lambda.npy", lam)
    nan = float("nan")
    only = [w.strip() for w in os.environ.get("STATPRUNE_BENCH_PEERS", "").split(",") if w.strip()]
    for name in PEERS[family]:
        if only and not any(name.startswith(w) for w in only):
            continue
        py, note = _peer_python(name)
        row: dict[str, Any] = {"engine": name, "note": note}
        if py is None:
            rows.append(row)
            continue
        try:
            proc = subprocess.run([py, "-m", "benchmarks.bench_fresh", "--peer", name, str(tmp), family],
                                  capture_output=True, text=True, env=_child_env(), cwd=ROOT, timeout=PEER_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            rows.append({**row, "note": f"did not finish in {PEER_TIMEOUT:.0f} s (wall)"})
            continue
        if proc.returncode != 0:
            err = (proc.stderr.strip().splitlines() or ["?"])[-1][:160]
            rows.append({**row, "note": f"failed: {err}"})
            continue
        got = _last_json(proc.stdout)
        coef = np.asarray(got["coef"]) / sd
        full = np.concatenate([[got["intercept"] - mu @ coef], coef])
        i = int(np.argmin(np.abs(lam - got["lambda"]))) + 1
        rows.append({**row, "fit_wall": got["fit_wall"], "fit_cpu": got["fit_cpu"],
                     "x_R_wall": r_fit["fit_wall"] / got["fit_wall"], "x_R_cpu": r_fit["fit_cpu"] / got["fit_cpu"],
                     "same_lambda_min": i == int(ref["index_min"]),
                     "lambda_min_rel": abs(got["lambda"] - float(ref["lambda_min"])) / float(ref["lambda_min"]),
                     "coef_rel": _rel(full, ref["coef_min"]),
                     "cvm_rel": _cvm_rel(got["cvm"], ref) if got.get("cvm") is not None else nan})
    return rows


def _peer_main(name: str, d: str, family: str) -> None:
    X = np.load(d + "/X.npy")
    y = np.load(d + "/y.npy")
    foldid = np.load(d + "/foldid.npy")
    lam = np.load(d + "/lambda.npy")
    Xs, _, _ = _standardized(X)
    t0 = time.perf_counter()
    c0 = time.process_time()
    a, coef, icpt, cvm = _peer_fit(name, family, Xs, y, foldid, lam)
    t = time.perf_counter() - t0
    print(json.dumps({"lambda": a, "coef": np.asarray(coef, float).ravel().tolist(), "intercept": icpt, "fit_wall": t,
                      "fit_cpu": time.process_time() - c0,
                      "cvm": None if cvm is None else np.asarray(cvm, float).tolist()}))


# ----------------------------------------------------------------------------- run


def fast_engine_covers(family: str) -> bool:
    """Whether this checkout's fast engine fits ``family`` without R (probed on a tiny problem)."""
    from statprune.engines.fast import cv_glmnet_fast

    X, y, foldid = case_data(family, 200, 4, seed=3)
    try:
        if family == "multinomial":  # its engine has its own module (class codes, n x K offsets)
            from statprune.engines.multinomial import cv_glmnet_multinomial

            cv_glmnet_multinomial(X, (y - 1).astype(np.int64), foldid=foldid)
        else:
            cv_glmnet_fast(X, y, family=family, foldid=foldid)
    except (ImportError, NotImplementedError):  # statprune.errors.EngineNotSupported: R would run it
        return False
    return True


def _ratio(a: Any, b: Any) -> float:
    try:
        return float(a) / float(b) if float(b) > 0 else float("nan")
    except (TypeError, ValueError):
        return float("nan")


def run_case(family: str, n: int, p: int, *, peers: bool = True) -> list[dict]:
    """Every tool on one case (see the module docstring); rows in the order of the table."""
    case = {"bench": "fresh", "case": f"{family} {n:,} x {p}", "family": family, "n": n, "p": p}
    _log(case["case"])
    if family not in ("gaussian", "binomial", "poisson") and not fast_engine_covers(family):
        return [{**case, "engine": "statprune", "note": f"no fast {family} engine on this checkout (it would run R)"}]
    X, y, foldid = case_data(family, n, p, seed=n + p)
    rows: list[dict] = []
    tmp = Path(tempfile.mkdtemp(prefix="statprune-fresh-"))
    try:
        _write(tmp, X, y, foldid)
        if shutil.which("Rscript") is None:
            ref, r = None, {}
            rows.append({**case, "engine": "R cv.glmnet", "note": "Rscript not found"})
        else:
            ref = rscript(tmp, n, p, family, TIGHT)
            r = rscript(tmp, n, p, family, DEFAULT)
            r.update(fit_wall=r["seconds"], fit_cpu=r["cpu_seconds"])
            rows.append({**case, "engine": "R cv.glmnet (Rscript)", "cpu": r["cpu"], "wall": r["wall"],
                         "fit_cpu": r["fit_cpu"], "fit_wall": r["fit_wall"], "library_glmnet_wall": r["load_seconds"],
                         "note": f"R {r['r_version']}, glmnet {r['glmnet_version']}"})
        for mode, label in (("engine", "statprune engine call"), ("estimator", "statprune GlmnetCV(engine='gram')")):
            try:
                f = fresh_statprune(tmp, family, mode)
            except RuntimeError as exc:
                rows.append({**case, "engine": f"{label}, fresh process", "note": str(exc)[:300]})
                continue
            agree = agreement(f["tight"], ref) if ref is not None else {}
            mods = f["modules"]
            rows.append({**case, "engine": f"{label}, fresh process", "cpu": f["cpu"], "wall": f["wall"],
                         "fit_cpu": f["fit_cpu"], "fit_wall": f["fit_wall"],
                         "x_R_cpu": _ratio(r.get("cpu"), f["cpu"]), "x_R_wall": _ratio(r.get("wall"), f["wall"]),
                         **agree, "engine_used": f["tight"].get("engine"),
                         "note": f"imports rpy2: {'yes' if mods['rpy2'] else 'no'}, numba: {'yes' if mods['numba'] else 'no'}"})
            rows.append({**case, "engine": f"{label}, warm (2nd fit, same process)", "fit_cpu": f["warm_cpu"],
                         "fit_wall": f["warm_wall"], "x_R_cpu": _ratio(r.get("fit_cpu"), f["warm_cpu"]),
                         "x_R_wall": _ratio(r.get("fit_wall"), f["warm_wall"])})
        label = "statprune lasso --engine gram (command), fresh process"
        try:
            c = fresh_cli(tmp, family)
        except RuntimeError as exc:
            rows.append({**case, "engine": label, "note": str(exc)[:300]})
        else:
            agree = cli_agreement(c["result"], ref) if ref is not None else {}
            mods = c["modules"]
            rows.append({**case, "engine": label, "cpu": c["cpu"], "wall": c["wall"],
                         "x_R_cpu": _ratio(r.get("cpu"), c["cpu"]), "x_R_wall": _ratio(r.get("wall"), c["wall"]),
                         **agree, "engine_used": (c["result"].get("provenance") or {}).get("engine"),
                         "note": "reads Parquet; imports rpy2: " + ("yes" if mods.get("rpy2") else "no")})
        if ref is not None and peers and n * p <= PEER_MAX_CELLS:
            for pr in peer_rows(family, tmp, X, ref, r):
                rows.append({**case, **pr})
        elif ref is not None and peers and PEERS[family]:
            rows.append({**case, "engine": "peers", "note": f"not run above {PEER_MAX_CELLS:,} cells (minutes each)"})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def cases(quick: bool) -> list[tuple[str, int, int]]:
    """The cases to run: FULL, QUICK, or ``STATPRUNE_BENCH_CASES="gaussian:300x5,binomial:300x5"``."""
    spec = os.environ.get("STATPRUNE_BENCH_CASES", "").strip()
    if not spec:
        return QUICK if quick else FULL
    out = []
    for item in spec.split(","):
        family, size = item.strip().split(":")
        n, p = size.lower().split("x")
        out.append((family, int(n), int(p)))
    return out


def run(quick: bool = False) -> list[dict]:
    rows: list[dict] = startup(repeats=1 if quick else 3)
    from statprune._data import write_atomic

    for family, n, p in cases(quick):
        try:
            rows.extend(run_case(family, n, p))
        except Exception as exc:  # noqa: BLE001 - one failed case must not lose the others
            rows.append({"bench": "fresh", "case": f"{family} {n:,} x {p}", "family": family, "n": n, "p": p,
                         "engine": "?", "note": f"case failed: {type(exc).__name__}: {str(exc)[:300]}"})
        PARTIAL.parent.mkdir(exist_ok=True)  # a long run interrupted keeps what it measured
        write_atomic(PARTIAL, json.dumps(rows, indent=1, default=float))
    return rows


# ----------------------------------------------------------------------------- start-up


_STARTUP = {
    "python -c 'import statprune'": ["-c", "import statprune, sys, json; print(json.dumps({m: m in sys.modules for m in ('rpy2', 'numba', 'pandas', 'sklearn')}))"],
    "statprune --help": ["-c", _CLI, "--help"],
    "statprune --version": ["-c", _CLI, "--version"],
    "fresh GlmnetCV(engine='gram', seed=1).fit, 1,000 x 10": ["-c", (
        "import sys, json, numpy as np\n"
        "from statprune.lasso import GlmnetCV\n"
        "X = np.random.default_rng(0).standard_normal((1000, 10)); y = X[:, 0] + np.random.default_rng(1).standard_normal(1000)\n"
        "e = GlmnetCV(engine='gram', seed=1).fit(X, y)\n"
        "print(json.dumps({'engine': e.result_.provenance.get('engine'), **{m: m in sys.modules for m in ('rpy2', 'numba')}}))")],
}


def startup(repeats: int = 3) -> list[dict]:
    """Start-up costs: each command in a fresh process, best of ``repeats`` (wall and CPU), and what it loaded."""
    rows = []
    for label, args in _STARTUP.items():
        best_wall, best_cpu, info = float("inf"), float("inf"), ""
        for _ in range(repeats):
            proc, wall, cpu = _run([sys.executable, *args], what=label)
            best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
            lines = [ln for ln in (proc.stdout + "\n" + proc.stderr).splitlines() if ln.startswith(("{", "BENCH_MODULES"))]
            if lines:
                got = json.loads(lines[-1].removeprefix("BENCH_MODULES "))
                info = ", ".join(f"{k}: {'yes' if v is True else 'no' if v is False else v}" for k, v in got.items())
        rows.append({"bench": "startup", "case": label, "engine": "statprune", "wall": best_wall, "cpu": best_cpu,
                     "repeats": repeats,
                     "note": f"loaded {info}" if info else ""})
    return rows


# ----------------------------------------------------------------------------- docs


DOCS = ROOT / "docs" / "performance.md"
DOCS_START = "<!-- bench_fresh:start (generated by `make bench`; do not edit) -->"
DOCS_END = "<!-- bench_fresh:end -->"
_DOC_COLS = [("engine", "tool"), ("cpu", "process CPU s"), ("wall", "process wall s"), ("fit_cpu", "fit CPU s"),
             ("fit_wall", "fit wall s"), ("x_R_cpu", "x R (CPU)"), ("x_R_wall", "x R (wall)"),
             ("same_lambda_min", "same lambda.min"), ("lambda_min_rel", "lambda.min rel"),
             ("coef_rel", "coef rel"), ("cvm_rel", "cvm rel"), ("note", "note")]


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
    return " ".join(str(v).split()).replace("|", "/")


def docs_table(rows: list[dict]) -> str:
    """The markdown tables ``make bench`` writes into docs/performance.md: one per case, then start-up."""
    parts = []
    cases: dict[str, list[dict]] = {}
    for r in rows:
        if r.get("bench") == "fresh":
            cases.setdefault(r["case"], []).append(r)
    for case, rs in cases.items():
        lines = [f"**{case}**", "", "| " + " | ".join(h for _, h in _DOC_COLS) + " |", "|" + "---|" * len(_DOC_COLS)]
        lines += ["| " + " | ".join(_cell(r.get(k)) for k, _ in _DOC_COLS) + " |" for r in rs]
        parts.append("\n".join(lines))
    start = [r for r in rows if r.get("bench") == "startup"]
    if start:
        lines = [f"**Start-up** (best of {start[0].get('repeats', 1)} fresh processes)", "", "| command | process CPU s | process wall s | note |",
                 "|---|---|---|---|"]
        lines += [f"| `{r['case']}` | {_cell(r.get('cpu'))} | {_cell(r.get('wall'))} | {_cell(r.get('note'))} |"
                  for r in start]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def targets(rows: list[dict]) -> list[str]:
    """Issue 16's done-when lines, read off the rows (fresh process, process CPU and wall vs R's Rscript)."""
    want = {("gaussian", 20_000, 200): 10, ("gaussian", 100_000, 500): 40, ("binomial", 20_000, 200): 3,
            ("binomial", 100_000, 200): 3, ("poisson", 20_000, 200): 3, ("poisson", 100_000, 200): 3}
    out = []
    for r in rows:
        key = (r.get("family"), r.get("n"), r.get("p"))
        if r.get("bench") != "fresh" or key not in want or not str(r.get("engine", "")).endswith("fresh process"):
            continue
        x_cpu, x_wall = r.get("x_R_cpu"), r.get("x_R_wall")
        if not isinstance(x_wall, float) or x_wall != x_wall:
            continue
        met = "met" if min(x_cpu, x_wall) >= want[key] else "NOT met"
        agree = ("same lambda.min" if r.get("same_lambda_min") else "DIFFERENT lambda.min") + \
            f", coef rel {_cell(r.get('coef_rel'))}"
        out.append(f"- {r['case']}, {r['engine']}: {x_cpu:.1f}x (CPU), {x_wall:.1f}x (wall) vs >= {want[key]}x: "
                   f"**{met}** ({agree})")
    return out


def update_docs(rows: list[dict], note: str, docs: Path = DOCS) -> None:
    """Replace the generated block of ``docs`` (docs/performance.md) between its markers, atomically."""
    from statprune._data import write_atomic

    text = docs.read_text()
    i, j = text.find(DOCS_START), text.find(DOCS_END)
    if i < 0 or j < i:
        raise RuntimeError(f"{docs} lacks the markers {DOCS_START!r} ... {DOCS_END!r}")
    tg = targets(rows)
    body = f"{DOCS_START}\n\n{note}\n\n" + (("Issue 16's targets (fresh process vs the whole Rscript process):\n\n"
                                             + "\n".join(tg) + "\n\n") if tg else "") + f"{docs_table(rows)}\n\n"
    write_atomic(docs, text[:i] + body + text[j:])


if __name__ == "__main__":  # pragma: no cover
    if len(sys.argv) > 1 and sys.argv[1] == "--peer":
        _peer_main(sys.argv[2], sys.argv[3], sys.argv[4])
        sys.exit(0)
    for row in run("--quick" in sys.argv):
        print(json.dumps(row, default=float))
