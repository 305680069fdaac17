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
        ("2019-04-26T23:30:00-04:00", date(2019, 4, 26), "day"),  # the publisher's own day, not UTC's
        ("2019-04-26T10:00:00Z", date(2019, 4, 26), "day"),
        ("2019-04-27T00:30:00+03:00", date(2019, 4, 27), "day"),
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


@pytest.mark.parametrize(
    "text",
    [
        # a contract: the end of a term is no publication date
        "Arsenal manager Arsene Wenger has signed a new contract until May 2008. He joined the club in 1996.",
        # an option over a range of years
        "GM pays $2bn to Fiat. The deal ends an option, exercisable between January 2004 and July 2009.",
        # history: the only date stated is from long ago
        "The All Blacks first toured Britain in June 1870, a history paragraph recalls. They won again.",
        # a forecast and a bond's maturity
        "Output will reach 2 mln tonnes by December 2031, and the bonds are due May 29, 1992.",
        # a fiscal period
        "Net profit rose 12 pct in the year ended December 31, 1986, the company said on Tuesday.",
        # a weekday that is wrong for the date (2019-07-12 was a Friday)
        "The minister spoke on Monday, July 12, 2019 about the plan.",
        # an anchored day, but the story mentions a later year: it is looking back
        "On Tuesday, March 3, 1987 the strike began. By 1990 the mine had closed.",
    ],
)
def test_dates_the_story_does_not_tie_to_its_own_time_are_not_inferred(text: str):
    assert infer_date(text, today=date(2026, 1, 1)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The minister said on Tuesday, March 3, 1987, that talks would go on.", date(1987, 3, 3)),
        ("Ministers meet today, 12 July 2019, in Ankara.", date(2019, 7, 12)),
        ("The talks, held on Friday 12 July 2019, ended without a deal.", date(2019, 7, 12)),
    ],
)
def test_a_day_the_story_ties_to_its_own_time_is_inferred_and_says_so(text: str, expected: date):
    inferred = infer_date(text, today=date(2026, 1, 1))
    assert inferred is not None
    assert (inferred.value, inferred.precision, inferred.source) == (expected, "day", "inferred")


def test_relative_dates_and_bare_years_are_not_inferred():
    assert infer_date("On Tuesday, last month, in 2017 and in early October, talks went on.") is None


def test_dates_in_dropped_captions_do_not_count():
    caption = "Tanks on parade on Monday, May 9, 2016. (AP Photo/Ivan Sekretarev)"
    text = f"Title of the story here\n\n{caption}\n\nThe talks went on and on, officials said.\n"
    cleaned = clean(SourceDocument(id="c", path=Path("c.txt"), kind="text", content=text))
    assert best_date(cleaned) is None
    in_story = text.replace("The talks went on", "On Monday, May 9, 2016 the talks went on")
    cleaned = clean(SourceDocument(id="c", path=Path("c.txt"), kind="text", content=in_story))
    found = best_date(cleaned)
    assert found is not None and (found.display(), found.source) == ("2016-05-09", "inferred")


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
        ('<meta name="ms.date" content="2018-03-04">', ""),  # a site's own prefix on "date"
        ('<meta name="parsely-pub-date" content="2018-03-04T10:00:00Z">', ""),
    ],
)
def test_each_html_date_source_is_read_as_metadata(head: str, body: str):
    assert html_date(head, body) == ("2018-03-04", "metadata")


@pytest.mark.parametrize(
    "body",
    [
        '<div class="post-meta"><span class="post-date">March 4, 2018</span></div>',
        '<p class="entry-date">04.03.2018</p>',
        '<span itemprop="datePublished">4 March 2018</span>',
    ],
)
def test_a_date_the_page_shows_in_an_element_marked_as_one(body: str):
    found = html_date("", body)
    assert found is not None and found[0] == "2018-03-04"


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


