"""The `searcher` command as a user meets it: exit codes first, then what is printed where."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli
from tests.conftest import FIXTURES, REPO

S400_SEEDS = ["seeds/001_404ae92723a5d202.txt", "seeds/003_64ddee58b6d909bd.txt", "seeds/004_b3c8d90984622411.txt"]


def run(runner: CliRunner, *args: str, env: dict | None = None):
    return runner.invoke(cli, list(args), env=env)


def search_ids(runner: CliRunner, *query: str) -> list[str]:
    result = run(runner, "search", "--json", "-n", "50", *query)
    assert result.exit_code == 0, result.output + result.stderr
    return sorted(hit["id"] for hit in json.loads(result.stdout)["hits"])


def test_first_search_builds_the_index_from_seeds_and_says_so(runner: CliRunner):
    result = run(runner, "search", "S-400")
    assert result.exit_code == 0
    assert "building it from seeds/" in result.stderr
    assert "5 added" in result.stderr
    assert "3 results for 'S-400'" in result.stdout
    assert Path("index/CURRENT").exists()


@pytest.mark.parametrize("query", ["S-400", "S400", "s-400"])
def test_model_numbers_find_the_same_articles_whatever_the_hyphen(runner: CliRunner, seed_index, query: str):
    assert search_ids(runner, query) == S400_SEEDS


@pytest.mark.parametrize("query", ["F35", "F-35"])
def test_f35_finds_001(runner: CliRunner, seed_index, query: str):
    assert search_ids(runner, query) == ["seeds/001_404ae92723a5d202.txt"]


@pytest.mark.parametrize(
    "query", ["sildenafil", '"Muslim Brotherhood"', "insight", "Zemlianichenko", "Pantsyr", '"confirms deposit"']
)
def test_dropped_text_finds_nothing(runner: CliRunner, seed_index, query: str):
    result = run(runner, "search", "--json", query)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["total"] == 0


def test_stemming_finds_other_word_forms(runner: CliRunner, seed_index):
    assert search_ids(runner, "assassinate") == ["seeds/000_29fc2f77633a1f9b.txt"]


def test_json_shape_is_the_documented_one(runner: CliRunner, seed_index):
    result = run(runner, "search", "--json", "S-400", "Erdogan")
    data = json.loads(result.stdout)
    assert set(data) >= {"query", "total", "hits"} and data["query"] == "S-400 Erdogan"
    hit = data["hits"][0]
    assert set(hit) >= {"rank", "id", "path", "title", "date", "topics", "score", "snippet"}
    assert hit["rank"] == 1 and isinstance(hit["score"], float) and isinstance(hit["topics"], list)
    assert hit["date"] is None or len(hit["date"]) == 10
    assert [h["score"] for h in data["hits"]] == sorted((h["score"] for h in data["hits"]), reverse=True)


def test_snippets_highlight_query_terms(runner: CliRunner, seed_index):
    hit = json.loads(run(runner, "search", "--json", "S-400").stdout)["hits"][0]
    marked = [hit["snippet"][s:e] for s, e in hit["highlights"]]
    assert marked and all(m.upper().replace("-", "").startswith("S400") for m in marked)


def test_limit_caps_the_hits_but_not_the_total(runner: CliRunner, seed_index):
    data = json.loads(run(runner, "search", "--json", "-n", "1", "Putin").stdout)
    assert (data["total"], len(data["hits"])) == (5, 1)


def test_match_all_requires_every_word(runner: CliRunner, seed_index):
    assert len(search_ids(runner, "gas", "S400")) == 4
    assert search_ids(runner, "--match", "all", "gas", "S400") == ["seeds/004_b3c8d90984622411.txt"]


def test_excluded_words_remove_articles(runner: CliRunner, seed_index):
    assert search_ids(runner, "Putin", "-S-400") == ["seeds/000_29fc2f77633a1f9b.txt", "seeds/002_ebd0e1da6b7cb76d.txt"]


def test_topic_field_filters(runner: CliRunner, seed_index):
    assert search_ids(runner, "topic:energy") == ["seeds/000_29fc2f77633a1f9b.txt", "seeds/004_b3c8d90984622411.txt"]


def test_no_hits_is_said_and_exits_zero(runner: CliRunner, seed_index):
    result = run(runner, "search", "zeppelin")
    assert result.exit_code == 0
    assert result.stdout.strip() == "No results for 'zeppelin'."


@pytest.mark.parametrize(
    "query", ['"unbalanced', "(putin", "title:", "nosuchfield:putin", "putin)", "AND", "*", "putn~", "elect*"]
)
def test_broken_queries_are_searched_or_refused_in_one_line(runner: CliRunner, seed_index, query: str):
    result = run(runner, "search", query)
    assert result.exit_code in (0, 2)
    assert "Traceback" not in result.output + result.stderr
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("query", "seeds"),
    [
        ("US", {"000_29fc2f77633a1f9b.txt", "001_404ae92723a5d202.txt", "003_64ddee58b6d909bd.txt"}),
        ("May", {"004_b3c8d90984622411.txt"}),
    ],
)
def test_us_and_may_are_words_not_stopwords(runner: CliRunner, seed_index, query: str, seeds: set[str]):
    """Seeds say "US" (the United States) and "May" (the month); Whoosh's stopword list held both,
    and the search was refused as only stopwords."""
    result = run(runner, "search", "--format", "paths", query)
    assert result.exit_code == 0, result.stderr
    assert seeds <= {Path(line).name for line in result.stdout.split()}


def test_a_query_of_only_stopwords_is_refused_with_exit_2(runner: CliRunner, seed_index):
    result = run(runner, "search", "the AND of")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the query has no words")


def test_colour_only_when_asked_or_on_a_terminal(runner: CliRunner, seed_index):
    assert "\x1b[" not in run(runner, "search", "S-400").stdout
    assert "\x1b[" in run(runner, "search", "--color", "always", "S-400").stdout


def test_no_color_env_wins_on_a_terminal(monkeypatch: pytest.MonkeyPatch):
    from searcher.cli.output import use_colour

    assert use_colour("auto", is_tty=True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_colour("auto", is_tty=True)
    assert not use_colour("auto", is_tty=False)


def test_missing_index_names_the_fix(runner: CliRunner, tmp_path: Path):
    result = run(runner, "--index", str(tmp_path / "nowhere"), "show", "x")
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("build one with: searcher index PATH")


def test_missing_index_without_seeds_names_the_fix(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    result = run(runner, "search", "putin")
    assert result.exit_code == 1
    assert "searcher index PATH" in result.stderr and "Traceback" not in result.stderr


def test_index_env_var_chooses_the_location(runner: CliRunner, tmp_path: Path):
    result = run(runner, "index", "seeds", env={"SEARCHER_INDEX": str(tmp_path / "elsewhere")})
    assert result.exit_code == 0
    assert (tmp_path / "elsewhere" / "CURRENT").exists() and not Path("index").exists()


def test_index_prints_one_summary_line(runner: CliRunner):
    result = run(runner, "index", "seeds")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("searcher: 5 added, 0 updated, 0 removed, 0 unchanged, 0 failed in ")
    )


def test_index_without_paths_reindexes_what_it_was_built_from(runner: CliRunner, seed_index):
    Path("seeds/extra.txt").write_text("Zeppelin news\n\nA zeppelin landed.\n")
    result = run(runner, "index")
    assert result.exit_code == 0
    assert "1 added, 0 updated, 0 removed, 5 unchanged, 0 failed" in result.stderr


def test_index_failures_are_named_and_exit_1(runner: CliRunner):
    Path("seeds/broken.txt").write_bytes(b"\x00binary")
    result = run(runner, "index", "seeds")
    assert result.exit_code == 1
    assert "failed: seeds/broken.txt: binary file" in result.stderr
    assert "5 added" in result.stderr


def test_index_jsonl_and_html(runner: CliRunner):
    result = run(runner, "index", str(FIXTURES))
    assert result.exit_code == 0, result.stderr
    assert search_ids(runner, "pipeline") == ["rec-gas-2019"]
    assert "fixtures/page.html" in search_ids(runner, "deposit")
    assert search_ids(runner, "ferry") == ["fixtures/ferry.html.gz"]  # a compressed page
    assert "5 added" in result.stderr  # 3 records, page.html and ferry.html.gz
    assert "skipped" not in result.stderr
    assert search_ids(runner, "viagra") == []


def test_clean_shows_kept_and_dropped_with_reasons(runner: CliRunner):
    result = run(runner, "clean", "seeds/003_64ddee58b6d909bd.txt")
    assert result.exit_code == 0
    assert "[related link] READ MORE: Turkey confirms deposit" in result.stdout
    assert "S-400 delivery to Turkey will start within two years" in result.stdout


def test_clean_json_has_one_object_per_document(runner: CliRunner):
    result = run(runner, "clean", "--json", "seeds")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 5
    assert set(lines[0]) >= {"id", "path", "title", "body", "date", "date_source", "topics", "dropped"}
    by_id = {line["id"]: line for line in lines}
    assert by_id["seeds/002_ebd0e1da6b7cb76d.txt"]["title"].startswith("Fences Mended")
    assert {d["reason"] for d in by_id["seeds/002_ebd0e1da6b7cb76d.txt"]["dropped"]} == {
        "photo caption",
        "photo credit",
    }


def test_clean_of_a_missing_file_fails_in_one_line(runner: CliRunner):
    result = run(runner, "clean", "nope.txt")
    assert result.exit_code == 1
    assert result.stderr.strip() == "searcher: failed: nope.txt: no such file or folder"


def test_show_prints_the_whole_cleaned_article(runner: CliRunner, seed_index):
    result = run(runner, "show", "seeds/002_ebd0e1da6b7cb76d.txt")
    assert result.exit_code == 0
    assert result.stdout.startswith("Fences Mended: Russia Interested in Placing Missile System in Turkey")
    assert "the earliest neutralization of the threat" in result.stdout
    assert "[photo credit] AP Photo/Alexander Zemlianichenko" in result.stdout


def test_show_accepts_a_unique_prefix_of_the_file_name(runner: CliRunner, seed_index):
    result = run(runner, "show", "--json", "004")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "seeds/004_b3c8d90984622411.txt"


def test_show_of_an_unknown_or_ambiguous_id_fails_in_one_line(runner: CliRunner, seed_index):
    for doc_id, message in [("zzz", "no article with id"), ("00", "matches 5 articles")]:
        result = run(runner, "show", doc_id)
        assert result.exit_code == 1 and message in result.stderr


def test_hostile_text_cannot_reach_the_terminal(runner: CliRunner):
    Path("seeds/evil.txt").write_text("Evil \x1b]0;pwned\x07 title\n\nThe zeppelin \x1b[2J story \u202e goes on.\n")
    run(runner, "index", "seeds")
    result = run(runner, "search", "zeppelin")
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    data = run(runner, "search", "--json", "zeppelin").stdout
    assert "\x1b" not in data and "\u202e" not in data


def test_every_command_has_help_with_an_example(runner: CliRunner):
    for command in [[], ["index"], ["search"], ["clean"], ["show"]]:
        result = run(runner, *command, "--help")
        assert result.exit_code == 0 and "Example:" in result.stdout, command


def test_version(runner: CliRunner):
    result = run(runner, "--version")
    assert result.exit_code == 0 and result.stdout.startswith("searcher, version ")


def test_python_m_searcher_help_works():
    result = subprocess.run(
        [sys.executable, "-m", "searcher", "--help"], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert result.returncode == 0
    assert "Usage: searcher" in result.stdout


def test_searching_never_imports_beautifulsoup(seed_index):
    code = (
        "import sys; from searcher.cli import main; sys.argv = ['searcher', 'search', 'S-400']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\nprint('bs4' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_words_written_with_soft_hyphens_are_found_by_the_plain_word(runner: CliRunner):
    """German pages break long words with soft hyphens (U+00AD) and some write zero-width characters
    inside words: the word is found as typed, or pasted with them; the cleaned text keeps no soft
    hyphen or word joiner (JSON says "Italiens"), and the terminal prints no invisible character."""
    Path("news").mkdir()
    Path("news/italien.txt").write_text(
        "Ital\u00adiens Wirt\u00adschaft wächst\n\nDie Wirt\u00adschafts\u00adleistung Ital\u00adiens stieg"
        " im drit\u200bten Quartal, meldet das Sta\u2060tistik\u00adamt.\n",
        encoding="utf-8",
    )
    assert run(runner, "index", "news").exit_code == 0
    for query in ("Italiens", "Ital\u00adiens", "Wirtschaftsleistung", "dritten", "Statistikamt"):
        assert search_ids(runner, query) == ["news/italien.txt"], query
    assert search_ids(runner, "Ital") == []
    hit = json.loads(run(runner, "search", "--json", "Italiens").stdout)["hits"][0]
    assert [hit["snippet"][low:high] for low, high in hit["highlights"]] == ["Italiens"]
    assert hit["title"] == "Italiens Wirtschaft wächst"
    result = run(runner, "search", "Italiens")
    assert result.exit_code == 0 and "italien.txt" in result.stdout and "Italiens" in result.stdout
    assert not any(char in result.stdout for char in "\u00ad\u200b\u2060")
