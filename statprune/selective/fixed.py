"""R's ``fixedLassoInf``: selective inference for the lasso at a fixed lambda (gaussian, binomial, cox).

The lasso's active set and signs at ``lambda`` are a polyhedron in ``y`` (gaussian)
or, for binomial and cox, in the one-step estimator ``bbar`` (Taylor & Tibshirani
2018); each active coefficient gets a truncated-Gaussian pivot. ``lambda`` is on
``fixedLassoInf``'s scale, ``n`` times glmnet's (see :mod:`statprune.selective`).
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg

from .._polyhedral import pinv_sym, tg_interval, tg_limits, tg_pvalue
from .._validation import check_xy
from ..errors import DataError, NothingSelectedWarning, ParameterError, SelectionWarning
from ._common import check_alpha, naive_ols, sigma_default
from .result import SelectiveResult, frame, row, selective_provenance

__all__ = ["fixed_lasso_inf"]


def _lambda_from_fit(fit: Any, s: str | float, n: int, family: str) -> tuple[float, np.ndarray, float, bool]:
    """(lambda on fixedLassoInf's scale, beta from coef(exact=TRUE), glmnet's lambda, intercept) of a fit."""
    res = getattr(fit, "result_", fit)
    if not hasattr(res, "coef") or not hasattr(res, "_lambda_of"):
        raise ParameterError("fit must be a fitted statprune GlmnetCV or LassoResult")
    if res.family != family:
        raise ParameterError(f"fit is a {res.family!r} glmnet fit but family={family!r}; pass family={res.family!r}")
    data = res._data or {}
    opts = data.get("opts") or {}
    unsupported = [k for k in ("penalty.factor", "exclude", "lower.limits", "upper.limits", "relax", "offset")
                   if k in opts] + [k for k in ("weights", "offset") if data.get(k) is not None]
    if unsupported:
        raise ParameterError(f"fixed_lasso_inf needs a plain lasso fit; this glmnet fit uses {sorted(set(unsupported))}")
    if bool(np.asarray(opts.get("standardize", True)).reshape(-1)[0]):
        raise ParameterError(
            "fixed_lasso_inf conditions on the lasso with one penalty for every column, but this glmnet fit used "
            "standardize=True (a per-column penalty); scale X yourself and refit with GlmnetCV(standardize=False)")
    if res.alpha not in (1, 1.0):
        raise ParameterError(f"fixed_lasso_inf needs a lasso fit (alpha=1), this fit has alpha={res.alpha}")
    lam_g = res._lambda_of(s)
    cf = res.coef(s=lam_g, exact=True).to_numpy(dtype=float).reshape(-1)
    return n * lam_g, cf, lam_g, bool(np.asarray(opts.get("intercept", True)).reshape(-1)[0])



def fixed_lasso_inf(
    X: Any,
    y: Any,
    *,
    fit: Any = None,
    s: str | float = "lambda.min",
    beta: Any = None,
    lambda_: float | None = None,
    family: Literal["gaussian", "binomial", "cox"] = "gaussian",
    status: Any = None,
    intercept: bool = True,
    sigma: float | None = None,
    alpha: float = 0.1,
    type: Literal["partial"] = "partial",
    tol_beta: float = 1e-5,
    tol_kkt: float = 0.1,
    gridrange: tuple[float, float] = (-100, 100),
    feature_names: Sequence[str] | None = None,
) -> SelectiveResult:
    """Selective p-values and intervals for the lasso at a fixed lambda: R's ``fixedLassoInf``.

    Parameters
    ----------
    X : array or DataFrame (n, p)
        The predictors the lasso was fitted on (R: ``x``). For gaussian with
        ``intercept=True`` they are centred here, as R centres them.
    y : array (n,)
        The response; 0/1 for binomial; survival times for cox (with ``status``).
    fit : GlmnetCV or LassoResult, optional
        A statprune lasso fit (``standardize=False``) on the same ``X`` and ``y``. Then
        ``lambda_ = n * lambda_glmnet`` at ``s`` and ``beta = coef(fit, s, exact=TRUE)``
        (R's rule, see the module docstring); do not pass ``beta``/``lambda_``.
    s : "lambda.min", "lambda.1se" or float
        Where to read ``fit`` (glmnet's lambda scale).
    beta : array, optional
        The lasso solution at ``lambda_`` (R: ``beta``): length p (gaussian, cox) or
        p + 1 with the intercept first (binomial).
    lambda_ : float, optional
        The lambda of ``beta`` on ``fixedLassoInf``'s scale (``n`` times glmnet's).
    family : "gaussian", "binomial" or "cox"
    status : array (n,), cox only
        1 = event, 0 = censored.
    sigma : float, optional
        Noise sd (gaussian). Default as R: the residual sd of the full least-squares
        fit when ``n >= 2p``, else ``sd(y)`` with a warning.
    alpha : float
        Miscoverage of the intervals (``alpha / 2`` in each tail); also the level at
        which :attr:`SelectiveResult.selected` is read.
    type : "partial"
        The partial coefficients of the active set (R's default; ``"full"`` is not
        implemented here).
    tol_beta, tol_kkt, gridrange
        As in R.

    Returns
    -------
    SelectiveResult

    Examples
    --------
    >>> import numpy as np
    >>> from statprune import fixed_lasso_inf
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 4)); y = 2 * X[:, 0] + rng.standard_normal(60)
    >>> Xc = X - X.mean(0); yc = y - y.mean()
    >>> lam = 20.0  # fixedLassoInf's scale: n * glmnet's (and sklearn's) alpha
    >>> from sklearn.linear_model import Lasso  # the lasso solution at lam / n, solved tightly
    >>> b = Lasso(alpha=lam / 60, tol=1e-12, max_iter=100000).fit(X, y).coef_
    >>> res = fixed_lasso_inf(X, y, beta=b, lambda_=lam, sigma=1.0)
    >>> res.active[0], bool(res.table.loc[0, "p_value"] < 0.01)
    ('x1', True)
    """
    Xa, ya, names = check_xy(X, y, feature_names)
    check_alpha(alpha, gridrange)
    if type != "partial":
        raise ParameterError(f"type={type!r} is not implemented; use type='partial' (R's default)")
    if family not in ("gaussian", "binomial", "cox"):
        raise ParameterError(f"family={family!r} is not valid; use 'gaussian', 'binomial' or 'cox'")
    n, p = Xa.shape
    glmnet_lambda = None
    if fit is not None:
        if beta is not None or lambda_ is not None:
            raise ParameterError("give either fit= or beta= and lambda_=, not both")
        lambda_, cf, glmnet_lambda, intercept = _lambda_from_fit(fit, s, n, family)
        beta = cf if family == "binomial" else (cf[1:] if family == "gaussian" else cf)
    if beta is None or lambda_ is None:
        raise ParameterError("give fit= (a statprune lasso fit) or both beta= and lambda_=")
    lambda_ = float(lambda_)
    if not math.isfinite(lambda_) or lambda_ < 0:
        raise ParameterError(f"lambda_={lambda_} must be >= 0")
    beta = np.asarray(beta, dtype=float).reshape(-1)
    if sigma is not None and not sigma > 0:
        raise ParameterError(f"sigma={sigma} must be > 0")
    if family == "binomial":
        out = _fixed_logit(Xa, ya, beta, lambda_, alpha, tol_beta, tol_kkt, gridrange, names)
    elif family == "cox":
        if status is None:
            raise ParameterError("family='cox' needs status= (1 = event, 0 = censored)")
        st = np.asarray(status, dtype=float).reshape(-1)
        if st.size != n or not np.all((st == 0) | (st == 1)):
            raise DataError("status must have one 0/1 value per row (1 = event, 0 = censored)")
        out = _fixed_cox(Xa, ya, st, beta, lambda_, alpha, tol_kkt, gridrange, names)
    else:
        out = _fixed_gaussian(Xa, ya, beta, lambda_, intercept, sigma, alpha, tol_beta, tol_kkt, gridrange, names)
    table, sig, vars_ = out
    signs = "".join("+" if s > 0 else "-" for s in table["sign"]) if len(table) else ""
    cond = (f"the lasso active set {{{', '.join(vars_)}}} with signs ({signs}) at lambda = {lambda_:.6g}"
            if vars_ else "empty model")
    return SelectiveResult(method="fixed-lasso", family=family, type=type, table=table, feature_names=names,
                           alpha=alpha, sigma=sig, n_rows=n, conditioning=cond, lambda_=lambda_,
                           glmnet_lambda=glmnet_lambda, provenance=selective_provenance())


def _kkt_warn() -> None:
    warnings.warn("Solution beta does not satisfy the KKT conditions (to within specified tolerances); refit the "
                  "lasso with a smaller thresh, and read coefficients with exact=TRUE", SelectionWarning, stacklevel=4)


def _empty(names: list[str]) -> tuple[pd.DataFrame, None, list[str]]:
    warnings.warn("empty model: the lasso selects no variable at this lambda, nothing to test",
                  NothingSelectedWarning, stacklevel=4)
    return frame([]), None, []


def _fixed_gaussian(x, y, beta, lam, intercept, sigma, alpha, tol_beta, tol_kkt, gridrange, names):  # noqa: ANN001, ANN202
    n, p = x.shape
    if beta.size != p:
        raise ParameterError(f"beta has {beta.size} values; family='gaussian' needs one per column of X ({p}), "
                             "without the intercept")
    x_orig, y_orig = x, y
    if intercept:
        x = x - x.mean(axis=0)
        y = y - y.mean()
    if lam == 0:
        raise ParameterError("lambda_ must be > 0 for the lasso's selection event")
    g = x.T @ (y - x @ beta) / lam
    if np.any(np.abs(g) > 1 + tol_kkt * math.sqrt(float(y @ y))):
        _kkt_warn()
    tol_coef = tol_beta * np.sqrt(n / np.sum(x**2, axis=0))
    vars_ = np.flatnonzero(np.abs(beta) > tol_coef)
    if vars_.size == 0:
        return _empty(names)
    sign_vars = np.sign(beta[vars_])
    if np.any(np.sign(g[vars_]) != sign_vars):
        _kkt_warn()
    # fixedLassoPoly: the active set and signs as {A y <= b}
    xa = x[:, vars_]
    xai = pinv_sym(xa.T @ xa)
    xap = xai @ xa.T
    A = -(sign_vars[:, None] * xap)
    b = -(sign_vars * (xai @ (sign_vars * lam)))
    if np.max(A @ y - b) > 0.01 * math.sqrt(float(y @ y)):
        raise ParameterError(
            "polyhedral constraints not satisfied: beta is not the lasso solution at lambda_ accurately enough. "
            "Read it with coef(exact=True) at s = lambda_/n, check that lambda_ is on fixedLassoInf's scale "
            "(n x glmnet's lambda) and inside glmnet's path, or refit with a smaller thresh")
    if sigma is None:
        sigma = sigma_default(x, y, intercept)
    M = xap  # pinv(crossprod(xa)) %*% t(xa)
    naive = naive_ols(x_orig, y_orig, vars_, intercept)
    rows = []
    for j, v in enumerate(vars_):
        vj = M[j]
        mj = math.sqrt(float(vj @ vj))
        vj = sign_vars[j] * vj / mj
        lim = tg_limits(y, A, b, vj, sigma**2)
        pv = tg_pvalue(lim, 0.0)
        ci, tail = tg_interval(lim, alpha=alpha, gridrange=gridrange, flip=sign_vars[j] == -1)
        est = float(M[j] @ y)
        lo, up = (lim.vlo * mj, lim.vup * mj)
        rows.append(row(names[v], est, pv, (ci[0] * mj, ci[1] * mj), lo, up, sign_vars[j], tail, naive[j]))
    return frame(rows), float(sigma), [names[v] for v in vars_]


def _fixed_logit(x, y, beta, lam, alpha, tol_beta, tol_kkt, gridrange, names):  # noqa: ANN001, ANN202
    n, p = x.shape
    if beta.size != p + 1:
        raise ParameterError(f"beta has {beta.size} values; family='binomial' needs the intercept first and one per "
                             f"column of X ({p + 1} in all)")
    if not np.all((y == 0) | (y == 1)):
        raise DataError("family='binomial' needs a 0/1 response y")
    vars_ = np.flatnonzero(np.abs(beta[1:]) > tol_beta / np.sqrt(np.sum(x**2, axis=0)))
    if vars_.size == 0:
        return _empty(names)
    bhat = np.concatenate([[beta[0]], beta[1:][vars_]])
    s2 = np.sign(bhat)
    xm = np.column_stack([np.ones(n), x[:, vars_]])
    etahat = xm @ bhat
    prhat = np.exp(etahat) / (1 + np.exp(etahat))
    ww = prhat * (1 - prhat)
    z = etahat + (y - prhat) / ww
    g = (x.T * ww) @ (z - etahat) / lam
    if np.any(np.abs(g) > 1 + tol_kkt):
        _kkt_warn()
    if np.any(np.sign(g[vars_]) != np.sign(beta[1:][vars_])):
        _kkt_warn()
    MM = np.linalg.inv((xm.T * ww) @ xm)
    gm = np.concatenate([[0.0], -g[vars_] * lam])
    dbeta = MM @ gm
    MM = MM * n
    bbar = (bhat - dbeta) * math.sqrt(n)
    k = s2.size
    A1 = -np.diag(s2)[1:, :]
    b1 = (s2 * dbeta)[1:] * math.sqrt(n)
    V = np.eye(k)[1:, :] / math.sqrt(n)
    if np.max(A1 @ bbar - b1) > 0.01:
        raise ParameterError("polyhedral constraints not satisfied: beta is not the lasso solution at lambda_ "
                             "accurately enough (read it with coef(exact=True) at s = lambda_/n)")
    naive = _naive_glm(x, y, vars_, "binomial")
    rows = []
    for j, v in enumerate(vars_):
        vj = V[j]
        coef0 = float(vj @ bbar)
        sgn = float(np.sign(coef0))
        vj = vj * sgn
        lim = tg_limits(bbar, A1, b1, vj, MM)
        pv = tg_pvalue(lim, 0.0)
        ci, tail = tg_interval(lim, alpha=alpha, gridrange=gridrange, flip=sgn == -1)
        rows.append(row(names[v], coef0, pv, ci, lim.vlo, lim.vup, sgn, tail, naive[j]))
    return frame(rows), None, [names[v] for v in vars_]


def _naive_glm(x: np.ndarray, y: np.ndarray, cols: np.ndarray, family: str) -> np.ndarray:
    xx = sm.add_constant(x[:, cols], has_constant="add")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = sm.GLM(y, xx, family=sm.families.Binomial()).fit(tol=1e-10)
        return np.asarray(r.pvalues)[1:]
    except Exception:  # noqa: BLE001 - perfect separation etc.: no naive p-value
        return np.full(cols.size, math.nan)


def _cox_score_info(time: np.ndarray, status: np.ndarray, x: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Score vector and information matrix of the Cox partial likelihood at ``b``, Efron ties (coxph's default)."""
    m = PHReg(time, x, status=status, ties="efron")
    return np.asarray(m.score(b)), -np.asarray(m.hessian(b))


