"""The README cannot drift: its reference is the commands' --help, and every example in it and in
--help prints something on the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli
from tests import readme

README_TEXT = readme.README.read_text(encoding="utf-8")
EXAMPLES = sorted(set(readme.readme_examples(README_TEXT)) | set(readme.help_examples()))
# Commands whose output is a summary on stderr rather than anything on stdout.
REPORTS_ON_STDERR = {"index", "forget"}


def test_the_reference_is_the_commands_help():
    assert readme.readme_reference(README_TEXT) == readme.reference().strip("\n"), (
        "README's reference is out of date: run python -m tests.readme --write"
    )


def test_usage_comes_before_the_reference_and_the_reference_before_quality_and_performance():
    headings = [line for line in README_TEXT.splitlines() if line.startswith("## ")]
    assert headings.index("## Using it") < headings.index("## Reference")
    assert headings.index("## Reference") < headings.index("## Quality") < headings.index("## Performance")


def test_there_are_examples_from_both_places():
    assert len(readme.readme_examples(README_TEXT)) >= 15
    assert len(readme.help_examples()) >= 15


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_prints_something_on_the_seeds(example: str, seed_index: Path):
    args, piped = readme.searcher_parts(example)
    result = CliRunner().invoke(cli, args, input=piped, prog_name="searcher")
    assert result.exit_code == 0, f"{example}: {result.stderr}"
    command = next((arg for arg in args if not arg.startswith("-")), "")
    printed = result.stderr if command in REPORTS_ON_STDERR else result.stdout
    assert printed.strip(), f"{example} printed nothing"
    assert "No results" not in printed, f"{example} found nothing"
    for line in result.stdout.splitlines() if result.stdout.lstrip().startswith("{") else []:
        data = json.loads(line) if line.startswith("{") else {}
        assert data.get("total", 1) > 0, f"{example} found nothing"


def test_python_m_tests_readme_writes_the_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    stale = README_TEXT.replace(readme.readme_reference(README_TEXT), "stale")
    assert readme.readme_reference(readme.with_reference(stale)) == readme.reference().strip("\n")


def test_man_pages_are_made_from_the_commands(tmp_path: Path):
    pytest.importorskip("click_man", reason="click-man makes the man pages: pip install '.[man]'")
    result = CliRunner().invoke(cli, ["--man", str(tmp_path / "man")], prog_name="searcher")
    assert result.exit_code == 0, result.stderr
    pages = sorted(p.name for p in (tmp_path / "man").iterdir())
    assert pages == sorted(["searcher.1", *(f"searcher-{name}.1" for name in cli.commands)])
    search_page = (tmp_path / "man" / "searcher-search.1").read_text(encoding="utf-8")
    assert search_page.startswith('.TH "SEARCHER SEARCH" "1"')
    assert "\\fB\\-n,\\fP \\-\\-limit INTEGER RANGE" in search_page
    folder = tmp_path / "man"
    assert result.stderr == f"searcher: wrote 10 man pages to {folder}; read one with: man {folder}/searcher-search.1\n"


def test_man_without_click_man_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import sys

    monkeypatch.setitem(sys.modules, "click_man.core", None)
    result = CliRunner().invoke(cli, ["--man", str(tmp_path / "man")], prog_name="searcher")
    assert result.exit_code == 1
    assert result.stderr == "Error: --man needs click-man; install it with: pip install 'searcher[man]'\n"
