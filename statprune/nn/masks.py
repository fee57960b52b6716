"""TF-MOT's magnitude masks (``pruning_impl.py``): keep the ``k`` largest ``|w|``, ties at the threshold kept.

For a weight tensor of ``n`` entries and sparsity ``s``, TF-MOT keeps
``k = max(round(float32(n) * (1 - s)), 1)`` weights (``round`` half to even), takes the
``k``-th largest magnitude as the threshold and keeps every weight with
``|w| >= threshold``. Global masks (statprune's extension) pool every tensor under one
threshold with the same rule.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import DataError, ParameterError
from ._checks import check_sparsity

__all__ = ["magnitude_mask", "global_magnitude_masks"]


def _n_keep(n: int, sparsity: float) -> int:
    """TF-MOT: ``k = max(round(float32(n) * (1 - sparsity)), 1)`` in float32, half to even."""
    f32 = np.float32
    return int(max(np.round(f32(n) * (f32(1.0) - f32(sparsity))), f32(1.0)))


def _threshold_mask(abs_flat: np.ndarray, sparsity: float) -> tuple[float, np.ndarray]:
    n = abs_flat.size
    k = _n_keep(n, sparsity)
    # tf.math.top_k(sorted=True): descending, equal values in index order (stable)
    order = np.argsort(-abs_flat, kind="stable")
    pos = order[k - 1]
    threshold = abs_flat[pos]
    mask = abs_flat >= threshold
    mask[pos] = True
    return float(threshold), mask


def magnitude_mask(weights: np.ndarray, sparsity: float) -> tuple[float, np.ndarray]:
    """TF-MOT's magnitude mask of one weight tensor.

    Parameters
    ----------
    weights : array
    sparsity : float in [0, 1)

    Returns
    -------
    threshold : float
        The ``k``-th largest ``|w|`` with ``k = max(round(n * (1 - sparsity)), 1)``.
    mask : bool array, same shape
        ``|w| >= threshold`` (ties at the threshold are kept).

    Examples
    --------
    >>> import numpy as np
    >>> t, m = magnitude_mask(np.array([[0.1, -0.4], [0.3, -0.2]]), 0.5)
    >>> t, m.astype(int).tolist()
    (0.3, [[0, 1], [1, 0]])
    >>> magnitude_mask(np.array([1.0, 1.0, 1.0, 2.0]), 0.5)[1].tolist()  # ties are all kept
    [True, True, True, True]
    """
    w = np.asarray(weights)
    if w.size == 0:
        raise ParameterError("cannot prune an empty weight tensor")
    if not np.isfinite(w).all():
        raise DataError("the weights contain NaN or inf; the network diverged, retrain it before pruning")
    check_sparsity(sparsity, "sparsity")
    thr, mask = _threshold_mask(np.abs(w).ravel(), sparsity)
    return thr, mask.reshape(w.shape)


def global_magnitude_masks(weights: Sequence[np.ndarray], sparsity: float) -> tuple[float, list[np.ndarray]]:
    """One threshold for all tensors pooled (statprune's global pruning); same rule as :func:`magnitude_mask`.

    Examples
    --------
    >>> import numpy as np
    >>> t, ms = global_magnitude_masks([np.array([0.1, 0.2]), np.array([0.3, 0.4])], 0.5)
    >>> t, [m.tolist() for m in ms]
    (0.3, [[False, False], [True, True]])
    """
    ws = [np.asarray(w) for w in weights]
    if not ws:
        raise ParameterError("no weight tensors to prune")
    flat = np.concatenate([np.abs(w).ravel() for w in ws])
    if not np.isfinite(flat).all():
        raise DataError("the weights contain NaN or inf; the network diverged, retrain it before pruning")
    check_sparsity(sparsity, "sparsity")
    thr, mask = _threshold_mask(flat, sparsity)
    out, start = [], 0
    for w in ws:
        out.append(mask[start : start + w.size].reshape(w.shape))
        start += w.size
    return thr, out
