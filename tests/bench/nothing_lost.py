"""Nothing lost: articles indexed against articles offered, on corpora as users keep them, and the
index's behaviour when nothing changed and after a killed run.

Corpora: Reuters-21578 as a JSONL export (title, and body when there is one: 2,535 stories are
headlines only), the BBC News texts, saved pages (scrapinghub-aeb, .html.gz), and the same pages in
a web archive (.warc.gz, written here with warcio, with the request records and an image a crawl
holds besides). Every article offered must be indexed, or named with its reason.
Then: a run with nothing to do on 1,000 and on 21,578 articles (target: under 1 s each, fastest of
three), and `kill -9` of a parallel rebuild followed by `searcher index` (target: it succeeds at
once, no worker left behind).

    python tests/bench/nothing_lost.py [--data ../shared/data] [--work DIR]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))  # this checkout's searcher, not the installed one
from common import table, write_json  # noqa: E402
from reuters import STORY, stories, tag_text  # noqa: E402


def reuters_export(data: Path, out: Path) -> int:
    """Reuters as a news export has it: title and body, so a headline-only story has an empty text.
    Returns the stories offered."""
    out.mkdir(parents=True, exist_ok=True)
    offered = 0
    for sgml in sorted(data.glob("reut2-*.sgm")):
        with (out / f"{sgml.stem}.jsonl").open("w", encoding="utf-8") as handle:
            raw = sgml.read_text(encoding="latin-1")
            for record, (_, story) in zip(stories(sgml), STORY.findall(raw), strict=True):
                # As exports have it: the body, or nothing (a headline-only brief; or an unprocessed
                # story, its raw text left out, with neither title nor body: named, not indexed).
                handle.write(json.dumps({**record, "text": tag_text("BODY", story)}) + "\n")
                offered += 1
    return offered


def web_archive(pages: list[Path], out: Path) -> int:
    """The saved pages as a crawl writes them: a request and a response per page, and an image.
    Returns the pages offered."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record(out.name, {"software": "searcher bench"}))
        for number, page in enumerate(pages):
            uri = f"https://news.example/{number}/{page.name.removesuffix('.gz')}"
            body = gzip.decompress(page.read_bytes()) if page.suffix == ".gz" else page.read_bytes()
            _write(writer, uri, "request", b"GET / HTTP/1.1\r\n\r\n", None)
            _write(
                writer, uri, "response", body, StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
            )
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], "HTTP/1.1")
        _write(writer, "https://news.example/logo.png", "response", b"\x89PNG\r\n\x1a\n", image)
    return len(pages)


def _write(writer, uri: str, kind: str, payload: bytes, headers) -> None:  # noqa: ANN001 - warcio objects
    if headers is not None:
        headers.replace_header("Content-Length", str(len(payload)))
    record = writer.create_warc_record(
        uri, kind, payload=io.BytesIO(payload), length=len(payload), http_headers=headers
    )
    writer.write_record(record)


def indexed_count(index: Path) -> int:
    from searcher.search import index_stats

    return index_stats(index).documents


def coverage_row(name: str, corpus: list[Path], offered: int, work: Path) -> dict:
    from searcher.engine import close_engines
    from searcher.index import update_index

    index = work / f"index-{name}"
    shutil.rmtree(index, ignore_errors=True)
    report = update_index(index, corpus)
    close_engines()
    indexed = indexed_count(index)
    named = len(report.failed)
    return {
        "corpus": name,
        "offered": offered,
        "indexed": indexed,
        "named_failed": named,
        "unaccounted": offered - indexed - named,
        "skipped_not_articles": len(report.skipped),
        "share_indexed": indexed / offered if offered else 0.0,
        "reasons": sorted({reason for _, reason in report.failed})[:5],
    }


def no_change_seconds(index: Path, rounds: int = 3) -> float:
    """The fastest of a few runs of `searcher index` with nothing to do, as a whole process."""
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "searcher", "--index", str(index), "index", "-q"],
                       check=True, capture_output=True)  # fmt: skip
        timings.append(time.perf_counter() - started)
    return min(timings)


