"""Every R family object GlmnetCV and ``statprune lasso`` accept, against R's cv.glmnet (issue 13).

``tests/r/glmnet_family_objects.R`` fits ``cv.glmnet(x, y, family = <object>, foldid = foldid)``
in plain R (Rscript) on R's ``datasets::mtcars`` (``Gamma()`` with its three links,
``inverse.gaussian()`` with ``1/mu^2`` and ``log``) and glmnet's ``data(BinomialExample)`` /
``data(PoissonExample)`` (``binomial(link = "probit"/"cloglog")``, ``poisson(link = "identity")``,
``quasipoisson()``, ``MASS::negative.binomial(theta = 3)``), with fold ids drawn once in R and
written to the CSV; statprune fits the same data and folds through the Python API and through the
CLI (``--family``, ``--link``, ``--theta``, ``--json -``). Tolerances (issue 13): lambda rtol 1e-9,
cvm rtol 1e-6, coefficients 1e-6 of their scale, predictions rtol 1e-8.
"""

from __future__ import annotations

import json
import subprocess
import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import ROOT, assert_allclose, child_env, require_r

from statprune.lasso import GlmnetCV

pytestmark = pytest.mark.against_r

#: case -> (GlmnetCV parameters, the CLI's family options)
CASES = {
    "gamma": ({"family": "Gamma"}, ["--family", "Gamma"]),
    "gamma_log": ({"family": "Gamma", "link": "log"}, ["--family", "Gamma", "--link", "log"]),
    "gamma_identity": ({"family": "Gamma", "link": "identity"}, ["--family", "Gamma", "--link", "identity"]),
    "invgauss": ({"family": "inverse.gaussian"}, ["--family", "inverse.gaussian"]),
    "invgauss_log": ({"family": "inverse.gaussian", "link": "log"}, ["--family", "inverse.gaussian", "--link", "log"]),
    "probit": ({"family": "binomial", "link": "probit"}, ["--family", "binomial", "--link", "probit"]),
    "cloglog": ({"family": "binomial", "link": "cloglog"}, ["--family", "binomial", "--link", "cloglog"]),
    "pid": ({"family": "poisson", "link": "identity"}, ["--family", "poisson", "--link", "identity"]),
    "qp": ({"family": "quasipoisson"}, ["--family", "quasipoisson"]),
    "nb": ({"family": "negative.binomial", "theta": 3}, ["--family", "negative.binomial", "--theta", "3"]),
}


def r_reference(case: str, tmp_path, rds: bool = False) -> tuple[dict, pd.DataFrame, str]:
    """R's fit of ``case`` (JSON), the data R wrote (with its foldid column) and the CSV's path."""
    require_r()
    csv = tmp_path / f"{case}.csv"
    args = [str(csv)] + ([str(tmp_path / f"{case}.rds")] if rds else [])
    proc = subprocess.run(["Rscript", str(ROOT / "tests" / "r" / "glmnet_family_objects.R"), case, *args],
                          capture_output=True, text=True, timeout=600, env=child_env(), check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), pd.read_csv(csv), str(csv)


def _close_scale(mine, ref, what):
    ref = np.asarray(ref, float)
    assert_allclose(np.asarray(mine, float).reshape(-1), ref, atol=1e-6 * np.abs(ref).max(), err_msg=what)


