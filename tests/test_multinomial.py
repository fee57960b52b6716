"""The fast multinomial engine (statprune.engines.multinomial) against R's cv.glmnet, live.

At ``thresh=1e-14`` (both converged) the lambda sequence, cvm and cvsd (1e-12), path
length, coefficients (1e-11 of their scale) and intercepts (1e-12), deviance ratios, null
deviance, nzero and lambda.min/lambda.1se agree (measured: ~1e-15, coefficients ~3e-13), for
``type.multinomial = "ungrouped"`` and ``"grouped"``.  At the default
``thresh=1e-7`` the engine follows glmnet's own iterations, so it agrees to rounding too
(checked at 1e-6).  R's answers come from tests/r/multinom.R on the same data and folds.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from glmnet_parity import compare_cv, py_kwargs, rel
from helpers import call_test_r

from statprune import datasets
from statprune.engines.multinomial import (
    GlmNotSupported,
    cv_glmnet_multinomial,
    multinomial_nzero,
    multinomial_unsupported_reason,
)

TIGHT = 1e-14


def _data(n: int, p: int, K: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 3.0, p) + rng.uniform(-2, 2, p)
    B = rng.standard_normal((p, K)) * (rng.random((p, K)) < 0.5)
    eta = ((X - X.mean(0)) / X.std(0)) @ B
    pr = np.exp(eta - eta.max(1, keepdims=True))
    pr /= pr.sum(1, keepdims=True)
    codes = (rng.random(n)[:, None] > np.cumsum(pr, 1)).sum(1)
    foldid = rng.permutation(np.resize(np.arange(1, 11), n))
    return X, codes, foldid


def _r(X, codes, foldid, weights=None, offset=None, **args):
    args = {k: (np.asarray(v, float) if isinstance(v, list) else v) for k, v in args.items()}
    return call_test_r("multinom", "multinom_cv_reference", X, np.asarray(codes, float) + 1,
                       np.asarray(foldid, float), weights, args, offset)


CASES = {
    "lasso3": dict(n=400, p=10, K=3, kw={}),
    "lasso4": dict(n=500, p=12, K=4, kw={}),
    "enet": dict(n=400, p=10, K=3, kw={"alpha": 0.5}),
    "ridge_like": dict(n=300, p=8, K=3, kw={"alpha": 0.05}),
    "weights": dict(n=400, p=10, K=3, kw={}, weights=True),
    "zero_weights": dict(n=400, p=10, K=4, kw={}, weights="zeros"),
    "offset": dict(n=400, p=10, K=3, kw={}, offset=True),
    # (seed 1: on many data sets the ungrouped multinomial path needs more than maxit passes at
    # thresh=1e-14, in R as in the engine, which then leaves the fit to R)
    "offset_no_intercept": dict(n=400, p=10, K=3, kw={"intercept": False}, offset=True, seed=1),
    "penalty_factor": dict(n=400, p=8, K=3, kw={"penalty.factor": [0, 0.5, 1, 2, 1, 1, 3, np.inf]}),
    "penalty_factor_enet": dict(n=400, p=8, K=4, kw={"penalty.factor": [1, 0, 1, 2, np.inf, 1, 1, 1], "alpha": 0.5}),
    "exclude": dict(n=300, p=8, K=3, kw={"exclude": [2, 5]}),
    "no_intercept": dict(n=300, p=8, K=3, kw={"intercept": False}),
    "no_standardize": dict(n=300, p=8, K=3, kw={"standardize": False}),
    "limits": dict(n=300, p=8, K=3, kw={"lower.limits": -0.3, "upper.limits": 0.5}),
    "n_less_than_p": dict(n=80, p=100, K=3, kw={"nlambda": 30}),
    "user_lambda": dict(n=300, p=8, K=3, kw={"lambda": [0.2, 0.1, 0.05, 0.02, 0.01, 0.001]}),
    "lambda_min_ratio": dict(n=300, p=8, K=3, kw={"lambda.min.ratio": 0.05, "nlambda": 40}),
    "class": dict(n=300, p=8, K=3, kw={"type.measure": "class"}),
    "mse": dict(n=300, p=8, K=4, kw={"type.measure": "mse"}),
    "mae": dict(n=300, p=8, K=3, kw={"type.measure": "mae"}),
    "deviance": dict(n=300, p=8, K=3, kw={"type.measure": "deviance"}),
    # type.multinomial = "grouped": the group lasso over the classes
    "grouped": dict(n=400, p=10, K=3, kw={"type.multinomial": "grouped"}),
    "grouped4_enet": dict(n=500, p=12, K=4, kw={"type.multinomial": "grouped", "alpha": 0.5}, seed=8),
    "grouped_weights_offset": dict(n=400, p=10, K=3, kw={"type.multinomial": "grouped"}, weights="zeros",
                                   offset=True),
    "grouped_penalty_factor": dict(n=400, p=8, K=3, kw={"type.multinomial": "grouped",
                                                        "penalty.factor": [0, 0.5, 1, 2, 1, 1, 3, np.inf]}),
    "grouped_exclude_no_standardize": dict(n=300, p=8, K=3, kw={"type.multinomial": "grouped", "exclude": [2, 5],
                                                                "standardize": False}),
    "grouped_no_intercept": dict(n=300, p=8, K=3, kw={"type.multinomial": "grouped", "intercept": False}),
    "grouped_limits": dict(n=300, p=8, K=3, kw={"type.multinomial": "grouped", "lower.limits": -0.15,
                                                "upper.limits": 0.3}),
    "grouped4_limits_enet": dict(n=300, p=8, K=4, kw={"type.multinomial": "grouped", "alpha": 0.7,
                                                      "lower.limits": [-0.3, -np.inf, 0, -0.1, -1, -0.2, -0.05, -0.5],
                                                      "upper.limits": 0.4, "lambda.min.ratio": 0.03}),
    "grouped_class": dict(n=300, p=8, K=3, kw={"type.multinomial": "grouped", "type.measure": "class"}),
    "grouped_mae": dict(n=300, p=8, K=3, kw={"type.multinomial": "grouped", "type.measure": "mae"}),
    "grouped4_deviance_weights": dict(n=400, p=8, K=4, kw={"type.multinomial": "grouped", "type.measure": "deviance",
                                                            "lambda.min.ratio": 0.1}, weights=True),
    # (the grouped path at thresh=1e-14 reaches maxit near lambda.min.ratio = 0.01 on most n < p data, in R
    # as in the engine, which then leaves the fit to R: the path is stopped earlier)
    "grouped_mse_n_less_than_p": dict(n=80, p=100, K=3, kw={"type.multinomial": "grouped", "type.measure": "mse",
                                                           "nlambda": 30, "lambda.min.ratio": 0.1}),
}


@pytest.mark.against_r
@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_equals_cv_glmnet_tight(r, case):
    n, K = case["n"], case["K"]
    X, codes, foldid = _data(n, case["p"], K, seed=case.get("seed", n + case["p"] + K))
    rng = np.random.default_rng(7)
    w = None
    if case.get("weights") is True:
        w = rng.uniform(0.2, 3.0, n)
    elif case.get("weights") == "zeros":
        w = rng.uniform(0.2, 3.0, n)
        w[::7] = 0.0
    off = rng.normal(0, 0.4, (n, K)) if case.get("offset") else None
    ref = _r(X, codes, foldid, weights=w, offset=off, thresh=TIGHT, **case["kw"])
    out = cv_glmnet_multinomial(X, codes, n_classes=K, weights=w, offset=off, foldid=foldid, thresh=TIGHT,
                                **py_kwargs(case["kw"]))
    compare_cv(out, ref, tol=1e-8)
    # both converged at thresh=1e-14: agreement to rounding (measured: lambda 1e-15, cvm 1e-15,
    # cvsd 2e-14, coefficients 3e-13 of their scale, grouped or not)
    np.testing.assert_allclose(out["lambda"], ref["lambda"], rtol=1e-12)
    np.testing.assert_allclose(out["cvm"], ref["cvm"], rtol=1e-12)
    np.testing.assert_allclose(out["cvsd"], ref["cvsd"], rtol=1e-12)
    assert rel(out["beta"], np.asarray(ref["beta"]).reshape(out["beta"].shape)) < 1e-11
    assert rel(out["a0"], ref["a0"]) < 1e-12


@pytest.mark.against_r
def test_default_thresh_follows_glmnet_iterations(r):
    X, codes, foldid = _data(500, 12, 3, seed=3)
    ref = _r(X, codes, foldid)
    out = cv_glmnet_multinomial(X, codes, n_classes=3, foldid=foldid)
    compare_cv(out, ref, tol=1e-6)


@pytest.mark.against_r
def test_birthwt_race_through_glmnetcv(r):
    """A real data set (MASS::birthwt, race from the other columns) through GlmnetCV: the engine
    runs without R, and its CV curve, lambdas, coefficients and probabilities equal R's fit."""
    from statprune.lasso import GlmnetCV

    d = datasets.load_birthwt()
    X = d.drop(columns=["race"]).astype(float)
    y = d["race"]
    foldid = np.resize(np.arange(1, 6), len(d))
    fast = GlmnetCV(family="multinomial", engine="gram", foldid=foldid, thresh=TIGHT).fit(X, y)
    slow = GlmnetCV(family="multinomial", engine="r", foldid=foldid, thresh=TIGHT).fit(X, y)
    assert fast.result_.provenance["engine"] == "multinomial"
    assert slow.result_.provenance["engine"] == "r"
    _same_fit(fast, slow, X)


