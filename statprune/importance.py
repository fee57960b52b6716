"""Tree-ensemble feature importance and pruning rules built on it.

:class:`ImportancePruner` is a scikit-learn selector around a random forest,
gradient boosting or histogram gradient boosting model (scikit-learn's own
estimators), scoring features by

``method="impurity"``
    mean decrease in impurity (``feature_importances_``) of the model fitted on
    all rows; for forests the standard deviation across trees is reported.
    Known bias: it favours continuous / high-cardinality features over binary or
    low-cardinality ones (Strobl et al. 2007), and it is measured on the
    training data. A :class:`~statprune.errors.SelectionWarning` says so when the
    features' numbers of distinct values differ by a factor 10 or more and the
    smallest is at most 10.
``method="permutation"`` (default)
    :func:`sklearn.inspection.permutation_importance` on a held-out split
    (``test_size``, stratified for classification), ``n_repeats`` shuffles per
    feature: the mean and standard deviation of the drop in the score (R^2 for
    regression, accuracy for classification, or ``scoring``).
``method="shadow"``
    a Boruta-style test. In each of ``n_shadow`` rounds, every column is copied
    and the copy shuffled ("shadow"); the model is refitted on real + shadow
    columns and a feature scores a *hit* when its impurity importance exceeds
    the largest shadow importance of that round. Under the null (a feature is no
    better than noise) hits ~ Binomial(n_shadow, 1/2). A feature is
    *confirmed* when ``P(X >= hits) < alpha / p`` and *rejected* when
    ``P(X <= hits) < alpha / p`` (one-sided binomial tests, Bonferroni over the
    ``p`` features, as ``Boruta(pValue, mcAdj = TRUE)``); otherwise *tentative*.
    Only confirmed features are selected. Unlike R's Boruta, rejected features
    are not removed between rounds (all rounds see all features).

Pruning rule for impurity / permutation scores (give at most one):

``threshold=T``   keep features with score ``>= T`` (as ``SelectFromModel``);
``top_k=K``       keep the ``K`` largest scores (ties: first in column order);
``cumulative=C``  keep the fewest top features whose share of the sum of the
                  positive scores reaches ``C``;
none              impurity: score ``>=`` mean score (``SelectFromModel``'s
                  default); permutation: ``mean - 2 sd > 0`` over the repeats.

The model, R's ``mtry``, the shuffles, the rows scored and the workers default to ``"auto"``:
sized to the data by :func:`importance_sizing` (:mod:`statprune._importance_sizing`).

A feature with a score ``<= 0`` is never kept.
"""

from __future__ import annotations

import html
import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from joblib import effective_n_jobs, parallel_config
from scipy.stats import binom
from sklearn.base import BaseEstimator, clone, is_classifier
from sklearn.ensemble import (GradientBoostingClassifier, GradientBoostingRegressor, HistGradientBoostingClassifier,
                              HistGradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor)
from sklearn.feature_selection import SelectorMixin
from sklearn.inspection import permutation_importance
from sklearn.metrics import check_scoring
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from ._data import check_target, prepare_xy
from ._importance_sizing import AUTO_PARAMS, importance_sizing, is_auto, r_mtry, sizing_note
from ._progress import progress
from ._provenance import provenance
from ._validation import validate_data
from .errors import DataError, NothingSelectedWarning, ParameterError, SelectionWarning
from .plotting import ImportanceDisplay  # the display lives with every Display; importable from here too
from .results import SelectionResult

__all__ = ["ImportanceDisplay", "ImportancePruner", "ImportanceResult", "importance_sizing", "importance_table", "r_mtry", "sizing_note"]

