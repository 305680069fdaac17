"""searcher's query tree (engine/query.py) in OpenSearch's query DSL.

Words and phrases are analyzed by the cluster with the index's own analyzer (match_phrase: one term
is a term query, several a phrase, as the Whoosh engine reads "S-400 missiles"); prefixes, wildcards
and fuzzy terms are term-level queries, so their text is folded here as the analyzer would (lowercase,
accents, apostrophes), not stemmed. Dates are ranges over the whole period written: `date:2019-04`
is April 2019. An unfielded leaf searches title and body, and the scores add up (the title's weight
is in its term frequencies: mapping.py); an unfielded word of one term is scored as the Whoosh engine
scores it, BM25F mixed with that sum (word_query).
"""

from __future__ import annotations

import calendar
import re
from contextvars import ContextVar
from datetime import date

from searcher.analysis import fold, one_term
from searcher.engine import hierarchy, places
from searcher.engine import query as q
from searcher.engine.opensearch.mapping import BM25F_K1, BM25F_MIX, TITLE_SCORE_SCALE
from searcher.engine.query import TEXT_FIELDS
from searcher.errors import QueryError

KEYWORD_FIELDS = frozenset({"id", "path", "topics"})
NUMBER_FIELDS = frozenset({"year", "month"})
DATE_TEXT = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
MATCH_NOTHING = {"bool": {"must_not": {"match_all": {}}}}
# Each topic of the index's taxonomy with the topics directly under it, set by the engine for the
# request being translated: a topic clause matches its subtopics too (topic:economy finds energy).
TOPIC_CHILDREN: ContextVar[dict[str, list[str]]] = ContextVar("topic_children", default={})  # noqa: B039
# BM25F's idf of each plain word's term (of the larger of its title and body document frequencies),
# set by the engine for the request being translated: the cluster's script cannot take a maximum
# over two fields' statistics.
WORD_IDF: ContextVar[dict[str, float]] = ContextVar("word_idf", default={})  # noqa: B039
# BM25F's saturation of the summed bm25f subfield scores (mapping.bm25f_similarity), times the idf.
BM25F_SATURATION = "double f = _score; return params.scale * f / (params.k1 + f);"


def topics_under(name: str) -> list[str]:
    """The topic and every topic under it in the taxonomy of the request being translated."""
    return hierarchy.topics_under(TOPIC_CHILDREN.get(), name)


def to_dsl(node: q.Query) -> dict | None:
    """The DSL for a tree; None when it asks for nothing (only stopwords, say)."""
    if isinstance(node, q.All | q.Any):
        subs = [sub for sub in map(to_dsl, node.clauses) if sub is not None]
        if not subs:
            return None
        key = "must" if isinstance(node, q.All) else "should"
        return {"bool": {key: subs, "boost": node.boost, **({"minimum_should_match": 1} if key == "should" else {})}}
    if isinstance(node, q.Not):
        sub = to_dsl(node.clause)
        return {"bool": {"must": {"match_all": {}}, "must_not": sub}} if sub else None
    if isinstance(node, q.AndNot | q.AndMaybe | q.Require):
        return _binary(node)
    if isinstance(node, q.Everything):
        return {"match_all": {"boost": node.boost}}
    boost = node.boost * _repeated(node.count) if isinstance(node, q.Word) else node.boost
    if node.field is None:
        term = one_term(node.text) if isinstance(node, q.Word) else None
        if term is not None:
            return word_query(term, boost)
        subs = [sub for sub in (_leaf(node, name, field_scale(name)) for name in TEXT_FIELDS) if sub]
        return {"bool": {"should": subs, "minimum_should_match": 1, "boost": boost}} if subs else None
    return _leaf(node, node.field, boost * field_scale(node.field))


