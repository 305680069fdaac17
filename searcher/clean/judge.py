"""The trained step of the block classifier: the rules' verdicts, each block's shape and the page's
own signals, combined by a small model learned offline from seven extraction benchmarks' gold text.

The rules (classify.py, html.py) give each block a reason to drop it or none; a hand-set rule
rarely carries from the pages it was tuned on to others, so the final say is a model's: its weights
are in block_model.json, made by tests/bench/train_blocks.py (leave-one-dataset-out validated) and
read here in plain Python: no model download, no learning library at run time.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from searcher.clean import rules as bp
from searcher.clean.blocks import Block
from searcher.clean.rules import HEADING_TAGS
from searcher.clean.text import OUTSIDE, story_value

MODEL_FILE = Path(__file__).with_name("block_model.json")
JUDGED = "not story-like (block model)"
WORD = re.compile(r"\w+")
PUNCTUATION = re.compile(r"[,.;:!?]")
NEIGHBOURHOOD = 3  # blocks on each side whose verdicts say what surrounds a block

REASON_GROUPS = {
    "comment widget": "comment",
    "comment section": "comment",
    bp.SIGNATURE_REASON: "comment",
    "related link": "related",
    "link list": "links",
    "link spam": "links",
    OUTSIDE: "outside",
}
CELL_TAGS = frozenset({"td", "th", "dd", "dt"})

FEATURES = (
    "kept",
    "reason_comment",
    "reason_related",
    "reason_links",
    "reason_outside",
    "reason_other",
    "words_log",
    "link_density",
    "sentence_end",
    "stopword_share",
    "punctuation_share",
    "digit_share",
    "capital_share",
    "prose_value",
    "tag_p",
    "tag_heading",
    "tag_li",
    "tag_cell",
    "tag_other",
    "text_mode",
    "position",
    "in_article",
    "page_has_article",
    "declared_share",
    "page_declares",
    "page_is_thread",
    "previous_kept",
    "next_kept",
    "previous_words_log",
    "next_words_log",
    "previous_link_density",
    "next_link_density",
    "around_kept_share",
    "kept_words_above",
    "kept_words_below",
    "page_kept_words_log",
    "share_of_kept",
)


@dataclass(frozen=True)
class PageSignals:
    """What the page says about its own story, beside its blocks."""

    declared_words: frozenset[str] = frozenset()  # the words of its JSON-LD articleBody
    has_article: bool = False  # an <article>, <main> or itemprop=articleBody element
    thread: bool = False  # it says it is a discussion thread (html.py is_thread): posts are content


def block_features(
    blocks: list[Block], reasons: list[str | None], signals: PageSignals, text_mode: bool
) -> list[list[float]]:
    """One row of FEATURES per block (the trainer calls this too, so both see the same numbers)."""
    own = [_own_features(block) for block in blocks]
    words = [row[0] for row in own]
    kept = [reason is None for reason in reasons]
    kept_words = [w if k else 0 for w, k in zip(words, kept, strict=True)]
    total_kept = sum(kept_words)
    above = 0
    rows = []
    for i, block in enumerate(blocks):
        n_words, *shape = own[i]
        group = REASON_GROUPS.get(reasons[i] or "", "other") if reasons[i] else ""
        tokens = own[i][-1]
        low, high = max(0, i - NEIGHBOURHOOD), min(len(blocks), i + NEIGHBOURHOOD + 1)
        around = sum(words[low:high]) or 1
        declared = sum(map(signals.declared_words.__contains__, tokens)) / len(tokens) if tokens else 0.0
        rows.append(
            [
                float(kept[i]),
                float(group == "comment"),
                float(group == "related"),
                float(group == "links"),
                float(group == "outside"),
                float(group == "other"),
                math.log1p(n_words),
                block.link_density,
                *shape[:-1],
                *_tag_features(block.tag, text_mode),
                float(text_mode),
                i / len(blocks),
                float(block.in_article),
                float(signals.has_article),
                declared,
                float(bool(signals.declared_words)),
                float(signals.thread),
                float(i > 0 and kept[i - 1]),
                float(i + 1 < len(blocks) and kept[i + 1]),
                math.log1p(words[i - 1]) if i > 0 else 0.0,
                math.log1p(words[i + 1]) if i + 1 < len(blocks) else 0.0,
                blocks[i - 1].link_density if i > 0 else 0.0,
                blocks[i + 1].link_density if i + 1 < len(blocks) else 0.0,
                sum(kept_words[low:high]) / around,
                above / total_kept if total_kept else 0.0,
                (total_kept - above - kept_words[i]) / total_kept if total_kept else 0.0,
                math.log1p(total_kept),
                n_words / total_kept if total_kept else 0.0,
            ]
        )
        above += kept_words[i]
    return rows


def _own_features(block: Block) -> list:
    """Word count, then the block's text shape, then its lowercased words (for the page signals)."""
    text = block.text
    # Lowercasing first finds the same words in ASCII text (elsewhere it may not: "İ" lowercases
    # into two characters, the second no letter), and is faster.
    tokens = WORD.findall(text.lower()) if text.isascii() else list(map(str.lower, WORD.findall(text)))
    n = len(tokens) or 1
    return [
        len(tokens),
        float(bool(bp.SENTENCE_CLOSE.search(text))),
        sum(map(bp.STOPWORDS.__contains__, tokens)) / n,
        len(PUNCTUATION.findall(text)) / n,
        sum(any(c.isdigit() for c in t) for t in tokens if not t.isalpha()) / n,  # letters are no digits
        sum(map(str.isupper, "".join([w[0] for w in text.split()]))) / n,  # words starting in capitals
        float(story_value(block) > 0),
        tokens,
    ]


