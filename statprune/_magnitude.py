"""Columns whose magnitude double precision cannot carry through the computation.

glmnet standardises every column (``sqrt(sum(w * (x - mean)^2))``), the Gram engine forms
``X'X`` and ``X'y``, PCA forms sums of squares. A column with values near ``1e300`` makes
those squares overflow (``inf``); a column that varies by ``1e-310`` (denormal numbers) makes
them underflow to zero, so it looks constant. Either way the answer silently changes.

:func:`check_magnitudes` finds such columns and names them. The rule, in one place:

* **overflow**: ``max|x| > 1e140`` (its square is above ``1e280``; sums over rows and cross
  products then leave no headroom below the largest double, ``1.8e308``);
* **underflow**: ``0 < max(x) - min(x) < 1e-140`` (the squared deviations are below
  ``1e-280``, approaching the denormal range below ``2.2e-308`` where precision is lost).

Where an answer is invariant to column scale (PCA on standardised data), the caller rescales
by an exact power of two (:func:`power_of_two_scale`) instead of refusing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .errors import DataError

__all__ = ["BIG", "SMALL", "check_magnitudes", "extreme_columns", "power_of_two_scale"]

BIG = 1e140
SMALL = 1e-140


def extreme_columns(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks (too large, too small) over the columns of a 2-D array (NaN ignored).

    Examples
    --------
    >>> import numpy as np
    >>> big, small = extreme_columns(np.array([[1.0, -3e200, 1e-200, np.nan], [2.0, 1.0, 2e-200, 1.0]]))
    >>> big.tolist(), small.tolist()
    ([False, True, False, False], [False, False, True, False])
    """
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 1:
        a = a[:, None]
    if a.shape[0] == 0:
        z = np.zeros(a.shape[1], dtype=bool)
        return z, z
    # one max and one min per column, NaN ignored (fmax/fmin): max|x| > BIG is max > BIG or min < -BIG.
    # No |x| temporary: allocating and first touching an n x p copy cost 0.9 s CPU at 100,000 x 500
    with np.errstate(invalid="ignore", over="ignore"):
        hi = np.fmax.reduce(a, axis=0)
        lo = np.fmin.reduce(a, axis=0)
        big = (hi > BIG) | (lo < -BIG)
        spread = hi - lo
    small = (spread > 0) & (spread < SMALL)
    return big, small


def check_magnitudes(a: np.ndarray, names: Sequence[str], *, what: str = "column", use: str = "cv.glmnet") -> None:
    """Raise :class:`~statprune.errors.DataError` naming every column outside the safe range.

    Examples
    --------
    >>> import numpy as np
    >>> check_magnitudes(np.array([[1.0, 2e100], [2.0, 3e100]]), ["a", "b"])
    >>> check_magnitudes(np.array([[1.0, 2e300], [2.0, 3e300]]), ["a", "b"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    statprune.errors.DataError: column 'b' has values up to 3e+300: ...
    """
    big, small = extreme_columns(a)
    if not (big.any() or small.any()):
        return
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    msgs = []
    for j in np.flatnonzero(big):
        m = float(np.nanmax(np.abs(arr[:, j])))
        msgs.append(f"{what} '{names[j]}' has values up to {m:.3g}: their squares overflow double precision "
                    f"(largest double 1.8e308) in {use}'s standardisation and sums of squares, which would "
                    f"silently change the answer; divide it by a power of ten (e.g. 1e{int(np.floor(np.log10(m)))}) "
                    "before fitting")
    for j in np.flatnonzero(small):
        with np.errstate(invalid="ignore"):
            s = float(np.nanmax(arr[:, j]) - np.nanmin(arr[:, j]))
        msgs.append(f"{what} '{names[j]}' varies only by {s:.3g} (max - min): its squared deviations underflow "
                    f"double precision (denormal numbers below 2.2e-308), so {use} would treat it as constant; "
                    f"multiply it by a power of ten (e.g. 1e{-int(np.floor(np.log10(s)))}) before fitting")
    raise DataError("; ".join(msgs))


def power_of_two_scale(a: np.ndarray) -> np.ndarray:
    """Per-column exponents ``e`` such that ``np.ldexp(a, -e)`` has ``max|x|`` in [0.5, 1): an exact rescaling.

    Columns of zeros get ``e = 0``.

    Examples
    --------
    >>> power_of_two_scale(np.array([[1e300, 3.0], [-2e300, 0.0]])).tolist()
    [998, 2]
    """
    m = np.max(np.abs(np.asarray(a, dtype=np.float64)), axis=0) if np.size(a) else np.zeros(np.shape(a)[1])
    _, e = np.frexp(m)
    return np.where(m > 0, e, 0).astype(np.int64)