def _same_fit(fast, slow, X):
    np.testing.assert_allclose(fast.lambdas_, slow.lambdas_, rtol=1e-10)
    np.testing.assert_allclose(fast.cv_results_["mean_score"], slow.cv_results_["mean_score"], rtol=1e-8)
    np.testing.assert_array_equal(fast.cv_results_["nzero"], slow.cv_results_["nzero"])
    assert fast.lambda_min_ == pytest.approx(slow.lambda_min_, rel=1e-10)
    assert fast.lambda_1se_ == pytest.approx(slow.lambda_1se_, rel=1e-10)
    assert rel(fast.coef_, slow.coef_) < 1e-8
    assert rel(fast.intercept_, slow.intercept_) < 1e-8
    np.testing.assert_array_equal(fast.classes_, slow.classes_)
    np.testing.assert_allclose(fast.predict_proba(X), slow.predict_proba(X), rtol=1e-7, atol=1e-10)
    np.testing.assert_array_equal(fast.predict(X), slow.predict(X))


@pytest.mark.against_r
def test_numeric_labels_in_r_factor_order(r):
    """Labels {2, 10, 3}: R's factor levels are 2, 3, 10 (numeric order); the engine's classes,
    coefficients per class and predictions follow them, with R's folds for a seed."""
    from statprune.lasso import GlmnetCV

    X, codes, _ = _data(300, 6, 3, seed=11)
    y = np.array([2, 10, 3])[codes]
    fast = GlmnetCV(family="multinomial", engine="gram", seed=5, thresh=TIGHT).fit(X, y)
    slow = GlmnetCV(family="multinomial", engine="r", seed=5, thresh=TIGHT).fit(X, y)
    assert fast.result_.provenance["engine"] == "multinomial"
    assert [str(c) for c in fast.classes_] == ["2", "3", "10"]
    _same_fit(fast, slow, X)
    ref = call_test_r("multinom", "multinom_cv_reference", X, y.astype(float), fast.result_.foldid.astype(float),
                      None, {"thresh": TIGHT}, None)
    assert list(ref["classnames"]) == ["2", "3", "10"]
    assert rel(fast.result_.beta, np.asarray(ref["beta"])) < 1e-8


