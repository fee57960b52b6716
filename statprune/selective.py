"""Selective inference after the lasso, forward stepwise and LAR, as R's ``selectiveInference``.

The p-values of a model refitted after selection are not valid: the same data chose
the model. Selective inference conditions on the selection event instead. For the
lasso at a fixed lambda, forward stepwise and least angle regression that event is a
polyhedron ``{A y <= b}`` in ``y``, and each coefficient of the selected model has a
truncated-Gaussian pivot (the polyhedral lemma, :mod:`statprune._polyhedral`). The
three functions here follow R's ``selectiveInference`` 1.2.5 function for function:

* :func:`fixed_lasso_inf` is ``fixedLassoInf``: families ``"gaussian"`` (``sigma``
  known or estimated as R estimates it), ``"binomial"`` and ``"cox"``
  (``type = "partial"``: the partial coefficients of the active set).
* :func:`fs_inf` is ``fsInf(fs(x, y))`` with ``type = "active"`` (sequential tests,
  one per step), ``"all"`` (every variable of the model after ``k`` steps) and
  ``"aic"`` (the model chosen by AIC, conditioning on the AIC stop as well).
* :func:`lar_inf` is ``larInf(lar(x, y))`` with the same three types.

Lambda, exactly (read this before passing a glmnet lambda)
---------------------------------------------------------
``fixedLassoInf`` is stated for ``1/2 ||y - b0 - X b||^2 + lambda ||b||_1``; glmnet
minimises ``1/(2n) ||y - b0 - X b||^2 + lambda_glmnet ||b||_1``. So
``lambda = n * lambda_glmnet`` and the coefficients are
``coef(fit, s = lambda / n, exact = TRUE)``. :func:`fixed_lasso_inf` does that
conversion when you give it a statprune lasso fit (``fit=``, a :class:`~statprune.GlmnetCV`
or :class:`~statprune.LassoResult` fitted with ``standardize=False``). ``lambda_``
given directly is on R's ``fixedLassoInf`` scale. For binomial and cox the same
``n`` factor applies (R's own examples use ``s = lambda / n``).

Conditioning event
------------------
Every row reports the truncation interval ``[vlo, vup]`` of its statistic (on the
coefficient's scale) and the sign conditioned on; the result's ``conditioning``
says which selection event (active set and signs at lambda; the first ``k`` steps
of the path with their signs; the AIC stop) the p-values condition on. The
``naive_p_value`` column is the textbook p-value of the refitted model (``lm``,
``glm``, ``coxph``); it is shown for comparison and is *not* valid after selection.

Numerics: everything is deterministic (no Monte Carlo); confidence limits are grid
points of R's two-level grid search, so they agree with R's to rounding, not
merely to the grid's resolution.

References
----------
Lee, J. D., Sun, D. L., Sun, Y. and Taylor, J. E. (2016). Exact post-selection
inference, with application to the lasso. Annals of Statistics 44, 907-927.
Tibshirani, R. J., Taylor, J., Lockhart, R. and Tibshirani, R. (2016). Exact
post-selection inference for sequential regression procedures. JASA 111, 600-620.
Taylor, J. and Tibshirani, R. (2018). Post-selection inference for l1-penalized
likelihood models. Canadian Journal of Statistics 46, 41-61.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd
from scipy import linalg

from ._json import dumps_to
from ._polyhedral import Limits, forward_stop, pinv_sym, tg_interval, tg_limits, tg_pvalue
from .errors import DataError, NothingSelectedWarning, ParameterError, SelectionWarning

__all__ = ["SelectiveResult", "fixed_lasso_inf", "fs_inf", "lar_inf", "fs_path", "lar_path", "PathFit", "selective_table"]

_ROW_COLUMNS = ["term", "estimate", "p_value", "ci_lower", "ci_upper", "vlo", "vup", "sign",
                "tailarea_lower", "tailarea_upper", "naive_p_value"]


# =========================================================================== result
@dataclass
class SelectiveResult:
    """Selective p-values and confidence intervals for the terms of a selected model.

    Attributes
    ----------
    method : str
        ``"fixed-lasso"``, ``"forward-stepwise"`` or ``"lar"``.
    table : DataFrame
        One row per tested term: ``term``, ``estimate`` (the refitted coefficient the
        test is about), ``p_value`` (selective, one-sided in the direction of the
        sign conditioned on, as R reports it), ``ci_lower``, ``ci_upper`` (level
        ``1 - alpha``), ``vlo``, ``vup`` (the truncation interval: the conditioning
        event for this statistic), ``sign``, ``tailarea_lower``/``tailarea_upper``
        (achieved tail areas; close to ``alpha / 2`` when the grid search worked),
        ``naive_p_value`` (refit p-value: not valid after selection).
    selected : list of str
        Terms of the selected model whose selective p-value is at most ``alpha``.
    active : list of str
        Every term of the selected model (the conditioning set).
    pruned : list of str
        Candidate terms not in ``selected``.
    """

    method: str
    family: str
    type: str
    table: pd.DataFrame
    feature_names: list[str]
    alpha: float
    sigma: float | None
    n_rows: int
    conditioning: str
    lambda_: float | None = None
    glmnet_lambda: float | None = None
    k: int | None = None
    khat: int | None = None
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def active(self) -> list[str]:
        return [str(t) for t in self.table["term"]]

    @property
    def selected(self) -> list[str]:
        ok = self.table["p_value"].to_numpy(float) <= self.alpha
        return [str(t) for t, s in zip(self.table["term"], ok) if s]

    @property
    def pruned(self) -> list[str]:
        sel = set(self.selected)
        return [f for f in self.feature_names if f not in sel]

    def to_frame(self) -> pd.DataFrame:
        """The table, one row per tested term (a copy)."""
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        rows = []
        for rec in self.table.to_dict(orient="records"):
            rows.append({k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()})
        return {
            "selected": self.selected,
            "pruned": self.pruned,
            "n_rows": self.n_rows,
            "provenance": self.provenance,
            "method": self.method,
            "family": self.family,
            "type": self.type,
            "alpha": self.alpha,
            "sigma": self.sigma,
            "lambda": self.lambda_,
            "glmnet_lambda": self.glmnet_lambda,
            "k": self.k,
            "khat": self.khat,
            "conditioning": self.conditioning,
            "rows": rows,
            "active": self.active,
            "note": "naive_p_value is the refit p-value, not valid after selection; p_value is selective",
        }

    def to_json(self, path: Any = None) -> str:
        """JSON text (written atomically to ``path`` when given).

        An infinite confidence bound (R's ``Inf``: the grid search found no end point)
        is written as ``null``, as every statprune JSON writes non-finite numbers.
        """
        return dumps_to(self.to_dict(), path)

    def summary(self) -> str:
        head = {"fixed-lasso": "Selective inference for the lasso at fixed lambda (selectiveInference::fixedLassoInf)",
                "forward-stepwise": "Selective inference for forward stepwise (selectiveInference::fsInf)",
                "lar": "Selective inference for least angle regression (selectiveInference::larInf)"}[self.method]
        lines = [head, f"family: {self.family}; type: {self.type}; alpha: {self.alpha:g}"]
        if self.sigma is not None:
            lines.append(f"sigma (specified or estimated): {self.sigma:.6g}")
        if self.lambda_ is not None:
            g = "" if self.glmnet_lambda is None else f" (glmnet lambda {self.glmnet_lambda:.6g} x n)"
            lines.append(f"lambda: {self.lambda_:.6g}{g}")
        if self.khat is not None:
            lines.append(f"estimated stopping point ({'AIC' if self.type == 'aic' else 'ForwardStop'}): {self.khat}")
        lines.append(f"conditioning on: {self.conditioning}")
        lines.append("")
        shown = self.table[["term", "estimate", "p_value", "ci_lower", "ci_upper", "naive_p_value"]]
        lines.append(shown.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        lines.append("")
        lines.append("p_value/ci: selective (valid given the selection); naive_p_value: refit, NOT valid after selection.")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<SelectiveResult {self.method}: {len(self.table)} terms, selected={self.selected}>"

    def _repr_html_(self) -> str:
        return f"<p>{self.summary().splitlines()[0]}</p>" + self.table.to_html(index=False)


# =========================================================================== helpers
def _as_xy(X: Any, y: Any, feature_names: Sequence[str] | None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    if isinstance(X, pd.DataFrame):
        names = [str(c) for c in X.columns]
        Xa = X.to_numpy(dtype=float)
    else:
        Xa = np.asarray(X, dtype=float)
        if Xa.ndim != 2:
            raise DataError(f"X must be a 2-D matrix, got shape {Xa.shape}")
        names = [f"x{j + 1}" for j in range(Xa.shape[1])]
    if feature_names is not None:
        names = [str(f) for f in feature_names]
        if len(names) != Xa.shape[1]:
            raise ParameterError(f"feature_names has {len(names)} names for {Xa.shape[1]} columns")
    ya = np.asarray(y, dtype=float).reshape(-1)
    if ya.size != Xa.shape[0]:
        raise DataError(f"y has {ya.size} values for {Xa.shape[0]} rows of X")
    if Xa.shape[1] == 0:
        raise DataError("X has no columns: there must be at least one predictor")
    if not np.all(np.isfinite(Xa)):
        raise DataError("X contains NaN or infinite values")
    if not np.all(np.isfinite(ya)):
        raise DataError("y contains NaN or infinite values")
    return Xa, ya, names


def _check_alpha(alpha: float, gridrange: Sequence[float]) -> None:
    if not 0 < alpha < 1:
        raise ParameterError(f"alpha={alpha} must be between 0 and 1 (exclusive)")
    if len(gridrange) != 2 or gridrange[0] > gridrange[1]:
        raise ParameterError("gridrange must be an interval (a, b) with a <= b")


def _lsfit_sigma(x: np.ndarray, y: np.ndarray, intercept: bool) -> float:
    """``sqrt(sum(lsfit(x, y, intercept)$res^2) / (n - p - intercept))``."""
    n, p = x.shape
    xx = np.column_stack([np.ones(n), x]) if intercept else x
    coef, *_ = np.linalg.lstsq(xx, y, rcond=None)
    res = y - xx @ coef
    return math.sqrt(float(res @ res) / (n - p - int(intercept)))


def _sigma_default(x: np.ndarray, y: np.ndarray, intercept: bool) -> float:
    n, p = x.shape
    if n >= 2 * p:
        return _lsfit_sigma(x, y, intercept)
    s = float(np.std(y, ddof=1))
    warnings.warn(f"p > n/2, and sd(y) = {s:.3f} used as an estimate of sigma; pass sigma= (an estimate of the "
                  "noise sd) for a more accurate answer", SelectionWarning, stacklevel=3)
    return s


def _naive_ols(x: np.ndarray, y: np.ndarray, cols: Sequence[int], intercept: bool) -> np.ndarray:
    """Two-sided t-test p-values of ``lm(y ~ x[, cols])`` (the refit, not valid after selection)."""
    from scipy import stats  # noqa: PLC0415

    n = x.shape[0]
    xa = x[:, list(cols)]
    xx = np.column_stack([np.ones(n), xa]) if intercept else xa
    df = n - xx.shape[1]
    if df <= 0:
        return np.full(len(cols), math.nan)
    coef, *_ = np.linalg.lstsq(xx, y, rcond=None)
    res = y - xx @ coef
    s2 = float(res @ res) / df
    cov = s2 * np.linalg.pinv(xx.T @ xx)
    se = np.sqrt(np.diag(cov))
    t = coef / se
    p = 2 * stats.t.sf(np.abs(t), df)
    return p[1:] if intercept else p


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=_ROW_COLUMNS) if rows else pd.DataFrame(columns=_ROW_COLUMNS)


def _row(term: str, estimate: float, pv: float, ci: tuple[float, float], lim_vlo: float, lim_vup: float,
         sign: float, tail: tuple[float, float], naive: float) -> dict[str, Any]:
    return {"term": term, "estimate": float(estimate), "p_value": float(pv), "ci_lower": float(ci[0]),
            "ci_upper": float(ci[1]), "vlo": float(lim_vlo), "vup": float(lim_vup), "sign": float(sign),
            "tailarea_lower": float(tail[0]), "tailarea_upper": float(tail[1]), "naive_p_value": float(naive)}


def _provenance(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    from ._provenance import provenance  # noqa: PLC0415

    out = provenance(with_r=False)
    out["reference"] = "R selectiveInference 1.2.5 (fixedLassoInf, fsInf, larInf), transcribed numerics"
    if extra:
        out.update(extra)
    return out


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


# =========================================================================== fixedLassoInf
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
    Xa, ya, names = _as_xy(X, y, feature_names)
    _check_alpha(alpha, gridrange)
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
                           glmnet_lambda=glmnet_lambda, provenance=_provenance())


def _kkt_warn() -> None:
    warnings.warn("Solution beta does not satisfy the KKT conditions (to within specified tolerances); refit the "
                  "lasso with a smaller thresh, and read coefficients with exact=TRUE", SelectionWarning, stacklevel=4)


def _empty(names: list[str]) -> tuple[pd.DataFrame, None, list[str]]:
    warnings.warn("empty model: the lasso selects no variable at this lambda, nothing to test",
                  NothingSelectedWarning, stacklevel=4)
    return _frame([]), None, []


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
        sigma = _sigma_default(x, y, intercept)
    M = xap  # pinv(crossprod(xa)) %*% t(xa)
    naive = _naive_ols(x_orig, y_orig, vars_, intercept)
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
        rows.append(_row(names[v], est, pv, (ci[0] * mj, ci[1] * mj), lo, up, sign_vars[j], tail, naive[j]))
    return _frame(rows), float(sigma), [names[v] for v in vars_]


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
        rows.append(_row(names[v], coef0, pv, ci, lim.vlo, lim.vup, sgn, tail, naive[j]))
    return _frame(rows), None, [names[v] for v in vars_]


def _naive_glm(x: np.ndarray, y: np.ndarray, cols: np.ndarray, family: str) -> np.ndarray:
    import statsmodels.api as sm  # noqa: PLC0415

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
    from statsmodels.duration.hazard_regression import PHReg  # noqa: PLC0415

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
    from scipy import stats  # noqa: PLC0415
    from statsmodels.duration.hazard_regression import PHReg  # noqa: PLC0415

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
        rows.append(_row(names[v], float(bbar[j]), pv, ci, lim.vlo, lim.vup, sgn[j], tail, naive[j]))
    return _frame(rows), None, [names[v] for v in vars_]


# =========================================================================== fs / lar paths
@dataclass
class PathFit:
    """A forward stepwise (``fs``) or LAR (``lar``) path with its selection polyhedron, as R's objects hold it.

    ``x``/``y`` are centred (and columns scaled to unit norm when ``normalize``),
    ``action`` the 0-based variable entering at each step, ``sign`` its sign,
    ``Gamma`` the constraint rows (``Gamma y >= 0`` is the event of the first ``k``
    steps for rows ``< nk[k-1]``), ``vreg`` the regression contrast of each step.
    """

    kind: str
    x: np.ndarray
    y: np.ndarray
    sx: np.ndarray
    action: list[int]
    sign: list[float]
    df: list[int]
    Gamma: np.ndarray
    nk: list[int]
    vreg: np.ndarray
    intercept: bool
    lambdas: list[float] = field(default_factory=list)


def _standardize(x: np.ndarray, y: np.ndarray, intercept: bool, normalize: bool):  # noqa: ANN202
    if intercept:
        x = x - x.mean(axis=0)
        y = y - y.mean()
    sx = np.sqrt(np.sum(x**2, axis=0)) if normalize else np.ones(x.shape[1])
    if normalize:
        if np.any(sx == 0):
            raise DataError("a column of X is constant (zero norm after centring); drop it")
        x = x / sx
    return x, y, sx


def _sgn(v: np.ndarray | float) -> np.ndarray:
    """selectiveInference's ``Sign``: ``Sign(0) = 1``."""
    return np.where(np.asarray(v) >= 0, 1.0, -1.0)


def _resid(X1: np.ndarray, M: np.ndarray) -> np.ndarray:
    q, _ = np.linalg.qr(X1)
    return M - q @ (q.T @ M)


def fs_path(X: np.ndarray, y: np.ndarray, *, maxsteps: int = 2000, intercept: bool = True,
            normalize: bool = True) -> PathFit:
    """R's ``fs(x, y, maxsteps, intercept, normalize)``: the forward stepwise path and its polyhedron."""
    x, y, sx = _standardize(np.asarray(X, float), np.asarray(y, float), intercept, normalize)
    n, p = x.shape
    w = x / np.sqrt(np.sum(x**2, axis=0))
    score = w.T @ y
    i = int(np.argmax(np.abs(score)))
    sh = float(_sgn(score[i]))
    rest = [c for c in range(p) if c != i]
    G = [(sh * w[:, i])[None, :] + w[:, rest].T, (sh * w[:, i])[None, :] - w[:, rest].T, (sh * w[:, i])[None, :]]
    gi = 2 * (p - 1) + 1
    action, signs, df, nk = [i], [sh], [0], [gi]
    vreg = [sh * x[:, i] / float(x[:, i] @ x[:, i])]
    A, I = [i], rest
    k = 2
    while k <= maxsteps:
        if len(A) == min(n - int(intercept), p):
            break
        XA = x[:, A]
        XI_res = _resid(XA, x[:, I])
        wk = XI_res / np.sqrt(np.sum(XI_res**2, axis=0))
        score = wk.T @ y
        ss = _sgn(score)
        ih = int(np.argmax(ss * score))
        sh = float(ss[ih])
        action.append(I[ih])
        df.append(len(A))
        wk = wk * ss
        others = [c for c in range(len(I)) if c != ih]
        G += [wk[:, ih][None, :] + wk[:, others].T, wk[:, ih][None, :] - wk[:, others].T, wk[:, ih][None, :]]
        gi += 2 * len(others) + 1
        nk.append(gi)
        vreg.append(sh * XI_res[:, ih] / float(XI_res[:, ih] @ XI_res[:, ih]))
        A = A + [I[ih]]
        I = [c for c in I if c != I[ih]]
        signs.append(sh)
        k += 1
    return PathFit(kind="fs", x=x, y=y, sx=sx, action=action, sign=signs, df=[d + int(intercept) for d in df],
                   Gamma=np.vstack(G), nk=nk, vreg=np.vstack(vreg), intercept=intercept)


def lar_path(X: np.ndarray, y: np.ndarray, *, maxsteps: int = 2000, minlam: float = 0.0, intercept: bool = True,
             normalize: bool = True) -> PathFit:
    """R's ``lar(x, y, maxsteps, minlam, intercept, normalize)``: the LAR path and its polyhedron."""
    x, y, sx = _standardize(np.asarray(X, float), np.asarray(y, float), intercept, normalize)
    n, p = x.shape
    uhat = x.T @ y
    i = int(np.argmax(np.abs(uhat)))
    lambdas = [float(abs(uhat[i]))]
    s = [float(_sgn(uhat[i]))]
    rest = [c for c in range(p) if c != i]
    G = [(s[0] * x[:, i])[None, :] + x[:, rest].T, (s[0] * x[:, i])[None, :] - x[:, rest].T, (s[0] * x[:, i])[None, :]]
    gi = 2 * (p - 1) + 1
    action, df, nk = [i], [0], [gi]
    vreg = [s[0] * x[:, i] / float(x[:, i] @ x[:, i])]
    A, I = [i], rest
    k = 2
    while k <= maxsteps and lambdas[-1] >= minlam:
        X1 = x[:, A]
        X2 = x[:, I]
        q, r = np.linalg.qr(X1)
        a = linalg.solve_triangular(r, q.T @ y)
        bvec = linalg.solve_triangular(r, linalg.solve_triangular(r, np.asarray(s), trans="T"))
        aa = X2.T @ (y - X1 @ a)
        bb = X2.T @ (X1 @ bvec)
        if len(A) == min(n - int(intercept), p):
            hit = 0.0
        else:
            shits = _sgn(aa)
            hits = aa / (shits - bb)
            hits[hits > lambdas[-1]] = 0
            ih = int(np.argmax(hits))
            hit = float(hits[ih])
            shit = float(shits[ih])
        if hit <= 0:
            break
        lambdas.append(hit)
        action.append(I[ih])
        df.append(len(A))
        X2perp = X2 - q @ (q.T @ X2)
        c = X2perp / (shits - bb)
        others = [j for j in range(len(I)) if j != ih]
        G += [shits[:, None] * X2perp.T, c[:, ih][None, :] - c[:, others].T, c[:, ih][None, :]]
        gi += len(I) + len(others) + 1
        nk.append(gi)
        vreg.append(shit * X2perp[:, ih] / float(X2perp[:, ih] @ X2perp[:, ih]))
        A = A + [I[ih]]
        I = [c_ for c_ in I if c_ != I[ih]]
        s.append(shit)
        k += 1
    return PathFit(kind="lar", x=x, y=y, sx=sx, action=action, sign=s, df=[d + int(intercept) for d in df],
                   Gamma=np.vstack(G), nk=nk, vreg=np.vstack(vreg), intercept=intercept, lambdas=lambdas)


def _aic_stop(x: np.ndarray, y: np.ndarray, action: list[int], df: list[int], sigma: float, mult: float,
              ntimes: int) -> tuple[int, np.ndarray, np.ndarray, bool]:
    """``aicStop``: AIC's stopping step and the constraints that make it part of the event."""
    n = y.size
    k = len(action)
    aic = []
    G, u = [], []
    count = 0
    i = 0
    for i in range(1, k + 1):
        Aset = action[:i]
        xa = x[:, Aset]
        coef, *_ = np.linalg.lstsq(xa, y, rcond=None)
        res = y - xa @ coef
        aic.append(float(res @ res) + mult * sigma**2 * df[i - 1])
        j = action[i - 1]
        xtil = x[:, j] if i == 1 else _resid(x[:, action[: i - 1]], x[:, [j]])[:, 0]
        sgn = float(np.sign(xtil @ y))
        if i == 1 or aic[i - 1] <= aic[i - 2]:
            G.append(sgn * xtil / math.sqrt(float(xtil @ xtil)))
            u.append(math.sqrt(mult) * sigma)
            count = 0
        else:
            G.append(-sgn * xtil / math.sqrt(float(xtil @ xtil)))
            u.append(-math.sqrt(mult) * sigma)
            count += 1
            if count == ntimes:
                break
    stopped = i < k
    khat = i - ntimes if stopped else k
    return khat, np.vstack(G) if G else np.zeros((0, n)), np.asarray(u), stopped


def _path_inf(path: PathFit, names: list[str], x_orig: np.ndarray, y_orig: np.ndarray, sigma: float | None,
              alpha: float, k: int | None, type: str, gridrange: Sequence[float], mult: float, ntimes: int) -> SelectiveResult:
    _check_alpha(alpha, gridrange)
    if type not in ("active", "all", "aic"):
        raise ParameterError(f"type={type!r} is not valid; use 'active', 'all' or 'aic'")
    if sigma is not None and not sigma > 0:
        raise ParameterError(f"sigma={sigma} must be > 0")
    if k is not None and (int(k) != k or k < 1):
        raise ParameterError(f"k={k} must be an integer >= 1")
    if mult < 0:
        raise ParameterError("mult must be >= 0")
    if ntimes <= 0 or int(ntimes) != ntimes:
        raise ParameterError("ntimes must be an integer > 0")
    nsteps = len(path.action)
    if k is None:
        if type == "all":
            raise ParameterError("k (the number of steps) must be given when type='all'")
        k = nsteps
    k = min(int(k), nsteps)
    x, y = path.x, path.y
    n, p = x.shape
    if sigma is None:
        sigma = _sigma_default(x, y, path.intercept)
    G, nk, sx = path.Gamma, path.nk, path.sx
    method = "forward-stepwise" if path.kind == "fs" else "lar"
    khat = None
    rows = []
    s2 = sigma**2
    if type == "active":
        vars_ = path.action[:k]
        naive = _naive_ols(x_orig, y_orig, vars_, path.intercept)
        pvs = []
        for j in range(k):
            Aj = -G[: nk[j]]
            bj = np.zeros(nk[j])
            vj = path.vreg[j]
            mj = math.sqrt(float(vj @ vj))
            vj = vj / mj
            lim = tg_limits(y, Aj, bj, vj, s2)
            pv = tg_pvalue(lim)
            pvs.append(pv)
            sxj = sx[vars_[j]]
            ci, tail = tg_interval(lim, alpha=alpha, gridrange=gridrange, flip=path.sign[j] == -1)
            vm = vj * mj / sxj
            est = path.sign[j] * float(vm @ y)
            rows.append(_row(names[vars_[j]], est, pv, (ci[0] * mj / sxj, ci[1] * mj / sxj),
                             lim.vlo * mj / sxj, lim.vup * mj / sxj, path.sign[j], tail, naive[j]))
        khat = forward_stop(np.asarray(pvs), alpha)
        cond = f"each step j of the first {k} steps of the path (variables entered and signs up to step j)"
    else:
        if type == "aic":
            khat, Ga, ua, stopped = _aic_stop(x, y, path.action[:k], path.df[:k], sigma, mult, int(ntimes))
            if khat < 1:
                raise ParameterError("AIC stops before the first step: there is no model to test")
            m = int(stopped) * int(ntimes)
            Gc = np.vstack([Ga, G[: nk[khat + m - 1]]])
            u = np.concatenate([ua, np.zeros(nk[khat + m - 1])])
            kk = khat
            cond = (f"the first {khat + m} steps of the path with their signs and the AIC stop at step {khat} "
                    f"(mult = {mult:g}, ntimes = {ntimes})")
        else:
            Gc = G[: nk[k - 1]]
            u = np.zeros(nk[k - 1])
            kk = k
            cond = f"the first {k} steps of the path (variables entered and their signs)"
        vars_ = path.action[:kk]
        xa = x[:, vars_]
        M = pinv_sym(xa.T @ xa) @ xa.T
        naive = _naive_ols(x_orig, y_orig, vars_, path.intercept)
        for j in range(kk):
            vj = M[j]
            mj = math.sqrt(float(vj @ vj))
            vj = vj / mj
            sgn = float(np.sign(vj @ y))
            vj = sgn * vj
            Aj = -np.vstack([Gc, vj[None, :]])
            bj = -np.concatenate([u, [0.0]])
            lim = tg_limits(y, Aj, bj, vj, s2)
            pv = tg_pvalue(lim)
            sxj = sx[vars_[j]]
            ci, tail = tg_interval(lim, alpha=alpha, gridrange=gridrange, flip=sgn == -1)
            vm = vj * mj / sxj
            rows.append(_row(names[vars_[j]], sgn * float(vm @ y), pv, (ci[0] * mj / sxj, ci[1] * mj / sxj),
                             lim.vlo * mj / sxj, lim.vup * mj / sxj, sgn, tail, naive[j]))
    return SelectiveResult(method=method, family="gaussian", type=type, table=_frame(rows), feature_names=names,
                           alpha=alpha, sigma=float(sigma), n_rows=n, conditioning=cond, k=k, khat=khat,
                           provenance=_provenance())


def fs_inf(X: Any, y: Any, *, sigma: float | None = None, alpha: float = 0.1, k: int | None = None,
           type: Literal["active", "all", "aic"] = "active", maxsteps: int = 2000, intercept: bool = True,
           normalize: bool = True, gridrange: tuple[float, float] = (-100, 100), mult: float = 2.0,
           ntimes: int = 2, feature_names: Sequence[str] | None = None) -> SelectiveResult:
    """Selective inference for forward stepwise regression: R's ``fsInf(fs(x, y), ...)``.

    ``type="active"`` tests, at each step j, the variable entering (its partial
    coefficient given the earlier ones), conditioning on the path up to step j;
    ``khat`` is the ForwardStop rule's step at ``alpha``. ``type="all"`` tests every
    variable of the model after ``k`` steps (``k`` required); ``type="aic"`` the
    model AIC stops at (``mult``: AIC's penalty per df, ``ntimes``: steps past the
    minimum before stopping). Estimates and intervals are on the scale of the
    original columns (R divides by ``sx``).

    Examples
    --------
    >>> import numpy as np
    >>> from statprune import fs_inf
    >>> rng = np.random.default_rng(1)
    >>> X = rng.standard_normal((50, 5)); y = 3 * X[:, 2] + rng.standard_normal(50)
    >>> res = fs_inf(X, y, sigma=1.0, k=3, type="all")
    >>> res.active[0], bool(res.table.loc[0, "p_value"] < 1e-6)
    ('x3', True)
    """
    Xa, ya, names = _as_xy(X, y, feature_names)
    path = fs_path(Xa, ya, maxsteps=maxsteps, intercept=intercept, normalize=normalize)
    return _path_inf(path, names, Xa, ya, sigma, alpha, k, type, gridrange, mult, ntimes)


def lar_inf(X: Any, y: Any, *, sigma: float | None = None, alpha: float = 0.1, k: int | None = None,
            type: Literal["active", "all", "aic"] = "active", maxsteps: int = 2000, minlam: float = 0.0,
            intercept: bool = True, normalize: bool = True, gridrange: tuple[float, float] = (-100, 100),
            mult: float = 2.0, ntimes: int = 2, feature_names: Sequence[str] | None = None) -> SelectiveResult:
    """Selective inference for least angle regression: R's ``larInf(lar(x, y), ...)``.

    Types as :func:`fs_inf`. (R's ``larInf`` also returns the spacing, modified
    spacing and covariance-test p-values for ``type="active"``; they are not
    computed here.)

    Examples
    --------
    >>> import numpy as np
    >>> from statprune import lar_inf
    >>> rng = np.random.default_rng(1)
    >>> X = rng.standard_normal((50, 5)); y = 3 * X[:, 2] + rng.standard_normal(50)
    >>> res = lar_inf(X, y, sigma=1.0)
    >>> res.active[0]
    'x3'
    """
    Xa, ya, names = _as_xy(X, y, feature_names)
    path = lar_path(Xa, ya, maxsteps=maxsteps, minlam=minlam, intercept=intercept, normalize=normalize)
    return _path_inf(path, names, Xa, ya, sigma, alpha, k, type, gridrange, mult, ntimes)


# =========================================================================== file in -> result out
def selective_table(
    data: Any,
    target: str,
    *,
    method: Literal["fixed-lasso", "forward-stepwise", "lar"] = "fixed-lasso",
    family: str = "gaussian",
    lambda_: float | None = None,
    s: str | float = "lambda.min",
    seed: int | None = None,
    scale: bool = False,
    sigma: float | None = None,
    alpha: float = 0.1,
    type: str = "active",
    k: int | None = None,
    exclude: Sequence[str] = (),
    drop_missing: bool = False,
) -> SelectiveResult:
    """Selective inference on a table (what ``statprune selective`` runs).

    ``method="fixed-lasso"`` fits ``cv.glmnet(x, y, standardize = FALSE)`` in R
    (``seed``: ``set.seed`` before the folds) and tests at ``lambda_`` (glmnet's scale;
    default: the CV's ``s``). ``target`` is ``"time,status"`` for ``family="cox"``.
    ``scale=True`` first scales every predictor as R's ``scale(x)`` does (the lasso
    then penalizes all columns alike; estimates are per standard deviation).
    """
    from ._data import check_target, prepare_xy  # noqa: PLC0415

    if method not in ("fixed-lasso", "forward-stepwise", "lar"):
        raise ParameterError(f"method={method!r} is not valid; use fixed-lasso, forward-stepwise or lar")
    targets = [t.strip() for t in target.split(",")]
    if family == "cox":
        if len(targets) != 2:
            raise ParameterError("family='cox' needs --target time,status (two columns)")
        if method != "fixed-lasso":
            raise ParameterError(f"method={method!r} is gaussian only; family='cox' needs method='fixed-lasso'")
    elif len(targets) != 1:
        raise ParameterError(f"family={family!r} needs a single target column, got {targets}")
    if family not in ("gaussian", "binomial", "cox"):
        raise ParameterError(f"family={family!r} is not valid; use gaussian, binomial or cox")
    if family == "binomial" and method != "fixed-lasso":
        raise ParameterError(f"method={method!r} is gaussian only; family='binomial' needs method='fixed-lasso'")
    prep = prepare_xy(data, targets if len(targets) > 1 else targets[0], exclude=exclude, drop_missing=drop_missing,
                      constant="error")
    X = prep.X
    if scale:
        X = (X - X.mean()) / X.std(ddof=1)
    names = list(X.columns)
    status = None
    if family == "cox":
        yy = prep.y.to_numpy(dtype=float)
        y, status = yy[:, 0], yy[:, 1]
    else:
        check_target(prep.y, targets[0], kind="binary" if family == "binomial" else "numeric")
        y = prep.y.to_numpy(dtype=float) if family == "gaussian" else _binary01(prep.y)
    if method != "fixed-lasso":
        f = fs_inf if method == "forward-stepwise" else lar_inf
        return f(X, y, sigma=sigma, alpha=alpha, k=k, type=type, feature_names=names)  # type: ignore[arg-type]
    from .lasso import GlmnetCV  # noqa: PLC0415

    yfit = np.column_stack([y, status]) if family == "cox" else y
    est = GlmnetCV(family=family, standardize=False, seed=seed, thresh=1e-14)
    est.fit(X, yfit)
    res = fixed_lasso_inf(X, y, fit=est, s=s if lambda_ is None else float(lambda_), family=family,  # type: ignore[arg-type]
                          status=status, sigma=sigma, alpha=alpha, feature_names=names)
    res.provenance["seed"] = seed
    return res


def _binary01(y: pd.Series) -> np.ndarray:
    levels = sorted(pd.unique(y))
    if len(levels) != 2:
        raise DataError(f"family='binomial' needs a target with two values, got {len(levels)}")
    return (y.to_numpy() == levels[1]).astype(float)
