"""What the `site:` and `path:` filter fields (schema 5) cost to index: the BBC's cleaned articles
written into a Whoosh index with those fields filled, and with them left empty, in the same run.

Each variant is timed three times, the two taking turns, and its fastest pass is reported (this
machine's speed drifts in spells longer than a pass).

    python tests/bench/place_fields.py [--data ../shared/data/bbc-news]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))  # this checkout's searcher, not the installed one

from common import table, write_json  # noqa: E402

from searcher.engine.whoosh.store import build_schema  # noqa: E402
from searcher.engine.whoosh.writers import WRITER_LIMIT_MB, article_fields  # noqa: E402
from searcher.enrich.topics import default_taxonomy_path, load_taxonomy  # noqa: E402
from searcher.pipeline import process  # noqa: E402
from searcher.sources import find_files, read_documents  # noqa: E402

PLACE_FIELDS = ("site", "folders")
PASSES = 3


def cleaned_fields(data: Path) -> list[dict]:
    """Every article under data, cleaned and enriched, as the fields the index stores."""
    found, _ = find_files([data])
    taxonomy = load_taxonomy(default_taxonomy_path())
    return [article_fields(process(d, taxonomy)) for f in found for d in read_documents(f)[0]]


def write_seconds(documents: list[dict]) -> float:
    """Seconds to write and commit the documents into a fresh index of searcher's schema."""
    folder = Path(tempfile.mkdtemp(prefix="searcher-place-fields-"))
    try:
        ix = whoosh_index.create_in(str(folder), build_schema())
        started = time.perf_counter()
        writer = SegmentWriter(ix, limitmb=WRITER_LIMIT_MB)
        for document in documents:
            writer.add_document(**document)
        writer.commit()
        return time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/bbc-news"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"skipped: no data at {args.data}")
    filled = cleaned_fields(args.data)
    empty = [{k: v for k, v in doc.items() if k not in PLACE_FIELDS} for doc in filled]
    terms = sum(doc["folders"].count("\n") + 1 + bool(doc["site"]) for doc in filled) / len(filled)
    passes: dict[str, list[float]] = {"place fields filled": [], "place fields empty (baseline)": []}
    for _ in range(PASSES):
        for name, documents in zip(passes, (filled, empty), strict=True):
            passes[name].append(write_seconds(documents))
    best = {name: min(times) for name, times in passes.items()}
    baseline = best["place fields empty (baseline)"]
    rows = [[name, f"{seconds:.2f}", f"{len(filled) / seconds:,.0f}", f"{seconds / baseline:.3f}x"]
            for name, seconds in best.items()]  # fmt: skip
    print(f"{len(filled):,} articles, {terms:.1f} place terms each on average")
    print(table(["variant", "seconds", "docs/s", "time vs baseline"], rows))
    write_json("place_fields", {"articles": len(filled), "place_terms_per_article": terms, "seconds": best}, args.json)


if __name__ == "__main__":
    main()
