"""Publication dates measured on pages and stories nobody here wrote, three ways:

1. HTML: WCXB dev pages whose gold states a publish_date: exact-day accuracy and share wrong, for
   searcher and for htmldate (trafilatura's date library, the anchor) in the same run, both given
   the page's URL as a saved page's canonical link would give it.
2. Text: Reuters-21578 stories saved as plain text as the wire printed them (headline, blank line,
   dateline and story: "PARIS, March 9 - The Bank of France ..."), without their metadata, under a
   path with no date: share dated right (the same month), right only to the year
   (a date of year precision), wrong, and undated.
3. BBC News (2,225 stories of 2004-2005 saved as text): share dated, and share dated outside
   2004-2005 (all wrong).

    python tests/bench/dates.py [--data ../shared/data] [--reuters-every 5] [--json FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))  # this checkout's searcher, not the installed one

from common import table, write_json  # noqa: E402
from reuters import stories  # noqa: E402

from searcher.enrich.dates import period_bounds  # noqa: E402
from searcher.enrich.topics import load_taxonomy  # noqa: E402
from searcher.models import ArticleDate, SourceDocument  # noqa: E402
from searcher.pipeline import process  # noqa: E402


def _period(found: ArticleDate) -> tuple[date, date]:
    return period_bounds(found.display())


def html_pages(data: Path) -> list[tuple[str, str, str | None, date]]:
    """(page id, HTML, URL, gold day) for every WCXB dev page whose gold has a publish_date."""
    root = data / "article-extraction" / "wcxb-dev"
    pages = []
    for gold_file in sorted((root / "ground-truth").glob("*.json")):
        record = json.loads(gold_file.read_text(encoding="utf-8"))
        stated = (record.get("ground_truth") or {}).get("publish_date")
        if not stated:
            continue
        try:
            gold = date.fromisoformat(str(stated)[:10])
        except ValueError:
            continue
        with gzip.open(root / "html" / f"{gold_file.stem}.html.gz") as handle:
            html = handle.read().decode("utf-8", "replace")
        pages.append((gold_file.stem, html, record.get("url"), gold))
    return pages


def measure_html(pages: list, taxonomy) -> dict:  # noqa: ANN001 - a Taxonomy
    """Exact-day accuracy and share wrong, searcher beside htmldate."""
    from htmldate import find_date

    counts = {"searcher": {"right": 0, "wrong": 0, "none": 0}, "htmldate": {"right": 0, "wrong": 0, "none": 0}}
    seconds = {"searcher": 0.0, "htmldate": 0.0}
    for page_id, html, url, gold in pages:
        started = time.perf_counter()
        article = process(SourceDocument(page_id, Path(f"{page_id}.html"), "html", html, url=url), taxonomy)
        seconds["searcher"] += time.perf_counter() - started
        ours = article.date.value if article.date and article.date.precision == "day" else None
        if article.date and article.date.precision != "day":
            counts["searcher"]["wrong" if not _holds(article.date, gold) else "none"] += 1
        else:
            counts["searcher"][_verdict(ours, gold)] += 1
        started = time.perf_counter()
        try:
            theirs = find_date(html, url=url, original_date=True)
        except Exception:  # noqa: BLE001 - a peer's failure on one page is its miss, not the bench's end
            theirs = None
        seconds["htmldate"] += time.perf_counter() - started
        counts["htmldate"][_verdict(date.fromisoformat(theirs) if theirs else None, gold)] += 1
    return {name: _shares(c, len(pages)) | {"seconds": seconds[name]} for name, c in counts.items()}


def _holds(found: ArticleDate, gold: date) -> bool:
    first, last = _period(found)
    return first <= gold <= last


def _verdict(found: date | None, gold: date) -> str:
    return "none" if found is None else "right" if found == gold else "wrong"


def _shares(counts: dict[str, int], total: int) -> dict:
    return {"count": total, **{key: value / total for key, value in counts.items()}}


def _share(share: float, total: int) -> str:
    """A share with its count, so that a handful of articles does not read as none: 0.000 (2)."""
    return f"{share:.3f} ({round(share * total)})"


def reuters_texts(data: Path, every: int, development: bool = False) -> list[tuple[str, str, date]]:
    """(id, the story saved as text, true day) for every Nth Reuters story with a body and a date
    (the check sample), or with development, for every other one (where the rules for a dateline's
    year were chosen)."""
    picked = []
    for sgml in sorted((data / "reuters21578").glob("reut2-*.sgm")):
        for record in stories(sgml, with_dateline=True):
            if record["date"] and record["text"] != record["title"] and record["text"] != "(empty)":
                story = f"{record['dateline']} {record['text']}".strip()
                picked.append((record["id"], f"{record['title']}\n\n{story}\n", record["date"]))
    chosen = [item for n, item in enumerate(picked) if n % every] if development else picked[::every]
    return [(i, text, date.fromisoformat(day[:10])) for i, text, day in chosen]


def measure_text(items: list[tuple[str, str, date]], taxonomy) -> dict:  # noqa: ANN001 - a Taxonomy
    """Right to the month or finer, right only to the year, wrong, undated."""
    counts = {"right": 0, "right_year_only": 0, "wrong": 0, "undated": 0}
    by_source: dict[str, dict[str, int]] = {}
    wrong_examples = []
    for story_id, text, gold in items:
        article = process(SourceDocument(story_id, Path(f"saved/{story_id}.txt"), "text", text), taxonomy)
        found = article.date
        if found is None:
            counts["undated"] += 1
            continue
        if found.precision == "year":
            verdict = "right_year_only" if found.value.year == gold.year else "wrong"
        else:
            verdict = "right" if found.value.replace(day=1) == gold.replace(day=1) else "wrong"
        counts[verdict] += 1
        tally = by_source.setdefault(found.source, {"right": 0, "right_year_only": 0, "wrong": 0})
        tally[verdict] += 1
        if verdict == "wrong":
            wrong = {"id": story_id, "date": found.display(), "true": gold.isoformat(), "title": article.title}
            wrong_examples.append(wrong)
    return _shares(counts, len(items)) | {"sources": by_source, "wrong_examples": wrong_examples}


def bbc_texts(data: Path) -> list[tuple[str, str, date]]:
    """(id, text, 2004-07-01) for every BBC story: the gold is only "in 2004-2005"."""
    root = data / "bbc-news"
    return [
        (f"{p.parent.name}/{p.name}", p.read_bytes().decode("latin-1"), date(2005, 1, 1))
        for p in sorted(root.glob("*/*.txt"))
    ]


def measure_bbc(items: list[tuple[str, str, date]], taxonomy) -> dict:  # noqa: ANN001 - a Taxonomy
    """Share dated, share dated outside 2004-2005; each wrong one listed for reading."""
    dated, outside = 0, []
    for story_id, text, _ in items:
        article = process(SourceDocument(story_id, Path(f"bbc/{story_id}"), "text", text), taxonomy)
        if article.date is None:
            continue
        dated += 1
        first, last = _period(article.date)
        if first < date(2004, 1, 1) or last > date(2005, 12, 31):
            outside.append({"id": story_id, "date": article.date.display(), "title": article.title})
    total = len(items)
    return {"count": total, "dated": dated / total, "wrong": len(outside) / total, "wrong_examples": outside}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--reuters-every", type=int, default=5, help="Take every Nth Reuters story (default 5).")
    parser.add_argument("--skip-html", action="store_true", help="Only the two text measurements.")
    parser.add_argument(
        "--development",
        action="store_true",
        help="Reuters: the stories outside the check sample, where the rules for a dateline's year were chosen.",
    )
    parser.add_argument(
        "--json", type=Path, help="Where to write the results (default tests/bench/results/dates.json)."
    )
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: no data at {args.data}")
        return
    taxonomy = load_taxonomy()
    results: dict = {}

    if not args.skip_html:
        pages = html_pages(args.data)
        html = results["html"] = measure_html(pages, taxonomy)
        rows = [[name, r["right"], r["wrong"], r["none"], f"{r['seconds']:.1f}"] for name, r in html.items()]
        print(f"1. HTML: {len(pages)} WCXB dev pages with a gold publish_date (exact day)")
        print(table(["system", "right", "wrong", "no date", "seconds"], rows))
        ratio = html["searcher"]["right"] / html["htmldate"]["right"]
        print(f"ratio searcher/htmldate exact-day accuracy: {ratio:.3f}x\n")

    reuters_items = reuters_texts(args.data, args.reuters_every, args.development)
    reuters = results["reuters_text"] = measure_text(reuters_items, taxonomy)
    bbc = results["bbc_text"] = measure_bbc(bbc_texts(args.data), taxonomy)
    every = args.reuters_every
    sample = f"all but every {every}th: development" if args.development else f"every {every}th"
    print(f"2. Text: {reuters['count']} Reuters stories saved as text ({sample})")
    keys = ["right", "right_year_only", "wrong", "undated"]
    print(table(["right (month or day)", "right (year only)", "wrong", "undated"],
                [[_share(reuters[k], reuters["count"]) for k in keys]]))  # fmt: skip
    print(f"   date sources: {reuters['sources']}")
    for example in reuters["wrong_examples"][:10]:
        print(f"   {example['date']} (true {example['true']})  {example['id']}  {example['title'][:60]}")
    print()
    print(f"3. BBC News: {bbc['count']} stories saved as text")
    print(
        table(
            ["dated", "dated outside 2004-2005 (wrong)"], [[_share(bbc[k], bbc["count"]) for k in ("dated", "wrong")]]
        )
    )
    for example in bbc["wrong_examples"][:10]:
        print(f"   {example['date']}  {example['id']}  {example['title'][:70]}")
    print(f"wrote {write_json('dates', results, args.json)}")


if __name__ == "__main__":
    main()
