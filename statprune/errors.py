"""Every exception and warning class of statprune, in one module.

Every message says what was wrong, where (which column, argument or R call),
and what to do about it. The classes subclass the built-in exception a caller
would expect (``ValueError`` for bad input, ``RuntimeError`` for a failing R,
``NotImplementedError`` for a request an engine does not cover), so callers can
catch narrowly:

>>> from statprune.errors import DataError, StatpruneError
>>> issubclass(DataError, ValueError) and issubclass(DataError, StatpruneError)
True

=============================  ====================================================================
class                          raised when
=============================  ====================================================================
``DataError``                  the data cannot be used as given (NaN, constant column, bad target)
``AliasedError``               the design is rank deficient (R's ``lm`` reports NA coefficients)
``ParameterError``             an argument has a value statprune cannot use
``UnknownDatasetError``        ``statprune.datasets`` has no data set of that name (also a ``KeyError``)
``RNotAvailableError``         R, rpy2 or an R package is missing (the message has the install line)
``RError``                     R signalled an error (R's own message and call)
``CollationNotAvailableError`` ``collation="locale"`` without PyICU
``EngineNotSupported``         a fast engine cannot serve a request; base of the three below
``GramNotSupported``           ... the Gram engine (gaussian); the caller runs R's glmnet instead
``GlmNotSupported``            ... the fast binomial/poisson engine; the caller runs R instead
``SolverNotSupported``         ... a reference solver of the cross-check (family, weights, offset)
``RWarning``                   R signalled a warning (R's own text)
``ConvergenceWarning``         a solver stopped short of its tolerance
``SelectionWarning``           a valid selection that deserves attention (base of the two below)
``PerfectSeparationWarning``   a binomial model separates the classes; estimates diverge
``NothingSelectedWarning``     every candidate was pruned
=============================  ====================================================================
"""

from __future__ import annotations

__all__ = [
    "StatpruneError",
    "DataError",
    "AliasedError",
    "RDSRefused",
    "ParameterError",
    "UnknownDatasetError",
    "RNotAvailableError",
    "RError",
    "CollationNotAvailableError",
    "EngineNotSupported",
    "GramNotSupported",
    "GlmNotSupported",
    "SolverNotSupported",
    "RWarning",
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


class AliasedError(DataError):
    """The design matrix is rank deficient: R's ``lm`` would report aliased (NA) coefficients.

    Drop one of the linearly dependent columns (``alias(lm(...))`` in R names them)
    before asking for VIFs.
    """


class ParameterError(StatpruneError, ValueError):
    """An argument has a value that statprune cannot use."""


class UnknownDatasetError(ParameterError, KeyError):
    """No bundled data set has this name; the message lists the names (``statprune.datasets.available()``)."""

    __str__ = Exception.__str__  # the message as written, not KeyError's quoted key


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


class RDSRefused(DataError):
    """An RDS file holds a node statprune does not load (code, an environment, a foreign class).

    Raised inside the RDS safety check (:mod:`statprune._rds_check`), which may still accept
    the node as part of a family object; what reaches the caller is a :class:`DataError`.
    """


class EngineNotSupported(StatpruneError, NotImplementedError):
    """A fast engine cannot serve this request; the message says why.

    The estimators catch it and run R instead; called directly, pass ``engine="r"``.
    """


class GramNotSupported(EngineNotSupported):
    """The request needs something the Gram engine cannot compute; use ``engine="r"``."""


class GlmNotSupported(EngineNotSupported):
    """The request needs something the fast GLM engine does not compute; run ``cv.glmnet`` in R."""


class SolverNotSupported(EngineNotSupported):
    """A cross-check reference solver cannot express this problem (family, weights, offsets, penalty factors).

    The cross-check skips that solver and says why; install the others
    (``pip install 'statprune[crosscheck]'``) for more certificates.
    """


class RWarning(UserWarning):
    """A warning that R signalled, with R's own text."""


class ConvergenceWarning(UserWarning):
    """A solver did not reach its tolerance."""


class SelectionWarning(UserWarning):
    """A selection result that is valid but deserves attention."""


class PerfectSeparationWarning(SelectionWarning):
    """A binomial model separates the classes perfectly; estimates diverge."""


class NothingSelectedWarning(SelectionWarning):
    """Every candidate feature was pruned (a valid result, said plainly)."""
