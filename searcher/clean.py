"""Stage 1, clean: keep the story and its title, drop page furniture and comments, say why.

Text and HTML go through one block classifier:
1. split the source into blocks (lines of a text dump, block elements of an HTML page);
2. find the title (a headline-shaped first line, or the page's og:title, <h1> or <title>);
3. give each block a reason to drop it, from its own shape (caption, credit, related link, comment
   widget, link spam, share furniture) and, for HTML, from its element (tag, class, link density);
4. drop whole runs of comment-like blocks that contain a comment widget, so the excerpts a
   "recent comments" widget lists go with it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from searcher import boilerplate as bp
from searcher.models import CleanedDocument, DroppedBlock, SourceDocument

# C0 and C1 control characters except tab and newline: never story text, and unsafe on a terminal.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
WHITESPACE = re.compile(r"\s+")
FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s+[A-Z\"“‘']|\s*$)")


@dataclass(frozen=True)
class Block:
    """A unit of text the classifier keeps or drops, with what its source says about it."""

    text: str
    tag: str = ""  # HTML tag, empty for text lines
    link_density: float = 0.0  # share of the text inside links (HTML only)
    followed_by_blank: bool = False  # text only: a blank line after it, as after a headline


def clean(source: SourceDocument) -> CleanedDocument:
    """The story of one source document: its title and paragraphs, and what was dropped and why."""
    if source.kind == "html":
        from searcher.clean_html import html_blocks  # beautifulsoup4 is only loaded for HTML

        page = html_blocks(source.content)
        title, headline = (page.title, True) if page.title else ("", False)
        return _classify(
            source, page.blocks, title, headline, page.date_candidates, page.url, page.site_name, page.dropped
        )
    blocks = text_blocks(source.content)
    # A scraped page's text holds menus and footers around the story; a record is the story alone.
    page_like = source.kind == "text"
    return _classify(source, blocks, source.title or "", bool(source.title), (), source.url, None, (), page_like)


def normalize(text: str) -> str:
    """Unicode NFC, no control characters, single spaces, one line: what every stored block looks like."""
    text = CONTROL_CHARS.sub(" ", unicodedata.normalize("NFC", text))
    return WHITESPACE.sub(" ", text).strip()


def text_blocks(text: str) -> list[Block]:
    """One block per non-empty line of a scraped text dump."""
    lines = [normalize(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    blocks = []
    for i, line in enumerate(lines):
        if line:
            blank_after = i + 1 < len(lines) and not lines[i + 1]
            blocks.append(Block(line, followed_by_blank=blank_after))
    return blocks


def _classify(
    source: SourceDocument,
    blocks: list[Block],
    title: str,
    title_is_headline: bool,
    date_candidates: tuple[tuple[str, str], ...],
    url: str | None,
    site_name: str | None,
    already_dropped: tuple[DroppedBlock, ...],
    page_like: bool = False,
) -> CleanedDocument:
    reasons = [drop_reason(block) for block in blocks]
    _drop_comment_runs(blocks, reasons)
    _drop_comment_section(blocks, reasons)
    if page_like:
        start = _crop_to_story(blocks, reasons)
        headline = _headline_above(blocks, reasons, start) if not title else None
        if headline is not None:
            reasons[headline] = None
    datelines = tuple(
        (m.group("date"), "dateline")
        for b, r in zip(blocks, reasons, strict=True)
        if r == "dateline" and (m := bp.DATELINE.match(b.text) or bp.DATE_ONLY.match(b.text))
    )
    kept = [b.text for b, r in zip(blocks, reasons, strict=True) if r is None]
    dropped = already_dropped + tuple(
        DroppedBlock(b.text, r) for b, r in zip(blocks, reasons, strict=True) if r is not None
    )
    if not title and kept and is_headline(blocks[_first_kept(reasons)]):
        title, title_is_headline = kept.pop(0), True
    if title:  # pages repeat their headline (above the story, in breadcrumbs, in a share box)
        repeated = normalize(title).casefold()
        dropped += tuple(DroppedBlock(k, "repeats the title") for k in kept if k.casefold() == repeated)
        kept = [k for k in kept if k.casefold() != repeated]
    if not title:
        title = lead_title(kept[0]) if kept else ""
    return CleanedDocument(
        source=source,
        title=normalize(title),
        title_is_headline=title_is_headline,
        paragraphs=tuple(kept),
        dropped=dropped,
        date_candidates=date_candidates + datelines,
        url=url,
        site_name=site_name,
    )


def _first_kept(reasons: list[str | None]) -> int:
    return next(i for i, reason in enumerate(reasons) if reason is None)


def drop_reason(block: Block) -> str | None:
    """Why a block is not part of the story, judged from its own shape; None keeps it."""
    text = block.text
    words = text.count(" ") + 1
    if text.endswith(")") and bp.CAPTION_CREDIT_SUFFIX.search(text):
        return "photo caption"
    if words <= bp.CREDIT_MAX_WORDS and bp.CREDIT_LINE.match(text) and not bp.SENTENCE_END.search(text):
        return "photo credit"
    if is_related_link(text):
        return "related link"
    if is_link_spam(text):
        return "link spam"
    if is_comment_widget(text, words):
        return "comment widget"
    if words <= bp.FURNITURE_MAX_WORDS and bp.SHARE_FURNITURE.match(text):
        return "share/navigation furniture"
    if words <= bp.FURNITURE_MAX_WORDS and (bp.DATELINE.match(text) or bp.DATE_ONLY.match(text)):
        return "dateline"
    if words <= bp.SITE_NOTICE_MAX_WORDS and bp.SITE_NOTICE.match(text):
        return "share/navigation furniture"
    if block.tag and block.link_density > 0.5 and words < 40:
        return "link list"
    return None


def is_related_link(text: str) -> bool:
    """A "READ MORE: ..." or "Related: ..." pointer to another article."""
    match = bp.RELATED_MARKER.match(text)
    if not match:
        return False
    if bp.RELATED_MARKERS_CAPS_ONLY.match(text):
        return text.split()[0].isupper()
    return True


def is_link_spam(text: str) -> bool:
    """Mostly URLs, or a link or short pitch selling pills, casinos and the like (a story about a
    casino is neither)."""
    lowered = text.lower()
    linked = "http" in lowered or "www." in lowered
    if linked and sum(len(m.group(0)) for m in bp.URL.finditer(text)) / len(text) > bp.URL_DENSITY_SPAM:
        return True
    pitch = text.count(" ") < bp.SPAM_PITCH_MAX_WORDS and not bp.SENTENCE_CLOSE.search(text)
    return (linked or pitch) and bool(bp.SPAM_WORDS.search(text))


def is_comment_widget(text: str, words: int) -> bool:
    """A line of a comments widget: "AUTHOR in: POST", "12 Comments", "Leave a reply"."""
    if words <= bp.FURNITURE_MAX_WORDS and bp.COMMENT_FURNITURE.match(text):
        return True
    match = bp.COMMENT_WIDGET_LINE.match(text) if ("in:" in text or "on:" in text) else None
    if not match:
        return False
    author = match.group("author")
    return bool(bp.URL.fullmatch(author)) or len(author.split()) <= bp.COMMENT_AUTHOR_MAX_WORDS


ANCHORS = ("comment widget", "link spam")


def _comment_like(block: Block, reason: str | None) -> bool:
    """Could belong to a comments section: widget lines, spam, truncated excerpts, talk about the page."""
    return reason in ANCHORS or bool(bp.TRUNCATED_EXCERPT.search(block.text) or bp.COMMENT_PHRASES.search(block.text))


def _drop_comment_runs(blocks: list[Block], reasons: list[str | None]) -> None:
    """Drops each run of comment-like blocks from its first widget or spam line on.

    Before that line only blocks that talk like comments go: a story's last sentence may end in
    "..." just above a widget without being part of it.
    """
    if not any(reason in ANCHORS for reason in reasons):
        return
    start = 0
    while start < len(blocks):
        end = start
        while end < len(blocks) and _comment_like(blocks[end], reasons[end]):
            end += 1
        anchor = next((i for i in range(start, end) if reasons[i] in ANCHORS), None)
        if anchor is not None:
            for i in range(start, end):
                if i >= anchor or bp.COMMENT_PHRASES.search(blocks[i].text):
                    reasons[i] = reasons[i] or "comment widget"
        start = end + 1


OUTSIDE = "outside the story"


def _crop_to_story(blocks: list[Block], reasons: list[str | None]) -> int:
    """Drops what lies outside the story's stretch of a scraped page; returns where the story starts.

    The stretch is the run of blocks with the greatest sum of values, prose counting for its words
    and every other block against (the idea of Finn's Body Text Extraction): menus and footers
    around a story are short lines, and a short line inside it (a subheading) is outweighed by the
    paragraphs on both sides. A text with no prose at all is left whole.
    """
    values = _line_values(blocks, reasons)
    best = (0, 0, 0)  # (sum, start, end)
    total, start = 0, 0
    for i, value in enumerate(values):
        if total <= 0:
            total, start = 0, i
        total += value
        if total > best[0]:
            best = (total, start, i + 1)
    _, first, end = best
    if end == 0:
        return 0
    first, end = _main_stretch(values, reasons, first, end)
    while end < len(blocks) and reasons[end] is None and is_list_line(blocks[end].text):
        end += 1  # a list or table closing the story (results, dates, figures) is part of it
    while first > 0 and reasons[first - 1] is None and is_list_line(blocks[first - 1].text):
        first -= 1  # and one opening it (a company's results, then a note on them)
    for i in [*range(first), *range(end, len(blocks))]:
        reasons[i] = reasons[i] or OUTSIDE
    return first


def _line_values(blocks: list[Block], reasons: list[str | None]) -> list[int]:
    """Each line's value for the story (see _story_value); the lines of a hard-wrapped paragraph
    (long lines running on without a sentence's end, the last one ending it, as in newswire text)
    all count as the prose they are."""
    values = [
        _story_value(block) if reason is None else -bp.NON_PROSE_COST
        for block, reason in zip(blocks, reasons, strict=True)
    ]
    start = 0
    for i, block in enumerate(blocks):
        if i + 1 < len(blocks) and _runs_on(block, reasons[i]) and reasons[i + 1] is None:
            continue
        if i > start and reasons[i] is None and bp.SENTENCE_CLOSE.search(block.text):
            for j in range(start, i + 1):
                values[j] = blocks[j].text.count(" ") + 1
        start = i + 1
    return values


def _runs_on(block: Block, reason: str | None) -> bool:
    """A line that a hard-wrapped paragraph continues: long, unfinished, no blank line after it."""
    return (
        reason is None
        and not block.followed_by_blank
        and len(block.text) >= bp.WRAPPED_MIN_CHARS
        and not bp.SENTENCE_CLOSE.search(block.text)
    )


def _main_stretch(values: list[int], reasons: list[str | None], first: int, end: int) -> tuple[int, int]:
    """The story's part of the stretch: split where GAP_LINES lines in a row are not prose, the part
    with the most prose, joined by the parts beside it holding a good share as much."""
    parts, start, run = [], first, 0
    for i in range(first, end):
        run = run + 1 if values[i] < 0 or reasons[i] is not None else 0
        if run == bp.GAP_LINES:
            parts.append((start, i - run + 1))
            start = i + 1
        elif run > bp.GAP_LINES:
            start = i + 1
    parts.append((start, end))
    prose = [sum(max(values[i], 0) for i in range(a, b) if reasons[i] is None) for a, b in parts]
    main = max(range(len(parts)), key=prose.__getitem__)
    low = high = main
    while low > 0 and prose[low - 1] >= bp.PART_SHARE * prose[main]:
        low -= 1
    while high + 1 < len(parts) and prose[high + 1] >= bp.PART_SHARE * prose[main]:
        high += 1
    return parts[low][0], parts[high][1]


def _headline_above(blocks: list[Block], reasons: list[str | None], start: int) -> int | None:
    """The headline just above the story, past any caption, credit or dateline between them."""
    for i in range(start - 1, max(start - 1 - bp.HEADLINE_LOOKBACK, -1), -1):
        if reasons[i] == OUTSIDE:
            return i if is_headline(blocks[i]) else None
    return None


def is_list_line(text: str) -> bool:
    """A list item (numbered, bulleted, dated) or a row of figures ("Shr 34 cts vs 1.19 dlrs")."""
    if bp.LIST_ITEM.match(text):
        return True
    words = text.split()
    return len(words) <= bp.DATA_ROW_MAX_WORDS and sum(any(c.isdigit() for c in w) for w in words) >= len(words) / 3


def _story_value(block: Block) -> int:
    """Prose counts for its words; a line without a sentence's ending (a menu item, a teaser's
    headline) counts against, as much as its words."""
    text = block.text
    words = text.count(" ") + 1
    if words >= bp.TEASER_MIN_WORDS and bp.TRUNCATED_EXCERPT.search(text):  # another article's teaser
        return _against(words)
    if words >= bp.PROSE_MIN_WORDS or (words >= bp.SENTENCE_MIN_WORDS and bp.SENTENCE_CLOSE.search(text)):
        return words
    if words >= bp.CONTINUED_MIN_WORDS and (text.endswith(",") or text[0].islower()):
        return words  # a hard-wrapped line of a paragraph
    if is_list_line(text):
        return -bp.NON_PROSE_COST  # a list or table (results, tour dates, earnings) may be the story's
    return _against(words)


def _against(words: int) -> int:
    """What a line that is not the story's prose costs it: more the longer it is."""
    return -max(bp.NON_PROSE_COST, int(bp.NON_PROSE_WEIGHT * words))


def _drop_comment_section(blocks: list[Block], reasons: list[str | None]) -> None:
    """Everything after a comment section's heading ("12 Comments", "Leave a Reply") or its first
    comment's signature ("Birgit sagt:" above the comment's date) goes, once a story's worth of
    prose lies above it: below are readers' comments, not the story."""
    prose = [_story_value(block) if reason is None else 0 for block, reason in zip(blocks, reasons, strict=True)]
    total = sum(max(value, 0) for value in prose)
    above = 0
    for i in range(len(blocks)):
        if _opens_comments(blocks, reasons, i) and above >= min(bp.STORY_WORDS_ABOVE_COMMENTS, total / 2):
            for j in range(i, len(blocks)):
                reasons[j] = reasons[j] or "comment section"
            return
        above += max(prose[i], 0)


def _opens_comments(blocks: list[Block], reasons: list[str | None], i: int) -> bool:
    text = blocks[i].text
    if bp.COMMENT_SECTION_START.match(text):
        return True
    return i + 1 < len(blocks) and reasons[i + 1] == "dateline" and bool(bp.COMMENT_AUTHOR.match(text))


def is_headline(block: Block) -> bool:
    """A first line that reads as a headline: short, and not closed like a sentence."""
    words = len(block.text.split())
    if not bp.HEADLINE_MIN_WORDS <= words <= bp.HEADLINE_MAX_WORDS or bp.SENTENCE_END.search(block.text):
        return False
    if block.text.rstrip().endswith(("?", "!")):
        return block.followed_by_blank
    return True


def lead_title(paragraph: str) -> str:
    """A display title for an article without a headline: its first sentence, cut at a word."""
    match = FIRST_SENTENCE.match(paragraph)
    sentence = match.group(1) if match else paragraph
    if len(sentence) <= bp.LEAD_TITLE_MAX_CHARS:
        return sentence
    return sentence[: bp.LEAD_TITLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