_METHODS = ("impurity", "permutation", "shadow")
_MODELS = ("rf", "gbm", "hgb")
#: fewest rows accepted (a held-out split and repeated shuffles must make sense)
MIN_ROWS = 10
def _is_classification_target(y: Any) -> bool:
    s = pd.Series(np.asarray(y) if not isinstance(y, pd.Series) else y)
    if isinstance(s.dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(s.dtype):
        return True
    if not pd.api.types.is_numeric_dtype(s.dtype):
        return True
    return s.nunique() == 2


def _make_model(model: Any, classification: bool, n_estimators: int | None, max_features: Any, seed: int) -> Any:
    if not isinstance(model, str):
        est = clone(model)
        if "random_state" in est.get_params():
            est.set_params(random_state=seed)
        return est
    if model == "rf":
        cls = RandomForestClassifier if classification else RandomForestRegressor
        kw: dict[str, Any] = {"n_estimators": 500 if n_estimators is None else n_estimators, "random_state": seed}
        if max_features is not None:
            kw["max_features"] = max_features
        return cls(**kw)
    if model == "gbm":
        cls = GradientBoostingClassifier if classification else GradientBoostingRegressor
        kw = {"n_estimators": 100 if n_estimators is None else n_estimators, "random_state": seed}
        if max_features is not None:
            kw["max_features"] = max_features
        return cls(**kw)
    cls = HistGradientBoostingClassifier if classification else HistGradientBoostingRegressor
    kw = {"max_iter": 100 if n_estimators is None else n_estimators, "random_state": seed}
    return cls(**kw)


def cardinality_bias(X: np.ndarray, names: list[str]) -> str | None:
    """The warning text when impurity importance is likely biased by cardinality, else None.

    Rule: the smallest number of distinct values among the features is at most 10
    and the largest is at least 10 times as large.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.column_stack([np.arange(100.0), np.arange(100) % 2])
    >>> cardinality_bias(X, ["x", "flag"]) is not None
    True
    """
    if X.shape[1] < 2:
        return None
    nu = np.array([np.unique(X[:, j]).size for j in range(X.shape[1])])
    lo, hi = int(nu.min()), int(nu.max())
    if lo <= 10 and hi >= 10 * lo:
        low = [names[j] for j in np.flatnonzero(nu == lo)][:5]
        high = names[int(np.argmax(nu))]
        return (
            f"impurity importance is biased towards features with many distinct values: {low} have {lo} "
            f"distinct value(s), '{high}' has {hi}; low-cardinality features are under-rated. "
            "Check with method='permutation' (held-out data) or method='shadow'"
        )
    return None


class ImportancePruner(SelectorMixin, BaseEstimator):
    """Select features by tree-ensemble importance (impurity, permutation or shadow test).

    Parameters
    ----------
    model : {"auto", "rf", "gbm", "hgb"} or estimator, default "auto"
        random forest, gradient boosting, histogram gradient boosting (scikit-learn), or
        any scikit-learn estimator (``feature_importances_`` needed for impurity/shadow).
        ``"auto"``: sized to the data (:func:`importance_sizing`): ``rf`` up to 50,000 cells
        and for impurity/shadow, ``hgb`` above.
    method : {"permutation", "impurity", "shadow"}, default "permutation"
    task : {"auto", "regression", "classification"}, default "auto"
        auto: classification when ``y`` is non-numeric, boolean, categorical or has
        exactly two distinct values; regression otherwise.
    threshold, top_k, cumulative : pruning rule (at most one; see the module docstring)
    n_estimators : int, optional
        trees (``rf``: 500 as R's ``ntree``; ``gbm``/``hgb``: 100 boosting iterations).
    max_features : default "auto"
        passed to the forest / boosting model. ``"auto"``: R's ``randomForest`` ``mtry``
        for the forest (``max(floor(p/3), 1)`` for regression, ``floor(sqrt(p))`` for
        classification, :func:`r_mtry`), scikit-learn's default (every feature) otherwise.
    n_repeats : int or "auto", default "auto"
        shuffles per feature for permutation importance (``"auto"``: 10 up to 50,000
        cells, 3 to 10 above, :func:`importance_sizing`).
    max_samples : int, float, None or "auto", default "auto"
        permutation importance: rows of the held-out split scored in each repeat, a fresh
        random subsample per repeat (sklearn's ``permutation_importance(max_samples=)``; an int is a
        count, a float in (0, 1] a share; None: every row; ``"auto"``: every row up to 50,000 cells,
        at most 5,000 above). The spread over the repeats includes the subsampling, so the default
        rule (``mean - 2 sd > 0``) is no less strict. Recorded as ``n_scored``.
    test_size : float, default 0.25
        held-out share for permutation importance.
    scoring : str, optional
        scikit-learn scorer for permutation importance (default: the model's ``score``).
    n_shadow : int, default 20
        rounds of the shadow test.
    alpha : float, default 0.05
        family-wise level of the shadow test (Bonferroni over features).
    random_state : int, optional
        seeds the split, the model and the shuffles (None: a seed is drawn and recorded).
    n_jobs : int, None or "auto", default "auto"
        passed to the forest and to ``permutation_importance`` (``"auto"``: -1, every core;
        None: one). The numbers do not depend on it.

    Parameters left at ``"auto"`` are sized by :func:`importance_sizing`; ``result_.extra["sizing"]``
    records them (``auto``: parameter -> value; ``n``, ``p``; ``note``, printed by the summary).
    progress : bool, default False
        show a tqdm progress bar on stderr over the permutation scores or the shadow rounds.

    Attributes
    ----------
    scores_ : ndarray (p,)   importance of each feature
    scores_std_ : ndarray (p,) or None   sd over repeats (permutation), trees (rf impurity) or rounds (shadow)
    support_ : ndarray of bool (p,)
    estimator_ : the fitted model (on the training split for permutation, on all rows for impurity)
    result_ : ImportanceResult
    feature_names_in_, n_features_in_

    Examples
    --------
    >>> from statprune.datasets import load_boston
    >>> from statprune.importance import ImportancePruner
    >>> df = load_boston()
    >>> sel = ImportancePruner(method="permutation", n_estimators=50, n_repeats=3, top_k=2,
    ...                        random_state=1).fit(df.drop(columns="medv"), df["medv"])
    >>> sorted(sel.get_feature_names_out())
    ['lstat', 'rm']
    """

    def __init__(
        self,
        model: Any = "auto",
        method: str = "permutation",
        *,
        task: str = "auto",
        threshold: float | None = None,
        top_k: int | None = None,
        cumulative: float | None = None,
        n_estimators: int | None = None,
        max_features: Any = "auto",
        n_repeats: int | str = "auto",
        max_samples: int | float | str | None = "auto",
        test_size: float = 0.25,
        scoring: str | None = None,
        n_shadow: int = 20,
        alpha: float = 0.05,
        random_state: int | None = None,
        n_jobs: int | str | None = "auto",
        progress: bool = False,
    ):
        self.model = model
        self.method = method
        self.task = task
        self.threshold = threshold
        self.top_k = top_k
        self.cumulative = cumulative
        self.n_estimators = n_estimators
        self.max_features = max_features
        self.n_repeats = n_repeats
        self.max_samples = max_samples
        self.test_size = test_size
        self.scoring = scoring
        self.n_shadow = n_shadow
        self.alpha = alpha
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.progress = progress

    # ------------------------------------------------------------------ validation
    def _check_params(self) -> None:
        if self.method not in _METHODS:
            raise ParameterError(f"method={self.method!r}; use one of {', '.join(_METHODS)}")
        if isinstance(self.model, str) and self.model not in (*_MODELS, "auto"):
            raise ParameterError(f"model={self.model!r}; use 'auto' (sized to the data), 'rf' (random forest), 'gbm' (gradient boosting), "
                                 "'hgb' (histogram GBM) or an estimator")
        if self.task not in ("auto", "regression", "classification"):
            raise ParameterError(f"task={self.task!r}; use 'auto', 'regression' or 'classification'")
        rules = [r for r in ("threshold", "top_k", "cumulative") if getattr(self, r) is not None]
        if len(rules) > 1:
            raise ParameterError(f"give at most one pruning rule, not {' and '.join(rules)}")
        if rules and self.method == "shadow":
            raise ParameterError(f"method='shadow' selects by its binomial test; {rules[0]} does not apply (use method='permutation' or 'impurity')")
        if self.top_k is not None and (isinstance(self.top_k, bool) or not isinstance(self.top_k, (int, np.integer)) or self.top_k < 1):
            raise ParameterError(f"top_k={self.top_k!r} must be an integer >= 1")
        if self.cumulative is not None and not (0 < float(self.cumulative) <= 1):
            raise ParameterError(f"cumulative={self.cumulative} must be a share in (0, 1]")
        if self.threshold is not None and not math.isfinite(float(self.threshold)):
            raise ParameterError(f"threshold={self.threshold} must be a finite number")
        nr = self.n_repeats
        if not is_auto(nr) and (isinstance(nr, bool) or not isinstance(nr, (int, np.integer)) or nr < 1):
            raise ParameterError(f"n_repeats={self.n_repeats!r} must be an integer >= 1 or 'auto'")
        jobs = self.n_jobs
        if not (is_auto(jobs) or jobs is None or (isinstance(jobs, (int, np.integer)) and not isinstance(jobs, bool) and jobs != 0)):
            raise ParameterError(f"n_jobs={self.n_jobs!r} must be a non-zero integer (-1: every core), None (one) or 'auto'")
        if not isinstance(self.n_shadow, (int, np.integer)) or self.n_shadow < 1:
            raise ParameterError(f"n_shadow={self.n_shadow!r} must be an integer >= 1")
        ms = self.max_samples
        if ms is not None and not is_auto(ms) and (isinstance(ms, bool) or not isinstance(ms, (int, np.integer, float, np.floating))
                               or (isinstance(ms, (float, np.floating)) and not 0 < ms <= 1)
                               or (isinstance(ms, (int, np.integer)) and ms < 2)):
            raise ParameterError(f"max_samples={ms!r} must be an integer >= 2 (rows), a share in (0, 1], None (every row) or 'auto'")
        if not (0 < float(self.test_size) < 1):
            raise ParameterError(f"test_size={self.test_size} must be in (0, 1)")
        if not (0 < float(self.alpha) < 1):
            raise ParameterError(f"alpha={self.alpha} must be in (0, 1)")
        if self.model == "hgb" and self.method in ("impurity", "shadow"):
            raise ParameterError(
                f"model='hgb' (HistGradientBoosting) has no impurity importance; method={self.method!r} needs it: "
                "use method='permutation', or model='rf'/'gbm'"
            )

    # ------------------------------------------------------------------ fit
    def fit(self, X: Any, y: Any) -> ImportancePruner:
        """Fit the model(s), score every feature and apply the pruning rule."""
        self._check_params()
        names = [str(c) for c in X.columns] if isinstance(X, pd.DataFrame) else None
        if isinstance(X, pd.DataFrame):
            bad = [str(c) for c in X.columns if not (pd.api.types.is_numeric_dtype(X[c]) or pd.api.types.is_bool_dtype(X[c]))]
            if bad:
                raise DataError(f"non-numeric predictor column(s) {bad}; tree importance here needs numbers: encode or exclude them")
        if y is None:
            raise ParameterError("ImportancePruner requires y to be passed, but the target y is None")
        classification = self.task == "classification" or (self.task == "auto" and _is_classification_target(y))
        try:
            Xa, ya = validate_data(self, X, y, dtype=np.float64, y_numeric=False, ensure_all_finite=True, ensure_min_samples=1)
        except DataError:
            raise
        except ValueError as exc:
            raise DataError(str(exc)) from None
        if names is None:
            names = [f"x{j}" for j in range(Xa.shape[1])]
        n, p = Xa.shape
        if n < MIN_ROWS:
            raise DataError(f"n_samples = {n}: importance needs at least {MIN_ROWS} (a held-out split and repeated shuffles must make sense)")
        if classification:
            classes, counts = np.unique(np.asarray(ya).astype(str) if not _numeric(ya) else ya, return_counts=True)
            if classes.size < 2:
                raise DataError(f"the target has a single class ({str(classes[0])!r}); classification needs at least two")
            if self.method == "permutation" and counts.min() < 2:
                raise DataError(
                    f"class {classes[int(np.argmin(counts))]!r} has {int(counts.min())} row; a stratified held-out split needs at least 2 per class"
                )
        else:
            if not _numeric(ya):
                raise DataError("the target is not numeric; for a classification pass task='classification'")
            ya = np.asarray(ya, dtype=np.float64)
            if np.ptp(ya) == 0:
                raise DataError("the target is constant; there is nothing to explain")
        seed = int(self.random_state) if self.random_state is not None else int(np.random.default_rng().integers(2**31 - 1))
        sized = importance_sizing(n, p, classification=classification, method=self.method, model=self.model,
                                  test_size=float(self.test_size))
        auto = {k: sized[k] for k in AUTO_PARAMS if is_auto(getattr(self, k))}
        model, max_features, n_repeats, max_samples, n_jobs = (auto.get(k, getattr(self, k)) for k in AUTO_PARAMS)
        est = _make_model(model, classification, self.n_estimators, max_features, seed)
        if "n_jobs" in est.get_params() and n_jobs is not None:
            est.set_params(n_jobs=n_jobs)
        if not isinstance(self.model, str) and is_classifier(est) != classification:
            raise ParameterError(f"the estimator is a {'classifier' if is_classifier(est) else 'regressor'} but the task is {'classification' if classification else 'regression'}")
        warns: list[str] = []
        extra: dict[str, Any] = {}
        if self.method in ("impurity", "shadow"):
            msg = cardinality_bias(Xa, names)
            if msg:
                warns.append(msg)
                warnings.warn(msg, SelectionWarning, stacklevel=2)
        if self.method == "impurity":
            est.fit(Xa, ya)
            if not hasattr(est, "feature_importances_"):
                raise ParameterError(f"{type(est).__name__} has no feature_importances_; use method='permutation'")
            scores = np.asarray(est.feature_importances_, float)
            sds = _tree_sd(est)
            raw = None
        elif self.method == "permutation":
            Xtr, Xte, ytr, yte = train_test_split(
                Xa, ya, test_size=float(self.test_size), random_state=seed, stratify=ya if classification else None
            )
            if Xte.shape[0] < 2 or Xtr.shape[0] < 2:
                raise DataError(f"the held-out split has {Xte.shape[0]} rows; use more data or a larger test_size")
            n_scored = _scored_rows(max_samples, Xte.shape[0])
            jobs = int(effective_n_jobs(n_jobs))
            with progress(total=2 + p * int(n_repeats), desc=f"importance: fitting {type(est).__name__}",
                          unit="score", disable=not self.progress) as bar:
                est.fit(Xtr, ytr)
                if "n_jobs" in est.get_params():
                    # threads for the fit only (seeded trees: the same forest); threaded predictions sum the trees in
                    # thread order (last digits vary by run): the shuffles run on the threads, each predicting sequentially
                    est.set_params(n_jobs=None)
                bar.update(1)
                bar.set_description(f"importance: {p} features x {int(n_repeats)} shuffles")
                scorer = check_scoring(est, scoring=self.scoring)

                def counted(model: Any, X_: Any, y_: Any) -> Any:  # same scorer; ticks once per shuffle
                    bar.update(1)
                    return scorer(model, X_, y_)

                # threads, not processes: the model is not copied into workers, the ticks reach the bar, and the
                # numbers are the same (permutation_importance draws its seeds before dispatching); one BLAS /
                # OpenMP thread per worker so that the workers do not oversubscribe the cores
                with parallel_config(backend="threading"), threadpool_limits(1 if jobs > 1 else None):
                    pi = permutation_importance(
                        est, Xte, yte, n_repeats=int(n_repeats), random_state=seed,
                        scoring=counted if self.progress else self.scoring, n_jobs=n_jobs,
                        max_samples=n_scored,
                    )
            scores = np.asarray(pi.importances_mean, float)
            sds = np.asarray(pi.importances_std, float)
            raw = np.asarray(pi.importances, float)
            extra.update(
                n_train=int(Xtr.shape[0]),
                n_test=int(Xte.shape[0]),
                n_scored=n_scored,
                n_repeats=int(n_repeats),
                test_score=float(check_scoring(est, scoring=self.scoring)(est, Xte, yte)),
                scoring=self.scoring or ("accuracy" if classification else "r2"),
            )
        else:
            scores, sds, raw, extra = self._shadow(est, Xa, ya, seed, names)
        extra["n_jobs"] = int(effective_n_jobs(n_jobs))  # as resolved on this machine (-1: every core)
        extra["sizing"] = {"n": int(n), "p": int(p), "auto": {k: _plain(v) for k, v in auto.items()}}
        extra["sizing"]["note"] = sizing_note(extra["sizing"])
        extra["model_params"] = {k: _plain(v) for k, v in est.get_params().items()
                                 if k in ("n_estimators", "max_iter", "max_features", "min_samples_leaf", "max_samples",
                                          "max_depth", "max_leaf_nodes", "early_stopping", "learning_rate")}
        support, rule = self._rule(scores, sds, extra)
        self.estimator_ = est
        self.scores_ = scores
        self.scores_std_ = sds
        self.support_ = support
        self.classification_ = classification
        self.seed_ = seed
        self.result_ = ImportanceResult(
            method=self.method,
            model=model if isinstance(model, str) else type(model).__name__,
            estimator_name=type(est).__name__,
            task="classification" if classification else "regression",
            feature_names=list(names),
            scores=scores,
            sds=sds,
            raw=raw,
            support=support,
            rule=rule,
            seed=seed,
            n_obs=n,
            warnings=warns,
            extra=extra,
        )
        if not support.any():
            msg = f"no feature passes the rule ({rule}); every feature is pruned"
            self.result_.warnings.append(msg)  # in the result too: the CLI reports warnings from there
            warnings.warn(msg, NothingSelectedWarning, stacklevel=2)
        return self

    def _shadow(self, est: Any, X: np.ndarray, y: np.ndarray, seed: int, names: list[str]):
        n, p = X.shape
        rng = np.random.default_rng(seed)
        R = int(self.n_shadow)
        level = float(self.alpha) / p
        if 0.5**R >= level:
            warnings.warn(
                f"n_shadow={R} rounds can never confirm a feature at alpha/p = {level:.3g} "
                f"(needs 0.5^n_shadow < alpha/p, i.e. n_shadow >= {math.ceil(math.log2(1 / level)) + 0}); raise n_shadow",
                SelectionWarning,
                stacklevel=3,
            )
        imps = np.empty((p, R))
        shadow_max = np.empty(R)
        for r in progress(range(R), disable=not self.progress, desc="shadow rounds", unit="round"):
            shadow = np.empty_like(X)
            for j in range(p):
                shadow[:, j] = X[rng.permutation(n), j]
            m = clone(est)
            if "random_state" in m.get_params():
                m.set_params(random_state=seed + r)
            m.fit(np.hstack([X, shadow]), y)
            imp = np.asarray(m.feature_importances_, float)
            imps[:, r] = imp[:p]
            shadow_max[r] = imp[p:].max()
        hits = (imps > shadow_max[None, :]).sum(axis=1)
        p_confirm = binom.sf(hits - 1, R, 0.5)  # P(X >= hits)
        p_reject = binom.cdf(hits, R, 0.5)  # P(X <= hits)
        decision = np.where(p_confirm < level, "confirmed", np.where(p_reject < level, "rejected", "tentative"))
        extra = {
            "n_shadow": R,
            "alpha": float(self.alpha),
            "level": level,
            "hits": hits.astype(int),
            "p_confirm": p_confirm,
            "p_reject": p_reject,
            "decision": decision.tolist(),
            "shadow_max": shadow_max,
        }
        return imps.mean(axis=1), imps.std(axis=1, ddof=1) if R > 1 else np.zeros(p), imps, extra

    def _rule(self, scores: np.ndarray, sds: np.ndarray | None, extra: dict[str, Any]) -> tuple[np.ndarray, str]:
        positive = scores > 0
        if self.method == "shadow":
            return np.asarray(extra["decision"]) == "confirmed", (
                f"shadow test: hits in {extra['n_shadow']} rounds, one-sided binomial P < alpha/p = {extra['level']:.3g}"
            )
        if self.threshold is not None:
            t = float(self.threshold)
            return (scores >= t) & positive, f"score >= {t:g}"
        if self.top_k is not None:
            k = min(int(self.top_k), scores.size)
            order = np.argsort(-scores, kind="stable")[:k]
            mask = np.zeros(scores.size, bool)
            mask[order] = True
            return mask & positive, f"top {int(self.top_k)} scores"
        if self.cumulative is not None:
            c = float(self.cumulative)
            pos = np.where(positive, scores, 0.0)
            total = pos.sum()
            mask = np.zeros(scores.size, bool)
            if total > 0:
                order = np.argsort(-pos, kind="stable")
                share = np.cumsum(pos[order]) / total
                k = int(np.searchsorted(share, c - 1e-12, side="left")) + 1
                mask[order[:k]] = True
            return mask & positive, f"fewest top features reaching {c:g} of the total positive importance"
        if self.method == "impurity":
            t = float(scores.mean())
            return (scores >= t) & positive, f"score >= mean score ({t:.4g})"
        assert sds is not None
        return (scores - 2 * sds > 0), "mean - 2 sd > 0 over the permutation repeats"

    def _get_support_mask(self) -> np.ndarray:
        check_is_fitted(self, "support_")
        return self.support_

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.allow_nan = False
        return tags


def _scored_rows(max_samples: Any, n_test: int) -> int:
    """Held-out rows scored per permutation repeat (``max_samples`` as a count or a share, at most ``n_test``)."""
    if max_samples is None:
        return n_test
    if isinstance(max_samples, (float, np.floating)):
        return max(2, min(n_test, int(max_samples * n_test)))
    return min(n_test, int(max_samples))


def _plain(v: Any) -> Any:
    """A model parameter as JSON has it (numbers, strings, None)."""
    return v.item() if isinstance(v, np.generic) else v if isinstance(v, (int, float, str, bool, type(None))) else str(v)


def _numeric(a: Any) -> bool:
    return np.asarray(a).dtype.kind in "biuf"


def _tree_sd(est: Any) -> np.ndarray | None:
    trees = getattr(est, "estimators_", None)
    if trees is None or not hasattr(trees, "__len__") or len(trees) < 2:
        return None
    try:
        per = np.array([t.feature_importances_ for t in np.ravel(trees)])
    except AttributeError:
        return None
    return per.std(axis=0)


# ---------------------------------------------------------------------- result
class ImportanceResult(SelectionResult):
    """Outcome of :class:`ImportancePruner`.

    Attributes
    ----------
    method, model, task : str
    feature_names : list of str
    scores, sds : ndarray (sds may be None)
    raw : ndarray (p, repeats) or None: per-repeat permutation importances / per-round shadow importances
    selected, pruned : list of str
    rule : str, the pruning rule in words
    seed : int
    warnings : list of str
    extra : dict: ``n_jobs`` (resolved), ``model_params`` (the model's size: trees / iterations, leaves, ...),
        ``sizing`` (``n``, ``p``, ``auto``: each parameter left at "auto" and what it became, ``note``);
        permutation ``n_train``, ``n_test``, ``n_scored``, ``n_repeats``, ``test_score``, ``scoring``; shadow ``hits``,
        ``p_confirm``, ``p_reject``, ``decision``, ``shadow_max``, ``n_shadow``, ``alpha``
    provenance : dict
    """

    def __init__(self, *, method, model, estimator_name, task, feature_names, scores, sds, raw, support, rule, seed, n_obs, warnings, extra):
        self.method = method
        self.model = model
        self.estimator_name = estimator_name
        self.task = task
        self.feature_names = feature_names
        self.scores = scores
        self.sds = sds
        self.raw = raw
        self.support = np.asarray(support, bool)
        self.rule = rule
        self.seed = seed
        self.n_obs = n_obs
        self.warnings = list(warnings)
        self.extra = extra
        self.selected = [f for f, s in zip(feature_names, self.support) if s]
        self.pruned = [f for f, s in zip(feature_names, self.support) if not s]
        self.provenance = provenance(seed=seed, with_r=False)

    @property
    def n_rows(self) -> int:
        """Rows of the data (``n_obs``; the key every statprune JSON has)."""
        return self.n_obs

    @property
    def ranks(self) -> np.ndarray:
        """Rank of each feature (1 = most important; ties by column order)."""
        order = np.argsort(-self.scores, kind="stable")
        r = np.empty(order.size, int)
        r[order] = np.arange(1, order.size + 1)
        return r

    def to_frame(self) -> pd.DataFrame:
        """One row per feature, most important first."""
        d: dict[str, Any] = {"importance": self.scores}
        if self.sds is not None:
            d["sd"] = self.sds
        d["rank"] = self.ranks
        d["selected"] = self.support
        if self.method == "shadow":
            for k in ("hits", "p_confirm", "p_reject", "decision"):
                d[k] = self.extra[k]
        fr = pd.DataFrame(d, index=pd.Index(self.feature_names, name="feature"))
        return fr.sort_values("rank")

    def _details(self) -> dict[str, Any]:
        scores = {f: float(s) for f, s in zip(self.feature_names, self.scores)}
        out: dict[str, Any] = {
            "method": self.method,
            "model": self.model,
            "estimator": self.estimator_name,
            "task": self.task,
            "scores": scores,
            "sds": None if self.sds is None else {f: float(s) for f, s in zip(self.feature_names, self.sds)},
            "ranks": {f: int(r) for f, r in zip(self.feature_names, self.ranks)},
            "rule": self.rule,
            "seed": self.seed,
            "n_obs": self.n_obs,
            "warnings": self.warnings,
        }
        for k, v in self.extra.items():
            if k in ("hits", "p_confirm", "p_reject", "decision"):
                out[k] = {f: (v[i] if isinstance(v, list) else v[i].item()) for i, f in enumerate(self.feature_names)}
            else:
                out[k] = v
        return out

    def _summary_text(self) -> str:
        """Text summary: the rule, the held-out score where there is one, the table."""
        what = {
            "impurity": "mean decrease in impurity (training data)",
            "permutation": "permutation importance on held-out data",
            "shadow": "shadow-feature test (Boruta-style) on impurity importance",
        }[self.method]
        lines = [f"{self.estimator_name} ({self.task}), {what}; n = {self.n_obs}, seed = {self.seed}"]
        if self.method == "permutation":
            e = self.extra
            lines.append(
                f"held-out {e['scoring']} = {e['test_score']:.4f} (train {e['n_train']}, test {e['n_test']}); "
                f"{self.raw.shape[1] if self.raw is not None else 0} repeats"
                + (f", each scoring {e['n_scored']} random held-out rows" if e.get("n_scored", e["n_test"]) < e["n_test"] else "")
            )
        lines.append(f"Rule: {self.rule}")
        if "sizing" in self.extra:
            lines.append(f"Sizing: {self.extra['sizing']['note']}")
        lines.append("")
        lines.append(self.to_frame().to_string(float_format=lambda v: f"{v:.5g}"))
        lines.append("")
        lines.append(f"Selected ({len(self.selected)}): {', '.join(self.selected) or '(none)'}")
        lines.append(f"Pruned   ({len(self.pruned)}): {', '.join(self.pruned) or '(none)'}")
        for w in self.warnings:
            lines.append(f"Warning: {w}")
        return "\n".join(lines)

    def _repr_info(self) -> str:
        return f"method={self.method!r} model={self.model!r} selected={len(self.selected)}/{len(self.feature_names)}"

    def _summary_html(self) -> str:
        head = html.escape(f"{self.estimator_name}: {self.method} importance; rule: {self.rule}")
        warn = "".join(f"<p><i>{html.escape(w)}</i></p>" for w in self.warnings)
        return f"<div><p><b>{head}</b></p>{self.to_frame().to_html(float_format=lambda v: f'{v:.5g}')}{warn}</div>"


def importance_table(
    data: Any,
    target: str,
    *,
    exclude: tuple[str, ...] | list[str] = (),
    drop_missing: bool = False,
    categorical: str = "error",
    **params: Any,
) -> ImportanceResult:
    """Run :class:`ImportancePruner` on a table (path or DataFrame); what ``statprune importance`` runs.

    Examples
    --------
    >>> from statprune.datasets import load_pima
    >>> res = importance_table(load_pima(), "type", method="impurity", n_estimators=30, top_k=3, random_state=0)
    >>> res.task, len(res.selected)
    ('classification', 3)
    """
    prep = prepare_xy(data, target, exclude=exclude, drop_missing=drop_missing, categorical=categorical, constant="keep")
    check_target(prep.y, target, kind="any")  # a NaN target: name the column, not sklearn's "Input y"
    if pd.api.types.is_numeric_dtype(prep.y.dtype) and not np.isfinite(np.asarray(prep.y, dtype=np.float64)).all():
        raise DataError(f"target '{target}' has infinite value(s); remove those rows first")
    msg = f"constant column(s) {prep.constant} carry no information; they get importance 0"
    if prep.constant:
        warnings.warn(msg, SelectionWarning, stacklevel=2)
    res = ImportancePruner(**params).fit(prep.X, prep.y).result_
    if prep.constant:
        res.warnings.insert(0, msg)  # also in the result (the CLI reports warnings from there)
    return res
