"""scikit-learn compliance of GlmnetCV (every fit runs cv.glmnet in R)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from statprune import datasets
from statprune.lasso import GlmnetCV

pytestmark = [pytest.mark.sklearn, pytest.mark.against_r]

#: Checks that cannot apply to a cross-validated glmnet selector, and why.
EXPECTED_FAILED = {
    "check_sample_weight_equivalence_on_dense_data": (
        "cross-validation assigns folds to rows: a row with weight 2 sits in one fold while its duplicate "
        "can land in another, so the CV curve and hence lambda.min differ (cv.glmnet behaves the same in R)"
    ),
    # sparse X is accepted (a dgCMatrix in R): the same fold argument applies
    "check_sample_weight_equivalence_on_sparse_data": (
        "cross-validation assigns folds to rows: a row with weight 2 sits in one fold while its duplicate "
        "can land in another (sparse input, same reason as for dense data)"
    ),
}


# seed=0: without a seed the folds come from R's RNG (as cv.glmnet), so refits differ (check_fit_idempotent).
# nfolds=3 and nlambda=10 keep the ~50 checks fast; they exercise the same code path.
@parametrize_with_checks([GlmnetCV(nfolds=3, nlambda=10, seed=0)], expected_failed_checks=lambda est: EXPECTED_FAILED)
def test_sklearn_compliance(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def boston():
    d = datasets.load_boston()
    return d.drop(columns="medv"), d["medv"]


def test_pipeline_set_output_and_feature_names(boston):
    X, y = boston
    pipe = Pipeline([("sel", GlmnetCV(seed=42, s="lambda.1se")), ("ols", LinearRegression())])
    pipe.fit(X, y)
    sel = pipe.named_steps["sel"]
    assert list(sel.get_feature_names_out()) == sel.result_.selected
    assert pipe.named_steps["ols"].n_features_in_ == len(sel.result_.selected)
    est = GlmnetCV(seed=42).set_output(transform="pandas").fit(X, y)
    Xt = est.transform(X)
    assert list(Xt.columns) == ["crim", "zn", "chas", "nox", "rm", "dis", "rad", "tax", "ptratio", "black", "lstat"]


def test_clone_and_gridsearch(boston):
    X, y = boston
    est = GlmnetCV(seed=1, nfolds=5, alpha=0.5, penalty_factor={"lstat": 0.0})
    c = clone(est)
    assert c.get_params() == est.get_params() and not hasattr(c, "result_")
    gs = GridSearchCV(GlmnetCV(seed=1, nfolds=3, nlambda=20), {"alpha": [0.5, 1.0]}, cv=3, scoring="r2")
    gs.fit(X.to_numpy(), y.to_numpy())
    assert gs.best_params_["alpha"] in (0.5, 1.0)
    assert np.isfinite(gs.best_score_)


def test_pickle_roundtrip_keeps_r_fit(boston, tmp_path):
    X, y = boston
    est = GlmnetCV(seed=42).fit(X, y)
    est2 = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(est2.predict(X), est.predict(X))
    assert est2.result_.assess(X, y)["mse"] == pytest.approx(est.result_.assess(X, y)["mse"], rel=1e-12)
    est2.result_.save_rds(tmp_path / "fit.rds")
    assert (tmp_path / "fit.rds").stat().st_size > 0


def test_lambda_maps_to_sklearn_lasso_alpha(boston):
    """glmnet's gaussian lambda (standardize=FALSE) is sklearn's Lasso alpha."""
    from sklearn.linear_model import Lasso

    X, y = boston[0].to_numpy(float), boston[1].to_numpy(float)
    est = GlmnetCV(seed=1, standardize=False, thresh=1e-14, lambda_=[1.0, 0.5, 0.2], s=0.2).fit(X, y)
    sk = Lasso(alpha=0.2, tol=1e-12, max_iter=500_000).fit(X, y)
    # glmnet stops on its own convergence rule (change in objective), hence 1e-5 not 1e-8
    np.testing.assert_allclose(est.coef_, sk.coef_, atol=1e-5)
    np.testing.assert_allclose(est.intercept_, sk.intercept_, atol=1e-4)


# --------------------------------------------------------------------------- metadata routing
# GlmnetCV is not a BaseEstimator (statprune/_estimator.py, so that fit needs no scikit-learn); its
# set_{method}_request and get_metadata_routing must be those BaseEstimator would give it.
def _sklearn_twin(cls: type, base: type | None = None) -> type:
    """A scikit-learn BaseEstimator (or ``base``) with ``cls``'s methods (hence their signatures) and class
    attributes."""
    from sklearn.base import BaseEstimator
    from sklearn.utils._metadata_requests import SIMPLE_METHODS

    body = {m: getattr(cls, m) for m in SIMPLE_METHODS if hasattr(cls, m)}
    body.update({k: v for k, v in vars(cls).items() if "__metadata_request__" in k or k.endswith("_request")})
    return type(f"{cls.__name__}Twin", (base or BaseEstimator,), body)


def _request_methods(cls: type) -> dict[str, list[str]]:
    import inspect

    return {m: list(inspect.signature(getattr(cls, m)).parameters)[1:] for m in dir(cls)
            if m.startswith("set_") and m.endswith("_request")}


def test_simple_methods_are_sklearns():
    from sklearn.utils._metadata_requests import SIMPLE_METHODS as SK

    from statprune._estimator import SIMPLE_METHODS

    assert list(SIMPLE_METHODS) == SK


def test_routing_methods_and_requests_match_base_estimator():
    import sklearn

    twin = _sklearn_twin(GlmnetCV)
    got = _request_methods(GlmnetCV)
    assert got == _request_methods(twin)
    assert got == {"set_decision_function_request": ["offset"],
                   "set_fit_request": ["offset", "progress", "sample_weight", "strata"],
                   "set_predict_proba_request": ["offset"], "set_predict_request": ["offset"],
                   "set_score_request": ["sample_weight"]}
    assert GlmnetCV().get_metadata_routing()._serialize() == twin().get_metadata_routing()._serialize()
    with sklearn.config_context(enable_metadata_routing=True):
        ours = GlmnetCV().set_fit_request(sample_weight=True, offset="off").set_score_request(sample_weight=False)
        theirs = twin().set_fit_request(sample_weight=True, offset="off").set_score_request(sample_weight=False)
        assert ours.get_metadata_routing()._serialize() == theirs.get_metadata_routing()._serialize()
        assert ours.get_metadata_routing()._serialize()["fit"] == {
            "sample_weight": True, "offset": "off", "strata": None, "progress": None}
        with pytest.raises(TypeError, match="Unexpected args"):
            GlmnetCV().set_fit_request(weights=True)


def test_routing_rule_for_subclasses_matches_base_estimator():
    """The class-definition rule (which set_*_request exist) on shapes GlmnetCV does not have."""
    from sklearn.utils.metadata_routing import UNUSED

    from statprune._estimator import Estimator

    class A(Estimator):
        def fit(self, X, y=None, sample_weight=None, *args, **kw):
            return self

        def transform(self, X):
            return X

        def score(self, X, y):
            return 0.0

    class B(A):  # no metadata of its own, but A hands down set_fit_request
        def fit(self, X, y=None):
            return self

    class C(A):
        __metadata_request__fit = {"sample_weight": UNUSED}  # noqa: RUF012
        __metadata_request__transform = {"copy": True}  # noqa: RUF012

    class D(A):
        def set_fit_request(self, **kw):  # an explicit one is kept
            return "own"

    class E(Estimator):  # UNUSED removes the only metadata: no set_fit_request
        __metadata_request__fit = {"sample_weight": UNUSED}  # noqa: RUF012

        def fit(self, X, y=None, sample_weight=None):
            return self

    twin_a = _sklearn_twin(A)
    for cls in (A, B, C, D, E):
        twin = _sklearn_twin(cls) if cls in (A, E) else _sklearn_twin(cls, twin_a)
        assert _request_methods(cls) == _request_methods(twin), cls.__name__
        assert cls().get_metadata_routing()._serialize() == twin().get_metadata_routing()._serialize(), cls.__name__
    assert set(_request_methods(A)) == {"set_fit_request"} and _request_methods(B) == {"set_fit_request": []}
    assert set(_request_methods(C)) == {"set_fit_request", "set_transform_request"} and not _request_methods(E)
    assert D().set_fit_request() == "own"


def test_set_request_needs_routing_enabled():
    # routing off (scikit-learn's default): as a BaseEstimator, set_fit_request refuses
    with pytest.raises(RuntimeError, match="enable_metadata_routing=True"):
        GlmnetCV().set_fit_request(sample_weight=True)


@pytest.fixture(scope="module")
def weighted():
    rng = np.random.default_rng(3)
    n = 150
    X = rng.standard_normal((n, 6)) * [1, 2, 3, 1, 5, 1] + 10
    y = X[:, 0] - 0.5 * X[:, 1] + 0.2 * X[:, 2] + rng.standard_normal(n)
    w = rng.uniform(0.2, 3.0, n)
    return X, y, w, np.arange(n) % 5 + 1


def test_pipeline_routes_sample_weight(weighted):
    import sklearn
    from sklearn.preprocessing import StandardScaler
    from sklearn.utils._metadata_requests import UnsetMetadataPassedError

    X, y, w, foldid = weighted
    Xs = StandardScaler().fit_transform(X)
    direct = GlmnetCV(engine="gram", foldid=foldid).fit(Xs, y, sample_weight=w)
    unweighted = GlmnetCV(engine="gram", foldid=foldid).fit(Xs, y)
    assert direct.result_.provenance["engine"] == "gram"
    assert not np.allclose(direct.coef_, unweighted.coef_)  # the weights matter: the test can fail
    # routing off: the old way (step__param) still works, unchanged
    old = Pipeline([("s", StandardScaler()), ("g", GlmnetCV(engine="gram", foldid=foldid))]).fit(X, y, g__sample_weight=w)
    np.testing.assert_array_equal(old.named_steps["g"].coef_, direct.coef_)
    with sklearn.config_context(enable_metadata_routing=True):
        g = GlmnetCV(engine="gram", foldid=foldid).set_fit_request(sample_weight=True)
        pipe = Pipeline([("s", StandardScaler().set_fit_request(sample_weight=False)), ("g", g)])
        pipe.fit(X, y, sample_weight=w)
        np.testing.assert_array_equal(pipe.named_steps["g"].coef_, direct.coef_)
        np.testing.assert_array_equal(pipe.named_steps["g"].intercept_, direct.intercept_)
        # a weight GlmnetCV did not request: scikit-learn's error, as for any BaseEstimator
        unrequested = Pipeline([("s", StandardScaler().set_fit_request(sample_weight=False)),
                                ("g", GlmnetCV(engine="gram", foldid=foldid))])
        with pytest.raises(UnsetMetadataPassedError, match="sample_weight"):
            unrequested.fit(X, y, sample_weight=w)
        # an alias routes another name to sample_weight
        alias = Pipeline([("g", GlmnetCV(engine="gram", foldid=foldid).set_fit_request(sample_weight="gw"))])
        np.testing.assert_array_equal(alias.fit(Xs, y, gw=w).named_steps["g"].coef_, direct.coef_)


def test_cross_validate_and_gridsearch_route_sample_weight(weighted):
    import sklearn
    from sklearn.model_selection import KFold, cross_validate

    X, y, w, _ = weighted
    cv = KFold(3)
    with sklearn.config_context(enable_metadata_routing=True):
        est = GlmnetCV(engine="gram", nfolds=3, seed=0).set_fit_request(sample_weight=True)
        est = est.set_score_request(sample_weight=True)
        out = cross_validate(est, X, y, cv=cv, params={"sample_weight": w}, return_estimator=True)
        for (train, test), fitted, score in zip(cv.split(X), out["estimator"], out["test_score"], strict=True):
            ref = GlmnetCV(engine="gram", nfolds=3, seed=0).fit(X[train], y[train], sample_weight=w[train])
            np.testing.assert_array_equal(fitted.coef_, ref.coef_)
            assert score == ref.score(X[test], y[test], sample_weight=w[test])
        gs = GridSearchCV(est, {"alpha": [0.5, 1.0]}, cv=cv).fit(X, y, sample_weight=w)
        ref = GlmnetCV(engine="gram", nfolds=3, seed=0, **gs.best_params_).fit(X, y, sample_weight=w)
        np.testing.assert_array_equal(gs.best_estimator_.coef_, ref.coef_)


def test_clone_and_pickle_keep_the_request():
    import sklearn

    with sklearn.config_context(enable_metadata_routing=True):
        est = GlmnetCV(seed=3).set_fit_request(sample_weight=True, offset="off").set_score_request(sample_weight=True)
        want = est.get_metadata_routing()._serialize()
        assert clone(est).get_metadata_routing()._serialize() == want
        assert pickle.loads(pickle.dumps(est)).get_metadata_routing()._serialize() == want
        assert GlmnetCV(seed=3).get_metadata_routing()._serialize() != want
