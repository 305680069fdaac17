"""Stage 2, enrich: a cleaned document becomes an Article with a date and topics."""

from __future__ import annotations

import re
from datetime import date, timedelta

from searcher.clean.classify import wire_dateline
from searcher.enrich.dates import DATE_LEAD, MONTHS, NUMERIC_DATE, infer_date, parse_date, shown_date, url_date
from searcher.enrich.topics import Taxonomy
from searcher.enrich.years import dateline_year, story_year
from searcher.models import Article, ArticleDate, CleanedDocument, DroppedBlock


def enrich(cleaned: CleanedDocument, taxonomy: Taxonomy) -> Article:
    """The article as indexed: cleaned text plus its best date and its topics."""
    source = cleaned.source
    topics = source.topics if source.topics is not None else taxonomy.assign(cleaned.title, cleaned.body)
    return Article(
        id=source.id,
        path=str(source.path),
        title=cleaned.title,
        title_is_headline=cleaned.title_is_headline,
        body=cleaned.body,
        date=best_date(cleaned),
        topics=tuple(dict.fromkeys(t.strip().lower() for t in topics if t.strip())),
        url=source.url or cleaned.url,  # a record's own URL wins over the page's
        dropped=cleaned.dropped,
        content_hash=source.content_hash,
        size=source.size,
        mtime=source.mtime,
        source_key=str(source.path),
        no_story=cleaned.no_story,
    )


def best_date(cleaned: CleanedDocument) -> ArticleDate | None:
    """The most trusted date: the record's own, page metadata, a dateline or a dated byline, a date
    in the URL or in the saved file's path, the day a web archive saved the page (news is archived
    within days of publication), then only inferred ones: a yearless dateline's day in the year
    the story's statements agree on, a date the story ties to its own time, or the year alone
    that a story without a dateline leaves between what it reports as done and what it expects.

    Dropped captions and comments never count: their dates are not the story's. A page's byline
    or date line, which the cleaner drops as furniture, does.
    """
    from_address = url_date(cleaned.source.url or cleaned.url, "url") or url_date(str(cleaned.source.path), "path")
    stated = [(cleaned.source.date, "metadata")] if cleaned.source.date else []
    declared = [
        parsed
        for text, source in stated + list(cleaned.date_candidates) + _opening_dateline(cleaned)
        if _possible(parsed := parse_date(text, source))
    ]
    if declared:
        return _corroborated(declared, from_address) or _byline_over_shown(declared[0], cleaned.dropped)
    shown = _date_shown_beside_the_story(cleaned.dropped) or _byline_opening_the_story(cleaned.paragraphs)
    if _possible(shown):
        return shown
    if _possible(from_address):
        return from_address
    if cleaned.source.archived and _possible(archived := parse_date(cleaned.source.archived, "archive")):
        return archived
    return _dateline_with_inferred_year(cleaned) or infer_date(cleaned.body) or _inferred_year(cleaned)


def _opening_dateline(cleaned: CleanedDocument) -> list[tuple[str, str]]:
    """The date of a wire dateline opening the story, stated with its year."""
    stated = _opening_dateline_date(cleaned.paragraphs)
    return [(stated, "dateline")] if stated and YEAR_STATED.search(stated) else []


def _dateline_with_inferred_year(cleaned: CleanedDocument) -> ArticleDate | None:
    """A yearless dateline's day ("PARIS, March 9 - ") in the year the story's statements agree on
    (searcher.enrich.years), as an inferred date; None when they do not."""
    stated = _opening_dateline_date(cleaned.paragraphs)
    month_day = _month_and_day(stated) if stated and not YEAR_STATED.search(stated) else None
    if month_day is None:
        return None
    year = dateline_year(*month_day, cleaned.body)
    found = _on_day(year, *month_day) if year else None
    inferred = ArticleDate(found, "day", "inferred") if found else None
    return inferred if _possible(inferred) else None


def _inferred_year(cleaned: CleanedDocument) -> ArticleDate | None:
    """The year alone of a story without a dated dateline, when its statements leave exactly one (a
    yearless dateline's story is dated with its day or not at all)."""
    if _opening_dateline_date(cleaned.paragraphs):
        return None
    year = story_year(cleaned.body)
    return ArticleDate(date(year, 1, 1), "year", "inferred") if year and _possible_year(year) else None


def _possible_year(year: int) -> bool:
    return EARLIEST_PUBLICATION.year <= year <= date.today().year


def _month_and_day(stated: str) -> tuple[int, int] | None:
    """(month, day) of a yearless dateline date ("March 9", "9 March", "Sept. 30"), or None."""
    match = MONTH_DAY.fullmatch(stated.strip())
    month = MONTHS.get((match.group("month") or match.group("month_after")).lower()) if match else None
    return (month, int(match.group("day") or match.group("day_first"))) if month else None


