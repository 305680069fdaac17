"""The ranking bench's model of searcher's scoring (tests/bench/rankmodel.py) ranks as the engine does:
settings chosen with it are only worth something while it agrees with `searcher search`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("numpy", reason="the ranking model needs numpy (the bench extra)")
sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))
from ircollections import Collection  # noqa: E402
from rankmodel import Model, per_field_part, today  # noqa: E402
from relevance import searcher_index, searcher_runs  # noqa: E402

ARTICLES = [
    ("harbour", "Ferry strike closes the harbour", "Ferry crews walked out at dawn. The harbour stayed closed all day "
     "while the ferry company and the union argued about night shifts."),
    ("fares", "Ferry fares rise again", "The ferry company raised fares for the third time this year, blaming fuel."),
    ("fuel", "Fuel prices and the islands", "Island shops pay more for fuel, and prices of food follow the fuel bill "
     "up; the strike at the harbour made it worse."),
    ("union", "Union talks resume", "Talks between the union and the company resumed on Tuesday. A strike vote "
     "is planned for next week if the night shifts are not settled."),
    ("weather", "Storm warning for the coast", "A storm is expected on the coast tonight; ferry crossings may be "
     "cancelled and the harbour closed to small boats."),
    ("schools", "Island schools reopen", "Schools on the islands reopened after the storm. Pupils who come by ferry "
     "were excused for the first morning."),
    ("market", "Fish market prices fall", "Prices at the fish market fell as boats stayed in the harbour during the "
     "storm and the strike, then landed twice the usual catch."),
    ("council", "Council debates harbour plan", "The council debated a plan to widen the harbour for larger ferry "
     "boats; the union asked for more night shifts to be paid."),
]  # fmt: skip
QUERIES = {
    "one word": "ferry",
    "two words (coordination and proximity)": "harbour strike",
    "two words the other way round (within the window)": "harbour ferry",
    "four words": "ferry union night shifts",
    "a question repeating a word": "Why did fuel prices and food prices rise on the islands?",
    "a word no article has": "submarine",
    "a word no article has among others (weighs nothing in coordination)": "harbour submarine strike fuel",
    "a rare word and common ones (coordination by idf)": "ferry shifts storm fish",
}


@pytest.fixture(scope="module")
def fixture_collection(tmp_path_factory: pytest.TempPathFactory) -> tuple[Collection, Path]:
    documents = [{"id": doc_id, "title": title, "text": text} for doc_id, title, text in ARTICLES]
    queries = dict(enumerate(QUERIES.values()))
    collection = Collection("ferries", documents, {str(k): v for k, v in queries.items()}, {}, {}, "")
    return collection, searcher_index(collection, tmp_path_factory.mktemp("rankmodel"))


@pytest.mark.parametrize("qid", [str(i) for i in range(len(QUERIES))], ids=list(QUERIES))
def test_model_of_todays_setting_ranks_as_the_engine(fixture_collection: tuple[Collection, Path], qid: str) -> None:
    collection, index = fixture_collection
    engine = searcher_runs(index, {qid: collection.queries[qid]})[qid]
    assert Model(collection, index).ranking(qid, today()) == engine


def test_bm25f_saturates_a_word_once_over_both_fields(fixture_collection: tuple[Collection, Path]) -> None:
    """Per-field BM25 saturates the title and the body apart, so a word in both can pass one field's
    ceiling, idf * (K1 + 1); BM25F adds the fields' frequencies first and never does."""
    collection, index = fixture_collection
    model = Model(collection, index)
    per_field, bm25f = per_field_part(), today()._replace(family="bm25f")
    harbour = model.terms["body"]["harbour"]
    ceiling = model.idf(max(len(harbour.docs), len(model.terms["title"]["harbour"].docs))) * (per_field.k1 + 1)
    assert sum(model.word_scores("harbour", per_field).values()).max() > ceiling
    assert model.word_scores("harbour", bm25f)["any"].max() < ceiling


@pytest.mark.parametrize("word", ["ferry", "harbour", "strike"])
def test_a_words_score_is_the_models_bm25f_mixed_with_the_per_field_sum(
    fixture_collection: tuple[Collection, Path], word: str
) -> None:
    """Scores, not only order: a word in the title and the body of one article ("harbour" in
    "Ferry strike closes the harbour") is saturated once over both fields by the BM25F part."""
    from searcher.analysis import news_analyzer
    from searcher.models import SearchOptions
    from searcher.search import search

    collection, index = fixture_collection
    model = Model(collection, index)
    expected = model.word_scores(next(token.text for token in news_analyzer()(word)), today())["any"]
    hits = search(index, word, SearchOptions(limit=50, snippets=False, collapse=False)).hits
    assert len(hits) == int((expected > 0).sum())
    for hit in hits:
        assert hit.score == pytest.approx(expected[model.ids.index(hit.id)], abs=1e-4), hit.id  # hits show 4 decimals
