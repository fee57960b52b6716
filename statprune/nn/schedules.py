"""TF-MOT's pruning schedules (``tfmot.sparsity.keras.ConstantSparsity`` / ``PolynomialDecay``) in numpy.

A schedule answers ``schedule(step) -> (should_prune, sparsity)``, computed in float32
as TF-MOT 0.8 computes it (``pruning_schedule.py``): ``should_prune`` is
``step >= begin_step and (step <= end_step or end_step < 0) and
(step - begin_step) % frequency == 0``.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from ..errors import ParameterError
from . import _tf
from ._checks import check_int, check_sparsity

__all__ = ["PruningSchedule", "ConstantSparsity", "PolynomialDecay", "schedule_from_config", "as_schedule"]


class PruningSchedule:
    """Base class: ``schedule(step) -> (should_prune, sparsity)`` as TF-MOT's ``PruningSchedule``."""

    begin_step: int
    end_step: int
    frequency: int

    def _set_steps(self, begin_step: int, end_step: int, frequency: int, *, allow_negative_1: bool) -> None:
        # TF-MOT's PruningSchedule._validate_step, with messages that say what to do
        self.begin_step = check_int(begin_step, "begin_step")
        self.end_step = check_int(end_step, "end_step")
        self.frequency = check_int(frequency, "frequency")
        if self.begin_step < 0:
            raise ParameterError(f"begin_step must be >= 0 (got {self.begin_step})")
        if not allow_negative_1 and self.end_step == -1:
            raise ParameterError(
                f"{type(self).__name__} needs an end_step (>= begin_step); -1 (prune forever) is only "
                "allowed for ConstantSparsity"
            )
        if self.end_step != -1:
            if self.end_step < 0:
                raise ParameterError(f"end_step must be -1 or >= 0 (got {self.end_step})")
            if self.end_step < self.begin_step:
                raise ParameterError(
                    f"end_step ({self.end_step}) < begin_step ({self.begin_step}); pruning must end "
                    "after it begins (or pass end_step=-1 to ConstantSparsity to prune until training ends)"
                )
        if self.frequency <= 0:
            raise ParameterError(f"frequency must be > 0 (got {self.frequency})")

    def should_prune(self, step: int) -> bool:
        """Whether the masks are recomputed at ``step`` (TF-MOT ``_should_prune_in_step``)."""
        in_range = step >= self.begin_step and (step <= self.end_step or self.end_step < 0)
        return bool(in_range and (step - self.begin_step) % self.frequency == 0)

    def first_prune_step(self) -> int:
        """First step >= 1 (the first training step) at which the masks are updated."""
        return self.begin_step if self.begin_step >= 1 else self.frequency

    def sparsity(self, step: int) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, step: int) -> tuple[bool, float]:
        """``(should_prune, sparsity)`` at ``step``; ``sparsity`` is a float32 value as a float."""
        step = check_int(step, "step")
        return self.should_prune(step), self.sparsity(step)

    def get_config(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def to_tfmot(self) -> Any:
        """The equivalent ``tfmot.sparsity.keras`` schedule object (needs ``statprune[keras]``)."""
        tfmot = _tf.load()[2]
        return getattr(tfmot.sparsity.keras, type(self).__name__)(**self.get_config()["config"])

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config()["config"].items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.get_config() == self.get_config()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]


class ConstantSparsity(PruningSchedule):
    """Constant sparsity in ``[begin_step, end_step]``, masks updated every ``frequency`` steps.

    Same arguments, validation and values as ``tfmot.sparsity.keras.ConstantSparsity``.

    Parameters
    ----------
    target_sparsity : float in [0, 1)
    begin_step : int >= 0
    end_step : int, default -1
        Last step at which masks are updated; -1 means until training ends.
    frequency : int > 0, default 100

    Examples
    --------
    >>> s = ConstantSparsity(0.8, begin_step=10, end_step=30, frequency=10)
    >>> [s(t)[0] for t in (0, 10, 15, 20, 30, 40)]
    [False, True, False, True, True, False]
    >>> s(15)[1]
    0.800000011920929
    """

    def __init__(self, target_sparsity: float, begin_step: int, end_step: int = -1, frequency: int = 100) -> None:
        self.target_sparsity = target_sparsity
        self._set_steps(begin_step, end_step, frequency, allow_negative_1=True)
        check_sparsity(target_sparsity, "target_sparsity")

    def sparsity(self, step: int) -> float:
        """The target sparsity, as the float32 value TF-MOT returns."""
        return float(np.float32(self.target_sparsity))

    def get_config(self) -> dict[str, Any]:
        return {
            "class_name": "ConstantSparsity",
            "config": {
                "target_sparsity": self.target_sparsity,
                "begin_step": self.begin_step,
                "end_step": self.end_step,
                "frequency": self.frequency,
            },
        }


