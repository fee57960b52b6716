"""Plots of glmnet fits that look like R's ``plot.cv.glmnet`` and ``plot.glmnet``.

Two Display objects in the style of scikit-learn's ``RocCurveDisplay``:

* :class:`CVPathDisplay` -- the cross-validation curve of ``plot(cv.glmnet(...))``:
  the CV mean (red dots) with error bars ``cvlo .. cvup`` against ``log(lambda)``,
  dotted vertical lines at ``lambda.min`` and ``lambda.1se``, the number of nonzero
  coefficients along the top axis and the measure name (``cvfit$name``) as y label.
* :class:`CoefPathDisplay` -- the coefficient paths of ``plot(fit, xvar=...)``
  against the L1 norm (R's default), ``log(lambda)`` or the fraction of deviance
  explained, with the degrees of freedom along the top axis (at R's ``pretty()``
  positions, interpolated exactly as ``plotCoef`` does with ``approx(method =
  "constant")``); multinomial and mgaussian fits get one panel per class/response,
  like ``plot.multnet``/``plot.mrelnet``.

The plotted data are the result's own numbers (no smoothing, no resampling), kept
on the display (``x_``, ``cvm``, ``coefs_`` ...) so that tests and users can check
them. Both displays only need matplotlib; they never start R.

R -> Python
-----------
==========================================  ============================================================
R                                           Python
==========================================  ============================================================
``plot(cvfit)``                             ``CVPathDisplay.from_result(res).plot()``
``plot(cvfit, sign.lambda = -1)``           ``CVPathDisplay.from_result(res, sign_lambda=-1).plot()``
``plot(cvfit$glmnet.fit)``                  ``CoefPathDisplay.from_result(res).plot()``
``plot(fit, xvar = "lambda", label = TRUE)`` ``CoefPathDisplay.from_result(res, xvar="lambda", label=True)``
``plot(fit, xvar = "dev")``                 ``CoefPathDisplay.from_result(res, xvar="dev").plot()``
==========================================  ============================================================

Deviation: with ``label=True`` the curves are labelled with the feature names, where
R writes the column numbers (pass ``label="index"`` for R's numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ParameterError
from ._r_graphics import R_PALETTE, r_label, thin_labels, unwrap_result, r_approx_constant, r_pretty

__all__ = ["CVPathDisplay", "CoefPathDisplay"]

# --------------------------------------------------------------------------- CV curve
class CVPathDisplay:
    """The cross-validation curve of a glmnet fit, as R's ``plot.cv.glmnet``.

    Build it with :meth:`from_result` and draw it with :meth:`plot`.

    Parameters
    ----------
    lambdas, cvm, cvup, cvlo, nzero : array-like of shape (n_lambda,)
        The lambda sequence, the CV mean and its upper/lower bands, and the number
        of nonzero coefficients at each lambda.
    lambda_min, lambda_1se : float
        The two reference lambdas (dotted vertical lines).
    measure_name : str
        R's ``cvfit$name``, e.g. ``"Mean-Squared Error"``; the y label.
    sign_lambda : {1, -1}
        R's ``sign.lambda``: ``-1`` plots against ``-log(lambda)`` so the model
        grows from left to right.

    Attributes
    ----------
    x_ : ndarray
        ``sign_lambda * log(lambdas)``, the x positions of the points.
    figure_, ax_ : matplotlib Figure and Axes
    points_ : Line2D
        The red CV means.
    errorbars_ : LineCollection
        The error bars: one vertical segment per lambda plus R's short caps.
    vlines_ : list of Line2D
        The dotted lines at ``lambda.min`` and ``lambda.1se``.
    top_ax_ : Axes
        The twin axis carrying the nonzero counts.

    Examples
    --------
    >>> import numpy as np, matplotlib
    >>> matplotlib.use("Agg")
    >>> from statprune.plotting import CVPathDisplay
    >>> lam = np.exp(np.linspace(0, -4, 20)); cvm = 1 + (np.log(lam) + 2) ** 2
    >>> d = CVPathDisplay(lam, cvm, cvm + 0.3, cvm - 0.3, np.arange(20) // 2, lam[10], lam[7],
    ...                   "Mean-Squared Error").plot()
    >>> d.ax_.get_ylabel()
    'Mean-Squared Error'
    >>> np.allclose(d.points_.get_ydata(), cvm)
    True
    """

    def __init__(self, lambdas: Any, cvm: Any, cvup: Any, cvlo: Any, nzero: Any, lambda_min: float,
                 lambda_1se: float, measure_name: str, *, sign_lambda: int = 1) -> None:
        self.lambdas = np.asarray(lambdas, dtype=float)
        self.cvm = np.asarray(cvm, dtype=float)
        self.cvup = np.asarray(cvup, dtype=float)
        self.cvlo = np.asarray(cvlo, dtype=float)
        self.nzero = np.asarray(nzero)
        self.lambda_min = float(lambda_min)
        self.lambda_1se = float(lambda_1se)
        self.measure_name = str(measure_name)
        self.sign_lambda = sign_lambda

    @classmethod
    def from_result(cls, res: Any, *, sign_lambda: int = 1) -> CVPathDisplay:
        """Build the display from a :class:`~statprune.lasso.LassoResult` (or a fitted ``GlmnetCV``)."""
        res = unwrap_result(res)
        return cls(res.lambdas, res.cvm, res.cvup, res.cvlo, res.nzero, res.lambda_min, res.lambda_1se,
                   getattr(res, "measure_name", None) or "CV error", sign_lambda=sign_lambda)

    def plot(self, ax: Any = None, *, point_color: str = "red", bar_color: str = "darkgrey") -> CVPathDisplay:
        """Draw the curve on ``ax`` (a new figure when None); returns ``self``."""
        # deferred: matplotlib is imported at draw time only, so results and the CLI load without it
        import matplotlib.pyplot as plt  # noqa: PLC0415 - deferred: matplotlib at draw time
        from matplotlib.collections import LineCollection  # noqa: PLC0415 - deferred: matplotlib at draw time

        if self.sign_lambda not in (1, -1):
            raise ParameterError(f"sign_lambda must be 1 or -1, got {self.sign_lambda!r}")
        n = self.lambdas.size
        for name in ("cvm", "cvup", "cvlo", "nzero"):
            if getattr(self, name).shape != (n,):
                raise ParameterError(f"{name} has shape {getattr(self, name).shape}; expected ({n},) like lambdas")
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 5))
        s = self.sign_lambda
        x = s * np.log(self.lambdas)
        self.x_ = x
        # error.bars(x, cvup, cvlo, width = 0.01): vertical bars plus caps of half-width 1% of range(x)
        barw = (x.max() - x.min()) * 0.01 if n else 0.0
        segs = [((xi, up), (xi, lo)) for xi, up, lo in zip(x, self.cvup, self.cvlo)]
        segs += [((xi - barw, up), (xi + barw, up)) for xi, up in zip(x, self.cvup)]
        segs += [((xi - barw, lo), (xi + barw, lo)) for xi, lo in zip(x, self.cvlo)]
        self.errorbars_ = LineCollection(segs, colors=bar_color, linewidths=0.8, zorder=1)
        ax.add_collection(self.errorbars_)
        (self.points_,) = ax.plot(x, self.cvm, linestyle="none", marker="o", markersize=4,
                                  color=point_color, zorder=2)
        self.vlines_ = [ax.axvline(s * np.log(v), linestyle=":", color="black", linewidth=1)
                        for v in (self.lambda_min, self.lambda_1se)]
        finite = np.isfinite(np.r_[self.cvup, self.cvlo])
        if finite.any():
            lo, hi = np.r_[self.cvup, self.cvlo][finite].min(), np.r_[self.cvup, self.cvlo][finite].max()
            pad = 0.04 * (hi - lo) if hi > lo else 1.0
            ax.set_ylim(lo - pad, hi + pad)
        if n:
            pad = 0.04 * (x.max() - x.min()) or 1.0
            ax.set_xlim(x.min() - pad, x.max() + pad)
        ax.set_xlabel(("-" if s < 0 else "") + r"Log($\lambda$)")
        ax.set_ylabel(self.measure_name)
        top = ax.secondary_xaxis("top")
        top.set_xticks(x)
        labels = [r_label(v) for v in self.nzero]
        fontsize = float(plt.rcParams["xtick.labelsize"] if not isinstance(plt.rcParams["xtick.labelsize"], str)
                         else plt.rcParams["font.size"])
        top.set_xticklabels(thin_labels(x, labels, ax, fontsize))
        top.tick_params(length=0)
        self.top_ax_ = top
        self.top_labels_ = labels
        self.ax_ = ax
        self.figure_ = ax.figure
        return self


# --------------------------------------------------------------------------- coefficient paths
_XVARS = {"norm": ("L1 Norm", 1.0), "lambda": ("Log Lambda", 0.0), "dev": ("Fraction Deviance Explained", 1.0)}


class CoefPathDisplay:
    """Coefficient paths of a glmnet fit, as R's ``plot.glmnet`` (``plotCoef``).

    Parameters
    ----------
    lambdas : array-like of shape (n_lambda,)
    beta : array-like of shape (n_features, n_lambda) or (n_classes, n_features, n_lambda)
        Coefficients along the path (no intercept), one panel per class/response
        for 3-D input (``plot.multnet``/``plot.mrelnet``).
    dev_ratio : array-like of shape (n_lambda,)
        Fraction of (null) deviance explained (``fit$dev.ratio``).
    feature_names : list of str
    panel_names : list of str, optional
        Class (multinomial) or response (mgaussian) names for 3-D ``beta``.
    xvar : {"norm", "lambda", "dev"}
        What goes on the x axis; R's default is ``"norm"``.
    label : bool or "index"
        Label each curve at its end: with the feature name (``True``) or, as R
        does, with the column number (``"index"``).

    Attributes
    ----------
    x_ : ndarray
        The x positions (L1 norm, log lambda or deviance ratio).
    df_ : ndarray of shape (n_panels, n_lambda)
        Nonzero counts per lambda (R's ``df``/``dfmat``).
    which_ : list of ndarray
        Per panel, the 0-based indices of the features that are ever nonzero
        (R's ``nonzeroCoef``); only those are drawn, in that order.
    top_ticks_, top_labels_ : list
        Per panel, R's ``pretty(x)`` positions and the df labels at them.
    figure_, axes_, ax_ : the figure, the list of panel Axes, and the first one
    lines_ : list of list of Line2D
        Per panel, one line per drawn feature (``line.get_label()`` is its name).

    Examples
    --------
    >>> import numpy as np, matplotlib
    >>> matplotlib.use("Agg")
    >>> from statprune.plotting import CoefPathDisplay
    >>> lam = np.exp(np.linspace(0, -3, 10))
    >>> beta = np.vstack([np.linspace(0, 2, 10), np.r_[0, 0, 0, np.linspace(0.1, -1, 7)], np.zeros(10)])
    >>> d = CoefPathDisplay(lam, beta, np.linspace(0, 0.8, 10), ["a", "b", "c"], xvar="lambda").plot()
    >>> [ln.get_label() for ln in d.lines_[0]]
    ['a', 'b']
    >>> d.ax_.get_xlabel()
    'Log Lambda'
    """

    def __init__(self, lambdas: Any, beta: Any, dev_ratio: Any, feature_names: Sequence[str], *,
                 panel_names: Sequence[str] | None = None, xvar: str = "norm", label: bool | str = False) -> None:
        self.lambdas = np.asarray(lambdas, dtype=float)
        self.beta = np.asarray(beta, dtype=float)
        self.dev_ratio = np.asarray(dev_ratio, dtype=float)
        self.feature_names = [str(f) for f in feature_names]
        self.panel_names = None if panel_names is None else [str(c) for c in panel_names]
        self.xvar = xvar
        self.label = label

    @classmethod
    def from_result(cls, res: Any, xvar: str = "norm", label: bool | str = False) -> CoefPathDisplay:
        """Build the display from a :class:`~statprune.lasso.LassoResult` (or a fitted ``GlmnetCV``)."""
        res = unwrap_result(res)
        beta = np.asarray(res.beta, dtype=float)
        panels = getattr(res, "class_names", None)
        if beta.ndim == 3 and not panels:
            panels = [str(k + 1) for k in range(beta.shape[0])]
        return cls(res.lambdas, beta, res.dev_ratio, res.feature_names,
                   panel_names=panels if beta.ndim == 3 else None, xvar=xvar, label=label)

    def _check(self) -> np.ndarray:
        if self.xvar not in _XVARS:
            raise ParameterError(f"xvar must be one of {sorted(_XVARS)}, got {self.xvar!r}")
        if self.label not in (True, False, "index"):
            raise ParameterError(f"label must be True, False or 'index', got {self.label!r}")
        beta = self.beta if self.beta.ndim == 3 else self.beta[None, :, :]
        if beta.ndim != 3 or beta.shape[2] != self.lambdas.size:
            raise ParameterError(
                f"beta has shape {self.beta.shape}; expected (n_features, {self.lambdas.size}) "
                f"or (n_classes, n_features, {self.lambdas.size})"
            )
        if beta.shape[1] != len(self.feature_names):
            raise ParameterError(f"{len(self.feature_names)} feature names for {beta.shape[1]} rows of beta")
        return beta

    def plot(self, ax: Any = None) -> CoefPathDisplay:
        """Draw the paths; ``ax`` is one Axes (single response) or a sequence of Axes (one per panel)."""
        import matplotlib.pyplot as plt  # noqa: PLC0415 - draw time only, as in CVPathDisplay.plot

        beta = self._check()
        k = beta.shape[0]
        if ax is None:
            _, axs = plt.subplots(1, k, figsize=(6.5 * k, 5), squeeze=False)
            axes = list(axs.ravel())
        else:
            axes = list(np.ravel(ax)) if isinstance(ax, (list, tuple, np.ndarray)) else [ax]
            if len(axes) != k:
                raise ParameterError(f"this fit has {k} panel(s) (classes/responses); pass {k} Axes, got {len(axes)}")
        iname, approx_f = _XVARS[self.xvar]
        df = (np.abs(beta) > 0).sum(axis=1).astype(float)  # (k, L): R's df / dfmat
        if self.xvar == "norm":
            # plot.glmnet: L1 norm of the panel; plot.multnet/mrelnet: summed over all panels
            norms = np.abs(beta).sum(axis=1)
            index_per_panel = [norms.sum(axis=0)] * k if k > 1 else [norms[0]]
        elif self.xvar == "lambda":
            index_per_panel = [np.log(self.lambdas)] * k
        else:
            index_per_panel = [self.dev_ratio] * k
        self.x_ = index_per_panel[0]
        self.df_ = df
        self.which_, self.lines_, self.top_ticks_, self.top_labels_, self.top_axes_ = [], [], [], [], []
        for i, axi in enumerate(axes):
            index = index_per_panel[i]
            b = beta[i]
            which = np.flatnonzero((np.abs(b) > 0).any(axis=1))
            self.which_.append(which)
            lines = []
            for j, w in enumerate(which):
                (ln,) = axi.plot(index, b[w], linestyle="-", color=R_PALETTE[j % len(R_PALETTE)],
                                 linewidth=1, label=self.feature_names[w])
                lines.append(ln)
            self.lines_.append(lines)
            ylab = "Coefficients" if self.panel_names is None else f"Coefficients: Response {self.panel_names[i]}"
            axi.set_xlabel(iname)
            axi.set_ylabel(ylab)
            atdf = r_pretty(index)
            prettydf = r_approx_constant(index, df[i], atdf, f=approx_f)
            labels = [r_label(v) for v in prettydf]
            top = axi.secondary_xaxis("top")
            top.set_xticks(atdf)
            top.set_xticklabels(labels)
            self.top_ticks_.append(atdf)
            self.top_labels_.append(labels)
            self.top_axes_.append(top)
            if which.size == 0:
                axi.text(0.5, 0.5, "all coefficients are zero on this path", transform=axi.transAxes,
                         ha="center", va="center")
            elif self.label:
                left = self.xvar == "lambda"
                xpos = index.min() if left else index.max()
                last = b.shape[1] - 1  # R: beta[, ncol(beta)], the smallest lambda
                for w in which:
                    txt = str(w + 1) if self.label == "index" else self.feature_names[w]
                    axi.annotate(txt, (xpos, b[w, last]), xytext=(-3 if left else 3, 0), textcoords="offset points",
                                 ha="right" if left else "left", va="center", fontsize=7)
            lo, hi = float(np.min(index)), float(np.max(index))
            if hi > lo:
                room = 0.12 if self.label and which.size else 0.04  # leave room for the labels
                left_room = room if self.label and self.xvar == "lambda" else 0.04
                right_room = room if self.label and self.xvar != "lambda" else 0.04
                axi.set_xlim(lo - left_room * (hi - lo), hi + right_room * (hi - lo))
        self.axes_ = axes
        self.ax_ = axes[0]
        self.figure_ = axes[0].figure
        return self
