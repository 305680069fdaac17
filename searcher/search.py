"""Stage 4, search: ranked BM25F queries over an index, with highlighted snippets.

Never imports beautifulsoup4 or the cleaner: a query loads only Whoosh and the analyzer.
"""

from __future__ import annotations

import atexit
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path

from whoosh import query as wq
from whoosh import sorting
from whoosh.qparser import AndGroup, FieldAliasPlugin, FuzzyTermPlugin, MultifieldParser, OrGroup
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from searcher import store
from searcher.analysis import find_terms
from searcher.docsets import count_matches
from searcher.errors import DocumentNotFoundError, IndexCorruptError, QueryError, SearcherError
from searcher.models import (
    Article,
    ArticleDate,
    DroppedBlock,
    Hit,
    IndexStats,
    SearchOptions,
    SearchResult,
    TopicCount,
)

SEARCH_FIELDS = ["title", "body"]
# Characters of body text in a snippet, and how far back it may reach for the start of a sentence.
SNIPPET_CHARS = 200
SENTENCE_REACH = 60
# A timeline spanning fewer years than this is drawn per month, so a short story still has a shape.
TIMELINE_MONTHS_UNDER_YEARS = 3
# Longest query accepted; longer ones are pasted documents, not queries.
MAX_QUERY_CHARS = 2000
# "-word" or -"a phrase" excludes articles; a "-" inside a word ("S-400") does not.
EXCLUDED_WORD = re.compile(r'(?:^|(?<=\s))-("[^"]+"|[^\s"()\-][^\s"()]*)')


def parse_query(text: str, match: str = "any") -> wq.Query:
    """The Whoosh query for a user's query string; raises QueryError when nothing is searchable."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}")
    # Whoosh's OrGroup.factory coordination scores 0 when a word matches in one field only (its SQR
    # formula multiplies by (n-1)/n), so plain OR is used: BM25F already sums the words' scores.
    group = AndGroup if match == "all" else OrGroup
    excluded = [m.group(1) for m in EXCLUDED_WORD.finditer(text)]
    parsed = _parse(_parser(group), EXCLUDED_WORD.sub(" ", text))
    if excluded and not _is_null(parsed):
        parsed = wq.AndNot(parsed, _parse(_parser(OrGroup), " ".join(excluded)))
    if _is_null(parsed):
        raise QueryError("the query has no words to search for (only stopwords or operators)")
    return parsed


def _parser(group: type) -> MultifieldParser:
    parser = MultifieldParser(SEARCH_FIELDS, store.build_schema(), group=group)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(FieldAliasPlugin({"topics": ["topic"]}))
    return parser


def _is_null(parsed: wq.Query) -> bool:
    return parsed is wq.NullQuery or isinstance(parsed, type(wq.NullQuery))


def _parse(parser: MultifieldParser, text: str) -> wq.Query:
    try:
        return parser.parse(text)
    except Exception as error:  # Whoosh's parser raises assorted errors on odd syntax
        raise QueryError(f"cannot understand the query ({error})") from error


@contextmanager
def damage_reported(index_root: Path) -> Iterator[None]:
    """Turns whatever a damaged index makes Whoosh raise (a truncated or missing segment file gives
    OSError, EOFError, struct or unpickling errors, and others) into one error that names the fix."""
    try:
        yield
    except SearcherError:
        raise
    except Exception as error:
        close_searchers()
        raise IndexCorruptError(
            f"index at {index_root} is damaged ({type(error).__name__}: {error}); "
            "rebuild it with: searcher index --rebuild"
        ) from error


def search(index_root: Path, text: str, options: SearchOptions | None = None) -> SearchResult:
    """The best articles for a query, filtered and ordered as asked, with the total that match."""
    parsed = parse_query(text, (options or SearchOptions()).match)
    with damage_reported(index_root):
        return _search(index_root, text, parsed, options or SearchOptions())


def _search(index_root: Path, text: str, parsed: wq.Query, options: SearchOptions) -> SearchResult:
    searcher = open_searcher(index_root)
    grouped = _facets(options)
    restriction = _filter(options)
    results = searcher.search(
        parsed, limit=options.limit, filter=restriction, sortedby=_sorting(options.sort), groupedby=grouped or None
    )
    terms = _query_terms(parsed, searcher.reader())
    page = results[: options.limit]
    scores = _relevance(searcher, parsed, page) if options.sort != "relevance" else {h.docnum: h.score for h in page}
    hits = tuple(_hit(rank, hit, scores[hit.docnum], terms) for rank, hit in enumerate(page, start=1))
    undated = count_matches(searcher, parsed, _filter(options, undated=True)) if options.date_filtered else 0
    years = _buckets(results, "years", 1000, 9999) if grouped else {}
    return SearchResult(
        query=text,
        total=count_matches(searcher, parsed, restriction),
        hits=hits,
        undated_excluded=undated,
        facets={"topics": _topic_counts(results), "years": years} if options.facets else None,
        timeline=_timeline(results, years) if options.timeline else None,
    )


# One open searcher per process, kept while its index generation is current: opening a Whoosh
# index reads every segment's files, which costs more than a typical query.
_open_searchers: dict[str, Searcher] = {}


def open_searcher(index_root: Path) -> Searcher:
    """A searcher on the index's active generation, reused while it is up to date."""
    location = store.locate(index_root)
    key = str(location.generation.resolve())
    cached = _open_searchers.get(key)
    if cached is not None and cached.up_to_date():
        return cached
    # Reopened rather than Searcher.refresh(): after an optimize, refresh() kept the old segments'
    # readers beside the merged one, and every document was counted twice.
    close_searchers()
    searcher = store.open_whoosh(location).searcher(weighting=BM25F())
    _open_searchers[key] = searcher
    return searcher


