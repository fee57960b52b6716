"""Stepwise selection with R's ``step()``/``drop1()``/``add1()`` semantics on statsmodels.

:func:`stepwise` walks the same path as R's ``step()`` (and ``MASS::stepAIC``):
the same candidate tables, the same tie-breaking (``<none>`` first, then drops
in term order, then adds in scope order, a stable sort on AIC), the same stopping
rule (``<none>`` best, or the refitted AIC not better by more than ``1e-7``), the
same AIC values (``extractAIC``) and the same final model. Factors and
interactions are single terms that enter and leave as a group; marginality is
``drop.scope``/``add.scope``'s.

Besides AIC/BIC it offers p-value elimination (``criterion="pvalue"``: drop the
term with the largest ``drop1`` p-value while it exceeds ``threshold``, or
forward entry by the smallest ``add1`` p-value), one-shot pruning of the full fit
with a multiple-testing adjustment (``criterion="adjusted"``), and two
coefficient-based rules: ``criterion="vif"`` (drop the term with the largest
generalized VIF above ``threshold``, repeat) and ``criterion="stdcoef"`` (drop the
term with the smallest standardized coefficient below ``threshold``, repeat).

The p-values of a model refitted after selection are not valid p-values: the
same data chose the model (selective inference). They are reported as R reports
them, with that warning attached.

Examples
--------
>>> import statprune
>>> from statprune.datasets import load_swiss
>>> res = statprune.stepwise(load_swiss(), "Fertility ~ .")
>>> res.final_terms
['Agriculture', 'Education', 'Catholic', 'Infant.Mortality']
>>> res.steps[["Step", "AIC"]].round(4)
            Step       AIC
0                 190.6913
1  - Examination  189.8606

The R equivalent is ``step(lm(Fertility ~ ., data = swiss))``.
"""

from __future__ import annotations

import sys as _sys
import types as _types
from typing import Any

from ._api import add1, drop1, stepwise
from .result import StepwiseResult
from .selector import StepwiseSelector

__all__ = ["StepwiseResult", "StepwiseSelector", "add1", "drop1", "stepwise"]


# ``statprune.stepwise`` is both this package and the function: importing the subpackage binds
# the package attribute to the module, so the module itself is made callable.
class _CallableModule(_types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> StepwiseResult:
        return stepwise(*args, **kwargs)


_sys.modules[__name__].__class__ = _CallableModule
