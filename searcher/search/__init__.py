"""Stage 4, search: ranked BM25F queries over an index, with highlighted snippets.

Never imports beautifulsoup4 or the cleaner: a query loads only Whoosh and the analyzer.
"""

from __future__ import annotations

import atexit
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import NamedTuple

from whoosh import collectors, sorting
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
from whoosh.columns import NumericColumn
from whoosh.qparser import AndGroup, FieldAliasPlugin, FuzzyTermPlugin, MultifieldParser, OrGroup
from whoosh.searching import Searcher

from searcher.analysis import news_analyzer
from searcher.engine.whoosh import ranking, store
from searcher.engine.whoosh.docsets import count_matches, docset
from searcher.engine.whoosh.spelling import suggest
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
from searcher.search.snippets import make_snippet

SEARCH_FIELDS = ["title", "body"]
# A timeline spanning fewer years than this is drawn per month, so a short story still has a shape.
TIMELINE_MONTHS_UNDER_YEARS = 3
# BM25F's term-frequency saturation (K1) and length normalisation (B): Whoosh's defaults, which
# tests/bench/relevance.py found as good as any other setting on Cranfield (see README).
BM25_PARAMETERS = {"K1": 1.2, "B": 0.75}
WEIGHTING = ranking.NewsBM25F
# "Did you mean" is offered when fewer articles than this match.
SUGGEST_BELOW = 3
# Longest query accepted; longer ones are pasted documents, not queries.
MAX_QUERY_CHARS = 2000
# "-word" or -"a phrase" excludes articles; a "-" inside a word ("S-400") does not.
EXCLUDED_WORD = re.compile(r'(?:^|(?<=\s))-("[^"]+"|[^\s"()\-][^\s"()]*)')


