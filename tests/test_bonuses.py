"""Coordination's share (engine/bonuses.py), which both engines multiply a document's score by."""

from __future__ import annotations

import pytest

from searcher.engine.bonuses import coordination_share


def test_equally_rare_words_count_as_lucenes_coord_factor():
    weights = dict.fromkeys(["gas", "pipeline", "turkey", "deal"], 2.0)
    assert coordination_share({"gas"}, weights) == 0.0
    assert coordination_share({"gas", "deal"}, weights) == pytest.approx(1 / 3)
    assert coordination_share({"gas", "pipeline", "turkey"}, weights) == pytest.approx(2 / 3)
    assert coordination_share(set(weights), weights) == pytest.approx(1.0)


def test_a_rare_word_beside_the_best_counts_more_than_a_common_one():
    weights = {"onchocerciasis": 8.0, "ivermectin": 7.0, "treat": 2.0, "use": 1.0}
    with_rare = coordination_share({"onchocerciasis", "ivermectin"}, weights)
    with_common = coordination_share({"onchocerciasis", "use"}, weights)
    two_common = coordination_share({"treat", "use"}, weights)
    assert with_rare == pytest.approx(0.7)
    assert with_common == pytest.approx(0.1)
    assert two_common == pytest.approx(0.1)


def test_a_word_no_document_holds_weighs_nothing():
    """A misspelt word of the query does not lower every document's share (it did as one of n)."""
    weights = {"ferry": 3.0, "strike": 3.0, "strkie": 0.0}
    assert coordination_share({"ferry", "strike"}, weights) == pytest.approx(1.0)


def test_a_query_of_one_known_word_gives_no_share():
    assert coordination_share({"ferry"}, {"ferry": 3.0, "strkie": 0.0}) == 0.0
