"""Text dumps: where a scraped page's story lies among its lines, and which line is its headline.

A scraped page's text holds menus and footers around the story; the story is the stretch of lines
with the most prose (Finn's Body Text Extraction), and its headline the short line just above it.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from functools import lru_cache
from statistics import median_low

from searcher.clean import rules as bp
from searcher.clean.blocks import Block
from searcher.models import CleanedDocument, DroppedBlock

OUTSIDE = "outside the story"

# Chinese, Japanese and Korean prose has no spaces between words: its words are counted as its
# ideographs and kana (and Hangul syllables) over CJK_CHARS_PER_WORD, about what a segmenter finds in
# news text; a sentence ends in an ideographic full stop, question or exclamation mark.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
CJK_CHARS_PER_WORD = 2
# A run of short lines inside a story (a product's price and where to buy it, a small table, the
# subheadings of a guide) is not where it ends unless the rules drop one of its lines or it is this
# long: split at every run of GAP_LINES, a structured article kept a third of itself on WCXB pages.
LONG_GAP_LINES = 9
CJK_SENTENCE_CLOSE = re.compile(r"[。！？][」』”’）)]*\s*$")


def crop_to_story(blocks: list[Block], reasons: list[str | None], values: list[float]) -> int:
    """Drops what lies outside the story's stretch of a scraped page; returns where the story starts.

    The stretch is the run of blocks with the greatest sum of values, prose counting for its words
    and every other block against (the idea of Finn's Body Text Extraction): menus and footers
    around a story are short lines, and a short line inside it (a subheading) is outweighed by the
    paragraphs on both sides. A text whose best stretch holds no prose (a results table, no
    story in sight) is left whole. Each line's value is given (stretch.py line_values: the mean of
    rule_line_values and a trained model's value).
    """
    best = (0, 0, 0)  # (sum, start, end)
    total, start = 0, 0
    for i, value in enumerate(values):
        if total <= 0:
            total, start = 0, i
        total += value
        if total > best[0]:
            best = (total, start, i + 1)
    _, first, end = best
    if not any(reasons[i] is None and crop_value(blocks[i]) > 0 for i in range(first, end)):
        return 0  # no prose in it (a table of results, a list of figures): nothing says where a story is
    first, end = _main_stretch(blocks, values, reasons, first, end)
    while end < len(blocks) and reasons[end] is None and _lists(blocks[end]):
        end += 1  # a list or table closing the story (results, dates, figures) is part of it
    while first > 0 and reasons[first - 1] is None and _lists(blocks[first - 1]):
        first -= 1  # and one opening it (a company's results, then a note on them)
    for i in [*range(first), *range(end, len(blocks))]:
        reasons[i] = reasons[i] or OUTSIDE
    return first


def rule_line_values(blocks: list[Block], reasons: list[str | None]) -> list[int]:
    """Each line's value for the story by hand-set rules (see crop_value), one of the crop's
    model's features; the lines of a hard-wrapped paragraph (long lines running on without a
    sentence's end, the last one ending it, as in newswire text) all count as the prose they are."""
    values = [
        crop_value(block) if reason is None else -bp.NON_PROSE_COST
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


def crop_value(block: Block) -> int:
    """story_value, with the words of CJK prose counted (story_value counts spaces, which that
    prose has none of: its every paragraph would read as one word of furniture); a long line in
    title case or of link texts run together counts against, as long as it is, and a table's row
    costs the story what a list's item does."""
    ideographs = len(CJK.findall(block.text))
    if ideographs < bp.PROSE_MIN_WORDS:
        value = story_value(block)
        if value > 0 and not bp.SENTENCE_CLOSE.search(block.text) and is_title_cased(block.text):
            return _against(value)  # a long headline in a sidebar's list
        if value > 0 and glues_links(block.text):
            return _against(value)
        if value < 0 and block.table_row:
            return -bp.NON_PROSE_COST  # a table's row, as a list's item: a story's table costs it little
        return value
    words = ideographs // CJK_CHARS_PER_WORD + block.text.count(" ") + 1
    if words >= bp.PROSE_MIN_WORDS or (words >= bp.SENTENCE_MIN_WORDS and CJK_SENTENCE_CLOSE.search(block.text)):
        return words
    return _against(words)


# Words run together where one link's text ends and the next begins ("AllePanoramaGesellschaft",
# "printing5GAcademic partnershipsChatbot"): a menu or a list of options saved without the breaks
# between its items. Prose runs a brand's name together now and then (YouTube, LinkedIn), not this
# often: GLUED_MIN_JOINS at half the line's words, or GLUED_ALWAYS_JOINS in any line.
GLUED = re.compile(r"[a-zà-ÿ]{2}[A-ZÀ-Ý][a-zà-ÿ]")
GLUED_MIN_JOINS = 4
GLUED_SHARE = 0.5
GLUED_ALWAYS_JOINS = 20


def glues_links(text: str) -> bool:
    """Whether a line is link texts run together (see GLUED)."""
    joins = len(GLUED.findall(text))
    return joins >= GLUED_ALWAYS_JOINS or (joins >= GLUED_MIN_JOINS and joins >= GLUED_SHARE * (text.count(" ") + 1))


def _main_stretch(
    blocks: list[Block], values: list[int], reasons: list[str | None], first: int, end: int
) -> tuple[int, int]:
    """The story's part of the stretch: split where GAP_LINES lines in a row are not prose and the
    rules dropped one of them (a caption, share links, a dateline), or where LONG_GAP_LINES are not,
    the part with the most prose, joined by every part above it (a story's opening above a chart or
    an inset box is often short; menus above a story are no prose, and the stretch never reaches
    prose beyond them: leaving one extraction set out, every fold chose joining them all) and by
    the parts below it, each holding a good share as much as the part above it (a listicle's items
    shrink down the page, a sidebar below a story is a fraction of it); never by a part below a
    split holding a related-articles heading ("Related Stories"): the prose under it is other
    articles' teasers."""
    parts, walls, start, i = [], set(), first, first
    while i < end:
        if values[i] >= 0 and reasons[i] is None:
            i += 1
            continue
        gap = i
        while i < end and (values[i] < 0 or reasons[i] is not None):
            i += 1
        ruled = any(reasons[j] is not None for j in range(gap, i))
        related = any(reasons[j] == bp.RELATED_REASON and _heads_related(blocks[j].text) for j in range(gap, i))
        if i - gap >= LONG_GAP_LINES or (i - gap >= bp.GAP_LINES and ruled):
            parts.append((start, gap))
            start = i
            if related:
                walls.add(len(parts))  # the part starting here does not join the one above
    parts.append((start, end))
    prose = [sum(max(values[i], 0) for i in range(a, b) if reasons[i] is None) for a, b in parts]
    main = max(range(len(parts)), key=prose.__getitem__)
    high = main
    while high + 1 < len(parts) and high + 1 not in walls and prose[high + 1] >= bp.PART_SHARE * prose[high]:
        high += 1
    return parts[0][0], parts[high][1]


BULLET = re.compile(r"^(?:[*•·▪|-]\s+)+|(?:\s+\|)+$")  # a bullet, or the pipes between links in a row
# A title-cased line has this many capitalised words of TITLE_WORD's length at least, and this share.
TITLE_WORD = re.compile(r"[^\W\d_]{4,}")
TITLE_CASE_MIN_WORDS = 3
TITLE_CASE_SHARE = 0.8
FURNITURE = "share/navigation furniture"
COOKIE_NOTICE = "cookie notice"


def drop_text_furniture(blocks: list[Block], reasons: list[str | None]) -> None:
    """What a page marks as furniture by its links, which its text no longer shows: pointers to
    other articles ("Lea también: ..."), lists of them under their heading ("Ähnliche Beiträge"),
    share, like and tag lines, a blog entry's closing meta line; then readers' comment threads."""
    for i, block in enumerate(blocks):
        if reasons[i] is None:
            reasons[i] = text_furniture(block.text)
    _drop_related_lists(blocks, reasons)
    drop_comment_threads(blocks, reasons)
    drop_comment_form(blocks, reasons)


def drop_cookie_notices(blocks: list[Block], reasons: list[str | None]) -> None:
    """A cookie banner's lines, which a page marks by its classes and a text dump no longer does:
    dropped before comment sections and the story's stretch are looked for, as its words are no
    story's prose."""
    for i, block in enumerate(blocks):
        short = block.text.count(" ") < bp.COOKIE_NOTICE_MAX_WORDS
        if reasons[i] is None and short and bp.TEXT_COOKIE_NOTICE.search(block.text):
            reasons[i] = COOKIE_NOTICE


def text_furniture(text: str) -> str | None:
    """Why a line of a text dump is furniture no rule for HTML needs to know, or None (a text
    browser's "* " before a list item, as before each share link, or a "|" between the links of
    a row, is not part of the line)."""
    text = BULLET.sub("", text)
    words = text.count(" ") + 1
    if words <= bp.FURNITURE_MAX_WORDS and bp.TEXT_FURNITURE.match(text):
        return FURNITURE
    if words <= bp.CREDIT_MAX_WORDS and bp.TEXT_CREDIT_LINE.match(text) and not bp.SENTENCE_END.search(text):
        return "photo credit"
    if bp.TEXT_RELATED_MARKER.match(text) and not bp.SENTENCE_CLOSE.search(text):
        return bp.RELATED_REASON
    if words <= bp.RELATED_HEADING_MAX_WORDS and bp.TEXT_RELATED_HEADING.match(text):
        return bp.RELATED_REASON
    if words <= bp.SITE_NOTICE_MAX_WORDS and bp.ENTRY_META.match(text):
        return FURNITURE
    return None


def drop_comment_form(blocks: list[Block], reasons: list[str | None]) -> None:
    """Drops a comment form below a story and everything after it: from its heading ("Leave a
    Reply", a few lines above the line where the form speaks of itself: "Your email address will
    not be published") to the end. Comments stand above or below the form, the footer below it;
    no set has a story below one."""
    form = next((i for i, block in enumerate(blocks) if bp.TEXT_COMMENT_FORM.search(block.text)), None)
    if form is None or _prose_words(blocks[:form], reasons[:form]) < bp.SENTENCE_MIN_WORDS:
        return
    start = form
    for i in range(form - 1, max(form - 1 - bp.COMMENT_FORM_LEAD_LINES, -1), -1):
        if bp.COMMENT_SECTION_START.match(blocks[i].text):
            start = i
            break
        if story_value(blocks[i]) > 0:
            break
    for i in range(start, len(blocks)):
        reasons[i] = reasons[i] or bp.COMMENT_REASON


def _drop_related_lists(blocks: list[Block], reasons: list[str | None]) -> None:
    """Below each related-articles heading, the headlines it lists (short lines not closed like a
    sentence), up to the next prose."""
    for i, block in enumerate(blocks):
        if reasons[i] != bp.RELATED_REASON or not _heads_related(block.text):
            continue
        j = i + 1
        while j < len(blocks) and (reasons[j] is not None or _lists_a_headline(blocks[j])):
            reasons[j] = reasons[j] or bp.RELATED_REASON
            j += 1


def _heads_related(text: str) -> bool:
    return text.count(" ") < bp.RELATED_HEADING_MAX_WORDS and bool(
        bp.TEXT_RELATED_HEADING.match(text) or bp.RELATED_SECTION.match(text)
    )


def _lists_a_headline(block: Block) -> bool:
    """Another article's headline: short, and not closed like a sentence or in title case."""
    return block.text.count(" ") < bp.HEADLINE_MAX_WORDS and (story_value(block) < 0 or is_title_cased(block.text))


def is_title_cased(text: str) -> bool:
    """Capitalised Like A Headline ("Do Big Storms Hurt the Economy?"): nearly every longer word
    starts in capitals, which no sentence of prose does (German capitalises its nouns, not all)."""
    long = [word for word in TITLE_WORD.findall(text) if word.lower() not in bp.STOPWORDS]
    capitals = sum(word[0].isupper() for word in long)
    return capitals >= TITLE_CASE_MIN_WORDS and capitals >= TITLE_CASE_SHARE * len(long)


# What may lie between two runs of comment signatures, all of it comments then: lines kept so far
# and commenters' links (a blog's front page has its posts' own furniture between their threads).
COMMENTS_OR_KEPT = (None, "link spam")


def drop_comment_threads(blocks: list[Block], reasons: list[str | None]) -> None:
    """Drops a readers' comment thread below a story: from the first of a run of comment
    signatures signed alike ("(Score:5, Insightful)", "NAME on DATE said:", "Reply") to the end of
    the last comment. A text dump has no markup to say where comments start, and readers' words
    read as prose; only signatures repeated over short stretches tell them from a story that quotes."""
    signed = [(i, kind) for i, block in enumerate(blocks) if (kind := comment_signature(block.text))]
    threads: list[tuple[int, int]] = []
    for run in _signature_runs(signed):
        start = _thread_start(blocks, reasons, run)
        if start is None or _prose_words(blocks[:start], reasons[:start]) < _story_needed(blocks[start]):
            continue  # no kind of signature repeats, or the text is a thread from its first lines
        threads.append((start, _last_comment_end(blocks, reasons, run)))
    between = [  # comments signed otherwise between two runs of signatures
        (end, next_start)
        for (_, end), (next_start, _) in itertools.pairwise(threads)
        if end < next_start and all(reasons[i] in COMMENTS_OR_KEPT for i in range(end, next_start))
    ]
    for start, end in threads + between:
        for i in range(start, end):
            reasons[i] = reasons[i] or bp.COMMENT_REASON


def _story_needed(opening: Block) -> int:
    """The prose a thread needs above it to be a story's comments: THREAD_STORY_ABOVE_WORDS, or
    any sentence when a comment section's heading opens the thread ("57 Comments" under a
    photo's two lines): a forum's saved page opens with its first post, not with such a count."""
    if bp.COMMENT_SECTION_START.match(opening.text):
        return bp.SENTENCE_MIN_WORDS
    return bp.THREAD_STORY_ABOVE_WORDS


def _last_comment_end(blocks: list[Block], reasons: list[str | None], run: list[tuple[int, str]]) -> int:
    """Where the last comment's body ends below the run's last signature: at the page's next
    furniture; but when more prose than a long comment's (SIGNED_COMMENT_MAX_WORDS) lies before
    it, in paragraphs (a paragraph's words a line on average, where a sidebar has short lines),
    no further than the run's widest spacing between two signatures: a listing's bylines over
    the story's sidebar sign no comment, and the story below them is no comment's body."""
    places = [i for i, _ in run]
    end, prose = places[-1] + 1, 0
    while end < len(blocks) and reasons[end] is None:
        prose += max(story_value(blocks[end]), 0)
        end += 1
    if prose <= bp.SIGNED_COMMENT_MAX_WORDS or prose < bp.PROSE_MIN_WORDS * (end - places[-1] - 1):
        return end  # a comment, or the sidebar and footer below the thread
    reach = max(b - a for a, b in itertools.pairwise(places))
    return min(end, places[-1] + reach)


def comment_signature(text: str) -> str | None:
    """The kind of line it is when it scores, signs or answers a comment ("score" for "(Score:2)",
    "signed" for "by NAME writes:", "action" for "Reply"), else None."""
    if text.count(" ") >= bp.TEXT_COMMENT_SIGNATURE_MAX_WORDS:
        return None
    match = bp.TEXT_COMMENT_SIGNATURE.match(text)
    return match.lastgroup if match else None


def _signature_runs(signed: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """The signatures grouped where each lies close below the one before, the runs long enough."""
    runs: list[list[tuple[int, str]]] = []
    for i, kind in signed:
        if runs and i - runs[-1][-1][0] <= bp.THREAD_MAX_GAP:
            runs[-1].append((i, kind))
        else:
            runs.append([(i, kind)])
    return [run for run in runs if len(run) >= bp.THREAD_MIN_SIGNATURES]


def _thread_start(blocks: list[Block], reasons: list[str | None], run: list[tuple[int, str]]) -> int | None:
    """Where the thread opens: the first signature of a kind the run repeats, with the first
    comment's subject and the thread's heading ("12 Comments"), short lines just above, taken in."""
    kinds = Counter(kind for _, kind in run)
    first = next((i for i, kind in run if kinds[kind] >= bp.THREAD_MIN_SIGNATURES), None)
    if first is None:
        return None
    start = first - _signed_below(blocks, reasons, run, first) + 1
    while start > 0 and first - start < bp.THREAD_LEAD_LINES:
        above = blocks[start - 1]
        if bp.SENTENCE_CLOSE.search(above.text) or story_value(above) > 0:
            break
        start -= 1
    if start > 0 and bp.COMMENT_SECTION_START.match(blocks[start - 1].text):
        start -= 1
    return start


def _signed_below(blocks: list[Block], reasons: list[str | None], run: list[tuple[int, str]], first: int) -> int:
    """How many lines the first comment takes up to its signature when the signature closes each
    comment ("Reply" under its words): as many as lie between one signature and the next, commonly
    (its author, date and words), when they start as the second comment does (an author's name,
    or prose); 1 when the signature opens each comment (the last comment's words follow the last
    signature), or when the lines above start otherwise (the story's own "12 likes" under it)."""
    kind = next(k for i, k in run if i == first)
    places = [i for i, k in run if k == kind]
    after = places[-1] + 1
    if kind not in bp.SIGNED_BELOW_KINDS or (after < len(blocks) and _is_prose(blocks[after], reasons[after])):
        return 1
    lines = median_low([b - a for a, b in itertools.pairwise(places)])
    top = first - lines + 1
    if top < 0 or _is_prose(blocks[top], reasons[top]) != _is_prose(blocks[first + 1], reasons[first + 1]):
        return 1
    return lines


def _is_prose(block: Block, reason: str | None) -> bool:
    return reason is None and story_value(block) > 0


def _prose_words(blocks: list[Block], reasons: list[str | None]) -> int:
    return sum(max(story_value(b), 0) for b, r in zip(blocks, reasons, strict=True) if r is None)


COUNT = re.compile(r"\d[\d.,  ]*")


def labels_a_count(blocks: list[Block], i: int) -> bool:
    """A label whose value is the next line, a number alone: "Comments:" over "1664", among a
    page's statistics (a text dump keeps them a line each, as it does a heading)."""
    return blocks[i].text.endswith(":") and i + 1 < len(blocks) and bool(COUNT.fullmatch(blocks[i + 1].text))


# A comment section's heading in a text dump has its first comment's words within this many lines
# (a name, a date, then prose); "Comments" over a row of menu lines is a toolbar's link to them.
HEADING_REACH_LINES = 4


def heads_a_toolbar(blocks: list[Block], reasons: list[str | None], i: int, prose_above: int, prose_below: int) -> bool:
    """A comment section's heading with no prose in the lines just below it, over more prose than
    lies above it: a link in the story's toolbar ("Comments", "Weigh In", "Corrections?", "E-mail"
    above the story), which a text dump no longer shows as one; the story below it is no comment.
    (Below a story, such a heading over a comment form and the footer opens the section.) So is a
    count of none, anywhere."""
    if bp.TEXT_NO_COMMENTS.match(blocks[i].text):
        return True  # "Comments (0)" under a post: no thread follows, the next post does
    if bp.COMMENT_COUNT.match(blocks[i].text) or bp.COMMENT_FORM_TITLE.match(blocks[i].text):
        return False  # a toolbar's link is the bare word; "40 Comments" over the sidebar heads a thread
    below = range(i + 1, min(i + 1 + HEADING_REACH_LINES, len(blocks)))
    return (
        prose_below > prose_above
        and len(below) == HEADING_REACH_LINES
        and not any(reasons[j] is None and story_value(blocks[j]) > 0 for j in below)
    )


TIME = re.compile(r"\d[:.]\d\d")
BARE_COUNT = re.compile(r"^\W*\d+\s+\w+\W*$|^\w+\s*\(\d+\)\W*$")  # "4 comments", "Comments (16)", nothing more


def closes_a_post(blocks: list[Block], i: int) -> bool:
    """A comment count ("4 comments") right above a day's date alone on its line and a headline: on
    a blog's front page saved as text, the count closes one post and the next post begins (HTML
    knows the count for a link, and the headline by its tag). A comment's date carries its time."""
    if not BARE_COUNT.match(blocks[i].text) or i + 2 >= len(blocks):
        return False  # "48 Responses to “TITLE”" over a comment's date and its author heads a thread
    date = blocks[i + 1].text
    return bool(bp.DATE_ONLY.match(date)) and not TIME.search(date) and is_headline(blocks[i + 2])


def headline_above(blocks: list[Block], reasons: list[str | None], start: int) -> int | None:
    """The headline just above the story, past any caption, credit or dateline between them."""
    for i in range(start - 1, max(start - 1 - bp.HEADLINE_LOOKBACK, -1), -1):
        if reasons[i] == OUTSIDE:
            return i if is_headline(blocks[i]) else None
    return None


def _lists(block: Block) -> bool:
    """A list's item or a table's row (see is_list_line), by its text or, copied from a browser,
    by the tabs between its cells."""
    return block.table_row or is_list_line(block.text)


def is_list_line(text: str) -> bool:
    """A list item (numbered, bulleted, dated) or a row of figures ("Shr 34 cts vs 1.19 dlrs")."""
    if bp.LIST_ITEM.match(text):
        return True
    words = text.split()
    return len(words) <= bp.DATA_ROW_MAX_WORDS and sum(any(c.isdigit() for c in w) for w in words) >= len(words) / 3


STORY_VALUES_KEPT = 4096  # lines whose story_value is remembered (a long page has a thousand)


def story_value(block: Block) -> int:
    """Prose counts for its words; a line without a sentence's ending (a menu item, a teaser's
    headline) counts against, as much as its words."""
    return _story_value(block.text)


@lru_cache(maxsize=STORY_VALUES_KEPT)
def _story_value(text: str) -> int:
    """story_value of a line's text, remembered: the classifier asks it of each line three times
    (comment runs, text furniture, the crop), and it was a tenth of text mode's time."""
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


def is_headline(block: Block) -> bool:
    """A first line that reads as a headline: short, and not closed like a sentence."""
    words = len(block.text.split())
    if not bp.HEADLINE_MIN_WORDS <= words <= bp.HEADLINE_MAX_WORDS or bp.SENTENCE_END.search(block.text):
        return False
    if block.text.rstrip().endswith(("?", "!")):
        return block.followed_by_blank
    return True


def back_to_lines(result: CleanedDocument, paragraphs: list[Block]) -> CleanedDocument:
    """The cleaned text with each rebuilt paragraph given back as the lines it was saved in: the
    paragraphs were judged whole, and what is kept or dropped is the user's own lines, unjoined."""
    lines_of = {block.text: block.lines for block in paragraphs if block.lines}
    if not lines_of:
        return result
    kept = tuple(line for paragraph in result.paragraphs for line in lines_of.get(paragraph, (paragraph,)))
    dropped = tuple(
        DroppedBlock(line, block.reason) for block in result.dropped for line in lines_of.get(block.text, (block.text,))
    )
    return result._replace(paragraphs=kept, dropped=dropped)