def parse_query(text: str, match: str = "any") -> wq.Query:
    """The Whoosh query for a user's query string; raises QueryError when nothing is searchable."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}")
    text = ranking.join_spaced_models(text)
    # Whoosh's OrGroup.factory coordination scores 0 when a word matches in one field only (its SQR
    # formula multiplies by (n-1)/n), so plain OR is used: BM25F already sums the words' scores.
    group = AndGroup if match == "all" else OrGroup
    excluded = [m.group(1) for m in EXCLUDED_WORD.finditer(text)]
    parsed = _parse(_parser(group), EXCLUDED_WORD.sub(" ", text))
    if excluded and not _is_null(parsed):
        parsed = wq.AndNot(parsed, _parse(_parser(OrGroup), " ".join(excluded)))
    parsed = lift_negations(parsed)
    if _is_null(parsed):
        raise QueryError("the query has no words to search for (only stopwords or operators)")
    return parsed


def lift_negations(query: wq.Query) -> wq.Query:
    """ "a b NOT c" means (a OR b) AND NOT c, as in Lucene and Elasticsearch; Whoosh would read it
    as a OR b OR (anything without c)."""
    if isinstance(query, wq.BinaryQuery):
        return query.__class__(lift_negations(query.a), lift_negations(query.b))
    if isinstance(query, wq.Or | wq.And):
        query = query.__class__([lift_negations(sub) for sub in query.subqueries], boost=query.boost)
    if not isinstance(query, wq.Or):
        return query
    negated = [sub.query for sub in query.subqueries if isinstance(sub, wq.Not)]
    positive = [sub for sub in query.subqueries if not isinstance(sub, wq.Not)]
    if not negated or not positive:
        return query
    keep = positive[0] if len(positive) == 1 else wq.Or(positive)
    return wq.AndNot(keep, negated[0] if len(negated) == 1 else wq.Or(negated))


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
    words, inline = split_filters(parsed)
    allowed = _documents(searcher, _filter(options, inline=inline))
    plan = _ranking(searcher, text, words, options, allowed)
    return run_ranked(searcher, text, plan, options, allowed, inline)


# Fields a query names to narrow the articles (`topic:energy`, `date:2019`) rather than to match words.
FILTER_FIELDS = frozenset({"topics", "date"})
# Such a clause in a query's text, so that the words around it still earn ranking bonuses.
FILTER_CLAUSE = re.compile(r'(?:^|(?<=\s))(?:topics?|date):(?:\[[^\]]*\]|"[^"]*"|\S+)', re.IGNORECASE)


def split_filters(parsed: wq.Query) -> tuple[wq.Query, tuple[wq.Query, ...]]:
    """The query's words, and its topic and date clauses as filters: `topic:acq shares` means shares
    among the acq articles (Whoosh would read articles about shares OR in acq, and score the topic).
    Clauses on one field are alternatives, clauses on different fields all apply. A query of filters
    alone is left whole."""
    positive, excluded = (parsed.a, parsed.b) if isinstance(parsed, wq.AndNot) else (parsed, None)
    if not isinstance(positive, wq.Or | wq.And):
        return parsed, ()
    filters: list[wq.Query] = []
    words: list[wq.Query] = []
    for sub in positive.subqueries:
        (filters if _is_filter(sub) else words).append(sub)
    if not filters or not words:
        return parsed, ()
    kept = words[0] if len(words) == 1 else positive.__class__(words, boost=positive.boost)
    if isinstance(positive, wq.Or):
        by_field: dict[str, list[wq.Query]] = {}
        for clause in filters:
            by_field.setdefault(next(clause.leaves()).field(), []).append(clause)
        filters = [group[0] if len(group) == 1 else wq.Or(group) for group in by_field.values()]
    return (kept if excluded is None else wq.AndNot(kept, excluded)), tuple(filters)


def _is_filter(clause: wq.Query) -> bool:
    leaves = list(clause.leaves())
    return bool(leaves) and all(leaf.field() in FILTER_FIELDS for leaf in leaves) and not _has_negation(clause)


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

    def run(self, searcher: Searcher, **options: object):  # noqa: ANN201 - whoosh Results
        """Whoosh's search, made exact under negations: with a negation in the query (or a mask), the
        matcher replacement Whoosh does while collecting the top few hits drops high-scoring matches
        (in 2 of 3 queries with an exclusion, on Cranfield), so it is turned off for them. A top-level
        exclusion is a mask, which also keeps RM3's expansion terms from bringing excluded articles back."""
        fold = options.pop("collapse", None)
        allowed: set[int] | None = options.pop("filter", None)
        denied = self.excluded
        collector = searcher.collector(**options)
        if denied is not None or _has_negation(self.scoring):
            _innermost(collector).replace = 0
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
        for sub_docnum in child.matches():
            docnum = offset + sub_docnum
            if (allowed is not None and docnum not in allowed) or (denied is not None and docnum in denied):
                continue
            score = child.matcher.score()  # the child replaces its matcher as it goes
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


def _innermost(collector):  # noqa: ANN001, ANN202 - whoosh collectors wrap one another
    while hasattr(collector, "child"):
        collector = collector.child
    return collector


def _has_negation(query: wq.Query) -> bool:
    return isinstance(query, wq.Not | wq.AndNot) or any(_has_negation(sub) for sub in query.children())


def _ranking(
    searcher: Searcher, text: str, parsed: wq.Query, options: SearchOptions, allowed: set[int] | None
) -> Ranking:
    """The query's Ranking, with RM3's expansion from a first search when asked."""
    positive, negative = (parsed.a, parsed.b) if isinstance(parsed, wq.AndNot) else (parsed, None)
    stems = tuple(ranking.plain_stems(ranking.join_spaced_models(FILTER_CLAUSE.sub(" ", text))))
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
    return Ranking(wq.Or([positive, expansion]), scoring, excluded, stems, ranking.ORIGINAL_WEIGHT)


def _depth(plan: Ranking, wanted: int) -> int:
    """Matches to fetch: enough for the bonuses to reorder the first ones, when they apply."""
    return max(wanted, ranking.RERANK_DEPTH) if ranking.earns_bonuses(list(plan.stems)) else wanted


