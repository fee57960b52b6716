"""Stability paths and selection probabilities, as ``plot(stabsel, type = "paths" / "maxsel")`` in R's stabs."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from ._r_graphics import unwrap_result

__all__ = ["StabilityPathDisplay"]


class StabilityPathDisplay:
    """Stability paths (``plot(stabsel, type = "paths")``) or selection probabilities (``type = "maxsel"``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from statprune.stability import stabsel
    >>> from statprune.plotting import StabilityPathDisplay
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 5)); y = X[:, 0] + rng.standard_normal(60)
    >>> res = stabsel(X, y, q=2, cutoff=0.8, engine="sklearn", B=5, seed=0)
    >>> disp = StabilityPathDisplay.from_result(res).plot()
    >>> len(disp.lines_) >= 1
    True
    """

    def __init__(self, phat: pd.DataFrame, max_: pd.Series, cutoff: float, selected: list[str]) -> None:
        self.phat = phat
        self.max = max_
        self.cutoff = cutoff
        self.selected = selected

    @classmethod
    def from_result(cls, result: Any) -> StabilityPathDisplay:
        """Build the display from a :class:`~statprune.stability.StabilityResult` (or a fitted ``StabilitySelection``)."""
        result = unwrap_result(result)
        return cls(result.phat, result.max, result.cutoff, result.selected)

    def plot(self, ax: Any = None, *, kind: Literal["paths", "maxsel"] = "paths", label_selected: bool = True,
             **line_kw: Any) -> StabilityPathDisplay:
        """Draw the paths (``kind="paths"``) or the selection probabilities (``"maxsel"``) on ``ax``; returns ``self``."""
        import matplotlib.pyplot as plt  # noqa: PLC0415 - draw time only (see plotting.glmnet)

        if ax is None:
            _, ax = plt.subplots()
        self.ax_ = ax
        self.figure_ = ax.figure
        keep = self.phat.index[self.phat.sum(axis=1) > 0]
        self.lines_ = []
        if kind == "paths":
            steps = np.arange(self.phat.shape[1])
            for name in keep:
                sel = name in self.selected
                (ln,) = ax.plot(steps, self.phat.loc[name].to_numpy(), lw=1.6 if sel else 0.9,
                                color=None if sel else "0.6", label=name if sel else None, **line_kw)
                self.lines_.append(ln)
            if label_selected and self.selected:
                ax.legend(title="selected", loc="best", fontsize=8)
            ax.set_xlabel("Step (lambda = lambda_max x ratio^(step/(nlambda-1)))")
            ax.set_ylabel("Selection probability")
            ax.set_ylim(0, 1.05)
        else:
            order = self.max.loc[keep].sort_values()
            ypos = np.arange(len(order))
            for i, (name, v) in enumerate(order.items()):
                (ln,) = ax.plot([v], [ypos[i]], "o", color="C0" if name in self.selected else "0.6")
                self.lines_.append(ln)
            ax.set_yticks(ypos, list(order.index))
            ax.set_xlim(0, 1)
            ax.set_xlabel("Selection probability")
        self.cutoff_line_ = (ax.axhline if kind == "paths" else ax.axvline)(self.cutoff, color="lightgray", lw=1)
        ax.set_title(f"Stability selection (cutoff {self.cutoff:g})")
        return self
