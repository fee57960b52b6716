"""R's graphics arithmetic the displays reproduce: ``pretty()``, ``approx(method = "constant")``, label thinning."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["R_PALETTE", "r_pretty", "r_approx_constant", "r_label", "thin_labels", "unwrap_result"]


#: R's ``palette()[1:6]`` (R >= 4.0), the colours ``matplot`` cycles through.
R_PALETTE = ("black", "#DF536B", "#61D04F", "#2297E6", "#28E2E5", "#CD0BBC")

_DBL_EPS = sys.float_info.epsilon
_DBL_MIN = sys.float_info.min


# --------------------------------------------------------------------------- R helpers
def _r_pretty_bounds(lo: float, up: float, ndiv: int, min_n: int, shrink_sml: float = 0.75,
                     h: float = 1.5, h5: float = 0.5 + 1.5 * 1.5, f_min: float = 2.0**-20) -> tuple[float, float, int]:
    """R's C routine ``R_pretty`` (src/appl/pretty.c) with ``return_bounds = TRUE``, ``eps_correction = 0``."""
    rounding_eps = 1e-10
    dx = up - lo
    if dx == 0 and up == 0:
        cell = 1.0
        i_small = True
    else:
        cell = max(abs(lo), abs(up))
        u = 1 + (1 / (1 + h) if h5 >= 1.5 * h + 0.5 else 1.5 / (1 + h5))
        u *= max(1, ndiv) * _DBL_EPS
        i_small = dx < cell * u * 3
    if i_small:
        if cell > 10:
            cell = 9 + cell / 10
        cell *= shrink_sml
        if min_n > 1:
            cell /= min_n
    else:
        cell = dx
        if ndiv > 1:
            cell /= ndiv
    subsmall = f_min * _DBL_MIN or _DBL_MIN
    cell = max(cell, subsmall)
    base = 10.0 ** np.floor(np.log10(cell))
    unit = base
    if (ns := 2 * base) - cell < h * (cell - unit):
        unit = ns
        if (ns := 5 * base) - cell < h5 * (cell - unit):
            unit = ns
            if (ns := 10 * base) - cell < h * (cell - unit):
                unit = ns
    ns = np.floor(lo / unit + rounding_eps)
    nu = np.ceil(up / unit - rounding_eps)
    while ns * unit > lo + rounding_eps * unit:
        ns -= 1
    while nu * unit < up - rounding_eps * unit:
        nu += 1
    k = int(0.5 + nu - ns)
    if k < min_n:
        k = min_n - k
        if ns >= 0.0:
            nu += k // 2
            ns -= k // 2 + k % 2
        else:
            ns -= k // 2
            nu += k // 2 + k % 2
        ndiv = min_n
    else:
        ndiv = k
    lo2, up2 = lo, up
    if ns * unit < lo2:
        lo2 = ns * unit
    if nu * unit > up2:
        up2 = nu * unit
    return float(lo2), float(up2), int(ndiv)


def _r_seq_length_out(start: float, stop: float, length_out: int) -> np.ndarray:
    """``seq.int(from, to, length.out = n)`` exactly as R's C code computes it."""
    out = np.empty(length_out)
    if length_out > 0:
        out[0] = start
    if length_out > 1:
        out[-1] = stop
    if length_out > 2:
        by = (stop - start) / (length_out - 1)
        for i in range(1, length_out - 1):
            out[i] = start + i * by if i < length_out // 2 else stop - (length_out - 1 - i) * by
    return out


def r_pretty(x: Sequence[float] | np.ndarray, n: int = 5) -> np.ndarray:
    """R's ``pretty(x, n)``: about ``n + 1`` round values covering the range of ``x``.

    Examples
    --------
    >>> from statprune.plotting import r_pretty
    >>> r_pretty([0.13, 2.7]).tolist()
    [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
    >>> r_pretty([-6.9, -1.2]).tolist()
    [-7.0, -6.0, -5.0, -4.0, -3.0, -2.0, -1.0]
    """
    a = np.asarray(x, dtype=float).ravel()
    a = a[np.isfinite(a)]
    if a.size == 0:
        return a
    lo, up, ndiv = _r_pretty_bounds(float(a.min()), float(a.max()), int(n), int(n) // 3)
    s = _r_seq_length_out(lo, up, ndiv + 1)
    if ndiv:
        delta = abs(up - lo) / ndiv
        s[np.abs(s) < 1e-14 * delta] = 0.0
    return s


def r_approx_constant(x: Sequence[float], y: Sequence[float], xout: Sequence[float], f: float) -> np.ndarray:
    """R's ``approx(x, y, xout, method = "constant", f = f, rule = 2)`` (ties averaged, as ``ties = mean``).

    Examples
    --------
    >>> from statprune.plotting import r_approx_constant
    >>> r_approx_constant([3, 2, 1], [0, 1, 4], [0, 1.5, 2, 9], f=0).tolist()
    [4.0, 4.0, 1.0, 0.0]
    """
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    ok = ~(np.isnan(xa) | np.isnan(ya))
    xa, ya = xa[ok], ya[ok]
    order = np.argsort(xa, kind="stable")
    xa, ya = xa[order], ya[order]
    ux, inv = np.unique(xa, return_inverse=True)
    uy = np.bincount(inv, weights=ya) / np.bincount(inv)
    out = np.empty(len(xout))
    n = ux.size
    for k, v in enumerate(np.asarray(xout, dtype=float)):
        if v < ux[0]:
            out[k] = uy[0]
            continue
        if v > ux[-1]:
            out[k] = uy[-1]
            continue
        i, j = 0, n - 1
        while i < j - 1:
            ij = (i + j) // 2
            if v < ux[ij]:
                j = ij
            else:
                i = ij
        if v == ux[j]:
            out[k] = uy[j]
        elif v == ux[i]:
            out[k] = uy[i]
        else:
            out[k] = (uy[i] * (1 - f) if f != 1 else 0.0) + (uy[j] * f if f != 0 else 0.0)
    return out


def r_label(v: float) -> str:
    """``paste(v)`` of a number: up to 15 significant digits, integers without a decimal point."""
    return f"{float(v):.15g}"


def unwrap_result(res: Any) -> Any:
    """Accept a result object or a fitted estimator carrying ``result_``."""
    inner = getattr(res, "result_", None)
    return inner if inner is not None and not hasattr(res, "cvm") else res


def thin_labels(positions: np.ndarray, labels: list[str], ax: Any, fontsize: float) -> list[str]:
    """Blank the labels that would overlap, skipping greedily left to right as R's ``axis()`` does."""
    fig = ax.figure
    width_px = ax.get_position().width * fig.get_figwidth() * fig.dpi
    lo, hi = ax.get_xlim()
    if hi == lo or width_px <= 0:
        return labels
    px_per_unit = width_px / abs(hi - lo)
    char_px = fontsize * fig.dpi / 72.0 * 0.6
    order = np.argsort(positions)
    out = [""] * len(labels)
    last_right = -np.inf
    for i in order:
        centre = (positions[i] - min(lo, hi)) * px_per_unit
        half = len(labels[i]) * char_px / 2
        if centre - half >= last_right + char_px:  # R keeps a gap of about one character
            out[i] = labels[i]
            last_right = centre + half
    return out