def _best(searcher: Searcher, plan: Ranking, hits) -> list:  # noqa: ANN001 - whoosh Results
    """Hits in order of BM25F score plus bonuses (each hit's score updated)."""
    hits = list(iter(hits))  # list(results) would ask len(), which counts every match in Whoosh
    extra = ranking.bonuses(searcher, [hit.docnum for hit in hits], list(plan.stems))
    if not extra:
        return hits
    for hit in hits:
        hit.score += plan.bonus_weight * extra[hit.docnum]
    return sorted(hits, key=lambda hit: (-hit.score, hit.docnum))


def run_ranked(  # noqa: PLR0913
    searcher: Searcher,
    text: str,
    plan: Ranking,
    options: SearchOptions,
    allowed: set[int] | None,
    inline: tuple[wq.Query, ...] = (),
) -> SearchResult:
    """Runs a prepared query: one page of hits (copies collapsed), counts, facets and timeline.
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
    hits = tuple(
        _hit(rank, hit, scores[hit.docnum], terms, options.snippets, hit_copies)
        for rank, (hit, hit_copies) in enumerate(zip(docs, copies, strict=True), start=first + 1)
    )
    undated = (
        count_matches(searcher, plan.matching, _documents(searcher, _filter(options, True, inline)), plan.excluded)
        if options.date_filtered
        else 0
    )
    years = _buckets(results, "years", 1000, 9999) if grouped else {}
    total = count_matches(searcher, plan.matching, allowed, plan.excluded)
    return SearchResult(
        query=text,
        total=total,
        hits=hits,
        undated_excluded=undated,
        facets={"topics": _topic_counts(results), "years": years} if options.facets else None,
        timeline=_timeline(results, years) if options.timeline else None,
        suggestion=suggest(searcher, text) if total < SUGGEST_BELOW and options.snippets else None,
        page=options.page,
    )


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
    described = store.taxonomy_descriptions(store.locate(index_root))
    reader = open_searcher(index_root).reader()
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


def _hit(rank: int, hit, score: float, terms: set[str], snippets: bool, copies: tuple[int, tuple[str, ...]]) -> Hit:  # noqa: ANN001
    fields = hit.fields()
    snippet, spans = make_snippet(fields.get("body", ""), terms) if snippets else ("", ())
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
        copies=copies[0],
        duplicates=copies[1],
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


def get_article(index_root: Path, doc_id: str) -> Article:
    """The stored article with this id, or with a unique id or file name starting with it."""
    with damage_reported(index_root):
        return _get_article(index_root, doc_id)


def _get_article(index_root: Path, doc_id: str) -> Article:
    searcher = open_searcher(index_root)
    fields = searcher.document(id=doc_id)
    if fields is None:
        candidates = [i for i in _all_ids(searcher) if i.startswith(doc_id) or i.rsplit("/", 1)[-1].startswith(doc_id)]
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


# Key terms of an article that make the "more like this" query.
SIMILAR_TERMS = 20


def similar(index_root: Path, doc_id: str, options: SearchOptions | None = None) -> SearchResult:
    """Articles most like the one with this id (or unique id start), by its key terms."""
    options = options or SearchOptions()
    with damage_reported(index_root):
        article = _get_article(index_root, doc_id)
        searcher = open_searcher(index_root)
        terms = key_terms(searcher, f"{article.title}\n{article.body}")
        if not terms:
            return SearchResult(query=f"similar:{article.id}", total=0, hits=())
        likeness = wq.Or([wq.Term("body", term, boost=weight) for term, weight in terms])
        plan = Ranking(likeness, likeness, excluded=_documents(searcher, wq.Term("id", article.id)))
        return run_ranked(searcher, f"similar:{article.id}", plan, options, _documents(searcher, _filter(options)))


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


def batch_search(
    index_root: Path, lines: Iterable[str], options: SearchOptions
) -> Iterator[tuple[str, SearchResult | SearcherError]]:
    """Runs `qid<TAB>query` lines in order; a query that fails gives its error, and the rest go on."""
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        qid, tab, text = line.rstrip("\n").partition("\t")
        if not tab:
            yield str(number), QueryError(f"line {number}: expected qid<TAB>query")
            continue
        try:
            yield qid.strip(), search(index_root, text, options)
        except QueryError as error:
            yield qid.strip(), error
