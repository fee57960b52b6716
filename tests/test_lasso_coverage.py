"""glmnet features an R user writes every day (issue 13), each against R on glmnet's own data.

Every case fits ``cv.glmnet`` in plain R (``tests/r/glmnet_coverage.R``, Rscript, glmnet's
``data(package = "glmnet")`` sets, ``set.seed(1)``, 5 folds) and the same model with
:class:`GlmnetCV` or the CLI on the CSV R wrote. Tolerances: lambda rtol 1e-9, cvm rtol
1e-6, coefficients 1e-6 of their scale, predictions rtol 1e-8.
"""

from __future__ import annotations

import json
import subprocess
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from helpers import ROOT, assert_allclose, child_env, require_r

from statprune.lasso import GlmnetCV, cv_glmnet_table

pytestmark = pytest.mark.against_r


def _ref(case: str, tmp_path) -> tuple[dict, pd.DataFrame, str]:
    require_r()
    csv = tmp_path / f"{case}.csv"
    proc = subprocess.run(["Rscript", str(ROOT / "tests" / "r" / "glmnet_coverage.R"), case, str(csv)],
                          capture_output=True, text=True, timeout=600, env=child_env(), check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), pd.read_csv(csv), str(csv)


def _check(res, ref, coef=None):
    assert_allclose(res.lambdas, ref["lambda"], rtol=1e-9)
    assert_allclose(res.cvm, ref["cvm"], rtol=1e-6)
    assert res.lambda_min == pytest.approx(ref["lambda_min"][0], rel=1e-9)
    c = res.coef("lambda.min") if coef is None else coef
    c = c.to_numpy().T.reshape(-1) if isinstance(c, pd.DataFrame) else np.asarray(c).reshape(-1)
    r = np.asarray(ref["coef"], float)
    assert_allclose(c, r, atol=1e-6 * np.abs(r).max())


