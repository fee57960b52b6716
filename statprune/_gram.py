"""Exact Gaussian ``cv.glmnet`` from sufficient (Gram) statistics: ``engine="gram"``.

For the Gaussian family everything ``glmnet`` computes depends on the data only
through weighted counts, means and the centred cross-products ``X'WX``,
``X'Wy`` and ``y'Wy``.  This module computes those statistics once per CV fold
(one pass over the rows, BLAS ``syrk``), obtains every training set's
statistics by combining the other folds' (Chan's parallel update, no raw
uncentred sums), runs glmnet's covariance-mode coordinate descent on the
``p x p`` Gram matrix, and evaluates each held-out fold's squared error from
that fold's own statistics: the ``n`` rows are never touched again.

Two layers:

1. :func:`gram_stats` -> :class:`GramStats` (per fold; ``a + b`` combines the
   statistics of two row blocks, so out-of-core callers can sum per-partition
   statistics);
2. :func:`cv_glmnet_gram_from_stats` -> the ``CVGlmnetOutput`` dict of
   :mod:`statprune.lasso` (``fit=None``); :func:`cv_glmnet_gram` wraps both for
   in-memory arrays, :func:`glmnet_path_from_stats` fits one path.

The semantics are those of glmnet 4.1 (``glmnetpp`` ``elnet`` covariance
method, ``cv.glmnet.raw``, ``buildPredmat.default``, ``lambda.interp``,
``cvstats``, ``getOptcv.glmnet``): same lambda sequence (lambda_max from the
gradient after the unpenalised variables are fitted, ``lambda.min.ratio``
1e-4 or 1e-2 when ``n < p``, early stop on ``fdev``/``devmax`` after ``mnlam``
lambdas, first lambda re-extrapolated by ``fix.lam``), each fold fitted with
its own sequence and interpolated at the full-data lambdas.  Coordinate
descent follows glmnet's own iterations (the covariance method for ``p < 500``,
the naive method for ``p >= 500``, as R's default ``type.gaussian`` picks), so
results agree with R to rounding at any ``thresh``, not only when converged.

Not covered (callers fall back to R): ``type_measure="mae"`` (needs per-row
residuals), ungrouped CV (fewer than 3 rows per fold), offsets, relaxed fits,
non-Gaussian families.  :class:`GramNotSupported` is raised for these.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = rng.standard_normal((200, 5)); y = X[:, 0] - 2 * X[:, 1] + rng.standard_normal(200)
>>> foldid = np.arange(200) % 5 + 1
>>> out = cv_glmnet_gram(X, y, foldid=foldid)
>>> out["name"], out["beta"].shape[0], bool(out["lambda_min"] <= out["lambda_1se"])
('Mean-Squared Error', 5, True)
>>> whole = gram_stats(X, y, foldid=foldid)
>>> parts = gram_stats(X[:70], y[:70], foldid=foldid[:70], nfolds=5) + gram_stats(
...     X[70:], y[70:], foldid=foldid[70:], nfolds=5)
>>> bool(np.allclose(parts.xx, whole.xx, rtol=1e-12, atol=1e-9))
True
"""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass, fields
from typing import Any, Callable, Sequence

import numpy as np

from statprune.errors import ConvergenceWarning, DataError, GramNotSupported, ParameterError, StatpruneError

__all__ = [
    "GramNotSupported",
    "GramStats",
    "cv_glmnet_gram",
    "cv_glmnet_gram_from_stats",
    "glmnet_path_from_stats",
    "gram_stats",
    "gram_unsupported_reason",
    "progress_hook",
    "r_foldid",
]

# glmnet.control() factory defaults
_FDEV = 1e-5
_DEVMAX = 0.999
_EPS = 1e-6
_BIG = 9.9e35
_MNLAM = 5
_CHUNK_ELEMENTS = 1 << 22  # rows per block: about 32 MB of float64
_MULTITHREAD_FLOPS = 2e9  # n * p^2 below which the statistics are computed in one thread

_MEASURE_NAMES = {"mse": "Mean-Squared Error", "deviance": "Mean-squared Error"}


