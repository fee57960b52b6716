"""statprune: statistical parameter pruning that gives the same answers as R.

The public API is imported lazily, so ``import statprune`` neither starts R nor
imports rpy2 or any heavy dependency.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "datasets": "statprune.datasets",
    "errors": "statprune.errors",
    "stepwise": "statprune.stepwise",
    "StepwiseSelector": "statprune.stepwise",
    "StepwiseResult": "statprune.stepwise",
    "drop1": "statprune.stepwise",
    "add1": "statprune.stepwise",
    "CVPathDisplay": "statprune.plotting",
    "CoefPathDisplay": "statprune.plotting",
    "build_report": "statprune.report",
    "StabilitySelection": "statprune.stability",
    "StabilityResult": "statprune.stability",
    "StabilityPathDisplay": "statprune.plotting",
    "stabsel": "statprune.stability",
    "stabsel_parameters": "statprune.stability",
    "cv_glmnet_ooc": "statprune.lasso.outofcore",
    "OutOfCoreLassoResult": "statprune.lasso.outofcore",
    "gram_stats_dask": "statprune.engines.outofcore",
    "nn": "statprune.nn",
    "ConstantSparsity": "statprune.nn",
    "PolynomialDecay": "statprune.nn",
    "MagnitudePruner": "statprune.nn",
    "strip_pruning": "statprune.nn",
    "prune_low_magnitude": "statprune.nn",
    "prune_keras": "statprune.nn",
    "prune_nn": "statprune.nn",
    "NNPruneResult": "statprune.nn",
    "NNPruneDisplay": "statprune.plotting",
    "GlmnetCV": "statprune.lasso",
    "LassoResult": "statprune.lasso",
    "PCAPruner": "statprune.pca",
    "PCAResult": "statprune.pca",
    "ScreeDisplay": "statprune.plotting",
    "ImportancePruner": "statprune.importance",
    "ImportanceResult": "statprune.importance",
    "ImportanceDisplay": "statprune.plotting",
    "compare": "statprune.compare",
    "CompareResult": "statprune.compare",
    "CompareDisplay": "statprune.plotting",
    "crosscheck": "statprune.crosscheck",
    "regsubsets": "statprune.subsets",
    "RegsubsetsResult": "statprune.subsets",
    "vif": "statprune.collinearity",
    "VIFResult": "statprune.collinearity",
    "CrosscheckReport": "statprune.crosscheck",
    "fixed_lasso_inf": "statprune.selective",
    "fs_inf": "statprune.selective",
    "lar_inf": "statprune.selective",
    "SelectiveResult": "statprune.selective",
    "knockoff_filter": "statprune.knockoff",
    "KnockoffResult": "statprune.knockoff",
}

__all__ = sorted([*_LAZY, "__version__"])


def __getattr__(name: str) -> Any:
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'statprune' has no attribute {name!r}")
    module = import_module(mod)
    value = module if mod.rsplit(".", 1)[-1] == name else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
