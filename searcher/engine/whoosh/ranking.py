"""Shaping a parsed query for ranking: bonuses for matching more of the words and for finding them
close together, and optional pseudo-relevance feedback (RM3).

BM25F alone scores a document by the sum of its words' scores, so one very rare word can outrank a
document holding every word of the query. The bonuses re-score the RERANK_DEPTH best BM25F matches:
they never change which documents match, only the order of the first ones.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.fields import Schema
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from searcher.analysis import news_analyzer
from searcher.engine.bonuses import (
    COORDINATION,
    MAX_NEAR_WORDS,
    MAX_PAIR_WORDS,
    NEAR_BOOST,
    NEAR_SLOP,
    NEAR_WINDOW,
    coordination_share,
    earns_bonuses,
)
from searcher.engine.whoosh.bm25f import (
    ScoredPostings,
    WordScorer,
    combined_idf,
    idf,
    length_bytes,
    scored_postings,
    word_statistics,
)
from searcher.engine.whoosh.docsets import raw_postings

FIELDS = ("title", "body")
# A word said n times in a query weighs (K3 + 1) n / (K3 + n) times, Robertson's query-term
# saturation: 1 for once, 1.33 for twice, 1.5 for three times. Chosen over no weighting and over
# linear weighting (bm25s', Lucene's) by leave-one-collection-out over the six IR collections
# (tests/bench/relevance.py): linear lost on LISA and MED, none lost on CACM and LISA.
QUERY_TF_K3 = 1.0
# The best BM25F matches re-scored with the bonuses; a document further down is unlikely to climb
# into the first page, since the bonuses add at most 1.3 times a score.
RERANK_DEPTH = 50
# RM3: feedback documents, expansion terms, and the weight of the original query. Chosen by leaving
# one IR collection out (tests/bench/relevance.py --expand-grid): five of the six folds chose this
# setting on the other five, held out 0.556 nDCG@10 against 0.552 for 10 terms at 0.6.
FEEDBACK_DOCS = 10
FEEDBACK_TERMS = 20
ORIGINAL_WEIGHT = 0.8


def query_term_weight(count: int) -> float:
    """How much a query word said `count` times weighs (see QUERY_TF_K3)."""
    return (QUERY_TF_K3 + 1) * count / (QUERY_TF_K3 + count)


def bonuses(searcher: Searcher, docnums: Iterable[int], stems: list[str]) -> dict[int, float]:
    """Score to add to each of these documents for holding more of the words, and words close
    together; empty when the query is not a short list of plain words.

    Computed from the documents' postings rather than as extra query clauses: Whoosh would run a
    phrase matcher over every document holding both words, where only the few ranked first count.
    """
    if not earns_bonuses(stems):
        return {}
    wanted = sorted(set(docnums))
    near = NEAR_BOOST and len(stems) <= MAX_NEAR_WORDS
    found = _occurrences(searcher, wanted, stems, positions=bool(near))
    weights = word_weights(searcher, stems)
    return {
        docnum: _coordination(found[docnum], weights) + (_proximity(found[docnum], stems) if near else 0.0)
        for docnum in wanted
    }


def word_weights(searcher: Searcher, stems: list[str]) -> dict[str, float]:
    """Each query word's BM25F idf (bm25f.WordScorer's), 0 for a word no document holds: what
    coordination weighs the words it counts by."""
    weights = {}
    for stem in stems:
        documents, frequencies, _ = word_statistics(searcher.get_parent(), stem)
        weights[stem] = combined_idf(documents, frequencies) if any(frequencies.values()) else 0.0
    return weights


class Occurrence(NamedTuple):
    """One query word in one document: its score there (bm25f.WordScorer, over both fields) and its
    positions in each field that holds it."""

    score: float
    positions: dict[str, tuple[int, ...]]


def _occurrences(
    searcher: Searcher, docnums: list[int], stems: list[str], positions: bool
) -> dict[int, dict[str, Occurrence]]:
    """For each document (in increasing order), the query words it holds."""
    found: dict[int, dict[str, Occurrence]] = {docnum: {} for docnum in docnums}
    for segment, offset in searcher.leaf_searchers():
        reader = segment.reader()
        local = [docnum - offset for docnum in docnums if offset <= docnum < offset + reader.doc_count_all()]
        for stem in stems if local else ():
            known = scored_postings(reader, stem)
            if known is not None:  # scored by this search's matcher: its scores and positions, no postings read
                _known_occurrences(found, offset, local, stem, known, segment.schema if positions else None)
                continue
            scorer = WordScorer(segment, stem)
            parts: dict[int, list[float]] = {}
            where: dict[int, dict[str, tuple[int, ...]]] = {}
            for field in scorer.fields:
                if (field, stem) not in reader:
                    continue
                lengths = length_bytes(reader, field)
                postings = raw_postings(reader, field, stem)  # deleted documents are never asked for
                for docnum in local:
                    if _seek(postings, docnum):
                        part = scorer.part(field, postings.weight(), lengths[docnum])
                        held = parts.setdefault(docnum, [0.0, 0.0])
                        held[0], held[1] = held[0] + part[0], held[1] + part[1]
                        where.setdefault(docnum, {})[field] = tuple(postings.value_as("positions")) if positions else ()
                    elif not postings.is_active():
                        break
            for docnum, held in parts.items():
                found[offset + docnum][stem] = Occurrence(scorer.combine(held), where[docnum])
    return found


def _known_occurrences(
    found: dict[int, dict[str, Occurrence]],
    offset: int,
    local: list[int],
    stem: str,
    known: ScoredPostings,
    schema: Schema | None,
) -> None:
    """The word's occurrences in these documents of a segment, from what the search's matcher
    read and scored there (positions decoded only when `schema` is given)."""
    scores = known.scores
    for docnum in local:
        score = scores.get(docnum)
        if score is None:
            continue
        where: dict[str, tuple[int, ...]] = {}
        for field, (ids, values) in known.fields.items() if schema is not None else ():
            i = bisect_left(ids, docnum)
            if i < len(ids) and ids[i] == docnum:
                where[field] = tuple(schema[field].format.decode_as("positions", values[i]))
        found[offset + docnum][stem] = Occurrence(score, where)


def _seek(postings, docnum: int) -> bool:  # noqa: ANN001 - a whoosh matcher
    """Moves the postings to docnum (or past it) and says whether docnum is there: block by block,
    then by bisection inside the block, where Whoosh's skip_to steps posting by posting (which cost
    more than the search itself for two common words)."""
    if not isinstance(postings, W3LeafMatcher):
        if postings.is_active():
            postings.skip_to(docnum)
        return postings.is_active() and postings.id() == docnum
    if not postings.is_active():
        return False
    if docnum > postings.block_max_id():
        postings._skip_to_block(lambda: docnum > postings.block_max_id())  # noqa: SLF001
        if not postings.is_active():
            return False
    if postings._ids is None:  # noqa: SLF001 - read a block's ids once, not once per step
        postings._read_ids()  # noqa: SLF001
    ids = postings._ids  # noqa: SLF001
    postings._i = bisect_left(ids, docnum, postings._i)  # noqa: SLF001
    return ids[postings._i] == docnum  # noqa: SLF001


def _coordination(words: dict[str, Occurrence], weights: dict[str, float]) -> float:
    """Lucene's coord factor as a bonus, weighted by the words' idfs: the words' scores times
    COORDINATION times bonuses.coordination_share (all or nothing past MAX_PAIR_WORDS)."""
    if not COORDINATION or len(words) < 2:
        return 0.0
    held = sum(word.score for word in words.values())
    if len(weights) <= MAX_PAIR_WORDS:
        return held * COORDINATION * coordination_share(words, weights)
    return held * COORDINATION if len(words) == len(weights) else 0.0


def _proximity(words: dict[str, Occurrence], stems: list[str]) -> float:
    """For each neighbouring pair of query words, NEAR_BOOST times both words' scores: half for the
    two in order within NEAR_SLOP positions (what a sloppy phrase query matches), half for the two
    within NEAR_WINDOW of each other in either order, in the title or the body."""
    bonus = 0.0
    for first, second in zip(stems, stems[1:], strict=False):
        before, after = words.get(first), words.get(second)
        if not (before and after):
            continue
        pairs = [(before.positions.get(field, ()), after.positions.get(field, ())) for field in FIELDS]
        # In order within NEAR_SLOP is within NEAR_WINDOW too: both halves.
        held = 1.0 if any(_in_order(*pair) for pair in pairs) else 0.5 * any(_in_window(*pair) for pair in pairs)
        bonus += held * NEAR_BOOST * (before.score + after.score)
    return bonus


def _in_order(first: tuple[int, ...], second: tuple[int, ...]) -> bool:
    following = set(second)
    return any(position + gap in following for position in first for gap in range(1, NEAR_SLOP + 1))


def _in_window(first: tuple[int, ...], second: tuple[int, ...]) -> bool:
    """Whether some position of `second` is within NEAR_WINDOW of one of `first` (positions come
    in increasing order)."""
    for position in first:
        i = bisect_left(second, position - NEAR_WINDOW)
        if i < len(second) and second[i] <= position + NEAR_WINDOW:
            return True
    return False


def feedback_terms(feedback: list[tuple[str, float]], query_terms: set[str]) -> wq.Query | None:
    """RM3's expansion: the terms most likely under the best documents of a first search, weighted.

    `feedback` holds (body, score) of those documents. P(w|R) is the score-weighted average of each
    document's term frequencies (Lavrenko and Croft's relevance model); query terms are left out.
    """
    if not feedback:
        return None
    top = max(score for _, score in feedback)
    weights = [math.exp(score - top) for _, score in feedback]
    total_weight = sum(weights)
    relevance: Counter[str] = Counter()
    for (body, _), weight in zip(feedback, weights, strict=True):
        stems = [token.text for token in news_analyzer()(body)]
        for stem, count in Counter(stems).items():
            relevance[stem] += weight / total_weight * count / len(stems)
    expansion = [(stem, p) for stem, p in relevance.most_common() if stem not in query_terms][:FEEDBACK_TERMS]
    if not expansion:
        return None
    norm = sum(p for _, p in expansion)
    return wq.Or([wq.Term("body", stem, boost=len(expansion) * p / norm) for stem, p in expansion])


def combine(ranked: wq.Query, expansion: wq.Query) -> wq.Query:
    """RM3's final query: the original weighted ORIGINAL_WEIGHT, the expansion the rest."""
    return wq.Or([ranked.with_boost(ORIGINAL_WEIGHT), expansion.with_boost(1 - ORIGINAL_WEIGHT)])


class NewsBM25F(BM25F):
    """Whoosh's BM25F with Robertson and Sparck Jones' idf, log(1 + (N - n + 0.5) / (n + 0.5)), as
    Lucene and Elasticsearch use. Whoosh's own, log(N / (n + 1)) + 1, gives words in most documents
    nearly half the weight of the rarest, so a long query's common words drown its telling ones."""

    def idf(self, searcher, fieldname: str, text: str) -> float:  # noqa: ANN001 - whoosh searcher
        parent = searcher.get_parent()
        return idf(parent.doc_count_all(), parent.doc_frequency(fieldname, text))