def gram_unsupported_reason(
    *,
    family: str = "gaussian",
    type_measure: str = "default",
    offset: Any = None,
    relax: bool = False,
    n: int | None = None,
    nfolds: int | None = None,
) -> str | None:
    """Why the Gram engine cannot serve this request (``None`` when it can).

    Examples
    --------
    >>> gram_unsupported_reason(type_measure="mae")
    "type_measure='mae' needs per-row residuals, which Gram statistics do not keep"
    >>> gram_unsupported_reason() is None
    True
    """
    if family != "gaussian":
        return f"family={family!r}: the Gram engine is Gaussian only"
    if type_measure == "mae":
        return "type_measure='mae' needs per-row residuals, which Gram statistics do not keep"
    if type_measure not in ("default", "mse", "deviance"):
        return f"type_measure={type_measure!r}: the Gram engine computes the Gaussian mse/deviance only"
    if offset is not None:
        return "offset is not supported by the Gram engine"
    if relax:
        return "relax=True is not supported by the Gram engine"
    if n is not None and nfolds is not None and n / nfolds < 3:
        return "fewer than 3 rows per fold: cv.glmnet switches to ungrouped CV, which needs per-row residuals"
    return None


_CONTROLLER: list[Any] = []


def _blas_single_thread() -> Any:
    """Context pinning BLAS to one thread: the p x p stages are small, and
    OpenBLAS threads spinning on a busy machine cost far more than they save."""
    try:
        if not _CONTROLLER:
            from threadpoolctl import ThreadpoolController

            _CONTROLLER.append(ThreadpoolController())
        return _CONTROLLER[0].limit(limits=1, user_api="blas")
    except Exception:  # pragma: no cover - threadpoolctl is a dependency; never fail on it
        import contextlib

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


def _block_stats(X: np.ndarray, y: np.ndarray, w: np.ndarray | None) -> tuple:
    """Statistics of one block of rows; ``X`` may be modified in place (pass a copy or owned buffer)."""
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
    with _blas_single_thread():
        _fill_stats(stats, X, y, w, blocks, chunk, workers)
    return stats


def _blas_threads() -> int:
    """Threads BLAS would use now (respects threadpoolctl limits set by the caller)."""
    try:
        from threadpoolctl import threadpool_info

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
            res = _block_stats(X.copy(), y, w)
        else:
            res = _block_stats(X[sub], y[sub], None if w is None else w[sub])  # a C-ordered copy, fast for F input too
        return GramStats(*(np.asarray(v)[None, ...] for v in res))

    acc: dict[int, GramStats] = {}

    def consume(parts: Any) -> None:  # combine as results arrive: memory stays bounded
        for (k, _), part in zip(tasks, parts):
            acc[k] = part if k not in acc else acc[k] + part

    if workers > 1 and len(tasks) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers) as pool:
            consume(pool.map(one, tasks))
    else:
        consume(one(t) for t in tasks)
    for k, st in acc.items():
        for f in fields(stats):
            getattr(stats, f.name)[k] = getattr(st, f.name)[0]


# ----------------------------------------------------------------------------- path solver


def _path_kernel(naive: bool) -> Callable:
    """The compiled path kernel: C through ctypes (:mod:`statprune._native`), else numba."""
    from statprune import _native

    k = _native.elnet_kernel(naive)
    if k is not None:
        return k
    from statprune import _gram_numba

    return _gram_numba._elnet_naive_path if naive else _gram_numba._elnet_cov_path


# ----------------------------------------------------------------------------- glmnet on stats


@dataclass
class _Settings:
    alpha: float
    lambda_: np.ndarray | None
    nlambda: int
    lambda_min_ratio: float | None
    standardize: bool
    fit_intercept: bool
    vp: np.ndarray
    cl: np.ndarray  # (2, p), infinities replaced by +-big
    exclude: np.ndarray  # bool (p,)
    thresh: float
    maxit: int
    sml: float
    naive: bool = False


