"""Ranking quality on the Cranfield collection, against peers in the same run.

Convention (stated in the output): judgment codes 1 to 4 are relevant with gain 5 - code; each
query's source document (code -1) is removed from every ranking and never counts. 1,000 results per
query. Peers: SQLite FTS5 (porter tokenizer, bm25 with default weights) and rank-bm25's BM25Okapi
on the same tokens as searcher's analyzer. Then what each of searcher's ranking features does, and a
BM25F parameter grid.

    python tests/bench/relevance.py [--data ../shared/data/ir-collection/cranfield]
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import table, write_json  # noqa: E402
from ireval import evaluate  # noqa: E402

DEPTH = 1000
GRID_K1 = (0.9, 1.2, 1.6, 2.0)
GRID_B = (0.3, 0.5, 0.75, 0.9)
CONVENTION = "codes 1-4 relevant, gain 5-code; each query's source document (-1) removed from rankings"


def read_documents(path: Path) -> list[dict]:
    """The SMART file as records: .I id, .T title, .W text without the title it repeats, as the
    cleaner stores a news article (headline apart from the body)."""
    records, current, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        marker = re.match(r"^\.([ITABW])(?:\s+(\d+))?\s*$", line)
        if marker:
            if marker.group(1) == "I":
                current = {"id": marker.group(2), "T": [], "W": []}
                records.append(current)
            field = marker.group(1)
        elif current is not None and field in ("T", "W"):
            current[field].append(line.strip())
    documents = []
    for record in records:
        title, text = " ".join(record["T"]), " ".join(record["W"])
        body = text[len(title) :].strip() if title and text.startswith(title) else text
        documents.append({"id": record["id"], "title": title, "text": body or title or "(empty)"})
    return documents


def read_judgments(folder: Path) -> tuple[dict[str, str], dict[str, dict[str, float]], dict[str, str]]:
    queries = {}
    for line in (folder / "queries.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        qid, _, text = line.split("\t")
        queries[qid] = text
    qrels: dict[str, dict[str, float]] = {}
    source: dict[str, str] = {}
    for line in (folder / "cranqrel").read_text(encoding="utf-8").split("\n"):
        parts = line.split()
        if len(parts) < 3:
            continue
        qid, doc, code = parts[0], parts[1], int(parts[2])
        if code == -1:
            source[qid] = doc
        elif 1 <= code <= 4:
            qrels.setdefault(qid, {})[doc] = 5.0 - code
    return queries, qrels, source


def without_source(runs: dict[str, list[str]], source: dict[str, str]) -> dict[str, list[str]]:
    return {q: [d for d in run if d != source.get(q)][:DEPTH] for q, run in runs.items()}


def searcher_runs(
    index: Path, queries: dict[str, str], expand: bool = False, limit: int = DEPTH
) -> dict[str, list[str]]:
    from searcher.engine import close_engines
    from searcher.errors import QueryError
    from searcher.models import SearchOptions
    from searcher.search import search

    close_engines()  # settings may have changed since the last run
    options = SearchOptions(limit=limit + 1, snippets=False, collapse=False, expand=expand)
    runs = {}
    for qid, text in queries.items():
        try:
            runs[qid] = [hit.id for hit in search(index, text, options).hits]
        except QueryError:
            runs[qid] = []
    return runs


def fts5_runs(documents: list[dict], queries: dict[str, str]) -> dict[str, list[str]]:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize='porter unicode61')")
    connection.executemany("INSERT INTO docs VALUES (?, ?, ?)", ((d["id"], d["title"], d["text"]) for d in documents))
    runs = {}
    for qid, text in queries.items():
        words = [f'"{w}"' for w in re.findall(r"\w+", text.lower())]
        sql = "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?"
        runs[qid] = [row[0] for row in connection.execute(sql, (" OR ".join(words), DEPTH + 1))]
    return runs


def rank_bm25_runs(documents: list[dict], queries: dict[str, str]) -> dict[str, list[str]] | None:
    try:
        from rank_bm25 import BM25Okapi
    except ImportError:
        return None
    from searcher.analysis import news_analyzer

    analyzer = news_analyzer()
    corpus = [[t.text for t in analyzer(f"{d['title']} {d['text']}")] for d in documents]
    model = BM25Okapi(corpus)
    runs = {}
    for qid, text in queries.items():
        scores = model.get_scores([t.text for t in analyzer(text)])
        order = sorted(range(len(documents)), key=lambda i: -scores[i])[: DEPTH + 1]
        runs[qid] = [documents[i]["id"] for i in order]
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ir-collection/cranfield"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not (args.data / "cran.all.1400").exists():
        print(f"skipped: no Cranfield collection at {args.data}")
        return
    from searcher.engine.whoosh import ranking, searching
    from searcher.index import update_index

    documents = read_documents(args.data / "cran.all.1400")
    queries, qrels, source = read_judgments(args.data)
    work = Path(tempfile.mkdtemp(prefix="searcher-cranfield-"))
    (work / "cranfield.jsonl").write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
    update_index(work / "index", [work / "cranfield.jsonl"], procs=1)
    index = work / "index"

    def scored(runs: dict[str, list[str]] | None) -> dict[str, float] | None:
        return evaluate(without_source(runs, source), qrels) if runs is not None else None

    results: dict[str, dict[str, float] | None] = {
        "sqlite fts5 (porter, bm25)": scored(fts5_runs(documents, queries)),
        "rank-bm25 BM25Okapi (same tokens)": scored(rank_bm25_runs(documents, queries)),
    }
    defaults = (ranking.COORDINATION, ranking.NEAR_BOOST)
    steps = [
        ("searcher: BM25F only", 0.0, 0.0, False),
        ("searcher: + coordination", defaults[0], 0.0, False),
        ("searcher: + proximity (default)", defaults[0], defaults[1], False),
        ("searcher: default + RM3 (--expand)", defaults[0], defaults[1], True),
    ]
    for name, coordination, near, expand in steps:
        ranking.COORDINATION, ranking.NEAR_BOOST = coordination, near
        started = time.perf_counter()
        results[name] = scored(searcher_runs(index, queries, expand))
        print(f"  {name}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    ranking.COORDINATION, ranking.NEAR_BOOST = defaults
    # What a user sees: only the first page is asked for, so only the best RERANK_DEPTH BM25F
    # matches are re-scored with the bonuses (the runs above re-score all 1,000).
    first_page = scored(searcher_runs(index, queries, limit=10)) or {}
    results["searcher: default, first page only"] = {m: first_page[m] for m in ("ndcg@10", "p@10")}

    peers = [r for name, r in results.items() if r and not name.startswith("searcher")]
    best_peer = {m: max(p[m] for p in peers) for m in peers[0]} if peers else {}
    shown = ("ndcg@10", "map", "p@10", "recall@100")
    rows = [[name, *(round(r[m], 4) if m in r else "-" for m in shown),
             f"{r['ndcg@10'] / best_peer['ndcg@10']:.3f}x" if best_peer else "-"]
            for name, r in results.items() if r]  # fmt: skip
    print(f"Cranfield: {len(documents)} documents, {len(qrels)} judged queries; {CONVENTION}")
    print(table(["run", "nDCG@10", "MAP", "P@10", "R@100", "nDCG@10 vs best peer"], rows))

    grid = {}
    original = dict(searching.BM25_PARAMETERS)
    for k1 in GRID_K1:
        for b in GRID_B:
            searching.BM25_PARAMETERS.update(K1=k1, B=b)
            grid[f"K1={k1} B={b}"] = scored(searcher_runs(index, queries))
    searching.BM25_PARAMETERS.update(original)
    print()
    print(table(["BM25F (default bonuses)", "nDCG@10", "MAP"],
                [[k, round(v["ndcg@10"], 4), round(v["map"], 4)] for k, v in grid.items()]))  # fmt: skip
    written = write_json("relevance", {"convention": CONVENTION, "depth": DEPTH, "runs": results, "bm25f_grid": grid},
                         args.json)  # fmt: skip
    print(f"wrote {written}")


if __name__ == "__main__":
    main()
