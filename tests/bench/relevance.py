"""Ranking quality on every IR collection in ../shared/data/ir-collection, against BM25 peers in the
same run: a table per collection and their mean.

Every system gets the query as written (peers as lower-case words); each collection's judgments are
read as its README says (tests/bench/ircollections.py states the convention on each table). 1,000
results per query; searcher also as a user sees it, its first page (`-n 10`).
Peers, each with its standard English setup: SQLite FTS5 (porter tokenizer, bm25()), rank-bm25's
BM25Okapi on searcher's own tokens (k1 1.5, b 0.75), bm25s with PyStemmer's Snowball English stemmer
and English stopwords (method lucene, k1 1.5, b 0.75), tantivy (simple tokenizer, lowercase, English
stopwords, Snowball English stemmer; BM25 k1 1.2, b 0.75, title and body searched), Xapian (Debian's
python3-xapian: BM25Weight defaults, English Snowball stems, STEM_SOME, OR of the words), Lucene's BM25
through Anserini (tests/bench/anserini.py: its defaults k1 0.9, b 0.4, Porter, English stopwords; needs
Java 21+, the jar is fetched once from pyserini's sdist), and Anserini's BM25+RM3 as the anchor for
searcher --expand (not counted as a plain-BM25 peer). A peer that cannot run here is skipped with a
message.

    python tests/bench/relevance.py [--data ../shared/data/ir-collection] [--only cranfield,med]
        [--steps] [--grid]

--steps adds what each of searcher's ranking features does; --grid a BM25F K1 x B grid;
--expand-grid RM3's settings (feedback documents, terms, the original query's weight) for
`--expand`, each chosen by leaving one collection out, against the unexpanded search.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))  # this checkout's searcher, not the installed one
import anserini  # noqa: E402
from common import table, write_json  # noqa: E402
from ircollections import Collection, all_collections  # noqa: E402
from ireval import evaluate  # noqa: E402

DEPTH = 1000
FIRST_PAGE = 10
GRID_K1 = (0.9, 1.2, 1.6, 2.0)
GRID_B = (0.3, 0.5, 0.75, 0.9)
SHOWN = ("ndcg@10", "map", "p@10", "recall@100")
# RM3's grid for --expand-grid: feedback documents, expansion terms, the original query's weight.
EXPAND_GRID = {"FEEDBACK_DOCS": (5, 10), "FEEDBACK_TERMS": (10, 20), "ORIGINAL_WEIGHT": (0.6, 0.8)}
WORD = re.compile(r"\w+")


def lower_words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def runs_by_words(queries: dict[str, str], ranked: Callable[[list[str]], list[str]]) -> dict[str, list[str]]:
    """Each query's ranking from a peer given its lower-case words; empty for a query without any."""
    return {qid: ranked(words) if (words := lower_words(text)) else [] for qid, text in queries.items()}


def without_excluded(runs: dict[str, list[str]], exclude: dict[str, str], depth: int = DEPTH) -> dict[str, list[str]]:
    return {q: [d for d in run if d != exclude.get(q)][:depth] for q, run in runs.items()}


def searcher_index(collection: Collection, work: Path) -> Path:
    from searcher.index import update_index

    folder = work / collection.name
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{collection.name}.jsonl"
    source.write_text("".join(json.dumps(d) + "\n" for d in collection.documents), encoding="utf-8")
    update_index(folder / "index", [source], procs=1)
    return folder / "index"


def searcher_runs(index: Path, queries: dict[str, str], limit: int = DEPTH + 1, **options: object) -> dict:
    from searcher.engine import close_engines
    from searcher.errors import QueryError
    from searcher.models import SearchOptions
    from searcher.search import search

    close_engines()  # settings may have changed since the last run
    settings = SearchOptions(limit=limit, snippets=False, collapse=False, **options)
    runs = {}
    for qid, text in queries.items():
        try:
            runs[qid] = [hit.id for hit in search(index, text, settings).hits]
        except QueryError:
            runs[qid] = []
    return runs


def fts5_runs(collection: Collection) -> dict[str, list[str]]:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize='porter unicode61')")
    rows = ((d["id"], d["title"], d["text"]) for d in collection.documents)
    connection.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
    sql = "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?"

    def ranked(words: list[str]) -> list[str]:
        phrase = " OR ".join(f'"{w}"' for w in words)
        return [row[0] for row in connection.execute(sql, (phrase, DEPTH + 1))]

    return runs_by_words(collection.queries, ranked)


