"""Stage 5, cli: the `searcher` command. Parses options, calls one core function, prints the result."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import click

from searcher import __version__, output
from searcher.errors import QueryError, SearcherError

DEFAULT_INDEX = Path("index")


class SearcherCLIError(click.ClickException):
    """A core error as click reports it: one line on stderr, then the exit code."""

    def __init__(self, error: SearcherError) -> None:
        super().__init__(output.safe(str(error)))
        self.exit_code = 2 if isinstance(error, QueryError) else 1


class SearcherGroup(click.Group):
    """Turns every SearcherError raised by a command into a one-line message, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except SearcherError as error:
            raise SearcherCLIError(error) from error


def _styler(colour: str) -> Callable[..., str]:
    """click.style when colour is on, else a no-op; output is echoed with color=True, so the choice made here holds."""
    if output.use_colour(colour, sys.stdout.isatty()):
        return click.style
    return lambda text, **_: text


def _warn(message: str) -> None:
    click.echo(f"searcher: {output.safe(message)}", err=True)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON (shape documented in the README).")
colour_option = click.option(
    "--color", "colour", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
    help="Colour the output; auto means on a terminal when NO_COLOR is not set.",
)  # fmt: skip
taxonomy_option = click.option(
    "--taxonomy", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Topic taxonomy TOML file (default: the built-in one for international news).",
)  # fmt: skip


@click.group(cls=SearcherGroup)
@click.option(
    "--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_INDEX,
    envvar="SEARCHER_INDEX", show_default=True, show_envvar=True, help="Where the index lives.",
)  # fmt: skip
@click.option("-v", "--verbose", is_flag=True, help="Log what the pipeline does, on stderr.")
@click.version_option(__version__, prog_name="searcher")
@click.pass_context
def cli(ctx: click.Context, index_dir: Path, verbose: bool) -> None:
    """Search folders of scraped news articles from the terminal.

    \b
    Example:
      searcher index ~/news          # index a folder (again: only what changed)
      searcher search S-400 Turkey   # best matching articles first
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(name)s: %(message)s")
    ctx.obj = index_dir


@cli.command("index")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rebuild", is_flag=True, help="Build a complete new index and switch to it atomically.")
@taxonomy_option
@click.option("--lock-timeout", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="Seconds to wait for another searcher writing to the same index.")  # fmt: skip
@click.pass_obj
def index_command(
    index_dir: Path, paths: tuple[Path, ...], rebuild: bool, taxonomy: Path | None, lock_timeout: float
) -> None:
    """Index .txt, .html and .jsonl files under PATHS (folders are searched recursively).

    With no PATHS, re-indexes the paths the index was built from (./seeds for a new index).
    Unchanged files are skipped; changed ones re-indexed; deleted ones removed.

    \b
    Example:
      searcher index seeds ~/news/2019
    """
    from searcher.index import update_index

    report = update_index(index_dir, list(paths) or None, taxonomy, rebuild, lock_timeout, on_wait=_warn)
    for path, reason in report.failed:
        _warn(f"failed: {output.display_path(path)}: {reason}")
    _warn(output.index_summary(report))
    if report.failed:
        sys.exit(1)


@cli.command("search", context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True)
@click.option("-n", "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Results to show.")
@click.option("--match", type=click.Choice(["any", "all"]), default="any", show_default=True,
              help="any: articles matching more of the words rank higher; all: every word is required.")  # fmt: skip
@json_option
@colour_option
@click.pass_obj
def search_command(index_dir: Path, query: tuple[str, ...], limit: int, match: str, as_json: bool, colour: str) -> None:
    """Search the index; the best matching articles come first.

    \b
    Query syntax: words (any of them), "a phrase", title:word, topic:energy,
    elect* (prefix), putn~ (fuzzy), -word or NOT word (exclude), AND, OR, ( ).
    Quote a query that holds quotes or parentheses, so the shell passes them on.
    The first search with no index builds one from ./seeds.

    \b
    Example:
      searcher search S-400 Turkey
      searcher search '"air defense" -Syria' --json | jq '.hits[].title'
    """
    from searcher.index import ensure_index
    from searcher.search import search

    built = ensure_index(index_dir, on_build=_warn)
    if built is not None:
        _warn(output.index_summary(built))
    result = search(index_dir, " ".join(query), limit=limit, match=match)
    click.echo(output.search_json(result) if as_json else output.search_text(result, _styler(colour)), color=True)


@cli.command("clean")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@taxonomy_option
@json_option
@colour_option
def clean_command(paths: tuple[Path, ...], taxonomy: Path | None, as_json: bool, colour: str) -> None:
    """Show what the cleaner keeps of each article (title, body, date, topics) and what it drops, and why.

    \b
    Example:
      searcher clean seeds/001_404ae92723a5d202.txt
      searcher clean seeds --json | jq '.dropped'
    """
    from searcher.pipeline import Failure, articles_from

    style, failed = _styler(colour), False
    for item in articles_from(list(paths), taxonomy):
        if isinstance(item, Failure):
            _warn(f"failed: {output.display_path(item.path)}: {item.reason}")
            failed = True
        else:
            click.echo(output.article_json(item) if as_json else output.article_text(item, style) + "\n", color=True)
    if failed:
        sys.exit(1)


@cli.command("show")
@click.argument("doc_id")
@json_option
@colour_option
@click.pass_obj
def show_command(index_dir: Path, doc_id: str, as_json: bool, colour: str) -> None:
    """Show one indexed article in full: title, date, topics, path, body, and what was dropped.

    DOC_ID is an id from the search results, or the start of one (or of its file name) if unique.

    \b
    Example:
      searcher show seeds/002_ebd0e1da6b7cb76d.txt
      searcher show 002
    """
    from searcher.search import get_article

    article = get_article(index_dir, doc_id)
    click.echo(output.article_json(article) if as_json else output.article_text(article, _styler(colour)), color=True)


main = partial(cli, prog_name="searcher")
