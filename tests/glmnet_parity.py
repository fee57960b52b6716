"""Shared set-up of the fast engines' parity tests against R's ``cv.glmnet`` (test_gram, test_glmpath).

``r_cv_reference`` runs ``cv.glmnet`` (tests/r/gram.R) on the same data and folds,
``py_kwargs`` translates R's argument names to the engines' keyword arguments, and
``compare_cv`` asserts the engine's output equals R's: lambda to 1e-10, cvm/cvsd,
coefficients, intercepts and deviance ratios to ``tol`` relative, identical
lambda.min/lambda.1se indices, nzero and measure name.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import call_test_r


def rel(a, b) -> float:
    """max |a - b| / max |b| (max |a| when b is all zeros)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    scale = np.max(np.abs(b))
    if scale == 0:
        return float(np.max(np.abs(a)))
    return float(np.max(np.abs(a - b)) / scale)


def r_cv_reference(X, y, foldid, weights=None, offset=None, **args) -> dict:
    """R's ``cv.glmnet(x, y, weights, foldid, offset, ...)`` (``args``: R's argument names), by tests/r/gram.R."""
    args = {k: (np.asarray(v, float) if isinstance(v, list) else v) for k, v in args.items()}
    return call_test_r("gram", "gram_cv_reference", X, y, np.asarray(foldid, dtype=float), weights, args, offset)


def py_kwargs(kw: dict) -> dict:
    """R's argument names (``intercept``, ``lambda``, ``exclude`` 1-based, ``a.b``) as the engines' keywords."""
    out = {}
    for k, v in kw.items():
        if k == "intercept":
            out["fit_intercept"] = v
        elif k == "lambda":
            out["lambda_"] = v
        elif k == "exclude":
            out["exclude"] = [i - 1 for i in v]
        else:
            out[k.replace(".", "_")] = v
    return out


def compare_cv(out: dict, ref: dict, *, tol: float) -> None:
    """The engine's ``cv.glmnet`` output ``out`` equals R's ``ref``."""
    L = len(np.atleast_1d(ref["lambda"]))
    assert len(out["lambda"]) == L, (len(out["lambda"]), L)
    np.testing.assert_allclose(out["lambda"], ref["lambda"], rtol=1e-10)
    np.testing.assert_allclose(out["cvm"], ref["cvm"], rtol=tol)
    np.testing.assert_allclose(out["cvsd"], ref["cvsd"], rtol=tol * 10)
    assert rel(out["beta"], np.asarray(ref["beta"]).reshape(out["beta"].shape)) < tol
    assert rel(out["a0"], ref["a0"]) < tol
    np.testing.assert_allclose(out["dev_ratio"], ref["dev_ratio"], rtol=tol, atol=1e-12)
    np.testing.assert_allclose(out["nulldev"], ref["nulldev"], rtol=1e-10)
    assert out["lambda_min"] == pytest.approx(ref["lambda_min"], rel=1e-10)
    assert out["lambda_1se"] == pytest.approx(ref["lambda_1se"], rel=1e-10)
    assert out["index_min"] == ref["index_min"]
    assert out["index_1se"] == ref["index_1se"]
    np.testing.assert_array_equal(out["nzero"], np.asarray(ref["nzero"]).astype(int))
    assert out["name"] == ref["name"]
