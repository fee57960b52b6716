"""Per-fold Gram statistics of data larger than memory, on one machine or a Dask cluster.

Everything the Gaussian Lasso needs from the rows is in per-fold sufficient
statistics (weighted counts, means and centred ``X'WX``, ``X'Wy``, ``y'Wy``: see
:mod:`statprune.engines._gram_stats`), and these are *sums over row blocks*. So the
data are read in partitions with ``dask.dataframe`` (Parquet files or directories,
CSV globs), each partition is reduced to its per-fold
:class:`~statprune.engines.gram.GramStats` in one pass, and the partial statistics
are combined in a tree (Chan's exact pairwise update): :func:`gram_stats_dask`
returns them with the row and partition counts.  The small ``K x p x p`` result is
solved by :func:`statprune.engines.gram.cv_glmnet_gram_from_stats` (what
:func:`statprune.cv_glmnet_ooc` does, building the result): the answer is the
in-memory engine's answer on the same rows and folds, and the rows are never all
in memory.

Fold assignment (``foldid`` of ``cv.glmnet``), one of:

* ``fold_column="name"``: a column holding integers ``1..K``;
* default: a deterministic function of the *global row number* ``i`` (0-based, in
  file/partition order) and ``seed``: the rows are cut into consecutive blocks of
  ``K`` (``i // K``), and within each block the folds ``1..K`` are assigned in the
  order of the keys ``splitmix64(seed, i)`` (:func:`statprune._glmnet.folds.hash_foldid`,
  re-exported here). Folds are balanced as in ``cv.glmnet`` (sizes differ by at most
  one), random-looking, and do not depend on how the files are partitioned or on the
  scheduler; compute the same ``foldid`` for in-memory data with
  ``hash_foldid(np.arange(n), K, seed)``. (They are not R's ``sample()`` folds: R
  would need every row in memory.) ``seed=None`` draws a fresh salt
  (:func:`statprune._glmnet.folds.hash_salt`), recorded in the result's ``seed``.

The global row numbers need each partition's length first: a metadata-only pass
for Parquet, a counting pass over the rows for CSV (skipped with ``fold_column``).

Schedulers: the local threaded scheduler by default (``scheduler="threads"``;
``"synchronous"`` and ``"processes"`` also work), or a ``distributed.Client``
passed as ``client=`` (any cluster: local processes, SSH, Kubernetes...). Workers
only need statprune, numpy, pandas and pyarrow (no R).

Examples
--------
>>> from statprune.datasets import make_partitioned
>>> gs = gram_stats_dask(make_partitioned(), "y", nfolds=5, seed=1, scheduler="synchronous")
>>> gs.n_rows, gs.n_partitions, gs.stats.xx.shape
(600, 3, (5, 4, 4))
"""

from __future__ import annotations

import glob as _glob
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from statprune._data import resolve_column
from statprune._glmnet.folds import hash_foldid, hash_salt, r_foldid
from statprune._glmnet.params import DEFAULTS
from statprune.engines._gram_stats import GramStats, block_stats
from statprune.errors import DataError, ParameterError

# dask and pyarrow.parquet are imported where they are used: they are heavy (about a
# second), and `import statprune.engines.outofcore` should not cost that.

__all__ = ["GramStatsResult", "OocData", "gram_stats_dask", "hash_foldid", "read_partitions"]

# =========================================================================== reading
def _expand(source: str | os.PathLike[str] | Sequence[str]) -> tuple[list[str], str]:
    if isinstance(source, (list, tuple)):
        files = [str(s) for s in source]
    else:
        s = str(source)
        if os.path.isdir(s):
            files = sorted(str(p) for p in Path(s).rglob("*") if p.is_file() and p.suffix.lower() in (".parquet", ".pq", ".csv", ".gz"))
        elif any(ch in s for ch in "*?["):
            files = sorted(_glob.glob(s))
        else:
            files = [s]
    files = [f for f in files if os.path.exists(f)]
    if not files:
        raise DataError(f"no data files match {source!r}")
    kinds = {"parquet" if (".parquet" in f.lower() or f.lower().endswith(".pq")) else "csv" for f in files}
    if len(kinds) > 1:
        raise DataError("mix of Parquet and CSV files; give one kind")
    return files, kinds.pop()


