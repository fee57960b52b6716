"""Sparsity per layer and weight magnitudes of a pruned network."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

__all__ = ["NNPruneDisplay"]


class NNPruneDisplay:
    """Sparsity per layer (bars, target as a line) and the weight-magnitude histogram.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np, pandas as pd
    >>> from sklearn.datasets import load_digits
    >>> from statprune.nn import prune_nn
    >>> from statprune.plotting import NNPruneDisplay
    >>> d = load_digits(as_frame=True).frame.sample(400, random_state=0)
    >>> res = prune_nn(d, "target", sparsity=0.5, hidden=(16,), epochs=10, prune_epochs=2)
    >>> disp = NNPruneDisplay.from_result(res).plot()
    >>> len(disp.axes_)
    2
    """

    def __init__(self, layers: pd.DataFrame, kernels: Sequence[np.ndarray], dense_kernels: Sequence[np.ndarray], target: float) -> None:
        self.layers = layers
        self.kernels = list(kernels)
        self.dense_kernels = list(dense_kernels)
        self.target = target

    @classmethod
    def from_result(cls, result: Any) -> NNPruneDisplay:
        """Build the display from a :class:`~statprune.nn.NNPruneResult`."""
        return cls(result.layers, result.kernels, result.dense_kernels, result.target_sparsity)

    def plot(self, axes: Any = None) -> NNPruneDisplay:
        """Draw both panels on ``axes`` (two Axes; a new 1 x 2 figure when None); returns ``self``."""
        import matplotlib.pyplot as plt  # noqa: PLC0415 - draw time only (see plotting.glmnet)

        if axes is None:
            fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        ax1, ax2 = axes
        names = list(self.layers["layer"])
        ax1.bar(names, self.layers["sparsity"], color="tab:blue", label="achieved")
        ax1.axhline(self.target, color="tab:red", ls="--", label=f"target {self.target:.2g}")
        ax1.set_ylim(0, 1)
        ax1.set_ylabel("sparsity (fraction of zero weights)")
        ax1.set_title("Sparsity per layer")
        ax1.legend(loc="lower right")
        dense = np.concatenate([np.abs(w).ravel() for w in self.dense_kernels]) if self.dense_kernels else np.array([])
        kept = np.concatenate([np.abs(w).ravel() for w in self.kernels]) if self.kernels else np.array([])
        kept = kept[kept > 0]
        if dense.size:
            bins = np.linspace(0, float(dense.max()) or 1.0, 50)
            ax2.hist(dense, bins=bins, alpha=0.5, label="dense", color="tab:gray")
            ax2.hist(kept, bins=bins, alpha=0.7, label="kept (nonzero)", color="tab:blue")
        ax2.set_xlabel("|weight|")
        ax2.set_ylabel("count")
        ax2.set_title("Weight magnitudes")
        ax2.legend()
        self.axes_ = [ax1, ax2]
        self.figure_ = ax1.figure
        return self
