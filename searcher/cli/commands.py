"""Stage 5, cli: the `searcher` command. Parses options, calls one core function, prints the result."""

from __future__ import annotations

import gc
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

import click
from click.core import ParameterSource

from searcher import __version__
from searcher.cli import INTERRUPTED, output
from searcher.errors import PathNotFoundError, QueryError, SearcherError

if TYPE_CHECKING:
    from searcher.models import IndexReport, SearchOptions, SearchResult

DEFAULT_INDEX = Path("index")


class SearcherCLIError(click.ClickException):
    """A core error as click reports it: one line on stderr, then the exit code."""

    def __init__(self, error: SearcherError) -> None:
        super().__init__(output.safe(str(error)))
        self.exit_code = 2 if isinstance(error, QueryError | PathNotFoundError) else 1


class SearcherCommand(click.Command):
    """A command that also takes the global options after its name (`searcher search Blair --index
    DIR`), as people type them: hidden here, shown once in `searcher --help`."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.params += [
            click.Option(["--index", "late_index"], type=INDEX_PATH, hidden=True, expose_value=False,
                         callback=_late_index),
            click.Option(["-v", "--verbose", "late_verbose"], is_flag=True, hidden=True, expose_value=False,
                         callback=_late_verbose),
        ]  # fmt: skip


def _interrupted() -> NoReturn:
    """Ctrl-C: one line and exit code 130 (click would say "Aborted!" and exit 1)."""
    _warn("interrupted")
    sys.exit(INTERRUPTED)


def _late_index(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.obj = value


def _late_verbose(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        _set_verbose(ctx, True)


class QueryCommand(SearcherCommand):
    """`search`: its arguments are a query, where "-word" excludes a word, so a dash-word that is not
    one of the command's own short options is query text. Unknown "--options" are refused with
    click's suggestion (`--limt`: did you mean --limit?) instead of being searched for; "--" ends
    the options."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, protect_exclusions(args, self._option_names(ctx)))

    def _option_names(self, ctx: click.Context) -> dict[str, bool]:
        """Each of the command's option names ("-n", "--limit") and whether it takes a value."""
        return {name: not (param.is_flag or param.count) for param in self.get_params(ctx)
                if isinstance(param, click.Option) for name in (*param.opts, *param.secondary_opts)}  # fmt: skip


# Marks a query's "-word" so that click reads it as an argument, not as an option; removed at once.
EXCLUSION_MARK = "\x00"


def protect_exclusions(args: list[str], options: dict[str, bool]) -> list[str]:
    """The arguments with each "-word" exclusion marked as an argument: a dash-word is an option only
    when it is one of the short `options` (or one taking a number, written together: -n5), or the
    value of the option before it (--page -1 is refused by --page). Nothing after "--" is touched
    (click reads it all as arguments)."""
    protected = []
    for i, arg in enumerate(args):
        if arg == "--":
            return protected + args[i:]
        is_word = arg.startswith("-") and not arg.startswith("--") and len(arg) > 1
        a_value = i > 0 and options.get(args[i - 1], False)
        an_option = arg in options or (options.get(arg[:2]) and arg[2:].isdigit())
        protected.append(EXCLUSION_MARK + arg if is_word and not a_value and not an_option else arg)
    return protected


def query_words(words: tuple[str, ...]) -> str:
    """The query text, each marked exclusion as the user typed it."""
    mark = EXCLUSION_MARK + "-"
    return " ".join(word[1:] if word.startswith(mark) else word for word in words)


class SearcherGroup(click.Group):
    """Turns every SearcherError raised by a command into a one-line message, never a traceback;
    reads the config file's defaults before any option."""

    command_class = SearcherCommand

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: object) -> click.Context:  # fmt: skip
        from searcher.cli.config import config_path, load_defaults

        extra.setdefault("default_map", load_defaults(config_path()))
        try:
            return super().make_context(info_name, args, parent, **extra)
        except KeyboardInterrupt:
            _interrupted()

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except SearcherError as error:
            raise SearcherCLIError(error) from error
        except KeyboardInterrupt:  # an index run says more, in _stopped_by_signals
            _interrupted()

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from searcher.cli.config import CONFIG_ENV, config_path, describe

        super().format_epilog(ctx, formatter)
        where, keys = describe(config_path())
        with formatter.section(f"Config file (TOML; ${CONFIG_ENV} names another)"):
            formatter.write(f"{' ' * formatter.current_indent}{where}\n")
            formatter.write_dl(keys)
            formatter.write_text("Options override environment variables, which override the file.")
        with formatter.section("Also"):
            formatter.write_text("Global options may also follow the command: searcher search Putin --index DIR -v.")
            formatter.write_text(
                "Shell completion of commands, options, topics, ids and index folders: add "
                'eval "$(_SEARCHER_COMPLETE=bash_source searcher)" to ~/.bashrc '
                "(zsh_source to ~/.zshrc; fish_source for fish)."
            )