def rank_bm25_runs(collection: Collection) -> dict[str, list[str]] | None:
    try:
        from rank_bm25 import BM25Okapi
    except ImportError:
        return None
    from searcher.analysis import news_analyzer

    analyzer = news_analyzer()
    documents = collection.documents
    model = BM25Okapi([[t.text for t in analyzer(f"{d['title']} {d['text']}")] for d in documents])
    runs = {}
    for qid, text in collection.queries.items():
        scores = model.get_scores([t.text for t in analyzer(text.lower())])
        order = sorted(range(len(documents)), key=lambda i: -scores[i])[: DEPTH + 1]
        runs[qid] = [documents[i]["id"] for i in order]
    return runs


def bm25s_runs(collection: Collection) -> dict[str, list[str]] | None:
    try:
        import bm25s
        import Stemmer
    except ImportError:
        return None
    stemmer = Stemmer.Stemmer("english")
    documents = collection.documents
    texts = [f"{d['title']} {d['text']}" for d in documents]
    retriever = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
    retriever.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)

    def ranked(words: list[str]) -> list[str]:
        tokens = bm25s.tokenize([" ".join(words)], stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.ids or not tokens.ids[0]:  # only stopwords
            return []
        found, _ = retriever.retrieve(tokens, k=min(DEPTH + 1, len(documents)), show_progress=False)
        return [documents[i]["id"] for i in found[0]]

    return runs_by_words(collection.queries, ranked)


def tantivy_runs(collection: Collection) -> dict[str, list[str]] | None:
    try:
        import tantivy
    except ImportError:
        return None
    analyzer = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stopword("english"))
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", tokenizer_name="en_stop_stem")
    builder.add_text_field("body", tokenizer_name="en_stop_stem")
    index = tantivy.Index(builder.build())
    index.register_tokenizer("en_stop_stem", analyzer)
    writer = index.writer()
    for d in collection.documents:
        writer.add_document(tantivy.Document(id=d["id"], title=d["title"], body=d["text"]))
    writer.commit()
    index.reload()
    searcher = index.searcher()

    def ranked(words: list[str]) -> list[str]:
        query = index.parse_query(" ".join(words), ["title", "body"])
        return [searcher.doc(address)["id"][0] for _, address in searcher.search(query, DEPTH + 1).hits]

    return runs_by_words(collection.queries, ranked)


def _import_xapian():  # noqa: ANN202 - the module
    """Xapian's Python bindings: Debian's python3-xapian, found beside the system Python if need be."""
    try:
        import xapian
    except ImportError:
        debian = "/usr/lib/python3/dist-packages"
        if debian in sys.path or not Path(debian, "xapian").is_dir():
            return None
        sys.path.append(debian)
        try:
            import xapian
        except ImportError:
            return None
    return xapian


def xapian_runs(collection: Collection) -> dict[str, list[str]] | None:
    """Xapian's BM25 (its defaults), English Snowball stems (STEM_SOME) for title and body alike."""
    xapian = _import_xapian()
    if xapian is None:
        return None
    database = xapian.WritableDatabase("", xapian.DB_BACKEND_INMEMORY)
    generator = xapian.TermGenerator()
    generator.set_stemmer(xapian.Stem("english"))
    for d in collection.documents:
        document = xapian.Document()
        generator.set_document(document)
        generator.index_text(d["title"])
        generator.increase_termpos()
        generator.index_text(d["text"])
        document.set_data(d["id"])
        database.add_document(document)
    parser = xapian.QueryParser()
    parser.set_stemmer(xapian.Stem("english"))
    parser.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    parser.set_default_op(xapian.Query.OP_OR)
    enquire = xapian.Enquire(database)
    enquire.set_weighting_scheme(xapian.BM25Weight())

    def ranked(words: list[str]) -> list[str]:
        enquire.set_query(parser.parse_query(" ".join(words)))
        return [match.document.get_data().decode("utf-8") for match in enquire.get_mset(0, DEPTH + 1)]

    return runs_by_words(collection.queries, ranked)


def lucene_bm25_runs(collection: Collection) -> dict[str, list[str]] | None:
    """Lucene's BM25 through Anserini (its defaults: k1 0.9, b 0.4, Porter, English stopwords)."""
    return _anserini_runs(collection, rm3=False)


def lucene_rm3_runs(collection: Collection) -> dict[str, list[str]] | None:
    """Anserini's BM25+RM3 (10 feedback documents, 10 terms, original query weight 0.5)."""
    return _anserini_runs(collection, rm3=True)


_ANSERINI: dict[str, anserini.Anserini | None] = {}


