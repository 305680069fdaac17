"""Stage 3, index: bring an index up to date with the article files under some paths.

An update costs what changed: a file whose size and mtime are unchanged is skipped, then each of its
documents whose content hash is unchanged; JSONL records are compared one by one. A rebuild writes a
complete new generation beside the active one and switches to it atomically, so searches never see
half an index, and an interrupted rebuild leaves the old one in place.

The index lives in an engine (engine/base.py): this stage decides what to add, replace and remove,
and the engine's generations and writers store it.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from searcher.engine import Engine, Generation, open_engine
from searcher.enrich.topics import Taxonomy, default_taxonomy_path, load_taxonomy
from searcher.errors import (
    NO_STORY,
    IndexCorruptError,
    IndexMissingError,
    IndexOutdatedError,
    IndexWriteError,
    NotAnIndexError,
    PathNotFoundError,
    SearcherError,
    no_story_kind,
)
from searcher.models import IndexReport, Progress, SourceDocument
from searcher.pipeline import Preparer
from searcher.sources import DEFAULT_MAX_BYTES, FoundFile, find_files, read_documents

log = logging.getLogger(__name__)

# How long a second writer waits for the first before giving up.
DEFAULT_LOCK_TIMEOUT = 30.0
# Below this much work, starting worker processes costs more than it saves: documents to clean in
# an update, or bytes of files to read in a new build (whose document count is not known up front).
PARALLEL_MIN_DOCUMENTS = 2000
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
# How often the progress bar is redrawn while the index is written.
PROGRESS_SECONDS = 0.5


ProgressCallback = Callable[[Progress], None]


@dataclass
class FileEntry:
    """What the index knows of one source file: its size and mtime, and its documents' content hashes."""

    size: int
    mtime: float
    documents: dict[str, str] = field(default_factory=dict)
    failed: str | None = None  # why the whole file could not be read, when it could not


def ensure_index(
    root: Path | str, default_corpus: Path = Path("seeds"), on_build: Callable[[str], None] | None = None
) -> IndexReport | None:
    """Builds a missing index from the default corpus; None when the index already exists."""
    engine = open_engine(root)
    if engine.exists():
        return None
    if engine.looks_foreign():
        raise NotAnIndexError(f"{root} is not a searcher index (no CURRENT file); refusing to open it")
    if not default_corpus.is_dir():
        raise IndexMissingError(f"no index at {root}/; build one with: searcher index PATH")
    if on_build:
        on_build(f"no index at {root}/ yet; building it from {default_corpus}/ ...")
    return update_index(root, [default_corpus], on_wait=on_build)


def writer_lock(root: Path, timeout: float, on_wait: Callable[[str], None] | None = None):  # noqa: ANN201
    """The index's one-writer lock (a context manager), as update_index takes it."""
    return open_engine(root).writer_lock(timeout, on_wait)


def update_index(
    root: Path | str,  # an index folder or an engine URL
    paths: list[Path] | None = None,
    taxonomy_path: Path | None = None,
    rebuild: bool = False,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    on_wait: Callable[[str], None] | None = None,
    progress: ProgressCallback | None = None,
    procs: int | None = None,
    optimize: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    forget: list[Path] | None = None,
) -> IndexReport:
    """Index the article files under paths (by default, the paths the index was built from).

    A new index is built from ./seeds when no path is given; paths are added to the ones the index
    was built from, except in a rebuild, where they replace them. `forget` drops paths and their
    articles. `procs` worker processes clean and index large batches (default: one per core).
    Raises SearcherError subclasses for problems with the index as a whole (and for a given path
    that does not exist, before anything is written); problems with single files are in the report.
    """
    started = time.monotonic()
    missing = [path for path in paths or [] if not path.exists()]
    if missing:
        raise PathNotFoundError(f"no such file or folder: {missing[0]}; nothing was indexed")
    if isinstance(root, Path):  # an engine URL's cluster needs no folder
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as error:  # a read-only file system, a file in the way, no permission
            raise IndexWriteError(f"cannot create the index at {root} ({error.strerror or error})") from error
    engine = open_engine(root)
    if engine.looks_foreign() and not engine.exists():
        raise NotAnIndexError(f"{root} is not a searcher index and is not empty; refusing to write into it")
    settings = _Settings(procs or os.cpu_count() or 1, optimize, max_bytes, progress or (lambda _: None))
    try:
        with engine.writer_lock(lock_timeout, on_wait):
            report = _Job(engine, root, rebuild, settings).run(paths, taxonomy_path, forget or [])
    except OSError as error:  # source files' errors are per-file failures; this is the index's own storage
        reason = error.strerror or str(error)
        raise IndexWriteError(
            f"cannot write the index at {root} ({reason}); searches still use the last complete index"
        ) from error
    report.seconds = time.monotonic() - started
    return report


