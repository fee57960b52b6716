"""Side-by-side comparison of the pruning methods on one data set and one split.

:func:`compare` splits the data once (seeded ``train_test_split``, stratified for
a binary target), runs every method on the *training* rows only, refits a plain
model on what each method keeps, and scores it on the *held-out* rows:

========================  =====================================================  ==========================
column                    selection (training rows)                              refit (training rows)
========================  =====================================================  ==========================
``lasso.min``             ``GlmnetCV`` (R ``cv.glmnet``, 10 folds, ``set.seed``)   OLS / logistic on the
                          non-zero coefficients at ``lambda.min``                 kept features
``lasso.1se``             the same fit, at ``lambda.1se``                         idem
``stepwise``              ``stepwise(train, "y ~ .", direction="backward",        idem
                          criterion="aic")``: R's ``step(lm(y ~ ., train))``
``importance``            ``ImportancePruner`` (random forest, permutation         idem
                          importance on a held-out part of the training rows,
                          ``mean - 2 sd > 0``)
``pca``                   ``PCAPruner`` (``prcomp(scale.=TRUE)``, 90% of the       OLS / logistic on the kept
                          variance; features loading on kept components with       component scores (principal
                          ``|corr| >= 0.5``)                                      components regression)
``subsets`` (on request)  ``regsubsets(train, y)`` (R ``leaps::regsubsets``):      OLS / logistic on the
                          the subset of smallest BIC                              kept features
``vif`` (on request)      ``vif(train, "y ~ .", threshold=10)`` (R ``car::vif``):  idem
                          drop the largest GVIF^(1/Df) above 10, repeat
``selective`` (request)   ``fixed_lasso_inf`` at ``lambda.min`` of ``cv.glmnet(    idem
                          standardize=FALSE)`` on the scaled training columns:
                          the lasso's terms with selective p-value <= 0.1
``knockoff`` (request)    ``knockoff_filter`` at FDR 0.1 (fixed-X equicorrelated   idem
                          knockoffs when n >= 2p and gaussian, else model-X
                          second-order; the ``lambdasmax`` statistic)
``all`` / ``none``        every feature / intercept only (reference rows)         idem
========================  =====================================================  ==========================

``selective`` and ``knockoff`` (issue 17, docs/inference.md) run only when asked for
(``methods=(..., "selective", "knockoff")``, ``--method selective``).

Held-out error: mean squared error (and R^2) for a numeric target; misclassification
rate at probability 0.5 (and mean binomial deviance) for a two-class target. The
p-values of a refitted model would not be valid after selection; none are reported.

A method that cannot run here (R missing for the Lasso) is reported as not run,
with the reason; the others still run. Bad input raises ``DataError``.
"""

from __future__ import annotations

import math
import re
import sys
import types
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from sklearn.model_selection import train_test_split

from ._data import prepare_xy
from ._provenance import provenance
from ._validation import check_target
from .collinearity import vif
from .errors import DataError, ParameterError, RError, RNotAvailableError, SelectionWarning
from .importance import ImportancePruner
from .knockoff import knockoff_filter
from .lasso import GlmnetCV
from .pca import PCAPruner
from .plotting import CompareDisplay  # the display lives with every Display; importable from here too
from .results import SelectionResult
from .selective import fixed_lasso_inf
from .stepwise import stepwise
from .subsets import regsubsets

__all__ = ["CompareDisplay", "CompareResult", "compare"]

METHODS = ("lasso", "stepwise", "importance", "pca")
#: further methods, run when asked for (``methods=(..., "subsets", "vif")``, CLI ``--method subsets``);
#: "selective" and "knockoff" are issue 17's valid-inference columns
EXTRA_METHODS = ("subsets", "vif", "selective", "knockoff")
_LABELS = {
    "selective": "selective p <= 0.1 (fixedLassoInf)",
    "knockoff": "knockoff+ at FDR 0.1",
    "lasso.min": "Lasso (lambda.min)",
    "lasso.1se": "Lasso (lambda.1se)",
    "stepwise": "stepwise (AIC, backward)",
    "importance": "RF permutation importance",
    "pca": "PCA (components regression)",
    "subsets": "best subset (BIC, leaps)",
    "vif": "VIF pruning (car::vif, GVIF^(1/Df) <= 10)",
    "all": "all features",
    "none": "intercept only",
}


