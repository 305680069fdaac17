"""The Whoosh engine's reading side: ranked BM25F queries with exact counts, facets, copy folding,
stored articles, statistics and similar articles, for the search stage (engine/base.py's Engine).

Never imports beautifulsoup4 or the cleaner: a query loads only Whoosh and the analyzer.
"""

from __future__ import annotations

import atexit
import functools
import json
import math
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import NamedTuple, TypeVar
from weakref import WeakKeyDictionary

from whoosh import collectors, sorting
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
from whoosh.columns import NumericColumn
from whoosh.searching import Searcher

from searcher.analysis import news_analyzer
from searcher.engine import query as q
from searcher.engine.base import Match, Matches, manifest_settings
from searcher.engine.hierarchy import topics_under
from searcher.engine.whoosh import bm25f, bounds, ranking, store
from searcher.engine.whoosh.docsets import count_matches, docset
from searcher.engine.whoosh.spelling import suggest
from searcher.engine.whoosh.state import whoosh_generation
from searcher.engine.whoosh.translate import to_whoosh
from searcher.errors import IndexCorruptError, IndexEmptyError, QueryError, SearcherError
from searcher.models import Article, ArticleDate, DroppedBlock, IndexStats, SearchOptions, TopicCount

SEARCH_FIELDS = list(q.TEXT_FIELDS)
# Per-field BM25's term-frequency saturation (K1) and length normalisation (B), for fielded clauses,
# phrases and expanded terms, and as part of a plain word's score (bm25f.py, which holds them).
BM25_PARAMETERS = bm25f.PER_FIELD_PARAMETERS
WEIGHTING = ranking.NewsBM25F
T = TypeVar("T")


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


# A read that fails while a commit changes the index under it is made again, on the index as
# committed; a second failure is damage.
READ_ATTEMPTS = 2


def read_again_after_a_commit(read: Callable[..., T]) -> Callable[..., T]:
    """An update's commit deletes the segment files it merged away, and a search that had opened the
    index just before read them as missing: a healthy index was reported damaged (6 of 6 searches
    paused at the commit). Such a read is made again, as reads after a rebuild's switch already are."""

    @functools.wraps(read)
    def reading(index_root: Path, *args: object, **kwargs: object) -> T:
        for attempt in range(1, READ_ATTEMPTS + 1):
            before = _commit_of(index_root)
            try:
                return read(index_root, *args, **kwargs)
            except IndexCorruptError:
                if attempt == READ_ATTEMPTS or _commit_of(index_root) in (before, None):
                    raise
                close_searchers()
        raise AssertionError("unreachable")

    return reading


def _commit_of(index_root: Path) -> tuple[Path, int] | None:
    """The active generation and its Whoosh commit number; None when they cannot be told."""
    try:
        generation = store.locate(index_root).generation
    except SearcherError:
        return None
    return generation, whoosh_generation(generation)


@read_again_after_a_commit
def search(index_root: Path, request: q.SearchQuery, options: SearchOptions) -> Matches:
    """The best matches for a parsed query, filtered and ordered as asked, with the total that match."""
    with damage_reported(index_root), bounds.time_budget(options.time_limit, close_searchers), bm25f.one_search():
        searcher = open_searcher(index_root)
        _holds_articles(index_root, searcher)
        schema, reader, notices = searcher.schema, searcher.reader(), {}
        words = to_whoosh(request.words, schema)
        if _is_null(words):
            raise QueryError("the query has no words to search for (only stopwords or operators)")
        words = bounds.capped(words, reader, notices).normalize()
        # A filter whose value cannot be read (date:someday) restricts nothing, as Whoosh's parser had it.
        inline = tuple(f for f in (to_whoosh(clause, schema) for clause in request.filters) if not _is_null(f))
        excluded = None if request.excluded is None else to_whoosh(request.excluded, schema)
        widen, options = _with_subtopics(index_root, options)
        words, inline, excluded = widen(words), tuple(widen(f) for f in inline), excluded and widen(excluded)
        excluded = None if excluded is None else bounds.capped(excluded, reader, notices).normalize()
        allowed = _documents(searcher, _filter(options, inline=inline))
        plan = _ranking(searcher, words, excluded, request.stems, options, allowed)
        return run_ranked(searcher, plan, options, allowed, inline)._replace(notices=bounds.notices_of(notices))


