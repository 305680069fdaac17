"""Stage 1, clean: keep the story and its title, drop page furniture and comments, say why.

Text and HTML go through one block classifier:
1. split the source into blocks (lines of a text dump, block elements of an HTML page);
2. find the title (a headline-shaped first line, or the page's og:title, <h1> or <title>);
3. give each block a reason to drop it, from its own shape (caption, credit, related link, comment
   widget, link spam, share furniture) and, for HTML, from its element (tag, class, link density);
4. drop whole runs of comment-like blocks that contain a comment widget, so the excerpts a
   "recent comments" widget lists go with it;
5. for pages (HTML, or text scraped from one), let a small trained model have the final say on
   each block, from the rules' verdicts, the block's shape and the page's own signals (judge.py);
6. judge the page as a whole (page.py): a listing, product page, search results or login wall
   holds no story, and its body is emptied, its kept blocks recorded as dropped; so is any
   document whose every block was dropped.
"""

from __future__ import annotations

from searcher.clean.blocks import Block, text_blocks, text_paragraphs
from searcher.clean.classify import classify
from searcher.clean.page import FURNITURE_ONLY, story_verdict
from searcher.clean.text import back_to_lines
from searcher.models import CleanedDocument, DroppedBlock, NoStory, SourceDocument

__all__ = ["classified_page", "clean"]


def clean(source: SourceDocument) -> CleanedDocument:
    """The story of one source document: its title and paragraphs, and what was dropped and why."""
    if source.kind == "html":
        result, blocks, kept = classified_page(source)
        return _judged_as_page(result, story_verdict(blocks, kept, source.content))
    # A scraped page's text holds menus and footers around the story; a record is the story alone.
    page_like = source.kind == "text"
    blocks = text_paragraphs(source.content) if page_like else text_blocks(source.content)
    result = classify(source, blocks, source.title or "", bool(source.title), (), source.url, None, (), page_like)
    result = back_to_lines(result, blocks)
    return _judged_as_page(result, None if result.paragraphs else FURNITURE_ONLY)


def classified_page(source: SourceDocument) -> tuple[CleanedDocument, list[Block], list[Block]]:
    """An HTML page as the block classifier leaves it, before the page is judged as a whole:
    the document, the page's blocks in order, and those behind its paragraphs."""
    from searcher.clean.html import html_blocks  # beautifulsoup4 is only loaded for HTML

    page = html_blocks(source.content)
    # A record's own title wins over the page's (a JSONL export names its articles).
    title = source.title or page.title
    result = classify(
        source,
        page.blocks,
        title,
        bool(title),
        page.date_candidates,
        page.url,
        page.site_name,
        page.dropped,
        signals=page.signals,
        outside=page.outside,
    )
    candidates = [*page.outside.before, *page.blocks, *page.outside.after]
    by_text = {block.text: block for block in reversed(candidates)}  # the classifier hands back text alone
    return result, candidates, [by_text.get(text) or Block(text) for text in result.paragraphs]


NO_STORY_REASON = "no story on the page"


def _judged_as_page(result: CleanedDocument, no_story: NoStory | None) -> CleanedDocument:
    """The document as cleaned, or, when it holds no story, with an empty body: what was kept is
    recorded as dropped, so `searcher clean` still shows it."""
    if no_story is None:
        return result
    dropped = result.dropped + tuple(DroppedBlock(text, NO_STORY_REASON) for text in result.paragraphs)
    return result._replace(paragraphs=(), dropped=dropped, no_story=no_story)
