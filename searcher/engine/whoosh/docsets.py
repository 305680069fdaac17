"""Exact match counts at the speed of set operations.

Whoosh counts a result set by stepping its matcher tree one document at a time in Python, which
costs more than the ranked search itself. Most queries are terms combined with OR, AND and NOT, so
their matches are unions, intersections and differences of posting lists, which Python's sets do
in C. Anything else (phrases, for one) falls back to Whoosh's own matching, so counts stay exact.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ListMatcher, NullMatcher, ReadTooFar
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher

# Queries whose matches are exactly the union of the postings of the terms they expand to.
EXPANDING = (wq.Prefix, wq.Wildcard, wq.FuzzyTerm, wq.Regex, wq.TermRange)


def count_matches(
    searcher: Searcher, query: wq.Query, allowed: set[int] | None = None, denied: set[int] | None = None
) -> int:
    """How many live documents match query (among the allowed ones and not the denied ones, when given)."""
    matches = docset(searcher, query)
    if denied:
        matches -= denied
    return len(matches if allowed is None else matches & allowed)


def docset(searcher: Searcher, query: wq.Query) -> set[int]:
    """The document numbers matching query."""
    reader = searcher.reader()
    if isinstance(query, wq.Term):
        return _postings(reader, query.fieldname, query.text)
    if isinstance(query, UnionOfChildren) and (known := query.known_docs(searcher)) is not None:
        return known
    if isinstance(query, wq.Or | UnionOfChildren):
        return set().union(*(docset(searcher, sub) for sub in query.subqueries))
    if isinstance(query, wq.And):
        return _intersection([docset(searcher, sub) for sub in query.subqueries])
    if isinstance(query, wq.AndNot):
        return docset(searcher, query.a) - docset(searcher, query.b)
    if isinstance(query, wq.AndMaybe):
        return docset(searcher, query.a)
    if isinstance(query, wq.Not):
        return set(reader.all_doc_ids()) - docset(searcher, query.query)
    if isinstance(query, wq.Every):
        return set(reader.all_doc_ids())
    if isinstance(query, wq.NumericRange):  # DateRange too: a union of a few trie terms and ranges
        return docset(searcher, query.simplify(reader))
    if isinstance(query, wq.ConstantScoreQuery):  # what a NumericRange simplifies to: its child's documents
        return docset(searcher, query.child)
    if isinstance(query, TermSet):
        return set().union(*(_postings(reader, query.fieldname, text) for text in query.texts))
    if isinstance(query, EXPANDING):
        return set().union(*(_postings(reader, field, text) for field, text in query.expanded_terms(reader)))
    return set(searcher.docs_for_query(query))


class UnionOfChildren(wq.CompoundQuery):
    """A query matching exactly the documents any of its children matches, however it scores them
    (bm25f.TitleBodyWord): counted as the union of the children's documents, or as what its matcher
    found in each segment when it has just been run there (the count then reads no postings again)."""

    def remember(self, segment: Searcher, docnums: Iterable[int]) -> None:
        """Keeps what the matcher found in this segment, for the count of the same search."""
        self.__dict__.setdefault("_matched", {})[segment.reader()] = docnums

    def known_docs(self, searcher: Searcher) -> set[int] | None:
        """The documents the query's matchers found in every segment of this searcher, or None."""
        matched = self.__dict__.get("_matched", {})
        found: set[int] = set()
        for reader, offset in searcher.reader().leaf_readers():
            docnums = matched.get(reader)
            if docnums is None:
                return None
            found.update(map(offset.__add__, docnums) if offset else docnums)
        return found

    def __getstate__(self) -> dict:
        """Copies (with_boost) leave out what the matchers found: it belongs to the searcher's readers."""
        return {key: value for key, value in self.__dict__.items() if key != "_matched"}