def _holds_articles(index_root: Path, searcher: Searcher) -> None:
    """An index with no articles is empty, not damaged: say so, and what it was built from."""
    if searcher.doc_count_all():
        return
    roots = store.locate(index_root).manifest.get("roots") or []
    where = ", ".join(roots) if roots else "no paths"
    raise IndexEmptyError(
        f"the index at {index_root} holds no articles (built from {where}); add some with: searcher index PATH"
    )


def _is_null(query: wq.Query) -> bool:
    return query is wq.NullQuery or isinstance(query, type(wq.NullQuery))


class Ranking(NamedTuple):  # not a dataclass: see models.py
    """How a query's matches are found and ordered: `matching` decides what matches (less the
    documents in `excluded`, read once when the plan is made), `scoring` gives BM25F scores (with
    RM3's expansion terms), and the words in `stems` earn bonuses (ranking.py), weighted by
    `bonus_weight`."""

    matching: wq.Query
    scoring: wq.Query
    excluded: set[int] | None = None
    stems: tuple[str, ...] = ()
    bonus_weight: float = 1.0
    expansion: tuple[str, ...] = ()  # the stems RM3 added, for `searcher -v search --expand`

    def run(self, searcher: Searcher, **options: object):  # noqa: ANN201 - whoosh Results
        """Whoosh's search, made exact under negations: with a negation in the query (or a mask), the
        matcher replacement Whoosh does while collecting the top few hits drops high-scoring matches
        (in 2 of 3 queries with an exclusion, on Cranfield), so it is turned off for them. A top-level
        exclusion is a mask, which also keeps RM3's expansion terms from bringing excluded articles back.
        RM3's expanded query (scoring is not matching) is collected exactly too: with replacement,
        Whoosh dropped documents scoring above the tenth hit in 43 of 225 Cranfield queries."""
        fold = options.pop("collapse", None)
        allowed: set[int] | None = options.pop("filter", None)
        denied = self.excluded
        collector = searcher.collector(**options)
        if (
            denied is not None
            or _has_negation(self.scoring)
            or self.scoring is not self.matching
            or sum(1 for _ in self.scoring.leaves()) > bounds.REPLACE_MAX_TERMS  # see bounds.py
        ):
            _innermost(collector).replace = 0  # RM3's nested boosted query needs it exact too
        if fold is not None and FoldCopies.filters_itself(collector):
            collector, allowed, denied = FoldCopies(collector, fold, allowed, denied), None, None
        elif fold is not None:
            collector = FoldCopies(collector, fold)
        if allowed is not None or denied is not None:
            # Whoosh's FilterCollector reads an empty allowed set as no restriction at all.
            nothing = allowed is not None and not allowed
            collector = collectors.FilterCollector(collector, {-1} if nothing else allowed, denied)
        searcher.search_with_collector(self.scoring, collector)
        return collector.results()


