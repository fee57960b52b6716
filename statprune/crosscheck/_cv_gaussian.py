"""The gaussian CV rows of the crosscheck: glmnet's fold fits against scikit-learn's, and ``LassoCV`` reconciled (private).

Three comparisons on the same folds: (1) every fold fitted at glmnet's lambdas
in R and in scikit-learn, each fold standardized on its own training rows as
cv.glmnet does, aggregated by glmnet's rules (exact); (2) cv.glmnet as the user
ran it against those fold fits (informational: cv.glmnet fits each fold on its
own lambda sequence and interpolates); (3) ``ElasticNetCV`` with
``PredefinedSplit(foldid - 1)`` raw (unweighted mean, sd across folds) and
reconciled (fold-size weights, standard error), informational.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.linear_model import ElasticNetCV
from sklearn.model_selection import PredefinedSplit

from .._glmnet.rules import choose_lambda, cv_aggregate
from .._validation import check_foldid
from ..lasso import _backend_r as glmnet_r
from . import mapping
from .report import curve_row, num_row

__all__ = ["cv_rows"]


def cv_rows(res: Any, prob: mapping.GlmnetProblem, X: np.ndarray, y: np.ndarray, foldid: np.ndarray, sample_weight: Any, standardize: bool, fit_intercept: bool, thresh: float, tol: float, coef_tol: float, notes: list[str]) -> list[dict[str, Any]]:
    lambdas = np.asarray(res.lambdas, dtype=float)
    foldid = check_foldid(foldid, X.shape[0])
    K = int(foldid.max())
    mapping.glmnet_weights(sample_weight, X.shape[0])  # checks the weights (length, sign) before R is called
    rows: list[dict[str, Any]] = []

    # 1. exact: each fold fitted at glmnet's lambdas, standardized on its own training rows, both engines
    rcv = glmnet_r.crosscheck_fold_fits(X, y, foldid, prob.alpha, lambdas, weights=sample_weight, standardize=standardize, fit_intercept=fit_intercept,
                               thresh=thresh)
    r_fold = np.asarray(rcv["fold_mse"], dtype=float).reshape(K, -1)
    s_fold = np.empty_like(r_fold)
    wsum = np.empty(K)
    for k in range(1, K + 1):
        test = foldid == k
        sw = None if sample_weight is None else np.asarray(sample_weight, dtype=float)[~test]
        Xk = X[~test]
        live = np.ptp(Xk, axis=0) > 0  # a column constant on the training rows gets a zero coefficient, as in glmnet
        pk = mapping.GlmnetProblem.build(Xk[:, live], y[~test], "gaussian", prob.alpha, sample_weight=sw, standardize=standardize, fit_intercept=fit_intercept)
        a0, bl = mapping.sklearn_path(pk, lambdas, tol=tol * 1e-2)
        beta = np.zeros((X.shape[1], bl.shape[1]))
        beta[live] = bl
        pred = X[test] @ beta + a0
        err = (y[test][:, None] - pred) ** 2
        wt = np.ones(test.sum()) if sample_weight is None else np.asarray(sample_weight, dtype=float)[test]
        s_fold[k - 1] = wt @ err / wt.sum()
        wsum[k - 1] = wt.sum()
    s_cvm, s_cvsd = cv_aggregate(s_fold, wsum)
    rows.append(curve_row("cv fold mse (fold fits at glmnet's lambdas)", "r", "sklearn", r_fold, s_fold, coef_tol, lambdas,
                           note="each fold standardized on its training rows, as cv.glmnet does; no interpolation"))
    rows.append(curve_row("cvm (fold fits at glmnet's lambdas)", "r", "sklearn", np.asarray(rcv["cvm"]), s_cvm, coef_tol, lambdas))
    rows.append(curve_row("cvsd (fold fits at glmnet's lambdas)", "r", "sklearn", np.asarray(rcv["cvsd"]), s_cvsd, coef_tol, lambdas))
    i_r = choose_lambda(lambdas, np.asarray(rcv["cvm"], dtype=float), np.asarray(rcv["cvsd"], dtype=float)).index_min
    i_s = choose_lambda(lambdas, s_cvm, s_cvsd).index_min
    rows.append(dict(num_row("lambda.min (fold fits at glmnet's lambdas)", "", "r", "sklearn", lambdas[i_r], lambdas[i_s], 0.0),
                     note="largest lambda at the minimum of the curve, glmnet's rule"))

    # 2. cv.glmnet as the user ran it vs the exact fold fits: interpolation of each fold's own path + thresh
    cvm_res = np.asarray(res.cvm, dtype=float)
    L = min(cvm_res.size, lambdas.size)
    rows.append(curve_row("cvm (r:result vs fixed-lambda fold fits)", "r:result", "r", cvm_res[:L], np.asarray(rcv["cvm"])[:L], np.nan, lambdas[:L],
                           note="cv.glmnet fits each fold on its own lambda sequence and interpolates; solver thresh"))

    # 3. scikit-learn's LassoCV / ElasticNetCV with the same folds and the mapped lambdas, raw and reconciled
    if sample_weight is None:
        m = ElasticNetCV(l1_ratio=prob.alpha, alphas=lambdas / prob.s_y, cv=PredefinedSplit(foldid - 1), tol=tol * 1e-2, max_iter=1_000_000, fit_intercept=fit_intercept)
        m.fit(X / prob.col_scale, y / prob.s_y)
        mse = np.asarray(m.mse_path_, dtype=float) * prob.s_y**2  # (L, K), in the order of m.alphas_ (decreasing)
        sizes = np.bincount(foldid - 1, minlength=K).astype(float)
        raw_mean, raw_std = mse.mean(axis=1), mse.std(axis=1)
        rec_mean, rec_sd = cv_aggregate(mse.T, sizes)
        rows.append(curve_row("cvm raw (LassoCV mse_path_.mean)", "r:result", "sklearn", cvm_res[:L], raw_mean[:L], np.nan, lambdas[:L],
                               note="unweighted mean over folds; X standardized once on all rows"))
        rows.append(curve_row("cvsd raw (LassoCV mse_path_.std)", "r:result", "sklearn", np.asarray(res.cvsd, dtype=float)[:L], raw_std[:L], np.nan, lambdas[:L],
                               note="sklearn: sd across folds; glmnet: standard error of the mean"))
        rows.append(curve_row("cvm reconciled (LassoCV, fold-size weights)", "r:result", "sklearn", cvm_res[:L], rec_mean[:L], np.nan, lambdas[:L],
                               note="remaining difference: per-fold standardization, per-fold lambda sequences, thresh"))
        rows.append(curve_row("cvsd reconciled (LassoCV, weighted SE)", "r:result", "sklearn", np.asarray(res.cvsd, dtype=float)[:L], rec_sd[:L], np.nan, lambdas[:L]))
        rows.append(dict(num_row("lambda.min raw (LassoCV alpha_ x s_y)", "", "r:result", "sklearn", float(res.lambda_min), float(m.alpha_) * prob.s_y, np.nan),
                         note="LassoCV picks the smallest unweighted mean"))
        notes.append(
            "CV: glmnet weights fold errors by fold size and reports cvsd as a standard error, scikit-learn's mse_path_ is per fold "
            "(its std is a standard deviation); glmnet standardizes x inside each fold and fits each fold on its own lambda sequence, "
            "then interpolates: rows marked 'info' show these known differences, the 'fold fits at glmnet's lambdas' rows remove them"
        )
    return rows
