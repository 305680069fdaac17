"""The block classifier shared by text dumps and HTML: each block gets a reason to drop it, from its
own shape (caption, credit, related link, comment widget, link spam, share furniture), then runs of
comment-like blocks and whatever follows a comment section's heading go, and the title is settled.
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import TYPE_CHECKING

from searcher.clean import rules as bp
from searcher.clean.blocks import Block, normalize
from searcher.clean.judge import PageSignals, judge
from searcher.clean.rules import HEADING_TAGS
from searcher.clean.stretch import line_values

if TYPE_CHECKING:
    from searcher.clean.html import Outside
from searcher.clean.text import (
    OUTSIDE,
    closes_a_post,
    crop_to_story,
    drop_cookie_notices,
    drop_text_furniture,
    headline_above,
    heads_a_toolbar,
    is_headline,
    labels_a_count,
    story_value,
)
from searcher.models import CleanedDocument, DroppedBlock, SourceDocument

FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s+[A-Z\"“‘']|\s*$)")


def classify(
    source: SourceDocument,
    blocks: list[Block],
    title: str,
    title_is_headline: bool,
    date_candidates: tuple[tuple[str, str], ...],
    url: str | None,
    site_name: str | None,
    already_dropped: tuple[DroppedBlock, ...],
    page_like: bool = False,
    signals: PageSignals | None = None,
    outside: Outside | None = None,
) -> CleanedDocument:
    """The story of a page's (or a record's) blocks: the rules' verdicts, then, for pages (HTML,
    or text scraped from one), the trained model's final say on each block (judge.py), the blocks
    outside the story's container included (already recorded as dropped unless judged story)."""
    thread = signals is not None and signals.thread
    blocks, reasons, outer = candidates(blocks, title, page_like, outside, thread)
    if signals is not None or page_like:
        judged = judge(blocks, reasons, signals or PageSignals(), text_mode=signals is None)
        reasons = judged if thread else _no_comments_taken_back(blocks, reasons, judged, outer)
    recorded: set[int] = set()  # outside blocks, whose dropping already_dropped records
    if outer:
        records = outside.records if outside else []
        story = {id(record) for i, record in zip(outer, records, strict=True) if reasons[i] is None}
        already_dropped = tuple(d for d in already_dropped if id(d) not in story)
        recorded = {i for i in outer if reasons[i] is not None}
    datelines = tuple(
        (m.group("date"), "dateline")
        for b, r in zip(blocks, reasons, strict=True)
        if r == "dateline" and (m := _date_line(b.text))
    )
    kept = [b.text for b, r in zip(blocks, reasons, strict=True) if r is None]
    opening = wire_dateline(kept[0]) if kept else None
    if opening and opening.group("date"):
        datelines += ((opening.group("date"), "dateline"),)
    dropped = already_dropped + tuple(
        DroppedBlock(b.text, r)
        for i, (b, r) in enumerate(zip(blocks, reasons, strict=True))
        if r is not None and i not in recorded
    )
    # A headline stands over a story: an article's only paragraph is its story, however short.
    headline_taken = not title and len(kept) > 1 and is_headline(blocks[_first_kept(reasons)])
    if headline_taken:
        title, title_is_headline = kept.pop(0), True
    if title:  # pages repeat their headline (above the story, in breadcrumbs, in a share box)
        repeated = normalize(title).casefold()
        dropped += tuple(DroppedBlock(k, "repeats the title") for k in kept if k.casefold() == repeated)
        kept = [k for k in kept if k.casefold() != repeated]
    if headline_taken and not kept:  # nothing but that line, repeated: it is the story
        kept, title_is_headline = [title], False
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


def candidates(
    blocks: list[Block], title: str, page_like: bool, outside: Outside | None, thread: bool = False
) -> tuple[list[Block], list[str | None], list[int]]:
    """Every block the model judges, in page order, with the rules' verdicts: the container's
    blocks and those outside it (dropped as outside the story); and where the outside ones are."""
    reasons = rule_verdicts(blocks, title, page_like, thread)
    if outside is None or not (outside.before or outside.after):
        return blocks, reasons, []
    before, after = len(outside.before), len(outside.after)
    blocks = [*outside.before, *blocks, *outside.after]
    reasons = [OUTSIDE] * before + reasons + [OUTSIDE] * after
    return blocks, reasons, [*range(before), *range(len(blocks) - after, len(blocks))]


