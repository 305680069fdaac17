"""The ranking bonuses (engine/bonuses.py; the Whoosh engine scores them in engine/whoosh/ranking.py)
as query DSL, so both engines order a plain-word query's matches alike.

A document holding several of a query's words has its score multiplied by 1 + the share of the
query's idf it holds beyond its best word (coordination, bonuses.coordination_share: (m - 1) /
(n - 1) for m of n equally rare words; all or nothing past MAX_PAIR_WORDS), and two neighbouring words of the query add
NEAR_BOOST times their two scores, half for being found in order within NEAR_SLOP positions in the
title or the body, half for being within NEAR_WINDOW positions in either order (proximity). The
bonuses never change which documents match. Whoosh re-scores only its RERANK_DEPTH best BM25F
matches; the cluster scores every match with them (a `rescore` window cannot be combined with
`collapse`, which folds copies). Lucene's stop filter leaves a gap where it drops a word and
Whoosh's closes it, so two words with a stopword between them are next to each other for Whoosh
only (both engines find them within the window).
"""

from __future__ import annotations

from searcher.engine.bonuses import (
    COORDINATION,
    MAX_NEAR_WORDS,
    MAX_PAIR_WORDS,
    NEAR_BOOST,
    NEAR_SLOP,
    NEAR_WINDOW,
    earns_bonuses,
)
from searcher.engine.opensearch.translate import WORD_IDF, word_query

FIELDS = ("title", "body")


def with_bonuses(words: dict, stems: tuple[str, ...]) -> dict:
    """The words' query, its scores shaped by coordination and proximity when the query earns them.

    `stems` are the query's distinct terms as the index holds them (searcher's analyzer)."""
    if not earns_bonuses(stems):
        return words
    ranked = _coordinated(words, stems) if COORDINATION else words
    if not NEAR_BOOST or len(stems) > MAX_NEAR_WORDS:
        return ranked
    pairs = [
        _near_pair(first, second, ordered, gaps)
        for first, second in zip(stems, stems[1:], strict=False)
        for ordered, gaps in ((True, NEAR_SLOP - 1), (False, NEAR_WINDOW - 1))
    ]
    return {"bool": {"must": [ranked], "should": pairs}}


def _holds(stem: str) -> dict:
    return {"bool": {"should": [{"term": {field: stem}} for field in FIELDS], "minimum_should_match": 1}}


def _coordinated(words: dict, stems: tuple[str, ...]) -> dict:
    """The score times 1 + COORDINATION x bonuses.coordination_share: with the words in decreasing
    idf, each word held with a rarer one adds its idf's share (the sum beyond a document's best
    word), as function weights summed over the words a document holds, plus 1 for every match."""
    n = len(stems)
    functions = []
    if n <= MAX_PAIR_WORDS:
        weights = {stem: WORD_IDF.get().get(stem, 0.0) for stem in stems}
        ordered = sorted(stems, key=lambda stem: -weights[stem])
        beyond_best = sum(weights[stem] for stem in ordered[1:])
        for i, stem in enumerate(ordered[1:] if beyond_best > 0 else [], start=1):
            with_rarer = {"bool": {"filter": [_holds(stem)], "should": [_holds(other) for other in ordered[:i]],
                                   "minimum_should_match": 1}}  # fmt: skip
            if weights[stem] > 0:
                functions.append({"filter": with_rarer, "weight": COORDINATION * weights[stem] / beyond_best})
    else:
        every = {"bool": {"filter": [_holds(stem) for stem in stems]}}
        functions = [{"filter": every, "weight": COORDINATION}]
    functions.append({"filter": {"match_all": {}}, "weight": 1.0})
    return {"function_score": {"query": words, "functions": functions, "score_mode": "sum", "boost_mode": "multiply"}}


def _near_pair(first: str, second: str, ordered: bool, gaps: int) -> dict:
    """Half of NEAR_BOOST times both words' scores where the two are at most `gaps` positions
    apart in the title or the body (`second` after `first` when `ordered`); scored by the two
    words, matched by an interval in either field."""
    near = {"match": {"query": f"{first} {second}", "analyzer": "whitespace", "ordered": ordered,
                      "max_gaps": gaps}}  # fmt: skip
    either = {"bool": {"should": [{"intervals": {field: near}} for field in FIELDS], "minimum_should_match": 1}}
    return {
        "bool": {
            "must": [word_query(first), word_query(second)],
            "filter": [either],
            "boost": NEAR_BOOST / 2,
        }
    }