class FoldCopies(collectors.CollapseCollector):
    """Whoosh's collapsing collector keeping the best article of each story key, scoring each match
    once: Whoosh's own scores every match twice (once to compare, once to collect), which cost a
    third of a search's time when folding copies. Over a plain top-N collector it also applies the
    allowed and denied document sets, before scoring, instead of a FilterCollector around it."""

    def __init__(
        self,
        child: collectors.Collector,
        keyfacet: sorting.Facet,
        allowed: set | None = None,
        denied: set | None = None,
    ) -> None:
        super().__init__(child, keyfacet)
        self.allowed, self.denied = allowed, denied

    @staticmethod
    def filters_itself(child: collectors.Collector) -> bool:
        """Whether folding over this collector takes the fast path, which also filters."""
        return type(child) is collectors.TopCollector

    def collect_matches(self) -> None:
        child = self.child
        if not self.filters_itself(child) or self.orderer or self.limit != 1:
            super().collect_matches()
            return
        best: dict[str, tuple[float, int]] = self.lists  # story key -> (sort key, docnum) of its best
        keyer, offset, kept, limit = self.keyer, child.offset, child.items, child.limit
        allowed, denied = self.allowed, self.denied
        for sub_docnum, score in self._scored(child, lambda: kept[0][0] if len(kept) >= limit else None):
            docnum = offset + sub_docnum
            if (allowed is not None and docnum not in allowed) or (denied is not None and docnum in denied):
                continue
            if len(kept) >= limit and score <= kept[0][0]:
                continue  # cannot enter the top hits, whatever its story: its key is not looked up
            key = keyer.key_to_name(keyer.key_for(child.matcher, sub_docnum))
            held = best.get(key) if key else None
            if held is not None and -score >= held[0]:
                self.collapsed_counts[key] += 1
                self.collapsed_total += 1
                continue
            if held is not None:
                child.remove(held[1])
            if key:
                best[key] = (-score, docnum)
            child._collect(docnum, score)  # noqa: SLF001 - the score computed above

    @staticmethod
    def _scored(child: collectors.Collector, floor: Callable[[], float | None]) -> Iterator[tuple[int, float]]:
        """The segment's matches with their scores. From a matcher of scores computed beforehand they
        are read without two method calls per match, and those scoring at most `floor()` (the least
        kept score, which only rises once the hits are full) are left out in C: stepping through
        every match was a tenth of a search of common words."""
        if isinstance(child.matcher, bm25f.ScoredIds) and child.final_fn is None:
            return child.matcher.scored(floor)
        return ((sub_docnum, child.matcher.score()) for sub_docnum in child.matches())  # it replaces its matcher


def _innermost(collector):  # noqa: ANN001, ANN202 - whoosh collectors wrap one another
    while hasattr(collector, "child"):
        collector = collector.child
    return collector


def _has_negation(query: wq.Query) -> bool:
    return isinstance(query, wq.Not | wq.AndNot) or any(_has_negation(sub) for sub in query.children())


def _ranking(
    searcher: Searcher,
    positive: wq.Query,
    negative: wq.Query | None,
    stems: tuple[str, ...],
    options: SearchOptions,
    allowed: set[int] | None,
) -> Ranking:
    """The query's Ranking, with RM3's expansion from a first search when asked."""
    excluded = _documents(searcher, negative)
    plain = Ranking(positive, positive, excluded, stems)
    if not options.expand:
        return plain
    first = _best(searcher, plain, plain.run(searcher, limit=_depth(plain, ranking.FEEDBACK_DOCS), filter=allowed))
    feedback = [(hit.get("body", ""), hit.score) for hit in first[: ranking.FEEDBACK_DOCS]]
    expansion = ranking.feedback_terms(feedback, _query_terms(positive, searcher.reader()))
    if expansion is None:
        return plain
    scoring = ranking.combine(positive, expansion)
    added = tuple(term.text for term in expansion.subqueries)
    return Ranking(wq.Or([positive, expansion]), scoring, excluded, stems, ranking.ORIGINAL_WEIGHT, added)


def _depth(plan: Ranking, wanted: int) -> int:
    """Matches to fetch: enough for the bonuses to reorder the first ones, when they apply."""
    return max(wanted, ranking.RERANK_DEPTH) if ranking.earns_bonuses(list(plan.stems)) else wanted


def _best(searcher: Searcher, plan: Ranking, hits) -> list:  # noqa: ANN001 - whoosh Results
    """Hits in one ranking whatever their number: the RERANK_DEPTH best by BM25F re-scored with
    the bonuses (each hit's score updated), then the rest in BM25F order. The bonuses only add, so
    a hit further down never outscores a re-scored one, and page N of any page size is a slice of
    this one list (re-scoring as many as were asked for made each page size rank differently)."""
    hits = list(iter(hits))  # list(results) would ask len(), which counts every match in Whoosh
    head, tail = hits[: ranking.RERANK_DEPTH], hits[ranking.RERANK_DEPTH :]
    extra = ranking.bonuses(searcher, [hit.docnum for hit in head], list(plan.stems))
    if not extra:
        return hits
    for hit in head:
        hit.score += plan.bonus_weight * extra[hit.docnum]
    return sorted(head, key=lambda hit: (-hit.score, hit.docnum)) + tail


