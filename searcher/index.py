"""Stage 3, index: bring a Whoosh index up to date with the article files under some paths.

An update costs what changed: a file whose size and mtime are unchanged is skipped, then one whose
content hash is unchanged; JSONL records are compared one by one. A rebuild writes a complete new
generation beside the active one and switches to it atomically, so searches never see half an index.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from whoosh.writing import IndexWriter

from searcher import store
from searcher.errors import IndexLockedError, IndexMissingError, IndexOutdatedError, NotAnIndexError, SearcherError
from searcher.models import Article, IndexReport, SourceDocument
from searcher.pipeline import process
from searcher.sources import FoundFile, find_files, read_documents
from searcher.topics import Taxonomy, default_taxonomy_path, load_taxonomy

# How long a second writer waits for the first before giving up.
DEFAULT_LOCK_TIMEOUT = 30.0
LOCK_POLL_SECONDS = 0.2
# Whoosh's in-memory buffer per writer; larger segments mean fewer merges.
WRITER_LIMIT_MB = 256


def ensure_index(
    root: Path, default_corpus: Path = Path("seeds"), on_build: Callable[[str], None] | None = None
) -> IndexReport | None:
    """Builds a missing index from the default corpus; None when the index already exists."""
    if (root / store.CURRENT_FILE).exists():
        return None
    if store.looks_foreign(root):
        raise NotAnIndexError(f"{root} is not a searcher index (no {store.CURRENT_FILE} file); refusing to open it")
    if not default_corpus.is_dir():
        raise IndexMissingError(f"no index at {root}/; build one with: searcher index PATH")
    if on_build:
        on_build(f"no index at {root}/ yet; building it from {default_corpus}/ ...")
    return update_index(root, [default_corpus], on_wait=on_build)


def update_index(
    root: Path,
    paths: list[Path] | None = None,
    taxonomy_path: Path | None = None,
    rebuild: bool = False,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    on_wait: Callable[[str], None] | None = None,
) -> IndexReport:
    """Index the article files under paths (by default, the paths the index was built from).

    A new index is built from ./seeds when no path is given. Raises SearcherError subclasses for
    problems with the index as a whole; problems with single files are in the report.
    """
    started = time.monotonic()
    root.mkdir(parents=True, exist_ok=True)
    if store.looks_foreign(root) and not (root / store.CURRENT_FILE).exists():
        raise NotAnIndexError(f"{root} is not a searcher index and is not empty; refusing to write into it")
    with writer_lock(root, lock_timeout, on_wait):
        report = _update_locked(root, paths, taxonomy_path, rebuild)
    report.seconds = time.monotonic() - started
    return report


def _update_locked(root: Path, paths: list[Path] | None, taxonomy_path: Path | None, rebuild: bool) -> IndexReport:
    active = _existing_location(root)
    manifest = store.check_compatible(active) if active and not rebuild else _old_manifest(active)
    taxonomy = load_taxonomy(taxonomy_path or _custom_taxonomy(manifest, active))
    if active and not rebuild and manifest["taxonomy"]["fingerprint"] != taxonomy.fingerprint:
        raise IndexOutdatedError(
            "the taxonomy has changed since the index was built; rebuild it with: searcher index --rebuild"
        )
    roots = _roots(paths, manifest)
    if active and not rebuild:
        generation = active.generation
    else:
        generation = store.new_generation(root, datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f"))
    try:
        report = _apply(generation, roots, taxonomy)
    except BaseException:
        if generation != (active.generation if active else None):
            shutil.rmtree(generation, ignore_errors=True)  # a half-built rebuild is never left behind
        raise
    if Path(taxonomy.source) != generation / store.TAXONOMY_FILE:
        shutil.copyfile(taxonomy.source, generation / store.TAXONOMY_FILE)
    store.write_manifest(generation, {
        "roots": [str(r) for r in roots],
        "taxonomy": {"path": taxonomy.source, "fingerprint": taxonomy.fingerprint,
                     "custom": taxonomy.source != str(default_taxonomy_path())},
        "created": manifest.get("created") if active and not rebuild else _now(),
        "updated": _now(),
    })  # fmt: skip
    if generation != (active.generation if active else None):
        store.activate(root, generation)
        store.remove_stale_generations(root, keep=generation)
    return report


def _old_manifest(active: store.IndexLocation | None) -> dict:
    """What a rebuild keeps of the index it replaces (its paths, its taxonomy), if it can be read."""
    if active is None:
        return {}
    try:
        return active.manifest
    except SearcherError:
        return {}


def _custom_taxonomy(manifest: dict, active: store.IndexLocation | None) -> Path | None:
    """The user's taxonomy that built the index: their file if it is still there (so edits are
    noticed), else the copy kept in the index. None for the built-in one."""
    taxonomy = manifest.get("taxonomy", {})
    if not taxonomy.get("custom"):
        return None
    if Path(taxonomy["path"]).is_file() or active is None:
        return Path(taxonomy["path"])
    return active.generation / store.TAXONOMY_FILE


def _existing_location(root: Path) -> store.IndexLocation | None:
    if not (root / store.CURRENT_FILE).exists():
        return None
    return store.locate(root)


def _roots(paths: list[Path] | None, manifest: dict) -> list[Path]:
    """The paths given, else the ones the index was built from, else ./seeds."""
    if paths:
        known = [Path(p) for p in manifest.get("roots", [])]
        return list(dict.fromkeys([*known, *(p.resolve() for p in paths)]))
    if manifest.get("roots"):
        return [Path(p) for p in manifest["roots"]]
    return [Path("seeds").resolve()]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _apply(generation: Path, roots: list[Path], taxonomy: Taxonomy) -> IndexReport:
    """Adds, updates and removes documents so the index matches the files under roots."""
    report = IndexReport()
    found, report.failed = find_files(roots)
    ix = store.open_whoosh(store.IndexLocation(generation.parent, generation))
    known = _known_documents(ix)
    owners = {doc_id: key for key, docs in known.items() for doc_id in docs}
    writer = ix.writer(limitmb=WRITER_LIMIT_MB)
    try:
        for item in found:
            _index_file(writer, item, known, owners, taxonomy, report)
        scanned = {str(r) for r in roots}
        for key in set(known) - {str(f.path.resolve()) for f in found}:
            if any(key == r or key.startswith(r.rstrip("/") + "/") for r in scanned):
                report.removed += writer.delete_by_term("source_key", key)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return report


def _known_documents(ix) -> dict[str, dict[str, tuple[str, int, float]]]:  # noqa: ANN001 - whoosh Index
    """For each source file in the index: its documents' ids with (content hash, size, mtime)."""
    known: dict[str, dict[str, tuple[str, int, float]]] = {}
    with ix.searcher() as searcher:
        for fields in searcher.all_stored_fields():
            known.setdefault(fields["source_key"], {})[fields["id"]] = (
                fields["content_hash"], fields["size"], fields["mtime"],
            )  # fmt: skip
    return known


