"""Whether a change to the search path left every answer as it was: each bench query's ranked ids
and exact scores, total, copies and snippets, in several modes, written by one checkout and compared
by another (scores to SCORE_TOLERANCE, everything else exactly).

    python tests/bench/query_digests.py --digests before.json [--work /tmp/searcher-bench] [--sizes 1,10]
        [--modes "first page,deep"] [--no-similar]
    python tests/bench/query_digests.py --compare before.json [the same --sizes, --modes]

Run it with PYTHONPATH set to the checkout being recorded (the main one for --digests, the changed
one for --compare). Modes: the terminal's first page, a deep page past the re-scored depth, page 3,
every word required, date order with facets and timeline, RM3's expansion, uncollapsed copies, and
similar articles to each query's first hit.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))  # this checkout's searcher, not the installed one
from query import load_queries  # noqa: E402

# Scores may differ in their last bits where a sum is taken in another order; ranks may not.
SCORE_TOLERANCE = 1e-9

MODES = {
    "first page": {"limit": 10, "copy_ids": 3},
    "deep": {"limit": 70, "copy_ids": 3},
    "page 3": {"limit": 10, "page": 3},
    "all words": {"limit": 10, "match": "all"},
    "newest with facets and timeline": {"limit": 10, "sort": "newest", "facets": True, "timeline": True},
    "expand": {"limit": 10, "expand": True},
    "copies shown": {"limit": 20, "collapse": False},
}


def answers(index: Path, queries: list[str], modes: list[str], with_similar: bool) -> dict[str, dict]:
    """Every query's answer in every mode, as plain data."""
    from searcher.engine import open_engine
    from searcher.errors import SearcherError
    from searcher.models import SearchOptions
    from searcher.search import search, similar
    from searcher.search.query import parse_query

    engine = open_engine(index)
    found: dict[str, dict] = {}
    for mode in modes:
        options = SearchOptions(**MODES[mode], time_limit=None)  # a busy machine must not change answers
        for text in queries:
            try:
                matches = engine.search(parse_query(text, options.match), options)
                shown = search(index, text, options)
            except SearcherError as error:
                found[f"{mode}\t{text}"] = {"error": str(error)}
                continue
            found[f"{mode}\t{text}"] = {
                "total": matches.total,
                "ranked": [[m.id, m.score, m.copies, list(m.duplicates)] for m in matches.matches],
                "shown": hashlib.sha256(repr(shown).encode("utf-8")).hexdigest(),
            }
    for text in queries if with_similar else ():
        first = found[f"first page\t{text}"].get("ranked")
        if first:
            result = similar(index, first[0][0], SearchOptions(limit=10, time_limit=None))
            found[f"similar\t{text}"] = {"total": result.total, "ranked": [[h.id, h.score] for h in result.hits]}
    return found


def differences(expected: dict[str, dict], actual: dict[str, dict]) -> list[str]:
    """Each answer that is not as recorded, one line each."""
    lines = []
    for key, want in expected.items():
        got = actual.get(key)
        if got is None:
            lines.append(f"{key}: missing")
        elif not _same(want, got):
            lines.append(f"{key}: {json.dumps(want)[:200]} -> {json.dumps(got)[:200]}")
    return lines


def _same(want: object, got: object) -> bool:
    if isinstance(want, float) and isinstance(got, float):
        return abs(want - got) <= SCORE_TOLERANCE
    if isinstance(want, list) and isinstance(got, list):
        return len(want) == len(got) and all(_same(a, b) for a, b in zip(want, got, strict=True))
    if isinstance(want, dict) and isinstance(got, dict):
        return want.keys() == got.keys() and all(_same(want[k], got[k]) for k in want)
    return want == got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/searcher-bench"))
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--modes", default=",".join(MODES), help="Modes to record, comma-separated.")
    parser.add_argument("--no-similar", action="store_true", help="Leave out similar articles.")
    parser.add_argument("--digests", type=Path, help="Write every answer here.")
    parser.add_argument("--compare", type=Path, help="Compare every answer with a file --digests wrote.")
    args = parser.parse_args()
    queries = load_queries()
    recorded = {}
    for copies in args.sizes.split(","):
        index = args.work / f"searcher-parallel-{copies}"
        modes = args.modes.split(",")
        recorded[copies] = answers(index, queries, modes, "first page" in modes and not args.no_similar)
        print(f"{copies}x: {len(recorded[copies])} answers from {index}", flush=True)
    if args.digests:
        args.digests.write_text(json.dumps(recorded, indent=0), encoding="utf-8")
        print(f"wrote {args.digests}")
    if args.compare:
        expected = json.loads(args.compare.read_text(encoding="utf-8"))
        changed = [
            f"{size}x {line}" for size in recorded for line in differences(expected.get(size, {}), recorded[size])
        ]
        changed += [f"{size}x: not recorded in {args.compare}" for size in recorded if size not in expected]
        print("\n".join(changed[:20]))
        if changed:
            sys.exit(f"{len(changed)} answers differ from {args.compare}")
        print(f"every answer as in {args.compare}")


if __name__ == "__main__":
    main()
