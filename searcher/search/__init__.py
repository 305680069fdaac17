"""Stage 4, search: a user's query parsed once (query.py), asked of the index's engine, and the
engine's matches shaped into results (results.py): snippets, timeline, did-you-mean.

Engine-neutral: nothing here knows which engine holds the index. Never imports beautifulsoup4 or
the cleaner.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from searcher.engine import Engine, SearchQuery, open_engine
from searcher.engine.query import Word, leaves
from searcher.errors import DocumentNotFoundError, QueryError, SearcherError, UnknownTopicError
from searcher.models import Article, IndexCheck, IndexStats, SearchOptions, SearchResult, TopicCount
from searcher.search.query import QUERY_SYNTAX, parse_query
from searcher.search.results import search_result

__all__ = ["batch_search", "check_index", "get_article", "index_stats", "search", "similar", "topic_counts"]

# "Did you mean" is offered when fewer articles than this match.
SUGGEST_BELOW = 3


def search(index_root: Path, text: str, options: SearchOptions | None = None) -> SearchResult:
    """The best articles for a query, filtered and ordered as asked, with the total that match."""
    options = options or SearchOptions()
    query = parse_query(text, options.match)
    engine = open_engine(index_root)
    check_topics(engine, [*options.topics, *filter_topics(query)])
    found = engine.search(query, options)
    wants_suggestion = found.total < SUGGEST_BELOW and options.snippets and not QUERY_SYNTAX.search(text)
    return search_result(text, found, options, engine.suggest(text) if wants_suggestion else None)


def similar(index_root: Path, doc_id: str, options: SearchOptions | None = None) -> SearchResult:
    """Articles most like the one with this id (or unique id start), by its key terms."""
    options = options or SearchOptions()
    article = get_article(index_root, doc_id)
    check_topics(open_engine(index_root), options.topics)
    found = open_engine(index_root).similar(article, options)
    if found is None:  # no word of it is telling enough to look for
        return SearchResult(query=f"similar:{article.id}", total=0, hits=())
    return search_result(f"similar:{article.id}", found, options)


def check_topics(engine: Engine, names: Iterable[str]) -> None:
    """Refuses a topic filter naming no topic of the index (it would quietly match nothing)."""
    asked = [name.strip().lower() for name in names if name.strip()]
    if not asked:
        return
    known = [topic.name for topic in engine.topic_counts()]
    unknown = [name for name in asked if name not in known]
    if unknown:
        listed = ", ".join(known) if known else "none"
        raise UnknownTopicError(f"no topic {unknown[0]!r} in this index; its topics are: {listed}")


def filter_topics(query: SearchQuery) -> list[str]:
    """The topics a query's own filters name (`topic:energy`)."""
    return [
        leaf.text
        for clause in query.filters
        for leaf in leaves(clause)
        if isinstance(leaf, Word) and leaf.field == "topics"
    ]


def get_article(index_root: Path, doc_id: str) -> Article:
    """The stored article with this id, or with this path (as search results print it), or with a
    unique id, file name or end of an id (sport/257.txt) starting or ending so."""
    engine = open_engine(index_root)
    found = engine.article(doc_id)
    if found is not None:
        return found
    candidates = engine.ids_for_path(str(Path(doc_id).expanduser().resolve())) or [
        i for i in engine.ids() if _names(i, doc_id)
    ]
    if len(candidates) != 1:
        raise DocumentNotFoundError(_not_found(doc_id, candidates))
    return engine.article(candidates[0])


def _names(doc_id: str, given: str) -> bool:
    """Whether a user's `given` names this id: its start, its file name's start, or its end (whole names)."""
    given = given.removeprefix("./")
    return doc_id.startswith(given) or doc_id.rsplit("/", 1)[-1].startswith(given) or doc_id.endswith("/" + given)


def _not_found(doc_id: str, candidates: list[str]) -> str:
    if not candidates:
        return f"no article with id {doc_id!r}, nor with that path; searcher search --format ids QUERY lists ids"
    listed = ", ".join(candidates[:5]) + (", ..." if len(candidates) > 5 else "")
    return f"{doc_id!r} matches {len(candidates)} articles ({listed}); give more of the id or path"


def index_stats(index_root: Path) -> IndexStats:
    """Size, provenance, settings and contents of the index at index_root."""
    return open_engine(index_root).stats()


def check_index(index_root: Path) -> IndexCheck:
    """Every file of the index verified against the checksum recorded when it was committed."""
    return open_engine(index_root).check()


def topic_counts(index_root: Path) -> list[TopicCount]:
    """Every topic of the taxonomy that built the index, and any others articles carry, with counts."""
    return open_engine(index_root).topic_counts()


# Bytes of a batch file that are not UTF-8, as Python decodes them with errors="surrogateescape".
UNDECODED = re.compile("[\udc80-\udcff]")


def _bad_batch_line(line: str, qid: str, tab: str) -> str | None:
    """Why a batch line cannot be run, or None."""
    if UNDECODED.search(line):
        return "not UTF-8"
    if not tab:
        return "expected qid<TAB>query"
    if not qid.strip():
        return "empty query id"
    return None


def batch_search(
    index_root: Path, lines: Iterable[str], options: SearchOptions
) -> Iterator[tuple[str, SearchResult | SearcherError]]:
    """Runs `qid<TAB>query` lines in order; a query that fails gives its error, and the rest go on."""
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        qid, tab, text = line.rstrip("\n").partition("\t")
        problem = _bad_batch_line(line, qid, tab)
        if problem:
            yield str(number), QueryError(f"line {number}: {problem}")
            continue
        try:
            yield qid.strip(), search(index_root, text, options)
        except QueryError as error:
            yield qid.strip(), error
