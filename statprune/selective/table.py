"""Selective inference on a table: what ``statprune selective`` runs (file in, result out)."""

from __future__ import annotations

from typing import Any, Literal, Sequence

import numpy as np

from .._data import prepare_xy
from .._validation import check_target
from ..errors import ParameterError
from ..lasso import GlmnetCV
from .fixed import fixed_lasso_inf
from .path import fs_inf, lar_inf
from .result import SelectiveResult

__all__ = ["selective_table"]


def selective_table(
    data: Any,
    target: str,
    *,
    method: Literal["fixed-lasso", "forward-stepwise", "lar"] = "fixed-lasso",
    family: str = "gaussian",
    lambda_: float | None = None,
    s: str | float = "lambda.min",
    seed: int | None = None,
    scale: bool = False,
    sigma: float | None = None,
    alpha: float = 0.1,
    type: str = "active",
    k: int | None = None,
    exclude: Sequence[str] = (),
    drop_missing: bool = False,
) -> SelectiveResult:
    """Selective inference on a table (what ``statprune selective`` runs).

    ``method="fixed-lasso"`` fits ``cv.glmnet(x, y, standardize = FALSE)`` in R
    (``seed``: ``set.seed`` before the folds) and tests at ``lambda_`` (glmnet's scale;
    default: the CV's ``s``). ``target`` is ``"time,status"`` for ``family="cox"``.
    ``scale=True`` first scales every predictor as R's ``scale(x)`` does (the lasso
    then penalizes all columns alike; estimates are per standard deviation).
    """
    if method not in ("fixed-lasso", "forward-stepwise", "lar"):
        raise ParameterError(f"method={method!r} is not valid; use fixed-lasso, forward-stepwise or lar")
    targets = [t.strip() for t in target.split(",")]
    if family == "cox":
        if len(targets) != 2:
            raise ParameterError("family='cox' needs --target time,status (two columns)")
        if method != "fixed-lasso":
            raise ParameterError(f"method={method!r} is gaussian only; family='cox' needs method='fixed-lasso'")
    elif len(targets) != 1:
        raise ParameterError(f"family={family!r} needs a single target column, got {targets}")
    if family not in ("gaussian", "binomial", "cox"):
        raise ParameterError(f"family={family!r} is not valid; use gaussian, binomial or cox")
    if family == "binomial" and method != "fixed-lasso":
        raise ParameterError(f"method={method!r} is gaussian only; family='binomial' needs method='fixed-lasso'")
    prep = prepare_xy(data, targets if len(targets) > 1 else targets[0], exclude=exclude, drop_missing=drop_missing,
                      constant="error")
    X = prep.X
    if scale:
        X = (X - X.mean()) / X.std(ddof=1)
    names = list(X.columns)
    status = None
    if family == "cox":
        yy = prep.y.to_numpy(dtype=float)
        y, status = yy[:, 0], yy[:, 1]
    else:
        t = check_target(prep.y, family, name=targets[0], glmnet=method == "fixed-lasso")
        # binomial: 1 for R's event class, the second factor level (numeric labels {2, 10}: 10)
        y = t.y if family == "gaussian" else np.asarray(t.y.codes, dtype=float)
    if method != "fixed-lasso":
        f = fs_inf if method == "forward-stepwise" else lar_inf
        return f(X, y, sigma=sigma, alpha=alpha, k=k, type=type, feature_names=names)  # type: ignore[arg-type]
    yfit = np.column_stack([y, status]) if family == "cox" else y
    est = GlmnetCV(family=family, standardize=False, seed=seed, thresh=1e-14)
    est.fit(X, yfit)
    res = fixed_lasso_inf(X, y, fit=est, s=s if lambda_ is None else float(lambda_), family=family,  # type: ignore[arg-type]
                          status=status, sigma=sigma, alpha=alpha, feature_names=names)
    res.provenance["seed"] = seed
    return res