def read_partitions(source: Any, *, columns: Sequence[str] | None = None, blocksize: str | int | None = None) -> Any:
    """A ``dask.dataframe`` over Parquet files/directories or CSV files (globs allowed).

    Parquet: one partition per file (``split_row_groups`` when a file is large); CSV:
    ``blocksize`` bytes per partition (default 64 MB). Only ``columns`` are read.
    """
    import dask.dataframe as dd  # noqa: PLC0415 - heavy, see the imports

    files, kind = _expand(source)
    if kind == "parquet":
        return dd.read_parquet(files, columns=list(columns) if columns is not None else None)
    try:
        return dd.read_csv(files, usecols=list(columns) if columns is not None else None,
                           blocksize=blocksize or "64MB", dtype="float64" if columns is not None else None)
    except ValueError:  # dtype float64 forced: a text column fails while dask reads its sample
        if columns is None:
            raise
        head = pd.read_csv(files[0], usecols=list(columns), nrows=10_000)
        bad = [str(c) for c in head.columns if not pd.api.types.is_numeric_dtype(head[c].dtype)]
        raise DataError(
            f"non-numeric column(s) {bad or '(in the data)'} in {files[0]!r}; "
            "encode them or exclude them (--exclude) before the out-of-core fit"
        ) from None


def _schema(source: Any) -> list[str]:
    files, kind = _expand(source)
    if kind == "parquet":
        import pyarrow.parquet as pq  # noqa: PLC0415 - heavy, see the imports

        return [str(c) for c in pq.read_schema(files[0]).names if not str(c).startswith("__index_level_")]
    return [str(c) for c in pd.read_csv(files[0], nrows=0).columns]


