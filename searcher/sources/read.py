"""Reading one found file as the source documents it holds (one, or one per JSONL or WARC record).

Scraped folders hold anything: binaries, odd encodings, broken JSONL, compressed pages. Each problem
becomes a one-line reason attached to the file, never an exception that stops the run.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from pathlib import Path
from stat import S_ISREG

from searcher.errors import UnreadableDocumentError
from searcher.models import SourceDocument
from searcher.sources.decode import content_hash, decode
from searcher.sources.files import FoundFile, Skipped, article_kind, is_compressed
from searcher.sources.markdown import markdown_text
from searcher.sources.records import read_records

# Larger files are almost never single articles (a dump, a log, a binary); skipping keeps memory bounded.
# For a compressed file the limit holds for what it decompresses to; a WARC file is read record by
# record, and the limit holds for each record.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def read_documents(
    found: FoundFile, max_bytes: int = DEFAULT_MAX_BYTES, skipped: Skipped | None = None
) -> tuple[list[SourceDocument], list[str]]:
    """The documents in one file (several for JSONL and WARC) and the problems met in it; records
    that are not articles (a WARC file's requests, images, scripts) are added to `skipped`.

    Raises UnreadableDocumentError when the file as a whole cannot be used.
    """
    kind = article_kind(found.path)
    if kind == "warc":
        from searcher.sources.warc import read_warc  # warcio is only loaded for web archives

        return read_warc(found, max_bytes, [] if skipped is None else skipped)
    raw, stat = _read_bytes(found.path, max_bytes)
    if is_compressed(found.path):
        raw = gunzip(raw, max_bytes)
    text = decode(raw, html=kind == "html")
    common = {"path": found.path.resolve(), "size": stat.st_size, "mtime": stat.st_mtime}
    if kind == "jsonl":
        return read_records(text, common)
    if kind == "markdown":
        text, kind = markdown_text(text), "text"
    if not text.strip():
        raise UnreadableDocumentError("empty file")
    doc = SourceDocument(id=found.doc_id, kind=kind, content=text, content_hash=content_hash(raw), **common)
    return [doc], []


def _read_bytes(path: Path, max_bytes: int) -> tuple[bytes, os.stat_result]:
    try:
        stat = path.stat()
        if not S_ISREG(stat.st_mode):  # a FIFO put there since the folder was listed: never block on it
            raise UnreadableDocumentError("not a regular file")
        if stat.st_size > max_bytes:
            raise UnreadableDocumentError(f"file is {stat.st_size:,} bytes, over the limit of {max_bytes:,}")
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1), stat
    except OSError as error:
        raise UnreadableDocumentError(f"cannot read file: {error.strerror}") from error


def gunzip(raw: bytes, max_bytes: int) -> bytes:
    """A gzip file's content, refused past max_bytes (a small file can decompress to gigabytes)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
            data = stream.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise UnreadableDocumentError(f"not a readable gzip file ({error})") from error
    if len(data) > max_bytes:
        raise UnreadableDocumentError(f"decompresses to over the limit of {max_bytes:,} bytes")
    return data
