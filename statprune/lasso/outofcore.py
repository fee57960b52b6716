"""``cv.glmnet(family = "gaussian")`` on data larger than memory: the estimator side.

:func:`statprune.engines.outofcore.gram_stats_dask` reduces partitioned Parquet/CSV
data (Dask, local or distributed) to per-fold Gram statistics,
:func:`statprune.engines.gram.cv_glmnet_gram_from_stats` solves them with glmnet's
rules; :func:`cv_glmnet_ooc` runs both and builds the result, an
:class:`OutOfCoreLassoResult`: a :class:`~statprune.lasso.LassoResult` that also
says how many rows and partitions were read and how the folds were assigned (in
its ``to_dict``, ``to_json`` and ``summary``).

Examples
--------
>>> import numpy as np, pandas as pd, tempfile, os
>>> from statprune import cv_glmnet_ooc
>>> d = tempfile.mkdtemp()
>>> rng = np.random.default_rng(0)
>>> for i in range(3):
...     X = rng.standard_normal((200, 4))
...     df = pd.DataFrame(X, columns=list("abcd")).assign(y=X[:, 0] - X[:, 2] + rng.standard_normal(200))
...     df.to_parquet(os.path.join(d, f"part{i}.parquet"))
>>> res = cv_glmnet_ooc(os.path.join(d, "*.parquet"), "y", nfolds=5, seed=1, scheduler="synchronous")
>>> {"a", "c"} <= set(res.selected), res.n_rows, res.n_partitions, res.to_dict()["fold_method"]
(True, 600, 3, 'hash')
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import numpy as np

from statprune._glmnet.params import DEFAULTS
from statprune._provenance import provenance
from statprune.engines.gram import cv_glmnet_gram_from_stats
from statprune.engines.outofcore import GramStatsResult, gram_stats_dask
from statprune.lasso.result import LassoResult

__all__ = ["OutOfCoreLassoResult", "cv_glmnet_ooc"]


class OutOfCoreLassoResult(LassoResult):
    """A :class:`~statprune.lasso.LassoResult` fitted out of core (:func:`cv_glmnet_ooc`).

    Attributes (besides those of ``LassoResult``)
    ----------------------------------------------
    n_rows, n_partitions : int
        Rows and Dask partitions read.
    fold_method : {"column", "hash"}
        Folds from a fold column, or the row-number hash of
        :func:`statprune.engines.outofcore.hash_foldid` (then ``foldid`` is ``None``).
    gram : GramStatsResult
        The per-fold statistics the fit was computed from.
    """

    def __init__(self, out: Mapping[str, Any], *, gram: GramStatsResult, **kwargs: Any) -> None:
        super().__init__(out, **kwargs)
        self.gram = gram
        self.n_rows = gram.n_rows
        self.n_partitions = gram.n_partitions
        self.fold_method = gram.fold_method

    def to_dict(self) -> dict[str, Any]:
        """:meth:`LassoResult.to_dict` plus ``n_rows``, ``n_partitions`` and ``fold_method``."""
        d = super().to_dict()
        d.update({"n_rows": self.n_rows, "n_partitions": self.n_partitions, "fold_method": self.fold_method})
        return d

    def summary(self) -> str:
        """:meth:`LassoResult.summary` and a line on the rows, partitions and folds read."""
        return (f"{super().summary()}\n"
                f"{self.n_rows} rows in {self.n_partitions} partitions; folds: {self.fold_method}")


def cv_glmnet_ooc(
    source: Any,
    target: str,
    *,
    features: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    weights: str | None = None,
    fold_column: str | None = None,
    nfolds: int = DEFAULTS.nfolds,
    seed: int | None = None,
    client: Any = None,
    scheduler: str | None = None,
    blocksize: str | int | None = None,
    s: str | float = "lambda.min",
    progress: Callable[[int, int], None] | None = None,
    progress_bar: bool = False,
    **glmnet_args: Any,
) -> OutOfCoreLassoResult:
    """``cv.glmnet(family = "gaussian")`` on partitioned data, without loading it.

    The statistics are computed by
    :func:`~statprune.engines.outofcore.gram_stats_dask` (``source`` ...
    ``blocksize``, ``progress_bar``: the same arguments), then solved by the gram
    engine with glmnet's parameters ``glmnet_args`` (``alpha``, ``lambda_``,
    ``nlambda``, ``lambda_min_ratio``, ``standardize``, ``fit_intercept``,
    ``penalty_factor``, ``thresh``, ``maxit``; glmnet's defaults).  ``s`` is where
    the selection is read.  ``seed`` salts the row-number fold hash (``None``: a fresh
    salt, recorded as the result's ``seed``; the folds are not R's ``set.seed`` folds,
    see :mod:`statprune._glmnet.folds`).  ``progress`` is called as ``progress(done, total)`` after
    each of the ``nfolds + 1`` path fits.  The result's ``foldid`` is ``None`` (the
    folds are a function of the row number, see
    :func:`~statprune.engines.outofcore.hash_foldid`).  Methods that need the rows or
    an R fit (``assess``, ``save_rds``) are not available.
    """
    gs = gram_stats_dask(
        source, target, features=features, exclude=exclude, weights=weights, fold_column=fold_column,
        nfolds=nfolds, seed=seed, client=client, scheduler=scheduler, blocksize=blocksize, progress_bar=progress_bar,
    )
    out = cv_glmnet_gram_from_stats(gs.stats, progress=progress, **glmnet_args)
    tot = gs.stats.total()
    constant = [f for f, lo, hi in zip(gs.feature_names, tot.x_min[0], tot.x_max[0]) if not hi > lo]
    prov = provenance(seed=gs.seed, with_r=False)
    prov.update({"engine": "gram-dask", "n_rows": gs.n_rows, "n_partitions": gs.n_partitions,
                 "fold_method": gs.fold_method, "scheduler": "distributed" if client is not None else (scheduler or "threads")})
    pf = glmnet_args.get("penalty_factor")
    return OutOfCoreLassoResult(
        out, gram=gs, family="gaussian", alpha=glmnet_args.get("alpha", DEFAULTS.alpha), s=s, feature_names=gs.feature_names,
        class_names=None, constant=constant, penalty_factor=None if pf is None else np.asarray(pf, float),
        provenance=prov, seed=gs.seed,
    )
