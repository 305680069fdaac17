"""The two engines in the same run: Whoosh in a folder against an OpenSearch node on this machine.

For each Reuters size (1x: 21,578 stories; 10x: the stories ten times over, 215,780): build
throughput through `update_index` (reading, cleaning, enrichment and indexing, one worker per core),
then query p50 and p95 over tests/bench/queries.txt with `searcher.search` (ranking, exact total,
snippets; each query's time is the fastest of --rounds passes, the engines taking turns). Then
nDCG@10 on the ranking collections (../shared/data/ir-collection), both engines on the same
documents and queries. Ratios are OpenSearch over Whoosh, measured in this run.

    python tests/bench/engines.py [--sizes 1,10] [--rounds 3] [--only cranfield,med] [--no-ranking] [--no-speed]
        [--url opensearch://host:port/name]   # a cluster of your own instead of the local test node

Without --url a single node is started from tests/opensearch/ (Java and Maven needed; heap 512 MB)
and stopped at the end. Results in tests/bench/results/engines.json (--name to change).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))
from common import table, write_json  # noqa: E402
from ircollections import all_collections  # noqa: E402
from ireval import evaluate  # noqa: E402
from query import load_queries  # noqa: E402
from reuters import convert  # noqa: E402

DEPTH = 1000


def start_node(work: Path):  # noqa: ANN201 - the tests' Cluster
    from tests.opensearch_node import build_classpath, start_cluster

    classpath = build_classpath(work)
    cluster = start_cluster(classpath, work / "node", size=1, name="bench")
    print(f"OpenSearch node started in {cluster.started_in:.1f}s", file=sys.stderr)
    return cluster


def build(target: Path | str, corpus: list[Path]) -> dict:
    from searcher.index import update_index

    started = time.perf_counter()
    report = update_index(target, corpus, rebuild=True, procs=os.cpu_count() or 2)
    seconds = time.perf_counter() - started
    return {"documents": report.added, "seconds": seconds, "docs_per_s": report.added / seconds}


def query_times(locations: dict[str, Path | str], queries: list[str], rounds: int) -> dict[str, dict]:
    """p50 and p95 in ms per engine, each query's time the fastest of `rounds`, engines taking turns."""
    from searcher.errors import QueryError
    from searcher.models import SearchOptions
    from searcher.search import search

    best: dict[str, list[float]] = {name: [float("inf")] * len(queries) for name in locations}
    for _ in range(rounds):
        for name, location in locations.items():
            for i, text in enumerate(queries):
                started = time.perf_counter()
                with contextlib.suppress(QueryError):  # a query the engine refuses still took its time
                    search(location, text, SearchOptions())
                best[name][i] = min(best[name][i], time.perf_counter() - started)
    return {name: {"p50_ms": _percentile(times, 50) * 1000, "p95_ms": _percentile(times, 95) * 1000}
            for name, times in best.items()}  # fmt: skip


def _percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def ranking_quality(locations: dict[str, Path | str], work: Path, only: set[str] | None) -> dict[str, dict]:
    """nDCG@10 per collection and engine, each collection indexed into both."""
    import json

    from searcher.engine import close_engines
    from searcher.errors import QueryError
    from searcher.index import update_index
    from searcher.models import SearchOptions
    from searcher.search import search

    scores: dict[str, dict] = {}
    for collection in all_collections(HERE.parent.parent.parent / "shared" / "data" / "ir-collection"):
        if only and collection.name not in only:
            continue
        source = work / f"{collection.name}.jsonl"
        source.write_text("".join(json.dumps(d) + "\n" for d in collection.documents), encoding="utf-8")
        scores[collection.name] = {}
        for name, location in locations.items():
            target = location / collection.name if isinstance(location, Path) else f"{location}-{collection.name}"
            update_index(target, [source], rebuild=True, procs=1)
            close_engines()
            options = SearchOptions(limit=DEPTH + 1, snippets=False, collapse=False)
            runs = {}
            for qid, text in collection.queries.items():
                try:
                    found = [hit.id for hit in search(target, text, options).hits]
                except QueryError:
                    found = []
                runs[qid] = [d for d in found if d != collection.exclude.get(qid)][:DEPTH]
            scores[collection.name][name] = evaluate(runs, collection.qrels)["ndcg@10"]
            print(f"  {collection.name} {name}: nDCG@10 {scores[collection.name][name]:.3f}", file=sys.stderr)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=HERE.parent.parent.parent / "shared" / "data" / "reuters21578")
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", help="ranking collections to use (comma-separated names)")
    parser.add_argument("--no-ranking", action="store_true")
    parser.add_argument("--no-speed", action="store_true", help="ranking only: no Reuters builds and queries")
    parser.add_argument("--url", help="an OpenSearch engine URL to use instead of a local test node")
    parser.add_argument("--name", default="engines", help="results file name (tests/bench/results/NAME.json)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="searcher-engines-"))
    cluster = None if args.url else start_node(work)
    base_url = args.url or f"opensearch://127.0.0.1:{cluster.nodes[0].http_port}/bench"
    results: dict = {"sizes": {}, "node_start_s": cluster.started_in if cluster else None}
    try:
        queries = load_queries()
        for size in [] if args.no_speed else [int(s) for s in args.sizes.split(",")]:
            corpus = convert(args.data, work / f"reuters-{size}x", copies=size)
            locations = {"whoosh": work / f"whoosh-{size}x", "opensearch": f"{base_url}-{size}x"}
            built = {name: build(location, corpus) for name, location in locations.items()}
            timed = query_times(locations, queries, args.rounds)
            results["sizes"][f"{size}x"] = {name: {**built[name], **timed[name]} for name in locations}
            print(f"  {size}x done", file=sys.stderr)
        if not args.no_ranking:
            only = set(args.only.split(",")) if args.only else None
            locations = {"whoosh": work / "ranking", "opensearch": f"{base_url}-ranking"}
            results["ndcg@10"] = ranking_quality(locations, work, only)
    finally:
        if cluster:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(report(results))
    print(f"written: {write_json(args.name, results)}")


def report(results: dict) -> str:
    rows = []
    for size, engines in results["sizes"].items():
        whoosh, cluster = engines["whoosh"], engines["opensearch"]
        for name, numbers in engines.items():
            rows.append([size, name, numbers["documents"], round(numbers["docs_per_s"]), numbers["p50_ms"],
                         numbers["p95_ms"]])  # fmt: skip
        ratios = [f"{cluster[key] / whoosh[key]:.2f}x" for key in ("docs_per_s", "p50_ms", "p95_ms")]
        rows.append([size, "opensearch / whoosh", "", *ratios])
    text = table(["size", "engine", "documents", "docs/s (build)", "p50 ms", "p95 ms"], rows) if rows else ""
    quality = results.get("ndcg@10")
    if quality:
        rows = [[name, scores["whoosh"], scores["opensearch"], f"{scores['opensearch'] / scores['whoosh']:.2f}x"]
                for name, scores in quality.items()]  # fmt: skip
        mean = [statistics.mean(s[engine] for s in quality.values()) for engine in ("whoosh", "opensearch")]
        rows.append(["mean", mean[0], mean[1], f"{mean[1] / mean[0]:.2f}x"])
        text += "\n\n" + table(["collection", "whoosh nDCG@10", "opensearch nDCG@10", "ratio"], rows)
    return text.lstrip("\n")


if __name__ == "__main__":
    main()
