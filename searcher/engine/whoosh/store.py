"""Where an index lives on disk, and opening it safely; shared by indexing and searching.

Layout of an index folder::

    CURRENT          name of the active generation, switched atomically by os.replace
    gen-<stamp>/     one complete Whoosh index plus searcher.json, its manifest
    LOCK             held by the one process that writes

A folder without CURRENT is never handed to Whoosh: Whoosh unpickles a schema from its table of
contents, so only an index searcher wrote itself, with its manifest beside it, is opened.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from whoosh import index as whoosh_index
from whoosh.analysis import RegexTokenizer
from whoosh.columns import FixedBytesColumn
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from searcher import __version__
from searcher.analysis import ANALYZER_VERSION, news_analyzer
from searcher.engine.fingerprint import STORY_KEY_CHARS
from searcher.engine.whoosh import checksums
from searcher.engine.whoosh.pickles import restrict_whoosh
from searcher.errors import (
    IndexCorruptError,
    IndexLockedError,
    IndexMissingError,
    IndexOutdatedError,
    NotAnIndexError,
)
from searcher.models import DamagedFile

restrict_whoosh()  # before any index is read: see pickles.py

CURRENT_FILE = "CURRENT"
MANIFEST_FILE = "searcher.json"
# A copy of the taxonomy that built the generation, so its topics can be listed and described later.
TAXONOMY_FILE = "taxonomy.toml"
MANIFEST_FORMAT = "searcher-index"
# Bump when fields change: an index with another schema version must be rebuilt, not mixed.
SCHEMA_VERSION = 5
# Files a user may keep in the index folder (its README) that do not make it a foreign index.
HARMLESS_NAMES = {"README.md", "LOCK", ".gitignore"}
# A title is worth more than any one sentence of the body; 2.0 is Whoosh's usual title boost.
TITLE_BOOST = 2.0
LOCK_FILE = "LOCK"
WHOOSH_INDEX_NAME = "MAIN"  # Whoosh's default: its files are MAIN_<segment>.* and _MAIN_<n>.toc
LOCK_POLL_SECONDS = 0.2


@cache
def build_schema() -> Schema:
    """The fields of an article; stored fields are what results and `show` display."""
    analyzer = news_analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        path=ID(stored=True),
        source_key=ID(stored=True),
        title=TEXT(analyzer=analyzer, field_boost=TITLE_BOOST, multitoken_query="phrase"),
        display_title=STORED(),
        title_is_headline=STORED(),
        body=TEXT(analyzer=analyzer, stored=True, multitoken_query="phrase"),
        date=DATETIME(stored=True, sortable=True),
        # Facets and sorting: year and yyyymm for counts, dated (1/0) to put undated articles last.
        year=NUMERIC(sortable=True),
        month=NUMERIC(sortable=True),
        dated=NUMERIC(sortable=True),
        date_precision=STORED(),
        date_source=ID(stored=True),
        topics=KEYWORD(stored=True, commas=True, lowercase=True, scorable=True),
        # Near-duplicate key (fingerprint.py): copies are folded by its fixed-width column.
        story=ID(sortable=FixedBytesColumn(STORY_KEY_CHARS)),
        url=STORED(),
        # Filters on where an article comes from (engine/places.py): its URL's site, its file's folders.
        site=_one_term_per_line(),
        folders=_one_term_per_line(),
        dropped=STORED(),
        content_hash=STORED(),
        size=STORED(),
        mtime=STORED(),
    )


def _one_term_per_line() -> KEYWORD:
    """A keyword field whose terms are the lines of its value: folder names hold spaces and commas,
    which Whoosh's keyword tokenizers split on."""
    field = KEYWORD()
    field.analyzer = RegexTokenizer(r"[^\n]+")
    return field


class IndexLocation(NamedTuple):  # not a dataclass: see models.py
    """An index folder and its active generation."""

    root: Path
    generation: Path

    @property
    def manifest(self) -> dict:
        return read_manifest(self.generation)


def index_exists(root: Path) -> bool:
    """True when root holds a searcher index (damaged or not): there is something to open."""
    return (root / CURRENT_FILE).exists() or (root / CURRENT_FILE).is_symlink()


