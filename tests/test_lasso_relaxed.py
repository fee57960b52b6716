"""Relaxed fits choose gamma as R's ``coef.cv.relaxed`` / ``predict.cv.relaxed`` do (issue 13, defect 2).

R's rule (``print(glmnet:::coef.cv.relaxed)``): ``s = "lambda.min"``/``"lambda.1se"``
reads ``relaxed$lambda.min``/``lambda.1se`` and, when ``gamma`` is not given, the
matching ``gamma.min``/``gamma.1se``; a numeric ``s`` takes ``gamma``'s default
``"gamma.1se"``; ``gamma`` may be ``"gamma.min"``, ``"gamma.1se"`` or a number.
Reference: glmnet's own ``data(BinomialExample)``,
``cv.glmnet(..., relax = TRUE, nfolds = 5)`` after ``set.seed(7)`` (gamma.min = 1, gamma.1se = 0.25) in R (Rscript), same folds
here. Tolerances: coefficients 1e-6 of their scale (they match to ~1e-12),
predictions rtol 1e-8.
"""

from __future__ import annotations

import json
import subprocess
import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import assert_allclose, child_env, require_r

from statprune.errors import ParameterError
from statprune.lasso import GlmnetCV

pytestmark = pytest.mark.against_r

R_REF = r"""
suppressPackageStartupMessages(library(glmnet))
a <- commandArgs(TRUE)
e <- new.env(); data(list = a[1], package = "glmnet", envir = e); x <- e[[a[1]]]$x; y <- e[[a[1]]]$y
fam <- a[2]
set.seed(7)
f <- cv.glmnet(x, y, family = fam, relax = TRUE, nfolds = 5)
cf <- function(...) as.numeric(coef(f, ...))
pr <- function(...) as.numeric(predict(f, newx = x[1:10, ], ...))
out <- list(
  gmin = f$relaxed$gamma.min, g1se = f$relaxed$gamma.1se,
  c_min = cf(s = "lambda.min"), c_1se = cf(s = "lambda.1se"), c_num = cf(s = 0.02),
  c_min_g05 = cf(s = "lambda.min", gamma = 0.5), c_1se_gmin = cf(s = "lambda.1se", gamma = "gamma.min"),
  c_num_g0 = cf(s = 0.02, gamma = 0),
  p_1se = pr(s = "lambda.1se", type = "response"), p_num_g025 = pr(s = 0.02, gamma = 0.25, type = "response"),
  p_min_link = pr(s = "lambda.min", type = "link"))
write.csv(data.frame(x, y = y), a[3], row.names = FALSE)
cat(jsonlite::toJSON(out, digits = NA))
"""


def _reference(dataset: str, family: str, tmp_path) -> tuple[dict, pd.DataFrame]:
    require_r()
    csv = tmp_path / f"{dataset}.csv"
    proc = subprocess.run(["Rscript", "-e", R_REF, dataset, family, str(csv)], capture_output=True, text=True,
                          timeout=300, env=child_env(), check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), pd.read_csv(csv)


