"""R's ``glm.fit`` (IRLS) for the binomial, poisson and Gamma families, in numpy.

``drop1``/``add1``/``step`` refit many GLMs; to reproduce R's numbers (including
the path R takes under perfect separation, where estimates diverge and only the
iteration count decides the reported values) this mirrors ``glm.fit`` line by
line: R's starting values (``mustart``), its convergence rule
``|dev - devold| / (|dev| + 0.1) < 1e-8`` with ``maxit = 25``, step halving,
the rank-revealing QR with tolerance ``min(1e-7, epsilon/1000)``, the clamped
logit link of R's C code, R's warnings, the AIC of ``family$aic`` plus
``2 * rank``, and the working weights of the last iteration (used by
``summary.glm`` for the dispersion). The final model is then handed to
statsmodels (``statsmodels.api.GLM``) for the user-facing results object.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln

from ._sweep import GLM_TOL, qr_fit

__all__ = ["FAMILIES", "GLMFit", "Family", "glm_fit"]

_EPS = np.finfo(float).eps
_THRESH = 30.0
_MTHRESH = -30.0
_INVEPS = 1.0 / _EPS


class Family:
    name = ""
    link = ""

    def linkfun(self, mu):  # pragma: no cover - interface
        raise NotImplementedError


class Binomial(Family):
    name, link = "binomial", "logit"

    def linkfun(self, mu):
        return np.log(mu / (1 - mu))

    def linkinv(self, eta):
        tmp = np.where(eta < _MTHRESH, _EPS, np.where(eta > _THRESH, _INVEPS, np.exp(np.clip(eta, _MTHRESH, _THRESH))))
        return tmp / (1 + tmp)

    def mu_eta(self, eta):
        opexp = 1 + np.exp(np.clip(eta, _MTHRESH, _THRESH))
        return np.where((eta > _THRESH) | (eta < _MTHRESH), _EPS, np.exp(np.clip(eta, _MTHRESH, _THRESH)) / opexp**2)

    def variance(self, mu):
        return mu * (1 - mu)

    def validmu(self, mu):
        return bool(np.all(np.isfinite(mu)) and np.all((mu > 0) & (mu < 1)))

    def valideta(self, eta):
        return True

    def dev_resids(self, y, mu, wt):
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(y != 0, y * np.log(np.where(y != 0, y, 1) / mu), 0.0)
            b = np.where(1 - y != 0, (1 - y) * np.log(np.where(1 - y != 0, 1 - y, 1) / (1 - mu)), 0.0)
        return 2 * wt * (a + b)

    def mustart(self, y, wt):
        return (wt * y + 0.5) / (wt + 1)

    def aic(self, y, mu, wt, dev):
        with np.errstate(divide="ignore"):
            ll = np.where(y > 0.5, np.log(mu), np.log(1 - mu))
        return -2 * float(np.sum(wt * ll))

    def check_y(self, y):
        if np.any((y < 0) | (y > 1)):
            return "y values must be 0 <= y <= 1"
        if np.any(np.abs(y - np.round(y)) > 1e-3):
            return "the binomial response must be 0/1 (or a two-level factor)"
        return None


class Poisson(Family):
    name, link = "poisson", "log"

    def linkfun(self, mu):
        return np.log(mu)

    def linkinv(self, eta):
        return np.maximum(np.exp(eta), _EPS)

    def mu_eta(self, eta):
        return np.maximum(np.exp(eta), _EPS)

    def variance(self, mu):
        return mu

    def validmu(self, mu):
        return bool(np.all(np.isfinite(mu)) and np.all(mu > 0))

    def valideta(self, eta):
        return True

    def dev_resids(self, y, mu, wt):
        r = mu * wt
        pos = y > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(pos, wt * (y * np.log(np.where(pos, y, 1) / mu) - (y - mu)), r)
        return 2 * r

    def mustart(self, y, wt):
        return y + 0.1

    def aic(self, y, mu, wt, dev):
        with np.errstate(divide="ignore", invalid="ignore"):
            lp = np.where(y > 0, y * np.log(mu), 0.0) - mu - gammaln(y + 1)
        return -2 * float(np.sum(lp * wt))

    def check_y(self, y):
        if np.any(y < 0):
            return "negative values not allowed for the 'Poisson' family"
        return None


class Gamma(Family):
    name, link = "Gamma", "inverse"

    def linkfun(self, mu):
        return 1 / mu

    def linkinv(self, eta):
        return 1 / eta

    def mu_eta(self, eta):
        return -1 / eta**2

    def variance(self, mu):
        return mu**2

    def validmu(self, mu):
        return bool(np.all(np.isfinite(mu)) and np.all(mu > 0))

    def valideta(self, eta):
        return bool(np.all(np.isfinite(eta)) and np.all(eta != 0))

    def dev_resids(self, y, mu, wt):
        with np.errstate(divide="ignore", invalid="ignore"):
            return -2 * wt * (np.log(np.where(y == 0, 1, y / mu)) - (y - mu) / mu)

    def mustart(self, y, wt):
        return y.astype(float).copy()

    def aic(self, y, mu, wt, dev):
        n = float(np.sum(wt))
        disp = dev / n
        shape = 1 / disp
        scale = mu * disp
        ld = -gammaln(shape) - shape * np.log(scale) + (shape - 1) * np.log(y) - y / scale
        return -2 * float(np.sum(ld * wt)) + 2

    def check_y(self, y):
        if np.any(y <= 0):
            return "non-positive values not allowed for the 'Gamma' family"
        return None


FAMILIES: dict[str, type[Family]] = {"binomial": Binomial, "poisson": Poisson, "Gamma": Gamma}


@dataclass
class GLMFit:
    coef: np.ndarray  # NaN for aliased columns
    rank: int
    deviance: float
    aic: float  # family$aic + 2 * rank (R's fit$aic)
    mu: np.ndarray
    eta: np.ndarray
    weights: np.ndarray  # working weights of the last iteration (R's fit$weights)
    residuals: np.ndarray  # working residuals
    df_residual: int
    converged: bool
    iter: int
    warnings: list[str]

    def dispersion(self, family: Family) -> float:
        """``summary.glm``'s dispersion: 1 for binomial/poisson, Pearson X^2/df otherwise."""
        if family.name in ("binomial", "poisson"):
            return 1.0
        if self.df_residual <= 0:
            return float("nan")
        w = self.weights
        good = w > 0
        return float(np.sum((w * self.residuals**2)[good]) / self.df_residual)


