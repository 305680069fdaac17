"""Rendering results for people and for programs; every document-derived string passes through here.

Article text is untrusted: a scraped page can carry escape sequences that would rewrite the user's
terminal. Human output shows control characters as visible escapes; JSON escapes them.
"""

from __future__ import annotations

import json
import os
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from searcher.models import (
    Article,
    ArticleDate,
    Hit,
    IndexCheck,
    IndexReport,
    IndexStats,
    NoStory,
    Progress,
    SearchResult,
    TopicCount,
)

# C0, DEL and C1 controls, the bidirectional overrides that can disguise text ("Trojan Source"), and
# lone surrogates (a file name's bytes that are not UTF-8), which cannot be written out at all.
UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Invisible characters that only hint where a line may break or not: a page's, not a terminal's.
LINE_BREAK_HINTS = re.compile("[\u00ad\u200b\u2060\ufeff]")
# Widest bar of a timeline, in characters.
TIMELINE_WIDTH = 40
# Most lines a timeline takes: a wider span is folded, then drawn in coarser periods. 36 lets the
# months of a story spanning under three years (results.py) be drawn one by one.
TIMELINE_ROWS = 36
# Empty periods in a row folded into one line ("1871–2004 ┆ none"); fewer are drawn, as gaps.
FOLD_EMPTY_RUN = 3
# Ids of a story's near-identical copies listed under its hit in the terminal (JSON lists them all).
COPY_IDS_SHOWN = 3
# How each date source is shown beside a date; "text" is what indexes built before "inferred" hold.
DATE_SOURCES = {"metadata": "", "dateline": " (dateline)", "url": " (from the URL)", "path": " (from the file path)",
                "archive": " (archived)", "inferred": " (inferred from text)",
                "text": " (inferred from text)"}  # fmt: skip


def safe(text: str) -> str:
    """Text fit for a terminal: each control character replaced by a visible escape such as \\x1b."""
    return UNSAFE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def prose(text: str) -> str:
    """Article text fit for a terminal: safe, and without soft hyphens, zero-width spaces, word
    joiners and byte-order marks (LINE_BREAK_HINTS), which terminals draw as a hyphen, a gap or
    nothing. Joiners stay: they shape emoji and Persian or Indic letters. JSON keeps all."""
    return safe(LINE_BREAK_HINTS.sub("", text))


def to_json(data: object) -> str:
    """JSON with every unsafe character escaped, including the C1 and bidi ones json leaves raw."""
    text = json.dumps(data, ensure_ascii=False)
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def use_colour(choice: str, is_tty: bool) -> bool:
    """Colour when asked, or on a terminal unless NO_COLOR is set (https://no-color.org)."""
    if choice != "auto":
        return choice == "always"
    return is_tty and not os.environ.get("NO_COLOR")


def display_path(path: str) -> str:
    """A path relative to the working directory when it lies under it, as a user typed it."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


def date_label(when: ArticleDate | None) -> str:
    if when is None:
        return "no date"
    return when.display() + DATE_SOURCES.get(when.source, f" ({when.source})")


def date_json(when: ArticleDate | None) -> dict:
    """The date keys of every JSON shape."""
    return {
        "date": when.value.isoformat() if when else None,
        "date_precision": when.precision if when else None,
        "date_source": when.source if when else "none",
    }


def search_json(result: SearchResult, qid: str | None = None) -> str:
    extra: dict = {"qid": qid} if qid is not None else {}
    if result.facets is not None:
        extra["facets"] = {
            "topics": result.facets["topics"],
            "years": {str(y): n for y, n in result.facets["years"].items()},
        }
    if result.timeline is not None:
        extra["timeline"] = result.timeline
        extra["timeline_undated"] = result.timeline_undated
    return to_json({
        "query": result.query,
        "total": result.total,
        "undated_excluded": result.undated_excluded,
        "page": result.page,
        "suggestion": result.suggestion,
        "notices": list(result.notices),
        **extra,
        "hits": [hit_json(h) for h in result.hits],
    })  # fmt: skip


def hit_json(h: Hit) -> dict:
    """One hit as JSON: in `--json` hits and, one per line, in `--format jsonl`."""
    return {"rank": h.rank, "id": h.id, "path": h.path, "title": h.title, **date_json(h.date),
            "topics": list(h.topics), "score": h.score, "snippet": h.snippet,
            "highlights": [list(span) for span in h.highlights], "duplicates": list(h.duplicates),
            "copies": h.copies, "url": h.url}  # fmt: skip


def jsonl_lines(result: SearchResult) -> str:
    """`--format jsonl`: one hit per line, as in `--json`'s hits."""
    return "\n".join(to_json(hit_json(h)) for h in result.hits)