def _quote(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z.][A-Za-z0-9._]*", name) else f"`{name}`"


def _unquote(term: str) -> str:
    return term[1:-1] if term.startswith("`") and term.endswith("`") else term


class _Refit:
    """OLS / logistic regression through statsmodels (R's lm / glm), with held-out metrics."""

    def __init__(self, binary: bool):
        self.binary = binary

    def score(self, Ztr: np.ndarray, ytr: np.ndarray, Zte: np.ndarray, yte: np.ndarray) -> dict[str, float]:
        A = np.column_stack([np.ones(len(ytr)), Ztr])
        B = np.column_stack([np.ones(len(yte)), Zte])
        if not self.binary:
            beta = sm.OLS(ytr, A).fit().params
            pred = B @ beta
            mse = float(np.mean((yte - pred) ** 2))
            sst = float(np.sum((yte - yte.mean()) ** 2))
            return {"mse": mse, "rmse": math.sqrt(mse), "r2": 1.0 - mse * len(yte) / sst if sst > 0 else math.nan}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (quasi-)separation: the refit still predicts
            try:
                beta = sm.GLM(ytr, A, family=sm.families.Binomial()).fit().params
            except Exception:  # noqa: BLE001 - perfect separation in statsmodels raises
                beta = sm.GLM(ytr, A, family=sm.families.Binomial()).fit_regularized(alpha=1e-8, L1_wt=0.0).params
        eta = np.clip(B @ beta, -30, 30)
        prob = 1.0 / (1.0 + np.exp(-eta))
        err = float(np.mean((prob > 0.5).astype(float) != yte))
        eps = 1e-15
        dev = float(-2 * np.mean(yte * np.log(np.clip(prob, eps, 1)) + (1 - yte) * np.log(np.clip(1 - prob, eps, 1))))
        return {"error_rate": err, "deviance": dev}


