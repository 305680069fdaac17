"""Snippets: the one or two passages of an article that best show why it matched.

A passage is about SNIPPET_CHARS long, starts at a sentence when one begins nearby, ends at a word,
and carries the character spans of every matched word in it, for highlighting.
"""

from __future__ import annotations

from searcher.analysis import find_terms

SNIPPET_CHARS = 200
# How far back a passage may reach for the start of its sentence.
SENTENCE_REACH = 60
# A second passage is added only when it shows query words the first does not.
SEPARATOR = " … "

Spans = tuple[tuple[int, int], ...]


def make_snippet(body: str, terms: set[str]) -> tuple[str, Spans]:
    """The best passage around the densest cluster of matched words, plus a second one when it
    shows words the first lacks; with the spans of the matched words in the result."""
    matches = find_terms(body, terms) if terms else []
    if not matches:
        return _cut(body, 0, [])
    best = max(range(len(matches)), key=lambda i: _window_score(body, matches, i, set()))
    start = _snippet_start(body, matches[best][0])
    first, first_spans = _cut(body, start, matches)
    shown = {body[s:e].lower() for s, e in matches if start <= s < start + SNIPPET_CHARS}
    outside = [i for i, (s, _) in enumerate(matches) if not start <= s < start + SNIPPET_CHARS]
    if not outside:
        return first, first_spans
    second_best = max(outside, key=lambda i: _window_score(body, matches, i, shown))
    if _window_score(body, matches, second_best, shown)[0] == 0:
        return first, first_spans
    second, second_spans = _cut(body, _snippet_start(body, matches[second_best][0]), matches)
    order = [(start, first, first_spans), (matches[second_best][0], second, second_spans)]
    order.sort(key=lambda item: item[0])
    (_, a, a_spans), (_, b, b_spans) = order
    a, trimmed = a.removesuffix("…"), b.removeprefix("…")
    offset = len(a) + len(SEPARATOR) - (len(b) - len(trimmed))
    return a + SEPARATOR + trimmed, tuple(a_spans) + tuple((s + offset, e + offset) for s, e in b_spans)


def _window_score(body: str, matches: list[tuple[int, int]], first: int, shown: set[str]) -> tuple[int, int]:
    """New distinct matched words in the window starting at match `first`, then matches in it."""
    end = matches[first][0] + SNIPPET_CHARS
    inside = [m for m in matches[first:] if m[1] <= end]
    return len({body[s:e].lower() for s, e in inside} - shown), len(inside)


def _snippet_start(body: str, match_start: int) -> int:
    """Starts at the sentence's start when it is close, else at a word boundary a little before."""
    floor = max(0, match_start - SENTENCE_REACH)
    sentence = max(body.rfind(". ", floor, match_start), body.rfind("\n", floor, match_start))
    if sentence >= 0:
        return sentence + 1
    if floor == 0:
        return 0
    space = body.find(" ", max(0, match_start - SENTENCE_REACH // 2), match_start)
    return space + 1 if space >= 0 else match_start


def _cut(body: str, start: int, matches: list[tuple[int, int]]) -> tuple[str, Spans]:
    while start < len(body) and body[start].isspace():
        start += 1
    end = min(len(body), start + SNIPPET_CHARS)
    if end < len(body):
        space = body.rfind(" ", start, end)
        end = space if space > start else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(body) else ""
    text = prefix + body[start:end].replace("\n", " ") + suffix
    spans = tuple((s - start + len(prefix), e - start + len(prefix)) for s, e in matches if s >= start and e <= end)
    return text, spans
