"""Query latency, in-process and end to end, on the indexes tests/bench/index.py left in --work.

In-process: p50 and p95 over the fixed query list (tests/bench/queries.txt) for `searcher.search`
(ranking, total count, snippets), for a minimal plain Whoosh search on the same engine (parse, top 10,
stored ids: the ceiling), and for SQLite FTS5 (bm25, top 10); each query's time is the fastest of five
passes, the engines taking turns. End to end: the `searcher search`
command from process start to last byte, against bare `python -c "import whoosh.index, whoosh.qparser, click"`.
Also what checking for damage costs an open: every file stamped as verified, none, and `searcher check`.

    python tests/bench/query.py [--work /tmp/searcher-bench] [--sizes 1,10] [--runs 15] [--rounds 5]
        [--checkout DIR ...]
    python tests/bench/query.py --shapes [--per-shape 5] [--seed 20] [--time-limit 10]

`--shapes` times query shapes a user or an attacker might type (fuzzy terms on odd strings, one-letter
prefixes, infix wildcards, mixed with topics, sorting and facets), each filled with words of the
Reuters index, and reports each shape's slowest query against plain words: the bound is that none
runs past its time limit.

`--checkout DIR` (repeatable) adds the same command run from another checkout of searcher (for
example `git worktree add /tmp/before HEAD~3`), taking turns with the others: a change's effect on
start-up, measured in one run.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))  # this checkout's searcher, not the installed one
from common import table, write_json  # noqa: E402

QUERIES = HERE / "queries.txt"


def load_queries() -> list[str]:
    return [
        line.strip()
        for line in QUERIES.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": statistics.median(ordered) * 1000, "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000}


def time_each(queries: list[str], run) -> list[float]:  # noqa: ANN001 - a callable taking a query
    """Seconds per query, in order."""
    samples = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        samples.append(time.perf_counter() - started)
    return samples


def time_engines(queries: list[str], engines: dict, rounds: int) -> dict[str, list[float]]:
    """Each engine's time per query: the fastest of `rounds` passes over the list, the engines taking
    turns pass by pass. This machine's speed drifts by a third within minutes, in spells longer than
    a pass; the fastest pass is the figure such a spell cannot inflate, for every engine alike."""
    for run in engines.values():
        for query in queries[:5]:
            run(query)  # warm the caches, as a user's second query would find them
    passes: dict[str, list[list[float]]] = {name: [] for name in engines}
    for _ in range(rounds):
        for name, run in engines.items():
            passes[name].append(time_each(queries, run))
    return {name: [min(times) for times in zip(*runs, strict=True)] for name, runs in passes.items()}


def searcher_runner(index: Path):  # noqa: ANN201
    from searcher.models import SearchOptions
    from searcher.search import search

    # What `searcher search` asks for a terminal: ten hits with snippets, the total, three copy ids each.
    return lambda query: search(index, query, SearchOptions(limit=10, copy_ids=3))


def plain_whoosh(work: Path, copies: int) -> Path:
    """The plain Whoosh index index.py built: its multi-process variant's, else its single one's
    (the same index; `--variants whoosh-single` builds only that one)."""
    multi = work / f"whoosh-multi-{copies}"
    single = work / f"whoosh-single-{copies}"
    return multi if multi.exists() or not single.exists() else single


def whoosh_runner(index_dir: Path):  # noqa: ANN201
    """The ceiling: Whoosh's default parser and BM25F, top 10 ids, nothing else."""
    from whoosh import index as whoosh_index
    from whoosh.qparser import MultifieldParser, OrGroup
    from whoosh.scoring import BM25F

    from searcher.engine.whoosh.store import build_schema

    # The same schema Whoosh would unpickle; searcher, loaded in this process, refuses to unpickle one.
    ix = whoosh_index.open_dir(str(index_dir), schema=build_schema())
    searcher = ix.searcher(weighting=BM25F())
    parser = MultifieldParser(["title", "body"], ix.schema, group=OrGroup)
    return lambda query: [hit["id"] for hit in searcher.search(parser.parse(query), limit=10)]


FTS_WORD = re.compile(r'"[^"]+"|[\w-]+')