def _fit(est, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(*args, **kw)


def test_sparse_x_reaches_r_as_dgcmatrix(tmp_path, r):
    from statprune.lasso._backend_r import x_for_r

    ref, d, _ = _ref("sparse", tmp_path)
    X = sp.csr_matrix(d.drop(columns="y").to_numpy())
    assert X.nnz < 0.5 * X.shape[0] * X.shape[1]
    rx = r.call("glmnet", "spg_x", x_for_r(X), _convert=False)
    assert "dgCMatrix" in rx.r_class
    est = _fit(GlmnetCV(seed=1, nfolds=5), X, d["y"])
    _check(est.result_, ref)
    dense = est.predict(X.toarray()[:10])
    assert_allclose(est.predict(X[:10]), dense, rtol=1e-12)
    # the gram engine does not take sparse input: it falls back to R (same numbers)
    est2 = _fit(GlmnetCV(seed=1, nfolds=5, engine="gram"), X, d["y"])
    assert est2.result_.provenance["engine"] == "r"
    _check(est2.result_, ref)


def test_cox_start_stop_with_strata(tmp_path):
    ref, d, csv = _ref("cox_startstop", tmp_path)
    X = d.drop(columns=["start", "stop", "status", "strata"])
    est = _fit(GlmnetCV(family="cox", seed=1, nfolds=5), X, d[["start", "stop", "status"]].to_numpy(),
               strata=d["strata"].to_numpy())
    _check(est.result_, ref)
    res = cv_glmnet_table(csv, "start,stop,status", family="cox", seed=1, nfolds=5, strata_column="strata")
    _check(res, ref)


def test_two_column_binomial_response(tmp_path):
    ref, d, csv = _ref("binomial2col", tmp_path)
    X = d.drop(columns=["failures", "successes"])
    est = _fit(GlmnetCV(family="binomial", seed=1, nfolds=5), X, d[["failures", "successes"]])
    _check(est.result_, ref)
    assert list(est.classes_) == ["failures", "successes"]
    from typer.testing import CliRunner

    from statprune.cli import app

    out = CliRunner().invoke(app, ["lasso", csv, "--target", "failures,successes", "--family", "binomial",
                                   "--seed", "1", "--nfolds", "5", "--json", "-"])
    assert out.exit_code == 0, out.output
    got = json.loads(out.stdout)
    assert_allclose(got["lambda"], ref["lambda"], rtol=1e-9)


def test_keep_preval_grouped_false_and_roc(tmp_path):
    ref, d, _ = _ref("keep_grouped", tmp_path)
    X, y = d.drop(columns="y"), d["y"]
    est = _fit(GlmnetCV(family="binomial", seed=1, nfolds=5, keep_preval=True, grouped=False), X, y)
    res = est.result_
    _check(res, ref)
    assert_allclose(res.fit_preval[:5, res.index_min - 1], ref["preval"], rtol=1e-8)
    roc = res.roc(y)
    assert_allclose(roc["FPR"], ref["roc_fpr"], rtol=1e-12)
    assert_allclose(roc["TPR"], ref["roc_tpr"], rtol=1e-12)


def test_alignment_dfmax_pmax_type_logistic(tmp_path):
    ref, d, csv = _ref("binomial_opts", tmp_path)
    X, y = d.drop(columns="y"), d["y"]
    est = _fit(GlmnetCV(family="binomial", seed=1, nfolds=5, alignment="fraction", dfmax=10, pmax=15,
                        type_logistic="modified.Newton"), X, y)
    _check(est.result_, ref)
    from typer.testing import CliRunner

    from statprune.cli import app

    out = CliRunner().invoke(app, ["lasso", csv, "--target", "y", "--family", "binomial", "--seed", "1", "--nfolds", "5",
                                   "--alignment", "fraction", "--dfmax", "10", "--pmax", "15",
                                   "--type-logistic", "modified.Newton", "--json", "-"])
    assert out.exit_code == 0, out.output
    assert_allclose(json.loads(out.stdout)["cvm"], ref["cvm"], rtol=1e-6)


def test_standardize_response_mgaussian(tmp_path):
    ref, d, _ = _ref("mgaussian_sr", tmp_path)
    ycols = [c for c in d.columns if c.startswith("y")]
    est = _fit(GlmnetCV(family="mgaussian", seed=1, nfolds=5, standardize_response=True), d.drop(columns=ycols), d[ycols])
    _check(est.result_, ref)


def test_cli_exposes_every_option(tmp_path):
    from typer.testing import CliRunner

    from statprune.cli import app

    ref, d, csv = _ref("cli_opts", tmp_path)
    out = CliRunner().invoke(app, ["lasso", csv, "--target", "y", "--seed", "1", "--nfolds", "5", "--offset-column", "off",
                                   "--lambda-min-ratio", "0.01", "--no-standardize", "--thresh", "1e-10", "--maxit", "50000",
                                   "--lower-limits", "-1", "--upper-limits", "2", "--json", "-"])
    assert out.exit_code == 0, out.output
    got = json.loads(out.stdout)
    assert_allclose(got["lambda"], ref["lambda"], rtol=1e-9)
    assert_allclose(got["cvm"], ref["cvm"], rtol=1e-6)
    r = np.asarray(ref["coef"], float)
    assert len(got["coefficients"]) == len(ref["names"])  # R names x's columns V1..; the CSV X1..
    assert_allclose(list(got["coefficients"].values()), r, atol=1e-6 * np.abs(r).max())
    # a user lambda sequence, and an option value that is not a number: exit 2, one line
    out2 = CliRunner().invoke(app, ["lasso", csv, "--target", "y", "--lambda", "1,0.5,0.1", "--seed", "1", "--json", "-"])
    assert out2.exit_code == 0, out2.output
    assert_allclose(json.loads(out2.stdout)["lambda"], [1.0, 0.5, 0.1], rtol=1e-12)  # R rescales them (1 ulp)
    out3 = CliRunner().invoke(app, ["lasso", csv, "--target", "y", "--lambda", "1,x"])
    assert out3.exit_code == 2 and "--lambda" in out3.output and "Traceback" not in out3.output


def test_exclude_as_a_function_is_called_per_fold(tmp_path):
    ref, d, _ = _ref("exclude_fn", tmp_path)
    X, y = d.drop(columns="y"), d["y"]
    calls = []

    def weak(x, yy, w):  # R: which(abs(cor(x, y)) < 0.15), on the rows glmnet is given
        calls.append(x.shape[0])
        xc, yc = x - x.mean(axis=0), yy - yy.mean()
        r = (xc * yc[:, None]).sum(axis=0) / np.sqrt((xc**2).sum(axis=0) * (yc**2).sum())
        return np.flatnonzero(np.abs(r) < 0.15)

    est = _fit(GlmnetCV(seed=1, nfolds=5, exclude=weak), X, y)
    assert calls[0] == len(y) and len(calls) == 6  # the full data, then each fold's training rows
    assert est.result_.excluded == [f"V{j}" for j in ref["full"]]
    _check(est.result_, ref)
