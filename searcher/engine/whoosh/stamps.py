"""Which files of a generation were found sound, and as what: a file's stamp is its inode, size,
modification and change times (the kernel sets the change time at every write, and no program can
set it back) and the checksum it was verified against. An open reads again only the files whose
stamp differs from the one recorded here, so a search pays a few `stat` calls, not the index's size.

A stamp is recorded only for a file last changed more than SETTLED_NS ago: the kernel's clock for
file times ticks coarsely, and a write in the same tick as the verification could otherwise leave
the stamp unchanged (git's "racy" entries, handled the same way). The stamps live in the generation
(`verified.json`), or in the user's cache when the index is read-only to them; an unreadable or
hand-edited stamps file only means the files are read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path

STAMPS_FILE = "verified.json"
SETTLED_NS = 2_000_000_000
MAX_STAMPS_BYTES = 1 << 20  # a generation has tens of files: anything bigger is not ours


def stamp(path: Path, crc: str) -> list | None:
    """The file's stamp with the checksum it is verified against; None when it cannot be stat'ed
    (the caller reads it and names the problem)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns, crc]


def settled(file_stamp: list) -> bool:
    """Whether the file was last changed long enough ago for its stamp to reveal a later write."""
    return time.time_ns() - max(file_stamp[2], file_stamp[3]) > SETTLED_NS


def writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK)


def location(generation: Path) -> Path:
    """The stamps file: in the generation when this user may write there, else in their cache."""
    if writable(generation):
        return generation / STAMPS_FILE
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = hashlib.sha256(str(generation.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return cache / "searcher" / "verified" / f"{key}.json"


def read(generation: Path) -> dict[str, list]:
    """The recorded stamps; empty when there are none or they cannot be trusted to be ours."""
    try:
        path = location(generation)
        if path.stat().st_size > MAX_STAMPS_BYTES:
            return {}
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {name: value for name, value in found.items() if isinstance(value, list) and len(value) == 5}


def write(generation: Path, sound: dict[str, list]) -> None:
    """Record the stamps (a temporary renamed over the old file); a folder this user cannot write
    only means the next open reads the files again."""
    path = location(generation)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(sound, sort_keys=True), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
