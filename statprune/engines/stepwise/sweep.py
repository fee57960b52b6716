"""Least squares the way R computes it, and fast candidate evaluation for OLS.

* :func:`qr_fit` is R's ``lm.fit``/``Cdqrls``: Householder QR with R's limited
  pivoting (``dqrdc2``): a column whose norm, after removing the columns kept
  before it, is below ``tol`` times its original norm is aliased (``NA``
  coefficient) and moved out; the rank is the number of kept columns.
* :class:`GramSweep` answers ``drop1``/``add1`` for OLS without touching the n
  rows again: the cross-product matrix of all candidate columns and the response
  is formed once (O(n p^2)), centred when the model has an intercept (the
  intercept swept analytically, which keeps the normal equations well
  conditioned). For the current model the Gram matrix is swept (Goodnight's sweep
  operator, aliased columns skipped with the same relative tolerance as
  ``dqrdc2``); then dropping a term J changes the RSS by
  ``b_J' [(X'X)^-1_JJ]^-1 b_J`` and adding a term K by
  ``a_Ky' A_KK^-1 a_Ky`` (the swept residual cross-products): O(k^3) per
  candidate, O(p^3) per step, instead of O(n p^2) per candidate for a refit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["GramSweep", "QRFit", "qr_fit", "sweep"]

LM_TOL = 1e-7  # lm.fit's default tol
GLM_TOL = 1e-11  # glm.fit: min(1e-07, epsilon / 1000)


@dataclass
class QRFit:
    coef: np.ndarray  # NaN for aliased columns
    rank: int
    fitted: np.ndarray
    rss: float
    kept: np.ndarray  # indices of non-aliased columns
    R: np.ndarray  # R factor of the kept columns


def qr_fit(X: np.ndarray, y: np.ndarray, tol: float = LM_TOL) -> QRFit:
    """R's rank-revealing least squares (``lm.fit``): aliased columns get NaN."""
    n, p = X.shape
    if p == 0:
        return QRFit(np.empty(0), 0, np.zeros(n), float(y @ y), np.empty(0, int), np.empty((0, 0)))
    norms = np.sqrt(np.einsum("ij,ij->j", X, X))
    kept = list(range(p))
    Q = R = None
    while kept:
        Q, R = np.linalg.qr(X[:, kept], mode="reduced")
        d = np.abs(np.diag(R))
        ref = norms[kept]
        bad = np.flatnonzero(~(d >= tol * ref) | (ref == 0))
        if bad.size == 0:
            break
        kept.pop(int(bad[0]))  # dqrdc2: the first deficient column goes; later ones are re-checked
        Q = R = None
    coef = np.full(p, np.nan)
    if kept and Q is not None and R is not None:
        qty = Q.T @ y
        coef[kept] = np.linalg.solve(R, qty)
        fitted = Q @ qty
    else:
        R = np.empty((0, 0))
        fitted = np.zeros(n)
    resid = y - fitted
    return QRFit(coef, len(kept), fitted, float(resid @ resid), np.asarray(kept, int), R)


def sweep(A: np.ndarray, k: int) -> None:
    """Sweep symmetric ``A`` in place on pivot ``k`` (Goodnight); sweeping twice undoes it."""
    d = A[k, k]
    row = A[k].copy()
    A -= np.outer(row, row) / d
    A[k] = row / d
    A[:, k] = row / d
    A[k, k] = -1.0 / d