def _styler(colour: str) -> Callable[..., str]:
    """click.style when colour is on, else a no-op; output is echoed with color=True, so the choice made here holds."""
    if output.use_colour(_colour_choice(colour), sys.stdout.isatty()):
        return click.style
    return lambda text, **_: text


def _colour_choice(colour: str) -> str:
    """--color as given, except that NO_COLOR (an environment variable) overrides the config file's."""
    context = click.get_current_context(silent=True)
    from_file = context is not None and context.get_parameter_source("colour") == ParameterSource.DEFAULT_MAP
    return "auto" if from_file and os.environ.get("NO_COLOR") else colour


def _warn(message: str) -> None:
    click.echo(f"searcher: {output.safe(message)}", err=True)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON (shape documented in the README).")
colour_option = click.option(
    "--color", "colour", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
    help="Colour the output; auto means on a terminal when NO_COLOR is not set.",
)  # fmt: skip


class TaxonomyParam(click.ParamType):
    """A taxonomy TOML file, or the name of an example installed with searcher (`searcher topics --examples`)."""

    name = "FILE|EXAMPLE"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        from searcher.enrich.topics import taxonomy_path

        try:
            return taxonomy_path(str(value))
        except SearcherError as error:
            self.fail(str(error), param, ctx)


taxonomy_option = click.option(
    "--taxonomy", type=TaxonomyParam(),
    help="Topic taxonomy: a TOML file or an installed example's name (default: the built-in one, IPTC top level).",
)  # fmt: skip


