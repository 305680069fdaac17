"""Cleaner quality and speed on real pages nobody here wrote, against trafilatura and no cleaning.

Data (each skipped when absent), under --data (default ../shared/data):
- article-extraction/scrapinghub-aeb: 181 pages with their article body; scored as that benchmark's
  evaluate.py does: word 4-gram shingles, per-page precision and recall, macro-averaged, F1 of the means.
- article-extraction/trafilatura-eval: 990 pages with must-have and must-not-have snippets; scored as
  trafilatura's own evaluation does: exact snippet presence, counts summed over pages (micro).
- news-html/trafilatura-eval-pages-with-comments.json: comment snippets of 142 of those pages; a
  leak is a comment snippet found in the output of a page whose article text is otherwise found.
- article-extraction/{dragnet (test split), cleaneval (final), readability, cleanportaleval,
  wcxb-dev (articles; forums and the other page kinds reported apart)}: pages with their gold main
  text; scored by word-F1 as WCXB computes it: lower-cased \\w+ tokens as multisets, per page F1
  (an empty gold scores 1 for an empty output, else 0), averaged over pages. Dragnet's gold is cut
  where its comments start (comments are not content); on its pages whose gold holds a comment
  thread (114 of the test split), the share of the thread's words found in the output (a word
  counts when a word 4-gram holding it is in the output and not in the story), over all their words.
- reuters21578: 1,000 newswire stories (hard-wrapped lines) saved as text: the share of their words
  text mode keeps (all of it is story).

Systems, in the same run: searcher on the HTML; searcher on the page flattened to plain text three
ways (all visible text, one block per line, as a naive scraper saves it: the seeds' situation; a
browser's innerText, blank lines between paragraphs; a text browser's dump, wrapped at 72 columns);
no cleaning (the page's full text); trafilatura with comments excluded (`pip install trafilatura`,
skipped when missing); unless --no-peers, also trafilatura in precision mode, readability-lxml,
resiliparse, rs-trafilatura and jusText where installed. Time is cleaning only (pages are read and
decoded before the clock starts), one process; each system's fastest of --rounds passes (default
3), the systems taking turns pass by pass.

    python tests/bench/clean.py [--data ../shared/data] [--sample N] [--sets a,b] [--no-peers] [--json FILE]

--sample N takes a fixed sample of each set: every k-th page in id order, k the smallest step that
leaves at most N pages (the same pages in every run, so two runs compare page for page).
"""

from __future__ import annotations

import argparse
import gzip
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
from common import table, write_json  # noqa: E402
from extraction import (  # noqa: E402
    DRAGNET_COMMENTS,
    SPACE,
    WORD,
    WORD_F1_SETS,
    aeb_scores,
    fixed_sample,
    flatten,
    flatten_inner_text,
    flatten_text_browser,
    full_text,
    word_f1,
)  # fmt: skip

from searcher.clean import clean  # noqa: E402
from searcher.models import SourceDocument  # noqa: E402
from searcher.sources import decode  # noqa: E402

Page = tuple[str, str]  # (page id, HTML)
Extractor = Callable[[str], str]


# --- the systems -----------------------------------------------------------------------------------


def searcher_html(html: str, with_title: bool = False) -> str:
    return _text(clean(SourceDocument("page", Path("page.html"), "html", html)), with_title)


def searcher_text(flat: str, with_title: bool = False) -> str:
    return _text(clean(SourceDocument("page", Path("page.txt"), "text", flat)), with_title)


def _text(result, with_title: bool) -> str:  # noqa: ANN001 - a CleanedDocument
    """The body (an article body is what scrapinghub-aeb's truth holds), or the title and body as
    indexed (trafilatura-eval's snippets include headlines, which its extractor keeps in the text)."""
    return f"{result.title}\n{result.body}" if with_title else result.body


