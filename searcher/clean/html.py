"""HTML pages into blocks for the classifier (classify.py), with the page's own metadata.

Imported only when a page is HTML, so that beautifulsoup4 is loaded only then; the tags and class
words it judges elements by are data in rules.py.
"""

from __future__ import annotations

import html as html_module
import json
import logging
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from bs4 import (
    BeautifulSoup,
    Comment,
    Doctype,
    MarkupResemblesLocatorWarning,
    NavigableString,
    ProcessingInstruction,
    Tag,
    XMLParsedAsHTMLWarning,
)

from searcher.clean import rules as bp
from searcher.clean.blocks import Block, normalize, text_blocks
from searcher.clean.judge import WORD, PageSignals
from searcher.clean.rules import (
    ALWAYS_FURNITURE_CLASS,
    ANY_ALWAYS_FURNITURE_CLASS,
    ANY_FURNITURE_CLASS,
    ARTICLE_TAGS,
    BLOCK_TAGS,
    CAPTION_REASON,
    CLIMB_GAIN,
    CLIMB_LEVELS,
    COMMENT_HEADING_MAX_CHARS,
    COMMENT_HEADING_PIECES,
    COMMENT_REASON,
    CONTENT_CLASS,
    DATE_META,
    DECLARED_BODY_SHARE,
    FAR_CLIMB_GAIN,
    FIGURE_CONTENT,
    FURNITURE_CLASS,
    FURNITURE_TAGS,
    HEAD_ELEMENTS,
    HEADING_TAGS,
    HEADLINE_TAGS,
    INVISIBLE_SET,
    INVISIBLE_SKIPPED,
    LABEL_TAGS,
    LIST_ITEM_TAGS,
    MAX_BUTTON_WORDS,
    MAX_ITEMS_LINK_SHARE,
    MAX_PARAGRAPH_LINK_SHARE,
    MAX_PHOTO_CAPTION_CHARS,
    MAX_STORY_BOX_LEVELS,
    MIN_DECLARED_WORDS,
    MIN_LIST_ITEMS,
    MIN_NOSCRIPT_CHARS,
    MIN_PARAGRAPH_CHARS,
    MIN_WRAPPER_CHARS,
    MODIFIED_META,
    NEVER_REMOVED,
    NO_STORY_CLASS,
    NOTICE_CLASS,
    PAGE_LEVELS,
    PARAGRAPH_TAGS,
    PHOTO_STORY_MIN_WORDS,
    PHOTO_STORY_SHARE,
    PHOTO_TAGS,
    PUBLISHED_META,
    SHORT_LINE_CHARS,
    SIBLING_PARAGRAPH_CHARS,
    SIBLING_SHARE,
    SIDEBAR_NAME,
    STORY_BOX_LINK_SHARE,
    STORY_BOX_PROSE_SHARE,
    STORY_CHARS_ABOVE_COMMENTS,
    TITLE_SEPARATORS,
    WRAPPER_SHARE,
)
from searcher.models import DroppedBlock

log = logging.getLogger(__name__)

try:  # lxml is much faster; html.parser ships with Python
    from bs4.builder import LXMLTreeBuilder

    PARSER = "lxml"
except ImportError:  # pragma: no cover - depends on the environment
    LXMLTreeBuilder = None
    PARSER = "html.parser"

SKIPPED_STRINGS = (Comment, Doctype, ProcessingInstruction)
# Real pages nest a few dozen levels; far deeper HTML is an attack or a broken generator, and both
# parsers take time that grows with depth squared on it, so such a page is read as flat text.
MAX_DEPTH = 1000
# An id that names the page's main content (ids are one a page): a sidebar's markup left unclosed
# above it does not make it the sidebar's.
MAIN_CONTENT_ID = re.compile(r"(?:main[-_]?)?content|main")
# (Attributes as one greedy group: a lazy one, to capture a closing "/", took 5 times as long.)
TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)([^>]*)>")
TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
TITLE_OPEN = re.compile(r"<title\b[^>]*>", re.IGNORECASE)
TITLE_CLOSE = re.compile(r"</title\s*>", re.IGNORECASE)
INVISIBLE_BLOCKS = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
ROOT_STAND_IN = "searcher-story"  # where the story's container stood, while the rest is read
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
    signals: PageSignals = field(default_factory=PageSignals)
    outside: Outside = field(default_factory=lambda: Outside())


def html_blocks(html: str) -> Page:
    """The page's blocks in reading order, its title and metadata, and the furniture removed."""
    # Depth is at most the number of opening tags, so only pages with more need counting.
    if html.count("<") - html.count("</") > MAX_DEPTH and nesting_depth(html, MAX_DEPTH) > MAX_DEPTH:
        log.warning("HTML nested more than %d levels deep: read as plain text, without its structure", MAX_DEPTH)
        return flat_page(html)
    with warnings.catch_warnings():
        # bs4 warns on pages that look like XML (feeds, XHTML) or like a file name or URL; they are
        # read as HTML all the same, and a warning is no use to someone indexing a folder.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = parse(close_title(html))
    _move_head_content_to_body(soup)
    head = survey(soup)
    site_name = head.meta("property", "og:site_name")
    title = page_title(head, site_name)
    stated = date_candidates(head)
    scripted = [m.group("date") for m in islice(bp.SCRIPT_PUBLISHED.finditer(html), 1) if m.group("date") not in stated]
    # "Updated on Feb 27, 2026" is a modification date: a page's script data may still hold the
    # publication date, so it goes after that.
    shown = [d for d in head.shown_dates if not bp.UPDATED_LINE.match(d)]
    updated = [d for d in head.shown_dates if bp.UPDATED_LINE.match(d)]
    dates = tuple((d, "metadata") for d in stated) + tuple((d, "dateline") for d in shown)
    dates += tuple((d, "metadata") for d in scripted) + tuple((d, "dateline") for d in updated)
    url = head.meta("property", "og:url") or head.canonical
    declared = declared_body(head)
    _remove_invisible(soup, head.invisible)
    thread = is_thread(head)
    root = content_root(soup, thread, head.forms)
    root_in_article = any(_article_like(element) for element in [root, *root.parents])
    dropped, outside = _outside(soup, root, thread)
    dropped += _remove_furniture(root, thread)
    blocks, _ = _blocks(root, root_in_article)
    if declared and _words(blocks) < DECLARED_BODY_SHARE * len(declared.split()):
        dropped.extend(DroppedBlock(block.text, "not the story (the page declares its text)") for block in blocks)
        blocks, outside = text_blocks(declared), Outside()
    declared_words = frozenset(WORD.findall(declared.lower())) if declared else frozenset()
    signals = PageSignals(declared_words, head.has_article, thread)
    return Page(title, blocks, dates, url, site_name, tuple(dropped), signals, outside)


