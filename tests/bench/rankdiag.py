"""Where searcher's ranking loses to a peer, query by query: the queries where its nDCG@10 falls
furthest below the peer's, with what each side searched for (searcher's stems and counts, the
peer's tokens) and where the relevant documents the peer found landed in searcher's list.

Besides the engine's own run, each query is ranked by tests/bench/rankmodel.py's model of today's
setting with one part taken away at a time (the bonuses; the per-field half of the mix), so a loss
can be put down to the part that made it. MAP is split by rank band (what the relevant documents
at ranks 1-10, 11-50, ... add to it), for searcher and the peer, so a MAP loss can be put at the
depth where it happens; and the model ranks again with the bonuses re-scoring deeper than the
engine's RERANK_DEPTH (--depths), to see what re-scoring more of the list would be worth.

    python tests/bench/rankdiag.py [--data ../shared/data/ir-collection] [--pairs npl:tantivy,scifact:rank-bm25]
        [--worst 15] [--depths 50,100,200,1000] [--json FILE]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))  # this checkout's searcher, not the installed one
from common import table, write_json  # noqa: E402
from ircollections import Collection, all_collections  # noqa: E402
from ireval import evaluate, ndcg_at  # noqa: E402
from rankmodel import Model, today  # noqa: E402
from relevance import (  # noqa: E402
    PEERS,
    lower_words,
    searcher_index,
    searcher_runs,
    without_excluded,
)

# Short names for the peers of relevance.py.
PEER_NAMES = {name.split(" ")[0]: name for name in PEERS}
# Rank bands MAP is split into (first and last rank of each).
BANDS = ((1, 10), (11, 50), (51, 100), (101, 300), (301, 1000))


def map_by_band(runs: dict[str, list[str]], collection: Collection) -> list[float]:
    """What the relevant documents in each rank band add to MAP (the bands sum to MAP at depth 1000)."""
    kept = without_excluded(runs, collection.exclude)
    bands = [0.0] * len(BANDS)
    for qid, gains in collection.qrels.items():
        relevant = {doc for doc, g in gains.items() if g > 0}
        found = 0
        for rank, doc in enumerate(kept.get(qid, [])[: BANDS[-1][1]], start=1):
            if doc in relevant:
                found += 1
                band = next(i for i, (low, high) in enumerate(BANDS) if low <= rank <= high)
                bands[band] += found / rank / len(relevant) / len(collection.qrels)
    return bands


def deeper_bonuses(model: Model, collection: Collection, depths: list[int]) -> dict[int, dict[str, float]]:
    """The model's nDCG@10 and MAP with the bonuses re-scoring each depth of the BM25F list."""
    from searcher.engine.whoosh import ranking

    found, engine_depth = {}, ranking.RERANK_DEPTH
    try:
        for depth in depths:
            ranking.RERANK_DEPTH = depth
            runs = without_excluded(model_runs(model, today()), collection.exclude)
            found[depth] = evaluate(runs, collection.qrels)
    finally:
        ranking.RERANK_DEPTH = engine_depth
    return found


def per_query(runs: dict[str, list[str]], collection: Collection) -> dict[str, float]:
    """nDCG@10 of every judged query."""
    kept = without_excluded(runs, collection.exclude)
    return {qid: ndcg_at(kept.get(qid, []), gains) for qid, gains in collection.qrels.items()}


def ablations() -> dict[str, object]:
    """Today's setting and today's with one part taken away, for the model's per-query runs."""
    now = today()
    return {
        "model": now,
        "no bonuses": now._replace(coordination=0.0, near_boost=0.0),
        "BM25F only (mix 1)": now._replace(mix=1.0),
        "per-field only (mix 0)": now._replace(mix=0.0),
    }


def model_runs(model: Model, setting: object) -> dict[str, list[str]]:
    return {qid: model.ranking(qid, setting) if model.queries[qid][0] else [] for qid in model.queries}


def diagnose(collection: Collection, peer: str, work: Path, worst: int, depths: list[int]) -> dict:
    """Per-query scores of searcher, the peer and the ablations; the worst losses described."""
    index = searcher_index(collection, work)
    engine_runs = searcher_runs(index, collection.queries)
    engine = per_query(engine_runs, collection)
    peer_runs = PEERS[PEER_NAMES[peer]](collection)
    theirs = per_query(peer_runs, collection)
    model = Model(collection, index)
    variants = {name: per_query(model_runs(model, s), collection) for name, s in ablations().items()}
    gaps = sorted(collection.qrels, key=lambda q: engine[q] - theirs[q])
    losses = []
    for qid in gaps[:worst]:
        counts, stems = model.queries[qid]
        gains = collection.qrels[qid]
        ours = [d for d in engine_runs.get(qid, []) if d != collection.exclude.get(qid)]
        found_by_peer = [d for d in peer_runs[qid][:10] if gains.get(d, 0) > 0]
        where = {d: (ours.index(d) + 1 if d in ours else None) for d in found_by_peer}
        losses.append({
            "qid": qid, "query": collection.queries[qid], "searcher": engine[qid], "peer": theirs[qid],
            **{name: scores[qid] for name, scores in variants.items()},
            "stems": dict(counts), "bonus_stems": stems, "peer_words": lower_words(collection.queries[qid]),
            "peer_top10_relevant_at_searcher_rank": where,
        })  # fmt: skip
    n = len(collection.qrels)
    summary = {
        "searcher": sum(engine.values()) / n,
        "peer": sum(theirs.values()) / n,
        **{name: sum(scores.values()) / n for name, scores in variants.items()},
        "queries_lost": sum(engine[q] < theirs[q] - 1e-9 for q in collection.qrels),
        "queries_won": sum(engine[q] > theirs[q] + 1e-9 for q in collection.qrels),
        "map_by_band": {"searcher": map_by_band(engine_runs, collection), "peer": map_by_band(peer_runs, collection)},
        "model_by_rerank_depth": deeper_bonuses(model, collection, depths),
    }
    return {"summary": summary, "losses": losses,
            "per_query": {"searcher": engine, "peer": theirs, **variants}}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ir-collection"))
    parser.add_argument("--pairs", default="npl:tantivy,scifact:rank-bm25",
                        help=f"collection:peer, comma-separated; peers: {', '.join(PEER_NAMES)}")  # fmt: skip
    parser.add_argument("--worst", type=int, default=15)
    parser.add_argument("--depths", default="50,100,200,1000", help="Re-scoring depths for the model, comma-separated.")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    pairs = [pair.split(":") for pair in args.pairs.split(",")]
    collections = {c.name: c for c in all_collections(args.data)}
    work = Path(tempfile.mkdtemp(prefix="searcher-rankdiag-"))
    result = {}
    for name, peer in pairs:
        if name not in collections:
            print(f"skipped: {name} not under {args.data}")
            continue
        found = diagnose(collections[name], peer, work, args.worst, [int(d) for d in args.depths.split(",")])
        result[f"{name}:{peer}"] = found
        s = found["summary"]
        print(f"{name} against {peer}: searcher {s['searcher']:.4f}, {peer} {s['peer']:.4f}; "
              f"lost {s['queries_lost']}, won {s['queries_won']} queries")  # fmt: skip
        print("  model ablations: " + ", ".join(f"{k} {s[k]:.4f}" for k in ablations()))
        bands = [[who, *(f"{v:.4f}" for v in s["map_by_band"][who]), f"{sum(s['map_by_band'][who]):.4f}"]
                 for who in ("searcher", "peer")]  # fmt: skip
        print(table(["MAP by rank band", *(f"{a}-{b}" for a, b in BANDS), "MAP"], bands))
        deep = [[depth, f"{r['ndcg@10']:.4f}", f"{r['map']:.4f}"] for depth, r in s["model_by_rerank_depth"].items()]
        print(table(["model, bonuses re-scoring the best", "nDCG@10", "MAP"], deep))
        rows = [[f["qid"], f"{f['searcher']:.3f}", f"{f['peer']:.3f}", f"{f['no bonuses']:.3f}",
                 f"{f['BM25F only (mix 1)']:.3f}", f"{f['per-field only (mix 0)']:.3f}",
                 " ".join(f"{k}x{v}" if v > 1 else k for k, v in f["stems"].items())[:70]]
                for f in found["losses"]]  # fmt: skip
        print(table(["qid", "searcher", peer, "no bonuses", "mix 1", "mix 0", "stems"], rows) + "\n")
    print(f"wrote {write_json('rankdiag', result, args.json)}")


if __name__ == "__main__":
    main()
