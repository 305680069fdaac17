"""Finding article files under the paths a user gives: recursively, hidden files and symlinked
folders left out, each with a readable document id."""

from __future__ import annotations

import os
import stat
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
    files under them that are not articles (a .pdf, a .png, a FIFO, a link out of the roots) are
    added to `skipped`."""
    skipped = [] if skipped is None else skipped
    roots = list(roots)
    inside = [str(root.resolve()) for root in roots if root.exists()]
    found: list[FoundFile] = []
    failures: list[tuple[str, str]] = []
    for root in roots:
        if not root.exists():
            failures.append((str(root), "no such file or folder"))
        elif root.is_dir():
            found.extend(_walk(root, inside, failures, skipped))
        elif not article_kind(root):
            failures.append((str(root), f"unsupported file type {suffix_of(root)!r}"))
        elif (kind := _not_regular(root)) is not None:
            failures.append((str(root), f"not a regular file ({kind})"))
        else:
            found.append(FoundFile(root, root.name))
    return found, failures


def _walk(root: Path, inside: list[str], failures: list[tuple[str, str]], skipped: Skipped) -> Iterator[FoundFile]:
    """Files under root, hidden ones left out; symlinked folders are not followed, so no loops, and
    a symlinked file only when it points inside the roots (never to /etc/passwd)."""

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
            elif not _utf8(name):
                failures.append((str(path), "file name is not valid UTF-8; rename it to index it"))
            elif (kind := _not_regular(path)) is not None:
                skipped.append((str(path), "not a regular file", kind))
            elif path.is_symlink() and not _under(str(path.resolve()), inside):
                skipped.append((str(path), "a link to a file outside the indexed paths", "link"))
            else:
                yield FoundFile(path, (Path(root.name) / path.relative_to(root)).as_posix())


def _utf8(name: str) -> bool:
    """False for a name whose bytes are not UTF-8 (Python hands them over as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_regular(path: Path) -> str | None:
    """What a path is when it is not a regular file (a FIFO would block its reader for ever), else
    None; a path that cannot be looked at is left for reading to report."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    kinds = {stat.S_ISFIFO: "fifo", stat.S_ISSOCK: "socket", stat.S_ISCHR: "device", stat.S_ISBLK: "device"}
    return next((name for test, name in kinds.items() if test(mode)), "special file")


def _under(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)