def _settings(
    p: int,
    *,
    alpha: float,
    lambda_: Any,
    nlambda: int,
    lambda_min_ratio: float | None,
    standardize: bool,
    fit_intercept: bool,
    penalty_factor: Any,
    lower_limits: Any,
    upper_limits: Any,
    thresh: float,
    maxit: int,
    exclude_idx: Any,
    type_gaussian: str | None = None,
) -> _Settings:
    alpha = float(alpha)
    if not 0.0 <= alpha <= 1.0:
        raise ParameterError(f"alpha must be in [0, 1], got {alpha}")
    vp = np.ones(p) if penalty_factor is None else np.asarray(penalty_factor, dtype=float).reshape(-1).copy()
    if vp.shape[0] != p:
        raise ParameterError(f"penalty_factor has {vp.shape[0]} elements but X has {p} columns")
    exclude = np.zeros(p, dtype=bool)
    if exclude_idx is not None and len(exclude_idx):
        idx = np.asarray(exclude_idx, dtype=np.int64).reshape(-1)
        if idx.min() < 0 or idx.max() >= p:
            raise ParameterError(f"exclude_idx must be 0-based column indices in 0..{p - 1}")
        exclude[idx] = True
    exclude |= np.isinf(vp) & (vp > 0)
    vp[exclude] = 1.0
    if vp.max() <= 0:
        raise ParameterError("penalty_factor must have at least one positive entry")
    vp = np.maximum(vp, 0.0)
    vp = vp * (p / vp.sum())

    def _lim(v: Any, name: str) -> np.ndarray:
        arr = np.asarray(v, dtype=float).reshape(-1)
        if arr.shape[0] == 1:
            arr = np.repeat(arr, p)
        elif arr.shape[0] < p:
            raise ParameterError(f"{name} must have length 1 or {p}")
        return arr[:p].copy()

    lo = _lim(lower_limits, "lower_limits")
    hi = _lim(upper_limits, "upper_limits")
    if np.any(lo > 0):
        raise ParameterError("lower_limits must be non-positive")
    if np.any(hi < 0):
        raise ParameterError("upper_limits must be non-negative")
    lo[lo == -np.inf] = -_BIG
    hi[hi == np.inf] = _BIG
    cl = np.vstack([lo, hi])
    sml = 0.0 if np.any(cl == 0) else _FDEV
    lam = None
    if lambda_ is not None:
        lam = np.asarray(lambda_, dtype=float).reshape(-1)
        if np.any(lam < 0):
            raise ParameterError("lambda_ values must be non-negative")
        lam = np.sort(lam)[::-1].copy()
    elif lambda_min_ratio is not None and lambda_min_ratio >= 1:
        raise ParameterError("lambda_min_ratio should be less than 1")
    if type_gaussian is None:
        naive = p >= 500  # glmnet: type.gaussian = ifelse(nvars < 500, "covariance", "naive")
    elif type_gaussian in ("covariance", "naive"):
        naive = type_gaussian == "naive"
    else:
        raise ParameterError(f"type_gaussian={type_gaussian!r}; use 'covariance', 'naive' or None (glmnet's rule)")
    return _Settings(alpha, lam, int(nlambda), lambda_min_ratio, bool(standardize), bool(fit_intercept),
                     vp, cl, exclude, float(thresh), int(maxit), sml, naive)