def _anserini_runs(collection: Collection, rm3: bool) -> dict[str, list[str]] | None:
    """Both Anserini runs share one index per collection, built on first use."""
    if collection.name not in _ANSERINI:
        try:
            work = Path(tempfile.mkdtemp(prefix=f"searcher-anserini-{collection.name}-"))
            _ANSERINI[collection.name] = anserini.Anserini(collection.documents, work)
        except anserini.AnseriniUnavailable as why:
            print(f"  anserini: {why}", file=sys.stderr)
            _ANSERINI[collection.name] = None
    engine = _ANSERINI[collection.name]
    return engine.runs(collection.queries, rm3=rm3, depth=DEPTH + 1) if engine else None


PEERS = {
    "sqlite fts5 (porter, bm25)": fts5_runs,
    "rank-bm25 BM25Okapi (searcher's tokens)": rank_bm25_runs,
    "bm25s (PyStemmer, en stopwords)": bm25s_runs,
    "tantivy (en stopwords + stemmer)": tantivy_runs,
    "xapian (BM25, en stemmer)": xapian_runs,
    "lucene BM25 (anserini defaults)": lucene_bm25_runs,
}
# Not plain BM25, so not in the "best peer" ratios: the anchor for searcher --expand.
EXPANSION_PEERS = {"lucene BM25+RM3 (anserini defaults)": lucene_rm3_runs}