def fts_query(query: str) -> str:
    """The same words for FTS5: filters dropped, words ORed, phrases kept."""
    query = re.sub(r"\w+:(\[[^\]]*\]|\S+)", " ", query)
    words = [
        w if w.startswith('"') else f'"{w}"' for w in FTS_WORD.findall(query) if w.upper() not in ("OR", "NOT", "AND")
    ]
    return " OR ".join(words) or '"oil"'


def fts_runner(db: Path):  # noqa: ANN201
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)  # never an empty new database
    sql = "SELECT id FROM articles WHERE articles MATCH ? ORDER BY rank LIMIT 10"
    return lambda query: connection.execute(sql, (fts_query(query),)).fetchall()


def command_seconds(commands: list[list[str]], runs: int, paths: list[str | None] | None = None) -> list[float]:
    """Median wall time of each command, process start to last byte of output, the commands taking
    turns run by run (so that a slow spell of the machine falls on all of them alike). `paths`
    gives each command a PYTHONPATH (another checkout of searcher), or None for the installed one.

    Bytecode caching is allowed (as after `pip install`), and one unmeasured run writes the caches.
    """
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    envs = [base if path is None else {**base, "PYTHONPATH": path} for path in (paths or [None] * len(commands))]
    samples: list[list[float]] = [[] for _ in commands]
    for command, env in zip(commands, envs, strict=True):
        subprocess.run(command, capture_output=True, check=True, env=env)
    for _ in range(runs):
        for command, env, times in zip(commands, envs, samples, strict=True):
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, env=env)
            times.append(time.perf_counter() - started)
    return [statistics.median(times) for times in samples]


# Query shapes for the cost bound: each a template filled with words of the index (and odd strings),
# as a user (or an attacker) might type them. {w} is a frequent word, {r} a rare one, {o} an odd string.
SHAPES = {
    "plain words": "{w} {w}",
    "phrase": '"{w} {w}"',
    "fuzzy ~1": "{w}~1",
    "fuzzy ~2": "{w}~2",
    "fuzzy ~2, rare word": "{r}~2",
    "fuzzy ~2, odd string": "{o}~2",
    "three fuzzy ~2": "{w}~2 {w}~2 {r}~2",
    "one-letter prefix": "{l}*",
    "two-letter prefix": "{l}{l}*",
    "infix wildcard": "*{l}*",
    "wildcard ?": "{l}?{l}*",
    "prefix and words, NOT": "{l}* {w} -{w}",
    "fuzzy OR prefix, --topic": "({w}~2 OR {l}*) {w}",
    "fuzzy, sorted, faceted": "{w}~2 {l}*",
    "boosts and groups": "({w}^3 {w})^2 OR {r}^0.5",
    "pasted paragraph": "{para}.",
    "many OR words": " OR ".join(["{w}"] * 40),
}
SHAPE_OPTIONS = {"fuzzy OR prefix, --topic": {"topics": ("crude", "acq")},
                 "fuzzy, sorted, faceted": {"sort": "newest", "facets": True, "timeline": True}}  # fmt: skip
ODD = ["привет", "xqzv", "東京株式", "ŝŝŝŝ", "0x7f3a", "ααββγγ", "zzzzzz", "مرحبا"]


def shape_queries(index: Path, per_shape: int, seed: int) -> list[tuple[str, str]]:
    """(shape, query) pairs: each shape filled `per_shape` times with words drawn from the index."""
    import random

    from searcher.engine.whoosh import bounds, searching

    reader = searching.open_searcher(index).reader()
    words = [t for t in bounds.lexicon(reader, "body") if t.isalpha() and len(t) > 2]
    frequent = sorted(words, key=lambda t: -reader.doc_frequency("body", t))[:300]
    rare = [t for t in words if reader.doc_frequency("body", t) == 1][:3000]
    draw = random.Random(seed)
    pairs = []
    for shape, template in SHAPES.items():
        for _ in range(per_shape):
            query = template
            for mark, pool in (("{w}", frequent), ("{r}", rare), ("{o}", ODD), ("{l}", "abcdefghilmnoprstw")):
                while mark in query:
                    query = query.replace(mark, draw.choice(pool), 1)
            query = query.replace("{para}", " ".join(draw.choice(frequent) for _ in range(60)))
            pairs.append((shape, query))
    return pairs


