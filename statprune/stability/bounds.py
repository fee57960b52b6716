"""stabs' error bounds: the per-family error rate of a stability selection and the solver for its parameters.

* ``assumption="none"`` (Meinshausen & Buhlmann, Theorem 1): ``PFER <= q**2 / ((2 * cutoff - 1) * p)``;
* ``"unimodal"`` (Shah & Samworth, Theorem 3): ``stabs:::um_const``;
* ``"r-concave"``: ``stabs:::minD``/``D``, the numerical r-concave tail bound of Shah &
  Samworth's ``r_concave_tail.R``, with ``r = (-1/2, -1/4)``.

:func:`stabsel_parameters` solves for the missing one of ``cutoff``, ``q`` and ``pfer`` as
``stabs::stabsel_parameters`` does.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np

from ..errors import ParameterError, SelectionWarning
from ._rnumerics import EPS, r_fmin, r_signif, r_zeroin

__all__ = ["ASSUMPTION_TITLES", "Assumption", "SamplingType", "StabselParameters", "stabsel_parameters", "min_d", "max_q", "fmt"]

Assumption = Literal["unimodal", "r-concave", "none"]
SamplingType = Literal["SS", "MB"]

#: how stabs' print methods name each bound ("Stability selection <title>")
ASSUMPTION_TITLES = {"none": "without further assumptions", "unimodal": "with unimodality assumption",
                     "r-concave": "with r-concavity assumption"}


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

        a_vec[k] = r_zeroin(calc_a, 0.00001, a_vec[k - 1], tol=EPS**0.75)
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

        x = r_fmin(neg_optim, a_vec[k + 1], a_vec[k])
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
    which = math.ceil(r_signif(pi / (1 / (2 * B)), 10))
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
            q = r_zeroin(lambda q: q**2 / p / _um_const(cutoff, B, q / p) - pfer, 1.0, float(upper_q), tol=EPS**0.25)
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
        return r_signif(self.pfer / self.p, 3)

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
        head = ASSUMPTION_TITLES[self.assumption]
        star = "PFER" if self.sampling_type == "MB" else "PFER (*)"
        lines = [
            f"Stability selection {head}",
            "",
            f"Cutoff: {fmt(self.cutoff)}; q: {fmt(self.q)}; {star}: {fmt(self.pfer)}",
        ]
        if self.sampling_type != "MB":
            lines.append("   (*) or expected number of low selection probability variables")
        lines.append(f"PFER (specified upper bound): {fmt(self.specified_pfer, 7)}")
        lines.append(f"PFER corresponds to signif. level {fmt(self.significance_level)} (without multiplicity adjustment)")
        return "\n".join(lines)


def fmt(x: float, digits: int = 7) -> str:
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
        upper = r_signif(upper, 3)
        if warn and tmp > 0.9 and upper - pfer > pfer / 2:
            warnings.warn(
                f"Upper bound for PFER > {pfer} for the given value of q (true upper bound = {round(upper, 2)})",
                SelectionWarning,
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
        upper = r_signif(upper, 3)
        if warn and upper - pfer > pfer / 2:
            warnings.warn(
                f"Upper bound for PFER > {pfer} for the given value of cutoff (true upper bound = {upper})",
                SelectionWarning,
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
        upper = r_signif(specified, 3)
    if assumption == "r-concave" and cutoff <= q / p:
        raise ParameterError(f"cutoff must be larger than q/p = {q / p:.4g}")
    if warn and specified >= p:
        warnings.warn("Upper bound for PFER larger than the number of effects.", SelectionWarning, stacklevel=2)
    q_out: int | float = int(q) if float(q) == int(q) else float(q)
    return StabselParameters(
        cutoff=float(cutoff), q=q_out, pfer=float(upper), specified_pfer=float(specified), p=p, B=B,
        sampling_type=sampling_type, assumption=assumption,
    )
