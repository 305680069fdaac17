"""Finding article files under the paths a user gives, and reading them as text.

Scraped folders hold anything: binaries, odd encodings, broken JSONL. Each problem becomes a
one-line reason attached to the file, never an exception that stops the run.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from searcher.errors import UnreadableDocumentError
from searcher.models import SourceDocument

TEXT_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
# Larger files are almost never single articles (a dump, a log, a binary); skipping keeps memory bounded.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Enough of a file to tell text from binary without reading all of it.
SNIFF_BYTES = 8192
CHARSET_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class FoundFile:
    """A file to index, and the id prefix that makes its document id readable and unique."""

    path: Path
    doc_id: str


def find_files(roots: Iterable[Path]) -> tuple[list[FoundFile], list[tuple[str, str]]]:
    """All article files under the roots, sorted, with failures for roots that cannot be used."""
    found: list[FoundFile] = []
    failures: list[tuple[str, str]] = []
    for root in roots:
        if not root.exists():
            failures.append((str(root), "no such file or folder"))
        elif root.is_dir():
            found.extend(_walk(root, failures))
        elif root.suffix.lower() in TEXT_SUFFIXES:
            found.append(FoundFile(root, root.name))
        else:
            failures.append((str(root), f"unsupported file type {root.suffix or '(none)'!r}"))
    return found, failures


def _walk(root: Path, failures: list[tuple[str, str]]) -> Iterator[FoundFile]:
    """Files under root, hidden ones skipped; symlinked folders are not followed, so no loops."""

    def report(error: OSError) -> None:
        failures.append((str(error.filename), f"cannot read folder: {error.strerror}"))

    for folder, dirs, files in os.walk(root, onerror=report):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(".") or path.suffix.lower() not in TEXT_SUFFIXES:
                continue
            yield FoundFile(path, (Path(root.name) / path.relative_to(root)).as_posix())


def read_documents(found: FoundFile, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[SourceDocument], list[str]]:
    """The documents in one file (several for JSONL) and the problems met in it.

    Raises UnreadableDocumentError when the file as a whole cannot be used.
    """
    raw, stat = _read_bytes(found.path, max_bytes)
    kind = TEXT_SUFFIXES[found.path.suffix.lower()]
    text = decode(raw, html=kind == "html")
    common = {"path": found.path.resolve(), "size": stat.st_size, "mtime": stat.st_mtime}
    if kind == "jsonl":
        return _read_records(text, common)
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


def content_hash(data: bytes) -> str:
    """A fingerprint of content, to skip re-indexing what has not changed."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def decode(raw: bytes, html: bool = False) -> str:
    """Bytes to text: a BOM, then UTF-8, then an HTML charset declaration, then cp1252.

    Raises UnreadableDocumentError for binary content.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as error:
                raise UnreadableDocumentError(f"invalid {encoding} text") from error
    if b"\x00" in raw[:SNIFF_BYTES]:
        raise UnreadableDocumentError("binary file (contains NUL bytes)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = CHARSET_META.search(raw[:SNIFF_BYTES]) if html else None
    if declared:
        try:
            return raw.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return raw.decode("cp1252", errors="replace")


def _read_records(text: str, common: dict) -> tuple[list[SourceDocument], list[str]]:
    """One SourceDocument per valid JSONL line; bad lines are reported by number and skipped."""
    documents: list[SourceDocument] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            document = _record(line, common)
        except ValueError as error:
            problems.append(f"line {number}: {error}")
            continue
        if document.id in seen:
            problems.append(f"line {number}: duplicate id {document.id!r}")
            continue
        seen.add(document.id)
        documents.append(document)
    if not documents and not problems:
        raise UnreadableDocumentError("empty file")
    return documents, problems


def _record(line: str, common: dict) -> SourceDocument:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"invalid JSON ({error.msg})") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    doc_id = record.get("id")
    if not isinstance(doc_id, str | int) or not str(doc_id).strip():
        raise ValueError("missing 'id'")
    html, text = record.get("html"), record.get("text")
    content = html if isinstance(html, str) and html.strip() else text
    if not isinstance(content, str) or not content.strip():
        raise ValueError("missing 'text' or 'html'")
    topics = record.get("topics")
    if topics is not None and not (isinstance(topics, list) and all(isinstance(t, str) for t in topics)):
        raise ValueError("'topics' must be a list of strings")
    return SourceDocument(
        id=str(doc_id).strip(),
        kind="html" if content is html else "record",
        content=content,
        title=_optional_str(record, "title"),
        date=_optional_str(record, "date"),
        topics=tuple(topics) if topics is not None else None,
        url=_optional_str(record, "url"),
        content_hash=content_hash(line.encode("utf-8")),
        **common,
    )


def _optional_str(record: dict, key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string")
    return value.strip() or None
