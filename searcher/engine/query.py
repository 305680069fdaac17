"""searcher's own query tree: what a query string means, for any engine to translate.

The search stage parses a query string once into these nodes (search/query.py); each engine turns
them into its own queries (engine/whoosh/translate.py for Whoosh). Leaves hold words as the user
wrote them: analysis into terms (stemming, stopwords, model numbers) is the engine's, done with
searcher's analyzer, so that a query and the indexed text agree.

A leaf's `field` is None for the default fields (title and body), else a field a query may name
(QUERY_FIELDS). `boost` multiplies the clause's score; `count` says how many times a word was
given (a repeated word is one clause).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

# Fields a query may name; any other `name:` is read as text.
TEXT_FIELDS = ("title", "body")
# `path:` is a folder the article's file lies in (or the file), `site:` its URL's site (places.py).
QUERY_FIELDS = frozenset({*TEXT_FIELDS, "topics", "date", "year", "month", "id", "path", "site"})
FIELD_ALIASES = {"topic": "topics", "url": "site"}
# Fields that narrow the articles rather than match words: `topic:energy`, `date:2019`, `site:bbc.co.uk`.
FILTER_FIELDS = frozenset({"topics", "date", "site", "path"})


class Word(NamedTuple):
    """A word (or a hyphenated or quoted-as-one group of words) to match; analyzed by the engine."""

    text: str
    field: str | None = None
    boost: float = 1.0
    count: int = 1


class Phrase(NamedTuple):
    """Words in this order, at most `slop` positions apart."""

    text: str
    field: str | None = None
    boost: float = 1.0
    slop: int = 1


class Prefix(NamedTuple):
    """Any term starting with text (`elect*`)."""

    text: str
    field: str | None = None
    boost: float = 1.0


class Wildcard(NamedTuple):
    """A term pattern with `*` (any characters) and `?` (one character)."""

    text: str
    field: str | None = None
    boost: float = 1.0


class Fuzzy(NamedTuple):
    """Terms within `distance` edits of text, sharing its first `prefix` characters (`putn~`)."""

    text: str
    field: str | None = None
    boost: float = 1.0
    distance: int = 1
    prefix: int = 0


class Range(NamedTuple):
    """Values from start to end (either open when None), on a field such as date: `date:[2016 to 2017]`."""

    field: str | None
    start: str | None
    end: str | None
    exclude_start: bool = False
    exclude_end: bool = False
    boost: float = 1.0


class Everything(NamedTuple):
    """Every article (`*:*`)."""

    boost: float = 1.0


class All(NamedTuple):
    """Every clause must match."""

    clauses: tuple[Query, ...]
    boost: float = 1.0


class Any(NamedTuple):
    """At least one clause must match; more matching clauses score higher."""

    clauses: tuple[Query, ...]
    boost: float = 1.0


class Not(NamedTuple):
    """Articles the clause does not match."""

    clause: Query


class AndNot(NamedTuple):
    """Articles matching `positive` but not `negative`; only `positive` is scored."""

    positive: Query
    negative: Query


class AndMaybe(NamedTuple):
    """Articles matching `required`, scored higher when `optional` matches too."""

    required: Query
    optional: Query


class Require(NamedTuple):
    """Articles matching both, scored by `scored` alone."""

    scored: Query
    required: Query


Leaf = Word | Phrase | Prefix | Wildcard | Fuzzy | Range | Everything
Query = Leaf | All | Any | Not | AndNot | AndMaybe | Require
LEAVES = (Word, Phrase, Prefix, Wildcard, Fuzzy, Range, Everything)


class SearchQuery(NamedTuple):
    """A query string's meaning for a ranked search: the words to match and score, the topic and
    date clauses that filter them (never scored), the clauses that exclude articles, and its plain
    words' stems (for ranking bonuses; empty when the query uses query syntax)."""

    words: Query
    filters: tuple[Query, ...] = ()
    excluded: Query | None = None
    stems: tuple[str, ...] = ()


def children(query: Query) -> tuple[Query, ...]:
    """The clauses directly under a node (none for a leaf)."""
    if isinstance(query, All | Any):
        return query.clauses
    if isinstance(query, Not):
        return (query.clause,)
    if isinstance(query, AndNot | AndMaybe | Require):
        return (query[0], query[1])
    return ()


def leaves(query: Query) -> Iterator[Leaf]:
    """Every leaf under (or at) a node, in order."""
    if isinstance(query, LEAVES):
        yield query
        return
    for child in children(query):
        yield from leaves(child)


def field_of(leaf: Leaf) -> str | None:
    return None if isinstance(leaf, Everything) else leaf.field


def has_negation(query: Query) -> bool:
    """Whether some part of the query excludes articles."""
    return isinstance(query, Not | AndNot) or any(has_negation(child) for child in children(query))


def with_boost(query: Query, boost: float) -> Query:
    """The node with another boost (nodes without one are returned unchanged)."""
    return query._replace(boost=boost) if "boost" in query._fields else query