def _engine_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A well-formed engine URL, or a usage error naming what is wrong with it."""
    if value is None:
        return None
    from searcher.engine.opensearch.connection import parse_location

    try:
        parse_location(value)
    except SearcherError as error:
        raise click.BadParameter(str(error)) from None
    return value


INDEX_PATH = click.Path(file_okay=False, path_type=Path)


@click.group(cls=SearcherGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--index", "index_dir", type=INDEX_PATH, default=DEFAULT_INDEX,
    envvar="SEARCHER_INDEX", show_default=True, show_envvar=True, help="Where the index lives.",
)  # fmt: skip
@click.option(
    "--engine", "engine_url", metavar="URL", envvar="SEARCHER_ENGINE", show_envvar=True, callback=_engine_url,
    help="Keep the index in an OpenSearch cluster instead (opensearch://host:port/name; opensearchs:// for TLS); "
    "credentials from SEARCHER_OPENSEARCH_USER and SEARCHER_OPENSEARCH_PASSWORD, or the config file.",
)  # fmt: skip
@click.option(
    "-v", "--verbose", is_flag=True,
    help="Say on stderr how a search read the query (words, filters, terms --expand added) and what "
    "an index run decided (each file new, changed, unchanged, removed or passed over).",
)  # fmt: skip
@click.version_option(__version__, prog_name="searcher")
@click.option(
    "--man", "man_dir", type=click.Path(file_okay=False, path_type=Path), is_eager=True, expose_value=False,
    callback=lambda ctx, param, value: _write_man_pages(ctx, value),
    help="Write man pages made from these commands' help (searcher.1, searcher-search.1, ...) into DIR "
    "and exit; needs click-man: pip install 'searcher[man]'.",
)  # fmt: skip
@click.pass_context
def cli(ctx: click.Context, index_dir: Path, engine_url: str | None, verbose: bool) -> None:
    """Search folders of scraped news articles from the terminal.

    \b
    Example:
      searcher index seeds           # index a folder (again: only what changed)
      searcher search S-400 Turkey   # best matching articles first
    """
    _set_verbose(ctx, verbose)
    ctx.obj = engine_url or index_dir  # the stages open either through engine.open_engine


def _write_man_pages(ctx: click.Context, target: Path | None) -> None:
    """--man DIR: one man page per command, generated from the click commands so that they cannot
    drift from --help (click-man, a well-kept click-contrib project, writes the roff)."""
    if target is None or ctx.resilient_parsing:
        return
    try:
        from click_man.core import write_man_pages
    except ImportError:
        raise click.ClickException("--man needs click-man; install it with: pip install 'searcher[man]'") from None
    import warnings

    target.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():  # click-man 0.6 calls a helper that click 8.2 deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        write_man_pages("searcher", ctx.command, version=__version__, target_dir=str(target))
    pages = sorted(p.name for p in target.glob("searcher*.1"))
    _warn(f"wrote {len(pages)} man pages to {target}; read one with: man {target / 'searcher-search.1'}")
    ctx.exit(0)


def _set_verbose(ctx: click.Context, verbose: bool) -> None:
    """-v: the core's INFO logs on stderr (given before or after the command's name)."""
    logger = logging.getLogger("searcher")
    if not any(isinstance(handler, _EchoHandler) for handler in logger.handlers):
        logger.addHandler(_EchoHandler())
        logger.propagate = False
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    ctx.find_root().meta["searcher.verbose"] = verbose


class _EchoHandler(logging.Handler):
    """The core's log records as `searcher: ...` lines on the current stderr, made safe (they name
    files, whose names are untrusted)."""

    def emit(self, record: logging.LogRecord) -> None:
        _warn(record.getMessage())


@cli.command("index")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--rebuild", is_flag=True,
    help="Build a complete new index and switch to it atomically; PATHS given replace the index's paths.",
)  # fmt: skip
@taxonomy_option
@click.option("--optimize", is_flag=True, help="Also merge the index into one segment (after many small updates).")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes for large runs (default: one per core).")
@click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Seconds to wait for another searcher writing to the same index.",
)
@click.option("--max-size", type=click.FloatRange(min=0, min_open=True), default=20.0, show_default=True,
              help="Skip files larger than this many MB, with a message.")  # fmt: skip
@click.option("-q", "--quiet", is_flag=True, help="No progress bar (there is none when stderr is not a terminal).")
@click.pass_obj
def index_command(
    index_dir: Path,
    paths: tuple[Path, ...],
    rebuild: bool,
    taxonomy: Path | None,
    optimize: bool,
    jobs: int | None,
    lock_timeout: float,
    max_size: float,
    quiet: bool,
) -> None:
    """Index the articles under PATHS: text, HTML, Markdown, JSONL and WARC files, each maybe
    gzip-compressed (folders are searched recursively).

    PATHS are added to the paths the index was built from; with none, those are indexed again
    (./seeds for a new index). Unchanged files are skipped; changed ones re-indexed; deleted ones
    removed. `searcher forget PATH` drops a path and its articles.

    A run that cannot take the index (another one is writing) waits, then gives up with an error.
    Files that fail are named with the reason, the run goes on, and the exit code is 1; a file that
    failed and has not changed since is not a failure again. Other files (a .pdf) are counted in the
    summary, and named with -v.

    \b
    Example:
      searcher index seeds                    # or your own: searcher index ~/news
      searcher index                          # again: only what changed since
      searcher index --rebuild seeds          # a fresh index of these paths only
    """
    from searcher.index import update_index

    bar = output.TerminalProgress(lambda text: click.echo(text, nl=False, err=True))
    show = not quiet and sys.stderr.isatty()
    with _stopped_by_signals():
        try:
            report = update_index(
                index_dir, list(paths) or None, taxonomy, rebuild, lock_timeout, on_wait=_warn,
                progress=bar if show else None, procs=jobs, optimize=optimize, max_bytes=int(max_size * 1024 * 1024),
            )  # fmt: skip
        finally:
            bar.finish()
    _report_run(report, [p.resolve() for p in paths])


class _Stopped(BaseException):
    """SIGTERM, raised where the run is, so that it unwinds as after Ctrl-C."""


@contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """Ctrl-C (SIGINT) or SIGTERM end an indexing run promptly: what it began is cancelled, its
    workers ended, and one line says the last complete index still answers (exit 130 or 143)."""

    def stop(signum: int, frame: object) -> None:
        raise _Stopped

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    except (KeyboardInterrupt, _Stopped) as stopped:
        _warn("stopped; nothing of this run was written, and searches still use the last complete index")
        sys.exit(143 if isinstance(stopped, _Stopped) else INTERRUPTED)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _report_run(report: IndexReport, given: list[Path]) -> None:
    """What an indexing run did: each failure, with -v what was passed over, then the summary."""
    for path, reason in report.failed:
        _warn(f"failed: {output.display_path(path)}: {reason}")
    if _verbose():
        for path, reason in report.failed_before:
            _warn(f"failed before, unchanged: {output.display_path(path)}: {reason}")
        _name_each_skipped(report.skipped)
    for path in report.forgotten:
        _warn(f"forgot {output.display_path(path)} and its articles")
    seeds = Path("seeds").resolve()
    if given and seeds not in given and str(seeds) in report.roots:
        _warn("note: this index also holds ./seeds (the first search indexed it); drop it with: searcher forget seeds")
    _warn(output.index_summary(report))
    if report.failed:
        sys.exit(1)


@cli.command("forget")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--lock-timeout", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="Seconds to wait for another searcher writing to the same index.")  # fmt: skip
@click.pass_obj
def forget_command(index_dir: Path, paths: tuple[Path, ...], lock_timeout: float) -> None:
    """Drop PATHS (paths the index was built from) and their articles from the index.

    \b
    Example:
      searcher forget seeds
    """
    from searcher.index import update_index

    with _stopped_by_signals():
        report = update_index(index_dir, lock_timeout=lock_timeout, on_wait=_warn, forget=list(paths))
    _report_run(report, [])


class Period(click.ParamType):
    """YYYY, YYYY-MM or YYYY-MM-DD, as the (first day, last day) of that period."""

    name = "YYYY[-MM[-DD]]"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> tuple:
        from searcher.enrich.dates import period_bounds

        if isinstance(value, tuple):
            return value
        try:
            return period_bounds(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def search_options(command: Callable) -> Callable:
    """The options `search` and `similar` share: paging, filters, order, counts and output."""
    positive = click.IntRange(min=1)
    options = [
        click.option("-n", "--limit", type=positive, default=10, show_default=True, help="Results per page."),
        click.option("--page", type=positive, default=1, show_default=True, help="Page of results to show."),
        click.option("--after", type=Period(), help="Only articles dated in or after this period (2019, 2019-04)."),
        click.option("--before", type=Period(), help="Only articles dated in or before this period."),
        click.option("--topic", "topics", multiple=True, shell_complete=_complete_topics,
                     help="Only articles with this topic; repeatable (any). `searcher topics` lists them."),
        click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance",
                     show_default=True, help="Order of results; undated articles come last when sorting by date."),
        click.option("--facets", is_flag=True, help="Also count the matches per topic and per year."),
        click.option("--timeline", is_flag=True, help="Also draw matches per year (per month for short spans)."),
        click.option("--no-collapse", is_flag=True, help="List near-identical copies of a story separately."),
        click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
                     help="Seconds one query may run before it is stopped (exit code 2)."),
        click.option("--format", "output_format", type=click.Choice([*FORMATS, "trec"]),
                     help="human (the default), json, jsonl (a hit per line), tsv or csv (rank, id, date, "
                     "score, title, path, url, date_source), paths or ids (one per line, for xargs and fzf)."),
        click.option("--count", "count_only", is_flag=True, help="Print only how many articles match."),
        json_option,
        colour_option,
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


# Output formats of search and similar (search --batch adds trec); --json is --format json.
FORMATS = ["human", "json", "jsonl", "tsv", "csv", "paths", "ids"]
BATCH_FORMATS = ["json", "jsonl", "trec"]


def _complete_topics(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of --topic: the index's topics (none when it cannot be read)."""
    from searcher.search import topic_counts

    index_dir = ctx.find_root().params.get("index_dir") or DEFAULT_INDEX
    try:
        names = [topic.name for topic in topic_counts(Path(index_dir))]
    except SearcherError:
        return []
    return [name for name in names if name.startswith(incomplete.lower())]


