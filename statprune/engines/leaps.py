"""Numerics of best-subset regression with the semantics of R's ``leaps`` package.

What ``leaps::regsubsets`` computes (``leaps.setup`` and Alan Miller's AS 274
routines in ``leaps.f``, read for the semantics; nothing here is transcribed):

* The design is ``[1, forced-in, free, forced-out]`` (``order(index)``: forced-in
  columns first, then the free ones, then the forced-out ones, each group in
  column order). The intercept and the forced-in columns are in every model.
* A column is linearly dependent (``TOLSET``/``SING``) when the diagonal of its
  QR factor is at most ``5e-10`` times the sum of the absolute values of its
  column of the factor. R warns "k linear dependencies found"; such a column
  never enters a model, and the largest size is reduced accordingly.
* ``exhaustive``: for every size the subset of smallest RSS (``XHAUST``, a
  leaps-and-bounds search). Here: a branch-and-bound over the "dropping columns"
  tree (each node is an ordered list of variables whose first ``k`` are fixed;
  its children drop one free variable), evaluated with Givens rotations on the
  ``q x q`` triangular factor of the free columns after the forced ones are
  projected out (so the search costs nothing in ``n``); a subtree is skipped
  when the RSS of its largest model (a lower bound for every model inside) is
  not below the best RSS of every size it contains. The free variables of the
  nodes near the root (at most 3 variables fixed) are ordered by decreasing
  importance (drop-one RSS) first; deeper nodes keep their parent's order (the
  order changes the cost, never the result). Exact: every subset is
  either visited or bounded. A subset replaces the record of its size only when
  its RSS is strictly smaller (``REPORT``'s rule); exact ties are resolved by
  the order of the search, which can differ from leaps' on data with exact ties.
* ``forward`` (``FORWRD``/``ADD1``): at each step the free variable giving the
  largest RSS reduction, the first such in the current order; the model of size
  ``k`` is the first ``k`` variables to enter (``nested = TRUE``).
* ``backward`` (``BAKWRD``/``DROP1``): from the full model, drop the variable
  whose removal increases the RSS least (the first such); a dropped variable
  moves to the end of the active positions (``VMOVE``).
* ``seqrep`` (``SEQREP``): Miller's sequential replacement, with the same
  position moves (rotations of the subset), the same acceptance rule (the
  replacement with the largest RSS reduction in a pass) and the same records:
  for each size the best subset met at any point, starting from the subsets of
  the first columns in the design order (``INITR``).

The RSS of every reported subset is then recomputed directly by a Householder QR
of ``[1, forced-in, subset]`` on the data, so the criteria do not carry the
rounding of the search.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

try:  # numba is a dependency; the kernel is compiled on first use, never at import
    from numba import njit as _njit
except ImportError:  # pragma: no cover
    def _njit(*args, **kwargs):  # type: ignore[no-untyped-def]
        if args and callable(args[0]):
            return args[0]
        return lambda f: f

__all__ = ["LINDEP_EPS", "exhaustive", "lindep", "reduce", "rss_of", "sequential"]

LINDEP_EPS = 5e-10  # leaps' TOLSET: EPS = 5.D-10


def rss_of(X: np.ndarray, y: np.ndarray) -> float:
    """Residual sum of squares of ``y`` on the columns of ``X`` (Householder QR)."""
    if X.shape[1] == 0:
        return float(y @ y)
    Q, _ = np.linalg.qr(X, mode="reduced")
    r = y - Q @ (Q.T @ y)
    return float(r @ r)


def lindep(Xall: np.ndarray) -> np.ndarray:
    """Columns of ``Xall`` (intercept first) that leaps calls linearly dependent.

    Column ``j`` is dependent when ``|R_jj| <= 5e-10 * sum_i |R_ij|`` in the QR
    factor of the columns in order, dependent columns before it left out.
    """
    _, R = np.linalg.qr(Xall, mode="reduced")
    tol = LINDEP_EPS * np.abs(R).sum(axis=0)
    dep = np.zeros(Xall.shape[1], dtype=bool)
    keep: list[int] = []
    for j in range(Xall.shape[1]):
        cols = keep + [j]
        _, Rj = np.linalg.qr(Xall[:, cols], mode="reduced")
        if abs(Rj[-1, -1]) <= tol[j]:
            dep[j] = True
        else:
            keep.append(j)
    return dep


def reduce(X_in: np.ndarray, X_free: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The free columns and ``y`` after projecting out ``[1, X_in]``, as a ``q x q`` problem.

    Returns ``(R1, b1, base)`` with ``RSS([1, X_in, X_free[:, S]]) = base + min_b
    ||b1 - R1[:, S] b||^2`` for every subset ``S``.
    """
    n = len(y)
    A = np.column_stack([np.ones(n), X_in])
    Qa, _ = np.linalg.qr(A, mode="reduced")
    Xr = X_free - Qa @ (Qa.T @ X_free)
    yr = y - Qa @ (Qa.T @ y)
    q = X_free.shape[1]
    Q1, R1 = np.linalg.qr(Xr, mode="reduced")
    b1 = Q1.T @ yr
    e = yr - Q1 @ b1
    if R1.shape[0] < q:  # fewer rows than free columns: pad (the search never fits more than n - 1 - k)
        R1 = np.vstack([R1, np.zeros((q - R1.shape[0], q))])
        b1 = np.concatenate([b1, np.zeros(q - len(b1))])
    return np.ascontiguousarray(R1[:q, :q]), np.ascontiguousarray(b1[:q]), float(e @ e)


