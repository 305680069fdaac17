"""Publication dates: parsed from metadata, or inferred from the story text, never invented.

All dates are calendar dates in UTC: a metadata timestamp with an offset is converted to UTC before
its date is taken; a date written in the text has no time and is kept as written.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from searcher.models import ArticleDate

MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
# "May 9, 2016", "9 May 2016", "May 2016": the shapes news text states dates in.
TEXT_DATES = [
    (re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE), "day"),
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE), "day"),
    (re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE), "month"),
]
ISO_DATE = re.compile(r"^\s*(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?\s*$")
ISO_PREFIX = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]")
# Dates before this are not publication dates of scraped news (a JSONL typo, an epoch zero).
EARLIEST = date(1800, 1, 1)


def parse_date(text: str, source: str) -> ArticleDate | None:
    """A stated date ("2019-04-26T09:00:00+03:00", "2019-04", "Fri, 26 Apr 2019", "April 26, 2019"), or None."""
    text = text.strip()
    for parse in (_parse_iso, _parse_timestamp, _parse_rfc2822, _parse_written):
        found = parse(text, source)
        if found and found.value >= EARLIEST:
            return found
    return None


def _parse_iso(text: str, source: str) -> ArticleDate | None:
    match = ISO_DATE.match(text)
    if not match:
        return None
    year, month, day = match.group("year"), match.group("month"), match.group("day")
    precision = "day" if day else "month" if month else "year"
    return _make(int(year), int(month or 1), int(day or 1), precision, source)


def _parse_timestamp(text: str, source: str) -> ArticleDate | None:
    if not ISO_PREFIX.match(text):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None
    return _utc_day(moment, source)


def _parse_rfc2822(text: str, source: str) -> ArticleDate | None:
    if not re.match(r"^[A-Za-z]{3},\s", text):
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return _utc_day(moment, source)


def _utc_day(moment: datetime, source: str) -> ArticleDate | None:
    """The UTC calendar day of a moment; None when converting it leaves the calendar (9999-12-31
    at 23:00 in UTC-5 is a day in the year 10000, which Python's dates cannot hold)."""
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(UTC)
        except OverflowError:
            return None
    return ArticleDate(moment.date(), "day", source)


def _parse_written(text: str, source: str) -> ArticleDate | None:
    for pattern, precision in TEXT_DATES:
        match = pattern.search(text)
        if match:
            return _from_match(match, precision, source)
    return None


def _make(year: int, month: int, day: int, precision: str, source: str) -> ArticleDate | None:
    try:
        return ArticleDate(date(year, month, day), precision, source)
    except ValueError:
        return None


def _from_match(match: re.Match[str], precision: str, source: str) -> ArticleDate | None:
    groups = match.groupdict()
    month = MONTHS[groups["month"].lower()]
    return _make(int(groups["year"]), month, int(groups.get("day") or 1), precision, source)


def period_bounds(text: str) -> tuple[date, date]:
    """The first and last day of a period written YYYY, YYYY-MM or YYYY-MM-DD.

    Raises ValueError for anything else.
    """
    match = ISO_DATE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(match.group("year")), match.group("month"), match.group("day")
    try:
        if day:
            first = last = date(year, int(month), int(day))
        elif month:
            first = date(year, int(month), 1)
            last = first.replace(day=calendar.monthrange(year, first.month)[1])
        else:
            first, last = date(year, 1, 1), date(year, 12, 31)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a valid date ({error})") from None
    return first, last


def dates_in_text(text: str) -> list[ArticleDate]:
    """Every fully stated date in a text (day-month-year or month-year); never a bare year."""
    found: list[ArticleDate] = []
    taken: list[tuple[int, int]] = []
    for pattern, precision in TEXT_DATES:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue  # "May 9, 2016" also contains "May ... 2016"
            stated = _from_match(match, precision, "text")
            if stated:
                found.append(stated)
                taken.append(match.span())
    return found


def infer_date(text: str, today: date | None = None) -> ArticleDate | None:
    """The latest date the story states, a lower bound on when it was published.

    Dates after today are plans ("talks are set for March 2031"), not the time of writing.
    """
    today = today or datetime.now(UTC).date()
    past = [d for d in dates_in_text(text) if d.value <= today]
    return max(past, key=lambda d: d.value, default=None)
