"""Stability selection with error control, as R's ``stabs`` package computes it.

Stability selection (Meinshausen & Buhlmann 2010) fits a selection procedure on
many subsamples of half the rows and keeps the variables selected in at least a
fraction ``cutoff`` (pi_thr) of them. With ``q`` variables selected per subsample
out of ``p``, the expected number of falsely selected variables (the per-family
error rate, PFER) is bounded:

* ``assumption="none"`` (Meinshausen & Buhlmann, Theorem 1):
  ``PFER <= q**2 / ((2 * cutoff - 1) * p)``;
* ``assumption="unimodal"`` and ``"r-concave"`` (Shah & Samworth 2013, complementary
  pairs subsampling, ``sampling_type="SS"``): sharper bounds, computed exactly as
  ``stabs`` computes them (``um_const`` for unimodality; ``minD``/``D``, the
  numerical r-concave tail bound of Shah & Samworth's ``r_concave_tail.R``, for
  r-concavity, with ``r = (-1/2, -1/4)``).

Give any two of ``cutoff``, ``q`` and ``pfer``; :func:`stabsel_parameters` solves
for the third exactly as ``stabs::stabsel_parameters`` does (the cutoff is then a
multiple of ``1/(2B)`` for the Shah & Samworth bounds, ``q`` an integer).

The base learner is the Lasso path, selecting per subsample the first ``q``
variables to enter it, as ``stabs::glmnet.lasso`` does: ``glmnet(x, y, pmax = q)``
(``type="conservative"``, the default: at most ``q`` variables) or
``glmnet(x, y, dfmax = q - 1)`` (``type="anticonservative"``: at least ``q``).
``engine="glmnet"`` runs glmnet itself (R, one R per worker *process*, reached through
the lasso's R backend);
``engine="sklearn"`` (gaussian only, no R) follows the same path on glmnet's
lambda grid with scikit-learn's ``enet_path`` on glmnet's internally standardized
problem, and glmnet's stopping rules.

To reproduce a run of R's ``stabs`` exactly, pass the subsamples R drew
(``set.seed(seed); folds <- stabs::subsample(rep(1, n), B = B)``) as ``folds``: the
selection frequencies are then identical to ``stabs::stabsel(x, y, fitfun =
glmnet.lasso, folds = folds, ...)`` (``tests/test_stability.py``, fixtures from
``r_scripts/stabs_reference.R``). Without ``folds`` the subsamples come from numpy's
generator seeded by ``seed``, which is not R's random number stream.

Modules: :mod:`~statprune.stability.bounds` (the error bounds and the parameter solver, on
R's root finder and minimizer transcribed in ``_rnumerics``), :mod:`~statprune.stability.subsample`,
:mod:`~statprune.stability.fits` (the base learner per subsample, numbers only),
:mod:`~statprune.stability.result`, :mod:`~statprune.stability.selection` (``stabsel``,
``StabilitySelection``), :mod:`~statprune.stability.workflow` (a data file in, a result and
its figure out: what the CLI calls). The plot is
:class:`statprune.plotting.StabilityPathDisplay`.

References
----------
Meinshausen, N. and Buhlmann, P. (2010). Stability selection. JRSS B 72, 417-473.
Shah, R. D. and Samworth, R. J. (2013). Variable selection with error control:
another look at stability selection. JRSS B 75, 55-80.
Hofner, B., Boccuto, L. and Goeker, M. (2015). Controlling false discoveries in
high-dimensional situations: boosting with stability selection. BMC Bioinformatics
16:144 (R package ``stabs``).
"""

from __future__ import annotations

from ..plotting.stability import StabilityPathDisplay
from .bounds import StabselParameters, max_q, min_d, stabsel_parameters
from .result import StabilityResult
from .selection import StabilitySelection, stabsel
from .subsample import subsample_folds
from .workflow import stability_selection

__all__ = [
    "StabselParameters",
    "StabilityResult",
    "StabilitySelection",
    "StabilityPathDisplay",
    "stabsel",
    "stabsel_parameters",
    "stability_selection",
    "subsample_folds",
    "min_d",
    "max_q",
]
