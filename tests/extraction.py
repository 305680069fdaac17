"""Shared by the cleaner's quality gate (tests/test_clean_quality.py) and its benchmark
(tests/bench/clean.py): pages flattened as a naive scraper saves them, the Scrapinghub article
extraction benchmark's own score (word 4-gram shingles, macro precision and recall), WCXB's word-F1,
and loaders for the extraction sets under ../shared/data/article-extraction (third-party data, read
where it lies, never copied into the repository), each taking a fixed sample."""

from __future__ import annotations

import gzip
import html as html_module
import json
import math
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from searcher.sources import decode

TOKEN = re.compile(r"\w+")
SPACE = re.compile(r"\s+")
SHINGLE = 4
try:  # the parser the cleaner itself prefers
    import lxml  # noqa: F401

    PARSER = "lxml"
except ImportError:  # pragma: no cover - depends on the environment
    PARSER = "html.parser"
INVISIBLE = ["script", "style", "noscript", "template", "head", "svg", "iframe"]
BLOCK_ELEMENTS = [
    "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "li", "ul", "ol", "dl", "dt",
    "dd", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "figure",
    "figcaption", "form", "address", "br", "hr",
]  # fmt: skip


def full_text(html: str) -> str:
    """No cleaning: every visible text of the page (beautifulsoup4's get_text, the usual baseline)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, PARSER)
    for tag in soup.find_all(INVISIBLE):
        tag.decompose()
    return soup.get_text(" ", strip=True)


def flatten(html: str) -> str:
    """The page as a naive scraper saves it: its visible text, one line per block element (a
    paragraph, heading, list item, table cell, <br>), inline elements joined into their line."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, PARSER)
    for tag in soup.find_all(INVISIBLE):
        tag.decompose()
    for tag in soup.find_all(BLOCK_ELEMENTS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = (SPACE.sub(" ", line).strip() for line in soup.get_text().splitlines())
    return "\n".join(line for line in lines if line)


# Elements a browser's innerText sets apart by a blank line (two required line breaks), not one.
PARAGRAPH_ELEMENTS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "table", "ul", "ol"]
DUMP_WIDTH = 72


def flatten_inner_text(html: str, bullets: bool = False) -> str:
    """The page as a browser's "select all, copy" (innerText) gives it: a blank line around
    paragraphs, headings, lists and tables, one line break around other blocks, rows and <br>
    (adjacent breaks do not add up), table cells separated by a tab; `bullets` starts list items
    with "* " as text browsers do."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, PARSER)
    for tag in soup.find_all(INVISIBLE):
        tag.decompose()
    for tag in soup.find_all(["td", "th"]):
        tag.insert_after("\t")
    if bullets:
        for tag in soup.find_all("li"):
            tag.insert(0, "* ")
    for tag in soup.find_all([name for name in BLOCK_ELEMENTS if name not in ("td", "th")]):
        gap = "\x02" if tag.name in PARAGRAPH_ELEMENTS else "\x01"
        tag.insert_before(gap)
        tag.insert_after(gap)
    text = re.sub(r"[ \u00a0\t\r\f\v]+", lambda m: "\t" if "\t" in m.group() else " ", soup.get_text())
    text = re.sub(r"\s*[\x01\x02][\s\x01\x02]*", lambda m: "\n\n" if "\x02" in m.group() else "\n", text)
    return "\n".join(line.strip(" \t") for line in text.splitlines()).strip()


def flatten_text_browser(html: str) -> str:
    """The page as a text browser's dump (lynx -dump, w3m -dump) gives it: each line wrapped at 72
    columns, blank lines between paragraphs, list items starting with "* "."""
    import textwrap

    lines = [textwrap.fill(line, DUMP_WIDTH) if line else "" for line in flatten_inner_text(html, True).splitlines()]
    return "\n".join(lines)


def shingles(text: str) -> Counter:
    """The benchmark's shingles: \\w+ tokens (case kept), 4-grams, one shorter gram for short texts."""
    tokens = TOKEN.findall(text)
    size = min(SHINGLE, len(tokens))
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)) if tokens else Counter()


def aeb_scores(predicted: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    """Macro precision and recall over pages (each page's counts normalised), F1 of the means."""
    precisions, recalls, exact = [], [], 0
    for page, body in truth.items():
        true, pred = shingles(body), shingles(predicted.get(page, ""))
        tp = sum((true & pred).values())
        fp, fn = sum((pred - true).values()), sum((true - pred).values())
        exact += TOKEN.findall(body) == TOKEN.findall(predicted.get(page, ""))
        if fp == 0 and fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
            continue
        if tp + fp:
            precisions.append(tp / (tp + fp))
        if tp + fn:
            recalls.append(tp / (tp + fn))
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall, "accuracy": exact / max(len(truth), 1)}