def compare(
    data: Any,
    target: str,
    *,
    seed: int = 1,
    test_size: float = 0.25,
    exclude: Sequence[str] = (),
    methods: Sequence[str] = METHODS,
    lasso_params: dict[str, Any] | None = None,
    stepwise_params: dict[str, Any] | None = None,
    importance_params: dict[str, Any] | None = None,
    pca_params: dict[str, Any] | None = None,
    subsets_params: dict[str, Any] | None = None,
    vif_params: dict[str, Any] | None = None,
    drop_missing: bool = False,
    categorical: str = "error",
    progress: Callable[[str], None] | None = None,
) -> CompareResult:
    """Run Lasso, stepwise, tree importance and PCA on the same split; compare what each keeps.

    Parameters
    ----------
    data : path or DataFrame
    target : str
        A numeric target (gaussian / OLS) or a two-class target (binomial / logistic).
    seed : int
        Seeds the train/test split, R's ``set.seed`` before ``cv.glmnet``, the forest and the shuffles.
    test_size : float
        Held-out share (default 0.25).
    exclude : columns that are not predictors
    methods : subset of ``("lasso", "stepwise", "importance", "pca")``
        Also ``"subsets"`` (``regsubsets`` on the training rows, exhaustive for up to 50
        features, ``nvmax = min(p, 20)``: the BIC-best subset; numeric target only) and
        ``"vif"`` (``vif(..., threshold=10)``: drop the largest GVIF^(1/Df) above 10, repeat).
    lasso_params, stepwise_params, importance_params, pca_params, subsets_params, vif_params : dict, optional
        Extra arguments for ``GlmnetCV``, ``stepwise``, ``ImportancePruner``, ``PCAPruner``,
        ``regsubsets``, ``vif``.
    drop_missing : drop rows with NaN/inf instead of raising
    categorical : "error" (refuse non-numeric predictors) or "encode" (R's treatment dummies)
    progress : callable, optional
        Called with a method name before it runs (the CLI's progress bar).

    Returns
    -------
    CompareResult

    Examples
    --------
    >>> from statprune.datasets import load_swiss
    >>> res = compare(load_swiss(), "Fertility", methods=("stepwise", "pca"), seed=1)
    >>> list(res.table.columns)
    ['stepwise', 'pca']
    >>> int(res.metrics.loc["all", "n_kept"])
    5
    """
    unknown = [m for m in methods if m not in (*METHODS, *EXTRA_METHODS)]
    if unknown or not methods:
        raise ParameterError(f"methods {unknown or list(methods)} not understood; choose from "
                             f"{', '.join((*METHODS, *EXTRA_METHODS))}")
    if not (0 < float(test_size) < 1):
        raise ParameterError(f"test_size={test_size} must be in (0, 1)")
    prep = prepare_xy(data, target, exclude=exclude, drop_missing=drop_missing, categorical=categorical, constant="error")
    X, y_raw = prep.X, prep.y
    names = prep.feature_names
    n, p = X.shape
    # which model compare fits: two classes -> logistic (binomial), else a numeric target -> OLS (gaussian)
    ys = pd.Series(np.asarray(y_raw), name=target)
    nlev = ys.nunique()
    if nlev < 2:
        raise DataError(f"target '{target}' has a single value ({ys.iloc[0]!r}); there is nothing to predict")
    binary = nlev == 2
    numeric = pd.api.types.is_numeric_dtype(ys.dtype) and not pd.api.types.is_bool_dtype(ys.dtype)
    if not binary and not numeric:
        raise DataError(
            f"target '{target}' has {nlev} classes; compare handles a numeric target (OLS) or two classes (logistic)"
        )
    family = "binomial" if binary else "gaussian"
    # the family's target rule; binomial classes in R's factor-level order, the second the event
    # (numeric labels {2, 10}: 10, as glm and glmnet take it)
    t = check_target(y_raw, family, name=target, glmnet=False)
    levels = list(t.classes) if binary else None
    y = np.asarray(t.y.codes, dtype=np.float64) if binary else np.asarray(t.y, dtype=np.float64)
    idx = np.arange(n)
    n_test = math.ceil(test_size * n)
    if n - n_test < max(p + 2, 20) or n_test < 5:
        raise DataError(
            f"{n} rows for {p} features: the training part ({n - n_test} rows) must have at least "
            f"max(p + 2, 20) rows and the held-out part ({n_test}) at least 5; use more data or fewer features"
        )
    if binary and np.bincount(y.astype(int)).min() < 4:
        raise DataError(f"target '{target}': a class has fewer than 4 rows; a stratified split cannot hold it out")
    tr, te = train_test_split(idx, test_size=test_size, random_state=seed, stratify=y if binary else None)
    Xtr, Xte = X.iloc[tr].reset_index(drop=True), X.iloc[te].reset_index(drop=True)
    ytr, yte = y[tr], y[te]
    refit = _Refit(binary)

    kept: dict[str, list[str]] = {}
    scores: dict[str, dict[str, float]] = {}
    notes: dict[str, str] = {}
    details: dict[str, Any] = {}

    def _score_features(key: str, feats: list[str]) -> None:
        kept[key] = feats
        scores[key] = refit.score(Xtr[feats].to_numpy(), ytr, Xte[feats].to_numpy(), yte)

    def _tick(m: str) -> None:
        if progress is not None:
            progress(m)

    _score_features("all", list(names))
    _score_features("none", [])
    if "lasso" in methods:
        _tick("lasso")
        try:
            kw = {"family": family, "seed": seed, **(lasso_params or {})}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                est = GlmnetCV(**kw).fit(Xtr, ytr)
            res = est.result_
            for key, s in (("lasso.min", "lambda.min"), ("lasso.1se", "lambda.1se")):
                cf = res.coef(s)
                cf = cf.drop("(Intercept)", errors="ignore")
                _score_features(key, [f for f in names if f in cf.index and cf[f] != 0])
            details["lasso"] = {"lambda_min": res.lambda_min, "lambda_1se": res.lambda_1se, "measure": res.measure_name}
        except (RNotAvailableError, RError, ImportError) as exc:
            notes["lasso.min"] = notes["lasso.1se"] = f"not run: {exc}"
    if "stepwise" in methods:
        _tick("stepwise")
        train = Xtr.assign(**{target: ytr})
        formula = f"{_quote(target)} ~ " + " + ".join(_quote(f) for f in names)
        kw = {"family": family, "direction": "backward", "criterion": "aic", **(stepwise_params or {})}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sres = stepwise(train, formula, **kw)
        terms = {_unquote(t) for t in sres.final_terms}
        _score_features("stepwise", [f for f in names if f in terms])
        details["stepwise"] = {"aic": getattr(sres, "aic", None), "criterion": kw["criterion"], "direction": kw["direction"]}
    if "importance" in methods:
        _tick("importance")
        kw = {"method": "permutation", "random_state": seed, **(importance_params or {})}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SelectionWarning)
            ires = ImportancePruner(**kw).fit(Xtr, ytr).result_
        _score_features("importance", list(ires.selected))
        details["importance"] = {"method": ires.method, "rule": ires.rule, "scores": dict(zip(names, ires.scores.tolist()))}
    if "pca" in methods:
        _tick("pca")
        kw = {"n_components": 0.9, **(pca_params or {})}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pca = PCAPruner(**kw).fit(Xtr)
        kept["pca"] = list(pca.result_.selected)
        scores["pca"] = refit.score(pca.transform(Xtr), ytr, pca.transform(Xte), yte)
        details["pca"] = {"n_components": pca.n_components_, "rule": pca.result_.rule_description,
                          "loading_threshold": pca.result_.loading_threshold}
    if "subsets" in methods:
        # leaps::regsubsets on the training rows; the subset of smallest BIC (a numeric target only)
        _tick("subsets")
        if binary:
            notes["subsets"] = "not run: best subsets (leaps::regsubsets) fit a linear model; the target has two classes"
        else:
            kw = {"method": "exhaustive" if p <= 50 else "forward", "nvmax": min(p, 20), **(subsets_params or {})}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                bres = regsubsets(Xtr.assign(**{target: ytr}), target, **kw)
            chosen = set(bres.best["bic"])
            _score_features("subsets", [f for f in names if f in chosen])
            details["subsets"] = {"method": bres.method, "nvmax": bres.nvmax, "criterion": "bic",
                                  "best": bres.best}
    if "vif" in methods:
        # car::vif on the training rows' predictors; drop the largest GVIF^(1/Df) above 10, repeat
        _tick("vif")
        kw = {"threshold": 10.0, **(vif_params or {})}
        formula = f"{_quote(target)} ~ " + " + ".join(_quote(f) for f in names)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                vres = vif(Xtr.assign(**{target: ytr}), formula, **kw)  # VIFs depend on the predictors only
            _score_features("vif", [f for f in names if _quote(f) in vres.selected or f in vres.selected])
            details["vif"] = {"threshold": vres.threshold, "dropped": vres.dropped, "dropped_gvif": vres.dropped_gvif}
        except DataError as exc:
            notes["vif"] = f"not run: {exc}"
    if "selective" in methods or "knockoff" in methods:
        _valid_inference(methods, Xtr, ytr, family, seed, _score_features, _tick, notes, details)
    order = [k for k in ("lasso.min", "lasso.1se", "stepwise", "importance", "pca", *EXTRA_METHODS)
             if k in kept or k in notes]
    return CompareResult(
        target=target,
        family=family,
        feature_names=list(names),
        order=order,
        kept=kept,
        scores=scores,
        notes=notes,
        details=details,
        seed=seed,
        test_size=float(test_size),
        n_train=len(tr),
        n_test=len(te),
        levels=levels,
    )


