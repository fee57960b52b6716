"""scikit-learn's ``PCA`` against R's ``prcomp``: sdev and sign-normalised loadings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.decomposition import PCA

from .. import _backend_r, _provenance
from ..errors import DataError
from ._inputs import prepare_X
from .report import EXACT_TOL, CrosscheckReport, num_row

__all__ = ["crosscheck_pca"]


def crosscheck_pca(X: Any, *, scale: bool = False, feature_names: Sequence[str] | None = None, tolerance: float = EXACT_TOL) -> CrosscheckReport:
    """scikit-learn ``PCA`` against R ``prcomp``: sdev and loadings (sign normalised).

    The sign of each loading vector is fixed so that its entry of largest
    absolute value is positive, in both engines. ``scale=True`` is
    ``prcomp(scale.=TRUE)``: columns divided by their sample sd (n - 1).

    Examples
    --------
    >>> from statprune import datasets
    >>> from statprune.crosscheck import crosscheck_pca
    >>> rep = crosscheck_pca(datasets.load_swiss(), scale=True)
    >>> rep.ok
    True
    """
    Xa, names = prepare_X(X, feature_names)
    r = _backend_r.crosscheck_prcomp(Xa, scale)
    Z = Xa - Xa.mean(axis=0)
    if scale:
        sd = Xa.std(axis=0, ddof=1)
        if np.any(sd == 0):
            raise DataError("a column is constant: prcomp(scale.=TRUE) cannot rescale it")
        Z = Z / sd
    pca = PCA(svd_solver="full").fit(Z)
    sdev_s = np.sqrt(pca.explained_variance_)
    load_s = pca.components_.T.copy()
    for j in range(load_s.shape[1]):
        i = int(np.argmax(np.abs(load_s[:, j])))
        if load_s[i, j] < 0:
            load_s[:, j] *= -1
    sdev_r = np.atleast_1d(np.asarray(r["sdev"], dtype=float))
    load_r = np.asarray(r["rotation"], dtype=float).reshape(len(names), -1)
    k = min(sdev_r.size, sdev_s.size, load_r.shape[1])
    rows = []
    for j in range(k):
        rows.append(num_row("pca sdev", f"PC{j + 1}", "r.prcomp", "sklearn.PCA", sdev_r[j], sdev_s[j], tolerance, scale=sdev_r[0]))
    for j in range(k):
        d = np.abs(load_r[:, j] - load_s[:, j])
        i = int(np.argmax(d))
        row = num_row("pca loading", f"PC{j + 1}:{names[i]}", "r.prcomp", "sklearn.PCA", load_r[i, j], load_s[i, j], tolerance, scale=1.0,
                       note="largest difference in the unit loading vector, sign normalised")
        # near-equal eigenvalues make a loading vector ill-determined; say so rather than fail silently
        gap = min([abs(sdev_r[j] - sdev_r[m]) for m in (j - 1, j + 1) if 0 <= m < sdev_r.size] or [np.inf])
        if gap < 1e-6 * sdev_r[0]:
            row.update(tolerance=np.nan, ok=True, note="eigenvalue (nearly) tied with a neighbour: loadings not identified")
        rows.append(row)
    info = dict(family="pca", n=Xa.shape[0], p=Xa.shape[1], scale=scale, notes=[])
    return CrosscheckReport(rows, info, _provenance.provenance())

