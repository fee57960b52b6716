"""``cv.glmnet`` (gaussian, binomial, poisson) on data larger than memory: the estimator side.

:func:`statprune.engines.outofcore.gram_stats_dask` reduces partitioned Parquet/CSV
data (Dask, local or distributed) to per-fold Gram statistics,
:func:`statprune.engines.gram.cv_glmnet_gram_from_stats` solves them with glmnet's
rules; for binomial and poisson,
:func:`statprune.engines.outofcore_glm.cv_glm_dask` runs glmnet's IRLS with one pass
per step; :func:`cv_glmnet_ooc` runs them and builds the result, an
:class:`OutOfCoreLassoResult`: a :class:`~statprune.lasso.LassoResult` that also
says how many rows and partitions were read and how the folds were assigned (in
its ``to_dict``, ``to_json`` and ``summary``).

Examples
--------
>>> from statprune import cv_glmnet_ooc
>>> from statprune.datasets import make_partitioned
>>> res = cv_glmnet_ooc(make_partitioned(), "y", nfolds=5, seed=1, scheduler="synchronous")
>>> {"a", "c"} <= set(res.selected), res.n_rows, res.n_partitions, res.to_dict()["fold_method"]
(True, 600, 3, 'hash')
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import numpy as np

from statprune._glmnet.params import DEFAULTS
from statprune._provenance import provenance
from statprune.engines.gram import cv_glmnet_gram_from_stats
from statprune.engines.outofcore import GramStatsResult, OocData, gram_stats_dask
from statprune.engines.outofcore_glm import cv_glm_dask
from statprune.errors import ParameterError
from statprune.lasso.result import LassoResult

__all__ = ["OutOfCoreLassoResult", "cv_glmnet_ooc"]


class OutOfCoreLassoResult(LassoResult):
    """A :class:`~statprune.lasso.LassoResult` fitted out of core (:func:`cv_glmnet_ooc`).

    Attributes (besides those of ``LassoResult``)
    ----------------------------------------------
    n_rows, n_partitions : int
        Rows and Dask partitions read.
    fold_method : {"column", "hash", "r"}
        Folds from a fold column, the row-number hash of
        :func:`statprune.engines.outofcore.hash_foldid`, or R's ``set.seed``/``sample``
        draw (``foldid`` is ``None``).
    passes : int
        Passes over the data (gaussian: 1; binomial/poisson: one per IRLS step, plus 2).
    gram : GramStatsResult
        The per-fold statistics the fit was computed from.
    """

    def __init__(self, out: Mapping[str, Any], *, gram: GramStatsResult, **kwargs: Any) -> None:
        super().__init__(out, **kwargs)
        self.gram = gram
        self.n_rows = gram.n_rows
        self.n_partitions = gram.n_partitions
        self.fold_method = gram.fold_method
        self.passes = int(self.provenance.get("passes", 1))

    def to_dict(self) -> dict[str, Any]:
        """:meth:`LassoResult.to_dict` plus ``n_rows``, ``n_partitions`` and ``fold_method``."""
        d = super().to_dict()
        d.update({"n_rows": self.n_rows, "n_partitions": self.n_partitions, "fold_method": self.fold_method,
                  "passes": self.passes})
        return d

    def summary(self) -> str:
        """:meth:`LassoResult.summary` and a line on the rows, partitions and folds read."""
        return (f"{super().summary()}\n"
                f"{self.n_rows} rows in {self.n_partitions} partitions, {self.passes} pass(es); folds: {self.fold_method}")


def cv_glmnet_ooc(
    source: Any,
    target: str | None = None,
    *,
    family: str = "gaussian",
    type_measure: str = DEFAULTS.type_measure,
    s: str | float = "lambda.min",
    progress: Callable[[int, int], None] | None = None,
    **kwargs: Any,
) -> OutOfCoreLassoResult:
    """``cv.glmnet(family = "gaussian" | "binomial" | "poisson")`` on partitioned data, without loading it.

    ``source``, ``target`` and the data keywords are
    :class:`~statprune.engines.outofcore.OocData`'s (``features``, ``exclude``,
    ``weights``, ``offset``, ``fold_column``, ``nfolds``, ``seed``, ``folds``
    (``"hash"`` | ``"r"``), ``client``, ``scheduler``, ``blocksize``, ``fanin``,
    ``progress_bar``); the other keywords are glmnet's (``alpha``, ``lambda_``,
    ``nlambda``, ``lambda_min_ratio``, ``standardize``, ``fit_intercept``,
    ``penalty_factor``, ``thresh``, ``maxit``; glmnet's defaults).

    * gaussian: one pass gives the per-fold Gram statistics
      (:func:`~statprune.engines.outofcore.gram_stats_dask`), solved by the gram engine;
      ``progress(done, total)`` after each of the ``nfolds + 1`` path fits; no offsets.
    * binomial (0/1 target, 1 = the second class) and poisson: glmnet's IRLS, one pass
      per IRLS step of all the fits at once
      (:func:`~statprune.engines.outofcore_glm.cv_glm_dask`); ``progress(passes, kind)``
      after each pass; ``type_measure`` deviance, class (binomial), mse, mae.

    ``s`` is where the selection is read.  ``folds="hash"`` (default) assigns the folds
    by a hash of the row number salted by ``seed`` (``None``: a fresh salt, recorded as
    the result's ``seed``); ``folds="r"`` gives ``cv.glmnet``'s own folds for
    ``set.seed(seed)``.  The result's ``foldid`` is ``None``.  Methods that need the
    rows or an R fit (``assess``, ``save_rds``) are not available.
    """
    datakw, glmnet_args = OocData.split(kwargs)
    data = OocData.of(source, target, datakw)
    if family in ("binomial", "poisson"):
        out, info = cv_glm_dask(data, family=family, type_measure=type_measure, progress=progress, **glmnet_args)
        gs = info.stats
        passes = info.passes
        class_names = ["0", "1"] if family == "binomial" else None
    elif family == "gaussian":
        if type_measure not in ("default", "mse"):
            raise ParameterError(f"type_measure={type_measure!r}: the gaussian out-of-core fit computes 'mse' only")
        gs = gram_stats_dask(data)
        out = cv_glmnet_gram_from_stats(gs.stats, progress=progress, **glmnet_args)
        passes = 1
        class_names = None
    else:
        raise ParameterError(f"family={family!r}: out of core, use 'gaussian', 'binomial' or 'poisson'")
    tot = gs.stats.total()
    constant = [f for f, lo, hi in zip(gs.feature_names, tot.x_min[0], tot.x_max[0]) if not hi > lo]
    prov = provenance(seed=gs.seed, with_r=False)
    prov.update({"engine": "gram-dask" if family == "gaussian" else "glm-dask", "n_rows": gs.n_rows,
                 "n_partitions": gs.n_partitions, "fold_method": gs.fold_method, "passes": passes,
                 "scheduler": "distributed" if data.client is not None else (data.scheduler or "threads")})
    pf = glmnet_args.get("penalty_factor")
    return OutOfCoreLassoResult(
        out, gram=gs, family=family, alpha=glmnet_args.get("alpha", DEFAULTS.alpha), s=s,
        feature_names=gs.feature_names, class_names=class_names, constant=constant,
        penalty_factor=None if pf is None else np.asarray(pf, float), provenance=prov, seed=gs.seed,
    )
