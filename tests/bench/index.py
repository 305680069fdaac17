"""Indexing speed on Reuters-21578, against the engine's ceiling measured in the same run.

Variants, each in its own process so that peak memory is its own:
- searcher (parallel): `update_index` with one worker per core: read, clean, enrich, index;
- searcher (serial): the same pipeline in one process;
- whoosh (single) and whoosh (multi-process): a minimal plain Whoosh writer, same schema and
  analyzer, over the same text already cleaned (cleaning not timed): the engine's ceiling;
- sqlite fts5: SQLite's FTS5 (porter tokenizer) over the same cleaned text, a compiled peer;
- searcher (incremental): the corpus added by an update to an index of one file, whose peak memory
  is to be compared with the fresh build's (the "peak MB" column).
Then incremental runs on the 1x searcher index: no change, 100 added, 100 edited, 100 deleted.
Then nothing lost (nothing_lost.py): articles indexed against offered on Reuters, the BBC, saved pages
and a web archive; no-change runs on 1,000 and 21,578 articles; kill -9 of a parallel rebuild
followed by an index run (--no-nothing-lost skips it).

    python tests/bench/index.py [--data ../shared/data/reuters21578] [--sizes 1,10] [--work DIR]
                                [--variants searcher-parallel,searcher-incremental] [--no-nothing-lost]

The indexes stay in --work for tests/bench/query.py.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))  # this checkout's searcher, not the installed one
from common import table, write_json  # noqa: E402
from reuters import convert  # noqa: E402

DEFAULT_WORK = Path("/tmp/searcher-bench")


def disk_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def peak_mb() -> float:
    """Peak resident memory of this process and its finished children, in MB (Linux reports KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


# Variants, run in a child process: python index.py --variant NAME --corpus DIR --target PATH


def run_searcher(corpus: Path, target: Path, procs: int) -> dict:
    from searcher.index import update_index

    report = update_index(target, [corpus], procs=procs)
    return {"documents": report.added, "failed": len(report.failed)}


def run_incremental_add(corpus: Path, target: Path) -> dict:
    """The corpus added to an existing index (of one small file) by an incremental update: its
    memory must be bounded by the batch, as a fresh build's is, not grow with what is added."""
    from searcher.index import update_index

    start = target.parent / f"{target.name}-start"
    start.mkdir(parents=True, exist_ok=True)
    (start / "first.txt").write_text("First story\n\nA story to start the index with.\n", encoding="utf-8")
    update_index(target, [start], procs=1)
    report = update_index(target, [corpus], procs=os.cpu_count() or 2)
    assert not report.failed, report.failed[:3]
    return {"documents": report.added}


def cleaned_fields(corpus: Path, cache: Path) -> list[dict]:
    """The corpus through our cleaner and enrichment, as Whoosh fields (cached: not part of any timing)."""
    if cache.exists():
        with cache.open("rb") as handle:
            return pickle.load(handle)
    from searcher.engine.whoosh.writers import article_fields
    from searcher.enrich.topics import load_taxonomy
    from searcher.pipeline import process
    from searcher.sources import find_files, read_documents

    taxonomy = load_taxonomy()
    found, _ = find_files([corpus])
    fields = [article_fields(process(d, taxonomy)) for f in found for d in read_documents(f)[0]]
    with cache.open("wb") as handle:
        pickle.dump(fields, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return fields


def run_whoosh(fields: list[dict], target: Path, procs: int) -> dict:
    """Plain Whoosh as it ships: its writer processes open the index without a schema and so read
    back the pickled one, which searcher's restricted unpickler refuses (engine/whoosh/pickles.py);
    this child process writes a fresh index of its own, so the restriction is lifted here."""
    from whoosh import index as whoosh_index

    from searcher.engine.whoosh.store import build_schema

    whoosh_index.pickle = pickle

    target.mkdir(parents=True)
    ix = whoosh_index.create_in(str(target), build_schema())
    writer = ix.writer(procs=procs, limitmb=256 // procs, multisegment=True) if procs > 1 else ix.writer(limitmb=256)
    for document in fields:
        writer.add_document(**document)
    writer.commit()
    return {"documents": len(fields)}


def run_fts5(fields: list[dict], target: Path) -> dict:
    connection = sqlite3.connect(target)
    connection.execute(
        "CREATE VIRTUAL TABLE articles USING fts5(id UNINDEXED, title, body, tokenize='porter unicode61')"
    )
    connection.executemany(
        "INSERT INTO articles VALUES (?, ?, ?)", ((f["id"], f["display_title"], f["body"]) for f in fields)
    )
    connection.commit()
    connection.close()
    return {"documents": len(fields)}


def child(args: argparse.Namespace) -> None:
    """Runs one variant and prints its numbers as JSON."""
    fields = None
    if args.variant.startswith(("whoosh", "fts5")):
        fields = cleaned_fields(args.corpus, args.cache)
    started = time.perf_counter()
    if args.variant == "searcher-parallel":
        result = run_searcher(args.corpus, args.target, os.cpu_count() or 2)
    elif args.variant == "searcher-serial":
        result = run_searcher(args.corpus, args.target, 1)
    elif args.variant == "searcher-incremental":
        result = run_incremental_add(args.corpus, args.target)
    elif args.variant == "whoosh-single":
        result = run_whoosh(fields, args.target, 1)
    elif args.variant == "whoosh-multi":
        result = run_whoosh(fields, args.target, os.cpu_count() or 2)
    else:
        result = run_fts5(fields, args.target)
    seconds = time.perf_counter() - started
    print(json.dumps({**result, "seconds": seconds, "peak_mb": peak_mb(), "disk_bytes": disk_size(args.target)}))


def measure(variant: str, corpus: Path, target: Path, cache: Path) -> dict:
    if target.exists():
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    command = [sys.executable, __file__, "--variant", variant, "--corpus", str(corpus), "--target", str(target),
               "--cache", str(cache)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{variant} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def incremental(corpus: Path, index: Path) -> dict[str, float]:
    """Seconds for update runs on an existing index: nothing changed, then 100 added, edited, deleted."""
    from searcher.index import update_index

    def timed() -> float:
        report = update_index(index)
        assert not report.failed, report.failed
        return report.seconds

    times = {"no change": timed()}
    source = sorted(corpus.glob("*.jsonl"))[0]
    original = source.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in original[:100]]
    added = corpus / "added.jsonl"
    added.write_text("".join(json.dumps({**r, "id": r["id"] + "-new"}) + "\n" for r in records), encoding="utf-8")
    times["add 100"] = timed()
    edited = [json.dumps({**r, "text": r["text"] + " Edited."}) for r in records] + original[100:]
    source.write_text("\n".join(edited) + "\n", encoding="utf-8")
    times["edit 100"] = timed()
    source.write_text("\n".join(original[100:]) + "\n", encoding="utf-8")
    times["delete 100"] = timed()
    source.write_text("\n".join(original) + "\n", encoding="utf-8")  # leave the corpus as converted
    added.unlink()
    update_index(index)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/reuters21578"))
    parser.add_argument("--sizes", default="1,10", help="Copies of Reuters to index, comma-separated.")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-nothing-lost", action="store_true", help="Skip the articles-indexed and kill checks.")
    parser.add_argument("--variants", help="Only these variants, comma-separated (searcher-parallel always runs).")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--target", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        child(args)
        return
    if not args.data.is_dir():
        print(f"skipped: no Reuters-21578 data at {args.data}")
        return

    results: dict = {"sizes": {}}
    rows = []
    for copies in (int(c) for c in args.sizes.split(",")):
        corpus = args.work / f"corpus-{copies}"
        if not corpus.exists():
            convert(args.data, corpus, copies)
        megabytes = disk_size(corpus) / 1e6
        from searcher.engine.whoosh.store import SCHEMA_VERSION

        cache = args.work / f"cleaned-{copies}-schema{SCHEMA_VERSION}.pickle"  # fields change with the schema
        numbers = {}
        variants = ["searcher-parallel", "searcher-serial", "searcher-incremental", "whoosh-single", "whoosh-multi"]
        chosen = args.variants.split(",") if args.variants else [*variants, "fts5"]
        for variant in ["searcher-parallel", *(v for v in chosen if v != "searcher-parallel")]:
            target = args.work / f"{variant}-{copies}" if variant != "fts5" else args.work / f"fts5-{copies}.db"
            numbers[variant] = measured = measure(variant, corpus, target, cache)
            measured["docs_per_second"] = measured["documents"] / measured["seconds"]
            measured["mb_per_second"] = megabytes / measured["seconds"]
            print(f"  {copies}x {variant}: {measured['seconds']:.1f}s", file=sys.stderr)
        ceiling = numbers.get("whoosh-multi", numbers["searcher-parallel"])["docs_per_second"]
        serial = numbers.get("searcher-serial", numbers["searcher-parallel"])["docs_per_second"]
        for variant, m in numbers.items():
            speed = m["docs_per_second"]
            rows.append([f"{copies}x", variant, m["documents"], round(m["seconds"], 1), round(speed),
                         round(m["mb_per_second"], 2), round(m["peak_mb"]), round(m["disk_bytes"] / 1e6, 1),
                         f"{speed / ceiling:.2f}x", f"{speed / serial:.2f}x"])  # fmt: skip
        ours = numbers["searcher-parallel"]["docs_per_second"]
        results["sizes"][copies] = {"input_mb": megabytes, "variants": numbers,
                                    "ratio_to_whoosh_multi": ours / ceiling,
                                    "ratio_to_serial": ours / serial}  # fmt: skip
    headers = [
        "size",
        "variant",
        "docs",
        "s",
        "docs/s",
        "MB/s",
        "peak MB",
        "disk MB",
        "vs whoosh-multi",
        "vs searcher-serial",
    ]
    print(table(headers, rows))

    first = min(int(c) for c in args.sizes.split(","))
    times = incremental(args.work / f"corpus-{first}", args.work / f"searcher-parallel-{first}")
    results["incremental_seconds"] = times
    print()
    print(table(["incremental run (" + f"{first}x index)", "seconds"], [[k, round(v, 3)] for k, v in times.items()]))
    if not args.no_nothing_lost:
        from nothing_lost import run as nothing_lost

        print()
        results["nothing_lost"] = nothing_lost(args.data.parent, args.work / "nothing-lost")
    print(f"wrote {write_json('index', results, args.json)}")


if __name__ == "__main__":
    main()
