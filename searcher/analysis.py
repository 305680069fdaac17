"""Text analysis shared by indexing and querying: one analyzer, so both sides agree on tokens.

Model numbers are the reason this is not Whoosh's StemmingAnalyzer: news writes the same weapon as
"S-400" and "S400", and both must become the single token ``s400``. Other hyphenated words
("de-escalation", "al-Assad", "Rad53-dependent", "19-year-old") are split into their parts, as
readers search for the parts: a hyphen joins only what a model number needs (joins_across).
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterator
from functools import cache, lru_cache

import Stemmer
from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.support.charset import accent_map

# Lucene's English stopwords (its EnglishAnalyzer; OpenSearch's `_english_`, tantivy's and bm25s'
# "en"). Whoosh's own list also dropped "us", "may", "can", "yet", "we", "you", "from", "have" and
# "when", so "US sanctions" lost "US" and "Theresa May" "May" ("searcher search US" found nothing).
STOP_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of",
    "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with",
))  # fmt: skip
# A model number written with a space, "S 400" or "F 35": one capital (not the words "A" and "I")
# and two to four digits. Two capitals are left alone: "US 2016" is a country and a year.
SPACED_MODEL = r"(?<![^\W_])[B-HJ-Z] \d{2,4}(?![^\W_])"
# Invisible characters a page writes inside a word: a soft hyphen (a line-break hint, common in
# German), zero-width non-joiner and joiner, word joiner, zero-width no-break space. They are part
# of the word ("Ital\u00adiens" is "Italiens"), dropped from its token, kept in its span.
INVISIBLE_IN_WORD = "\u00ad\u200c\u200d\u2060\ufeff"
# A zero-width space is a word break in scripts written without spaces (Thai, Lao, Myanmar, Khmer,
# Chinese, Japanese): there it stays one; between two letters of other scripts it is a stray.
ZERO_WIDTH_SPACE = "\u200b"
UNSPACED_SCRIPTS = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
INVISIBLE = re.compile(f"[{INVISIBLE_IN_WORD}{ZERO_WIDTH_SPACE}]")
INNER_INVISIBLE = f"(?:[{INVISIBLE_IN_WORD}]|(?<![{UNSPACED_SCRIPTS}]){ZERO_WIDTH_SPACE}(?![{UNSPACED_SCRIPTS}]))+"
# Letters and digits, maybe with invisible characters between them.
LETTERS = rf"[^\W_]+(?:{INNER_INVISIBLE}[^\W_]+)*"
# A word, possibly with inner apostrophes ("Russia's") and joined by hyphens ("S-400", "Su-57").
WORD = rf"{LETTERS}(?:['\u2019]{LETTERS})*(?:[-\u2010\u2011]{LETTERS}(?:['\u2019]{LETTERS})*)*"
WORD_GROUP = re.compile(f"{SPACED_MODEL}|{WORD}")
HYPHENS = re.compile(r"[-\u2010\u2011]")
APOSTROPHE_S = re.compile(r"['\u2019][sS]$")
APOSTROPHES = re.compile(r"['\u2019]")


DIGIT = re.compile(r"\d")
LETTER = re.compile(r"[^\W\d_]")
# A number as a model number's second part: digits, maybe a plural or possessive s ("MiG-29s").
NUMBER_PART = re.compile(r"\d+(?:['\u2019]?[sS])?")


def joins_across(before: str, after: str) -> bool:
    """Whether a hyphen between these two parts of a word group is a model number's, dropped to
    join them: a number after letters ("COVID-19", "MH-17", "IL-6"), or a single letter beside a
    part holding a digit ("S-400", "F-35A", "3-D"). Any other hyphen splits ("Rad53-dependent",
    "19-year-old", "1939-1945"), so each word is found by itself."""
    if NUMBER_PART.fullmatch(after) and LETTER.search(before):
        return True
    if len(before) == 1 and LETTER.match(before) and DIGIT.search(after):
        return True
    return len(after) == 1 and LETTER.match(after) is not None and DIGIT.search(before) is not None


def words(text: str) -> list[str]:
    """The words of a text as the tokenizer cuts them, unstemmed: "S-400" whole, "wing-flutter" as
    "wing" and "flutter"."""
    return [part for match in WORD_GROUP.finditer(text) for part, _, _ in _split_group(match.group(0), 0)]


def _split_group(group: str, offset: int) -> Iterator[tuple[str, int, int]]:
    """Yield (text, start, end) for one word group: its hyphenated parts, those a model number's
    hyphen joins (joins_across) as one; a spaced model number ("S 400") whole."""
    if not HYPHENS.search(group):
        yield visible(group).replace(" ", ""), offset, offset + len(group)
        return
    parts = HYPHENS.split(group)
    start = end = 0
    text = visible(parts[0])
    for before, after in itertools.pairwise(parts):
        end += len(before)
        if joins_across(visible(before), visible(after)):
            text += visible(after)
        else:
            yield text, offset + start, offset + end
            text, start = visible(after), end + 1
        end += 1
    yield text, offset + start, offset + len(group)


def visible(text: str) -> str:
    """The text without the invisible characters a word may hold (INVISIBLE_IN_WORD, a stray
    zero-width space)."""
    return INVISIBLE.sub("", text) if not text.isascii() else text


class NewsTokenizer(Tokenizer):
    """Words of news text, keeping model numbers ("S-400", "F-35", "COVID-19") as one token."""

    def __eq__(self, other: object) -> bool:
        return self.__class__ is other.__class__

    def __call__(  # noqa: PLR0913 - Whoosh's tokenizer protocol
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield from self._whole(token, value, positions, chars, start_pos, start_char)
            return
        pos = start_pos
        for match in WORD_GROUP.finditer(value):
            for text, start, end in _split_group(match.group(0), match.start()):
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = text
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char + start
                    token.endchar = start_char + end
                pos += 1
                yield token

    @staticmethod
    def _whole(token: Token, value: str, positions: bool, chars: bool, pos: int, char: int) -> Iterator[Token]:
        token.original = token.text = value
        token.boost = 1.0
        if positions:
            token.pos = pos
        if chars:
            token.startchar, token.endchar = char, char + len(value)
        yield token


class PossessiveFilter(Filter):
    """Drops a possessive 's and inner apostrophes, so "Russia's" finds "Russia" and "O'Neil" "ONeil"."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = APOSTROPHES.sub("", APOSTROPHE_S.sub("", token.text))
            if token.text:
                yield token


