"""The fast binomial/poisson engine (statprune.engines.glmpath) against R's cv.glmnet, live.

At ``thresh=1e-14`` (both converged) the lambda sequence, path length, cvm, cvsd,
coefficients, intercepts, deviance ratios and null deviance agree to 1e-8 relative
(in practice ~1e-14) and lambda.min/lambda.1se are the same indices.  At the
default ``thresh=1e-7`` the engine follows glmnet's own iterations, so it agrees
closely too (checked at 1e-6).
"""

from __future__ import annotations

import numpy as np
import pytest
from glmnet_parity import compare_cv, py_kwargs, r_cv_reference

from statprune.engines.glmpath import GlmNotSupported, cv_glmnet_glm, glm_unsupported_reason

TIGHT = 1e-14


def _data(family: str, n: int, p: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 3.0, p) + rng.uniform(-2, 2, p)
    X[:, 1:] = 0.6 * X[:, :-1] + 0.8 * X[:, 1:]
    eta = (X[:, 0] - X[:, 0].mean()) / X[:, 0].std() - 0.7 * (X[:, 1] - X[:, 1].mean()) / X[:, 1].std()
    if family == "binomial":
        y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    else:
        y = rng.poisson(np.exp(0.4 * eta + 0.5)).astype(float)
    foldid = rng.permutation(np.resize(np.arange(1, 11), n))
    return X, y, foldid


CASES = {
    "lasso": dict(n=400, p=10, kw={}),
    "enet": dict(n=400, p=10, kw={"alpha": 0.4}),
    "weights": dict(n=400, p=10, kw={}, weights=True),
    "zero_weights": dict(n=400, p=10, kw={}, weights="zeros"),
    "offset": dict(n=400, p=10, kw={}, offset=True),
    "offset_no_intercept": dict(n=400, p=10, kw={"intercept": False}, offset=True),
    "penalty_factor": dict(n=400, p=8, kw={"penalty.factor": [0, 0.5, 1, 2, 1, 1, 3, np.inf]}),
    "no_standardize": dict(n=300, p=8, kw={"standardize": False}),
    "no_intercept": dict(n=300, p=8, kw={"intercept": False}),
    "n_less_than_p": dict(n=60, p=80, kw={"nlambda": 30}),
    "limits": dict(n=300, p=8, kw={"lower.limits": 0.0, "upper.limits": 1.0}),
    "exclude": dict(n=300, p=8, kw={"exclude": [2, 5]}),
    "user_lambda": dict(n=300, p=8, kw={"lambda": [0.2, 0.1, 0.05, 0.02, 0.01, 0.001]}),
    "mse": dict(n=300, p=8, kw={"type.measure": "mse"}),
    "mae": dict(n=300, p=8, kw={"type.measure": "mae"}),
    "lambda_min_ratio": dict(n=300, p=8, kw={"lambda.min.ratio": 0.05, "nlambda": 40}),
}
BINOMIAL_ONLY = {"class": dict(n=300, p=8, kw={"type.measure": "class"}),
                 "auc": dict(n=300, p=8, kw={"type.measure": "auc"})}


def _cases():
    for fam in ("binomial", "poisson"):
        for name, c in CASES.items():
            yield pytest.param(fam, c, id=f"{fam}-{name}")
    for name, c in BINOMIAL_ONLY.items():
        yield pytest.param("binomial", c, id=f"binomial-{name}")


@pytest.mark.against_r
@pytest.mark.parametrize(("family", "case"), list(_cases()))
def test_equals_cv_glmnet_tight(r, family, case):
    X, y, foldid = _data(family, case["n"], case["p"], seed=case["n"] + case["p"])
    rng = np.random.default_rng(7)
    w = None
    if case.get("weights") is True:
        w = rng.uniform(0.2, 3.0, case["n"])
    elif case.get("weights") == "zeros":
        w = rng.uniform(0.2, 3.0, case["n"])
        w[::7] = 0.0
    off = rng.normal(0, 0.3, case["n"]) if case.get("offset") else None
    ref = r_cv_reference(X, y, foldid, weights=w, offset=off, family=family, thresh=TIGHT, **case["kw"])
    out = cv_glmnet_glm(X, y, family=family, weights=w, offset=off, foldid=foldid, thresh=TIGHT, **py_kwargs(case["kw"]))
    compare_cv(out, ref, tol=1e-8)


