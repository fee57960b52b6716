"""The ``statprune`` command line: a thin typer layer over the public API.

Conventions shared by every command:

* ``--json PATH`` writes machine-readable output atomically; ``--json -`` writes it
  to stdout (and nothing else goes to stdout). Without ``--json`` a readable table.
* Bad input (a missing column, NaN, a bad option value) exits with code 2 and the
  message on stderr. ``statprune doctor`` and ``statprune validate`` exit 1 when a
  check fails. Never a traceback (``STATPRUNE_TRACEBACK=1`` shows one for a bug).
* Warnings are one ``warning: ...`` line each on stderr; progress bars (tqdm, stderr,
  :func:`statprune._progress.progress`) are off with ``--json`` or when stderr is not a
  terminal. See docs/cli.md.
"""

from __future__ import annotations

import sys
from typing import Any

# the command modules register their commands on ``app`` when imported
from . import _lasso, _methods, _stepwise  # noqa: F401
from ._common import SEED, app, core_json, quiet_progress, show, split_methods
from ._common import _quiet_broken_pipe

__all__ = ["SEED", "app", "core_json", "main", "quiet_progress", "show", "split_methods"]

_HELP_ORDER = ["demo", "doctor", "lasso", "lasso-ooc", "stepwise", "drop1", "add1", "importance", "pca", "prune-nn", "stability", "subsets", "vif",
               "compare", "validate", "report"]



def _help_rank(info: Any) -> int:
    name = info.name or info.callback.__name__.replace("_", "-")
    return _HELP_ORDER.index(name) if name in _HELP_ORDER else len(_HELP_ORDER)


app.registered_commands.sort(key=_help_rank)  # stable: a command not listed keeps its place at the end


def main() -> None:  # console-script entry point
    try:
        app()
    except BrokenPipeError:  # raised outside a command (help text, --version) or at the final flush
        _quiet_broken_pipe()
        sys.exit(0)


