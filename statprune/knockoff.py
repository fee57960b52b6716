"""The knockoff filter with false discovery rate control, as R's ``knockoff`` package.

A knockoff copy ``X_k`` of the predictors mimics their correlation structure but is
built without looking at ``y``. Each variable gets a statistic ``W_j`` that is large
and positive when ``X_j`` matters more than its knockoff; under the null the sign of
``W_j`` is a coin flip. Selecting ``{j : W_j >= T}`` with the data-dependent threshold
``T`` of :func:`knockoff_threshold` controls the FDR at ``fdr`` (``offset=1``:
knockoff+, exact FDR control; ``offset=0``: the original knockoff filter, which
controls a modified FDR). This module follows knockoff 0.3.6 function for function:

* knockoffs: :func:`create_fixed` (fixed-X, Barber & Candes 2015; ``n >= 2p``),
  :func:`create_gaussian` (model-X Gaussian, Candes et al. 2018, with known ``mu``
  and ``Sigma``) and :func:`create_second_order` (model-X with the sample mean and
  covariance, the default of ``knockoff.filter``); the constructions ``"equi"``
  (equicorrelated) and ``"sdp"``;
* ``s`` of the constructions: :func:`solve_equi` (``create.solve_equi``) and
  :func:`solve_sdp` (``create.solve_sdp``), then R's clipping and feasibility
  shrinkage (``s * (1 - eps)``, eps from 1e-8 up until ``2 G - diag(s)`` is
  positive definite);
* statistics: :func:`stat_glmnet_coefdiff` (``|b_j| - |b_j~|`` at ``lambda.min`` of
  ``cv.glmnet`` on the scaled ``[X, X_k]``, the default of ``knockoff.filter``),
  :func:`stat_glmnet_lambdasmax` and :func:`stat_glmnet_lambdadiff` (the lambda
  at which each column enters the lasso path); the glmnet fits run in R's glmnet
  (``r_scripts/bridge/knockoff.R``), as every statprune lasso does;
* :func:`knockoff_threshold` and :func:`knockoff_filter`.

The SDP solver
--------------
R's knockoff solves ``max sum(s)`` s.t. ``0 <= s <= 1``, ``2 G - diag(s) >= 0`` (``G``
the correlation matrix) with the DSDP interior-point solver (package Rdsdp, duality
gap 1e-6). :func:`solve_sdp` solves the same problem with a primal log-barrier
Newton method written here (deterministic; barrier parameter raised tenfold until
the duality gap bound ``3p / t`` is below 1e-10), then applies R's post-processing. The
two solvers agree to their tolerances (about 1e-6 in ``s``), not bit for bit; the
knockoff *statistics* are compared with R's on the same knockoff matrix.

Random numbers
--------------
Model-X knockoffs, the random column swap of the statistics and the CV folds are
drawn from numpy's generator (``seed``), not R's ``set.seed`` stream, so a Python
run and an R run with the same seed draw different knockoffs. To reproduce R
exactly, pass R's knockoff matrix (``knockoffs=X_k``), its ``swap`` and ``foldid``.

References
----------
Barber, R. F. and Candes, E. J. (2015). Controlling the false discovery rate via
knockoffs. Annals of Statistics 43, 2055-2085.
Candes, E., Fan, Y., Janson, L. and Lv, J. (2018). Panning for gold: model-X
knockoffs for high dimensional controlled variable selection. JRSS B 80, 551-577.
"""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd

from ._data import prepare_xy
from ._glmnet.folds import check_foldid, draw_foldid
from ._glmnet.params import DEFAULTS
from ._provenance import provenance
from ._validation import check_target, check_xy
from .errors import DataError, NothingSelectedWarning, ParameterError, SelectionWarning
from .lasso import _backend_r
from .results import TableResult