def time_shapes(index: Path, per_shape: int, seed: int, limit: float) -> dict:
    """Each shape's slowest query, against a plain two-word query in the same run. The bound: no
    query runs past its time limit (plus the time to stop it)."""
    from searcher.errors import QueryError
    from searcher.models import SearchOptions
    from searcher.search import search

    results: dict[str, dict] = {}
    for shape, query in shape_queries(index, per_shape, seed):
        options = SearchOptions(limit=10, copy_ids=3, time_limit=limit, **SHAPE_OPTIONS.get(shape, {}))
        started = time.perf_counter()
        try:
            outcome = "notice" if search(index, query, options).notices else "ok"
        except QueryError as error:
            outcome = "over the time limit" if "ran longer" in str(error) else "query error"
        seconds = time.perf_counter() - started
        held = results.get(shape)
        if held is None or seconds > held["seconds"]:
            results[shape] = {"seconds": seconds, "query": query[:60], "outcome": outcome}
    return results


def report_shapes(args: argparse.Namespace) -> dict:
    index = args.work / "searcher-parallel-1"
    shapes = time_shapes(index, args.per_shape, args.seed, args.time_limit)
    baseline = shapes["plain words"]["seconds"]
    rows = [[shape, round(r["seconds"], 3), f"{r['seconds'] / baseline:.1f}x", r["outcome"], r["query"]]
            for shape, r in sorted(shapes.items(), key=lambda item: -item[1]["seconds"])]  # fmt: skip
    print(f"query shapes on {index} ({args.per_shape} queries each, slowest shown; time limit {args.time_limit:g} s)")
    print(table(["shape", "slowest s", "vs plain words", "outcome", "query"], rows))
    slowest = max(r["seconds"] for r in shapes.values())
    bound = args.time_limit + STOP_SLACK_SECONDS
    print(f"slowest query: {slowest:.2f} s; bound {bound:g} s: {'held' if slowest <= bound else 'BROKEN'}")
    return {"time_limit_s": args.time_limit, "per_shape": args.per_shape, "seed": args.seed, "shapes": shapes,
            "slowest_s": slowest, "bound_held": slowest <= bound}  # fmt: skip


# A query past its limit is stopped at the next Python instruction, then its searcher is closed.
STOP_SLACK_SECONDS = 1.0