# =========================================================================== per-partition work
def _chunk_step(p: int) -> int:
    return max(256, (1 << 19) // max(p, 1))  # rows per chunk: about 4 MB of float64


class _FoldAccumulator:
    """Per-fold statistics accumulated block by block, in place (same semantics as ``GramStats``).

    Each block is centred at its own (weighted) means and merged with Chan's pairwise
    update, exactly as ``GramStats.__add__`` does, but without allocating new ``K x p x p``
    arrays per block: Dask workers run with a low ``MALLOC_TRIM_THRESHOLD_``, which makes
    every large temporary array cost fresh page faults.
    """

    def __init__(self, nfolds: int, p: int) -> None:
        self.n = np.zeros(nfolds, dtype=np.int64)
        self.w = np.zeros(nfolds)
        self.mean_x = np.zeros((nfolds, p))
        self.mean_y = np.zeros(nfolds)
        self.xx = np.zeros((nfolds, p, p))
        self.xy = np.zeros((nfolds, p))
        self.yy = np.zeros(nfolds)
        self.x_min = np.full((nfolds, p), np.inf)
        self.x_max = np.full((nfolds, p), -np.inf)

    def add_block(self, k: int, X: np.ndarray, y: np.ndarray, w: np.ndarray | None) -> None:
        """Merge rows ``X`` (modified in place: pass an owned buffer or a view of one) into fold ``k``:
        the block's own centred statistics (:func:`statprune.engines._gram_stats.block_stats`), then the
        pairwise update of the fold's running means and cross-products."""
        m, W, mx, my, xx, xy, yy, x_min, x_max = block_stats(X, y, w)
        if m == 0:
            return
        np.minimum(self.x_min[k], x_min, out=self.x_min[k])
        np.maximum(self.x_max[k], x_max, out=self.x_max[k])
        wa = self.w[k]
        wt = wa + W
        fb = W / wt if wt > 0 else 0.0
        c = wa * W / wt if wt > 0 else 0.0
        dx = mx - self.mean_x[k]
        dy = my - self.mean_y[k]
        xxk = self.xx[k]
        xxk += xx
        if c != 0.0:
            xxk += c * np.outer(dx, dx)
        self.xy[k] += xy + c * dx * dy
        self.yy[k] += yy + c * dy * dy
        self.mean_x[k] += dx * fb
        self.mean_y[k] += dy * fb
        self.w[k] = wt
        self.n[k] += m

    def to_stats(self) -> GramStats:
        return GramStats(n=self.n, w=self.w, mean_x=self.mean_x, mean_y=self.mean_y, xx=self.xx, xy=self.xy,
                         yy=self.yy, x_min=self.x_min, x_max=self.x_max)


def _accumulate(acc: _FoldAccumulator, X: np.ndarray, y: np.ndarray, w: np.ndarray | None, fid: np.ndarray,
                buf: np.ndarray) -> None:
    """Sort a chunk's rows by fold into ``buf`` and merge each fold's rows into ``acc``."""
    m = X.shape[0]
    order = np.argsort(fid, kind="stable")
    Xs = buf[:m]
    np.take(X, order, axis=0, out=Xs)
    _accumulate_sorted(acc, Xs, y[order], None if w is None else w[order], fid[order])


def _accumulate_sorted(acc: _FoldAccumulator, Xs: np.ndarray, ys: np.ndarray, ws: np.ndarray | None,
                       fid_sorted: np.ndarray) -> None:
    """Merge rows already grouped by fold (``fid_sorted`` non-decreasing) into ``acc``."""
    bounds = np.searchsorted(fid_sorted, np.arange(1, acc.n.shape[0] + 2))
    for k in range(acc.n.shape[0]):
        a, b = bounds[k], bounds[k + 1]
        if b > a:
            acc.add_block(k, Xs[a:b], ys[a:b], None if ws is None else ws[a:b])


def _check_chunk(X: np.ndarray, y: np.ndarray, w: np.ndarray | None, features: list[str], a: int) -> None:
    bad = ~np.isfinite(X)
    if bad.any() or not np.isfinite(y).all() or (w is not None and not np.isfinite(w).all()):
        cols = [features[j] for j in np.flatnonzero(bad.any(axis=0))]
        raise DataError(
            f"rows {a}..{a + X.shape[0] - 1} hold NaN or inf (predictor columns {cols[:10]}"
            f"{', target' if not np.isfinite(y).all() else ''}); clean the data first"
        )


def _fold_ids(chunk_fold: np.ndarray | None, a: int, m: int, fold_column: str | None, nfolds: int,
              seed: int) -> np.ndarray:
    if fold_column is not None:
        fid = np.asarray(chunk_fold)
        if not np.all(np.equal(np.mod(fid, 1), 0)) or fid.min() < 1 or fid.max() > nfolds:
            raise DataError(f"fold column '{fold_column}' must hold integers 1..{nfolds}")
        return fid.astype(np.int64)
    return hash_foldid(np.arange(a, a + m), nfolds, seed)


def _stats_of_chunks(chunks: Any, offset: int, features: list[str], target: str, weights: str | None,
                     fold_column: str | None, nfolds: int, seed: int) -> GramStats:
    """Per-fold GramStats of consecutive row chunks (DataFrames) starting at global row ``offset``."""
    p = len(features)
    acc = _FoldAccumulator(nfolds, p)
    buf = np.empty((_chunk_step(p), p))
    a = offset
    for chunk in chunks:
        m = len(chunk)
        if m == 0:
            continue
        X = chunk[features].to_numpy(dtype=np.float64)
        y = chunk[target].to_numpy(dtype=np.float64)
        w = None if weights is None else chunk[weights].to_numpy(dtype=np.float64)
        _check_chunk(X, y, w, features, a)
        fid = _fold_ids(None if fold_column is None else chunk[fold_column].to_numpy(), a, m, fold_column, nfolds, seed)
        if m > buf.shape[0]:
            buf = np.empty((m, p))
        _accumulate(acc, X, y, w, fid, buf)
        a += m
    return acc.to_stats()


def _partition_stats(part: pd.DataFrame, offset: int, features: list[str], target: str, weights: str | None,
                     fold_column: str | None, nfolds: int, seed: int) -> GramStats:
    """Per-fold GramStats of one dask partition (runs on a worker)."""
    step = _chunk_step(len(features))
    chunks = (part.iloc[a : a + step] for a in range(0, len(part), step))
    with threadpool_limits(limits=1, user_api="blas"):  # small products; parallelism comes from the tasks
        return _stats_of_chunks(chunks, offset, features, target, weights, fold_column, nfolds, seed)


def _parquet_file_stats(path: str, offset: int, features: list[str], target: str, weights: str | None,
                        fold_column: str | None, nfolds: int, seed: int) -> GramStats:
    """Per-fold GramStats of one Parquet file, read in record batches by the worker itself.

    Reading inside the task (instead of a separate read task) means no partition is ever
    shipped between workers; each batch's columns are copied straight from Arrow into one
    reused buffer, so only one batch is in memory at a time.
    """
    with threadpool_limits(limits=1, user_api="blas"):  # small products; parallelism comes from the tasks
        return _parquet_file_stats_1(path, offset, features, target, weights, fold_column, nfolds, seed)


def _parquet_file_stats_1(path: str, offset: int, features: list[str], target: str, weights: str | None,
                          fold_column: str | None, nfolds: int, seed: int) -> GramStats:
    import pyarrow.parquet as pq  # noqa: PLC0415 - heavy, see the imports

    p = len(features)
    step = _chunk_step(p)
    use = features + [target] + [c for c in (weights, fold_column) if c is not None]
    acc = _FoldAccumulator(nfolds, p)
    Xs = np.empty((step, p), order="F")  # rows grouped by fold; each column contiguous
    a = offset
    for batch in pq.ParquetFile(path).iter_batches(batch_size=step, columns=use):
        m = batch.num_rows
        if m == 0:
            continue
        if m > Xs.shape[0]:
            Xs = np.empty((m, p), order="F")
        cols = {name: batch.column(i) for i, name in enumerate(batch.schema.names)}
        fold = None if fold_column is None else cols[fold_column].to_numpy(zero_copy_only=False)
        fid = _fold_ids(fold, a, m, fold_column, nfolds, seed)
        order = np.argsort(fid, kind="stable")
        Xm = Xs[:m]
        for j, name in enumerate(features):
            np.take(np.asarray(cols[name].to_numpy(zero_copy_only=False), dtype=np.float64), order, out=Xm[:, j])
        y = np.asarray(cols[target].to_numpy(zero_copy_only=False), dtype=np.float64)[order]
        w = None if weights is None else np.asarray(cols[weights].to_numpy(zero_copy_only=False), dtype=np.float64)[order]
        _check_chunk(Xm, y, w, features, a)
        _accumulate_sorted(acc, Xm, y, w, fid[order])
        a += m
    return acc.to_stats()


def _combine(*parts: Any) -> Any:
    out = parts[0]
    for p in parts[1:]:
        out = out + p
    return out


def _tree_reduce(items: list[Any], fanin: int = 8) -> Any:
    from dask import delayed  # noqa: PLC0415 - heavy, see the imports

    level = items
    while len(level) > 1:
        level = [delayed(_combine, pure=True)(*level[i : i + fanin]) for i in range(0, len(level), fanin)]
    return level[0]


def _partition_lengths(source: Any, nparts: int) -> list[int] | None:
    """Row counts per partition from Parquet metadata when partitions are whole files."""
    files, kind = _expand(source)
    if kind != "parquet" or len(files) != nparts:
        return None
    import pyarrow.parquet as pq  # noqa: PLC0415 - heavy, see the imports

    return [int(pq.ParquetFile(f).metadata.num_rows) for f in files]


@dataclass
class GramStatsResult:
    """Per-fold Gram statistics of a partitioned data set (:func:`gram_stats_dask`)."""

    stats: GramStats
    feature_names: list[str]
    target: str
    n_rows: int
    n_partitions: int
    nfolds: int
    fold_method: str
    seed: int | None
    partition_rows: list[int] = field(default_factory=list)


def _compute(obj: Any, client: Any, scheduler: str | None, progress_bar: bool = False) -> Any:
    if client is not None:
        fut = client.compute(obj)
        return fut.result()
    import dask  # noqa: PLC0415 - heavy, see the imports

    if progress_bar:
        from dask.diagnostics import ProgressBar  # noqa: PLC0415 - heavy, see the imports

        with ProgressBar(out=sys.stderr):
            return dask.compute(obj, scheduler=scheduler or "threads")[0]
    return dask.compute(obj, scheduler=scheduler or "threads")[0]


@dataclass(frozen=True)
class OocData:
    """Where the rows are and how they are read and folded: the arguments every out-of-core fit shares.

    :func:`gram_stats_dask`, :func:`statprune.engines.outofcore_glm.cv_glm_dask` and
    :func:`statprune.cv_glmnet_ooc` take these as keywords (or one ``OocData``).

    Attributes
    ----------
    source : file, directory, glob pattern or list of files (Parquet or CSV), or a
        ``dask.dataframe.DataFrame`` you built yourself
    target : target column
    features : predictor columns (default: every other column, minus ``exclude``,
        ``weights``, ``offset`` and ``fold_column``)
    exclude : columns that are not predictors
    weights : column of observation weights
    offset : column of offsets (binomial/poisson: glmnet's ``offset``)
    fold_column : column of fold ids 1..K
    nfolds : K
    seed : the fold draw's seed (``folds="hash"``: ``None`` draws a fresh salt, recorded
        as the result's ``seed``; ``folds="r"``: required)
    folds : ``"hash"`` (default): :func:`hash_foldid` of the global row number;
        ``"r"``: R's ``set.seed(seed); sample(rep(1:K, length.out = n))`` over the global
        row order (:func:`statprune._glmnet.folds.r_foldid`, exactly ``cv.glmnet``'s
        folds for the same seed; needs the row count first)
    client : a ``distributed.Client``; default the local scheduler ``scheduler``
        (``"threads"``; ``"synchronous"``, ``"processes"``)
    blocksize : CSV bytes per partition
    fanin : partial statistics combined per reduction task
    progress_bar : show dask's progress bar on stderr (local schedulers)
    """

    source: Any
    target: str
    features: Sequence[str] | None = None
    exclude: Sequence[str] = ()
    weights: str | None = None
    offset: str | None = None
    fold_column: str | None = None
    nfolds: int = DEFAULTS.nfolds
    seed: int | None = None
    folds: str = "hash"
    client: Any = None
    scheduler: str | None = None
    blocksize: str | int | None = None
    fanin: int = 8
    progress_bar: bool = False

    @classmethod
    def split(cls, kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """``kwargs`` split into this class's fields and the rest (glmnet's arguments)."""
        names = set(cls.__dataclass_fields__)
        return {k: v for k, v in kwargs.items() if k in names}, {k: v for k, v in kwargs.items() if k not in names}

    @classmethod
    def of(cls, source: Any, target: str | None, kwargs: dict[str, Any]) -> OocData:
        """``source`` itself when it is an ``OocData`` (then no other argument), else a new one."""
        if isinstance(source, OocData):
            if target is not None or kwargs:
                raise ParameterError("give the data's arguments in the OocData or as keywords, not both")
            return source
        if target is None:
            raise ParameterError("target is required")
        return cls(source, target, **kwargs)


@dataclass
class _Plan:
    """What a pass over the data reads: the resolved columns, the folds, one task input per partition.

    ``parts`` holds ``(kind, src, offset, fold_slice)``: ``kind`` ``"parquet"`` (``src`` a
    file the task reads itself) or ``"frame"`` (``src`` a delayed pandas partition);
    ``offset`` the partition's first global row number; ``fold_slice`` the partition's
    R folds (``folds="r"``) or ``None``.
    """

    features: list[str]
    target: str
    weights: str | None
    offset: str | None
    fold_column: str | None
    nfolds: int
    salt: int
    fold_method: str
    parts: list[tuple[str, Any, int, Any]]
    lens: list[int]
    seed: int | None

    def light(self) -> _Plan:
        """This plan without its partitions: what each task needs (dask would ship every part to every task)."""
        return replace(self, parts=[], lens=[])


def _plan(data: OocData) -> _Plan:
    """Resolve the columns and folds of ``data`` and split it into per-partition task inputs."""
    from dask import delayed  # noqa: PLC0415 - heavy, see the imports

    source, target, features, exclude, weights = data.source, data.target, data.features, data.exclude, data.weights
    offset, fold_column, nfolds, seed, folds = data.offset, data.fold_column, data.nfolds, data.seed, data.folds
    client, scheduler, blocksize = data.client, data.scheduler, data.blocksize

    if folds not in ("hash", "r"):
        raise ParameterError(f"folds={folds!r}: use 'hash' (row-number hash) or 'r' (R's set.seed/sample folds)")
    is_ddf = hasattr(source, "to_delayed") and hasattr(source, "npartitions")
    cols = [str(c) for c in source.columns] if is_ddf else _schema(source)
    target = resolve_column(target, cols)
    weights = None if weights is None else resolve_column(weights, cols)
    offset = None if offset is None else resolve_column(offset, cols)
    fold_column = None if fold_column is None else resolve_column(fold_column, cols)
    exclude = [resolve_column(c, cols) for c in exclude]
    for c in [target, weights, offset, fold_column, *exclude]:
        if c is not None and c not in cols:
            raise DataError(f"column '{c}' not found; columns are: {', '.join(cols[:30])}")
    special = {target, weights, offset, fold_column, *exclude} - {None}
    if features is None:
        feats = [c for c in cols if c not in special]
    else:
        feats = [str(f) for f in features]
        missing = [f for f in feats if f not in cols]
        if missing:
            raise DataError(f"feature column(s) {missing} not found")
    if not feats:
        raise DataError("no predictor columns are left after removing the target and excluded columns")
    use = feats + [target] + [c for c in (weights, offset, fold_column) if c is not None]
    ddf = source[use] if is_ddf else read_partitions(source, columns=use, blocksize=blocksize)
    non_num = [c for c, dt in ddf.dtypes.items() if not (pd.api.types.is_numeric_dtype(dt) or pd.api.types.is_bool_dtype(dt))]
    if non_num:
        raise DataError(f"non-numeric column(s) {non_num}; encode them before the out-of-core fit")
    K = int(nfolds)
    if fold_column is not None and folds == "r":
        raise ParameterError("give either a fold column or folds='r', not both")
    salt = 0 if fold_column is not None or folds == "r" else hash_salt(seed)  # unused with a fold column or R folds
    if folds == "r" and seed is None:
        raise ParameterError("folds='r' needs a seed (R's set.seed(seed); sample(rep(1:K, length.out = n)))")
    if fold_column is not None:  # as cv.glmnet: with foldid, nfolds is max(foldid)
        kmax = _compute(ddf[fold_column].max(), client, scheduler)
        if not np.isfinite(float(kmax)) or float(kmax) != int(kmax):
            raise DataError(f"fold column '{fold_column}' must hold integers 1..K")
        K = int(kmax)
        if K < DEFAULTS.min_nfolds:
            raise DataError(f"fold column '{fold_column}' has folds 1..{K}; cv.glmnet needs at least 3 folds")
    if K < DEFAULTS.min_nfolds:
        raise ParameterError("nfolds must be at least 3")
    files = None if is_ddf else _expand(source)[0]
    file_lens = None if is_ddf else _partition_lengths(source, ddf.npartitions)
    if file_lens is not None and files is not None:  # Parquet, one partition per file: each task reads its file
        lens = file_lens
        srcs: list[tuple[str, Any]] = [("parquet", f) for f in files]
    else:
        parts = ddf.to_delayed(optimize_graph=True)
        if fold_column is None:  # CSV or a dask DataFrame: a counting pass gives the row numbers
            lens = [int(v) for v in _compute([delayed(len)(p) for p in parts], client, scheduler)]
        else:
            lens = [0] * len(parts)
        srcs = [("frame", p) for p in parts]
    offsets = np.concatenate([[0], np.cumsum(lens)])[:-1].astype(np.int64).tolist()
    fold_slices: list[Any] = [None] * len(srcs)
    if folds == "r":
        n = int(sum(lens))
        if n < K:
            raise DataError(f"{n} rows for {K} folds")
        fid = r_foldid(n, K, int(seed)).astype(np.int16 if K < 32_000 else np.int64)
        fold_slices = [fid[o : o + m] for o, m in zip(offsets, lens)]
    method = "column" if fold_column is not None else folds
    return _Plan(feats, target, weights, offset, fold_column, K, salt, method,
                 [(k, s, int(o), fs) for (k, s), o, fs in zip(srcs, offsets, fold_slices)],
                 list(lens) if fold_column is None else [], None if fold_column is not None else (salt if folds == "hash" else int(seed)))


def iter_chunks(kind: str, src: Any, offset: int, columns: Sequence[str], step: int) -> Any:
    """Yield ``(a, {column: float64 array})`` for consecutive row chunks of one partition (on a worker).

    ``a`` is the chunk's first global row number; a Parquet file is read in record
    batches of ``step`` rows, a pandas partition is sliced.
    """
    if kind == "parquet":
        import pyarrow.parquet as pq  # noqa: PLC0415 - heavy, see the imports

        a = offset
        for batch in pq.ParquetFile(src).iter_batches(batch_size=step, columns=list(columns)):
            m = batch.num_rows
            if m == 0:
                continue
            yield a, {name: np.asarray(batch.column(i).to_numpy(zero_copy_only=False), dtype=np.float64)
                      for i, name in enumerate(batch.schema.names)}
            a += m
        return
    for a in range(0, len(src), step):
        chunk = src.iloc[a : a + step]
        yield offset + a, {c: chunk[c].to_numpy(dtype=np.float64) for c in columns}


def chunk_folds(plan: _Plan, cols: dict, a: int, m: int, offset: int, fold_slice: Any) -> np.ndarray:
    """Fold ids (1..K) of the chunk of ``m`` rows starting at global row ``a``."""
    if fold_slice is not None:
        return np.asarray(fold_slice[a - offset : a - offset + m], dtype=np.int64)
    return _fold_ids(None if plan.fold_column is None else cols[plan.fold_column], a, m, plan.fold_column,
                     plan.nfolds, plan.salt)


def gram_stats_dask(source: Any, target: str | None = None, **data: Any) -> GramStatsResult:
    """Per-fold Gram statistics of Parquet/CSV data in one pass over the partitions.

    ``source``, ``target`` and the keywords are :class:`OocData`'s (or pass one
    ``OocData`` as ``source``): ``features``, ``exclude``, ``weights``,
    ``fold_column``, ``nfolds``, ``seed``, ``folds`` (``"hash"`` | ``"r"``),
    ``client``, ``scheduler``, ``blocksize``, ``fanin``, ``progress_bar``.
    """
    from dask import delayed  # noqa: PLC0415 - heavy, see the imports

    d = OocData.of(source, target, data)
    if d.offset is not None:
        raise ParameterError("offset: the gaussian out-of-core engine has no offsets (binomial/poisson do)")
    plan = _plan(d)
    light = plan.light()
    tasks = [delayed(_part_stats, pure=True)(kind, src, off, fs, light) for kind, src, off, fs in plan.parts]
    stats = _compute(_tree_reduce(tasks, fanin=d.fanin), d.client, d.scheduler, d.progress_bar)
    return GramStatsResult(
        stats=stats, feature_names=plan.features, target=plan.target, n_rows=int(stats.n.sum()),
        n_partitions=len(plan.parts), nfolds=plan.nfolds, fold_method=plan.fold_method, seed=plan.seed,
        partition_rows=plan.lens,
    )


def _part_stats(kind: str, src: Any, offset: int, fold_slice: Any, plan: _Plan) -> GramStats:
    if kind == "parquet" and fold_slice is None:
        return _parquet_file_stats(src, offset, plan.features, plan.target, plan.weights, plan.fold_column,
                                   plan.nfolds, plan.salt)
    if kind == "frame" and fold_slice is None:
        return _partition_stats(src, offset, plan.features, plan.target, plan.weights, plan.fold_column,
                                plan.nfolds, plan.salt)
    # R folds: the partition's slice of the fold vector
    p = len(plan.features)
    step = _chunk_step(p)
    use = plan.features + [plan.target] + [c for c in (plan.weights,) if c is not None]
    acc = _FoldAccumulator(plan.nfolds, p)
    buf = np.empty((step, p))
    with threadpool_limits(limits=1, user_api="blas"):
        for a, cols in iter_chunks(kind, src, offset, use, step):
            m = cols[plan.target].shape[0]
            X = np.column_stack([cols[f] for f in plan.features])
            y = cols[plan.target]
            w = None if plan.weights is None else cols[plan.weights]
            _check_chunk(X, y, w, plan.features, a)
            if m > buf.shape[0]:
                buf = np.empty((m, p))
            _accumulate(acc, X, y, w, chunk_folds(plan, cols, a, m, offset, fold_slice), buf)
    return acc.to_stats()
