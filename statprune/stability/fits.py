"""The base learner on every subsample (``stabs::glmnet.lasso``) and ``stabs:::run_stabsel``'s aggregation.

``engine="glmnet"`` runs glmnet itself through the lasso's R backend
(:func:`statprune.lasso._backend_r.subsample_lasso_paths`), in this process or one R per
worker *process* (R is single-threaded and never called from threads); ``engine="sklearn"``
(gaussian only, no R) follows the same path on glmnet's lambda grid with scikit-learn's
``enet_path`` on glmnet's internally standardized problem, and glmnet's stopping rules
(:mod:`statprune._glmnet.rules`). Both return numbers only: per subsample the 0/1 path
(variables x lambda steps) and the final selection.
"""

from __future__ import annotations

import math
import os
import warnings
from typing import Any, Sequence

import joblib
import numpy as np
import pandas as pd
from sklearn.linear_model import enet_path
from threadpoolctl import threadpool_limits

from .._glmnet.params import dfmax_default, lambda_min_ratio, pmax_default
from .._glmnet.rules import glmnet_scale, lambda_max, lambda_sequence, path_stops
from .._progress import progress as progress_bar
from ..errors import DataError, ParameterError, SelectionWarning
from ..lasso import _backend_r

__all__ = ["run_fits", "aggregate"]