# =========================================================================== exhaustive search
@_njit(cache=True)
def _can_improve(bound, best, lo, hi):  # pragma: no cover - compiled
    """Whether an RSS ``bound`` beats the best RSS found for some size in ``lo..hi`` (else the branch is cut)."""
    for s in range(lo, hi + 1):
        if bound < best[s]:
            return True
    return False


@_njit(cache=True)
def _bnb(R: np.ndarray, z: np.ndarray, base: float, nv: int, sort_k: int):  # pragma: no cover - compiled
    q = R.shape[1]
    best = np.full(nv + 1, np.inf)
    bsets = np.zeros((nv + 1, q), dtype=np.bool_)
    cap = q * (q + 1) // 2 + 4
    sV = np.empty((cap, q), dtype=np.int64)
    sm = np.empty(cap, dtype=np.int64)
    sk = np.empty(cap, dtype=np.int64)
    sR = np.empty((cap, q, q))
    sz = np.empty((cap, q))
    sres = np.empty(cap)
    top = 0
    for i in range(q):
        sV[0, i] = i
    sm[0] = q
    sk[0] = 0
    sR[0] = R
    sz[0, :] = z
    sres[0] = base
    top = 1
    nodes = 0
    d = np.empty(q)
    Rn = np.empty((q, q))
    zn = np.empty(q)
    V = np.empty(q, dtype=np.int64)
    while top > 0:
        top -= 1
        m = sm[top]
        k = sk[top]
        res = sres[top]
        lo = max(k, 1)
        hi = min(m, nv)
        if lo > hi:
            continue
        if not _can_improve(res, best, lo, hi):
            continue
        nodes += 1
        for i in range(m):
            V[i] = sV[top, i]
            zn[i] = sz[top, i]
            for j in range(m):
                Rn[i, j] = sR[top, i, j]
        if k >= nv - 1:
            # a leaf: its subsets of size <= nv are V[:k] (recorded by the parent) and V[:k] + one
            # more variable (k = nv - 1): the best such, by the reduction of adding it (ADD1)
            if k == nv - 1 and k < m:
                tail = 0.0
                for t in range(k, m):
                    tail += zn[t] * zn[t]
                smax = -1.0
                jmax = -1
                for j in range(k, m):
                    sxx = 0.0
                    sxy = 0.0
                    for t in range(k, j + 1):
                        sxx += Rn[t, j] * Rn[t, j]
                        sxy += Rn[t, j] * zn[t]
                    ss = sxy * sxy / sxx if sxx > 0 else 0.0
                    if ss > smax:
                        smax = ss
                        jmax = j
                val = res + tail - smax
                if jmax >= 0 and val < best[nv]:
                    best[nv] = val
                    for i in range(q):
                        bsets[nv, i] = False
                    for i in range(k):
                        bsets[nv, V[i]] = True
                    bsets[nv, V[jmax]] = True
            continue
        sorted_ = k <= sort_k and m - k > 2
        if sorted_:
            _order_free(Rn, zn, V, d, m, k, res)
        # prefixes of this node are subsets of its subtree: record them
        tail = 0.0
        for t in range(m - 1, lo - 1, -1):
            tail += zn[t] * zn[t]
            if t <= hi and res + tail < best[t]:
                best[t] = res + tail
                for i in range(q):
                    bsets[t, i] = False
                for i in range(t):
                    bsets[t, V[i]] = True
        if hi == m and res < best[m]:
            best[m] = res
            for i in range(q):
                bsets[m, i] = False
            for i in range(m):
                bsets[m, V[i]] = True
        # children: drop the free variable at position j, fix positions < j
        for j in range(k, m - 1):
            clo = j + 1  # size j of the child's subtree is V[:j], a prefix recorded above
            chi = min(m - 1, nv)
            if clo > chi:
                break
            if sorted_:
                useful = False
                for s in range(clo, chi + 1):
                    if d[j] < best[s]:
                        useful = True
                        break
                if not useful:
                    continue
            c = top
            for i in range(j):
                sV[c, i] = V[i]
            for i in range(j + 1, m):
                sV[c, i - 1] = V[i]
            C = sR[c]
            for i in range(m):
                for t in range(j):
                    C[i, t] = Rn[i, t]
                for t in range(j + 1, m):
                    C[i, t - 1] = Rn[i, t]
            cz = sz[c]
            for i in range(m):
                cz[i] = zn[i]
            for i in range(j, m - 1):
                a = C[i, i]
                b = C[i + 1, i]
                if b != 0.0:
                    r = np.hypot(a, b)
                    cs = a / r
                    sn = b / r
                    for t in range(i, m - 1):
                        t1 = C[i, t]
                        t2 = C[i + 1, t]
                        C[i, t] = cs * t1 + sn * t2
                        C[i + 1, t] = -sn * t1 + cs * t2
                    t1 = cz[i]
                    t2 = cz[i + 1]
                    cz[i] = cs * t1 + sn * t2
                    cz[i + 1] = -sn * t1 + cs * t2
                C[i + 1, i] = 0.0
            bound = res + cz[m - 1] * cz[m - 1]
            if not _can_improve(bound, best, clo, chi):
                continue
            sm[c] = m - 1
            sk[c] = j
            sres[c] = bound
            top += 1
    return best, bsets, nodes


