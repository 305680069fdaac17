"""Markdown as the text of an article: the words a reader sees, without the markup around them."""

from __future__ import annotations

import re

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~|`)(?=\S)(.+?)(?<=\S)\1")
QUOTE_OR_LIST = re.compile(r"^\s{0,3}(?:>\s?)+|^\s{0,3}(?:[-*+]|\d+[.)])\s+")
RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def markdown_text(text: str) -> str:
    """One line per line of the document, headings, quotes and list items as their text; links
    as their words, images as their alt text; fenced code kept as it is."""
    lines, in_code = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            lines.append(line)
            continue
        if RULE.match(line) or REFERENCE.match(line):
            lines.append("")
            continue
        heading = HEADING.match(line)
        line = heading.group(1) if heading else QUOTE_OR_LIST.sub("", line)
        line = IMAGE.sub(r"\1", line)
        line = LINK.sub(lambda m: m.group(1) or m.group(2), line)
        line = HTML_TAG.sub("", line)
        lines.append(EMPHASIS.sub(r"\2", line))
    return "\n".join(lines)