# date_source last, so that scripts reading the first seven columns by position read them as before.
TABLE_COLUMNS = ("rank", "id", "date", "score", "title", "path", "url", "date_source")


def table_rows(result: SearchResult) -> list[list[str]]:
    """`--format tsv/csv`: a header, then a row per hit; every cell safe for a terminal and one line."""
    rows = [list(TABLE_COLUMNS)]
    for h in result.hits:
        cells = [str(h.rank), h.id, h.date.display() if h.date else "", f"{h.score:.4f}", h.title, h.path, h.url or "",
                 h.date.source if h.date else "none"]  # fmt: skip
        rows.append([safe(" ".join(cell.split())) for cell in cells])
    return rows


def tsv_lines(result: SearchResult) -> str:
    return "\n".join("\t".join(row) for row in table_rows(result))


def csv_lines(result: SearchResult) -> str:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table_rows(result))
    return out.getvalue().rstrip("\n")


def path_lines(result: SearchResult) -> str:
    """`--format paths`: each hit's file once (a JSONL file holds many articles), for xargs and fzf."""
    return "\n".join(dict.fromkeys(safe(display_path(h.path)) for h in result.hits))


def id_lines(result: SearchResult) -> str:
    """`--format ids`: each hit's id, what `show` and `similar` take."""
    return "\n".join(safe(h.id) for h in result.hits)


def trec_lines(qid: str, result: SearchResult) -> str:
    """A TREC run file's lines for one query: qid Q0 docid rank score searcher."""
    qid = trec_field(qid)
    return "\n".join(f"{qid} Q0 {trec_field(h.id)} {h.rank} {h.score:.4f} searcher" for h in result.hits)


# A TREC run's fields are split on whitespace, and the file is often read on a terminal.
TREC_UNSAFE = re.compile(rf"\s|{UNSAFE.pattern}")


def trec_field(text: str) -> str:
    """One whitespace-free field: each space, line break or control character percent-encoded
    (an id "a b" is written "a%20b"), so no id splits a line or reaches the terminal raw."""
    return TREC_UNSAFE.sub(lambda m: "".join(f"%{byte:02X}" for byte in _utf8_bytes(m.group(0))), text)


def _utf8_bytes(char: str) -> bytes:
    return char.encode("utf-8", "surrogateescape") if "\udc80" <= char <= "\udcff" else char.encode("utf-8", "replace")