@_njit(cache=True)
def _order_free(Rn, zn, V, d, m, k, res):  # pragma: no cover - compiled
    """Order the free positions ``k..m-1`` by decreasing drop-one RSS; re-triangularize."""
    # drop-one RSS of the free positions: res + beta_j^2 / [(R'R)^-1]_jj
    Rinv = np.zeros((m, m))
    for i in range(m - 1, -1, -1):
        Rinv[i, i] = 1.0 / Rn[i, i] if Rn[i, i] != 0.0 else 0.0
        for j in range(i + 1, m):
            acc = 0.0
            for t in range(i + 1, j + 1):
                acc += Rn[i, t] * Rinv[t, j]
            Rinv[i, j] = -acc * Rinv[i, i]
    for j in range(k, m):
        bj = 0.0
        nj = 0.0
        for t in range(j, m):
            bj += Rinv[j, t] * zn[t]
            nj += Rinv[j, t] * Rinv[j, t]
        d[j] = res + (bj * bj / nj if nj > 0 else 0.0)
    # order the free variables by decreasing importance (largest drop-one RSS first)
    if m - k > 2:
        order = np.argsort(-d[k:m], kind="mergesort")
        moved = False
        for i in range(m - k):
            if order[i] != i:
                moved = True
                break
        if moved:
            cols = k + order
            blk = np.empty((m - k, m - k))
            for i in range(m - k):
                for j in range(m - k):
                    blk[i, j] = Rn[k + i, cols[j]]
            Qb, Rb = np.linalg.qr(blk)
            top_rows = np.empty((k, m - k))
            for i in range(k):
                for j in range(m - k):
                    top_rows[i, j] = Rn[i, cols[j]]
            zt = np.ascontiguousarray(Qb.T) @ np.ascontiguousarray(zn[k:m])
            for i in range(k):
                for j in range(m - k):
                    Rn[i, k + j] = top_rows[i, j]
            for i in range(m - k):
                zn[k + i] = zt[i]
                for j in range(m - k):
                    Rn[k + i, k + j] = Rb[i, j]
            dv = d[k:m].copy()
            vv = V[k:m].copy()
            for i in range(m - k):
                d[k + i] = dv[order[i]]
                V[k + i] = vv[order[i]]


def exhaustive(R1: np.ndarray, b1: np.ndarray, base: float, nv: int, sort_k: int = 3) -> tuple[list[np.ndarray], int]:
    """Best subset of each size ``1..nv`` of the free columns (indices into them) and the node count.

    ``sort_k``: the free variables of a node are reordered by importance when at most ``sort_k``
    of its variables are fixed (the order only changes the search's cost, never its result).
    """
    best, bsets, nodes = _bnb(np.ascontiguousarray(R1, dtype=np.float64), np.ascontiguousarray(b1, dtype=np.float64),
                              float(base), int(nv), int(sort_k))
    return [np.flatnonzero(bsets[s]) for s in range(1, nv + 1)], int(nodes)


