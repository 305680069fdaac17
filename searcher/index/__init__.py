"""Stage 3, index: bring an index up to date with the article files under some paths."""

from searcher.index.update import DEFAULT_LOCK_TIMEOUT, ensure_index, update_index, writer_lock

__all__ = ["DEFAULT_LOCK_TIMEOUT", "ensure_index", "update_index", "writer_lock"]
