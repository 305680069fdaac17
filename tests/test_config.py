"""The config file and shell completion: defaults people would repeat, and what the shell offers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli
from tests.conftest import seed_path


def run(runner: CliRunner, *args: str, **kwargs: object):
    return runner.invoke(cli, list(args), prog_name="searcher", **kwargs)


def write_config(text: str) -> Path:
    path = Path(os.environ["SEARCHER_CONFIG"])
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def two_indexes(runner: CliRunner, seed_index) -> None:
    """./index of the seeds, and ./small of one seed."""
    Path("one").mkdir()
    shutil.copy(seed_path("002"), "one")
    assert run(runner, "--index", "small", "index", "one").exit_code == 0


def hits(runner: CliRunner, *args: str, env: dict | None = None) -> list[str]:
    result = run(runner, "search", "Turkey", "--format", "ids", *args, env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def test_the_config_file_sets_the_index_and_the_limit(runner: CliRunner, two_indexes):
    write_config('index = "small"\n')
    assert hits(runner) == ["one/002_ebd0e1da6b7cb76d.txt"]
    write_config("limit = 2\n")
    assert len(hits(runner)) == 2


def test_the_environment_beats_the_file_and_options_beat_both(runner: CliRunner, two_indexes):
    write_config('index = "small"\nlimit = 2\n')
    assert len(hits(runner, env={"SEARCHER_INDEX": "index"})) == 2  # the seeds' index, the file's limit
    assert hits(runner, "--index", "small", env={"SEARCHER_INDEX": "index"}) == ["one/002_ebd0e1da6b7cb76d.txt"]
    assert len(hits(runner, "-n", "4")) == 1  # small has one article whatever the limit
    assert len(hits(runner, "-n", "4", "--index", "index")) == 4


def test_the_file_s_colour_yields_to_no_color(runner: CliRunner, seed_index):
    write_config('color = "always"\n')
    assert "\x1b[" in run(runner, "search", "Idlib").stdout
    assert "\x1b[" not in run(runner, "search", "Idlib", env={"NO_COLOR": "1"}).stdout
    assert "\x1b[" in run(runner, "search", "Idlib", "--color", "always", env={"NO_COLOR": "1"}).stdout


def test_the_file_s_taxonomy_is_used_by_index(runner: CliRunner):
    taxonomy = 'threshold = 1.0\n[[topic]]\nname = "rocketry"\ndescription = "Rockets"\nterms = { "s-400" = 3 }\n'
    Path("mine.toml").write_text(taxonomy, encoding="utf-8")
    write_config('taxonomy = "mine.toml"\n')
    assert run(runner, "index", "seeds").exit_code == 0
    result = run(runner, "topics")
    assert result.stdout.split()[:2] == ["rocketry", "3"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("limt = 2\n", "unknown setting 'limt'; known: index, taxonomy, color, limit"),
        ("limit = 0\n", "limit must be a whole number of at least 1, not 0"),
        ('color = "sometimes"\n', "color must be one of auto, always, never, not 'sometimes'"),
        ("index = 3\n", "index must be a string, not 3"),
        ("limit = \n", "cannot read the config file"),
    ],
)
def test_a_bad_config_file_is_one_line_and_exit_2(runner: CliRunner, seed_index, text: str, message: str):
    path = write_config(text)
    result = run(runner, "search", "Idlib")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: config file {path}: {message}") or (
        result.stderr.startswith(f"Error: {message} {path}")
    )
    assert len(result.stderr.splitlines()) == 1


def test_help_names_the_config_file(runner: CliRunner):
    path = Path(os.environ["SEARCHER_CONFIG"])
    lines = run(runner, "--help").stdout.splitlines()
    at = lines.index("Config file (TOML; $SEARCHER_CONFIG names another):")
    assert lines[at + 1] == f"  {path} (not created yet)"
    assert lines[at + 2].split() == ["index", "where", "the", "index", "lives", "(like", "--index)"]
    write_config("limit = 3\n")
    assert f"  {path}" in run(runner, "--help").stdout.splitlines()


def test_without_searcher_config_the_platform_folder_is_used(runner: CliRunner, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("SEARCHER_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(Path("xdg").resolve()))
    Path("xdg/searcher").mkdir(parents=True)
    Path("xdg/searcher/config.toml").write_text("limit = nonsense\n", encoding="utf-8")
    result = run(runner, "topics")
    assert result.exit_code == 2
    assert f"cannot read the config file {Path('xdg/searcher/config.toml').resolve()}" in result.stderr


def complete(runner: CliRunner, words: str) -> list[str]:
    """What bash completion offers for the last of `words` (click's bash protocol: type,value lines)."""
    env = {"_SEARCHER_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    if words.endswith(" "):
        env["COMP_CWORD"] = str(len(words.split()))
    result = run(runner, env=env)
    assert result.exit_code == 0, result.stderr
    return [line.split(",", 1)[1] for line in result.stdout.splitlines() if line]


def test_completion_offers_the_index_s_topics(runner: CliRunner, seed_index):
    assert sorted(complete(runner, "searcher search --topic d")) == ["defence", "diplomacy", "disaster"]


def test_completion_reads_the_index_given_before_the_command(runner: CliRunner, two_indexes):
    assert complete(runner, "searcher --index small show ") == ["one/002_ebd0e1da6b7cb76d.txt"]


def test_completion_offers_commands_and_options(runner: CliRunner):
    assert complete(runner, "searcher se") == ["search"]
    assert "--timeline" in complete(runner, "searcher search --t")


def test_completion_without_an_index_offers_nothing_and_fails_nothing(runner: CliRunner):
    assert complete(runner, "searcher search --topic d") == []


def test_completion_of_the_index_option_is_folders(runner: CliRunner):
    env = {"_SEARCHER_COMPLETE": "bash_complete", "COMP_WORDS": "searcher --index ", "COMP_CWORD": "2"}
    result = run(runner, env=env)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["dir,"]  # bash then completes folder names itself
