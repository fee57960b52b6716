"""R's ``glm.fit`` (IRLS) for every family and link of R's ``glm`` (and ``MASS::glm.nb``), in numpy.

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
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps
from scipy.special import digamma, gammaln, polygamma

from ..._glmnet.families import FAMILY_LINKS, LINKS, STEPWISE_FAMILIES
from ...errors import ConvergenceWarning, PerfectSeparationWarning
from .sweep import GLM_TOL, qr_fit

__all__ = ["GLM_FIT_FAMILIES", "GLMFit", "Family", "Link", "glm_fit", "glm_nb", "theta_ml"]

_EPS = np.finfo(float).eps
_THRESH = 30.0
_MTHRESH = -30.0
_INVEPS = 1.0 / _EPS


class Link:
    """One of R's ``make.link`` links: ``linkfun``, ``linkinv``, ``mu.eta``, ``valideta`` as R writes them."""

    def __init__(self, name: str) -> None:
        if name not in LINKS:
            raise ValueError(f"link {name!r} not recognised")
        self.name = name

    def linkfun(self, mu):
        n = self.name
        with np.errstate(all="ignore"):
            if n == "logit":
                return np.log(mu / (1 - mu))
            if n == "probit":
                return sps.norm.ppf(mu)
            if n == "cauchit":
                return sps.cauchy.ppf(mu)
            if n == "cloglog":
                return np.log(-np.log(1 - mu))
            if n == "identity":
                return np.asarray(mu, float).copy()
            if n == "log":
                return np.log(mu)
            if n == "sqrt":
                return np.sqrt(mu)
            if n == "1/mu^2":
                return 1 / mu**2
            return 1 / mu  # inverse

    def linkinv(self, eta):
        n = self.name
        with np.errstate(all="ignore"):
            if n == "logit":  # R's C code: clamped at +-30
                tmp = np.where(eta < _MTHRESH, _EPS, np.where(eta > _THRESH, _INVEPS, np.exp(np.clip(eta, _MTHRESH, _THRESH))))
                return tmp / (1 + tmp)
            if n == "probit":
                th = -sps.norm.ppf(_EPS)
                return sps.norm.cdf(np.clip(eta, -th, th))
            if n == "cauchit":
                th = -sps.cauchy.ppf(_EPS)
                return sps.cauchy.cdf(np.clip(eta, -th, th))
            if n == "cloglog":
                return np.maximum(np.minimum(-np.expm1(-np.exp(eta)), 1 - _EPS), _EPS)
            if n == "identity":
                return np.asarray(eta, float).copy()
            if n == "log":
                return np.maximum(np.exp(eta), _EPS)
            if n == "sqrt":
                return eta**2
            if n == "1/mu^2":
                return 1 / np.sqrt(eta)
            return 1 / eta

    def mu_eta(self, eta):
        n = self.name
        with np.errstate(all="ignore"):
            if n == "logit":
                opexp = 1 + np.exp(np.clip(eta, _MTHRESH, _THRESH))
                return np.where((eta > _THRESH) | (eta < _MTHRESH), _EPS, np.exp(np.clip(eta, _MTHRESH, _THRESH)) / opexp**2)
            if n == "probit":
                return np.maximum(sps.norm.pdf(eta), _EPS)
            if n == "cauchit":
                return np.maximum(sps.cauchy.pdf(eta), _EPS)
            if n == "cloglog":
                e = np.minimum(eta, 700)
                return np.maximum(np.exp(e) * np.exp(-np.exp(e)), _EPS)
            if n == "identity":
                return np.ones(np.shape(eta))
            if n == "log":
                return np.maximum(np.exp(eta), _EPS)
            if n == "sqrt":
                return 2 * eta
            if n == "1/mu^2":
                return -1 / (2 * eta**1.5)
            return -1 / eta**2

    def valideta(self, eta) -> bool:
        if self.name in ("sqrt", "1/mu^2"):
            return bool(np.all(np.isfinite(eta)) and np.all(eta > 0))
        if self.name == "inverse":
            return bool(np.all(np.isfinite(eta)) and np.all(eta != 0))
        return True


#: the families :class:`Family` fits (R's ``glm`` families with an AIC; ``glm.nb`` is a negative.binomial)
GLM_FIT_FAMILIES = tuple(f for f in STEPWISE_FAMILIES if f != "glm.nb")


