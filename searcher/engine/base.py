"""The seam between searcher and a search engine: what the index and search stages ask of one.

The index stage writes generations (a complete index, switched to atomically when rebuilt) through
`Engine` and `Generation`; the search stage asks `Engine` for ranked matches, counts, facets, stored
articles, suggestions and similar articles. Everything crossing the seam is searcher's own records
(models.py, the query tree of query.py, the NamedTuples below): no engine type leaks past it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import NamedTuple, Protocol

from searcher.engine.query import SearchQuery
from searcher.models import Article, ArticleDate, IndexCheck, IndexStats, SearchOptions, SourceDocument, TopicCount

# Turns a source document into the article to index (cleaning and enrichment); raises SearcherError
# when it cannot. Handed to the engine's writers, which may call it in worker processes.
Prepare = Callable[[SourceDocument], Article]
# Called with (document id, path, reason) when a document cannot be prepared.
FailureCallback = Callable[[str, str, str], None]


class Match(NamedTuple):
    """One matching article as an engine returns it: what a result shows, and its body for the snippet."""

    id: str
    path: str
    title: str
    date: ArticleDate | None
    topics: tuple[str, ...]
    body: str
    score: float
    copies: int = 0  # near-identical copies folded into this match
    duplicates: tuple[str, ...] = ()  # ids of (the first few of) those copies
    url: str | None = None  # where the article was published, when its source says


class Matches(NamedTuple):
    """An engine's answer to a ranked query: the asked page of matches and counts over all of them."""

    total: int
    matches: tuple[Match, ...]
    undated_excluded: int = 0  # matches the date filter left out for lack of a date
    terms: frozenset[str] = frozenset()  # indexed terms the query matched, for highlighting
    topic_counts: dict[str, int] | None = None  # with facets: matches per topic, most first
    year_counts: dict[int, int] | None = None  # with facets or a timeline: matches per year
    month_counts: dict[int, int] | None = None  # with a timeline: matches per yyyymm
    notices: tuple[str, ...] = ()  # how the query was bounded (a wildcard's terms capped, say)
    undated_matches: int = 0  # with a timeline: matches without a date
    expansion: tuple[str, ...] = ()  # with expansion: the terms (stems) added to the query


class DocumentWriter(Protocol):
    """Adds and deletes documents in one generation; nothing is visible until commit."""

    def add(self, document: SourceDocument) -> None: ...
    def delete(self, doc_id: str) -> int: ...
    def prepared(self) -> int | None: ...  # documents prepared and indexed so far (None: as they are added)
    def commit(self, optimize: bool = False) -> None: ...
    def cancel(self) -> None: ...


class Generation(Protocol):
    """One complete index of an engine: the active one being updated, or a new one being built."""

    def manifest(self) -> dict: ...
    def compatible_manifest(self) -> dict: ...
    def write_manifest(self, manifest: dict) -> None: ...
    def keep_taxonomy(self, source: Path) -> None: ...
    def taxonomy_copy(self) -> Path: ...
    def load_state(self) -> dict: ...
    def save_state(self, state: dict) -> None: ...
    def writer(self, prepare: Prepare, on_failure: FailureCallback, procs: int) -> DocumentWriter: ...
    def activate(self) -> None: ...
    def discard(self) -> None: ...


class Engine(Protocol):
    """An index and what can be asked of it."""

    # Lifecycle, for the index stage.
    def exists(self) -> bool: ...
    def looks_foreign(self) -> bool: ...
    def writer_lock(self, timeout: float, on_wait: Callable[[str], None] | None) -> AbstractContextManager: ...
    def active(self) -> Generation | None: ...
    def new_generation(self) -> Generation: ...
    def remove_stale_generations(self, keep: Generation | None) -> None: ...

    # Reading, for the search stage.
    def search(self, query: SearchQuery, options: SearchOptions) -> Matches: ...
    def similar(self, article: Article, options: SearchOptions) -> Matches | None: ...  # None: nothing telling
    def article(self, doc_id: str) -> Article | None: ...
    def ids(self) -> Iterator[str]: ...
    def ids_for_path(self, path: str) -> list[str]: ...  # the articles read from this file
    def suggest(self, text: str) -> str | None: ...
    def stats(self) -> IndexStats: ...
    def topic_counts(self) -> list[TopicCount]: ...
    def check(self) -> IndexCheck: ...  # every file verified: what is damaged, if anything


def manifest_settings(manifest: dict, schema: object) -> dict:
    """What `searcher stats` shows of the settings that built an index, from its manifest, the same
    for every engine (`schema`: the engine's own schema or mapping version)."""
    taxonomy = manifest.get("taxonomy", {})
    return {
        "schema": schema,
        "analyzer": manifest.get("analyzer_version"),
        "searcher": manifest.get("searcher_version"),
        "taxonomy": taxonomy.get("path", "built-in") if taxonomy.get("custom") else "built-in",
        "taxonomy_fingerprint": taxonomy.get("fingerprint"),
    }
