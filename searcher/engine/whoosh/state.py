"""The index stage's file state (which files a generation holds, with their documents' hashes),
committed with the Whoosh index it describes.

Whoosh commits by writing a new table of contents (`_MAIN_<n>.toc`); the state is saved right after,
stamped with that number n. A state whose number is not the index's (a crash or a full disk between
the two writes), or that cannot be read (damaged, hand-edited), is never trusted: it is rebuilt from
the index itself, whose stored fields hold each document's id, path, size, mtime and content hash.
So the next run neither adds a file's documents a second time nor forgets any.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from whoosh.index import TOC

from searcher.engine.whoosh import store

STATE_FILE = "files.json"
STATE_FORMAT = "searcher-files"
log = logging.getLogger(__name__)


def whoosh_generation(folder: Path) -> int:
    """The number of the Whoosh commit the folder's index is at (-1: none)."""
    # TOC._latest_generation is how Whoosh itself finds its newest table of contents; the public
    # FileIndex.latest_generation needs an opened index, which this must not require.
    from whoosh.filedb.filestore import FileStorage

    return TOC._latest_generation(FileStorage(str(folder)), "MAIN")  # noqa: SLF001


def save_state(folder: Path, files: dict) -> None:
    """Written by a rename, stamped with the Whoosh commit it belongs to."""
    record = {"format": STATE_FORMAT, "whoosh_generation": whoosh_generation(folder), "files": files}
    temporary = folder / (STATE_FILE + ".tmp")
    temporary.write_text(json.dumps(record), encoding="utf-8")
    os.replace(temporary, folder / STATE_FILE)


def load_state(location: store.IndexLocation) -> dict:
    """The saved state when it belongs to the index as committed; otherwise the state rebuilt from
    the index's own stored fields."""
    saved = _saved_state(location.generation)
    if saved is not None:
        return saved
    log.info("file state of %s does not match its index; rebuilt from the index", location.generation)
    return state_from_index(location)


def _saved_state(folder: Path) -> dict | None:
    """files.json when it is whole, well formed and stamped with the index's commit; else None."""
    try:
        record = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError):  # unreadable, not JSON or not UTF-8, nested too deep
        return None
    if not isinstance(record, dict) or record.get("format") != STATE_FORMAT:
        return None
    if record.get("whoosh_generation") != whoosh_generation(folder):
        return None
    files = record.get("files")
    return files if isinstance(files, dict) and all(_valid_entry(k, v) for k, v in files.items()) else None


def _valid_entry(key: object, entry: object) -> bool:
    """[size, mtime, {doc id: content hash}] and, for a file that failed, its reason."""
    if not isinstance(key, str) or not isinstance(entry, list) or len(entry) not in (3, 4):
        return False
    size, mtime, documents = entry[:3]
    return (
        isinstance(size, int)
        and not isinstance(size, bool)
        and isinstance(mtime, int | float)
        and not isinstance(mtime, bool)
        and isinstance(documents, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in documents.items())
        and (len(entry) == 3 or isinstance(entry[3], str))
    )


def state_from_index(location: store.IndexLocation) -> dict:
    """Each indexed file's size, mtime and documents, as the index stores them: an update after a
    crash then skips what is indexed and unchanged, replaces what changed, and adds nothing twice."""
    files: dict[str, list] = {}
    with store.open_whoosh(location).searcher() as searcher:
        for fields in searcher.all_stored_fields():
            path, doc_id = fields.get("path"), fields.get("id")
            if not isinstance(path, str) or not isinstance(doc_id, str):
                continue
            entry = files.setdefault(path, [_int(fields.get("size")), _number(fields.get("mtime")), {}])
            entry[2][doc_id] = str(fields.get("content_hash") or "")
    return files


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
