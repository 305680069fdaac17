"""Publication dates: parsed from metadata, or inferred from the story text, never invented.

A date is the calendar day the publisher states: a metadata timestamp keeps its own day, whatever
its offset ("2019-04-26T23:30:00-04:00" is 26 April, as its readers saw it, not 27 April in UTC).
On WCXB's pages, whose gold is the day the page shows, converting to UTC put 2.5% of dates a day out.
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
# A line that opens with a written date: "January 22nd, 2019", "May 18, 2023 In News", "Published
# on Oct 21, 2025 Updated on Mar 9, 2026", "Last modified: August 08, 2023".
DATE_LEAD = re.compile(
    r"^\W*(?:(?:first\s+)?(?:published|posted|updated|last\s+modified|last\s+updated|on)(?:\s+on)?\s*:?\s*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    + re.sub(r"\(\?P<\w+>", "(?:", rf"(?:{_MONTH}\s+{_DAY},?\s+{_YEAR}|{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR})\b"),
    re.IGNORECASE,
)  # the same shapes as TEXT_DATES, without their group names (used twice here)
ISO_DATE = re.compile(r"^\s*(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?\s*$")
ISO_PREFIX = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]")
# Dates before this are not publication dates of scraped news (a JSONL typo, an epoch zero).
EARLIEST = date(1800, 1, 1)


def parse_date(text: str, source: str) -> ArticleDate | None:
    """A stated date ("2019-04-26T09:00:00+03:00", "2019-04", "Fri, 26 Apr 2019", "April 26, 2019"), or None."""
    text = text.strip()
    for parse in (_parse_iso, _parse_timestamp, _parse_rfc2822, _parse_written, _parse_numeric):
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
    return ArticleDate(moment.date(), "day", source)


def _parse_rfc2822(text: str, source: str) -> ArticleDate | None:
    if not re.match(r"^[A-Za-z]{3},\s", text):
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return ArticleDate(moment.date(), "day", source)


def _parse_written(text: str, source: str) -> ArticleDate | None:
    for pattern, precision in TEXT_DATES:
        match = pattern.search(text)
        if match:
            return _from_match(match, precision, source)
    return None


# A numeric date opening a line: "23.07.2025" (dots: day first, as Europe writes it), "10/31/2024"
# or "11-29-2024, 09:03 AM" (slashes or dashes: read only when one part cannot be a month).
NUMERIC_DATE = re.compile(r"^\W*(?P<first>\d{1,2})(?P<sep>[./-])(?P<second>\d{1,2})(?P=sep)(?P<year>(?:19|20)\d\d)\b")


def _parse_numeric(text: str, source: str) -> ArticleDate | None:
    match = NUMERIC_DATE.match(text)
    if not match:
        return None
    first, second, year = int(match.group("first")), int(match.group("second")), int(match.group("year"))
    if match.group("sep") == "." or first > 12 >= second:
        return _make(year, second, first, "day", source)
    if second > 12 >= first:
        return _make(year, first, second, "day", source)
    return None  # 04/09/2024: April or September, the page does not say


# A numeric date inside a line a page shows: "#1 2025-11-01 15:14:37", "Published: 2025.12.17".
EMBEDDED_ISO_DATE = re.compile(
    r"(?<![\d.])(?P<year>(?:19|20)\d\d)(?P<sep>[-.])(?P<month>[01]?\d)(?P=sep)(?P<day>[0-3]?\d)(?![\d.]\d)"
)


def shown_date(text: str) -> ArticleDate | None:
    """The date a byline or date line shows, wherever it stands in the line ("by Amanda · Dec 20,
    2025", "Essay - Published: 2025.12.17"), or None."""
    found = parse_date(text, "dateline")
    if found:
        return found
    match = EMBEDDED_ISO_DATE.search(text)
    return _make(int(match["year"]), int(match["month"]), int(match["day"]), "day", "dateline") if match else None


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


# A date in a URL or a saved file's path: /2019/07/12/, 2019-07-12-title.html, 20190712, /2019/07/.
PATH_DAY = re.compile(
    r"(?<![0-9A-Za-z])(?P<year>(?:19|20)\d\d)(?:(?P<sep>[/_-])(?P<month>0?[1-9]|1[0-2])(?P=sep)(?P<day>0?[1-9]|[12]\d|3[01])"
    r"|(?P<month8>0[1-9]|1[0-2])(?P<day8>0[1-9]|[12]\d|3[01]))(?![0-9A-Za-z])"
)
PATH_MONTH = re.compile(r"/(?P<year>(?:19|20)\d\d)/(?P<month>0?[1-9]|1[0-2])/")
PATH_NAMED_DAY = re.compile(rf"/(?P<year>(?:19|20)\d\d)/{_MONTH}/(?P<day>0?[1-9]|[12]\d|3[01])/", re.IGNORECASE)
# Dates in paths before this are catalogue numbers or versions, not news of the web era.
EARLIEST_IN_PATH = date(1990, 1, 1)
# A saved file's own name and the folders just above it ("2019/07/12/story.txt"); folders higher up
# are the user's ("backups/2023-01-05/"), not the story's.
PATH_PARTS_READ = 4


def url_date(url: str | None, source: str, today: date | None = None) -> ArticleDate | None:
    """The date a URL's path or a file's path states (/2019/07/12/ or 2019-07-12-title.html), or None."""
    if not url:
        return None
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]+", "", url.split("?", 1)[0].split("#", 1)[0], flags=re.IGNORECASE)
    if source == "path":
        path = "/" + "/".join(path.replace("\\", "/").split("/")[-PATH_PARTS_READ:])
    today = today or datetime.now(UTC).date()
    for match in PATH_DAY.finditer(path):
        month, day = match.group("month") or match.group("month8"), match.group("day") or match.group("day8")
        found = _make(int(match.group("year")), int(month), int(day), "day", source)
        if found and EARLIEST_IN_PATH <= found.value <= today:
            return found
    for match in PATH_NAMED_DAY.finditer(path + "/"):  # /2023/october/03/
        found = _from_match(match, "day", source)
        if found and EARLIEST_IN_PATH <= found.value <= today:
            return found
    for match in PATH_MONTH.finditer(path + "/"):
        found = _make(int(match.group("year")), int(match.group("month")), 1, "month", source)
        if found and EARLIEST_IN_PATH <= found.value <= today:
            return found
    return None


