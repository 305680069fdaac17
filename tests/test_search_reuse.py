"""What one search reads once and uses twice changes no answer: the bonuses computed from the postings
the search's matcher kept equal those read from the index again, collecting that stops looking at
matches which cannot enter the hits keeps the exact best article of each story, and a date filter
counts what it matches."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from searcher.engine import open_engine
from searcher.engine.whoosh import bm25f
from searcher.index import update_index
from searcher.models import SearchOptions
from searcher.search import search
from searcher.search.query import parse_query

INDEX = Path("index")
WORDS = ["pipeline", "gas", "talks", "border", "treaty", "summit", "election", "harvest", "markets"]
QUERIES = ["gas pipeline", "border treaty summit", "election markets talks", "harvest", "gas talks border"]
STORIES = 150
COPIES = {story: 1 + story % 4 for story in range(STORIES)}  # a story told once to four times


def _write(path: Path, rng: random.Random, stories: range, dated: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for story in stories:
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 50)))
            filler = " ".join(f"filler{rng.randint(0, 200)}" for _ in range(rng.randint(20, 90)))
            for copy in range(COPIES[story]):
                record = {"id": f"s{story:03d}-{copy}", "title": f"Report {story}", "text": f"{words} {filler}"}
                if dated:
                    record["date"] = f"2019-{1 + story % 12:02d}-{1 + story % 28:02d}"
                handle.write(json.dumps(record) + "\n")


@pytest.fixture
def stories() -> Path:
    """Stories with up to four identical copies each, indexed in three updates (three segments)."""
    rng = random.Random(29)
    for part, span in enumerate((range(0, 60), range(60, 110), range(110, STORIES))):
        _write(Path(f"corpus/part{part}.jsonl"), rng, span, dated=part != 1)
        update_index(INDEX, [Path("corpus")])
    return INDEX


def ranked(query: str, **options: object) -> list[tuple[str, float]]:
    found = open_engine(INDEX).search(parse_query(query), SearchOptions(**options))
    return [(match.id, match.score) for match in found.matches]


def test_bonuses_from_the_kept_postings_equal_those_read_from_the_index(stories: Path, monkeypatch: pytest.MonkeyPatch):
    kept = {query: ranked(query, limit=60) for query in QUERIES}
    monkeypatch.setattr("searcher.engine.whoosh.ranking.scored_postings", lambda reader, text: None)
    assert {query: ranked(query, limit=60) for query in QUERIES} == kept


def test_folded_hits_are_the_best_copy_of_each_story_in_the_full_ranking(stories: Path):
    """Single words (no bonuses, which re-score the first matches of whichever list is asked for),
    past the first chunk of matches and under a filter."""
    for query in ("gas", "harvest", "treaty", "gas date:2019"):
        every_copy = [doc_id for doc_id, _ in ranked(query, limit=1000, collapse=False)]
        first_of_each_story: dict[str, str] = {}
        for doc_id in every_copy:
            first_of_each_story.setdefault(doc_id.split("-")[0], doc_id)
        for size in (1, 10, 70):
            folded = [doc_id for doc_id, _ in ranked(query, limit=size)]
            assert folded == list(first_of_each_story.values())[:size], (query, size)


def test_a_scorer_used_outside_a_search_keeps_nothing(stories: Path):
    """A scorer used on its own (as tests/bench/rankmodel.py's check does) leaves nothing behind."""
    from searcher.engine.whoosh.searching import open_searcher

    for segment, _ in open_searcher(INDEX).leaf_searchers():
        assert bm25f.WordScorer(segment, "gas").every_score(segment)
        assert bm25f.scored_postings(segment.reader(), "gas") is None


def test_a_date_filter_counts_every_article_of_its_month(stories: Path):
    dated_in_march = sum(COPIES[story] for story in range(STORIES) if story % 12 == 2 and not 60 <= story < 110)
    found = search(INDEX, "date:2019-03 filler1 OR gas OR talks OR Report", SearchOptions(limit=5, collapse=False))
    assert found.total == dated_in_march
