"""``stabsel`` and the :class:`StabilitySelection` selector: checks, subsamples, fits, result."""

from __future__ import annotations

import math
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectorMixin
from sklearn.utils.validation import check_is_fitted

from .._data import check_matrix
from .._glmnet.families import resolve_family
from .._glmnet.params import DEFAULTS, lambda_min_ratio as default_lambda_min_ratio
from .._glmnet.rules import lambda_sequence
from .._provenance import provenance
from .._validation import check_target, validate_data
from ..errors import DataError, ParameterError
from .bounds import Assumption, SamplingType, stabsel_parameters
from .fits import aggregate, run_fits
from .result import StabilityResult
from .subsample import check_folds, subsample_folds

__all__ = ["stabsel", "StabilitySelection"]


_FAMILIES = ("gaussian", "binomial", "poisson")  # the families stabs' glmnet.lasso is run with here


def _prepare_y(y: Any, family: str, n: int) -> tuple[np.ndarray, list[Any] | None]:
    """The target as the base learner takes it (binomial: 1.0 for R's second factor level) and its classes.

    The rule is :func:`statprune._validation.check_target`'s, as for GlmnetCV; glmnet's
    own refusals (a constant target) are left to the subsample fits, which stabs drops
    with a warning when they fail.
    """
    t = check_target(y, family, n=n, glmnet=False, caller="stabsel")
    if family == "binomial":
        return (np.asarray(t.y.codes) == 1).astype(np.float64), list(t.classes)
    return np.asarray(t.y, dtype=np.float64), None