@dataclass(frozen=True)
class _Settings:
    """How a run works: worker processes, merging, the file size limit, progress reports."""

    procs: int
    optimize: bool
    max_bytes: int
    progress: ProgressCallback


class _Job:
    """One locked indexing run: choose the generation, plan from the file state, write, switch."""

    def __init__(self, engine: Engine, root: Path, rebuild: bool, settings: _Settings) -> None:
        self.engine, self.root, self.rebuild, self.settings = engine, root, rebuild, settings
        self.report = IndexReport()

    def run(self, paths: list[Path] | None, taxonomy_path: Path | None, forget: list[Path]) -> IndexReport:
        active, damaged = self._active()
        fresh = active is None or self.rebuild
        manifest = _old_manifest(active) if fresh else active.compatible_manifest()
        if manifest is None or damaged:
            if not paths:  # a damaged manifest no longer says which paths the index was built from
                raise IndexCorruptError(
                    f"the index at {self.root} is damaged and its paths cannot be read; "
                    "rebuild it from yours with: searcher index --rebuild PATH"
                )
            active, manifest, damaged = None, {}, True
        taxonomy = load_taxonomy(taxonomy_path or _custom_taxonomy(manifest, active))
        if not fresh and manifest["taxonomy"]["fingerprint"] != taxonomy.fingerprint:
            raise IndexOutdatedError(
                "the taxonomy has changed since the index was built; rebuild it with: searcher index --rebuild"
            )
        if not damaged:  # a damaged generation stays until its replacement is active
            self.engine.remove_stale_generations(keep=active)
        roots, dropped = _roots(paths, manifest, self.rebuild, forget)
        self.report.forgotten = [str(r) for r in dropped]
        self.report.roots = [str(r) for r in roots]
        generation = self.engine.new_generation() if fresh else active
        how = "rebuilding the index" if self.rebuild else "building a new index" if fresh else "updating the index"
        log.info("%s from %s", how, ", ".join(str(r) for r in roots) or "no paths")
        try:
            changed = self._apply(generation, roots, dropped, taxonomy, fresh)
        except BaseException:
            if fresh:
                generation.discard()  # a half-built index is never left behind
            raise
        if not fresh and not changed and [str(r) for r in roots] == manifest.get("roots"):
            return self.report  # nothing to do, and nothing written
        generation.keep_taxonomy(Path(taxonomy.source))
        generation.write_manifest({
            "roots": [str(r) for r in roots],
            "taxonomy": {"path": taxonomy.source, "fingerprint": taxonomy.fingerprint,
                         "custom": taxonomy.source != str(default_taxonomy_path())},
            "created": manifest.get("created") if not fresh else _now(),
            "updated": _now(),
        })  # fmt: skip
        if fresh:
            generation.activate()
            self.engine.remove_stale_generations(keep=generation)
        return self.report

    def _active(self) -> tuple[Generation | None, bool]:
        """The active generation, and whether the index is damaged: a rebuild works from any state."""
        try:
            return self.engine.active(), False
        except IndexCorruptError:
            if not self.rebuild:
                raise
            return None, True

    def _apply(
        self, generation: Generation, roots: list[Path], dropped: list[Path], taxonomy: Taxonomy, fresh: bool
    ) -> bool:
        """Adds, updates and removes documents so the index matches the files under roots (and holds
        nothing from the dropped ones); False when there was nothing to change."""
        found, self.report.failed = find_files(roots, self.report.skipped)
        settings = self.settings
        state = {} if fresh else load_state(generation)
        planner = _Planner(state, self.report, settings, found)
        actions = planner.actions(found, roots, dropped)
        if not fresh:
            # Incremental: look ahead until the work is known to be big enough for worker processes,
            # never further, so that memory holds at most that many documents, not the update.
            ahead = []
            for action in actions:
                ahead.append(action)
                if planner.planned >= PARALLEL_MIN_DOCUMENTS:
                    break
            if not ahead and not settings.optimize:
                if planner.state != state:
                    save_state(generation, planner.state)  # touched files, read again: their new times
                return planner.state != state
            actions = itertools.chain(ahead, actions)
        big = planner.bytes_total >= PARALLEL_MIN_BYTES if fresh else planner.planned >= PARALLEL_MIN_DOCUMENTS
        procs = settings.procs if big else 1
        log.info("cleaning and indexing %s", f"in {procs} worker processes" if procs > 1 else "in this process")
        writer = generation.writer(Preparer(taxonomy), planner.failed_document, procs)
        planner.prepared = writer.prepared
        try:
            for action, item in actions:
                if action == ADD:
                    writer.add(item)
                elif action == REMOVE:
                    self.report.removed += writer.delete(item)
                else:
                    writer.delete(item)

            def committing() -> None:
                settings.progress(
                    Progress(planner.bytes_done, planner.bytes_total, planner.planned, "committing", writer.prepared())
                )

            with _every(PROGRESS_SECONDS, committing):  # workers finish their last batches, then segments
                writer.commit(optimize=settings.optimize)
        except BaseException:
            writer.cancel()
            raise
        save_state(generation, planner.state)
        return True