class Family:
    """An R family object (``binomial(link = "probit")``...): variance, deviance residuals, AIC, start."""

    def __init__(self, name: str, link: str | None = None, theta: float | None = None) -> None:
        if name not in GLM_FIT_FAMILIES:
            raise ValueError(f"family {name!r} not supported")
        link = link or FAMILY_LINKS[name][0]
        if link not in FAMILY_LINKS[name]:
            raise ValueError(
                f"link \"{link}\" not available for {name} family; available links are "
                + ", ".join(f"'{x}'" for x in FAMILY_LINKS[name])
            )
        self.name = name
        self.link = link
        self.theta = theta
        self._link = Link(link)

    def __repr__(self) -> str:
        th = f", theta={self.theta:.6g}" if self.theta is not None else ""
        return f"Family({self.name!r}, link={self.link!r}{th})"

    @property
    def r_name(self) -> str:
        if self.name == "negative.binomial":
            return f"Negative Binomial({self.theta:.4f})" if self.theta is not None else "Negative Binomial"
        return self.name

    @property
    def fixed_dispersion(self) -> bool:
        """``summary.glm`` uses dispersion 1 (binomial, poisson; ``summary.negbin`` too)."""
        return self.name in ("binomial", "poisson", "negative.binomial")

    def linkfun(self, mu):
        return self._link.linkfun(mu)

    def linkinv(self, eta):
        return self._link.linkinv(eta)

    def mu_eta(self, eta):
        return self._link.mu_eta(eta)

    def valideta(self, eta) -> bool:
        return self._link.valideta(eta)

    def variance(self, mu):
        n = self.name
        if n == "gaussian":
            return np.ones(np.shape(mu))
        if n == "binomial":
            return mu * (1 - mu)
        if n == "poisson":
            return mu
        if n == "Gamma":
            return mu**2
        if n == "inverse.gaussian":
            return mu**3
        return mu + mu**2 / self.theta  # negative.binomial

    def validmu(self, mu) -> bool:
        n = self.name
        if n == "binomial":
            return bool(np.all(np.isfinite(mu)) and np.all((mu > 0) & (mu < 1)))
        if n in ("poisson", "Gamma"):
            return bool(np.all(np.isfinite(mu)) and np.all(mu > 0))
        if n == "negative.binomial":
            return bool(np.all(mu > 0))
        return True

    def dev_resids(self, y, mu, wt):
        n = self.name
        with np.errstate(divide="ignore", invalid="ignore"):
            if n == "gaussian":
                return wt * (y - mu) ** 2
            if n == "binomial":
                a = np.where(y != 0, y * np.log(np.where(y != 0, y, 1) / mu), 0.0)
                b = np.where(1 - y != 0, (1 - y) * np.log(np.where(1 - y != 0, 1 - y, 1) / (1 - mu)), 0.0)
                return 2 * wt * (a + b)
            if n == "poisson":
                r = mu * wt
                pos = y > 0
                r = np.where(pos, wt * (y * np.log(np.where(pos, y, 1) / mu) - (y - mu)), r)
                return 2 * r
            if n == "Gamma":
                return -2 * wt * (np.log(np.where(y == 0, 1, y / mu)) - (y - mu) / mu)
            if n == "inverse.gaussian":
                return wt * ((y - mu) ** 2) / (y * mu**2)
            th = self.theta
            return 2 * wt * (y * np.log(np.maximum(1, y) / mu) - (y + th) * np.log((y + th) / (mu + th)))

    def aic(self, y, n, mu, wt, dev) -> float:
        """R's ``family$aic(y, n, mu, wt, dev)``."""
        name = self.name
        with np.errstate(divide="ignore", invalid="ignore"):
            if name == "gaussian":
                nobs = len(y)
                return float(nobs * (np.log(dev / nobs * 2 * np.pi) + 1) + 2 - np.sum(np.log(wt)))
            if name == "binomial":
                m = n if np.any(n > 1) else wt
                k = np.round(m * y)
                size = np.round(m)
                ld = sps.binom.logpmf(k, size, mu)
                return -2 * float(np.sum(np.where(m > 0, wt / np.where(m > 0, m, 1), 0.0) * ld))
            if name == "poisson":
                lp = np.where(y > 0, y * np.log(mu), 0.0) - mu - gammaln(y + 1)
                return -2 * float(np.sum(lp * wt))
            if name == "Gamma":
                nn = float(np.sum(wt))
                disp = dev / nn
                shape = 1 / disp
                scale = mu * disp
                ld = -gammaln(shape) - shape * np.log(scale) + (shape - 1) * np.log(y) - y / scale
                return -2 * float(np.sum(ld * wt)) + 2
            if name == "inverse.gaussian":
                sw = float(np.sum(wt))
                return float(sw * (1 + np.log(dev / sw * 2 * np.pi)) + 3 * np.sum(np.log(y) * wt) + 2)
            th = self.theta
            term = (y + th) * np.log(mu + th) - np.where(y > 0, y * np.log(mu), 0.0) + gammaln(y + 1) - th * np.log(th) \
                + gammaln(th) - gammaln(th + y)
            return 2 * float(np.sum(term * wt))

    def mustart(self, y, wt):
        """``family$initialize`` for a vector response (the binomial's is the proportion form)."""
        n = self.name
        if n == "binomial":
            return (wt * y + 0.5) / (wt + 1)
        if n == "poisson":
            return y + 0.1
        if n == "negative.binomial":
            return y + (y == 0) / 6
        if n == "gaussian":
            if (self.link == "inverse" and np.any(y == 0)) or (self.link == "log" and np.any(y <= 0)):
                raise FloatingPointError("cannot find valid starting values: please specify some")
        return np.asarray(y, float).copy()

    def check_y(self, y):
        n = self.name
        if n == "binomial":
            if np.any((y < 0) | (y > 1)):
                return "y values must be 0 <= y <= 1"
            return None
        if n in ("poisson", "negative.binomial") and np.any(y < 0):
            return f"negative values not allowed for the '{'Poisson' if n == 'poisson' else 'negative binomial'}' family"
        if n == "Gamma" and np.any(y <= 0):
            return "non-positive values not allowed for the 'Gamma' family"
        if n == "inverse.gaussian" and np.any(y <= 0):
            return "positive values only are allowed for the 'inverse.gaussian' family"
        return None


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

    theta: float | None = None  # MASS::glm.nb: the estimated theta
    twologlik: float | None = None

    def dispersion(self, family: Family) -> float:
        """``summary.glm``'s dispersion: 1 for binomial/poisson (and negbin), Pearson X^2/df otherwise."""
        if family.fixed_dispersion:
            return 1.0
        if self.df_residual <= 0:
            return float("nan")
        w = self.weights
        good = w > 0
        return float(np.sum((w * self.residuals**2)[good]) / self.df_residual)