def _complete_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of an article id: the index's ids starting so (at most COMPLETIONS)."""
    from itertools import islice

    from searcher.engine import open_engine

    index_dir = ctx.find_root().params.get("index_dir") or DEFAULT_INDEX
    try:
        return list(islice((i for i in open_engine(Path(index_dir)).ids() if i.startswith(incomplete)), COMPLETIONS))
    except SearcherError:
        return []


# Ids offered by shell completion at most: a shell lists them all, and a big index has millions.
COMPLETIONS = 200


def _search_settings(**given: object) -> SearchOptions:
    """The SearchOptions for the shared options (and any extra ones given by name)."""
    from searcher.models import SearchOptions

    after, before = given.pop("after"), given.pop("before")
    given["collapse"] = not given.pop("no_collapse")
    return SearchOptions(after=after[0] if after else None, before=before[1] if before else None, **given)


def _output_format(as_json: bool, chosen: str | None, count_only: bool) -> str:
    """The one output format asked for: --json is --format json, --count is its own; two that
    disagree are refused rather than one quietly winning."""
    if as_json and chosen not in (None, "json"):
        raise click.UsageError(f"--json and --format {chosen} ask for two formats; give one")
    if count_only and (as_json or chosen not in (None, "human")):
        raise click.UsageError("--count prints only the number of matches; leave out --json and --format")
    return "count" if count_only else "json" if as_json else chosen or "human"


