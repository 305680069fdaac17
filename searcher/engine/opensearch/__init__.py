"""The OpenSearch engine: the index in a cluster, behind engine/base.py's seam (`--engine URL`).

Layout in the cluster, for an engine URL ending in /NAME::

    NAME                       an alias: the generation searches use, switched atomically
    NAME-gen-<stamp>           one generation: the articles (mapping.py), its manifest in _meta
    NAME-gen-<stamp>-files     the index stage's file state of that generation, and its taxonomy
    NAME-lock                  the one-writer lease (writing.py)

A rebuild writes a new generation beside the active one and moves the alias in one
update_aliases call, so searches answer from the old one until then; a rebuild that dies leaves
its half-built generation, which the next run deletes (remove_stale_generations).

An update is atomic the same way: its first write copies the active generation and its file state
(the clone API, which hard-links the shards' files), the run writes into the copy, and the copy is
published by the alias switch when its manifest, the run's last write, is in. A run that dies leaves
searches on the old generation, its copy never visible (no later refresh or restart reveals it),
and the next run deletes the copy. A run that writes only file times saves them in place.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

from searcher import __version__
from searcher.engine.base import DocumentWriter, FailureCallback, Matches, Prepare, manifest_settings
from searcher.engine.opensearch import mapping, reading, translate
from searcher.engine.opensearch.connection import Location, client, cluster_errors, parse_location
from searcher.engine.query import Everything, SearchQuery, field_of, leaves
from searcher.errors import IndexEmptyError, IndexMissingError, IndexOutdatedError, NotAnIndexError, SearcherError
from searcher.models import Article, DamagedFile, IndexCheck, IndexStats, SearchOptions, TopicCount

log = logging.getLogger(__name__)

MANIFEST_FORMAT = "searcher-index"
# Shards of a new generation: one is right up to tens of GB (OpenSearch's guidance, 10-50 GB a shard);
# a larger archive sets SEARCHER_OPENSEARCH_SHARDS before its rebuild.
SHARDS_VARIABLE = "SEARCHER_OPENSEARCH_SHARDS"
DEFAULT_SHARDS = 1
TAXONOMY_ID = "taxonomy"
STATE_BATCH = 1000


class OpenSearchGeneration:
    """One physical index: its articles, manifest (_meta) and file state (a companion index)."""

    def __init__(self, engine: OpenSearchEngine, name: str, live: bool = False) -> None:
        self.engine, self.name, self.files = engine, name, f"{name}-files"
        self._loaded: dict[str, str] = {}  # file key -> its saved entry (JSON), to write only changes
        self.live = live  # the generation searches read: an update writes into a copy (stage)
        self.replaces: str | None = None  # the live generation a staged copy will replace

    def manifest(self) -> dict:
        with self.engine.errors():
            answer = self.engine.client.indices.get_mapping(index=self.name)
        return next(iter(answer.values()))["mappings"].get("_meta", {})  # keyed by the physical name

    def compatible_manifest(self) -> dict:
        manifest = self.manifest()
        if any(manifest.get(key) != value for key, value in mapping.versions().items()):
            raise IndexOutdatedError(
                f"index {self.engine.location} was built by another version of searcher; "
                "rebuild it with: searcher index --rebuild"
            )
        return manifest

    def write_manifest(self, manifest: dict) -> None:
        """Writes the manifest, the last write of a run (index/update.py); a staged update is then
        published: the alias moves to the copy and the generation it replaces is deleted."""
        meta = {**manifest, "format": MANIFEST_FORMAT, "searcher_version": __version__, **mapping.versions()}
        with self.engine.errors():
            self.engine.client.indices.put_mapping(index=self.name, body={"_meta": meta})
        if self.replaces:
            self.activate()
            self.engine.remove_stale_generations(keep=self)
            self.replaces = None

    def stage(self) -> None:
        """Copies the live generation and its file state for an update to write into, unseen by
        searches until write_manifest publishes it; later calls of this run use the copy."""
        if not self.live or self.replaces:
            return
        staged = self.engine.generation_name()
        replicas = self.engine._replicas()  # noqa: SLF001 - same package
        with self.engine.errors():
            _clone(self.engine.client, {self.name: staged, self.files: f"{staged}-files"}, replicas)
        self.replaces, self.live = self.name, False
        self.name, self.files = staged, f"{staged}-files"

    def keep_taxonomy(self, source: Path) -> None:
        text = source.read_text(encoding="utf-8")
        with self.engine.errors():
            self.engine.client.index(index=self.files, id=TAXONOMY_ID, body={"key": "", "entry": text}, refresh=True)

    def taxonomy_copy(self) -> Path:
        """The taxonomy kept in the cluster, as a file (the index stage reads taxonomies from files)."""
        copy = Path(tempfile.gettempdir()) / "searcher-opensearch" / f"{self.name}.toml"
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(self._taxonomy_text(), encoding="utf-8")
        return copy

    def _taxonomy_text(self) -> str:
        from opensearchpy.exceptions import NotFoundError

        try:
            with self.engine.errors():
                return self.engine.client.get(index=self.files, id=TAXONOMY_ID)["_source"]["entry"]
        except NotFoundError:
            return ""

    def load_state(self) -> dict:
        from opensearchpy import helpers

        state = {}
        with self.engine.errors():
            for hit in helpers.scan(self.engine.client, index=self.files, query={"query": {"term": {"kind": "file"}}}):
                key, entry = hit["_source"]["key"], hit["_source"]["entry"]
                self._loaded[key] = entry
                state[key] = json.loads(entry)
        return state

    def save_state(self, state: dict) -> None:
        """Writes the entries that changed since load_state and deletes the vanished ones."""
        from opensearchpy import helpers

        entries = {key: json.dumps(value) for key, value in state.items()}
        actions = [
            {"_op_type": "index", "_index": self.files, "_id": _state_id(key),
             "_source": {"kind": "file", "key": key, "entry": entry}}
            for key, entry in entries.items()
            if self._loaded.get(key) != entry
        ]  # fmt: skip
        actions += [
            {"_op_type": "delete", "_index": self.files, "_id": _state_id(key)}
            for key in self._loaded
            if key not in entries
        ]
        with self.engine.errors():
            helpers.bulk(self.engine.client, actions, chunk_size=STATE_BATCH, max_retries=3, raise_on_error=False)
            self.engine.client.indices.refresh(index=self.files)
        self._loaded = entries

    def writer(self, prepare: Prepare, on_failure: FailureCallback, procs: int) -> DocumentWriter:
        """A writer into this generation, or for the live one into its staged copy."""
        from searcher.engine.opensearch.writing import BulkWriter

        self.stage()
        on_cancel = self.discard if self.replaces else None
        return BulkWriter(self.engine.client, self.name, prepare, on_failure, procs, on_cancel)

    def activate(self) -> None:
        """Moves the alias to this generation in one atomic request."""
        alias = self.engine.location.name
        actions = [{"add": {"index": self.name, "alias": alias}}]
        with self.engine.errors():
            current = self.engine.physical()
            if current and current != self.name:
                actions.insert(0, {"remove": {"index": current, "alias": alias}})
            self.engine.client.indices.update_aliases(body={"actions": actions})

    def discard(self) -> None:
        """Deletes a generation never published (a new one or an update's copy), never the live one."""
        if self.live:
            return
        with self.engine.errors():
            self.engine.client.indices.delete(index=f"{self.name},{self.files}", ignore_unavailable=True)


def _clone(client, targets: dict[str, str], replicas: int) -> None:  # noqa: ANN001 - an OpenSearch client
    """Copies of indexes (source: target) by the clone API, which needs its sources read-only while it
    copies: the write block is lifted again whatever happens (an update never writes the sources
    again, but a run that fails here leaves them as they were). The copies' shards start together:
    each clone answers at once, and one health request waits for all of them."""
    sources = ",".join(targets)
    client.indices.put_settings(index=sources, body={"index.blocks.write": True})
    try:
        for source, target in targets.items():
            settings = {"index.number_of_replicas": replicas, "index.blocks.write": None}
            client.indices.clone(index=source, target=target, body={"settings": settings}, wait_for_active_shards=0)
        client.cluster.health(index=",".join(targets.values()), wait_for_status="yellow")
    finally:
        client.indices.put_settings(index=sources, body={"index.blocks.write": None})


def _shards() -> int:
    value = os.environ.get(SHARDS_VARIABLE, str(DEFAULT_SHARDS))
    if not value.isdigit() or not 1 <= int(value) <= 1024:
        raise SearcherError(f"{SHARDS_VARIABLE} must be a number of shards from 1 to 1024, not {value!r}")
    return int(value)


def _names_topics(query: SearchQuery, options: SearchOptions) -> bool:
    """Whether a search filters by topic (--topic, or a topic: clause anywhere in the query)."""
    clauses = [query.words, *query.filters, *([query.excluded] if query.excluded is not None else [])]
    return bool(options.topics) or any(field_of(leaf) == "topics" for c in clauses for leaf in leaves(c))


def _state_id(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()  # noqa: S324 - an id, not a secret


Read = ParamSpec("Read")
Answer = TypeVar("Answer")


def read_again_if_replaced(read: Callable[Read, Answer]) -> Callable[Read, Answer]:
    """A read through the alias made once more when the generation it reached was deleted under it:
    an update or a rebuild publishes its successor and then deletes the old one, so a request the
    cluster routed just before the switch can find its index gone. The alias then names the
    successor; with no alias left, the index is truly missing and the error stands."""

    @wraps(read)
    def reading_again(*args: Read.args, **kwargs: Read.kwargs) -> Answer:
        try:
            return read(*args, **kwargs)
        except IndexMissingError:
            if not args[0].exists():
                raise
            return read(*args, **kwargs)

    return reading_again


class OpenSearchEngine:
    """The index in an OpenSearch cluster (`searcher --engine opensearch://host:port/name`)."""

    def __init__(self, url: str) -> None:
        self.location: Location = parse_location(url)
        self.client = client(self.location)
        self._children: dict[str, dict[str, list[str]]] = {}  # topic hierarchy by generation

    def __repr__(self) -> str:
        return f"OpenSearchEngine({str(self.location)!r})"

    def errors(self):  # noqa: ANN201 - a context manager
        return cluster_errors(self.location)

    def physical(self) -> str | None:
        """The generation the alias points at; None when there is no alias."""
        from opensearchpy.exceptions import NotFoundError

        try:
            answer = self.client.indices.get_alias(name=self.location.name)
        except NotFoundError:
            return None
        return sorted(answer)[0] if answer else None

    # Lifecycle, for the index stage.

    def exists(self) -> bool:
        with self.errors():
            return self.physical() is not None

    def looks_foreign(self) -> bool:
        """An index (not our alias) already holds the name: never write into or read it."""
        with self.errors():
            return self.physical() is None and bool(self.client.indices.exists(index=self.location.name))

    def writer_lock(self, timeout: float, on_wait: Callable[[str], None] | None = None) -> AbstractContextManager:
        return self._locked(timeout, on_wait)

    @contextmanager
    def _locked(self, timeout: float, on_wait: Callable[[str], None] | None) -> Iterator[None]:
        """The lease, and the cluster's errors during the run it guards as one line each."""
        from searcher.engine.opensearch.writing import writer_lock

        with (
            self.errors(),
            writer_lock(self.client, f"{self.location.name}-lock", str(self.location), timeout, on_wait),
        ):
            yield

    def active(self) -> OpenSearchGeneration | None:
        with self.errors():
            name = self.physical()
        if name is None:
            return None
        generation = OpenSearchGeneration(self, name, live=True)
        if generation.manifest().get("format") != MANIFEST_FORMAT:
            raise NotAnIndexError(f"{name} was not written by searcher; refusing to open it")
        return generation

    def generation_name(self) -> str:
        """A new physical index's name: the alias's, a marker and a time stamp."""
        return f"{self.location.name}-gen-{datetime.now(UTC).strftime('%Y%m%dt%H%M%S%f')}"

    def new_generation(self) -> OpenSearchGeneration:
        generation = OpenSearchGeneration(self, self.generation_name())
        replicas = self._replicas()
        with self.errors():
            self.client.indices.create(
                index=generation.name, body=mapping.index_body(_shards(), replicas, {"building": True})
            )
            self.client.indices.create(
                index=generation.files,
                body={"settings": {"number_of_shards": 1, "number_of_replicas": replicas},
                      "mappings": {"properties": {"kind": {"type": "keyword"}, "key": {"type": "keyword"},
                                                  "entry": {"type": "keyword", "index": False, "doc_values": False}}}},
            )  # fmt: skip
            self.client.cluster.health(index=generation.name, wait_for_status="yellow")
        return generation

    def _replicas(self) -> int:
        """One replica when the cluster has a second data node to hold it, else none (a replica
        that cannot be placed keeps the health yellow forever)."""
        with self.errors():
            nodes = self.client.cluster.health()["number_of_data_nodes"]
        return 1 if nodes > 1 else 0

    def remove_stale_generations(self, keep: OpenSearchGeneration | None) -> None:
        prefix = f"{self.location.name}-gen-"
        with self.errors():
            names = self.client.indices.get(index=f"{prefix}*", expand_wildcards="open,closed")
            kept = {keep.name, keep.files} if keep else set()
            stale = sorted(name for name in names if name not in kept)
            if stale:
                self.client.indices.delete(index=",".join(stale))

    # Reading, for the search stage.

    def _reading(self) -> str:
        """What searches read: the alias itself, so each request sees one generation, switched
        atomically, with no lookup first (a missing alias is IndexMissingError, from cluster_errors)."""
        return self.location.name

    @read_again_if_replaced
    def search(self, query: SearchQuery, options: SearchOptions) -> Matches:
        if options.expand:
            log.warning("--expand (RM3 feedback) is not available on OpenSearch; ranking by BM25 alone")
        with self.errors(), self._topic_hierarchy(_names_topics(query, options)):
            return self._search(query, options)

    @contextmanager
    def _topic_hierarchy(self, needed: bool) -> Iterator[None]:
        """Topic clauses translated with the index's taxonomy, so they take in the topics under them;
        read only for a search that names a topic, once per generation (its copy never changes)."""
        children = self._topic_children() if needed else {}
        token = translate.TOPIC_CHILDREN.set(children)
        try:
            yield
        finally:
            translate.TOPIC_CHILDREN.reset(token)

    def _topic_children(self) -> dict[str, list[str]]:
        from searcher.engine.hierarchy import children_in

        generation = self.active()
        if generation is None:
            return {}
        if generation.name not in self._children:
            self._children[generation.name] = children_in(generation._taxonomy_text())  # noqa: SLF001 - same package
        return self._children[generation.name]

    def _search(self, query: SearchQuery, options: SearchOptions) -> Matches:
        name = self._reading()
        token = translate.WORD_IDF.set(self._word_idfs(name, translate.plain_terms(query.words)))
        try:
            return self._search_scored(name, query, options)
        finally:
            translate.WORD_IDF.reset(token)

    def _word_idfs(self, name: str, terms: set[str]) -> dict[str, float]:
        """BM25F's idf of each term, as the Whoosh engine's: of the larger of its title and body
        document frequencies, over every article (one request counting them all); 0 for a term
        no article holds."""
        if not terms:
            return {}
        ordered = sorted(terms)
        counts = {f"{i}.{field}": {"filter": {"term": {field: term}}}
                  for i, term in enumerate(ordered) for field in translate.TEXT_FIELDS}  # fmt: skip
        answer = self.client.search(index=name, body={"size": 0, "track_total_hits": True, "aggs": counts})
        documents = answer["hits"]["total"]["value"]
        aggs = answer["aggregations"]
        idfs = {}
        for i, term in enumerate(ordered):
            frequency = max(aggs[f"{i}.{field}"]["doc_count"] for field in translate.TEXT_FIELDS)
            # A term no article holds scores nothing, and weighs nothing in coordination (ranking.py).
            idfs[term] = math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5)) if frequency else 0.0
        return idfs

    def _search_scored(self, name: str, query: SearchQuery, options: SearchOptions) -> Matches:
        answer = self.client.search(index=name, body=reading.search_body(query, options))
        if not answer["hits"]["total"]["value"]:
            self._holds_articles(name)
        copies = self._copies(name, answer, options) if options.collapse else {}
        undated = self._undated(name, query, options) if options.date_filtered else 0
        return reading.matches(answer, copies, undated)

    def _holds_articles(self, name: str) -> None:
        if not self.client.count(index=name)["count"]:
            roots = OpenSearchGeneration(self, name).manifest().get("roots") or []
            raise IndexEmptyError(
                f"the index at {self.location} holds no articles (built from {', '.join(roots) or 'no paths'}); "
                "add some with: searcher index PATH"
            )

    def _copies(self, name: str, answer: dict, options: SearchOptions) -> dict:
        shown = {hit["_source"]["story"]: hit["_source"]["id"] for hit in answer["hits"]["hits"]}
        if not shown:
            return {}
        counted = self.client.search(index=name, body=reading.copies_body(list(shown), options.copy_ids))
        return reading.copies_of(counted, shown, options.copy_ids)

    def _undated(self, name: str, query: SearchQuery, options: SearchOptions) -> int:
        body = reading.search_body(query, options._replace(facets=False, timeline=False, snippets=False))
        body["query"]["bool"]["filter"] = reading.filters(query, options, undated=True)
        return self.client.count(index=name, body={"query": body["query"]})["count"]

    @read_again_if_replaced
    def similar(self, article: Article, options: SearchOptions) -> Matches | None:
        with self.errors():
            name = self._reading()
            body = reading.search_body(SearchQuery(words=Everything()), options._replace(snippets=False))
            body["query"]["bool"]["must"] = [reading.similar_query(name, article)]
            answer = self.client.search(index=name, body=body)
            copies = self._copies(name, answer, options) if options.collapse else {}
            found = reading.matches(answer, copies, 0)
        # No highlights from more_like_this: the snippets mark the article's own key words.
        terms = frozenset(token.text for token in _analyzed(f"{article.title}\n{article.body}"))
        return found._replace(terms=terms)

    @read_again_if_replaced
    def article(self, doc_id: str) -> Article | None:
        from opensearchpy.exceptions import NotFoundError

        with self.errors():
            name = self._reading()
            try:
                return reading.stored_article(self.client.get(index=name, id=doc_id)["_source"])
            except NotFoundError:
                return None

    @read_again_if_replaced
    def ids(self) -> Iterator[str]:
        from opensearchpy import helpers

        with self.errors():
            name = self._reading()
            hits = helpers.scan(self.client, index=name, query={"_source": ["id"], "sort": ["id"]}, preserve_order=True)
            return iter([hit["_source"]["id"] for hit in hits])

    @read_again_if_replaced
    def ids_for_path(self, path: str) -> list[str]:
        """The ids of the articles read from the file at this absolute path, in id order."""
        from opensearchpy import helpers

        with self.errors():
            query = {"_source": ["id"], "query": {"term": {"path": path}}, "sort": ["id"]}
            hits = helpers.scan(self.client, index=self._reading(), query=query, preserve_order=True)
            return [hit["_source"]["id"] for hit in hits]

    @read_again_if_replaced
    def suggest(self, text: str) -> str | None:
        with self.errors():
            answer = self.client.search(index=self._reading(), body=reading.suggest_body(text))
        return reading.suggestion(answer, text)

    @read_again_if_replaced
    def stats(self) -> IndexStats:
        with self.errors():
            name = self._reading()
            generation = OpenSearchGeneration(self, name)
            manifest = generation.compatible_manifest()
            physical, sizes = next(
                iter(self.client.indices.stats(index=name, metric="store,segments,docs")["indices"].items())
            )
            sizes = sizes["primaries"]
            counts = self.client.search(index=name, body={"size": 0, "track_total_hits": True, "aggs": {
                "topics": {"terms": {"field": "topics", "size": reading.FACET_SIZE}},
                "years": {"terms": {"field": "year", "size": reading.FACET_SIZE}},
                "undated": {"filter": {"term": {"dated": 0}}}}})  # fmt: skip
        aggs = counts["aggregations"]
        return IndexStats(
            location=f"{self.location} ({physical})",
            documents=counts["hits"]["total"]["value"],
            disk_bytes=sizes["store"]["size_in_bytes"],
            segments=sizes["segments"]["count"],
            roots=tuple(manifest.get("roots", [])),
            created=manifest.get("created"),
            updated=manifest.get("updated"),
            settings=manifest_settings(manifest, manifest.get("mapping_version")),
            topics=reading._counts(aggs["topics"], str),  # noqa: SLF001 - the module's own helper
            years=dict(sorted(reading._counts(aggs["years"], int).items())),  # noqa: SLF001
            undated=aggs["undated"]["doc_count"],
        )

    def check(self) -> IndexCheck:
        """The cluster's own view: OpenSearch verifies each shard's Lucene checksums when it recovers
        or merges it, so this reports the generation's shards that no copy can serve (red health)."""
        with self.errors():
            name = self._reading()
            OpenSearchGeneration(self, name).compatible_manifest()
            health = self.client.cluster.health(index=name, level="shards")
            physical, sizes = next(iter(self.client.indices.stats(index=name, metric="store")["indices"].items()))
        damaged = tuple(
            DamagedFile(f"{index} shard {number}", "shard", f"health {shard['status']}")
            for index, state in health.get("indices", {}).items()
            for number, shard in sorted(state.get("shards", {}).items())
            if shard.get("status") == "red"
        )
        shards = sum(len(state.get("shards", {})) for state in health.get("indices", {}).values())
        note = "shard files are verified by the cluster itself (Lucene checksums on recovery and merge)"
        return IndexCheck(f"{self.location} ({physical})", shards, sizes["primaries"]["store"]["size_in_bytes"],
                          damaged, note)  # fmt: skip

    @read_again_if_replaced
    def topic_counts(self) -> list[TopicCount]:
        import tomllib

        with self.errors():
            name = self._reading()
            generation = self.active()  # the taxonomy lives beside the physical index, not the alias
            if generation is None:
                raise IndexMissingError(f"no index at {self.location}; build one with: searcher index PATH")
            text = generation._taxonomy_text()  # noqa: SLF001 - same package
            answer = self.client.search(
                index=name,
                body={"size": 0, "aggs": {"topics": {"terms": {"field": "topics", "size": reading.FACET_SIZE}}}},
            )
        present = reading._counts(answer["aggregations"]["topics"], str)  # noqa: SLF001
        try:
            entries = tomllib.loads(text).get("topic", [])
        except ValueError:
            entries = []
        described = {
            str(t["name"]).strip().lower(): str(t.get("description", "")).strip()
            for t in entries
            if isinstance(t, dict) and isinstance(t.get("name"), str)
        }
        names = list(described) + sorted(set(present) - set(described))
        return [TopicCount(topic, described.get(topic, ""), present.get(topic, 0)) for topic in names]


def _analyzed(text: str):  # noqa: ANN202 - whoosh tokens
    from searcher.analysis import news_analyzer

    return news_analyzer()(text)


__all__ = ["OpenSearchEngine", "OpenSearchGeneration"]