@pytest.mark.against_r
def test_offset_and_weights_through_glmnetcv(r):
    """An n x K offset and weights reach the engine from GlmnetCV.fit; predictions with a new
    offset equal R's fit's."""
    from statprune.lasso import GlmnetCV

    X, codes, foldid = _data(300, 6, 3, seed=1)
    rng = np.random.default_rng(3)
    off = rng.normal(0, 0.5, (300, 3))
    w = rng.uniform(0.5, 2.0, 300)
    kw = dict(family="multinomial", foldid=foldid, thresh=TIGHT, alpha=0.7)
    fast = GlmnetCV(engine="gram", **kw).fit(X, codes, sample_weight=w, offset=off)
    slow = GlmnetCV(engine="r", **kw).fit(X, codes, sample_weight=w, offset=off)
    assert fast.result_.provenance["engine"] == "multinomial"
    np.testing.assert_allclose(fast.lambdas_, slow.lambdas_, rtol=1e-10)
    np.testing.assert_allclose(fast.cv_results_["mean_score"], slow.cv_results_["mean_score"], rtol=1e-8)
    assert rel(fast.coef_, slow.coef_) < 1e-8
    new_off = rng.normal(0, 0.5, (300, 3))
    np.testing.assert_allclose(fast.predict_proba(X, offset=new_off), slow.predict_proba(X, offset=new_off),
                               rtol=1e-7, atol=1e-10)


