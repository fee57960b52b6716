"""The crosscheck's inputs: the result or estimator checked, the design matrix, the target (private)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_design, check_target
from ..errors import DataError, ParameterError
from ..lasso import GlmnetCV


def as_result(obj: Any) -> tuple[Any, dict[str, Any]]:
    """(result-like, estimator params) from a GlmnetCV, a LassoResult, or None."""
    if obj is None:
        return None, {}
    if hasattr(obj, "result_"):
        params = obj.get_params() if hasattr(obj, "get_params") else {}
        return obj.result_, params
    if hasattr(obj, "get_params") and not hasattr(obj, "lambdas"):
        raise ParameterError(f"{type(obj).__name__} is not fitted: call fit(X, y) before the crosscheck")
    if hasattr(obj, "lambdas") and hasattr(obj, "beta"):
        return obj, {}
    raise ParameterError(
        f"crosscheck needs a fitted GlmnetCV, a LassoResult or None (with family/alpha/lambda_), got {type(obj).__name__}"
    )


def lambda_at(res: Any, s: Any) -> float:
    if isinstance(s, str):
        if s in ("lambda.min", "lambda_min"):
            return float(res.lambda_min)
        if s in ("lambda.1se", "lambda_1se"):
            return float(res.lambda_1se)
        raise ParameterError(f"s must be 'lambda.min', 'lambda.1se' or a number, got {s!r}")
    return float(s)


def prepare_X(X: Any, feature_names: Sequence[str] | None) -> tuple[np.ndarray, list[str]]:
    """The design matrix and its names (:func:`statprune._validation.check_design`); a matrix without
    names gets R's ``V1..Vp``, as glmnet and ``as.data.frame(x)`` name its columns."""
    return check_design(X, feature_names, prefix="V")


def prepare_y(y: Any, family: str, n: int, class_names: Sequence[str] | None, *, glmnet: bool = True) -> tuple[np.ndarray, Any, list[str] | None]:
    """(y for the Python engines, y for R, class labels as text in R's order).

    The target is checked by the family's rule (:func:`statprune._validation.check_target`):
    classes in R's factor-level order (numeric labels ``{2, 10}``: the event is 10),
    unless ``class_names`` (a result's own classes) are given. The binomial target
    of the Python engines is 1 for the event (the second class). ``glmnet=False``:
    R's ``lm``/``glm`` (a constant gaussian target is accepted).
    """
    if family in ("gaussian", "poisson"):
        yf = check_target(y, family, n=n, glmnet=glmnet).y
        return yf, yf, None
    target = check_target(y, family, n=n)
    labels = np.asarray(target.y, dtype=object)
    levels = [str(c) for c in (class_names if class_names is not None else target.classes)]
    unknown = sorted(set(labels) - set(levels))
    if unknown:
        raise DataError(f"y has labels {unknown} not among the classes {levels}")
    if family == "binomial" and len(levels) != 2:
        raise DataError(f"the binomial family needs 2 classes, y has {len(levels)}: {levels}")
    ycat = pd.Categorical(labels, categories=levels)
    if family == "binomial":
        return (labels == levels[1]).astype(float), ycat, levels
    return labels, ycat, levels


def term_labels(names: list[str], classes: list[str] | None, family: str) -> list[str]:
    if family == "multinomial" and classes:
        return [f"{c}:{t}" for c in classes for t in names]
    return list(names)


def looks_like_data(obj: Any) -> bool:
    return isinstance(obj, (pd.DataFrame, np.ndarray)) or (isinstance(obj, list) and bool(obj) and isinstance(obj[0], (list, tuple)))



def run_cv(X: Any, y: Any, family: str, alpha: float, foldid: Any, nfolds: int, seed: int | None, sample_weight: Any,
           feature_names: Sequence[str] | None) -> Any:
    """cv.glmnet through :class:`~statprune.lasso.GlmnetCV` (its folds: the one fold policy), the fitted ``result_``."""
    Xf = X
    if not isinstance(X, pd.DataFrame) and feature_names is not None:
        Xf = pd.DataFrame(np.asarray(X, dtype=float), columns=list(feature_names))
    est = GlmnetCV(family=family, alpha=alpha, nfolds=nfolds, foldid=foldid, seed=seed)
    est.fit(Xf, y, sample_weight=sample_weight)
    return est.result_