def _no_comments_taken_back(
    blocks: list[Block], rules: list[str | None], judged: list[str | None], outer: list[int]
) -> list[str | None]:
    """The model's verdicts, except that nothing outside the story's container below a comment
    thread's opening line ("Comments are now closed", "12 Comments") is taken back: readers'
    words read like prose, and the rules left them out of the container for that reason. Nor is a
    block of a comment section between two comments' signatures ("Posted by: Ann at ...")."""
    outside = set(outer)
    opened = False
    verdicts = list(judged)
    for i, block in enumerate(blocks):
        if i in outside and (bp.THREAD_OPENER.match(block.text) or bp.COMMENT_SECTION_START.match(block.text)):
            opened = True
        elif opened and i in outside and judged[i] is None:
            verdicts[i] = rules[i]
    signed = [i for i, rule in enumerate(rules) if rule == bp.SIGNATURE_REASON]
    if len(signed) > 1:  # between two signed comments lies a third one's text, however story-like
        for i in range(signed[0] + 1, signed[-1]):
            if rules[i] == bp.COMMENT_REASON and verdicts[i] is None:
                verdicts[i] = rules[i]
    return verdicts


def rule_verdicts(blocks: list[Block], title: str, page_like: bool, thread: bool = False) -> list[str | None]:
    """Each block's reason to drop it by the hand-written rules (None keeps it): its own shape,
    comment runs and sections, related-headline lists, and for a scraped text the crop to the
    story's stretch and the headline above it. On a thread (a page that says it is one: html.py
    is_thread) the posts are the content: only the lines of its furniture go ("Reply", "Report"),
    not the posts below a "12 replies" heading."""
    reasons = verdicts_before_crop(blocks, page_like, thread)
    if page_like:
        start = crop_to_story(blocks, reasons, line_values(blocks, reasons))
        headline = headline_above(blocks, reasons, start) if not title else None
        if headline is not None:
            reasons[headline] = None
    return reasons


def verdicts_before_crop(blocks: list[Block], page_like: bool, thread: bool = False) -> list[str | None]:
    """The rules' verdicts on each block before a scraped text is cropped to its story's stretch
    (what the crop's model is trained on and judges from)."""
    reasons = [drop_reason(block) for block in blocks]
    if page_like:
        drop_cookie_notices(blocks, reasons)
    if not thread:
        _drop_comment_runs(blocks, reasons)
        _drop_signed_comments(blocks, reasons)
        _drop_comment_section(blocks, reasons, page_like)
    _drop_related_sections(blocks, reasons)
    if page_like:
        drop_text_furniture(blocks, reasons)
    return reasons


def _date_line(text: str) -> re.Match[str] | None:
    return bp.DATELINE.match(text) or bp.DATE_ONLY.match(text) or bp.BYLINE_DATE.match(text)


def wire_dateline(paragraph: str) -> re.Match[str] | None:
    """A wire story's opening place (and date, and agency) before its first sentence, or None."""
    match = bp.WIRE_DATELINE.match(paragraph)
    if not match or len(match.group("place").split(",")[0]) < bp.WIRE_DATELINE_MIN_PLACE:
        return None
    if match.group("date") or match.group("agency") or match.group("dash") in ("–", "—", "--"):
        return match
    return None


def _first_kept(reasons: list[str | None]) -> int:
    return next(i for i, reason in enumerate(reasons) if reason is None)


def drop_reason(block: Block) -> str | None:
    """Why a block is not part of the story, judged from its own shape; None keeps it."""
    text = block.text
    words = text.count(" ") + 1
    if text.endswith(")") and bp.CAPTION_CREDIT_SUFFIX.search(text):
        return bp.CAPTION_REASON
    if words <= bp.CREDIT_MAX_WORDS and bp.CREDIT_LINE.match(text) and not bp.SENTENCE_END.search(text):
        return "photo credit"
    if is_related_link(text):
        return bp.RELATED_REASON
    if is_link_spam(text):
        return "link spam"
    if is_comment_widget(text, words):
        return "comment widget"
    if words <= bp.FURNITURE_MAX_WORDS and bp.SHARE_FURNITURE.match(text):
        return "share/navigation furniture"
    if words <= bp.FURNITURE_MAX_WORDS and _date_line(text):
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


