"""The subsamples of a stability selection: ``stabs::subsample`` and ``stabs:::check_folds``."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from ..errors import ParameterError, SelectionWarning

__all__ = ["subsample_folds", "check_folds"]


def subsample_folds(n: int, B: int, seed: int | None, strata: np.ndarray | None = None) -> np.ndarray:
    """``B`` subsamples of ``floor(n/2)`` rows (within each stratum), as a 0/1 ``(n, B)`` matrix.

    The same construction as ``stabs::subsample`` (each column holds ``floor(n_s/2)``
    ones in stratum ``s``), drawn with numpy's ``default_rng(seed)`` in the calling
    process, so the subsamples never depend on ``n_jobs``.

    Examples
    --------
    >>> f = subsample_folds(7, 3, seed=1)
    >>> f.shape, f.sum(axis=0).tolist()
    ((7, 3), [3, 3, 3])
    """
    rng = np.random.default_rng(seed)
    folds = np.zeros((n, B), dtype=np.int8)
    groups = [np.arange(n)] if strata is None else [np.flatnonzero(strata == s) for s in pd.unique(strata)]
    for idx in groups:
        k = len(idx) // 2
        for b in range(B):
            folds[idx[rng.permutation(len(idx))[:k]], b] = 1
    return folds


def check_folds(folds: np.ndarray, B: int, n: int, sampling_type: str) -> np.ndarray:
    """``stabs:::check_folds``: validate and, for ``"SS"``, append the complements."""
    f = np.asarray(folds)
    if f.ndim != 2 or f.shape != (n, B) or not np.isin(f, (0, 1)).all():
        raise ParameterError(f"folds must be a 0/1 (or boolean) matrix of shape (n_rows, B) = ({n}, {B})")
    f = f.astype(np.int8)
    sizes = f.mean(axis=0)
    if not np.isin(sizes, (math.floor(n * 0.5) / n, math.ceil(n * 0.5) / n)).all():
        warnings.warn("Subsamples are not of size n/2; results might be wrong", SelectionWarning, stacklevel=3)
    if sampling_type == "SS":
        f = np.concatenate([f, 1 - f], axis=1)
    return f
