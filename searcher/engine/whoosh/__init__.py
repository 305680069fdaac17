"""The embedded Whoosh engine: an index folder of generations (store.py), its writers (writers.py),
BM25F ranking with bonuses and RM3 (ranking.py), exact counts (docsets.py), did-you-mean
(spelling.py) and the query tree in Whoosh's terms (translate.py), behind engine/base.py's seam.

Whoosh-private API is used only in this package, each use commented with why.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path

from searcher.engine.base import DocumentWriter, FailureCallback, Matches, Prepare
from searcher.engine.query import SearchQuery
from searcher.engine.whoosh import bounds, checksums, searching, state, store
from searcher.errors import QueryTooCostlyError
from searcher.models import Article, IndexCheck, IndexStats, SearchOptions, TopicCount

# "Did you mean" compares a word with every indexed word in Python; on a large index that can take
# longer than the search itself, and a suggestion is worth less than an answer now.
SUGGEST_SECONDS = 2.0


class WhooshGeneration:
    """One generation folder: a complete Whoosh index, its manifest and the index stage's file state."""

    def __init__(self, location: store.IndexLocation) -> None:
        self.location = location
        self.path = location.generation

    def manifest(self) -> dict:
        return self.location.manifest

    def compatible_manifest(self) -> dict:
        return store.check_compatible(self.location)

    def write_manifest(self, manifest: dict) -> None:
        store.write_manifest(self.path, manifest)

    def keep_taxonomy(self, source: Path) -> None:
        """A copy of the taxonomy that built the generation, to list and describe its topics later;
        left alone when it holds the same bytes (a rewrite would make the next open read it again)."""
        copy = self.taxonomy_copy()
        if source != copy and not (copy.is_file() and copy.read_bytes() == source.read_bytes()):
            shutil.copyfile(source, copy)

    def taxonomy_copy(self) -> Path:
        return self.path / store.TAXONOMY_FILE

    def load_state(self) -> dict:
        """The file state committed with the index; rebuilt from the index when it does not match it."""
        return state.load_state(self.location)

    def save_state(self, files: dict) -> None:
        """Saved after each commit, stamped with it: see state.py."""
        state.save_state(self.path, files)

    def writer(self, prepare: Prepare, on_failure: FailureCallback, procs: int) -> DocumentWriter:
        """A writer preparing documents in this process (procs 1) or in `procs` worker processes."""
        from searcher.engine.whoosh.writers import ParallelWriter, SerialWriter

        ix = store.open_whoosh(self.location)
        if procs > 1:
            return ParallelWriter(ix, prepare, on_failure, procs, self.path)
        return SerialWriter(ix, prepare, on_failure, self.path)

    def activate(self) -> None:
        store.activate(self.location.root, self.path)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class WhooshEngine:
    """The index in a folder on this machine (`searcher --index DIR`)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __repr__(self) -> str:
        return f"WhooshEngine({str(self.root)!r})"

    # Lifecycle, for the index stage.

    def exists(self) -> bool:
        return store.index_exists(self.root)

    def looks_foreign(self) -> bool:
        return store.looks_foreign(self.root)

    def writer_lock(self, timeout: float, on_wait: Callable[[str], None] | None = None) -> AbstractContextManager:
        return store.writer_lock(self.root, timeout, on_wait)

    def active(self) -> WhooshGeneration | None:
        """The generation searches use; None for a new index (raises when the index is damaged)."""
        if not store.index_exists(self.root):
            return None
        return WhooshGeneration(store.locate(self.root))

    def new_generation(self) -> WhooshGeneration:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        return WhooshGeneration(store.IndexLocation(self.root, store.new_generation(self.root, stamp)))

    def remove_stale_generations(self, keep: WhooshGeneration | None) -> None:
        store.remove_stale_generations(self.root, keep=keep.path if keep else None)

    # Reading, for the search stage.

    def search(self, query: SearchQuery, options: SearchOptions) -> Matches:
        return searching.search(self.root, query, options)

    def similar(self, article: Article, options: SearchOptions) -> Matches | None:
        return searching.similar(self.root, article, options)

    def article(self, doc_id: str) -> Article | None:
        return searching.article(self.root, doc_id)

    def ids(self) -> Iterator[str]:
        return iter(searching.ids(self.root))

    def ids_for_path(self, path: str) -> list[str]:
        return searching.ids_for_path(self.root, path)

    def suggest(self, text: str) -> str | None:
        """Did you mean; None also when finding a correction takes longer than SUGGEST_SECONDS."""
        try:
            with bounds.time_budget(SUGGEST_SECONDS, searching.close_searchers):
                return searching.suggestion(self.root, text)
        except QueryTooCostlyError:
            return None

    def stats(self) -> IndexStats:
        return searching.index_stats(self.root)

    def topic_counts(self) -> list[TopicCount]:
        return searching.topic_counts(self.root)

    def check(self) -> IndexCheck:
        """Every file of the active generation against its recorded checksum, then a test open."""
        location = store.locate(self.root)
        manifest = store.check_compatible(location)
        recorded = manifest.get("checksums")
        files = recorded.get("files", {}) if isinstance(recorded, dict) else {}
        damaged = tuple(store.verify(location, manifest, everything=True))
        note = None
        if not files:
            note = "no checksums are recorded (the index was built by an earlier version); rebuild it to record them"
        elif not checksums.describes(location.generation, recorded):
            note = (
                "the files on disk are a commit the manifest does not describe (an update under way, or one "
                "interrupted): run the check again when no update runs, or rebuild"
            )
        if not damaged:
            searching.index_stats(self.root)  # reads every segment's table, lengths and columns
        sizes = [entry[0] for entry in files.values() if isinstance(entry, list) and entry]
        return IndexCheck(str(location.generation), len(files), sum(s for s in sizes if isinstance(s, int)),
                          damaged, note)  # fmt: skip


def close_searchers() -> None:
    """Closes the searchers this process keeps open (tests and benchmarks switch indexes)."""
    searching.close_searchers()
