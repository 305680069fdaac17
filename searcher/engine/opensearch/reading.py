"""The OpenSearch engine's reading side: ranked searches with exact totals, filters in filter
context, facets and timeline from aggregations, copies folded by `collapse`, highlights turned into
the terms searcher's snippets mark, did-you-mean, more_like_this, stats and topic counts.

Ranking is the Whoosh engine's: a plain word by BM25F mixed with per-field BM25 (k1 1.2, b 0.75) over
title (its words counted twice: mapping.py) and body (translate.word_query), other clauses by the
per-field BM25 alone, with the coordination and proximity bonuses of a plain-word query (ranking.py); RM3
expansion (`--expand`) is not reproduced (the README's "Scaling out" says so).
"""

from __future__ import annotations

import re
from datetime import date

from searcher.analysis import news_analyzer
from searcher.engine.base import Match, Matches
from searcher.engine.opensearch.ranking import with_bonuses
from searcher.engine.opensearch.translate import to_dsl, topics_under
from searcher.engine.query import SearchQuery
from searcher.errors import QueryError
from searcher.models import Article, ArticleDate, DroppedBlock, SearchOptions

# Fields a result shows; the rest of a document's source is read only by `show`.
RESULT_FIELDS = ["id", "path", "display_title", "date", "date_precision", "date_source", "topics", "body", "story"]
# Highlight markers: control characters, which cleaned article text never holds.
MARK_START, MARK_END = "\x02", "\x03"
MARKED = re.compile(f"{MARK_START}(.*?){MARK_END}", re.DOTALL)
# Every topic and year of the matches is counted (a taxonomy has tens of topics, an archive a century).
FACET_SIZE = 10_000
# Key terms of an article for more_like_this, as the Whoosh engine's SIMILAR_TERMS.
SIMILAR_TERMS = 20


def search_body(request: SearchQuery, options: SearchOptions) -> dict:
    """The search request for a parsed query and its options (one page, counts and aggregations)."""
    words = to_dsl(request.words)
    if words is None:
        raise QueryError("the query has no words to search for (only stopwords or operators)")
    ranked = with_bonuses(words, request.stems)
    body = {
        "query": {"bool": {"must": [ranked], "filter": filters(request, options), "must_not": exclusions(request)}},
        "track_total_hits": True,
        "from": (options.page - 1) * options.limit,
        "size": options.limit,
        "_source": RESULT_FIELDS,
        "aggs": aggregations(options),
    }
    if options.snippets:
        body["highlight"] = {
            "pre_tags": [MARK_START], "post_tags": [MARK_END], "number_of_fragments": 0,
            "fields": {"body": {}, "title": {}},
        }  # fmt: skip
    if options.collapse:
        body["collapse"] = {"field": "story"}
    if options.sort != "relevance":
        order = "desc" if options.sort == "newest" else "asc"
        body["sort"] = [{"dated": "desc"}, {"date": {"order": order, "missing": "_last"}}, {"id": "asc"}]
        body["track_scores"] = True
    return body


def filters(request: SearchQuery, options: SearchOptions, undated: bool = False) -> list[dict]:
    """Topic and date restrictions, the options' and the query's own, never scored; with undated=True,
    the articles the options' date filter leaves out for lack of a date."""
    parts = [dsl for dsl in map(to_dsl, request.filters) if dsl is not None]
    if options.topics:
        named = [topic.strip().lower() for topic in options.topics]
        parts.append({"terms": {"topics": [under for topic in named for under in topics_under(topic)]}})
    if undated:
        parts.append({"term": {"dated": 0}})
    elif options.date_filtered:
        bounds = {"format": "strict_date"}
        if options.after:
            bounds["gte"] = options.after.isoformat()
        if options.before:
            bounds["lte"] = options.before.isoformat()
        parts.append({"range": {"date": bounds}})
    return parts


def exclusions(request: SearchQuery) -> list[dict]:
    excluded = None if request.excluded is None else to_dsl(request.excluded)
    return [excluded] if excluded else []


def aggregations(options: SearchOptions) -> dict:
    aggs: dict = {}
    if options.facets:
        aggs["topics"] = {"terms": {"field": "topics", "size": FACET_SIZE}}
    if options.facets or options.timeline:
        aggs["years"] = {"terms": {"field": "year", "size": FACET_SIZE}}
    if options.timeline:
        aggs["months"] = {"terms": {"field": "month", "size": FACET_SIZE * 12}}
    return aggs


