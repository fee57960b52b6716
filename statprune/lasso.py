"""Cross-validated Lasso and elastic net through R's glmnet, with R's exact numbers.

:class:`GlmnetCV` is a scikit-learn selector whose ``fit`` runs ``cv.glmnet`` in R
(through :mod:`statprune._r`) with R's own fold assignment (``set.seed(seed)``
immediately before ``cv.glmnet``), so the lambda path, the CV curve,
``lambda.min``/``lambda.1se`` and the coefficients are the ones an R colleague
gets. The fitted selection is also available as a :class:`LassoResult`
(``est.result_``): a table, a summary, JSON, ``coef(s=)`` at any lambda,
``assess()``/``confusion()`` on new data and ``save_rds()`` writing the real
``cv.glmnet`` object.

Names follow glmnet where the concept is glmnet's (``lambda_min_``,
``lambda_1se_``, ``penalty_factor``, ``foldid``, ``type_measure``) and
scikit-learn where it is scikit-learn's (``coef_``, ``intercept_``,
``support_``, ``cv_results_``). The mapping:

=====================  ===========================================
statprune              R (glmnet)
=====================  ===========================================
``lambdas_``           ``fit$lambda``
``cv_results_``        ``fit$cvm``, ``fit$cvsd``, ``fit$cvup``, ``fit$cvlo``, ``fit$nzero``
``lambda_min_``        ``fit$lambda.min``
``lambda_1se_``        ``fit$lambda.1se``
``coef_``/``intercept_``  ``coef(fit, s = s)``
``support_``           non-zero rows of ``coef(fit, s = s)`` (intercept excluded)
``sample_weight``      ``weights``
``lambda_``            ``lambda``
=====================  ===========================================

``cv_results_["std_score"]`` is glmnet's ``cvsd``: a *standard error* of the CV
mean, not the standard deviation across folds that scikit-learn reports.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Callable, TypedDict

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectorMixin
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ._json import dumps
from .errors import (
    ConvergenceWarning,
    DataError,
    NothingSelectedWarning,
    ParameterError,
    PerfectSeparationWarning,
    SelectionWarning,
)

__all__ = ["CVGlmnetOutput", "GlmnetCV", "LassoResult", "lambda_interp"]

FAMILIES = ("gaussian", "binomial", "poisson", "multinomial", "mgaussian", "cox")
#: families glmnet fits only as R family objects (glmnet.path), besides binomial/poisson/gaussian with a link
GLM_FAMILIES = ("quasipoisson", "quasibinomial", "Gamma", "inverse.gaussian", "negative.binomial")
ALL_FAMILIES = FAMILIES + GLM_FAMILIES
#: links statprune inverts itself, exactly as R's make.link / family objects do
LINKS = ("logit", "probit", "cloglog", "cauchit", "log", "identity", "inverse", "sqrt", "1/mu^2")
_EPS = float(np.finfo(float).eps)
TYPE_MEASURES = ("default", "mse", "mae", "deviance", "class", "auc", "C")
_MEASURES_OK = {
    "gaussian": {"default", "mse", "mae", "deviance"},
    "mgaussian": {"default", "mse", "mae", "deviance"},
    "poisson": {"default", "mse", "mae", "deviance"},
    "binomial": {"default", "mse", "mae", "deviance", "class", "auc"},
    "multinomial": {"default", "mse", "mae", "deviance", "class"},
    "cox": {"default", "deviance", "C"},
}
_MEASURES_GLM = {"default", "deviance", "mse", "mae"}  # glmnet's cvtype for a glmnetfit


def _is_glm_family(family: str, link: str | None, theta: float | None = None) -> bool:
    """True when glmnet fits this family as an R family object (glmnet.path), as R does for
    ``family = binomial(link = ...)``, ``quasipoisson()``, ``MASS::negative.binomial(theta)``."""
    return link is not None or theta is not None or family in GLM_FAMILIES


def linkinv(link: str, eta: np.ndarray) -> np.ndarray:
    """R's ``family$linkinv`` for ``link`` (``make.link`` and ``binomial()``'s C code), bounds included.

    Examples
    --------
    >>> float(linkinv("probit", np.array([0.0]))[0])
    0.5
    """
    from scipy import special  # noqa: PLC0415

    e = np.asarray(eta, dtype=float)
    if link == "logit":  # C_logit_linkinv: thresholds at +-30, then x / (1 + x)
        t = np.where(e < -30, _EPS, np.where(e > 30, 1.0 / _EPS, np.exp(np.clip(e, -30, 30))))
        return t / (1.0 + t)
    if link == "probit":
        thresh = -special.ndtri(_EPS)
        return special.ndtr(np.clip(e, -thresh, thresh))
    if link == "cauchit":  # R's qcauchy(eps) = -1/tan(pi eps); pcauchy as R computes it
        thresh = 1.0 / np.tan(np.pi * _EPS)
        x = np.clip(e, -thresh, thresh)
        with np.errstate(divide="ignore"):
            y = np.arctan(1.0 / x) / np.pi
        return np.where(np.abs(x) > 1, np.where(x > 0, 1.0 - y, -y), 0.5 + np.arctan(x) / np.pi)
    if link == "cloglog":
        return np.maximum(np.minimum(-np.expm1(-np.exp(e)), 1.0 - _EPS), _EPS)
    if link == "log":
        return np.maximum(np.exp(e), _EPS)
    if link == "identity":
        return e
    if link == "inverse":
        return 1.0 / e
    if link == "sqrt":
        return e**2
    if link == "1/mu^2":
        return 1.0 / np.sqrt(e)
    raise ParameterError(f"link {link!r} is not one statprune inverts ({', '.join(LINKS)}); "
                         "predict type='link', or keep the R fit attached to use R's family$linkinv")


CVGlmnetOutput = TypedDict(
    "CVGlmnetOutput",
    {
        "lambda": np.ndarray,  # (L,) decreasing lambda sequence (fit$lambda)
        "cvm": np.ndarray,  # (L,) mean CV error (fit$cvm)
        "cvsd": np.ndarray,  # (L,) standard ERROR of cvm (fit$cvsd)
        "cvup": np.ndarray,  # (L,) cvm + cvsd
        "cvlo": np.ndarray,  # (L,) cvm - cvsd
        "nzero": np.ndarray,  # (L,) number of non-zero coefficients (fit$nzero)
        "lambda_min": float,
        "lambda_1se": float,
        "index_min": int,  # 1-based position of lambda.min in lambda (R's fit$index)
        "index_1se": int,
        "name": str,  # R's type.measure label, e.g. "Mean-Squared Error"
        "type_measure": str,  # R's type.measure code actually used, e.g. "mse"
        "a0": np.ndarray,  # (L,) intercepts, or (K, L); zeros for cox
        "beta": np.ndarray,  # (p, L) coefficients on the ORIGINAL x scale, or (K, p, L)
        "dev_ratio": np.ndarray,  # (L,) fraction of (null) deviance explained
        "nulldev": float,
        "foldid": np.ndarray,  # (n,) fold ids actually used, 1..nfolds
        "fit": Any,  # the cv.glmnet object in R (an _r.RObject), or None (engine="gram")
    },
    total=False,
)
CVGlmnetOutput.__doc__ = """What a cross-validated glmnet backend returns to :class:`GlmnetCV`.