def _opening_dateline_date(paragraphs: tuple[str, ...]) -> str | None:
    """The date of the wire dateline opening the story ("ANKARA, July 12, 2019 - ", "PARIS, March 9
    - "), after any byline, or None.

    The cleaner reads a dateline only on the first line it keeps, before it takes a saved story's
    headline from that line ("Missile parts arrive" over "ANKARA, July 12, 2019 - ..."), so enrich
    reads it again here, on the story's own first lines."""
    for paragraph in paragraphs[:BYLINE_OPENING_LINES]:
        opening = wire_dateline(paragraph)
        if opening:
            return opening.group("date")
        if not (_words(paragraph) <= SHOWN_DATE_MAX_WORDS and BYLINE_OPENING.match(paragraph)):
            return None
    return None


def _on_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # February 29 in a year without one: the evidence was wrong
        return None


# A dateline's date states its year ("July 12, 2019") or only month and day ("March 9", "9 March").
YEAR_STATED = re.compile(r"\d{4}")
MONTH_DAY = re.compile(
    r"(?:(?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2})|(?P<day_first>\d{1,2})\s+(?P<month_after>[a-z]+)\.?)",
    re.IGNORECASE,
)


# Printed news began in the 1600s; a stated date before that is a placeholder (0001-01-01 is the
# zero date of Go, .NET and many databases), as is one after tomorrow (9999-12-31).
EARLIEST_PUBLICATION = date(1600, 1, 1)


def _corroborated(declared: list[ArticleDate], from_address: ArticleDate | None) -> ArticleDate | None:
    """The declared date the page's address agrees with, when the first one does not: a page
    declaring a day in UTC ("2025-12-19T02:41Z") and its own day ("2025-12-18T21:41-05:00"), under
    /2025/12/18/, was published on the day its address and its local time both state."""
    if from_address is None or from_address.precision != "day" or declared[0].value == from_address.value:
        return None
    return next((found for found in declared[1:] if found.value == from_address.value), None)


def _byline_over_shown(first: ArticleDate, dropped: tuple[DroppedBlock, ...]) -> ArticleDate:
    """A page's byline date over the first date it shows in an element marked as one: such elements
    also date the other stories a page lists, the byline only the story."""
    if first.source != "dateline":
        return first
    for block in dropped:
        if block.reason == "byline" and _words(block.text) <= SHOWN_DATE_MAX_WORDS:
            found = shown_date(block.text)
            if found and found.precision == "day" and _possible(found):
                return found
    return first


def _possible(found: ArticleDate | None) -> bool:
    """Whether a stated date can be a publication date: none before printed news or after tomorrow
    (tomorrow, not today: the publisher's day may be ahead of this machine's)."""
    if found is None:
        return False
    return EARLIEST_PUBLICATION <= found.value <= date.today() + timedelta(days=1)


_MONTH_NAME = "(?:" + "|".join(MONTHS) + r")\b"
# A byline or a date line beside a story is short: "Dec 17, 2025 Julian K. Arni", "January 22nd, 2019".
SHOWN_DATE_MAX_WORDS = 12
# A short line naming who wrote or posted the story beside its date: "by Amanda · Dec 20, 2025 at
# 3:00 am", "Discussion in 'Advice' started by pelex, May 26, 2025.", "Essay - Published: 2025.12.17",
# or a forum's first post ("#1 2025-11-01 15:14:37"): the date need not open the line.
BYLINE_CUE = re.compile(
    rf"\b(?:published|posted|updated|written)\b|\bby\s+(?!{_MONTH_NAME})[^\W\d]|^#1\s", re.IGNORECASE
)
# A byline the cleaner kept as the story's first lines: "by Meaghan Weeden ● December 23, 2025 ● 6 min
# read" (a "By" line ending in a date is dropped as one; this one goes on past it).
BYLINE_OPENING = re.compile(rf"^by\s+(?!{_MONTH_NAME})[^\W\d]", re.IGNORECASE)
BYLINE_OPENING_LINES = 3
# The cleaner's reasons for dropping a page's own byline and date lines (not a caption's, not a
# comment's): post-meta boxes sit in sidebars and above the story as often as in bylines.
SHOWN_DATE_REASONS = ("byline", "dateline", "outside the story", "sidebar")


def _date_shown_beside_the_story(dropped: tuple[DroppedBlock, ...]) -> ArticleDate | None:
    """The page's date as it shows it: the first dropped byline, or the first dropped line that
    opens with a date or names its author or its posting beside one (later ones belong to lists
    of other stories)."""
    for block in dropped:
        if block.reason not in SHOWN_DATE_REASONS or _words(block.text) > SHOWN_DATE_MAX_WORDS:
            continue
        if block.reason != "byline" and not (
            DATE_LEAD.match(block.text) or NUMERIC_DATE.match(block.text) or BYLINE_CUE.search(block.text)
        ):
            continue
        found = shown_date(block.text)
        if found and found.precision == "day":
            return found
    return None


def _byline_opening_the_story(paragraphs: tuple[str, ...]) -> ArticleDate | None:
    """The date of a byline among the story's first lines, or None."""
    for paragraph in paragraphs[:BYLINE_OPENING_LINES]:
        if _words(paragraph) <= SHOWN_DATE_MAX_WORDS and BYLINE_OPENING.match(paragraph):
            found = shown_date(paragraph)
            if found and found.precision == "day":
                return found
    return None


def _words(text: str) -> int:
    """Words of a line, not counting a byline's separators ("·", "|", "-")."""
    return sum(1 for token in text.split() if any(character.isalnum() for character in token))
