"""The comparison plot: the kept/pruned matrix of every method next to its held-out error."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: the result module imports this one
    from ..compare import CompareResult

__all__ = ["CompareDisplay"]


class CompareDisplay:
    """Kept/pruned matrix (features x methods) next to the held-out error of each method.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from statprune.datasets import load_swiss
    >>> from statprune import compare
    >>> res = compare(load_swiss(), "Fertility", methods=("stepwise", "pca"))
    >>> disp = CompareDisplay.from_result(res).plot()
    >>> len(disp.axes_)
    2
    """

    def __init__(self, result: CompareResult):
        self.result = result

    @classmethod
    def from_result(cls, result: CompareResult) -> CompareDisplay:
        return cls(result)

    def plot(self, axes: Any = None) -> CompareDisplay:
        import matplotlib.pyplot as plt  # noqa: PLC0415 - matplotlib only at draw time

        res = self.result
        if axes is None:
            fig, axes = plt.subplots(1, 2, figsize=(9, 0.3 * len(res.feature_names) + 2),
                                     gridspec_kw={"width_ratios": [2, 1]})
        ax0, ax1 = axes
        M = res.table.to_numpy(dtype=float)
        self.image_ = ax0.imshow(M, aspect="auto", cmap="Blues", vmin=0, vmax=1.3)
        ax0.set_xticks(range(M.shape[1]))
        ax0.set_xticklabels(res.table.columns, rotation=30, ha="right")
        ax0.set_yticks(range(M.shape[0]))
        ax0.set_yticklabels(res.feature_names)
        ax0.set_title("kept (dark) / pruned")
        met = res.metrics[res.metric]
        ax1.barh(range(len(met)), met.to_numpy(), color="C0")
        ax1.set_yticks(range(len(met)))
        ax1.set_yticklabels(met.index)
        ax1.invert_yaxis()
        ax1.set_xlabel(f"held-out {res.metric}")
        self.axes_ = [ax0, ax1]
        self.figure_ = ax0.figure
        return self