__all__ = [
    "KnockoffResult",
    "knockoff_filter",
    "knockoff_threshold",
    "create_fixed",
    "create_gaussian",
    "create_second_order",
    "solve_sdp",
    "solve_equi",
    "stat_glmnet_coefdiff",
    "stat_glmnet_lambdasmax",
    "stat_glmnet_lambdadiff",
    "knockoff_table",
]

Method = Literal["sdp", "equi", "asdp"]
Statistic = Literal["coefdiff", "lambdasmax", "lambdadiff"]


# =========================================================================== threshold
def knockoff_threshold(W: Any, fdr: float = 0.1, offset: int = 1) -> float:
    """R's ``knockoff.threshold(W, fdr, offset)``: the data-dependent threshold.

    The smallest ``t`` in ``{0, |W_j|}`` with ``(offset + #{W_j <= -t}) / max(1, #{W_j >= t}) <= fdr``;
    ``inf`` when there is none (nothing is selected).

    >>> knockoff_threshold([5.0, 4.0, 3.0, -1.0, 2.0, 6.0], fdr=0.1, offset=0)
    2.0
    >>> knockoff_threshold([5.0, 4.0, 3.0, -1.0, 2.0, 6.0], fdr=0.1, offset=1)
    inf
    """
    if offset not in (0, 1):
        raise ParameterError(f"offset={offset} must be 0 (knockoff) or 1 (knockoff+)")
    if not 0 < fdr < 1:
        raise ParameterError(f"fdr={fdr} must be between 0 and 1")
    W = np.asarray(W, dtype=float).reshape(-1)
    ts = np.sort(np.concatenate([[0.0], np.abs(W)]))
    for t in ts:
        if (offset + np.sum(W <= -t)) / max(1, int(np.sum(W >= t))) <= fdr:
            return float(t)
    return math.inf


# =========================================================================== s of the constructions
def _cov2cor(S: np.ndarray) -> np.ndarray:
    d = np.sqrt(np.diag(S))
    return S / np.outer(d, d)


def _lambda_min(A: np.ndarray) -> float:
    return float(np.linalg.eigvalsh((A + A.T) / 2)[0])


def _is_posdef(A: np.ndarray, tol: float = 1e-9) -> bool:
    """knockoff's ``is_posdef``: smallest eigenvalue > 10 * tol."""
    return _lambda_min(A) > tol * 10


def _check_sigma(Sigma: Any) -> np.ndarray:
    S = np.atleast_2d(np.asarray(Sigma, dtype=float))
    if S.shape[0] != S.shape[1] or not np.allclose(S, S.T, rtol=0, atol=100 * np.finfo(float).eps * np.abs(S).max()):
        raise ParameterError("Sigma must be a symmetric square matrix")
    if np.any(np.diag(S) <= 0):
        raise ParameterError("Sigma must have a positive diagonal")
    return (S + S.T) / 2


def solve_equi(Sigma: Any) -> np.ndarray:
    """R's ``create.solve_equi(Sigma)``: ``s_j = min(2 lambda_min(G), 1) (1 - eps) Sigma_jj``.

    >>> solve_equi(np.eye(3)).round(6).tolist()
    [1.0, 1.0, 1.0]
    """
    S = _check_sigma(Sigma)
    G = _cov2cor(S)
    if not _is_posdef(G):
        raise ParameterError("the covariance matrix is not positive definite: cannot build equicorrelated knockoffs")
    lam = _lambda_min(G)
    p = G.shape[0]
    s = np.ones(p) * min(2 * lam, 1.0)
    s_eps = 1e-8
    while not _is_posdef(2 * G - np.diag(s * (1 - s_eps))):
        s_eps *= 10
    return s * (1 - s_eps) * np.diag(S)


