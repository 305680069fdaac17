"""A wire dateline without its year ("PARIS, March 9 - ") dated only when the story's own statements
agree on a year, and then said to be inferred; the traps stay undated."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli
from searcher.enrich.topics import load_taxonomy
from searcher.enrich.years import dateline_year
from searcher.models import ArticleDate, SourceDocument
from searcher.pipeline import process


def saved_story(text: str) -> ArticleDate | None:
    """The date searcher gives a story saved as text (headline, blank line, dateline and story)."""
    article = process(SourceDocument("s", Path("saved/story.txt"), "text", text), load_taxonomy())
    return article.date


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        # the period a result covers, ended: results come out in the weeks after it
        ("ACME REPORTS YEAR NET\n\nNEW YORK, March 9 - Acme Corp said net profit for the year ended\n"
         "December 31, 1986 rose 12 pct to 4.1 mln dlrs.\n", date(1987, 3, 9)),
        # a month reported against the same month of a stated year
        ("UK CAR SALES RISE\n\nLONDON, Feb 26 - British car sales in January rose 8 pct from January\n"
         "1986, the society said.\n", date(1987, 2, 26)),
        # ... a month of the year before the dateline's (December 1986 against December 1985)
        ("JAPAN EXPORTS FALL\n\nTOKYO, Feb 26 - December exports fell 3 pct against December 1985, the\n"
         "ministry said.\n", date(1987, 2, 26)),
        # a day the story ties to its week by a weekday true of that date (March 3, 1987 was a Tuesday)
        ("STRIKE ENDS\n\nPARIS, March 9 - The strike that began on Tuesday, March 3, 1987 ended at noon,\n"
         "the union said.\n", date(1987, 3, 9)),
        # the one year left between a year reported as done and a year looked ahead to
        ("GERMAN OUTPUT\n\nBONN, March 9 - West German output rose 2 pct in 1986. The institute\n"
         "expects growth of 1.5 pct in 1987.\n", date(1987, 3, 9)),
    ],
)  # fmt: skip
def test_a_yearless_dateline_takes_the_year_the_story_agrees_on_and_says_it_is_inferred(story: str, expected: date):
    found = saved_story(story)
    assert found == ArticleDate(expected, "day", "inferred")


@pytest.mark.parametrize(
    "story",
    [
        # a dateline and nothing that gives a year
        "MONEY MARKET SHORTAGE\n\nLONDON, March 9 - The Bank of England forecast a shortage of around\n"
        "250 mln stg in the money market today.\n",
        # a contract's end is not the story's year
        "WENGER SIGNS\n\nLONDON, Feb 26 - Arsene Wenger has signed a new contract until May 2008, the club said.\n",
        # a forecast alone: "in 1988" says the story is not later than 1988, not which year it is
        "OUTLOOK\n\nBONN, March 9 - The institute expects output to grow 3 pct in 1988.\n",
        # a history paragraph
        "RUGBY\n\nWELLINGTON, Nov 5 - The All Blacks first toured Britain in June 1870. They won again\non Saturday.\n",
        # a results table's note on its comparison column: the year ended is a year earlier's
        "SHOE TOWN YEAR NET\n\nTOTOWA, N.J., March 26 - Shr 51 cts vs 75 cts. NOTE: 1985 year ended\n"
        "December 28, 1985.\n",
        # the current period named without its year: the stated one is the year-ago comparison
        "ACME 1ST QTR\n\nNEW YORK, March 9 - Acme earned 3 mln dlrs in the quarter ended January 31,\n"
        "against 2 mln dlrs in the year-ago quarter ended January 31, 1986.\n",
        # a wire's "ended" for a period still running, in a forecast
        "AEL SEES HIKE\n\nLANHAM, Md., April 3 - AEL said it projects a 15 pct sales hike for the fiscal\n"
        "year ended Feb 27, 1988.\n",
        # two statements that disagree: the year ended gives 1987, the comparison 1988
        "ACME\n\nNEW YORK, March 9 - Net rose in the year ended December 31, 1986. January sales rose\n"
        "4 pct from January 1987.\n",
        # a year reported as done after the one the evidence gives: the story looks back
        "SULPETRO\n\nCALGARY, March 20 - In the fiscal year ended October 31, 1985, Sulpetro had a net\n"
        "loss. Its 1986 sales fell 20 pct.\n",
        # a year contrasted with one named relative to the story's ("this year ... from ... in 1986")
        # bounds nothing: 1985 reported as done and 1986 looked ahead to would leave 1986
        "TAKEFMAN\n\nMONTREAL, March 9 - Sales rose 4 pct in 1985. Takefman expects sales to rise this\n"
        "year from 57 mln dlrs in 1986.\n",
        # evidence for a year still to come is a mistake, not a date
        "ACME\n\nNEW YORK, March 9 - Net profit for the year ended December 31, 2098 rose 12 pct.\n",
        # "may" the verb is no month
        "PRICES\n\nCHICAGO, May 4 - Prices may fall below their levels from May 1986, traders said.\n",
    ],
)
def test_a_yearless_dateline_without_agreeing_evidence_gives_no_date(story: str):
    assert saved_story(story) is None


def test_a_story_without_a_dateline_gets_the_one_year_its_statements_leave_and_no_day():
    story = "Sales rose 5% in 2004, the firm said.\n\nIt expects growth of 3% in 2005.\n"
    assert saved_story(f"Retail sales\n\n{story}") == ArticleDate(date(2005, 1, 1), "year", "inferred")


@pytest.mark.parametrize(
    "story",
    [
        "Retail sales\n\nThe firm expects growth of 3% in 2005.\n",  # only looked ahead to
        "Retail sales\n\nSales rose 5% in 2004, the firm said.\n",  # only reported as done
        # a year reported as done after the one left: 2005 looked back on
        "Retail sales\n\nSales rose 5% in 2004. It expects growth in 2005. Sales in 2006 fell.\n",
    ],
)
def test_a_story_without_a_dateline_and_one_sided_years_gives_no_date(story: str):
    assert saved_story(story) is None


def test_a_yearless_dateline_whose_story_disagrees_gets_no_year_either():
    story = "NEW YORK, March 9 - Net rose in the year ended December 31, 1986. January sales rose 4 pct\n"
    assert saved_story(f"ACME\n\n{story}from January 1987. Output rose in 1986 and will grow in 1987.\n") is None


def test_february_29_needs_a_leap_year():
    story = "Net rose in the year ended December 31, 1986."  # gives 1987, which has no February 29
    assert dateline_year(2, 28, story) == 1987
    assert saved_story(f"ACME\n\nNEW YORK, Feb 29 - {story}\n") is None


def test_a_dateline_stating_its_year_is_a_dateline_not_an_inference():
    found = saved_story("MISSILE PARTS ARRIVE\n\nANKARA, July 12, 2019 - The first parts were delivered in 2018.\n")
    assert found == ArticleDate(date(2019, 7, 12), "dateline", "dateline")._replace(precision="day")


def test_a_dateline_after_a_byline_is_read():
    story = (
        "ACME REPORTS YEAR NET\n\nBy Jane Doe\n\nNEW YORK, March 9 - Acme Corp said net profit for the year\n"
        "ended December 31, 1986 rose 12 pct.\n"
    )
    assert saved_story(story) == ArticleDate(date(1987, 3, 9), "day", "inferred")


def test_an_inferred_date_is_marked_wherever_it_shows(runner: CliRunner, tmp_path: Path):
    story = (
        "ACME REPORTS YEAR NET\n\nNEW YORK, March 9 - Acme Corp said net profit for the year ended\n"
        "December 31, 1986 rose 12 pct to 4.1 mln dlrs.\n"
    )
    (tmp_path / "wire").mkdir()
    (tmp_path / "wire" / "acme.txt").write_text(story, encoding="utf-8")
    index = str(tmp_path / "idx")
    assert runner.invoke(cli, ["--index", index, "index", str(tmp_path / "wire")]).exit_code == 0

    listed = runner.invoke(cli, ["--index", index, "search", "acme", "--sort", "newest"])
    assert listed.exit_code == 0, listed.stderr
    assert "1987-03-09 (inferred from text)" in listed.stdout
    shown = runner.invoke(cli, ["--index", index, "show", str(tmp_path / "wire" / "acme.txt")])
    assert shown.exit_code == 0, shown.stderr
    assert "date:   1987-03-09 (inferred from text)" in shown.stdout
    hit = json.loads(runner.invoke(cli, ["--index", index, "search", "acme", "--json"]).stdout)["hits"][0]
    assert (hit["date"], hit["date_precision"], hit["date_source"]) == ("1987-03-09", "day", "inferred")
    rows = runner.invoke(cli, ["--index", index, "search", "acme", "--format", "tsv"]).stdout.splitlines()
    assert rows[0].split("\t")[-1] == "date_source" and rows[1].split("\t")[-1] == "inferred"
