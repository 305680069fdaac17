"""Dates from metadata and text: parsed when stated, honest about their source, never invented."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from searcher.clean import clean
from searcher.enrich import best_date
from searcher.enrich.dates import infer_date, parse_date
from searcher.models import SourceDocument


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2019-04-26", date(2019, 4, 26), "day"),
        ("2019-04", date(2019, 4, 1), "month"),
        ("2019", date(2019, 1, 1), "year"),
        ("2019-04-26T23:30:00-04:00", date(2019, 4, 27), "day"),  # stored as the UTC date
        ("2019-04-26T10:00:00Z", date(2019, 4, 26), "day"),
        ("Fri, 26 Apr 2019 10:00:00 GMT", date(2019, 4, 26), "day"),
        ("April 26, 2019", date(2019, 4, 26), "day"),
        ("26 April 2019", date(2019, 4, 26), "day"),
    ],
)
def test_stated_dates_parse_with_their_precision(text: str, expected: date, precision: str):
    parsed = parse_date(text, "metadata")
    assert parsed is not None
    assert (parsed.value, parsed.precision, parsed.source) == (expected, precision, "metadata")


@pytest.mark.parametrize(
    "text", ["", "yesterday", "2019-13-45", "February 30, 2019", "0000-00-00", "99999", "last Tuesday", "12/11/10"]
)
def test_malformed_or_ambiguous_dates_give_no_date(text: str):
    assert parse_date(text, "metadata") is None


def test_inference_takes_the_latest_full_date_in_the_past():
    text = "Talks began in November 2015. On April 3, 2018, a deal was signed. A reactor opens in March 2031."
    inferred = infer_date(text, today=date(2026, 1, 1))
    assert inferred is not None
    assert (inferred.value, inferred.precision, inferred.source) == (date(2018, 4, 3), "day", "text")


def test_relative_dates_and_bare_years_are_not_inferred():
    assert infer_date("On Tuesday, last month, in 2017 and in early October, talks went on.") is None


def test_dates_in_dropped_captions_do_not_count():
    caption = "Tanks on parade on May 9, 2016. (AP Photo/Ivan Sekretarev)"
    text = f"Title of the story here\n\n{caption}\n\nThe talks went on in November 2015.\n"
    cleaned = clean(SourceDocument(id="c", path=Path("c.txt"), kind="text", content=text))
    found = best_date(cleaned)
    assert found is not None and found.display() == "2015-11"


def test_a_dateline_beats_dates_in_the_text():
    text = "Title of the story here\n\nPublished: 12 March 2019\n\nThe war began in May 2011.\n"
    cleaned = clean(SourceDocument(id="d", path=Path("d.txt"), kind="text", content=text))
    found = best_date(cleaned)
    assert found is not None and (found.display(), found.source) == ("2019-03-12", "dateline")


def html_date(head: str, body: str = "") -> tuple[str, str] | None:
    story = "The talks in Ankara went on all week. " * 3
    html = f"<html><head>{head}</head><body><article><p>{story}</p>{body}</article></body></html>"
    cleaned = clean(SourceDocument(id="h", path=Path("h.html"), kind="html", content=html))
    found = best_date(cleaned)
    return (found.value.isoformat(), found.source) if found else None


@pytest.mark.parametrize(
    ("head", "body"),
    [
        ('<meta property="article:published_time" content="2018-03-04T10:00:00Z">', ""),
        ('<script type="application/ld+json">{"@graph": [{"datePublished": "2018-03-04"}]}</script>', ""),
        ("", '<time datetime="2018-03-04T08:00:00+01:00">4 March</time>'),
        ('<meta property="og:published_time" content="2018-03-04">', ""),
        ('<meta name="DC.date.issued" content="2018-03-04">', ""),
        ('<meta name="pubdate" content="2018-03-04">', ""),
        ('<meta name="date" content="Sun, 04 Mar 2018 10:00:00 GMT">', ""),
    ],
)
def test_each_html_date_source_is_read_as_metadata(head: str, body: str):
    assert html_date(head, body) == ("2018-03-04", "metadata")


def test_a_malformed_metadata_date_falls_back_to_the_next_source():
    head = '<meta property="article:published_time" content="not a date"><meta name="pubdate" content="2018-03-04">'
    assert html_date(head) == ("2018-03-04", "metadata")


def test_broken_json_ld_is_ignored():
    assert html_date('<script type="application/ld+json">{"datePublished": </script>') is None


def test_a_jsonl_date_beats_everything():
    cleaned = clean(
        SourceDocument(id="j", path=Path("j.jsonl"), kind="record", content="Signed on May 9, 2016.", date="2020-02-02")
    )
    found = best_date(cleaned)
    assert found is not None and (found.value.isoformat(), found.source) == ("2020-02-02", "metadata")