def trafilatura_extractor(precision: bool = False) -> Extractor | None:
    try:
        import trafilatura
    except ImportError:
        return None
    return lambda html: trafilatura.extract(html, include_comments=False, favor_precision=precision) or ""


def _readability() -> Extractor:
    import lxml.html
    from readability import Document

    return lambda html: lxml.html.fromstring(Document(html).summary()).text_content()


def _resiliparse() -> Extractor:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    return lambda html: extract_plain_text(HTMLTree.parse(html), main_content=True)


def _rs_trafilatura() -> Extractor:
    import rs_trafilatura

    return lambda html: rs_trafilatura.extract(html, include_comments=False).main_content or ""


def _justext() -> Extractor:
    import justext

    stoplist = justext.get_stoplist("English")

    def kept(html: str) -> str:
        return "\n".join(p.text for p in justext.justext(html.encode("utf-8"), stoplist) if not p.is_boilerplate)

    return kept


def _trafilatura_precision() -> Extractor:
    import trafilatura  # noqa: F401 - an ImportError here names the missing peer

    return trafilatura_extractor(precision=True)


OTHER_PEERS: dict[str, Callable[[], Extractor]] = {
    "trafilatura (precision mode)": _trafilatura_precision,
    "readability-lxml": _readability,
    "resiliparse": _resiliparse,
    "rs-trafilatura": _rs_trafilatura,
    "justext": _justext,
}


def peer_extractors() -> dict[str, Extractor]:
    """The other peers that are installed (`pip install readability-lxml resiliparse justext
    rs-trafilatura`): trafilatura in precision mode, readability-lxml's summary as text,
    resiliparse's main-content text, rs-trafilatura's main content (comments excluded; it
    classifies the page's kind itself), jusText's non-boilerplate paragraphs (its English
    stoplist: the sets are mostly English and German, and it has no language detection).
    A peer that cannot be loaded is named with the reason, so a table without it says why."""
    peers: dict[str, Extractor] = {}
    for name, load in OTHER_PEERS.items():
        try:
            peers[name] = load()
        except ImportError as error:
            print(f"peer left out: {name} ({error})", file=sys.stderr)
    return peers


# --- the metrics -----------------------------------------------------------------------------------


def norm(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def snippet_scores(outputs: dict[str, str], annotations: dict[str, dict]) -> dict[str, float]:
    """trafilatura's evaluation: must-have snippets found (TP), must-not-have found (FP), summed."""
    tp = fn = fp = tn = 0
    for page, note in annotations.items():
        out = norm(outputs.get(page, ""))
        found = sum(norm(s) in out for s in note["with"])
        leaked = sum(norm(s) in out for s in note["without"])
        tp, fn = tp + found, fn + len(note["with"]) - found
        fp, tn = fp + leaked, tn + len(note["without"]) - leaked
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
        "precision": precision,
        "recall": recall,
        "accuracy": (tp + tn) / max(tp + tn + fp + fn, 1),
    }


def dragnet_comments(root: Path, ids: list[str]) -> dict[str, tuple[str, str]]:
    """Each of these Dragnet pages whose gold holds a comment thread: (its story, its comments),
    the gold split where its marker says the comments start."""
    threads = {}
    for pid in ids:
        raw = (root / "Corrected" / f"{pid}.html.corrected.txt").read_text(encoding="utf-8", errors="replace")
        story, marker, comments = raw.partition(DRAGNET_COMMENTS)
        if marker and comments.strip():
            threads[pid] = (story, comments)
    return threads


LEAK_GRAM = 4  # a comment word leaks when a word 4-gram holding it is in the output but not in the story


