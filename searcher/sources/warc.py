"""Web archives (WARC, the format of Common Crawl's news crawl, news-please and browser archivers):
each HTML page a record holds is an article, with the address it was fetched from and when.

Read through warcio (Webrecorder's reader): it handles gzip members per record, chunked transfer
and compressed content, which a hand-written reader would get wrong on real crawls.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from searcher.errors import UnreadableDocumentError
from searcher.models import SourceDocument
from searcher.sources.decode import content_hash, decode
from searcher.sources.files import FoundFile, Skipped

PAGE_TYPES = ("text/html", "application/xhtml+xml")
WARC_VERSION = b"WARC/"
NOT_A_PAGE = "not a page (web archive record)"


def read_warc(found: FoundFile, max_bytes: int, skipped: Skipped) -> tuple[list[SourceDocument], list[str]]:
    """The HTML pages of a WARC file, record by record (ids `file.warc.gz#N`, N the record's place
    in the file); other records (requests, images, redirects) are added to `skipped`."""
    try:
        stat = found.path.stat()
        handle = found.path.open("rb")
    except OSError as error:
        raise UnreadableDocumentError(f"cannot read file: {error.strerror}") from error
    if not _starts_as_warc(found.path):  # warcio reads any text as a headerless ARC record
        handle.close()
        raise UnreadableDocumentError("not a readable WARC file (it does not start with a WARC record)")
    common = {"path": found.path.resolve(), "size": stat.st_size, "mtime": stat.st_mtime}
    documents: list[SourceDocument] = []
    problems: list[str] = []
    number = 0
    with handle:
        try:
            for number, record in enumerate(ArchiveIterator(handle), start=1):
                where = f"{found.path}#{number}"
                kind = _not_a_page(record)
                if kind:
                    skipped.append((where, NOT_A_PAGE, kind))
                    continue
                raw = record.content_stream().read(max_bytes + 1)
                if len(raw) > max_bytes:
                    problems.append(f"record {number}: page is over the limit of {max_bytes:,} bytes")
                    continue
                try:
                    text = _page_text(raw, record.http_headers.get_header("Content-Type") or "")
                except UnreadableDocumentError as error:
                    problems.append(f"record {number}: {error}")
                    continue
                if not text.strip():
                    problems.append(f"record {number}: empty page")
                    continue
                documents.append(
                    SourceDocument(
                        id=f"{found.doc_id}#{number}",
                        kind="html",
                        content=text,
                        url=record.rec_headers.get_header("WARC-Target-URI"),
                        content_hash=content_hash(raw),
                        archived=record.rec_headers.get_header("WARC-Date"),
                        **common,
                    )
                )
        except ArchiveLoadFailed as error:
            if number <= 1 and not documents:
                raise UnreadableDocumentError(f"not a readable WARC file ({_first_line(error)})") from error
            problems.append(f"record {number + 1}: unreadable, the rest of the file is skipped ({_first_line(error)})")
        except (OSError, EOFError, ValueError) as error:
            problems.append(f"record {number + 1}: unreadable, the rest of the file is skipped ({_first_line(error)})")
    if number == 0:
        raise UnreadableDocumentError("empty file")
    return documents, problems


def _starts_as_warc(path: Path) -> bool:
    """Whether the file (or its first gzip member) begins with a WARC record's version line."""
    try:
        with path.open("rb") as raw:
            start = raw.read(2)
            raw.seek(0)
            stream = gzip.GzipFile(fileobj=raw) if start == b"\x1f\x8b" else raw
            head = stream.read(len(WARC_VERSION))
    except (OSError, EOFError, zlib.error):
        return False
    return head == WARC_VERSION


def _not_a_page(record) -> str | None:  # noqa: ANN001 - a warcio record
    """What a record is when it is not an HTML page fetched successfully; None for a page."""
    if record.rec_type != "response":
        return record.rec_type
    headers = record.http_headers
    if headers is None:
        return "response without HTTP headers"
    status = headers.get_statuscode() or ""
    if not status.startswith("2"):
        return f"HTTP {status or '?'}"
    content_type = (headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return None if content_type in PAGE_TYPES else (content_type or "no content type")


def _page_text(raw: bytes, content_type: str) -> str:
    """The page as text: the charset the server sent, else what the page declares (decode())."""
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            try:
                return raw.decode(value.strip("\"' "), errors="strict")
            except (LookupError, UnicodeDecodeError):
                break
    return decode(raw, html=True)


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:120]