def _article_like(element: Tag) -> bool:
    """An element that says it holds the page's story: <article>, <main>, itemprop=articleBody."""
    return element.name in ARTICLE_TAGS or (bool(element.attrs) and element.attrs.get("itemprop") == "articleBody")


def _remove_invisible(soup: BeautifulSoup, invisible: list[Tag]) -> None:
    """Takes out what a browser never shows. <noscript> is what it shows without scripts: read
    in place of the page when it holds more text than the rest of the page (a script-built page's
    view for crawlers and browsers without scripts, as forum software serves its threads)."""
    fallbacks = [tag for tag in invisible if tag.name == "noscript" and not _inside_noscript(tag)]
    for tag in invisible:
        if tag.name == "button" and _holds_page(tag):
            tag.unwrap()
        elif tag.name != "noscript":
            tag.extract()
    fallback_chars = sum(_text_chars(tag) for tag in fallbacks)
    read = fallback_chars >= MIN_NOSCRIPT_CHARS and fallback_chars > _text_chars(soup) - fallback_chars
    for tag in fallbacks:
        if read:
            tag.unwrap()
        else:
            tag.extract()


def _holds_page(button: Tag) -> bool:
    """Whether a <button> holds more than a label: the parser's misnesting put the page inside it."""
    words = 0
    for piece in button.stripped_strings:
        words += len(piece.split())
        if words > MAX_BUTTON_WORDS:
            return True
    return False


def _inside_noscript(tag: Tag) -> bool:
    return any(parent.name == "noscript" for parent in tag.parents)


def _text_chars(element: Tag) -> int:
    """Characters of text under element; markup escaped as text (a <noscript> holding
    "&lt;img ...&gt;") is not text anyone reads."""
    return sum(len(piece) for piece in element.stripped_strings if "<" not in piece)


def is_thread(head: Survey) -> bool:
    """A page that says it is a discussion thread (a forum's topic, a question and its answers):
    schema.org DiscussionForumPosting or QAPage in its JSON-LD or microdata, forum software
    named as its generator, or a thread's template named on <html> or <body>. On such a page the
    posts are the content, not readers' comments."""
    if head.thread_type:
        return True
    if any(bp.THREAD_JSON_LD.search(script) for script in head.json_ld):
        return True
    generator = head.meta("name", "generator")
    return bool(generator and bp.FORUM_SOFTWARE.match(generator))


def _holds_main_story(element: Tag) -> bool:
    """<main>, itemprop=articleBody, or the element whose id names the page's main content
    ("content", "main-content": a theme's wrapper of the story, one a page)."""
    if element.name == "main":
        return True
    attrs = element.attrs
    return bool(attrs) and (attrs.get("itemprop") == "articleBody" or MAIN_CONTENT_ID.fullmatch(_own_id(attrs).lower()))


def close_title(html: str) -> str:
    """The page with an unclosed <title> closed where its text ends (at the next tag): a parser
    reads everything after an unclosed <title> as its text, the whole page's source included."""
    opened = TITLE_OPEN.search(html)
    if opened is None or TITLE_CLOSE.search(html, opened.end()):
        return html
    end = html.find("<", opened.end())
    end = len(html) if end < 0 else end
    return f"{html[:end]}</title>{html[end:]}"


def _move_head_content_to_body(soup: BeautifulSoup) -> None:
    """Elements a <head> cannot hold (a story inside an unknown tag on a page without <body>)
    are moved to the body, where a browser shows them; the head is never read as text."""
    head = _first_element(soup, "head")
    if head is None:
        return
    misplaced = [
        child
        for child in head.contents
        if isinstance(child, Tag) and child.name not in HEAD_ELEMENTS and child.get_text(strip=True)
    ]
    if not misplaced:
        return
    body = soup.body
    if body is None:
        body = soup.new_tag("body")
        head.insert_after(body)
    for element in reversed(misplaced):
        body.insert(0, element.extract())


def _first_element(soup: BeautifulSoup, name: str) -> Tag | None:
    """The first element of this name, as soup.find(name) finds it, walking the tree without
    bs4's matching machinery: a page without one (no <head>, as old pages and whole sets are
    saved) is walked to its end, which took bs4's find() 3% of the cleaner's time there."""
    for node in soup.descendants:
        if isinstance(node, Tag) and node.name == name:
            return node
    return None


def parse(html: str) -> BeautifulSoup:
    """The page's tree, with attributes as plain strings (splitting every class attribute into a
    list costs a fifth of parsing); with lxml, built by the leaner builder below."""
    if PARSER == "lxml" and LXMLTreeBuilder is not None:
        return BeautifulSoup(html, builder=_LeanLXMLBuilder(multi_valued_attributes=None))
    return BeautifulSoup(html, PARSER, multi_valued_attributes=None)


