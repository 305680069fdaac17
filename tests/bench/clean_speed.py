"""The cleaner's speed against trafilatura on every extraction set, and a digest of its HTML output
per page, so that a change made for speed can be shown to leave every page's output as it was.

For each set under --data/article-extraction (a fixed sample, as tests/bench/clean.py takes it),
searcher's HTML mode, its text mode (on the page flattened one line a block, before the clock) and
trafilatura (comments excluded, skipped when not installed) take turns for --rounds passes; each
system's speed is its fastest pass (pages are decoded before the clock starts); the ratio is
trafilatura's time over searcher's, on the clock and in this process's CPU time, and for text mode
on the clock (trafilatura's HTML time over searcher's text time). Each page's cleaned output
(title, paragraphs, dropped blocks and their reasons, dates, url, site name, no-story verdict) is
hashed; --digests FILE writes the hashes, --compare FILE checks them against a file written by
another checkout and names every page whose output differs.

    python tests/bench/clean_speed.py [--data ../shared/data] [--sample 100] [--sets a,b]
        [--rounds 3] [--digests FILE] [--compare FILE] [--no-peers] [--json FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))
sys.path.insert(0, str(HERE.parent))
from clean import load_aeb, load_trafilatura_eval, trafilatura_extractor  # noqa: E402
from common import table, write_json  # noqa: E402
from extraction import WORD_F1_SETS, flatten  # noqa: E402

from searcher.clean import clean  # noqa: E402
from searcher.models import CleanedDocument, SourceDocument  # noqa: E402

Loader = Callable[[Path, int | None], dict[str, str]]


def _word_f1_loader(load: Callable) -> Loader:
    return lambda root, size: load(root, size)[0]


# set name: (folder under article-extraction, pages loader)
SETS: dict[str, tuple[str, Loader]] = {
    "aeb": ("scrapinghub-aeb", lambda root, size: load_aeb(root, None, size)[0]),
    "trafilatura-eval": ("trafilatura-eval", lambda root, size: load_trafilatura_eval(root, None, size)[0]),
    **{name: (folder, _word_f1_loader(load)) for name, (folder, load, _) in WORD_F1_SETS.items()},
}


def searcher_html(html: str) -> CleanedDocument:
    return clean(SourceDocument("page", Path("page.html"), "html", html))


def searcher_text(text: str) -> CleanedDocument:
    return clean(SourceDocument("page", Path("page.txt"), "text", text))


def digest(result: CleanedDocument) -> str:
    """A hash of everything the cleaner decides about a page."""
    shown = {
        "title": result.title,
        "title_is_headline": result.title_is_headline,
        "paragraphs": list(result.paragraphs),
        "dropped": [[d.text, d.reason] for d in result.dropped],
        "dates": [list(d) for d in result.date_candidates],
        "url": result.url,
        "site_name": result.site_name,
        "no_story": list(result.no_story) if result.no_story else None,
    }
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def timed(extract: Callable[[str], object], pages: dict[str, str]) -> tuple[dict[str, object], float, float]:
    """Each page's output (None where a peer raised), and the seconds the pass took: on the clock,
    and of this process's CPU (on a machine shared with other work, the clock also counts the
    time others had the processor)."""
    outputs: dict[str, object] = {}
    started, cpu = time.perf_counter(), time.process_time()
    for page, html in pages.items():
        try:
            outputs[page] = extract(html)
        except Exception:  # noqa: BLE001 - a peer's failure on an odd page is its result
            outputs[page] = None
    return outputs, time.perf_counter() - started, time.process_time() - cpu


Speeds = dict[str, tuple[float, float]]  # system: (fastest pass on the clock, fastest in CPU), seconds


def measure(pages: dict[str, str], rounds: int, peers: bool) -> tuple[dict[str, str], Speeds]:
    """Digests of searcher's HTML output per page, and each system's fastest pass, clock and CPU:
    searcher on the HTML and on the page flattened to text (one line a block, flattened before
    the clock starts: a user's text dump is already text), trafilatura on the HTML."""
    flattened = {page: flatten(html) for page, html in pages.items()}
    systems: dict[str, tuple[Callable[[str], object], dict[str, str]]] = {
        "searcher (HTML)": (searcher_html, pages),
        "searcher (text)": (searcher_text, flattened),
    }
    trafilatura = trafilatura_extractor() if peers else None
    if trafilatura:
        systems["trafilatura"] = (trafilatura, pages)
    fastest: Speeds = {}
    digests: dict[str, str] = {}
    for _ in range(rounds):
        for name, (extract, inputs) in systems.items():
            outputs, seconds, cpu = timed(extract, inputs)
            wall, used = fastest.get(name, (seconds, cpu))
            fastest[name] = (min(seconds, wall), min(cpu, used))
            if name == "searcher (HTML)" and not digests:
                digests = {page: digest(out) for page, out in outputs.items()}  # type: ignore[arg-type]
    return digests, fastest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--sample", type=int, default=100, help="A fixed sample of at most N pages per set.")
    parser.add_argument("--sets", help=f"Comma-separated sets (default: all of {', '.join(SETS)}).")
    parser.add_argument("--rounds", type=int, default=3, help="Passes per system; speed is the fastest.")
    parser.add_argument("--no-peers", action="store_true", help="searcher alone (digests without timing trafilatura).")
    parser.add_argument("--digests", type=Path, help="Write each page's output digest here.")
    parser.add_argument("--compare", type=Path, help="Compare the digests with a file --digests wrote.")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # bs4 and trafilatura warn about odd pages
    wanted = args.sets.split(",") if args.sets else list(SETS)
    unknown = [name for name in wanted if name not in SETS]
    if unknown:
        parser.error(f"unknown set: {', '.join(unknown)}")
    expected = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else {}
    all_digests: dict[str, dict[str, str]] = {}
    rows, report, differing = [], {}, 0
    for name in wanted:
        folder, load = SETS[name]
        root = args.data / "article-extraction" / folder
        if not root.is_dir():
            print(f"skipped {name}: nothing at {root}", file=sys.stderr)
            continue
        pages = load(root, args.sample)
        digests, fastest = measure(pages, args.rounds, not args.no_peers)
        all_digests[name] = digests
        changed = [p for p, d in digests.items() if name in expected and expected[name].get(p) != d]
        differing += len(changed)
        for page in changed:
            print(f"  {name}: output differs on {page}", file=sys.stderr)
        ours, text, theirs = fastest["searcher (HTML)"], fastest["searcher (text)"], fastest.get("trafilatura")
        wall_ratio = theirs[0] / ours[0] if theirs else None
        cpu_ratio = theirs[1] / ours[1] if theirs else None
        text_ratio = theirs[0] / text[0] if theirs else None
        same = "-" if name not in expected else ("yes" if not changed else f"{len(changed)} differ")
        shown = [round(len(pages) / theirs[0], 1), f"{wall_ratio:.2f}x", f"{cpu_ratio:.2f}x"] if theirs else ["-"] * 3
        text_shown = [round(len(pages) / text[0], 1), f"{text_ratio:.2f}x" if theirs else "-"]
        rows.append([name, len(pages), round(len(pages) / ours[0], 1), *shown, *text_shown, same])
        report[name] = {"pages": len(pages), "searcher_pages_per_s": len(pages) / ours[0],
                        "searcher_text_pages_per_s": len(pages) / text[0],
                        "trafilatura_pages_per_s": len(pages) / theirs[0] if theirs else None,
                        "ratio": wall_ratio, "cpu_ratio": cpu_ratio, "text_ratio": text_ratio,
                        "differing_pages": changed}  # fmt: skip
        print(f"  {name}: done", file=sys.stderr)
    headers = ["set", "pages", "searcher pages/s", "trafilatura pages/s", "ratio", "ratio (CPU)"]
    headers += ["text pages/s", "text ratio", "output same"]
    print(table(headers, rows))
    if args.digests:
        args.digests.write_text(json.dumps(all_digests, indent=1), encoding="utf-8")
    print(f"wrote {write_json('clean_speed', report, args.json)}")
    if differing:
        sys.exit(f"{differing} pages' output differs from {args.compare}")


if __name__ == "__main__":
    main()
