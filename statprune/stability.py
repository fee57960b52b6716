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
``engine="glmnet"`` runs glmnet itself (R, one R per worker *process*);
``engine="sklearn"`` (gaussian only, no R) follows the same path on glmnet's
lambda grid with scikit-learn's ``enet_path`` on glmnet's internally standardized
problem, and glmnet's stopping rules.

To reproduce a run of R's ``stabs`` exactly, pass the subsamples R drew
(``set.seed(seed); folds <- stabs::subsample(rep(1, n), B = B)``) as ``folds``: the
selection frequencies are then identical to ``stabs::stabsel(x, y, fitfun =
glmnet.lasso, folds = folds, ...)`` (``tests/test_stability.py``, fixtures from
``r_scripts/stabs_reference.R``). Without ``folds`` the subsamples come from numpy's
generator seeded by ``seed``, which is not R's random number stream.

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

import math
import os
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectorMixin

from ._json import dumps_to
from .errors import DataError, ParameterError
from .plotting.stability import StabilityPathDisplay

__all__ = [
    "StabselParameters",
    "StabilityResult",
    "StabilitySelection",
    "StabilityPathDisplay",
    "stabsel",
    "stabsel_parameters",
    "min_d",
    "max_q",
]

_EPS = float(np.finfo(float).eps)

Assumption = Literal["unimodal", "r-concave", "none"]
SamplingType = Literal["SS", "MB"]


# =========================================================================== R numerics
def _r_zeroin(f: Any, ax: float, bx: float, tol: float, maxit: int = 1000) -> float:
    """R's ``uniroot`` (``R_zeroin2``, Brent's root finder), transcribed.

    Raises :class:`ParameterError` when ``f(ax)`` and ``f(bx)`` have the same sign,
    as R's ``uniroot`` stops then.
    """
    fa, fb = f(ax), f(bx)
    if fa * fb > 0:
        raise ParameterError("f() values at end points not of opposite sign")
    a, b = ax, bx
    c, fc = a, fa
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    for _ in range(maxit + 1):
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2 * _EPS * abs(b) + tol / 2
        new_step = (c - b) / 2
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:
                q = fa / fc
                t1 = fb / fc
                t2 = fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2) and p < abs(prev_step * q / 2):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b  # pragma: no cover - R warns and returns the last iterate


def _r_fmin(f: Any, ax: float, bx: float, tol: float = _EPS**0.25) -> float:
    """R's ``optimize`` (``Brent_fmin``: golden section and parabolic steps), transcribed."""
    c = (3.0 - math.sqrt(5.0)) * 0.5
    eps = math.sqrt(_EPS)
    a, b = ax, bx
    v = a + c * (b - a)
    w = x = v
    d = e = 0.0
    fx = f(x)
    fv = fw = fx
    tol3 = tol / 3.0
    while True:
        xm = (a + b) * 0.5
        tol1 = eps * abs(x) + tol3
        t2 = tol1 * 2.0
        if abs(x - xm) <= t2 - (b - a) * 0.5:
            break
        p = q = r = 0.0
        if abs(e) > tol1:
            r = (x - w) * (fx - fv)
            q = (x - v) * (fx - fw)
            p = (x - v) * q - (x - w) * r
            q = (q - r) * 2.0
            if q > 0.0:
                p = -p
            else:
                q = -q
            r = e
            e = d
        if abs(p) >= abs(q * 0.5 * r) or p <= q * (a - x) or p >= q * (b - x):
            e = (b - x) if x < xm else (a - x)
            d = c * e
        else:
            d = p / q
            u = x + d
            if u - a < t2 or b - u < t2:
                d = tol1 if x < xm else -tol1
        if abs(d) >= tol1:
            u = x + d
        elif d > 0.0:
            u = x + tol1
        else:
            u = x - tol1
        fu = f(u)
        if fu <= fx:
            if u < x:
                b = x
            else:
                a = x
            v, w, x = w, x, u
            fv, fw, fx = fw, fx, fu
        else:
            if u < x:
                a = u
            else:
                b = u
            if fu <= fw or w == x:
                v, fv = w, fw
                w, fw = u, fu
            elif fu <= fv or v == x or v == w:
                v, fv = u, fu
    return x


def _r_signif(x: float, digits: int) -> float:
    """R's ``signif`` for finite doubles."""
    if x == 0 or not math.isfinite(x):
        return x
    return float(f"{x:.{digits - 1}e}")


# =========================================================================== error bounds
@lru_cache(maxsize=256)
def _a_vec(theta: float, B: int, r: float) -> tuple[float, ...]:
    """The ``a`` values of ``stabs:::D`` (independent of ``which``; cached)."""
    s = 1.0 / r
    thetaB = theta * B
    k_start = math.ceil(2 * thetaB) + 1
    a_vec = [100000.0] * (B + 1)  # 1-based, a_vec[0] unused
    for k in range(k_start, B + 1):
        ks = np.arange(k + 1, dtype=float)

        def calc_a(a: float, ks: np.ndarray = ks) -> float:
            w = (a + ks) ** s
            return float(np.sum(ks * w) / np.sum(w) - thetaB)

        a_vec[k] = _r_zeroin(calc_a, 0.00001, a_vec[k - 1], tol=_EPS**0.75)
    return tuple(a_vec)