if LXMLTreeBuilder is not None:

    class _LeanLXMLBuilder(LXMLTreeBuilder):
        """bs4's lxml builder, building less of what the cleaner never reads (together, a fifth to a
        third of the time beautifulsoup4 takes on the AEB pages; the cleaner's output is unchanged):
        - elements never shown (scripts, styles, drawings, form controls) and comments are not
          built, except JSON-LD scripts, which hold metadata: the cleaner removed them unread;
        - whitespace between a block element's tags (three strings in four on real pages) is not
          built: the cleaner collapses it at block boundaries. Between inline elements it is kept,
          as it separates words;
        - an element's attributes are handed over as lxml gives them: bs4 copies them twice through
          a Python __setitem__ to resolve XML namespaces, which lxml's HTML parser never reports
          (any namespace takes bs4's own way)."""

        def __init__(self, **kwargs: object) -> None:
            super().__init__(**kwargs)
            # Each element copies its attributes into this class: bs4's lxml default converts
            # every value in a Python __setitem__, for XML documents' sake.
            self.attribute_dict_class = dict
            self.hidden_depth = 0  # > 0 while inside an element that is not built
            self.space = ""  # whitespace seen since the last tag, until the next tag tells if it matters
            self.tag_fields: dict[str, tuple] = {}  # per element name, see _tag_fields

        def start(self, tag: str, attrib: dict, nsmap: dict | None = None) -> None:
            if self.hidden_depth or (tag in INVISIBLE_SKIPPED and not _is_json_ld(tag, attrib)):
                if not self.hidden_depth:
                    self._end_data()  # the text before it stays a string of its own
                self.hidden_depth += 1
                return
            if self.space:  # whitespace before a block element's tag is dropped; before an inline one, kept
                if tag not in BLOCK_TAGS:
                    self.soup.current_data.append(self.space)
                self.space = ""
            # A namespaced name starts with "{"; a brace anywhere in an attribute's name takes bs4's
            # way too, which reads any other name as this builder does (one join is cheaper than a
            # look at each name).
            if nsmap or len(self.nsmaps) > 1 or tag[0] == "{" or (attrib and "{" in "".join(attrib)):
                super().start(tag, attrib, nsmap or {})
            else:
                self._open(tag, attrib)

        def end(self, tag: str) -> None:
            if self.hidden_depth:
                self.hidden_depth -= 1
                return
            if self.space:  # as in start()
                if tag not in BLOCK_TAGS:
                    self.soup.current_data.append(self.space)
                self.space = ""
            if len(self.nsmaps) > 1 or tag[0] == "{":
                super().end(tag)
                return
            soup = self.soup
            if soup.current_data:
                self._end_data()
            current, stack = soup.currentTag, soup.tagStack
            if current.name != tag or current.prefix is not None or len(stack) < 2:
                soup.handle_endtag(tag, None)
                return
            # What handle_endtag comes to when the element closed is the open one (bs4's popTag).
            stack.pop()
            soup.open_tag_counter[tag] -= 1
            if soup.preserve_whitespace_tag_stack and current == soup.preserve_whitespace_tag_stack[-1]:
                soup.preserve_whitespace_tag_stack.pop()
            if soup.string_container_stack and current == soup.string_container_stack[-1]:
                soup.string_container_stack.pop()
            soup.currentTag = stack[-1]

        def _open(self, name: str, attrib: dict) -> None:
            """What bs4's handle_starttag and Tag() do for an element of no namespace, without
            their generality (a quarter of the cleaner's time on modern pages went there): the
            same attributes, links to its neighbours and parser state, each element's constant
            fields copied from those kept for its name. They are set one by one, not through the
            element's __dict__: asking for it makes Python 3.11+ give the element a dict object
            of its own (the fields otherwise sit in the element itself), a third more objects for
            the garbage collector to walk, which took a seventh of the cleaner's time."""
            soup = self.soup
            if soup.current_data:
                self._end_data()
            parent, previous = soup.currentTag, soup._most_recent_element
            tag = Tag.__new__(Tag)
            (
                tag.parser_class, tag.name, tag.namespace, tag.prefix, tag.sourceline, tag.sourcepos,
                tag.attribute_value_list_class, tag.known_xml, tag.hidden, tag.can_be_empty_element,
                tag.cdata_list_attributes, tag.preserve_whitespace_tags, tag.interesting_string_types,
            ) = self.tag_fields.get(name) or self._tag_fields(name)  # fmt: skip
            tag._namespaces = self.active_namespace_prefixes[-1]
            tag.attrs = dict(attrib) if attrib else {}  # lxml's empty mapping copies slowly, in Python
            tag.contents = []
            if name in self.string_containers:
                tag.interesting_string_types = {self.string_containers[name]}
            tag.parent, tag.previous_element, tag.next_element, tag.next_sibling = parent, previous, None, None
            if previous is not None:
                previous.next_element = tag
            sibling = parent.contents[-1] if parent.contents else None
            tag.previous_sibling = sibling
            if sibling is not None:
                sibling.next_sibling = tag
            if name == "meta":
                self.set_up_substitutions(tag)  # a declared charset, as bs4 marks it
            soup._most_recent_element = tag
            # bs4's pushTag: the parent is never None, the soup itself at least
            parent.contents.append(tag)
            soup.tagStack.append(tag)
            soup.currentTag = tag
            soup.open_tag_counter[name] += 1
            if name in self.preserve_whitespace_tags:
                soup.preserve_whitespace_tag_stack.append(tag)
            if name in self.string_containers:
                soup.string_container_stack.append(tag)

        def _tag_fields(self, name: str) -> tuple:
            """The fields bs4's Tag() gives every element of this name, whatever its content, in
            _open's order: parser_class, name, namespace, prefix, sourceline, sourcepos,
            attribute_value_list_class, known_xml, hidden, can_be_empty_element,
            cdata_list_attributes, preserve_whitespace_tags, interesting_string_types."""
            fields = (
                self.soup.__class__, name, None, None, None, None,
                self.attribute_value_list_class, self.is_xml, False, self.can_be_empty_element(name),
                self.cdata_list_attributes, self.preserve_whitespace_tags, Tag.MAIN_CONTENT_STRING_TYPES,
            )  # fmt: skip
            self.tag_fields[name] = fields
            return fields

        def data(self, data: str) -> None:
            if self.hidden_depth:
                return
            if data.isspace():
                self.space += data
                return
            pieces = self.soup.current_data  # what bs4's handle_data appends to
            if self.space:
                pieces.append(self.space)
                self.space = ""
            pieces.append(data)

        def comment(self, text: str) -> None:
            self._end_data()

        def _end_data(self) -> None:
            """The text gathered since the last tag as one string in the tree: what bs4's endData
            does, without its generality (no filter, no custom string classes, and no relinking of
            the tree, which a parse never leaves open behind the element being read)."""
            soup = self.soup
            pieces = soup.current_data
            if not pieces:
                return
            text = pieces[0] if len(pieces) == 1 else "".join(pieces)
            soup.current_data = []
            spaces = soup.ASCII_SPACES  # whitespace alone starts with one (a look at one character first)
            if not soup.preserve_whitespace_tag_stack and text[:1] in spaces and not text.strip(spaces):
                text = "\n" if "\n" in text else " "  # bs4's one character for whitespace alone
            container = NavigableString
            if soup.string_container_stack:  # a JSON-LD <script>'s text is a Script
                container = self.string_containers.get(soup.string_container_stack[-1].name, container)
            parent, previous = soup.currentTag, soup._most_recent_element
            if container is NavigableString:  # its __new__, without setup()'s links, set here anyway
                string = str.__new__(NavigableString, text)
                string.hidden = False
            else:
                string = container(text)
            string.parent, string.previous_element = parent, previous
            string.next_element = string.next_sibling = None
            if previous is not None:
                previous.next_element = string
            sibling = parent.contents[-1] if parent.contents else None
            string.previous_sibling = sibling
            if sibling is not None:
                sibling.next_sibling = string
            soup._most_recent_element = string
            parent.contents.append(string)


def _is_json_ld(tag: str, attrib: dict) -> bool:
    return tag == "script" and str(attrib.get("type", "")).strip().lower() == "application/ld+json"


@dataclass
class Outside:
    """The blocks of a page outside the story's container, above it and below it, each with the
    dropped block that records it: the trained model may still judge one of them story."""

    before: list[Block] = field(default_factory=list)
    after: list[Block] = field(default_factory=list)
    records: list[DroppedBlock] = field(default_factory=list)  # one per block, before then after


