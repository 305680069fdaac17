"""Per-file checksums of a generation, Lucene-style: recorded in the manifest when the generation is
committed, the small files verified whenever the index is opened, every file by `searcher check`.

Whoosh trusts its files: a flipped byte in a length or story-key column changes scores and copy
folding without an error, and a damaged term or posting file fails somewhere deep in a search. A
CRC-32 per file, kept beside the name of the table of contents it belongs to, turns such damage
into one message naming the file and the fix.

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

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from searcher.errors import IndexCorruptError
from searcher.models import DamagedFile

# Names in a generation that are not part of its committed index: the manifest itself, the index
# stage's file state (rewritten after commits; a damaged one makes the next run look at every file
# again), Whoosh's lock file.
UNCHECKED_NAMES = {"searcher.json", "files.json", "MAIN_WRITELOCK"}
UNCHECKED_SUFFIXES = (".tmp", ".json")  # temporaries, and a parallel run's failure reports
# Whoosh's table of contents (one per commit; the highest number is the one opened) and segment files.
TOC_NAME = re.compile(r"_MAIN_(\d+)\.toc")
SEGMENT_PREFIXES = ("MAIN_", "_MAIN_")
CHUNK_BYTES = 1 << 20  # read big files a megabyte at a time, not whole into memory


def file_kind(name: str) -> str:
    """What a generation's file holds, in a user's words."""
    if TOC_NAME.fullmatch(name):
        return "table of contents"
    if name.endswith(".trm"):
        return "terms"
    if name.endswith(".pst"):
        return "postings"
    if name.endswith("._stored.col"):
        return "stored fields"
    if name.endswith("_len.col"):
        return "field lengths"
    if name.endswith(".story.col"):
        return "story keys"
    if name.endswith(".col"):
        return f"{name.rsplit('.', 2)[-2]} column"
    if name == "taxonomy.toml":
        return "taxonomy copy"
    return "index file"


def verified_when_opened(name: str) -> bool:
    """The table of contents and the per-document columns other than stored fields: what searches
    read for every match (under 50 bytes a document together), each verified the first time Whoosh
    opens it in a process, so a search pays only for the columns it reads. Postings, terms and
    stored fields (95% of an index) get a size check on open, and a full one from `searcher check`
    and, for the segments an update merges, before it merges them (store.verify_merged)."""
    return bool(TOC_NAME.fullmatch(name)) or (name.endswith(".col") and not name.endswith("._stored.col"))


# Read by searcher itself, not through Whoosh's storage: verified on open (4 KB).
VERIFIED_ON_OPEN = {"taxonomy.toml"}


class VerifyingStorage(FileStorage):
    """Whoosh's file storage for one generation, verifying each file in `expected` (name: recorded
    size and CRC) the first time Whoosh opens it."""

    def __init__(self, generation: Path, expected: dict[str, list]) -> None:
        super().__init__(str(generation))
        self.expected = dict(expected)

    def open_file(self, name: str, **kwargs: object) -> StructFile:
        entry = self.expected.pop(name, None)
        if entry is not None:
            problem = _problem(Path(self.folder), name, entry, read=True)
            if problem is not None:
                raise IndexCorruptError(damage_message(Path(self.folder).parent, problem))
        return super().open_file(name, **kwargs)


def storage(generation: Path, recorded: object) -> VerifyingStorage:
    """The storage to open a generation with: the small files verified as Whoosh opens them."""
    files = recorded.get("files") if describes(generation, recorded) else None
    expected = {n: e for n, e in files.items() if verified_when_opened(n)} if isinstance(files, dict) else {}
    return VerifyingStorage(generation, expected)


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
    """The damaged files of a generation, against the checksums its manifest recorded: on open, the
    size of each file not verified when Whoosh opens it, and the CRC-32 of VERIFIED_ON_OPEN; with
    `everything`, the size and CRC-32 of every file. Empty when the manifest describes another
    commit than the one on disk (see the module's docstring). `only`: the files whose names start
    so (a merge's segments)."""
    if not isinstance(recorded, dict) or not isinstance(recorded.get("files"), dict):
        return []  # an index written before checksums were recorded
    toc = recorded.get("toc")
    if not describes(generation, recorded):
        return []
    found = [
        problem
        for name, entry in recorded["files"].items()
        if (only is None or name.startswith(only))
        and (everything or not verified_when_opened(name))
        and (problem := _problem(generation, name, entry, everything or name in VERIFIED_ON_OPEN)) is not None
    ]
    if found and latest_toc(generation) != toc:
        return []  # a commit replaced these files while they were being read
    return found


def _problem(generation: Path, name: str, entry: object, read: bool) -> DamagedFile | None:
    kind = file_kind(name)
    if not _well_formed(entry) or "/" in name:
        return DamagedFile(name, kind, "its checksum in the manifest is unreadable")
    size, crc = entry
    try:
        if read and size <= CHUNK_BYTES:  # one read: its length and its checksum
            data = (generation / name).read_bytes()
            actual, actual_crc = len(data), zlib.crc32(data)
        else:
            actual = (generation / name).stat().st_size
            actual_crc = file_crc(generation / name) if read and actual == size else None
        if actual != size:
            return DamagedFile(name, kind, f"{actual:,} bytes where {size:,} were written")
        if read and f"{actual_crc:08x}" != crc:
            return DamagedFile(name, kind, "checksum mismatch, its bytes changed after it was written")
    except FileNotFoundError:
        return DamagedFile(name, kind, "missing")
    except OSError as error:
        return DamagedFile(name, kind, f"unreadable ({error.strerror or error})")
    return None