def _halve_step(start: np.ndarray, coefold: np.ndarray | None, X: np.ndarray, off: np.ndarray, family: Family,
                maxit: int, loop: int, ok: Callable[[np.ndarray, np.ndarray], bool]) -> tuple:
    """R's ``glm.fit`` step halving ("inner loop 1": divergence, "inner loop 2": out of bounds).

    ``start`` moves half-way back to the previous coefficients ``coefold`` until ``ok(eta, mu)``,
    at most ``maxit`` times; returns ``(start, eta, mu)``.
    """
    if coefold is None:
        raise FloatingPointError("no valid set of coefficients has been found: please supply starting values")
    ii = 1
    while True:
        if ii > maxit:
            raise FloatingPointError(f"inner loop {loop}; cannot correct step size")
        ii += 1
        start = (start + coefold) / 2
        eta = X @ start + off
        mu = family.linkinv(eta)
        if ok(eta, mu):
            return start, eta, mu


def glm_fit(
    X: np.ndarray,
    y: np.ndarray,
    family: Family,
    *,
    weights: np.ndarray | None = None,
    offset: np.ndarray | None = None,
    n_trials: np.ndarray | None = None,
    mustart: np.ndarray | None = None,
    etastart: np.ndarray | None = None,
    epsilon: float = 1e-8,
    maxit: int = 25,
    emit_warnings: bool = True,
) -> GLMFit:
    """IRLS exactly as R's ``glm.fit``. Warnings carry R's text.

    ``n_trials`` is the binomial ``n`` of a two-column (successes, failures)
    response: ``y`` is then the proportion, ``weights`` the prior weights times
    ``n``, the start ``(n y + 0.5)/(n + 1)`` and the AIC ``family$aic``'s with that ``n``.
    """
    n, p = X.shape
    wt = np.ones(n) if weights is None else np.asarray(weights, float)
    off = np.zeros(n) if offset is None else np.asarray(offset, float)
    nn = np.ones(n) if n_trials is None else np.asarray(n_trials, float)
    msgs: list[str] = []
    y = np.asarray(y, float)
    if family.name == "binomial" and n_trials is None:
        y = np.where(wt == 0, 0.0, y)
    if mustart is None:
        if family.name == "binomial" and n_trials is not None:
            mustart = (nn * y + 0.5) / (nn + 1)
        else:
            mustart = family.mustart(y, wt)
    conv = boundary = False
    coef = np.zeros(p)
    coefold: np.ndarray | None = None
    start = np.zeros(p)
    rank = 0
    w = np.ones(n)
    good = wt > 0
    it = 0
    if p == 0:
        eta = np.zeros(n) + off
        if not family.valideta(eta):
            raise FloatingPointError("invalid linear predictor values in empty model")
        mu = family.linkinv(eta)
        if not family.validmu(mu):
            raise FloatingPointError("invalid fitted means in empty model")
        dev = float(np.sum(family.dev_resids(y, mu, wt)))
        w = np.sqrt(wt * family.mu_eta(eta) ** 2 / family.variance(mu))
        good = np.ones(n, bool)
        conv = True
        coef = np.empty(0)
    else:
        eta = np.asarray(etastart, float) if etastart is not None else family.linkfun(mustart)
        mu = family.linkinv(eta)
        if not (family.validmu(mu) and family.valideta(eta)):
            raise FloatingPointError("cannot find valid starting values: please specify some")
        devold = float(np.sum(family.dev_resids(y, mu, wt)))
        dev = devold
        for it in range(1, maxit + 1):
            mu_eta_val = family.mu_eta(eta)
            good = (wt > 0) & (mu_eta_val != 0)
            if not np.any(good):
                conv = False
                msgs.append(f"no observations informative at iteration {it}")
                break
            z = (eta - off)[good] + (y - mu)[good] / mu_eta_val[good]
            w = np.sqrt(wt[good] * mu_eta_val[good] ** 2 / family.variance(mu)[good])
            fit = qr_fit(X[good] * w[:, None], z * w, tol=GLM_TOL)
            if not np.all(np.isfinite(fit.coef[fit.kept])):
                conv = False
                msgs.append(f"non-finite coefficients at iteration {it}")
                break
            rank = fit.rank
            start = np.where(np.isnan(fit.coef), 0.0, fit.coef)
            eta = X @ start + off
            mu = family.linkinv(eta)
            dev = float(np.sum(family.dev_resids(y, mu, wt)))
            boundary = False
            if not np.isfinite(dev):
                msgs.append("step size truncated due to divergence")
                start, eta, mu = _halve_step(start, coefold, X, off, family, maxit, 1,
                                             lambda eta, mu: np.isfinite(np.sum(family.dev_resids(y, mu, wt))))
                dev = float(np.sum(family.dev_resids(y, mu, wt)))
                boundary = True
            if not (family.valideta(eta) and family.validmu(mu)):
                msgs.append("step size truncated: out of bounds")
                start, eta, mu = _halve_step(start, coefold, X, off, family, maxit, 2,
                                             lambda eta, mu: family.valideta(eta) and family.validmu(mu))
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
    with np.errstate(divide="ignore", invalid="ignore"):
        residuals = (y - mu) / family.mu_eta(eta)
    wts = np.zeros(n)
    wts[good] = w**2 if np.ndim(w) and len(w) == good.sum() else 0.0
    n_ok = int(n - np.sum(wt == 0))
    resdf = n_ok - rank
    aic = family.aic(y, nn, mu, wt, dev) + 2 * rank
    if emit_warnings:
        for m in msgs:
            warnings.warn(m, _warning_category(m), stacklevel=3)
    return GLMFit(coef, rank, dev, aic, mu, eta, wts, residuals, resdf, conv, it, msgs)