def verification_ms(index: Path, rounds: int) -> dict[str, float]:
    """What checking for damage costs an open of the index, fastest of `rounds`: with every file
    stamped as verified (an index that did not change since the last search), with none (every
    byte read, as the first open after an update reads its new files), and `searcher check`'s read."""
    from searcher.engine.whoosh import checksums, stamps, store

    location = store.locate(index)
    recorded = store.check_compatible(location).get("checksums")

    def fastest(run) -> float:  # noqa: ANN001 - a callable
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        return min(times)

    stamped_files = stamps.location(location.generation)
    saved = stamped_files.read_bytes() if stamped_files.exists() else None
    original_settled = stamps.SETTLED_NS
    stamps.SETTLED_NS = -(10**18)  # the index's files count as settled, whenever it was built
    try:
        checksums.verify(location.generation, recorded, everything=False)  # records the stamps
        stamped = fastest(lambda: checksums.verify(location.generation, recorded, everything=False))
        unstamped = fastest(lambda: (stamped_files.unlink(missing_ok=True),
                                     checksums.verify(location.generation, recorded, everything=False)))  # fmt: skip
    finally:
        stamps.SETTLED_NS = original_settled
        if saved is None:
            stamped_files.unlink(missing_ok=True)
        else:
            stamped_files.write_bytes(saved)
    size = sum(entry[0] for entry in recorded["files"].values())
    return {"files": len(recorded["files"]), "megabytes": size / 1e6, "stamped_ms": stamped,
            "unstamped_ms": unstamped, "check_ms": fastest(lambda: checksums.verify(
                location.generation, recorded, everything=True))}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/searcher-bench"))
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--runs", type=int, default=15, help="Runs of each end-to-end command.")
    parser.add_argument("--rounds", type=int, default=5, help="Passes over the query list per engine (fastest).")
    parser.add_argument(
        "--checkout", type=Path, action="append", default=[], help="Also time another checkout's command."
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument("--shapes", action="store_true", help="Only time the query shapes (the cost bound).")
    parser.add_argument("--per-shape", type=int, default=5, help="Queries per shape, with --shapes.")
    parser.add_argument("--seed", type=int, default=20, help="Seed for the words the shapes are filled with.")
    parser.add_argument("--time-limit", type=float, default=10.0, help="Each query's time limit, with --shapes.")
    args = parser.parse_args()
    if args.shapes:
        print(f"wrote {write_json('query-shapes', report_shapes(args), args.json)}")
        return
    queries = load_queries()
    results: dict = {"queries": len(queries), "rounds": args.rounds, "sizes": {}}
    rows = []
    for copies in (int(c) for c in args.sizes.split(",")):
        ours = args.work / f"searcher-parallel-{copies}"
        if not ours.exists():
            print(f"skipped {copies}x: run tests/bench/index.py --sizes {copies} first")
            continue
        variants = {
            "searcher": searcher_runner(ours),
            "whoosh (plain)": whoosh_runner(plain_whoosh(args.work, copies)),
        }
        fts_db = args.work / f"fts5-{copies}.db"
        if fts_db.exists():
            variants["sqlite fts5"] = fts_runner(fts_db)
        else:
            print(f"sqlite fts5 skipped at {copies}x: no {fts_db.name} (index.py --variants fts5 builds it)")
        numbers = {name: percentiles(times) for name, times in time_engines(queries, variants, args.rounds).items()}
        results["sizes"][copies] = numbers
        for name, n in numbers.items():
            ratio = n["p50_ms"] / numbers["whoosh (plain)"]["p50_ms"]
            rows.append([f"{copies}x", name, round(n["p50_ms"], 2), round(n["p95_ms"], 2), f"{ratio:.2f}x"])
    print(f"{len(queries)} queries, in-process, top 10")
    print(table(["size", "engine", "p50 ms", "p95 ms", "p50 vs plain whoosh"], rows))

    first = min(int(c) for c in args.sizes.split(","))
    checked = verification_ms(args.work / f"searcher-parallel-{first}", args.rounds)
    results["verify_on_open"] = checked
    heading = f"verifying the {first}x index for damage ({checked['files']} files, {checked['megabytes']:.1f} MB)"
    print(f"\n{heading}, fastest of {args.rounds}")
    rows = [["every file stamped (unchanged since the last search)", round(checked["stamped_ms"], 2)],
            ["no file stamped (every byte read)", round(checked["unstamped_ms"], 1)],
            ["searcher check (every byte read)", round(checked["check_ms"], 1)]]  # fmt: skip
    print(table(["open", "ms"], rows))

    index = str(args.work / f"searcher-parallel-{first}")
    command = [sys.executable, "-m", "searcher", "--index", index, "search", "oil prices"]
    others = [str(c.resolve()) for c in args.checkout]
    bare, ours, *theirs = command_seconds(
        [[sys.executable, "-c", "import whoosh.index, whoosh.qparser, click"], command, *([command] * len(others))],
        args.runs,
        [None, None, *others],
    )
    results["end_to_end"] = {"bare_imports_s": bare, "searcher_search_s": ours, "ratio": ours / bare}
    timed = list(zip(others, theirs, strict=True))
    results["end_to_end"]["checkouts"] = {path: {"searcher_search_s": t, "ratio": t / bare} for path, t in timed}
    rows = [["python -c 'import whoosh.index, whoosh.qparser, click'", round(bare, 3), "1.00x"],
            ["searcher search 'oil prices'", round(ours, 3), f"{ours / bare:.2f}x"]]  # fmt: skip
    rows += [[f"  the same, from {path}", round(t, 3), f"{t / bare:.2f}x"] for path, t in timed]
    print()
    print(table(["command", "median s", "vs bare imports"], rows))
    print(f"end to end: {ours / bare:.2f}x the bare imports")
    print(f"wrote {write_json('query', results, args.json)}")


if __name__ == "__main__":
    main()