# What the planner asks the writer to do with a document (or a document id).
ADD, REPLACE, REMOVE = "add", "replace", "remove"


class _Planner:
    """Decides, file by file, which documents to index, replace or remove, and keeps the file state."""

    def __init__(
        self, state: dict[str, FileEntry], report: IndexReport, settings: _Settings, found: list[FoundFile]
    ) -> None:
        self.state = dict(state)
        self.report = report
        self.progress = settings.progress
        self.max_bytes = settings.max_bytes
        self.bytes_total = sum(_size(f.path) for f in found)
        self.bytes_done = 0
        self.planned = 0
        self.owners = {doc_id: key for key, entry in state.items() for doc_id in entry.documents}
        self.replaced: set[str] = set()
        self.claims: list[tuple[str, str, SourceDocument]] = []  # (key, path, document): its id was another file's
        self.prepared: Callable[[], int | None] = lambda: None  # the writer's count, once there is a writer
        # The documents of the file being planned, before its entry is written: a serial writer
        # cleans each as it is planned, so one that fails is taken out here, and the file read again.
        self.planning: dict[str, str] | None = None
        self.read_again = False

    def actions(self, found: list[FoundFile], roots: list[Path], dropped: list[Path]) -> Iterator[tuple[str, object]]:
        """What to do, in order: first remove the documents of vanished files (so a renamed file's
        ids are free again) and of dropped paths, then each file's new and changed documents.

        A root that is missing (an unmounted drive, a moved folder) has not lost its files: its
        articles stay until it is back or forgotten."""
        keys = {str(item.path.resolve()) for item in found}
        scanned = [str(r).rstrip("/") for r in roots if r.exists()]
        gone = [str(r).rstrip("/") for r in dropped]
        for key in list(self.state):
            vanished = key not in keys and _under(key, scanned)
            if vanished or _under(key, gone):
                log.info("removed (%s): %s", "file gone" if vanished else "path forgotten", key)
                yield from self._forget(self.state.pop(key).documents, REMOVE)
        for item in found:
            yield from self._file_actions(item, str(item.path.resolve()))
            self.bytes_done += _size(item.path)
            self.progress(Progress(self.bytes_done, self.bytes_total, self.planned, prepared=self.prepared()))
        yield from self._claimed_late()

    def _forget(self, doc_ids: object, action: str) -> Iterator[tuple[str, object]]:
        for doc_id in doc_ids:
            self.owners.pop(doc_id, None)
            yield action, doc_id

    def _file_actions(self, item: FoundFile, key: str) -> Iterator[tuple[str, object]]:
        entry = self.state.get(key)
        if entry and _same_on_disk(item.path, entry):
            if entry.failed:  # reported when it failed; a daily run need not fail for it again
                self.report.failed_before.append((str(item.path), entry.failed))
            self.report.unchanged += len(entry.documents)
            log.info("unchanged (same size and time): %s", item.path)
            return
        try:
            documents, problems = read_documents(item, self.max_bytes, self.report.skipped)
        except SearcherError as error:
            self.report.failed.append((str(item.path), str(error)))
            if entry:
                yield from self._forget(self.state.pop(key).documents, REMOVE)
            stat = _stat(item.path)
            if stat is not None:  # remembered, so it is reported once until it changes
                self.state[key] = FileEntry(stat.st_size, stat.st_mtime, {}, str(error))
            return
        self.report.failed.extend((str(item.path), problem) for problem in problems)
        known = entry.documents if entry else {}
        kept: dict[str, str] = {}
        self.planning, self.read_again = kept, False
        gone = set(known) - {d.id for d in documents}
        yield from self._forget(gone, REMOVE)  # records deleted from a JSONL file
        for document in documents:
            owner = self.owners.get(document.id)
            if owner is not None and owner != key:
                self.claims.append((key, str(item.path), document))  # the owner may be a changed file that lets it go
                continue
            self.owners[document.id] = key
            kept[document.id] = document.content_hash
            if known.get(document.id) == document.content_hash:
                self.report.unchanged += 1
                continue
            if document.id in known:
                self.replaced.add(document.id)
                self.report.updated += 1
                yield REPLACE, document.id
            else:
                self.report.added += 1
            self.planned += 1
            yield ADD, document
        size, mtime = (documents[0].size, documents[0].mtime) if documents else (0, 0.0)
        self.state[key] = FileEntry(-1 if self.read_again else size, mtime, kept)
        self.planning = None
        if log.isEnabledFor(logging.INFO):
            log.info("%s: %s", "changed" if entry else "new", _decided(item.path, known, kept, gone))

    def _claimed_late(self) -> Iterator[tuple[str, object]]:
        """Documents whose id another file held when their own file was read: a record moved into a
        JSONL file that sorts earlier is indexed once its old file, read later, has let it go."""
        for key, path, document in self.claims:
            owner = self.owners.get(document.id)
            if owner is not None:
                self.report.failed.append((path, f"document id {document.id!r} is already used by {owner}"))
                continue
            self.owners[document.id] = key
            self.state[key].documents[document.id] = document.content_hash
            self.report.added += 1
            self.planned += 1
            yield ADD, document

    def failed_document(self, doc_id: str, path: str, reason: str) -> None:
        """A planned document could not be cleaned: count it as failed (or, a page without a story,
        as passed over), and forget it so it is read again next time."""
        kind = no_story_kind(reason)
        if kind is None:
            self.report.failed.append((path, reason))
        else:
            self.report.skipped.append((path, NO_STORY, kind))
        if doc_id in self.replaced:
            self.report.updated -= 1
        else:
            self.report.added -= 1
        if self.planning is not None and self.planning.pop(doc_id, None) is not None:
            self.read_again = True
        for entry in self.state.values():
            if entry.documents.pop(doc_id, None) is not None:
                entry.size = -1  # so the next run reads the file again instead of skipping it


