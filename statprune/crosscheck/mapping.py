"""glmnet's lambda <-> scikit-learn's alpha / C, statsmodels', glum's and skglm's alpha.

The derivation lives in ``docs/lambda_mapping.md``; this module is its
implementation, used by :mod:`statprune.crosscheck` and its reference solvers. Every function works on the
problem as glmnet sees it:

* weights rescaled to sum to ``n`` (:func:`glmnet_weights`);
* penalty factors rescaled to sum to ``p`` (:func:`glmnet_penalty_factor`);
* x standardized by its *weighted population* sd (``standardize=True``), the
  coefficients reported back on the original scale (:func:`glmnet_x_scale`);
* for the gaussian family, y scaled by its weighted population sd ``s_y``
  (:func:`glmnet_y_scale`), which matters for the elastic net only.

glmnet minimises ``sum_i w_i l_i(b) / n + lambda * sum_j pf_j (alpha |b_j| +
(1 - alpha) / 2 * b_j^2)`` on the standardized scale, where ``l_i`` is half the
squared error (gaussian) or minus the log-likelihood (binomial, multinomial,
poisson). The mapped problems:

=============================  =====================================================
glmnet                         other engine (on X / sd_x)
=============================  =====================================================
gaussian, any alpha            ``ElasticNet(alpha=lambda / s_y, l1_ratio=alpha)``
                               on ``y / s_y``, coefficients times ``s_y``
                               (``Lasso(alpha=lambda)`` on ``y`` when alpha = 1)
binomial / multinomial         ``LogisticRegression(C=1 / (n * lambda),
                               l1_ratio=alpha, solver="saga")``
poisson, alpha > 0             ``statsmodels GLM(..., Poisson()).fit_regularized(
                               method="elastic_net", alpha=[0, lambda, ...],
                               L1_wt=alpha)``
poisson, alpha = 0 (ridge)     ``PoissonRegressor(alpha=lambda)``
=============================  =====================================================
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.linear_model import ElasticNet, LogisticRegression, PoissonRegressor, enet_path

from ..errors import ParameterError

__all__ = [
    "GlmnetProblem",
    "glmnet_weights",
    "glmnet_penalty_factor",
    "glmnet_x_scale",
    "glmnet_y_scale",
    "lasso_alpha",
    "logistic_C",
    "statsmodels_alpha",
    "poisson_ridge_alpha",
    "glum_alpha",
    "skglm_alpha",
    "refit",
    "sklearn_path",
    "deviance",
]

#: the families whose lambda this module maps: glmnet's named families (statprune._glmnet.families.GLMNET_FAMILIES)
#: other than mgaussian and cox, which no reference engine fits
MAPPED_FAMILIES = ("gaussian", "binomial", "multinomial", "poisson")


# --------------------------------------------------------------------------- the mapping itself
def lambda_scale(family: str, s_y: float) -> float:
    """Factor ``f`` with ``sklearn alpha = lambda / f`` on ``y / s_y`` (gaussian) or 1."""
    return s_y if family == "gaussian" else 1.0


def lasso_alpha(lam: float, s_y: float) -> float:
    """scikit-learn ``Lasso``/``ElasticNet`` ``alpha`` for glmnet's gaussian ``lambda``.

    The fit is on ``y / s_y`` (``s_y`` = weighted population sd of y); for the
    lasso this is the same as ``Lasso(alpha=lambda)`` on ``y`` itself.

    Examples
    --------
    >>> lasso_alpha(0.3, 2.0)
    0.15
    """
    return lam / s_y


def logistic_C(lam: float, n_eff: float) -> float:
    """``LogisticRegression`` ``C`` for glmnet's binomial/multinomial ``lambda``.

    ``n_eff`` is the sum of the weights after glmnet's rescaling, i.e. ``n``.

    Examples
    --------
    >>> logistic_C(0.02, 768)
    0.06510416666666667
    """
    return 1.0 / (n_eff * lam)


def statsmodels_alpha(lam: float) -> float:
    """statsmodels ``fit_regularized(method="elastic_net")`` ``alpha`` (penalised terms only)."""
    return lam


def glum_alpha(lam: float, s_y: float = 1.0) -> float:
    """glum ``GeneralizedLinearRegressor`` ``alpha`` for glmnet's ``lambda`` (on ``X / sd_x``, gaussian on ``y / s_y``).

    glum minimises ``-1/sum(w) sum_i w_i loglik_i + alpha (l1_ratio |P1 b|_1 +
    (1 - l1_ratio) / 2 b' P2 b)``: glmnet's objective with ``alpha = lambda``,
    ``l1_ratio = alpha`` (glmnet's) and ``P1 = P2 = penalty factors``; for the
    gaussian family glmnet's problem is on ``y / s_y`` at ``lambda / s_y``.

    Examples
    --------
    >>> glum_alpha(0.3, 2.0)
    0.15
    """
    return lam / s_y


def skglm_alpha(lam: float, s_y: float = 1.0) -> float:
    """skglm penalty ``alpha`` (``L1``, ``WeightedL1``, ``L1_plus_L2``) for glmnet's ``lambda``.

    skglm's ``Quadratic``, ``Logistic`` and ``Poisson`` datafits are means over the
    rows (``1/(2n) |y - Xb|^2``, ``1/n sum log(1 + exp(-y x'b))``, ``1/n sum
    exp(x'b) - y x'b``), so ``alpha = lambda`` on ``X / sd_x`` (gaussian: on
    ``y / s_y`` at ``lambda / s_y``).

    Examples
    --------
    >>> skglm_alpha(0.3, 2.0)
    0.15
    """
    return lam / s_y


def poisson_ridge_alpha(lam: float) -> float:
    """``PoissonRegressor`` ``alpha`` for glmnet's ridge (alpha = 0) poisson ``lambda``."""
    return lam


# --------------------------------------------------------------------------- glmnet's preprocessing
def glmnet_weights(sample_weight: Any, n: int) -> np.ndarray:
    """Weights as glmnet uses them: rescaled to sum to ``n`` (ones when None)."""
    return _rescaled_to_count(sample_weight, n, "sample_weight", f"the data has {n} rows")


def glmnet_penalty_factor(penalty_factor: Any, p: int) -> np.ndarray:
    """Penalty factors as glmnet uses them: rescaled to sum to ``p`` (ones when None)."""
    return _rescaled_to_count(penalty_factor, p, "penalty_factor", f"there are {p} predictors")


def _rescaled_to_count(values: Any, count: int, name: str, expected: str) -> np.ndarray:
    """``values`` (finite, >= 0, not all zero) times ``count / sum``: glmnet's rule for weights and penalty factors."""
    if values is None:
        return np.ones(count)
    v = np.asarray(values, dtype=float).reshape(-1)
    if v.shape[0] != count:
        raise ParameterError(f"{name} has {v.shape[0]} values but {expected}")
    if not np.all(np.isfinite(v)) or np.any(v < 0) or v.sum() <= 0:
        raise ParameterError(f"{name} must be finite, non-negative and not all zero")
    return v * (count / v.sum())


def glmnet_x_scale(X: np.ndarray, w: np.ndarray, standardize: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and weighted *population* sd of each column (sd = 1 without standardization)."""
    wn = w / w.sum()
    mean = wn @ X
    if not standardize:
        return mean, np.ones(X.shape[1])
    sd = np.sqrt(wn @ (X - mean) ** 2)
    return mean, sd


def glmnet_y_scale(y: np.ndarray, w: np.ndarray, fit_intercept: bool = True) -> float:
    """glmnet's gaussian ``ys``: weighted population sd of y (root mean square without intercept)."""
    wn = w / w.sum()
    if fit_intercept:
        m = wn @ y
        return float(np.sqrt(wn @ (y - m) ** 2))
    return float(np.sqrt(wn @ y**2))


@dataclass
class GlmnetProblem:
    """A glmnet problem at one ``lambda``, with glmnet's preprocessing applied."""

    X: np.ndarray
    y: np.ndarray  # float (gaussian, poisson), 0/1 (binomial), labels (multinomial)
    family: str
    alpha: float
    w: np.ndarray
    pf: np.ndarray
    x_mean: np.ndarray
    x_sd: np.ndarray
    s_y: float
    fit_intercept: bool

    @classmethod
    def build(
        cls,
        X: Any,
        y: Any,
        family: str,
        alpha: float,
        *,
        sample_weight: Any = None,
        penalty_factor: Any = None,
        standardize: bool = True,
        fit_intercept: bool = True,
    ) -> GlmnetProblem:
        if family not in MAPPED_FAMILIES:
            raise ParameterError(f"family must be one of {MAPPED_FAMILIES}, got {family!r}")
        if not 0.0 <= float(alpha) <= 1.0:
            raise ParameterError(f"alpha must be in [0, 1] (glmnet's mixing parameter), got {alpha!r}")
        X = np.asarray(X, dtype=float)
        n, p = X.shape
        w = glmnet_weights(sample_weight, n)
        pf = glmnet_penalty_factor(penalty_factor, p)
        mean, sd = glmnet_x_scale(X, w, standardize)
        if np.any(sd == 0):
            raise ParameterError("a predictor column is constant (sd = 0); drop it before the crosscheck")
        if family in ("gaussian", "poisson"):
            yv = np.asarray(y, dtype=float).reshape(-1)
        else:
            yv = np.asarray(y).reshape(-1)
        s_y = glmnet_y_scale(yv, w, fit_intercept) if family == "gaussian" else 1.0
        return cls(X, yv, family, float(alpha), w, pf, mean, sd, s_y, fit_intercept)

    @property
    def sklearn_ok(self) -> bool:
        """scikit-learn can reproduce the penalty.

        Equal factors always; the lasso with positive factors (column rescaling);
        gaussian also with zero factors (partialled out, Frisch-Waugh) when the
        positive factors are equal or alpha = 1.
        """
        if bool(np.allclose(self.pf, 1.0, rtol=0, atol=1e-12)):
            return True
        if self.family == "gaussian":
            pos = self.pf[self.pf > 0]
            return self.alpha == 1.0 or bool(np.allclose(pos, pos[0], rtol=1e-12, atol=0))
        return self.alpha == 1.0 and bool(np.all(self.pf > 0))

    @property
    def col_scale(self) -> np.ndarray:
        """Column divisor that turns glmnet's penalty into scikit-learn's plain one: ``sd_j * pf_j``."""
        return self.x_sd * self.pf

    @property
    def n(self) -> int:
        return self.X.shape[0]

    def sklearn_design(self) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
        """``(xm, ym, Z, yy)``: the weighted means and the centred, ``sqrt(w)``-weighted design and response
        on which scikit-learn's plain penalty is glmnet's (columns over :attr:`col_scale`, ``y`` over ``s_y``)."""
        wn = self.w / self.w.sum()
        xm = wn @ self.X if self.fit_intercept else np.zeros(self.X.shape[1])
        ym = float(wn @ self.y) if self.fit_intercept else 0.0
        sq = np.sqrt(self.w)[:, None]
        return xm, ym, (self.X - xm) / self.col_scale * sq, (self.y - ym) / self.s_y * sq[:, 0]


# --------------------------------------------------------------------------- refits
@dataclass
class Refit:
    """A refit by the other engine, coefficients on glmnet's (original x) scale."""

    engine: str
    estimator: str  # e.g. "sklearn.linear_model.ElasticNet(alpha=..., l1_ratio=...)"
    param_name: str  # "alpha" or "C"
    param_value: float
    lambda_equivalent: float  # the glmnet lambda the parameter maps back to
    intercept: np.ndarray  # (K,) or (1,)
    coef: np.ndarray  # (p,) or (K, p)
    classes: list[str] | None = None
    n_iter: Any = None


def refit(prob: GlmnetProblem, lam: float, engine: str = "sklearn", *, tol: float = 1e-12, max_iter: int = 1_000_000) -> Refit:
    """Fit the glmnet problem ``prob`` at ``lam`` with scikit-learn or statsmodels."""
    fam = prob.family
    if engine == "sklearn" and not prob.sklearn_ok:
        raise ParameterError(
            "scikit-learn has no per-feature penalty: penalty factors are reproduced by column rescaling for the "
            "lasso (alpha=1) with positive factors only; use engine 'statsmodels' (per-parameter alpha)"
        )
    if engine == "sklearn" and fam == "gaussian" and np.any(prob.pf == 0):
        return _gaussian_unpenalized_columns(prob, lam, tol, max_iter)
    # statsmodels' coordinate descent converges poorly against a large intercept: centre x for it
    Z = prob.X / prob.col_scale if engine == "sklearn" else (prob.X - (prob.x_mean if prob.fit_intercept else 0.0)) / prob.x_sd
    if engine == "sklearn":
        if fam == "gaussian":
            a = lasso_alpha(lam, prob.s_y)
            m = ElasticNet(alpha=a, l1_ratio=prob.alpha, fit_intercept=prob.fit_intercept, tol=tol * 1e-2, max_iter=max_iter)
            m.fit(Z, prob.y / prob.s_y, sample_weight=prob.w)
            coef = m.coef_ * prob.s_y / prob.col_scale
            icpt = np.atleast_1d(m.intercept_ * prob.s_y)
            return Refit("sklearn", f"ElasticNet(alpha={a:.6g}, l1_ratio={prob.alpha:g}) on y/{prob.s_y:.6g}", "alpha", a, a * prob.s_y, icpt, coef, None, m.n_iter_)
        if fam in ("binomial", "multinomial"):
            C = logistic_C(lam, float(prob.w.sum()))
            m = LogisticRegression(C=C, l1_ratio=prob.alpha, solver="saga", fit_intercept=prob.fit_intercept, tol=tol, max_iter=max_iter,
                                   warm_start=prob.fit_intercept, random_state=0)  # saga shuffles: same result every run
            if prob.fit_intercept:
                # start at the null model (as glmnet does): saga's stopping rule looks at the coefficients' change, and
                # with every coefficient at zero it would otherwise stop with the intercepts short of their optimum
                labels = np.asarray([str(v) for v in prob.y]) if fam == "multinomial" else np.asarray(prob.y, dtype=float)
                cls = np.unique(labels)
                freq = np.array([prob.w[labels == c].sum() for c in cls]) / prob.w.sum()
                if fam == "binomial":
                    m.coef_, m.intercept_ = np.zeros((1, Z.shape[1])), np.array([np.log(freq[1] / freq[0])])
                else:
                    lf = np.log(freq)
                    m.coef_, m.intercept_ = np.zeros((cls.size, Z.shape[1])), lf - lf.mean()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)
                m.fit(Z, prob.y, sample_weight=prob.w)
            coef = m.coef_ / prob.col_scale
            icpt = np.atleast_1d(m.intercept_)
            if fam == "binomial":
                coef = coef[0]
            classes = [str(c) for c in m.classes_]
            return Refit("sklearn", f"LogisticRegression(C={C:.6g}, l1_ratio={prob.alpha:g}, solver='saga')", "C", C, 1.0 / (C * prob.w.sum()), icpt, coef, classes, m.n_iter_)
        if fam == "poisson":
            if prob.alpha != 0.0:
                raise ParameterError("scikit-learn's PoissonRegressor has only an L2 penalty; use engine 'statsmodels' for alpha > 0")

            a = poisson_ridge_alpha(lam)
            m = PoissonRegressor(alpha=a, fit_intercept=prob.fit_intercept, solver="newton-cholesky", tol=tol, max_iter=max_iter)
            m.fit(Z, prob.y, sample_weight=prob.w)
            return Refit("sklearn", f"PoissonRegressor(alpha={a:.6g})", "alpha", a, a, np.atleast_1d(m.intercept_), m.coef_ / prob.col_scale, None, m.n_iter_)
    if engine == "statsmodels":
        if fam not in ("binomial", "poisson"):
            # statsmodels has no penalised multinomial model, and its OLS elastic net stops ~2e-2 (of the
            # coefficient scale) away from the optimum on Boston whatever the tolerance
            raise ParameterError(f"the penalised statsmodels refit is used for binomial and poisson, not {fam!r}")
        import statsmodels.api as sm  # noqa: PLC0415  (deferred: about a second to import, used by this engine only)

        if not np.allclose(prob.w, 1.0):
            raise ParameterError("the statsmodels elastic-net crosscheck does not support sample weights")
        # per-parameter alpha: glmnet's penalty factors multiply both the L1 and the L2 part, as here
        a = statsmodels_alpha(lam) / (prob.s_y if fam == "gaussian" else 1.0)
        yy = prob.y / prob.s_y if fam == "gaussian" else prob.y
        design = np.column_stack([np.ones(prob.n), Z]) if prob.fit_intercept else Z
        pen = a * (np.r_[0.0, prob.pf] if prob.fit_intercept else prob.pf)
        model = sm.GLM(yy, design, family=sm.families.Poisson() if fam == "poisson" else sm.families.Binomial())
        label = "GLM(Poisson)" if fam == "poisson" else "GLM(Binomial)"
        res = model.fit_regularized(method="elastic_net", alpha=pen, L1_wt=prob.alpha, cnvrg_tol=min(tol, 1e-10) * 1e-2, maxiter=max_iter)
        params = np.asarray(res.params, dtype=float) * (prob.s_y if fam == "gaussian" else 1.0)
        coef = (params[1:] if prob.fit_intercept else params) / prob.x_sd
        icpt = np.atleast_1d(params[0] - prob.x_mean @ coef if prob.fit_intercept else 0.0)
        pf_txt = "" if np.allclose(prob.pf, 1.0) else " x penalty factors"
        return Refit("statsmodels", f"{label}.fit_regularized(method='elastic_net', alpha={a:.6g}{pf_txt}, L1_wt={prob.alpha:g})"
                     + (f" on y/{prob.s_y:.6g}" if fam == "gaussian" else ""), "alpha", a, a * (prob.s_y if fam == "gaussian" else 1.0), icpt, coef)
    raise ParameterError(f"no {engine!r} refit for family {fam!r}")


def _gaussian_unpenalized_columns(prob: GlmnetProblem, lam: float, tol: float, max_iter: int) -> Refit:
    """Gaussian with some penalty factors 0 (always kept): partial them out, then ElasticNet.

    For fixed penalised coefficients ``b`` the unpenalised ones (and the
    intercept) are a weighted least-squares fit, so glmnet's problem is the
    penalised one on the residuals of y and of the penalised columns after
    projecting out the unpenalised columns (Frisch-Waugh-Lovell).
    """
    zero = prob.pf == 0
    pos = ~zero
    n = prob.n
    sw = np.sqrt(prob.w)
    U = prob.X[:, zero]
    Ud = np.column_stack([np.ones(n), U]) if prob.fit_intercept else U
    Q, _ = np.linalg.qr(Ud * sw[:, None])
    V = prob.X[:, pos] * sw[:, None]
    yt = prob.y * sw
    Vr = V - Q @ (Q.T @ V)
    yr = yt - Q @ (Q.T @ yt)
    pfp = prob.pf[pos]
    if prob.alpha == 1.0:
        scale, lam_eff = prob.x_sd[pos] * pfp, lam
    else:  # equal positive factors c: lambda * c
        scale, lam_eff = prob.x_sd[pos], lam * float(pfp[0])
    a = lasso_alpha(lam_eff, prob.s_y)
    m = ElasticNet(alpha=a, l1_ratio=prob.alpha, fit_intercept=False, tol=tol * 1e-2, max_iter=max_iter)
    m.fit(Vr / scale, yr / prob.s_y)
    coef = np.zeros(prob.X.shape[1])
    coef[pos] = m.coef_ * prob.s_y / scale
    resid = (prob.y - prob.X[:, pos] @ coef[pos]) * sw
    sol, *_ = np.linalg.lstsq(Ud * sw[:, None], resid, rcond=None)
    if prob.fit_intercept:
        icpt, coef[zero] = np.atleast_1d(sol[0]), sol[1:]
    else:
        icpt, coef[zero] = np.zeros(1), sol
    est = f"ElasticNet(alpha={a:.6g}, l1_ratio={prob.alpha:g}) on y/{prob.s_y:.6g}, unpenalised columns partialled out"
    return Refit("sklearn", est, "alpha", a, a * prob.s_y / (lam_eff / lam), icpt, coef, None, m.n_iter_)


def sklearn_path(prob: GlmnetProblem, lambdas: np.ndarray, *, tol: float = 1e-14, max_iter: int = 1_000_000) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's ``enet_path`` on glmnet's lambda sequence (gaussian).

    Returns ``(a0, beta)`` with ``beta`` of shape ``(p, L)`` on the original scale,
    as glmnet's ``fit$a0`` and ``fit$beta``.
    """
    if prob.family != "gaussian":
        raise ParameterError("the path crosscheck uses enet_path and is for the gaussian family")

    xm, ym, Z, yy = prob.sklearn_design()
    alphas = np.asarray(lambdas, dtype=float) / prob.s_y
    _, coefs, _ = enet_path(Z, yy, l1_ratio=prob.alpha, alphas=alphas, tol=tol, max_iter=max_iter)
    beta = coefs * prob.s_y / prob.col_scale[:, None]
    a0 = ym - xm @ beta
    return a0, beta


# --------------------------------------------------------------------------- deviance
def linear_predictor(X: np.ndarray, intercept: np.ndarray, coef: np.ndarray) -> np.ndarray:
    coef = np.asarray(coef)
    if coef.ndim == 2:
        return X @ coef.T + intercept[None, :]
    return X @ coef + float(np.asarray(intercept).reshape(-1)[0])


def deviance(family: str, y: np.ndarray, eta: np.ndarray, w: np.ndarray | None = None, classes: list[str] | None = None) -> float:
    """The deviance glmnet reports (``deviance(fit)``) from a linear predictor."""
    w = np.ones(len(y)) if w is None else w
    if family == "gaussian":
        return float(w @ (y - eta) ** 2)
    if family == "binomial":
        yy = np.asarray(y, dtype=float)
        # -2 loglik, written stably: log p = -log1p(exp(-eta))
        ll = yy * -np.logaddexp(0, -eta) + (1 - yy) * -np.logaddexp(0, eta)
        return float(-2 * w @ ll)
    if family == "poisson":
        mu = np.exp(eta)
        yy = np.asarray(y, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(yy > 0, yy * np.log(yy / mu), 0.0)
        return float(2 * w @ (t - (yy - mu)))
    if family == "multinomial":
        assert classes is not None
        lse = np.logaddexp.reduce(eta, axis=1)
        pos = {c: i for i, c in enumerate(classes)}
        idx = np.array([pos[str(v)] for v in y])
        ll = eta[np.arange(len(y)), idx] - lse
        return float(-2 * w @ ll)
    raise ParameterError(f"unknown family {family!r}")