def _D(theta: float, which: int, B: int, r: float) -> float:
    """``stabs:::D``: upper tail bound of an r-concave distribution (Shah & Samworth 2013).

    ``theta`` is the mean selection probability of a noise variable (``q/p`` or
    ``(q/p)^2``), ``which`` the cutoff as a multiple of ``1/B``.
    """
    s = 1.0 / r
    thetaB = theta * B
    k_start = math.ceil(2 * thetaB) + 1
    if which < k_start:
        return 1.0
    if k_start > B:
        raise ParameterError("theta to large")
    if k_start > B - 1:  # R's k_start:(B-1) would count down into a_vec[B+1] = NA
        raise ParameterError("theta to large for the r-concave bound (k_start = B)")
    a_vec = _a_vec(float(theta), int(B), float(r))
    t = int(which)
    best = 0.0
    for k in range(k_start, B):
        kk = np.arange(k + 1, dtype=float)
        tt = np.arange(t, dtype=float)
        weights = k + 1 - kk

        def neg_optim(a: float) -> float:
            num = (k + 1 - thetaB) * np.sum((a + tt) ** s)
            den = np.sum(weights * (a + kk) ** s)
            return -(1.0 - num / den)

        x = _r_fmin(neg_optim, a_vec[k + 1], a_vec[k])
        best = max(best, float(-neg_optim(x)))
    return best


def max_q(p: int, B: int) -> int:
    """``stabs:::maxQ``: the largest ``q`` for which the r-concave bound is defined.

    Examples
    --------
    >>> max_q(100, 50)
    49
    """
    if B <= 1:
        raise ParameterError("B must be at least 2")
    fact_1 = 4 * B / p
    res = np.ceil(np.arange(1, p + 1) * fact_1) + 1 - 2 * B
    return int(np.sum(res < 0))


def min_d(q: float, p: int, pi: float, B: int, r: tuple[float, float] = (-0.5, -0.25)) -> float:
    """``stabs:::minD``: the r-concave bound on the selection probability of a noise variable.

    ``min_d(q, p, cutoff, B) * p`` bounds the PFER under the r-concavity assumption
    (Shah & Samworth 2013, equation (8)): the minimum of 1, the r = -1/2 bound for
    the simultaneous selection of a complementary pair (theta = (q/p)^2, B pairs) and
    the r = -1/4 bound for the selection proportion over all 2B subsamples
    (theta = q/p).

    Examples
    --------
    >>> round(min_d(10, 100, 0.6, 50) * 100, 5)   # stabs: PFER 1.141338
    1.14134
    """
    which = math.ceil(_r_signif(pi / (1 / (2 * B)), 10))
    mq = max_q(p, B)
    if q > mq:
        raise ParameterError(f"q must be <= {mq} for the r-concave bound with p = {p}, B = {B}")
    return min(1.0, _D(q**2 / p**2, which - B, B, r[0]), _D(q / p, which, 2 * B, r[1]))


def _um_const(cutoff: float, B: int, theta: float) -> float:
    """``stabs:::um_const``: constant of the unimodal bound (Shah & Samworth, Theorem 3)."""
    if cutoff <= 3 / 4:
        if cutoff < 1 / 2 + min(theta**2, 1 / (2 * B) + 3 / 4 * theta**2):
            raise ParameterError(
                f"cutoff {cutoff} is out of bounds for the unimodal bound with q/p = {theta:.4g}; "
                "use a larger cutoff or a smaller q"
            )
        return 2 * (2 * cutoff - 1 - 1 / (2 * B))
    if cutoff > 1:
        raise ParameterError("cutoff out of bounds")
    return (1 + 1 / B) / (4 * (1 - cutoff + 1 / (2 * B)))


def _optimal_cutoff(p: int, q: float, pfer: float, B: int, assumption: str) -> float:
    """``stabs:::optimal_cutoff``."""
    if assumption == "unimodal":
        grid = 1 / 2 + np.arange(2, B + 1) / (2 * B)
        c_min = min(0.5 + (q / p) ** 2, 0.5 + 1 / (2 * B) + 0.75 * (q / p) ** 2)
        grid = grid[grid > c_min]
        if grid.size == 0:
            mq = max(math.floor(p * math.sqrt(0.5)), math.floor(p * math.sqrt((0.5 - 1 / (2 * B)) * 4 / 3)))
            raise ParameterError(f"q must be <= {mq}")
        ub = np.array([q**2 / p / _um_const(c, B, q / p) for c in grid])
        ok = grid[ub < pfer]
        if ok.size == 0:
            raise ParameterError(
                f"no cutoff attains PFER <= {pfer} with q = {q} under the unimodal bound; "
                "use a smaller q or a larger PFER"
            )
        return float(ok[0])
    cut = np.arange(2 * B, 0, -1) / (2 * B)
    cut = cut[cut > q / p] if assumption == "r-concave" else cut[cut >= 0.5]
    out = cut
    for i, c in enumerate(cut):
        if min_d(q, p, float(c), B) * p > pfer:
            out = cut[i : i + 1] if i == 0 else cut[i - 1 : i]
            break
    return float(out[-1])


def _optimal_q(p: int, cutoff: float, pfer: float, B: int, assumption: str) -> int:
    """``stabs:::optimal_q``."""
    if assumption == "unimodal":
        if cutoff <= 0.75:
            upper_q = max(p * math.sqrt(cutoff - 0.5), p * math.sqrt(max(4 / 3 * (cutoff - 0.5 - 1 / (2 * B)), 0.0)))
            upper_q = math.ceil(upper_q - 1)
        else:
            upper_q = p
        try:
            q = _r_zeroin(lambda q: q**2 / p / _um_const(cutoff, B, q / p) - pfer, 1.0, float(upper_q), tol=_EPS**0.25)
        except ParameterError as exc:
            raise ParameterError(
                f"cannot solve for q with cutoff = {cutoff}, PFER = {pfer}, p = {p}, B = {B} "
                f"under the unimodal bound ({exc}); use a larger PFER or cutoff"
            ) from None
        return math.floor(q)
    q = 1
    for q in range(1, max_q(p, B) + 1):
        if min_d(q, p, cutoff, B) * p > pfer:
            q = q - 1
            break
    return max(1, q)


