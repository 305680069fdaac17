"""Dates and topics as users search with them: filters, sorting, facets, timeline, `searcher topics`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli
from tests.conftest import SEED_DATES, lay_out_dated_corpus


@pytest.fixture
def corpus_index(runner: CliRunner) -> None:
    """The seeds (three in dated folders) plus the JSONL and HTML fixtures, whose dates and topics are known."""
    lay_out_dated_corpus()
    result = runner.invoke(cli, ["index", "seeds", "fixtures"])
    assert result.exit_code == 0, result.stderr


def search_json(runner: CliRunner, *args: str) -> dict:
    result = runner.invoke(cli, ["search", "--json", "-n", "50", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def short_ids(data: dict) -> list[str]:
    return [h["id"].rsplit("/", 1)[-1][:3] if h["id"].startswith("seeds/") else h["id"] for h in data["hits"]]


def test_seed_dates_come_from_their_folders_with_month_precision(runner: CliRunner, corpus_index):
    hits = {
        h["id"].rsplit("/", 1)[-1][:3]: h for h in search_json(runner, "Turkey")["hits"] if h["id"].startswith("seeds/")
    }
    assert {k: h["date"] for k, h in hits.items() if h["date"]} == SEED_DATES
    assert {h["date_source"] for k, h in hits.items() if k in SEED_DATES} == {"path"}
    assert {h["date_precision"] for k, h in hits.items() if k in SEED_DATES} == {"month"}
    assert hits["000"]["date"] is None and hits["000"]["date_source"] == "none"


def test_metadata_dates_beat_the_text_and_are_utc(runner: CliRunner, corpus_index):
    hits = {h["id"]: h for h in search_json(runner, "pipeline OR deposit")["hits"]}
    assert (hits["rec-gas-2019"]["date"], hits["rec-gas-2019"]["date_source"]) == ("2019-01-14", "metadata")
    assert hits["fixtures/page.html"]["date"] == "2017-09-28"  # the publisher's day (22:15 at UTC-4), not UTC's


def test_after_and_before_include_the_whole_period_and_count_the_undated(runner: CliRunner, corpus_index):
    data = search_json(runner, "Turkey OR Russia", "--after", "2016-10", "--before", "2017")
    assert sorted(short_ids(data)) == ["003", "fixtures/page.html"]
    assert data["undated_excluded"] == 2  # seeds 000 and 001


def test_the_date_filter_note_goes_to_stderr(runner: CliRunner, corpus_index):
    result = runner.invoke(cli, ["search", "Turkey", "--after", "2019"])
    assert result.exit_code == 0
    assert "2 matching article(s) without a date were left out" in result.stderr


def test_a_bad_date_is_a_usage_error(runner: CliRunner, corpus_index):
    result = runner.invoke(cli, ["search", "Turkey", "--after", "2019-13"])
    assert result.exit_code == 2
    assert "is not a valid date" in result.stderr


def test_topic_filter_takes_any_of_several(runner: CliRunner, corpus_index):
    assert sorted(short_ids(search_json(runner, "Turkey OR Russia OR wheat", "--topic", "energy"))) == [
        "000",
        "004",
        "rec-gas-2019",
    ]
    both = search_json(runner, "Turkey OR Russia OR wheat", "--topic", "energy", "--topic", "Diplomacy")
    assert "rec-talks-2017" not in short_ids(both)  # it does not match the words
    assert set(short_ids(both)) >= {"000", "004", "rec-gas-2019"}


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("newest", ["004", "rec-gas-2019", "fixtures/page.html", "003", "002"]),
        ("oldest", ["002", "003", "fixtures/page.html", "rec-gas-2019", "004"]),
    ],
)
def test_date_sorting_puts_undated_articles_last(runner: CliRunner, corpus_index, order: str, expected: list[str]):
    data = search_json(runner, "Turkey OR Russia", "--sort", order)
    ids = short_ids(data)
    assert ids[: len(expected)] == expected
    assert set(ids[len(expected) :]) == {"000", "001"}
    assert all(h["score"] > 0 for h in data["hits"])


def test_query_language_dates_and_topics(runner: CliRunner, corpus_index):
    assert sorted(short_ids(search_json(runner, "date:2019"))) == ["004", "rec-gas-2019"]
    assert sorted(short_ids(search_json(runner, "date:[2016 to 2017]"))) == [
        "003",
        "fixtures/page.html",
        "rec-talks-2017",
    ]
    # 000 is tagged terrorism, a child of conflict
    assert sorted(short_ids(search_json(runner, "topic:conflict"))) == ["000", "001", "002", "004", "rec-talks-2017"]


def test_a_topic_matches_its_children_and_hits_show_the_most_specific(runner: CliRunner, corpus_index):
    hits = {h["id"].rsplit("/", 1)[-1][:3]: h for h in search_json(runner, "topic:politics")["hits"]}
    assert {"000", "001", "002", "003", "004"} <= set(hits)  # all tagged defence or diplomacy
    assert all("politics" not in h["topics"] for h in hits.values() if {"defence", "diplomacy"} & set(h["topics"]))
    assert set(short_ids(search_json(runner, "Turkey", "--topic", "economy"))) >= {"000", "004"}  # energy
    assert "000" not in short_ids(search_json(runner, "Turkey -topic:conflict"))


def test_topics_and_dates_in_a_query_narrow_its_words(runner: CliRunner, corpus_index):
    turkey = set(short_ids(search_json(runner, "Turkey")))
    conflict = set(short_ids(search_json(runner, "topic:conflict")))
    in_2019 = set(short_ids(search_json(runner, "date:2019")))
    assert sorted(short_ids(search_json(runner, "topic:conflict Turkey"))) == sorted(turkey & conflict)
    assert sorted(short_ids(search_json(runner, "Turkey date:2019"))) == sorted(turkey & in_2019)
    assert len(turkey & in_2019) < len(turkey)
    both = search_json(runner, "topic:conflict date:2019 Turkey")
    assert short_ids(both) == ["004"] and both["total"] == 1 == len(turkey & conflict & in_2019)
    # Two topics are alternatives; a filter does not change the words' scores.
    either = set(short_ids(search_json(runner, "topic:conflict topic:energy Turkey")))
    energy = set(short_ids(search_json(runner, "topic:energy")))
    assert either == turkey & (conflict | energy)
    scores = {h["id"]: h["score"] for h in search_json(runner, "Turkey")["hits"]}
    assert all(h["score"] == scores[h["id"]] for h in search_json(runner, "topic:conflict Turkey")["hits"])


def test_facets_count_the_whole_matching_set(runner: CliRunner, corpus_index):
    data = search_json(runner, "Turkey", "--facets", "-n", "1")
    assert len(data["hits"]) == 1
    assert data["facets"]["topics"]["defence"] == 6
    assert data["facets"]["years"] == {"2015": 1, "2016": 1, "2017": 1, "2019": 2}


def test_timeline_is_per_year_with_gaps_and_per_month_for_short_spans(runner: CliRunner, corpus_index):
    assert search_json(runner, "Turkey", "--timeline")["timeline"] == {
        "2015": 1,
        "2016": 1,
        "2017": 1,
        "2018": 0,
        "2019": 2,
    }
    months = search_json(runner, "gas", "--timeline")["timeline"]
    assert list(months)[0] == "2019-01" and months["2019-04"] == 1 and months["2019-02"] == 0


def test_timeline_is_drawn_as_bars(runner: CliRunner, corpus_index):
    result = runner.invoke(cli, ["search", "Turkey", "--timeline"])
    assert "Timeline (matches per year):" in result.stdout
    assert "  2018 │ 0" in result.stdout
    assert "  2019 │" + "█" * 40 + " 2" in result.stdout


def test_topics_command_lists_descriptions_and_counts(runner: CliRunner, corpus_index):
    result = runner.invoke(cli, ["topics", "--json"])
    assert result.exit_code == 0
    topics = {t["name"]: t for t in json.loads(result.stdout)["topics"]}
    assert topics["energy"]["count"] == 3 and topics["energy"]["description"]
    assert topics["trade"] == {"name": "trade", "description": "", "count": 1}  # from a JSONL record
    assert topics["migration"]["count"] == 0


def test_a_custom_taxonomy_is_remembered_by_the_index(runner: CliRunner, tmp_path: Path):
    taxonomy = tmp_path / "mine.toml"
    taxonomy.write_text(
        'threshold = 1\n[[topic]]\nname = "kremlin"\ndescription = "Mentions the Kremlin"\nterms = { "kremlin" = 2 }\n'
    )
    assert runner.invoke(cli, ["index", "seeds", "--taxonomy", str(taxonomy)]).exit_code == 0
    assert runner.invoke(cli, ["index"]).exit_code == 0  # no --taxonomy: the remembered one, no rebuild asked
    assert sorted(short_ids(search_json(runner, "topic:kremlin"))) == ["000", "003", "004"]
    taxonomy.unlink()
    listed = json.loads(runner.invoke(cli, ["topics", "--json"]).stdout)["topics"]
    assert listed == [{"name": "kremlin", "description": "Mentions the Kremlin", "count": 3}]