def stabsel(
    X: Any,
    y: Any,
    *,
    q: int | None = None,
    cutoff: float | None = None,
    pfer: float | None = None,
    B: int | None = None,
    assumption: Assumption = "unimodal",
    sampling_type: SamplingType = "SS",
    family: str = "gaussian",
    alpha: float = DEFAULTS.alpha,
    type: Literal["conservative", "anticonservative"] = "conservative",  # noqa: A002 - stabs' name
    standardize: bool = True,
    fit_intercept: bool = True,
    penalty_factor: Sequence[float] | None = None,
    nlambda: int = DEFAULTS.nlambda,
    lambda_min_ratio: float | None = None,
    engine: Literal["glmnet", "sklearn"] = "glmnet",
    folds: np.ndarray | None = None,
    strata: Sequence[Any] | None = None,
    seed: int | None = None,
    n_jobs: int | None = 1,
    progress: bool = False,
    feature_names: Sequence[str] | None = None,
) -> StabilityResult:
    """Stability selection with the Lasso (``stabs::stabsel(x, y, fitfun = glmnet.lasso, ...)``).

    Parameters
    ----------
    X, y : predictors (array or DataFrame) and target
    q, cutoff, pfer : give two; the third is solved (:func:`stabsel_parameters`)
    B : subsamples (``"MB"``, default 100) or complementary pairs (``"SS"``, default 50;
        2B fits)
    assumption, sampling_type : error bound (see :func:`stabsel_parameters`)
    family, alpha, standardize, fit_intercept, penalty_factor, nlambda, lambda_min_ratio :
        passed to glmnet (``engine="sklearn"``: gaussian only)
    type : ``"conservative"`` (``pmax = q``: at most q variables per subsample, stabs'
        default) or ``"anticonservative"`` (``dfmax = q - 1``)
    engine : ``"glmnet"`` (R's glmnet, in worker processes) or ``"sklearn"`` (no R)
    folds : optional 0/1 matrix ``(n, B)`` of subsamples (e.g. from ``stabs::subsample``
        in R) for an exact comparison with R; default: drawn with ``seed``
    strata : optional grouping; subsamples take half of each stratum
    seed : seed of the subsampling (numpy ``default_rng``); results do not depend on
        ``n_jobs``
    n_jobs : worker processes (joblib loky); R is never called from threads
    progress : show a tqdm progress bar on stderr

    Returns
    -------
    StabilityResult

    Examples
    --------
    >>> import numpy as np
    >>> from statprune.stability import stabsel
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 10))
    >>> y = 2 * X[:, 0] - 2 * X[:, 1] + rng.standard_normal(100)
    >>> res = stabsel(X, y, q=3, pfer=1, engine="sklearn", B=20, seed=1)
    >>> res.selected, res.cutoff
    (['x0', 'x1'], 0.75)
    """
    if engine not in ("glmnet", "sklearn"):
        raise ParameterError(f"engine must be 'glmnet' or 'sklearn', got {engine!r}")
    family = resolve_family(family, _FAMILIES)
    if engine == "sklearn" and family != "gaussian":
        raise ParameterError(f"engine='sklearn' supports family='gaussian' only; use engine='glmnet' for {family!r}")
    if type not in ("conservative", "anticonservative"):
        raise ParameterError(f"type must be 'conservative' or 'anticonservative', got {type!r}")
    if not (0 <= alpha <= 1):
        raise ParameterError(f"alpha must be in [0, 1], got {alpha}")
    if isinstance(X, pd.DataFrame):
        names = [str(c) for c in X.columns] if feature_names is None else list(feature_names)
        non_num = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c].dtype)]
        if non_num:
            raise DataError(f"non-numeric predictor column(s) {non_num}; encode or exclude them")
        x = X.to_numpy(dtype=np.float64)
    else:
        x = np.asarray(X, dtype=np.float64)
        if x.ndim != 2:
            raise DataError(f"X must be 2-D, got {x.ndim}-D")
        names = [f"x{j}" for j in range(x.shape[1])] if feature_names is None else list(map(str, feature_names))
    n, p = x.shape
    if len(names) != p:
        raise ParameterError(f"feature_names has {len(names)} names for {p} columns")
    if not np.isfinite(x).all():
        check_matrix(x, names)
    yv, classes = _prepare_y(y, family, n)
    if n < 4:
        raise DataError(f"stability selection needs at least 4 rows (got n_samples = {n})")
    pars = stabsel_parameters(p, cutoff=cutoff, q=q, pfer=pfer, B=B, assumption=assumption,
                              sampling_type=sampling_type, warn=True)
    qi = int(math.ceil(pars.q))
    if qi < 1:
        raise ParameterError("q solved to 0 variables per subsample; use a larger PFER or a smaller cutoff")
    if folds is None:
        base = subsample_folds(n, pars.B, seed, None if strata is None else np.asarray(strata))
    else:
        base = np.asarray(folds)
    all_folds = check_folds(base, pars.B, n, pars.sampling_type)
    pf = None if penalty_factor is None else np.asarray(penalty_factor, dtype=float)
    if pf is not None and pf.shape != (p,):
        raise ParameterError(f"penalty_factor must have one value per column ({p}), got {pf.shape}")
    opts: dict[str, Any] = {
        "family": family, "alpha": float(alpha), "standardize": bool(standardize), "intercept": bool(fit_intercept),
        "penalty_factor": pf, "type": type, "nlambda": int(nlambda),
        "lambda_min_ratio": None if lambda_min_ratio is None else float(lambda_min_ratio),
    }
    results = run_fits(engine, x, yv, all_folds, qi, opts, n_jobs, progress)
    phat, mx, nfit, _ = aggregate(results, names)
    # step k of a path is lambda_max(subsample) * ratio^(k / (nlambda - 1)), the subsample having n // 2 rows
    ratio = lambda_min_ratio or default_lambda_min_ratio(n // 2, p)
    frac = lambda_sequence(1.0, nlambda, ratio)[: phat.shape[1]]
    return StabilityResult(
        max=mx, phat=phat, parameters=pars, feature_names=names, n_fits=nfit, engine=engine, family=family,
        type=type, seed=seed, lambda_fraction=frac, folds=base, classes=classes, n_samples=n,
        provenance=provenance(seed=seed, with_r=engine == "glmnet"),
    )


class StabilitySelection(SelectorMixin, BaseEstimator):
    """Stability selection with the Lasso as a scikit-learn selector (see :func:`stabsel`).

    Fitted attributes: ``result_`` (:class:`StabilityResult`), ``scores_`` (selection
    probabilities), ``support_``, ``cutoff_``, ``q_``, ``pfer_``, ``n_features_in_``,
    ``feature_names_in_`` (when fitted on a DataFrame).

    Examples
    --------
    >>> import numpy as np
    >>> from statprune.stability import StabilitySelection
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 8)); y = 3 * X[:, 2] + rng.standard_normal(100)
    >>> sel = StabilitySelection(q=2, cutoff=0.75, engine="sklearn", B=10, seed=0).fit(X, y)
    >>> sel.get_support().nonzero()[0].tolist()
    [2]
    """

    def __init__(self, q=None, cutoff=None, pfer=None, B=None, assumption="unimodal", sampling_type="SS",
                 family="gaussian", alpha=DEFAULTS.alpha, type="conservative", standardize=True, fit_intercept=True,  # noqa: A002
                 penalty_factor=None, engine="glmnet", seed=None, n_jobs=1, progress=False):
        self.q = q
        self.cutoff = cutoff
        self.pfer = pfer
        self.B = B
        self.assumption = assumption
        self.sampling_type = sampling_type
        self.family = family
        self.alpha = alpha
        self.type = type
        self.standardize = standardize
        self.fit_intercept = fit_intercept
        self.penalty_factor = penalty_factor
        self.engine = engine
        self.seed = seed
        self.n_jobs = n_jobs
        self.progress = progress

    def fit(self, X, y):
        names = [str(c) for c in X.columns] if isinstance(X, pd.DataFrame) else None
        Xa, ya = validate_data(self, X, y, dtype=np.float64, y_numeric=self.family != "binomial")
        res = stabsel(
            Xa, ya, q=self.q, cutoff=self.cutoff, pfer=self.pfer, B=self.B, assumption=self.assumption,
            sampling_type=self.sampling_type, family=self.family, alpha=self.alpha, type=self.type,
            standardize=self.standardize, fit_intercept=self.fit_intercept, penalty_factor=self.penalty_factor,
            engine=self.engine, seed=self.seed, n_jobs=self.n_jobs, progress=self.progress, feature_names=names,
        )
        self.result_ = res
        self.scores_ = res.max.to_numpy()
        self.cutoff_ = res.cutoff
        self.q_ = res.q
        self.pfer_ = res.pfer
        self.support_ = self.scores_ >= self.cutoff_
        return self

    def _get_support_mask(self):
        check_is_fitted(self, "support_")
        return self.support_
