"""glmnet's arguments as its path kernels take them (shared by the Gaussian and GLM engines).

What ``glmnet()`` does to its arguments before calling the Fortran/C++ path:
penalty factors normalized to sum to ``p`` (``Inf`` = excluded), limits with the
infinities replaced by ``+-big``, ``fdev`` set to 0 when a limit is 0, the user's
``lambda`` sorted decreasingly, the ``lambda.min.ratio`` and ``type.gaussian``
defaults, and ``fix.lam`` on the returned sequence.  The defaults and the rules
themselves are :mod:`statprune._glmnet`'s; this module only applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from statprune._glmnet import params as glmnet_params
from statprune._glmnet.params import CONTROL, DEFAULTS, GlmnetParams
from statprune._glmnet.rules import fix_lambda
from statprune.engines import _native
from statprune.errors import DataError, GlmNotSupported, ParameterError

__all__ = ["PathSettings", "path_design", "path_settings"]


@dataclass
class PathSettings:
    """The arguments of one glmnet path call, converted as ``glmnet()`` converts them."""

    alpha: float
    lambda_: np.ndarray | None
    nlambda: int
    lambda_min_ratio: float | None
    standardize: bool
    fit_intercept: bool
    vp: np.ndarray
    cl: np.ndarray  # (2, p), infinities replaced by +-big
    exclude: np.ndarray  # bool (p,)
    thresh: float
    maxit: int
    sml: float
    naive: bool = False

    def lambda_args(self, nobs: int, scale: float = 1.0) -> tuple[float, np.ndarray, int]:
        """The kernels' ``(flmin, ulam, nlam)``: the user's lambdas divided by ``scale``, or
        glmnet's computed sequence with ``lambda.min.ratio`` (its default for ``nobs`` rows)."""
        if self.lambda_ is not None:
            return 1.0, self.lambda_ / scale, int(self.lambda_.shape[0])
        lmr = self.lambda_min_ratio
        if lmr is None:
            lmr = glmnet_params.lambda_min_ratio(nobs, self.vp.shape[0])
        return float(lmr), np.zeros(1), int(self.nlambda)

    def finish_lambda(self, lam: np.ndarray) -> np.ndarray:
        """The returned sequence as ``glmnet()`` returns it (``fix.lam`` on a computed sequence)."""
        return fix_lambda(lam) if self.lambda_ is None else lam


def path_settings(p: int, params: GlmnetParams | None = None, **fields: Any) -> PathSettings:
    """Check glmnet's arguments for ``p`` variables and convert them as ``glmnet()`` does.

    ``params`` is the one :class:`~statprune._glmnet.params.GlmnetParams` of the fit (what
    an estimator passes); ``fields`` are its path fields as keywords (``alpha``,
    ``lambda_``, ``nlambda``, ``lambda_min_ratio``, ``standardize``, ``fit_intercept``,
    ``penalty_factor``, ``lower_limits``, ``upper_limits``, ``thresh``, ``maxit``,
    ``exclude`` (or ``exclude_idx``): 0-based column indices, ``type_gaussian``: None is R's rule, covariance
    below 500 variables, naive from 500), changing ``params`` or glmnet's defaults.

    Examples
    --------
    >>> s = path_settings(3, penalty_factor=[0, 1, 2])
    >>> s.vp.tolist(), s.naive
    ([0.0, 1.0, 2.0], False)
    """
    if "exclude_idx" in fields:  # the engines' keyword for 0-based ``exclude`` (the out-of-core engines use it)
        fields["exclude"] = fields.pop("exclude_idx")
    unknown = sorted(set(fields) - GlmnetParams.PATH_FIELDS)
    if unknown:  # a family or a measure given to a path engine would be silently ignored
        raise TypeError(f"path_settings() got unexpected keyword argument(s) {unknown}")
    prm = (DEFAULTS if params is None else params).replace(**fields)
    alpha, penalty_factor, exclude_idx = prm.alpha, prm.penalty_factor, prm.exclude
    lambda_, lambda_min_ratio, type_gaussian = prm.lambda_, prm.lambda_min_ratio, prm.type_gaussian
    alpha = float(alpha)
    if not 0.0 <= alpha <= 1.0:
        raise ParameterError(f"alpha must be in [0, 1], got {alpha}")
    vp = np.ones(p) if penalty_factor is None else np.asarray(penalty_factor, dtype=float).reshape(-1).copy()
    if vp.shape[0] != p:
        raise ParameterError(f"penalty_factor has {vp.shape[0]} elements but X has {p} columns")
    exclude = np.zeros(p, dtype=bool)
    if exclude_idx is not None and len(exclude_idx):
        idx = np.asarray(exclude_idx, dtype=np.int64).reshape(-1)
        if idx.min() < 0 or idx.max() >= p:
            raise ParameterError(f"exclude must be 0-based column indices in 0..{p - 1}")
        exclude[idx] = True
    exclude |= np.isinf(vp) & (vp > 0)
    vp[exclude] = 1.0
    if vp.max() <= 0:
        raise ParameterError("penalty_factor must have at least one positive entry")
    vp = np.maximum(vp, 0.0)
    vp = vp * (p / vp.sum())

    def _lim(v: Any, name: str) -> np.ndarray:
        arr = np.asarray(v, dtype=float).reshape(-1)
        if arr.shape[0] == 1:
            arr = np.repeat(arr, p)
        elif arr.shape[0] < p:
            raise ParameterError(f"{name} must have length 1 or {p}")
        return arr[:p].copy()

    lo = _lim(prm.lower_limits, "lower_limits")
    hi = _lim(prm.upper_limits, "upper_limits")
    if np.any(lo > 0):
        raise ParameterError("lower_limits must be non-positive")
    if np.any(hi < 0):
        raise ParameterError("upper_limits must be non-negative")
    lo[lo == -np.inf] = -CONTROL.big
    hi[hi == np.inf] = CONTROL.big
    cl = np.vstack([lo, hi])
    sml = 0.0 if np.any(cl == 0) else CONTROL.fdev
    lam = None
    if lambda_ is not None:
        lam = np.asarray(lambda_, dtype=float).reshape(-1)
        if np.any(lam < 0):
            raise ParameterError("lambda_ values must be non-negative")
        lam = np.sort(lam)[::-1].copy()
    elif lambda_min_ratio is not None and lambda_min_ratio >= 1:
        raise ParameterError("lambda_min_ratio should be less than 1")
    if type_gaussian is None:
        naive = glmnet_params.type_gaussian(p) == "naive"
    elif type_gaussian in ("covariance", "naive"):
        naive = type_gaussian == "naive"
    else:
        raise ParameterError(f"type_gaussian={type_gaussian!r}; use 'covariance', 'naive' or None (glmnet's rule)")
    return PathSettings(alpha, lam, int(prm.nlambda), lambda_min_ratio, bool(prm.standardize), bool(prm.fit_intercept),
                        vp, cl, exclude, float(prm.thresh), int(prm.maxit), sml, naive)