def run_ranked(
    searcher: Searcher,
    plan: Ranking,
    options: SearchOptions,
    allowed: set[int] | None,
    inline: tuple[wq.Query, ...] = (),
) -> Matches:
    """Runs a prepared query: one page of matches (copies collapsed), counts, facets and timeline.
    `allowed` holds the documents the options' filters and the query's own (`inline`) let through."""
    grouped = _facets(options)
    first = (options.page - 1) * options.limit
    results, ordered = _ranked_window(searcher, plan, options, allowed, grouped)
    docs = ordered[first : first + options.limit]
    copies = (
        _copies(searcher, [h.docnum for h in docs], options.copy_ids) if options.collapse else [(0, ())] * len(docs)
    )
    terms = _query_terms(plan.matching, searcher.reader()) if options.snippets else set()
    scores = {h.docnum: h.score for h in docs} if options.sort == "relevance" else _relevance(searcher, plan, docs)
    matches = tuple(_match(hit, scores[hit.docnum], hit_copies) for hit, hit_copies in zip(docs, copies, strict=True))
    undated = (
        count_matches(searcher, plan.matching, _documents(searcher, _filter(options, True, inline)), plan.excluded)
        if options.date_filtered
        else 0
    )
    return Matches(
        total=count_matches(searcher, plan.matching, allowed, plan.excluded),
        matches=matches,
        undated_excluded=undated,
        terms=frozenset(terms),
        topic_counts=_topic_counts(results) if options.facets else None,
        year_counts=_buckets(results, "years", 1000, 9999) if grouped else None,
        month_counts=_buckets(results, "months", 100001, 999912) if options.timeline else None,
        undated_matches=_undated_matches(searcher, plan, allowed) if options.timeline else 0,
        expansion=plan.expansion,
    )


def _undated_matches(searcher: Searcher, plan: Ranking, allowed: set[int] | None) -> int:
    """Matches without a date (a timeline cannot draw them, and says how many)."""
    undated = docset(searcher, wq.NumericRange("dated", 0, 0))
    return count_matches(searcher, plan.matching, undated if allowed is None else undated & allowed, plan.excluded)


def _ranked_window(
    searcher: Searcher, plan: Ranking, options: SearchOptions, allowed: set[int] | None, grouped: dict
) -> tuple:
    """Whoosh's results, and the hits in order up to the end of the asked page. Near-identical
    copies are folded while Whoosh collects the hits, by their story key's column, so a page stays
    full however many copies a story has."""
    shown = options.page * options.limit
    by_relevance = options.sort == "relevance"
    results = plan.run(
        searcher,
        limit=_depth(plan, shown) if by_relevance else shown,
        filter=allowed,
        sortedby=_sorting(options.sort),
        groupedby=grouped or None,
        collapse=sorting.FieldFacet("story") if options.collapse else None,
    )
    return results, (_best(searcher, plan, results) if by_relevance else list(iter(results)))[:shown]


def _copies(searcher: Searcher, docnums: list[int], wanted: int | None) -> list[tuple[int, tuple[str, ...]]]:
    """For each document, how many other articles have its story key, and the ids of the first
    `wanted` of them (all when None) in index order."""
    reader = searcher.reader()
    keys = reader.column_reader("story")
    found: list[tuple[int, tuple[str, ...]]] = []
    for docnum in docnums:
        key = keys[docnum]
        if reader.doc_frequency("story", key) < 2:  # most keys, and every short body's own key
            found.append((0, ()))
            continue
        others = sorted(docset(searcher, wq.Term("story", key)) - {docnum})
        found.append((len(others), tuple(searcher.stored_fields(n)["id"] for n in others[:wanted])))
    return found


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
    try:
        searcher = store.open_whoosh(location).searcher(weighting=WEIGHTING(**BM25_PARAMETERS))
    except (SearcherError, OSError):
        # A rebuild may have switched generations, and removed this one, since CURRENT was read.
        if store.locate(index_root).generation == location.generation:
            raise
        return open_searcher(index_root)
    _lengths_in_memory(searcher)
    _open_searchers[key] = searcher
    return searcher