@pytest.fixture(scope="module")
def binomial_case(tmp_path_factory):
    ref, d = _reference("BinomialExample", "binomial", tmp_path_factory.mktemp("rel"))
    X, y = d.drop(columns="y"), d["y"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = GlmnetCV(family="binomial", relax=True, seed=7, nfolds=5).fit(X, y)
    return est, ref, X, y


def _close(mine, ref, what):
    ref = np.asarray(ref, float)
    assert_allclose(np.asarray(mine, float), ref, atol=1e-6 * max(np.abs(ref).max(), 1e-300), err_msg=what)


def test_relaxed_coef_gamma_follows_s(binomial_case):
    est, ref, _, _ = binomial_case
    res = est.result_
    assert res.relaxed["gamma_min"] == ref["gmin"][0] and res.relaxed["gamma_1se"] == ref["g1se"][0]
    assert ref["gmin"][0] != ref["g1se"][0]  # the case tells gamma.min from gamma.1se apart
    _close(res.coef("lambda.min"), ref["c_min"], "coef(s = 'lambda.min')")
    _close(res.coef("lambda.1se"), ref["c_1se"], "coef(s = 'lambda.1se') uses gamma.1se")
    _close(res.coef(0.02), ref["c_num"], "coef(s = 0.02) uses gamma.1se")


def test_relaxed_coef_explicit_gamma(binomial_case):
    est, ref, _, _ = binomial_case
    res = est.result_
    _close(res.coef("lambda.min", gamma=0.5), ref["c_min_g05"], "gamma = 0.5")
    _close(res.coef("lambda.1se", gamma="gamma.min"), ref["c_1se_gmin"], "gamma = 'gamma.min'")
    _close(res.coef(0.02, gamma=0), ref["c_num_g0"], "gamma = 0")


def test_relaxed_predict_gamma(binomial_case):
    est, ref, X, _ = binomial_case
    res = est.result_
    Xn = X.to_numpy()[:10]
    assert_allclose(res.predict(Xn, s="lambda.1se"), ref["p_1se"], rtol=1e-8)
    assert_allclose(res.predict(Xn, s=0.02, gamma=0.25), ref["p_num_g025"], rtol=1e-8)
    assert_allclose(res.predict(Xn, s="lambda.min", type="link"), ref["p_min_link"], rtol=1e-8)


def test_estimator_s_gamma_and_selection(binomial_case):
    _, ref, X, y = binomial_case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        e1 = GlmnetCV(family="binomial", relax=True, seed=7, nfolds=5, s="lambda.1se").fit(X, y)
        e2 = GlmnetCV(family="binomial", relax=True, seed=7, nfolds=5, s="lambda.min", s_gamma=0.5).fit(X, y)
    _close(np.r_[e1.intercept_, e1.coef_], ref["c_1se"], "estimator s='lambda.1se'")
    assert e1.support_.tolist() == (np.asarray(ref["c_1se"][1:]) != 0).tolist()
    _close(np.r_[e2.intercept_, e2.coef_], ref["c_min_g05"], "estimator s_gamma=0.5")
    p = e1.predict_proba(X.iloc[:10])[:, 1]
    assert_allclose(p, ref["p_1se"], rtol=1e-8)


def test_gamma_needs_a_relaxed_fit(binomial_case):
    est, _, X, y = binomial_case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = GlmnetCV(family="binomial", seed=7, nfolds=5).fit(X, y)
    with pytest.raises(ParameterError, match="relax"):
        plain.result_.coef("lambda.min", gamma=0.5)
    with pytest.raises(ParameterError, match="gamma"):
        est.result_.coef("lambda.min", gamma="gamma.max")


def test_cli_s_gamma(binomial_case, tmp_path):
    from typer.testing import CliRunner

    from statprune.cli import app

    _, ref, X, y = binomial_case
    d = X.copy()
    d["y"] = y
    p = tmp_path / "b.csv"
    d.to_csv(p, index=False)
    r = CliRunner().invoke(app, ["lasso", str(p), "--target", "y", "--family", "binomial", "--relax", "--seed", "7", "--nfolds", "5",
                                 "--s", "lambda.1se", "--json", "-"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    _close(list(got["coefficients"].values()), ref["c_1se"], "CLI --s lambda.1se")
    r2 = CliRunner().invoke(app, ["lasso", str(p), "--target", "y", "--family", "binomial", "--relax", "--seed", "7", "--nfolds", "5",
                                  "--s", "lambda.min", "--s-gamma", "0.5", "--json", "-"])
    assert r2.exit_code == 0, r2.output
    _close(list(json.loads(r2.stdout)["coefficients"].values()), ref["c_min_g05"], "CLI --s-gamma 0.5")
    r3 = CliRunner().invoke(app, ["lasso", str(p), "--target", "y", "--family", "binomial", "--s-gamma", "0.5"])
    assert r3.exit_code == 2 and "relax" in r3.output