def measure(collection: Collection, work: Path, steps: bool, peers: bool = True) -> dict[str, dict[str, float]]:
    """Every system's scores on one collection (searcher's alone without `peers`)."""
    from searcher.engine.whoosh import ranking

    def scored(runs: dict | None, depth: int = DEPTH) -> dict[str, float] | None:
        if runs is None:
            return None
        return evaluate(without_excluded(runs, collection.exclude, depth), collection.qrels)

    results: dict[str, dict[str, float] | None] = {}
    for name, runner in {**PEERS, **EXPANSION_PEERS}.items() if peers else ():
        started = time.perf_counter()
        results[name] = scored(runner(collection))
        if results[name] is None:
            print(f"  {name}: skipped (not installed)", file=sys.stderr)
        else:
            print(f"  {collection.name} {name}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    index = searcher_index(collection, work)
    queries = collection.queries
    results["searcher"] = scored(searcher_runs(index, queries))
    first = scored(searcher_runs(index, queries, limit=FIRST_PAGE + 1), depth=FIRST_PAGE) or {}
    results["searcher, first page (-n 10)"] = {m: first[m] for m in ("ndcg@10", "p@10")}
    results["searcher --expand (RM3)"] = scored(searcher_runs(index, queries, expand=True))
    if steps:
        defaults = (ranking.COORDINATION, ranking.NEAR_BOOST)
        variants = [("searcher: BM25F only", 0.0, 0.0), ("searcher: + coordination", defaults[0], 0.0)]
        for name, coordination, near in variants:
            ranking.COORDINATION, ranking.NEAR_BOOST = coordination, near
            results[name] = scored(searcher_runs(index, queries))
        ranking.COORDINATION, ranking.NEAR_BOOST = defaults
    return {name: r for name, r in results.items() if r is not None}


def peer_best(results: dict[str, dict[str, float]], metric: str) -> float:
    return max((r[metric] for name, r in results.items() if name in PEERS), default=0.0)


def collection_table(collection: Collection, results: dict[str, dict[str, float]]) -> str:
    best = {m: peer_best(results, m) for m in SHOWN}
    rows = [[name, *(round(r[m], 3) if m in r else "-" for m in SHOWN),
             f"{r['ndcg@10'] / best['ndcg@10']:.3f}x" if best["ndcg@10"] else "-",
             f"{r['map'] / best['map']:.3f}x" if "map" in r and best["map"] else "-"]
            for name, r in results.items()]  # fmt: skip
    heading = (f"{collection.name}: {len(collection.documents):,} documents, {len(collection.qrels)} judged queries; "
               f"{collection.convention}")  # fmt: skip
    headers = ["run", "nDCG@10", "MAP", "P@10", "R@100", "nDCG@10 vs best peer", "MAP vs best"]
    return heading + "\n" + table(headers, rows)


def mean_table(every: dict[str, dict[str, dict[str, float]]]) -> tuple[str, dict]:
    names = [name for name in next(iter(every.values())) if all(name in r for r in every.values())]
    means = {name: {m: sum(r[name][m] for r in every.values()) / len(every) for m in SHOWN if m in
                    next(iter(every.values()))[name]} for name in names}  # fmt: skip
    best = {m: max((means[n][m] for n in names if n in PEERS and m in means[n]), default=0.0) for m in SHOWN}
    rows = [[name, *(round(means[name][m], 3) if m in means[name] else "-" for m in SHOWN),
             f"{means[name]['ndcg@10'] / best['ndcg@10']:.3f}x" if best["ndcg@10"] else "-"]
            for name in names]  # fmt: skip
    collections = ", ".join(every)
    return f"mean over {len(every)} collections ({collections})\n" + table(
        ["run", "nDCG@10", "MAP", "P@10", "R@100", "nDCG@10 vs best peer"], rows
    ), means


def grid(collection: Collection, work: Path) -> dict[str, dict[str, float]]:
    from searcher.engine.whoosh import searching

    index = work / collection.name / "index"
    found = {}
    original = dict(searching.BM25_PARAMETERS)
    for k1 in GRID_K1:
        for b in GRID_B:
            searching.BM25_PARAMETERS.update(K1=k1, B=b)
            runs = searcher_runs(index, collection.queries)
            found[f"K1={k1} B={b}"] = evaluate(without_excluded(runs, collection.exclude), collection.qrels)
    searching.BM25_PARAMETERS.update(original)
    return found


def expand_grid(collection: Collection, work: Path) -> dict[str, dict[str, float]]:
    """searcher --expand's scores for every RM3 setting of EXPAND_GRID on one collection."""
    from searcher.engine.whoosh import ranking

    index = work / collection.name / "index"
    original = {name: getattr(ranking, name) for name in EXPAND_GRID}
    found = {}
    for values in itertools.product(*EXPAND_GRID.values()):
        setting = dict(zip(EXPAND_GRID, values, strict=True))
        for name, value in setting.items():
            setattr(ranking, name, value)
        runs = searcher_runs(index, collection.queries, expand=True)
        found[expand_label(setting)] = evaluate(without_excluded(runs, collection.exclude), collection.qrels)
    for name, value in original.items():
        setattr(ranking, name, value)
    return found


def expand_label(setting: dict[str, float]) -> str:
    return f"docs {setting['FEEDBACK_DOCS']} terms {setting['FEEDBACK_TERMS']} weight {setting['ORIGINAL_WEIGHT']}"


def expand_table(grids: dict[str, dict[str, dict[str, float]]], plain: dict[str, dict[str, float]]) -> str:
    """Leave-one-collection-out over RM3's settings: each collection's held-out --expand scores
    beside the unexpanded search's, and how many collections expansion helps."""
    from searcher.engine.whoosh import ranking

    names = list(grids)
    shipped = expand_label({name: getattr(ranking, name) for name in EXPAND_GRID})
    rows, helped = [], 0
    for name in names:
        others = [n for n in names if n != name]
        chosen = max(grids[name], key=lambda label: (sum(grids[n][label]["ndcg@10"] for n in others), label == shipped))
        held, base = grids[name][chosen], plain[name]
        helped += held["ndcg@10"] > base["ndcg@10"]
        rows.append(
            [name, chosen, *(f"{r['ndcg@10']:.3f} / {r['map']:.3f}" for r in (held, base, grids[name][shipped]))]
        )
    heading = f"--expand (RM3) left one collection out: helps on {helped} of {len(names)} (shipped: {shipped})"
    return heading + "\n" + table(["collection", "chosen on the others", "held out", "no expansion", "shipped"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ir-collection"))
    parser.add_argument("--only", help="Comma-separated collection names (default: all present).")
    parser.add_argument("--steps", action="store_true", help="Also each ranking feature's effect.")
    parser.add_argument("--grid", action="store_true", help="Also a BM25F K1 x B grid.")
    parser.add_argument("--expand-grid", action="store_true", help="Also RM3's settings, left one collection out.")
    parser.add_argument("--no-peers", action="store_true", help="searcher alone (with --expand-grid, --grid).")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    collections = all_collections(args.data)
    if args.only:
        wanted = set(args.only.split(","))
        collections = [c for c in collections if c.name in wanted]
    if not collections:
        print(f"skipped: no IR collection under {args.data}")
        return
    work = Path(tempfile.mkdtemp(prefix="searcher-relevance-"))
    every, grids, expansions = {}, {}, {}
    for collection in collections:
        every[collection.name] = measure(collection, work, args.steps, peers=not args.no_peers)
        print(collection_table(collection, every[collection.name]) + "\n")
        if args.grid:
            grids[collection.name] = grid(collection, work)
        if args.expand_grid:
            expansions[collection.name] = expand_grid(collection, work)
    text, means = mean_table(every)
    print(text)
    if expansions:
        print("\n" + expand_table(expansions, {name: every[name]["searcher"] for name in expansions}))
    result = {"depth": DEPTH, "collections": every, "mean": means,
              "conventions": {c.name: c.convention for c in collections}, "bm25f_grid": grids,
              "expand_grid": expansions}  # fmt: skip
    print(f"wrote {write_json('relevance', result, args.json)}")


if __name__ == "__main__":
    main()