def _drop_signed_comments(blocks: list[Block], reasons: list[str | None]) -> None:
    """Drops a thread of readers' comments, each signed below its text ("Posted by: Ellen at
    September 10, 2012 11:40 AM", "Ellen | 10 September 2012"), when no heading opened it: at
    least MIN_SIGNED_COMMENTS signed stretches in a row, each short and under no headline of its
    own, below a story's worth of prose. (A blog's front page signs its posts the same way, but
    each post stands under its headline.)"""
    signed = [i for i, block in enumerate(blocks) if _is_signature(block.text)]
    if len(signed) < bp.MIN_SIGNED_COMMENTS:
        return
    prose = [max(story_value(block), 0) if reason is None else 0 for block, reason in zip(blocks, reasons, strict=True)]
    above = [0, *accumulate(prose)]  # above[i]: the prose before block i
    needed = min(bp.STORY_WORDS_ABOVE_COMMENTS, above[-1] / 2)
    stretches = [(start + 1, end) for start, end in zip([-1, *signed], signed, strict=False)]
    run: list[tuple[int, int]] = []
    for first, last in [*stretches, (len(blocks), len(blocks))]:  # a last empty stretch ends any run
        if last < len(blocks) and _reads_as_comment(blocks, reasons, first, last) and above[first] >= needed:
            run.append((first, last))
            continue
        if len(run) >= bp.MIN_SIGNED_COMMENTS:
            for j in range(run[0][0], run[-1][1] + 1):
                reasons[j] = _in_comments(reasons[j])
            for _, signature in run:
                reasons[signature] = bp.SIGNATURE_REASON
        run = []


def _is_signature(text: str) -> bool:
    return text.count(" ") < bp.SIGNATURE_MAX_WORDS and bool(bp.COMMENT_SIGNATURE.match(text))


def _reads_as_comment(blocks: list[Block], reasons: list[str | None], first: int, last: int) -> bool:
    """Blocks first..last (a signature) read as one reader's comment: short, with no headline kept
    among them."""
    words = sum(blocks[j].text.count(" ") + 1 for j in range(first, last))
    headed = any(reasons[j] is None and blocks[j].tag in HEADING_TAGS for j in range(first, last))
    return words <= bp.SIGNED_COMMENT_MAX_WORDS and not headed


def _drop_comment_section(blocks: list[Block], reasons: list[str | None], page_like: bool = False) -> None:
    """Everything after a comment section's heading ("12 Comments", "Leave a Reply") or its first
    comment's signature ("Birgit sagt:" above the comment's date) goes, once a story's worth of
    prose lies above it: below are readers' comments, not the story. A section opened by a count
    ("4 comments" under a post on a blog's front page) ends at the next post's headline; a bare
    "Comment" over prose, with another such heading below, is the story's own subheading. In a text
    dump, "Comments:" over a line of its count is a statistic's label (text.py labels_a_count), and
    "Comments" over a row of menu lines a toolbar's link (text.py heads_a_toolbar), not a heading."""
    prose = [story_value(block) if reason is None else 0 for block, reason in zip(blocks, reasons, strict=True)]
    total = sum(max(value, 0) for value in prose)
    above, i = 0, 0
    while i < len(blocks):
        opens = _opens_comments(blocks, reasons, i) and not (
            page_like
            and (
                labels_a_count(blocks, i)
                or heads_a_toolbar(blocks, reasons, i, above, total - above)
                or closes_a_post(blocks, i)
            )
        )
        story_above = above >= min(bp.STORY_WORDS_ABOVE_COMMENTS, total / 2) or (
            above >= bp.SENTENCE_MIN_WORDS and bool(bp.COMMENT_FORM_TITLE.match(blocks[i].text))
        )
        if opens and story_above and not _is_subheading(blocks, reasons, i):
            end = _next_post(blocks, reasons, i) if _is_comment_count(blocks[i].text) else len(blocks)
            for j in range(i, end):
                reasons[j] = _in_comments(reasons[j])
            i = end
            continue
        above += max(prose[i], 0)
        i += 1


def _in_comments(reason: str | None) -> str:
    """A block's reason once it lies in a comment section: a date line there is a comment's
    signature (it dates the comment, not the story); other reasons stay."""
    if reason is None:
        return bp.COMMENT_REASON
    return bp.SIGNATURE_REASON if reason == "dateline" else reason


