"""The year of a wire dateline that states only its month and day ("PARIS, March 9 - "), or of a
story without one, from the story's own evidence, or None.

A story rarely states its own year, but it often states when the things it reports happened:
results "for the year ended December 31, 1986" come out in the weeks after that day, "January
exports rose 10 pct from January 1986" is written in 1987, and "on Monday, March 2, 1987" names a
day of the week the story reports. Each such statement gives the dateline one year; the year is
taken only when every statement agrees and none of the years the story reports as past lies after
it. Everything else a story states is left out: plans, terms and maturities ("until May 2008", "due
1992"), forecasts ("output will reach ... in 1988"), history, bare years. The rules and their
filters were chosen on the Reuters-21578 stories outside the date bench's sample; see the README's
dates section for what they date and how often wrongly.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import NamedTuple

from searcher.enrich.dates import MONTHS, NOT_NOW_BEFORE, TODAY_BEFORE, WEEKDAY_BEFORE, WEEKDAYS


class YearEvidence(NamedTuple):
    """One statement in the story that gives its dateline a year."""

    year: int
    kind: str  # "period ended", "year on year", "anchored day" or "past and ahead"
    text: str  # the sentence that says so


_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)(?![\d,]\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
# A sentence ends at ".", "!" or "?" before a capital; newswire hard-wraps its lines, so whitespace
# is flattened first.
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")

# The period a result covers, closed: "the year ended December 31, 1986", "nine months ended Dec
# 31", "the quarter ended January 1987". Results come out within weeks of a period's end (a company
# files its quarter within 45 days, its year within 90), so the dateline's day is the first one
# after the end.
PERIOD_ENDED = re.compile(
    rf"\b(?:year|quarter|qtr|months?|mths|weeks?|half|period|season)\s+(?:ended|closed)\s+(?:on\s+)?"
    rf"{_MONTH}(?:\s+{_DAY})?(?:,?\s+{_YEAR})?\b",
    re.IGNORECASE,
)
# "the year to March": a current period named without its year, as "the quarter ended January 31"
# is. A story naming one states its other periods' years for comparison (a year earlier), so none
# of them is the report's own.
PERIOD_TO = re.compile(rf"\b(?:year|quarter|months?|mths|weeks?)\s+to\s+{_MONTH}(?!\s*,?\s*\d)", re.IGNORECASE)
# A sentence about a period that is not the one reported: a comparison ("year-ago figures based on
# the 12 months ended February 28, 1986", "in the 1st quarter of last year, ..."), a results table's
# note on its comparison column ("NOTE: 1985 year ended December 28, 1985"), a forecast ("expects
# ... for the year ended Feb 27, 1988": a wire's "ended" for a period still running), a span since.
OTHER_PERIOD = re.compile(
    r"\b(?:year[- ]ago|year[- ]earlier|a\s+year\s+before|last\s+year|prior|previous|restated|since|"
    r"will|would|expects?|expected|projects?|projected|forecasts?|estimates?|should|could|may|might)\b"
    r"|(?-i:\bNOTE\b|\bNote\s*:)",
    re.IGNORECASE,
)

# A month reported against the same month of a stated year: "January exports rose 10 pct from
# January 1986", "the December rate ... compared with December 1985".
COMPARED_MONTH = re.compile(
    rf"\b(?:from|against|compared\s+(?:with|to)|versus|vs\.?|over|than|with)\s+(?:the\s+same\s+month\s+of\s+)?"
    rf"(?:(?:last|a\s+year\s+earlier\s+in)\s+)?{_MONTH}\s+{_YEAR}",
    re.IGNORECASE,
)
MONTH_ALONE = re.compile(rf"(?P<last>\blast\s+)?\b{_MONTH}\b(?![.,]?\s*(?:\d|of\s+\d))", re.IGNORECASE)
# "May" is also a verb ("prices may fall"): only its capitalised form names the month.
AMBIGUOUS_MONTHS = {"may", "mar", "jun", "sep", "dec"}

# A full day the story ties to its own week ("on Monday, March 2, 1987", "today, March 9, 1987")
# lies on the dateline's day or in the fortnight before it.
DAY_STATED = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE)
ANCHORED_DAYS_BEFORE = 14

# Words saying a sentence reports what has happened, that it looks ahead, or that it states a term or
# a span (whose years are neither the story's past nor its future).
PAST_TENSE = re.compile(
    r"\b(?:rose|fell|was|were|reported|earned|increased|decreased|declined|grew|dropped|totall?ed|posted|"
    r"recorded|amounted|climbed|slipped|jumped|gained|lost|made|showed|compared)\b",
    re.IGNORECASE,
)
LOOKING_AHEAD = re.compile(
    r"\b(?:will|would|expects?|expected|expecting|forecasts?|plans?|planned|projected|projects?|projecting|"
    r"targets?|targeted|budget|budgeted|estimates?|estimated|sees|seen|outlook|could|may|might|should|"
    r"predicts?|predicted|anticipates?|anticipated|likely|hopes?|aims?|goal)\b",
    re.IGNORECASE,
)
# (A target "by 1990" or a start "beginning in 1988" is looked ahead to, and counts as such.)
TERM_OR_SPAN = re.compile(
    r"\b(?:due|until|through|maturing|matures?|expir\w*|exercisable|redeemable|since|between|ago)\b", re.IGNORECASE
)
# "had been expected in 1986": looking ahead from a past day, not from the story's.
AHEAD_FROM_THE_PAST = re.compile(
    r"\b(?:had|has|have)\s+(?:been\s+)?(?:expected|forecast|projected|planned|estimated)\b", re.I
)
# "sales will rise this year from 57 mln in 1986", "grew last year after a fall in 1985": beside a
# year named relative to the story's, a stated year is the one it is contrasted with.
RELATIVE_YEAR = re.compile(r"\b(?:(?:last|this|next|current|past)\s+year|year[- ](?:ago|earlier))\b", re.IGNORECASE)
YEAR_MENTION = re.compile(r"(?<![\d.,$/-])(?:1[89]|20)\d\d(?![\d,]\d|\.\d|/|-\d)")
# A year written after a month ("March 1986", "March 3, 1986") is a month's or a day's, not a year's.
AFTER_A_MONTH = re.compile(rf"\b{_MONTH.replace('?P<month>', '?:')}\s+(?:\d{{1,2}},?\s+)?$", re.IGNORECASE)


def dateline_year(month: int, day: int, text: str) -> int | None:
    """The year of a dateline's month and day that the story's statements all agree on, or None."""
    if not YEAR_MENTION.search(text):
        return None  # two stories in three state no year at all
    evidence = year_evidence(month, day, text)
    years = {found.year for found in evidence}
    if len(years) != 1:
        return None
    year = years.pop()
    lowest, highest = year_bounds(sentences(text))
    return year if lowest <= year <= highest else None


def story_year(text: str) -> int | None:
    """The year of a story without a dateline, when the years it reports as done and those it looks
    ahead to leave exactly one ("output rose 2 pct in 2004", "expects growth in 2005"), or None."""
    if not YEAR_MENTION.search(text):
        return None
    parts = sentences(text)
    found = _between_past_and_ahead(parts)
    if not found:
        return None
    lowest, highest = year_bounds(parts)
    return found[0].year if lowest <= found[0].year <= highest else None


def year_evidence(month: int, day: int, text: str) -> list[YearEvidence]:
    """Every statement in the story that gives the dateline a year."""
    parts = sentences(text)
    return [
        *_periods_ended(month, day, parts),
        *_months_compared(month, parts),
        *_anchored_days(month, day, parts),
        *_between_past_and_ahead(parts),
    ]


def year_bounds(parts: list[str]) -> tuple[float, float]:
    """The earliest and latest year the story can be from: after every year it reports as done,
    not after any it looks ahead to."""
    over, ahead = _years_over_and_ahead(parts)
    lowest = max((year for year, _ in over), default=float("-inf"))
    return lowest, min((year for year, _ in ahead), default=float("inf"))


def sentences(text: str) -> list[str]:
    """The text's sentences, their hard-wrapped lines joined."""
    return SENTENCE_BREAK.split(" ".join(text.split()))