# What a story says around a date when the date is not its own time: a plan, a term, a range's end,
# a deadline, a comparison period ("until May 2008", "between January 2004 and July 2009", "due
# May 29, 1992", "the year ended December 31, 1986", "expires", "scheduled for").
NOT_NOW_BEFORE = re.compile(
    r"\b(?:until|till|through|thru|by|before|due|from|between|and|to|expir\w*|deadline|schedul\w*|set\s+for|"
    r"ended|ending|end(?:s|ed)?\s+of|effective|starting|begin\w*|since|after|record|payable|maturing|matures?|"
    r"will|would|next|expected|planned|plans?|as\s+(?:at|of))\b[^.;]{0,25}$",
    re.IGNORECASE,
)
# A weekday written beside a date ("Tuesday, March 3, 1987"): stories name the weekday of days in
# the week they report; a history paragraph or a plan rarely does.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_BEFORE = re.compile(r"\b(?P<weekday>" + "|".join(WEEKDAYS) + r"),?\s*(?:the\s+)?$", re.IGNORECASE)
TODAY_BEFORE = re.compile(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\s*[,(]?\s*$", re.IGNORECASE)
YEAR_MENTION = re.compile(r"(?<![\d.,])(?:1[89]|20)\d\d(?![\d.,]\d)")


def infer_date(text: str, today: date | None = None) -> ArticleDate | None:
    """A date the story anchors to its own time, or None: an honest "no date" beats a wrong one.

    Dates a story states are mostly not when it was written: history ("in June 1870"), terms and
    plans ("a contract until May 2008"), bonds' maturities, fiscal periods. Only a full date the text
    ties to the present counts: "today, March 3, 1987", or a weekday that agrees with the calendar
    ("on Tuesday, March 3, 1987"), outside a plan or a range, and only when no later year is
    mentioned anywhere (a later year means the story is looking back).
    """
    today = today or datetime.now(UTC).date()
    anchored = [found for found, before in _day_dates(text) if found.value <= today and _anchored(found, before)]
    if not anchored:
        return None
    latest = max(anchored, key=lambda d: d.value)
    if any(int(year) > latest.value.year for year in YEAR_MENTION.findall(text)):
        return None
    return latest._replace(source="inferred")


def _day_dates(text: str) -> list[tuple[ArticleDate, str]]:
    """Every day-precision date in the text, with the 40 characters before it."""
    found = []
    for pattern, precision in TEXT_DATES:
        if precision != "day":
            continue
        for match in pattern.finditer(text):
            stated = _from_match(match, precision, "text")
            if stated:
                found.append((stated, text[max(0, match.start() - 40) : match.start()]))
    return found


def _anchored(found: ArticleDate, before: str) -> bool:
    if TODAY_BEFORE.search(before):
        return True
    weekday = WEEKDAY_BEFORE.search(before)
    if not weekday or WEEKDAYS[found.value.weekday()] != weekday.group("weekday").lower():
        return False
    return not NOT_NOW_BEFORE.search(before[: weekday.start()])
