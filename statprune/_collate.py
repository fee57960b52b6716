"""Text collation as R sorts factor levels in an English locale.

R (built with ICU, as Debian's and CRAN's builds are) sorts strings with an
ICU collator for the locale of ``LC_COLLATE`` when that locale is not ``C``/
``POSIX``; under ``LC_COLLATE=C`` it compares code points. statprune's
``collation="C"`` is the latter (Python's own string order); ``"locale"`` is
ICU's ``en_US`` collator through PyICU (the ``statprune[locale]`` extra), the
same library R calls, so ``"non-USA" < "USA"`` and ``"a" < "B"`` as in R.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .errors import CollationNotAvailableError

__all__ = ["locale_key"]


@lru_cache(maxsize=1)
def _collator() -> Any:
    try:
        import icu  # noqa: PLC0415 - optional (statprune[locale]), needed only for collation='locale'
    except ImportError:  # pragma: no cover - the test extra installs it
        raise CollationNotAvailableError(
            "collation='locale' sorts factor levels with ICU as R does and needs PyICU: "
            "pip install 'statprune[locale]' (Debian: apt-get install libicu-dev pkg-config g++ first)"
        ) from None
    return icu.Collator.createInstance(icu.Locale("en_US"))


def locale_key(text: str) -> bytes:
    """ICU sort key of ``text`` under R's English-locale collation.

    Examples
    --------
    >>> sorted(["USA", "non-USA", "b", "A"], key=locale_key)
    ['A', 'b', 'non-USA', 'USA']
    """
    return bytes(_collator().getSortKey(text))
