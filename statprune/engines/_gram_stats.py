"""Weighted sufficient (Gram) statistics of ``(X, y)`` per CV fold: layer 1 of the Gram engine.

:func:`gram_stats` makes one pass over the rows (BLAS ``syrk`` per block of rows,
blocks centred at their own weighted means) and returns a :class:`GramStats`;
``a + b`` combines the statistics of two disjoint row blocks with Chan et al.'s
pairwise update, so out-of-core callers (:mod:`statprune.engines.outofcore`) sum
per-partition statistics and get the in-memory answer up to rounding.  Layer 2,
glmnet on these statistics, is :mod:`statprune.engines.gram`.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = rng.standard_normal((200, 5)); y = X[:, 0] + rng.standard_normal(200)
>>> foldid = np.arange(200) % 5 + 1
>>> whole = gram_stats(X, y, foldid=foldid)
>>> parts = gram_stats(X[:70], y[:70], foldid=foldid[:70], nfolds=5) + gram_stats(
...     X[70:], y[70:], foldid=foldid[70:], nfolds=5)
>>> bool(np.allclose(parts.xx, whole.xx, rtol=1e-12, atol=1e-9))
True
"""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from typing import Any, Sequence

import numpy as np
from threadpoolctl import ThreadpoolController, threadpool_info

from statprune.errors import DataError, ParameterError

__all__ = ["GramStats", "blas_single_thread", "block_stats", "gram_stats"]

_CHUNK_ELEMENTS = 1 << 22  # rows per block: about 32 MB of float64
_MULTITHREAD_FLOPS = 2e9  # n * p^2 below which the statistics are computed in one thread

_CONTROLLER: list[Any] = []  # one ThreadpoolController, made on first use (it scans the loaded libraries)


def blas_single_thread() -> Any:
    """Context pinning BLAS to one thread: the p x p stages are small, and
    OpenBLAS threads spinning on a busy machine cost far more than they save."""
    try:
        if not _CONTROLLER:
            _CONTROLLER.append(ThreadpoolController())
        return _CONTROLLER[0].limit(limits=1, user_api="blas")
    except Exception:  # pragma: no cover - never fail on threadpoolctl's introspection
        return contextlib.nullcontext()


# ----------------------------------------------------------------------------- statistics


