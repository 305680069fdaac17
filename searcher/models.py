"""The records passed between pipeline stages: immutable, so no stage edits another's output.

They are NamedTuples rather than frozen dataclasses because every command imports them: a frozen
dataclass compiles six methods when its module is imported, and the twelve records cost 6.5 ms, a
tenth of what `searcher search` adds to Python's and Whoosh's own start (NamedTuples: under 1 ms,
with annotations evaluated: as strings, typing compiles each one).
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple


class SourceDocument(NamedTuple):
    """One article as read from disk, before cleaning: a file or one record of a JSONL file."""

    id: str
    path: Path
    kind: str  # "text", "html" or "record"
    content: str  # plain text or HTML
    title: str | None = None  # given by a JSONL record
    date: str | None = None  # given by a JSONL record, ISO 8601
    topics: tuple[str, ...] | None = None  # given by a JSONL record
    url: str | None = None
    content_hash: str = ""
    size: int = 0
    mtime: float = 0.0
    archived: str | None = None  # when a web archive saved the page (WARC-Date), ISO 8601


class DroppedBlock(NamedTuple):
    """A block the cleaner removed, with the rule that removed it."""

    text: str
    reason: str


class NoStory(NamedTuple):
    """Why a page holds no story: what kind of page it is, and what on it says so."""

    kind: str  # "listing", "product page", "search results", "login wall" or "furniture only"
    evidence: str  # "32 linked headlines, no paragraph of prose"


class CleanedDocument(NamedTuple):
    """What the cleaner keeps of a source document, and what it dropped."""

    source: SourceDocument
    title: str
    title_is_headline: bool  # False when the title is only the story's lead sentence
    paragraphs: tuple[str, ...]
    dropped: tuple[DroppedBlock, ...]
    # (date text, source) pairs, most trusted first: "metadata" from HTML, "dateline" from the text
    date_candidates: tuple[tuple[str, str], ...] = ()
    url: str | None = None
    site_name: str | None = None
    no_story: NoStory | None = None  # set when the page holds no story: its body is then empty

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def story_found(self) -> bool:
        return self.no_story is None


class ArticleDate(NamedTuple):
    """A publication date with how precisely it is known and where it came from."""

    value: date
    precision: str  # "day", "month" or "year"
    # "metadata", "dateline", "url", "path", "archive" (when a web archive saved the page) or
    # "inferred" (from the story's words; "text" in indexes built before searcher said "inferred")
    source: str

    def display(self) -> str:
        """The date to the precision it is known: 2019, 2019-04 or 2019-04-26."""
        text = self.value.isoformat()
        return {"year": text[:4], "month": text[:7]}.get(self.precision, text)


class Article(NamedTuple):
    """A cleaned, enriched article, ready to index or show."""

    id: str
    path: str
    title: str
    title_is_headline: bool
    body: str
    date: ArticleDate | None
    topics: tuple[str, ...]
    url: str | None = None
    dropped: tuple[DroppedBlock, ...] = ()
    content_hash: str = ""
    size: int = 0
    mtime: float = 0.0
    source_key: str = ""  # the file the article came from; several JSONL records share one
    no_story: NoStory | None = None  # from the cleaner: why the page holds no story (never indexed)

    @property
    def story_found(self) -> bool:
        return self.no_story is None


class Hit(NamedTuple):
    """One search result."""

    rank: int
    id: str
    path: str
    title: str
    date: ArticleDate | None
    topics: tuple[str, ...]
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()  # character spans of matched terms in the snippet
    duplicates: tuple[str, ...] = ()  # ids of near-identical copies, shown once under this hit (maybe the first few)
    copies: int = 0  # how many near-identical copies there are
    url: str | None = None  # where the article was published, when its source says


class SearchOptions(NamedTuple):
    """What narrows and orders a search, besides the query itself."""

    limit: int = 10
    match: str = "any"  # "any": more matched words rank higher; "all": every word required
    after: date | None = None  # inclusive: articles dated on or after this day
    before: date | None = None  # inclusive: articles dated on or before this day
    topics: tuple[str, ...] = ()  # any of them
    sort: str = "relevance"  # or "newest", "oldest"; undated articles always last
    facets: bool = False
    timeline: bool = False
    page: int = 1  # 1-based: page N shows hits (N-1)*limit+1 to N*limit
    snippets: bool = True  # batch runs need none
    expand: bool = False  # pseudo-relevance feedback (RM3)
    collapse: bool = True  # show near-identical copies of one story once
    copy_ids: int | None = None  # ids of a hit's copies to list (each costs a stored-document read); None: all
    # Seconds a query may run (None: no limit), as Lucene's timeAllowed and Elasticsearch's timeout:
    # a fuzzy term on an odd string took 37 s of CPU, which stalls every other user of the machine.
    time_limit: float | None = 10.0

    @property
    def date_filtered(self) -> bool:
        return self.after is not None or self.before is not None


class SearchResult(NamedTuple):
    """The hits for one query, best first, with counts over the whole matching set when asked."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    undated_excluded: int = 0  # matches left out by a date filter because they have no date
    facets: dict[str, dict] | None = None  # {"topics": {name: count}, "years": {year: count}}
    timeline: dict[str, int] | None = None  # "YYYY" or "YYYY-MM" -> matches, in order
    suggestion: str | None = None  # "did you mean": the query with misspelled words corrected
    page: int = 1
    notices: tuple[str, ...] = ()  # how the query was bounded (a wildcard's terms capped, say)
    timeline_undated: int = 0  # with a timeline: matches it cannot draw, having no date
    expansion: tuple[str, ...] = ()  # with --expand: the terms (stems) added to the query


class TopicCount(NamedTuple):
    """A topic with its description and how many indexed articles carry it."""

    name: str
    description: str
    count: int


@dataclass
class Progress:
    """How far an indexing run is, for a progress bar: bytes of files read, documents planned."""

    bytes_done: int = 0
    bytes_total: int = 0
    documents: int = 0
    phase: str = "reading"  # then "committing"
    prepared: int | None = None  # documents cleaned and indexed so far, when workers do it apart from reading


class IndexStats(NamedTuple):
    """What `searcher stats` shows: size, provenance and settings of an index, and its contents."""

    location: str
    documents: int
    disk_bytes: int
    segments: int
    roots: tuple[str, ...]
    created: str | None
    updated: str | None
    settings: dict[str, object]
    topics: dict[str, int]
    years: dict[int, int]
    undated: int


class DamagedFile(NamedTuple):
    """One damaged file of an index: its name, what it holds, what is wrong with it."""

    name: str
    kind: str
    problem: str


class IndexCheck(NamedTuple):
    """What `searcher check` found: every file of the index verified against its recorded checksum."""

    location: str
    files: int
    bytes: int
    damaged: tuple[DamagedFile, ...]
    note: str | None = None  # why the check could not be complete, when it could not


@dataclass
class IndexReport:
    """What an indexing run did, for the summary line."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    seconds: float = 0.0
    # Files and records passed over, not articles: (path, reason, kind), e.g. ("a.pdf", "not an article format", ".pdf")
    skipped: list[tuple[str, str, str]] = field(default_factory=list)
    # Files that failed on an earlier run and have not changed since: (path, reason); not failures again.
    failed_before: list[tuple[str, str]] = field(default_factory=list)
    forgotten: list[str] = field(default_factory=list)  # corpus paths dropped from the index
    roots: list[str] = field(default_factory=list)  # the corpus paths the index now holds
