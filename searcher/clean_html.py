"""HTML pages into blocks for the classifier in ``clean``, with the page's own metadata.

Kept apart from ``clean`` so that beautifulsoup4 is imported only when a page is HTML.
"""

from __future__ import annotations

import html as html_module
import json
import logging
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, ProcessingInstruction, Tag

from searcher.clean import Block, normalize, text_blocks
from searcher.models import DroppedBlock

log = logging.getLogger(__name__)

try:  # lxml is much faster; html.parser ships with Python
    import lxml  # noqa: F401

    PARSER = "lxml"
except ImportError:  # pragma: no cover - depends on the environment
    PARSER = "html.parser"

INVISIBLE_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "iframe",
    "object",
    "embed",
    "head",
    "button",
    "select",
    "input",
    "textarea",
]
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dd", "dt", "blockquote", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "figure", "figcaption", "header",
    "footer", "nav", "aside", "form", "address", "body", "html", "hr", "br",
}  # fmt: skip
# Elements that are furniture by their tag alone, with the reason reported for them.
FURNITURE_TAGS = {
    "nav": "navigation",
    "footer": "page footer",
    "aside": "sidebar",
    "form": "form",
    "figure": "photo caption",
    "figcaption": "photo caption",
}
# Class or id words of furniture that no story container carries ("article-comments" is comments).
ALWAYS_FURNITURE_CLASS = [
    (re.compile(r"comment|disqus|respond|replies|discussion", re.I), "comment section"),
    (
        re.compile(r"related|recommend|more-stories|read-more|readmore|also-read|outbrain|taboola", re.I),
        "related links",
    ),
    (re.compile(r"share|social|sharing|follow-us", re.I), "share/navigation furniture"),
]
# Class or id words of furniture; an element whose class also names the content is kept.
FURNITURE_CLASS = [
    (re.compile(r"(?<![a-z])(?:nav|menu|breadcrumbs?|masthead|topbar)(?![a-z])|navigation|navbar", re.I), "navigation"),
    (re.compile(r"footer|copyright", re.I), "page footer"),
    (re.compile(r"sidebar|widget|popular|trending|most-read", re.I), "sidebar"),
    (re.compile(r"cookie|consent|gdpr|subscribe|newsletter|signup|paywall|modal|popup", re.I), "banner"),
    (re.compile(r"(?<![a-z])(?:ads?|advert\w*|sponsor\w*|promo\w*|banner)(?![a-z])", re.I), "advertisement"),
    (re.compile(r"caption|credit", re.I), "photo caption"),
    (re.compile(r"byline|author|dateline", re.I), "byline"),
]
CONTENT_CLASS = re.compile(r"article|story|content|entry|post-body|main|text", re.I)
NEVER_REMOVED = {"html", "body", "article", "main"}
# Paragraphs shorter than this are not evidence of where the story is.
MIN_PARAGRAPH_CHARS = 25
DATE_META = [
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("name", "publish-date"),
    ("name", "date"),
    ("name", "dc.date"),
    ("name", "DC.date.issued"),
    ("name", "sailthru.date"),
    ("property", "og:published_time"),
]
TITLE_SEPARATORS = re.compile(r"\s+[|–—·:»-]\s+")
# Real pages nest a few dozen levels; far deeper HTML is an attack or a broken generator, and both
# parsers take time that grows with depth squared on it, so such a page is read as flat text.
MAX_DEPTH = 1000
TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*?(/?)>")
TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
INVISIBLE_BLOCKS = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}


@dataclass
class Page:
    """What the HTML layer hands the classifier."""

    title: str
    blocks: list[Block]
    date_candidates: tuple[tuple[str, str], ...] = ()
    url: str | None = None
    site_name: str | None = None
    dropped: tuple[DroppedBlock, ...] = field(default_factory=tuple)


def html_blocks(html: str) -> Page:
    """The page's blocks in reading order, its title and metadata, and the furniture removed."""
    if nesting_depth(html, MAX_DEPTH) > MAX_DEPTH:
        log.warning("HTML nested more than %d levels deep: read as plain text, without its structure", MAX_DEPTH)
        return flat_page(html)
    soup = BeautifulSoup(html, PARSER)
    site_name = _meta(soup, "property", "og:site_name")
    title = page_title(soup, site_name)
    dates = tuple((d, "metadata") for d in date_candidates(soup))
    url = _meta(soup, "property", "og:url") or _link(soup, "canonical")
    for tag in soup.find_all(INVISIBLE_TAGS):
        tag.decompose()
    dropped = _remove_furniture(soup)
    root = content_root(soup)
    blocks = list(_blocks(root))
    return Page(title, blocks, dates, url, site_name, tuple(dropped))


def flat_page(html: str) -> Page:
    """A page read without parsing: its text between tags, one block per line, scripts and styles left out."""
    title = TITLE_TAG.search(html)
    text = html_module.unescape(TAG.sub("\n", INVISIBLE_BLOCKS.sub("\n", html)))
    return Page(normalize(html_module.unescape(title.group(1))) if title else "", text_blocks(text))


def nesting_depth(html: str, limit: int) -> int:
    """How deeply elements nest (stopping once past limit), counted from the tags alone."""
    depth = deepest = 0
    for closing, name, self_closing in TAG.findall(html):
        if closing:
            depth = max(depth - 1, 0)
        elif not self_closing and name.lower() not in VOID_TAGS:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
    return deepest


def _meta(soup: BeautifulSoup, attribute: str, value: str) -> str | None:
    tag = soup.find("meta", attrs={attribute: re.compile(f"^{re.escape(value)}$", re.I)})
    content = tag.get("content") if tag else None
    return normalize(content) or None if isinstance(content, str) else None


def _link(soup: BeautifulSoup, rel: str) -> str | None:
    tag = soup.find("link", rel=rel)
    href = tag.get("href") if tag else None
    return href if isinstance(href, str) else None


def page_title(soup: BeautifulSoup, site_name: str | None) -> str:
    """og:title, else the first <h1>, else <title>; without the site's name."""
    candidates = [_meta(soup, "property", "og:title"), _meta(soup, "name", "twitter:title")]
    h1 = soup.find("h1")
    candidates.append(normalize(h1.get_text(" ")) if h1 else None)
    candidates.append(normalize(soup.title.get_text(" ")) if soup.title else None)
    title = next((c for c in candidates if c), "")
    return strip_site_name(title, site_name)


def strip_site_name(title: str, site_name: str | None) -> str:
    """ "Putin lands in Ankara | Example News" becomes "Putin lands in Ankara"."""
    parts = TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    if site_name and parts[-1].strip().casefold() == site_name.casefold():
        return TITLE_SEPARATORS.split(title, maxsplit=len(parts) - 2)[0] if len(parts) > 2 else parts[0]
    if len(parts[-1].split()) <= 4 and len(parts[0].split()) >= 3:
        return title[: title.rfind(parts[-1])].rstrip(" |–—·:»-")
    return title


def date_candidates(soup: BeautifulSoup) -> list[str]:
    """Publication dates the page declares: meta tags, JSON-LD datePublished, <time datetime>."""
    found = [value for attribute, name in DATE_META if (value := _meta(soup, attribute, name))]
    for script in soup.find_all("script", type="application/ld+json"):
        found.extend(_json_ld_dates(script.string or ""))
    for time in soup.find_all("time", datetime=True):
        value = time.get("datetime")
        if isinstance(value, str) and value.strip():
            found.append(value.strip())
    return list(dict.fromkeys(found))


def _json_ld_dates(text: str) -> list[str]:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return []
    stack, dates = [data], []
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            value = item.get("datePublished")
            if isinstance(value, str):
                dates.append(value)
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
    return dates


def _remove_furniture(soup: BeautifulSoup) -> list[DroppedBlock]:
    dropped = []
    for tag in soup.find_all(True):
        if tag.decomposed if hasattr(tag, "decomposed") else tag.parent is None and tag is not soup:
            continue
        reason = furniture_reason(tag)
        if reason:
            text = normalize(tag.get_text(" "))
            if text:
                dropped.append(DroppedBlock(text, reason))
            tag.decompose()
    return dropped


def furniture_reason(tag: Tag) -> str | None:
    """Why an element is page furniture, from its tag, class or id; None if it may hold story."""
    if tag.name in NEVER_REMOVED:
        return None
    if tag.name in FURNITURE_TAGS:
        return FURNITURE_TAGS[tag.name]
    names = " ".join([*(tag.get("class") or []), tag.get("id") or "", tag.get("role") or ""])
    strong = next((reason for pattern, reason in ALWAYS_FURNITURE_CLASS if pattern.search(names)), None)
    if strong:
        return strong
    if not names.strip() or CONTENT_CLASS.search(names):
        return "navigation" if tag.get("role") == "navigation" else None
    return next((reason for pattern, reason in FURNITURE_CLASS if pattern.search(names)), None)


def content_root(soup: BeautifulSoup) -> Tag:
    """The element holding most of the story's paragraph text (the idea of Readability's scoring)."""
    scores: dict[int, float] = {}
    elements: dict[int, Tag] = {}
    for paragraph in soup.find_all(["p", "pre", "blockquote"]):
        length = len(normalize(paragraph.get_text(" ")))
        if length < MIN_PARAGRAPH_CHARS:
            continue
        for weight, ancestor in zip(
            (1.0, 0.5), (paragraph.parent, paragraph.parent and paragraph.parent.parent), strict=True
        ):
            if isinstance(ancestor, Tag):
                scores[id(ancestor)] = scores.get(id(ancestor), 0.0) + weight * length
                elements[id(ancestor)] = ancestor
    body = soup.body or soup
    if not scores:
        return body
    return elements[max(scores, key=scores.__getitem__)]


def _blocks(root: Tag) -> list[Block]:
    """Consecutive text under the same block element, with the share of it inside links."""
    blocks: list[Block] = []
    current: Tag | None = None
    parts: list[str] = []
    link_chars = 0

    def flush() -> None:
        text = normalize(" ".join(parts))
        if text:
            density = min(1.0, link_chars / len(text))
            blocks.append(Block(text, tag=current.name if current else "", link_density=density))

    for node in root.descendants:
        if not isinstance(node, NavigableString) or isinstance(node, Comment | Doctype | ProcessingInstruction):
            continue
        block, in_link = _block_ancestor(node, root)
        if block is not current:
            flush()
            current, parts, link_chars = block, [], 0
        parts.append(str(node))
        if in_link:
            link_chars += len(node.strip())
    flush()
    return blocks


def _block_ancestor(node: NavigableString, root: Tag) -> tuple[Tag, bool]:
    in_link = False
    parent = node.parent
    while parent is not None and parent is not root and parent.name not in BLOCK_TAGS:
        in_link = in_link or parent.name == "a"
        parent = parent.parent
    return (parent if parent is not None else root), in_link
