"""A plain word scored over the title and the body at once: Robertson's BM25F mixed with the
per-field BM25 sum, from the same postings and field lengths in one pass.

BM25F (Robertson, Zaragoza and Taylor 2004): each field's term frequency is divided by that field's
length normalisation (its own B), weighted, summed over the fields and saturated once with K1, then
multiplied by one idf (of the larger of the two fields' document frequencies, as Lucene's
CombinedFieldQuery takes). A word in both a short title and the body cannot pass the ceiling of one
field, as the per-field sum lets it. The word's score is MIX times that plus (1 - MIX) times the
per-field sum (each field its own BM25 and idf, the title's frequencies times its field boost), as
tests/bench/rankmodel.py chose by leaving one IR collection out.

Every score is computed: the matcher holds each matching document's exact score, so its maximum is
the true upper bound Whoosh's matcher replacement may use, and it offers no block-quality skipping.
"""

from __future__ import annotations

import functools
import math
from bisect import bisect_left
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import compress
from typing import NamedTuple

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import ListMatcher, NullMatcher, ReadTooFar
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from searcher.engine.whoosh.docsets import UnionOfChildren, raw_postings

FIELDS = ("title", "body")
# The per-field BM25 (each field its own saturation and idf; also every fielded clause, phrase and
# expanded term, through ranking.NewsBM25F): Whoosh's defaults, tuned on Cranfield alone.
PER_FIELD_PARAMETERS = {"K1": 1.2, "B": 0.75}
# BM25F's settings and its share of a word's score, chosen by tests/bench/rankmodel.py: for each of
# the six IR collections the setting best on the other five was the same one, and it gave 0.538
# nDCG@10 held out against the per-field sum's 0.526 (Cranfield +.010, CACM +.030, MED +.003,
# SciFact +.034, NPL +.001, LISA -.005). A title word counts 3 times, its length normalised gently
# (B 0.3: a headline's length says little about how much of it is about the word).
BM25F_K1 = 2.0
BM25F_B = {"title": 0.3, "body": 0.75}
BM25F_WEIGHT = {"title": 3.0, "body": 1.0}
BM25F_MIX = 0.7


def idf(documents: int, frequency: int) -> float:
    """Robertson and Sparck Jones' idf, as ranking.NewsBM25F (and Lucene) take it."""
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


def combined_idf(documents: int, frequencies: dict[str, int]) -> float:
    """BM25F's one idf of a word: from the larger of its fields' document frequencies, as Lucene's
    CombinedFieldQuery takes it."""
    return idf(documents, max(frequencies.values()))


# A document's field length as Whoosh stores it: one byte, decoded.
LENGTHS = tuple(byte_to_length(byte) for byte in range(256))


class _Field(NamedTuple):
    """One field's part of a word's score: the per-field BM25 numerator's idf x (K1 + 1), and per
    length byte the per-field denominator's K1 x norm and the divisor turning a posting's weight into
    BM25F's normalised, weighted frequency."""

    scaled_idf: float
    per_field_norm: tuple[float, ...]
    bm25f_divisor: tuple[float, ...]


@functools.lru_cache(maxsize=64)
def _norms(k1: float, b: float, bm25f_b: float, scale: float, average: float) -> tuple[tuple, tuple]:
    """A field's two tables by length byte (the same for every word of an open index)."""
    per_field = tuple(k1 * ((1 - b) + b * length / average) for length in LENGTHS)
    bm25f = tuple(scale * ((1 - bm25f_b) + bm25f_b * length / average) for length in LENGTHS)
    return per_field, bm25f


# What one search reads more than once, kept while it runs (one_search): each word's index-wide
# statistics, which every segment's scorer of the word asks for, and each segment's scored postings
# of it, which the bonuses (ranking.py) need again for the best matches.
_SEARCH_MEMO: ContextVar[dict | None] = ContextVar("search_memo", default=None)


@contextmanager
def one_search() -> Iterator[None]:
    """The scope of one search: inside it, a word's statistics are looked up once (a term lookup per
    segment and field: a third of a search of two words on a 3-segment index), and its postings
    are read once for the scores and the bonuses."""
    token = _SEARCH_MEMO.set({})
    try:
        yield
    finally:
        _SEARCH_MEMO.reset(token)


class WordStatistics(NamedTuple):
    """A word's statistics over the whole index (deleted documents included, as Whoosh counts)."""

    documents: int
    frequencies: dict[str, int]
    averages: dict[str, float]


def word_statistics(parent: Searcher, text: str) -> WordStatistics:
    """The word's document count, document frequency and average length per field, read once a search."""
    memo = _SEARCH_MEMO.get()
    key = ("statistics", parent, text)
    if memo is not None and key in memo:
        return memo[key]
    found = WordStatistics(
        parent.doc_count_all(),
        {field: parent.doc_frequency(field, text) for field in FIELDS},
        {field: parent.avg_field_length(field) or 1.0 for field in FIELDS},
    )
    if memo is not None:
        memo[key] = found
    return found


