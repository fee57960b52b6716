"""One progress-bar helper for every slow loop (tqdm on stderr, never on stdout).

The library shows a bar only when asked (``progress=True``); the CLI asks unless
``--json`` is given or stderr is not a terminal (:func:`statprune.cli.quiet_progress`),
so ``--json -`` output and logs stay clean.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

__all__ = ["progress"]


def progress(
    iterable: Iterable[Any] | None = None,
    *,
    total: int | None = None,
    desc: str | None = None,
    disable: bool = False,
    unit: str = "it",
    leave: bool = False,
) -> Any:
    """A tqdm bar on stderr: wrap an iterable, or use it by hand (``update``, ``close``, ``with``).

    Examples
    --------
    >>> list(progress(range(3), desc="fits", disable=True))
    [0, 1, 2]
    >>> with progress(total=2, disable=True) as bar:
    ...     bar.update(2)
    """
    from tqdm.auto import tqdm  # noqa: PLC0415

    return tqdm(iterable, total=total, desc=desc, disable=disable, unit=unit, leave=leave, file=sys.stderr,
                dynamic_ncols=True)
