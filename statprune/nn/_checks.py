"""Argument checks shared by the schedules, the masks and the pruners (TF-MOT's rules, statprune's messages)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..errors import ParameterError


def check_int(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ParameterError(f"{name} must be an integer (got {value!r})")
    return int(value)


def check_sparsity(value: Any, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ParameterError(f"{name} must be a number in [0, 1) (got {value!r})")
    v = float(value)
    if not (0.0 <= v < 1.0):
        raise ParameterError(
            f"{name} must be in [0, 1) (got {value!r}): it is the fraction of weights set to zero, "
            "and 1 would remove every weight"
        )
    return v