@cache
def news_analyzer():  # noqa: ANN201 - Whoosh composes analyzers dynamically
    """The analyzer for title and body: tokens, case and accent folding, stopwords, Snowball's
    English stems (Porter's second algorithm).

    One shared instance, so the stemmer's cache stays warm across documents and queries.
    """
    folding = PossessiveFilter() | LowercaseFilter() | CharsetFilter(accent_map)
    return NewsTokenizer() | folding | StopFilter(stoplist=STOP_WORDS) | StemFilter(stemfn=stem_word)


def one_term(text: str) -> str | None:
    """A query word's one term as both engines' indexes hold it; None for a stopword or a word of
    several terms."""
    terms = [token.text for token in news_analyzer()(text, mode="query")]
    return terms[0] if len(terms) == 1 else None


def find_terms(text: str, stems: set[str]) -> list[tuple[int, int]]:
    """Character spans of the words in text that analyze to one of `stems`, for highlighting.

    Fast on long texts: each distinct word group is analyzed once, and only its words starting like
    one of the stems are stemmed at all (stopwords need no check: they are never query terms).
    Snowball's English stemmer rewrites only a word's ending, so all but the last letter of a stem
    begin the word it came from (save its few exceptions, IRREGULAR_PREFIXES).
    """
    prefixes = frozenset(prefix for stem in stems for prefix in _prefixes(stem))
    lengths = sorted({len(p) for p in prefixes})
    starts_like_a_stem = _prefix_pattern(prefixes).match
    known: dict[str, list[tuple[int, int]]] = {}
    spans = []
    for match in WORD_GROUP.finditer(text):
        group = match.group(0)
        found = known.get(group)
        if found is None:
            if group.isascii() and group.isalnum():  # most words: no hyphen, apostrophe or accent
                hit = starts_like_a_stem(group) and _stem_unless_stopped(group.lower()) in stems
                found = known[group] = [(0, len(group))] if hit else []
            else:
                found = known[group] = [
                    (start, end)
                    for part, start, end in _split_group(group, 0)
                    if _starts_like(part, prefixes, lengths) and _stem_unless_stopped(fold(part)) in stems
                ]
        if found:
            offset = match.start()
            spans.extend((offset + start, offset + end) for start, end in found)
    return spans


