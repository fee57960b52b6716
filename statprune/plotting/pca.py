"""The scree plot of a PCA pruning (``screeplot(prcomp(...))`` with the cut)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

if TYPE_CHECKING:  # annotations only: the result module imports this one
    from ..pca import PCAPruner, PCAResult

__all__ = ["ScreeDisplay"]


class ScreeDisplay:
    """Scree plot with the cut: eigenvalue per component, kept ones filled, a dashed line after the last kept.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from statprune.datasets import load_boston
    >>> from statprune.pca import PCAPruner
    >>> res = PCAPruner("elbow").fit(load_boston().drop(columns="medv")).result_
    >>> disp = ScreeDisplay.from_result(res).plot()
    >>> disp.ax_.get_ylabel()
    'Eigenvalue (variance)'
    """

    def __init__(self, eigenvalues: np.ndarray, n_kept: int, *, rule: str = "", cumulative: np.ndarray | None = None):
        self.eigenvalues = np.asarray(eigenvalues, float)
        self.n_kept = int(n_kept)
        self.rule = rule
        self.cumulative = cumulative

    @classmethod
    def from_result(cls, result: PCAResult) -> ScreeDisplay:
        return cls(result.eigenvalues, result.n_kept, rule=result.rule, cumulative=result.cumulative)

    @classmethod
    def from_estimator(cls, estimator: PCAPruner) -> ScreeDisplay:
        check_is_fitted(estimator, "result_")
        return cls.from_result(estimator.result_)

    def plot(self, ax: Any = None) -> ScreeDisplay:
        import matplotlib.pyplot as plt  # noqa: PLC0415 - matplotlib only at draw time

        if ax is None:
            _fig, ax = plt.subplots()
        x = np.arange(1, self.eigenvalues.size + 1)
        (self.line_,) = ax.plot(x, self.eigenvalues, "-", color="0.3", zorder=1)
        kept = x <= self.n_kept
        self.kept_ = ax.scatter(x[kept], self.eigenvalues[kept], color="C0", zorder=2, label="kept")
        self.dropped_ = ax.scatter(x[~kept], self.eigenvalues[~kept], facecolors="none", edgecolors="C0", zorder=2, label="dropped")
        self.cut_ = ax.axvline(self.n_kept + 0.5, ls="--", color="C3", label=f"cut ({self.rule})")
        if self.rule == "kaiser":
            ax.axhline(1.0, ls=":", color="0.5")
        ax.set_xlabel("Component")
        ax.set_ylabel("Eigenvalue (variance)")
        ax.set_xticks(x)
        ax.set_title("Scree plot")
        ax.legend(loc="upper right")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
