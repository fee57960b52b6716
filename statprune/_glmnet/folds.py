"""The one fold policy of statprune's cross-validation.

Three things, each once:

* **checking** a fold assignment given by the user (:func:`check_foldid`,
  :func:`check_nfolds`): ``foldid`` holds whole numbers ``1..K``, every fold has
  rows, ``K >= 3`` (``cv.glmnet``: "nfolds must be bigger than 3");
* **R's draw** (:func:`r_foldid`, :func:`draw_foldid`): ``cv.glmnet`` draws
  ``foldid = sample(rep(seq(nfolds), length = N))``. With a ``seed``, statprune
  reproduces ``set.seed(seed)`` followed by that draw bit for bit without R
  (:mod:`statprune._rng`, tested against R), so the fast engines and the R
  backend use the same folds;
* **the hash draw** of the out-of-core engine (:func:`hash_foldid`): the rows
  are never all in memory, so a permutation of ``1..N`` is not available; each
  global row number gets its fold from ``splitmix64``, in blocks of ``nfolds``
  rows (balanced, and the same whatever the partitioning).

What ``seed`` means
-------------------
``seed`` is always *the seed of the fold draw*, and ``None`` always means an
unseeded draw (different at every run), as in R without ``set.seed``:

* in memory (``GlmnetCV``, ``lasso``, the cross-check): ``seed`` is R's
  ``set.seed(seed)``: the folds are exactly those R's ``cv.glmnet`` draws after
  ``set.seed(seed)``;
* out of core (``lasso-ooc``): ``seed`` salts the hash draw (:func:`hash_salt`);
  the folds are reproducible and partition-independent, but they are NOT R's
  folds for that seed (R's draw needs the whole permutation). ``None`` draws a
  fresh salt, which the caller should record in its result.

Examples
--------
>>> r_foldid(12, 3, seed=1).tolist()   # R: set.seed(1); sample(rep(1:3, length = 12))
[3, 1, 1, 1, 2, 2, 3, 2, 3, 2, 3, 1]
>>> check_foldid([1, 2, 3, 1, 2, 3], 6).tolist()
[1, 2, 3, 1, 2, 3]
>>> sorted(np.bincount(hash_foldid(np.arange(20), 5, seed=1))[1:].tolist())
[4, 4, 4, 4, 4]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._rng import RRandom
from ..errors import DataError, ParameterError
from .params import DEFAULTS

__all__ = ["check_foldid", "check_nfolds", "draw_foldid", "hash_foldid", "hash_salt", "r_foldid"]

_M64 = 0xFFFFFFFFFFFFFFFF


# --------------------------------------------------------------------------- checks
def check_nfolds(nfolds: Any, n: int, *, what: str = "nfolds") -> int:
    """``nfolds`` as an int: at least 3 (glmnet's minimum) and at most the number of rows.

    Examples
    --------
    >>> check_nfolds(5, 20)
    5
    """
    if isinstance(nfolds, bool) or not isinstance(nfolds, (int, np.integer)) or nfolds < DEFAULTS.min_nfolds:
        raise ParameterError(f"{what}={nfolds!r} must be an integer >= 3 (glmnet's minimum; 10 is usual)")
    if nfolds > n:
        raise ParameterError(f"{what}={nfolds} is larger than the number of rows ({n})")
    return int(nfolds)


def check_foldid(foldid: Any, n: int, *, what: str = "foldid", min_folds: int = DEFAULTS.min_nfolds) -> np.ndarray:
    """A user fold assignment as int64 ``1..K``, or :class:`~statprune.errors.DataError` saying what is wrong.

    ``foldid`` must have one value per row, hold whole numbers from 1 (R's fold
    numbering), use every fold ``1..K`` and define at least ``min_folds`` folds.
    Missing values are refused. ``what`` names the argument or column in messages
    (e.g. ``"fold-id column 'fold'"``).

    Examples
    --------
    >>> check_foldid(np.array([1.0, 2, 3, 3]), 4).dtype
    dtype('int64')
    >>> check_foldid([1, 2, 4, 1], 4)
    Traceback (most recent call last):
    ...
    statprune.errors.DataError: foldid: fold(s) [3] have no rows; folds must be numbered 1..4 with every fold used
    """
    f = np.asarray(foldid).reshape(-1)
    if f.size != n:
        raise DataError(f"{what} has {f.size} values but the data has {n} rows")
    try:
        fi = f.astype(float)
    except (TypeError, ValueError):
        raise DataError(f"{what} must hold integers 1..K") from None
    if not np.isfinite(fi).all() or (fi != np.round(fi)).any() or (fi.size and fi.min() < 1):
        raise DataError(f"{what} must hold whole numbers 1..K (R's fold numbering starts at 1)")
    out = fi.astype(np.int64)
    K = int(out.max()) if out.size else 0
    missing = sorted(set(range(1, K + 1)) - set(out.tolist()))
    if missing:
        raise DataError(f"{what}: fold(s) {missing} have no rows; folds must be numbered 1..{K} with every fold used")
    if K < min_folds:
        raise DataError(f"{what} defines {K} folds; cv.glmnet needs at least {min_folds}")
    return out


# --------------------------------------------------------------------------- R's draw
def r_foldid(n: int, nfolds: int, seed: int) -> np.ndarray:
    """``set.seed(seed); sample(rep(seq(nfolds), length = n))``: ``cv.glmnet``'s folds, without R.

    R's Mersenne-Twister, ``set.seed`` scrambling and R >= 3.6 "Rejection" sampling
    (:class:`statprune._rng.RRandom`), bit for bit: ``rep(...)[sample.int(n)]``.

    Examples
    --------
    >>> r_foldid(10, 3, seed=42).tolist()   # R: set.seed(42); sample(rep(1:3, length = 10))
    [1, 2, 1, 2, 2, 1, 3, 3, 1, 3]
    """
    n, nfolds = int(n), int(nfolds)
    if nfolds < 1:
        raise ParameterError("nfolds must be >= 1")
    perm = RRandom(seed).sample_int(n)
    return (perm - 1) % nfolds + 1


def draw_foldid(n: int, nfolds: int = DEFAULTS.nfolds, seed: int | None = None) -> np.ndarray:
    """The folds ``cv.glmnet`` draws for ``n`` rows: R's for ``seed``, unseeded when ``seed`` is None.

    ``seed=None`` is R's ``cv.glmnet`` without ``set.seed``: a fresh random
    assignment with the same fold sizes (drawn by numpy; R's own stream is not
    reachable without a seed).
    """
    if seed is not None:
        return r_foldid(n, nfolds, seed)
    return np.random.default_rng().permutation(np.resize(np.arange(1, int(nfolds) + 1), int(n))).astype(np.int64)


# --------------------------------------------------------------------------- the out-of-core hash draw
def _splitmix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser on uint64 (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def hash_salt(seed: int | None) -> int:
    """The salt of the hash draw: ``seed`` itself, or a fresh random one for ``None`` (record it)."""
    if seed is None:
        return int(np.random.default_rng().integers(0, 2**31 - 1))
    return int(seed)


def hash_foldid(index: Any, nfolds: int, seed: int = 0) -> np.ndarray:
    """Fold (1..nfolds) of each global row number: balanced, seeded, partition-independent.

    Row ``i`` belongs to block ``i // nfolds``; within a block the folds are given in
    the order of ``splitmix64(splitmix64(seed) + i)``. Any subset of row numbers
    gets the folds it would get as part of the whole table.

    Examples
    --------
    >>> f = hash_foldid(np.arange(20), 5, seed=1)
    >>> bool((hash_foldid(np.arange(10, 20), 5, seed=1) == f[10:]).all())
    True
    """
    idx = np.asarray(index, dtype=np.int64).reshape(-1)
    K = int(nfolds)
    if K < 1:
        raise ParameterError(f"nfolds must be positive, got {nfolds}")
    if idx.size == 0:
        return np.zeros(0, dtype=np.int64)
    if (idx < 0).any():
        raise ParameterError("row numbers must be >= 0")
    salt = _splitmix64(np.array([int(seed) & _M64], dtype=np.uint64))[0]
    b0, b1 = int(idx.min() // K), int(idx.max() // K)
    full = np.arange(b0 * K, (b1 + 1) * K, dtype=np.int64)
    with np.errstate(over="ignore"):
        keys = _splitmix64(full.astype(np.uint64) + salt).reshape(-1, K)
    ranks = np.empty_like(keys, dtype=np.int64)
    order = np.argsort(keys, axis=1, kind="stable")
    np.put_along_axis(ranks, order, np.arange(K, dtype=np.int64)[None, :].repeat(keys.shape[0], 0), axis=1)
    return ranks.reshape(-1)[idx - b0 * K] + 1
