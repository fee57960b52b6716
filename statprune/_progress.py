"""One progress-bar helper for every slow loop (tqdm on stderr, never on stdout).

The library shows a bar only when asked (``progress=True``); the CLI asks unless
``--json`` is given or stderr is not a terminal (:func:`statprune.cli.quiet_progress`),
so ``--json -`` output and logs stay clean.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["Steps", "bar_callback", "progress"]


def progress(
    iterable: Iterable[Any] | None = None,
    *,
    total: int | None = None,
    desc: str | None = None,
    disable: bool = False,
    unit: str = "it",
    leave: bool = False,
    bar_format: str | None = None,
) -> Any:
    """A tqdm bar on stderr: wrap an iterable, or use it by hand (``update``, ``close``, ``with``).

    Examples
    --------
    >>> list(progress(range(3), desc="fits", disable=True))
    [0, 1, 2]
    >>> with progress(total=2, disable=True) as bar:
    ...     bar.update(2)
    """
    from tqdm.auto import tqdm  # noqa: PLC0415 - deferred: tqdm only when a bar is shown

    return tqdm(iterable, total=total, desc=desc, disable=disable, unit=unit, leave=leave, file=sys.stderr,
                dynamic_ncols=True, bar_format=bar_format)


def bar_callback(bar: Any) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback that moves a tqdm bar (the total may grow as work is found).

    Examples
    --------
    >>> import io
    >>> from tqdm import tqdm
    >>> bar = tqdm(total=None, file=io.StringIO())
    >>> bar_callback(bar)(2, 5)
    >>> bar.n, bar.total
    (2, 5)
    """

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    return update


class Steps:
    """Counts the steps of a computation for a ``progress(done, total)`` callback (None: nothing is reported).

    ``tick(k)`` marks ``k`` steps done; ``grow(k)`` adds ``k`` steps found on the way (the
    cross-check's stronger reference solvers, tried when fewer than two are certified).

    Examples
    --------
    >>> seen = []
    >>> s = Steps(lambda done, total: seen.append((done, total)), 2)
    >>> s.tick(); s.grow(1); s.tick(2)
    >>> seen
    [(0, 2), (1, 2), (1, 3), (3, 3)]
    """

    def __init__(self, progress: Callable[[int, int], None] | None, total: int) -> None:
        self.progress, self.done, self.total = progress, 0, int(total)
        self._report()

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total)

    def tick(self, k: int = 1) -> None:
        """``k`` more steps done."""
        if k > 0:
            self.done += int(k)
            self._report()

    def grow(self, k: int = 1) -> None:
        """``k`` more steps to do."""
        if k > 0:
            self.total += int(k)
            self._report()
