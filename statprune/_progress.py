"""One progress-bar helper for every slow loop (tqdm on stderr, never on stdout).

The library shows a bar only when asked (``progress=True``); the CLI asks unless
``--json`` is given or stderr is not a terminal (:func:`statprune.cli.quiet_progress`),
so ``--json -`` output and logs stay clean.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable
from typing import Any

__all__ = ["progress", "ticking"]


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


class ticking:  # noqa: N801 - a context manager, like contextlib helpers
    """An elapsed-time line on stderr while one long call runs that cannot report progress itself.

    For example a single ``cv.glmnet`` call in R: a daemon thread only redraws the timer
    (it never touches R, which must not be called from threads).

    Examples
    --------
    >>> with ticking("cv.glmnet in R", disable=True):
    ...     pass
    """

    def __init__(self, desc: str, *, disable: bool = False, interval: float = 0.5) -> None:
        self.desc, self.disable, self.interval = desc, disable, interval
        self._bar: Any = None
        self._thread: Any = None

    def __enter__(self) -> "ticking":
        if self.disable:
            return self

        self._bar = progress(total=None, desc=self.desc, bar_format="{desc}: {elapsed}")
        self._stop = threading.Event()

        def redraw() -> None:
            while not self._stop.wait(self.interval):
                self._bar.refresh()

        self._thread = threading.Thread(target=redraw, name="statprune-ticking", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._stop.set()
            self._thread.join()
            self._bar.close()