@dataclass(frozen=True)
class StabselParameters:
    """The error-control parameters of a stability selection (``stabs``' ``stabsel_parameters``).

    ``pfer`` is the attained upper bound (rounded to 3 significant digits as
    ``stabs`` does); ``specified_pfer`` the value asked for, or the unrounded bound
    when ``pfer`` was solved for.
    """

    cutoff: float
    q: int | float
    pfer: float
    specified_pfer: float
    p: int
    B: int
    sampling_type: str
    assumption: str

    @property
    def significance_level(self) -> float:
        """PFER / p: the per-variable error level (without multiplicity adjustment)."""
        return _r_signif(self.pfer / self.p, 3)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cutoff": self.cutoff,
            "q": self.q,
            "PFER": self.pfer,
            "specified_PFER": self.specified_pfer,
            "p": self.p,
            "B": self.B,
            "sampling_type": self.sampling_type,
            "assumption": self.assumption,
        }

    def __str__(self) -> str:
        head = {"none": "without further assumptions", "unimodal": "with unimodality assumption",
                "r-concave": "with r-concavity assumption"}[self.assumption]
        star = "PFER" if self.sampling_type == "MB" else "PFER (*)"
        lines = [
            f"Stability selection {head}",
            "",
            f"Cutoff: {_fmt(self.cutoff)}; q: {_fmt(self.q)}; {star}: {_fmt(self.pfer)}",
        ]
        if self.sampling_type != "MB":
            lines.append("   (*) or expected number of low selection probability variables")
        lines.append(f"PFER (specified upper bound): {_fmt(self.specified_pfer, 7)}")
        lines.append(f"PFER corresponds to signif. level {_fmt(self.significance_level)} (without multiplicity adjustment)")
        return "\n".join(lines)


def _fmt(x: float, digits: int = 7) -> str:
    return f"{x:.{digits}g}"


def stabsel_parameters(
    p: int,
    *,
    cutoff: float | None = None,
    q: float | None = None,
    pfer: float | None = None,
    B: int | None = None,
    assumption: Assumption = "unimodal",
    sampling_type: SamplingType = "SS",
    warn: bool = True,
) -> StabselParameters:
    """Solve for the missing one of ``cutoff``, ``q`` and ``pfer`` (``stabs::stabsel_parameters``).

    Parameters
    ----------
    p : number of candidate variables
    cutoff : selection-probability threshold pi_thr (0.5 < cutoff <= 1; under
        ``"r-concave"`` any value above q/p)
    q : number of variables selected per subsample
    pfer : bound on the expected number of false selections (per-family error rate)
    B : number of subsamples (``"MB"``, default 100) or of complementary pairs
        (``"SS"``, default 50)
    assumption : ``"unimodal"`` (default, as in stabs), ``"r-concave"`` or ``"none"``;
        forced to ``"none"`` for ``sampling_type="MB"``
    sampling_type : ``"SS"`` complementary pairs (Shah & Samworth) or ``"MB"``
        (Meinshausen & Buhlmann)
    warn : warn (as stabs' ``verbose=TRUE``) when the attained bound exceeds
        1.5 x the requested PFER

    Returns
    -------
    StabselParameters

    Examples
    --------
    >>> from statprune.stability import stabsel_parameters
    >>> stabsel_parameters(100, cutoff=0.6, q=10, sampling_type="MB").pfer   # q^2/((2 pi - 1) p)
    5.0
    >>> stabsel_parameters(100, cutoff=0.6, q=5, assumption="unimodal").pfer
    0.658
    >>> stabsel_parameters(100, cutoff=0.6, pfer=1, assumption="r-concave").q
    9
    """
    if sampling_type not in ("SS", "MB"):
        raise ParameterError(f"sampling_type must be 'SS' or 'MB', got {sampling_type!r}")
    if assumption not in ("unimodal", "r-concave", "none"):
        raise ParameterError(f"assumption must be 'unimodal', 'r-concave' or 'none', got {assumption!r}")
    if sampling_type == "MB":
        assumption = "none"
    if B is None:
        B = 100 if sampling_type == "MB" else 50
    B = int(B)
    if B < 2:
        raise ParameterError(f"B must be at least 2, got {B}")
    p = int(p)
    if p < 1:
        raise ParameterError(f"p must be a positive number of variables, got {p}")
    given = [name for name, v in (("cutoff", cutoff), ("q", q), ("pfer", pfer)) if v is not None]
    if len(given) != 2:
        raise ParameterError(
            "give exactly two of cutoff, q and pfer (the third is solved for); "
            f"got {', '.join(given) if given else 'none'}"
        )
    if pfer is not None and pfer < 0:
        raise ParameterError("pfer must be greater than 0")
    if cutoff is not None:
        if assumption != "r-concave" and not (0.5 <= cutoff <= 1):
            raise ParameterError(f"cutoff must be between 0.5 and 1, got {cutoff}")
        if assumption == "r-concave" and not (0 <= cutoff <= 1):
            raise ParameterError(f"cutoff must be between 0 and 1, got {cutoff}")
    if q is not None:
        if q > p:
            raise ParameterError(f"q (variables selected per subsample) must be <= p = {p}, got {q}")
        if q < 0:
            raise ParameterError("q must be greater than 0")
    upper: float
    if cutoff is None:
        assert q is not None and pfer is not None
        if assumption == "none":
            cutoff = tmp = min(1.0, (q**2 / (pfer * p) + 1) / 2)
            upper = q**2 / p / (2 * cutoff - 1)
        elif assumption == "unimodal":
            cutoff = tmp = _optimal_cutoff(p, q, pfer, B, assumption)
            upper = q**2 / p / _um_const(cutoff, B, q / p)
        else:
            cutoff = tmp = _optimal_cutoff(p, q, pfer, B, assumption)
            upper = min_d(q, p, cutoff, B) * p
        upper = _r_signif(upper, 3)
        if warn and tmp > 0.9 and upper - pfer > pfer / 2:
            warnings.warn(
                f"Upper bound for PFER > {pfer} for the given value of q (true upper bound = {round(upper, 2)})",
                UserWarning,
                stacklevel=2,
            )
        specified = float(pfer)
    elif q is None:
        assert pfer is not None
        if assumption == "none":
            q = math.floor(math.sqrt(pfer * (2 * cutoff - 1) * p))
            upper = q**2 / p / (2 * cutoff - 1)
        elif assumption == "unimodal":
            q = _optimal_q(p, cutoff, pfer, B, assumption)
            upper = q**2 / p / _um_const(cutoff, B, q / p)
        else:
            q = _optimal_q(p, cutoff, pfer, B, assumption)
            upper = min_d(q, p, cutoff, B) * p
        upper = _r_signif(upper, 3)
        if warn and upper - pfer > pfer / 2:
            warnings.warn(
                f"Upper bound for PFER > {pfer} for the given value of cutoff (true upper bound = {upper})",
                UserWarning,
                stacklevel=2,
            )
        specified = float(pfer)
    else:
        if assumption == "r-concave" and cutoff <= q / p:
            raise ParameterError(f"cutoff must be larger than q/p = {q / p:.4g}")
        if assumption == "none":
            specified = q**2 / p / (2 * cutoff - 1)
        elif assumption == "unimodal":
            specified = q**2 / p / _um_const(cutoff, B, q / p)
        else:
            specified = min_d(q, p, cutoff, B) * p
        upper = _r_signif(specified, 3)
    if assumption == "r-concave" and cutoff <= q / p:
        raise ParameterError(f"cutoff must be larger than q/p = {q / p:.4g}")
    if warn and specified >= p:
        warnings.warn("Upper bound for PFER larger than the number of effects.", UserWarning, stacklevel=2)
    q_out: int | float = int(q) if float(q) == int(q) else float(q)
    return StabselParameters(
        cutoff=float(cutoff), q=q_out, pfer=float(upper), specified_pfer=float(specified), p=p, B=B,
        sampling_type=sampling_type, assumption=assumption,
    )


