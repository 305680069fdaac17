"""Stage 2, enrich: a cleaned document becomes an Article with a date and topics."""

from __future__ import annotations

from searcher.enrich.dates import infer_date, parse_date, url_date
from searcher.enrich.topics import Taxonomy
from searcher.models import Article, ArticleDate, CleanedDocument


def enrich(cleaned: CleanedDocument, taxonomy: Taxonomy) -> Article:
    """The article as indexed: cleaned text plus its best date and its topics."""
    source = cleaned.source
    topics = source.topics if source.topics is not None else taxonomy.assign(cleaned.title, cleaned.body)
    return Article(
        id=source.id,
        path=str(source.path),
        title=cleaned.title,
        title_is_headline=cleaned.title_is_headline,
        body=cleaned.body,
        date=best_date(cleaned),
        topics=tuple(dict.fromkeys(t.strip().lower() for t in topics if t.strip())),
        url=source.url or cleaned.url,  # a record's own URL wins over the page's
        dropped=cleaned.dropped,
        content_hash=source.content_hash,
        size=source.size,
        mtime=source.mtime,
        source_key=str(source.path),
    )


def best_date(cleaned: CleanedDocument) -> ArticleDate | None:
    """The most trusted date: the record's own, page metadata, a dateline or a dated byline, a date
    in the URL or in the saved file's path, the day a web archive saved the page (news is archived
    within days of publication), then only a date the story ties to its own time.

    Dropped blocks (captions, comments) never count: their dates are not the story's.
    """
    stated = [(cleaned.source.date, "metadata")] if cleaned.source.date else []
    for text, source in stated + list(cleaned.date_candidates):
        parsed = parse_date(text, source)
        if parsed:
            return parsed
    from_address = url_date(cleaned.source.url or cleaned.url, "url") or url_date(str(cleaned.source.path), "path")
    if from_address:
        return from_address
    if cleaned.source.archived and (archived := parse_date(cleaned.source.archived, "archive")):
        return archived
    return infer_date(cleaned.body)
