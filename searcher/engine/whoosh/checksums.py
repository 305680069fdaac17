"""Per-file checksums of a generation, Lucene-style: recorded in the manifest when the generation is
committed, verified when the index is opened, every byte of every file by `searcher check`.

Whoosh trusts its files: a flipped byte in a length or story-key column changes scores and copy
folding without an error, and a damaged term, posting or stored-field file can change an answer or
fail somewhere deep in a search. A CRC-32 per file, kept beside the name of the table of contents it
belongs to, turns such damage into one message naming the file and the fix.

Reading every byte at every open would cost a search the size of the index, so an open reads only
the files that changed since their bytes were last found sound: a file's stamp (stamps.py) changes
with any write to it, so damage done by a program or a person is found at the first open after it.
A disk that changes bytes without a write is found by `searcher check` and before a merge.

Whoosh writes each segment file once, under a fresh name, and never changes it; so a checksum
recorded for a name is kept at later commits (recomputing it would bless damage done since), and
only new files are read. A table of contents newer than the manifest's is a commit the manifest
does not describe yet (one under way in another process, or one interrupted before its manifest
was written): Whoosh's own commit is atomic, so such an index is opened unverified, never refused.
"""

from __future__ import annotations

import os
import re
import zlib
from pathlib import Path

from searcher.models import DamagedFile

from . import stamps

# Names in a generation that are not part of its committed index: the manifest itself, the index
# stage's file state (rewritten after commits; a damaged one makes the next run look at every file
# again), Whoosh's lock file.
UNCHECKED_NAMES = {"searcher.json", "files.json", "MAIN_WRITELOCK"}
UNCHECKED_SUFFIXES = (".tmp", ".json")  # temporaries, and a parallel run's failure reports
# Whoosh's table of contents (one per commit; the highest number is the one opened) and segment files.
TOC_NAME = re.compile(r"_MAIN_(\d+)\.toc")
SEGMENT_PREFIXES = ("MAIN_", "_MAIN_")
CHUNK_BYTES = 1 << 20  # read big files a megabyte at a time, not whole into memory


# What a file holds by the end of its name, the first that fits (stored fields and lengths are
# columns too, named apart).
KINDS_BY_SUFFIX = (
    (".trm", "terms"),
    (".pst", "postings"),
    ("._stored.col", "stored fields"),
    ("_len.col", "field lengths"),
    (".story.col", "story keys"),
)


def file_kind(name: str) -> str:
    """What a generation's file holds, in a user's words."""
    if TOC_NAME.fullmatch(name):
        return "table of contents"
    kind = next((kind for suffix, kind in KINDS_BY_SUFFIX if name.endswith(suffix)), None)
    if kind:
        return kind
    if name.endswith(".col"):
        return f"{name.rsplit('.', 2)[-2]} column"
    return "taxonomy copy" if name == "taxonomy.toml" else "index file"


def damage_message(root: Path, damage: DamagedFile) -> str:
    return (
        f"index at {root} is damaged ({damage.name}, {damage.kind}: {damage.problem}); "
        "rebuild it with: searcher index --rebuild"
    )


def latest_toc(generation: Path) -> str | None:
    """The table of contents Whoosh opens: the one with the highest commit number."""
    numbers = [int(m.group(1)) for m in map(TOC_NAME.fullmatch, os.listdir(generation)) if m]
    return f"_MAIN_{max(numbers)}.toc" if numbers else None


def file_crc(path: Path) -> int:
    crc = 0
    with path.open("rb", buffering=0) as handle:
        while chunk := handle.read(CHUNK_BYTES):
            crc = zlib.crc32(chunk, crc)
    return crc


def _checked(name: str) -> bool:
    return name not in UNCHECKED_NAMES and not name.endswith(UNCHECKED_SUFFIXES)


def record(generation: Path, previous: object) -> dict:
    """The checksums of every file of the generation, for its manifest; a segment file already in
    `previous` (the manifest's former record) keeps the checksum it was committed with."""
    known = previous.get("files", {}) if isinstance(previous, dict) else {}
    files: dict[str, list] = {}
    for entry in os.scandir(generation):
        if not entry.is_file() or not _checked(entry.name):
            continue
        earlier = known.get(entry.name) if isinstance(known, dict) else None
        if entry.name.startswith(SEGMENT_PREFIXES) and _well_formed(earlier):
            files[entry.name] = earlier
        else:
            files[entry.name] = [entry.stat().st_size, f"{file_crc(Path(entry.path)):08x}"]
    return {"toc": latest_toc(generation), "files": dict(sorted(files.items()))}


def _well_formed(entry: object) -> bool:
    return (
        isinstance(entry, list)
        and len(entry) == 2
        and isinstance(entry[0], int)
        and isinstance(entry[1], str)
        and len(entry[1]) == 8
    )


def describes(generation: Path, recorded: object) -> bool:
    """Whether the recorded checksums are those of the commit on disk (not an older one)."""
    return isinstance(recorded, dict) and latest_toc(generation) == recorded.get("toc")


def verify(
    generation: Path, recorded: object, everything: bool, only: tuple[str, ...] | None = None
) -> list[DamagedFile]:
    """The damaged files of a generation, against the checksums its manifest recorded. On open
    (`everything` false) each file's bytes are read only if it changed since they were last found
    sound (stamps.py), so damage is found at the first open after it was done; with `everything`,
    every byte of every file (`searcher check`, a merge). Empty when the manifest describes another
    commit than the one on disk (see the module's docstring). `only`: the files whose names start
    so (a merge's segments)."""
    if not isinstance(recorded, dict) or not isinstance(recorded.get("files"), dict):
        return []  # an index written before checksums were recorded
    toc = recorded.get("toc")
    if not describes(generation, recorded):
        return []
    known = {} if everything else stamps.read(generation)
    sound: dict[str, list] = {}
    found = []
    for name, entry in recorded["files"].items():
        if only is not None and not name.startswith(only):
            continue
        crc = entry[1] if _well_formed(entry) else None
        before = stamps.stamp(generation / name, crc) if crc else None
        if before is not None and known.get(name) == before:
            sound[name] = before
        elif (problem := _problem(generation, name, entry)) is not None:
            found.append(problem)
        elif before is not None and stamps.settled(before) and stamps.stamp(generation / name, crc) == before:
            sound[name] = before
    if found and latest_toc(generation) != toc:
        return []  # a commit replaced these files while they were being read
    if not found and not everything and sound != known:
        stamps.write(generation, sound)
    return found


def _problem(generation: Path, name: str, entry: object) -> DamagedFile | None:
    kind = file_kind(name)
    if not _well_formed(entry) or "/" in name:
        return DamagedFile(name, kind, "its checksum in the manifest is unreadable")
    size, crc = entry
    try:
        if size <= CHUNK_BYTES:  # one read: its length and its checksum
            data = (generation / name).read_bytes()
            actual, actual_crc = len(data), zlib.crc32(data)
        else:
            actual = (generation / name).stat().st_size
            actual_crc = file_crc(generation / name) if actual == size else None
        if actual != size:
            return DamagedFile(name, kind, f"{actual:,} bytes where {size:,} were written")
        if f"{actual_crc:08x}" != crc:
            return DamagedFile(name, kind, "checksum mismatch, its bytes changed after it was written")
    except FileNotFoundError:
        return DamagedFile(name, kind, "missing")
    except OSError as error:
        return DamagedFile(name, kind, f"unreadable ({error.strerror or error})")
    return None