def glmnet_path_from_stats(stats: GramStats, *, _settings_obj: _Settings | None = None, **kwargs: Any) -> dict:
    """One ``glmnet(family="gaussian")`` path from one-fold :class:`GramStats`.

    Keyword arguments are those of :func:`cv_glmnet_gram_from_stats` (without
    ``type_measure``).  Returns a dict with ``lambda`` (L,), ``a0`` (L,),
    ``beta`` (p, L) on the original scale, ``dev_ratio`` (L,), ``nulldev``,
    ``df`` (L,), ``npasses`` and ``jerr`` (glmnet's codes; negative: the path
    stopped early because ``maxit`` was reached, with a ConvergenceWarning).
    """
    if stats.nfolds != 1:
        stats = stats.total()
    p = stats.n_features
    s = _settings_obj if _settings_obj is not None else _settings(p, **_path_kwargs(kwargs))
    W = float(stats.w[0])
    nobs = int(stats.n[0])
    if W <= 0:
        raise DataError("the weights sum to zero: nothing to fit")
    ju = (stats.x_min[0] < stats.x_max[0]) & ~s.exclude
    if not ju.any():
        raise ParameterError("all variables are constant or excluded: nothing to fit")
    xx, xy, yy = stats.xx[0], stats.xy[0], float(stats.yy[0])
    mx, my = stats.mean_x[0], float(stats.mean_y[0])
    cvar = np.diag(xx) / W  # centred weighted variances
    if s.fit_intercept:
        nulldev = yy
        ym = my
        ys = math.sqrt(yy / W)
        xm = mx
        if s.standardize:
            xs = np.sqrt(cvar)
            xv = np.ones(p)
        else:
            xs = np.ones(p)
            xv = cvar.copy()
        gram = xx / W
        gy = xy / W
    else:
        U = xx + W * np.outer(mx, mx)
        uxy = xy + W * mx * my
        uyy = yy + W * my * my
        nulldev = uyy
        ym = 0.0
        ys = math.sqrt(uyy / W)
        xm = np.zeros(p)
        xv = np.diag(U) / W
        if s.standardize:
            xs = np.sqrt(cvar)
            with np.errstate(divide="ignore", invalid="ignore"):
                xv = 1.0 + mx * mx / cvar
        else:
            xs = np.ones(p)
        gram = U / W
        gy = uxy / W
    if nulldev == 0 or ys == 0:
        raise DataError("y is constant; gaussian glmnet fails at standardization step")
    xs = np.where(ju, xs, 1.0)
    xv = np.where(ju, xv, 1.0)
    G = gram / np.outer(xs, xs)
    G[~ju, :] = 0.0
    G[:, ~ju] = 0.0
    np.fill_diagonal(G, xv)
    g = np.where(ju, gy / (xs * ys), 0.0)
    cl = s.cl / ys
    if s.standardize:
        cl = cl * xs[None, :]
    if s.lambda_ is not None:
        flmin = 1.0
        ulam = s.lambda_ / ys
        nlam = ulam.shape[0]
    else:
        lmr = s.lambda_min_ratio
        if lmr is None:
            lmr = 0.01 if nobs < p else 1e-4
        flmin = float(lmr)
        ulam = np.zeros(1)
        nlam = s.nlambda
    kernel = _path_kernel(s.naive)
    lmu, ao, almo, rsqo, nlp, jerr = kernel(
        np.ascontiguousarray(G), g, xv, s.vp, np.ascontiguousarray(cl), ju, s.alpha, flmin, ulam, nlam,
        s.thresh, s.maxit, s.sml, _DEVMAX, _MNLAM, _EPS, _BIG, p + 1,
    )
    if jerr < 0:
        warnings.warn(
            f"Convergence for {-jerr}th lambda value not reached after maxit={s.maxit} iterations; "
            "solutions for larger lambdas returned",
            ConvergenceWarning,
            stacklevel=3,
        )
    if lmu < 1:
        raise StatpruneError("an empty model has been returned; probably a convergence issue")
    beta = (ao[:lmu].T * (ys / xs)[:, None]).copy()
    beta[~ju, :] = 0.0
    a0 = ym - xm @ beta if s.fit_intercept else np.zeros(lmu)
    lam = almo[:lmu] * ys
    if s.lambda_ is None and lam.shape[0] > 2:  # fix.lam
        llam = np.log(lam[:3])
        lam[0] = math.exp(2 * llam[1] - llam[2])
    return {
        "lambda": lam,
        "a0": np.asarray(a0, dtype=float),
        "beta": beta,
        "dev_ratio": rsqo[:lmu].copy(),
        "nulldev": float(nulldev),
        "df": (beta != 0).sum(axis=0),
        "npasses": int(nlp),
        "jerr": int(jerr),
    }


def _path_kwargs(kwargs: dict) -> dict:
    defaults = dict(
        alpha=1.0, lambda_=None, nlambda=100, lambda_min_ratio=None, standardize=True, fit_intercept=True,
        penalty_factor=None, lower_limits=-np.inf, upper_limits=np.inf, thresh=1e-7, maxit=100000,
        exclude_idx=None, type_gaussian=None,
    )
    unknown = set(kwargs) - set(defaults)
    if unknown:
        raise TypeError(f"unexpected keyword argument(s): {', '.join(sorted(unknown))}")
    defaults.update(kwargs)
    return defaults