def _sdp_barrier(G: np.ndarray, gap: float = 1e-10, max_newton: int = 200) -> np.ndarray:
    """``max sum(s)`` s.t. ``0 <= s <= 1``, ``2G - diag(s) >= 0``: primal log-barrier Newton method."""
    p = G.shape[0]
    lam = max(_lambda_min(G), 0.0)
    s = np.full(p, min(lam, 0.5)) if lam > 0 else np.full(p, 1e-6)
    m = 3 * p  # barrier terms: log det (p) + log s (p) + log(1 - s) (p)

    def phi(s: np.ndarray, t: float) -> float:
        if np.any(s <= 0) or np.any(s >= 1):
            return math.inf
        try:  # positive definite <=> a Cholesky factor exists (a determinant's sign cannot tell)
            L = np.linalg.cholesky(2 * G - np.diag(s))
        except np.linalg.LinAlgError:
            return math.inf
        logdet = 2 * float(np.log(np.diag(L)).sum())
        return -t * s.sum() - logdet - np.log(s).sum() - np.log1p(-s).sum()

    t = 1.0
    while True:
        for _ in range(max_newton):
            M = 2 * G - np.diag(s)
            Mi = np.linalg.inv(M)
            grad = -t + np.diag(Mi) - 1 / s + 1 / (1 - s)
            H = Mi * Mi + np.diag(1 / s**2 + 1 / (1 - s) ** 2)
            step = -np.linalg.solve(H, grad)
            dec = float(-grad @ step)
            if dec / 2 <= 1e-12:
                break
            f0 = phi(s, t)
            a = 1.0
            while phi(s + a * step, t) > f0 + 0.25 * a * float(grad @ step):
                a *= 0.5
                if a < 1e-20:
                    break
            s = s + a * step
        if m / t < gap:
            return s
        t *= 10


def solve_sdp(Sigma: Any) -> np.ndarray:
    """R's ``create.solve_sdp(Sigma)``, with the barrier solver of the module docstring.

    Solves on the correlation matrix, clips to ``[0, 1]``, shrinks by ``1 - eps``
    (eps = 1e-8, 1e-7, ... up to 0.1) until ``2 G - diag(s)`` is positive definite,
    and scales back by ``diag(Sigma)``, as R does.

    >>> s = solve_sdp(np.array([[1.0, 0.5], [0.5, 1.0]]))
    >>> np.round(s, 6).tolist()
    [1.0, 1.0]
    """
    S = _check_sigma(Sigma)
    G = _cov2cor(S)
    if not _is_posdef(G):
        warnings.warn("the covariance matrix is not positive definite: knockoffs may not have power", SelectionWarning,
                      stacklevel=2)
    s = np.clip(_sdp_barrier(G), 0.0, 1.0)
    s_eps = 1e-8
    while s_eps <= 0.1:
        if _is_posdef(2 * G - np.diag(s * (1 - s_eps)), tol=1e-9):
            break
        s_eps *= 10
    s = np.maximum(s * (1 - s_eps), 0.0)
    if np.all(s == 0):
        warnings.warn("SDP knockoffs: the solution is s = 0; knockoffs will have no power", SelectionWarning,
                      stacklevel=2)
    return s * np.diag(S)


def _solve_s(Sigma: np.ndarray, method: str) -> np.ndarray:
    if method == "asdp":
        if Sigma.shape[0] > 500:
            raise ParameterError("method='asdp' for p > 500 (R's clustered approximation) is not implemented; use 'sdp' "
                                 "or 'equi'")
        method = "sdp"  # R: asdp is sdp when p <= 500
    if method == "sdp":
        return solve_sdp(Sigma)
    if method == "equi":
        return solve_equi(Sigma)
    raise ParameterError(f"method={method!r} is not valid; use 'sdp', 'equi' or 'asdp'")


