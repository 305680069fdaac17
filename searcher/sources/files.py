"""Finding article files under the paths a user gives: recursively, hidden files and symlinked
folders left out, each with a readable document id."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# What a file holds, by its suffix; each may also be gzip-compressed (`page.html.gz`).
ARTICLE_KINDS = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".warc": "warc",
}  # fmt: skip
COMPRESSED_SUFFIX = ".gz"
NOT_AN_ARTICLE = "not an article format"
# (path, reason, what kind of thing it was): files and records passed over, counted in the summary.
Skipped = list[tuple[str, str, str]]


def article_kind(path: Path) -> str | None:
    """What an article file holds ("text", "markdown", "html", "jsonl", "warc"), or None for other files."""
    name = path.name.lower()
    if name.endswith(COMPRESSED_SUFFIX):
        name = name[: -len(COMPRESSED_SUFFIX)]
    return ARTICLE_KINDS.get(Path(name).suffix)


def is_compressed(path: Path) -> bool:
    return path.name.lower().endswith(COMPRESSED_SUFFIX)


def suffix_of(path: Path) -> str:
    """The suffix a user would name the file's type by: ".pdf", ".tar.gz", "(none)"."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if len(suffixes) == 2 and suffixes[1] != COMPRESSED_SUFFIX:
        suffixes = suffixes[1:]
    return "".join(suffixes) or "(none)"


@dataclass(frozen=True)
class FoundFile:
    """A file to index, and the id prefix that makes its document id readable and unique."""

    path: Path
    doc_id: str


def find_files(roots: Iterable[Path], skipped: Skipped | None = None) -> tuple[list[FoundFile], list[tuple[str, str]]]:
    """All article files under the roots, sorted, with failures for roots that cannot be used;
    files under them that are not articles (a .pdf, a .png) are added to `skipped`."""
    skipped = [] if skipped is None else skipped
    found: list[FoundFile] = []
    failures: list[tuple[str, str]] = []
    for root in roots:
        if not root.exists():
            failures.append((str(root), "no such file or folder"))
        elif root.is_dir():
            found.extend(_walk(root, failures, skipped))
        elif article_kind(root):
            found.append(FoundFile(root, root.name))
        else:
            failures.append((str(root), f"unsupported file type {suffix_of(root)!r}"))
    return found, failures


def _walk(root: Path, failures: list[tuple[str, str]], skipped: Skipped) -> Iterator[FoundFile]:
    """Files under root, hidden ones left out; symlinked folders are not followed, so no loops."""

    def report(error: OSError) -> None:
        failures.append((str(error.filename), f"cannot read folder: {error.strerror}"))

    for folder, dirs, files in os.walk(root, onerror=report):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith("."):
                continue
            if not article_kind(path):
                skipped.append((str(path), NOT_AN_ARTICLE, suffix_of(path)))
                continue
            yield FoundFile(path, (Path(root.name) / path.relative_to(root)).as_posix())
