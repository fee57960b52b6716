"""Optimality certificates for penalised GLM fits: objective value and KKT violation (private).

Every engine of the crosscheck returns a solution; this module says how good that
solution is, on two problems:

* **glmnet's problem** (:func:`glmnet_problem`): what ``glmnet`` minimises, in
  glmnet's scaling. With the weights ``w`` rescaled to sum to ``n``, the penalty
  factors ``pf`` rescaled to sum to ``p``, ``z`` the columns of x divided by their
  weighted population sd (``standardize=TRUE``) and ``b`` the coefficients on that
  scale::

      F(a0, b) = 1/n sum_i w_i l(y_i, eta_i)
                 + lambda sum_j pf_j (alpha |b_j| + (1 - alpha) / 2 b_j^2),
      eta_i = offset_i + a0 + z_i' b

  with ``l = (y - eta)^2 / 2`` (gaussian), ``log(1 + e^eta) - y eta`` (binomial),
  ``e^eta - y eta`` (poisson) and ``log sum_k e^eta_k - sum_k y_k eta_k``
  (multinomial, one coefficient vector per class, glmnet's symmetric
  parameterisation). For the gaussian family glmnet solves the problem on
  ``y / s_y`` (``s_y`` = weighted population sd of y) at ``lambda / s_y``: that is
  the objective evaluated here (for the lasso it is the y-scale objective divided
  by ``s_y^2``; for the elastic net the ridge part is ``(1 - alpha) / (2 s_y)
  b^2`` on the y scale).
* **the engine's own problem** (the parameters the library was actually given,
  in the library's documented objective): a small KKT violation there means the
  library *converged*, whatever the mapping of lambda to its parameters was.

:class:`PenalisedProblem` is the common form ``sum_i w_i l(y_i, eta_i) +
sum_j l1_j |b_j| + 1/2 sum_j l2_j b_j^2`` that both are written in; its
:meth:`~PenalisedProblem.kkt` is the largest violation of the subgradient
condition ``0 in grad_j + l1_j d|b_j|`` over the coefficients, and the intercept's
score ``|sum_i w_i dl/deta_i|``, both divided by ``scale`` (the problem's lambda)
so that they read as fractions of the penalty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Certificate", "PenalisedProblem", "certify", "glmnet_problem"]

#: a solution whose KKT violation (relative to lambda) is below this converged
KKT_TOL = 1e-5
#: a solution whose objective exceeds the best engine's by less than this (glmnet's scale) is optimal
GAP_TOL = 1e-9


@dataclass
class PenalisedProblem:
    """``sum_i w_i l(y_i, eta_i) + sum_j l1_j |b_j| + 1/2 sum_j l2_j b_j^2``, ``eta = offset + a0 + Z b``.

    ``y`` is one-hot ``(n, K)`` for the multinomial family, coefficients ``(K, p)``
    and intercepts ``(K,)``; otherwise ``y`` is ``(n,)`` (0/1 for binomial).
    """

    family: str
    Z: np.ndarray
    y: np.ndarray
    w: np.ndarray
    l1: np.ndarray
    l2: np.ndarray
    offset: np.ndarray | None = None
    intercept: bool = True
    scale: float = 1.0
    label: str = ""
    x_sd: Any = None
    y_scale: float = 1.0
    classes: list[str] | None = None

    def from_original(self, a0: Any, beta: Any) -> tuple[np.ndarray, np.ndarray]:
        """Intercept and coefficients on the original x (and y) scale moved to this problem's scale."""
        sd = 1.0 if self.x_sd is None else self.x_sd
        return np.atleast_1d(np.asarray(a0, dtype=float)) / self.y_scale, np.asarray(beta, dtype=float) * sd / self.y_scale

    def eta(self, a0: Any, b: Any) -> np.ndarray:
        b = np.asarray(b, dtype=float)
        a0 = np.asarray(a0, dtype=float)
        if self.family == "multinomial":
            e = self.Z @ b.T + (a0.reshape(1, -1) if self.intercept else 0.0)
        else:
            e = self.Z @ b.reshape(-1) + (float(a0.reshape(-1)[0]) if self.intercept else 0.0)
        return e if self.offset is None else e + self.offset

    def loss_and_score(self, eta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per-observation loss ``l_i`` and ``dl/deta_i``."""
        y = self.y
        if self.family == "gaussian":
            r = eta - y
            return 0.5 * r**2, r
        if self.family == "binomial":
            mu = 0.5 * (1.0 + np.tanh(0.5 * eta))  # stable logistic
            return np.logaddexp(0.0, eta) - y * eta, mu - y
        if self.family == "poisson":
            mu = np.exp(eta)
            return mu - y * eta, mu - y
        if self.family == "multinomial":
            lse = np.logaddexp.reduce(eta, axis=1)
            prob = np.exp(eta - lse[:, None])
            return lse - np.sum(y * eta, axis=1), prob - y
        raise ValueError(f"unknown family {self.family!r}")

    def objective(self, a0: Any, b: Any) -> float:
        b = np.asarray(b, dtype=float)
        loss, _ = self.loss_and_score(self.eta(a0, b))
        b2 = np.atleast_2d(b)
        pen = float(np.sum(np.abs(b2) @ self.l1) + 0.5 * np.sum((b2**2) @ self.l2))
        return float(self.w @ loss) + pen

    def gradient(self, a0: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
        """Gradient of the smooth part: (intercept score, coefficient gradient)."""
        b = np.asarray(b, dtype=float)
        _, d = self.loss_and_score(self.eta(a0, b))
        wd = self.w[:, None] * d if d.ndim == 2 else self.w * d
        score = wd.sum(axis=0)
        g = (self.Z.T @ wd).T  # (p,) or (K, p)
        g = g + self.l2 * b
        return np.atleast_1d(score), g

    def kkt(self, a0: Any, b: Any) -> tuple[float, float]:
        """(max coefficient KKT violation, max |intercept score|), both divided by ``scale``."""
        b = np.asarray(b, dtype=float)
        score, g = self.gradient(a0, b)
        l1 = np.broadcast_to(self.l1, g.shape)
        at_zero = np.maximum(np.abs(g) - l1, 0.0)
        active = np.abs(g + l1 * np.sign(b))
        tiny = np.abs(b) <= 1e-10 * max(float(np.max(np.abs(b))) if b.size else 0.0, 1e-300)
        viol = np.where(b == 0, at_zero, np.where(tiny, np.minimum(at_zero, active), active))
        s = self.scale if self.scale > 0 else 1.0
        vmax = float(np.max(viol)) / s if viol.size else 0.0
        smax = float(np.max(np.abs(score))) / s if self.intercept else 0.0
        return vmax, smax


@dataclass
class Certificate:
    """How good one engine's solution is (objective and KKT on glmnet's problem, KKT on its own)."""

    engine: str
    objective: float
    kkt: float
    intercept_score: float
    own_kkt: float = float("nan")
    own_intercept_score: float = float("nan")
    gap: float = float("nan")
    n_iter: Any = None
    tried: list[str] = field(default_factory=list)
    kkt_tol: float = KKT_TOL
    gap_tol: float = GAP_TOL

    @property
    def converged(self) -> bool:
        """The engine solved the problem it was given: its own KKT violation is within ``kkt_tol``."""
        own = self.own_kkt if np.isfinite(self.own_kkt) else self.kkt
        own_s = self.own_intercept_score if np.isfinite(self.own_intercept_score) else self.intercept_score
        return bool(max(own, own_s) <= self.kkt_tol)

    @property
    def optimal(self) -> bool:
        """The solution is glmnet's optimum: KKT on glmnet's problem and objective gap within tolerance."""
        gap_ok = (not np.isfinite(self.gap)) or self.gap <= self.gap_tol
        return bool(max(self.kkt, self.intercept_score) <= self.kkt_tol and gap_ok)

    @property
    def status(self) -> str:
        if not self.converged:
            return "not converged"
        return "optimal" if self.optimal else "converged, not glmnet's optimum"

    def to_dict(self) -> dict[str, Any]:
        return dict(engine=self.engine, objective=self.objective, objective_gap=self.gap, kkt_violation=self.kkt,
                    intercept_score=self.intercept_score, own_kkt_violation=self.own_kkt,
                    own_intercept_score=self.own_intercept_score, converged=self.converged, optimal=self.optimal,
                    status=self.status, n_iter=None if self.n_iter is None else str(self.n_iter), tried="; ".join(self.tried))


def glmnet_problem(X: Any, y: Any, family: str, alpha: float, lam: Any, *, weights: Any = None, penalty_factor: Any = None,
                   offset: Any = None, standardize: bool = True, intercept: bool = True, classes: list[str] | None = None) -> Any:
    """glmnet's problem at ``lam``, built from the raw inputs as glmnet builds it (nothing shared with the mapping).

    ``lam`` a sequence: the list of problems, one per lambda, sharing one standardized copy of
    the data (the path and CV stages certify every lambda; rebuilding it per lambda dominated
    their time on 50,000 rows).

    Solutions are passed to :func:`certify` on the original x scale (as glmnet
    reports them); :meth:`PenalisedProblem.from_original` moves them to this scale.
    """
    X = np.asarray(X, dtype=float)
    n, p = X.shape
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float).reshape(-1)
    w = w * (n / w.sum())
    pf = np.ones(p) if penalty_factor is None else np.asarray(penalty_factor, dtype=float).reshape(-1)
    pf = pf * (p / pf.sum())
    wn = w / n
    if standardize:
        mean = wn @ X if intercept else np.zeros(p)
        sd = np.sqrt(wn @ (X - mean) ** 2) if intercept else np.sqrt(wn @ X**2 - (wn @ X) ** 2)
    else:
        sd = np.ones(p)
    if family == "multinomial":
        yv = np.asarray([str(v) for v in np.asarray(y).reshape(-1)])
        classes = sorted(set(yv.tolist())) if classes is None else [str(c) for c in classes]
        Y = (yv[:, None] == np.asarray(classes)[None, :]).astype(float)
        s_y = 1.0
    else:
        Y = np.asarray(y, dtype=float).reshape(-1)
        if family == "gaussian":
            s_y = float(np.sqrt(wn @ (Y - wn @ Y) ** 2)) if intercept else float(np.sqrt(wn @ Y**2))
            Y = Y / s_y
        else:
            s_y = 1.0
    off = None if offset is None else np.asarray(offset, dtype=float) / s_y
    Z = X / sd
    gps = []
    for lam_k in np.atleast_1d(np.asarray(lam, dtype=float)):  # one standardized copy of X shared by every lambda
        lam_int = float(lam_k) / s_y
        gp = PenalisedProblem(family, Z, Y, wn, lam_int * alpha * pf, lam_int * (1.0 - alpha) * pf, off, intercept, lam_int, "glmnet")
        gp.x_sd, gp.y_scale, gp.classes = sd, s_y, classes
        gps.append(gp)
    return gps if np.ndim(lam) else gps[0]


def certify(engine: str, gp: PenalisedProblem, a0: Any, beta: Any, *, own: tuple[PenalisedProblem, Any, Any] | None = None,
            n_iter: Any = None, tried: list[str] | None = None) -> Certificate:
    """Certificate of the original-scale solution ``(a0, beta)`` on glmnet's problem ``gp`` (and on its own problem ``own``)."""
    ga0, gb = gp.from_original(a0, beta)
    obj = gp.objective(ga0, gb)
    kkt, sc = gp.kkt(ga0, gb)
    cert = Certificate(engine, obj, kkt, sc, n_iter=n_iter, tried=list(tried or []))
    if own is not None:
        op, oa0, ob = own
        cert.own_kkt, cert.own_intercept_score = op.kkt(oa0, ob)
    return cert


def set_gaps(certs: list[Certificate]) -> None:
    """Fill each certificate's gap to the best (lowest) objective among the converged engines."""
    finite = [c.objective for c in certs if np.isfinite(c.objective)]
    if not finite:
        return
    best = min(finite)
    for c in certs:
        c.gap = c.objective - best