# =========================================================================== subsamples
def subsample_folds(n: int, B: int, seed: int | None, strata: np.ndarray | None = None) -> np.ndarray:
    """``B`` subsamples of ``floor(n/2)`` rows (within each stratum), as a 0/1 ``(n, B)`` matrix.

    The same construction as ``stabs::subsample`` (each column holds ``floor(n_s/2)``
    ones in stratum ``s``), drawn with numpy's ``default_rng(seed)`` in the calling
    process, so the subsamples never depend on ``n_jobs``.

    Examples
    --------
    >>> f = subsample_folds(7, 3, seed=1)
    >>> f.shape, f.sum(axis=0).tolist()
    ((7, 3), [3, 3, 3])
    """
    rng = np.random.default_rng(seed)
    folds = np.zeros((n, B), dtype=np.int8)
    groups = [np.arange(n)] if strata is None else [np.flatnonzero(strata == s) for s in pd.unique(strata)]
    for idx in groups:
        k = len(idx) // 2
        for b in range(B):
            folds[idx[rng.permutation(len(idx))[:k]], b] = 1
    return folds


def _check_folds(folds: np.ndarray, B: int, n: int, sampling_type: str) -> np.ndarray:
    """``stabs:::check_folds``: validate and, for ``"SS"``, append the complements."""
    f = np.asarray(folds)
    if f.ndim != 2 or f.shape != (n, B) or not np.isin(f, (0, 1)).all():
        raise ParameterError(f"folds must be a 0/1 (or boolean) matrix of shape (n_rows, B) = ({n}, {B})")
    f = f.astype(np.int8)
    sizes = f.mean(axis=0)
    if not np.isin(sizes, (math.floor(n * 0.5) / n, math.ceil(n * 0.5) / n)).all():
        warnings.warn("Subsamples are not of size n/2; results might be wrong", UserWarning, stacklevel=3)
    if sampling_type == "SS":
        f = np.concatenate([f, 1 - f], axis=1)
    return f


# =========================================================================== base learners
def _glmnet_lambda_path(xs: np.ndarray, ys: np.ndarray, alpha: float, pf: np.ndarray, nlambda: int, ratio: float) -> np.ndarray:
    """glmnet's default lambda sequence on its internally standardized problem."""
    n = xs.shape[0]
    g = np.abs(xs.T @ ys) / n
    ok = pf > 0
    lmax = np.max(g[ok] / pf[ok]) / max(alpha, 1e-3) if ok.any() else 1.0
    return lmax * ratio ** (np.arange(nlambda) / (nlambda - 1))