RENDERERS = {
    "json": output.search_json, "jsonl": output.jsonl_lines, "tsv": output.tsv_lines, "csv": output.csv_lines,
    "paths": output.path_lines, "ids": output.id_lines, "count": lambda result: str(result.total),
}  # fmt: skip


def _print_result(result: SearchResult, fmt: str, colour: str) -> None:
    for notice in result.notices:
        _warn(notice)
    if result.undated_excluded and fmt != "json":
        _warn(f"{result.undated_excluded} matching article(s) without a date were left out by the date filter")
    if result.expansion and _verbose():
        _warn(f"--expand added: {' '.join(result.expansion)}")
    if fmt == "human":
        text = output.search_text(result, _styler(colour), _terminal_width())
        click.echo(text, color=True)
        return
    text = RENDERERS[fmt](result)
    if text:
        click.echo(text)


def _terminal_width() -> int | None:
    """The terminal's width when stdout is one (text is wrapped to it), else None (never wrapped)."""
    if not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


def _ensure_index(index_dir: Path) -> None:
    from searcher.engine import open_engine

    if not open_engine(index_dir).exists():  # the indexing pipeline is only loaded when there is work for it
        from searcher.index import ensure_index

        _warn(output.index_summary(ensure_index(index_dir, on_build=_warn)))


@cli.command("search", cls=QueryCommand)
@click.argument("query", nargs=-1)
@click.option(
    "--match",
    type=click.Choice(["any", "all"]),
    default="any",
    show_default=True,
    help="any: articles matching more of the words rank higher; all: every word is required.",
)
@click.option(
    "--expand", is_flag=True, help="Add terms from the best results to the query (pseudo-relevance feedback)."
)
@click.option(
    "--batch", type=click.File("r", encoding="utf-8", errors="surrogateescape"),  # a byte that is not UTF-8
    # fails its own line (batch_search), not the whole file
    help="Run the qid<TAB>query lines of FILE ('-': stdin); --format json (a JSON result per line, the "
    "default) or trec (a TREC run: qid Q0 docid rank score searcher).",
)  # fmt: skip
@search_options
@click.pass_obj
def search_command(
    index_dir: Path, query: tuple[str, ...], match: str, expand: bool, batch: TextIO | None,
    output_format: str | None, count_only: bool, as_json: bool, colour: str, **shared: object,
) -> None:  # fmt: skip
    """Search the index; the best matching articles come first.

    \b
    Query syntax: words (any of them), "a phrase", title:word, topic:energy,
    site:example.com, path:FOLDER, elect* (prefix), putn~ (fuzzy),
    -word or NOT word (exclude), AND, OR, ( ). "--" ends the options.
    Quote a query that holds quotes or parentheses, so the shell passes them on.
    The first search with no index builds one from ./seeds.

    \b
    Filters: --after/--before take YYYY, YYYY-MM or YYYY-MM-DD and include the
    whole period named; articles without a date are left out (and counted).
    In the query: date:2019, date:[2016 to 2017], topic:energy, site:, path:.

    \b
    Example:
      searcher search S-400 Turkey
      searcher search '"air defense" -Idlib' --json | jq '.hits[].title'
      searcher search Idlib --topic conflict --sort newest --timeline
      searcher search Putin path:seeds --format tsv
      searcher search Erdogan --format paths | xargs wc -w
      printf '1\\tS-400\\n2\\tIdlib\\n' | searcher search --batch - --format trec
    """
    from searcher.search import search

    _ensure_index(index_dir)
    if batch is not None:
        _run_batch(index_dir, batch, _batch_format(output_format, as_json, count_only),
                   _search_settings(match=match, expand=expand, snippets=False, **shared))  # fmt: skip
        return
    if output_format == "trec":
        raise click.UsageError("--format trec writes a run of many queries: give them with --batch FILE")
    fmt = _output_format(as_json, output_format, count_only)
    if not query:
        raise click.UsageError("give a QUERY, or --batch FILE")
    text = query_words(query)
    settings = _search_settings(
        match=match, expand=expand, copy_ids=output.COPY_IDS_SHOWN if fmt == "human" else None,
        snippets=fmt in ("human", "json", "jsonl"), **shared,
    )  # fmt: skip
    if _verbose():
        _describe_search(text, settings)
    result = search(index_dir, text, settings)
    _print_result(result, fmt, colour)