@pytest.mark.against_r
@pytest.mark.parametrize("option", [{"type_logistic": "modified.Newton"},
                                    {"type_multinomial": "grouped", "type_logistic": "modified.Newton"},
                                    {"type_multinomial": "grouped", "relax": True}])
def test_uncovered_options_fall_back_to_r_silently(r, option):
    from statprune.lasso import GlmnetCV

    X, codes, foldid = _data(200, 5, 3, seed=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = GlmnetCV(family="multinomial", engine="gram", foldid=foldid, **option).fit(X, codes)
    assert est.result_.provenance["engine"] == "r"
    assert est.coef_.shape == (3, 5)


@pytest.mark.against_r
def test_grouped_path_at_maxit_is_left_to_r(r):
    """A grouped path that reaches maxit (glmnet's jerr < 0, as R's own path does on these data at
    thresh=1e-14): the engine leaves the fit to R, which returns its truncated path and its warning."""
    from statprune.lasso import GlmnetCV

    X, codes, foldid = _data(500, 12, 4, seed=0)
    with pytest.raises(GlmNotSupported, match="maxit"):
        cv_glmnet_multinomial(X, codes, foldid=foldid, thresh=TIGHT, type_multinomial="grouped", alpha=0.5)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*maxit.*")
        est = GlmnetCV(family="multinomial", engine="gram", foldid=foldid, thresh=TIGHT, alpha=0.5,
                       type_multinomial="grouped").fit(X, codes)
    assert est.result_.provenance["engine"] == "r"
    ref = _r(X, codes, foldid, thresh=TIGHT, alpha=0.5, **{"type.multinomial": "grouped"})
    np.testing.assert_allclose(est.lambdas_, ref["lambda"], rtol=1e-12)
    np.testing.assert_allclose(est.cv_results_["mean_score"], ref["cvm"], rtol=1e-12)


def test_not_covered_is_reported():
    assert multinomial_unsupported_reason(type_multinomial="grouped") is None
    assert multinomial_unsupported_reason(type_multinomial="both") is not None
    assert multinomial_unsupported_reason(type_measure="auc") is not None
    assert multinomial_unsupported_reason(type_logistic="modified.Newton") is not None
    assert multinomial_unsupported_reason(n=20, nfolds=10) is not None
    assert multinomial_unsupported_reason() is None
    X, codes, foldid = _data(60, 4, 3)
    with pytest.raises(GlmNotSupported, match="3 rows per fold"):
        cv_glmnet_multinomial(X, codes, foldid=np.arange(60) % 30 + 1)
    codes = codes.copy()
    codes[:] = 0
    codes[:5] = 1
    codes[5:40] = 2
    with pytest.raises(GlmNotSupported, match="fewer than 8"):
        cv_glmnet_multinomial(X, codes, foldid=foldid)


def test_threads_do_not_change_the_answer():
    X, codes, foldid = _data(300, 6, 4, seed=2)
    a = cv_glmnet_multinomial(X, codes, foldid=foldid, n_jobs=1)
    b = cv_glmnet_multinomial(X, codes, foldid=foldid, n_jobs=4)
    np.testing.assert_array_equal(a["cvm"], b["cvm"])
    np.testing.assert_array_equal(a["beta"], b["beta"])


@pytest.mark.against_r
def test_grouped_through_glmnetcv(r):
    from statprune.lasso import GlmnetCV

    X, codes, foldid = _data(300, 6, 3, seed=8)
    kw = dict(family="multinomial", foldid=foldid, thresh=TIGHT, type_multinomial="grouped")
    fast = GlmnetCV(engine="gram", **kw).fit(X, codes)
    slow = GlmnetCV(engine="r", **kw).fit(X, codes)
    assert fast.result_.provenance["engine"] == "multinomial"
    _same_fit(fast, slow, X)


def test_nzero_is_the_ceiling_of_the_median_over_classes():
    beta = np.zeros((4, 5, 3))
    beta[0, :1, 1] = 1.0
    beta[1, :2, 1] = 1.0  # counts 1, 2, 0, 0 -> median 0.5 -> 1
    beta[:, :3, 2] = 1.0
    np.testing.assert_array_equal(multinomial_nzero(beta), [0, 1, 3])