def _outside(soup: BeautifulSoup, root: Tag, thread: bool = False) -> tuple[list[DroppedBlock], Outside]:
    """What the page holds besides the story's container, as dropped blocks: furniture by its
    reason, the rest as outside the story (those blocks also apart, split where the container
    stood). The container is taken out of the page to do so."""
    page = soup.body or soup
    if root is page or root.parent is None:
        return [], Outside()
    stand_in = soup.new_tag(ROOT_STAND_IN)
    root.replace_with(stand_in)
    dropped = _remove_furniture(page, thread)
    blocks, at = _blocks(page, stand_in=stand_in)
    records = [DroppedBlock(block.text, "outside the story") for block in blocks]
    return dropped + records, Outside(blocks[:at], blocks[at:], records)


def _words(blocks: list[Block]) -> int:
    return sum(block.text.count(" ") + 1 for block in blocks)


def declared_body(head: Survey) -> str | None:
    """The article text a page declares in its JSON-LD (schema.org articleBody), if any."""
    for script in head.json_ld:
        body = _json_ld_values(script, "articleBody")
        if body and len(body[0].split()) >= MIN_DECLARED_WORDS:
            return html_module.unescape(body[0])
    return None


def flat_page(html: str) -> Page:
    """A page read without parsing: its text between tags, one block per line, scripts and styles left out."""
    title = TITLE_TAG.search(html)
    text = html_module.unescape(TAG.sub("\n", INVISIBLE_BLOCKS.sub("\n", html)))
    return Page(normalize(html_module.unescape(title.group(1))) if title else "", text_blocks(text))


def nesting_depth(html: str, limit: int) -> int:
    """How deeply elements nest (stopping once past limit), counted from the tags alone. Tags inside
    scripts, styles and templates are text to a parser: a theme's script holding 1,238 "<span"
    strings never closed made a page of news 1,240 levels deep, and read as flat text."""
    depth = deepest = 0
    for closing, name, attributes in TAG.findall(INVISIBLE_BLOCKS.sub("", html)):
        if closing:
            depth = max(depth - 1, 0)
        elif not attributes.endswith("/") and name.lower() not in VOID_TAGS:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
    return deepest


@dataclass
class Survey:
    """What one walk over the page finds before cleaning: metadata, and the elements never shown."""

    metas: dict[tuple[str, str], str] = field(default_factory=dict)  # (attribute, lowercased name) -> content
    json_ld: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)  # microdata: <span itemprop="datePublished">
    shown_dates: list[str] = field(default_factory=list)  # <span class="post-date">May 18, 2023</span>
    h1: str | None = None
    title: str | None = None
    canonical: str | None = None
    invisible: list[Tag] = field(default_factory=list)
    forms: list[Tag] = field(default_factory=list)
    has_article: bool = False  # an element saying it holds the story (see _article_like)
    thread_type: bool = False  # microdata saying the page is a discussion thread (see is_thread)

    def meta(self, attribute: str, name: str) -> str | None:
        return normalize(self.metas.get((attribute, name.lower()), "")) or None


# What survey() reads of an element with no attributes at all: its text, by its name alone.
SURVEYED_BARE = frozenset({"h1", "title"})


def survey(soup: BeautifulSoup) -> Survey:
    """One walk over every element: each lookup by bs4's find() would walk the whole page again."""
    found = Survey()
    for tag in soup.descendants:
        if not isinstance(tag, Tag):
            continue
        name, attrs = tag.name, tag.attrs
        if name == "form":
            found.forms.append(tag)
        if not found.has_article and _article_like(tag):
            found.has_article = True
        if not found.thread_type and attrs and "itemtype" in attrs:
            found.thread_type = bool(bp.THREAD_ITEMTYPE.search(str(attrs["itemtype"])))
        if not found.thread_type and attrs and name in ("html", "body"):
            found.thread_type = bool(bp.THREAD_TEMPLATE.search(_attribute_words(attrs)))
        if name in INVISIBLE_SET:
            found.invisible.append(tag)
            if _is_json_ld(name, attrs):
                found.json_ld.append(tag.string or "")
        if name == "meta":
            content = attrs.get("content")
            for attribute in ("property", "name", "itemprop"):
                key = attrs.get(attribute)
                if isinstance(key, str) and isinstance(content, str):
                    found.metas.setdefault((attribute, key.lower()), content)
        elif not attrs and name not in SURVEYED_BARE:
            continue  # an element without attributes is read below only for these names
        elif attrs.get("itemprop") == "datePublished":
            stated = tag.get("datetime") or tag.get("content") or tag.get_text(" ")
            if isinstance(stated, str) and stated.strip():
                found.published.append(normalize(stated))
        elif name == "time" and isinstance(tag.get("datetime"), str) and tag["datetime"].strip():
            found.times.append(tag["datetime"].strip())
        elif len(found.shown_dates) < bp.SHOWN_DATES_READ and _marked_as_date(tag):
            text = normalize(tag.get_text(" "))
            if text and len(text) <= bp.SHOWN_DATE_MAX_CHARS and any(c.isdigit() for c in text):
                found.shown_dates.append(text)
        elif name == "h1" and found.h1 is None:
            found.h1 = rendered_text(tag)
        elif name == "title" and found.title is None:
            found.title = normalize(tag.get_text(" "))
        elif name == "link" and found.canonical is None and "canonical" in str(tag.get("rel", "")).lower().split():
            href = tag.get("href")
            found.canonical = href if isinstance(href, str) else None
    return found


def _attribute_words(attrs: dict) -> str:
    """An element's attribute values as one string (class lists joined)."""
    return " ".join(" ".join(value) if isinstance(value, list) else str(value) for value in attrs.values())


def rendered_text(element: Tag) -> str:
    """An element's text as a browser renders it: inline pieces joined as they stand (whitespace
    between them is in the page's strings), a space only where a block element or <br> breaks the
    line. get_text(" ") parted a headline's words at every inline tag ("<b>U</b>2" as "U 2", a CJK
    headline's characters between its spans)."""
    pieces = []
    for node in element.descendants:
        if isinstance(node, Tag):
            if node.name in BLOCK_TAGS:
                pieces.append(" ")
        elif type(node) in Tag.MAIN_CONTENT_STRING_TYPES:  # as get_text(): not a ruby's reading
            pieces.append(node)
    return normalize("".join(pieces))


def page_title(head: Survey, site_name: str | None) -> str:
    """og:title, else the first <h1>, else <title>; without the site's name."""
    candidates = [head.meta("property", "og:title"), head.meta("name", "twitter:title"), head.h1, head.title]
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


