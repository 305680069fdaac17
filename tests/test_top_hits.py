"""The first page holds the best matches: the same hits, in the same order, as the head of a long
result list. Whoosh's own top-k collection broke this for queries with a negation."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from searcher.engine import close_engines
from searcher.index import update_index
from searcher.models import SearchOptions
from searcher.search import search

WORDS = [
    "pressure",
    "flow",
    "heat",
    "boundary",
    "layer",
    "wing",
    "shock",
    "jet",
    "method",
    "theory",
    "nozzle",
    "drag",
    "lift",
    "mach",
    "cone",
]
TOPICS = ["aero", "fluids", "heat"]
YEARS = [2019, 2020, 2021]
QUERIES = [
    "heat jet -flow",
    "wing drag NOT shock",
    "(layer -jet) heat",
    "(mach NOT cone) OR nozzle",
    "lift OR (drag AND NOT wing)",
    "pressure flow",
    "boundary layer theory",
]


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four hundred articles of varied length drawn from a small vocabulary, so that many score
    closely and Whoosh has to prune."""
    folder = tmp_path_factory.mktemp("top-hits")
    draw = random.Random(7)
    records = []
    for number in range(400):
        words = draw.choices(WORDS, weights=range(len(WORDS), 0, -1), k=draw.randint(5, 120))
        record = {"id": f"a{number}", "title": " ".join(words[:3]), "text": " ".join(words[3:]) + "."}
        record |= {"topics": draw.sample(TOPICS, draw.randint(0, 2)), "date": f"{draw.choice(YEARS)}-06-01"}
        if number % 8 == 7:  # a copy of an earlier story, to be folded into it
            record |= {key: records[draw.randrange(number)][key] for key in ("title", "text")}
        records.append(record)
    with (folder / "articles.jsonl").open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(record) + "\n" for record in records)
    update_index(folder / "index", [folder / "articles.jsonl"], procs=1)
    yield folder / "index"
    close_engines()


@pytest.mark.parametrize("expand", [False, True], ids=["plain", "expanded"])
@pytest.mark.parametrize("query", QUERIES)
def test_the_first_page_is_the_head_of_the_full_ranking(collection: Path, query: str, expand: bool):
    options = {"snippets": False, "collapse": False, "expand": expand}
    first_page = search(collection, query, SearchOptions(limit=5, **options))
    everything = search(collection, query, SearchOptions(limit=400, **options))
    assert [hit.id for hit in first_page.hits] == [hit.id for hit in everything.hits[:5]]
    assert first_page.total == everything.total == len(everything.hits)


FILTERED = [
    ("heat jet", {"topics": ("aero",)}),
    ("topic:fluids pressure flow", {}),
    ("date:2020 wing drag -shock", {}),
    ("boundary layer", {"after": date(2020, 1, 1)}),
    ("topic:heat topic:aero mach -cone", {"before": date(2020, 12, 31)}),
    ("topic:migration lift", {}),  # a topic of the taxonomy that no article here has (an unknown one is refused)
]


@pytest.mark.parametrize("collapse", [True, False], ids=["folded", "all copies"])
@pytest.mark.parametrize(("query", "filters"), FILTERED, ids=[q for q, _ in FILTERED])
def test_a_filtered_first_page_is_the_head_of_the_full_ranking(
    collection: Path, query: str, filters: dict, collapse: bool
):
    options = {"snippets": False, "collapse": collapse, **filters}
    first_page = search(collection, query, SearchOptions(limit=5, **options))
    everything = search(collection, query, SearchOptions(limit=400, **options))
    assert [hit.id for hit in first_page.hits] == [hit.id for hit in everything.hits[:5]]
    assert [hit.duplicates for hit in first_page.hits] == [hit.duplicates for hit in everything.hits[:5]]
    if not collapse:
        assert first_page.total == everything.total == len(everything.hits)


def test_lengths_held_in_memory_are_the_ones_on_disk(collection: Path):
    from searcher.engine.whoosh import store
    from searcher.engine.whoosh.searching import open_searcher

    held = open_searcher(collection).reader()
    with store.open_whoosh(store.locate(collection)).reader() as on_disk:
        for docnum in range(on_disk.doc_count_all()):
            for field in ("title", "body"):
                assert held.doc_field_length(docnum, field) == on_disk.doc_field_length(docnum, field)
