"""Generalized variance inflation factors as ``car::vif`` computes them (``vif.default``).

For a linear model with design ``X`` (``assign`` maps each column to its term),
car takes the coefficient covariance ``vcov(mod)`` (proportional to
``(X'X)^-1``; the factor cancels), drops the intercept row and column, turns it
into a correlation matrix ``R`` (``cov2cor``) and gives each term ``j`` with
columns ``J``::

    GVIF_j = det(R[J, J]) * det(R[-J, -J]) / det(R)

(Fox & Monette 1992), with ``Df = |J|``; ``GVIF^(1/(2 Df))`` is comparable across
terms of different ``Df``, and for one-column terms ``GVIF`` is the ordinary VIF.
Without an intercept car uses the whole matrix and warns that the values may not
be sensible. This is the one place statprune computes a (G)VIF: ``statprune.vif``
reports it and ``stepwise(criterion="vif")`` prunes by ``GVIF^(1/Df)``.
"""

from __future__ import annotations

import numpy as np

from ..errors import AliasedError

__all__ = ["gvif"]


def gvif(X: np.ndarray, assign: np.ndarray, intercept: bool) -> tuple[np.ndarray, np.ndarray]:
    """``(GVIF, Df)`` of terms ``1..max(assign)`` of the design ``X``.

    ``X`` holds the intercept column first when ``intercept``; ``assign`` gives the term
    (1-based; 0 for the intercept) of each column, as R's ``attr(model.matrix, "assign")``.
    Raises :class:`statprune.errors.AliasedError` when ``X`` does not have full column rank.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> a = rng.standard_normal(50); b = a + rng.standard_normal(50)
    >>> X = np.column_stack([np.ones(50), a, b])
    >>> g, df = gvif(X, np.array([0, 1, 2]), intercept=True)
    >>> bool(np.allclose(g[0], g[1])), df.tolist()
    (True, [1, 1])
    """
    X = np.asarray(X, dtype=np.float64)
    assign = np.asarray(assign)
    _, R = np.linalg.qr(X, mode="reduced")
    norms = np.sqrt((X**2).sum(axis=0))
    if X.shape[1] == 0 or X.shape[0] < X.shape[1] or (np.abs(np.diag(R)) < 1e-7 * norms).any():
        # R's lm: qr(tol = 1e-7) leaves such columns out (NA coefficients); car refuses them
        raise AliasedError("there are aliased coefficients in the model")
    Rinv = np.linalg.solve(R, np.eye(R.shape[0]))
    V = Rinv @ Rinv.T  # (X'X)^-1, proportional to vcov(mod)
    if intercept:
        V = V[1:, 1:]
        assign = assign[1:]
    s = np.sqrt(np.diag(V))
    C = V / np.outer(s, s)  # cov2cor
    det_all = np.linalg.det(C)
    terms = np.unique(assign)
    out = np.empty(len(terms))
    dfs = np.empty(len(terms), dtype=int)
    for i, t in enumerate(terms):
        J = assign == t
        out[i] = np.linalg.det(C[np.ix_(J, J)]) * np.linalg.det(C[np.ix_(~J, ~J)]) / det_all
        dfs[i] = int(J.sum())
    return out, dfs