def word_query(term: str, boost: float = 1.0) -> dict:
    """A plain word over title and body, scored as the Whoosh engine's bm25f.py: BM25F_MIX times
    idf x f (K1 + 1) / (K1 + f), f being the bm25f subfields' summed weighted, normalised term
    frequencies, plus the rest times the per-field BM25 scores."""
    saturated = {
        "script_score": {
            "query": {"bool": {"should": [{"term": {f"{field}.bm25f": term}} for field in TEXT_FIELDS]}},
            "script": {
                "source": BM25F_SATURATION,
                "params": {"scale": BM25F_MIX * WORD_IDF.get().get(term, 0.0) * (BM25F_K1 + 1), "k1": BM25F_K1},
            },
        }
    }
    per_field = [{"term": {f: {"value": term, "boost": (1 - BM25F_MIX) * field_scale(f)}}} for f in TEXT_FIELDS]
    return {"bool": {"should": [saturated, *per_field], "minimum_should_match": 1, "boost": boost}}


def plain_terms(node: q.Query) -> set[str]:
    """The terms of the unfielded one-term words in a tree (the ones word_query scores)."""
    if isinstance(node, q.All | q.Any):
        return set().union(*(plain_terms(clause) for clause in node.clauses))
    if isinstance(node, q.Not):
        return plain_terms(node.clause)
    if isinstance(node, q.AndNot | q.AndMaybe | q.Require):
        return plain_terms(node[0]) | plain_terms(node[1])
    if isinstance(node, q.Word) and node.field is None:
        term = one_term(node.text)
        return {term} if term else set()
    return set()


def field_scale(field: str) -> float:
    """The boost that puts a field's scores on the Whoosh engine's scale (mapping.TITLE_SCORE_SCALE)."""
    return TITLE_SCORE_SCALE if field == "title" else 1.0


# A word said n times weighs (K3 + 1) n / (K3 + n): Robertson's query-term saturation, as the Whoosh
# engine weighs it (its ranking.py gives the measurements behind K3 = 1).
QUERY_TF_K3 = 1.0


def _repeated(count: int) -> float:
    return (QUERY_TF_K3 + 1) * count / (QUERY_TF_K3 + count)


def _binary(node: q.AndNot | q.AndMaybe | q.Require) -> dict | None:
    first, second = to_dsl(node[0]), to_dsl(node[1])
    if first is None or second is None:
        return first if second is None else (second if not isinstance(node, q.AndNot) else None)
    if isinstance(node, q.AndNot):
        return {"bool": {"must": first, "must_not": second}}
    if isinstance(node, q.AndMaybe):
        return {"bool": {"must": first, "should": second}}
    return {"bool": {"must": first, "filter": second}}


# Query fields naming where an article comes from: the keyword field holding their terms, and how a
# value the user typed becomes one of those terms (places.py), as in the Whoosh engine.
PLACE_FIELDS = {"site": ("site", places.site_query_term), "path": ("folders", places.folder_query_term)}


def _place(node: q.Leaf, boost: float) -> dict:
    """`site:bbc.co.uk`, `path:sport`: one whole term; a prefix or wildcard matches terms as typed."""
    name, term_of = PLACE_FIELDS[node.field]
    if isinstance(node, q.Prefix):
        return {"prefix": {name: {"value": node.text, "boost": boost}}}
    if isinstance(node, q.Wildcard):
        return {"wildcard": {name: {"value": node.text, "boost": boost}}}
    if isinstance(node, q.Fuzzy):
        return {"fuzzy": {name: {"value": term_of(node.text), "fuzziness": node.distance, "boost": boost}}}
    if isinstance(node, q.Range):
        return {"range": {name: _bounds(node.start, node.end, node, lambda text: text) | {"boost": boost}}}
    return {"term": {name: {"value": term_of(node.text), "boost": boost}}}


