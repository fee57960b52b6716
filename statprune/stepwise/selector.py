"""Stepwise selection as a scikit-learn selector (``SelectorMixin``)."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectorMixin
from sklearn.utils._param_validation import Interval, InvalidParameterError, StrOptions

from .._validation import validate_data
from ..errors import ParameterError
from ._api import DIRECTIONS, TESTS, stepwise

__all__ = ["StepwiseSelector"]


class StepwiseSelector(SelectorMixin, BaseEstimator):
    """Feature selection by :func:`stepwise` for scikit-learn pipelines.

    Each column of ``X`` is one term (``y ~ .``); the selected features are those
    in the final model. Parameters are those of :func:`stepwise`.

    Attributes
    ----------
    result_ : StepwiseResult
    support_ : ndarray of bool
    feature_names_in_ : ndarray of str (when ``X`` has column names)
    n_features_in_ : int

    Examples
    --------
    >>> from statprune import StepwiseSelector
    >>> from statprune.datasets import load_swiss
    >>> df = load_swiss()
    >>> sel = StepwiseSelector().fit(df.drop(columns="Fertility"), df["Fertility"])
    >>> sel.get_feature_names_out().tolist()
    ['Agriculture', 'Education', 'Catholic', 'Infant.Mortality']
    """

    #: checked in ``fit`` (scikit-learn's ``_validate_params``); the finer rules are :func:`stepwise`'s
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "family": [str],
        "direction": [StrOptions(set(DIRECTIONS)), None],
        "criterion": [str],  # case-insensitive, as in stepwise()
        "k": [Interval(Real, 0, None, closed="left"), None],
        "threshold": [Interval(Real, 0, None, closed="left"), None],
        "test": [StrOptions({*TESTS, "LRT"}), None],
        "keep": ["array-like", None],
        "max_steps": [Interval(Integral, 0, None, closed="left"), None],
        "adjust": [str],
    }

    def __init__(
        self,
        family: str = "gaussian",
        direction: str | None = None,
        criterion: str = "aic",
        k: float | None = None,
        threshold: float | None = None,
        test: str | None = None,
        keep: Sequence[str] | None = None,
        max_steps: int | None = None,
        adjust: str = "holm",
    ) -> None:
        self.family = family
        self.direction = direction
        self.criterion = criterion
        self.k = k
        self.threshold = threshold
        self.test = test
        self.keep = keep
        self.max_steps = max_steps
        self.adjust = adjust

    def fit(self, X: Any, y: Any) -> StepwiseSelector:
        try:
            self._validate_params()
        except InvalidParameterError as exc:  # statprune's error class, sklearn's message
            raise ParameterError(str(exc)) from None
        Xa, ya = validate_data(self, X, y, y_numeric=True, ensure_min_samples=2)
        p = Xa.shape[1]
        names = [str(c) for c in getattr(self, "feature_names_in_", [f"x{j}" for j in range(p)])]
        resp = "y"
        while resp in names:
            resp = "." + resp
        df = pd.DataFrame(Xa, columns=names)
        df[resp] = np.asarray(ya, float)
        rhs = " + ".join(f"`{nm}`" for nm in names)
        params = self.get_params()  # stepwise()'s own parameters, under its names
        keep = params.pop("keep")
        self.result_ = stepwise(df, f"`{resp}` ~ {rhs}", **params, keep=None if keep is None else [f"`{t}`" for t in keep])
        final = set(self.result_.final_terms)
        self.support_ = np.array([nm in final for nm in names], dtype=bool)
        return self

    def _get_support_mask(self) -> np.ndarray:
        return self.support_

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags
