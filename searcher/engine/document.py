"""An Article as the values every engine stores and indexes (searcher's schema): each engine writes
them in its own types (a Whoosh datetime, an OpenSearch ISO date; lists as keyword terms or as
lines of one field), so the two cannot drift on what a field holds."""

from __future__ import annotations

import json

from searcher.engine.fingerprint import own_story, story_key
from searcher.engine.places import folder_terms, site_terms
from searcher.models import Article

# What the index keeps of dropped blocks, for `searcher show`: enough to see what went and why, not a
# second copy of every page's menus and footers (`searcher clean PATH` shows them whole).
STORED_DROPPED_BLOCKS = 100
STORED_DROPPED_CHARS = 160


def document_values(article: Article) -> dict:
    """The article's fields; `date` is the publication day (a date) or None, `topics`, `site` and
    `folders` are lists of terms."""
    when = article.date
    return {
        "id": article.id,
        "path": article.path,
        "source_key": article.source_key,
        "title": article.title if article.title_is_headline else "",
        "display_title": article.title,
        "title_is_headline": article.title_is_headline,
        "body": article.body,
        "date": when.value if when else None,
        "date_precision": when.precision if when else None,
        "date_source": when.source if when else "none",
        "year": when.value.year if when else None,
        "month": when.value.year * 100 + when.value.month if when and when.precision != "year" else None,
        "dated": 1 if when else 0,
        "topics": list(article.topics),
        "story": story_key(article.body) or own_story(article.id),
        "url": article.url,
        "site": site_terms(article.url),
        "folders": folder_terms(article.path),
        "dropped": json.dumps(
            [[_shortened(d.text), d.reason] for d in article.dropped[:STORED_DROPPED_BLOCKS]], ensure_ascii=False
        ),
        "content_hash": article.content_hash,
        "size": article.size,
        "mtime": article.mtime,
    }


def _shortened(text: str) -> str:
    return text if len(text) <= STORED_DROPPED_CHARS else text[: STORED_DROPPED_CHARS - 1].rstrip() + "…"
