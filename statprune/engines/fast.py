"""The fast exact engines behind one call: ``cv.glmnet`` without R for the families they cover.

``family="gaussian"`` runs :func:`statprune.engines.gram.cv_glmnet_gram` (Gram
statistics), ``"binomial"``/``"poisson"`` :func:`statprune.engines.glmpath.cv_glmnet_glm`
(glmnet's IRLS in C).  Importing this module imports numpy only: no R, no rpy2, no JIT.

Examples
--------
>>> import numpy as np
>>> X = np.random.default_rng(0).standard_normal((100, 3)); y = X[:, 0] + 1
>>> cv_glmnet_fast(X, y, foldid=np.arange(100) % 5 + 1)["engine"]
'gram'
"""

from __future__ import annotations

from typing import Any

from statprune.engines.glmpath import cv_glmnet_glm
from statprune.engines.gram import cv_glmnet_gram, gram_unsupported_reason
from statprune.errors import GramNotSupported

__all__ = ["cv_glmnet_fast"]


def cv_glmnet_fast(X: Any, y: Any, *, family: str = "gaussian", offset: Any = None, **kwargs: Any) -> dict:
    """``cv.glmnet`` by the fast engine of ``family`` (keyword arguments: those of the engine)."""
    if family == "gaussian":
        if offset is not None:
            raise GramNotSupported(gram_unsupported_reason(offset=offset))
        return cv_glmnet_gram(X, y, **kwargs)
    return cv_glmnet_glm(X, y, family=family, offset=offset, **kwargs)
