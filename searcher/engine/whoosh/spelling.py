"""Did you mean: misspelled query words corrected from the index's own vocabulary, as whole words.

The index holds stems, not words, so a correction is found among the stems (within a small edit
distance, the most frequent first) and then shown as a word an article actually uses: the first
occurrence of that stem in a document that has it. A user never sees a stem such as "assassin".
"""

from __future__ import annotations

import re

from whoosh.searching import Searcher

from searcher.analysis import LETTERS, find_terms, news_analyzer
from searcher.engine.whoosh.bounds import fuzzy_terms

# A word as the analyzer reads it: a soft hyphen or zero-width character inside does not split it.
WORD = re.compile(rf"{LETTERS}(?:[-'\u2019]{LETTERS})*")
# Edit distance allowed: one for short words, where two would turn any word into any other.
SHORT_WORD = 5


def suggest(searcher: Searcher, text: str) -> str | None:
    """The query with each word the index does not know replaced by the closest word it does; None
    when there is nothing to correct. Meant for plain words (the search stage asks only for those)."""
    reader = searcher.reader()
    corrected, changed = text, False
    for match in reversed(list(WORD.finditer(text))):
        stems = [token.text for token in news_analyzer()(match.group(0))]
        if len(stems) != 1 or _frequency(reader, stems[0]):
            continue
        replacement = _closest(searcher, stems[0])
        if replacement:
            corrected = corrected[: match.start()] + replacement + corrected[match.end() :]
            changed = True
    return corrected if changed else None


def _frequency(reader, stem: str) -> int:  # noqa: ANN001 - whoosh reader
    return reader.doc_frequency("body", stem) + reader.doc_frequency("title", stem)


def _closest(searcher: Searcher, stem: str) -> str | None:
    reader = searcher.reader()
    distance = 1 if len(stem) < SHORT_WORD else 2
    candidates = [c for c in fuzzy_terms(reader, "body", stem, distance) if c != stem and _frequency(reader, c)]
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (_frequency(reader, c), c))
    return _surface_word(searcher, best)


def _surface_word(searcher: Searcher, stem: str) -> str | None:
    """A word as written in an article that analyzes to stem, lowercased, without a possessive."""
    for docnum in searcher.reader().postings("body", stem).all_ids():
        body = searcher.stored_fields(docnum).get("body", "")
        for start, end in find_terms(body, {stem}):
            return re.sub(r"['\u2019]s$", "", body[start:end]).lower()
        break
    return None
