"""Writing articles into Whoosh: in this process, or prepared and indexed in worker processes.

The parallel writer is Whoosh's own multi-process writer (MpWriter), with one change: its workers
receive source documents, not finished fields, and prepare them (the index stage's callable: clean
and enrich) before indexing. So the pipeline's stages 1 to 3 all run on every core, and the main
process only reads files and plans.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime
from pathlib import Path

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import SegmentReader
from whoosh.writing import MERGE_SMALL, OPTIMIZE, SegmentWriter

from searcher.engine.base import FailureCallback, Prepare
from searcher.engine.fingerprint import own_story, story_key
from searcher.errors import SearcherError
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

# Segments with fewer documents than this are merged into the one an incremental update writes: each
# segment costs every query term a lookup, and daily updates would otherwise leave one more each day.
SMALL_SEGMENT_DOCS = 2_000

# What the index keeps of dropped blocks, for `searcher show`: enough to see what went and why, not a
# second copy of every page's menus and footers (`searcher clean PATH` shows them whole).
STORED_DROPPED_BLOCKS = 100
STORED_DROPPED_CHARS = 160


def _shortened(text: str) -> str:
    return text if len(text) <= STORED_DROPPED_CHARS else text[: STORED_DROPPED_CHARS - 1].rstrip() + "…"


def article_fields(article: Article) -> dict:
    """An Article as Whoosh fields."""
    when = article.date
    return {
        "id": article.id,
        "path": article.path,
        "source_key": article.source_key,
        "title": article.title if article.title_is_headline else "",
        "display_title": article.title,
        "title_is_headline": article.title_is_headline,
        "body": article.body,
        "date": datetime(when.value.year, when.value.month, when.value.day) if when else None,
        "date_precision": when.precision if when else None,
        "date_source": when.source if when else "none",
        "year": when.value.year if when else None,
        "month": when.value.year * 100 + when.value.month if when and when.precision != "year" else None,
        "dated": 1 if when else 0,
        "topics": ",".join(article.topics),
        "story": story_key(article.body) or own_story(article.id),
        "url": article.url,
        "dropped": json.dumps(
            [[_shortened(d.text), d.reason] for d in article.dropped[:STORED_DROPPED_BLOCKS]], ensure_ascii=False
        ),
        "content_hash": article.content_hash,
        "size": article.size,
        "mtime": article.mtime,
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


class SerialWriter:
    """Prepares and indexes in this process: for small updates, where starting workers costs more."""

    def __init__(self, ix, prepare: Prepare, on_failure: FailureCallback) -> None:  # noqa: ANN001 - whoosh Index
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

    def commit(self, optimize: bool = False) -> None:
        self.writer.commit(mergetype=OPTIMIZE if optimize else merge_after_update)

    def cancel(self) -> None:
        self.writer.cancel()


class _CleaningTask(SubWriterTask):
    """A Whoosh sub-writer process that prepares (cleans and enriches) each source document it indexes."""

    prepare: Prepare | None = None
    failures_dir: str = ""

    def _process_file(self, filename: str, doc_count: int) -> None:
        import pickle

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
        if failures:
            target = Path(self.failures_dir) / f"failures-{os.getpid()}-{uuid.uuid4().hex}.json"
            target.write_text(json.dumps(failures), encoding="utf-8")


class _CleaningMpWriter(MpWriter):
    """Whoosh's MpWriter, starting cleaning tasks instead of plain sub-writers."""

    def __init__(self, ix, prepare: Prepare, failures_dir: str, **kwargs: object) -> None:  # noqa: ANN001
        self.prepare = prepare
        self.failures_dir = failures_dir
        super().__init__(ix, **kwargs)

    def _new_task(self) -> SubWriterTask:
        task = _CleaningTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        task.prepare = self.prepare
        task.failures_dir = self.failures_dir
        self.tasks.append(task)
        task.start()
        return task


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

    def commit(self, optimize: bool = False) -> None:
        self.writer.commit(optimize=optimize)
        for report in self.generation.glob(FAILURES_GLOB):
            for doc_id, path, reason in json.loads(report.read_text(encoding="utf-8")):
                self.on_failure(doc_id, path, reason)
            report.unlink()

    def cancel(self) -> None:
        self.writer.cancel()
        for report in self.generation.glob(FAILURES_GLOB):
            report.unlink()