@dataclass
class GramStats:
    """Weighted sufficient statistics of ``(X, y)`` per CV fold.

    Arrays have a leading fold axis of length ``K`` (``K = 1`` without folds).
    ``xx``, ``xy``, ``yy`` are centred at each fold's own weighted means.
    ``x_min``/``x_max`` (over all rows, whatever their weight) let the engine
    find constant columns exactly as glmnet's ``chkvars`` does.

    Combine the statistics of two disjoint row blocks with ``a + b`` (or
    :meth:`combine`): Chan et al.'s pairwise update, exact up to rounding.
    """

    n: np.ndarray  # (K,) row counts
    w: np.ndarray  # (K,) weight sums
    mean_x: np.ndarray  # (K, p)
    mean_y: np.ndarray  # (K,)
    xx: np.ndarray  # (K, p, p) centred weighted cross-products
    xy: np.ndarray  # (K, p)
    yy: np.ndarray  # (K,)
    x_min: np.ndarray  # (K, p)
    x_max: np.ndarray  # (K, p)

    @property
    def nfolds(self) -> int:
        return int(self.n.shape[0])

    @property
    def n_features(self) -> int:
        return int(self.mean_x.shape[1])

    @classmethod
    def empty(cls, nfolds: int, p: int) -> GramStats:
        """Statistics of zero rows (the neutral element of ``+``)."""
        return cls(
            n=np.zeros(nfolds, dtype=np.int64),
            w=np.zeros(nfolds),
            mean_x=np.zeros((nfolds, p)),
            mean_y=np.zeros(nfolds),
            xx=np.zeros((nfolds, p, p)),
            xy=np.zeros((nfolds, p)),
            yy=np.zeros(nfolds),
            x_min=np.full((nfolds, p), np.inf),
            x_max=np.full((nfolds, p), -np.inf),
        )

    def combine(self, other: GramStats) -> GramStats:
        """Fold-wise statistics of the union of two disjoint row blocks."""
        if self.n.shape != other.n.shape or self.mean_x.shape != other.mean_x.shape:
            raise ParameterError(
                f"cannot combine GramStats with {self.nfolds} folds x {self.n_features} features "
                f"and {other.nfolds} folds x {other.n_features} features; compute both with the same "
                "nfolds and columns"
            )
        wa, wb = self.w, other.w
        wt = wa + wb
        safe = np.where(wt > 0, wt, 1.0)
        fb = np.where(wt > 0, wb / safe, 0.0)
        dx = other.mean_x - self.mean_x
        dy = other.mean_y - self.mean_y
        c = np.where(wt > 0, wa * wb / safe, 0.0)
        return GramStats(
            n=self.n + other.n,
            w=wt,
            mean_x=self.mean_x + dx * fb[:, None],
            mean_y=self.mean_y + dy * fb,
            xx=self.xx + other.xx + c[:, None, None] * (dx[:, :, None] * dx[:, None, :]),
            xy=self.xy + other.xy + c[:, None] * dx * dy[:, None],
            yy=self.yy + other.yy + c * dy * dy,
            x_min=np.minimum(self.x_min, other.x_min),
            x_max=np.maximum(self.x_max, other.x_max),
        )

    __add__ = combine

    def __radd__(self, other: Any) -> GramStats:  # lets sum([...]) work
        if isinstance(other, int) and other == 0:
            return self
        return NotImplemented

    def fold(self, k: int) -> GramStats:
        """Statistics of fold ``k`` (0-based) alone, as a one-fold object."""
        return GramStats(**{f.name: getattr(self, f.name)[k : k + 1] for f in fields(self)})

    def total(self) -> GramStats:
        """Statistics of all rows, as a one-fold object."""
        return self.subset(range(self.nfolds))

    def subset(self, folds: Sequence[int]) -> GramStats:
        """Statistics of the union of the given folds (0-based), as a one-fold object."""
        folds = list(folds)
        if not folds:
            return GramStats.empty(1, self.n_features)
        out = self.fold(folds[0])
        for k in folds[1:]:
            out = out + self.fold(k)
        return out

    def training(self, k: int) -> GramStats:
        """Statistics of every row outside fold ``k`` (0-based)."""
        return self.subset([j for j in range(self.nfolds) if j != k])


def block_stats(X: np.ndarray, y: np.ndarray, w: np.ndarray | None) -> tuple:
    """Statistics ``(n, W, mean_x, mean_y, xx, xy, yy, x_min, x_max)`` of one block of rows.

    ``X`` may be modified in place: pass a copy or a buffer the caller owns.
    """
    n, p = X.shape
    if n == 0:
        return (0, 0.0, np.zeros(p), 0.0, np.zeros((p, p)), np.zeros(p), 0.0, np.full(p, np.inf), np.full(p, -np.inf))
    x_min = X.min(axis=0)
    x_max = X.max(axis=0)
    if w is None:
        W = float(n)
        mx = X.mean(axis=0)
        my = float(y.mean())
        X -= mx
        yc = y - my
    else:
        W = float(w.sum())
        if W > 0:
            mx = (w @ X) / W
            my = float(w @ y) / W
        else:
            mx = np.zeros(p)
            my = 0.0
        sw = np.sqrt(w)
        X -= mx
        X *= sw[:, None]
        yc = (y - my) * sw
    xx = X.T @ X  # numpy dispatches A.T @ A to syrk
    xy = X.T @ yc
    yy = float(yc @ yc)
    return (n, W, mx, my, xx, xy, yy, x_min, x_max)