def path_sklearn(x: np.ndarray, y: np.ndarray, q: int, opts: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Lasso path on glmnet's standardized gaussian problem; glmnet's stopping rules.

    Returns ``(path, selected)``: the 0/1 nonzero pattern per lambda step (p, L')
    and the selection (nonzero at the last step).
    """
    n, p = x.shape
    alpha = float(opts.get("alpha", 1.0))
    pf = np.asarray(opts.get("penalty_factor") if opts.get("penalty_factor") is not None else np.ones(p), dtype=float)
    if (pf <= 0).any():
        raise ParameterError("engine='sklearn' needs positive penalty factors; use engine='glmnet' for unpenalized columns")
    if alpha < 1 and np.ptp(pf) > 0:
        raise ParameterError("engine='sklearn' supports unequal penalty factors only for alpha=1; use engine='glmnet'")
    pf = pf * p / pf.sum()  # glmnet rescales penalty factors to sum to nvars
    # glmnet scales by the sd around the mean even without an intercept (then x is not centred)
    xm, sd = glmnet_scale(x, intercept=bool(opts.get("intercept", True)), standardize=bool(opts.get("standardize", True)))
    xs = (x - xm) / sd
    yc = y - y.mean() if opts.get("intercept", True) else y.copy()
    sy = math.sqrt(float(np.mean(yc**2))) if opts.get("intercept", True) else math.sqrt(float(np.mean(y**2)))
    if sy == 0:
        raise DataError("the target is constant in a subsample; the Lasso path is empty")
    ys = yc / sy
    nlambda = int(opts.get("nlambda", 100))
    ratio = opts.get("lambda_min_ratio") or lambda_min_ratio(n, p)
    lams = lambda_sequence(lambda_max(xs.T @ ys / n, pf, alpha), nlambda, float(ratio))
    # penalty factors: with x_j / pf_j, gamma_j = pf_j * beta_j has a plain l1 penalty
    xw = xs / pf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, coefs, _ = enet_path(xw, ys, l1_ratio=alpha, alphas=lams, tol=1e-10, max_iter=100000, precompute=True)
    nz = coefs != 0  # enet_path keeps the given (decreasing) lambda order
    rsq = 1 - ((ys[:, None] - xw @ coefs) ** 2).mean(axis=0) / float(np.mean(ys**2))
    kind = opts.get("type", "conservative")
    # stabs::glmnet.lasso: glmnet(pmax = q) or glmnet(dfmax = q - 1), glmnet's defaults for the other
    dfmax = dfmax_default(p) if kind == "conservative" else q - 1
    pmax = q if kind == "conservative" else pmax_default(p, dfmax)
    ever = np.zeros(p, dtype=bool)
    last = 0
    for m in range(len(lams)):
        ever |= nz[:, m]
        if ever.sum() > pmax:  # glmnet: pmax exceeded -> this lambda is not returned
            break
        last = m
        if path_stops(m, float(rsq[m]), float(rsq[m - 1]) if m else 0.0, int(nz[:, m].sum()), dfmax=dfmax):
            break
    path = nz[:, : last + 1].astype(np.int8)
    return path, path[:, -1].astype(bool)


def fit_chunk(engine: str, x: np.ndarray, y: np.ndarray, folds: np.ndarray, cols: Sequence[int], q: int,
               opts: dict[str, Any]) -> list[Any]:
    """Fit the base learner on the subsamples ``cols`` of ``folds`` (runs in a worker process)."""
    out: list[Any] = []
    if engine == "glmnet":
        # R starts in this process (a worker process under n_jobs != 1), never in a thread
        paths = _backend_r.subsample_lasso_paths(x, y, folds[:, list(cols)], q, opts)
        return [r if isinstance(r, str) else (r, r[:, -1].astype(bool)) for r in paths]
    with threadpool_limits(limits=1, user_api="blas"):  # small problems; parallelism comes from the workers
        for c in cols:
            inbag = folds[:, c].astype(bool)
            try:
                out.append(path_sklearn(x[inbag], y[inbag], q, opts))
            except Exception as exc:  # noqa: BLE001 - reported like stabs: a failing fold is dropped with a warning
                out.append(f"{type(exc).__name__}: {exc}")
    return out


def run_fits(engine: str, x: np.ndarray, y: np.ndarray, folds: np.ndarray, q: int, opts: dict[str, Any],
             n_jobs: int | None, progress: bool) -> list[Any]:
    """Fit every subsample; in worker processes (joblib loky) when ``n_jobs != 1``."""
    ncol = folds.shape[1]
    n_workers = 1 if n_jobs in (None, 1) else (os.cpu_count() or 1) if n_jobs < 0 else int(n_jobs)
    n_workers = max(1, min(n_workers, ncol))
    nchunks = ncol if n_workers == 1 and engine != "glmnet" else min(ncol, n_workers * 4) if n_workers > 1 else min(ncol, 10)
    chunks = [list(c) for c in np.array_split(np.arange(ncol), nchunks) if len(c)]
    bar = None
    if progress:
        bar = progress_bar(total=ncol, desc="stability selection", unit="subsample")
    results: list[Any] = []
    try:
        if n_workers == 1:
            for cols in chunks:
                results.extend(fit_chunk(engine, x, y, folds, cols, q, opts))
                if bar is not None:
                    bar.update(len(cols))
        else:
            par = joblib.Parallel(n_jobs=n_workers, backend="loky", return_as="generator")
            gen = par(joblib.delayed(fit_chunk)(engine, x, y, folds, cols, q, opts) for cols in chunks)
            for cols, res in zip(chunks, gen):  # generator keeps submission order
                results.extend(res)
                if bar is not None:
                    bar.update(len(cols))
    finally:
        if bar is not None:
            bar.close()
    return results


def aggregate(results: list[Any], names: list[str]) -> tuple[pd.DataFrame, pd.Series, int, list[str]]:
    """``stabs:::run_stabsel``: pad the paths with their last column, average; drop failed fits."""
    errors = [r for r in results if isinstance(r, str)]
    ok = [r for r in results if not isinstance(r, str)]
    if not ok:
        raise ParameterError("the model could not be fitted on any subsample:\n" + "\n".join(errors[:5]))
    if errors:
        warnings.warn(
            f"{len(errors)} subsample fit(s) encountered an error. Results are based on {len(ok)} fits only.\n"
            "Original error message(s):\n" + "\n".join(errors[:5]),
            SelectionWarning,
            stacklevel=3,
        )
    steps = max(r[0].shape[1] for r in ok)
    phat = np.zeros((len(names), steps))
    for path, _ in ok:
        if path.shape[1] < steps:
            path = np.concatenate([path, np.repeat(path[:, -1:], steps - path.shape[1], axis=1)], axis=1)
        phat += path
    phat /= len(ok)
    sel = np.mean([r[1] for r in ok], axis=0)
    cols = [f"s{k}" for k in range(steps)]
    return pd.DataFrame(phat, index=names, columns=cols), pd.Series(sel, index=names, name="probability"), len(ok), errors