def _lambda_interp(lam: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """glmnet:::lambda.interp (0-based left/right)."""
    if lam.shape[0] == 1:
        k = s.shape[0]
        z = np.zeros(k, dtype=np.int64)
        return z, z.copy(), np.ones(k)
    k = lam.shape[0]
    sfrac = (lam[0] - s) / (lam[0] - lam[k - 1])
    lamn = (lam[0] - lam) / (lam[0] - lam[k - 1])
    sfrac = np.clip(sfrac, lamn.min(), lamn.max())
    coord = np.interp(sfrac, lamn, np.arange(1, k + 1, dtype=float))
    left = np.floor(coord).astype(np.int64) - 1
    right = np.ceil(coord).astype(np.int64) - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = (sfrac - lamn[right]) / (lamn[left] - lamn[right])
    frac[left == right] = 1.0
    frac[np.abs(lamn[left] - lamn[right]) < np.finfo(float).eps] = 1.0
    return left, right, frac


def _heldout_sse(fold: GramStats, a0: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Weighted sum of squared prediction errors of one held-out fold, from its statistics only."""
    xx, xy, yy = fold.xx[0], fold.xy[0], float(fold.yy[0])
    W = float(fold.w[0])
    quad = np.einsum("jl,jl->l", beta, xx @ beta)
    lin = xy @ beta
    off = float(fold.mean_y[0]) - a0 - fold.mean_x[0] @ beta
    return yy - 2.0 * lin + quad + W * off * off


def cv_glmnet_gram_from_stats(
    stats: GramStats,
    *,
    alpha: float = 1.0,
    lambda_: Any = None,
    nlambda: int = 100,
    lambda_min_ratio: float | None = None,
    standardize: bool = True,
    fit_intercept: bool = True,
    penalty_factor: Any = None,
    lower_limits: Any = -np.inf,
    upper_limits: Any = np.inf,
    thresh: float = 1e-7,
    maxit: int = 100000,
    exclude_idx: Any = None,
    type_measure: str = "default",
    progress: Callable[[int, int], None] | None = None,
    type_gaussian: str | None = None,
) -> dict:
    """``cv.glmnet(family="gaussian")`` from per-fold :class:`GramStats`.

    Parameters are glmnet's (``lambda_`` = ``lambda``, ``fit_intercept`` =
    ``intercept``, ``exclude_idx`` = 0-based ``exclude``).  ``progress``, when
    given, is called as ``progress(done, total)`` after each of the
    ``nfolds + 1`` path fits.

    Returns
    -------
    dict
        The ``CVGlmnetOutput`` of :mod:`statprune.lasso` with ``fit=None`` and
        ``foldid=None`` (the wrapper :func:`cv_glmnet_gram` fills it), plus
        ``cvraw`` (K, L) per-fold mean squared errors and ``fold_weights`` (K,).

    Raises
    ------
    GramNotSupported
        For ``type_measure="mae"`` or ungrouped CV (fewer than 3 rows per fold).
    """
    with _blas_single_thread():
        return _cv_from_stats(
            stats, alpha=alpha, lambda_=lambda_, nlambda=nlambda, lambda_min_ratio=lambda_min_ratio,
            standardize=standardize, fit_intercept=fit_intercept, penalty_factor=penalty_factor,
            lower_limits=lower_limits, upper_limits=upper_limits, thresh=thresh, maxit=maxit,
            exclude_idx=exclude_idx, type_measure=type_measure, progress=progress, type_gaussian=type_gaussian,
        )


def _cv_from_stats(stats: GramStats, *, alpha: float, lambda_: Any, nlambda: int, lambda_min_ratio: float | None,
                   standardize: bool, fit_intercept: bool, penalty_factor: Any, lower_limits: Any,
                   upper_limits: Any, thresh: float, maxit: int, exclude_idx: Any, type_measure: str,
                   progress: Callable[[int, int], None] | None, type_gaussian: str | None = None) -> dict:
    reason = gram_unsupported_reason(type_measure=type_measure)
    if reason:
        raise GramNotSupported(reason)
    measure = "mse" if type_measure == "default" else type_measure
    K = stats.nfolds
    N = int(stats.n.sum())
    if K < 3:
        raise ParameterError("nfolds must be bigger than 3; nfolds=10 recommended")
    if N / K < 3:
        raise GramNotSupported(gram_unsupported_reason(n=N, nfolds=K))
    if lambda_ is not None and np.asarray(lambda_).size < 2:
        raise ParameterError("Need more than one value of lambda for cv.glmnet")
    if np.any(stats.n == 0):
        raise ParameterError("every fold must hold at least one row (foldid must use every value 1..K)")
    if not (np.isfinite(stats.xx).all() and np.isfinite(stats.xy).all() and np.isfinite(stats.yy).all()):
        raise DataError("X or y holds NaN or inf values; remove or impute them first")
    p = stats.n_features
    settings = _settings(
        p, alpha=alpha, lambda_=lambda_, nlambda=nlambda, lambda_min_ratio=lambda_min_ratio,
        standardize=standardize, fit_intercept=fit_intercept, penalty_factor=penalty_factor,
        lower_limits=lower_limits, upper_limits=upper_limits, thresh=thresh, maxit=maxit,
        exclude_idx=exclude_idx, type_gaussian=type_gaussian,
    )
    total = K + 1
    full = glmnet_path_from_stats(stats.total(), _settings_obj=settings)
    if progress is not None:
        progress(1, total)
    lam = full["lambda"]
    L = lam.shape[0]
    cvraw = np.empty((K, L))
    fold_w = stats.w.copy()
    # every training set as (folds before k) + (folds after k): O(K) pairwise combines, no subtraction
    suffix = [GramStats.empty(1, p)]
    for k in range(K - 1, 0, -1):
        suffix.append(suffix[-1] + stats.fold(k))
    suffix = suffix[::-1]  # suffix[k] = folds k+1..K-1
    prefix = GramStats.empty(1, p)
    for k in range(K):
        if k:
            prefix = prefix + stats.fold(k - 1)
        train = prefix + suffix[k]
        suffix[k] = None  # free as we go
        fit = glmnet_path_from_stats(train, _settings_obj=settings)
        left, right, frac = _lambda_interp(fit["lambda"], lam)
        b = fit["beta"][:, left] * frac + fit["beta"][:, right] * (1.0 - frac)
        a0 = fit["a0"][left] * frac + fit["a0"][right] * (1.0 - frac)
        fold = stats.fold(k)
        cvraw[k] = _heldout_sse(fold, a0, b) / float(fold.w[0])
        if progress is not None:
            progress(k + 2, total)
    wsum = fold_w.sum()
    cvm = (fold_w @ cvraw) / wsum
    cvsd = np.sqrt((fold_w @ (cvraw - cvm) ** 2) / wsum / (K - 1))
    nzero = (full["beta"] != 0).sum(axis=0).astype(np.int64)
    # getOptcv.glmnet
    cvmin = cvm.min()
    lambda_min = lam[cvm <= cvmin].max()
    idmin = int(np.nonzero(lam == lambda_min)[0][0])
    semin = cvm[idmin] + cvsd[idmin]
    lambda_1se = lam[cvm <= semin].max()
    id1se = int(np.nonzero(lam == lambda_1se)[0][0])
    return {
        "lambda": lam,
        "cvm": cvm,
        "cvsd": cvsd,
        "cvup": cvm + cvsd,
        "cvlo": cvm - cvsd,
        "nzero": nzero,
        "lambda_min": float(lambda_min),
        "lambda_1se": float(lambda_1se),
        "index_min": idmin + 1,
        "index_1se": id1se + 1,
        "name": _MEASURE_NAMES[measure],
        "type_measure": measure,
        "a0": full["a0"],
        "beta": full["beta"],
        "dev_ratio": full["dev_ratio"],
        "nulldev": full["nulldev"],
        "df": full["df"],
        "foldid": None,
        "fit": None,
        "cvraw": cvraw,
        "fold_weights": fold_w,
        "engine": "gram",
    }


_PROGRESS_HOOK: list[Callable[[int, int], None]] = []


class progress_hook:  # noqa: N801 - used as a context manager, like contextlib helpers
    """Route the progress of every Gram-engine CV run inside the block to ``callback(done, total)``.

    Lets a caller that does not build the call itself (the CLI, through
    :class:`statprune.lasso.GlmnetCV`) show a progress bar.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).standard_normal((60, 3)); y = X[:, 0] + 1
    >>> seen = []
    >>> with progress_hook(lambda done, total: seen.append(done)):
    ...     _ = cv_glmnet_gram(X, y, foldid=np.arange(60) % 3 + 1)
    >>> seen
    [1, 2, 3, 4]
    """

    def __init__(self, callback: Callable[[int, int], None]) -> None:
        self.callback = callback

    def __enter__(self) -> progress_hook:
        _PROGRESS_HOOK.append(self.callback)
        return self

    def __exit__(self, *exc: Any) -> None:
        _PROGRESS_HOOK.remove(self.callback)


def cv_glmnet_gram(
    X: Any,
    y: Any,
    *,
    weights: Any = None,
    foldid: Any = None,
    nfolds: int = 10,
    seed: int | None = None,
    alpha: float = 1.0,
    lambda_: Any = None,
    nlambda: int = 100,
    lambda_min_ratio: float | None = None,
    standardize: bool = True,
    fit_intercept: bool = True,
    penalty_factor: Any = None,
    lower_limits: Any = -np.inf,
    upper_limits: Any = np.inf,
    thresh: float = 1e-7,
    maxit: int = 100000,
    exclude_idx: Any = None,
    type_measure: str = "default",
    progress: Callable[[int, int], None] | None = None,
    type_gaussian: str | None = None,
) -> dict:
    """``cv.glmnet(X, y, family="gaussian", ...)`` computed from Gram statistics.

    ``foldid`` (values ``1..K``) fixes the folds.  Without it, folds are drawn
    as ``cv.glmnet`` draws them: with ``seed``, R's own
    ``set.seed(seed); sample(rep(seq(nfolds), length = n))`` (reproduced without
    R by :mod:`statprune._rng`); without ``seed``, with numpy's generator.
    Other parameters and the returned dict: see
    :func:`cv_glmnet_gram_from_stats`; ``foldid`` holds the folds used.
    """
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    reason = gram_unsupported_reason(type_measure=type_measure)
    if reason:
        raise GramNotSupported(reason)
    if foldid is None:
        foldid = r_foldid(n, nfolds, seed) if seed is not None else np.random.default_rng().permutation(
            np.resize(np.arange(1, nfolds + 1), n))
    foldid = np.asarray(foldid).astype(np.int64).reshape(-1)
    K = int(foldid.max())
    if n / K < 3:
        raise GramNotSupported(gram_unsupported_reason(n=n, nfolds=K))
    if progress is None and _PROGRESS_HOOK:
        progress = _PROGRESS_HOOK[-1]
    stats = gram_stats(X, y, weights, foldid, nfolds=K)
    out = cv_glmnet_gram_from_stats(
        stats, alpha=alpha, lambda_=lambda_, nlambda=nlambda, lambda_min_ratio=lambda_min_ratio,
        standardize=standardize, fit_intercept=fit_intercept, penalty_factor=penalty_factor,
        lower_limits=lower_limits, upper_limits=upper_limits, thresh=thresh, maxit=maxit,
        exclude_idx=exclude_idx, type_measure=type_measure, progress=progress, type_gaussian=type_gaussian,
    )
    out["foldid"] = foldid
    return out


def r_foldid(n: int, nfolds: int, seed: int) -> np.ndarray:
    """R's fold assignment ``set.seed(seed); sample(rep(seq(nfolds), length = n))``, computed without R.

    :mod:`statprune._rng` reproduces R's Mersenne-Twister, ``set.seed`` scrambling
    and R >= 3.6 "Rejection" sampling exactly (tested against R).
    """
    from statprune._rng import r_sample_folds

    return r_sample_folds(int(n), int(nfolds), int(seed))