def _lengths_in_memory(searcher: Searcher) -> None:
    """Reads each segment's title and body lengths (a byte per document) into memory at once: BM25F
    asks for a matching document's length on every score, and Whoosh reads each one from the file
    (a seek and a read per scored match)."""
    for leaf, _ in searcher.reader().leaf_readers():
        perdoc = getattr(leaf, "_perdoc", None)
        if not isinstance(perdoc, W3PerDocReader):
            continue
        for name in map(_lenfield, SEARCH_FIELDS):
            column = perdoc._cached_reader(name, LENGTHS_COLUMN)  # noqa: SLF001
            if isinstance(column, NumericColumn.Reader) and column._fixedlen == 1:  # noqa: SLF001
                stored = column._dbfile.get(column._basepos, column._count)  # noqa: SLF001
                padding = bytes(max(0, perdoc.doc_count_all() + 1 - len(stored)))  # unset lengths are 0
                perdoc._readers[name] = stored + padding  # noqa: SLF001 - bytes[docnum] is the length byte


@atexit.register
def close_searchers() -> None:
    """Closes the cached searcher (another index is opened, or the process ends)."""
    for searcher in _open_searchers.values():
        searcher.close()
    _open_searchers.clear()


def _relevance(searcher: Searcher, plan: Ranking, page) -> dict[int, float]:  # noqa: ANN001 - whoosh hits
    """Relevance scores of a date-sorted page of hits (Whoosh does not score when it sorts)."""
    if not page:
        return {}
    docnums = {hit.docnum for hit in page}
    scored = _best(searcher, plan, plan.run(searcher, filter=docnums, limit=len(docnums)))
    return {docnum: 0.0 for docnum in docnums} | {hit.docnum: hit.score for hit in scored}


def _documents(searcher: Searcher, restriction: wq.Query | None) -> set[int] | None:
    """The documents a restriction lets through, read once per search (None: all of them)."""
    return None if restriction is None else docset(searcher, restriction)


def _with_subtopics(index_root: Path, options: SearchOptions) -> tuple[Callable[[wq.Query], wq.Query], SearchOptions]:
    """Topic clauses widened to the topics under them in the index's taxonomy (topic:economy
    matches articles tagged energy, a child of economy): a rewrite for query trees, and the options
    with their --topic names widened."""
    children = store.taxonomy_children(store.locate(index_root))

    def under(name: str) -> list[str]:
        return topics_under(children, name)

    def widen(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.Term) and node.fieldname == "topics" and node.text in children:
            return wq.Or([wq.Term("topics", name, boost=node.boost) for name in under(node.text)])
        if isinstance(node, wq.CompoundQuery):
            return type(node)([widen(sub) for sub in node.subqueries], boost=node.boost)
        if isinstance(node, wq.Not):
            return wq.Not(widen(node.query))
        return node

    topics = tuple(name for topic in options.topics for name in under(topic.strip().lower()))
    return widen, options._replace(topics=topics)


def _filter(options: SearchOptions, undated: bool = False, inline: tuple[wq.Query, ...] = ()) -> wq.Query | None:
    """Topic and date restrictions, the options' and the query's own (`inline`); with undated=True,
    the articles the options' date filter leaves out for lack of a date."""
    parts: list[wq.Query] = list(inline)
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
    counts = results.groups(name).items()
    return {int(key): n for key, n in sorted((k, n) for k, n in counts if k is not None) if low <= int(key) <= high}


@read_again_after_a_commit
def topic_counts(index_root: Path) -> list[TopicCount]:
    """Every topic of the taxonomy that built the index, and any others articles carry, with counts."""
    with damage_reported(index_root):
        return _topic_counts_of(index_root)


# Each open searcher's topic counts: the same until the index changes (then the searcher is
# reopened), and a topic filter asks for them on every search to check its names (12 ms on the
# Reuters index: the taxonomy's TOML parsed and every topic's frequency looked up).
_topic_counts_by_searcher: WeakKeyDictionary[Searcher, list[TopicCount]] = WeakKeyDictionary()


def _topic_counts_of(index_root: Path) -> list[TopicCount]:
    searcher = open_searcher(index_root)
    held = _topic_counts_by_searcher.get(searcher)
    if held is not None:
        return list(held)
    described = store.taxonomy_descriptions(store.locate(index_root))
    reader = searcher.reader()
    present = {term.decode("utf-8") for term in reader.lexicon("topics")}
    names = list(described) + sorted(present - set(described))
    counted = [TopicCount(name, described.get(name, ""), reader.doc_frequency("topics", name)) for name in names]
    _topic_counts_by_searcher[searcher] = counted
    return list(counted)


