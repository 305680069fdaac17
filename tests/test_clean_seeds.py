"""The seeds, cleaned exactly: every story line kept in order, furniture and comments dropped."""

from __future__ import annotations

import pytest

from searcher.clean import clean
from searcher.sources import FoundFile, read_documents
from tests.conftest import seed_path


def cleaned(number: str):
    path = seed_path(number)
    documents, _ = read_documents(FoundFile(path, path.name))
    return clean(documents[0])


def raw_lines(number: str) -> list[str]:
    return [line.strip() for line in seed_path(number).read_text(encoding="utf-8").splitlines() if line.strip()]


def normalized(lines: list[str]) -> list[str]:
    return [" ".join(line.replace("\u00a0", " ").split()) for line in lines]


def test_001_recent_comments_widget_is_dropped_whole():
    result = cleaned("001")
    dropped = [d.text for d in result.dropped]
    assert dropped == raw_lines("001")[-4:]
    assert {d.reason for d in result.dropped} <= {"comment widget", "link spam"}
    assert "sildenafil" not in result.body and "Brotherhood" not in result.body


def test_002_title_and_caption_and_credit():
    result = cleaned("002")
    assert result.title == "Fences Mended: Russia Interested in Placing Missile System in Turkey"
    assert result.title_is_headline
    reasons = {d.text.split()[0]: d.reason for d in result.dropped}
    assert reasons == {"Russian": "photo caption", "AP": "photo credit"}
    assert "Zemlianichenko" not in result.body and "Pantsyr" not in result.body


def test_003_read_more_link_is_dropped():
    result = cleaned("003")
    assert [(d.text[:10], d.reason) for d in result.dropped] == [("READ MORE:", "related link")]


def test_004_title_is_the_headline_line():
    result = cleaned("004")
    assert result.title.startswith("The journey of relations between Ankara and Moscow…")
    assert result.title.endswith("common interests")
    assert "The project began in 2017." in result.paragraphs


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_every_other_line_is_kept_in_order(number: str):
    result = cleaned(number)
    dropped = {d.text for d in result.dropped}
    expected = [line for line in normalized(raw_lines(number)) if line not in dropped]
    if result.title_is_headline:
        assert expected.pop(0) == result.title
    assert list(result.paragraphs) == expected


@pytest.mark.parametrize("number", ["000", "001", "003"])
def test_articles_without_a_headline_show_their_first_sentence(number: str):
    result = cleaned(number)
    assert not result.title_is_headline
    assert result.paragraphs[0].startswith(result.title.rstrip("…"))
