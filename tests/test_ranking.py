"""Ranking and the query features power users expect, on a small collection with known best answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli

RANKING = Path(__file__).resolve().parent / "ranking"
# Seeds 001 to 004 name Erdogan (and Putin); 000 names only Putin.
SEEDS_NAMING_ERDOGAN = [
    "seeds/001_404ae92723a5d202.txt",
    "seeds/002_ebd0e1da6b7cb76d.txt",
    "seeds/003_64ddee58b6d909bd.txt",
    "seeds/004_b3c8d90984622411.txt",
]
S400_SEEDS = ["seeds/001_404ae92723a5d202.txt", "seeds/003_64ddee58b6d909bd.txt", "seeds/004_b3c8d90984622411.txt"]


@pytest.fixture(autouse=True)
def collection(runner: CliRunner) -> None:
    """The seeds plus a ranking collection whose best answers are known."""
    result = runner.invoke(cli, ["index", "seeds", str(RANKING)])
    assert result.exit_code == 0, result.stderr


def search(runner: CliRunner, *args: str) -> dict:
    result = runner.invoke(cli, ["search", "--json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def ids(runner: CliRunner, *args: str) -> list[str]:
    return [hit["id"] for hit in search(runner, "-n", "50", *args)["hits"]]


def test_an_article_with_every_word_beats_one_repeating_a_single_word(runner: CliRunner):
    ranked = ids(runner, "gas pipeline turkey")
    assert ranked[0] == "all-words"
    assert ranked.index("all-words") < ranked.index("gas-only")


def test_words_close_together_beat_the_same_words_far_apart(runner: CliRunner):
    ranked = ids(runner, "air defense")
    assert ranked.index("near") < ranked.index("far")


def test_words_close_together_in_either_order_beat_the_same_words_far_apart(runner: CliRunner):
    # The two articles hold the same words as often, "survey" five words before "glacier" in one
    # and eleven in the other.
    ranked = ids(runner, "glacier survey")
    assert ranked.index("glacier-close") < ranked.index("glacier-far")


def test_match_all_requires_every_word(runner: CliRunner):
    assert ids(runner, "--match", "all", "gas", "pipeline", "turkey") == ["all-words"]


@pytest.mark.parametrize("query", ["S-400", "S400", "S 400", "s-400"])
def test_model_numbers_are_one_term_however_written(runner: CliRunner, query: str):
    assert sorted(ids(runner, query)) == S400_SEEDS


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"air defense"', {"near", "seeds/002_ebd0e1da6b7cb76d.txt"}),
        ("title:earthquake", {"wire-copy-1"}),  # wire-copy-2 is its near-identical copy, collapsed
        ("erdog*", {"putin-visit", "erdogan-speech", *SEEDS_NAMING_ERDOGAN}),
        ("putn~", {"putin-visit", "seeds/000_29fc2f77633a1f9b.txt", *SEEDS_NAMING_ERDOGAN}),
        ("election -campaign", {"seeds/000_29fc2f77633a1f9b.txt"}),
        ("(earthquake OR quake) AND geologists", {"quake-analysis"}),
        ("earthquake NOT strong", {"quake-analysis"}),
    ],
)
def test_query_syntax(runner: CliRunner, query: str, expected: set[str]):
    assert set(ids(runner, query)) == expected


def test_did_you_mean_suggests_whole_words_from_the_index(runner: CliRunner):
    data = search(runner, "erdgan")
    assert data["suggestion"] == "erdogan"
    assert search(runner, "asassination")["suggestion"] == "assassination"  # a word, not the stem "assassin"
    assert search(runner, "erdogan")["suggestion"] is None


def test_did_you_mean_is_shown_on_the_terminal(runner: CliRunner):
    result = runner.invoke(cli, ["search", "pipelnie"])
    assert result.stdout.startswith("Did you mean: pipeline\n")


def test_similar_finds_the_same_story_and_never_the_article_itself(runner: CliRunner):
    result = runner.invoke(cli, ["similar", "--json", "--no-collapse", "wire-copy-1"])
    assert result.exit_code == 0, result.stderr
    ranked = [hit["id"] for hit in json.loads(result.stdout)["hits"]]
    assert ranked[:2] == ["wire-copy-2", "quake-analysis"]  # its copy, then the other earthquake story
    assert "wire-copy-1" not in ranked


def test_similar_of_an_unknown_id_fails_in_one_line(runner: CliRunner):
    result = runner.invoke(cli, ["similar", "nope"])
    assert result.exit_code == 1 and "no article with id 'nope'" in result.stderr


def test_pages_continue_the_same_ranking(runner: CliRunner):
    everything = ids(runner, "--no-collapse", "Turkey OR Putin OR earthquake")
    second = search(runner, "--no-collapse", "-n", "2", "--page", "2", "Turkey OR Putin OR earthquake")
    assert [h["id"] for h in second["hits"]] == everything[2:4]
    assert [h["rank"] for h in second["hits"]] == [3, 4]
    assert second["page"] == 2


def test_near_identical_copies_are_shown_once_with_the_others_listed(runner: CliRunner):
    hits = search(runner, "earthquake province")["hits"]
    copies = [h for h in hits if h["id"].startswith("wire-copy")]
    assert len(copies) == 1
    other = {"wire-copy-1": "wire-copy-2", "wire-copy-2": "wire-copy-1"}[copies[0]["id"]]
    assert copies[0]["duplicates"] == [other]
    assert {"wire-copy-1", "wire-copy-2"} <= set(ids(runner, "--no-collapse", "earthquake province"))
    shown = runner.invoke(cli, ["search", "earthquake province"]).stdout
    assert f"+ 1 near-identical copy: {other}" in shown


def test_a_story_with_many_copies_lists_a_few_in_the_terminal_and_all_in_json(runner: CliRunner, tmp_path: Path):
    story = "Flood waters rose along the Danube on Monday, and the city of Passau closed its old town to traffic."
    wire = tmp_path / "wire.jsonl"
    wire.write_text("".join(json.dumps({"id": f"flood-{n}", "text": story}) + "\n" for n in range(5)))
    assert runner.invoke(cli, ["index", str(wire)]).exit_code == 0
    hit = search(runner, "Passau flood")["hits"][0]
    others = sorted({f"flood-{n}" for n in range(5)} - {hit["id"]})
    assert hit["copies"] == 4 and hit["duplicates"] == others
    shown = runner.invoke(cli, ["search", "Passau flood"]).stdout
    assert f"+ 4 near-identical copies: {', '.join(others[:3])}, ..." in shown


def test_different_stories_are_not_collapsed(runner: CliRunner):
    assert len(ids(runner, "Turkey")) == len(ids(runner, "--no-collapse", "Turkey"))


def test_snippets_show_up_to_two_passages_with_every_match_highlighted(runner: CliRunner):
    hit = search(runner, "Erdogan Sukhoi")["hits"][0]
    assert hit["id"] == "seeds/001_404ae92723a5d202.txt"
    marked = {hit["snippet"][s:e] for s, e in hit["highlights"]}
    assert {"Erdogan", "Sukhoi"} <= marked
    assert " … " in hit["snippet"] and len(hit["snippet"]) <= 420


def test_expansion_keeps_the_best_answer_and_finds_related_articles(runner: CliRunner):
    plain = search(runner, "earthquake")
    expanded = search(runner, "--expand", "earthquake")
    assert expanded["hits"][0]["id"] == plain["hits"][0]["id"]
    assert expanded["total"] >= plain["total"]


def test_batch_mode_writes_a_trec_run(runner: CliRunner):
    result = runner.invoke(cli, ["search", "--batch", str(RANKING / "queries.tsv"), "--format", "trec", "-n", "3"])
    assert result.exit_code == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()]
    assert [line[0] for line in lines].count("1") == 3
    assert lines[0][:4] == ["1", "Q0", "all-words", "1"] and lines[0][5] == "searcher"
    assert float(lines[0][4]) >= float(lines[1][4])


def test_batch_mode_json_lines_carry_the_qid(runner: CliRunner):
    result = runner.invoke(cli, ["search", "--batch", str(RANKING / "queries.tsv")])
    assert [json.loads(line)["qid"] for line in result.stdout.splitlines()] == ["1", "2", "3"]


def test_batch_mode_reports_bad_lines_and_goes_on(runner: CliRunner, tmp_path: Path):
    queries = tmp_path / "q.tsv"
    queries.write_text("1\tpipeline\nno tab here\n3\tthe\n4\tearthquake\n")
    result = runner.invoke(cli, ["search", "--batch", str(queries), "--format", "trec"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "searcher: query 2: line 2: expected qid<TAB>query",
        "searcher: query 3: the query has no words to search for (only stopwords or operators)",
    ]
    assert {line.split()[0] for line in result.stdout.splitlines()} == {"1", "4"}


def test_search_without_a_query_or_batch_is_a_usage_error(runner: CliRunner):
    result = runner.invoke(cli, ["search"])
    assert result.exit_code == 2 and "give a QUERY, or --batch FILE" in result.stderr
