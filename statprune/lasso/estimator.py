"""GlmnetCV: the cross-validated Lasso / elastic net selector backed by R's ``cv.glmnet``.

``fit`` validates the parameters (:mod:`statprune.lasso._options`) and the data
(:mod:`statprune.lasso._inputs`), runs cv.glmnet in R (:mod:`statprune.lasso._backend_r`) or,
for ``engine="gram"``, one of the fast engines, and builds the :class:`LassoResult` from the
numbers they return.
"""

from __future__ import annotations

import math
import os
import warnings
from typing import Any, Callable, ClassVar

import numpy as np

from .._estimator import Estimator, Selector, available_if, check_is_fitted, is_dataframe
from .._magnitude import check_magnitudes
from .._glmnet.families import ALL_FAMILIES
from .._glmnet.folds import draw_foldid
from .._glmnet.params import DEFAULTS, r_options
from .._provenance import provenance
from .._validation import check_foldid, check_nfolds, check_offset, check_target, check_weights, validate_data
from ..engines.glmpath import cv_glmnet_glm
from ..engines.gram import cv_glmnet_gram
from ..engines.multinomial import cv_glmnet_multinomial
from ..errors import (
    DataError,
    GlmNotSupported,
    GramNotSupported,
    NothingSelectedWarning,
    ParameterError,
    PerfectSeparationWarning,
)
from . import _backend_r
from ._inputs import check_strata, check_x, constant_columns_of, is_sparse, labels_as, names_arg
from ._options import PARAMETER_CONSTRAINTS, check_params, glmnet_params, r_only, validate_params
from .result import CVGlmnetOutput, LassoResult, _fmt

__all__ = ["GlmnetCV"]