def _periods_ended(month: int, day: int, parts: list[str]) -> list[YearEvidence]:
    """The year of the first dateline day after the latest period the story reports as ended; none
    when the story also names a current period without its year."""
    ends: list[tuple[date, str]] = []
    for sentence in parts:
        if PERIOD_TO.search(sentence):
            return []
        for match in PERIOD_ENDED.finditer(sentence):
            if not match.group("year"):
                return []
            if not OTHER_PERIOD.search(sentence) and (end := _period_end(match)):
                ends.append((end, sentence))
    if not ends:
        return []
    end, sentence = max(ends)
    year = end.year if _on(end.year, month, day) > end else end.year + 1
    return [YearEvidence(year, "period ended", sentence)]


def _period_end(match: re.Match[str]) -> date | None:
    year, month = int(match.group("year")), MONTHS[match.group("month").lower()]
    day = int(match.group("day")) if match.group("day") else calendar.monthrange(year, month)[1]
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _months_compared(month: int, parts: list[str]) -> list[YearEvidence]:
    """The year a month is reported in against the same month of a stated year: the month's latest
    occurrence by the dateline is the year after the stated one."""
    found = []
    for sentence in parts:
        if LOOKING_AHEAD.search(sentence) and not PAST_TENSE.search(sentence):
            continue
        for match in COMPARED_MONTH.finditer(sentence):
            compared = MONTHS[match.group("month").lower()]
            if any(_names_this_years(alone, compared) for alone in MONTH_ALONE.finditer(sentence[: match.start()])):
                stated = int(match.group("year"))
                found.append(YearEvidence(stated + 1 if compared <= month else stated + 2, "year on year", sentence))
                break
    return found