def _path_sklearn(x: np.ndarray, y: np.ndarray, q: int, opts: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Lasso path on glmnet's standardized gaussian problem; glmnet's stopping rules.

    Returns ``(path, selected)``: the 0/1 nonzero pattern per lambda step (p, L')
    and the selection (nonzero at the last step).
    """
    from sklearn.linear_model import enet_path  # noqa: PLC0415

    n, p = x.shape
    alpha = float(opts.get("alpha", 1.0))
    pf = np.asarray(opts.get("penalty_factor") if opts.get("penalty_factor") is not None else np.ones(p), dtype=float)
    if (pf <= 0).any():
        raise ParameterError("engine='sklearn' needs positive penalty factors; use engine='glmnet' for unpenalized columns")
    if alpha < 1 and np.ptp(pf) > 0:
        raise ParameterError("engine='sklearn' supports unequal penalty factors only for alpha=1; use engine='glmnet'")
    pf = pf * p / pf.sum()  # glmnet rescales penalty factors to sum to nvars
    xm = x.mean(axis=0) if opts.get("intercept", True) else np.zeros(p)
    xc = x - xm
    if opts.get("standardize", True):
        sd = np.sqrt((xc**2).mean(axis=0))
        sd[sd == 0] = 1.0
    else:
        sd = np.ones(p)
    xs = xc / sd
    yc = y - y.mean() if opts.get("intercept", True) else y.copy()
    sy = math.sqrt(float(np.mean(yc**2))) if opts.get("intercept", True) else math.sqrt(float(np.mean(y**2)))
    if sy == 0:
        raise DataError("the target is constant in a subsample; the Lasso path is empty")
    ys = yc / sy
    nlambda = int(opts.get("nlambda", 100))
    ratio = opts.get("lambda_min_ratio") or (1e-2 if n < p else 1e-4)
    lams = _glmnet_lambda_path(xs, ys, alpha, pf, nlambda, float(ratio))
    # penalty factors: with x_j / pf_j, gamma_j = pf_j * beta_j has a plain l1 penalty
    xw = xs / pf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, coefs, _ = enet_path(xw, ys, l1_ratio=alpha, alphas=lams, tol=1e-10, max_iter=100000, precompute=True)
    nz = coefs != 0  # enet_path keeps the given (decreasing) lambda order
    rsq = 1 - ((ys[:, None] - xw @ coefs) ** 2).mean(axis=0) / float(np.mean(ys**2))
    kind = opts.get("type", "conservative")
    pmax = q if kind == "conservative" else min(2 * (q - 1) + 20, p)
    dfmax = p + 1 if kind == "conservative" else q - 1
    ever = np.zeros(p, dtype=bool)
    last = 0
    for m in range(len(lams)):
        ever |= nz[:, m]
        if ever.sum() > pmax:  # glmnet: pmax exceeded -> this lambda is not returned
            break
        last = m
        if m + 1 < 5:
            continue
        if nz[:, m].sum() > dfmax:
            break
        if rsq[m] - rsq[m - 1] < 1e-5 * rsq[m] or rsq[m] > 0.999:
            break
    path = nz[:, : last + 1].astype(np.int8)
    return path, path[:, -1].astype(bool)


def _fit_chunk(engine: str, x: np.ndarray, y: np.ndarray, folds: np.ndarray, cols: Sequence[int], q: int,
               opts: dict[str, Any]) -> list[Any]:
    """Fit the base learner on the subsamples ``cols`` of ``folds`` (runs in a worker process)."""
    out: list[Any] = []
    if engine == "glmnet":
        from . import _r  # noqa: PLC0415 - R is started in this process (never in a thread)

        _r.require_r_packages("glmnet")
        sub = np.ascontiguousarray(folds[:, list(cols)], dtype=np.float64)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = _r.call(
                "stability", "sps_glmnet_lasso_many", np.asfortranarray(x, dtype=np.float64), y, sub, int(q),
                {k: v for k, v in opts.items() if v is not None},
            )
        for r in res if isinstance(res, list) else [res]:
            if isinstance(r, str):
                out.append(r)
            else:
                path = np.asarray(r["path"], dtype=np.int8).reshape(x.shape[1], -1)
                out.append((path, path[:, -1].astype(bool)))
        return out
    from threadpoolctl import threadpool_limits  # noqa: PLC0415

    with threadpool_limits(limits=1, user_api="blas"):  # small problems; parallelism comes from the workers
        for c in cols:
            inbag = folds[:, c].astype(bool)
            try:
                out.append(_path_sklearn(x[inbag], y[inbag], q, opts))
            except Exception as exc:  # noqa: BLE001 - reported like stabs: a failing fold is dropped with a warning
                out.append(f"{type(exc).__name__}: {exc}")
    return out


# =========================================================================== runner
def _run_fits(engine: str, x: np.ndarray, y: np.ndarray, folds: np.ndarray, q: int, opts: dict[str, Any],
              n_jobs: int | None, progress: bool) -> list[Any]:
    """Fit every subsample; in worker processes (joblib loky) when ``n_jobs != 1``."""
    ncol = folds.shape[1]
    n_workers = 1 if n_jobs in (None, 1) else (os.cpu_count() or 1) if n_jobs < 0 else int(n_jobs)
    n_workers = max(1, min(n_workers, ncol))
    nchunks = ncol if n_workers == 1 and engine != "glmnet" else min(ncol, n_workers * 4) if n_workers > 1 else min(ncol, 10)
    chunks = [list(c) for c in np.array_split(np.arange(ncol), nchunks) if len(c)]
    bar = None
    if progress:
        from ._progress import progress as _bar  # noqa: PLC0415

        bar = _bar(total=ncol, desc="stability selection", unit="subsample")
    results: list[Any] = []
    try:
        if n_workers == 1:
            for cols in chunks:
                results.extend(_fit_chunk(engine, x, y, folds, cols, q, opts))
                if bar is not None:
                    bar.update(len(cols))
        else:
            from joblib import Parallel, delayed  # noqa: PLC0415

            par = Parallel(n_jobs=n_workers, backend="loky", return_as="generator")
            gen = par(delayed(_fit_chunk)(engine, x, y, folds, cols, q, opts) for cols in chunks)
            for cols, res in zip(chunks, gen):  # generator keeps submission order
                results.extend(res)
                if bar is not None:
                    bar.update(len(cols))
    finally:
        if bar is not None:
            bar.close()
    return results


def _aggregate(results: list[Any], names: list[str]) -> tuple[pd.DataFrame, pd.Series, int, list[str]]:
    """``stabs:::run_stabsel``: pad the paths with their last column, average; drop failed fits."""
    errors = [r for r in results if isinstance(r, str)]
    ok = [r for r in results if not isinstance(r, str)]
    if not ok:
        raise ParameterError("the model could not be fitted on any subsample:\n" + "\n".join(errors[:5]))
    if errors:
        warnings.warn(
            f"{len(errors)} subsample fit(s) encountered an error. Results are based on {len(ok)} fits only.\n"
            "Original error message(s):\n" + "\n".join(errors[:5]),
            UserWarning,
            stacklevel=3,
        )
    steps = max(r[0].shape[1] for r in ok)
    phat = np.zeros((len(names), steps))
    for path, _ in ok:
        if path.shape[1] < steps:
            path = np.concatenate([path, np.repeat(path[:, -1:], steps - path.shape[1], axis=1)], axis=1)
        phat += path
    phat /= len(ok)
    sel = np.mean([r[1] for r in ok], axis=0)
    cols = [f"s{k}" for k in range(steps)]
    return pd.DataFrame(phat, index=names, columns=cols), pd.Series(sel, index=names, name="probability"), len(ok), errors


# =========================================================================== result
@dataclass
class StabilityResult:
    """A stability selection: selection probabilities, stability paths, the selected set and its error bound.

    Attributes
    ----------
    max : pd.Series
        Selection probability of each variable over the subsamples (``stabs``' ``max``).
    phat : pd.DataFrame
        Stability paths (variables x lambda steps): the fraction of subsamples in
        which the variable is in the model at step ``k`` of the path. Step ``k`` is
        lambda = lambda_max(subsample) * lambda_min_ratio^(k/(nlambda-1)), the same
        fraction of each subsample's own lambda_max (glmnet's default grid), and
        paths stopped earlier (``pmax``) are padded with their last column, as stabs
        does; so ``phat.iloc[:, -1]`` equals ``max``.
    selected : list of str
        Variables with ``max >= cutoff``.
    parameters : StabselParameters
        cutoff, q, PFER bound, assumption, B, sampling type.
    """

    max: pd.Series
    phat: pd.DataFrame
    parameters: StabselParameters
    feature_names: list[str]
    n_fits: int
    engine: str
    family: str
    type: str
    seed: int | None
    lambda_fraction: np.ndarray | None = None
    folds: np.ndarray | None = field(default=None, repr=False)
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def cutoff(self) -> float:
        return self.parameters.cutoff

    @property
    def q(self) -> int | float:
        return self.parameters.q

    @property
    def pfer(self) -> float:
        return self.parameters.pfer

    @property
    def assumption(self) -> str:
        return self.parameters.assumption

    @property
    def selected(self) -> list[str]:
        return [n for n in self.feature_names if self.max[n] >= self.cutoff]

    @property
    def pruned(self) -> list[str]:
        return [n for n in self.feature_names if self.max[n] < self.cutoff]

    def with_parameters(self, *, cutoff: float | None = None, pfer: float | None = None,
                        assumption: Assumption | None = None) -> "StabilityResult":
        """A copy with another cutoff or PFER (and/or assumption) for the same fits (``stabs::stabsel.stabsel``)."""
        if cutoff is not None and pfer is not None:
            raise ParameterError("give only one of cutoff and pfer (q is fixed by the fits)")
        pars = self.parameters
        assumption = assumption or pars.assumption
        if cutoff is None and pfer is None:
            cutoff = pars.cutoff
        new = stabsel_parameters(pars.p, cutoff=cutoff, q=pars.q, pfer=pfer, B=pars.B, assumption=assumption,
                                 sampling_type=pars.sampling_type, warn=False)  # type: ignore[arg-type]
        from dataclasses import replace  # noqa: PLC0415

        return replace(self, parameters=new)

    def to_frame(self) -> pd.DataFrame:
        """One row per variable: selection probability, selected, rank (highest probability first)."""
        df = pd.DataFrame({"probability": self.max.to_numpy(), "selected": (self.max >= self.cutoff).to_numpy()},
                          index=pd.Index(self.feature_names, name="term"))
        df["rank"] = df["probability"].rank(ascending=False, method="min").astype(int)
        return df.sort_values(["probability"], ascending=False, kind="stable")

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "stability selection",
            "sampling_type": self.parameters.sampling_type,
            "assumption": self.assumption,
            **self.parameters.to_dict(),
            "significance_level": self.parameters.significance_level,
            "engine": self.engine,
            "family": self.family,
            "type": self.type,
            "n_fits": self.n_fits,
            "seed": self.seed,
            "selected": self.selected,
            "pruned": self.pruned,
            "probabilities": {k: float(v) for k, v in self.max.items()},
            "paths": {k: [float(v) for v in row] for k, row in zip(self.phat.index, self.phat.to_numpy())},
            "lambda_fraction": None if self.lambda_fraction is None else [float(v) for v in self.lambda_fraction],
            "provenance": self.provenance,
        }

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """JSON text (NaN as null); written atomically to ``path`` when given."""
        return dumps_to(self.to_dict(), path)

    def summary(self) -> str:
        head = {"none": "without further assumptions", "unimodal": "with unimodality assumption",
                "r-concave": "with r-concavity assumption"}[self.assumption]
        lines = [f"\tStability Selection {head}", ""]
        sel = self.selected
        lines.append("Selected variables: " + (", ".join(sel) if sel else "none"))
        lines.append("")
        lines.append("Selection probabilities:")
        fr = self.to_frame()
        w = max(len(n) for n in fr.index)
        for name, row in fr.iterrows():
            mark = "*" if row["selected"] else " "
            lines.append(f"  {name:<{w}}  {row['probability']:.2f} {mark}")
        lines.append("")
        lines.append("---")
        lines.extend(str(self.parameters).splitlines()[2:])
        lines.append(f"Base learner: Lasso path ({self.engine}, {self.family}, first q = {_fmt(self.q)} to enter, "
                     f"{self.type}); {self.n_fits} subsample fits")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        import html  # noqa: PLC0415

        pars = self.parameters
        rows = "".join(
            f"<tr><td>{html.escape(str(n))}</td><td>{r['probability']:.2f}</td><td>{'yes' if r['selected'] else ''}</td></tr>"
            for n, r in self.to_frame().iterrows()
        )
        return (
            f"<div><b>Stability selection</b> ({html.escape(pars.assumption)} bound, {pars.sampling_type}, B={pars.B}): "
            f"cutoff={pars.cutoff:g}, q={_fmt(pars.q)}, PFER&le;{pars.pfer:g}"
            f"<table><thead><tr><th>term</th><th>probability</th><th>selected</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )


# =========================================================================== fitting
def _prepare_y(y: Any, family: str) -> np.ndarray:
    if family == "binomial":
        s = pd.Series(np.asarray(y).ravel())
        levels = sorted(s.unique(), key=str)
        if len(levels) != 2:
            raise DataError(f"a binomial target needs exactly two classes, got {len(levels)}")
        return (s == levels[1]).to_numpy(dtype=np.float64)
    try:
        a = np.asarray(y, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise DataError(f"the target is not numeric; a {family} model needs numbers") from None
    if not np.isfinite(a).all():
        raise DataError("the target has missing or infinite values; remove those rows first")
    return a


def stabsel(
    X: Any,
    y: Any,
    *,
    q: int | None = None,
    cutoff: float | None = None,
    pfer: float | None = None,
    B: int | None = None,
    assumption: Assumption = "unimodal",
    sampling_type: SamplingType = "SS",
    family: str = "gaussian",
    alpha: float = 1.0,
    type: Literal["conservative", "anticonservative"] = "conservative",  # noqa: A002 - stabs' name
    standardize: bool = True,
    fit_intercept: bool = True,
    penalty_factor: Sequence[float] | None = None,
    nlambda: int = 100,
    lambda_min_ratio: float | None = None,
    engine: Literal["glmnet", "sklearn"] = "glmnet",
    folds: np.ndarray | None = None,
    strata: Sequence[Any] | None = None,
    seed: int | None = None,
    n_jobs: int | None = 1,
    progress: bool = False,
    feature_names: Sequence[str] | None = None,
) -> StabilityResult:
    """Stability selection with the Lasso (``stabs::stabsel(x, y, fitfun = glmnet.lasso, ...)``).

    Parameters
    ----------
    X, y : predictors (array or DataFrame) and target
    q, cutoff, pfer : give two; the third is solved (:func:`stabsel_parameters`)
    B : subsamples (``"MB"``, default 100) or complementary pairs (``"SS"``, default 50;
        2B fits)
    assumption, sampling_type : error bound (see :func:`stabsel_parameters`)
    family, alpha, standardize, fit_intercept, penalty_factor, nlambda, lambda_min_ratio :
        passed to glmnet (``engine="sklearn"``: gaussian only)
    type : ``"conservative"`` (``pmax = q``: at most q variables per subsample, stabs'
        default) or ``"anticonservative"`` (``dfmax = q - 1``)
    engine : ``"glmnet"`` (R's glmnet, in worker processes) or ``"sklearn"`` (no R)
    folds : optional 0/1 matrix ``(n, B)`` of subsamples (e.g. from ``stabs::subsample``
        in R) for an exact comparison with R; default: drawn with ``seed``
    strata : optional grouping; subsamples take half of each stratum
    seed : seed of the subsampling (numpy ``default_rng``); results do not depend on
        ``n_jobs``
    n_jobs : worker processes (joblib loky); R is never called from threads
    progress : show a tqdm progress bar on stderr

    Returns
    -------
    StabilityResult

    Examples
    --------
    >>> import numpy as np
    >>> from statprune.stability import stabsel
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 10))
    >>> y = 2 * X[:, 0] - 2 * X[:, 1] + rng.standard_normal(100)
    >>> res = stabsel(X, y, q=3, pfer=1, engine="sklearn", B=20, seed=1)
    >>> res.selected, res.cutoff
    (['x0', 'x1'], 0.75)
    """
    if engine not in ("glmnet", "sklearn"):
        raise ParameterError(f"engine must be 'glmnet' or 'sklearn', got {engine!r}")
    if family not in ("gaussian", "binomial", "poisson"):
        raise ParameterError(f"family must be 'gaussian', 'binomial' or 'poisson', got {family!r}")
    if engine == "sklearn" and family != "gaussian":
        raise ParameterError(f"engine='sklearn' supports family='gaussian' only; use engine='glmnet' for {family!r}")
    if type not in ("conservative", "anticonservative"):
        raise ParameterError(f"type must be 'conservative' or 'anticonservative', got {type!r}")
    if not (0 <= alpha <= 1):
        raise ParameterError(f"alpha must be in [0, 1], got {alpha}")
    if isinstance(X, pd.DataFrame):
        names = [str(c) for c in X.columns] if feature_names is None else list(feature_names)
        non_num = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c].dtype)]
        if non_num:
            raise DataError(f"non-numeric predictor column(s) {non_num}; encode or exclude them")
        x = X.to_numpy(dtype=np.float64)
    else:
        x = np.asarray(X, dtype=np.float64)
        if x.ndim != 2:
            raise DataError(f"X must be 2-D, got {x.ndim}-D")
        names = [f"x{j}" for j in range(x.shape[1])] if feature_names is None else list(map(str, feature_names))
    n, p = x.shape
    if len(names) != p:
        raise ParameterError(f"feature_names has {len(names)} names for {p} columns")
    if not np.isfinite(x).all():
        from ._data import check_matrix  # noqa: PLC0415

        check_matrix(x, names)
    yv = _prepare_y(y, family)
    if len(yv) != n:
        raise DataError(f"X has {n} rows but y has {len(yv)}")
    if n < 4:
        raise DataError(f"stability selection needs at least 4 rows (got n_samples = {n})")
    pars = stabsel_parameters(p, cutoff=cutoff, q=q, pfer=pfer, B=B, assumption=assumption,
                              sampling_type=sampling_type, warn=True)
    qi = int(math.ceil(pars.q))
    if qi < 1:
        raise ParameterError("q solved to 0 variables per subsample; use a larger PFER or a smaller cutoff")
    if folds is None:
        base = subsample_folds(n, pars.B, seed, None if strata is None else np.asarray(strata))
    else:
        base = np.asarray(folds)
    all_folds = _check_folds(base, pars.B, n, pars.sampling_type)
    pf = None if penalty_factor is None else np.asarray(penalty_factor, dtype=float)
    if pf is not None and pf.shape != (p,):
        raise ParameterError(f"penalty_factor must have one value per column ({p}), got {pf.shape}")
    opts: dict[str, Any] = {
        "family": family, "alpha": float(alpha), "standardize": bool(standardize), "intercept": bool(fit_intercept),
        "penalty_factor": pf, "type": type, "nlambda": int(nlambda),
        "lambda_min_ratio": None if lambda_min_ratio is None else float(lambda_min_ratio),
    }
    results = _run_fits(engine, x, yv, all_folds, qi, opts, n_jobs, progress)
    phat, mx, nfit, _ = _aggregate(results, names)
    ratio = lambda_min_ratio or (1e-2 if n // 2 < p else 1e-4)
    frac = ratio ** (np.arange(phat.shape[1]) / (nlambda - 1))
    from ._provenance import provenance  # noqa: PLC0415

    return StabilityResult(
        max=mx, phat=phat, parameters=pars, feature_names=names, n_fits=nfit, engine=engine, family=family,
        type=type, seed=seed, lambda_fraction=frac, folds=base,
        provenance=provenance(seed=seed, with_r=engine == "glmnet"),
    )


class StabilitySelection(SelectorMixin, BaseEstimator):
    """Stability selection with the Lasso as a scikit-learn selector (see :func:`stabsel`).

    Fitted attributes: ``result_`` (:class:`StabilityResult`), ``scores_`` (selection
    probabilities), ``support_``, ``cutoff_``, ``q_``, ``pfer_``, ``n_features_in_``,
    ``feature_names_in_`` (when fitted on a DataFrame).

    Examples
    --------
    >>> import numpy as np
    >>> from statprune.stability import StabilitySelection
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 8)); y = 3 * X[:, 2] + rng.standard_normal(100)
    >>> sel = StabilitySelection(q=2, cutoff=0.75, engine="sklearn", B=10, seed=0).fit(X, y)
    >>> sel.get_support().nonzero()[0].tolist()
    [2]
    """

    def __init__(self, q=None, cutoff=None, pfer=None, B=None, assumption="unimodal", sampling_type="SS",
                 family="gaussian", alpha=1.0, type="conservative", standardize=True, fit_intercept=True,  # noqa: A002
                 penalty_factor=None, engine="glmnet", seed=None, n_jobs=1, progress=False):
        self.q = q
        self.cutoff = cutoff
        self.pfer = pfer
        self.B = B
        self.assumption = assumption
        self.sampling_type = sampling_type
        self.family = family
        self.alpha = alpha
        self.type = type
        self.standardize = standardize
        self.fit_intercept = fit_intercept
        self.penalty_factor = penalty_factor
        self.engine = engine
        self.seed = seed
        self.n_jobs = n_jobs
        self.progress = progress

    def fit(self, X, y):
        from sklearn_compat.utils.validation import validate_data  # noqa: PLC0415

        names = [str(c) for c in X.columns] if isinstance(X, pd.DataFrame) else None
        Xa, ya = validate_data(self, X, y, dtype=np.float64, y_numeric=self.family != "binomial")
        res = stabsel(
            Xa, ya, q=self.q, cutoff=self.cutoff, pfer=self.pfer, B=self.B, assumption=self.assumption,
            sampling_type=self.sampling_type, family=self.family, alpha=self.alpha, type=self.type,
            standardize=self.standardize, fit_intercept=self.fit_intercept, penalty_factor=self.penalty_factor,
            engine=self.engine, seed=self.seed, n_jobs=self.n_jobs, progress=self.progress, feature_names=names,
        )
        self.result_ = res
        self.scores_ = res.max.to_numpy()
        self.cutoff_ = res.cutoff
        self.q_ = res.q
        self.pfer_ = res.pfer
        self.support_ = self.scores_ >= self.cutoff_
        return self

    def _get_support_mask(self):
        from sklearn.utils.validation import check_is_fitted  # noqa: PLC0415

        check_is_fitted(self, "support_")
        return self.support_