@pytest.mark.against_r
@pytest.mark.parametrize("family", ["binomial", "poisson"])
def test_default_thresh_follows_glmnet_iterations(r, family):
    X, y, foldid = _data(family, 500, 12, seed=3)
    ref = r_cv_reference(X, y, foldid, family=family)
    out = cv_glmnet_glm(X, y, family=family, foldid=foldid)
    compare_cv(out, ref, tol=1e-6)


@pytest.mark.against_r
@pytest.mark.parametrize("family", ["binomial", "poisson"])
def test_large_fits_update_the_predictor_once_per_irls_step(r, family):
    """Above 40,000 rows (glmpath.c's FUSED_ETA_MAX_N) the kernel brings the linear predictor up to date
    once per IRLS step instead of with every coordinate update: the same answer as R's."""
    X, y, foldid = _data(family, 46_000, 5, seed=21)  # training sets of 41,400 rows
    rng = np.random.default_rng(8)
    w = rng.uniform(0.5, 2.0, X.shape[0]) if family == "binomial" else None
    off = rng.normal(0, 0.2, X.shape[0]) if family == "poisson" else None
    ref = r_cv_reference(X, y, foldid, weights=w, offset=off, family=family, thresh=TIGHT)
    out = cv_glmnet_glm(X, y, family=family, weights=w, offset=off, foldid=foldid, thresh=TIGHT)
    compare_cv(out, ref, tol=1e-8)


@pytest.mark.parametrize(("intercept", "standardize"), [(True, True), (False, True), (True, False), (False, False)])
def test_design_is_glmnet_scale_on_the_fits_rows(intercept, standardize):
    """design.c's standardization of a fit's rows equals rules.glmnet_scale on those rows, gathered from a
    design stored by rows or by columns (bit-identical between the two)."""
    from statprune._glmnet.rules import glmnet_scale
    from statprune.engines import _native

    design = _native.design_kernel()
    if design is None:
        pytest.skip("no C compiler: the fast GLM engines leave the fits to R")
    rng = np.random.default_rng(4)
    X = rng.standard_normal((203, 7)) * rng.uniform(0.1, 50, 7) + rng.uniform(-1e3, 1e3, 7)
    X[:, 3] = 2.5  # constant
    X[::2, 5] = 1.0  # constant on the even rows
    rows = np.arange(0, 203, 2)
    w = rng.uniform(0.2, 3.0, rows.size)
    w /= w.sum()
    Xt, xm, xs, varies = design(X, rows, w, intercept, standardize)
    Xt_f, xm_f, xs_f, varies_f = design(np.asfortranarray(X), rows, w, intercept, standardize)
    for a, b in ((Xt, Xt_f), (xm, xm_f), (xs, xs_f), (varies, varies_f)):
        assert np.array_equal(a, b)
    sub = X[rows]
    xm_r, xs_r = glmnet_scale(sub, w, intercept=intercept, standardize=standardize)
    np.testing.assert_allclose(xm, xm_r, rtol=1e-14, atol=0)
    np.testing.assert_allclose(xs, xs_r, rtol=1e-12, atol=0)
    np.testing.assert_allclose(Xt, ((sub - xm_r) / xs_r).T, rtol=1e-10, atol=1e-12)
    assert varies.tolist() == (sub.min(axis=0) < sub.max(axis=0)).tolist() == [True] * 3 + [False] + [True, False, True]
    full, *_ = design(X, None, np.full(203, 1 / 203), intercept, standardize)
    assert full.shape == (7, 203)
    with pytest.raises(IndexError):
        design(X, np.array([0, 203]), np.array([0.5, 0.5]), intercept, standardize)


def test_design_layout_does_not_change_the_answer():
    """The training sets are gathered from X itself: C-order, Fortran-order and strided X give the same paths."""
    X, y, foldid = _data("binomial", 300, 6, seed=9)
    a = cv_glmnet_glm(X, y, family="binomial", foldid=foldid)
    b = cv_glmnet_glm(np.asfortranarray(X), y, family="binomial", foldid=foldid)
    wide = np.zeros((300, 12))
    wide[:, ::2] = X
    c = cv_glmnet_glm(wide[:, ::2], y, family="binomial", foldid=foldid)
    for key in ("beta", "a0", "cvm", "lambda"):
        assert np.array_equal(a[key], b[key]) and np.array_equal(a[key], c[key])