WORD = re.compile(r"\w+")


def word_f1(outputs: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """WCXB's word-F1: lower-cased \\w+ tokens as multisets, per-page P/R/F1 averaged over pages; a
    page whose gold is empty scores 1 when the output is empty too, else 0."""
    precisions, recalls, f1s = [], [], []
    for page, truth in gold.items():
        true, pred = Counter(WORD.findall(truth.lower())), Counter(WORD.findall(outputs.get(page, "").lower()))
        if not true:
            score = 1.0 if not pred else 0.0
            precisions.append(score)
            recalls.append(score)
            f1s.append(score)
            continue
        common = sum((true & pred).values())
        precision = common / sum(pred.values()) if pred else 0.0
        recall = common / sum(true.values())
        precisions.append(precision)
        recalls.append(recall)
        f1s.append(2 * precision * recall / (precision + recall) if common else 0.0)
    count = max(len(f1s), 1)
    return {"f1": sum(f1s) / count, "precision": sum(precisions) / count, "recall": sum(recalls) / count}


def fixed_sample(ids: list[str], size: int | None) -> list[str]:
    """Every k-th id in sorted order, k the smallest step leaving at most `size`: the same pages
    in every run."""
    ids = sorted(ids)
    return ids if not size or len(ids) <= size else ids[:: math.ceil(len(ids) / size)]


def gunzip(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


BLOCK_MARKERS = re.compile(r"<[phl]>")
URL_LINE = re.compile(r"^\s*URL:[^\n]*\n")
DRAGNET_COMMENTS = "!@#$%^&*()  COMMENTS"
CLEANEVAL_WRAPPER = re.compile(r"^\s*<text [^>]*>|</text>\s*$")


def cleaneval_gold(raw: str) -> str:
    """CleanEval's gold without its URL line, notes and <p>/<h>/<l> block markers."""
    raw = re.sub(r"<!--.*?-->", "", URL_LINE.sub("", raw.lstrip("\ufeff")), flags=re.S)
    return " ".join(BLOCK_MARKERS.sub(" ", raw).split())


def load_dragnet(root: Path, size: int | None, split: str = "test") -> tuple[dict[str, str], dict[str, str]]:
    """The test split (415 pages; R427 and R237 are stubs the WCEB study dropped too), or the
    training split (966 pages, what a trained cleaner may learn from), gold cut where its comments start."""
    names = (root / f"{split}.txt").read_text().split()
    test = [n.strip() for n in names if n.strip() not in ("", "R427", "R237")]
    pages, gold = {}, {}
    for pid in fixed_sample(test, size):
        pages[pid] = decode(gunzip(root / "HTML" / f"{pid}.html.gz"), html=True)
        raw = (root / "Corrected" / f"{pid}.html.corrected.txt").read_text(encoding="utf-8", errors="replace")
        gold[pid] = raw.split(DRAGNET_COMMENTS)[0].strip()
    return pages, gold


def load_cleaneval(root: Path, size: int | None) -> tuple[dict[str, str], dict[str, str]]:
    """The final set's 681 pages with gold, the <text> wrapper taken off."""
    final = root / "final"
    ids = [p.stem for p in (final / "GoldStandard").glob("*.txt")]
    pages, gold = {}, {}
    for pid in fixed_sample(ids, size):
        pages[pid] = CLEANEVAL_WRAPPER.sub("", decode(gunzip(final / "input" / f"{pid}.html.gz"), html=True))
        raw = (final / "GoldStandard" / f"{pid}.txt").read_text(encoding="utf-8", errors="replace")
        gold[pid] = cleaneval_gold(raw)
    return pages, gold


def load_cleanportaleval(root: Path, size: int | None) -> tuple[dict[str, str], dict[str, str]]:
    ids = [p.stem for p in (root / "GoldStandard").glob("*.txt")]
    pages, gold = {}, {}
    for pid in fixed_sample(ids, size):
        pages[pid] = decode(gunzip(root / "input" / f"{pid}.html.gz"), html=True)
        raw = (root / "GoldStandard" / f"{pid}.txt").read_text(encoding="utf-8", errors="replace")
        gold[pid] = cleaneval_gold(raw)
    return pages, gold


def markup_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def load_readability(root: Path, size: int | None) -> tuple[dict[str, str], dict[str, str]]:
    """Mozilla Readability's 130 test pages, gold the text of its expected output."""
    cases = [c.name for c in (root / "test-pages").iterdir() if (c / "expected.html").is_file()]
    pages, gold = {}, {}
    for case in fixed_sample(cases, size):
        folder = root / "test-pages" / case
        pages[case] = decode(gunzip(folder / "source.html.gz"), html=True)
        gold[case] = markup_text((folder / "expected.html").read_text(encoding="utf-8"))
    return pages, gold


def wcxb_loader(kinds: set[str] | None, exclude: set[str] = frozenset()) -> Callable:
    """WCXB dev pages of the page kinds given (None: every kind not excluded)."""

    def load(root: Path, size: int | None) -> tuple[dict[str, str], dict[str, str]]:
        meta = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
        ids = [
            i for i, m in meta.items() if (kinds is None or m["page_type"] in kinds) and m["page_type"] not in exclude
        ]
        pages, gold = {}, {}
        for pid in fixed_sample(ids, size):
            pages[pid] = decode(gunzip(root / "html" / f"{pid}.html.gz"), html=True)
            truth = json.loads((root / "ground-truth" / f"{pid}.json").read_text(encoding="utf-8"))
            gold[pid] = truth["ground_truth"].get("main_content") or ""
        return pages, gold

    return load


# name: (folder under article-extraction, loader, what the pages are)
WORD_F1_SETS = {
    "dragnet": ("dragnet", load_dragnet, "test split, gold without comments"),
    "cleaneval": ("cleaneval", load_cleaneval, "final set, pages of all kinds from 2007"),
    "readability": ("readability", load_readability, "Mozilla Readability's test pages"),
    "cleanportaleval": ("cleanportaleval", load_cleanportaleval, "four news portals"),
    "wcxb-dev articles": ("wcxb-dev", wcxb_loader({"article"}), "2025-26 article pages"),
    "wcxb-dev forums": ("wcxb-dev", wcxb_loader({"forum"}), "forum threads (the thread is the content)"),
    "wcxb-dev other": ("wcxb-dev", wcxb_loader(None, {"article", "forum"}), "service, listing, product, ..."),
}


GOLDEN = Path(__file__).resolve().parent / "golden"


def verdicts_fingerprint() -> str:
    """What the trained block model was fed, on our own golden pages: every candidate block's
    rule verdict and features. The model file records it when trained; a change to the rules or
    the features changes it, and the model is stale until retrained (tests/bench/train_blocks.py)."""
    import hashlib

    from searcher.clean.blocks import text_paragraphs
    from searcher.clean.classify import candidates
    from searcher.clean.html import html_blocks
    from searcher.clean.judge import PageSignals, block_features

    digest = hashlib.sha256()
    for page in sorted(p for p in GOLDEN.iterdir() if p.suffix in (".html", ".txt")):
        content = page.read_text(encoding="utf-8")
        if page.suffix == ".html":
            parsed = html_blocks(content)
            blocks, reasons, _ = candidates(parsed.blocks, parsed.title, False, parsed.outside, parsed.signals.thread)
            rows = block_features(blocks, reasons, parsed.signals, False)
        else:
            blocks = text_paragraphs(content)
            reasons, _ = candidates(blocks, "", True, None)[1:]
            rows = block_features(blocks, reasons, PageSignals(), True)
        rounded = [[round(value, 6) for value in row] for row in rows]
        digest.update(json.dumps([page.name, reasons, rounded]).encode())
    return digest.hexdigest()[:16]


def crop_fingerprint() -> str:
    """What the text crop's model was fed, on our own golden pages (the text ones, and the HTML
    ones flattened to one line a block): every line's verdict before the crop and its features.
    The model file records it when trained; a change to those rules or features changes it, and
    the model is stale until retrained (tests/bench/train_crop.py)."""
    import hashlib

    from searcher.clean.blocks import text_paragraphs
    from searcher.clean.classify import verdicts_before_crop
    from searcher.clean.stretch import crop_features

    digest = hashlib.sha256()
    for page in sorted(p for p in GOLDEN.iterdir() if p.suffix in (".html", ".txt")):
        content = page.read_text(encoding="utf-8")
        blocks = text_paragraphs(flatten(content) if page.suffix == ".html" else content)
        reasons = verdicts_before_crop(blocks, True)
        rounded = [row and [round(value, 6) for value in row] for row in crop_features(blocks, reasons)]
        digest.update(json.dumps([page.name, reasons, rounded]).encode())
    return digest.hexdigest()[:16]