Produced by the R bridge (``r_scripts/bridge/glmnet.R``: ``spg_cv_fit``) and, for
``engine="gram"``, by ``statprune.engines.gram.cv_glmnet_gram`` (with ``fit=None``).
``L`` is the number of lambdas kept by ``cv.glmnet`` (it can be fewer than
``nlambda``: glmnet stops the path early), ``p`` the number of features, ``K`` the
number of classes (multinomial) or responses (mgaussian). Keys: ``lambda``, ``cvm``,
``cvsd``, ``cvup``, ``cvlo``, ``nzero`` (all (L,)), ``lambda_min``, ``lambda_1se``,
``index_min``, ``index_1se`` (1-based), ``name``, ``type_measure``, ``a0``, ``beta``,
``dev_ratio``, ``nulldev``, ``foldid``, ``fit``. The R bridge adds ``family``,
``class_names``, ``feature_names`` and ``relaxed`` (relaxed-lasso choice or None).
"""


# --------------------------------------------------------------------------- helpers
def lambda_interp(lambdas: np.ndarray, s: float | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """glmnet's ``lambda.interp``: 0-based left/right indices and weights for ``s``.

    The coefficient at ``s`` is ``frac * beta[left] + (1 - frac) * beta[right]``,
    linear in lambda between the two path points around ``s``; outside the path
    the end point is used (as R's ``coef(fit, s=)``).

    Examples
    --------
    >>> left, right, frac = lambda_interp(np.array([1.0, 0.5, 0.25]), 0.75)
    >>> int(left[0]), int(right[0]), float(frac[0])
    (0, 1, 0.5)
    """
    lam = np.asarray(lambdas, dtype=float)
    s = np.atleast_1d(np.asarray(s, dtype=float))
    if lam.size == 1:
        n = s.size
        return np.zeros(n, int), np.zeros(n, int), np.ones(n)
    k = lam.size
    sfrac = (lam[0] - s) / (lam[0] - lam[k - 1])
    lamn = (lam[0] - lam) / (lam[0] - lam[k - 1])
    sfrac = np.clip(sfrac, lamn.min(), lamn.max())
    coord = np.interp(sfrac, lamn, np.arange(1, k + 1, dtype=float))
    left = np.floor(coord).astype(int) - 1
    right = np.ceil(coord).astype(int) - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = (sfrac - lamn[right]) / (lamn[left] - lamn[right])
    frac[left == right] = 1.0
    frac[np.abs(lamn[left] - lamn[right]) < np.finfo(float).eps] = 1.0
    return left, right, frac


def _interp(arr: np.ndarray, lambdas: np.ndarray, s: float) -> np.ndarray:
    """Interpolate the last axis of ``arr`` (the lambda axis) at ``s``."""
    left, right, frac = lambda_interp(lambdas, s)
    a = np.asarray(arr, dtype=float)
    return a[..., left[0]] * frac[0] + a[..., right[0]] * (1.0 - frac[0])


def _fmt(x: float) -> str:
    return f"{x:.6g}"


# --------------------------------------------------------------------------- result
class LassoResult:
    """A cross-validated glmnet selection (what ``cv.glmnet`` returns, in Python).

    Built by :class:`GlmnetCV` (``est.result_``); not usually created directly.

    Attributes
    ----------
    family, alpha : str, float
    s : str or float
        The lambda the selection is read at (``"lambda.min"``, ``"lambda.1se"`` or a number).
    lambdas, cvm, cvsd, cvup, cvlo, nzero : ndarray (L,)
        ``fit$lambda``, ``fit$cvm`` ... as R has them. ``cvsd`` is a standard error.
    lambda_min, lambda_1se : float
    measure_name : str
        R's label of the CV measure ("Mean-Squared Error", "Binomial Deviance", ...).
    beta : ndarray (p, L) or (K, p, L)
        Coefficient path on the original scale of x.
    a0 : ndarray (L,) or (K, L)
        Intercept path.
    dev_ratio : ndarray (L,)
    feature_names : list of str
    class_names : list or None
    selected, pruned : list of str
        Features with a non-zero / zero coefficient at ``s``.
    constant : list of str
        Constant columns (sd = 0): glmnet gives them a zero coefficient.
    excluded, kept : list of str
        Forced out (``exclude``) / forced in (penalty factor 0).
    penalty_factor : ndarray (p,)
        As given (before glmnet rescales it to sum to p).
    provenance : dict
    seed : int or None
    foldid : ndarray (n,) or None
    link, theta : str or None, float or None
        A fit with an R family object (``binomial(link = "probit")``,
        ``MASS::negative.binomial(theta)``...): its link and theta; None for glmnet's
        built-in families (``family = "binomial"``...).
    fit_preval : ndarray (n, L) or (n, K, L), or None
        R's ``fit$fit.preval`` (``keep_preval=True``): each row's prevalidated fit
        (linear predictor, or the mean for GLM families; as cv.glmnet keeps it).
    missing : dict
        Missing cells per column of the file as read (R's ``colSums(is.na(d))``, columns
        with none left out); empty when the data did not come from a file.
    """

    def __init__(
        self,
        out: Mapping[str, Any],
        *,
        family: str,
        alpha: float,
        s: str | float,
        feature_names: Sequence[str],
        class_names: Sequence[Any] | None,
        constant: Sequence[str] = (),
        excluded: Sequence[str] = (),
        kept: Sequence[str] = (),
        penalty_factor: np.ndarray | None = None,
        provenance: Mapping[str, Any] | None = None,
        seed: int | None = None,
        data: Mapping[str, Any] | None = None,
        r_call: str | None = None,
        missing: Mapping[str, int] | None = None,
        s_gamma: str | float | None = None,
        link: str | None = None,
        theta: float | None = None,
    ) -> None:
        self.family = family
        self.link = link
        self.theta = None if theta is None else float(theta)
        self.alpha = float(alpha) if alpha is not None and not (isinstance(alpha, float) and math.isnan(alpha)) else alpha
        self.s = s
        self.lambdas = np.asarray(out["lambda"], dtype=float).reshape(-1)
        self.cvm = np.asarray(out["cvm"], dtype=float).reshape(-1)
        self.cvsd = np.asarray(out["cvsd"], dtype=float).reshape(-1)
        self.cvup = np.asarray(out["cvup"], dtype=float).reshape(-1)
        self.cvlo = np.asarray(out["cvlo"], dtype=float).reshape(-1)
        self.nzero = np.asarray(out["nzero"]).reshape(-1).astype(int)
        self.lambda_min = float(out["lambda_min"]) if out.get("lambda_min") is not None else math.nan
        self.lambda_1se = float(out["lambda_1se"]) if out.get("lambda_1se") is not None else math.nan
        self.index_min = int(out["index_min"]) if out.get("index_min") is not None else None
        self.index_1se = int(out["index_1se"]) if out.get("index_1se") is not None else None
        self.measure_name = out.get("name")
        self.type_measure = out.get("type_measure")
        L = self.lambdas.size
        beta = np.asarray(out["beta"], dtype=float)
        p = len(feature_names)
        if family in ("multinomial", "mgaussian"):
            beta = beta.reshape(-1, p, L)
            a0 = np.asarray(out["a0"], dtype=float).reshape(beta.shape[0], L)
        else:
            beta = beta.reshape(p, L)
            a0 = np.asarray(out["a0"], dtype=float).reshape(L)
        self.beta = beta
        self.a0 = a0
        self.dev_ratio = np.asarray(out["dev_ratio"], dtype=float).reshape(-1)
        self.nulldev = float(out["nulldev"]) if out.get("nulldev") is not None else math.nan
        self.feature_names = [str(f) for f in feature_names]
        self.class_names = list(class_names) if class_names is not None else None
        self.constant = list(constant)
        self.excluded = list(excluded)
        self.kept = list(kept)
        self.penalty_factor = np.ones(p) if penalty_factor is None else np.asarray(penalty_factor, dtype=float)
        self.provenance = dict(provenance or {})
        self.seed = seed
        fid = out.get("foldid")
        self.foldid = None if fid is None else np.asarray(fid).reshape(-1).astype(int)
        self.relaxed = out.get("relaxed")
        fp = out.get("fit_preval")
        self.fit_preval = None if fp is None else np.asarray(fp, dtype=float)
        self.r_call = r_call
        self.missing = dict(missing or {})
        self._fit = out.get("fit")
        self._data = dict(data) if data is not None else None
        self.s_gamma = s_gamma
        self.s_value, self.gamma_value = self._resolve(s, s_gamma)
        coef_s = self._coef_array(self.s_value, self.gamma_value)
        nz = np.abs(coef_s) > 0
        mask = nz.any(axis=0) if nz.ndim == 2 else nz
        self.support = mask
        self.selected = [f for f, m in zip(self.feature_names, mask) if m]
        self.pruned = [f for f, m in zip(self.feature_names, mask) if not m]

    def with_s(self, s: str | float) -> LassoResult:
        """The same fit read at another ``s`` (``"lambda.min"``, ``"lambda.1se"`` or a number):
        a copy whose selection, ``coef()`` and ``predict()`` default to ``s``."""
        import copy  # noqa: PLC0415

        new = copy.copy(self)
        new.s = s
        new.s_value = new._lambda_of(s)
        coef_s = new._coef_array(new.s_value)
        nz = np.abs(coef_s) > 0
        mask = nz.any(axis=0) if nz.ndim == 2 else nz
        new.support = mask
        new.selected = [f for f, m in zip(new.feature_names, mask) if m]
        new.pruned = [f for f, m in zip(new.feature_names, mask) if not m]
        return new

    # ----------------------------------------------------------------- pickling
    def __getstate__(self) -> dict[str, Any]:
        """Pickle support: the R fit travels as R's ``serialize()`` bytes."""
        state = dict(self.__dict__)
        fit = state.pop("_fit", None)
        state["_fit_bytes"] = None
        if fit is not None:
            from . import _r  # noqa: PLC0415

            state["_fit_bytes"] = np.asarray(_r.call("glmnet", "spg_serialize", fit), dtype=np.uint8).tobytes()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        raw = state.pop("_fit_bytes", None)
        self.__dict__.update(state)
        self._fit = None
        if raw is not None:
            from . import _r  # noqa: PLC0415

            self._fit = _r.call("glmnet", "spg_unserialize", np.frombuffer(raw, dtype=np.uint8).astype(np.int32),
                                _convert=False)

    # ----------------------------------------------------------------- lambda / coef
    def _lambda_of(self, s: str | float) -> float:
        if isinstance(s, str):
            if s not in ("lambda.min", "lambda.1se"):
                raise ParameterError(f"s={s!r} is not valid; use 'lambda.min', 'lambda.1se' or a number")
            rel = self.relaxed
            if rel:
                return float(rel["lambda_min"] if s == "lambda.min" else rel["lambda_1se"])
            v = self.lambda_min if s == "lambda.min" else self.lambda_1se
            if math.isnan(v):
                raise ParameterError(f"this glmnet fit has no cross-validation, so no {s}; pass s=<number>")
            return v
        try:
            v = float(s)
        except (TypeError, ValueError):
            raise ParameterError(f"s={s!r} is not valid; use 'lambda.min', 'lambda.1se' or a number") from None
        if not math.isfinite(v) or v < 0:
            raise ParameterError(f"s={s!r} must be a finite non-negative lambda")
        return v

    def _gamma_of(self, s: str | float, gamma: str | float | None = None) -> float | None:
        """gamma as R's ``coef.cv.relaxed(object, s, gamma)`` chooses it (None for a fit without relax).

        A character ``s`` without ``gamma`` takes that s's gamma (``gamma.min`` for
        ``lambda.min``, ``gamma.1se`` for ``lambda.1se``); otherwise ``gamma``'s default
        is ``"gamma.1se"`` (R's ``match.arg(c("gamma.1se", "gamma.min"))``), so a numeric
        ``s`` reads the relaxed fit at ``gamma.1se``.
        """
        rel = self.relaxed
        if not rel:
            if gamma is not None:
                raise ParameterError(f"gamma={gamma!r} needs a relaxed fit (relax=True, R's cv.glmnet(relax = TRUE))")
            return None
        if gamma is None:
            if isinstance(s, str):
                return float(rel["gamma_1se"] if s == "lambda.1se" else rel["gamma_min"])
            gamma = "gamma.1se"
        if isinstance(gamma, str):
            if gamma not in ("gamma.min", "gamma.1se"):
                raise ParameterError(f"gamma={gamma!r} is not valid; use 'gamma.min', 'gamma.1se' or a number in [0, 1]")
            return float(rel["gamma_min"] if gamma == "gamma.min" else rel["gamma_1se"])
        try:
            g = float(gamma)
        except (TypeError, ValueError):
            raise ParameterError(f"gamma={gamma!r} is not valid; use 'gamma.min', 'gamma.1se' or a number in [0, 1]") from None
        if not 0.0 <= g <= 1.0:
            raise ParameterError(f"gamma={gamma!r} must be in [0, 1] (R's checkgamma.relax)")
        return g

    def _resolve(self, s: str | float, gamma: str | float | None = None) -> tuple[float, float | None]:
        """(lambda, gamma) of ``coef(fit, s, gamma)`` in R."""
        return self._lambda_of(s), self._gamma_of(s, gamma)

    def _coef_array(self, lam: float, gamma: float | None = None) -> np.ndarray:
        """Coefficients (without intercept) at lambda ``lam`` (and relaxed ``gamma``): (p,) or (K, p)."""
        if self.relaxed and gamma is not None and gamma != 1.0:
            cf = self._r_coef(lam, exact=False, gamma=gamma)
            return cf[..., 1:] if cf.ndim == 2 else cf[1:]
        return _interp(self.beta, self.lambdas, lam)

    def _intercept_array(self, lam: float, gamma: float | None = None) -> np.ndarray | float:
        if self.relaxed and gamma is not None and gamma != 1.0:
            cf = self._r_coef(lam, exact=False, gamma=gamma)
            return cf[:, 0] if cf.ndim == 2 else float(cf[0])
        a = _interp(self.a0, self.lambdas, lam)
        return float(a) if np.ndim(a) == 0 else a

    def _r_coef(self, lam: float, exact: bool, gamma: float | None = None) -> np.ndarray:
        from . import _r  # noqa: PLC0415

        if self._fit is None:
            raise ParameterError("this result has no R fit attached (engine='gram'); refit with engine='r'")
        if exact:
            if self._data is None:
                raise ParameterError("exact=True needs the original data, which this result does not hold")
            d = self._data
            res = _r.call("glmnet", "spg_coef_exact", self._fit, float(lam), d["X"], d["y"], d["opts"],
                          weights=d.get("weights"), offset=d.get("offset"), dimnames_x=self.feature_names,
                          ynames=d.get("ynames"), strata=d.get("strata"),
                          _context="coef(exact=TRUE)")
        else:
            res = _r.call("glmnet", "spg_lambda_interp_coef", self._fit, float(lam), gamma=gamma)
        if isinstance(res, dict) or isinstance(res, list):
            mats = list(res.values()) if isinstance(res, dict) else res
            return np.stack([np.asarray(m, float).reshape(-1) for m in mats])  # (K, 1+p)
        return np.asarray(res, float).reshape(-1)

    def coef(self, s: str | float = "lambda.min", exact: bool = False,
             gamma: str | float | None = None) -> pd.Series | pd.DataFrame:
        """Coefficients at ``s``, including ``"(Intercept)"``: R's ``coef(fit, s = s)``.

        ``exact=False`` interpolates linearly between the path lambdas around ``s``
        (as R does); ``exact=True`` refits glmnet in R on the original data with
        ``s`` inserted into the lambda sequence (R's ``coef(fit, s, exact = TRUE,
        x = x, y = y, ...)``). Multinomial/mgaussian: a DataFrame with one column
        per class/response.

        Relaxed fits (``relax=True``) follow R's ``coef.cv.relaxed``: ``"lambda.min"``
        / ``"lambda.1se"`` are the relaxed choices and, without ``gamma``, read at
        ``gamma.min`` / ``gamma.1se``; a numeric ``s`` reads at ``gamma.1se``;
        ``gamma`` may be ``"gamma.min"``, ``"gamma.1se"`` or a number in [0, 1].
        As R's ``predict.relaxed``, ``exact`` is ignored for relaxed fits.
        """
        lam, g = self._resolve(s, gamma)
        if exact and not self.relaxed:
            cf = self._r_coef(lam, exact=True)
        else:
            b = self._coef_array(lam, g)
            a = self._intercept_array(lam, g)
            cf = np.column_stack([np.atleast_1d(a), b]) if b.ndim == 2 else np.concatenate([[a], b])
        has_int = self.family != "cox"
        names = (["(Intercept)"] if has_int else []) + self.feature_names
        if cf.ndim == 2:
            cf = cf if has_int else cf[:, 1:] if cf.shape[1] == len(names) + 1 else cf
            cols = [str(c) for c in (self.class_names or range(cf.shape[0]))]
            return pd.DataFrame(cf.T, index=names, columns=cols)
        if not has_int and cf.size == len(names) + 1:
            cf = cf[1:]
        return pd.Series(cf, index=names, name=str(s))

    def predict(self, X: Any, s: str | float | None = None, type: str = "response", offset: Any = None,
                gamma: str | float | None = None) -> np.ndarray:
        """Predictions at ``s`` (default: the result's ``s``), computed from the coefficients.

        ``type``: ``"link"`` (linear predictor), ``"response"`` (mean; probabilities
        for binomial/multinomial) or ``"class"`` (labels), as R's ``predict.glmnet``.
        ``gamma`` (relaxed fits): as in :meth:`coef` (R's ``predict.cv.relaxed``).
        """
        if s is None:
            s, gamma = self.s, (self.s_gamma if gamma is None else gamma)
        lam, g = self._resolve(s, gamma)
        Xa = X.tocsc() if _is_sparse(X) else np.asarray(X, dtype=float)
        if Xa.ndim != 2 or Xa.shape[1] != len(self.feature_names):
            raise DataError(f"X must have {len(self.feature_names)} columns ({', '.join(self.feature_names[:5])}...)")
        b = self._coef_array(lam, g)
        a = self._intercept_array(lam, g)
        if b.ndim == 2:
            eta = np.asarray(Xa @ b.T) + np.asarray(a)[None, :]
        else:
            eta = np.asarray(Xa @ b).reshape(-1) + a
        if offset is not None:
            off = np.asarray(offset, dtype=float)
            eta = eta + (off if off.ndim == eta.ndim else off[:, None])
        fam = self.family
        if type == "link":
            return eta
        if type not in ("response", "class"):
            raise ParameterError(f"type={type!r}; use 'link', 'response' or 'class'")
        if self.link is not None or fam in GLM_FAMILIES:
            # a family-object fit (glmnet.path): predict.glmnetfit's family$linkinv(eta)
            mu = self._linkinv(eta)
            if type == "class":
                if fam not in ("binomial", "quasibinomial") or not self.class_names:
                    raise ParameterError(f"type='class' needs a binomial fit, not {fam}")
                return np.asarray(self.class_names, dtype=object)[(mu > 0.5).astype(int)]
            return mu
        if fam == "binomial":
            if type == "class":
                return np.asarray(self.class_names, dtype=object)[(eta > 0).astype(int)]
            return 1.0 / (1.0 + np.exp(-eta))
        if fam == "multinomial":
            if type == "class":
                return np.asarray(self.class_names, dtype=object)[np.argmax(eta, axis=1)]
            e = np.exp(eta - eta.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
        if type == "class":
            raise ParameterError(f"type='class' needs a binomial or multinomial fit, not {fam}")
        if fam in ("poisson", "cox"):
            return np.exp(eta)
        return eta

    def _linkinv(self, eta: np.ndarray) -> np.ndarray:
        link = self.link
        if link is None:  # families that exist only as objects, with their default link
            link = {"quasipoisson": "log", "negative.binomial": "log", "quasibinomial": "logit", "Gamma": "inverse",
                    "inverse.gaussian": "1/mu^2"}[self.family]
        if link in LINKS:
            return linkinv(link, eta)
        if self._fit is not None:
            from . import _r  # noqa: PLC0415

            e = np.asarray(eta, dtype=float)
            return np.asarray(_r.call("glmnet", "spg_linkinv", self._fit, e.reshape(-1)), float).reshape(e.shape)
        raise ParameterError(f"this fit uses the link {link!r}, which statprune does not invert without the R fit; "
                             "predict type='link', or load the fit with GlmnetCV.from_rds")

    # ----------------------------------------------------------------- R-side tools
    def assess(self, X: Any, y: Any, s: str | float | None = None, sample_weight: Any = None, offset: Any = None) -> dict[str, float]:
        """R's ``assess.glmnet``: every type.measure of this family on new data, at ``s``.

        Returns ``{measure code: value}`` (e.g. ``{"mse": ..., "mae": ...}``);
        :meth:`assess_frame` gives the same with R's measure names.
        """
        return {k: v["value"] for k, v in self._assess_raw(X, y, s, sample_weight, offset).items()}

    def assess_frame(self, X: Any, y: Any, s: str | float | None = None, sample_weight: Any = None, offset: Any = None) -> pd.DataFrame:
        """:meth:`assess` as a table with R's measure names."""
        raw = self._assess_raw(X, y, s, sample_weight, offset)
        return pd.DataFrame({"measure": list(raw), "name": [v["name"] for v in raw.values()],
                             "value": [v["value"] for v in raw.values()]})

    def _assess_raw(self, X, y, s, sample_weight, offset):  # noqa: ANN001, ANN202
        from . import _r  # noqa: PLC0415

        self._need_fit("assess")
        lam = self._lambda_of(self.s if s is None else s)
        Xa = _x_for_r(_as_x(X))
        yr = _y_for_r(self.family, y, self.class_names)
        res = _r.call("glmnet", "spg_assess", self._fit, Xa, yr, self.family, lam,
                      weights=None if sample_weight is None else np.asarray(sample_weight, float),
                      newoffset=None if offset is None else np.asarray(offset, float), _context="assess.glmnet")
        return {k: {"value": float(np.asarray(v["value"]).reshape(-1)[0]), "name": v["name"]} for k, v in res.items()}

    def roc(self, y: Any, X: Any = None, s: str | float | None = None) -> pd.DataFrame:
        """R's ``roc.glmnet`` (binomial): the ROC curve as columns ``FPR``, ``TPR``.

        Without ``X``: on the prevalidated fits (``keep_preval=True``; R's
        ``roc.glmnet(fit$fit.preval, newy = y)[[index]]``) at the lambda of ``s``
        (``"lambda.min"``/``"lambda.1se"``: R's ``fit$index``). With ``X``: on new
        data at ``s`` (R's ``roc.glmnet(fit, newx, newy, s)``).
        """
        from . import _r  # noqa: PLC0415

        self._need_fit("roc")
        if self.family != "binomial":
            raise ParameterError(f"roc() needs a binomial fit, not {self.family} (R's roc.glmnet)")
        s = self.s if s is None else s
        yr = _y_for_r(self.family, y, self.class_names)
        if X is None:
            if self.fit_preval is None:
                raise ParameterError("roc() without X needs the prevalidated fits: fit with keep_preval=True "
                                     "(R's keep = TRUE)")
            if s == "lambda.min":
                idx = self.index_min
            elif s == "lambda.1se":
                idx = self.index_1se
            else:
                hit = np.flatnonzero(np.isclose(self.lambdas, float(s), rtol=1e-12, atol=0))
                if not hit.size:
                    raise ParameterError(f"s={s!r} is not one of the fit's lambdas; the prevalidated fits exist only there")
                idx = int(hit[0]) + 1
            res = _r.call("glmnet", "spg_roc", self._fit, index=int(idx), newy=yr, _context="roc.glmnet")
        else:
            lam = self._lambda_of(s)
            res = _r.call("glmnet", "spg_roc", self._fit, newy=yr, newx=_x_for_r(_as_x(X)), s=float(lam),
                          _context="roc.glmnet")
        return pd.DataFrame({"FPR": np.asarray(res["FPR"], float).reshape(-1),
                             "TPR": np.asarray(res["TPR"], float).reshape(-1)})

    def confusion(self, X: Any, y: Any, s: str | float | None = None, offset: Any = None) -> pd.DataFrame:
        """R's ``confusion.glmnet``: confusion table (rows Predicted, columns True) at ``s``."""
        from . import _r  # noqa: PLC0415

        self._need_fit("confusion")
        if self.family not in ("binomial", "multinomial"):
            raise ParameterError(f"confusion() needs a binomial or multinomial fit, not {self.family}")
        lam = self._lambda_of(self.s if s is None else s)
        yr = _y_for_r(self.family, y, self.class_names)
        res = _r.call("glmnet", "spg_confusion", self._fit, _x_for_r(_as_x(X)), yr, lam,
                      newoffset=None if offset is None else np.asarray(offset, float), _context="confusion.glmnet")
        tab = np.asarray(res["table"], dtype=float).astype(int)
        pred = [str(v) for v in np.atleast_1d(res["predicted"])]
        true = [str(v) for v in np.atleast_1d(res["true"])]
        df = pd.DataFrame(tab.reshape(len(pred), len(true)), index=pd.Index(pred, name="Predicted"),
                          columns=pd.Index(true, name="True"))
        return df

    def save_rds(self, path: Any) -> Any:
        """Write the real ``cv.glmnet`` object to ``path`` (atomically) for ``readRDS()`` in R.

        R serializes the fit (what ``saveRDS()`` writes: version 3, XDR, gzip); statprune
        writes the file with :func:`statprune._json.write_atomic`: a full disk or any other
        failure raises ``OSError`` naming ``path`` and leaves an existing file intact; ``-``
        is standard output, a character device or FIFO is written in place.
        """
        import gzip  # noqa: PLC0415

        from . import _r  # noqa: PLC0415
        from ._json import write_atomic  # noqa: PLC0415

        self._need_fit("save_rds")
        stream = _r.call("glmnet", "spg_serialize_raw", self._fit, _context="serialize")
        write_atomic(path, gzip.compress(stream, compresslevel=6, mtime=0))
        return path

    def _need_fit(self, what: str) -> None:
        if self._fit is None:
            raise ParameterError(f"{what}() needs the R fit, which this result does not hold (engine='gram'); refit with engine='r'")

    # ----------------------------------------------------------------- tables & text
    def to_frame(self) -> pd.DataFrame:
        """One row per feature: coefficient at lambda.min and lambda.1se, selected at ``s``, penalty factor, note."""
        rows = []
        has_cv = not math.isnan(self.lambda_min)
        cmin = self._coef_array(*self._resolve("lambda.min")) if has_cv else None
        c1se = self._coef_array(*self._resolve("lambda.1se")) if has_cv else None
        cs = self._coef_array(self.s_value, self.gamma_value)
        for j, f in enumerate(self.feature_names):
            note = ""
            if f in self.constant:
                note = "constant column (sd = 0): glmnet gives it a zero coefficient"
            elif f in self.excluded:
                note = "excluded"
            elif f in self.kept:
                note = "always kept (penalty factor 0)"
            row: dict[str, Any] = {"feature": f}
            if cs.ndim == 2:
                for k, cname in enumerate(self.class_names or range(cs.shape[0])):
                    if has_cv:
                        row[f"coef_min[{cname}]"] = cmin[k, j]
                        row[f"coef_1se[{cname}]"] = c1se[k, j]
                    row[f"coef_s[{cname}]"] = cs[k, j]
            else:
                if has_cv:
                    row["coef_lambda_min"] = cmin[j]
                    row["coef_lambda_1se"] = c1se[j]
                row["coef_s"] = cs[j]
            row["selected"] = bool(self.support[j])
            row["penalty_factor"] = float(self.penalty_factor[j])
            row["note"] = note
            rows.append(row)
        return pd.DataFrame(rows).set_index("feature")

    def path_frame(self) -> pd.DataFrame:
        """The CV curve as a table: lambda, cvm, cvsd, cvup, cvlo, nzero, dev_ratio."""
        return pd.DataFrame({"lambda": self.lambdas, "cvm": self.cvm, "cvsd": self.cvsd, "cvup": self.cvup,
                             "cvlo": self.cvlo, "nzero": self.nzero, "dev_ratio": self.dev_ratio})

    def coefficients_at_s(self) -> dict[str, Any]:
        """``{name: value}`` at ``s`` incl. "(Intercept)", zero for pruned features;
        ``{class: {name: value}}`` for multinomial/mgaussian."""
        cf = self.coef(self.s, gamma=self.s_gamma)
        if isinstance(cf, pd.DataFrame):
            return {str(c): {k: float(v) for k, v in cf[c].items()} for c in cf.columns}
        return {k: float(v) for k, v in cf.items()}

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python summary (the CLI's ``--json`` object)."""
        return {
            "family": self.family,
            "link": self.link,
            "theta": self.theta,
            "alpha": self.alpha,
            "lambda": self.lambdas.tolist(),
            "cvm": self.cvm.tolist(),
            "cvsd": self.cvsd.tolist(),
            "cvup": self.cvup.tolist(),
            "cvlo": self.cvlo.tolist(),
            "nzero": self.nzero.tolist(),
            "lambda_min": self.lambda_min,
            "lambda_1se": self.lambda_1se,
            "index_min": self.index_min,
            "index_1se": self.index_1se,
            "measure": self.type_measure,
            "measure_name": self.measure_name,
            "s": self.s,
            "s_lambda": self.s_value,
            "s_gamma": self.gamma_value,
            "coefficients": self.coefficients_at_s(),
            "selected": list(self.selected),
            "pruned": list(self.pruned),
            "constant": list(self.constant),
            "excluded": list(self.excluded),
            "kept": list(self.kept),
            "class_names": None if self.class_names is None else [str(c) for c in self.class_names],
            "n_lambda": int(self.lambdas.size),
            "relaxed": self.relaxed,
            "missing": dict(self.missing),
            "provenance": dict(self.provenance),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """JSON text of :meth:`to_dict` (NaN as null)."""
        return dumps(self.to_dict(), indent=indent)

    def summary(self) -> str:
        """A text summary in the layout of R's ``print.cv.glmnet`` plus the selection."""
        lines = []
        if self.r_call:
            lines += [f"Call:  {self.r_call}", ""]
        lines.append(f"Family: {self.family}   alpha: {self.alpha}   lambdas: {self.lambdas.size}")
        if self.measure_name:
            lines.append(f"Measure: {self.measure_name}")
        lines.append("")
        if self.index_min is not None and not math.isnan(self.lambda_min):
            lines.append(f"    {'Lambda':>10} {'Index':>5} {'Measure':>10} {'SE':>10} {'Nonzero':>7}")
            for lab, i in (("min", self.index_min), ("1se", self.index_1se)):
                k = i - 1
                lines.append(f"{lab:<3} {_fmt(self.lambdas[k]):>10} {i:>5} {_fmt(self.cvm[k]):>10} "
                             f"{_fmt(self.cvsd[k]):>10} {self.nzero[k]:>7}")
            lines.append("")
        s_txt = self.s if isinstance(self.s, str) else _fmt(float(self.s))
        lines.append(f"At s = {s_txt} (lambda = {_fmt(self.s_value)}): {len(self.selected)} of "
                     f"{len(self.feature_names)} features kept")
        lines.append("  kept:   " + (", ".join(self.selected) if self.selected else "(none: every coefficient is zero)"))
        lines.append("  pruned: " + (", ".join(self.pruned) if self.pruned else "(none)"))
        if self.constant:
            lines.append("  constant columns (zero coefficient, sd = 0): " + ", ".join(self.constant))
        if self.missing:
            lines.append("Missing cells as read (R's read.csv rules): "
                         + ", ".join(f"{k}: {v}" for k, v in self.missing.items()))
        lines.append("Note: cvsd (SE) is a standard error of the CV mean; p-values of a model refit after "
                     "selection are not valid.")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"LassoResult(family={self.family!r}, alpha={self.alpha}, lambda_min={_fmt(self.lambda_min)}, "
                f"lambda_1se={_fmt(self.lambda_1se)}, s={self.s!r}, selected={len(self.selected)}/{len(self.feature_names)})")

    def _repr_html_(self) -> str:
        import html  # noqa: PLC0415

        head = (f"<p><b>cv.glmnet</b> family={html.escape(self.family)}, alpha={self.alpha}, "
                f"measure={html.escape(str(self.measure_name))}; lambda.min={_fmt(self.lambda_min)}, "
                f"lambda.1se={_fmt(self.lambda_1se)}; at s={html.escape(str(self.s))}: "
                f"{len(self.selected)} of {len(self.feature_names)} kept</p>")
        return head + self.to_frame().to_html(float_format=lambda v: f"{v:.6g}")

    def r_code(self, data: str = "data.csv", target: str = "y") -> str:
        """R code that reproduces this analysis (for an R colleague)."""
        from ._rcode import r_string  # noqa: PLC0415 - every user string is escaped, never pasted

        opts = []
        if self.family != "gaussian":
            opts.append(f"family = {r_string(self.family)}")
        if self.alpha != 1.0:
            opts.append(f"alpha = {float(self.alpha)!r}")
        if self.type_measure and self.type_measure not in ("mse", "deviance") and self.family in ("gaussian",):
            opts.append(f"type.measure = {r_string(self.type_measure)}")
        o = (", " + ", ".join(opts)) if opts else ""
        seed = f"set.seed({int(self.seed)})\n" if self.seed is not None else ""
        s = r_string(self.s) if isinstance(self.s, str) else repr(float(self.s))
        return (
            "library(glmnet)\n"
            f"d <- read.csv({r_string(data)}, check.names = FALSE)\n"
            f"x <- as.matrix(d[, setdiff(names(d), {r_string(target)})])\n"
            f"y <- d[[{r_string(target)}]]\n"
            f"{seed}fit <- cv.glmnet(x, y{o})\n"
            "c(lambda.min = fit$lambda.min, lambda.1se = fit$lambda.1se)\n"
            f"coef(fit, s = {s})\n"
        )


def _y_for_r(family: str, y: Any, class_names: Sequence[Any] | None) -> Any:
    if family == "binomial" and np.ndim(y) == 2 and np.shape(y)[1] == 2:
        return np.asarray(y, dtype=float)
    if family in ("binomial", "multinomial"):
        vals = np.asarray(y, dtype=object).reshape(-1)
        cats = list(class_names) if class_names is not None else sorted(set(vals))
        unknown = sorted({str(v) for v in vals} - {str(c) for c in cats})
        if unknown:
            raise DataError(f"y has class(es) {unknown} that the fit never saw (classes: {[str(c) for c in cats]})")
        return pd.Categorical([str(v) for v in vals], categories=[str(c) for c in cats])
    if family == "cox":
        return _cox_y(y)
    if family == "mgaussian":
        return np.asarray(y, dtype=float).reshape(len(y), -1)
    return np.asarray(y, dtype=float).reshape(-1)


def _cox_y(y: Any) -> np.ndarray:
    """(time, status) as an (n, 2) float array from a 2-column array/DataFrame or a structured array."""
    if isinstance(y, pd.DataFrame):
        a = y.to_numpy(dtype=float)
    else:
        arr = np.asarray(y)
        if arr.dtype.names:
            names = arr.dtype.names
            tname = "time" if "time" in names else names[1] if len(names) > 1 and "status" not in names[1:] else names[-1]
            sname = "status" if "status" in names else "event" if "event" in names else names[0]
            if "time" not in names:  # sksurv style (event, time)
                sname, tname = names[0], names[1]
            a = np.column_stack([arr[tname].astype(float), arr[sname].astype(float)])
        else:
            a = arr.astype(float)
    if a.ndim == 2 and a.shape[1] == 3:  # Surv(start, stop, status): counting-process data
        if not np.isfinite(a).all():
            raise DataError("the cox target (start, stop, status) holds NaN or inf")
        if (a[:, 0] >= a[:, 1]).any():
            raise DataError("cox (start, stop] intervals need start < stop (survival::Surv refuses stop <= start)")
        if not np.isin(a[:, 2], (0.0, 1.0)).all():
            raise DataError("cox status must be 0 (censored) or 1 (event)")
        return a
    if a.ndim != 2 or a.shape[1] != 2:
        raise DataError("a cox target must have two columns (time, status), three (start, stop, status), "
                        "or be a structured array with fields time/status")
    if not np.isfinite(a).all():
        raise DataError("the cox target (time, status) holds NaN or inf")
    if (a[:, 0] <= 0).any():
        raise DataError("cox survival times must be strictly positive (glmnet refuses non-positive times)")
    if not np.isin(a[:, 1], (0.0, 1.0)).all():
        raise DataError("cox status must be 0 (censored) or 1 (event)")
    return a


# --------------------------------------------------------------------------- estimator
class GlmnetCV(SelectorMixin, BaseEstimator):
    """Cross-validated Lasso / elastic net selector backed by R's ``cv.glmnet``.

    Parameters
    ----------
    family : {"gaussian", "binomial", "poisson", "multinomial", "mgaussian", "cox"}
        glmnet's ``family``. Cox targets are ``(time, status)`` (two columns, or a
        structured array with fields ``time`` and ``status``).
    alpha : float in [0, 1]
        Elastic-net mixing: 1 is the lasso, 0 ridge.
    nfolds : int >= 3
        Number of folds (ignored when ``foldid`` is given).
    foldid : array of int (n,), optional
        Fold of each row, 1..K with every fold present.
    seed : int, optional
        ``set.seed(seed)`` in R immediately before ``cv.glmnet``: the folds are R's.
    type_measure : {"default", "mse", "mae", "deviance", "class", "auc", "C"}
    s : "lambda.min", "lambda.1se" or float
        Where the selection (``support_``, ``coef_``, ``predict``) is read.
    lambda_ : array, optional
        User lambda sequence (R's ``lambda``); otherwise ``nlambda`` values down to
        ``lambda_min_ratio`` times the largest (glmnet's default ratio is 1e-4, or
        1e-2 when n < p).
    nlambda : int
    lambda_min_ratio : float, optional
    standardize, fit_intercept : bool
        R's ``standardize`` and ``intercept``.
    penalty_factor : dict {column: factor} or array (p,), optional
        Relative penalties (glmnet rescales them to sum to p).
    keep : list of column names, optional
        Always kept: penalty factor 0.
    exclude : list of column names, or a function, optional
        Forced out (R's ``exclude``): coefficient always 0. A function
        ``exclude(X, y, weights)`` returning column names or 0-based indices is glmnet
        4.1's ``exclude = function(x, y, weights)``: called on the full data and on each
        fold's training rows, as cv.glmnet does.
    lower_limits, upper_limits : float or array
    relax : bool
        Relaxed lasso (R's ``relax = TRUE``); ``gamma`` defaults to R's ``c(0, .25, .5, .75, 1)``.
    gamma : array, optional
        The relaxed fits' gamma grid (R's ``cv.glmnet(gamma = )``).
    s_gamma : "gamma.min", "gamma.1se" or float, optional
        Relaxed fits: the gamma the selection is read at (R's ``coef(fit, s, gamma = )``).
        Default as R's ``coef.cv.relaxed``: ``gamma.min`` for ``s="lambda.min"``,
        ``gamma.1se`` for ``s="lambda.1se"`` and for a numeric ``s``.
    thresh, maxit : float, int
        Convergence threshold and maximum passes.
    type_multinomial : {"ungrouped", "grouped"}
    link : str, optional
        A link for an R family object: ``family="binomial", link="probit"`` is R's
        ``family = binomial(link = "probit")`` (fitted by glmnet.path, as in R; giving
        ``link="logit"`` also fits the family object, which is not the same fit as
        ``family = "binomial"``). R checks the link (R's own message).
    theta : float, optional
        ``family="negative.binomial"``: R's ``MASS::negative.binomial(theta)``.
        The families ``"quasipoisson"``, ``"quasibinomial"``, ``"Gamma"``,
        ``"inverse.gaussian"``, ``"negative.binomial"`` exist only as family objects.
    grouped : bool
        R's ``grouped`` (False: the CV error per observation, not per fold).
    keep_preval : bool
        R's ``keep = TRUE``: keep the prevalidated fits (``result_.fit_preval``, R's
        ``fit$fit.preval``) for ``result_.roc()`` (R's ``roc.glmnet``).
    alignment : {"lambda", "fraction"}
        R's ``alignment``.
    dfmax, pmax : int, optional
        R's ``dfmax`` / ``pmax`` (limits on the variables in the model / ever non-zero).
    type_logistic : {"Newton", "modified.Newton"}
        R's ``type.logistic`` (binomial/multinomial).
    standardize_response : bool
        R's ``standardize.response`` (mgaussian).
    engine : {"r", "gram"}
        ``"gram"``: the fast engines, no R needed: gaussian from Gram statistics
        (:mod:`statprune.engines.gram`), binomial and poisson by glmnet's IRLS in C
        (:mod:`statprune.engines.glmpath`); same numbers, no R fit object. Anything they do not
        cover falls back to R; ``result_.provenance["engine"]`` says which ran.
    categorical : {"error", "treatment"}
        What to do with text / categorical columns of a DataFrame ``X``: ``"error"`` (the
        default) refuses them with a message naming them; ``"treatment"`` expands them into
        R's treatment dummies, as ``model.matrix(~ ., d)[, -1]`` before ``cv.glmnet`` (levels
        sorted or in the categorical's order, the first one the reference, named
        ``<column><level>``: ``chas`` with levels no/yes gives ``chasyes``). The levels are
        remembered: ``predict``/``transform`` take the raw columns. ``feature_names_in_`` are
        then the dummy names (the model matrix's columns).

    Attributes
    ----------
    lambdas_, lambda_min_, lambda_1se_ : R's ``lambda``, ``lambda.min``, ``lambda.1se``
    cv_results_ : dict with ``lambda``, ``mean_score`` (cvm), ``std_score`` (cvsd, a
        standard error), ``upper``, ``lower``, ``nzero``
    coef_, intercept_ : coefficients at ``s`` ((p,) or (K, p))
    support_ : boolean mask of the features kept at ``s``
    classes_ : class labels (binomial, multinomial)
    result_ : :class:`LassoResult`
    feature_names_in_, n_features_in_

    Examples
    --------
    >>> from statprune import datasets
    >>> from statprune.lasso import GlmnetCV
    >>> d = datasets.load_boston()
    >>> X, y = d.drop(columns="medv"), d["medv"]
    >>> est = GlmnetCV(seed=42).fit(X, y)
    >>> round(est.lambda_min_, 6), len(est.lambdas_)
    (0.021185, 76)
    >>> est.get_feature_names_out().tolist()[:4]
    ['crim', 'zn', 'chas', 'nox']
    """

    def __init__(
        self,
        family: str = "gaussian",
        alpha: float = 1.0,
        nfolds: int = 10,
        foldid: Any = None,
        seed: int | None = None,
        type_measure: str = "default",
        s: str | float = "lambda.min",
        lambda_: Any = None,
        nlambda: int = 100,
        lambda_min_ratio: float | None = None,
        standardize: bool = True,
        fit_intercept: bool = True,
        penalty_factor: Any = None,
        keep: Any = None,
        exclude: Any = None,
        lower_limits: Any = -np.inf,
        upper_limits: Any = np.inf,
        relax: bool = False,
        gamma: Any = None,
        thresh: float = 1e-7,
        maxit: int = 100000,
        type_multinomial: str = "ungrouped",
        engine: str = "r",
        s_gamma: Any = None,
        link: str | None = None,
        theta: float | None = None,
        grouped: bool = True,
        keep_preval: bool = False,
        alignment: str = "lambda",
        dfmax: int | None = None,
        pmax: int | None = None,
        type_logistic: str = "Newton",
        standardize_response: bool = False,
        categorical: str = "error",
    ) -> None:
        self.family = family
        self.alpha = alpha
        self.nfolds = nfolds
        self.foldid = foldid
        self.seed = seed
        self.type_measure = type_measure
        self.s = s
        self.lambda_ = lambda_
        self.nlambda = nlambda
        self.lambda_min_ratio = lambda_min_ratio
        self.standardize = standardize
        self.fit_intercept = fit_intercept
        self.penalty_factor = penalty_factor
        self.keep = keep
        self.exclude = exclude
        self.lower_limits = lower_limits
        self.upper_limits = upper_limits
        self.relax = relax
        self.gamma = gamma
        self.thresh = thresh
        self.maxit = maxit
        self.type_multinomial = type_multinomial
        self.engine = engine
        self.s_gamma = s_gamma
        self.link = link
        self.theta = theta
        self.grouped = grouped
        self.keep_preval = keep_preval
        self.alignment = alignment
        self.dfmax = dfmax
        self.pmax = pmax
        self.type_logistic = type_logistic
        self.standardize_response = standardize_response
        self.categorical = categorical

    # ----------------------------------------------------------------- sklearn plumbing
    def __sklearn_tags__(self):  # noqa: ANN204
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = True  # scipy.sparse X reaches R as a dgCMatrix
        tags.target_tags.multi_output = self.family in ("mgaussian", "cox")
        tags.target_tags.single_output = self.family not in ("mgaussian", "cox")
        return tags

    def __sklearn_is_fitted__(self) -> bool:
        # the parameter ``lambda_`` ends in "_" (glmnet's ``lambda``), so the default check cannot be used
        return hasattr(self, "result_")

    def _get_support_mask(self) -> np.ndarray:
        check_is_fitted(self, "support_")
        return self.support_

    # ----------------------------------------------------------------- validation
    def _check_params(self, p: int, names: list[str]) -> dict[str, Any]:
        fam = self.family
        if fam not in ALL_FAMILIES:
            raise ParameterError(f"family={fam!r} is not one of {', '.join(ALL_FAMILIES)}")
        if self.link is not None and (not isinstance(self.link, str) or fam in ("multinomial", "mgaussian", "cox")):
            raise ParameterError(f"link={self.link!r}: a link is a name such as 'probit' and applies to "
                                 "gaussian/binomial/poisson and the GLM families, not multinomial/mgaussian/cox "
                                 "(glmnet takes no family object for those)")
        if (self.theta is None) != (fam != "negative.binomial"):
            raise ParameterError("family='negative.binomial' needs theta=<number> (R's MASS::negative.binomial(theta)); "
                                 "theta applies to that family only")
        if self.theta is not None and not (isinstance(self.theta, (int, float, np.number)) and float(self.theta) > 0):
            raise ParameterError(f"theta={self.theta!r} must be a positive number")
        try:
            alpha = float(self.alpha)
        except (TypeError, ValueError):
            raise ParameterError(f"alpha={self.alpha!r} must be a number in [0, 1]") from None
        if not 0.0 <= alpha <= 1.0:
            raise ParameterError(f"alpha={self.alpha!r} must be in [0, 1] (1 = lasso, 0 = ridge)")
        tm = self.type_measure
        if tm not in TYPE_MEASURES:
            raise ParameterError(f"type_measure={tm!r} is not one of {', '.join(TYPE_MEASURES)}")
        ok = _MEASURES_GLM if _is_glm_family(fam, self.link, self.theta) else _MEASURES_OK[fam]
        if tm not in ok:
            what = f"family={fam!r}" + (f" with link={self.link!r} (an R family object)" if self.link else "")
            raise ParameterError(f"type_measure={tm!r} is not available for {what}; use one of {sorted(ok)}")
        if self.type_multinomial not in ("ungrouped", "grouped"):
            raise ParameterError("type_multinomial must be 'ungrouped' or 'grouped'")
        if self.engine not in ("r", "gram"):
            raise ParameterError(f"engine={self.engine!r}; use 'r' or 'gram'")
        if self.alignment not in ("lambda", "fraction"):
            raise ParameterError(f"alignment={self.alignment!r}; use 'lambda' or 'fraction'")
        if self.type_logistic not in ("Newton", "modified.Newton"):
            raise ParameterError(f"type_logistic={self.type_logistic!r}; use 'Newton' or 'modified.Newton'")
        for nm in ("dfmax", "pmax"):
            v = getattr(self, nm)
            if v is not None and (not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < 0):
                raise ParameterError(f"{nm}={v!r} must be a non-negative integer")
        if self.keep_preval and self.relax:
            raise ParameterError("keep_preval=True with relax=True: statprune reads fit.preval of the unrelaxed "
                                 "fit only; fit without relax for roc()")
        if self.s_gamma is not None and not self.relax:
            raise ParameterError(f"s_gamma={self.s_gamma!r} needs a relaxed fit (relax=True, R's cv.glmnet(relax = TRUE))")
        if isinstance(self.s_gamma, str) and self.s_gamma not in ("gamma.min", "gamma.1se"):
            raise ParameterError(f"s_gamma={self.s_gamma!r}; use 'gamma.min', 'gamma.1se' or a number in [0, 1]")
        if isinstance(self.s, str):
            if self.s not in ("lambda.min", "lambda.1se"):
                raise ParameterError(f"s={self.s!r}; use 'lambda.min', 'lambda.1se' or a number")
        elif not isinstance(self.s, (int, float, np.number)) or not (float(self.s) >= 0):
            raise ParameterError(f"s={self.s!r}; use 'lambda.min', 'lambda.1se' or a non-negative number")
        if not isinstance(self.nlambda, (int, np.integer)) or self.nlambda < 1:
            raise ParameterError(f"nlambda={self.nlambda!r} must be a positive integer")
        if not isinstance(self.maxit, (int, np.integer)) or self.maxit < 1:
            raise ParameterError(f"maxit={self.maxit!r} must be a positive integer")
        if not (isinstance(self.thresh, (int, float, np.number)) and float(self.thresh) > 0):
            raise ParameterError(f"thresh={self.thresh!r} must be a positive number")
        if self.lambda_min_ratio is not None and not (0 < float(self.lambda_min_ratio) < 1):
            raise ParameterError(f"lambda_min_ratio={self.lambda_min_ratio!r} must be in (0, 1)")
        if self.seed is not None and not isinstance(self.seed, (int, np.integer)):
            raise ParameterError(f"seed={self.seed!r} must be an integer (R's set.seed)")
        lam = None
        if self.lambda_ is not None:
            lam = np.asarray(self.lambda_, dtype=float).reshape(-1)
            if lam.size < 2:
                raise ParameterError("lambda_ needs more than one value for cv.glmnet")
            if not np.isfinite(lam).all() or (lam < 0).any():
                raise ParameterError("lambda_ must hold finite non-negative values")
        # penalty factors, keep, exclude
        pf = np.ones(p)
        if self.penalty_factor is not None:
            if isinstance(self.penalty_factor, Mapping):
                unknown = [k for k in self.penalty_factor if k not in names]
                if unknown:
                    raise ParameterError(f"penalty_factor names unknown column(s) {unknown}; columns are: {', '.join(names)}")
                for k, v in self.penalty_factor.items():
                    pf[names.index(k)] = float(v)
            else:
                a = np.asarray(self.penalty_factor, dtype=float).reshape(-1)
                if a.size != p:
                    raise ParameterError(f"penalty_factor has {a.size} values for {p} features")
                pf = a.copy()
            if np.isnan(pf).any() or (pf < 0).any():
                raise ParameterError("penalty_factor values must be >= 0 (Inf excludes a feature)")
        keep = self._names_arg(self.keep, "keep", names)
        for k in keep:
            pf[names.index(k)] = 0.0
        excl = [] if callable(self.exclude) else self._names_arg(self.exclude, "exclude", names)
        both = sorted(set(keep) & set(excl))
        if both:
            raise ParameterError(f"column(s) {both} are both in keep and exclude")
        lims = {}
        for nm in ("lower_limits", "upper_limits"):
            v = np.asarray(getattr(self, nm), dtype=float).reshape(-1)
            if v.size not in (1, p):
                raise ParameterError(f"{nm} needs 1 or {p} values, got {v.size}")
            lims[nm] = v
        if (lims["lower_limits"] > 0).any() or (lims["upper_limits"] < 0).any():
            raise ParameterError("lower_limits must be <= 0 and upper_limits >= 0 (glmnet's requirement)")
        return {"alpha": alpha, "lambda": lam, "pf": pf, "keep": keep, "exclude": excl, **lims}

    @staticmethod
    def _names_arg(value: Any, arg: str, names: list[str]) -> list[str]:
        if value is None:
            return []
        vals = [value] if isinstance(value, (str, int, np.integer)) else list(value)
        out = []
        for v in vals:
            if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
                if not 0 <= int(v) < len(names):
                    raise ParameterError(f"{arg}: column index {v} is out of range (0..{len(names) - 1})")
                out.append(names[int(v)])
            elif str(v) in names:
                out.append(str(v))
            else:
                raise ParameterError(f"{arg}: unknown column {v!r}; columns are: {', '.join(names)}")
        return out

    def _check_foldid(self, n: int) -> np.ndarray | None:
        if self.foldid is None:
            if not isinstance(self.nfolds, (int, np.integer)) or self.nfolds < 3:
                raise ParameterError(f"nfolds={self.nfolds!r} must be an integer >= 3 (glmnet's minimum; 10 is usual)")
            if self.nfolds > n:
                raise ParameterError(f"nfolds={self.nfolds} is larger than the number of rows ({n})")
            return None
        f = np.asarray(self.foldid).reshape(-1)
        if f.size != n:
            raise DataError(f"foldid has {f.size} values but the data has {n} rows")
        try:
            fi = f.astype(float)
        except (TypeError, ValueError):
            raise DataError("foldid must hold integers 1..K") from None
        if not np.isfinite(fi).all() or (fi != np.round(fi)).any() or fi.min() < 1:
            raise DataError("foldid must hold whole numbers 1..K (R's fold numbering starts at 1)")
        fi = fi.astype(int)
        K = int(fi.max())
        missing = sorted(set(range(1, K + 1)) - set(fi.tolist()))
        if missing:
            raise DataError(f"foldid: fold(s) {missing} have no rows; folds must be numbered 1..{K} with every fold used")
        if K < 3:
            raise DataError(f"foldid defines {K} folds; cv.glmnet needs at least 3")
        return fi

    def _prepare_y(self, y: Any, n: int, name: str = "y") -> tuple[Any, list | None]:
        fam = self.family
        if y is None:
            raise DataError(f"{type(self).__name__} requires y to be passed, but the target y is None")
        if fam == "cox":
            return _cox_y(y), None
        if fam == "mgaussian":
            a = np.asarray(y, dtype=float)
            if a.ndim != 2 or a.shape[1] < 2:
                raise DataError("family='mgaussian' needs a 2-D y with at least two response columns")
            if not np.isfinite(a).all():
                raise DataError("y holds NaN or inf")
            resp = [str(c) for c in y.columns] if isinstance(y, pd.DataFrame) else [f"y{k + 1}" for k in range(a.shape[1])]
            return a, resp
        if fam == "binomial" and np.ndim(y) == 2 and np.shape(y)[1] == 2:
            # glmnet's two-column binomial response: counts (or proportions), the second column the target class
            a = np.asarray(y, dtype=float)
            if not np.isfinite(a).all() or (a < 0).any():
                raise DataError("a two-column binomial y holds counts: finite and >= 0")
            if (a.sum(axis=1) == 0).any():
                raise DataError(f"a two-column binomial y has {int((a.sum(axis=1) == 0).sum())} row(s) with no trials")
            cols = [str(c) for c in y.columns] if isinstance(y, pd.DataFrame) else ["1", "2"]
            return a, cols
        if isinstance(y, pd.DataFrame):
            if y.shape[1] != 1:
                raise DataError(f"y has {y.shape[1]} columns; family={fam!r} needs one")
            y = y.iloc[:, 0]
        arr = np.asarray(y)
        if arr.ndim == 2 and arr.shape[1] == 1:
            arr = arr[:, 0]
        if arr.ndim != 1:
            raise DataError(f"y must be 1-D for family={fam!r}")
        if arr.shape[0] != n:
            raise DataError(f"y has {arr.shape[0]} values but X has {n} rows")
        if fam in ("binomial", "multinomial"):
            s = pd.Series(arr)
            if s.isna().any():
                raise DataError(f"target '{name}' has {int(s.isna().sum())} missing value(s)")
            classes = sorted(pd.unique(s), key=lambda v: (str(type(v)), v))
            if fam == "binomial" and len(classes) != 2:
                raise DataError(
                    f"target '{name}' has {len(classes)} distinct value(s) {[str(c) for c in classes][:10]}; "
                    "family='binomial' needs exactly two classes (use 'multinomial' for more)")
            if fam == "multinomial" and len(classes) < 2:
                raise DataError(f"target '{name}' has a single class; classification needs at least two")
            return pd.Categorical([str(v) for v in arr], categories=[str(c) for c in classes]), classes
        try:
            a = arr.astype(float)
        except (TypeError, ValueError):
            raise DataError(f"target '{name}' is not numeric; for classes use family='binomial' or 'multinomial'") from None
        if not np.isfinite(a).all():
            raise DataError(f"target '{name}' holds NaN or inf")
        if fam == "gaussian" and a.size and np.ptp(a) == 0:
            raise DataError(f"target '{name}' is constant; a gaussian glmnet cannot be fitted (R: 'y is constant')")
        if fam in ("poisson", "quasipoisson", "negative.binomial") and ((a < 0).any()):
            raise DataError(f"target '{name}' has negative values; a {fam} target must be >= 0 counts")
        if fam in ("Gamma", "inverse.gaussian") and (a <= 0).any():
            raise DataError(f"target '{name}' must be strictly positive for family={fam!r}")
        if fam == "quasibinomial" and ((a < 0) | (a > 1)).any():
            raise DataError(f"target '{name}' must hold proportions in [0, 1] for family='quasibinomial'")
        return a, None

    # ----------------------------------------------------------------- fit
    def fit(self, X: Any, y: Any = None, sample_weight: Any = None, offset: Any = None, strata: Any = None,
            progress: Callable[[int, int], None] | None = None) -> GlmnetCV:
        """Run ``cv.glmnet`` on (X, y) and read the selection at ``s``.

        ``X`` may be a scipy.sparse matrix (CSC/CSR): it reaches R as a ``dgCMatrix``
        without being densified. ``strata`` (cox): R's ``stratifySurv(y, strata)``.
        ``progress`` (the Gaussian gram engine): called as ``progress(done, total)``
        after each of its ``nfolds + 1`` path fits.
        """
        from sklearn_compat.utils.validation import validate_data  # noqa: PLC0415

        from ._provenance import provenance  # noqa: PLC0415

        y_name = str(getattr(y, "name", None) or "y")
        X = self._encode(X, reset=True)
        # glmnet needs a matrix with 2 or more columns and cv.glmnet at least 3 folds
        try:
            Xv = validate_data(self, X, reset=True, dtype=np.float64, ensure_all_finite=False, ensure_min_samples=3,
                               ensure_min_features=2, accept_sparse=("csc", "csr"))
        except ValueError as exc:  # too few rows or columns, non-numeric values: the data, not a bug
            shape = getattr(X, "shape", None)
            raise DataError(f"cv.glmnet needs a numeric matrix with at least 3 rows and 2 predictor columns"
                            f"{f', got {shape[0]} x {shape[1]}' if shape is not None and len(shape) == 2 else ''}: "
                            f"{exc}") from None
        Xv = Xv.tocsc() if _is_sparse(Xv) else np.asarray(Xv, dtype=np.float64)
        n, p = Xv.shape
        names = [str(c) for c in getattr(self, "feature_names_in_", [f"x{j}" for j in range(p)])]
        _check_x(Xv, names)
        from ._magnitude import check_magnitudes  # noqa: PLC0415 - issue 18: 1e300 / 1e-310 columns

        if not _is_sparse(Xv):
            check_magnitudes(Xv, names)
        prm = self._check_params(p, names)
        foldid = self._check_foldid(n)
        yr, classes = self._prepare_y(y, n, y_name)
        if self.family != "cox" and len(yr) != n:
            raise DataError(f"y has {len(yr)} rows but X has {n}")
        if self.family == "cox" and yr.shape[0] != n:
            raise DataError(f"y has {yr.shape[0]} rows but X has {n}")
        w = None
        if sample_weight is not None:
            w = np.asarray(sample_weight, dtype=float).reshape(-1)
            if w.size != n:
                raise DataError(f"sample_weight has {w.size} values for {n} rows")
            if not np.isfinite(w).all() or (w < 0).any():
                raise DataError("sample_weight must be finite and >= 0")
            if not (w > 0).any():
                raise DataError("Sample weights must contain at least one non-zero number (sample_weight sums to 0)")
        off = None
        if offset is not None:
            off = np.asarray(offset, dtype=float)
            if off.shape[0] != n or not np.isfinite(off).all():
                raise DataError(f"offset must be finite with {n} rows")
        if self.family in ("gaussian", "mgaussian"):  # glmnet standardises y too
            ya = np.asarray(yr, dtype=float).reshape(n, -1)
            check_magnitudes(ya, [y_name] if ya.shape[1] == 1 else [str(c) for c in (classes or range(ya.shape[1]))],
                             what="target")
        st = None
        if strata is not None:
            if self.family != "cox":
                raise ParameterError("strata= applies to family='cox' only (R's stratifySurv)")
            st = np.asarray(strata).reshape(-1)
            if st.size != n or pd.isna(pd.Series(st)).any():
                raise DataError(f"strata must have {n} values without missing ones")
            st = pd.Categorical([str(v) for v in st])
        constant = _constant_columns(Xv, names)
        opts = self._r_opts(prm, p)
        ynames = classes if self.family == "mgaussian" or (self.family == "binomial" and np.ndim(yr) == 2) else None
        out = self._run(Xv, yr, opts, prm, w, off, foldid, names, ynames=ynames, strata=st, progress=progress)
        excluded = list(out.get("excluded_by_function", prm["exclude"]))
        if callable(self.exclude) and excluded:  # exact=True refits on the full data: its exclusions
            opts = {**opts, "exclude": np.asarray([names.index(e) + 1 for e in excluded], dtype=np.int64)}
        used_r = out.get("fit") is not None
        prov = provenance(seed=self.seed, with_r=used_r)
        prov["engine"] = "r" if used_r else out.get("engine", self.engine)
        r_call = None
        if out.get("fit") is not None:
            from . import _r  # noqa: PLC0415

            r_call = _r.call("glmnet", "spg_call_text", out["fit"])
        res = LassoResult(
            out, family=self.family, alpha=prm["alpha"], s=self.s, s_gamma=self.s_gamma, feature_names=names,
            class_names=classes, constant=constant, excluded=excluded, kept=prm["keep"],
            penalty_factor=prm["pf"], provenance=prov, seed=self.seed, link=self.link,
            theta=None if self.theta is None else float(self.theta),
            data={"X": _x_for_r(Xv), "y": yr, "opts": opts, "weights": w, "offset": off, "strata": st,
                  "ynames": ynames}, r_call=r_call,
        )
        self._set_fitted(res, classes if self.family in ("binomial", "multinomial") else None)
        return self

    def _set_fitted(self, res: LassoResult, classes: list | None) -> None:
        self.result_ = res
        self.lambdas_ = res.lambdas
        self.lambda_min_ = res.lambda_min
        self.lambda_1se_ = res.lambda_1se
        self.cv_results_ = {"lambda": res.lambdas, "mean_score": res.cvm, "std_score": res.cvsd,
                            "upper": res.cvup, "lower": res.cvlo, "nzero": res.nzero}
        self.coef_ = res._coef_array(res.s_value, res.gamma_value)
        self.intercept_ = res._intercept_array(res.s_value, res.gamma_value)
        self.support_ = np.asarray(res.support, dtype=bool)
        if classes is not None:
            self.classes_ = np.asarray(classes)
        if not res.selected:
            where = res.s if isinstance(res.s, str) else f"s={res.s}"
            warnings.warn(
                f"no feature is selected at {where} (lambda = {_fmt(res.s_value)}): every coefficient is zero and "
                "the model is intercept-only. This is a valid result (the CV prefers the null model"
                + (" within one standard error)" if res.s == "lambda.1se" else ")")
                + ("; try s='lambda.min' or a smaller lambda if you need a model." if res.s == "lambda.1se"
                   else "; pass a smaller s (a number) if you need a model."),
                NothingSelectedWarning, stacklevel=3,
            )

    def _r_opts(self, prm: dict[str, Any], p: int) -> dict[str, Any]:
        """cv.glmnet/glmnet options in R's names; defaults are left out so the stored call stays short."""
        o: dict[str, Any] = {}
        if self.family != "gaussian" or self.link is not None:
            o["family"] = self.family
        if self.link is not None:
            o["spg.link"] = str(self.link)
        if self.theta is not None:
            o["spg.theta"] = float(self.theta)
        if prm["alpha"] != 1.0:
            o["alpha"] = prm["alpha"]
        if prm["lambda"] is not None:
            o["lambda"] = prm["lambda"]
        elif self.nlambda != 100:
            o["nlambda"] = int(self.nlambda)
        if self.lambda_min_ratio is not None and prm["lambda"] is None:
            o["lambda.min.ratio"] = float(self.lambda_min_ratio)
        if self.type_measure != "default":
            o["type.measure"] = self.type_measure
        if not self.standardize:
            o["standardize"] = False
        if not self.fit_intercept:
            o["intercept"] = False
        if not np.all(prm["pf"] == 1.0):
            o["penalty.factor"] = prm["pf"]
        if prm["exclude"]:
            names = list(getattr(self, "feature_names_in_", [])) or [f"x{j}" for j in range(p)]
            o["exclude"] = np.asarray([names.index(e) + 1 for e in prm["exclude"]], dtype=np.int64)
        for nm, rn in (("lower_limits", "lower.limits"), ("upper_limits", "upper.limits")):
            v = prm[nm]
            if np.isfinite(v).any():
                o[rn] = float(v[0]) if v.size == 1 else v
        if self.relax:
            o["relax"] = True
            if self.gamma is not None:
                o["gamma"] = np.asarray(self.gamma, dtype=float).reshape(-1)
        if float(self.thresh) != 1e-7:
            o["thresh"] = float(self.thresh)
        if int(self.maxit) != 100000:
            o["maxit"] = int(self.maxit)
        if self.family == "multinomial" and self.type_multinomial == "grouped":
            o["type.multinomial"] = "grouped"
        if not self.grouped:
            o["grouped"] = False
        if self.keep_preval:
            o["keep"] = True
        if self.alignment != "lambda":
            o["alignment"] = self.alignment
        if self.dfmax is not None:
            o["dfmax"] = int(self.dfmax)
        if self.pmax is not None:
            o["pmax"] = int(self.pmax)
        if self.type_logistic != "Newton":
            o["type.logistic"] = self.type_logistic
        if self.standardize_response:
            o["standardize.response"] = True
        return o

    def _r_only(self) -> bool:
        """Options only R's cv.glmnet has (the fast engines then fall back to R)."""
        return (callable(self.exclude) or not self.grouped or self.keep_preval or self.alignment != "lambda"
                or self.dfmax is not None or self.pmax is not None or self.type_logistic != "Newton")

    def _run(self, X, y, opts, prm, w, off, foldid, names, ynames=None, strata=None, progress=None) -> CVGlmnetOutput:  # noqa: ANN001
        n = X.shape[0]
        out = None
        fast = (self.engine == "gram" and not self.relax and self.link is None and self.theta is None
                and not self._r_only() and not _is_sparse(X) and strata is None and np.ndim(y) == 1 and (
                    (self.family == "gaussian" and off is None) or self.family in ("binomial", "poisson")))
        if fast:
            # the fast engines need no R: R's folds for a seed come from statprune._rng
            from ._rng import r_sample_folds  # noqa: PLC0415
            from .engines.glmpath import cv_glmnet_glm  # noqa: PLC0415
            from .engines.gram import cv_glmnet_gram  # noqa: PLC0415
            from .errors import GlmNotSupported, GramNotSupported  # noqa: PLC0415

            if foldid is not None:
                fid = foldid
            elif self.seed is not None:
                fid = r_sample_folds(n, int(self.nfolds), int(self.seed))
            else:
                fid = np.random.default_rng().permutation(np.resize(np.arange(1, int(self.nfolds) + 1), n))
            kw = dict(weights=w, foldid=fid, alpha=prm["alpha"], lambda_=prm["lambda"], nlambda=int(self.nlambda),
                      lambda_min_ratio=self.lambda_min_ratio, standardize=bool(self.standardize),
                      fit_intercept=bool(self.fit_intercept), penalty_factor=prm["pf"],
                      lower_limits=prm["lower_limits"], upper_limits=prm["upper_limits"], thresh=float(self.thresh),
                      maxit=int(self.maxit), exclude_idx=[names.index(e) for e in prm["exclude"]],
                      type_measure=self.type_measure)
            try:
                if self.family == "gaussian":
                    return cv_glmnet_gram(X, y, progress=progress, **kw)
                y01 = (np.asarray(y.codes) == 1).astype(float) if self.family == "binomial" else y
                out = cv_glmnet_glm(X, y01, family=self.family, offset=off, **kw)
            except (GramNotSupported, GlmNotSupported):
                # what the fast engines do not cover (MAE, tiny folds, maxit...) runs in R, silently,
                # with the same folds (R's own draw for the seed)
                foldid = fid
        if out is None:
            from . import _r  # noqa: PLC0415

            _r.require_r_packages("glmnet", *(("survival",) if self.family == "cox" else ()))
            excl_table = None
            if callable(self.exclude):
                fid = foldid if foldid is not None else np.asarray(
                    _r.call("glmnet", "spg_draw_foldid", n, int(self.nfolds), self.seed), dtype=int)
                excl_table = self._exclude_table(X, y, w, fid, names)
                opts = {**opts, "exclude": excl_table[0] if excl_table[0].size else None}
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                out = _r.call("glmnet", "spg_cv_fit", _x_for_r(X), y, opts, weights=w, offset=off, foldid=foldid,
                              seed=None if self.seed is None else int(self.seed), nfolds=int(self.nfolds),
                              dimnames_x=names, ynames=ynames, strata=strata,
                              exclude_table=None if excl_table is None else {f"fold{k}": v for k, v in enumerate(excl_table)},
                              _context="cv.glmnet")
            if excl_table is not None:
                out["excluded_by_function"] = [names[j - 1] for j in excl_table[0]]
            seen: set[str] = set()
            for wmsg in caught:
                if str(wmsg.message) not in seen:
                    seen.add(str(wmsg.message))
                    _reissue(wmsg, self.family)
        dr = np.asarray(out.get("dev_ratio", []), dtype=float).reshape(-1)
        if self.family in ("binomial", "multinomial") and dr.size and dr[-1] >= 0.99:
            warnings.warn(
                f"the classes are (almost) perfectly separated: the full-data fit explains {100 * dr[-1]:.2f}% of the "
                f"deviance at lambda = {_fmt(float(np.asarray(out['lambda']).reshape(-1)[-1]))} and glmnet stopped the path "
                "there (glmnet.control()$devmax = 0.999). glmnet itself gives no warning; R's glm() would say "
                "'glm.fit: fitted probabilities numerically 0 or 1 occurred'. Coefficients at small lambda are unstable "
                "(they diverge as lambda -> 0); prefer s='lambda.1se' and do not interpret their size.",
                PerfectSeparationWarning, stacklevel=3,
            )
        return out

    def _exclude_table(self, X, y, w, foldid, names) -> list[np.ndarray]:  # noqa: ANN001
        """``exclude`` as a function, as glmnet 4.1 calls it: ``exclude(x, y, weights)`` on the
        full data and on each fold's training rows (cv.glmnet refits glmnet per fold). statprune
        calls the Python function at those same rows and hands R the answers (1-based column
        indices), which R's exclude function looks up by the rows it is given."""
        n = X.shape[0]
        wts = np.ones(n) if w is None else w
        table = []
        for k in range(int(np.max(foldid)) + 1):
            rows = np.arange(n) if k == 0 else np.flatnonzero(foldid != k)
            got = self.exclude(X[rows], y[rows] if not isinstance(y, pd.Categorical) else y[rows], wts[rows])
            idx = self._names_arg([] if got is None else list(np.atleast_1d(got)), "exclude (function)", names)
            table.append(np.asarray(sorted({names.index(v) + 1 for v in idx}), dtype=np.int64))
        return table

    # ----------------------------------------------------------------- predict
    def _check_X(self, X: Any) -> np.ndarray:
        from sklearn_compat.utils.validation import validate_data  # noqa: PLC0415

        check_is_fitted(self, "result_")
        X = self._encode(X, reset=False)
        Xv = validate_data(self, X, reset=False, dtype=np.float64, ensure_all_finite=False,
                           accept_sparse=("csc", "csr"))
        Xv = Xv.tocsc() if _is_sparse(Xv) else np.asarray(Xv, dtype=np.float64)
        _check_x(Xv, self.result_.feature_names)
        return Xv

    def predict(self, X: Any, offset: Any = None) -> np.ndarray:
        """Predictions at ``s``: the mean for gaussian/poisson (R's ``type="response"``),
        class labels for binomial/multinomial (``type="class"``), the linear predictor for cox."""
        Xv = self._check_X(X)
        res = self.result_
        if res.family in ("binomial", "multinomial"):
            lab = res.predict(Xv, type="class", offset=offset)
            return _labels_as(lab, self.classes_)
        if res.family == "cox":
            return res.predict(Xv, type="link", offset=offset)
        return res.predict(Xv, type="response", offset=offset)

    def _is_classifier_family(self) -> bool:
        return self.family in ("binomial", "multinomial")

    def _encode(self, X: Any, *, reset: bool) -> Any:
        """Text / categorical columns of a DataFrame: refused, or R's treatment dummies (``categorical``)."""
        if hasattr(X, "to_pandas") and not isinstance(X, pd.DataFrame):  # polars, pyarrow
            X = X.to_pandas()
        if not isinstance(X, pd.DataFrame):
            return X
        from .engines.stepwise.categorical import TreatmentEncoder, non_numeric_columns  # noqa: PLC0415

        if reset:
            self.encoder_ = None
            if self.categorical not in ("error", "treatment"):
                raise ParameterError(f"categorical={self.categorical!r}; use 'error' or 'treatment'")
            cats = non_numeric_columns(X)
            if not cats:
                return X
            if self.categorical == "error":
                desc = ", ".join(f"'{c}' ({X[c].dtype})" for c in cats)
                raise DataError(f"non-numeric column(s) {desc}: glmnet needs numbers; pass categorical='treatment' "
                                "for R's treatment dummies (model.matrix), or encode or drop them")
            self.encoder_ = TreatmentEncoder().fit(X)
            return self.encoder_.transform(X)
        enc = getattr(self, "encoder_", None)
        return X if enc is None else enc.transform(X)

    def transform(self, X: Any) -> Any:
        """The kept columns (of the dummies, with ``categorical="treatment"``)."""
        return super().transform(self._encode(X, reset=False))

    def set_params(self, **params: Any) -> GlmnetCV:
        """scikit-learn's ``set_params``; on a fitted estimator a new ``s`` also moves the selection,
        ``coef_`` and ``predict`` to it (no refit: the lambda path is the same), e.g.
        ``GlmnetCV.from_rds(p).set_params(s="lambda.1se")`` predicts at lambda.1se."""
        super().set_params(**params)
        if "s" in params and hasattr(self, "result_") and params["s"] != self.result_.s:
            self._set_fitted(self.result_.with_s(params["s"]), list(getattr(self, "classes_", [])) or None)
        return self

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """The deviance explained at ``s`` on (X, y), so that ``cross_val_score`` works; higher is better.

        ``1 - D(y, fitted) / D(y, null)``: glmnet's ``dev.ratio`` computed on these rows, with the null
        model the (weighted) mean of y. For gaussian that is the coefficient of determination R^2
        (``sklearn.metrics.r2_score``); binomial and multinomial use the binomial / multinomial
        deviance (log loss), poisson the poisson deviance. 1 is a perfect fit, 0 no better than
        the mean, negative worse. mgaussian and cox: not defined (ParameterError; use
        ``result_.assess()``).

        Examples
        --------
        >>> from sklearn.model_selection import cross_val_score
        >>> from statprune import GlmnetCV, datasets
        >>> d = datasets.load_boston()
        >>> scores = cross_val_score(GlmnetCV(seed=1), d.drop(columns="medv"), d["medv"], cv=3)  # doctest: +SKIP
        """
        from sklearn.metrics import log_loss, mean_poisson_deviance, r2_score  # noqa: PLC0415

        fam = self.result_.family if hasattr(self, "result_") else self.family
        y_arr = np.asarray(y)
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        if fam == "gaussian":
            return float(r2_score(y_arr.astype(float), self.predict(X), sample_weight=w))
        if fam in ("binomial", "multinomial"):
            proba = self.predict_proba(X)
            labels = list(self.classes_)
            freq = np.array([np.average(y_arr == c, weights=w) for c in labels])
            dev = log_loss(y_arr, proba, labels=labels, sample_weight=w)
            dev0 = log_loss(y_arr, np.tile(freq, (len(y_arr), 1)), labels=labels, sample_weight=w)
            return float(1.0 - dev / dev0) if dev0 > 0 else 0.0
        if fam == "poisson":
            yv = y_arr.astype(float)
            dev = mean_poisson_deviance(yv, self.predict(X), sample_weight=w)
            dev0 = mean_poisson_deviance(yv, np.full_like(yv, np.average(yv, weights=w)), sample_weight=w)
            return float(1.0 - dev / dev0) if dev0 > 0 else 0.0
        raise ParameterError(f"score() is not defined for family={fam!r}; use result_.assess() instead")

    @available_if(_is_classifier_family)
    def predict_proba(self, X: Any, offset: Any = None) -> np.ndarray:
        """Class probabilities at ``s`` (binomial: two columns, as scikit-learn)."""
        Xv = self._check_X(X)
        res = self.result_
        if res.family not in ("binomial", "multinomial"):
            raise ParameterError(f"predict_proba needs a binomial or multinomial fit, not {res.family}")
        pr = res.predict(Xv, type="response", offset=offset)
        if res.family == "binomial":
            return np.column_stack([1.0 - pr, pr])
        return pr

    def decision_function(self, X: Any, offset: Any = None) -> np.ndarray:
        """The linear predictor at ``s`` (R's ``type="link"``)."""
        Xv = self._check_X(X)
        return self.result_.predict(Xv, type="link", offset=offset)

    # ----------------------------------------------------------------- from R
    @classmethod
    def from_rds(cls, path: Any, s: str | float | None = None) -> GlmnetCV:
        """Load a ``cv.glmnet`` (or ``glmnet``) object saved by R with ``saveRDS()``.

        The returned estimator is fitted: ``result_``, ``coef_``, ``predict`` work.
        Anything else in the file raises :class:`~statprune.errors.DataError`.

        The file is checked in Python before R reads it (:mod:`statprune._rds_check`): only
        the data a glmnet fit consists of is accepted, never code (functions, promises,
        environments, byte code, external pointers; a fit made with a family *function*
        such as ``binomial()`` holds closures and is refused: refit with
        ``family = "binomial"``). See docs/security.md.
        """
        import os  # noqa: PLC0415

        from . import _r  # noqa: PLC0415
        from ._provenance import provenance  # noqa: PLC0415

        p = os.fspath(path)
        if not os.path.isfile(p):
            raise DataError(f"RDS file {p!r} does not exist")
        from ._rds_check import checked_rds_bytes  # noqa: PLC0415

        # a file from someone else must never run code: check the serialized stream in Python
        # (data only, glmnet's classes) before R deserializes it, then hand R those exact bytes
        stream = checked_rds_bytes(p)
        _r.require_r_packages("glmnet")
        try:
            got = _r.call("glmnet", "spg_unserialize_checked", stream, _context="unserialize")
        except Exception as exc:  # RError: not an RDS file
            raise DataError(f"{p!r} could not be read as an RDS file: {exc}") from exc
        rcls = [str(c) for c in np.atleast_1d(got["class"])]
        obj = got["obj"]
        if "cv.glmnet" in rcls:
            out = _r.call("glmnet", "spg_extract", obj)
        elif "glmnet" in rcls:
            out = _r.call("glmnet", "spg_extract_plain", obj)
        else:
            raise DataError(f"{p!r} holds an R object of class {rcls}, not a cv.glmnet or glmnet fit; "
                            "save the result of cv.glmnet() (or glmnet()) with saveRDS()")
        out["fit"] = obj
        fam = str(out["family"])
        link = None if out.get("link") is None else str(out["link"])
        theta = None if out.get("theta") is None else float(out["theta"])
        if fam not in ALL_FAMILIES:
            raise DataError(f"{p!r}: glmnet family {fam!r} is not supported (supported: {', '.join(ALL_FAMILIES)})")
        fn = out.get("feature_names")
        beta = np.asarray(out["beta"])
        pdim = beta.shape[-2] if beta.ndim >= 2 else 1
        names = [str(v) for v in np.atleast_1d(fn)] if fn is not None else [f"V{j + 1}" for j in range(pdim)]
        alpha = out.get("alpha")
        if s is None:
            s = "lambda.min" if "cv.glmnet" in rcls else float(np.asarray(out["lambda"]).reshape(-1)[-1])
        est = cls(family=fam, alpha=1.0 if alpha is None or (isinstance(alpha, float) and math.isnan(alpha)) else alpha, s=s,
                  link=link, theta=theta)
        cn = out.get("class_names")
        classes = None if cn is None or fam not in ("binomial", "multinomial", "mgaussian") else [str(c) for c in np.atleast_1d(cn)]
        if classes is None and fam in ("binomial", "quasibinomial") and link is not None:
            classes = ["0", "1"]  # a glmnetfit keeps no class names: R's binomial()$initialize reads y > levels[1]
        prov = provenance(seed=None, with_r=True)
        prov["source"] = os.path.abspath(p)
        r_call = _r.call("glmnet", "spg_call_text", obj)
        res = LassoResult(out, family=fam, alpha=est.alpha, s=s, feature_names=names, class_names=classes,
                          provenance=prov, r_call=r_call, link=link, theta=theta)
        est.feature_names_in_ = np.asarray(names, dtype=object) if fn is not None else None
        if est.feature_names_in_ is None:
            del est.feature_names_in_
        est.n_features_in_ = len(names)
        est._set_fitted(res, classes if fam in ("binomial", "multinomial", "quasibinomial") else None)
        return est


def _as_x(X: Any) -> Any:
    return X.tocsc() if _is_sparse(X) else np.asarray(X, dtype=float)


def _is_sparse(X: Any) -> bool:
    import scipy.sparse as sp  # noqa: PLC0415

    return sp.issparse(X)


def _x_for_r(X: Any) -> Any:
    """A dense matrix as is; a scipy.sparse matrix as its CSC parts, which the bridge
    (``spg_x``) turns into a ``dgCMatrix`` without densifying."""
    if not _is_sparse(X):
        return X
    c = X.tocsc()
    c.sort_indices()
    return {"spg.sparse": True, "i": c.indices.astype(np.int32), "p": c.indptr.astype(np.int32),
            "x": c.data.astype(np.float64), "dim": np.asarray(c.shape, dtype=np.int32)}


def _check_x(X: Any, names: Sequence[str]) -> None:
    from ._data import check_matrix  # noqa: PLC0415

    if not _is_sparse(X):
        check_matrix(X, names)
        return
    bad = ~np.isfinite(X.data)
    if bad.any():
        cols = np.repeat(np.arange(X.shape[1]), np.diff(X.indptr))[bad]
        raise DataError(f"predictor column(s) {sorted({names[j] for j in cols})} contain NaN or inf")


def _constant_columns(X: Any, names: Sequence[str]) -> list[str]:
    from ._data import constant_columns  # noqa: PLC0415

    if not _is_sparse(X):
        return constant_columns(X, names)
    n = X.shape[0]
    out = []
    for j in range(X.shape[1]):
        v = X.data[X.indptr[j]:X.indptr[j + 1]]
        vals = np.unique(v if v.size == n else np.r_[v, 0.0])
        if vals.size <= 1:
            out.append(names[j])
    return out


def _labels_as(lab: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Map the string labels used in R back to the original class values (and dtype)."""
    m = {str(c): c for c in classes}
    return np.asarray([m[str(v)] for v in lab], dtype=classes.dtype)


_SEPARATION_HINTS = ("fitted probabilities numerically 0 or 1", "perfect separation", "saturated")


def _reissue(wmsg: warnings.WarningMessage, family: str) -> None:
    text = str(wmsg.message)
    low = text.lower()
    if family in ("binomial", "multinomial") and any(h in low for h in _SEPARATION_HINTS):
        warnings.warn(text, PerfectSeparationWarning, stacklevel=4)
    elif "dangerous ground" in low:
        warnings.warn(text, SelectionWarning, stacklevel=4)
    elif "convergence" in low or "not reached" in low or "maxit" in low:
        warnings.warn(text, ConvergenceWarning, stacklevel=4)
    else:
        warnings.warn_explicit(wmsg.message, wmsg.category, wmsg.filename, wmsg.lineno)


# --------------------------------------------------------------------------- table entry point (CLI)
def cv_glmnet_table(
    data: Any,
    target: str | Sequence[str],
    *,
    family: str = "gaussian",
    alpha: float = 1.0,
    nfolds: int = 10,
    foldid_column: str | None = None,
    weights_column: str | None = None,
    seed: int | None = None,
    type_measure: str = "default",
    s: str | float = "lambda.min",
    keep: Sequence[str] = (),
    exclude: Sequence[str] = (),
    penalty_factor: Mapping[str, float] | None = None,
    nlambda: int = 100,
    drop_missing: bool = False,
    engine: str = "r",
    categorical: str = "error",
    na_values: Sequence[str] | str | None = None,
    offset_column: str | None = None,
    strata_column: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    **params: Any,
) -> LassoResult:
    """Cross-validated glmnet on a table: every column other than the target, fold and
    weight columns is a predictor, in file order (what ``statprune lasso`` runs).

    ``target`` is a column name, or ``"time,status"`` / ``"start,stop,status"`` for
    ``family="cox"`` (``strata_column``: R's ``stratifySurv``), or two count columns for
    a two-column binomial response (glmnet's convention: the second column is the
    target class, e.g. ``"failures,successes"``).
    ``offset_column`` is a column of offsets (R's ``offset``); ``params`` are any other
    :class:`GlmnetCV` parameters (``relax``, ``gamma``, ``s_gamma``, ``lambda_``,
    ``lambda_min_ratio``, ``standardize``, ``fit_intercept``, ``lower_limits``, ...);
    ``progress``: see :meth:`GlmnetCV.fit`.

    Examples
    --------
    >>> from statprune import datasets
    >>> res = cv_glmnet_table(datasets.path("boston"), "medv", seed=42)
    >>> round(res.lambda_min, 6), res.pruned
    (0.021185, ['indus', 'age'])
    """
    from ._data import prepare_xy  # noqa: PLC0415

    targets = [t.strip() for t in target.split(",")] if isinstance(target, str) else list(target)
    if family == "cox" and len(targets) not in (2, 3):
        raise ParameterError("family='cox' needs --target time,status or start,stop,status")
    if family == "binomial" and len(targets) not in (1, 2):
        raise ParameterError("family='binomial' needs one target column, or two count columns (failures,successes)")
    if family not in ("cox", "mgaussian", "binomial") and len(targets) != 1:
        raise ParameterError(f"family={family!r} needs a single target column, got {targets}")
    if strata_column is not None and family != "cox":
        raise ParameterError("--strata-column applies to --family cox only (R's stratifySurv)")
    prep = prepare_xy(data, targets if len(targets) > 1 else targets[0],
                      extra_columns=[foldid_column, weights_column, offset_column, strata_column],
                      drop_missing=drop_missing,
                      categorical=categorical, na_values=na_values)  # type: ignore[arg-type]
    foldid = prep.extra[foldid_column].to_numpy() if foldid_column else None
    w = prep.extra[weights_column].to_numpy(dtype=float) if weights_column else None
    if w is not None:  # name the column the user gave, not the estimator's sample_weight
        bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
        if bad.size:
            raise DataError(f"weights column '{weights_column}' has {bad.size} negative or non-finite value(s) "
                            f"(first at data row {int(bad[0]) + 1}: {w[bad[0]]!r}); case weights must be >= 0")
        if not (w > 0).any():
            raise DataError(f"weights column '{weights_column}' is zero in every row; at least one weight must be > 0")
    off = prep.extra[offset_column].to_numpy(dtype=float) if offset_column else None
    y = prep.y
    if family == "cox" or (family == "binomial" and len(targets) == 2):
        y = prep.y.to_numpy(dtype=float) if family == "cox" else prep.y.astype(float)
    if isinstance(s, str):
        try:
            s = float(s)
        except ValueError:
            pass
    est = GlmnetCV(family=family, alpha=alpha, nfolds=nfolds, foldid=foldid, seed=seed, type_measure=type_measure,
                   s=s, keep=list(keep) or None, exclude=list(exclude) or None,
                   penalty_factor=dict(penalty_factor) if penalty_factor else None, nlambda=nlambda, engine=engine)
    bad = sorted(set(params) - set(est.get_params()))
    if bad:
        raise ParameterError(f"unknown GlmnetCV parameter(s) {bad}")
    est.set_params(**params)
    st = prep.extra[strata_column].to_numpy() if strata_column else None
    est.fit(prep.X, y, sample_weight=w, offset=off, progress=progress, **({"strata": st} if st is not None else {}))
    est.result_.missing = dict(prep.missing)
    return est.result_


def demo_text(seed: int = 42) -> str:
    """What ``statprune demo`` prints: CV Lasso on the Boston data with ``seed``, and the R code."""
    from . import datasets  # noqa: PLC0415

    d = datasets.load_boston()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NothingSelectedWarning)
        est = GlmnetCV(seed=seed).fit(d.drop(columns="medv"), d["medv"])
    r = est.result_
    fr = r.to_frame()[["coef_lambda_min", "coef_lambda_1se", "selected"]]
    nz1 = fr["coef_lambda_1se"] != 0
    k1, p1 = list(fr.index[nz1]), list(fr.index[~nz1])
    prov = r.provenance
    lines = [
        f"Cross-validated Lasso on the Boston housing data (MASS::Boston, n = {len(d)}, target medv), "
        f"10-fold CV with set.seed({seed}) in R, glmnet {prov.get('glmnet_version')} on R {prov.get('r_version')}",
        "",
        f"lambda.min = {r.lambda_min:.10g}   (CV MSE {r.cvm[r.index_min - 1]:.6g}, {r.nzero[r.index_min - 1]} features)",
        f"lambda.1se = {r.lambda_1se:.10g}   (CV MSE {r.cvm[r.index_1se - 1]:.6g}, {r.nzero[r.index_1se - 1]} features)",
        "",
        f"kept at lambda.min ({len(r.selected)}):   {', '.join(r.selected)}",
        f"pruned at lambda.min ({len(r.pruned)}): {', '.join(r.pruned) or '(none)'}",
        f"kept at lambda.1se ({len(k1)}):    {', '.join(k1) or '(none)'}",
        f"pruned at lambda.1se ({len(p1)}):  {', '.join(p1) or '(none)'}",
        "",
        "Coefficients:",
        fr.to_string(float_format=lambda v: f"{v:11.6f}"),
        "",
        "The same analysis in R (identical numbers):",
        "",
        r.r_code(data="boston.csv", target="medv"),
        "Python:  GlmnetCV(seed=42).fit(X, y).result_.summary()",
        "CLI:     statprune lasso boston.csv --target medv --seed 42 --json -",
    ]
    return "\n".join(lines)
