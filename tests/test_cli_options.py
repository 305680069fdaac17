"""Options as terminal users type them: nothing misread in silence, global options anywhere, -h and
-v on every command, and topic names checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli
from searcher.engine.whoosh import ranking
from tests.conftest import seed_path


def run(runner: CliRunner, *args: str, **kwargs: object):
    return runner.invoke(cli, list(args), prog_name="searcher", **kwargs)


def hit_ids(runner: CliRunner, *args: str) -> list[str]:
    result = run(runner, "search", "--format", "ids", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize(
    ("typo", "suggested"), [("--limt", "--limit"), ("--befor", "--before"), ("--tpoic", "--topic")]
)
def test_a_misspelled_option_is_refused_with_a_suggestion(runner: CliRunner, seed_index, typo: str, suggested: str):
    result = run(runner, "search", "Erdogan", typo, "5")
    assert result.exit_code == 2
    assert f"No such option '{typo}'" in result.stderr and suggested in result.stderr
    assert result.stdout == ""


def test_dash_words_are_still_exclusions(runner: CliRunner, seed_index):
    without_idlib = hit_ids(runner, "S-400", "-Idlib")
    assert without_idlib == ["seeds/003_64ddee58b6d909bd.txt"]  # 001 and 004 name Idlib
    assert hit_ids(runner, "S-400 -Idlib") == without_idlib


def test_a_dash_word_starting_like_a_short_option_is_an_exclusion(runner: CliRunner, seed_index):
    # -n is --limit, but -nato is the word "nato" left out; -n5 is still a limit of 5
    assert "seeds/001_404ae92723a5d202.txt" not in hit_ids(runner, "Turkey", "-nato")
    assert len(hit_ids(runner, "Turkey", "-n2")) == 2


def test_double_dash_ends_the_options(runner: CliRunner, seed_index):
    assert hit_ids(runner, "--", "-Idlib", "S-400") == hit_ids(runner, "S-400", "-Idlib")
    result = run(runner, "search", "--json", "--", "--limit", "Putin")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["query"] == "--limit Putin"


def test_the_index_option_may_follow_the_command(runner: CliRunner, seed_index):
    Path("other").mkdir()
    shutil.copy(seed_path("002"), "other")
    assert run(runner, "--index", "other-index", "index", "other").exit_code == 0
    assert hit_ids(runner, "Turkey", "--index", "other-index") == ["other/002_ebd0e1da6b7cb76d.txt"]
    assert len(hit_ids(runner, "Turkey")) == 5  # ./index, as before


def test_verbose_may_follow_the_command(runner: CliRunner, seed_index):
    result = run(runner, "search", "Putin", "-v")
    assert result.exit_code == 0
    assert "searcher: searched: keywords and syntax; words Putin" in result.stderr


@pytest.mark.parametrize("command", ["index", "forget", "search", "similar", "show", "stats", "topics", "clean"])
def test_dash_h_is_help_everywhere(runner: CliRunner, command: str):
    result = run(runner, command, "-h")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Usage: searcher {command} ")
    assert "-h, --help" in result.stdout


def test_dash_h_is_help_for_the_group_too(runner: CliRunner):
    result = run(runner, "-h")
    assert result.exit_code == 0
    assert "Commands:" in result.stdout


def test_an_unknown_topic_is_named_with_the_known_ones(runner: CliRunner, seed_index):
    result = run(runner, "search", "Erdogan", "--topic", "sports")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no topic 'sports' in this index; its topics are: ")
    assert "sport" in result.stderr.split("its topics are: ")[1].rstrip().split(", ")
    assert result.stdout == ""


def test_an_unknown_topic_in_the_query_is_named_too(runner: CliRunner, seed_index):
    result = run(runner, "search", "topic:sports Erdogan")
    assert result.exit_code == 2
    assert "no topic 'sports'" in result.stderr


def test_a_known_topic_without_matches_is_no_results_not_an_error(runner: CliRunner, seed_index):
    result = run(runner, "search", "Erdogan", "--topic", "migration")
    assert result.exit_code == 0, result.stderr
    assert "No results" in result.stdout


def test_similar_checks_its_topics_too(runner: CliRunner, seed_index):
    result = run(runner, "similar", "004", "--topic", "sports")
    assert result.exit_code == 2
    assert "no topic 'sports'" in result.stderr


def test_trec_output_needs_a_batch(runner: CliRunner, seed_index):
    result = run(runner, "search", "Putin", "--format", "trec")
    assert result.exit_code == 2
    assert "--format trec writes a run of many queries: give them with --batch FILE" in result.stderr


def test_a_batch_refuses_formats_for_one_query(runner: CliRunner, seed_index):
    result = run(runner, "search", "--batch", "-", "--format", "tsv", input="q1\tPutin\n")
    assert result.exit_code == 2
    assert "--format tsv is for one query; with --batch use --format json or trec" in result.stderr


def test_json_and_another_format_are_refused(runner: CliRunner, seed_index):
    result = run(runner, "search", "Putin", "--json", "--format", "csv")
    assert result.exit_code == 2
    assert "--json and --format csv ask for two formats" in result.stderr


def test_verbose_search_says_what_expand_added(runner: CliRunner, seed_index):
    result = run(runner, "-v", "search", "--expand", "Idlib", "--topic", "conflict")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "searcher: options: topics conflict" in "\n".join(lines)
    added = [line for line in lines if line.startswith("searcher: --expand added: ")]
    assert len(added) == 1 and len(added[0].split(": ", 2)[2].split()) == ranking.FEEDBACK_TERMS


def test_verbose_index_says_what_it_decided_for_each_file(runner: CliRunner, seed_index):
    seed_path("003").write_text("Putin and Erdogan met again.\n", encoding="utf-8")
    seed_path("004").unlink()
    result = run(runner, "-v", "index")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"searcher: updating the index from {Path('seeds').resolve()}"
    assert f"searcher: removed (file gone): {Path('seeds/004_b3c8d90984622411.txt').resolve()}" in lines
    assert f"searcher: changed: {seed_path('003').resolve()} (1 updated)" in lines
    assert f"searcher: unchanged (same size and time): {seed_path('000').resolve()}" in lines
    assert "searcher: cleaning and indexing in this process" in lines
    assert lines[-1].startswith("searcher: 0 added, 1 updated, 1 removed, 3 unchanged, 0 failed")


def test_a_dash_value_of_an_option_stays_that_option_s_value(runner: CliRunner, seed_index):
    result = run(runner, "search", "Putin", "--page", "-1")
    assert result.exit_code == 2
    assert "Error: Invalid value for '--page': -1 is not in the range x>=1." in result.stderr
    assert "\x00" not in result.stderr and "\\x00" not in result.stderr