def _decided(path: Path, known: dict[str, str], kept: dict[str, str], gone: set[str]) -> str:
    """What an update does with one file's documents, for -v: "a.jsonl (1 added, 2 updated, 5 unchanged)"."""
    added = sum(1 for doc_id in kept if doc_id not in known)
    updated = sum(1 for doc_id, digest in kept.items() if doc_id in known and known[doc_id] != digest)
    counts = {"added": added, "updated": updated, "unchanged": len(kept) - added - updated, "removed": len(gone)}
    return f"{path} ({', '.join(f'{n} {what}' for what, n in counts.items() if n)})"


@contextmanager
def _every(seconds: float, report: Callable[[], None]) -> Iterator[None]:
    """Calls report now and every `seconds` while the block runs (a long commit's progress)."""
    done = threading.Event()

    def tick() -> None:
        while not done.is_set():
            report()
            done.wait(seconds)

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        yield
    finally:
        done.set()
        ticker.join()


def _under(key: str, roots: list[str]) -> bool:
    return any(key == root or key.startswith(root + "/") for root in roots)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _size(path: Path) -> int:
    stat = _stat(path)
    return stat.st_size if stat else 0


def _same_on_disk(path: Path, entry: FileEntry) -> bool:
    stat = _stat(path)
    return stat is not None and stat.st_size == entry.size and stat.st_mtime == entry.mtime