def _valid_inference(methods, Xtr, ytr, family, seed, score, tick, notes, details) -> None:  # noqa: ANN001
    """The opt-in columns of issue 17: selective p-values after the lasso and the knockoff filter."""
    X = Xtr.loc[:, Xtr.std(ddof=1) > 0]
    Xs = (X - X.mean()) / X.std(ddof=1)  # R's scale(x): one penalty for every column
    if "selective" in methods:
        tick("selective")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                est = GlmnetCV(family=family, standardize=False, seed=seed).fit(Xs, ytr)
                sel = fixed_lasso_inf(Xs, ytr, fit=est, s="lambda.min", family=family, alpha=0.1)
            score("selective", sel.selected)
            details["selective"] = {"lambda": sel.lambda_, "glmnet_lambda": sel.glmnet_lambda, "alpha": 0.1,
                                    "p_values": dict(zip(sel.table["term"], sel.table["p_value"].tolist()))}
        except (RNotAvailableError, RError, ImportError, ParameterError, DataError) as exc:
            notes["selective"] = f"not run: {exc}"
    if "knockoff" in methods:
        tick("knockoff")
        try:
            n, p = Xs.shape
            kind = "fixed" if family == "gaussian" and n >= 2 * p else "second-order"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ko = knockoff_filter(Xs, ytr, knockoffs=kind, method="sdp", statistic="lambdasmax", fdr=0.1,
                                     family=family, seed=seed)
            score("knockoff", ko.selected)
            details["knockoff"] = {"knockoffs": kind, "statistic": "lambdasmax", "fdr": 0.1,
                                   "threshold": ko.threshold if math.isfinite(ko.threshold) else None}
        except (RNotAvailableError, RError, ImportError, ParameterError, DataError) as exc:
            notes["knockoff"] = f"not run: {exc}"


