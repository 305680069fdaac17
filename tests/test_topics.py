"""Topics from the taxonomy: on the seeds, on small texts, and from a user's own file."""

from __future__ import annotations

from pathlib import Path

import pytest

from searcher.enrich.topics import load_taxonomy
from searcher.errors import TaxonomyError
from searcher.pipeline import articles_from


def seed_topics() -> dict[str, set[str]]:
    return {a.id.split("/")[-1][:3]: set(a.topics) for a in articles_from([Path("seeds")])}


def test_seeds_share_the_topics_their_stories_share():
    topics = seed_topics()
    assert {n for n, t in topics.items() if "defence" in t} >= {"001", "003", "004"}
    assert {n for n, t in topics.items() if "conflict" in t} >= {"001", "002", "004"}
    assert {n for n, t in topics.items() if "energy" in t} >= {"000", "004"}
    assert "energy" not in topics["001"]


def test_a_short_text_gets_its_obvious_topic_only():
    taxonomy = load_taxonomy()
    assert taxonomy.assign("Gas pipeline opens", "The new gas pipeline will carry gas and oil to Europe.") == (
        "energy",
    )
    assert taxonomy.assign("Wheat harvest", "Farmers expect a good harvest.") == ()


def test_a_users_taxonomy_replaces_the_default(tmp_path: Path):
    custom = tmp_path / "sport.toml"
    custom.write_text(
        'threshold = 2\n[[topic]]\nname = "Football"\ndescription = "The game"\nterms = { "goal" = 2, "striker" = 2 }\n'
    )
    taxonomy = load_taxonomy(custom)
    assert taxonomy.assign("", "The striker scored a late goal.") == ("football",)


@pytest.mark.parametrize(
    "content",
    [
        "not toml [",
        '[[topic]]\ndescription = "no name"\n',
        '[[topic]]\nname = "a,b"\n',
        "threshold = -1\n",
        '[[topic]]\nname = "x"\nterms = ["list"]\n',
    ],
)
def test_malformed_taxonomies_are_refused_with_a_message(tmp_path: Path, content: str):
    bad = tmp_path / "bad.toml"
    bad.write_text(content)
    with pytest.raises(TaxonomyError, match="taxonomy"):
        load_taxonomy(bad)