def _is_subheading(blocks: list[Block], reasons: list[str | None], i: int) -> bool:
    """A bare "Comment" heading (HTML) with another heading over prose below it, as a story's
    subheadings come ("Comment", "Briefing", "Data" over a list's points): a section of the
    story, not of readers' comments."""
    if not (blocks[i].tag in HEADING_TAGS and bp.BARE_COMMENT_HEADING.match(blocks[i].text)):
        return False
    return _next_post(blocks, reasons, i) < len(blocks)


def _is_comment_count(text: str) -> bool:
    """A comment section's heading that counts its comments ("4 comments", "Comments (12)")."""
    return bool(bp.COMMENT_SECTION_START.match(text) and bp.COMMENT_COUNT.match(text))


def _next_post(blocks: list[Block], reasons: list[str | None], start: int) -> int:
    """Where the next post begins below a comment count: a headline the rules kept (an HTML
    heading) with prose under it before any other heading; len(blocks) if none."""
    for i in range(start + 1, len(blocks)):
        if reasons[i] is None and blocks[i].tag in HEADING_TAGS and _prose_below(blocks, reasons, i):
            return i
    return len(blocks)


def _prose_below(blocks: list[Block], reasons: list[str | None], heading: int) -> bool:
    for block, reason in zip(blocks[heading + 1 :], reasons[heading + 1 :], strict=False):
        if block.tag in HEADING_TAGS:
            return False
        if reason is None and story_value(block) > 0:
            return True
    return False


def _drop_related_sections(blocks: list[Block], reasons: list[str | None]) -> None:
    """Drops each list of other articles' headlines ("Other news:", "More articles in Soccer",
    "Don't Miss") below a story's worth of prose: the heading, then every block after it that
    reads as a headline (no sentence's end), up to the next prose. A heading with prose right
    below it ("More from the minister" above a paragraph) is the story's own subheading."""
    prose = [story_value(block) if reason is None else 0 for block, reason in zip(blocks, reasons, strict=True)]
    needed = min(bp.STORY_WORDS_ABOVE_COMMENTS, sum(max(value, 0) for value in prose) / 2)
    above, i = 0, 0
    while i < len(blocks):
        if reasons[i] in (None, bp.RELATED_REASON) and above >= needed and _heads_related(blocks[i].text):
            end = i + 1
            while end < len(blocks) and (reasons[end] is not None or _reads_as_headline(blocks[end].text)):
                end += 1
            if any(reasons[j] is None for j in range(i + 1, end)):
                for j in range(i, end):
                    reasons[j] = reasons[j] or bp.RELATED_REASON
                i = end
                continue
        above += max(prose[i], 0)
        i += 1


def _heads_related(text: str) -> bool:
    return text.count(" ") < bp.RELATED_HEADING_MAX_WORDS and bool(bp.RELATED_SECTION.match(text))


def _reads_as_headline(text: str) -> bool:
    """Another article's headline: short, not closed like a sentence."""
    return text.count(" ") < bp.HEADLINE_MAX_WORDS and not bp.SENTENCE_CLOSE.search(text)


def _opens_comments(blocks: list[Block], reasons: list[str | None], i: int) -> bool:
    """A comment section's heading, or its first comment's author line above the comment's date.
    A count that is a link ("4 comments" under a post, pointing to its thread) heads nothing here."""
    text = blocks[i].text
    if bp.COMMENT_SECTION_START.match(text):
        return not (blocks[i].link_density > bp.MAX_PARAGRAPH_LINK_SHARE and bp.COMMENT_COUNT.match(text))
    return i + 1 < len(blocks) and reasons[i + 1] == "dateline" and bool(bp.COMMENT_AUTHOR.match(text))


def lead_title(paragraph: str) -> str:
    """A display title for an article without a headline: its first sentence (after any wire
    dateline: "ANKARA (Reuters) - "), cut at a word."""
    opening = wire_dateline(paragraph)
    paragraph = paragraph[opening.end() :] if opening else paragraph
    match = FIRST_SENTENCE.match(paragraph)
    sentence = match.group(1) if match else paragraph
    if len(sentence) <= bp.LEAD_TITLE_MAX_CHARS:
        return sentence
    return sentence[: bp.LEAD_TITLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