def theta_ml(y, mu, n, weights, limit: int = 10, eps: float = _EPS**0.25) -> tuple[float, list[str]]:
    """``MASS::theta.ml``: Newton's method for the negative binomial theta (R's warnings returned)."""
    y = np.asarray(y, float)
    w = np.asarray(weights, float)
    def score(th):
        return float(np.sum(w * (digamma(th + y) - digamma(th) + np.log(th) + 1 - np.log(th + mu) - (y + th) / (mu + th))))

    def info(th):
        return float(np.sum(w * (-polygamma(1, th + y) + polygamma(1, th) - 1 / th + 2 / (mu + th) - (y + th) / (mu + th) ** 2)))

    t0 = n / float(np.sum(w * (y / mu - 1) ** 2))
    it = 0
    delta = 1.0
    msgs: list[str] = []
    while True:
        it += 1
        if not (it < limit and abs(delta) > eps):
            break
        t0 = abs(t0)
        delta = score(t0) / info(t0)
        t0 = t0 + delta
    if t0 < 0:
        t0 = 0.0
        msgs.append("estimate truncated at zero")
    if it == limit:
        msgs.append("iteration limit reached")
    return float(t0), msgs


def _nb_loglik(th, mu, y, w) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum(w * (gammaln(th + y) - gammaln(th) - gammaln(y + 1) + th * np.log(th)
                                 + y * np.log(mu + (y == 0)) - (th + y) * np.log(th + mu))))