class PolynomialDecay(PruningSchedule):
    """Sparsity rising from ``initial_sparsity`` to ``final_sparsity`` as TF-MOT's ``PolynomialDecay``.

    ``sparsity(step) = final + (initial - final) * (1 - p) ** power`` with
    ``p = min(1, max(0, (step - begin_step) / (end_step - begin_step)))``, evaluated in
    float32 as TF-MOT does. Masks are updated every ``frequency`` steps in
    ``[begin_step, end_step]``; after ``end_step`` they stay as they are. The final
    sparsity is reached only if ``end_step - begin_step`` is a multiple of
    ``frequency`` (otherwise the last update happens before ``end_step``).

    Parameters
    ----------
    initial_sparsity, final_sparsity : float in [0, 1)
    begin_step, end_step : int, ``0 <= begin_step <= end_step``
    power : float, default 3
    frequency : int > 0, default 100

    Examples
    --------
    >>> s = PolynomialDecay(0.5, 0.9, begin_step=0, end_step=100, frequency=50)
    >>> [(t, s(t)[0], round(s(t)[1], 4)) for t in (0, 50, 100)]
    [(0, True, 0.5), (50, True, 0.85), (100, True, 0.9)]
    """

    def __init__(
        self,
        initial_sparsity: float,
        final_sparsity: float,
        begin_step: int,
        end_step: int,
        power: float = 3,
        frequency: int = 100,
    ) -> None:
        self.initial_sparsity = initial_sparsity
        self.final_sparsity = final_sparsity
        self.power = power
        self._set_steps(begin_step, end_step, frequency, allow_negative_1=False)
        check_sparsity(initial_sparsity, "initial_sparsity")
        check_sparsity(final_sparsity, "final_sparsity")
        if isinstance(power, (bool, np.bool_)) or not isinstance(power, numbers.Real) or not math.isfinite(power):
            raise ParameterError(f"power must be a finite number (got {power!r})")

    def sparsity(self, step: int) -> float:
        """TF-MOT's float32 arithmetic, operation by operation."""
        f32 = np.float32
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = f32(step - self.begin_step) / f32(self.end_step - self.begin_step)
            # tf.math.maximum / minimum propagate NaN (end_step == begin_step at that step)
            p = np.minimum(f32(1.0), np.maximum(f32(0.0), ratio))
            delta = f32(self.initial_sparsity - self.final_sparsity)
            # pow as a correctly rounded float32 (as TF's CPU kernel; numpy's float32 power is
            # off by up to a few ulps), then float32 multiply and add
            powered = f32(np.power(np.float64(f32(1.0) - p), np.float64(f32(self.power))))
            out = delta * powered + f32(self.final_sparsity)
        return float(f32(out))

    def get_config(self) -> dict[str, Any]:
        return {
            "class_name": "PolynomialDecay",
            "config": {
                "initial_sparsity": self.initial_sparsity,
                "final_sparsity": self.final_sparsity,
                "power": self.power,
                "begin_step": self.begin_step,
                "end_step": self.end_step,
                "frequency": self.frequency,
            },
        }


def schedule_from_config(cfg: dict[str, Any]) -> PruningSchedule:
    cls = {"ConstantSparsity": ConstantSparsity, "PolynomialDecay": PolynomialDecay}[cfg["class_name"]]
    return cls(**cfg["config"])



def as_schedule(obj: Any, default: PruningSchedule | None = None) -> PruningSchedule:
    """A statprune schedule from ``obj``: a statprune schedule, an equivalent tfmot schedule object, or ``default`` for None."""
    if obj is None and default is not None:
        return default
    if isinstance(obj, PruningSchedule):
        return obj
    if type(obj).__name__ in ("ConstantSparsity", "PolynomialDecay") and hasattr(obj, "get_config"):
        return schedule_from_config(obj.get_config())  # a tfmot schedule object
    raise ParameterError(
        f"schedule must be statprune.nn.ConstantSparsity or PolynomialDecay (got {type(obj).__name__})"
    )
