"""Stage 5, cli: the `searcher` command."""

from searcher.cli.commands import cli, main

__all__ = ["cli", "main"]
