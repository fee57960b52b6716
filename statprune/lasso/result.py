"""LassoResult: a cross-validated glmnet selection, what ``cv.glmnet`` returns, in Python.

:class:`LassoResult` is built by :class:`~statprune.lasso.GlmnetCV` from the
:data:`CVGlmnetOutput` numbers a backend returns (R's ``cv.glmnet`` through
:mod:`statprune.lasso._backend_r`, or a fast engine). It reads the selection at ``s``
(``coef(fit, s=)``'s interpolation), predicts, and, when the R fit is attached, runs R's
``assess.glmnet``, ``roc.glmnet``, ``confusion.glmnet`` and ``saveRDS``.
"""

from __future__ import annotations

import copy
import html
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np

from .._glmnet.families import GLM_FAMILIES, LINKS, linkinv
from .._glmnet.rules import interpolate
from .._rcode import r_string
from ..errors import DataError, ParameterError
from ..results import Result
from . import _backend_r
from ._inputs import as_x, y_for_r

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CVGlmnetOutput", "LassoResult"]

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



def _fmt(x: float) -> str:
    return f"{x:.6g}"


class LassoResult(Result):
    """A cross-validated glmnet selection (what ``cv.glmnet`` returns, in Python).

    Built by :class:`GlmnetCV` (``est.result_``); not usually created directly. On the
    shared result base (:class:`statprune.results.Result`): :meth:`to_dict`,
    ``to_json(path=None, indent=2)``, :meth:`to_frame`, ``summary()`` (text that renders as
    HTML in a notebook).

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
            state["_fit_bytes"] = _backend_r.to_bytes(fit)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        raw = state.pop("_fit_bytes", None)
        self.__dict__.update(state)
        self._fit = None
        if raw is not None:
            self._fit = _backend_r.from_bytes(raw)

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
        return interpolate(self.beta, self.lambdas, lam)

    def _intercept_array(self, lam: float, gamma: float | None = None) -> np.ndarray | float:
        if self.relaxed and gamma is not None and gamma != 1.0:
            cf = self._r_coef(lam, exact=False, gamma=gamma)
            return cf[:, 0] if cf.ndim == 2 else float(cf[0])
        a = interpolate(self.a0, self.lambdas, lam)
        return float(a) if np.ndim(a) == 0 else a

    def _r_coef(self, lam: float, exact: bool, gamma: float | None = None) -> np.ndarray:
        if self._fit is None:
            raise ParameterError("this result has no R fit attached (engine='gram'); refit with engine='r'")
        if exact:
            if self._data is None:
                raise ParameterError("exact=True needs the original data, which this result does not hold")
            return _backend_r.coef_exact(self._fit, lam, self._data, self.feature_names)
        return _backend_r.coef_interp(self._fit, lam, gamma=gamma)

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
        import pandas as pd  # noqa: PLC0415 - deferred: frames are built on request; a fit needs no pandas

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
        Xa = as_x(X)
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
            return _backend_r.r_linkinv(self._fit, eta)
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
        import pandas as pd  # noqa: PLC0415 - deferred: frames are built on request; a fit needs no pandas

        raw = self._assess_raw(X, y, s, sample_weight, offset)
        return pd.DataFrame({"measure": list(raw), "name": [v["name"] for v in raw.values()],
                             "value": [v["value"] for v in raw.values()]})

    def _assess_raw(self, X: Any, y: Any, s: str | float | None, sample_weight: Any,
                    offset: Any) -> dict[str, dict[str, Any]]:
        self._need_fit("assess")
        lam = self._lambda_of(self.s if s is None else s)
        yr = y_for_r(self.family, y, self.class_names)
        return _backend_r.assess(self._fit, as_x(X), yr, self.family, lam, weights=sample_weight, offset=offset)

    def roc(self, y: Any, X: Any = None, s: str | float | None = None) -> pd.DataFrame:
        """R's ``roc.glmnet`` (binomial): the ROC curve as columns ``FPR``, ``TPR``.

        Without ``X``: on the prevalidated fits (``keep_preval=True``; R's
        ``roc.glmnet(fit$fit.preval, newy = y)[[index]]``) at the lambda of ``s``
        (``"lambda.min"``/``"lambda.1se"``: R's ``fit$index``). With ``X``: on new
        data at ``s`` (R's ``roc.glmnet(fit, newx, newy, s)``).
        """
        import pandas as pd  # noqa: PLC0415 - deferred: frames are built on request; a fit needs no pandas

        self._need_fit("roc")
        if self.family != "binomial":
            raise ParameterError(f"roc() needs a binomial fit, not {self.family} (R's roc.glmnet)")
        s = self.s if s is None else s
        yr = y_for_r(self.family, y, self.class_names)
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
            res = _backend_r.roc(self._fit, yr, index=int(idx))
        else:
            res = _backend_r.roc(self._fit, yr, X=as_x(X), lam=self._lambda_of(s))
        return pd.DataFrame(res)

    def confusion(self, X: Any, y: Any, s: str | float | None = None, offset: Any = None) -> pd.DataFrame:
        """R's ``confusion.glmnet``: confusion table (rows Predicted, columns True) at ``s``."""
        import pandas as pd  # noqa: PLC0415 - deferred: frames are built on request; a fit needs no pandas

        self._need_fit("confusion")
        if self.family not in ("binomial", "multinomial"):
            raise ParameterError(f"confusion() needs a binomial or multinomial fit, not {self.family}")
        lam = self._lambda_of(self.s if s is None else s)
        yr = y_for_r(self.family, y, self.class_names)
        tab, pred, true = _backend_r.confusion(self._fit, as_x(X), yr, lam, offset=offset)
        return pd.DataFrame(tab, index=pd.Index(pred, name="Predicted"), columns=pd.Index(true, name="True"))

    def save_rds(self, path: Any) -> Any:
        """Write the real ``cv.glmnet`` object to ``path`` (atomically) for ``readRDS()`` in R.

        R serializes the fit (what ``saveRDS()`` writes: version 3, XDR, gzip); statprune
        writes the file with :func:`statprune._json.write_atomic`: a full disk or any other
        failure raises ``OSError`` naming ``path`` and leaves an existing file intact; ``-``
        is standard output, a character device or FIFO is written in place.
        """
        self._need_fit("save_rds")
        return _backend_r.write_rds(self._fit, path)

    def _need_fit(self, what: str) -> None:
        if self._fit is None:
            raise ParameterError(f"{what}() needs the R fit, which this result does not hold (engine='gram'); refit with engine='r'")

    # ----------------------------------------------------------------- tables & text
    def to_frame(self) -> pd.DataFrame:
        """One row per feature: coefficient at lambda.min and lambda.1se, selected at ``s``, penalty factor, note."""
        import pandas as pd  # noqa: PLC0415 - deferred: frames are built on request; a fit needs no pandas

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
        import pandas as pd  # noqa: PLC0415 - deferred: frames are built on request; a fit needs no pandas

        return pd.DataFrame({"lambda": self.lambdas, "cvm": self.cvm, "cvsd": self.cvsd, "cvup": self.cvup,
                             "cvlo": self.cvlo, "nzero": self.nzero, "dev_ratio": self.dev_ratio})

    def coefficients_at_s(self) -> dict[str, Any]:
        """``{name: value}`` at ``s`` incl. "(Intercept)", zero for pruned features;
        ``{class: {name: value}}`` for multinomial/mgaussian."""
        import pandas as pd  # noqa: PLC0415 - deferred: frames are built on request; a fit needs no pandas

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

    def _summary_text(self) -> str:
        """The text of :meth:`summary`: R's ``print.cv.glmnet`` layout plus the selection."""
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

    def _summary_html(self) -> str:
        head = (f"<p><b>cv.glmnet</b> family={html.escape(self.family)}, alpha={self.alpha}, "
                f"measure={html.escape(str(self.measure_name))}; lambda.min={_fmt(self.lambda_min)}, "
                f"lambda.1se={_fmt(self.lambda_1se)}; at s={html.escape(str(self.s))}: "
                f"{len(self.selected)} of {len(self.feature_names)} kept</p>")
        return head + self.to_frame().to_html(float_format=lambda v: f"{v:.6g}")

    def r_code(self, data: str = "data.csv", target: str = "y") -> str:
        """R code that reproduces this analysis (for an R colleague)."""
        # r_string escapes every user string: never pasted into R code
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

