"""searcher's query tree (engine/query.py) as Whoosh queries.

Each leaf is analyzed by its field, as Whoosh's own parser does: a word giving several terms
("wing-flutter", "S-400 missiles") becomes a phrase, a stopword nothing; date and number fields
parse their own values (`date:2019-04` is that month). An unfielded leaf searches title and body.
"""

from __future__ import annotations

import math

from whoosh import query as wq
from whoosh.fields import FieldType, Schema
from whoosh.qparser.common import QueryParserError

from searcher.engine import places
from searcher.engine import query as q
from searcher.engine.whoosh.bm25f import TitleBodyWord, TitleBodyWords
from searcher.engine.whoosh.ranking import query_term_weight
from searcher.errors import QueryError


def to_whoosh(query: q.Query, schema: Schema) -> wq.Query:
    """The Whoosh query for a tree, normalized; QueryError when a clause cannot be built."""
    try:
        built = _query(query, schema)
        return (built if built else wq.NullQuery).normalize()
    except QueryError:
        raise
    except Exception as error:  # Whoosh's fields raise assorted errors on odd values
        raise QueryError(f"cannot understand the query ({error})") from error


def _query(node: q.Query, schema: Schema) -> wq.Query | None:
    if not 0 < getattr(node, "boost", 1.0) < math.inf:  # a product of boosts that under- or overflowed
        raise QueryError("a boost must be a positive number (the query's boosts multiply to zero or infinity)")
    if isinstance(node, q.All | q.Any):
        subs = [sub for sub in (_query(clause, schema) for clause in node.clauses) if sub is not None]
        if isinstance(node, q.Any) and len(subs) > 1 and all(isinstance(sub, TitleBodyWord) for sub in subs):
            # One matcher for the words; a word twice over counts once, as Whoosh's Or has it.
            return TitleBodyWords(list(dict.fromkeys(subs)), boost=node.boost)
        return (wq.And if isinstance(node, q.All) else wq.Or)(subs, boost=node.boost)
    if isinstance(node, q.Not):
        sub = _query(node.clause, schema)
        return wq.Not(sub) if sub else None
    if isinstance(node, q.AndNot | q.AndMaybe | q.Require):
        return _binary(node, schema)
    if isinstance(node, q.Everything):
        return wq.Every()
    # A word said more than once weighs more (ranking.query_term_weight).
    boost = node.boost * query_term_weight(node.count) if isinstance(node, q.Word) else node.boost
    if node.field is None:  # the default fields, each clause unboosted and the group boosted
        subs = [sub for sub in (_leaf(node, name, 1.0, schema) for name in q.TEXT_FIELDS) if sub is not None]
        if isinstance(node, q.Word) and _one_term_in_each(subs):
            return TitleBodyWord(subs[0].text, boost=boost)  # scored over both fields at once
        return wq.Or(subs, boost=boost)
    if node.field in PLACE_FIELDS:
        return _place(node, boost)
    return _leaf(node, node.field, boost, schema)


def _one_term_in_each(subs: list[wq.Query]) -> bool:
    """Whether a word became the same single term in the title and the body (not a phrase of several)."""
    return (
        [getattr(sub, "fieldname", None) for sub in subs] == list(TitleBodyWord.FIELDS)
        and all(type(sub) is wq.Term for sub in subs)
        and subs[0].text == subs[1].text
    )


# Query fields naming where an article comes from: the Whoosh field holding their terms, and how a
# value the user typed becomes one of those terms (places.py).
PLACE_FIELDS = {"site": ("site", places.site_query_term), "path": ("folders", places.folder_query_term)}


def _place(node: q.Leaf, boost: float) -> wq.Query:
    """`site:bbc.co.uk`, `path:sport` (a word or a quoted value: one whole term); a prefix or
    wildcard matches the terms as typed."""
    name, term_of = PLACE_FIELDS[node.field]
    if isinstance(node, q.Word | q.Phrase):
        return wq.Term(name, term_of(node.text), boost=boost)
    if isinstance(node, q.Prefix):
        return wq.Prefix(name, node.text, boost=boost)
    if isinstance(node, q.Wildcard):
        return wq.Wildcard(name, node.text, boost=boost)
    if isinstance(node, q.Fuzzy):
        return wq.FuzzyTerm(name, term_of(node.text), boost=boost, maxdist=node.distance, prefixlength=node.prefix)
    return wq.TermRange(name, node.start, node.end, node.exclude_start, node.exclude_end, boost=boost)


BINARY = {q.AndNot: wq.AndNot, q.AndMaybe: wq.AndMaybe, q.Require: wq.Require}


def _binary(node: q.AndNot | q.AndMaybe | q.Require, schema: Schema) -> wq.Query:
    first, second = _query(node[0], schema), _query(node[1], schema)
    if first is None and second is None:
        return wq.NullQuery
    if first is None or second is None:
        return second if first is None else first
    return BINARY[type(node)](first, second)


def _leaf(node: q.Leaf, name: str, boost: float, schema: Schema) -> wq.Query | None:
    field = schema[name]
    if isinstance(node, q.Word):
        return _term(field, name, node.text, wq.Term, boost, tokenize=True)
    if isinstance(node, q.Phrase):
        if getattr(field, "analyzer", None):
            words = [token.text for token in field.tokenize(node.text, mode="query")]
        else:
            words = list(field.process_text(node.text, mode="query"))
        return wq.Phrase(name, words, slop=node.slop, boost=boost)
    if isinstance(node, q.Range):
        return _range(field, name, node, boost)
    kind = {q.Prefix: wq.Prefix, q.Wildcard: wq.Wildcard, q.Fuzzy: wq.FuzzyTerm}[type(node)]
    built = _term(field, name, node.text, kind, boost, tokenize=False)
    if isinstance(node, q.Fuzzy):
        if built is None:
            raise QueryError(f"cannot understand the query (nothing to match in {node.text!r}~)")
        built.maxdist, built.prefixlength = node.distance, node.prefix
    if built is not None:  # as the user wrote it, for a notice that its expansion was capped (bounds.py)
        built.written = {q.Prefix: f"{node.text}*", q.Fuzzy: f"{node.text}~{getattr(node, 'distance', 1)}"}.get(
            type(node), node.text
        )
    return built


def _term(field: FieldType, name: str, text: str, kind: type, boost: float, tokenize: bool) -> wq.Query | None:
    """One clause's text analyzed by its field: a term, a phrase of several, or None (a stopword)."""
    if field.self_parsing():
        try:
            return field.parse_query(name, text, boost=boost)
        except Exception as error:  # a value the field cannot read matches nothing, as in Whoosh
            return wq.error_query(error)
    texts = list(field.process_text(text, mode="query", tokenize=tokenize, removestops=tokenize))
    if len(texts) > 1:
        if field.multitoken_query == "phrase":
            return wq.Phrase(name, texts, boost=boost)
        return wq.Or([kind(name, t, boost=boost) for t in texts])
    return kind(name, texts[0], boost=boost) if texts else None


def _range(field: FieldType, name: str, node: q.Range, boost: float) -> wq.Query:
    start, end = node.start, node.end
    if field.self_parsing():
        try:
            parsed = field.parse_range(name, start, end, node.exclude_start, node.exclude_end, boost=boost)
        except QueryParserError as error:
            return wq.error_query(error)
        if parsed is not None:
            return parsed
    if start:
        start = next(iter(field.process_text(start, mode="query", tokenize=False, removestops=False)), None)
    if end:
        end = next(iter(field.process_text(end, mode="query", tokenize=False, removestops=False)), None)
    return wq.TermRange(name, start, end, node.exclude_start, node.exclude_end, boost=boost)