@atexit.register
def close_searchers() -> None:
    """Closes the cached searcher (another index is opened, or the process ends)."""
    for searcher in _open_searchers.values():
        searcher.close()
    _open_searchers.clear()


def _relevance(searcher, parsed: wq.Query, page) -> dict[int, float]:  # noqa: ANN001 - whoosh objects
    """BM25F scores of a date-sorted page of hits (Whoosh does not score when it sorts)."""
    docnums = {hit.docnum for hit in page}
    scored = searcher.search(parsed, filter=docnums, limit=max(len(docnums), 1))
    return {docnum: 0.0 for docnum in docnums} | {hit.docnum: hit.score for hit in scored}


def _filter(options: SearchOptions, undated: bool = False) -> wq.Query | None:
    """Topic and date restrictions; with undated=True, the articles a date filter leaves out for lack of a date."""
    parts: list[wq.Query] = []
    if options.topics:
        parts.append(wq.Or([wq.Term("topics", topic.strip().lower()) for topic in options.topics]))
    if undated:
        parts.append(wq.NumericRange("dated", 0, 0))
    elif options.date_filtered:
        start = datetime.combine(options.after, time.min) if options.after else None
        end = datetime.combine(options.before, time.min) if options.before else None
        parts.append(wq.DateRange("date", start, end))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


def _sorting(order: str) -> sorting.MultiFacet | None:
    """Date order with undated articles last either way; None keeps relevance order."""
    if order == "relevance":
        return None
    newest_first = order == "newest"
    return sorting.MultiFacet(
        [sorting.FieldFacet("dated", reverse=True), sorting.FieldFacet("date", reverse=newest_first)]
    )


def _facets(options: SearchOptions) -> dict[str, sorting.FieldFacet]:
    grouped = {}
    if options.facets:
        grouped["topics"] = sorting.FieldFacet("topics", allow_overlap=True, maptype=sorting.Count)
    if options.facets or options.timeline:
        grouped["years"] = sorting.FieldFacet("year", maptype=sorting.Count)
    if options.timeline:
        grouped["months"] = sorting.FieldFacet("month", maptype=sorting.Count)
    return grouped


def _topic_counts(results) -> dict[str, int]:  # noqa: ANN001 - whoosh Results
    counts = {name: count for name, count in results.groups("topics").items() if name}  # None: no topics
    return {str(name): count for name, count in sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))}


def _buckets(results, name: str, low: int, high: int) -> dict[int, int]:  # noqa: ANN001 - whoosh Results
    """A numeric facet's counts, without the placeholder Whoosh reports for articles lacking the field."""
    return {int(key): count for key, count in sorted(results.groups(name).items()) if low <= int(key) <= high}