def gram_stats(
    X: Any,
    y: Any,
    weights: Any = None,
    foldid: Any = None,
    *,
    nfolds: int | None = None,
) -> GramStats:
    """Per-fold weighted sufficient statistics of ``(X, y)``.

    Parameters
    ----------
    X : array of shape (n, p)
    y : array of shape (n,)
    weights : array of shape (n,), optional
        Observation weights (non-negative); ``None`` means all ones.
    foldid : array of shape (n,), optional
        Fold of each row, integers ``1..K`` as in ``cv.glmnet``; ``None`` gives
        one fold holding every row.
    nfolds : int, optional
        Number of folds ``K``; defaults to ``max(foldid)``.  Pass it when
        computing statistics of a row block that may miss some folds.

    Returns
    -------
    GramStats
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1)
    if X.ndim != 2:
        raise DataError(f"X must be 2-D, got shape {X.shape}")
    n, p = X.shape
    if y.shape[0] != n:
        raise DataError(f"y has {y.shape[0]} rows but X has {n}")
    w = None if weights is None else np.asarray(weights, dtype=float).reshape(-1)
    if w is not None:
        if w.shape[0] != n:
            raise DataError(f"weights has {w.shape[0]} elements but X has {n} rows")
        if np.any(w < 0) or not np.all(np.isfinite(w)):
            raise DataError("weights must be finite and non-negative")
    if foldid is None:
        fid = np.zeros(n, dtype=np.int64)
        K = 1 if nfolds is None else int(nfolds)
    else:
        fid = np.asarray(foldid).reshape(-1)
        if fid.shape[0] != n:
            raise DataError(f"foldid has {fid.shape[0]} elements but X has {n} rows")
        fid = fid.astype(np.int64) - 1
        K = int(fid.max()) + 1 if nfolds is None else int(nfolds)
        if n and (fid.min() < 0 or fid.max() >= K):
            raise ParameterError(f"foldid values must be integers in 1..{K}")
    stats = GramStats.empty(K, p)
    if K == 1:
        blocks = [np.arange(n)]
    else:
        order = np.argsort(fid, kind="stable")
        bounds = np.searchsorted(fid[order], np.arange(K + 1))
        blocks = [order[bounds[k] : bounds[k + 1]] for k in range(K)]
    chunk = max(256, _CHUNK_ELEMENTS // max(p, 1))
    workers = 1 if float(n) * p * p < _MULTITHREAD_FLOPS else _blas_threads()
    with blas_single_thread():
        _fill_stats(stats, X, y, w, blocks, chunk, workers)
    return stats


def _blas_threads() -> int:
    """Threads BLAS would use now (respects threadpoolctl limits set by the caller)."""
    try:
        counts = [d.get("num_threads") or 1 for d in threadpool_info() if d.get("user_api") == "blas"]
        return max(1, min(max(counts, default=1), os.cpu_count() or 1))
    except Exception:  # pragma: no cover
        return 1


def _fill_stats(stats: GramStats, X: np.ndarray, y: np.ndarray, w: np.ndarray | None, blocks: list, chunk: int,
                workers: int = 1) -> None:
    """Per-block statistics, ``workers`` blocks at a time, each with single-threaded BLAS.

    Independent blocks in parallel threads (numpy releases the GIL) scale better than
    one multi-threaded ``syrk`` on a shared machine; blocks are combined in a fixed
    order, so the result does not depend on the number of workers.
    """
    n = X.shape[0]
    tasks = [(k, idx[start : start + chunk]) for k, idx in enumerate(blocks) for start in range(0, idx.size, chunk)]

    def one(task: tuple) -> GramStats:
        _, sub = task
        if sub.size == n:
            res = block_stats(X.copy(), y, w)
        else:
            res = block_stats(X[sub], y[sub], None if w is None else w[sub])  # a C-ordered copy, fast for F input too
        return GramStats(*(np.asarray(v)[None, ...] for v in res))

    acc: dict[int, GramStats] = {}

    def consume(parts: Any) -> None:  # combine as results arrive: memory stays bounded
        for (k, _), part in zip(tasks, parts):
            acc[k] = part if k not in acc else acc[k] + part

    if workers > 1 and len(tasks) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            consume(pool.map(one, tasks))
    else:
        consume(one(t) for t in tasks)
    for k, st in acc.items():
        for f in fields(stats):
            getattr(stats, f.name)[k] = getattr(st, f.name)[0]
