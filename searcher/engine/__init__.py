"""The search engines behind the index and search stages, and the seam they share (base.py).

An index is opened as an engine: today the embedded Whoosh engine, an index folder on this
machine. Every stage above talks to it only through base.py's Engine and Generation, in
searcher's own records and query tree (query.py).
"""

from __future__ import annotations

from pathlib import Path

from searcher.engine.base import DocumentWriter, Engine, Generation, Match, Matches
from searcher.engine.query import SearchQuery

__all__ = ["DocumentWriter", "Engine", "Generation", "Match", "Matches", "SearchQuery", "close_engines", "open_engine"]


def open_engine(index: Path) -> Engine:
    """The engine holding the index at `index` (an index folder: the Whoosh engine)."""
    from searcher.engine.whoosh import WhooshEngine

    return WhooshEngine(index)


def close_engines() -> None:
    """Lets go of what engines keep open in this process (searchers, connections)."""
    from searcher.engine.whoosh import close_searchers

    close_searchers()
