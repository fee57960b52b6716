"""The sizing rule of tree importance: what ``"auto"`` parameters become for n rows x p features.

One rule for :class:`statprune.importance.ImportancePruner`, hence ``statprune importance``,
the report's importance section and ``compare`` (re-exported from :mod:`statprune.importance`).
R's ``randomForest`` default ``mtry`` is written here (:func:`r_mtry`).
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["AUTO_PARAMS", "PERMUTATION_BUDGET", "SCORED_ROWS", "SMALL_CELLS", "importance_sizing", "is_auto", "r_mtry", "sizing_note"]

#: the parameters whose default ``"auto"`` is sized to the data by :func:`importance_sizing`
AUTO_PARAMS = ("model", "max_features", "n_repeats", "max_samples", "n_jobs")
#: up to this many cells (n x p): randomForest's defaults (500 trees, R's mtry, 10 shuffles on every held-out row)
SMALL_CELLS = 50_000
#: above: held-out rows scored per shuffle, at most (a fresh random subsample each shuffle)
SCORED_ROWS = 5_000
#: above: the permutation budget, held-out rows scored x shuffles x features (about 30 s of CPU at 50,000 x 100)
PERMUTATION_BUDGET = 2_500_000


def is_auto(v: Any) -> bool:
    """True for the string ``"auto"`` (and not for an estimator or array a parameter may hold)."""
    return isinstance(v, str) and v == "auto"


def r_mtry(p: int, classification: bool) -> int:
    """R's ``randomForest`` default ``mtry``: ``floor(sqrt(p))`` for classification, ``max(floor(p/3), 1)`` for regression.

    Examples
    --------
    >>> r_mtry(13, False), r_mtry(8, True), r_mtry(2, False)
    (4, 2, 1)
    """
    return max(math.isqrt(int(p)), 1) if classification else max(int(p) // 3, 1)


def importance_sizing(n: int, p: int, *, classification: bool = False, method: str = "permutation", model: Any = "auto",
                      test_size: float = 0.25) -> dict[str, Any]:
    """What the parameters left at ``"auto"`` become for ``n`` rows x ``p`` features: the one sizing rule.

    :class:`ImportancePruner` (hence ``statprune importance``, the report's importance section
    and ``compare``) applies it to each of :data:`AUTO_PARAMS` left at ``"auto"``; an explicit
    value is used as given. Up to :data:`SMALL_CELLS` cells (n x p, e.g. Boston's 506 x 13),
    randomForest's defaults: a random forest (500 trees) with R's ``mtry`` (:func:`r_mtry`),
    10 shuffles per feature on every held-out row. Above, for permutation importance:
    histogram gradient boosting (``hgb``, 100 iterations; its fit grows linearly in n, a
    forest's as n log n times its trees), each shuffle scored on a fresh random subsample of at
    most :data:`SCORED_ROWS` held-out rows, and as many shuffles (3 to 10) as keep rows x
    shuffles x features within :data:`PERMUTATION_BUDGET`. Impurity and shadow importance need
    ``feature_importances_``: their automatic model is always the forest. Always every core
    (``n_jobs=-1``; the numbers do not depend on it).

    Examples
    --------
    >>> importance_sizing(506, 13)
    {'model': 'rf', 'max_features': 4, 'n_repeats': 10, 'max_samples': None, 'n_jobs': -1}
    >>> importance_sizing(50_000, 100)
    {'model': 'hgb', 'max_features': None, 'n_repeats': 5, 'max_samples': 5000, 'n_jobs': -1}
    >>> importance_sizing(50_000, 100, model="rf", classification=True)["max_features"]
    10
    """
    large = int(n) * int(p) > SMALL_CELLS
    chosen = ("hgb" if large and method == "permutation" else "rf") if is_auto(model) else model
    n_test = math.ceil(float(test_size) * int(n))  # train_test_split's held-out size
    scored = min(SCORED_ROWS, n_test) if large else n_test
    repeats = int(max(3, min(10, PERMUTATION_BUDGET // (max(scored, 1) * max(1, int(p)))))) if large else 10
    return {
        "model": chosen,
        "max_features": r_mtry(p, classification) if chosen == "rf" else None,
        "n_repeats": repeats,
        "max_samples": scored if scored < n_test else None,
        "n_jobs": -1,
    }


def sizing_note(sizing: dict[str, Any]) -> str:
    """The automatic choices of a fit in words (``result.extra["sizing"]``), as the summary, the CLI and the report print them.

    Examples
    --------
    >>> sizing_note({"n": 506, "p": 13, "auto": {"model": "rf", "n_jobs": -1}})
    "sized to the data (506 rows x 13 features = 6,578 cells, at most 50,000: randomForest's defaults): model='rf', n_jobs=-1 (every core)"
    >>> sizing_note({"n": 506, "p": 13, "auto": {}})
    'nothing sized automatically: every sizing parameter was given'
    """
    auto = sizing["auto"]
    if not auto:
        return "nothing sized automatically: every sizing parameter was given"
    cells = int(sizing["n"]) * int(sizing["p"])
    regime = (f"at most {SMALL_CELLS:,}: randomForest's defaults" if cells <= SMALL_CELLS
              else f"above {SMALL_CELLS:,}: at most {SCORED_ROWS:,} held-out rows scored per shuffle, "
                   f"rows x shuffles x features within {PERMUTATION_BUDGET:,}")
    said = {"max_features": lambda v: f"{v} (R's mtry)" if v is not None else "None (every feature)",
            "max_samples": lambda v: f"{v} (held-out rows per shuffle)" if v is not None else "None (every held-out row)",
            "n_jobs": lambda v: f"{v} (every core)" if v == -1 else repr(v)}
    parts = [f"{k}={said[k](v) if k in said else repr(v)}" for k, v in auto.items()]
    return f"sized to the data ({int(sizing['n']):,} rows x {int(sizing['p']):,} features = {cells:,} cells, {regime}): " + ", ".join(parts)
