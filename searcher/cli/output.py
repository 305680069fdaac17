"""Rendering results for people and for programs; every document-derived string passes through here.

Article text is untrusted: a scraped page can carry escape sequences that would rewrite the user's
terminal. Human output shows control characters as visible escapes; JSON escapes them.
"""

from __future__ import annotations

import json
import os
import re
import time
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
    Progress,
    SearchResult,
    TopicCount,
)

# C0, DEL and C1 controls, the bidirectional overrides that can disguise text ("Trojan Source"), and
# lone surrogates (a file name's bytes that are not UTF-8), which cannot be written out at all.
UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Widest bar of a timeline, in characters.
TIMELINE_WIDTH = 40
# Ids of a story's near-identical copies listed under its hit in the terminal (JSON lists them all).
COPY_IDS_SHOWN = 3
DATE_SOURCES = {"metadata": "", "dateline": " (dateline)", "url": " (from the URL)", "path": " (from the file path)",
                "archive": " (archived)", "text": " (inferred from text)"}  # fmt: skip


def safe(text: str) -> str:
    """Text fit for a terminal: each control character replaced by a visible escape such as \\x1b."""
    return UNSAFE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


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
    return to_json({
        "query": result.query,
        "total": result.total,
        "undated_excluded": result.undated_excluded,
        "page": result.page,
        "suggestion": result.suggestion,
        "notices": list(result.notices),
        **extra,
        "hits": [
            {"rank": h.rank, "id": h.id, "path": h.path, "title": h.title, **date_json(h.date),
             "topics": list(h.topics), "score": h.score, "snippet": h.snippet,
             "highlights": [list(span) for span in h.highlights], "duplicates": list(h.duplicates), "copies": h.copies}
            for h in result.hits
        ],
    })  # fmt: skip


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


def search_text(result: SearchResult, style: Callable[..., str]) -> str:
    """Numbered results, best first; highlights and titles styled through `style` (click.style or a no-op)."""
    suggestion = f"Did you mean: {safe(result.suggestion)}\n" if result.suggestion else ""
    if not result.hits:
        where = f" on page {result.page}" if result.page > 1 and result.total else ""
        return f"{suggestion}No results for {safe(result.query)!r}{where}." + _summaries(result)
    first, last = result.hits[0].rank, result.hits[-1].rank
    count = f"{result.total} result{'s' * (result.total != 1)}"
    if first > 1 or last < result.total:
        count += f", showing {first} to {last}"
    lines = [f"{suggestion}{count} for {safe(result.query)!r}:", ""]
    for hit in result.hits:
        lines.append(f"{hit.rank:>2}. {style(safe(hit.title) or '(untitled)', bold=True)}")
        topics = ", ".join(hit.topics) or "no topics"
        lines.append(f"    {date_label(hit.date)} · {safe(topics)} · {safe(display_path(hit.path))}")
        if hit.snippet:
            lines.append(f"    {highlighted(hit, style)}")
        if hit.copies:
            listed = ", ".join(safe(d) for d in hit.duplicates[:COPY_IDS_SHOWN])
            shown = listed + (", ..." if hit.copies > COPY_IDS_SHOWN else "")
            lines.append(f"    + {hit.copies} near-identical cop{'ies' if hit.copies > 1 else 'y'}: {shown}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + _summaries(result)


def _summaries(result: SearchResult) -> str:
    """Facet counts and the timeline, after the hits."""
    lines = []
    if result.facets is not None:
        topics = " · ".join(f"{safe(name)} {count}" for name, count in result.facets["topics"].items()) or "none"
        years = " · ".join(f"{year} {count}" for year, count in result.facets["years"].items()) or "none dated"
        lines += ["", f"Topics: {topics}", f"Years:  {years}"]
    if result.timeline is not None:
        lines += ["", *timeline_text(result.timeline)]
    return "\n" + "\n".join(lines) if lines else ""


def timeline_text(timeline: dict[str, int]) -> list[str]:
    """A horizontal bar per period, scaled to the busiest one."""
    if not timeline:
        return ["Timeline: no dated matches"]
    unit = "month" if len(next(iter(timeline))) > 4 else "year"
    peak = max(timeline.values()) or 1
    lines = [f"Timeline (matches per {unit}):"]
    for period, count in timeline.items():
        bar = "█" * max(round(count / peak * TIMELINE_WIDTH), 1 if count else 0)
        lines.append(f"  {period} │{bar} {count}")
    return lines


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
    pieces, last = [], 0
    for start, end in hit.highlights:
        pieces += [safe(hit.snippet[last:start]), style(safe(hit.snippet[start:end]), fg="yellow", bold=True)]
        last = end
    pieces.append(safe(hit.snippet[last:]))
    return "".join(pieces)


def article_json(article: Article) -> str:
    """The shape of `searcher clean --json` lines and `searcher show --json`."""
    return to_json({
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "title_is_headline": article.title_is_headline,
        "body": article.body,
        "story_found": bool(article.body.strip()),
        **date_json(article.date),
        "topics": list(article.topics),
        "url": article.url,
        "dropped": [{"text": d.text, "reason": d.reason} for d in article.dropped],
    })  # fmt: skip


def article_text(article: Article, style: Callable[..., str], with_dropped: bool = True) -> str:
    """A cleaned article for reading: its fields, its paragraphs, and what was dropped and why."""
    title_kind = "" if article.title_is_headline else "  (no headline; first sentence shown)"
    lines = [
        style(safe(article.title) or "(untitled)", bold=True) + title_kind,
        f"id:     {safe(article.id)}",
        f"path:   {safe(display_path(article.path))}",
        f"date:   {date_label(article.date)}",
        f"topics: {safe(', '.join(article.topics)) or 'none'}",
    ]
    if article.url:
        lines.append(f"url:    {safe(article.url)}")
    if article.body.strip():
        lines += ["", *(safe(p) for p in article.body.split("\n"))]
    else:
        lines += ["", style("(no story found: everything on the page is furniture or comments)", bold=True)]
    if with_dropped and article.dropped:
        lines += ["", style(f"Dropped ({len(article.dropped)}):", bold=True)]
        lines += [f"  [{d.reason}] {safe(d.text)}" for d in article.dropped]
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