def matches(answer: dict, copies: dict[str, tuple[int, tuple[str, ...]]], undated: int) -> Matches:
    """An OpenSearch answer as the seam's Matches; `copies` by story key."""
    hits = answer["hits"]["hits"]
    aggs = answer.get("aggregations", {})
    terms: set[str] = set()
    found = []
    for hit in hits:
        source = hit["_source"]
        for marked in hit.get("highlight", {}).values():
            terms |= highlighted_terms(marked)
        count, ids = copies.get(source.get("story", ""), (0, ()))
        found.append(_match(source, hit.get("_score") or 0.0, count, ids))
    return Matches(
        total=answer["hits"]["total"]["value"],
        matches=tuple(found),
        undated_excluded=undated,
        terms=frozenset(terms),
        topic_counts=_counts(aggs["topics"], str) if "topics" in aggs else None,
        year_counts=dict(sorted(_counts(aggs["years"], int).items())) if "years" in aggs else None,
        month_counts=dict(sorted(_counts(aggs["months"], int).items())) if "months" in aggs else None,
    )


def highlighted_terms(fragments: list[str]) -> set[str]:
    """The terms (searcher's own stems) of the words the cluster marked, for searcher's snippets."""
    words = " ".join(match.group(1) for fragment in fragments for match in MARKED.finditer(fragment))
    return {token.text for token in news_analyzer()(words)}


def _counts(aggregation: dict, kind: type) -> dict:
    buckets = sorted(aggregation["buckets"], key=lambda bucket: (-bucket["doc_count"], str(bucket["key"])))
    return {kind(bucket["key"]): bucket["doc_count"] for bucket in buckets}


def copies_body(keys: list[str], wanted: int | None) -> dict:
    """Counts every article of these story keys, with the ids of the first `wanted` of each."""
    per_key = {"terms": {"field": "story", "size": len(keys)}}
    per_key["aggs"] = {"ids": {"top_hits": {"size": 100 if wanted is None else max(wanted + 1, 1),
                                            "_source": ["id"], "sort": [{"id": "asc"}]}}}  # fmt: skip
    return {"size": 0, "query": {"terms": {"story": keys}}, "aggs": {"stories": per_key}}


def copies_of(answer: dict, shown: dict[str, str], wanted: int | None) -> dict[str, tuple[int, tuple[str, ...]]]:
    """For each story key: how many other articles carry it, and the ids of the first `wanted` of them."""
    found = {}
    for bucket in answer["aggregations"]["stories"]["buckets"]:
        key = bucket["key"]
        others = [hit["_source"]["id"] for hit in bucket["ids"]["hits"]["hits"] if hit["_source"]["id"] != shown[key]]
        found[key] = (bucket["doc_count"] - 1, tuple(others if wanted is None else others[:wanted]))
    return found


def similar_query(index: str, article: Article) -> dict:
    return {
        "more_like_this": {
            "fields": ["title", "body"],
            "like": [{"_index": index, "_id": article.id}],
            "max_query_terms": SIMILAR_TERMS,
            "min_term_freq": 1,
            "min_doc_freq": 1,
        }
    }


def suggest_body(text: str) -> dict:
    """Did-you-mean by the phrase suggester, over the words as written (body.words: unstemmed)."""
    generator = {"field": "body.words", "suggest_mode": "missing", "min_word_length": 3, "prefix_length": 1}
    phrase = {"field": "body.words", "size": 1, "max_errors": 2, "confidence": 1.0, "direct_generator": [generator]}
    return {"size": 0, "suggest": {"fix": {"text": text, "phrase": phrase}}}


def suggestion(answer: dict, text: str) -> str | None:
    options = answer.get("suggest", {}).get("fix", [{}])[0].get("options", [])
    best = options[0]["text"] if options else None
    return best if best and best.lower() != text.strip().lower() else None


def _match(source: dict, score: float, count: int, ids: tuple[str, ...]) -> Match:
    return Match(
        id=source["id"],
        path=source["path"],
        title=source.get("display_title") or "",
        date=stored_date(source),
        topics=tuple(source.get("topics") or ()),
        body=source.get("body") or "",
        score=float(score),
        copies=count,
        duplicates=ids,
    )


def stored_date(source: dict) -> ArticleDate | None:
    value = source.get("date")
    if not value:
        return None
    return ArticleDate(date.fromisoformat(value[:10]), source.get("date_precision") or "day",
                       source.get("date_source") or "text")  # fmt: skip


def stored_article(source: dict) -> Article:
    import json

    dropped = tuple(DroppedBlock(text, reason) for text, reason in json.loads(source.get("dropped") or "[]"))
    return Article(
        id=source["id"],
        path=source["path"],
        title=source.get("display_title") or "",
        title_is_headline=bool(source.get("title_is_headline")),
        body=source.get("body") or "",
        date=stored_date(source),
        topics=tuple(source.get("topics") or ()),
        url=source.get("url"),
        dropped=dropped,
        content_hash=source.get("content_hash") or "",
        size=source.get("size") or 0,
        mtime=source.get("mtime") or 0.0,
        source_key=source.get("source_key") or "",
    )
