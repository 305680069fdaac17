"""Results to act on and to pipe: handles that `show` takes, formats for scripts, wrapping and the
pager on a terminal, and a timeline that fits."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli, commands
from searcher.cli.output import TIMELINE_ROWS, columns

HOSTILE_TITLE = "Evil\x1b]0;pwned\x07 title\there"


def run(runner: CliRunner, *args: str, **kwargs: object):
    result = runner.invoke(cli, list(args), **kwargs)
    return result


@pytest.fixture
def mixed_index(runner: CliRunner, seed_index) -> None:
    """The seeds and a JSONL file of three records (one with a hostile title), with URLs."""
    records = [
        {"id": "w1", "title": "Pipeline deal signed", "text": "Turkey signed a gas pipeline deal with Russia.",
         "url": "https://www.example.org/energy/pipeline", "date": "2019-01-14"},
        {"id": "w2", "title": HOSTILE_TITLE, "text": "A pipeline across the Black Sea was opened.",
         "date": "2019-02-01"},
        {"id": "w3", "title": "Pipeline talks", "text": "Talks on the pipeline went on in Ankara.",
         "date": "2019-03-01"},
    ]  # fmt: skip
    Path("wire").mkdir()
    Path("wire/feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = run(runner, "index", "wire")
    assert result.exit_code == 0, result.stderr


def test_jsonl_is_one_hit_per_line_as_in_json(runner: CliRunner, seed_index):
    lines = run(runner, "search", "Putin", "--format", "jsonl").stdout.splitlines()
    whole = json.loads(run(runner, "search", "Putin", "--json").stdout)
    assert [json.loads(line) for line in lines] == whole["hits"]
    assert len(lines) == whole["total"] == 5


def test_tsv_has_the_documented_columns_and_safe_cells(runner: CliRunner, mixed_index):
    result = run(runner, "search", "pipeline", "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == ["rank", "id", "date", "score", "title", "path", "url", "date_source"]
    assert all(len(row) == 8 for row in rows)
    by_id = {row[1]: row for row in rows[1:]}
    assert by_id["w1"][6] == "https://www.example.org/energy/pipeline" and by_id["w1"][2] == "2019-01-14"
    assert by_id["w1"][7] == "metadata"
    assert by_id["w1"][5] == str(Path("wire/feed.jsonl").resolve())
    assert by_id["w2"][4].startswith("Evil") and by_id["w2"][4].endswith("title here")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.stdout)


def test_csv_parses_back_to_the_same_rows(runner: CliRunner, mixed_index):
    tsv = run(runner, "search", "pipeline", "--format", "tsv").stdout.splitlines()
    parsed = list(csv.reader(io.StringIO(run(runner, "search", "pipeline", "--format", "csv").stdout)))
    assert parsed == [line.split("\t") for line in tsv]


def test_paths_name_each_file_once_and_ids_each_article(runner: CliRunner, mixed_index):
    paths = run(runner, "search", "pipeline", "--format", "paths").stdout.splitlines()
    ids = run(runner, "search", "pipeline", "--format", "ids").stdout.splitlines()
    assert paths == ["wire/feed.jsonl"]
    assert sorted(ids) == ["w1", "w2", "w3"]


def test_count_prints_only_the_total(runner: CliRunner, seed_index):
    result = run(runner, "search", "S-400", "--count")
    assert result.exit_code == 0
    assert result.stdout == "3\n"


def test_similar_takes_the_formats_too(runner: CliRunner, seed_index):
    result = run(runner, "similar", "004", "--format", "ids", "-n", "2")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2 and "seeds/004_b3c8d90984622411.txt" not in result.stdout


def test_human_output_shows_the_url_and_a_record_s_id(runner: CliRunner, mixed_index):
    result = run(runner, "search", "pipeline", "deal", "--match", "all")
    assert result.exit_code == 0
    assert " · wire/feed.jsonl · id w1\n" in result.stdout
    assert "    https://www.example.org/energy/pipeline\n" in result.stdout


def test_a_file_s_article_shows_its_path_and_show_takes_it(runner: CliRunner, seed_index):
    shown = run(runner, "search", "Idlib").stdout
    assert " · seeds/001_404ae92723a5d202.txt\n" in shown
    name = "seeds/001_404ae92723a5d202.txt"
    for given in [name, str(Path(name).resolve()), "./" + name]:
        result = run(runner, "show", given)
        assert result.exit_code == 0, (given, result.stderr)
        assert "id:     seeds/001_404ae92723a5d202.txt" in result.stdout


def test_numbered_files_are_told_apart_by_their_folder(runner: CliRunner):
    for section in ("business", "sport"):
        Path("bbc", section).mkdir(parents=True)
        Path("bbc", section, "257.txt").write_text(f"A {section} story about Turkey and Putin.\n", encoding="utf-8")
    assert run(runner, "index", "bbc").exit_code == 0
    ambiguous = run(runner, "show", "257")
    assert ambiguous.exit_code == 1
    assert "'257' matches 2 articles (bbc/business/257.txt, bbc/sport/257.txt)" in ambiguous.stderr
    for given in ("sport/257.txt", "bbc/sport/257.txt"):
        result = run(runner, "show", given)
        assert result.exit_code == 0, result.stderr
        assert "A sport story" in result.stdout


def test_a_record_is_shown_by_the_id_results_print(runner: CliRunner, mixed_index):
    result = run(runner, "show", "w1")
    assert result.exit_code == 0
    assert "url:    https://www.example.org/energy/pipeline" in result.stdout
    several = run(runner, "show", "wire/feed.jsonl")
    assert several.exit_code == 1
    assert "matches 3 articles (w1, w2, w3)" in several.stderr


def test_snippets_are_wrapped_to_the_terminal(runner: CliRunner, seed_index, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(commands, "_terminal_width", lambda: 50)
    result = run(runner, "search", "Idlib", "--color", "always")
    assert result.exit_code == 0
    plain = click_unstyle(result.stdout)
    snippet_lines = [line for line in plain.splitlines() if line.startswith("    ") and "·" not in line]
    assert len(snippet_lines) > 3
    assert all(len(line) <= 50 for line in snippet_lines)
    assert "\x1b[33m\x1b[1mIdlib\x1b[0m" in result.stdout  # highlights survive the wrapping


def test_unwrapped_when_piped(runner: CliRunner, seed_index):
    lines = run(runner, "search", "Idlib").stdout.splitlines()
    assert any(len(line) > 120 for line in lines)


def test_show_goes_through_a_pager_on_a_terminal(runner: CliRunner, seed_index, monkeypatch: pytest.MonkeyPatch):
    paged = []
    monkeypatch.setattr(commands, "_terminal_width", lambda: 60)
    monkeypatch.setattr(commands.click, "echo_via_pager", lambda text, color=None: paged.append(text))
    result = run(runner, "show", "002")
    assert result.exit_code == 0 and result.stdout == ""
    assert paged and paged[0].startswith("Fences Mended")
    assert all(len(line) <= 60 for line in paged[0].splitlines() if not line.startswith("  ["))
    direct = run(runner, "show", "002", "--no-pager")
    assert direct.stdout.rstrip("\n") == paged[0] and len(paged) == 1


def click_unstyle(text: str) -> str:
    import click

    return click.unstyle(text)


@pytest.fixture
def dated_index(runner: CliRunner) -> None:
    """Stories from 2016 to 2019, one wrongly dated 1870, and two undated."""
    dates = ["1870-05-01", "2016-03-01", "2017-06-01", "2017-07-01", "2019-01-01", None, None]
    records = [{"id": f"r{i}", "title": f"Harvest report {i}", "text": "The grain harvest was good this year."}
               | ({"date": when} if when else {}) for i, when in enumerate(dates)]  # fmt: skip
    Path("dated.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert run(runner, "index", "dated.jsonl").exit_code == 0


def test_a_wide_timeline_folds_empty_years_and_counts_the_undated(runner: CliRunner, dated_index):
    result = run(runner, "search", "harvest", "--timeline", "--format", "human")
    assert result.exit_code == 0
    drawn = result.stdout.split("Timeline", 1)[1].splitlines()
    assert drawn == [
        " (matches per year):",
        "  1870      │████████████████████ 1",
        "  1871–2015 ┆ none",
        "  2016      │████████████████████ 1",
        "  2017      │████████████████████████████████████████ 2",
        "  2018      │ 0",
        "  2019      │████████████████████ 1",
        "  2 undated matches not drawn",
    ]


def test_a_timeline_too_busy_to_fold_is_drawn_in_decades(runner: CliRunner):
    records = [{"id": f"r{year}", "title": "Harvest", "text": "The grain harvest.", "date": f"{year}-01-01"}
               for year in range(1900, 2000, 2)]  # fmt: skip
    Path("century.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert run(runner, "index", "century.jsonl").exit_code == 0
    result = run(runner, "search", "harvest", "--timeline", "-n", "1")
    drawn = result.stdout.split("Timeline", 1)[1].splitlines()
    assert drawn[0] == " (matches per decade):"
    assert drawn[1] == "  1900s │████████████████████████████████████████ 5"
    assert len(drawn) == 11 <= TIMELINE_ROWS


def test_the_json_timeline_keeps_every_year_and_counts_the_undated(runner: CliRunner, dated_index):
    data = json.loads(run(runner, "search", "harvest", "--timeline", "--json").stdout)
    assert len(data["timeline"]) == 2019 - 1870 + 1
    assert data["timeline_undated"] == 2


def test_wide_characters_wrap_by_the_columns_they_take(runner: CliRunner, monkeypatch: pytest.MonkeyPatch):
    """A Chinese paragraph has no spaces and each character takes two columns: it still wraps to the
    terminal, between characters, and no character is lost at a break."""
    story = "土耳其总统表示，第一批导弹防御系统部件已经运抵首都附近的空军基地。" * 4
    record = {"id": "zh1", "title": "导弹防御系统运抵", "text": story, "date": "2019-07-12"}
    Path("zh.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert run(runner, "index", "zh.jsonl").exit_code == 0
    monkeypatch.setattr(commands, "_terminal_width", lambda: 40)
    result = run(runner, "show", "zh1", "--no-pager")
    assert result.exit_code == 0, result.stderr
    body = [line for line in result.stdout.splitlines() if line[:1] in ("土", "基", "附", "已") or "。" in line]
    assert len(body) > 4
    assert all(columns(line) <= 40 for line in result.stdout.splitlines())
    assert "".join(body).count("空军基地") == 4
