"""Typed exceptions raised by statprune.

Every message says what was wrong, where (which column, argument or R call),
and what to do about it. Catch narrowly:

>>> from statprune.errors import DataError, StatpruneError
>>> issubclass(DataError, ValueError) and issubclass(DataError, StatpruneError)
True
"""

from __future__ import annotations

__all__ = [
    "StatpruneError",
    "DataError",
    "ParameterError",
    "RNotAvailableError",
    "RError",
    "CollationNotAvailableError",
    "ConvergenceWarning",
    "SelectionWarning",
    "PerfectSeparationWarning",
    "NothingSelectedWarning",
]

#: The Debian line that installs everything statprune needs from R.
APT_R_LINE = (
    "apt-get update && apt-get install -y --no-install-recommends "
    "r-base-core r-cran-glmnet r-cran-mass r-cran-jsonlite r-cran-survival r-cran-randomforest"
)


class StatpruneError(Exception):
    """Base class of every statprune exception."""


class DataError(StatpruneError, ValueError):
    """The data cannot be used as given (NaN/inf, constant or duplicated columns, bad target...)."""


class ParameterError(StatpruneError, ValueError):
    """An argument has a value that statprune cannot use."""


class RNotAvailableError(StatpruneError, RuntimeError):
    """R, rpy2 or an R package is missing; the message says how to install it."""

    def __init__(self, message: str, *, apt_packages: tuple[str, ...] = ()) -> None:
        self.apt_packages = tuple(apt_packages)
        super().__init__(message)


class RError(StatpruneError, RuntimeError):
    """R signalled an error. ``r_message`` is R's own text, ``r_call`` the R call."""

    def __init__(self, r_message: str, r_call: str | None = None, *, context: str | None = None) -> None:
        self.r_message = r_message.strip()
        self.r_call = r_call
        self.context = context
        where = f" in {r_call}" if r_call else ""
        prefix = f"{context}: " if context else ""
        super().__init__(f"{prefix}R error{where}: {self.r_message}")


class CollationNotAvailableError(StatpruneError, RuntimeError):
    """``collation="locale"`` needs PyICU, the ICU library R sorts with in a locale (``statprune[locale]``)."""


class ConvergenceWarning(UserWarning):
    """A solver did not reach its tolerance."""


class SelectionWarning(UserWarning):
    """A selection result that is valid but deserves attention."""


class PerfectSeparationWarning(SelectionWarning):
    """A binomial model separates the classes perfectly; estimates diverge."""


class NothingSelectedWarning(SelectionWarning):
    """Every candidate feature was pruned (a valid result, said plainly)."""
