"""The trained part of a text dump's crop: how much each line speaks for the story's stretch.

A scraped page's text has no markup: the story is the stretch of lines with the greatest sum of
values (text.py crop_to_story). The hand-set values (prose counts for its words, anything else
against) chose too short a stretch or the wrong one on pages unlike those they were set on: a
story of short exclamations between repeated captions, a teaser list read as prose. Here a line's
value is its words times how sure a small model is that it is story (2 (p - t)), the model trained
offline from the extraction sets' gold text with leave-one-dataset-out validation
(tests/bench/train_crop.py) and read in plain Python from crop_model.json.

The stopword lists cover six languages: beside a line's share of their words, its share of the
page's own most frequent short words says the same in any language written with spaces, and the
hand-set value the model's is averaged with keeps prose in other languages prose (a Russian or Latin
paragraph is kept: a test).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from functools import cache
from pathlib import Path

from searcher.clean import rules as bp
from searcher.clean.blocks import Block
from searcher.clean.judge import PUNCTUATION, WORD, story_probability
from searcher.clean.text import CJK, CJK_CHARS_PER_WORD, rule_line_values

CROP_MODEL_FILE = Path(__file__).with_name("crop_model.json")
NEIGHBOURHOOD = 3  # lines on each side whose shape says what surrounds a line
COMMON_WORDS = 20  # a page's most frequent words of at most COMMON_WORD_CHARS: its function words
COMMON_WORD_CHARS = 4
MODEL_SHARE = 0.5  # the model's weight in a line's value, the hand-set value's the rest

CROP_FEATURES = (
    "words_log",
    "chars_log",
    "sentence_end",
    "asks_or_exclaims",
    "punctuation_share",
    "digit_share",
    "capital_share",
    "rule_value",
    "followed_by_blank",
    "cjk_share",
    "common_word_share",
    "stopword_share",
    "repeated",
    "position",
    "previous_kept",
    "previous_words_log",
    "next_words_log",
    "previous_rule_value",
    "next_rule_value",
    "around_kept_share",
    "around_prose_share",
    "kept_words_above",
    "kept_words_below",
    "page_kept_words_log",
    "share_of_kept",
)


def line_words(block: Block) -> int:
    """A line's words as the crop counts them: spaces, or CJK characters over CJK_CHARS_PER_WORD."""
    spaced = block.text.count(" ") + 1
    return max(spaced, len(CJK.findall(block.text)) // CJK_CHARS_PER_WORD + spaced)


def _common_words(blocks: list[Block]) -> frozenset[str]:
    """The page's own function words, in whatever language it is written: its COMMON_WORDS most
    frequent short words (prose is dense with them; menus and headlines are not)."""
    counts = Counter(
        token for block in blocks for token in WORD.findall(block.text.lower()) if len(token) <= COMMON_WORD_CHARS
    )
    return frozenset(word for word, _ in counts.most_common(COMMON_WORDS))


def _signed_log(value: float) -> float:
    return math.copysign(math.log1p(abs(value)), value)


def crop_features(
    blocks: list[Block], reasons: list[str | None], rule_values: list[int] | None = None
) -> list[list[float] | None]:
    """One row of CROP_FEATURES per line the rules keep (None for a line they drop: its value is
    fixed), from their verdicts before the crop (the trainer calls this too, so both see the same
    numbers); `rule_values` are text.py's rule_line_values, when already computed."""
    words = [line_words(block) for block in blocks]
    kept = [reason is None for reason in reasons]
    rule_values = rule_values if rule_values is not None else rule_line_values(blocks, reasons)
    kept_words = [w if k else 0 for w, k in zip(words, kept, strict=True)]
    prose_words = [w if v > 0 else 0 for w, v in zip(words, rule_values, strict=True)]
    total_kept = sum(kept_words)
    counts = Counter(block.text for block in blocks)
    common = _common_words(blocks)
    rows, above = [], 0
    for i, block in enumerate(blocks):
        if not kept[i]:
            rows.append(None)
            continue
        text = block.text
        low, high = max(0, i - NEIGHBOURHOOD), min(len(blocks), i + NEIGHBOURHOOD + 1)
        around = sum(words[low:high]) or 1
        tokens = WORD.findall(text)
        lowered = WORD.findall(text.lower()) if text.isascii() else [token.lower() for token in tokens]
        n = len(tokens) or 1
        rows.append(
            [
                math.log1p(words[i]),
                math.log1p(len(text)),
                float(bool(bp.SENTENCE_CLOSE.search(text))),
                float(text.rstrip().endswith(("?", "!"))),
                len(PUNCTUATION.findall(text)) / n,
                sum(not t.isalpha() and any(map(str.isdigit, t)) for t in tokens) / n,
                sum(word[:1].isupper() for word in text.split()) / n,
                _signed_log(rule_values[i]),
                float(block.followed_by_blank),
                len(CJK.findall(text)) / max(len(text), 1),
                sum(map(common.__contains__, lowered)) / n,
                sum(map(bp.STOPWORDS.__contains__, lowered)) / n,
                math.log(counts[text]),
                i / len(blocks),
                float(i > 0 and kept[i - 1]),
                math.log1p(words[i - 1]) if i > 0 else 0.0,
                math.log1p(words[i + 1]) if i + 1 < len(blocks) else 0.0,
                _signed_log(rule_values[i - 1]) if i > 0 else 0.0,
                _signed_log(rule_values[i + 1]) if i + 1 < len(blocks) else 0.0,
                sum(kept_words[low:high]) / around,
                sum(prose_words[low:high]) / around,
                above / total_kept if total_kept else 0.0,
                (total_kept - above - kept_words[i]) / total_kept if total_kept else 0.0,
                math.log1p(total_kept),
                words[i] / total_kept if total_kept else 0.0,
            ]
        )
        above += kept_words[i]
    return rows


@cache
def shipped_crop_model() -> dict:
    """The crop's model shipped with the package (see tests/bench/train_crop.py)."""
    return load_crop_model(json.loads(CROP_MODEL_FILE.read_text(encoding="utf-8")))


def load_crop_model(model: dict) -> dict:
    """The model as the trainer writes it, checked to score the features this module computes."""
    if tuple(model["features"]) != CROP_FEATURES:
        raise ValueError(f"{CROP_MODEL_FILE.name} was trained on other features: retrain it")
    return model


def line_values(blocks: list[Block], reasons: list[str | None], model: dict | None = None) -> list[float]:
    """Each line's value for the story's stretch: for a line the rules kept, the mean of the
    hand-set value (text.py rule_line_values) and the model's, its words times 2 (p - t), p the
    model's belief that it is story and t the belief from which a line speaks for it (chosen with
    the model, leaving one set out); a line they dropped costs what any non-prose line does. The
    mean, not the model alone: alone, it let a menu's first line ("Home") open the stretch and cut
    a story's short closing sentence, on pages of our own that the rules get right."""
    model = model or shipped_crop_model()["model"]
    threshold = model.get("threshold", 0.5)
    values = []
    rules = rule_line_values(blocks, reasons)
    for block, reason, row, rule in zip(blocks, reasons, crop_features(blocks, reasons, rules), rules, strict=True):
        if reason is not None:
            values.append(-float(bp.NON_PROSE_COST))
            continue
        value = 2 * (story_probability(model, row) - threshold) * line_words(block)
        values.append(MODEL_SHARE * value + (1 - MODEL_SHARE) * rule)
    return values