def _fixed_cox(x, time, status, beta, lam, alpha, tol_kkt, gridrange, names):  # noqa: ANN001, ANN202
    n, p = x.shape
    if beta.size != p:
        raise ParameterError(f"beta has {beta.size} values; family='cox' needs one per column of X ({p})")
    m = beta != 0
    vars_ = np.flatnonzero(m)
    if vars_.size == 0:
        return _empty(names)
    bhat = beta[m]
    sgn = np.sign(bhat)
    xm = x[:, m]
    score, info = _cox_score_info(time, status, xm, bhat)
    g = (score + lam * sgn) / (2 * lam)
    if np.any(np.abs(g) > 1 + tol_kkt):
        _kkt_warn()
    MM = np.linalg.inv(info)
    bbar = bhat + lam * MM @ sgn
    A1 = -np.diag(sgn)
    b1 = -(np.diag(sgn) @ MM) @ sgn * lam
    # naive: the unpenalized coxph refit on the active set (Wald z-test)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = PHReg(time, xm, status=status, ties="efron").fit(gtol=1e-12)
        z0 = np.asarray(r.params) / np.asarray(r.bse)
        naive = 2 * stats.norm.sf(np.abs(z0))
    except Exception:  # noqa: BLE001
        naive = np.full(vars_.size, math.nan)
    rows = []
    for j, v in enumerate(vars_):
        vj = np.zeros(bbar.size)
        vj[j] = sgn[j]
        lim = tg_limits(bbar, A1, b1, vj, MM)
        pv = tg_pvalue(lim, 0.0)
        ci, tail = tg_interval(lim, alpha=alpha, gridrange=gridrange, flip=sgn[j] == -1)
        # R's fixedCoxLassoInf reports the truncation limits of sign * bbar_j and the CI of bbar_j
        rows.append(row(names[v], float(bbar[j]), pv, ci, lim.vlo, lim.vup, sgn[j], tail, naive[j]))
    return frame(rows), None, [names[v] for v in vars_]

