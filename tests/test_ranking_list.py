"""One ranking, however it is asked for: page N of `-n K` is items (N-1)K+1..NK of the same list for
every K, pages never repeat or skip an article, and --expand's top hits are exact."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from searcher.index import update_index
from searcher.models import SearchOptions
from searcher.search import search

INDEX = Path("index")
WORDS = ["pipeline", "gas", "talks", "border", "treaty", "summit",
         "election", "harvest", "markets", "missile", "defense", "ceasefire"]  # fmt: skip
QUERIES = ["gas pipeline", "missile defense talks", "election markets", "border treaty summit", "harvest"]


@pytest.fixture
def collection() -> Path:
    """400 articles mixing the same dozen words in different amounts: many near-ties for the bonuses."""
    rng = random.Random(13)
    path = Path("corpus/mixed.jsonl")
    path.parent.mkdir()
    with path.open("w", encoding="utf-8") as handle:
        for i in range(400):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 60))]
            filler = " ".join(f"filler{rng.randint(0, 300)}" for _ in range(rng.randint(5, 80)))
            handle.write(
                json.dumps({"id": f"a{i:03d}", "title": f"Report {i}", "text": " ".join(words) + " " + filler})
            )
            handle.write("\n")
    update_index(INDEX, [path.parent])
    return INDEX


def ranked(query: str, limit: int, page: int = 1, **options: object) -> list[str]:
    found = search(INDEX, query, SearchOptions(limit=limit, page=page, snippets=False, collapse=False, **options))
    return [hit.id for hit in found.hits]


@pytest.mark.parametrize("query", QUERIES)
def test_the_first_page_is_the_same_whatever_the_page_size(collection: Path, query: str):
    deep = ranked(query, 1000)
    for size in (1, 3, 10, 25):
        assert ranked(query, size) == deep[:size], size


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("size", [7, 10, 30])
def test_pages_are_slices_of_one_list_without_repeats_or_gaps(collection: Path, query: str, size: int):
    deep = ranked(query, 1000)
    shown: list[str] = []
    for page in range(1, 10):
        shown += ranked(query, size, page)
    assert shown == deep[: len(shown)]
    assert len(shown) == len(set(shown))


@pytest.mark.parametrize("query", QUERIES)
def test_expanded_top_hits_are_exact(collection: Path, query: str):
    assert ranked(query, 10, expand=True) == ranked(query, 1000, expand=True)[:10]