def comment_words_leaked(outputs: dict[str, str], threads: dict[str, tuple[str, str]]) -> dict:
    """The share of the comment threads' words found in the output, over all commented pages
    (micro) and per page (macro). A word counts when a 4-gram of lower-cased \\w+ words holding it
    is in the output and not in the story: single common words say nothing, and a reader quoting
    the story leaks nothing the story does not hold."""
    leaked = total = 0
    shares = []
    for page, (story, comments) in threads.items():
        tokens = WORD.findall(comments.lower())
        grams = _grams(WORD.findall(outputs.get(page, "").lower())) - _grams(WORD.findall(story.lower()))
        covered = [False] * len(tokens)
        for i in range(len(tokens) - LEAK_GRAM + 1):
            if tuple(tokens[i : i + LEAK_GRAM]) in grams:
                covered[i : i + LEAK_GRAM] = [True] * LEAK_GRAM
        leaked, total = leaked + sum(covered), total + len(tokens)
        shares.append(sum(covered) / max(len(tokens), 1))
    return {
        "pages": len(threads),
        "comment_words": total,
        "leaked_share": leaked / max(total, 1),
        "leaked_share_per_page": sum(shares) / max(len(shares), 1),
        "pages_leaking_over_10pct": sum(share > 0.1 for share in shares),
    }


def _grams(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + LEAK_GRAM]) for i in range(len(tokens) - LEAK_GRAM + 1)}


def comment_leaks(outputs: dict[str, str], annotations: dict[str, dict], comments: dict[str, list[str]]) -> dict:
    """Comment snippets left in the output of pages whose article text is otherwise found."""
    checked = leaked = 0
    pages, leaks = [], []
    for page, snippets in comments.items():
        out = norm(outputs.get(page, ""))
        if not any(norm(s) in out for s in annotations[page]["with"]):
            continue
        checked += 1
        found = [s for s in snippets if norm(s) and norm(s) in out]  # a few annotations are empty
        leaked += len(found)
        if found:
            pages.append(page)
            leaks.extend(found)
    return {"pages_checked": checked, "snippets_leaked": leaked, "pages_leaking": pages, "leaked": leaks}


# --- running ---------------------------------------------------------------------------------------


def run(extract: Extractor, inputs: dict[str, str]) -> tuple[dict[str, str], float]:
    """Each page's output (empty when the extractor raises) and the seconds spent."""
    outputs, started = {}, time.perf_counter()
    for page, content in inputs.items():
        try:
            outputs[page] = extract(content)
        except Exception as error:  # a benchmark row, not a crash: trafilatura raises on odd pages
            print(f"  {page}: {type(error).__name__}: {error}", file=sys.stderr)
            outputs[page] = ""
    return outputs, time.perf_counter() - started


def load_aeb(root: Path, limit: int | None, size: int | None = None) -> tuple[dict[str, str], dict[str, str]]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    ids = fixed_sample(list(truth), size)[:limit]
    pages = {i: gzip.decompress((root / "html" / f"{i}.html.gz").read_bytes()).decode("utf-8") for i in ids}
    return pages, {i: truth[i]["articleBody"] for i in ids}


def load_trafilatura_eval(
    root: Path, limit: int | None, size: int | None = None
) -> tuple[dict[str, str], dict[str, dict]]:
    annotations = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    urls = fixed_sample(list(annotations), size)[:limit]
    pages = {
        u: decode(gzip.decompress((root / "html" / f"{annotations[u]['file']}.gz").read_bytes()), html=True)
        for u in urls
    }
    return pages, {u: annotations[u] for u in urls}


PEERS = True  # --no-peers: searcher, no cleaning and trafilatura only


def systems(pages: dict[str, str], with_title: bool) -> dict[str, tuple[Extractor, dict[str, str]]]:
    """Each system with the inputs it takes: HTML, or the flattened text (made before timing)."""
    flattenings = {
        "flattened page": flatten,
        "innerText": flatten_inner_text,
        "text-browser dump": flatten_text_browser,
    }
    as_text = {name: {page: to_text(html) for page, html in pages.items()} for name, to_text in flattenings.items()}
    chosen: dict[str, tuple[Extractor, dict[str, str]]] = {
        "searcher (HTML)": (lambda html: searcher_html(html, with_title), pages),
        **{
            f"searcher (text: {name})": (lambda text: searcher_text(text, with_title), flat)
            for name, flat in as_text.items()
        },
        "no cleaning (full page text)": (full_text, pages),
    }
    trafilatura = trafilatura_extractor()
    if trafilatura:
        chosen["trafilatura (comments excluded)"] = (trafilatura, pages)
    if PEERS:
        chosen.update({name: (extract, pages) for name, extract in peer_extractors().items()})
    return chosen