def _tag_features(tag: str, text_mode: bool) -> list[float]:
    if text_mode or not tag:
        return [0.0, 0.0, 0.0, 0.0, 0.0]
    return [
        float(tag == "p"),
        float(tag in HEADING_TAGS),
        float(tag == "li"),
        float(tag in CELL_TAGS),
        float(tag != "p" and tag != "li" and tag not in HEADING_TAGS and tag not in CELL_TAGS),
    ]


@cache
def shipped_model() -> dict:
    """The trained model shipped with the package (see tests/bench/train_blocks.py)."""
    return load_model(json.loads(MODEL_FILE.read_text(encoding="utf-8")))


def load_model(model: dict) -> dict:
    """The models as the trainer writes them (one for HTML, one for text), checked to score the
    features this module computes."""
    if tuple(model["features"]) != FEATURES:
        raise ValueError(f"{MODEL_FILE.name} was trained on other features: retrain it")
    return model


def story_probability(model: dict, row: list[float]) -> float:
    """The model's belief that a block is story: logistic weights, or boosted trees' log-odds."""
    if model["kind"] == "logistic":
        score = model["bias"] + sum(w * x for w, x in zip(model["weights"], row, strict=True))
    else:
        score = model["base"] + model["rate"] * _trees_sum(model)(row)
    return 1.0 / (1.0 + math.exp(-max(min(score, 50.0), -50.0)))


def _trees_sum(model: dict) -> Callable[[list[float]], float]:
    """The sum of the model's trees' values for a row, as one compiled function, made once per
    model (kept in it beside the trees it was made from)."""
    made = model.get("_trees_sum")
    if made is None or made[0] is not model["trees"]:
        made = model["_trees_sum"] = (model["trees"], _compiled_trees(model["trees"]))
    return made[1]


def _compiled_trees(trees: list[list[list[float]]]) -> Callable[[list[float]], float]:
    """The trees as one Python expression, each a nested conditional, summed in order as
    sum() sums the walked values (so every score is the same to the last bit): walking them node
    by node took a seventh of the cleaner's time on modern pages. A tree holding a number Python
    cannot write as a literal (an infinite threshold) is walked."""
    numbers = [value for tree in trees for node in tree for value in node]
    if not all(math.isfinite(value) for value in numbers):
        return lambda row: sum(_tree_value(tree, row) for tree in trees)
    expressions = ", ".join(_tree_expression(tree, 0) for tree in trees)
    code = compile(f"lambda row: sum(({expressions},))", MODEL_FILE.name, "eval")
    return eval(code, {"__builtins__": {"sum": sum}})  # noqa: S307 - code made above from numbers alone


def _tree_expression(tree: list[list[float]], at: int) -> str:
    feature, threshold, left, right, value = tree[at]
    if feature < 0:
        return repr(float(value))
    below, above = _tree_expression(tree, int(left)), _tree_expression(tree, int(right))
    return f"({below} if row[{int(feature)}] <= {float(threshold)!r} else {above})"


def _tree_value(tree: list[list[float]], row: list[float]) -> float:
    """A regression tree as rows [feature, threshold, left, right, value]; a leaf has feature -1."""
    node = tree[0]
    while node[0] >= 0:
        node = tree[int(node[2] if row[int(node[0])] <= node[1] else node[3])]
    return node[4]


def judge(
    blocks: list[Block],
    reasons: list[str | None],
    signals: PageSignals,
    text_mode: bool,
    model: dict | None = None,
) -> list[str | None]:
    """The final verdicts. The model overrules the rules only as far as leave-one-dataset-out
    validation found it pays on every set: a block they dropped becomes story when the model's
    belief reaches `take_back_from`, one they kept goes when it falls below `drop_below` (a block
    dropped keeps the rules' reason when they dropped it too, so datelines stay found)."""
    if not blocks:
        return reasons
    model = model or shipped_model()["text" if text_mode else "html"]
    take_back, drop_below = model["take_back_from"], model["drop_below"]
    if take_back > 1.0 and drop_below <= 0.0:
        return reasons  # the model is not to overrule the rules at all
    verdicts = []
    for reason, row in zip(reasons, block_features(blocks, reasons, signals, text_mode), strict=True):
        belief = story_probability(model, row)
        story = belief >= drop_below if reason is None else belief >= take_back
        verdicts.append(None if story else (reason or JUDGED))
    return verdicts
