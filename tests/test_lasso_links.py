"""Fits with a family object and a non-canonical link predict with their own link (issue 13, defect 3).

``cv.glmnet(x, y, family = binomial(link = "probit"))`` fits through ``glmnet.path``;
``predict(type = "response")`` is ``family$linkinv(eta)`` (``print(glmnet:::predict.glmnetfit)``).
Reference: glmnet's ``data(BinomialExample)`` / ``data(PoissonExample)`` fitted in R
(Rscript, ``set.seed(1)``, 5 folds) with ``binomial(link = "probit"/"cloglog"/"logit")``,
``poisson(link = "identity")``, ``quasipoisson()``, ``MASS::negative.binomial(theta = 3)``
and by :class:`GlmnetCV` with ``link=``/``theta=``: lambda rtol 1e-9, cvm rtol 1e-6,
coefficients 1e-6 of scale, predictions rtol 1e-8. A family object saved by R holds R
functions, which :meth:`GlmnetCV.from_rds` never loads: it rebuilds the family from its
checked family/link strings and predicts with that link.
"""

from __future__ import annotations

import json
import subprocess
import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import assert_allclose, child_env, require_r

from statprune.lasso import GlmnetCV

pytestmark = pytest.mark.against_r

R_SAVE = r"""
suppressPackageStartupMessages(library(glmnet))
a <- commandArgs(TRUE)
e <- new.env(); data(list = a[1], package = "glmnet", envir = e); x <- e[[a[1]]]$x; y <- e[[a[1]]]$y
fam <- switch(a[2], probit = binomial(link = "probit"), cloglog = binomial(link = "cloglog"),
              logit = binomial(link = "logit"), pid = poisson(link = "identity"), qp = quasipoisson(),
              nb = MASS::negative.binomial(theta = 3))
set.seed(1)
f <- cv.glmnet(x, y, family = fam, nfolds = 5)
saveRDS(f, a[3])
write.csv(data.frame(x, y = y), a[4], row.names = FALSE)
nx <- x[1:10, ]
cat(jsonlite::toJSON(list(
  response = as.numeric(predict(f, newx = nx, s = "lambda.min", type = "response")),
  link = as.numeric(predict(f, newx = nx, s = "lambda.min", type = "link")),
  lambda = f$lambda, cvm = f$cvm, coef = as.numeric(coef(f, s = "lambda.min"))), digits = NA))
"""


def _r_fit(dataset: str, fam: str, tmp_path) -> tuple[dict, str, pd.DataFrame]:
    require_r()
    rds, csv = tmp_path / f"{fam}.rds", tmp_path / f"{fam}.csv"
    proc = subprocess.run(["Rscript", "-e", R_SAVE, dataset, fam, str(rds), str(csv)], capture_output=True,
                          text=True, timeout=300, env=child_env(), check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), str(rds), pd.read_csv(csv)


SPECS = {  # R family object -> GlmnetCV parameters
    "probit": ("BinomialExample", {"family": "binomial", "link": "probit"}),
    "cloglog": ("BinomialExample", {"family": "binomial", "link": "cloglog"}),
    "logit": ("BinomialExample", {"family": "binomial", "link": "logit"}),
    "pid": ("PoissonExample", {"family": "poisson", "link": "identity"}),
    "qp": ("PoissonExample", {"family": "quasipoisson"}),
    "nb": ("PoissonExample", {"family": "negative.binomial", "theta": 3}),
}


def _close(mine, ref, what, scale_tol=1e-6):
    ref = np.asarray(ref, float)
    assert_allclose(np.asarray(mine, float), ref, atol=scale_tol * max(np.abs(ref).max(), 1e-300), err_msg=what)


@pytest.mark.parametrize("fam", list(SPECS))
def test_family_object_fit_matches_r_and_predicts_with_its_link(fam, tmp_path):
    dataset, params = SPECS[fam]
    ref, _, d = _r_fit(dataset, fam, tmp_path)
    X, y = d.drop(columns="y"), d["y"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = GlmnetCV(seed=1, nfolds=5, **params).fit(X, y)
    res = est.result_
    assert_allclose(res.lambdas, ref["lambda"], rtol=1e-9)
    assert_allclose(res.cvm, ref["cvm"], rtol=1e-6)
    _close(res.coef("lambda.min"), ref["coef"], "coef(s = 'lambda.min')")
    Xn = X.to_numpy()[:10]
    assert_allclose(est.decision_function(Xn), ref["link"], rtol=1e-8)
    assert_allclose(res.predict(Xn, type="response"), ref["response"], rtol=1e-8)
    if params["family"] == "binomial":
        assert_allclose(est.predict_proba(Xn)[:, 1], ref["response"], rtol=1e-8)
        assert (est.predict(Xn) == np.where(np.asarray(ref["response"]) > 0.5, 1, 0)).all()
    else:
        assert_allclose(est.predict(Xn), ref["response"], rtol=1e-8)
    assert res.link == params.get("link") and res.to_dict()["link"] == params.get("link")


def test_from_rds_of_a_family_object_fit_predicts_with_its_link(tmp_path):
    """A family object holds R functions (linkinv...): from_rds never loads them; it rebuilds
    binomial(link = "probit") from its checked strings and predicts as R does (before: the
    logistic link applied to a probit linear predictor, 0.310 where R says 0.212)."""
    ref, rds, d = _r_fit("BinomialExample", "probit", tmp_path)
    est = GlmnetCV.from_rds(rds)
    assert est.result_.link == "probit"
    Xn = d.drop(columns="y").to_numpy()[:10]
    assert_allclose(est.predict_proba(Xn)[:, 1], ref["response"], rtol=1e-8)
    assert_allclose(est.decision_function(Xn), ref["link"], rtol=1e-8)


def test_unknown_link_is_refused_not_guessed(tmp_path):
    from statprune.errors import ParameterError

    _, _, d = _r_fit("BinomialExample", "probit", tmp_path)
    X, y = d.drop(columns="y"), d["y"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = GlmnetCV(family="binomial", link="probit", seed=1, nfolds=5).fit(X, y).result_
    res.link = "a-link-statprune-does-not-know"
    res._fit = None
    with pytest.raises(ParameterError, match="link"):
        res.predict(X.to_numpy()[:3], type="response")
    assert np.isfinite(res.predict(X.to_numpy()[:3], type="link")).all()


def test_bad_family_options_are_refused(tmp_path):
    from statprune.errors import ParameterError, RError

    X = np.random.default_rng(0).normal(size=(30, 3))
    y = (X[:, 0] > 0).astype(int)
    with pytest.raises(ParameterError, match="theta"):
        GlmnetCV(family="negative.binomial").fit(X, y)
    with pytest.raises(ParameterError, match="type_measure='auc'"):
        GlmnetCV(family="binomial", link="probit", type_measure="auc").fit(X, y)
    with pytest.raises(ParameterError, match="multinomial"):
        GlmnetCV(family="multinomial", link="probit").fit(X, y)
    with pytest.raises(RError, match="link"):
        GlmnetCV(family="binomial", link="nonsense").fit(X, y)