def search_text(result: SearchResult, style: Callable[..., str], width: int | None = None) -> str:
    """Numbered results, best first; highlights and titles styled through `style` (click.style or a
    no-op); snippets wrapped to `width` columns when given (a terminal's)."""
    suggestion = f"Did you mean: {prose(result.suggestion)}\n" if result.suggestion else ""
    if not result.hits:
        where = f" on page {result.page}" if result.page > 1 and result.total else ""
        return f"{suggestion}No results for {safe(result.query)!r}{where}." + _summaries(result)
    first, last = result.hits[0].rank, result.hits[-1].rank
    count = f"{result.total} result{'s' * (result.total != 1)}"
    if first > 1 or last < result.total:
        count += f", showing {first} to {last}"
    lines = [f"{suggestion}{count} for {safe(result.query)!r}:", ""]
    for hit in result.hits:
        lines.append(f"{hit.rank:>2}. {style(prose(hit.title) or '(untitled)', bold=True)}")
        topics = ", ".join(hit.topics) or "no topics"
        lines.append(f"    {date_label(hit.date)} · {safe(topics)} · {handle(hit.id, hit.path)}")
        if hit.url:
            lines.append(f"    {style(safe(hit.url), fg='cyan')}")
        if hit.snippet:
            lines += [f"    {line}" for line in highlighted_lines(hit, style, width and width - 4)]
        if hit.copies:
            listed = ", ".join(safe(d) for d in hit.duplicates[:COPY_IDS_SHOWN])
            shown = listed + (", ..." if hit.copies > COPY_IDS_SHOWN else "")
            lines.append(f"    + {hit.copies} near-identical cop{'ies' if hit.copies > 1 else 'y'}: {shown}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + _summaries(result)


def handle(doc_id: str, path: str) -> str:
    """What a user gives `show` and `similar` for a hit: its file's path as they would type it, or,
    for an article that is one of several in its file (a JSONL record, a page of a web archive), that
    file and the article's id."""
    shown = safe(display_path(path))
    own_file = not doc_id or doc_id == path or path.endswith("/" + doc_id) or shown == doc_id
    return shown if own_file else f"{shown} · id {safe(doc_id)}"


def _summaries(result: SearchResult) -> str:
    """Facet counts and the timeline, after the hits."""
    lines = []
    if result.facets is not None:
        topics = " · ".join(f"{safe(name)} {count}" for name, count in result.facets["topics"].items()) or "none"
        years = " · ".join(f"{year} {count}" for year, count in result.facets["years"].items()) or "none dated"
        lines += ["", f"Topics: {topics}", f"Years:  {years}"]
    if result.timeline is not None:
        lines += ["", *timeline_text(result.timeline, result.timeline_undated)]
    return "\n" + "\n".join(lines) if lines else ""


def timeline_text(timeline: dict[str, int], undated: int = 0) -> list[str]:
    """A horizontal bar per period, scaled to the busiest one; what does not fit in TIMELINE_ROWS
    lines is folded (runs of empty periods as one line), then drawn in coarser periods (decades for
    years, years for months). Undated matches are counted below it."""
    note = [f"  {undated} undated match{'es' * (undated != 1)} not drawn"] if undated else []
    if not timeline:
        return ["Timeline: no dated matches", *note]
    periods = list(timeline.items())
    unit = "month" if len(periods[0][0]) > 4 else "year"
    rows = _folded(periods)
    while len(rows) > TIMELINE_ROWS and unit != "century":
        unit = {"month": "year", "year": "decade", "decade": "century"}[unit]
        periods = _coarser(periods, unit)
        rows = _folded(periods)
    peak = max(count for _, count in periods) or 1
    width = max(len(label) for label, _ in rows)
    lines = [f"Timeline (matches per {unit}):"]
    for label, count in rows:
        if count is None:
            lines.append(f"  {label:<{width}} ┆ none")
            continue
        bar = "█" * max(round(count / peak * TIMELINE_WIDTH), 1 if count else 0)
        lines.append(f"  {label:<{width}} │{bar} {count}")
    return lines + note


def _folded(periods: list[tuple[str, int]]) -> list[tuple[str, int | None]]:
    """Periods as rows, a run of at least FOLD_EMPTY_RUN empty periods as one ("1871–2004", None)."""
    rows: list[tuple[str, int | None]] = []
    i = 0
    while i < len(periods):
        end = i
        while end < len(periods) and periods[end][1] == 0:
            end += 1
        if end - i >= FOLD_EMPTY_RUN:
            rows.append((f"{periods[i][0]}–{periods[end - 1][0]}", None))
            i = end
        else:
            rows.append(periods[i])
            i += 1
    return rows


def _coarser(periods: list[tuple[str, int]], unit: str) -> list[tuple[str, int]]:
    """The counts summed into years ("2019-04" -> "2019"), decades ("2019" -> "2010s") or centuries."""

    def key(label: str) -> str:
        if unit == "year":
            return label[:4]
        if unit == "decade":
            return label[:3] + "0s"
        return label[:2] + "00s"

    summed: dict[str, int] = {}
    for label, count in periods:
        summed[key(label)] = summed.get(key(label), 0) + count
    return list(summed.items())


# Topic names are padded to line up up to this width; a longer one (a JSONL record's topics are
# kept as given, and one was a megabyte) is not padded, so the listing costs its size, not
# topics times the longest name.
TOPIC_COLUMN = 32


def topics_text(counts: list[TopicCount]) -> str:
    width = min(max((len(t.name) for t in counts), default=5), TOPIC_COLUMN)
    lines = [f"{safe(t.name):<{width}}  {t.count:>6}  {safe(t.description)}" for t in counts]
    return "\n".join(lines) if lines else "No topics."


def examples_text(examples: dict[str, Path]) -> str:
    """Each installed example taxonomy: its name (what --taxonomy takes) and its file."""
    width = max((len(name) for name in examples), default=5)
    lines = [f"{safe(name):<{width}}  {safe(str(path))}" for name, path in examples.items()]
    return "\n".join(lines) if lines else "No example taxonomies are installed."


def examples_json(examples: dict[str, Path]) -> str:
    return to_json({"examples": [{"name": name, "path": str(path)} for name, path in examples.items()]})


def topics_json(counts: list[TopicCount]) -> str:
    return to_json({"topics": [{"name": t.name, "description": t.description, "count": t.count} for t in counts]})


def highlighted(hit: Hit, style: Callable[..., str]) -> str:
    return highlighted_lines(hit, style, None)[0]


def highlighted_lines(hit: Hit, style: Callable[..., str], width: int | None) -> list[str]:
    """A hit's snippet with its matched terms styled, on one line, or wrapped to `width` columns."""
    lines = []
    for start, end in wrapped_spans(hit.snippet, width):
        pieces, last = [], start
        for low, high in hit.highlights:
            low, high = max(low, start), min(high, end)
            if low >= high:
                continue
            pieces += [prose(hit.snippet[last:low]), style(prose(hit.snippet[low:high]), fg="yellow", bold=True)]
            last = high
        pieces.append(prose(hit.snippet[last:end]))
        lines.append("".join(pieces))
    return lines


# Where a line may break: between words, and between East Asian wide characters (which are written
# without spaces: a Chinese or Japanese paragraph is one "word" to a space-based wrap).
BREAK_UNIT = re.compile(r"\S+")


def columns(text: str) -> int:
    """How many terminal columns text takes: East Asian wide and full-width characters two, combining
    marks and invisible format characters (soft hyphens, joiners) none, the rest one."""
    return sum(_char_columns(char) for char in text)


def _char_columns(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Cf", "Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _break_units(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, glued) of each piece a line may end after: words, with each wide character of a
    word a piece of its own; glued when no space separates a piece from the one before."""
    units: list[tuple[int, int, bool]] = []
    for word in BREAK_UNIT.finditer(text):
        start, glued = word.start(), False
        for at in range(word.start(), word.end()):
            if _char_columns(text[at]) == 2:
                if at > start:
                    units.append((start, at, glued))
                    glued = True
                units.append((at, at + 1, glued))
                start, glued = at + 1, True
        if start < word.end():
            units.append((start, word.end(), glued))
    return units


def wrapped_spans(text: str, width: int | None) -> list[tuple[int, int]]:
    """The (start, end) of each line of text wrapped to `width` terminal columns, at spaces and
    between wide characters (a word longer than a line has one to itself); the whole text as one
    line when width is None."""
    if not width or columns(text) <= width:
        return [(0, len(text))]
    lines: list[tuple[int, int]] = []
    start = end = None
    used = 0
    for unit_start, unit_end, glued in _break_units(text):
        unit_columns = columns(text[unit_start:unit_end])
        if start is not None and used + unit_columns + (0 if glued else 1) <= width:
            end, used = unit_end, used + unit_columns + (0 if glued else 1)
            continue
        if start is not None:
            lines.append((start, end))
        start, end, used = unit_start, unit_end, unit_columns
    if start is not None:
        lines.append((start, end))
    return lines or [(0, len(text))]


def wrapped(text: str, width: int | None, indent: str = "") -> list[str]:
    """Plain text wrapped to `width` columns, each line safe for a terminal."""
    return [indent + prose(text[start:end]) for start, end in wrapped_spans(text, width and width - columns(indent))]


def article_json(article: Article) -> str:
    """The shape of `searcher clean --json` lines and `searcher show --json`."""
    return to_json({
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "title_is_headline": article.title_is_headline,
        "body": article.body,
        "story_found": article.story_found,
        "no_story": article.no_story._asdict() if article.no_story else None,
        **date_json(article.date),
        "topics": list(article.topics),
        "url": article.url,
        "dropped": [{"text": d.text, "reason": d.reason} for d in article.dropped],
    })  # fmt: skip


def article_text(
    article: Article, style: Callable[..., str], with_dropped: bool = True, width: int | None = None
) -> str:
    """A cleaned article for reading: its fields, its paragraphs (wrapped to `width` columns when
    given, a terminal's), and what was dropped and why."""
    title_kind = "" if article.title_is_headline else "  (no headline; first sentence shown)"
    title = [style(line, bold=True) for line in wrapped(article.title or "(untitled)", width)]
    lines = [
        *title[:-1],
        title[-1] + title_kind,
        f"id:     {safe(article.id)}",
        f"path:   {safe(display_path(article.path))}",
        f"date:   {date_label(article.date)}",
        f"topics: {safe(', '.join(article.topics)) or 'none'}",
    ]
    if article.url:
        lines.append(f"url:    {safe(article.url)}")
    if article.no_story or not article.body.strip():
        why = article.no_story or NoStory("furniture only", "everything on the page is furniture or comments")
        told = f"(no story found: {why.kind}; {why.evidence})"
        lines += ["", *(style(line, bold=True) for line in wrapped(told, width))]
    else:
        lines.append("")
        for paragraph in article.body.split("\n"):
            lines += wrapped(paragraph, width) if paragraph.strip() else [""]
    if with_dropped and article.dropped:
        lines += ["", style(f"Dropped ({len(article.dropped)}):", bold=True)]
        for d in article.dropped:
            lines += wrapped(f"[{d.reason}] {d.text}", width, indent="  ")
    return "\n".join(lines)


def index_summary(report: IndexReport) -> str:
    before = f" ({len(report.failed_before)} failed before and unchanged)" if report.failed_before else ""
    summary = (
        f"{report.added} added, {report.updated} updated, {report.removed} removed, "
        f"{report.unchanged} unchanged, {len(report.failed)} failed{before} in {report.seconds:.1f}s"
    )
    return summary + (f"; {skipped_summary(report.skipped)}" if report.skipped else "")


def skipped_summary(skipped: list[tuple[str, str, str]]) -> str:
    """ "12 skipped: not an article format (.pdf 7, .png 5)", most common kinds first."""
    by_reason: dict[str, Counter[str]] = {}
    for _, reason, kind in skipped:
        by_reason.setdefault(reason, Counter())[kind] += 1
    parts = [
        f"{reason} ({', '.join(f'{kind} {count}' for kind, count in kinds.most_common())})"
        for reason, kinds in by_reason.items()
    ]
    return f"{len(skipped)} skipped: " + "; ".join(parts)


class TerminalProgress:
    """A progress bar on stderr: share of bytes read, documents per second, time left.

    Redrawn at most every REDRAW_SECONDS, on one line, and erased when the run ends.
    """

    REDRAW_SECONDS = 0.2
    WIDTH = 24

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write
        self.started = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if now - self.last < self.REDRAW_SECONDS:
            return
        self.last = now
        self.write("\r" + progress_line(progress, now - self.started) + "\x1b[K")
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.write("\r\x1b[K")


def progress_line(progress: Progress, elapsed: float) -> str:
    """ "indexing  42% ██████████░░░░░░░░░░░░░░ 9,120 docs  850 docs/s  0:12 left"

    With worker processes the share is of documents cleaned and indexed (not of files read, which
    runs ahead of them), out of the documents the files read so far promise."""
    read = progress.bytes_done / progress.bytes_total if progress.bytes_total else 0.0
    if progress.phase == "committing":
        done = (
            f"{progress.prepared:,} of {progress.documents:,}"
            if progress.prepared is not None
            else f"{progress.documents:,}"
        )
        return f"indexing: {done} documents cleaned; writing the index...  {_clock(elapsed)} elapsed"
    share, documents = read, progress.documents
    if progress.prepared is not None:
        expected = progress.documents / read if read > 0 else 0
        share = min(progress.prepared / expected, 1.0) if expected else 0.0
        documents = progress.prepared
    filled = round(share * TerminalProgress.WIDTH)
    rate = documents / elapsed if elapsed > 0 else 0.0
    left = elapsed * (1 - share) / share if share > 0 else None
    eta = f"{_clock(left)} left" if left is not None else "--:-- left"
    bar = "█" * filled + "░" * (TerminalProgress.WIDTH - filled)
    return f"indexing {share:4.0%} {bar} {documents:,} docs  {rate:,.0f} docs/s  {eta}"


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def stats_text(stats: IndexStats) -> str:
    lines = [
        f"index:      {safe(stats.location)}",
        f"documents:  {stats.documents:,} ({stats.undated:,} without a date)",
        f"on disk:    {stats.disk_bytes / 1e6:,.1f} MB in {stats.segments} segment(s)",
        f"built:      {stats.created or 'unknown'}; last updated {stats.updated or 'unknown'}",
        "paths:      " + (", ".join(safe(r) for r in stats.roots) or "none"),
        "settings:   " + ", ".join(f"{k}={safe(str(v))}" for k, v in stats.settings.items()),
        "topics:     " + (" · ".join(f"{safe(k)} {v:,}" for k, v in stats.topics.items()) or "none"),
        "years:      " + (" · ".join(f"{k} {v:,}" for k, v in stats.years.items()) or "none"),
    ]
    return "\n".join(lines)


def check_text(report: IndexCheck) -> str:
    return f"{report.files:,} files verified ({report.bytes / 1e6:,.1f} MB) in {safe(report.location)}: no damage"


def check_json(report: IndexCheck) -> str:
    return to_json({
        "location": report.location, "files": report.files, "bytes": report.bytes, "ok": not report.damaged,
        "damaged": [{"name": d.name, "kind": d.kind, "problem": d.problem} for d in report.damaged],
        "note": report.note,
    })  # fmt: skip


def stats_json(stats: IndexStats) -> str:
    return to_json({
        "location": stats.location, "documents": stats.documents, "disk_bytes": stats.disk_bytes,
        "segments": stats.segments, "roots": list(stats.roots), "created": stats.created, "updated": stats.updated,
        "settings": stats.settings, "topics": stats.topics, "years": {str(k): v for k, v in stats.years.items()},
        "undated": stats.undated,
    })  # fmt: skip