# =========================================================================== forward / backward / seqrep
class _Positions:
    """leaps' ordered positions of the free variables on the reduced problem ``(R1, b1)``."""

    def __init__(self, R1: np.ndarray, b1: np.ndarray, base: float, tol: np.ndarray) -> None:
        self.R1, self.b1, self.base, self.tol = R1, b1, base, tol
        self.order = list(range(R1.shape[1]))

    def move(self, frm: int, to: int) -> None:  # VMOVE
        v = self.order.pop(frm)
        self.order.insert(to, v)

    def _resid(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        inc = self.order[:k]
        cand = np.asarray(self.order, dtype=int)
        A = self.R1[:, cand]
        b = self.b1
        if k:
            Q, _ = np.linalg.qr(self.R1[:, inc], mode="reduced")
            A = A - Q @ (Q.T @ A)
            b = b - Q @ (Q.T @ b)
        return A, b

    def rss(self, k: int) -> float:
        """RSS of the forced columns and the first ``k`` positions (leaps' ``RSS(k)``)."""
        _, b = self._resid(k)
        return self.base + float(b @ b)

    def add1(self, first: int) -> tuple[float, int]:
        """ADD1: largest RSS reduction by one of positions ``first..`` given positions ``< first``."""
        A, b = self._resid(first)
        smax, jmax = 0.0, -1
        for j in range(first, len(self.order)):
            sxx = float(A[:, j] @ A[:, j])
            if np.sqrt(sxx) > self.tol[self.order[j]]:
                ss = float(A[:, j] @ b) ** 2 / sxx
                if ss > smax:
                    smax, jmax = ss, j
        return smax, jmax

    def drop1(self, last: int) -> int:
        """DROP1: position in ``0..last`` whose removal from positions ``0..last`` raises the RSS least."""
        inc = self.order[: last + 1]
        Q, R = np.linalg.qr(self.R1[:, inc], mode="reduced")
        Rinv = np.linalg.inv(R)
        beta = Rinv @ (Q.T @ self.b1)
        ss = beta**2 / (Rinv**2).sum(axis=1)
        smin, jmin = 1e35, -1
        for j in range(last + 1):
            if ss[j] < smin:
                smin, jmin = float(ss[j]), j
        return jmin


def sequential(method: str, R1: np.ndarray, b1: np.ndarray, base: float, tol: np.ndarray, nv: int) -> list[np.ndarray]:
    """Subsets of sizes ``1..nv`` (indices into the free columns) by ``forward``, ``backward`` or ``seqrep``."""
    q = R1.shape[1]
    P = _Positions(R1, b1, base, tol)
    if method == "forward":
        for pos in range(q - 1):
            _, jmax = P.add1(pos)
            if jmax > pos:
                P.move(jmax, pos)
        return [np.sort(np.asarray(P.order[:s])) for s in range(1, nv + 1)]
    if method == "backward":
        for pos in range(q - 1, 0, -1):
            jmin = P.drop1(pos)
            if 0 <= jmin < pos:
                P.move(jmin, pos)
        return [np.sort(np.asarray(P.order[:s])) for s in range(1, nv + 1)]
    if method != "seqrep":
        raise ValueError(method)
    # records start from the first columns in design order (INITR)
    rec_rss = [P.rss(s) for s in range(nv + 1)]
    rec_set = [frozenset(P.order[:s]) for s in range(nv + 1)]

    def report(size: int, ssq: float, members: Sequence[int]) -> None:
        if size > nv or not ssq < rec_rss[size]:
            return
        rec_rss[size] = ssq
        rec_set[size] = frozenset(members)

    nv_last = min(nv, q - 1)
    guard = 0
    for size in range(0, nv_last):  # position of the last variable of the subset; subset size size + 1
        count = 0
        start = 0
        while True:
            guard += 1
            if guard > 100000:  # pragma: no cover - a rounding cycle; leaps has no guard
                break
            ssred, best, frm = 0.0, -1, -1
            for i in range(start, size + 1):
                smax, jmax = P.add1(size)
                if jmax > size:
                    report(size + 1, P.rss(size) - smax, P.order[:size] + [P.order[jmax]])
                    if smax > ssred:
                        ssred, best = smax, jmax
                        frm = size + start - i - 1 if i < size else size
                if i < size:
                    P.move(size, start)
            if best > size:
                if frm < size:
                    P.move(frm, size)
                P.move(best, 0)
                count = 0
                start = 1
            else:
                count += 1
            if count > size - start:
                break
    return [np.sort(np.asarray(sorted(rec_set[s]), dtype=int)) for s in range(1, nv + 1)]
