"""Stage 5, cli: the `searcher` command."""

from __future__ import annotations

import sys

__all__ = ["cli", "main"]

# The exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report one.
INTERRUPTED = 130


def main() -> None:
    """The `searcher` console script. Ctrl-C at any moment, even while the command's modules are
    still loading (a fifth of a second), ends it with one line and exit code 130, not a traceback."""
    try:
        from searcher.cli.commands import main as run_command

        run_command()
    except KeyboardInterrupt:
        sys.stderr.write("searcher: interrupted\n")
        sys.exit(INTERRUPTED)


def __getattr__(name: str) -> object:
    """`cli`, the click group, loaded when asked for: main() must be callable before it loads."""
    if name == "cli":
        from searcher.cli.commands import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