@pytest.mark.parametrize("case", list(CASES))
def test_family_object_python_api_matches_cv_glmnet(case, tmp_path):
    ref, d, _ = r_reference(case, tmp_path)
    params, _ = CASES[case]
    X, y, foldid = d.drop(columns=["y", "foldid"]), d["y"], d["foldid"].to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # R's own 'glmnet.fit: algorithm did not converge' (nb), as in R
        est = GlmnetCV(foldid=foldid, **params).fit(X, y)
    res = est.result_
    assert_allclose(res.lambdas, ref["lambda"], rtol=1e-9, err_msg="lambda")
    assert_allclose(res.cvm, ref["cvm"], rtol=1e-6, err_msg="cvm")
    assert res.lambda_min == pytest.approx(ref["lambda_min"], rel=1e-9)
    assert res.lambda_1se == pytest.approx(ref["lambda_1se"], rel=1e-9)
    _close_scale(res.coef("lambda.min"), ref["coef"], "coef(s = 'lambda.min')")
    _close_scale(res.coef("lambda.1se"), ref["coef_1se"], "coef(s = 'lambda.1se')")
    Xn, Xd = X.to_numpy()[:10], X.iloc[:10]
    assert_allclose(est.decision_function(Xd), ref["link_pred"], rtol=1e-8, atol=1e-12, err_msg="type='link'")
    assert_allclose(res.predict(Xn, type="response"), ref["response"], rtol=1e-8, err_msg="type='response'")
    assert_allclose(res.predict(Xn, s="lambda.1se", type="response"), ref["response_1se"], rtol=1e-8)
    if params["family"] == "binomial":
        assert_allclose(est.predict_proba(Xd)[:, 1], ref["response"], rtol=1e-8)
    else:
        assert_allclose(est.predict(Xd), ref["response"], rtol=1e-8)


@pytest.mark.parametrize("case", list(CASES))
def test_family_object_cli_matches_cv_glmnet(case, tmp_path):
    from typer.testing import CliRunner

    from statprune.cli import app

    ref, _, csv = r_reference(case, tmp_path)
    _, opts = CASES[case]
    out = CliRunner().invoke(app, ["lasso", csv, "--target", "y", "--fold-column", "foldid", *opts, "--json", "-"])
    assert out.exit_code == 0, out.output
    got = json.loads(out.stdout)
    assert_allclose(got["lambda"], ref["lambda"], rtol=1e-9, err_msg="lambda")
    assert_allclose(got["cvm"], ref["cvm"], rtol=1e-6, err_msg="cvm")
    assert got["lambda_min"] == pytest.approx(ref["lambda_min"], rel=1e-9)
    _close_scale(list(got["coefficients"].values()), ref["coef"], "coefficients")
    assert got["family"] == CASES[case][0]["family"]


@pytest.mark.parametrize("case", list(CASES))
def test_from_rds_of_a_family_object_fit_predicts_as_r(case, tmp_path):
    """``GlmnetCV.from_rds`` of R's fit with a family object: the closures are never loaded, the
    family is rebuilt in R from its checked strings (theta for negative.binomial), and
    predictions follow its link (``predict_proba`` is R's ``predict(type = "response")``)."""
    ref, d, _ = r_reference(case, tmp_path, rds=True)
    params, _ = CASES[case]
    est = GlmnetCV.from_rds(tmp_path / f"{case}.rds")
    res = est.result_
    assert res.family == params["family"]
    assert res.link == ref["link"]
    assert res.theta == params.get("theta")
    assert_allclose(res.lambdas, ref["lambda"], rtol=1e-12)
    Xn = d.drop(columns=["y", "foldid"]).to_numpy()[:10]
    assert_allclose(est.decision_function(Xn), ref["link_pred"], rtol=1e-8, atol=1e-12)
    assert_allclose(res.predict(Xn, type="response"), ref["response"], rtol=1e-8)
    if params["family"] == "binomial":
        assert_allclose(est.predict_proba(Xn)[:, 1], ref["response"], rtol=1e-8)
    else:
        assert_allclose(est.predict(Xn), ref["response"], rtol=1e-8)


HOSTILE = r"""
suppressPackageStartupMessages(library(glmnet))
a <- commandArgs(TRUE); out <- a[1]; marker <- a[2]
e <- new.env(); data(BinomialExample, package = "glmnet", envir = e); x <- e$BinomialExample$x; y <- e$BinomialExample$y
set.seed(1)
f <- cv.glmnet(x, y, family = binomial(link = "probit"), nfolds = 3)
saveRDS(f, file.path(out, "honest.rds"))
payload <- bquote(file.create(.(marker)))
fam <- f$glmnet.fit$family
# the strings say binomial/probit; the functions and an environment would run the payload
bad <- fam
bad$linkinv <- eval(bquote(function(eta) { .(payload); pnorm(eta) }))
env <- new.env(); makeActiveBinding("link", eval(bquote(function() { .(payload); "probit" })), env)
environment(bad$linkfun) <- env
g <- f; g$glmnet.fit$family <- bad; saveRDS(g, file.path(out, "payload_functions.rds"))
g <- f; g$glmnet.fit$family$family <- "quasi"; saveRDS(g, file.path(out, "foreign_family.rds"))
g <- f; g$glmnet.fit$family$link <- "evil"; saveRDS(g, file.path(out, "foreign_link.rds"))
g <- f; class(g$glmnet.fit$family) <- "lm"; saveRDS(g, file.path(out, "not_a_family.rds"))
g <- f; g$glmnet.fit$fam2 <- fam; saveRDS(g, file.path(out, "family_elsewhere.rds"))
"""