def locate(root: Path) -> IndexLocation:
    """The active generation of the index at root, checked to be searcher's own."""
    current = root / CURRENT_FILE
    if not index_exists(root):
        if looks_foreign(root):
            raise NotAnIndexError(f"{root} is not a searcher index (no {CURRENT_FILE} file); refusing to open it")
        raise IndexMissingError(f"no index at {root}; build one with: searcher index PATH")
    try:
        name = current.read_text(encoding="utf-8").strip()
    except (OSError, ValueError):  # a folder, a dangling link, bytes that are not UTF-8
        name = ""
    generation = root / name
    if not name.startswith("gen-") or "/" in name or not (generation / MANIFEST_FILE).is_file():
        raise IndexCorruptError(
            f"index at {root} is damaged (bad {CURRENT_FILE}); rebuild it with: searcher index --rebuild PATH"
        )
    return IndexLocation(root, generation)


def looks_foreign(root: Path) -> bool:
    """True when root holds files that are not ours: never write into or load such a folder."""
    if not root.exists():
        return False
    if not root.is_dir():
        return True
    return any(not _ours_or_harmless(entry.name) for entry in root.iterdir())


def _ours_or_harmless(name: str) -> bool:
    """Our own files (a generation being built by another writer right now, say) or a user's README."""
    return name in HARMLESS_NAMES or name.startswith((".", "gen-", CURRENT_FILE))