@lru_cache(maxsize=256)
def _prefix_pattern(prefixes: frozenset[str]) -> re.Pattern[str]:
    """Matches an ASCII word starting, in any case, like one of the (ASCII or not) prefixes."""
    return re.compile("|".join(map(re.escape, sorted(prefixes))) or "(?!)", re.IGNORECASE)


def _prefixes(stem: str) -> tuple[str, ...]:
    """How a word stemming to `stem` may begin, as far as find_terms looks (three letters at most)."""
    prefix = stem[: max(1, min(3, len(stem) - 1))]
    return (prefix, *IRREGULAR_PREFIXES.get(stem, ()))


def _starts_like(word: str, prefixes: frozenset[str], lengths: list[int]) -> bool:
    head = word[:3]
    head = head.lower() if head.isascii() and "'" not in head else fold(word)[:3]
    return any(head[:n] in prefixes for n in lengths)


def _stem_unless_stopped(word: str) -> str | None:
    """The stem, or None where StopFilter drops the word (a stopword, or a single character)."""
    if len(word) < STOP_MIN_SIZE or word in STOP_WORDS:
        return None
    return stem_word(word)


def fold(word: str) -> str:
    """What the analyzer's filters before stemming make of one token."""
    word = APOSTROPHES.sub("", APOSTROPHE_S.sub("", word)).lower()
    return word if word.isascii() else word.translate(accent_map)


# StopFilter's default: tokens shorter than this are dropped too.
STOP_MIN_SIZE = 2
# Stems beginning otherwise than the words they come from: Snowball's English exceptions "dying",
# "lying", "tying" (to "die", "lie", "tie").
IRREGULAR_PREFIXES = {"die": ("dy",), "lie": ("ly",), "tie": ("ty",)}
# One Snowball stemmer a thread (PyStemmer's objects are not thread-safe).
_STEMMERS = threading.local()


@lru_cache(maxsize=50000)
def stem_word(word: str) -> str:
    """Snowball's English stem (PyStemmer, in C): Whoosh's own Porter stemmer is not Porter's
    algorithm ("planned" became "plann", "automated" "automat" but "automation" "autom", so one
    missed the other); Snowball's is the reference, and OpenSearch's porter2 filter is the same
    (Snowball 2's English: pyproject.toml keeps PyStemmer below 3).
    A number's plural ("S-400s", "F-35s", "1990s") loses its s, which Snowball keeps where no vowel
    comes before it."""
    if len(word) > 1 and word[-1] == "s" and word[-2].isdecimal():
        return word[:-1]
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = Stemmer.Stemmer("english")
    return stemmer.stemWord(word)


# Bump when the analyzer's output changes: an index built with another version must be rebuilt.
ANALYZER_VERSION = 6  # 3: Snowball's English stemmer in place of Whoosh's Porter; 4: a hyphen joins
# only a model number's parts (joins_across), not every group holding a digit; 5: Lucene's English
# stopwords in place of Whoosh's; 6: soft hyphens and zero-width characters inside a word dropped,
# not splitting it
