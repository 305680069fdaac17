"""The unit the cleaner judges: a block of text (a line of a text dump, a block element of a page)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# C0 and C1 control characters except tab and newline: never story text, and unsafe on a terminal.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Block:
    """A unit of text the classifier keeps or drops, with what its source says about it."""

    text: str
    tag: str = ""  # HTML tag, empty for text lines
    link_density: float = 0.0  # share of the text inside links (HTML only)
    followed_by_blank: bool = False  # text only: a blank line after it, as after a headline
    in_article: bool = False  # HTML only: inside an <article>, <main> or itemprop=articleBody element


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