@pytest.mark.against_r
def test_seed_gives_r_folds_and_same_answer(r):
    from statprune.lasso import GlmnetCV

    X, y, _ = _data("binomial", 250, 6, seed=11)
    fast = GlmnetCV(family="binomial", engine="gram", seed=5, thresh=TIGHT).fit(X, y)
    slow = GlmnetCV(family="binomial", engine="r", seed=5, thresh=TIGHT).fit(X, y)
    assert fast.result_.provenance["engine"] == "glm"
    assert slow.result_.provenance["engine"] == "r"
    np.testing.assert_allclose(fast.cv_results_["mean_score"], slow.cv_results_["mean_score"], rtol=1e-8)
    assert fast.lambda_min_ == pytest.approx(slow.lambda_min_, rel=1e-10)
    np.testing.assert_allclose(fast.coef_, slow.coef_, rtol=1e-8, atol=1e-10)


def test_threads_do_not_change_the_answer():
    X, y, foldid = _data("poisson", 300, 6, seed=2)
    a = cv_glmnet_glm(X, y, family="poisson", foldid=foldid, n_jobs=1)
    b = cv_glmnet_glm(X, y, family="poisson", foldid=foldid, n_jobs=4)
    np.testing.assert_array_equal(a["cvm"], b["cvm"])
    np.testing.assert_array_equal(a["beta"], b["beta"])


def test_not_covered_is_reported():
    assert glm_unsupported_reason(family="multinomial") is not None
    X, y, _ = _data("binomial", 40, 4)
    with pytest.raises(GlmNotSupported, match="10 rows per fold"):
        cv_glmnet_glm(X, y, family="binomial", foldid=np.arange(40) % 10 + 1, type_measure="auc")


def test_native_build_for_this_cpu_gives_the_portable_builds_numbers(tmp_path, monkeypatch):
    """The kernels built with -march=native -ffp-contract=off give bit-identical paths to the portable
    -O3 build (the one a compiler refusing those flags gets): wider vectors, the same arithmetic."""
    from statprune.engines import _native, gram, multinomial

    if _native._compiler() is None or _native._load() is None:
        pytest.skip("no C compiler: the numba kernels run instead")

    def fits() -> list[np.ndarray]:
        out = []
        for family in ("binomial", "poisson"):
            X, y, foldid = _data(family, 300, 12, seed=3)
            w = np.random.default_rng(6).uniform(0.5, 2.0, 300)
            r = cv_glmnet_glm(X, y, family=family, weights=w, foldid=foldid, thresh=1e-10)
            out += [r["beta"], r["a0"], r["cvm"], r["lambda"]]
        X, _, _ = _data("binomial", 300, 12, seed=4)
        cls = np.random.default_rng(5).integers(0, 3, 300)
        for kind in ("ungrouped", "grouped"):
            r = multinomial.cv_glmnet_multinomial(X, cls, foldid=np.arange(300) % 5 + 1, type_multinomial=kind)
            out += [r["beta"], r["cvm"]]
        g = gram.cv_glmnet_gram(X, X[:, 0] + X[:, 1], foldid=np.arange(300) % 5 + 1, thresh=1e-12)
        return out + [g["beta"], g["cvm"]]

    native = fits()
    assert _native.library_path() is not None
    monkeypatch.setattr(_native, "_NATIVE_FLAGS", ["-mno-such-option-statprune"])  # refused: the portable build
    monkeypatch.setattr(_native, "_cache_dirs", lambda: [tmp_path])
    monkeypatch.setattr(_native, "_LIB", [])
    portable_path = _native.build()
    assert portable_path is not None and portable_path.parent == tmp_path
    assert _native._load() is not None
    portable = fits()
    assert len(native) == len(portable)
    for a, b in zip(native, portable):
        assert np.array_equal(a, b)


def test_native_library_name_holds_the_cpu(monkeypatch):
    """A cache shared between machines never loads a library built for another CPU."""
    from statprune.engines import _native

    here = _native._tag()
    monkeypatch.setattr(_native, "_cpu", lambda: b"model name : another cpu\nflags : sse2")
    assert _native._tag() != here