def _query_terms(parsed: wq.Query, reader) -> set[str]:  # noqa: ANN001 - whoosh reader
    """The indexed terms the query matches (wildcards and fuzzy terms expanded), for highlighting."""
    terms: set[tuple[str, bytes | str]] = set()
    # Leaf by leaf: Query.existing_terms skips every field after the first (it reuses its
    # `fieldname` argument as a loop variable), so a multi-field query would lose the body's terms.
    for leaf in parsed.leaves():
        if leaf.field() in SEARCH_FIELDS:
            terms |= leaf.existing_terms(reader, phrases=True, expand=True)
    return {value.decode("utf-8") if isinstance(value, bytes) else str(value) for _, value in terms}


def _match(hit, score: float, copies: tuple[int, tuple[str, ...]]) -> Match:  # noqa: ANN001 - whoosh Hit
    fields = hit.fields()
    return Match(
        id=fields["id"],
        path=fields["path"],
        title=fields.get("display_title", ""),
        date=stored_date(fields),
        topics=_topics(fields),
        body=fields.get("body", ""),
        score=float(score),
        copies=copies[0],
        duplicates=copies[1],
        url=fields.get("url"),
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


@read_again_after_a_commit
def article(index_root: Path, doc_id: str) -> Article | None:
    """The stored article with exactly this id, or None."""
    with damage_reported(index_root):
        fields = open_searcher(index_root).document(id=doc_id)
        return None if fields is None else stored_article(fields)


@read_again_after_a_commit
def suggestion(index_root: Path, text: str) -> str | None:
    """Did you mean: the query with unknown words corrected (spelling.py)."""
    with damage_reported(index_root):
        return suggest(open_searcher(index_root), text)


@read_again_after_a_commit
def ids(index_root: Path) -> list[str]:
    """Every indexed article's id, in order."""
    with damage_reported(index_root):
        return [term.decode("utf-8") for term in open_searcher(index_root).reader().lexicon("id")]


def ids_for_path(index_root: Path, path: str) -> list[str]:
    """The ids of the articles read from the file at this absolute path, in index order."""
    with damage_reported(index_root):
        searcher = open_searcher(index_root)
        return [searcher.stored_fields(n)["id"] for n in sorted(docset(searcher, wq.Term("path", path)))]


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


@read_again_after_a_commit
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
    settings = manifest_settings(manifest, manifest.get("schema_version"))
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


# Key terms of an article that make the "more like this" query.
SIMILAR_TERMS = 20


@read_again_after_a_commit
def similar(index_root: Path, article: Article, options: SearchOptions) -> Matches | None:
    """Articles most like this one (itself left out), by its key terms; None when it has none."""
    with damage_reported(index_root), bounds.time_budget(options.time_limit, close_searchers), bm25f.one_search():
        searcher = open_searcher(index_root)
        _holds_articles(index_root, searcher)
        terms = key_terms(searcher, f"{article.title}\n{article.body}")
        if not terms:
            return None
        likeness = wq.Or([wq.Term("body", term, boost=weight) for term, weight in terms])
        plan = Ranking(likeness, likeness, excluded=_documents(searcher, wq.Term("id", article.id)))
        _, options = _with_subtopics(index_root, options)
        return run_ranked(searcher, plan, options, _documents(searcher, _filter(options)))


def key_terms(searcher: Searcher, text: str) -> list[tuple[str, float]]:
    """The text's most telling stems, by term frequency times inverse document frequency."""
    reader = searcher.reader()
    documents = max(reader.doc_count_all(), 1)
    counts = Counter(token.text for token in news_analyzer()(text))
    weighted = []
    for stem, count in counts.items():
        frequency = reader.doc_frequency("body", stem)
        if frequency:
            weighted.append((stem, count * math.log(1 + documents / frequency)))
    weighted.sort(key=lambda item: (-item[1], item[0]))
    top = weighted[:SIMILAR_TERMS]
    peak = top[0][1] if top else 1.0
    return [(stem, weight / peak) for stem, weight in top]
