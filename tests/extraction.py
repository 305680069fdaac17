"""Shared by the cleaner's quality gate (tests/test_clean_quality.py) and its benchmark
(tests/bench/clean.py): pages flattened as a naive scraper saves them, and the Scrapinghub article
extraction benchmark's own score (word 4-gram shingles, macro precision and recall)."""

from __future__ import annotations

import re
from collections import Counter

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