def test_from_rds_never_runs_a_family_objects_code(tmp_path):
    """The family's closures are replaced by its strings before R reads the stream: a family object
    whose functions (and environment) would run code loads as R's own binomial(link = "probit"),
    and nothing runs, even when predicting; other family strings/links, another class, or a family
    object anywhere but a fit's ``family`` element are refused."""
    from statprune.errors import DataError

    require_r()
    marker = tmp_path / "PAYLOAD_RAN"
    proc = subprocess.run(["Rscript", "-e", HOSTILE, str(tmp_path), str(marker)], capture_output=True, text=True,
                          timeout=600, env=child_env(), check=False)
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()
    honest = GlmnetCV.from_rds(tmp_path / "honest.rds")
    est = GlmnetCV.from_rds(tmp_path / "payload_functions.rds")
    Xn = np.random.default_rng(0).normal(size=(5, honest.n_features_in_))
    assert_allclose(est.predict_proba(Xn), honest.predict_proba(Xn), rtol=1e-15)
    assert est.result_.link == "probit"
    assert not marker.exists()
    for name, match in [("foreign_family.rds", "names family 'quasi'"), ("foreign_link.rds", "names link 'evil'"),
                        ("not_a_family.rds", "class"), ("family_elsewhere.rds", "closure")]:
        with pytest.raises(DataError, match=match):
            GlmnetCV.from_rds(tmp_path / name)
    assert not marker.exists()


NESTED = r"""
suppressPackageStartupMessages(library(glmnet))
out <- commandArgs(TRUE)[1]
e <- new.env(); data(BinomialExample, package = "glmnet", envir = e); x <- e$BinomialExample$x; y <- e$BinomialExample$y
set.seed(1)
f <- cv.glmnet(x, y, family = binomial(link = "probit"), nfolds = 3, relax = TRUE)
g <- glmnet(x, y, family = poisson())
saveRDS(f, file.path(out, "relaxed.rds")); saveRDS(g, file.path(out, "plain.rds"))
nx <- x[1:10, ]
cat(jsonlite::toJSON(list(nx = nx, relaxed = as.numeric(predict(f, newx = nx, s = "lambda.min", type = "response")),
                          plain = as.numeric(predict(g, newx = nx, s = 0.01, type = "response"))), digits = NA))
"""


def test_from_rds_of_relaxed_and_plain_glmnet_family_object_fits(tmp_path):
    """Two family objects in one file (a relaxed fit keeps one in glmnet.fit and one in
    glmnet.fit$relaxed) and a plain glmnet() fit (its own $family) load and predict as R does."""
    require_r()
    proc = subprocess.run(["Rscript", "-e", NESTED, str(tmp_path)], capture_output=True, text=True, timeout=600,
                          env=child_env(), check=False)
    assert proc.returncode == 0, proc.stderr
    ref = json.loads(proc.stdout)
    Xn = np.asarray(ref["nx"], float)
    relaxed = GlmnetCV.from_rds(tmp_path / "relaxed.rds")
    assert relaxed.result_.link == "probit"
    assert_allclose(relaxed.predict_proba(Xn)[:, 1], ref["relaxed"], rtol=1e-8)
    plain = GlmnetCV.from_rds(tmp_path / "plain.rds", s=0.01)
    assert plain.result_.link == "log"
    assert_allclose(plain.result_.predict(Xn, type="response"), ref["plain"], rtol=1e-8)