def _batch_format(chosen: str | None, as_json: bool, count_only: bool) -> str:
    if count_only or (chosen is not None and chosen not in BATCH_FORMATS):
        given = "--count" if count_only else f"--format {chosen}"
        raise click.UsageError(f"{given} is for one query; with --batch use --format json or trec")
    return "trec" if chosen == "trec" else "json"


def _describe_search(text: str, settings: SearchOptions) -> None:
    """-v: how the query was read, and the options that narrow and order it."""
    from searcher.search.query import describe_query

    _warn(f"searched: {describe_query(text, settings.match)}")
    narrowed = []
    if settings.topics:
        narrowed.append("topics " + " or ".join(settings.topics))
    if settings.date_filtered:
        narrowed.append(f"dated {settings.after or 'any time'} to {settings.before or 'any time'}")
    narrowed.append(f"sorted by {settings.sort}, page {settings.page}, {settings.limit} per page")
    narrowed += [name for name, on in (("copies folded", settings.collapse), ("expanded (RM3)", settings.expand)) if on]
    _warn("options: " + "; ".join(narrowed))


def _run_batch(index_dir: Path, lines: TextIO, batch_format: str, options: SearchOptions) -> None:
    from searcher.search import batch_search

    failed = False
    for qid, outcome in batch_search(index_dir, lines, options):
        if isinstance(outcome, SearcherError):
            _warn(f"query {qid}: {outcome}")
            failed = True
        elif batch_format == "trec":
            if outcome.hits:  # a query with no hits has no lines (not an empty one)
                click.echo(output.trec_lines(qid, outcome))
        else:
            click.echo(output.search_json(outcome, qid=qid))
    if failed:
        sys.exit(2)


@cli.command("similar")
@click.argument("doc_id", shell_complete=_complete_ids)
@search_options
@click.pass_obj
def similar_command(
    index_dir: Path, doc_id: str, output_format: str | None, count_only: bool, as_json: bool, colour: str,
    **shared: object,
) -> None:  # fmt: skip
    """Articles most like one article (by its key terms), best first.

    DOC_ID is an id or path as the search results print it, or the start of an id or file name, or
    the end of an id (sport/257.txt), if unique.

    \b
    Example:
      searcher similar 004
      searcher similar seeds/001_404ae92723a5d202.txt --topic defence --json
    """
    from searcher.search import similar

    if output_format == "trec":
        raise click.UsageError("--format trec is for search --batch")
    fmt = _output_format(as_json, output_format, count_only)
    settings = _search_settings(copy_ids=output.COPY_IDS_SHOWN if fmt == "human" else None, **shared)
    _print_result(similar(index_dir, doc_id, settings), fmt, colour)


@cli.command("stats")
@json_option
@click.pass_obj
def stats_command(index_dir: Path, as_json: bool) -> None:
    """Show the index's size, paths, build settings, and documents per topic and per year.

    \b
    Example:
      searcher stats
      searcher stats --json | jq .documents
    """
    from searcher.search import index_stats

    stats = index_stats(index_dir)
    click.echo(output.stats_json(stats) if as_json else output.stats_text(stats))