class ScoredPostings(NamedTuple):
    """A word's scores in the live documents of one segment, and each field's postings (docnums in
    order and their encoded values, the positions) as the scores were computed from them."""

    scores: dict[int, float]
    fields: dict[str, tuple[list[int], list[object]]]


def scored_postings(reader, text: str) -> ScoredPostings | None:  # noqa: ANN001 - a whoosh segment reader
    """What WordScorer.every_score read and computed for the word in this segment during this
    search, or None."""
    memo = _SEARCH_MEMO.get()
    return None if memo is None else memo.get(("postings", reader, text))


class WordScorer:
    """How one word scores in one segment, from the index's statistics (Whoosh's parent searcher:
    all documents, deleted ones included, as ranking.NewsBM25F counts them)."""

    def __init__(self, segment: Searcher, text: str) -> None:
        parent = segment.get_parent()
        documents, frequencies, averages = word_statistics(parent, text)
        self.text = text
        self.fields: dict[str, _Field] = {}
        self.idf = combined_idf(documents, frequencies)
        k1, b = PER_FIELD_PARAMETERS["K1"], PER_FIELD_PARAMETERS["B"]
        for field, frequency in frequencies.items():
            if not frequency:
                continue
            # A posting's weight is its frequency times the field's boost (the title's TITLE_BOOST).
            scale = segment.schema[field].format.field_boost / BM25F_WEIGHT[field]
            average = averages[field]
            tables = _norms(k1, b, BM25F_B[field], scale, average)
            self.fields[field] = _Field(idf(documents, frequency) * (k1 + 1), *tables)

    def combine(self, parts: list[float]) -> float:
        """The word's score from its [BM25F frequency, per-field BM25] summed over the fields."""
        frequency, per_field = parts
        return BM25F_MIX * self.idf * (BM25F_K1 + 1) * frequency / (BM25F_K1 + frequency) + (1 - BM25F_MIX) * per_field

    def part(self, field: str, weight: float, length_byte: int) -> list[float]:
        """One posting's [BM25F frequency, per-field BM25 score] in `field`."""
        stats = self.fields[field]
        return [
            weight / stats.bm25f_divisor[length_byte],
            stats.scaled_idf * weight / (weight + stats.per_field_norm[length_byte]),
        ]

    def every_score(self, segment: Searcher) -> dict[int, float]:
        """The word's score in each live document of the segment holding it."""
        reader = segment.reader()
        memo = _SEARCH_MEMO.get()
        parts: dict[int, list[float]] = {}
        read: dict[str, tuple[list[int], list[object]]] = {}
        for field, stats in self.fields.items():
            if (field, self.text) not in reader:
                continue
            lengths = length_bytes(reader, field)
            scaled_idf, norm, divisor = stats
            ids, weights, values = _postings(raw_postings(reader, field, self.text), memo is not None)
            read[field] = ids, values
            for docnum, weight in zip(ids, weights, strict=True):
                byte = lengths[docnum]
                held = parts.get(docnum)
                if held is None:
                    parts[docnum] = [weight / divisor[byte], scaled_idf * weight / (weight + norm[byte])]
                else:
                    held[0] += weight / divisor[byte]
                    held[1] += scaled_idf * weight / (weight + norm[byte])
        if reader.has_deletions():
            for docnum in reader.deleted_docs_set & parts.keys():
                del parts[docnum]
        k1, saturated, rest = BM25F_K1, BM25F_MIX * self.idf * (BM25F_K1 + 1), 1 - BM25F_MIX
        scores = {docnum: saturated * f / (k1 + f) + rest * s for docnum, (f, s) in parts.items()}
        if memo is not None:  # for the bonuses of the same search (ranking.py)
            memo["postings", reader, self.text] = ScoredPostings(scores, read)
        return scores


def length_bytes(reader, field: str):  # noqa: ANN001, ANN201 - a whoosh segment reader; indexable by docnum
    """A segment's length byte of every document in a field: the bytes searching.py read into memory
    when it opened the index, or Whoosh's column reader."""
    perdoc = reader._perdoc  # noqa: SLF001 - the lengths column, without a method call per document
    name = _lenfield(field)
    held = perdoc._readers.get(name)  # noqa: SLF001
    return held if held is not None else perdoc._cached_reader(name, LENGTHS_COLUMN)  # noqa: SLF001


