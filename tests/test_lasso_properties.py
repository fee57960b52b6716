"""Property tests (hypothesis) for GlmnetCV: invariants that must hold for any data."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statprune.lasso import GlmnetCV

pytestmark = pytest.mark.against_r
SETTINGS = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _data(seed: int, n: int, p: int, orthogonal: bool = False):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    if orthogonal:  # centred orthogonal columns: the lasso path is then monotone
        X, _ = np.linalg.qr(X - X.mean(axis=0))
        X *= np.sqrt(n)
    beta = np.where(rng.random(p) < 0.5, rng.normal(scale=2, size=p), 0.0)
    y = X @ beta + rng.normal(size=n)
    return X, y


def _fit(X, y, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return GlmnetCV(nfolds=3, nlambda=25, **kw).fit(X, y)


@SETTINGS
@given(seed=st.integers(0, 10_000), p=st.integers(2, 8))
def test_lasso_selection_is_monotone_in_lambda_for_orthogonal_design(seed, p):
    X, y = _data(seed, 40, p, orthogonal=True)
    res = _fit(X, y, seed=seed).result_
    active = np.abs(res.beta) > 0  # (p, L), lambda decreasing
    # once a feature enters it stays: the support only grows as lambda decreases
    assert np.all(active[:, 1:] >= active[:, :-1])
    assert np.all(np.diff(res.nzero) >= 0)
    assert res.nzero[0] == 0  # lambda_max selects nothing


@SETTINGS
@given(seed=st.integers(0, 10_000), data=st.data())
def test_invariant_to_column_order(seed, data):
    X, y = _data(seed, 50, 5)
    perm = data.draw(st.permutations(range(5)))
    # coordinate descent visits the columns in another order, so the fits agree up to glmnet's
    # convergence threshold: tighten it (thresh 1e-14); glmnet's other inner tolerances still leave
    # ~1e-8 relative differences, hence 1e-6 below
    a = _fit(X, y, seed=seed, thresh=1e-14).result_
    b = _fit(X[:, perm], y, seed=seed, thresh=1e-14).result_
    np.testing.assert_allclose(b.lambdas, a.lambdas, rtol=1e-12)
    np.testing.assert_allclose(b.cvm, a.cvm, rtol=1e-6)
    np.testing.assert_allclose(b.beta, a.beta[perm], atol=1e-6)
    assert b.lambda_min == a.lambda_min


@SETTINGS
@given(seed=st.integers(0, 10_000), keep=st.integers(0, 5), excl=st.integers(0, 5))
def test_forced_in_and_forced_out_terms(seed, keep, excl):
    if keep == excl:
        excl = (excl + 1) % 6
    X, y = _data(seed, 40, 6)
    res = _fit(X, y, seed=seed, keep=[f"x{keep}"], exclude=[f"x{excl}"], s="lambda.1se").result_
    assert np.all(res.beta[excl] == 0) and f"x{excl}" in res.pruned  # never keeps a forced-out term
    assert f"x{keep}" in res.selected and np.all(res.beta[keep] != 0)  # penalty factor 0: always in
    assert res.lambda_1se >= res.lambda_min
