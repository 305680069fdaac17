"""The ranking bonuses' settings, one set for both engines (engine/whoosh/ranking.py scores them,
engine/opensearch/ranking.py writes them as query DSL), so the two order a query's matches alike.

A document holding more of a query's words, or holding neighbouring words close together, earns a
bonus on top of its BM25F score; a query of one word or of more than MAX_BONUS_WORDS earns none.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

# Coordination: a document holding several of a query's words has its score multiplied by
# 1 + COORDINATION * share, the share being the idf its words hold beyond its best one, over the
# same for the query (coordination_share): Lucene's classic coord factor, (m - 1) / (n - 1) for m
# of n words, when the words are equally rare. All the words of a two-word query double the score
# of one word alone, so a short article that only names one of them cannot outrank one about both;
# and a rare word held with the best one counts for more than a common word ("use", "method") held
# with it, which counting words let outrank the one article naming the rarest word. Chosen by
# tests/bench/rankmodel.py's coordination-idf family: each of the six IR collections, left out,
# chose it over counting words on the other five (nDCG@10 held out: Cranfield +.000, CACM +.003,
# MED +.001, LISA 0, NPL +.006, SciFact +.004).
COORDINATION = 1.0
MAX_PAIR_WORDS = 6  # above this, only a document with all the words gets the bonus
# Proximity (sequential dependence, after Metzler and Croft): each pair of neighbouring query words
# adds NEAR_BOOST times their two scores, half of it for the words found next to each other in
# order and half for finding them within NEAR_WINDOW positions of each other in either order, in
# the title or the body. Chosen by tests/bench/rankmodel.py's proximity family: each of the six IR
# collections, left out, chose this one on the other five, held out 0.545 nDCG@10 against 0.542
# for in-order pairs within 4 positions worth 0.3 on queries of up to 3 words (Cranfield +.003,
# CACM +.014, MED +.004, LISA 0, NPL -.003, SciFact +.002).
NEAR_BOOST = 0.15
NEAR_SLOP = 1  # in order: the next position
NEAR_WINDOW = 8  # either order (at least NEAR_SLOP)
# Longer queries are pasted text, where pairs and the all-words clause stop meaning much.
MAX_BONUS_WORDS = 12
MAX_NEAR_WORDS = MAX_BONUS_WORDS


def earns_bonuses(stems: Sequence[str]) -> bool:
    """Whether a query of these plain words gets coordination and proximity bonuses."""
    return 2 <= len(stems) <= MAX_BONUS_WORDS


def coordination_share(held: Collection[str], weights: Mapping[str, float]) -> float:
    """The share of the query's word weights (idfs; 0 for a word no document holds) that a document
    holding the words `held` has beyond its best word, over the query's own beyond its best: 0 for
    one word, 1 for every word; (m - 1) / (n - 1) when the weights are equal."""
    query = sorted(weights.values(), reverse=True)
    beyond_best = sum(query[1:])
    if len(held) < 2 or beyond_best <= 0:
        return 0.0
    found = [weights.get(word, 0.0) for word in held]
    return (sum(found) - max(found)) / beyond_best