def read_manifest(generation: Path) -> dict:
    unreadable = IndexCorruptError(
        f"index manifest in {generation} is damaged; rebuild with: searcher index --rebuild PATH"
    )
    try:
        manifest = json.loads((generation / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as error:
        raise unreadable from error
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise NotAnIndexError(f"{generation} was not written by searcher; refusing to open it")
    if not _well_formed(manifest):
        raise unreadable
    return manifest


def _well_formed(manifest: dict) -> bool:
    """The keys searcher reads have the types it wrote (a hand-edited manifest may not)."""
    if manifest.get("building"):
        return True
    roots, taxonomy = manifest.get("roots"), manifest.get("taxonomy")
    return (
        isinstance(roots, list)
        and all(isinstance(root, str) for root in roots)
        and isinstance(taxonomy, dict)
        and isinstance(taxonomy.get("path"), str)
        and isinstance(taxonomy.get("fingerprint"), str)
        and all(isinstance(manifest.get(key), str | None) for key in ("created", "updated"))
    )


def write_manifest(generation: Path, manifest: dict) -> None:
    """Written to a temporary file and renamed, so a crash leaves the old manifest whole; records
    the checksum of every file of the generation as it is committed (checksums.py)."""
    manifest = {**manifest, "format": MANIFEST_FORMAT, "schema_version": SCHEMA_VERSION,
                "analyzer_version": ANALYZER_VERSION, "searcher_version": __version__,
                "checksums": checksums.record(generation, _recorded_checksums(generation))}  # fmt: skip
    temporary = generation / (MANIFEST_FILE + ".tmp")
    temporary.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(temporary, generation / MANIFEST_FILE)


def _recorded_checksums(generation: Path) -> object:
    """The checksums the generation's manifest holds now, or None when it cannot be read."""
    try:
        return json.loads((generation / MANIFEST_FILE).read_text(encoding="utf-8")).get("checksums")
    except (OSError, ValueError, AttributeError):
        return None


def verify(location: IndexLocation, manifest: dict, everything: bool = False) -> list[DamagedFile]:
    """The generation's damaged files: on open, those changed since they were last verified
    (checksums.py); with `everything`, the bytes of all (`searcher check`)."""
    return checksums.verify(location.generation, manifest.get("checksums"), everything)


def verify_merged(generation: Path, segment_names: tuple[str, ...]) -> None:
    """Every byte of the segments a commit merges, before the commit is written: a merge would copy
    their damage into the new segment, and its manifest record that as sound (Lucene checks the
    same at merge)."""
    recorded = _recorded_checksums(generation)
    prefixes = tuple(f"{name}." for name in segment_names)
    damaged = checksums.verify(generation, recorded, everything=True, only=prefixes) if prefixes else []
    if damaged:
        raise IndexCorruptError(checksums.damage_message(generation.parent, damaged[0]))


def check_compatible(location: IndexLocation) -> dict:
    """The manifest, if this version of searcher can read the index; otherwise say to rebuild."""
    manifest = location.manifest
    if manifest.get("schema_version") != SCHEMA_VERSION or manifest.get("analyzer_version") != ANALYZER_VERSION:
        raise IndexOutdatedError(
            f"index at {location.root} was built by another version of searcher; "
            "rebuild it with: searcher index --rebuild"
        )
    return manifest


def open_whoosh(location: IndexLocation) -> whoosh_index.Index:
    """The Whoosh index of the active generation; damage becomes one clear error."""
    manifest = check_compatible(location)
    damaged = verify(location, manifest)
    if damaged:
        raise IndexCorruptError(checksums.damage_message(location.root, damaged[0]))
    try:
        # With searcher's own schema, Whoosh never unpickles the one in the table of contents.
        storage = FileStorage(str(location.generation))
        return whoosh_index.FileIndex(storage, schema=build_schema(), indexname=WHOOSH_INDEX_NAME)
    except IndexCorruptError:
        raise
    except Exception as error:  # Whoosh raises many kinds for a damaged folder
        raise IndexCorruptError(
            f"index at {location.root} is damaged ({type(error).__name__}); rebuild it with: searcher index --rebuild"
        ) from error


def new_generation(root: Path, stamp: str) -> Path:
    """A fresh, empty generation folder beside the active one."""
    generation = root / f"gen-{stamp}"
    generation.mkdir(parents=True)
    try:
        whoosh_index.create_in(str(generation), build_schema())
        write_manifest(generation, {"building": True})
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    return generation


def activate(root: Path, generation: Path) -> None:
    """Switches searches to generation in one atomic rename."""
    temporary = root / (CURRENT_FILE + ".tmp")
    temporary.write_text(generation.name + "\n", encoding="utf-8")
    current = root / CURRENT_FILE
    if current.is_dir() and not current.is_symlink():  # a damaged index: nothing can be renamed over a folder
        shutil.rmtree(current)
    os.replace(temporary, current)


def remove_stale_generations(root: Path, keep: Path) -> None:
    """Deletes generations other than keep: old ones after a switch, half-built ones after a crash."""
    for entry in root.glob("gen-*"):
        if entry.is_dir() and entry != keep:
            shutil.rmtree(entry, ignore_errors=True)


def taxonomy_descriptions(location: IndexLocation) -> dict[str, str]:
    """Topic names and descriptions of the taxonomy copy kept in the index, in the file's order."""
    import tomllib

    try:
        data = tomllib.loads((location.generation / TAXONOMY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    topics = data.get("topic", [])
    return {
        str(t["name"]).strip().lower(): str(t.get("description", "")).strip()
        for t in topics
        if isinstance(t, dict) and isinstance(t.get("name"), str)
    }


def taxonomy_children(location: IndexLocation) -> dict[str, list[str]]:
    """Each topic of the taxonomy copy with the topics directly under it (a topic's `parent`).

    Read once per copy (its path, size and mtime): every search widens its topic clauses with it,
    and parsing the default taxonomy's TOML took 3.4 ms, a fifth of a whole search."""
    copy = location.generation / TAXONOMY_FILE
    try:
        stat = copy.stat()
    except OSError:
        return {}
    return _children_of_copy(str(copy), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _children_of_copy(path: str, size: int, mtime_ns: int) -> dict[str, list[str]]:
    from searcher.engine.hierarchy import children_in

    try:
        return children_in(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}


# Descriptors of the locks this process holds: a worker process forked while they are held closes
# its copies at once, so that the lock dies with the process that took it (flock locks belong to the
# open file, which every copy keeps alive).
HELD_LOCKS: set[int] = set()


@contextmanager
def writer_lock(root: Path, timeout: float, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """One writer at a time, across processes; the lock dies with its process, so a crash never leaves it stuck."""
    handle = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLockedError(
                        f"another searcher is writing to {root}; gave up after {timeout:.0f}s (try again later)"
                    ) from None
                if on_wait and not told:
                    on_wait(f"waiting for another searcher writing to {root} (up to {timeout:.0f}s)...")
                    told = True
                time.sleep(LOCK_POLL_SECONDS)
        HELD_LOCKS.add(handle)
        yield
    finally:
        HELD_LOCKS.discard(handle)
        os.close(handle)
