"""``python -m statprune.cli``: the same as the ``statprune`` command."""

from . import main

main()