def _index_file(
    writer: IndexWriter,
    item: FoundFile,
    known: dict[str, dict[str, tuple[str, int, float]]],
    owners: dict[str, str],
    taxonomy: Taxonomy,
    report: IndexReport,
) -> None:
    key = str(item.path.resolve())
    previous = known.get(key, {})
    if previous and _unchanged_on_disk(item.path, previous):
        report.unchanged += len(previous)
        return
    try:
        documents, problems = read_documents(item)
    except SearcherError as error:
        report.failed.append((str(item.path), str(error)))
        return
    report.failed.extend((str(item.path), problem) for problem in problems)
    for document in documents:
        if document.id in previous and previous[document.id][0] == document.content_hash:
            report.unchanged += 1
            continue
        _write_document(writer, document, previous, owners, taxonomy, report)
    for stale_id in set(previous) - {d.id for d in documents}:
        writer.delete_by_term("id", stale_id)
        report.removed += 1


def _unchanged_on_disk(path: Path, previous: dict[str, tuple[str, int, float]]) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return all(size == stat.st_size and mtime == stat.st_mtime for _, size, mtime in previous.values())


def _write_document(
    writer: IndexWriter,
    document: SourceDocument,
    previous: dict[str, tuple[str, int, float]],
    owners: dict[str, str],
    taxonomy: Taxonomy,
    report: IndexReport,
) -> None:
    owner = owners.get(document.id)
    if owner is not None and owner != str(document.path):
        report.failed.append((str(document.path), f"document id {document.id!r} is already used by {owner}"))
        return
    try:
        article = process(document, taxonomy)
    except SearcherError as error:
        report.failed.append((str(document.path), str(error)))
        return
    owners[document.id] = str(document.path)
    if document.id in previous:
        report.updated += 1
    else:
        report.added += 1
    writer.update_document(**article_fields(article))


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
        "url": article.url,
        "dropped": json.dumps([[d.text, d.reason] for d in article.dropped], ensure_ascii=False),
        "content_hash": article.content_hash,
        "size": article.size,
        "mtime": article.mtime,
    }


@contextmanager
def writer_lock(root: Path, timeout: float, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """One writer at a time, across processes; the lock dies with its process, so a crash never leaves it stuck."""
    handle = os.open(root / "LOCK", os.O_RDWR | os.O_CREAT, 0o644)
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
        yield
    finally:
        os.close(handle)