# =========================================================================== knockoff constructions
def _canonical_svd(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """knockoff's ``canonical_svd``: each left singular vector's largest-magnitude entry is positive."""
    u, d, vt = np.linalg.svd(X, full_matrices=False)
    v = vt.T
    for j in range(d.size):
        i = int(np.argmax(np.abs(u[:, j])))
        if u[i, j] < 0:
            u[:, j] = -u[:, j]
            v[:, j] = -v[:, j]
    return u, d, v


def _normc(X: np.ndarray) -> np.ndarray:
    return X / np.sqrt(np.sum(X**2, axis=0))


def create_fixed(X: Any, method: Literal["sdp", "equi"] = "sdp", *, s: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Fixed-X knockoffs: R's ``create.fixed(X, method)`` for ``n >= 2p`` (``randomize = FALSE``).

    Returns ``(X_normalized, X_k)``: the columns of ``X`` scaled to unit norm (R's
    ``normc(X, center = FALSE)``; the statistic must use this ``X``) and the knockoffs.
    ``s`` (optional, on the scale of ``X'X`` of the normalized ``X``) replaces the SDP
    solution, e.g. to rebuild R's knockoffs from R's ``s``.
    """
    X = np.asarray(X, dtype=float)
    n, p = X.shape
    if n < 2 * p:
        raise ParameterError(f"fixed-X knockoffs need n >= 2p (n = {n}, p = {p}); use model-X knockoffs "
                             "(knockoffs='second-order') instead")
    if np.any(np.sum(X**2, axis=0) == 0):
        raise DataError("a column of X is all zeros; drop it")
    X = _normc(X)
    u, d, v = _canonical_svd(X)
    q, _ = np.linalg.qr(np.hstack([u, np.zeros((n, p))]))
    u_perp = q[:, p: 2 * p]
    if method == "equi":
        if np.any(d <= 1e-5 * d.max()):
            raise DataError("the data matrix is rank deficient: equicorrelated knockoffs will have no power")
        sv = min(2 * d.min() ** 2, 1.0) if s is None else float(np.asarray(s).reshape(-1)[0])
        s_diff = np.maximum(0.0, 2 * sv - (sv / d) ** 2)
        Xk = (u * (d - sv / d) + u_perp * np.sqrt(s_diff)) @ v.T
        return X, Xk
    if method != "sdp":
        raise ParameterError(f"method={method!r} is not valid for fixed-X knockoffs; use 'sdp' or 'equi'")
    tol = 1e-5
    d_inv = 1 / d
    zero = d <= tol * d.max()
    if zero.any():
        warnings.warn("the data matrix is rank deficient: the model is not identifiable, proceeding with SDP "
                      "knockoffs", SelectionWarning, stacklevel=2)
        d_inv[zero] = 0
    G = (v * d**2) @ v.T
    G_inv = (v * d_inv**2) @ v.T
    sv = solve_sdp(G) if s is None else np.asarray(s, dtype=float).reshape(-1).copy()
    sv[sv <= tol] = 0
    C = 2 * np.diag(sv) - (sv[:, None] * G_inv * sv[None, :])
    _, cd, cv = _canonical_svd(C)
    Xk = X - (X @ G_inv) * sv + (u_perp * np.sqrt(np.maximum(0.0, cd))) @ cv.T
    return X, Xk


def create_gaussian(X: Any, mu: Any, Sigma: Any, method: Method = "sdp", *, diag_s: Any = None,
                    seed: int | None = None) -> np.ndarray:
    """Model-X Gaussian knockoffs: R's ``create.gaussian(X, mu, Sigma, method, diag_s)``.

    ``X_k = mu_k + Z chol(Sigma_k)`` with ``Sigma_k = 2 D - D Sigma^-1 D``, ``D = diag(s)``,
    ``Z`` standard normal from ``numpy.random.default_rng(seed)`` (not R's stream).
    """
    X = np.asarray(X, dtype=float)
    S = _check_sigma(Sigma)
    mu = np.asarray(mu, dtype=float).reshape(-1)
    n, p = X.shape
    if S.shape[0] != p or mu.size != p:
        raise ParameterError(f"mu and Sigma must match the {p} columns of X")
    s = _solve_s(S, method) if diag_s is None else np.asarray(diag_s, dtype=float).reshape(-1)
    if np.all(s == 0):
        warnings.warn("the conditional knockoff covariance is not positive definite: knockoffs will have no power "
                      "(returning X itself)", SelectionWarning, stacklevel=2)
        return X.copy()
    D = np.diag(s)
    SigmaInv_s = np.linalg.solve(S, D)
    mu_k = X - (X - mu) @ SigmaInv_s
    Sigma_k = 2 * D - D @ SigmaInv_s
    Sigma_k = (Sigma_k + Sigma_k.T) / 2
    L = np.linalg.cholesky(Sigma_k)
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, p))
    return mu_k + Z @ L.T


def create_second_order(X: Any, method: Method = "sdp", *, seed: int | None = None) -> np.ndarray:
    """Model-X second-order knockoffs: R's ``create.second_order(X, method)`` (``shrink = FALSE``).

    Gaussian knockoffs with the sample mean and covariance (``cov(X)``, n - 1). R shrinks
    the covariance (corpcor) when it is not positive definite; here that is an error.
    """
    X = np.asarray(X, dtype=float)
    Sigma = np.cov(X, rowvar=False, ddof=1)
    if not _is_posdef(np.atleast_2d(Sigma)):
        raise DataError("the sample covariance of X is not positive definite (p >= n or collinear columns); pass mu "
                        "and Sigma (knockoffs='gaussian') or drop collinear columns")
    return create_gaussian(X, X.mean(axis=0), Sigma, method=method, seed=seed)


# =========================================================================== statistics
def _swapped(X: np.ndarray, Xk: np.ndarray, swap: np.ndarray) -> np.ndarray:
    sw = swap.astype(bool)
    Xs = np.where(sw, Xk, X)
    Xks = np.where(sw, X, Xk)
    return np.hstack([Xs, Xks])


def _swap_of(p: int, swap: Any, rng: np.random.Generator) -> np.ndarray:
    if swap is None:
        return rng.binomial(1, 0.5, size=p).astype(float)
    sw = np.asarray(swap, dtype=float).reshape(-1)
    if sw.size != p or not np.all((sw == 0) | (sw == 1)):
        raise ParameterError(f"swap must be {p} values of 0 or 1")
    return sw


def _check_stat_inputs(X: Any, Xk: Any, y: Any, family: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=float)
    Xk = np.asarray(Xk, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1)
    if X.shape != Xk.shape:
        raise ParameterError(f"the knockoff matrix has shape {Xk.shape}, X has {X.shape}")
    if y.size != X.shape[0]:
        raise DataError(f"y has {y.size} values for {X.shape[0]} rows")
    if family not in ("gaussian", "binomial"):
        raise ParameterError(f"family={family!r} is not supported here; use 'gaussian' or 'binomial'")
    if family == "binomial" and not np.all((y == 0) | (y == 1)):
        raise DataError("family='binomial' needs a 0/1 response")
    return X, Xk, y


def stat_glmnet_coefdiff(X: Any, Xk: Any, y: Any, *, family: str = "gaussian", nfolds: int = DEFAULTS.nfolds,
                         swap: Any = None, foldid: Any = None, seed: int | None = None, nlambda: int = 500) -> np.ndarray:
    """R's ``stat.glmnet_coefdiff``: ``W_j = |b_j| - |b_j~|`` at ``cv.glmnet``'s ``lambda.min``.

    The columns of ``X`` and ``X_k`` are swapped at random (``swap``: 0/1 per column,
    default drawn from ``seed``), scaled, and the cross-validated lasso is fitted in
    R's glmnet on glmnet's lambda grid of knockoff (gaussian: ``nlambda`` values down
    to ``lambda_max / 2000``) with folds ``foldid`` (default drawn from ``seed``).
    """
    X, Xk, y = _check_stat_inputs(X, Xk, y, family)
    n, p = X.shape
    sw = _swap_of(p, swap, np.random.default_rng(seed))
    # the one fold policy: a user foldid checked as cv.glmnet checks it, else R's draw for ``seed``
    foldid = draw_foldid(n, nfolds, seed) if foldid is None else check_foldid(foldid, n)
    foldid = foldid.astype(np.int32)
    Z = _backend_r.knockoff_cv_coef(_swapped(X, Xk, sw), y, foldid, family=family, nlambda=nlambda)
    return (np.abs(Z[:p]) - np.abs(Z[p:])) * (1 - 2 * sw)


def _entry_lambdas(X: Any, Xk: Any, y: Any, family: str, swap: Any, seed: int | None,
                   nlambda: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(Z, Z~, flip)``: n x the lambda at which each original / knockoff column enters the path
    after the random swap, and ``flip = 1 - 2 swap`` (what the statistics multiply by)."""
    X, Xk, y = _check_stat_inputs(X, Xk, y, family)
    p = X.shape[1]
    sw = _swap_of(p, swap, np.random.default_rng(seed))
    Z = _backend_r.knockoff_entry_lambda(_swapped(X, Xk, sw), y, family=family, nlambda=nlambda)
    return Z[:p], Z[p:], 1 - 2 * sw


def stat_glmnet_lambdasmax(X: Any, Xk: Any, y: Any, *, family: str = "gaussian", swap: Any = None,
                           seed: int | None = None, nlambda: int = 500) -> np.ndarray:
    """R's ``stat.glmnet_lambdasmax``: ``W_j = max(Z_j, Z_j~) sign(Z_j - Z_j~)``, ``Z`` = n x entry lambda."""
    z, zk, flip = _entry_lambdas(X, Xk, y, family, swap, seed, nlambda)
    return np.maximum(z, zk) * np.sign(z - zk) * flip


def stat_glmnet_lambdadiff(X: Any, Xk: Any, y: Any, *, family: str = "gaussian", swap: Any = None,
                           seed: int | None = None, nlambda: int = 500) -> np.ndarray:
    """R's ``stat.glmnet_lambdadiff``: ``W_j = Z_j - Z_j~``, ``Z`` = n x the lambda at which a column enters."""
    z, zk, flip = _entry_lambdas(X, Xk, y, family, swap, seed, nlambda)
    return (z - zk) * flip


# =========================================================================== result and filter
@dataclass(repr=False)
class KnockoffResult(TableResult):
    """The knockoff filter's selection.

    Attributes
    ----------
    table : DataFrame
        One row per variable: ``term``, ``statistic`` (W), ``selected`` (``W >= threshold``).
    threshold : float
        The data-dependent threshold (``inf``: nothing selected).
    X, Xk : ndarray
        The predictors the statistic saw (normalized for fixed-X) and the knockoffs.
    s : ndarray or None
        The ``s`` of the construction (``diag(s)``), when this run built the knockoffs.
    """

    table: pd.DataFrame
    threshold: float
    fdr: float
    offset: int
    knockoffs: str
    method: str | None
    statistic: str
    family: str
    n_rows: int
    seed: int | None
    X: np.ndarray = field(repr=False)
    Xk: np.ndarray = field(repr=False)
    s: np.ndarray | None = field(default=None, repr=False)
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def selected(self) -> list[str]:
        return [str(t) for t, s in zip(self.table["term"], self.table["selected"]) if s]

    @property
    def pruned(self) -> list[str]:
        return [str(t) for t, s in zip(self.table["term"], self.table["selected"]) if not s]

    @property
    def statistics(self) -> pd.Series:
        return pd.Series(self.table["statistic"].to_numpy(), index=self.table["term"], name="W")

    def _details(self) -> dict[str, Any]:
        return {
            "method": "knockoff filter" + ("+" if self.offset == 1 else ""),
            "knockoffs": self.knockoffs,
            "construction": self.method,
            "statistic": self.statistic,
            "family": self.family,
            "fdr": self.fdr,
            "offset": self.offset,
            "threshold": self.threshold if math.isfinite(self.threshold) else None,
            "rows": self.table_records(),
            "seed": self.seed,
        }

    def to_json(self, path: str | os.PathLike[str] | None = None, indent: int | None = 2) -> str:
        """JSON text (written atomically to ``path`` when given); an infinite threshold is ``null``."""
        return super().to_json(path, indent)

    def _summary_text(self) -> str:
        plus = "knockoff+" if self.offset == 1 else "knockoff"
        lines = [f"Knockoff filter ({plus}, R's knockoff::knockoff.filter) at FDR {self.fdr:g}",
                 f"knockoffs: {self.knockoffs}" + (f" ({self.method})" if self.method else "")
                 + f"; statistic: {self.statistic}; family: {self.family}",
                 f"threshold: {self.threshold:.6g}", f"selected ({len(self.selected)}): {', '.join(self.selected) or '-'}",
                 "", self.table.to_string(index=False, float_format=lambda v: f"{v:.6g}")]
        return "\n".join(lines)

    def _repr_info(self) -> str:
        return f"fdr={self.fdr:g}: selected={self.selected}"


def knockoff_filter(
    X: Any,
    y: Any,
    *,
    knockoffs: Literal["second-order", "fixed", "gaussian"] | Any = "second-order",
    method: Method = "sdp",
    mu: Any = None,
    Sigma: Any = None,
    statistic: Statistic = "coefdiff",
    fdr: float = 0.1,
    offset: int = 1,
    family: Literal["gaussian", "binomial"] = "gaussian",
    nfolds: int = DEFAULTS.nfolds,
    seed: int | None = None,
    swap: Any = None,
    foldid: Any = None,
    feature_names: Sequence[str] | None = None,
) -> KnockoffResult:
    """The knockoff filter: R's ``knockoff.filter(X, y, knockoffs, statistic, fdr, offset)``.

    Parameters
    ----------
    X : array or DataFrame (n, p)
    y : array (n,)
        Numeric (gaussian) or 0/1 (binomial).
    knockoffs : "second-order", "fixed", "gaussian" or an (n, p) array
        ``"second-order"`` (R's default: model-X with the sample mean and covariance),
        ``"fixed"`` (fixed-X, ``n >= 2p``, gaussian only), ``"gaussian"`` (model-X with
        the given ``mu`` and ``Sigma``), or a knockoff matrix already drawn (e.g. R's).
    method : "sdp", "equi" or "asdp"
        The construction (``"asdp"`` is ``"sdp"`` for ``p <= 500``, as in R).
    statistic : "coefdiff", "lambdasmax" or "lambdadiff"
        ``stat.glmnet_coefdiff`` (R's default), ``stat.glmnet_lambdasmax``, ``stat.glmnet_lambdadiff``.
    fdr : float
        The target false discovery rate.
    offset : 0 or 1
        1: knockoff+ (R's default, controls the FDR); 0: knockoff (a modified FDR).
    seed : int, optional
        Seeds the knockoff draw, the column swap and the CV folds (numpy's generator).
    swap, foldid : arrays, optional
        The statistic's column swap and CV folds (to reproduce an R run).

    Returns
    -------
    KnockoffResult

    Examples
    --------
    >>> import numpy as np
    >>> from statprune import knockoff_filter
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 10)); y = 2 * X[:, 0] - 2 * X[:, 1] + rng.standard_normal(200)
    >>> res = knockoff_filter(X, y, knockoffs="fixed", statistic="lambdasmax", fdr=0.2, seed=1)
    >>> {"x1", "x2"} <= set(res.selected), res.threshold > 0
    (True, True)
    """
    Xa, ya, names = check_xy(X, y, feature_names)
    if not 0 < fdr < 1:
        raise ParameterError(f"fdr={fdr} must be between 0 and 1")
    if offset not in (0, 1):
        raise ParameterError(f"offset={offset} must be 0 (knockoff) or 1 (knockoff+)")
    if statistic not in ("coefdiff", "lambdasmax", "lambdadiff"):
        raise ParameterError(f"statistic={statistic!r} is not valid; use coefdiff, lambdasmax or lambdadiff")
    rng = np.random.default_rng(seed)
    s = None
    kind = knockoffs if isinstance(knockoffs, str) else "given"
    cons: str | None = method
    if kind == "fixed":
        if family != "gaussian":
            raise ParameterError("fixed-X knockoffs are for a gaussian response; use knockoffs='second-order'")
        if method == "asdp":
            method = "sdp"
        Xa, Xk = create_fixed(Xa, method=method)  # type: ignore[arg-type]
    elif kind == "second-order":
        Xk = create_second_order(Xa, method=method, seed=int(rng.integers(2**31)))
    elif kind == "gaussian":
        if mu is None or Sigma is None:
            raise ParameterError("knockoffs='gaussian' needs mu= and Sigma=")
        Xk = create_gaussian(Xa, mu, Sigma, method=method, seed=int(rng.integers(2**31)))
    elif kind == "given":
        Xk = np.asarray(knockoffs, dtype=float)
        if Xk.shape != Xa.shape:
            raise ParameterError(f"the knockoff matrix has shape {Xk.shape}, X has {Xa.shape}")
        cons = None
    else:
        raise ParameterError(f"knockoffs={knockoffs!r} is not valid; use 'second-order', 'fixed', 'gaussian' or a matrix")
    st_seed = int(rng.integers(2**31))
    if statistic == "coefdiff":
        W = stat_glmnet_coefdiff(Xa, Xk, ya, family=family, nfolds=nfolds, swap=swap, foldid=foldid, seed=st_seed)
    elif statistic == "lambdasmax":
        W = stat_glmnet_lambdasmax(Xa, Xk, ya, family=family, swap=swap, seed=st_seed)
    else:
        W = stat_glmnet_lambdadiff(Xa, Xk, ya, family=family, swap=swap, seed=st_seed)
    t = knockoff_threshold(W, fdr=fdr, offset=offset)
    sel = W >= t
    if not sel.any():
        warnings.warn(f"the knockoff filter selects nothing at FDR {fdr:g} (threshold = {t})", NothingSelectedWarning,
                      stacklevel=2)
    table = pd.DataFrame({"term": names, "statistic": W, "selected": sel})
    prov = provenance(seed=seed, with_r=True, reference="R knockoff 0.3.6 (knockoff.filter); glmnet statistics in R")
    return KnockoffResult(table=table, threshold=t, fdr=fdr, offset=offset, knockoffs=kind, method=cons,
                          statistic=statistic, family=family, n_rows=Xa.shape[0], seed=seed, X=Xa, Xk=Xk, s=s,
                          provenance=prov)


# =========================================================================== file in -> result out
def knockoff_table(
    data: Any,
    target: str,
    *,
    fdr: float = 0.1,
    knockoffs: str = "second-order",
    method: Method = "sdp",
    statistic: Statistic = "coefdiff",
    offset: int = 1,
    family: Literal["gaussian", "binomial"] = "gaussian",
    nfolds: int = DEFAULTS.nfolds,
    seed: int | None = None,
    exclude: Sequence[str] = (),
    drop_missing: bool = False,
) -> KnockoffResult:
    """The knockoff filter on a table (what ``statprune knockoff`` runs)."""
    if knockoffs not in ("second-order", "fixed"):
        raise ParameterError(f"knockoffs={knockoffs!r} is not valid here; use second-order or fixed")
    if family not in ("gaussian", "binomial"):
        raise ParameterError(f"family={family!r} is not valid; use gaussian or binomial")
    prep = prepare_xy(data, target, exclude=exclude, drop_missing=drop_missing, constant="error")
    t = check_target(prep.y, family, name=target)
    # binomial: 1 for R's event class, the second factor level (numeric labels {2, 10}: 10)
    y = np.asarray(t.y.codes, dtype=float) if family == "binomial" else t.y
    return knockoff_filter(prep.X, y, knockoffs=knockoffs, method=method, statistic=statistic, fdr=fdr,
                           offset=offset, family=family, nfolds=nfolds, seed=seed)
