"""Finding article files under the paths a user gives: recursively, hidden files and symlinked
folders left out, each with a readable document id."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}


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