# Every word rules.DATE_CLASS matches holds one of these (case aside).
DATE_CLASS_WORDS = ("date", "published", "posted-on", "timestamp")


def _marked_as_date(tag: Tag) -> bool:
    """An element whose class or id says it holds the page's date ("post-date", "entry-date")."""
    attrs = tag.attrs
    if not attrs:
        return False
    given, named = attrs.get("class"), attrs.get("id")
    if not (given or named):
        return False  # most elements: no marks to read
    if isinstance(given, str | None) and isinstance(named, str | None):  # as parse() leaves them
        marks = f"{given} {named}" if given and named else given or named
    else:  # a class split into words, as other parsers give it
        marks = " ".join(v if isinstance(v, str) else " ".join(v) for v in (given, named) if v)
    if marks.isascii() and not any(map(marks.lower().__contains__, DATE_CLASS_WORDS)):
        return False  # DATE_CLASS cannot match (beyond ASCII, a case-blind "ı" matches "i")
    return bool(marks) and bool(bp.DATE_CLASS.search(marks)) and not bp.MODIFIED_META.search(marks)


def date_candidates(head: Survey) -> list[str]:
    """Publication dates the page declares: meta tags, JSON-LD datePublished, <time datetime>."""
    found = [value for attribute, name in DATE_META if (value := head.meta(attribute, name))]
    for script in head.json_ld:
        found.extend(_json_ld_values(script, "datePublished"))
    found.extend(head.published)
    # Sites' own names for it ("w-published-date", "parsely-pub-date"), never a modification date.
    found.extend(
        value for (_, key), value in head.metas.items() if PUBLISHED_META.search(key) and not MODIFIED_META.search(key)
    )
    found.extend(head.times)
    return list(dict.fromkeys(found))


def _json_ld_values(text: str, key: str) -> list[str]:
    """Every string value of `key` anywhere in a JSON-LD script."""
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
            value = item.get(key)
            if isinstance(value, str):
                dates.append(value)
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
    return dates


def _remove_furniture(root: Tag, thread: bool = False) -> list[DroppedBlock]:
    """Removes furniture under root (never root itself), in page order, not looking inside what goes.
    An element named like furniture that holds nearly all of root's text wraps the page (see
    WRAPPER_SHARE): it is looked into instead.
    A comment section's heading wearing a comment class (`<h2 id="comments">Comments</h2>`) stays:
    the comments below it may wear none, and it is where the classifier's comment section opens.
    On a photo story (its text told in its photos' captions) the captions stay."""
    found = []
    root_chars: int | None = None  # counted when an element might wrap the page
    stack = [child for child in reversed(root.contents) if isinstance(child, Tag)]
    while stack:
        tag = stack.pop()
        reason = furniture_reason(tag, thread)
        if reason == COMMENT_REASON and _heads_comments(tag):
            continue  # left in place: the classifier's comment section opens at this heading
        text = normalize(tag.get_text(" ")) if reason else ""
        if reason != COMMENT_REASON and len(text) >= MIN_WRAPPER_CHARS:
            root_chars = root_chars or len(normalize(root.get_text(" ")))
            if len(text) >= WRAPPER_SHARE * root_chars and _holds_prose(tag):
                reason = None  # it wraps the page: what is furniture inside it goes below
        if reason:
            found.append((tag, reason, text))
        else:
            stack.extend([child for child in reversed(tag.contents) if isinstance(child, Tag)])
    if _is_photo_story(root, found):
        found = [item for item in found if item[1] != CAPTION_REASON]
    for tag, _, _ in found:
        tag.extract()  # unlinked, not destroyed: bs4's decompose() walks the whole subtree
    return [DroppedBlock(text, reason) for _, reason, text in found if text]


def _holds_prose(element: Tag) -> bool:
    """Whether an element holds a story's paragraph (a <p> of a sentence's length at least), not
    only a menu's or a list's words."""
    return any(len(p.get_text(" ", strip=True)) >= SIBLING_PARAGRAPH_CHARS for p in element.find_all("p"))


def _is_photo_story(root: Tag, furniture: list[tuple[Tag, str, str]]) -> bool:
    """Whether the story is told in its photos' captions (a photo blog's post, a gallery): they
    hold a story's worth of words, and PHOTO_STORY_SHARE times what the container keeps besides."""
    captions = sum(len(text.split()) for _, reason, text in furniture if reason == CAPTION_REASON)
    if captions < PHOTO_STORY_MIN_WORDS:
        return False
    rest = len(root.get_text(" ").split()) - sum(len(text.split()) for _, _, text in furniture)
    return captions >= PHOTO_STORY_SHARE * rest


def furniture_reason(tag: Tag, thread: bool = False) -> str | None:
    """Why an element is page furniture, from its tag, class or id; None if it may hold story. On a
    thread (is_thread) the posts wear comment classes ("comment", "reply"): those are its content."""
    if tag.name in NEVER_REMOVED:
        return None
    if tag.name in FURNITURE_TAGS:
        if tag.name == "figure" and tag.find(FIGURE_CONTENT) is not None:
            return None  # a table or a pull quote set as a figure: its caption still goes
        return FURNITURE_TAGS[tag.name]
    names = _names(tag)
    if not names:
        return None
    reason = _names_reason(names, thread)
    if thread and reason != (unthreaded := _names_reason(names, False)) and _under_question_or_answer(tag):
        reason = unthreaded  # a post's comments, not a post
    if reason is NAMES_CONTENT:
        return "navigation" if tag.attrs.get("role") == "navigation" else None
    return reason


def _under_question_or_answer(tag: Tag) -> bool:
    """Whether the nearest microdata item around tag (a post itself may wear a comment class) is a
    Q&A page's question or answer: its comment-classed parts are that post's comments."""
    if bp.QA_POST_ITEMTYPE.search(str(tag.attrs.get("itemtype", ""))):
        return False
    for parent in tag.parents:
        if parent.attrs and "itemtype" in parent.attrs:
            return bool(bp.QA_POST_ITEMTYPE.search(str(parent.attrs["itemtype"])))
    return False


NAMES_CONTENT = "names the content"  # _names_reason's verdict for names that also name the content


@lru_cache(maxsize=4096)
def _names_reason(names: str, thread: bool) -> str | None:
    """furniture_reason's verdict on an element's class, id and role words: a reason, NAMES_CONTENT,
    or None. Kept per names: a page repeats them (every item of a menu or a list wears the same),
    and the searches took most of the time spent removing furniture."""
    if ANY_ALWAYS_FURNITURE_CLASS.search(names):  # one search to rule out most elements, then which
        reason = next(reason for pattern, reason in ALWAYS_FURNITURE_CLASS if pattern.search(names))
        if not (thread and reason == COMMENT_REASON):
            return reason
    if CONTENT_CLASS.search(names):
        return NAMES_CONTENT
    if ANY_FURNITURE_CLASS.search(names):
        return next(reason for pattern, reason in FURNITURE_CLASS if pattern.search(names))
    return None


