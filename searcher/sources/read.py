"""Reading one found file as the source documents it holds (one, or one per JSONL record).

Scraped folders hold anything: binaries, odd encodings, broken JSONL. Each problem becomes a
one-line reason attached to the file, never an exception that stops the run.
"""

from __future__ import annotations

import os
from pathlib import Path

from searcher.errors import UnreadableDocumentError
from searcher.models import SourceDocument
from searcher.sources.decode import content_hash, decode
from searcher.sources.files import TEXT_SUFFIXES, FoundFile
from searcher.sources.records import read_records

# Larger files are almost never single articles (a dump, a log, a binary); skipping keeps memory bounded.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def read_documents(found: FoundFile, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[SourceDocument], list[str]]:
    """The documents in one file (several for JSONL) and the problems met in it.

    Raises UnreadableDocumentError when the file as a whole cannot be used.
    """
    raw, stat = _read_bytes(found.path, max_bytes)
    kind = TEXT_SUFFIXES[found.path.suffix.lower()]
    text = decode(raw, html=kind == "html")
    common = {"path": found.path.resolve(), "size": stat.st_size, "mtime": stat.st_mtime}
    if kind == "jsonl":
        return read_records(text, common)
    if not text.strip():
        raise UnreadableDocumentError("empty file")
    doc = SourceDocument(id=found.doc_id, kind=kind, content=text, content_hash=content_hash(raw), **common)
    return [doc], []


def _read_bytes(path: Path, max_bytes: int) -> tuple[bytes, os.stat_result]:
    try:
        stat = path.stat()
        if stat.st_size > max_bytes:
            raise UnreadableDocumentError(f"file is {stat.st_size:,} bytes, over the limit of {max_bytes:,}")
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1), stat
    except OSError as error:
        raise UnreadableDocumentError(f"cannot read file: {error.strerror}") from error