def _timeline(results, years: dict[int, int]) -> dict[str, int]:  # noqa: ANN001 - whoosh Results
    """Matches per year, or per month when they span only a few years; empty periods included.

    Articles dated only to a year are counted in yearly timelines only.
    """
    if not years:
        return {}
    first, last = min(years), max(years)
    months = _buckets(results, "months", 100001, 999912) if last - first < TIMELINE_MONTHS_UNDER_YEARS else {}
    if not months:
        return {str(year): years.get(year, 0) for year in range(first, last + 1)}
    (year, month), end = divmod(min(months), 100), divmod(max(months), 100)
    timeline = {}
    while (year, month) <= end:
        timeline[f"{year}-{month:02d}"] = months.get(year * 100 + month, 0)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return timeline


def topic_counts(index_root: Path) -> list[TopicCount]:
    """Every topic of the taxonomy that built the index, and any others articles carry, with counts."""
    with damage_reported(index_root):
        return _topic_counts_of(index_root)


def _topic_counts_of(index_root: Path) -> list[TopicCount]:
    location = store.locate(index_root)
    ix = store.open_whoosh(location)
    described = store.taxonomy_descriptions(location)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        present = {term.decode("utf-8") for term in reader.lexicon("topics")}
        names = list(described) + sorted(present - set(described))
        return [TopicCount(name, described.get(name, ""), reader.doc_frequency("topics", name)) for name in names]


def _query_terms(parsed: wq.Query, reader) -> set[str]:  # noqa: ANN001 - whoosh reader
    """The indexed terms the query matches (wildcards and fuzzy terms expanded), for highlighting."""
    terms: set[tuple[str, bytes | str]] = set()
    # Leaf by leaf: Query.existing_terms skips every field after the first (it reuses its
    # `fieldname` argument as a loop variable), so a multi-field query would lose the body's terms.
    for leaf in parsed.leaves():
        if leaf.field() in SEARCH_FIELDS:
            terms |= leaf.existing_terms(reader, phrases=True, expand=True)
    return {value.decode("utf-8") if isinstance(value, bytes) else str(value) for _, value in terms}


def _hit(rank: int, hit, score: float, terms: set[str]) -> Hit:  # noqa: ANN001 - whoosh Hit
    fields = hit.fields()
    snippet, spans = make_snippet(fields.get("body", ""), terms)
    return Hit(
        rank=rank,
        id=fields["id"],
        path=fields["path"],
        title=fields.get("display_title", ""),
        date=stored_date(fields),
        topics=_topics(fields),
        score=round(float(score), 4),
        snippet=snippet,
        highlights=spans,
    )


def _topics(fields: dict) -> tuple[str, ...]:
    return tuple(t for t in fields.get("topics", "").split(",") if t)


def stored_date(fields: dict) -> ArticleDate | None:
    """The ArticleDate kept in a document's stored fields."""
    value = fields.get("date")
    if value is None:
        return None
    return ArticleDate(
        date(value.year, value.month, value.day),
        fields.get("date_precision") or "day",
        fields.get("date_source") or "text",
    )


