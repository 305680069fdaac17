"""Prose is read as words and syntax as syntax: a question, a pasted paragraph or a shouted request
never loses a word to query syntax, while short keyword queries keep every operator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searcher.engine import query as q
from searcher.index import update_index
from searcher.models import SearchOptions
from searcher.search import search
from searcher.search.query import parse_query

ARTICLES = [
    {"id": "science", "title": "What information science studies", "text": "Information science studies records."},
    {"id": "slip", "title": "Slip flow", "text": "The slip effect in rarefied boundary layer flows."},
    {"id": "flutter", "title": "Wing flutter boundaries", "text": "Flutter of a wing at transonic speeds."},
    {"id": "oil", "title": "Oil output", "text": "Oil output rose. Oil exports too, said the oil ministry."},
    {"id": "gas", "title": "Gas output", "text": "Gas output rose, and gas prices with it."},
    {"id": "dash", "title": "Dash", "text": "A dash of salt."},
]


def words(text: str) -> list[tuple[str, int]]:
    """The words of a query's tree with their counts (an error if it holds anything but words)."""
    tree = parse_query(text).words
    leaves = list(q.leaves(tree))
    assert all(isinstance(leaf, q.Word) for leaf in leaves), tree
    return [(leaf.text, leaf.count) for leaf in leaves]


@pytest.fixture
def index() -> Path:
    source = Path("corpus/articles.jsonl")
    source.parent.mkdir()
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    update_index(Path("index"), [source.parent])
    return Path("index")


def ids(index: Path, text: str) -> list[str]:
    return [hit.id for hit in search(index, text, SearchOptions(limit=20)).hits]


def test_a_question_mark_ends_a_question_and_is_no_wildcard(index: Path):
    assert words("What is information science?") == [("What", 1), ("information", 1), ("science", 1)]
    assert ids(index, "What is information science?")[0] == "science"


def test_a_question_with_punctuation_keeps_its_key_word(index: Path):
    question = "what is known of boundary layer flows (the ?slip? effect) ."
    assert ("slip", 1) in words(question)
    assert ids(index, question)[0] == "slip"


def test_a_dash_in_a_sentence_is_punctuation_not_an_exclusion(index: Path):
    question = "what methods -dash exact or approximate -dash are available for salt ."
    assert parse_query(question).excluded is None
    assert "dash" in ids(index, question)


def test_a_hyphenated_word_is_its_words_never_a_strict_phrase(index: Path):
    assert words("wing-flutter") == [("wing", 1), ("flutter", 1)]
    assert ids(index, "wing-flutter")[0] == "flutter"
    assert words("S-400") == [("S-400", 1)]  # a model number stays one term


def test_a_shouted_long_request_is_words_not_operators():
    request = "I AM INTERESTED IN THE IDENTIFICATION AND EVALUATION OF NOVEL COMPUTER ARCHITECTURES OR NOT"
    found = words(request)
    assert ("IDENTIFICATION", 1) in found and ("ARCHITECTURES", 1) in found
    assert not q.has_negation(parse_query(request).words)


def test_a_word_said_twice_weighs_more(index: Path):
    assert words("oil gas oil") == [("oil", 2), ("gas", 1)]
    assert ids(index, "gas oil gas")[0] == "gas"
    assert ids(index, "oil gas oil")[0] == "oil"


def test_words_with_one_stem_count_as_one_word_said_twice():
    assert words("how are prices priced and what drives pricing of gas in markets today?") == [
        ("how", 1), ("prices", 3), ("what", 1), ("drives", 1), ("gas", 1), ("markets", 1), ("today", 1),
    ]  # fmt: skip


def test_two_forms_of_a_keyword_count_as_the_word_said_twice(index: Path):
    """Keywords, not prose: "Oil" and "oil" (or "prices" and "price") are one term said twice."""
    assert words("Oil gas oil") == [("Oil", 2), ("gas", 1)]
    assert words("prices oil price") == [("prices", 2), ("oil", 1)]
    assert ids(index, "Oil gas oil")[0] == ids(index, "oil gas oil")[0] == "oil"
    assert words("oil title:oil") == [("oil", 1), ("oil", 1)]  # a field's word stays its own clause


@pytest.mark.parametrize(
    ("text", "kind"),
    [("elect*", q.Prefix), ("wom?n", q.Wildcard), ('"air defense"', q.Phrase), ("putn~", q.Fuzzy)],
)
def test_keyword_queries_keep_their_syntax(text: str, kind: type):
    assert isinstance(parse_query(text).words, kind)


def test_keyword_queries_keep_exclusions_and_operators(index: Path):
    assert parse_query("output -gas").excluded is not None
    assert ids(index, "output -gas") == ["oil"]
    assert set(ids(index, "oil OR gas")) == {"oil", "gas"}
    assert ids(index, "output AND NOT oil") == ["gas"]


def test_topic_and_date_filters_hold_in_a_question():
    parsed = parse_query("topic:energy what happened to gas prices in Europe this winter?")
    assert [leaf.field for clause in parsed.filters for leaf in q.leaves(clause)] == ["topics"]
    assert ("gas", 1) in [(leaf.text, leaf.count) for leaf in q.leaves(parsed.words)]


def test_a_batch_searches_a_long_question_and_goes_on_past_a_bad_line(index: Path, tmp_path: Path):
    from click.testing import CliRunner

    from searcher.cli import cli

    question = "what is known of the oil output of the ministry and its exports " * 32  # about 2,000 characters
    lines = ["1\tgas output", "no tab here", f"2\t{question.strip()}?", "3\tslip flow"]
    batch = tmp_path / "queries.tsv"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--index", str(index), "search", "--batch", str(batch), "--format", "trec"])
    assert result.exit_code == 2  # the bad line is reported
    assert "line 2: expected qid<TAB>query" in result.stderr
    answered = {line.split()[0] for line in result.stdout.splitlines()}
    assert answered == {"1", "2", "3"}


def test_verbose_search_says_what_was_searched(index: Path):
    from click.testing import CliRunner

    from searcher.cli import cli

    result = CliRunner().invoke(cli, ["-v", "--index", str(index), "search", 'topic:energy "air defense" oil oil -gas'])
    assert result.exit_code == 0, result.stderr
    assert (
        'searcher: searched: keywords and syntax; words ("air defense" OR oil (x2)); filters topics:energy; '
        "excluding gas"
    ) in result.stderr
    question = CliRunner().invoke(cli, ["-v", "--index", str(index), "search", "What is information science?"])
    assert "searched: prose: its words only; words (What OR information OR science)" in question.stderr
