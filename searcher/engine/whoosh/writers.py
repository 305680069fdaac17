"""Writing articles into Whoosh: in this process, or prepared and indexed in worker processes.

The parallel writer is Whoosh's own multi-process writer (MpWriter), with one change: its workers
receive source documents, not finished fields, and prepare them (the index stage's callable: clean
and enrich) before indexing. So the pipeline's stages 1 to 3 all run on every core, and the main
process only reads files and plans.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import multiprocessing
import os
import pickle
import queue
import shutil
import signal
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import SegmentReader
from whoosh.util import random_name
from whoosh.writing import MERGE_SMALL, OPTIMIZE, SegmentWriter

from searcher.engine.base import FailureCallback, Prepare
from searcher.engine.document import document_values
from searcher.engine.whoosh import store
from searcher.engine.whoosh.store import build_schema
from searcher.errors import IndexCorruptError, IndexWriteError, SearcherError
from searcher.models import Article, SourceDocument

# Whoosh's in-memory posting buffer, per writing process; larger means fewer, bigger runs to merge.
WRITER_LIMIT_MB = 256
# Whoosh packs a segment's files into one compound file by default, and reading one part of it
# copies that part into memory; separate files are read in place, which makes opening an index
# for a one-off search several times cheaper.
COMPOUND_SEGMENTS = False
# Documents handed to a worker at a time: large enough that pickling to a job file is cheap per document.
BATCH_SIZE = 200
FAILURES_GLOB = "failures-*.json"
# How often a waiting writer looks whether its workers are still alive.
WORKER_CHECK_SECONDS = 1.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h
# A worker that cannot write ends with this plus the errno (Linux's are below 134), so that the
# parent can say why in its one line.
WORKER_OS_ERROR = 100
MAX_ERRNO = 150

# Segments with fewer documents than this are merged into the one an incremental update writes: each
# segment costs every query term a lookup, and daily updates would otherwise leave one more each day.
SMALL_SEGMENT_DOCS = 2_000


def article_fields(article: Article) -> dict:
    """An Article as Whoosh fields: the date as a datetime, topics comma-separated, the place terms a
    line each (the fields' own formats, store.py)."""
    values = document_values(article)
    when = values["date"]
    return values | {
        "date": datetime(when.year, when.month, when.day) if when else None,
        "topics": ",".join(values["topics"]),
        "site": "\n".join(values["site"]),
        "folders": "\n".join(values["folders"]),
    }


def merge_after_update(writer: SegmentWriter, segments: list) -> list:
    """Whoosh's merge policy for an update's commit, tightened: segments whose documents have all
    been deleted are dropped (Whoosh keeps them, and searches still open them), and small segments
    are folded into the new one; larger ones are left to Whoosh's own rule (MERGE_SMALL)."""
    live = [segment for segment in segments if segment.doc_count() > 0]
    for segment in live:
        if segment.doc_count_all() < SMALL_SEGMENT_DOCS:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
    return MERGE_SMALL(writer, [segment for segment in live if segment.doc_count_all() >= SMALL_SEGMENT_DOCS])


def remove_unfinished_files(folder: Path) -> None:
    """After a failed write, what it left in the generation: the files of segments the last commit
    does not list, Whoosh's temporary folders and job files, half-written manifests and states. Left
    behind, they filled a full disk for good, and every later update failed until deleted by hand."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC, clean_files

    storage = FileStorage(str(folder))
    try:
        toc = TOC.read(storage, "MAIN", schema=build_schema())
    except Exception:  # no readable commit: nothing can be told apart from leftovers  # noqa: BLE001
        return
    clean_files(storage, "MAIN", toc.generation, toc.segments)  # Whoosh's own sweep after a commit
    for leftover in [*folder.glob("*.tmp"), *folder.glob(FAILURES_GLOB)]:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def cancel_and_clean(writer: SegmentWriter, folder: Path) -> None:
    """Whoosh's cancel, which may fail itself on a full disk (closing files flushes them); the write
    lock is let go and the unfinished files removed whatever happens."""
    try:
        writer.cancel()
    except Exception:  # the write already failed; the cleanup below is what matters  # noqa: BLE001
        lock = getattr(writer, "writelock", None)
        with contextlib.suppress(Exception):
            lock.release()
    finally:
        remove_unfinished_files(folder)


@contextlib.contextmanager
def damage_as_error(generation: Path) -> Iterator[None]:
    """What Whoosh raises when a merge reads a damaged segment (zlib, struct, unpickling errors)
    as the one-line damage message; the update is cancelled, and the index left as it was."""
    try:
        yield
    except (SearcherError, OSError):
        raise
    except Exception as error:
        raise IndexCorruptError(
            f"index at {generation.parent} is damaged ({type(error).__name__}: {error}); "
            "rebuild it with: searcher index --rebuild"
        ) from error


def verified(policy: Callable) -> Callable:
    """A merge policy whose merges verify each segment's files (store.verify_merged) before Whoosh
    reads them into the new segment; damage cancels the update. Whoosh's policies and
    merge_after_update all merge through the writer's add_reader, which is wrapped meanwhile."""

    def merge(writer: SegmentWriter, segments: list) -> list:
        add_reader = writer.add_reader

        def add_verified(reader: SegmentReader) -> None:
            try:
                store.verify_merged(Path(writer.storage.folder), (reader.segment().segment_id(),))
            except SearcherError:
                reader.close()  # the policy never gets to close it
                raise
            add_reader(reader)

        writer.add_reader = add_verified
        try:
            return policy(writer, segments)
        finally:
            del writer.add_reader  # the class's own again

    return merge


class SerialWriter:
    """Prepares and indexes in this process: for small updates, where starting workers costs more."""

    def __init__(self, ix, prepare: Prepare, on_failure: FailureCallback, generation: Path) -> None:  # noqa: ANN001
        self.generation = generation
        self.writer = SegmentWriter(ix, limitmb=WRITER_LIMIT_MB, compound=COMPOUND_SEGMENTS)
        self.prepare = prepare
        self.on_failure = on_failure

    def add(self, document: SourceDocument) -> None:
        try:
            article = self.prepare(document)
        except SearcherError as error:
            self.on_failure(document.id, str(document.path), str(error))
            return
        self.writer.add_document(**article_fields(article))

    def delete(self, doc_id: str) -> int:
        return self.writer.delete_by_term("id", doc_id)

    def prepared(self) -> None:
        return None  # each document is prepared as it is added

    def commit(self, optimize: bool = False) -> None:
        with damage_as_error(Path(self.writer.storage.folder)):
            self.writer.commit(mergetype=verified(OPTIMIZE if optimize else merge_after_update))

    def cancel(self) -> None:
        cancel_and_clean(self.writer, self.generation)


class _CleaningTask(SubWriterTask):
    """A Whoosh sub-writer process that prepares (cleans and enriches) each source document it indexes.

    It dies with the process that started it, holds none of its locks, and leaves Ctrl-C to it: a
    killed or interrupted run never leaves workers behind holding the index."""

    prepare: Prepare | None = None
    failures_dir: str = ""
    inherited_locks: tuple[int, ...] = ()
    parent_pid: int = 0
    prepared = None  # a shared counter of the documents the workers have indexed

    def run(self) -> None:
        for handle in self.inherited_locks:
            with contextlib.suppress(OSError):
                os.close(handle)
        _die_with_parent(self.parent_pid)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        # Whoosh's task opens the index by name, which unpickles its schema: searcher's own is given
        # instead (see pickles.py). This is the task's own copy of the storage, in this process.
        opened = self.storage.open_index
        self.storage.open_index = lambda name, **options: opened(name, schema=build_schema(), **options)
        try:
            super().run()
        except OSError as error:  # a full disk, say: the parent names it in one line, no traceback here
            os._exit(WORKER_OS_ERROR + min(error.errno or 0, MAX_ERRNO))

    def _process_file(self, filename: str, doc_count: int) -> None:
        prepare = self.prepare
        tempstorage = self.writer.temp_storage()
        failures = []
        with tempstorage.open_file(filename).raw_file() as handle:
            for _ in range(doc_count):
                _code, document = pickle.load(handle)
                try:
                    article = prepare(document)
                except SearcherError as error:
                    failures.append([document.id, str(document.path), str(error)])
                    continue
                self.writer.add_document(**article_fields(article))
        tempstorage.delete_file(filename)
        if self.prepared is not None:
            with self.prepared.get_lock():
                self.prepared.value += doc_count
        if failures:
            target = Path(self.failures_dir) / f"failures-{os.getpid()}-{uuid.uuid4().hex}.json"
            target.write_text(json.dumps(failures), encoding="utf-8")


class _CleaningMpWriter(MpWriter):
    """Whoosh's MpWriter, starting cleaning tasks instead of plain sub-writers, and failing the run
    when one of them dies: Whoosh's own commit skips a task whose result never comes, so the
    documents it held were lost while the run reported success."""

    def __init__(self, ix, prepare: Prepare, failures_dir: str, **kwargs: object) -> None:  # noqa: ANN001
        self.prepare = prepare
        self.failures_dir = failures_dir
        self.prepared = multiprocessing.Value("q", 0)  # read by the progress bar
        super().__init__(ix, **kwargs)

    def _new_task(self) -> SubWriterTask:
        task = _CleaningTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        task.prepare = self.prepare
        task.failures_dir = self.failures_dir
        lock = getattr(self.writelock, "fd", None)  # Whoosh's own write lock, taken by this writer
        task.inherited_locks = (*store.HELD_LOCKS, *([lock] if lock is not None else []))
        task.parent_pid = os.getpid()
        task.prepared = self.prepared
        self.tasks.append(task)
        task.start()
        return task

    def _enqueue(self) -> None:
        """Whoosh's _enqueue (a batch to a job file, its name on the job queue), waiting for room on
        the queue only while the workers are alive: with every worker dead, Whoosh's put blocked forever."""
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as handle:
            for item in self.docbuffer:
                pickle.dump(item, handle, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._put((filename, len(self.docbuffer)))
        self.docbuffer = []

    def _put(self, job: object) -> None:
        while True:
            self.check_workers()
            try:
                self.jobqueue.put(job, timeout=WORKER_CHECK_SECONDS)
                return
            except queue.Full:
                continue

    def check_workers(self) -> None:
        """Raises IndexWriteError when a worker has died (killed, out of memory, crashed)."""
        dead = [task for task in self.tasks if task.exitcode not in (None, 0)]
        if dead:
            raise IndexWriteError(
                f"a worker process {_how_it_ended(dead[0].exitcode)} while indexing; nothing was written, "
                "and searches still use the last complete index"
            )

    def _commit(self, mergetype, optimize, merge) -> None:  # noqa: ANN001 - Whoosh's merge policies
        """Whoosh's commit, once every worker has finished its work and ended well."""
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self._put(None)
        for task in self.tasks:
            while task.is_alive():
                task.join(WORKER_CHECK_SECONDS)
                self.check_workers()
        self.check_workers()
        super()._commit(mergetype, optimize, merge)  # its own stop signals and joins find the workers done

    def cancel(self) -> None:
        """Ends the workers (Whoosh's cancel only flags them, in this process), then drops the segment."""
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join(WORKER_CHECK_SECONDS)
        SegmentWriter.cancel(self)


def _die_with_parent(parent_pid: int) -> None:
    """Asks Linux to kill this process when its parent dies (a kill -9 of `searcher index` would
    otherwise leave its workers running, re-parented to init)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's cancel still ends its workers
        return
    if os.getppid() != parent_pid:  # the parent died before the request was made
        os._exit(1)


def _how_it_ended(exitcode: int) -> str:
    if WORKER_OS_ERROR < exitcode <= WORKER_OS_ERROR + MAX_ERRNO:
        return f"could not write ({os.strerror(exitcode - WORKER_OS_ERROR)})"
    if exitcode < 0:
        try:
            return f"was killed ({signal.Signals(-exitcode).name})"
        except ValueError:
            return f"was killed (signal {-exitcode})"
    return f"failed (exit code {exitcode})"


class ParallelWriter:
    """Prepares and indexes in `procs` worker processes (Whoosh's multi-process writer)."""

    def __init__(self, ix, prepare: Prepare, on_failure: FailureCallback, procs: int, generation: Path) -> None:  # noqa: ANN001
        self.generation = generation
        self.on_failure = on_failure
        self.paths: dict[str, str] = {}  # document id -> path, to name a failure a worker reports
        self.writer = _CleaningMpWriter(
            ix, prepare, str(generation), procs=procs, batchsize=BATCH_SIZE,
            multisegment=True, limitmb=WRITER_LIMIT_MB // procs, compound=COMPOUND_SEGMENTS,
        )  # fmt: skip

    def add(self, document: SourceDocument) -> None:
        """Queues a source document for a worker, as MpWriter.add_document queues fields."""
        self.paths[document.id] = str(document.path)
        # MpWriter's own add_document takes finished fields; its buffer, job queue (_enqueue) and
        # "something was added" flag (_added_sub) are private, and used here as add_document does.
        self.writer.docbuffer.append((0, document))
        if len(self.writer.docbuffer) >= self.writer.batchsize:
            self.writer._enqueue()  # noqa: SLF001
        self.writer._added_sub = True  # noqa: SLF001

    def delete(self, doc_id: str) -> int:
        return self.writer.delete_by_term("id", doc_id)

    def prepared(self) -> int:
        return self.writer.prepared.value

    def commit(self, optimize: bool = False) -> None:
        with damage_as_error(self.generation):
            self.writer.commit(mergetype=verified(OPTIMIZE if optimize else MERGE_SMALL))
        for report in self.generation.glob(FAILURES_GLOB):
            for doc_id, path, reason in json.loads(report.read_text(encoding="utf-8")):
                self.on_failure(doc_id, path, reason)
            report.unlink()

    def cancel(self) -> None:
        cancel_and_clean(self.writer, self.generation)