def path_design(X: np.ndarray, w: np.ndarray, settings: PathSettings,
                rows: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """The design a GLM path kernel takes, as glmnet prepares it.

    ``X`` is the whole design (stored by rows or by columns), ``rows`` the fit's rows
    (``None``: all of them; a cross-validation's training sets are gathered from ``X``
    with no copy of their own) and ``w`` their weights.  Returns
    ``(Xt, ww, sw, ju, xm, xs)``: the standardized design of those rows stored variable
    by variable (``p`` rows of ``n``), the weights normalized to sum 1 and their sum,
    the variables in the fit (not constant on the rows, not excluded: glmnet's ``ju``),
    and the centres and scales of :func:`~statprune._glmnet.rules.glmnet_scale` (1 for a
    variable out of the fit), computed by ``design.c`` as the rows are gathered.

    Examples
    --------
    >>> X = np.array([[1.0, 2.0], [3.0, 2.0], [5.0, 7.0]])
    >>> Xt, ww, sw, ju, xm, xs = path_design(X, np.ones(2), path_settings(2), rows=np.array([0, 1]))
    >>> Xt.tolist(), ju.tolist(), sw
    ([[-1.0, 1.0], [0.0, 0.0]], [True, False], 2.0)
    """
    sw = float(w.sum())
    if sw <= 0:
        raise DataError("the weights sum to zero: nothing to fit")
    ww = w / sw
    design = _native.design_kernel()
    if design is None:
        raise GlmNotSupported("the C kernels are not built (no C compiler); the fast GLM engines need them")
    Xt, xm, xs, varies = design(X, rows, ww, settings.fit_intercept, settings.standardize)
    ju = varies & ~settings.exclude
    if not ju.any():
        raise ParameterError("all variables are constant or excluded: nothing to fit")
    xs = np.where(ju, xs, 1.0)
    return Xt, ww, sw, ju, xm, xs


def without_zero_weights(w: np.ndarray, rows: np.ndarray | None, *arrays: np.ndarray | None) -> tuple:
    """``(w, rows, *arrays)`` without the rows of zero weight, as lognet and multnet drop them.

    ``rows`` are the fit's rows of the design (``None``: all, then the indices of the kept
    ones when some are dropped); an array that is ``None`` stays ``None``.

    Examples
    --------
    >>> w, rows, y = without_zero_weights(np.array([1.0, 0.0, 2.0]), None, np.array([5.0, 6.0, 7.0]))
    >>> w.tolist(), rows.tolist(), y.tolist()
    ([1.0, 2.0], [0, 2], [5.0, 7.0])
    """
    keep = w > 0
    if keep.all():
        return (w, rows, *arrays)
    rows = np.flatnonzero(keep) if rows is None else rows[keep]
    return (w[keep], rows, *(None if a is None else a[keep] for a in arrays))


def kernel_args(X: np.ndarray, w: np.ndarray, settings: PathSettings, *, nobs: int,
                dfmax: int | None, rows: np.ndarray | None = None) -> tuple:
    """:func:`path_design` and what every GLM path kernel takes with it.

    Returns ``(Xt, ww, sw, ju, xm, xs, cl, flmin, ulam, nlam, ne)``: the design, the
    limits on the standardized scale (contiguous), glmnet's lambda arguments
    (``lambda.min.ratio`` from ``nobs``, R's ``nrow(x)`` before zero-weight rows are
    dropped) and ``ne`` (``dfmax``, glmnet's default ``p + 1``).
    """
    s = settings
    Xt, ww, sw, ju, xm, xs = path_design(X, w, s, rows)
    cl = np.ascontiguousarray(s.cl * xs[None, :] if s.standardize else s.cl.copy())
    flmin, ulam, nlam = s.lambda_args(nobs)
    ne = glmnet_params.dfmax_default(X.shape[1]) if dfmax is None else int(dfmax)
    return Xt, ww, sw, ju, xm, xs, cl, flmin, ulam, nlam, ne