def _names(tag: Tag) -> str:
    """The words an element's class, id and role attributes hold, lowercased ("" when it has none),
    without those that say the element is not furniture ("non-paywall", "no-sidebar")."""
    attrs = tag.attrs
    if not attrs:
        return ""
    names = f"{attrs.get('class') or ''} {_own_id(attrs)} {attrs.get('role') or ''}".strip().lower()
    return bp.NEGATED_NAME.sub("", names) if "no" in names else names


def _own_id(attrs: dict) -> str:
    """An element's id, unless it is an address: a page saved with its URL as a wrapper's id
    ("...read-comments-on-mobile-web") names the story, not the element's role."""
    value = attrs.get("id") or ""
    return "" if "://" in value else value


def content_root(soup: BeautifulSoup, thread: bool = False, forms: list[Tag] | None = None) -> Tag:
    """The element holding the story (the idea of Readability's scoring, then climbing).

    Every run of text under one block element is a paragraph; paragraphs in comment sections and
    other furniture, or mostly made of links, do not count, so a long comment thread cannot outweigh
    the story. The element whose paragraphs (and its children's, at half weight) weigh most wins;
    then, for stories split into several sibling containers, the search climbs to the ancestor
    holding CLIMB_GAIN times as much paragraph text. The element found is kept even when its own
    class looks like furniture ("entry-content-read-more", a blog's "widget Blog"). On a thread
    (is_thread) the posts count however their containers are named, comment sections included.
    """
    paragraphs = _paragraphs(soup, thread, forms)
    scores: dict[int, float] = {}
    totals: dict[int, int] = {}
    elements: dict[int, Tag] = {}
    for holder, length in paragraphs:
        # A paragraph counts for its container; text written straight into a container (lines
        # separated by <br>, as blogs do) counts for that container itself.
        first = holder.parent if holder.name in PARAGRAPH_TAGS else holder
        for weight, ancestor in zip((1.0, 0.5), (first, first and first.parent), strict=True):
            if isinstance(ancestor, Tag) and ancestor.name != "[document]":
                scores[id(ancestor)] = scores.get(id(ancestor), 0.0) + weight * length
                elements[id(ancestor)] = ancestor
        ancestor = holder
        while ancestor is not None:  # the holder and each of its ancestors
            totals[id(ancestor)] = totals.get(id(ancestor), 0) + length
            ancestor = ancestor.parent
    body = soup.body or soup
    if not scores:
        return body
    root = elements[max(scores, key=scores.__getitem__)]
    while (higher := _richer_ancestor(root, totals)) is not None:
        root = higher
    return _with_siblings(soup, root, totals, thread)


def _with_siblings(soup: BeautifulSoup, root: Tag, totals: dict[int, int], thread: bool = False) -> Tag:
    """The container joined by its siblings that hold story too (Readability's sibling step): a
    lead paragraph above the story's box, a last paragraph below it, and lists and tables of short
    items beside it (a recipe's ingredients, a race's results: too short to count as paragraphs).
    They are moved, in page order, into a new element standing where the container stood."""
    if not isinstance(root.parent, Tag) or root.name in ("body", "html"):
        return root
    gathered = _story_boxes(root, totals, thread)
    if len(gathered) > 1:
        return _moved_into_one(soup, gathered, gathered[0])
    own = totals.get(id(root), 0)
    siblings, seen_root = [], False
    for sibling in (s for s in root.parent.contents if isinstance(s, Tag)):
        if sibling is root:
            seen_root = True
        elif seen_root and not thread and _heads_comments(sibling):
            break  # below a "Comments" heading are readers' words, however story-like
        siblings.append(sibling)
    joined = [s is root or _holds_story(s, totals.get(id(s), 0), own, thread) for s in siblings]
    at = next(i for i, s in enumerate(siblings) if s is root)
    for step in (-1, 1):  # outwards from the container, while each next box is joined or items
        i = at + step
        while 0 <= i < len(siblings) and (joined[i] or _is_empty(siblings[i]) or _holds_items(siblings[i], thread)):
            joined[i] = joined[i] or not _is_empty(siblings[i])
            i += step
    if sum(joined) == 1:
        return root
    return _moved_into_one(soup, [element for element, join in zip(siblings, joined, strict=True) if join], root)


def _moved_into_one(soup: BeautifulSoup, elements: list[Tag], at: Tag) -> Tag:
    """A new element standing where `at` stood, holding the elements in page order."""
    container = soup.new_tag("div")
    at.insert_before(container)
    for element in elements:
        container.append(element.extract())
    return container


def _story_boxes(root: Tag, totals: dict[int, int], thread: bool = False) -> list[Tag]:
    """The container and the boxes of prose around it, in page order: a story a site's page
    builder splits into boxes (its lead in one, its body in the next, a last paragraph in a third)
    holds too little outside its biggest box for the climb. From the container up, while every
    other child of the next ancestor looks like story (prose, a short line, a heading, items), the
    ancestor's boxes of prose are taken; at the first ancestor where one does not, only those next
    to the path, outwards until a box that does not look like story. A box holding the page's
    headline (an <h1>, a <header>) is left out: its standfirst and byline are judged as outside."""
    gathered = [root]
    node = root
    for _ in range(MAX_STORY_BOX_LEVELS):
        parent = node.parent
        if not isinstance(parent, Tag) or parent.name in PAGE_LEVELS or _holds_no_story(parent, thread):
            break
        children = [c for c in parent.contents if isinstance(c, Tag)]
        at = children.index(node)
        before, after = children[:at], children[at + 1 :]
        if not all(_is_empty(c) or _looks_like_story(c, totals, thread) for c in before + after) or (
            not thread and any(_opens_comments(c) for c in after)
        ):
            before, after = _story_run(before[::-1], totals, thread)[::-1], _story_run(after, totals, thread)
            return [*_prose_boxes(before, totals, thread), *gathered, *_prose_boxes(after, totals, thread)]
        gathered = [*_prose_boxes(before, totals, thread), *gathered, *_prose_boxes(after, totals, thread)]
        node = parent
    return gathered


def _story_run(boxes: list[Tag], totals: dict[int, int], thread: bool) -> list[Tag]:
    """The boxes, from the first, up to the first that does not look like story (or opens comments)."""
    run = []
    for box in boxes:
        if _is_photo_box(box):
            continue  # a photo between the story's boxes, its caption's credit a link: passed over
        if not (_is_empty(box) or _looks_like_story(box, totals, thread)) or (not thread and _opens_comments(box)):
            break
        run.append(box)
    return run