class CompareResult(SelectionResult):
    """What each method keeps (``table``) and the held-out error of its refit (``metrics``).

    Attributes
    ----------
    table : DataFrame (features x methods) of bool, True = kept
    metrics : DataFrame (methods + "all"/"none") with ``n_kept`` and the held-out metrics
    kept : dict method -> list of kept features
    notes : dict method -> reason it did not run
    details : dict method -> method-specific numbers (lambda.min/1se, AIC, rule...)
    """

    def __init__(self, *, target, family, feature_names, order, kept, scores, notes, details, seed, test_size,
                 n_train, n_test, levels):
        self.target = target
        self.family = family
        self.feature_names = feature_names
        self.order = order
        self.kept = kept
        self.scores = scores
        self.notes = notes
        self.details = details
        self.seed = seed
        self.test_size = test_size
        self.n_train = n_train
        self.n_test = n_test
        self.levels = levels
        self.metric = "error_rate" if family == "binomial" else "mse"
        ran = [m for m in order if m in kept]
        self.table = pd.DataFrame(
            {m: [f in set(kept[m]) for f in feature_names] for m in ran},
            index=pd.Index(feature_names, name="feature"),
        )
        rows = []
        for m in [*ran, "all", "none"]:
            rows.append({"method": m, "n_kept": len(kept[m]), **scores[m]})
        self.metrics = pd.DataFrame(rows).set_index("method")
        self.provenance = provenance(seed=seed, with_r=False)

    def to_frame(self) -> pd.DataFrame:
        """The feature x method table of kept (True) / pruned (False)."""
        return self.table.copy()

    @property
    def _union(self) -> set[str]:
        return {f for m in self.order if m in self.kept for f in self.kept[m]}

    @property
    def selected(self) -> list[str]:
        """Features kept by at least one method that ran."""
        union = self._union
        return [f for f in self.feature_names if f in union]

    @property
    def pruned(self) -> list[str]:
        """Features kept by no method."""
        union = self._union
        return [f for f in self.feature_names if f not in union]

    @property
    def n_rows(self) -> int:
        """Rows of the data (training and held-out)."""
        return int(self.n_train + self.n_test)

    def _details(self) -> dict[str, Any]:
        methods = {}
        for m in [*self.order, "all", "none"]:
            if m in self.kept:
                methods[m] = {
                    "label": _LABELS[m],
                    "selected": list(self.kept[m]),
                    "pruned": [f for f in self.feature_names if f not in set(self.kept[m])],
                    "n_kept": len(self.kept[m]),
                    "heldout": self.scores[m],
                    **({"details": self.details[m.split(".")[0]]} if m.split(".")[0] in self.details else {}),
                }
            else:
                methods[m] = {"label": _LABELS[m], "not_run": self.notes.get(m)}
        return {
            "method": "compare",
            "target": self.target,
            "family": self.family,
            "metric": self.metric,
            "methods": methods,
            "selected_by_method": {m: v["selected"] for m, v in methods.items() if "selected" in v},
            "pruned_by_method": {m: v["pruned"] for m, v in methods.items() if "pruned" in v},
            "table": {f: {m: bool(self.table.loc[f, m]) for m in self.table.columns} for f in self.feature_names},
            "split": {"seed": self.seed, "test_size": self.test_size, "n_train": self.n_train, "n_test": self.n_test,
                      "stratified": self.family == "binomial"},
            "levels": self.levels,
        }

    def _summary_text(self) -> str:
        """The side-by-side table (x = kept, . = pruned) and the held-out errors."""
        cols = list(self.table.columns)
        w = max([len(f) for f in self.feature_names] + [7])
        cw = max([len(c) for c in cols] + [5])
        head = f"{'feature':<{w}}  " + "  ".join(f"{c:>{cw}}" for c in cols)
        lines = [
            f"Feature selection compared on '{self.target}' ({'logistic' if self.family == 'binomial' else 'OLS'} refit); "
            f"train {self.n_train} / held-out {self.n_test} rows, seed {self.seed}",
            "",
            head,
            "-" * len(head),
        ]
        for f in self.feature_names:
            lines.append(f"{f:<{w}}  " + "  ".join(f"{('x' if self.table.loc[f, c] else '.'):>{cw}}" for c in cols))
        lines.append("")
        mcols = [c for c in self.metrics.columns if c != "n_kept"]
        lines.append(f"{'method':<{max(len(_LABELS[m]) for m in self.metrics.index)}}  {'kept':>4}  " + "  ".join(f"{c:>10}" for c in mcols))
        lw = max(len(_LABELS[m]) for m in self.metrics.index)
        for m, row in self.metrics.iterrows():
            lines.append(f"{_LABELS[m]:<{lw}}  {int(row['n_kept']):>4}  " + "  ".join(f"{row[c]:>10.4f}" for c in mcols))
        for m, why in self.notes.items():
            lines.append(f"{_LABELS[m]}: {why}")
        if "pca" in self.table.columns:
            d = self.details["pca"]
            lines.append(f"PCA: {d['n_components']} component(s) ({d['rule']}); 'x' = loads on a kept component "
                         f"(|corr| >= {d['loading_threshold']:g}); its error is that of regression on the components.")
        lines.append("Held-out errors of refits after selection; p-values of such refits are not valid (selective inference).")
        return "\n".join(lines)

    def _repr_info(self) -> str:
        return f"target={self.target!r} methods={list(self.table.columns)}"

    def _summary_html(self) -> str:
        t = self.table.replace({True: "kept", False: "."})
        return f"<div>{t.to_html()}{self.metrics.to_html(float_format=lambda v: f'{v:.4f}')}</div>"


class _CallableModule(types.ModuleType):
    """``statprune.compare`` is both this module and the function: ``statprune.compare(data, target)``."""

    def __call__(self, *args: Any, **kwargs: Any) -> CompareResult:
        return compare(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