def _postings(matcher, with_values: bool) -> tuple[list[int], list[float], list[object]]:  # noqa: ANN001
    """A fresh term matcher's docnums, weights and (when asked) encoded values, a block at a time
    where Whoosh stores blocks (the values come with the block's data: keeping them costs no read)."""
    ids: list[int] = []
    weights: list[float] = []
    values: list[object] = []
    if not isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if with_values:
                values.append(matcher.value())
            matcher.next()
        return ids, weights, values
    while matcher.is_active():
        matcher._read_ids()  # noqa: SLF001 - a block's ids and weights at once, not a call per posting
        matcher._read_weights()  # noqa: SLF001
        ids.extend(matcher._ids)  # noqa: SLF001
        weights.extend(matcher._weights)  # noqa: SLF001
        if with_values:
            matcher._read_values()  # noqa: SLF001
            values.extend(matcher._values)  # noqa: SLF001
        matcher._next_block()  # noqa: SLF001
    return ids, weights, values


class _ScoredWords(UnionOfChildren):
    """Plain words scored by WordScorer in one matcher. Whoosh's rewrites (apply, normalize,
    simplify) would take it apart into per-field terms scored field by field: it stays as built."""

    def apply(self, fn) -> _ScoredWords:  # noqa: ANN001 - its words are what they are
        return self

    def normalize(self) -> _ScoredWords:
        return self

    def simplify(self, ixreader) -> _ScoredWords:  # noqa: ANN001
        return self

    def scores(self, searcher: Searcher) -> dict[int, float]:
        """Each matching document's score in this segment."""
        raise NotImplementedError

    def matcher(self, searcher: Searcher, context: object = None):  # noqa: ANN201 - a whoosh matcher
        if not searcher.reader().is_atomic():  # Whoosh asks each segment's searcher; this is for other callers
            return wq.Or(list(self.subqueries), boost=self.boost).matcher(searcher, context)
        scores = self.scores(searcher)
        self.remember(searcher, scores.keys())
        return scored_ids(scores, self.boost)


class TitleBodyWord(_ScoredWords):
    """A plain word searched in the title and the body, scored by WordScorer. Its children are the
    two fields' terms, so highlighting, counting and the cost bounds see the terms they always did."""

    FIELDS = FIELDS

    def __init__(self, subqueries: list[wq.Query] | str, boost: float = 1.0) -> None:
        text = subqueries if isinstance(subqueries, str) else subqueries[0].text
        super().__init__([wq.Term(field, text) for field in FIELDS], boost=boost)
        self.text = text

    def __repr__(self) -> str:
        return f"TitleBodyWord({self.text!r}, boost={self.boost})"

    def __str__(self) -> str:
        return f"(title:{self.text} OR body:{self.text})"

    def scores(self, searcher: Searcher) -> dict[int, float]:
        return WordScorer(searcher, self.text).every_score(searcher)


class TitleBodyWords(_ScoredWords):
    """Several TitleBodyWords ORed: one matcher over the sum of their scores, where Whoosh would
    step a tree of matchers document by document in Python (the cost of a search of a few words)."""

    def scores(self, searcher: Searcher) -> dict[int, float]:
        total: dict[int, float] = {}
        for word in self.subqueries:
            for docnum, score in word.scores(searcher).items():
                total[docnum] = total.get(docnum, 0.0) + score * word.boost
        return total


def scored_ids(scores: dict[int, float], boost: float):  # noqa: ANN201 - a whoosh matcher
    """A matcher over these documents' scores, times the boost."""
    if not scores:
        return NullMatcher()
    ids = sorted(scores)
    return ScoredIds(ids, [scores[docnum] * boost for docnum in ids])


# Matches read between two looks at the collector's lowest kept score.
SCORED_CHUNK = 128


class ScoredIds(ListMatcher):
    """Documents with their scores computed beforehand. The greatest of them is the exact upper bound
    Whoosh's matcher replacement asks for; there are no blocks, so no block-quality skipping."""

    def __init__(self, ids: list[int], scores: list[float], position: int = 0) -> None:
        super().__init__(ids, position=position)
        self._scores = scores
        self._max = max(scores)

    def copy(self) -> ScoredIds:
        return ScoredIds(self._ids, self._scores, self._i)

    def skip_to(self, id: int) -> None:  # noqa: A002 - Whoosh's name
        if not self.is_active():
            raise ReadTooFar
        self._i = bisect_left(self._ids, id, self._i)

    def scored(self, floor: Callable[[], float | None]) -> Iterator[tuple[int, float]]:
        """Every (id, score) in id order, without a method call per match, leaving out a chunk's
        matches scoring at most `floor()` (a collector's lowest kept score, once it keeps all it
        may): those could not be kept, and they are most matches of a common word."""
        ids, scores = self._ids, self._scores
        for start in range(self._i, len(ids), SCORED_CHUNK):
            end = min(start + SCORED_CHUNK, len(ids))
            least = floor()
            chunk = (
                range(start, end)
                if least is None
                else compress(range(start, end), map(least.__lt__, scores[start:end]))
            )
            for i in chunk:
                yield ids[i], scores[i]

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return self._max

    def block_quality(self) -> float:
        return self._max

    def weight(self) -> float:
        return self._scores[self._i]

    def score(self) -> float:
        return self._scores[self._i]