def _names_this_years(alone: re.Match[str], compared: int) -> bool:
    """Whether a month named without a year is the compared month's latest occurrence ("January
    exports"), not last year's ("last December") nor the verb "may"."""
    name = alone.group("month")
    if alone.group("last") or MONTHS[name.lower()] != compared:
        return False
    return name.lower() not in AMBIGUOUS_MONTHS or name[0].isupper()


def _anchored_days(month: int, day: int, parts: list[str]) -> list[YearEvidence]:
    """The year of a full date the story ties to its own time ("today, March 9, 1987", "on Monday,
    March 2, 1987", the weekday true of that date) on the dateline's day or in the fortnight before."""
    found = []
    for sentence in parts:
        for match in DAY_STATED.finditer(sentence):
            stated = _day(match)
            year = _dateline_year_after(stated, month, day) if stated else None
            if year is None:
                continue
            before = sentence[max(0, match.start() - 40) : match.start()]
            if TODAY_BEFORE.search(before) or _weekday_agrees(stated, before):
                found.append(YearEvidence(year, "anchored day", sentence))
    return found


def _day(match: re.Match[str]) -> date | None:
    try:
        return date(int(match.group("year")), MONTHS[match.group("month").lower()], int(match.group("day")))
    except ValueError:
        return None


def _dateline_year_after(stated: date, month: int, day: int) -> int | None:
    """The year of the dateline's day on or within the fortnight after a stated day, or None."""
    dateline = _on(stated.year, month, day)
    if dateline < stated:  # "December 30, 1986" in a story datelined January 2
        dateline = _on(stated.year + 1, month, day)
    return dateline.year if dateline - stated <= timedelta(days=ANCHORED_DAYS_BEFORE) else None


def _weekday_agrees(stated: date, before: str) -> bool:
    weekday = WEEKDAY_BEFORE.search(before)
    if not weekday or WEEKDAYS[stated.weekday()] != weekday.group("weekday").lower():
        return False
    return not NOT_NOW_BEFORE.search(before[: weekday.start()])


def _between_past_and_ahead(parts: list[str]) -> list[YearEvidence]:
    """The one year left between the years a story reports as past and those it looks ahead to: a
    year reported as done ("1986 net profit rose") is over, a year looked ahead to ("expects 1987
    output to reach") is not; "rose in 1986" and "expects growth in 1987" leave 1987."""
    over, ahead = _years_over_and_ahead(parts)
    if not over or not ahead or max(over)[0] != min(ahead)[0]:
        return []
    return [YearEvidence(max(over)[0], "past and ahead", f"{max(over)[1]} … {min(ahead)[1]}")]


def _years_over_and_ahead(parts: list[str]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(the year after each year a sentence reports as done, each year a sentence looks ahead to),
    with their sentences; a sentence stating a term or a span counts for neither."""
    over, ahead = [], []
    for sentence in parts:
        years = _years_alone(sentence)  # first: most sentences state none, and the tests below cost
        if not years or TERM_OR_SPAN.search(sentence) or AHEAD_FROM_THE_PAST.search(sentence):
            continue
        if RELATIVE_YEAR.search(sentence):
            continue
        reports, looks_ahead = bool(PAST_TENSE.search(sentence)), bool(LOOKING_AHEAD.search(sentence))
        if reports and not looks_ahead:
            over.append((max(years) + 1, sentence))
        elif looks_ahead and not reports:
            ahead.append((max(years), sentence))
    return over, ahead


def _years_alone(sentence: str) -> list[int]:
    """The years a sentence states on their own ("in 1986", "1986 net"), not as a month's or a day's."""
    return [
        int(match.group(0))
        for match in YEAR_MENTION.finditer(sentence)
        if not AFTER_A_MONTH.search(sentence[max(0, match.start() - 16) : match.start()])
    ]


def _on(year: int, month: int, day: int) -> date:
    """The dateline's day in a given year (February 29 falls back to the 28th outside leap years)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))
