"""The bar plot of feature importances (``varImpPlot``-like, kept features highlighted)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

if TYPE_CHECKING:  # annotations only: the result module imports this one
    from ..importance import ImportancePruner, ImportanceResult

__all__ = ["ImportanceDisplay"]


class ImportanceDisplay:
    """Horizontal bar plot of importances with error bars (sd), kept features highlighted.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from statprune.datasets import load_boston
    >>> from statprune.importance import ImportancePruner
    >>> df = load_boston()
    >>> res = ImportancePruner(method="impurity", n_estimators=20, random_state=0).fit(
    ...     df.drop(columns="medv"), df["medv"]).result_  # doctest: +ELLIPSIS
    >>> disp = ImportanceDisplay.from_result(res).plot()
    >>> len(disp.bars_)
    13
    """

    def __init__(self, names: list[str], scores: np.ndarray, sds: np.ndarray | None, selected: np.ndarray, *, title: str = "", threshold: float | None = None):
        self.names = list(names)
        self.scores = np.asarray(scores, float)
        self.sds = None if sds is None else np.asarray(sds, float)
        self.selected = np.asarray(selected, bool)
        self.title = title
        self.threshold = threshold

    @classmethod
    def from_result(cls, result: ImportanceResult) -> ImportanceDisplay:
        thr = None
        if result.rule.startswith("score >= "):
            try:
                thr = float(result.rule.split(">=")[1].split()[0].strip("()"))
            except ValueError:
                thr = float(np.mean(result.scores))
        return cls(result.feature_names, result.scores, result.sds, result.support,
                   title=f"{result.method} importance ({result.estimator_name})", threshold=thr)

    @classmethod
    def from_estimator(cls, estimator: ImportancePruner) -> ImportanceDisplay:
        check_is_fitted(estimator, "result_")
        return cls.from_result(estimator.result_)

    def plot(self, ax: Any = None) -> ImportanceDisplay:
        import matplotlib.pyplot as plt  # noqa: PLC0415 - matplotlib only at draw time

        if ax is None:
            _fig, ax = plt.subplots(figsize=(6, 0.3 * len(self.names) + 1.5))
        order = np.argsort(self.scores, kind="stable")  # smallest at the bottom
        colors = np.where(self.selected[order], "C0", "0.7")
        xerr = None if self.sds is None else self.sds[order]
        self.bars_ = ax.barh(np.arange(order.size), self.scores[order], xerr=xerr, color=colors,
                             error_kw={"ecolor": "0.2", "capsize": 2})
        ax.set_yticks(np.arange(order.size))
        ax.set_yticklabels([self.names[i] for i in order])
        ax.axvline(0, color="0.4", lw=0.8)
        if self.threshold is not None:
            self.threshold_line_ = ax.axvline(self.threshold, ls="--", color="C3")
        ax.set_xlabel("Importance" + (" (error bars: 1 sd)" if self.sds is not None else ""))
        ax.set_title(self.title)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