def _postings(reader, fieldname: str, text: str | bytes) -> set[int]:  # noqa: ANN001 - whoosh reader
    if (fieldname, text) not in reader:
        return set()
    found: set[int] = set()
    for leaf, offset in reader.leaf_readers():
        if (fieldname, text) not in leaf:
            continue
        ids = _all_ids(raw_postings(leaf, fieldname, text)) - leaf.deleted_docs_set
        found |= set(map(offset.__add__, ids)) if offset else ids
    return found


def raw_postings(segment, fieldname: str, text: str | bytes):  # noqa: ANN001, ANN201 - whoosh reader, matcher
    """A segment's postings of a term, deleted documents included: Whoosh wraps them in a matcher
    checking every posting against the deletions, which callers do once or need not do at all."""
    matcher = segment.postings(fieldname, text)
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def _all_ids(matcher) -> set[int]:  # noqa: ANN001 - whoosh matcher
    """A fresh matcher's ids, a block at a time: Whoosh's all_ids() makes three method calls per
    posting, which made counting cost as much as the search (pinned whoosh-reloaded 2.7.5)."""
    if not isinstance(matcher, W3LeafMatcher):
        return set(matcher.all_ids())
    ids: set[int] = set()
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        ids.update(matcher._ids)
        matcher._next_block()
    return ids


def _intersection(sets: list[set[int]]) -> set[int]:
    if not sets:
        return set()
    sets.sort(key=len)
    return sets[0].intersection(*sets[1:])


class TermSet(wq.Query):
    """Many terms of one field matched as one set of documents, each scored `boost`: Lucene's
    constant-score rewrite of a wildcard or prefix with many terms. Whoosh scores an OR of terms
    through a tree of matchers stepped document by document in Python (s* took 3.5 s with 128
    terms); here their postings are unioned a block at a time and walked as one sorted list."""

    def __init__(self, fieldname: str, texts: tuple, boost: float = 1.0) -> None:
        self.fieldname, self.texts, self.boost = fieldname, tuple(texts), boost

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and (self.fieldname, self.texts, self.boost) == (
            other.fieldname, other.texts, other.boost)  # fmt: skip

    def __hash__(self) -> int:
        return hash((self.fieldname, self.texts, self.boost))

    def __repr__(self) -> str:
        return f"TermSet({self.fieldname!r}, {len(self.texts)} terms, boost={self.boost})"

    def is_leaf(self) -> bool:
        return True

    def field(self) -> str:
        return self.fieldname

    def terms(self, phrases: bool = False) -> Iterator[tuple[str, object]]:
        for text in self.texts:
            yield self.fieldname, text

    def existing_terms(self, ixreader, phrases: bool = True, expand: bool = False) -> set:  # noqa: ANN001
        return {(self.fieldname, text) for text in self.texts if (self.fieldname, text) in ixreader}

    def estimate_size(self, ixreader) -> int:  # noqa: ANN001 - whoosh reader
        return sum(ixreader.doc_frequency(self.fieldname, text) for text in self.texts)

    def matcher(self, searcher: Searcher, context: object = None):  # noqa: ANN201 - whoosh matcher
        reader = searcher.reader()
        if not reader.is_atomic():  # Whoosh asks each segment's searcher; this is for other callers
            return wq.Or([wq.Term(self.fieldname, t, boost=self.boost) for t in self.texts]).matcher(searcher, context)
        ids = _segment_docs(reader, self.fieldname, self.texts)
        return _SortedIds(sorted(ids), all_weights=self.boost) if ids else NullMatcher()


def _segment_docs(segment, fieldname: str, texts: tuple) -> set[int]:  # noqa: ANN001 - whoosh reader
    found: set[int] = set()
    for text in texts:
        if (fieldname, text) in segment:
            found |= _all_ids(raw_postings(segment, fieldname, text))
    return found - segment.deleted_docs_set if found else found


class _SortedIds(ListMatcher):
    """Whoosh's list matcher, skipping by bisection (its own steps one document at a time)."""

    def skip_to(self, id: int) -> None:  # noqa: A002 - Whoosh's name
        if not self.is_active():
            raise ReadTooFar
        self._i = bisect_left(self._ids, id, self._i)
