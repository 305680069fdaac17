"""Queries with bounded cost: wildcard, prefix and fuzzy terms expand to a capped number of terms
(with a notice saying so), and a query that runs past its time limit stops with exit code 2.
How long the slowest query shapes take on the Reuters index is measured by tests/bench/query.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli
from searcher.engine.whoosh import bounds, searching


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def ids(result) -> list[str]:  # noqa: ANN001 - click Result
    assert result.exit_code == 0, result.stderr
    return sorted(hit["id"] for hit in json.loads(result.stdout)["hits"])


def test_a_prefix_with_more_terms_than_the_cap_searches_the_most_frequent_and_says_so(
    seed_index: Path, monkeypatch: pytest.MonkeyPatch
):
    whole = invoke("search", "--json", "missil*")
    assert json.loads(whole.stdout)["notices"] == []  # missile, missiles: under the cap
    monkeypatch.setattr(bounds, "MAX_EXPANSIONS", 3)
    capped = invoke("search", "--json", "s*")
    assert capped.exit_code == 0, capped.stderr
    notice = json.loads(capped.stdout)["notices"]
    assert len(notice) == 1 and notice[0].startswith("s* matches ")
    assert notice[0].endswith(" terms; searched the 3 most frequent")
    shown = invoke("search", "s*")
    assert shown.stderr.startswith("searcher: s* matches ")


def test_a_fuzzy_term_keeps_its_closest_terms_first(seed_index: Path, monkeypatch: pytest.MonkeyPatch):
    reader = searching.open_searcher(seed_index).reader()
    closest = bounds.fuzzy_terms(reader, "body", "erdgan", 2)
    assert closest[0] == "erdogan"
    assert all(len(term) >= 4 for term in closest)  # within two edits of a six-letter word
    monkeypatch.setattr(bounds, "MAX_EXPANSIONS", 1)
    assert ids(invoke("search", "--json", "erdgan~2")) == ids(invoke("search", "--json", "erdogan"))


def test_a_fuzzy_term_finds_what_whooshs_own_expansion_finds(seed_index: Path):
    reader = searching.open_searcher(seed_index).reader()
    for word, distance in (("erdgan", 2), ("missle", 1), ("turkye", 2), ("s400", 1)):
        whoosh_own = {t if isinstance(t, str) else t.decode() for t in reader.terms_within("body", word, distance)}
        assert set(bounds.fuzzy_terms(reader, "body", word, distance)) == whoosh_own, word


def test_a_query_past_its_time_limit_stops_with_exit_2_and_the_index_answers_after(seed_index: Path):
    result = invoke("search", "--time-limit", "0.000001", "erdgan~2")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: the query ran longer than 1e-06 s, the limit for one query; narrow it (fewer wildcards "
        "and fuzzy terms, longer prefixes) or raise --time-limit\n"
    )
    assert len(ids(invoke("search", "--json", "S-400"))) == 3


def test_a_time_limit_must_be_positive(seed_index: Path):
    result = invoke("search", "--time-limit", "0", "putin")
    assert result.exit_code == 2
    assert "--time-limit" in result.stderr


def test_a_prefix_of_many_terms_matches_exactly_whooshs_documents_each_scored_alike(
    seed_index: Path, monkeypatch: pytest.MonkeyPatch
):
    from whoosh import query as wq

    from searcher.engine.whoosh.docsets import docset

    monkeypatch.setattr(bounds, "MAX_EXPANSIONS", 1000)  # every term of s*
    monkeypatch.setattr(bounds, "SCORED_MAX_TERMS", 0)  # as one set in both fields
    result = invoke("search", "--json", "-n", "50", "s*")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    searcher = searching.open_searcher(seed_index)
    whoosh_own = docset(searcher, wq.Or([wq.Prefix("title", "s"), wq.Prefix("body", "s")]))
    assert found["total"] == len(whoosh_own) == 5
    assert {hit["score"] for hit in found["hits"]} <= {1.0, 2.0}  # in the body, or in title and body
    assert found["hits"][0]["highlights"]  # its terms are highlighted