def text_date(text: str, path: str = "story.txt") -> tuple[str, str] | None:
    cleaned = clean(SourceDocument(id="w", path=Path(path), kind="text", content=text))
    found = best_date(cleaned)
    return (found.display(), found.source) if found else None


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("ANKARA, July 12, 2019 - ", ("2019-07-12", "dateline")),
        ("LONDON, 12 July 2019 (AFP) – ", ("2019-07-12", "dateline")),
        ("NEW YORK, July 12, 2019 /PRNewswire/ -- ", ("2019-07-12", "dateline")),
        ("WASHINGTON, Friday, July 12, 2019 (AP) — ", ("2019-07-12", "dateline")),
        ("ANKARA (Reuters) - ", None),  # a place and an agency, no date: nothing invented
        ("BAHIA BLANCA, Argentina, Feb 26 - ", None),  # no year: no date
    ],
)
def test_wire_datelines_date_the_story_and_stay_out_of_its_title(opening: str, expected: tuple[str, str] | None):
    text = f"{opening}The first parts of the missile system arrived in Turkey. More came later, officials said.\n"
    assert text_date(text) == expected
    cleaned = clean(SourceDocument(id="w", path=Path("w.txt"), kind="text", content=text))
    assert cleaned.title == "The first parts of the missile system arrived in Turkey."


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("ANKARA, July 12, 2019 - ", ("2019-07-12", "dateline")),
        ("LONDON, 12 July 2019 (AFP) – ", ("2019-07-12", "dateline")),
        ("PARIS, March 9 - ", None),  # Reuters-21578's shape: no year, and none is guessed
    ],
)
def test_a_wire_dateline_under_the_stories_headline(opening: str, expected: tuple[str, str] | None):
    text = f"Missile parts arrive in Turkey\n\n{opening}The first parts of the system arrived, officials said.\n"
    assert text_date(text) == expected


@pytest.mark.parametrize(
    "line",
    ["Published: 12 July 2019", "Posted on July 12, 2019 by admin", "Updated 12:30 GMT, 12 July 2019",
     "By Jane Doe | July 12, 2019", "By JANE DOE, Reuters, on 12 July 2019", "By Jane Doe • Jul 12, 2019 10:30 am EDT"],
)  # fmt: skip
def test_published_lines_and_dated_bylines_are_datelines(line: str):
    text = f"Missile parts arrive in Turkey\n\n{line}\n\nThe first parts of the system arrived, officials said.\n"
    assert text_date(text) == ("2019-07-12", "dateline")


def test_a_sentence_beginning_with_by_is_not_a_byline():
    text = "Missile parts arrive\n\nBy the way, on July 12, 2019 we went to Ankara to see the parts arrive.\n"
    assert text_date(text) is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("news/2019/07/12/missiles.txt", ("2019-07-12", "path")),
        ("news/2019-07-12-missiles-arrive.txt", ("2019-07-12", "path")),
        ("news/20190712_missiles.txt", ("2019-07-12", "path")),
        ("news/2019/07/missiles.txt", ("2019-07", "path")),
        ("news/item-123456789.txt", None),
        ("news/2019-13-45-missiles.txt", None),
    ],
)
def test_a_date_in_the_saved_files_path(path: str, expected: tuple[str, str] | None):
    assert text_date("Missile parts arrive\n\nThe first parts arrived in Turkey, officials said.\n", path) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.com/2019/07/12/missiles-arrive/", "2019-07-12"),
        ("https://news.example.com/world/2019-07-12-missiles-arrive.html", "2019-07-12"),
        ("https://news.example.com/2019/07/missiles-arrive", "2019-07"),
        ("https://news.example.com/blog/2019/july/12/missiles-arrive", "2019-07-12"),
    ],
)
def test_a_date_in_the_pages_url(url: str, expected: str):
    story = "The talks in Ankara went on all week. " * 3
    html = (
        f'<html><head><link rel="canonical" href="{url}"></head><body><article><p>{story}</p></article></body></html>'
    )
    cleaned = clean(SourceDocument(id="u", path=Path("u.html"), kind="html", content=html))
    found = best_date(cleaned)
    assert found is not None and (found.display(), found.source) == (expected, "url")


def test_page_metadata_beats_the_url():
    head = '<meta property="article:published_time" content="2018-03-04T10:00:00Z">'
    assert html_date(head + '<link rel="canonical" href="https://x.example/2019/07/12/a">') == (
        "2018-03-04",
        "metadata",
    )


def test_a_date_in_a_pages_script_data():
    script = '<script>window.__DATA__ = {"first_publication_date":"2018-03-04T11:55:39+0000"}</script>'
    assert html_date("", script) == ("2018-03-04", "metadata")


def test_only_the_first_element_marked_as_a_date_counts():
    """Later ones date the other stories a page lists."""
    body = '<span class="post-date">04/09/2018</span><aside><p class="post-date">Other story, March 4, 2017</p></aside>'
    assert html_date("", body) is None


def test_a_numeric_date_line_beside_the_story():
    body = "<aside><p>23.07.2025 · 6 min read</p></aside>"
    story = "The talks in Ankara went on all week. " * 3
    html = f"<html><body>{body}<article><p>{story}</p></article></body></html>"
    cleaned = clean(SourceDocument(id="n", path=Path("n.html"), kind="html", content=html))
    found = best_date(cleaned)
    assert found is not None and found.display() == "2025-07-23"