def make_snippet(body: str, terms: set[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About SNIPPET_CHARS of body around the densest cluster of matched terms, and their spans in it."""
    matches = find_terms(body, terms) if terms else []
    if not matches:
        return _cut(body, 0, [])
    best = max(range(len(matches)), key=lambda i: _window_score(body, matches, i))
    start = _snippet_start(body, matches[best][0])
    return _cut(body, start, matches)


def _window_score(body: str, matches: list[tuple[int, int]], first: int) -> tuple[int, int]:
    """Distinct matched words in the window starting at match `first`, then matches in it."""
    end = matches[first][0] + SNIPPET_CHARS
    inside = [m for m in matches[first:] if m[1] <= end]
    return len({body[s:e].lower() for s, e in inside}), len(inside)


def _snippet_start(body: str, match_start: int) -> int:
    """Starts at the sentence's start when it is close, else at a word boundary a little before."""
    floor = max(0, match_start - SENTENCE_REACH)
    sentence = max(body.rfind(". ", floor, match_start), body.rfind("\n", floor, match_start))
    if sentence >= 0:
        return sentence + 1
    if floor == 0:
        return 0
    space = body.find(" ", max(0, match_start - SENTENCE_REACH // 2), match_start)
    return space + 1 if space >= 0 else match_start


def _cut(body: str, start: int, matches: list[tuple[int, int]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    while start < len(body) and body[start].isspace():
        start += 1
    end = min(len(body), start + SNIPPET_CHARS)
    if end < len(body):
        space = body.rfind(" ", start, end)
        end = space if space > start else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(body) else ""
    text = prefix + body[start:end].replace("\n", " ") + suffix
    spans = tuple((s - start + len(prefix), e - start + len(prefix)) for s, e in matches if s >= start and e <= end)
    return text, spans


def get_article(index_root: Path, doc_id: str) -> Article:
    """The stored article with this id, or with a unique id or file name starting with it."""
    with damage_reported(index_root):
        return _get_article(index_root, doc_id)


def _get_article(index_root: Path, doc_id: str) -> Article:
    ix = store.open_whoosh(store.locate(index_root))
    with ix.searcher() as searcher:
        fields = searcher.document(id=doc_id)
        if fields is None:
            candidates = [
                i for i in _all_ids(searcher) if i.startswith(doc_id) or i.rsplit("/", 1)[-1].startswith(doc_id)
            ]
            if len(candidates) != 1:
                raise DocumentNotFoundError(_not_found(doc_id, candidates))
            fields = searcher.document(id=candidates[0])
        return stored_article(fields)


def _all_ids(searcher) -> list[str]:  # noqa: ANN001 - whoosh searcher
    return [term.decode("utf-8") for term in searcher.reader().lexicon("id")]


def _not_found(doc_id: str, candidates: list[str]) -> str:
    if not candidates:
        return f"no article with id {doc_id!r}; ids are shown by: searcher search --json QUERY"
    listed = ", ".join(candidates[:5]) + (", ..." if len(candidates) > 5 else "")
    return f"{doc_id!r} matches {len(candidates)} articles ({listed}); give more of the id"


def stored_article(fields: dict) -> Article:
    """An Article rebuilt from a document's stored fields."""
    dropped = tuple(DroppedBlock(text, reason) for text, reason in json.loads(fields.get("dropped") or "[]"))
    return Article(
        id=fields["id"],
        path=fields["path"],
        title=fields.get("display_title", ""),
        title_is_headline=bool(fields.get("title_is_headline")),
        body=fields.get("body", ""),
        date=stored_date(fields),
        topics=_topics(fields),
        url=fields.get("url"),
        dropped=dropped,
        content_hash=fields.get("content_hash", ""),
        size=fields.get("size", 0),
        mtime=fields.get("mtime", 0.0),
        source_key=fields.get("source_key", ""),
    )


def index_stats(index_root: Path) -> IndexStats:
    """Size, provenance, settings and contents of the index at index_root."""
    with damage_reported(index_root):
        return _index_stats(index_root)


def _index_stats(index_root: Path) -> IndexStats:
    location = store.locate(index_root)
    manifest = store.check_compatible(location)
    searcher = open_searcher(index_root)
    reader = searcher.reader()
    topics = {term.decode("utf-8"): reader.doc_frequency("topics", term) for term in reader.lexicon("topics")}
    results = searcher.search(
        wq.Every(), limit=1, groupedby={"years": sorting.FieldFacet("year", maptype=sorting.Count)}
    )
    taxonomy = manifest.get("taxonomy", {})
    settings = {
        "schema": manifest.get("schema_version"),
        "analyzer": manifest.get("analyzer_version"),
        "searcher": manifest.get("searcher_version"),
        "taxonomy": taxonomy.get("path", "built-in") if taxonomy.get("custom") else "built-in",
        "taxonomy_fingerprint": taxonomy.get("fingerprint"),
    }
    return IndexStats(
        location=str(location.generation),
        documents=reader.doc_count(),
        disk_bytes=sum(p.stat().st_size for p in location.generation.iterdir() if p.is_file()),
        segments=len(reader.leaf_readers()),
        roots=tuple(manifest.get("roots", [])),
        created=manifest.get("created"),
        updated=manifest.get("updated"),
        settings=settings,
        topics=dict(sorted(topics.items(), key=lambda item: (-item[1], item[0]))),
        years=_buckets(results, "years", 1000, 9999),
        undated=count_matches(searcher, wq.NumericRange("dated", 0, 0)),
    )