def _is_photo_box(box: Tag) -> bool:
    """A box holding a photo and at most a caption's words."""
    return box.find(PHOTO_TAGS) is not None and _text_chars(box) <= MAX_PHOTO_CAPTION_CHARS


def _opens_comments(box: Tag) -> bool:
    """A box holding only a comment section's heading, or one whose heading opens the section
    ("<h3>COMMENTS</h3>" over the first comment)."""
    if _heads_comments(box):
        return True
    return any(bp.COMMENT_SECTION_START.match(normalize(h.get_text(" "))) for h in box.find_all(HEADING_TAGS))


def _prose_boxes(boxes: list[Tag], totals: dict[int, int], thread: bool) -> list[Tag]:
    return [box for box in boxes if _is_prose_box(box, totals, thread)]


def _is_prose_box(box: Tag, totals: dict[int, int], thread: bool) -> bool:
    """Mostly paragraph text, or items, and not the page's headline."""
    if _is_empty(box) or box.name in HEADLINE_TAGS or box.find(HEADLINE_TAGS) is not None:
        return False
    text = _text_chars(box)
    return _prose_chars(box, totals) >= STORY_BOX_PROSE_SHARE * text or (
        text > SHORT_LINE_CHARS and _holds_items(box, thread)
    )


def _looks_like_story(box: Tag, totals: dict[int, int], thread: bool = False) -> bool:
    """Prose (mostly paragraph text, few links), a short line without links, or items; not furniture."""
    if _holds_no_story(box, thread) or furniture_reason(box, thread):
        return False
    text = _text_chars(box)
    linked = text if box.name == "a" else _linked_chars(box)
    if linked > STORY_BOX_LINK_SHARE * text:
        return False
    if _prose_chars(box, totals) >= STORY_BOX_PROSE_SHARE * text or text <= SHORT_LINE_CHARS:
        return True
    return _holds_items(box, thread)


def _prose_chars(box: Tag, totals: dict[int, int]) -> int:
    """The box's paragraph text (see _paragraphs), its headings' text included: a subheading is story."""
    if box.name in HEADING_TAGS:
        return max(totals.get(id(box), 0), _text_chars(box))
    headings = (h for h in box.find_all(HEADING_TAGS) if not totals.get(id(h), 0))
    return totals.get(id(box), 0) + sum(_text_chars(h) for h in headings)


def _is_empty(element: Tag) -> bool:
    """A box without text (a spacer, a rule, an image): no reason to stop looking beyond it."""
    return next(element.stripped_strings, None) is None


def _holds_items(element: Tag, thread: bool = False) -> bool:
    """A list or table of short items with next to no links, and not furniture: content whose
    lines are too short to count as paragraphs (ingredients, results, a schedule). Lists of other
    articles (linked headlines with teasers) and bylines (linked names) have links."""
    if _holds_no_story(element, thread) or furniture_reason(element, thread):
        return False
    if len(element.find_all(LIST_ITEM_TAGS, limit=MIN_LIST_ITEMS)) < MIN_LIST_ITEMS:
        return False
    text = sum(len(piece) for piece in element.stripped_strings)
    return _linked_chars(element) <= MAX_ITEMS_LINK_SHARE * text


def _linked_chars(element: Tag) -> int:
    """Characters of text inside the element's links."""
    return sum(len(piece) for link in element.find_all("a") for piece in link.stripped_strings)


def _heads_comments(element: Tag) -> bool:
    """A box holding only a comment section's heading ("Kommentare", "12 Comments")."""
    pieces = list(islice(element.stripped_strings, COMMENT_HEADING_PIECES + 1))
    if not pieces or len(pieces) > COMMENT_HEADING_PIECES:
        return False
    return bool(bp.COMMENT_SECTION_START.match(normalize(" ".join(pieces))))


def _holds_story(sibling: Tag, text: int, story: int, thread: bool = False) -> bool:
    if _holds_no_story(sibling, thread):
        return False
    return text >= SIBLING_SHARE * story or (sibling.name in PARAGRAPH_TAGS and text >= SIBLING_PARAGRAPH_CHARS)


def _richer_ancestor(element: Tag, totals: dict[int, int]) -> Tag | None:
    """The nearest ancestor, at most CLIMB_LEVELS up, holding CLIMB_GAIN times the element's
    paragraph text. A wrapper around one element and nothing else (a <font> in a table's only
    cell, as old pages nest their text) is no level: it parts nothing from the story; above an
    element saying it holds the story (<article>, <main>), every ancestor is a level again, as
    beyond it lie other articles' teasers."""
    own = totals.get(id(element), 0)
    level = 0
    left_article = _article_like(element)
    for steps, ancestor in enumerate(element.parents, start=1):
        if ancestor.name in PAGE_LEVELS:
            return None
        if left_article or not _only_wraps(ancestor):
            level += 1
        left_article = left_article or _article_like(ancestor)
        if level > CLIMB_LEVELS:
            return None
        gain = CLIMB_GAIN if steps <= CLIMB_LEVELS else FAR_CLIMB_GAIN
        if totals.get(id(ancestor), 0) >= gain * own:
            return ancestor
    return None


def _only_wraps(element: Tag) -> bool:
    """An element whose content is one element and no text of its own."""
    children = [c for c in element.contents if isinstance(c, Tag) or (isinstance(c, NavigableString) and c.strip())]
    return len(children) == 1 and isinstance(children[0], Tag)


def _paragraphs(soup: BeautifulSoup, thread: bool = False, forms: list[Tag] | None = None) -> list[tuple[Tag, int]]:
    """Each block element with enough text of its own (not in links, not in furniture), and its
    length. `forms`: the page's forms, as survey() found them (else looked for here)."""
    lengths: dict[int, int] = {}
    linked: dict[int, int] = {}
    holders: dict[int, Tag] = {}
    ancestors: dict[int, tuple[Tag, bool]] = {}
    for text in soup.descendants:
        if not isinstance(text, NavigableString) or isinstance(text, SKIPPED_STRINGS) or not text.strip():
            continue
        holder, in_link = _block_ancestor(text, soup, ancestors)
        size = len(text.strip())
        lengths[id(holder)] = lengths.get(id(holder), 0) + size
        linked[id(holder)] = linked.get(id(holder), 0) + (size if in_link else 0)
        holders[id(holder)] = holder
    furniture: dict[int, bool] = {}
    for form in _forms_to_fill(soup, soup.find_all("form") if forms is None else forms):
        furniture[id(form)] = True
    comments_from = len(lengths) if thread else _comment_heading_position(holders, lengths, linked)
    return [
        (holders[key], length)
        for position, (key, length) in enumerate(lengths.items())
        if position < comments_from
        and length >= MIN_PARAGRAPH_CHARS
        and linked[key] < MAX_PARAGRAPH_LINK_SHARE * length
        and holders[key].name not in PAGE_LEVELS
        and not _inside_furniture(holders[key], furniture, thread)
    ]