def test_a_dividends_pay_date_is_not_a_date_line():
    """Reuters' dividend notices: "Pay Aug 14, 1987" is when the money comes, not the story's day."""
    text = "SUMMIT FUND SETS PAYOUT\n\nQtrly div 40 cts vs 40 cts prior\nPay Aug 14, 1987\nRecord April One, 1987\n"
    assert text_date(text) is None


def test_a_weekday_before_a_date_line_is_still_a_date_line():
    assert text_date("Missile parts arrive\n\nFriday, July 12, 2019\n\nThe first parts arrived, officials said.\n") == (
        "2019-07-12",
        "dateline",
    )


def page_date(outside: str, head: str = "", url: str | None = None) -> str | None:
    """The date of a page whose story sits in <article> and whose byline sits above it."""
    story = "<p>The talks in Ankara went on all week, officials said on the last day of them.</p>" * 4
    html = (
        f"<html><head><title>Talks in Ankara go on</title>{head}</head><body><header><nav><a href=/>Home</a>"
        f"</nav></header><div class=meta><h1>Talks in Ankara go on</h1>{outside}</div>"
        f"<main><article>{story}</article></main></body></html>"
    )
    cleaned = clean(SourceDocument(id="p", path=Path("p.html"), kind="html", content=html, url=url))
    found = best_date(cleaned)
    return found.display() if found else None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("by Amanda · Dec 20, 2025 at 3:00 am · One comment so far", "2025-12-20"),
        ("Discussion in 'Hosting Advice' started by pelex, May 26, 2025.", "2025-05-26"),
        ("By Chris McNamara ⋅ Founder and Editor-in-Chief ⋅ Updated May 6, 2025", "2025-05-06"),
        ("Essay - Published: 2025.12.17 | programming | create |", "2025-12-17"),
        ("#1 2025-11-01 15:14:37", "2025-11-01"),  # a forum thread's first post
    ],
)
def test_a_byline_with_its_date_anywhere_in_the_line(line: str, expected: str):
    assert page_date(f"<p>{line}</p>") == expected


def test_a_line_with_a_date_and_no_byline_is_not_the_pages_date():
    """A headline of another story ("Election results of May 6, 2025 in full") dates nothing."""
    assert page_date("<p>Election results of May 6, 2025 in full</p>") is None


def test_the_declared_day_the_pages_address_agrees_with():
    """A UTC timestamp past midnight and the publisher's local one: the address names the day."""
    head = (
        '<meta property="article:published_time" content="2025-12-19T02:41:41+00:00">'
        '<time datetime="2025-12-18T21:41:41-05:00">December 18, 2025</time>'
    )
    assert page_date("", head, url="https://blog.example/2025/12/18/a-story") == "2025-12-18"
    assert page_date("", head, url="https://blog.example/a-story") == "2025-12-19"


def test_a_byline_kept_as_the_storys_first_line_dates_it():
    """ "by NAME ● DATE ● 6 min read" goes on past its date, so the cleaner keeps it as story."""
    story = "<p>The talks in Ankara went on all week, officials said on the last day of them.</p>" * 4
    html = (
        "<html><head><title>Talks in Ankara go on</title></head><body><main><article><h1>Talks in Ankara go on</h1>"
        f"<p>by Meaghan Weeden ● December 23, 2025 ● 6 min read</p>{story}</article></main></body></html>"
    )
    found = best_date(clean(SourceDocument(id="k", path=Path("k.html"), kind="html", content=html)))
    assert found is not None and found.display() == "2025-12-23"


def test_a_sentence_opening_with_by_and_a_date_is_no_byline():
    story = "<p>The talks in Ankara went on all week, officials said on the last day of them.</p>" * 4
    html = (
        "<html><head><title>Talks in Ankara go on</title></head><body><main><article><h1>Talks in Ankara go on</h1>"
        f"<p>By March 3, 2020, the talks had stalled.</p>{story}</article></main></body></html>"
    )
    assert best_date(clean(SourceDocument(id="s", path=Path("s.html"), kind="html", content=html))) is None


def test_the_stories_byline_date_over_a_date_element_of_another_story():
    """Date-marked elements also date the stories a page lists; the byline dates only this one."""
    body = (
        '<div class="byline">Personal finance January 27, 2025</div>'
        '<aside><span class="post-date">January 31, 2025</span> Filing taxes as a student</aside>'
    )
    assert html_date("", body) == ("2025-01-27", "dateline")