class GramSweep:
    """Cross-products of all candidate columns with the response, for fast RSS of subsets.

    Parameters
    ----------
    X : (n, P) pool of candidate columns (without the intercept column)
    y : (n,) response
    intercept : whether every model has an intercept (then everything is centred)
    """

    def __init__(
        self, X: np.ndarray, y: np.ndarray, intercept: bool, tol: float = LM_TOL, weights: np.ndarray | None = None
    ) -> None:
        self.n, self.P = X.shape
        self.intercept = intercept
        self.tol = tol
        # weighted least squares (lm.wfit) is least squares of sqrt(w) X on sqrt(w) y; the
        # intercept column is then sqrt(w), swept analytically by weighted centring
        w = np.ones(self.n) if weights is None else np.asarray(weights, float)
        sw = np.sqrt(w)
        if intercept:
            mx = (w @ X) / w.sum()
            my = float(w @ y) / w.sum()
            Xc = (X - mx) * sw[:, None]
            yc = (y - my) * sw
        else:
            Xc, yc = X * sw[:, None], y * sw
        Z = np.column_stack([Xc, yc])
        self.G = Z.T @ Z  # (P+1, P+1); last row/col is y
        # dqrdc2 compares a column's residual norm (after the columns before it, the
        # intercept included: the centred norm) with the norm of the raw (weighted) column
        self.norm2 = np.einsum("ij,ij->j", X, X * w[:, None])
        self.yy = float(self.G[-1, -1])

    def sweep_model(self, cols: Sequence[int]) -> tuple[np.ndarray, list[int], list[int]]:
        """Sweep ``cols`` in order; return the swept matrix, kept and aliased columns."""
        A = self.G.copy()
        kept: list[int] = []
        aliased: list[int] = []
        for c in cols:
            if A[c, c] > self.tol**2 * self.norm2[c] and A[c, c] > 0:
                sweep(A, c)
                kept.append(c)
            else:
                aliased.append(c)
        return A, kept, aliased

    def rss_of(self, cols: Sequence[int]) -> tuple[float, int]:
        """RSS and rank of the model with the intercept (if any) and ``cols``."""
        A, kept, _ = self.sweep_model(cols)
        return self._rss_rank(A, kept)

    def _rss_rank(self, A: np.ndarray, kept: Sequence[int]) -> tuple[float, int]:
        """RSS (clipped at 0) and rank of a swept model from :meth:`sweep_model`."""
        return max(float(A[-1, -1]), 0.0), len(kept) + int(self.intercept)

    def drop_candidates(
        self, cols: Sequence[int], blocks: Sequence[Sequence[int]]
    ) -> tuple[float, int, list[tuple[float, int]]]:
        """RSS/rank of the current model and of the model without each block of columns."""
        A, kept, aliased = self.sweep_model(cols)
        rss, rank = self._rss_rank(A, kept)
        out: list[tuple[float, int]] = []
        kept_set = set(kept)
        for blk in blocks:
            if aliased:
                # removing a block may un-alias other columns: recompute this subset exactly
                rest = [c for c in cols if c not in set(blk)]
                out.append(self.rss_of(rest))
                continue
            J = [c for c in blk if c in kept_set]
            if not J:
                out.append((rss, rank))
                continue
            b = A[J, -1]
            V = -A[np.ix_(J, J)]  # (X'X)^-1 restricted to J
            try:
                inc = float(b @ np.linalg.solve(V, b))
            except np.linalg.LinAlgError:
                rest = [c for c in cols if c not in set(blk)]
                out.append(self.rss_of(rest))
                continue
            out.append((rss + max(inc, 0.0), rank - len(J)))
        return rss, rank, out

    def add_candidates(
        self, cols: Sequence[int], blocks: Sequence[Sequence[int]]
    ) -> tuple[float, int, list[tuple[float, int]]]:
        """RSS/rank of the current model and of the model plus each block of columns."""
        A, kept, _ = self.sweep_model(cols)
        rss, rank = self._rss_rank(A, kept)
        out: list[tuple[float, int]] = []
        for blk in blocks:
            idx = list(blk) + [self.P]
            S = A[np.ix_(idx, idx)].copy()
            k_kept = 0
            for j in range(len(blk)):
                c = blk[j]
                if S[j, j] > self.tol**2 * self.norm2[c] and S[j, j] > 0:
                    sweep(S, j)
                    k_kept += 1
            out.append((max(float(S[-1, -1]), 0.0), rank + k_kept))
        return rss, rank, out