def _leaf(node: q.Leaf, field: str, boost: float) -> dict | None:
    if field in PLACE_FIELDS:
        return _place(node, boost)
    if field == "date":
        return _date(node, boost)
    if field in NUMBER_FIELDS:
        return _number(node, field, boost)
    if isinstance(node, q.Range):
        return {"range": {field: _bounds(node.start, node.end, node, _folded_or_raw(field)) | {"boost": boost}}}
    if field in KEYWORD_FIELDS:
        return _keyword(node, field, boost)
    if isinstance(node, q.Word):
        return {"match_phrase": {field: {"query": node.text, "boost": boost}}} if _has_terms(node.text) else None
    if isinstance(node, q.Phrase):
        return {"match_phrase": {field: {"query": node.text, "slop": node.slop, "boost": boost}}}
    term = fold(node.text)
    if isinstance(node, q.Prefix):
        return {"prefix": {field: {"value": term, "boost": boost}}}
    if isinstance(node, q.Wildcard):
        return {"wildcard": {field: {"value": term, "boost": boost}}}
    if not term:
        raise QueryError(f"cannot understand the query (nothing to match in {node.text!r}~)")
    fuzzy = {"value": term, "fuzziness": node.distance, "prefix_length": node.prefix, "transpositions": False}
    return {"fuzzy": {field: fuzzy | {"boost": boost}}}


def _has_terms(text: str) -> bool:
    """Whether the words leave a term after stopwords (a stopword alone asks for nothing)."""
    from searcher.analysis import news_analyzer

    return any(True for _ in news_analyzer()(text))


def _folded_or_raw(field: str):  # noqa: ANN202 - a str -> str function
    return (lambda text: text) if field in KEYWORD_FIELDS else fold


def _keyword(node: q.Leaf, field: str, boost: float) -> dict:
    text = node.text.strip().lower() if field == "topics" else node.text
    if isinstance(node, q.Prefix):
        return {"prefix": {field: {"value": text, "boost": boost}}}
    if isinstance(node, q.Wildcard):
        return {"wildcard": {field: {"value": text, "boost": boost}}}
    if isinstance(node, q.Fuzzy):
        return {"fuzzy": {field: {"value": text, "fuzziness": node.distance, "boost": boost}}}
    if field == "topics":
        return {"terms": {field: topics_under(text), "boost": boost}}
    return {"term": {field: {"value": text, "boost": boost}}}


def _number(node: q.Leaf, field: str, boost: float) -> dict:
    if isinstance(node, q.Range):
        return {"range": {field: _bounds(node.start, node.end, node, str) | {"boost": boost}}}
    text = getattr(node, "text", "")
    if not text.isdigit():
        return MATCH_NOTHING  # a value the field cannot read matches nothing, as in the Whoosh engine
    return {"term": {field: {"value": int(text), "boost": boost}}}


def _date(node: q.Leaf, boost: float) -> dict | None:
    """A date word is its whole period; a range runs from its start's first day to its end's last."""
    if isinstance(node, q.Range):
        start = _period(node.start)[0 if not node.exclude_start else 1] if node.start else None
        end = _period(node.end)[1 if not node.exclude_end else 0] if node.end else None
        bounds: dict = {"format": "strict_date", "boost": boost}
        if start:
            bounds["gt" if node.exclude_start else "gte"] = start.isoformat()
        if end:
            bounds["lt" if node.exclude_end else "lte"] = end.isoformat()
        return {"range": {"date": bounds}}
    first, last = _period(getattr(node, "text", ""))
    if first is None:
        return MATCH_NOTHING
    return {
        "range": {"date": {"gte": first.isoformat(), "lte": last.isoformat(), "format": "strict_date", "boost": boost}}
    }


def _period(text: str | None) -> tuple[date | None, date | None]:
    """The first and last day of 2019, 2019-04 or 2019-04-26; (None, None) when unreadable."""
    match = DATE_TEXT.fullmatch((text or "").strip())
    if not match:
        return None, None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if day:
            return date(year, month, day), date(year, month, day)
        if month:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None, None


def _bounds(start: str | None, end: str | None, node: q.Range, convert) -> dict:  # noqa: ANN001 - a str -> str function
    bounds = {}
    if start:
        bounds["gt" if node.exclude_start else "gte"] = convert(start)
    if end:
        bounds["lt" if node.exclude_end else "lte"] = convert(end)
    return bounds
