"""The search engines behind the index and search stages, and the seam they share (base.py).

An index is opened as an engine: the embedded Whoosh engine (an index folder on this machine), or
an OpenSearch cluster (an engine URL; the `opensearch` extra). Every stage above talks to it only
through base.py's Engine and Generation, in searcher's own records and query tree (query.py).
"""

from __future__ import annotations

from pathlib import Path

from searcher.engine.base import DocumentWriter, Engine, Generation, Match, Matches
from searcher.engine.query import SearchQuery

__all__ = ["DocumentWriter", "Engine", "Generation", "Match", "Matches", "SearchQuery", "close_engines", "open_engine"]


def open_engine(index: Path | str) -> Engine:
    """The engine holding the index at `index`: a folder is the Whoosh engine's, an engine URL
    (`opensearch://host:port/name`, `opensearchs://` with TLS) an OpenSearch cluster's."""
    if isinstance(index, str) and "://" in index and _is_engine_url(index):
        return _cluster_engine(index)
    from searcher.engine.whoosh import WhooshEngine

    return WhooshEngine(Path(index))


def _is_engine_url(text: str) -> bool:
    # Imported only for a URL: the OpenSearch package (its mapping, DSL and client) cost a plain
    # Whoosh search 50 ms of start-up when imported with this module.
    from searcher.engine.opensearch.connection import is_engine_url

    return is_engine_url(text)


# One engine (one client and its connection pool) per URL and process: a batch of searches reuses it.
_cluster_engines: dict[str, Engine] = {}


def _cluster_engine(url: str) -> Engine:
    engine = _cluster_engines.get(url)
    if engine is None:
        from searcher.engine.opensearch import OpenSearchEngine

        engine = _cluster_engines[url] = OpenSearchEngine(url)
    return engine


def close_engines() -> None:
    """Lets go of what engines keep open in this process (searchers, connections)."""
    from searcher.engine.whoosh import close_searchers

    close_searchers()
    for engine in _cluster_engines.values():
        engine.client.close()
    _cluster_engines.clear()
