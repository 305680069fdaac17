"""Bytes to text, whatever encoding a scraper saved: a BOM, UTF-8, an HTML charset declaration, cp1252."""

from __future__ import annotations

import codecs
import hashlib
import re

from searcher.errors import UnreadableDocumentError

# Enough of a file to tell text from binary without reading all of it.
SNIFF_BYTES = 8192
CHARSET_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


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
