"""Topics: the taxonomy tree (parents, most specific topics shown) and the installed examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli
from searcher.enrich.topics import example_taxonomies, load_taxonomy
from searcher.errors import TaxonomyError

TREE = """
threshold = 2.0
[[topic]]
name = "economy"
terms = { "market" = 2, "shares" = 2 }
[[topic]]
name = "energy"
parent = "economy"
terms = { "oil" = 3, "pipeline" = 3 }
[[topic]]
name = "sport"
terms = { "football" = 3 }
"""


def tree(tmp_path: Path, text: str = TREE):
    path = tmp_path / "tree.toml"
    path.write_text(text, encoding="utf-8")
    return load_taxonomy(path)


def test_a_child_is_shown_instead_of_its_parent(tmp_path: Path):
    taxonomy = tree(tmp_path)
    assert taxonomy.assign("Oil pipeline opens", "The oil market and shares rose as the pipeline opened.") == (
        "energy",
    )
    assert taxonomy.assign("Shares fall", "The market fell and shares with it.") == ("economy",)
    assert taxonomy.descendants("economy") == ("economy", "energy")
    assert taxonomy.ancestors("energy") == ("economy",)


def test_scattered_evidence_counts_for_the_top_level(tmp_path: Path):
    """No topic reaches the threshold alone; the economy's own and its child's terms together do."""
    taxonomy = tree(tmp_path, TREE.replace("threshold = 2.0", "threshold = 4.0"))
    assert taxonomy.assign("", "Oil rose, and the market.") == ("economy",)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[[topic]]\nname = "gas"\nparent = "fuel"\nterms = { "gas" = 1 }\n', "which is not a topic"),
        ('[[topic]]\nname = "sport"\nterms = { "goal" = 1 }\n', "defined twice"),
    ],
)
def test_a_bad_tree_is_refused_with_its_reason(tmp_path: Path, extra: str, message: str):
    with pytest.raises(TaxonomyError, match=message):
        tree(tmp_path, TREE + extra)


def test_a_loop_of_parents_is_refused(tmp_path: Path):
    text = '[[topic]]\nname = "a"\nparent = "b"\n[[topic]]\nname = "b"\nparent = "a"\n'
    with pytest.raises(TaxonomyError, match="loop of parents"):
        tree(tmp_path, text)


def test_the_default_taxonomy_has_the_iptc_top_level():
    taxonomy = load_taxonomy()
    assert taxonomy.children(None) == [
        "arts", "conflict", "crime", "disaster", "economy", "education", "environment", "health",
        "human-interest", "labour", "lifestyle", "politics", "religion", "science", "society", "sport", "weather",
    ]  # fmt: skip
    assert {"energy"} <= set(taxonomy.children("economy"))
    assert {"defence", "diplomacy", "sanctions"} <= set(taxonomy.children("politics"))


@pytest.mark.parametrize(
    ("title", "body", "root"),
    [
        ("US service members killed in Afghanistan helicopter crash", "Four soldiers died in the crash.", "disaster"),
        ("Chelsea beat Arsenal in the cup final", "A late goal from the striker won the match for the club.", "sport"),
    ],
)  # fmt: skip
def test_general_news_gets_its_top_level_topic(title: str, body: str, root: str):
    taxonomy = load_taxonomy()
    found = taxonomy.assign(title, body)
    assert found and (taxonomy.ancestors(found[0]) or (found[0],))[-1] == root


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("MacBook Air review", "Apple's new laptop has a faster chip and a brighter screen."),
        ("Star Wars Jedi: Fallen Order review", "The video game is a fine adventure for the console."),
    ],
)
def test_reviews_of_gadgets_and_games_are_technology_not_economy_or_conflict(title: str, body: str):
    assert load_taxonomy().assign(title, body) == ("technology",)


def test_installed_examples_are_listed(runner: CliRunner):
    result = runner.invoke(cli, ["topics", "--examples"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split()[0] == "bbc-news"
    assert Path(result.stdout.split()[1]) == example_taxonomies()["bbc-news"]


def test_an_example_is_taken_by_name(runner: CliRunner, isolated: Path):
    result = runner.invoke(cli, ["index", "seeds", "--taxonomy", "bbc-news"])
    assert result.exit_code == 0, result.stderr
    listed = runner.invoke(cli, ["topics", "--json"])
    names = [t["name"] for t in json.loads(listed.stdout)["topics"]]
    assert names == ["business", "entertainment", "politics", "sport", "tech"]


def test_an_unknown_taxonomy_name_is_a_usage_error(runner: CliRunner):
    result = runner.invoke(cli, ["index", "seeds", "--taxonomy", "no-such-example"])
    assert result.exit_code == 2
    assert "no installed example of that name (examples: bbc-news)" in result.stderr
    assert not Path("index").exists()