@cli.command("check")
@json_option
@click.pass_obj
def check_command(index_dir: Path, as_json: bool) -> None:
    """Verify every file of the index against the checksum recorded when it was written.

    Searches read again the files changed since they were last verified; this reads every byte of
    every file (damage a disk did without a write too) and names each damaged file. Exit code 1
    when any is damaged, with the fix.

    \b
    Example:
      searcher check
      searcher check --json
    """
    from searcher.errors import IndexCorruptError
    from searcher.search import check_index

    report = check_index(index_dir)
    if as_json:
        click.echo(output.check_json(report))
    else:
        for damaged in report.damaged:
            _warn(f"damaged: {damaged.name} ({damaged.kind}): {damaged.problem}")
        if report.note:
            _warn(f"note: {report.note}")
        if not report.damaged:
            click.echo(output.check_text(report))
    if report.damaged:
        raise IndexCorruptError(
            f"index at {index_dir} is damaged ({len(report.damaged)} of {report.files} files); "
            "rebuild it with: searcher index --rebuild"
        )


@cli.command("topics")
@click.option("--examples", is_flag=True, help="List the example taxonomies installed with searcher instead.")
@json_option
@click.pass_obj
def topics_command(index_dir: Path, examples: bool, as_json: bool) -> None:
    """List every topic of the index's taxonomy with its description and article count.

    \b
    Example:
      searcher topics
      searcher search --topic energy gas
      searcher topics --examples
    """
    if examples:
        from searcher.enrich.topics import example_taxonomies

        found = example_taxonomies()
        click.echo(output.examples_json(found) if as_json else output.examples_text(found))
        return
    from searcher.search import topic_counts

    counts = topic_counts(index_dir)
    click.echo(output.topics_json(counts) if as_json else output.topics_text(counts))


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

    style, failed, skipped = _styler(colour), False, []
    for item in articles_from(list(paths), taxonomy, skipped):
        if isinstance(item, Failure):
            _warn(f"failed: {output.display_path(item.path)}: {item.reason}")
            failed = True
        else:
            click.echo(output.article_json(item) if as_json else output.article_text(item, style) + "\n", color=True)
    _report_skipped(skipped)
    if failed:
        sys.exit(1)


def _report_skipped(skipped: list[tuple[str, str, str]]) -> None:
    """Files and records passed over: counted by kind, and each named with -v."""
    if not skipped:
        return
    if _verbose():
        _name_each_skipped(skipped)
    _warn(output.skipped_summary(skipped))


def _name_each_skipped(skipped: list[tuple[str, str, str]]) -> None:
    for path, reason, kind in skipped:
        _warn(f"skipped: {output.display_path(path)}: {reason} ({kind})")


def _verbose() -> bool:
    context = click.get_current_context(silent=True)
    return bool(context and context.find_root().meta.get("searcher.verbose"))


@cli.command("show")
@click.argument("doc_id", shell_complete=_complete_ids)
@json_option
@colour_option
@click.option("--no-pager", is_flag=True, help="Print straight to the terminal (a pager is used on a terminal).")
@click.pass_obj
def show_command(index_dir: Path, doc_id: str, as_json: bool, colour: str, no_pager: bool) -> None:
    """Show one indexed article in full: title, date, topics, path, body, and what was dropped.

    DOC_ID is an id or path as the search results print it, or the start of an id or file name, or
    the end of an id (sport/257.txt), if unique. On a terminal the article is wrapped to its width
    and shown through a pager ($PAGER, else less), as git does.

    \b
    Example:
      searcher show seeds/002_ebd0e1da6b7cb76d.txt
      searcher show 002
    """
    from searcher.search import get_article

    article = get_article(index_dir, doc_id)
    if as_json:
        click.echo(output.article_json(article))
        return
    text = output.article_text(article, _styler(colour), width=_terminal_width())
    if _terminal_width() is not None and not no_pager:
        click.echo_via_pager(text, color=output.use_colour(_colour_choice(colour), True))
    else:
        click.echo(text, color=True)


def main() -> None:
    """The `searcher` console script. When the command is done, every object is frozen out of the
    garbage collector: the OS frees the memory, and Python's final collections over what Whoosh
    loaded took 18 ms of a 150 ms search command (tests/bench/query.py measures the command)."""
    try:
        cli(prog_name="searcher")
    finally:
        gc.freeze()
