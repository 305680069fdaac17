"""The cleaner's last step: whether the page holds a story at all.

A section front, a product grid, search results or a login wall holds no story; judged block by
block, such a page still leaves its teasers and furniture behind. Once every block is judged, the
page as a whole is, from positive evidence only (a story lost is far worse than furniture kept):
1. a page that declares a story (schema.org Article, NewsArticle, BlogPosting, ...; og:type
   article) holds one, whatever its blocks look like;
2. a page that declares itself a product, a list of items, a collection or search results, and
   keeps less prose than a short story's worth, is that kind of page;
3. a page whose kept text is mostly teasers (the short text the classifier kept below another
   article's headline, linked or a heading, up to the next one), more of them than story pages
   hold, no story's worth of text above the first of them, and no stretch between two headlines
   long enough to be a story's, is a listing;
4. a page with a password field whose little kept text asks the reader to sign in, subscribe or
   register is a login wall.
The thresholds were chosen leaving one extraction set out (tests/bench/no_story.py): chosen on
the six others, they flag none of a set's story pages but four of trafilatura-eval's 990 (shops'
product pages declaring a Product); chosen on all seven, they flag none of the 2,693 story pages
and 16% of WCXB's listings, 13% of its product pages, 5% of its collections.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from searcher.clean.blocks import Block
from searcher.clean.rules import HEADING_TAGS
from searcher.models import NoStory

# schema.org types (JSON-LD @type, microdata itemtype) that declare the page's story.
STORY_TYPES = frozenset({
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle",
    "liveblogposting", "report", "scholarlyarticle", "techarticle", "socialmediaposting",
    "discussionforumposting", "review", "recipe", "howto", "faqpage", "qapage",
})  # fmt: skip
# Types that declare a page of another kind, and the kind each names.
OTHER_TYPES = {
    "product": "product page",
    "productgroup": "product page",
    "itemlist": "listing",
    "collectionpage": "listing",
    "offercatalog": "listing",
    "searchresultspage": "search results",
}
# Each pattern starts with a literal, which the regex engine skips to: an alternation, or a
# case-insensitive pattern, is tried at every character of the page (43 ms on a large one).
JSON_LD_TYPE = re.compile(r"""@type["']\s*:\s*(\[[^\]]*\]|"[^"]*")""")
MICRODATA_TYPE = re.compile(r"""itemtype\s*=\s*["']?https?://(?:www\.)?[Ss]chema\.org/(\w+)""")
QUOTED = re.compile(r'"([^"]*)"')
OG_TYPE_CONTENT = re.compile(r"""\bcontent\s*=\s*["']([^"']*)""", re.IGNORECASE)
# Searched only on a page whose kept text asks to sign in.
PASSWORD_FIELD = re.compile(r"""<input\b[^>]*\btype\s*=\s*["']?password""", re.IGNORECASE)
SIGN_IN = re.compile(
    r"\b(?:sign(?:ed)?[ -]?in|log(?:ged)?[ -]?in|subscribe|subscriber|register|create an account|password"
    r"|anmelden|einloggen|abonn|registrieren|connectez|se connecter|iniciar sesi)",
    re.IGNORECASE,
)
# A sentence's end, in scripts that write no spaces between words too ("。").
SENTENCE_CLOSE = re.compile(r"[.!?…。！？:;][\"'”’»)\]]*\s*$")

# A paragraph of prose: closed like a sentence, mostly not links, at least this many characters
# (a character count, as Chinese and Japanese write no spaces between words).
PROSE_MIN_CHARS = 80
PROSE_MAX_LINK_DENSITY = 0.5
# A linked headline: mostly inside a link, a few words long.
HEADLINE_MIN_LINK_DENSITY = 0.7
HEADLINE_WORDS = (3, 20)
# A teaser: the kept text below a headline up to the next one, at most this long (a listing's one-
# or two-sentence summary; a story's section runs longer). A heading of fewer words is a label.
TEASER_MAX_CHARS = 350
HEADING_MIN_WORDS = 3


class Thresholds(NamedTuple):
    """Where each rule draws its line; chosen leaving one set out (tests/bench/no_story.py)."""

    declared_max_prose: int = 400  # a page declaring another kind keeps fewer characters of prose
    listing_min_teasers: int = 10  # a listing keeps at least this many teasers
    listing_min_share: float = 0.5  # making up this share of its kept text at least
    listing_max_lead: int = 100  # with fewer characters kept above the first teaser (a story's lead)
    listing_max_section: int = 800  # and no kept text of this many characters between two headlines
    login_max_kept: int = 800  # a login wall keeps fewer characters of text than this


SHIPPED = Thresholds()
FURNITURE_ONLY = NoStory("furniture only", "every block was dropped as furniture or comments")


class PageEvidence(NamedTuple):
    """What the rules read of a cleaned page."""

    declared: frozenset[str]  # schema.org types and og:type article, lowercased
    prose: tuple[int, ...]  # the characters of each prose paragraph kept
    teasers: int  # teasers kept (see TEASER_MAX_CHARS)
    teaser_chars: int  # their characters
    lead_chars: int  # the characters kept above the first teaser
    longest_section: int  # the most characters kept between two headlines (or above the first)
    kept_chars: int
    sign_in: bool  # a password field, and kept text asking to sign in (or subscribe, register)


def story_verdict(blocks: list[Block], kept: list[Block], html: str) -> NoStory | None:
    """Why an HTML page holds no story, from its blocks in page order, those the classifier kept,
    and the page's own declarations; None when it may hold one. The page's source is searched
    only when its blocks leave a rule a chance to fire (most stories' prose leaves none)."""
    if not kept:
        return FURNITURE_ONLY
    shape = _block_evidence(blocks, kept)
    only_listing = sum(shape.prose) >= SHIPPED.declared_max_prose and shape.kept_chars >= SHIPPED.login_max_kept
    if only_listing and verdict(shape) is None:
        return None  # only the listing rule could fire, and it does not
    return verdict(_with_declarations(shape, kept, html))


def page_evidence(blocks: list[Block], kept: list[Block], html: str) -> PageEvidence:
    """Everything the rules read of a page (the benchmark tries thresholds on it)."""
    return _with_declarations(_block_evidence(blocks, kept), kept, html)


def _block_evidence(blocks: list[Block], kept: list[Block]) -> PageEvidence:
    sections = _sections(blocks, {id(block) for block in kept})
    is_teaser = [headed and 0 < chars <= TEASER_MAX_CHARS for headed, chars in sections]
    teasers = [chars for (_, chars), teaser in zip(sections, is_teaser, strict=True) if teaser]
    first = is_teaser.index(True) if teasers else len(sections)
    return PageEvidence(
        declared=frozenset(),
        prose=tuple(len(block.text) for block in kept if _is_prose(block)),
        teasers=len(teasers),
        teaser_chars=sum(teasers),
        lead_chars=sum(chars for _, chars in sections[:first]),
        longest_section=max(chars for _, chars in sections),
        kept_chars=sum(len(block.text) for block in kept),
        sign_in=False,
    )


def _with_declarations(evidence: PageEvidence, kept: list[Block], html: str) -> PageEvidence:
    asks = any(SIGN_IN.search(block.text) for block in kept) and bool(PASSWORD_FIELD.search(html))
    return evidence._replace(declared=declared_types(html), sign_in=asks)


def _sections(blocks: list[Block], kept: set[int]) -> list[tuple[bool, int]]:
    """The page cut at each headline (a linked one, or a heading): for each stretch, whether a
    headline opens it, and the characters the classifier kept in it below the headline."""
    sections = [(False, 0)]
    for block in blocks:
        if _is_headline(block):
            sections.append((True, 0))
        elif id(block) in kept:
            headed, chars = sections[-1]
            sections[-1] = (headed, chars + len(block.text))
    return sections


def verdict(evidence: PageEvidence, limits: Thresholds = SHIPPED) -> NoStory | None:
    """The rules of the module's docstring, in order."""
    declared, prose = evidence.declared, evidence.prose
    if declared & STORY_TYPES:
        return None
    other = next((OTHER_TYPES[t] for t in sorted(declared) if t in OTHER_TYPES), None)
    if other and sum(prose) < limits.declared_max_prose:
        return NoStory(other, f"declared a {other} ({_declared_name(declared)}), {_prose_said(prose)}")
    if (
        evidence.teasers >= limits.listing_min_teasers
        and evidence.teaser_chars >= limits.listing_min_share * evidence.kept_chars
        and evidence.lead_chars < limits.listing_max_lead
        and evidence.longest_section < limits.listing_max_section
    ):
        share = evidence.teaser_chars / max(evidence.kept_chars, 1)
        said = f"{evidence.teasers} teasers under other articles' headlines, {share:.0%} of its text"
        return NoStory("listing", said)
    if evidence.sign_in and evidence.kept_chars < limits.login_max_kept:
        return NoStory("login wall", f"a password field and {evidence.kept_chars} characters asking to sign in")
    return None


def declared_types(html: str) -> frozenset[str]:
    """The schema.org types a page names (JSON-LD @type, microdata itemtype) and its og:type
    article, lowercased, without their namespace ("https://schema.org/NewsArticle" is "newsarticle")."""
    found = set()
    for match in JSON_LD_TYPE.finditer(html):
        found.update(_type_name(name) for name in QUOTED.findall(match.group(1)))
    found.update(_type_name(name) for name in MICRODATA_TYPE.findall(html))
    if _og_type(html) == "article":
        found.add("article")
    return frozenset(found)


def _type_name(name: str) -> str:
    return name.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower()


def _og_type(html: str) -> str | None:
    """The content of the page's <meta property="og:type"> (either attribute first)."""
    at = html.find("og:type")
    while at >= 0:
        start, end = html.rfind("<", 0, at), html.find(">", at)
        tag = html[start:end] if start >= 0 and end >= 0 else ""
        if tag[:5].lower() == "<meta" and (content := OG_TYPE_CONTENT.search(tag)):
            return content.group(1).strip().lower()
        at = html.find("og:type", at + 1)
    return None


def _is_prose(block: Block) -> bool:
    text = block.text
    return (
        len(text) >= PROSE_MIN_CHARS
        and block.link_density < PROSE_MAX_LINK_DENSITY
        and bool(SENTENCE_CLOSE.search(text))
    )


def _is_headline(block: Block) -> bool:
    """Another article's headline, linked, or a heading of a few words."""
    words = block.text.count(" ") + 1
    if block.tag in HEADING_TAGS:
        return words >= HEADING_MIN_WORDS
    low, high = HEADLINE_WORDS
    return block.link_density >= HEADLINE_MIN_LINK_DENSITY and low <= words <= high


def _declared_name(declared: frozenset[str]) -> str:
    return ", ".join(t for t in sorted(declared) if t in OTHER_TYPES)


def _prose_said(prose: list[int]) -> str:
    if not prose:
        return "no paragraph of prose"
    return f"{len(prose)} short paragraph{'s' if len(prose) > 1 else ''} of prose ({sum(prose)} characters)"