def glm_nb(
    X: np.ndarray,
    y: np.ndarray,
    *,
    link: str = "log",
    weights: np.ndarray | None = None,
    offset: np.ndarray | None = None,
    init_theta: float | None = None,
    epsilon: float = 1e-8,
    maxit: int = 25,
) -> GLMFit:
    """``MASS::glm.nb``: alternate ``glm.fit`` with ``negative.binomial(theta)`` and ``theta.ml``.

    The start is a poisson fit, or ``negative.binomial(init_theta)`` when given
    (``update()`` of a ``glm.nb`` fit passes the previous theta, rounded to 10
    significant digits, as ``stepAIC`` refits do). ``aic`` is MASS's
    ``-2 loglik + 2 rank + 2``.
    """
    n = len(y)
    w = np.ones(n) if weights is None else np.asarray(weights, float)
    msgs: list[str] = []
    fam0 = Family("poisson", link) if init_theta is None else Family("negative.binomial", link, theta=init_theta)
    fit = glm_fit(X, y, fam0, weights=w, offset=offset, epsilon=epsilon, maxit=maxit, emit_warnings=False)
    msgs += fit.warnings
    mu = fit.mu
    th, tw = theta_ml(y, mu, float(np.sum(w)), w, limit=maxit)
    fam = Family("negative.binomial", link, theta=th)
    it = 0
    d1 = np.sqrt(2 * max(1, fit.df_residual))
    d2 = delta = 1.0
    Lm = _nb_loglik(th, mu, y, w)
    Lm0 = Lm + 2 * d1
    while True:
        it += 1
        if not (it <= maxit and (abs(Lm0 - Lm) / d1 + abs(delta) / d2) > epsilon):
            break
        eta = fam.linkfun(mu)
        fit = glm_fit(X, y, fam, weights=w, offset=offset, etastart=eta, epsilon=epsilon, maxit=maxit,
                      emit_warnings=False)
        t0 = th
        th, tw = theta_ml(y, mu, float(np.sum(w)), w, limit=maxit)
        fam = Family("negative.binomial", link, theta=th)
        mu = fit.mu
        delta = t0 - th
        Lm0 = Lm
        Lm = _nb_loglik(th, mu, y, w)
    msgs += [m for m in fit.warnings if m not in msgs]
    msgs += [f"theta.ml: {m}" for m in tw]
    if it > maxit:
        msgs.append("alternation limit reached")
    fit.theta = th
    fit.twologlik = 2 * Lm
    fit.aic = -fit.twologlik + 2 * fit.rank + 2
    fit.warnings = msgs
    return fit


def _warning_category(message: str) -> type[Warning]:
    """statprune's warning class for an R ``glm.fit`` warning text."""
    if "numerically 0 or 1" in message:
        return PerfectSeparationWarning
    if "converge" in message or "boundary" in message:
        return ConvergenceWarning
    return UserWarning