def load_state(generation: Generation) -> dict[str, FileEntry]:
    """The file state of the generation as committed (the engine rebuilds it from the index when
    the saved one is missing, damaged or older than the index)."""
    try:
        raw = generation.load_state()
        return {key: FileEntry(*entry) for key, entry in raw.items()}
    except (ValueError, TypeError):
        return {}


def save_state(generation: Generation, state: dict[str, FileEntry]) -> None:
    """Saved after the engine commits; a crash in between is found and mended by the engine."""
    generation.save_state(
        {key: [e.size, e.mtime, e.documents, *([e.failed] if e.failed else [])] for key, e in state.items()}
    )


def _old_manifest(active: Generation | None) -> dict | None:
    """What a rebuild keeps of the index it replaces (its paths, its taxonomy); None when it cannot be read."""
    if active is None:
        return {}
    try:
        return active.manifest()
    except IndexCorruptError:
        return None


def _custom_taxonomy(manifest: dict, active: Generation | None) -> Path | None:
    """The user's taxonomy that built the index: their file if it is still there (so edits are
    noticed), else the copy kept in the index. None for the built-in one."""
    taxonomy = manifest.get("taxonomy", {})
    if not taxonomy.get("custom"):
        return None
    if Path(taxonomy["path"]).is_file() or active is None:
        return Path(taxonomy["path"])
    return active.taxonomy_copy()


def _roots(
    paths: list[Path] | None, manifest: dict, rebuild: bool, forget: list[Path]
) -> tuple[list[Path], list[Path]]:
    """The corpus paths of this run, and the ones it drops: the paths given (added to the index's
    own, or replacing them in a rebuild), else the index's own, else ./seeds; less `forget`."""
    known = [Path(p) for p in manifest.get("roots", [])]
    given = [p.resolve() for p in paths or []]
    if given:
        roots = given if rebuild else list(dict.fromkeys([*known, *given]))
    else:
        roots = known or ([] if forget else [Path("seeds").resolve()])
    dropped = [p.resolve() for p in forget]
    unknown = [str(p) for p in dropped if p not in roots]
    if unknown:
        listed = ", ".join(str(r) for r in roots) or "none"
        raise PathNotFoundError(f"{unknown[0]} is not one of the index's paths ({listed}); nothing was changed")
    return [r for r in roots if r not in dropped], dropped


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
