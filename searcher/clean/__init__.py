"""Stage 1, clean: keep the story and its title, drop page furniture and comments, say why.

Text and HTML go through one block classifier:
1. split the source into blocks (lines of a text dump, block elements of an HTML page);
2. find the title (a headline-shaped first line, or the page's og:title, <h1> or <title>);
3. give each block a reason to drop it, from its own shape (caption, credit, related link, comment
   widget, link spam, share furniture) and, for HTML, from its element (tag, class, link density);
4. drop whole runs of comment-like blocks that contain a comment widget, so the excerpts a
   "recent comments" widget lists go with it;
5. for pages (HTML, or text scraped from one), let a small trained model have the final say on
   each block, from the rules' verdicts, the block's shape and the page's own signals (judge.py).
"""

from __future__ import annotations

from searcher.clean.blocks import text_blocks, text_paragraphs
from searcher.clean.classify import classify
from searcher.clean.text import back_to_lines
from searcher.models import CleanedDocument, SourceDocument

__all__ = ["clean"]


def clean(source: SourceDocument) -> CleanedDocument:
    """The story of one source document: its title and paragraphs, and what was dropped and why."""
    if source.kind == "html":
        from searcher.clean.html import html_blocks  # beautifulsoup4 is only loaded for HTML

        page = html_blocks(source.content)
        # A record's own title wins over the page's (a JSONL export names its articles).
        title = source.title or page.title
        headline = bool(title)
        return classify(
            source,
            page.blocks,
            title,
            headline,
            page.date_candidates,
            page.url,
            page.site_name,
            page.dropped,
            signals=page.signals,
            outside=page.outside,
        )
    # A scraped page's text holds menus and footers around the story; a record is the story alone.
    page_like = source.kind == "text"
    blocks = text_paragraphs(source.content) if page_like else text_blocks(source.content)
    result = classify(source, blocks, source.title or "", bool(source.title), (), source.url, None, (), page_like)
    return back_to_lines(result, blocks)