def glm_fit(
    X: np.ndarray,
    y: np.ndarray,
    family: Family,
    *,
    weights: np.ndarray | None = None,
    epsilon: float = 1e-8,
    maxit: int = 25,
    emit_warnings: bool = True,
) -> GLMFit:
    """IRLS exactly as R's ``glm.fit`` (no offset). Warnings carry R's text."""
    n, p = X.shape
    wt = np.ones(n) if weights is None else np.asarray(weights, float)
    msgs: list[str] = []
    mu = family.mustart(y, wt)
    eta = family.linkfun(mu)
    mu = family.linkinv(eta)
    devold = float(np.sum(family.dev_resids(y, mu, wt)))
    conv = boundary = False
    coef = np.zeros(p)
    coefold: np.ndarray | None = None
    start = np.zeros(p)
    rank = 0
    w = np.ones(n)
    good = wt > 0
    dev = devold
    it = 0
    if p == 0:
        eta = np.zeros(n)
        mu = family.linkinv(eta)
        dev = float(np.sum(family.dev_resids(y, mu, wt)))
        w = np.sqrt(wt * family.mu_eta(eta) ** 2 / family.variance(mu))
        conv = True
        coef = np.empty(0)
    else:
        for it in range(1, maxit + 1):
            mu_eta_val = family.mu_eta(eta)
            good = (wt > 0) & (mu_eta_val != 0)
            if not np.any(good):
                msgs.append(f"no observations informative at iteration {it}")
                break
            z = eta[good] + (y - mu)[good] / mu_eta_val[good]
            w = np.sqrt(wt[good] * mu_eta_val[good] ** 2 / family.variance(mu)[good])
            fit = qr_fit(X[good] * w[:, None], z * w, tol=GLM_TOL)
            if not np.all(np.isfinite(fit.coef[fit.kept])):
                msgs.append(f"non-finite coefficients at iteration {it}")
                break
            rank = fit.rank
            start = np.where(np.isnan(fit.coef), 0.0, fit.coef)
            eta = X @ start
            mu = family.linkinv(eta)
            dev = float(np.sum(family.dev_resids(y, mu, wt)))
            boundary = False
            if not np.isfinite(dev):
                if coefold is None:
                    raise FloatingPointError("no valid set of coefficients has been found: please supply starting values")
                msgs.append("step size truncated due to divergence")
                ii = 1
                while not np.isfinite(dev):
                    if ii > maxit:
                        raise FloatingPointError("inner loop 1; cannot correct step size")
                    ii += 1
                    start = (start + coefold) / 2
                    eta = X @ start
                    mu = family.linkinv(eta)
                    dev = float(np.sum(family.dev_resids(y, mu, wt)))
                boundary = True
            if not (family.valideta(eta) and family.validmu(mu)):
                if coefold is None:
                    raise FloatingPointError("no valid set of coefficients has been found: please supply starting values")
                msgs.append("step size truncated: out of bounds")
                ii = 1
                while not (family.valideta(eta) and family.validmu(mu)):
                    if ii > maxit:
                        raise FloatingPointError("inner loop 2; cannot correct step size")
                    ii += 1
                    start = (start + coefold) / 2
                    eta = X @ start
                    mu = family.linkinv(eta)
                boundary = True
                dev = float(np.sum(family.dev_resids(y, mu, wt)))
            coef = np.where(np.isnan(fit.coef), np.nan, start)
            if abs(dev - devold) / (0.1 + abs(dev)) < epsilon:
                conv = True
                break
            devold = dev
            coefold = start.copy()
        if not conv:
            msgs.append("glm.fit: algorithm did not converge")
        if boundary:
            msgs.append("glm.fit: algorithm stopped at boundary value")
        eps10 = 10 * _EPS
        if family.name == "binomial" and (np.any(mu > 1 - eps10) or np.any(mu < eps10)):
            msgs.append("glm.fit: fitted probabilities numerically 0 or 1 occurred")
        if family.name == "poisson" and np.any(mu < eps10):
            msgs.append("glm.fit: fitted rates numerically 0 occurred")
    residuals = (y - mu) / family.mu_eta(eta)
    wts = np.zeros(n)
    wts[good] = w**2 if np.ndim(w) and len(w) == good.sum() else 0.0
    n_ok = int(n - np.sum(wt == 0))
    resdf = n_ok - rank
    aic = family.aic(y, mu, wt, dev) + 2 * rank
    if emit_warnings:
        for m in msgs:
            warnings.warn(m, _warning_category(m), stacklevel=3)
    return GLMFit(coef, rank, dev, aic, mu, eta, wts, residuals, resdf, conv, it, msgs)


def _warning_category(message: str) -> type[Warning]:
    """statprune's warning class for an R ``glm.fit`` warning text."""
    from .errors import ConvergenceWarning, PerfectSeparationWarning  # noqa: PLC0415

    if "numerically 0 or 1" in message:
        return PerfectSeparationWarning
    if "converge" in message or "boundary" in message:
        return ConvergenceWarning
    return UserWarning
