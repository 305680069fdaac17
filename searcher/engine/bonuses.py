"""The ranking bonuses' settings, one set for both engines (engine/whoosh/ranking.py scores them,
engine/opensearch/ranking.py writes them as query DSL), so the two order a query's matches alike.

A document holding more of a query's words, or holding neighbouring words close together, earns a
bonus on top of its BM25F score; a query of one word or of more than MAX_BONUS_WORDS earns none.
"""

from __future__ import annotations

from collections.abc import Sequence

# Coordination: a document holding m of a query's n words has its score multiplied by
# 1 + COORDINATION * (m - 1) / (n - 1), as Lucene's classic coord factor did: all the words of a
# two-word query double the score of one word alone, so a short article that only names one of
# them cannot outrank one about both.
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
