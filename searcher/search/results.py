"""What a search shows, from an engine's matches: hits with highlighted snippets, and the timeline."""

from __future__ import annotations

from searcher.engine import Match, Matches
from searcher.models import Hit, SearchOptions, SearchResult
from searcher.search.snippets import make_snippet

# A timeline spanning fewer years than this is drawn per month, so a short story still has a shape.
TIMELINE_MONTHS_UNDER_YEARS = 3


def search_result(text: str, found: Matches, options: SearchOptions, suggestion: str | None = None) -> SearchResult:
    """The SearchResult of a page of matches: ranks, snippets, facets and timeline as asked."""
    first = (options.page - 1) * options.limit
    terms = set(found.terms)
    years = found.year_counts or {}
    return SearchResult(
        query=text,
        total=found.total,
        hits=tuple(_hit(rank, match, terms, options.snippets) for rank, match in enumerate(found.matches, first + 1)),
        undated_excluded=found.undated_excluded,
        facets={"topics": found.topic_counts or {}, "years": years} if options.facets else None,
        timeline=timeline(years, found.month_counts or {}) if options.timeline else None,
        suggestion=suggestion,
        page=options.page,
        notices=found.notices,
        timeline_undated=found.undated_matches if options.timeline else 0,
        expansion=found.expansion,
    )


def _hit(rank: int, match: Match, terms: set[str], snippets: bool) -> Hit:
    snippet, spans = make_snippet(match.body, terms) if snippets else ("", ())
    return Hit(
        rank=rank,
        id=match.id,
        path=match.path,
        title=match.title,
        date=match.date,
        topics=match.topics,
        score=round(float(match.score), 4),
        snippet=snippet,
        highlights=spans,
        copies=match.copies,
        duplicates=match.duplicates,
        url=match.url,
    )


def timeline(years: dict[int, int], months: dict[int, int]) -> dict[str, int]:
    """Matches per year, or per month (keys yyyymm) when they span only a few years; empty periods
    included. Articles dated only to a year are counted in yearly timelines only."""
    if not years:
        return {}
    first, last = min(years), max(years)
    months = months if last - first < TIMELINE_MONTHS_UNDER_YEARS else {}
    if not months:
        return {str(year): years.get(year, 0) for year in range(first, last + 1)}
    (year, month), end = divmod(min(months), 100), divmod(max(months), 100)
    shown = {}
    while (year, month) <= end:
        shown[f"{year}-{month:02d}"] = months.get(year * 100 + month, 0)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return shown
