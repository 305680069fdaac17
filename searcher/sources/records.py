"""JSONL exports: one article per line, each line checked on its own and bad ones named by number."""

from __future__ import annotations

import json
import re

from searcher.errors import UnreadableDocumentError
from searcher.models import SourceDocument
from searcher.sources.decode import content_hash


def read_records(text: str, common: dict) -> tuple[list[SourceDocument], list[str]]:
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
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    record = {key: _without_lone_surrogates(value) for key, value in record.items()}
    doc_id = record.get("id")
    if not isinstance(doc_id, str | int) or not str(doc_id).strip():
        raise ValueError("missing 'id'")
    html, text = record.get("html"), record.get("text")
    for key, value in (("html", html), ("text", text)):
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{key!r} must be a string")
    content = html if html and html.strip() else (text or "")
    title = _optional_str(record, "title")
    if not content.strip() and not title:  # a headline alone is an article (a wire brief), nothing is not
        raise ValueError("missing 'text' or 'html'")
    topics = record.get("topics")
    if topics is not None and not (isinstance(topics, list) and all(isinstance(t, str) for t in topics)):
        raise ValueError("'topics' must be a list of strings")
    return SourceDocument(
        id=str(doc_id).strip(),
        kind="html" if content is html else "record",
        content=content,
        title=title,
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


# JSON may escape half of a UTF-16 pair ("\\ud800") that no text can hold: such a string indexes,
# then cannot be printed or written out, so every result holding it failed.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(value: object) -> object:
    """Strings (and the strings in a list, as `topics`) with each lone surrogate replaced by U+FFFD."""
    if isinstance(value, str):
        return LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [LONE_SURROGATE.sub("\ufffd", item) if isinstance(item, str) else item for item in value]
    return value