def measure(
    pages: dict[str, str], score: Callable[[dict[str, str]], dict], with_title: bool, rounds: int
) -> dict[str, dict]:
    """Each system's scores (from its first pass) and speed: its fastest of `rounds` passes, the
    systems taking turns pass by pass, so that a slow spell of the machine cannot favour one."""
    chosen = systems(pages, with_title)
    outputs: dict[str, dict[str, str]] = {}
    fastest: dict[str, float] = {}
    for _ in range(rounds):
        for name, (extract, inputs) in chosen.items():
            produced, seconds = run(extract, inputs)
            outputs.setdefault(name, produced)
            fastest[name] = min(seconds, fastest.get(name, seconds))
    results = {}
    for name, (_, inputs) in chosen.items():
        megabytes = sum(len(c.encode("utf-8")) for c in inputs.values()) / 1e6
        seconds = fastest[name]
        results[name] = score(outputs[name]) | {
            "seconds": seconds,
            "pages_per_s": len(inputs) / seconds,
            "mb_per_s": megabytes / seconds,
        }
        results[name]["_outputs"] = outputs[name]
        print(f"  {name}: {seconds:.1f}s (fastest of {rounds})", file=sys.stderr)
    return results


def rows(results: dict[str, dict], columns: list[str]) -> list[list[object]]:
    reference = results.get("trafilatura (comments excluded)")
    out = []
    for name, r in results.items():
        speed = f"{r['pages_per_s'] / reference['pages_per_s']:.2f}x" if reference else "-"
        out.append([name, *(r[c] for c in columns), round(r["pages_per_s"], 1), round(r["mb_per_s"], 2), speed])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--limit", type=int, help="Only the first N pages of each set (a quick look).")
    parser.add_argument("--sample", type=int, help="A fixed sample of at most N pages per set (see above).")
    parser.add_argument("--sets", help="Comma-separated set names to run (default: all); e.g. aeb,dragnet.")
    parser.add_argument("--rounds", type=int, default=3, help="Passes per system; speed is the fastest.")
    parser.add_argument("--no-peers", action="store_true", help="Only trafilatura as a peer (a quicker run).")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    global PEERS
    PEERS = not args.no_peers
    warnings.filterwarnings("ignore")  # bs4 and trafilatura warn about odd pages
    report: dict = {}
    speed = ["pages/s", "MB/s", "pages/s vs trafilatura"]

    aeb = args.data / "article-extraction" / "scrapinghub-aeb"
    wanted = set(args.sets.split(",")) if args.sets else None

    def chosen(name: str) -> bool:
        return wanted is None or name in wanted

    if not chosen("aeb"):
        pass
    elif (aeb / "ground-truth.json").exists():
        pages, truth = load_aeb(aeb, args.limit, args.sample)
        results = measure(pages, lambda outputs: aeb_scores(outputs, truth), with_title=False, rounds=args.rounds)
        print(f"scrapinghub-aeb: {len(pages)} pages; 4-gram shingle P/R macro, F1 of the means")
        print(
            table(["system", "F1", "P", "R", "exact", *speed], rows(results, ["f1", "precision", "recall", "accuracy"]))
        )
        report["scrapinghub_aeb"] = _without_outputs(results)
    else:
        print(f"skipped scrapinghub-aeb: nothing at {aeb}")

    evaluation = args.data / "article-extraction" / "trafilatura-eval"
    if not chosen("trafilatura-eval"):
        pass
    elif (evaluation / "evaldata.json").exists():
        pages, annotations = load_trafilatura_eval(evaluation, args.limit, args.sample)
        results = measure(
            pages, lambda outputs: snippet_scores(outputs, annotations), with_title=True, rounds=args.rounds
        )
        comments = {u: a["comments"] for u, a in annotations.items() if a.get("comments")}
        for r in results.values():
            r["comments"] = comment_leaks(r["_outputs"], annotations, comments)
        print()
        print(f"trafilatura-eval: {len(pages)} pages; snippet P/R micro; comments: {len(comments)} pages")
        columns = ["f1", "precision", "recall", "accuracy"]
        table_rows = rows(results, columns)
        for row, r in zip(table_rows, results.values(), strict=True):
            row.insert(5, f"{r['comments']['snippets_leaked']} in {r['comments']['pages_checked']}")
        print(table(["system", "F1", "P", "R", "acc", "comments leaked", *speed], table_rows))
        report["trafilatura_eval"] = _without_outputs(results)
    else:
        print(f"skipped trafilatura-eval: nothing at {evaluation}")
    for name, (folder, load, about) in WORD_F1_SETS.items():
        root = args.data / "article-extraction" / folder
        if not chosen(name.split()[0]) and not chosen(name):
            continue
        if not root.is_dir():
            print(f"skipped {name}: nothing at {root}")
            continue
        pages, gold = load(root, args.sample)
        pages = dict(list(pages.items())[: args.limit])
        results = measure(
            pages, lambda outputs, gold=gold: word_f1(outputs, gold), with_title=False, rounds=args.rounds
        )
        print()
        print(f"{name}: {len(pages)} pages ({about}); word-F1 per page, averaged")
        columns, headers = ["f1", "precision", "recall"], ["system", "F1", "P", "R"]
        if folder == "dragnet":
            threads = dragnet_comments(root, list(pages))
            for r in results.values():
                r["comments"] = comment_words_leaked(r["_outputs"], threads)
                r["comment_words_leaked"] = f"{r['comments']['leaked_share']:.1%}"
            columns, headers = [*columns, "comment_words_leaked"], [*headers, f"comments leaked ({len(threads)} pages)"]
        print(table([*headers, *speed], rows(results, columns)))
        report[name] = _without_outputs(results)
    newswire = args.data / "reuters21578"
    if not chosen("newswire"):
        pass
    elif sorted(newswire.glob("*.sgm")):
        report["newswire_text"] = newswire_kept(sorted(newswire.glob("*.sgm"))[0], args.limit or NEWSWIRE_STORIES)
        r = report["newswire_text"]
        print()
        print(f"newswire as text ({r['stories']} Reuters stories, hard-wrapped, saved as title + text):")
        print(table(["kept share of words", "stories losing over 10%"], [[r["kept_share"], r["losing_over_10pct"]]]))
    else:
        print(f"skipped newswire text: no Reuters SGML at {newswire}")
    if report:
        print(f"wrote {write_json('clean', report, args.json)}")


NEWSWIRE_STORIES = 1000


def newswire_kept(sgml: Path, limit: int) -> dict:
    """Text mode on newswire saved as text files: every word of a story should stay (none of it is
    furniture), so the share kept measures what cropping wrongly takes away."""
    from reuters import stories

    kept = total = losing = count = 0
    for story in stories(sgml):
        if count >= limit:
            break
        count += 1
        body = searcher_text(f"{story['title']}\n\n{story['text']}")
        words, left = len(story["text"].split()), len(body.split())
        kept, total = kept + min(left, words), total + words
        losing += left < 0.9 * words
    return {"stories": count, "kept_share": kept / max(total, 1), "losing_over_10pct": losing}


def _without_outputs(results: dict[str, dict]) -> dict[str, dict]:
    return {name: {k: v for k, v in r.items() if k != "_outputs"} for name, r in results.items()}


if __name__ == "__main__":
    main()