def _forms_to_fill(soup: BeautifulSoup, forms: list[Tag]) -> list[Tag]:
    """The page's forms with fields to fill (a newsletter's sign-up, a share-by-mail box: their
    <label>s name the fields) beside the story, whose labels and notices are no evidence of where
    the story is. A form without labels may hold a forum's thread (its moderation form), and one
    holding nearly all the page's text wraps it (ASP.NET's, a page of settings): that text counts."""
    forms = [form for form in forms if form.find("label") is not None]
    if not forms:
        return []
    page_chars = _text_chars(soup.body or soup)
    return [form for form in forms if _text_chars(form) < WRAPPER_SHARE * page_chars]


def _comment_heading_position(holders: dict[int, Tag], lengths: dict[int, int], linked: dict[int, int]) -> int:
    """Where, among the page's text blocks in order, a line opening a thread of readers' comments
    ("Comments are now closed", "YOUR SAY") stands below a story's worth of text: the readers' words after it are
    no evidence of where the story is, however much of them there is. len(lengths) if none. A link
    ("Comments" in a post's byline, pointing to its thread) is not a heading, nor is a label in a
    list or table ("Comments: 12" among a page's statistics)."""
    above = 0
    for position, (key, length) in enumerate(lengths.items()):
        heading_sized = above >= STORY_CHARS_ABOVE_COMMENTS and length <= COMMENT_HEADING_MAX_CHARS
        holder = holders[key]
        if (
            heading_sized
            and not linked[key]
            and holder.name not in LABEL_TAGS
            and bp.THREAD_OPENER.match(normalize(holder.get_text(" ")))
        ):
            return position
        if length >= MIN_PARAGRAPH_CHARS:
            above += length
    return len(lengths)


def _holds_no_story(element: Tag, thread: bool = False) -> bool:
    """Comment sections, cookie notices, footers and sidebars (an <aside>, or a box whose class or
    id is the word "sidebar" itself): never the story's container. (Other furniture classes, and
    "sidebar" within a longer name such as "content-sidebar-wrap", are too often worn by story
    containers to rule them out here.) On a thread, comment classes name its posts."""
    if element.name in ("footer", "aside", "nav"):
        return True
    attrs = element.attrs
    if not attrs:
        return False
    names = f"{attrs.get('class') or ''} {_own_id(attrs)}".lower()
    return bool((NOTICE_CLASS if thread else NO_STORY_CLASS).search(names) or SIDEBAR_NAME.search(names))


def _inside_furniture(element: Tag, known: dict[int, bool], thread: bool = False) -> bool:
    """Whether an element is, or sits in, a comment section, footer or sidebar (cached in `known`).
    A <main>, itemprop=articleBody or id="content" is never furniture's: inside a menu, a sidebar
    or a footer, it was misnested (an element left unclosed above it), and it holds the story. (Not <article>: sidebars
    and comment sections hold teasers and comments as articles.)"""
    chain = []
    for ancestor in [element, *element.parents]:
        if id(ancestor) in known:
            verdict = known[id(ancestor)]
            break
        chain.append(ancestor)
        if ancestor.name in PAGE_LEVELS:
            verdict = False
            break
        if _holds_main_story(ancestor):
            verdict = False
            break
        if _holds_no_story(ancestor, thread):
            verdict = True
            break
    else:
        verdict = False
    for ancestor in chain:
        known[id(ancestor)] = verdict
    return verdict


def _blocks(root: Tag, root_in_article: bool = False, stand_in: Tag | None = None) -> tuple[list[Block], int]:
    """Consecutive text under the same block element, with the share of it inside links and
    whether it lies in an element saying it holds the story; and how many blocks come before
    `stand_in` (an empty element standing where the story's container was), if given."""
    blocks: list[Block] = []
    at = -1
    current: Tag | None = None
    parts: list[str] = []
    link_chars = 0
    known: dict[int, bool] = {}
    ancestors: dict[int, tuple[Tag, bool]] = {}

    def flush() -> None:
        text = normalize("".join(parts))  # inline pieces as rendered: "m<sup>3</sup>" is "m3"
        if text:
            density = min(1.0, link_chars / len(text))
            in_article = root_in_article or _inside_article(current or root, root, known)
            blocks.append(Block(text, tag=current.name if current else "", link_density=density, in_article=in_article))

    for node in root.descendants:
        if isinstance(node, Tag):
            if node is stand_in:
                flush()
                current, parts, link_chars = None, [], 0
                at = len(blocks)
            elif node.name in BLOCK_TAGS:
                # Text before and after a block element is two paragraphs, as a browser renders
                # it even when the element is empty; lines separated by <br> too, as blogs write them.
                flush()
                current, parts, link_chars = None, [], 0
            continue
        if not isinstance(node, NavigableString) or isinstance(node, SKIPPED_STRINGS):
            continue
        block, in_link = _block_ancestor(node, root, ancestors)
        if block is not current:
            flush()
            current, parts, link_chars = block, [], 0
        parts.append(str(node))
        if in_link:
            link_chars += len(node.strip())
    flush()
    return blocks, (len(blocks) if at < 0 else at)


def _inside_article(element: Tag, root: Tag, known: dict[int, bool]) -> bool:
    """Whether an element is, or sits under root in, an article-like element (cached in `known`)."""
    chain = []
    verdict = False
    for ancestor in [element, *element.parents]:
        if id(ancestor) in known:
            verdict = known[id(ancestor)]
            break
        chain.append(ancestor)
        if _article_like(ancestor):
            verdict = True
            break
        if ancestor is root:
            break
    for ancestor in chain:
        known[id(ancestor)] = verdict
    return verdict


def _block_ancestor(node: NavigableString, root: Tag, known: dict[int, tuple[Tag, bool]]) -> tuple[Tag, bool]:
    """The block element holding a string (root, if none below it does), and whether a link
    holds it; the same for every string of one parent, so `known` keeps it by parent for a walk
    that leaves the tree as it is."""
    start = node.parent
    found = known.get(id(start))
    if found is not None:
        return found
    in_link = False
    parent = start
    while parent is not None and parent is not root and parent.name not in BLOCK_TAGS:
        in_link = in_link or parent.name == "a"
        parent = parent.parent
    found = known[id(start)] = (parent if parent is not None else root), in_link
    return found
