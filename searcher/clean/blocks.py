"""The unit the cleaner judges: a block of text (a line of a text dump, a block element of a page)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from searcher.clean import rules as bp

# C0 and C1 control characters except tab and newline: never story text, and unsafe on a terminal.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Invisible hints of a page's layout, not of its text: a soft hyphen (where a line may break: German
# pages set one every few letters, "Mit\u00adtel\u00adal\u00adter"), a word joiner and a zero-width
# no-break space. Left in, a cleaned story's "Mittelalter" is not found by grep or by another tool
# reading the JSON. (Zero-width joiners and non-joiners stay: Persian and Indic scripts and emoji
# spell with them; a zero-width space stays: Thai and Khmer break words with it.)
LAYOUT_HINTS = dict.fromkeys(map(ord, "\u00ad\u2060\ufeff"))


@dataclass(frozen=True)
class Block:
    """A unit of text the classifier keeps or drops, with what its source says about it."""

    text: str
    tag: str = ""  # HTML tag, empty for text lines
    link_density: float = 0.0  # share of the text inside links (HTML only)
    followed_by_blank: bool = False  # text only: a blank line after it, as after a headline
    in_article: bool = False  # HTML only: inside an <article>, <main> or itemprop=articleBody element
    lines: tuple[str, ...] = ()  # text only: the lines a paragraph was rebuilt from, when more than one
    table_row: bool = False  # text only: cells parted by tabs, as a browser copies a table's row


def normalize(text: str) -> str:
    """Unicode NFC, no control characters or layout hints, single spaces, one line: what every stored
    block looks like.
    (split() and join() collapse the same whitespace as re's \\s+ and strip(), str.isspace's, in a
    third of the time, on every block and every dropped element's text.)"""
    return " ".join(CONTROL_CHARS.sub(" ", unicodedata.normalize("NFC", text.translate(LAYOUT_HINTS))).split())


def visible_line(line: str) -> str:
    """A line of a text dump as normalize() leaves it, or "" when nothing of it shows: a line of
    zero-width spaces or joiners (a page's spacer paragraphs, saved as text) is a blank line."""
    line = normalize(line)
    return line if any(unicodedata.category(char) != "Cf" for char in line) else ""


def text_blocks(text: str) -> list[Block]:
    """One block per non-empty line of a scraped text dump."""
    lines = [visible_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    blocks = []
    for i, line in enumerate(lines):
        if line:
            blank_after = i + 1 < len(lines) and not lines[i + 1]
            blocks.append(Block(line, followed_by_blank=blank_after))
    return blocks


# A text is hard-wrapped (a text browser's dump, newswire) when, of its lines at least half as long as
# its longest, this share ends within WRAP_SLACK characters of that longest: a wrapped paragraph's
# lines all end near the wrap column, while lines of a text saved a paragraph a line end anywhere.
WRAPPED_SHARE = 0.4
WRAP_SLACK = 15
WRAPPED_MIN_LINES = 3  # fewer lines near the column than this say nothing about wrapping
# A wrapped line ends where the column falls, mostly inside a sentence (about one in eight ends one in
# newswire and text-browser dumps); lines of similar length that end sentences are sentences a line.
WRAPPED_ENDED_SHARE = 0.5
# Wrap columns seen in the wild lie between these: newswire at about 65, e-mail and text browsers at
# 72 to 80; lines of a text saved a paragraph a line that all end near 40 are short paragraphs.
WRAP_MIN_COLUMN = 55
WRAP_MAX_COLUMN = 200
# A line continues the sentence above it when it starts in lower case or with a closing punctuation
# mark (a link or <br> split inside a sentence), unless the line above ends a sentence.
CONTINUES = re.compile(r"^(?:[a-zà-ÿ]|[,;:)\]»”’]\s)")
ENDS_SENTENCE = re.compile(r"[.!?…:;。！？][\"'”’»)\]]*$")
LIST_START = re.compile(r"^(?:[-*•·▪+]\s|\d{1,3}[.)]\s|\(\w\)\s)")
FRAGMENT_MIN_WORDS = 3  # a shorter line above a lower-case one is a menu item as often as a fragment


def text_paragraphs(text: str) -> list[Block]:
    """The paragraphs of a text dump, rebuilt from its lines: a line wrapped at the text's wrap
    column, or split inside a sentence, is joined to the one it continues; everything else (list
    items, table rows, headings, menu items) stays a block of its own. Judging paragraphs rather
    than lines keeps a wrapped paragraph from reading as a run of short furniture lines."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [visible_line(line) for line in raw]
    rows = {i for i, line in enumerate(raw) if "\t" in line.strip()}
    column = _wrap_column(lines)
    groups: list[list[int]] = []
    for i, line in enumerate(lines):
        if not line:
            continue
        previous = groups[-1][-1] if groups else -1
        indented = _indent(raw[i]) > _indent(raw[previous]) if previous >= 0 else False
        joins = previous == i - 1 and not indented and not {i, previous} & rows
        if groups and joins and _continues(lines[previous], line, column):
            groups[-1].append(i)
        else:
            groups.append([i])
    return [
        _paragraph([lines[i] for i in group], group[-1] + 1 < len(lines) and not lines[group[-1] + 1], group[0] in rows)
        for group in groups
    ]


def _paragraph(lines: list[str], blank_after: bool, table_row: bool = False) -> Block:
    text = lines[0]
    for line in lines[1:]:
        hyphenated = text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line[:1].isalpha()
        text = text + line if hyphenated else f"{text} {line}"
    lines_kept = tuple(lines) if len(lines) > 1 else ()
    return Block(text, followed_by_blank=blank_after, lines=lines_kept, table_row=table_row)


def _wrap_column(lines: list[str]) -> int | None:
    """The column a hard-wrapped text is wrapped at, or None when its lines are not wrapped."""
    lengths = [len(line) for line in lines if " " in line]
    if not lengths or not WRAP_MIN_COLUMN <= max(lengths) <= WRAP_MAX_COLUMN:
        return None
    column = max(lengths)
    long = [n for n in lengths if n >= column / 2]
    near = [line for line in lines if " " in line and len(line) >= column - WRAP_SLACK]
    ended = sum(bool(ENDS_SENTENCE.search(line)) for line in near)
    if (
        len(near) < WRAPPED_MIN_LINES
        or len(near) < WRAPPED_SHARE * len(long)
        or ended > WRAPPED_ENDED_SHARE * len(near)
    ):
        return None
    return column


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _continues(above: str, line: str, column: int | None) -> bool:
    """Whether `line` carries on the paragraph of the line above it (an indented line opens one)."""
    if LIST_START.match(line):
        return False
    if column and len(above) + 1 + len(line.split(" ", 1)[0]) > column:
        return True  # its first word did not fit on the line above: the text was wrapped there
    if ENDS_SENTENCE.search(above) or not CONTINUES.match(line):
        return False
    if bp.TEXT_COMMENT_SIGNATURE.match(above):
        return False  # a comment's signature ("Nov 3, 2025 8:14 AM reply") is whole: a handle may follow it
    return above.count(" ") + 1 >= FRAGMENT_MIN_WORDS or above.endswith(",")