def killed_rebuild(index: Path) -> dict:
    """kill -9 of a parallel rebuild once its workers run, then a normal run: how long it took to
    succeed, and whether any worker outlived its parent."""
    command = [sys.executable, "-m", "searcher", "--index", str(index), "index", "--rebuild", "--jobs", "2", "-q"]
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
        workers = _children(run.pid)
    time.sleep(2.0)
    run.send_signal(signal.SIGKILL)
    run.wait()
    time.sleep(0.5)
    survivors = [pid for pid in workers if _alive(pid)]
    started = time.perf_counter()
    command = [sys.executable, "-m", "searcher", "--index", str(index), "index", "-q", "--lock-timeout", "5"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return {
        "workers_seen": len(workers),
        "workers_left": len(survivors),
        "next_run_exit": done.returncode,
        "next_run_seconds": time.perf_counter() - started,
    }


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = run(args.data, args.work)
    if results:
        print(f"wrote {write_json('nothing_lost', results, args.json)}")


DEFAULT_WORK = Path(tempfile.gettempdir()) / "searcher-nothing-lost"


def run(data: Path, work: Path) -> dict | None:
    """Measures and prints everything above; None when none of the data is there."""
    work.mkdir(parents=True, exist_ok=True)
    rows, results = [], {"corpora": [], "no_change_seconds": {}, "killed_rebuild": None}
    corpora = []
    reuters = data / "reuters21578"
    if reuters.is_dir():
        offered = reuters_export(reuters, work / "reuters")
        corpora.append(("reuters", "reuters-21578 (JSONL export)", [work / "reuters"], offered))
    bbc = data / "bbc-news"
    if bbc.is_dir():
        sections = sorted(path for path in bbc.iterdir() if path.is_dir())  # not the dataset's READMEs
        corpora.append(("bbc", "bbc-news (text)", sections, sum(1 for _ in bbc.glob("*/*.txt"))))
    pages = sorted((data / "article-extraction" / "scrapinghub-aeb" / "html").glob("*.html.gz"))
    if pages:
        corpora.append(("pages", "scrapinghub-aeb (saved pages, .html.gz)", [pages[0].parent], len(pages)))
        archive = work / "warc" / "crawl.warc.gz"
        corpora.append(
            ("warc", "scrapinghub-aeb (web archive, .warc.gz)", [archive.parent], web_archive(pages, archive))
        )
    if not corpora:
        print(f"skipped: no data under {data}")
        return None
    for key, name, corpus, offered in corpora:
        row = coverage_row(key, corpus, offered, work)
        row["corpus"] = name
        results["corpora"].append(row)
        rows.append([name, row["offered"], row["indexed"], row["named_failed"], row["unaccounted"],
                     f"{row['share_indexed']:.1%}", row["skipped_not_articles"]])  # fmt: skip
    print(
        table(
            ["corpus", "offered", "indexed", "named (failed)", "unaccounted", "indexed %", "other files/records"], rows
        )
    )

    if bbc.is_dir():  # 1,000 articles: the BBC's first thousand files
        thousand = work / "bbc-1000"
        shutil.rmtree(thousand, ignore_errors=True)
        for path in sorted(bbc.glob("*/*.txt"))[:1000]:
            target = thousand / path.parent.name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
        from searcher.index import update_index

        update_index(work / "index-bbc-1000", [thousand])
        results["no_change_seconds"]["1,000 articles"] = no_change_seconds(work / "index-bbc-1000")
    if reuters.is_dir():
        results["no_change_seconds"]["21,578 articles"] = no_change_seconds(work / "index-reuters")
        results["killed_rebuild"] = killed_rebuild(work / "index-reuters")
    print()
    print(table(["no-change `searcher index` (whole command, fastest of 3)", "seconds"],
                [[k, round(v, 3)] for k, v in results["no_change_seconds"].items()]))  # fmt: skip
    if results["killed_rebuild"]:
        k = results["killed_rebuild"]
        print(f"\nkill -9 of a parallel rebuild ({k['workers_seen']} workers): {k['workers_left']} left running; "
              f"next `searcher index` exit {k['next_run_exit']} in {k['next_run_seconds']:.2f}s")  # fmt: skip
    return results


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    main()
