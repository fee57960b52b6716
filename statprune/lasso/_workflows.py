"""The lasso's file-in, result-out entry points: what ``statprune lasso`` and ``statprune demo`` run.

:func:`cv_glmnet_table` (a table and column names in, a :class:`LassoResult` out) and
:func:`demo_text` belong with the other workflows the CLI and the report call; they live
here until ``statprune/workflows.py`` gathers them.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Callable

import numpy as np

from .._data import prepare_xy
from .._glmnet.params import DEFAULTS
from ..errors import DataError, NothingSelectedWarning, ParameterError
from .estimator import GlmnetCV
from .result import LassoResult

__all__ = ["cv_glmnet_table", "demo_text"]


def cv_glmnet_table(
    data: Any,
    target: str | Sequence[str],
    *,
    family: str = "gaussian",
    alpha: float = DEFAULTS.alpha,
    nfolds: int = DEFAULTS.nfolds,
    foldid_column: str | None = None,
    weights_column: str | None = None,
    seed: int | None = None,
    type_measure: str = "default",
    s: str | float = "lambda.min",
    keep: Sequence[str] = (),
    exclude: Sequence[str] = (),
    penalty_factor: Mapping[str, float] | None = None,
    nlambda: int = DEFAULTS.nlambda,
    drop_missing: bool = False,
    engine: str = "r",
    categorical: str = "error",
    na_values: Sequence[str] | str | None = None,
    offset_column: str | None = None,
    strata_column: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    **params: Any,
) -> LassoResult:
    """Cross-validated glmnet on a table: every column other than the target, fold and
    weight columns is a predictor, in file order (what ``statprune lasso`` runs).

    ``target`` is a column name, or ``"time,status"`` / ``"start,stop,status"`` for
    ``family="cox"`` (``strata_column``: R's ``stratifySurv``), or two count columns for
    a two-column binomial response (glmnet's convention: the second column is the
    target class, e.g. ``"failures,successes"``).
    ``offset_column`` is a column of offsets (R's ``offset``); ``params`` are any other
    :class:`GlmnetCV` parameters (``relax``, ``gamma``, ``s_gamma``, ``lambda_``,
    ``lambda_min_ratio``, ``standardize``, ``fit_intercept``, ``lower_limits``, ...);
    ``progress``: see :meth:`GlmnetCV.fit`.

    Examples
    --------
    >>> from statprune import datasets
    >>> res = cv_glmnet_table(datasets.path("boston"), "medv", seed=42)
    >>> round(res.lambda_min, 6), res.pruned
    (0.021185, ['indus', 'age'])
    """
    targets = [t.strip() for t in target.split(",")] if isinstance(target, str) else list(target)
    if family == "cox" and len(targets) not in (2, 3):
        raise ParameterError("family='cox' needs --target time,status or start,stop,status")
    if family == "binomial" and len(targets) not in (1, 2):
        raise ParameterError("family='binomial' needs one target column, or two count columns (failures,successes)")
    if family not in ("cox", "mgaussian", "binomial") and len(targets) != 1:
        raise ParameterError(f"family={family!r} needs a single target column, got {targets}")
    if strata_column is not None and family != "cox":
        raise ParameterError("--strata-column applies to --family cox only (R's stratifySurv)")
    prep = prepare_xy(data, targets if len(targets) > 1 else targets[0],
                      extra_columns=[foldid_column, weights_column, offset_column, strata_column],
                      drop_missing=drop_missing,
                      categorical=categorical, na_values=na_values)  # type: ignore[arg-type]
    foldid = prep.extra[foldid_column].to_numpy() if foldid_column else None
    w = prep.extra[weights_column].to_numpy(dtype=float) if weights_column else None
    if w is not None:  # name the column the user gave, not the estimator's sample_weight
        bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
        if bad.size:
            raise DataError(f"weights column '{weights_column}' has {bad.size} negative or non-finite value(s) "
                            f"(first at data row {int(bad[0]) + 1}: {w[bad[0]]!r}); case weights must be >= 0")
        if not (w > 0).any():
            raise DataError(f"weights column '{weights_column}' is zero in every row; at least one weight must be > 0")
    off = prep.extra[offset_column].to_numpy(dtype=float) if offset_column else None
    y = prep.y
    if family == "cox" or (family == "binomial" and len(targets) == 2):
        y = prep.y.to_numpy(dtype=float) if family == "cox" else prep.y.astype(float)
    if isinstance(s, str):
        try:
            s = float(s)
        except ValueError:
            pass
    est = GlmnetCV(family=family, alpha=alpha, nfolds=nfolds, foldid=foldid, seed=seed, type_measure=type_measure,
                   s=s, keep=list(keep) or None, exclude=list(exclude) or None,
                   penalty_factor=dict(penalty_factor) if penalty_factor else None, nlambda=nlambda, engine=engine)
    bad = sorted(set(params) - set(est.get_params()))
    if bad:
        raise ParameterError(f"unknown GlmnetCV parameter(s) {bad}")
    est.set_params(**params)
    st = prep.extra[strata_column].to_numpy() if strata_column else None
    est.fit(prep.X, y, sample_weight=w, offset=off, progress=progress, **({"strata": st} if st is not None else {}))
    est.result_.missing = dict(prep.missing)
    return est.result_


def demo_text(seed: int = 42) -> str:
    """What ``statprune demo`` prints: CV Lasso on the Boston data with ``seed``, and the R code."""
    from .. import datasets  # noqa: PLC0415 - deferred: the demo's data set is a pandas frame; GlmnetCV needs no pandas

    d = datasets.load_boston()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NothingSelectedWarning)
        est = GlmnetCV(seed=seed).fit(d.drop(columns="medv"), d["medv"])
    r = est.result_
    fr = r.to_frame()[["coef_lambda_min", "coef_lambda_1se", "selected"]]
    nz1 = fr["coef_lambda_1se"] != 0
    k1, p1 = list(fr.index[nz1]), list(fr.index[~nz1])
    prov = r.provenance
    lines = [
        f"Cross-validated Lasso on the Boston housing data (MASS::Boston, n = {len(d)}, target medv), "
        f"10-fold CV with set.seed({seed}) in R, glmnet {prov.get('glmnet_version')} on R {prov.get('r_version')}",
        "",
        f"lambda.min = {r.lambda_min:.10g}   (CV MSE {r.cvm[r.index_min - 1]:.6g}, {r.nzero[r.index_min - 1]} features)",
        f"lambda.1se = {r.lambda_1se:.10g}   (CV MSE {r.cvm[r.index_1se - 1]:.6g}, {r.nzero[r.index_1se - 1]} features)",
        "",
        f"kept at lambda.min ({len(r.selected)}):   {', '.join(r.selected)}",
        f"pruned at lambda.min ({len(r.pruned)}): {', '.join(r.pruned) or '(none)'}",
        f"kept at lambda.1se ({len(k1)}):    {', '.join(k1) or '(none)'}",
        f"pruned at lambda.1se ({len(p1)}):  {', '.join(p1) or '(none)'}",
        "",
        "Coefficients:",
        fr.to_string(float_format=lambda v: f"{v:11.6f}"),
        "",
        "The same analysis in R (identical numbers):",
        "",
        r.r_code(data="boston.csv", target="medv"),
        "Python:  GlmnetCV(seed=42).fit(X, y).result_.summary()",
        "CLI:     statprune lasso boston.csv --target medv --seed 42 --json -",
    ]
    return "\n".join(lines)