class GlmnetCV(Selector, Estimator):
    """Cross-validated Lasso / elastic net selector backed by R's ``cv.glmnet``.

    A scikit-learn selector (``clone``, ``Pipeline``, ``GridSearchCV``, ``transform``,
    ``get_feature_names_out``, ``set_output``) on :mod:`statprune._estimator`'s base, so
    that fitting numpy arrays with ``engine="gram"`` imports neither scikit-learn, scipy
    nor pandas.

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
        (:mod:`statprune.engines.glmpath`), multinomial likewise (:mod:`statprune.engines.multinomial`); same numbers, no R fit object. Anything they do not
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
        *,
        alpha: float = DEFAULTS.alpha,
        nfolds: int = DEFAULTS.nfolds,
        foldid: Any = None,
        seed: int | None = None,
        type_measure: str = DEFAULTS.type_measure,
        s: str | float = "lambda.min",
        lambda_: Any = None,
        nlambda: int = DEFAULTS.nlambda,
        lambda_min_ratio: float | None = None,
        standardize: bool = DEFAULTS.standardize,
        fit_intercept: bool = DEFAULTS.fit_intercept,
        penalty_factor: Any = None,
        keep: Any = None,
        exclude: Any = None,
        lower_limits: Any = DEFAULTS.lower_limits,
        upper_limits: Any = DEFAULTS.upper_limits,
        relax: bool = DEFAULTS.relax,
        gamma: Any = None,
        thresh: float = DEFAULTS.thresh,
        maxit: int = DEFAULTS.maxit,
        type_multinomial: str = DEFAULTS.type_multinomial,
        engine: str = "r",
        s_gamma: Any = None,
        link: str | None = None,
        theta: float | None = None,
        grouped: bool = DEFAULTS.grouped,
        keep_preval: bool = DEFAULTS.keep,
        alignment: str = DEFAULTS.alignment,
        dfmax: int | None = None,
        pmax: int | None = None,
        type_logistic: str = DEFAULTS.type_logistic,
        standardize_response: bool = DEFAULTS.standardize_response,
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

    _parameter_constraints: ClassVar[dict[str, list[Any] | str]] = PARAMETER_CONSTRAINTS

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

    # ----------------------------------------------------------------- fit
    def fit(self, X: Any, y: Any = None, sample_weight: Any = None, offset: Any = None, strata: Any = None,
            progress: Callable[[int, int], None] | None = None) -> GlmnetCV:
        """Run ``cv.glmnet`` on (X, y) and read the selection at ``s``.

        ``X`` may be a scipy.sparse matrix (CSC/CSR): it reaches R as a ``dgCMatrix``
        without being densified. ``strata`` (cox): R's ``stratifySurv(y, strata)``.
        ``progress``: called as ``progress(done, total)`` over the ``nfolds + 1`` path fits
        (the Gaussian gram engine after each; R as cv.glmnet starts each, read from its
        ``trace.it`` lines, which change no number).
        """
        validate_params(self)
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
        Xv = Xv.tocsc() if is_sparse(Xv) else np.asarray(Xv, dtype=np.float64)
        n, p = Xv.shape
        names = [str(c) for c in getattr(self, "feature_names_in_", [f"x{j}" for j in range(p)])]
        check_x(Xv, names)
        if not is_sparse(Xv):  # issue 18: 1e300 / 1e-310 columns
            check_magnitudes(Xv, names)
        prm = check_params(self, p, names)
        if self.foldid is None:
            check_nfolds(self.nfolds, n)
            foldid = None
        else:
            foldid = check_foldid(self.foldid, n)
        yr, classes = check_target(y, self.family, name=y_name, n=n, caller=type(self).__name__)
        if self.family != "cox" and len(yr) != n:
            raise DataError(f"y has {len(yr)} rows but X has {n}")
        if self.family == "cox" and yr.shape[0] != n:
            raise DataError(f"y has {yr.shape[0]} rows but X has {n}")
        w = check_weights(sample_weight, n)
        off = check_offset(offset, n)
        if self.family in ("gaussian", "mgaussian"):  # glmnet standardises y too
            ya = np.asarray(yr, dtype=float).reshape(n, -1)
            check_magnitudes(ya, [y_name] if ya.shape[1] == 1 else [str(c) for c in (classes or range(ya.shape[1]))],
                             what="target")
        st = check_strata(strata, self.family, n)
        constant = constant_columns_of(Xv, names)
        gp = glmnet_params(self, prm, names)
        opts = r_options(gp)
        ynames = classes if self.family == "mgaussian" or (self.family == "binomial" and np.ndim(yr) == 2) else None
        out = self._run(Xv, yr, opts, gp, w, off, foldid, names, ynames=ynames, strata=st, progress=progress)
        excluded = list(out.get("excluded_by_function", prm["exclude"]))
        if callable(self.exclude) and excluded:  # exact=True refits on the full data: its exclusions
            opts = r_options(gp.replace(exclude=[names.index(e) for e in excluded]))
        used_r = out.get("fit") is not None
        prov = provenance(seed=self.seed, with_r=used_r)
        prov["engine"] = "r" if used_r else out.get("engine", self.engine)
        r_call = _backend_r.call_text(out["fit"]) if used_r else None
        res = LassoResult(
            out, family=self.family, alpha=prm["alpha"], s=self.s, s_gamma=self.s_gamma, feature_names=names,
            class_names=classes, constant=constant, excluded=excluded, kept=prm["keep"],
            penalty_factor=prm["pf"], provenance=prov, seed=self.seed, link=self.link,
            theta=None if self.theta is None else float(self.theta),
            data={"X": _backend_r.x_for_r(Xv), "y": yr, "opts": opts, "weights": w, "offset": off, "strata": st,
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

    def _run(self, X, y, opts, gp, w, off, foldid, names, ynames=None, strata=None,  # noqa: ANN001
             progress=None) -> CVGlmnetOutput:
        n = X.shape[0]
        out = None
        fast = (self.engine == "gram" and not self.relax and self.link is None and self.theta is None
                and not r_only(self, gp) and not is_sparse(X) and strata is None and np.ndim(y) == 1 and (
                    (self.family == "gaussian" and off is None) or self.family in ("binomial", "poisson", "multinomial")))
        if fast:
            # the fast engines need no R: R's folds for a seed, drawn bit-exactly in Python
            fid = foldid if foldid is not None else draw_foldid(n, int(self.nfolds), self.seed)
            kw = dict(weights=w, foldid=fid, params=gp, type_measure=gp.type_measure)
            try:
                if self.family == "gaussian":
                    return cv_glmnet_gram(X, y, progress=progress, **kw)
                if self.family == "multinomial":  # y: the factor in R's level order
                    out = cv_glmnet_multinomial(X, np.asarray(y.codes), n_classes=len(y.categories), offset=off,
                                                 type_multinomial=self.type_multinomial, **kw)
                else:
                    y01 = (np.asarray(y.codes) == 1).astype(float) if self.family == "binomial" else y
                    out = cv_glmnet_glm(X, y01, family=self.family, offset=off, **kw)
            except (GramNotSupported, GlmNotSupported):
                # what the fast engines do not cover (MAE, tiny folds, maxit...) runs in R, silently,
                # with the same folds (R's own draw for the seed)
                foldid = fid
        if out is None:
            if foldid is None and self.seed is None:
                # the one fold policy: without a seed the folds are drawn here (as for the fast engines)
                # and passed as foldid; with a seed cv.glmnet draws them itself after set.seed(seed)
                foldid = draw_foldid(n, int(self.nfolds), None)
            excl_table = None
            if callable(self.exclude):  # R's folds for the seed (statprune._glmnet.folds draws them bit-exactly)
                fid = foldid if foldid is not None else draw_foldid(n, int(self.nfolds), self.seed)
                excl_table = self._exclude_table(X, y, w, fid, names)
                opts = {**opts, "exclude": excl_table[0] if excl_table[0].size else None}
            out = _backend_r.cv_fit(X, y, opts, family=self.family, weights=w, offset=off, foldid=foldid,
                                    seed=self.seed, nfolds=int(self.nfolds), feature_names=names, ynames=ynames,
                                    strata=strata, exclude_table=excl_table, progress=progress)
            if excl_table is not None:
                out["excluded_by_function"] = [names[j - 1] for j in excl_table[0]]
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
            got = self.exclude(X[rows], y[rows], wts[rows])
            idx = names_arg([] if got is None else list(np.atleast_1d(got)), "exclude (function)", names)
            table.append(np.asarray(sorted({names.index(v) + 1 for v in idx}), dtype=np.int64))
        return table

    # ----------------------------------------------------------------- predict
    def _check_X(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "result_")
        X = self._encode(X, reset=False)
        Xv = validate_data(self, X, reset=False, dtype=np.float64, ensure_all_finite=False,
                           accept_sparse=("csc", "csr"))
        Xv = Xv.tocsc() if is_sparse(Xv) else np.asarray(Xv, dtype=np.float64)
        check_x(Xv, self.result_.feature_names)
        return Xv

    def predict(self, X: Any, offset: Any = None) -> np.ndarray:
        """Predictions at ``s``: the mean for gaussian/poisson (R's ``type="response"``),
        class labels for binomial/multinomial (``type="class"``), the linear predictor for cox."""
        Xv = self._check_X(X)
        res = self.result_
        if res.family in ("binomial", "multinomial"):
            lab = res.predict(Xv, type="class", offset=offset)
            return labels_as(lab, self.classes_)
        if res.family == "cox":
            return res.predict(Xv, type="link", offset=offset)
        return res.predict(Xv, type="response", offset=offset)

    def _is_classifier_family(self) -> bool:
        return self.family in ("binomial", "multinomial")

    def _encode(self, X: Any, *, reset: bool) -> Any:
        """Text / categorical columns of a DataFrame: refused, or R's treatment dummies (``categorical``)."""
        if hasattr(X, "to_pandas") and not is_dataframe(X):  # polars, pyarrow
            X = X.to_pandas()
        if not is_dataframe(X):
            return X
        # deferred: pandas' column types, for a DataFrame X only (pandas is loaded: X is one of its frames)
        from ..engines.stepwise.categorical import TreatmentEncoder, non_numeric_columns  # noqa: PLC0415

        if reset:
            self.encoder_ = None
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
        # deferred: scikit-learn's metrics; score() is what its model selection (cross_val_score,
        # GridSearchCV) calls, so scikit-learn is loaded by then
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
        environments, byte code, external pointers). A fit made with a family *object*
        such as ``binomial(link = "probit")`` holds closures: they are never loaded; the
        family is rebuilt in R from its checked ``family``/``link`` strings (and theta of
        ``MASS::negative.binomial``) and predicts with that link. See docs/security.md.
        """
        p = os.fspath(path)
        if not os.path.isfile(p):
            raise DataError(f"RDS file {p!r} does not exist")
        # a file from someone else must never run code: the backend checks the serialized stream
        # in Python (data only, glmnet's classes) before R deserializes exactly those bytes
        out, rcls = _backend_r.read_rds(p)
        obj = out["fit"]
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
        r_call = _backend_r.call_text(obj)
        res = LassoResult(out, family=fam, alpha=est.alpha, s=s, feature_names=names, class_names=classes,
                          provenance=prov, r_call=r_call, link=link, theta=theta)
        est.feature_names_in_ = np.asarray(names, dtype=object) if fn is not None else None
        if est.feature_names_in_ is None:
            del est.feature_names_in_
        est.n_features_in_ = len(names)
        est._set_fitted(res, classes if fam in ("binomial", "multinomial", "quasibinomial") else None)
        return est


