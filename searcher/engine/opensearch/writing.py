"""Writing articles into an OpenSearch index: bulk requests with retries, the cleaning done in this
process or in worker processes, and the cluster-wide one-writer lock.

Documents are sent in the order the index stage gives them (a replaced article's delete before its
new version), in bulk requests of BULK_ACTIONS; a cluster that pushes back (429) or a node that
does not answer is retried with growing pauses. The index's refresh interval is off, so nothing is
searchable until commit refreshes it; an update writes into a copy of the live generation, so
even a refresh reveals nothing of it before it is published (the engine's __init__).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from searcher.engine.base import FailureCallback, Prepare
from searcher.engine.document import document_values
from searcher.errors import IndexLockedError, IndexWriteError, SearcherError
from searcher.models import Article, SourceDocument

log = logging.getLogger(__name__)

# Actions per bulk request: OpenSearch's guidance is 5-15 MB a request; 500 news articles are ~2 MB.
BULK_ACTIONS = 500
# Retries of a bulk chunk the cluster rejects as overloaded (429), waiting 1, 2, 4 ... s between.
BULK_RETRIES = 6
# Documents handed to a worker process at a time, and batches in flight per worker.
BATCH_SIZE = 200
BATCHES_IN_FLIGHT = 2


def document_source(article: Article) -> dict:
    """An Article as the document OpenSearch stores (searcher's schema, mapping.py)."""
    values = document_values(article)
    return values | {"date": values["date"].isoformat() if values["date"] else None}


# The worker processes' preparing callable, set when each starts (fork: inherited, never pickled).
_worker_prepare: Prepare | None = None


def _start_worker(prepare: Prepare) -> None:
    global _worker_prepare  # noqa: PLW0603 - one per worker process
    _worker_prepare = prepare


def _prepare_batch(documents: list[SourceDocument]) -> list[tuple[str, object]]:
    """("index", source) or ("failed", (id, path, reason)) for each document, in order."""
    done: list[tuple[str, object]] = []
    for document in documents:
        try:
            done.append(("index", document_source(_worker_prepare(document))))
        except SearcherError as error:
            done.append(("failed", (document.id, str(document.path), str(error))))
    return done


class BulkWriter:
    """Adds and deletes documents of one physical index through bulk requests."""

    def __init__(
        self,
        client,  # noqa: ANN001 - an OpenSearch client
        index: str,
        prepare: Prepare,
        on_failure: FailureCallback,
        procs: int,
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        self.client, self.index = client, index
        self.prepare, self.on_failure, self.on_cancel = prepare, on_failure, on_cancel
        self.actions: list[dict] = []
        self.pending: deque = deque()  # ("delete", id) or an async batch result, in the order given
        self.batch: list[SourceDocument] = []
        self.done = 0
        self.pool = None
        if procs > 1:
            context = multiprocessing.get_context("fork")
            self.pool = context.Pool(procs, initializer=_start_worker, initargs=(prepare,))
            self.in_flight = procs * BATCHES_IN_FLIGHT

    def add(self, document: SourceDocument) -> None:
        if self.pool is None:
            self._take(_prepare_one(self.prepare, document))
            return
        self.batch.append(document)
        if len(self.batch) >= BATCH_SIZE:
            self._submit()

    def delete(self, doc_id: str) -> int:
        """Deletes by id; 1, as the index stage asks only for ids its file state says are there."""
        if self.pool is None:
            self._queue({"_op_type": "delete", "_index": self.index, "_id": doc_id})
        else:
            self._submit()
            self.pending.append(("delete", doc_id))
        return 1

    def prepared(self) -> int | None:
        return self.done if self.pool is not None else None

    def commit(self, optimize: bool = False) -> None:
        self._submit()
        self._drain(0)
        self._flush()
        self._close_pool()
        self.client.indices.refresh(index=self.index)
        if optimize:
            self.client.indices.forcemerge(index=self.index, max_num_segments=1)

    def cancel(self) -> None:
        """Stops the workers; what was sent stays unrefreshed and is deleted with its generation (a
        new one by the index stage, an update's copy here; one left by a crash, by the next run)."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
        if self.on_cancel is not None:
            try:
                self.on_cancel()
            except Exception as error:  # the run's own error is the one to report
                log.warning("could not delete the unpublished copy (the next run will): %s", error)

    def _submit(self) -> None:
        if self.batch:
            self.pending.append(self.pool.apply_async(_prepare_batch, (self.batch,)))
            self.batch = []
            self._drain(self.in_flight)

    def _drain(self, keep: int) -> None:
        """Takes finished work from the front of the queue until at most `keep` items are in it."""
        while len(self.pending) > keep:
            item = self.pending.popleft()
            if isinstance(item, tuple):
                self._queue({"_op_type": "delete", "_index": self.index, "_id": item[1]})
                continue
            for kind, value in item.get():
                self._take((kind, value))

    def _take(self, outcome: tuple[str, object]) -> None:
        kind, value = outcome
        if kind == "failed":
            self.on_failure(*value)
            return
        self.done += 1
        self._queue({"_op_type": "index", "_index": self.index, "_id": value["id"], "_source": value})

    def _queue(self, action: dict) -> None:
        self.actions.append(action)
        if len(self.actions) >= BULK_ACTIONS:
            self._flush()

    def _flush(self) -> None:
        """Sends the queued actions; IndexWriteError naming the first document the cluster refused."""
        from opensearchpy import helpers

        if not self.actions:
            return
        actions, self.actions = self.actions, []
        results = helpers.streaming_bulk(
            self.client, actions, chunk_size=BULK_ACTIONS, max_retries=BULK_RETRIES, initial_backoff=1,
            max_backoff=60, raise_on_error=False, raise_on_exception=True,
        )  # fmt: skip
        for ok, result in results:
            if ok:
                continue
            operation, detail = next(iter(result.items()))
            if operation == "delete" and detail.get("status") == 404:
                continue  # already gone: what a delete asks for
            reason = detail.get("error", {})
            reason = reason.get("reason", reason) if isinstance(reason, dict) else reason
            raise IndexWriteError(f"the cluster refused {detail.get('_id')!r} ({reason})")

    def _close_pool(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None


def _prepare_one(prepare: Prepare, document: SourceDocument) -> tuple[str, object]:
    try:
        return "index", document_source(prepare(document))
    except SearcherError as error:
        return "failed", (document.id, str(document.path), str(error))


# The writer lock is a lease: a document its holder renews; one not renewed for LOCK_LEASE seconds
# belongs to a writer that died (a killed process, a lost machine), and the next writer takes it.
LOCK_LEASE = 120.0
LOCK_RENEW = LOCK_LEASE / 4
LOCK_POLL_SECONDS = 0.5
LOCK_ID = "writer"


@contextmanager
def writer_lock(
    client,
    lock_index: str,
    where: str,
    timeout: float,
    on_wait: Callable[[str], None] | None,  # noqa: ANN001 - an OpenSearch client
) -> Iterator[None]:
    """One writer at a time across every machine using the cluster: a lease document created only
    if absent (OpenSearch's create is atomic), renewed while held, deleted when done."""
    from opensearchpy.exceptions import RequestError

    try:
        client.indices.create(
            index=lock_index, body={"settings": {"number_of_shards": 1, "auto_expand_replicas": "0-1"}}
        )
    except RequestError as error:
        if error.error != "resource_already_exists_exception":
            raise
    held = _take_lock(client, lock_index, where, timeout, on_wait)
    stop = threading.Event()
    renewer = threading.Thread(target=_renew, args=(client, lock_index, held, stop), daemon=True)
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()
        _release(client, lock_index, held)


def _lease(where: str) -> dict:
    return {"owner": f"{socket.gethostname()}:{os.getpid()}", "expires": time.time() + LOCK_LEASE, "index": where}


def _take_lock(client, lock_index: str, where: str, timeout: float, on_wait) -> dict:  # noqa: ANN001
    from opensearchpy.exceptions import ConflictError, NotFoundError

    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            answer = client.index(index=lock_index, id=LOCK_ID, body=_lease(where), op_type="create", refresh=True)
            return {"seq_no": answer["_seq_no"], "primary_term": answer["_primary_term"], "where": where}
        except ConflictError:
            pass
        try:
            current = client.get(index=lock_index, id=LOCK_ID)
            if current["_source"].get("expires", 0) < time.time():
                log.warning("taking over the writer lock of %s: its lease ran out", current["_source"].get("owner"))
                client.delete(index=lock_index, id=LOCK_ID, if_seq_no=current["_seq_no"],
                              if_primary_term=current["_primary_term"], refresh=True)  # fmt: skip
                continue
            owner = current["_source"].get("owner", "another searcher")
        except (NotFoundError, ConflictError):
            continue  # released or taken over in between: try again
        if time.monotonic() >= deadline:
            raise IndexLockedError(f"{owner} is writing to {where}; gave up after {timeout:.0f}s (try again later)")
        if on_wait and not told:
            on_wait(f"waiting for {owner} writing to {where} (up to {timeout:.0f}s)...")
            told = True
        time.sleep(LOCK_POLL_SECONDS)


def _renew(client, lock_index: str, held: dict, stop: threading.Event) -> None:  # noqa: ANN001
    while not stop.wait(LOCK_RENEW):
        try:
            answer = client.index(index=lock_index, id=LOCK_ID, body=_lease(held["where"]), if_seq_no=held["seq_no"],
                                  if_primary_term=held["primary_term"])  # fmt: skip
            held.update(seq_no=answer["_seq_no"], primary_term=answer["_primary_term"])
        except Exception as error:  # the run goes on; a lost lease shows when it is released
            log.warning("could not renew the writer lock: %s", error)


def _release(client, lock_index: str, held: dict) -> None:  # noqa: ANN001
    from opensearchpy.exceptions import ConflictError, NotFoundError

    try:
        client.delete(index=lock_index, id=LOCK_ID, if_seq_no=held["seq_no"], if_primary_term=held["primary_term"],
                      refresh=True)  # fmt: skip
    except (NotFoundError, ConflictError):
        log.warning("the writer lock was taken over while this run held it (its lease ran out)")
