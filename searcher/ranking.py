"""Shaping a parsed query for ranking: bonuses for matching more of the words and for finding them
close together, and optional pseudo-relevance feedback (RM3).

BM25F alone scores a document by the sum of its words' scores, so one very rare word can outrank a
document holding every word of the query. The bonuses are extra optional clauses: they never change
which documents match, only their order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import combinations

from whoosh import query as wq
from whoosh.scoring import BM25F

from searcher.analysis import news_analyzer

FIELDS = ("title", "body")
# Coordination: a document holding m of a query's n words has its score multiplied by
# 1 + COORDINATION * (m - 1) / (n - 1), as Lucene's classic coord factor did: all the words of a
# two-word query double the score of one word alone, so a short article that only names one of
# them cannot outrank one about both. Built from one clause per pair of words, each scoring its
# two words again, since Whoosh's Or(minmatch=k) does not match correctly.
COORDINATION = 1.0
MAX_PAIR_WORDS = 6  # above this, C(n, 2) clauses cost more than they tell: one all-words clause
NEAR_BOOST = 0.3  # two neighbouring query words within NEAR_SLOP positions of each other
NEAR_SLOP = 4
# Proximity is for short keyword queries ("air defense"): on Cranfield's long questions it lowered
# MAP (0.349 to 0.345), and each pair is a phrase query, the slowest kind Whoosh runs.
MAX_NEAR_WORDS = 3
# Longer queries are pasted text, where pairs and the all-words clause stop meaning much.
MAX_BONUS_WORDS = 12
# A query with any of these is written in the query language; bonuses are for plain words.
QUERY_SYNTAX = re.compile(r'["():*?~\[\]{}^]|(?:^|\s)[-+]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b')
# "S 400" in a query means the model S400 (the analyzer joins it in articles too).
SPACED_MODEL = re.compile(r"(?<![^\W_])([B-HJ-Z]) (\d{2,4})(?![^\W_])")
# RM3: feedback documents, expansion terms, and the weight of the original query.
FEEDBACK_DOCS = 10
FEEDBACK_TERMS = 10
ORIGINAL_WEIGHT = 0.6


def join_spaced_models(text: str) -> str:
    """ "S 400" becomes "S400", so a spaced model number is one term, as in indexed text."""
    return SPACED_MODEL.sub(r"\1\2", text)


def plain_stems(text: str) -> list[str]:
    """The distinct stems of a query of plain words, in order; empty when it uses query syntax."""
    if QUERY_SYNTAX.search(text):
        return []
    return list(dict.fromkeys(token.text for token in news_analyzer()(text)))


def with_bonuses(parsed: wq.Query, stems: list[str]) -> wq.Query:
    """The query, plus optional clauses rewarding documents with more of the words, and words close
    together. The clauses only add to scores: the query alone decides what matches."""
    if not 2 <= len(stems) <= MAX_BONUS_WORDS:
        return parsed
    clauses: list[wq.Query] = []
    words = [_any_field(stem) for stem in stems]
    if COORDINATION and len(stems) <= MAX_PAIR_WORDS:
        share = COORDINATION / (len(stems) - 1)
        clauses += [wq.And([first, second], boost=share) for first, second in combinations(words, 2)]
    elif COORDINATION:
        clauses.append(wq.And(words, boost=COORDINATION))
    if NEAR_BOOST and len(stems) <= MAX_NEAR_WORDS:
        for first, second in zip(stems, stems[1:], strict=False):
            near = [wq.Phrase(field, [first, second], slop=NEAR_SLOP) for field in FIELDS]
            clauses.append(wq.Or(near, boost=NEAR_BOOST))
    return wq.AndMaybe(parsed, wq.Or(clauses))


def _any_field(stem: str) -> wq.Query:
    return wq.Or([wq.Term(field, stem) for field in FIELDS])


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
        documents = parent.doc_count_all()
        frequency = parent.doc_frequency(fieldname, text)
        return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))
