"""Every plot of statprune, as Display objects in the style of scikit-learn's ``RocCurveDisplay``.

Build a display from a result with ``from_result(...)`` and draw it with ``plot(ax=...)``;
``plot`` returns the display, which keeps the plotted numbers and the matplotlib objects
(``figure_``, ``ax_``, lines). Matplotlib is imported when a display draws, never before;
no display starts R.

==============================  ==========================================  ===========================
Display                         R                                           result
==============================  ==========================================  ===========================
:class:`CVPathDisplay`          ``plot(cv.glmnet(...))``                    ``LassoResult``
:class:`CoefPathDisplay`        ``plot(fit, xvar = ...)``                   ``LassoResult``
:class:`StabilityPathDisplay`   ``plot(stabsel(...), type = "paths")``      ``StabilityResult``
:class:`NNPruneDisplay`         (TF-MOT has no plot)                        ``NNPruneResult``
:class:`ScreeDisplay`           ``screeplot(prcomp(...))``                  ``PCAResult``
:class:`ImportanceDisplay`      ``randomForest::varImpPlot(...)``           ``ImportanceResult``
:class:`CompareDisplay`         (no R equivalent)                           ``CompareResult``
==============================  ==========================================  ===========================
"""

from __future__ import annotations

from ._r_graphics import R_PALETTE, r_approx_constant, r_pretty
from .compare import CompareDisplay
from .glmnet import CoefPathDisplay, CVPathDisplay
from .importance import ImportanceDisplay
from .nn import NNPruneDisplay
from .pca import ScreeDisplay
from .stability import StabilityPathDisplay

__all__ = [
    "CVPathDisplay",
    "CoefPathDisplay",
    "StabilityPathDisplay",
    "NNPruneDisplay",
    "ScreeDisplay",
    "ImportanceDisplay",
    "CompareDisplay",
    "R_PALETTE",
    "r_pretty",
    "r_approx_constant",
]
