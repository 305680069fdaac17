"""Lucene's BM25 and BM25+RM3 through Anserini, as a peer for tests/bench/relevance.py.

Anserini's fat jar ships inside the pyserini source distribution on PyPI; this module finds it (or
fetches it once into the bench cache) and a Java 21+ runtime, indexes a collection with Anserini's
standard English setup (JsonCollection, Porter stemmer, Lucene's English stopwords, document
vectors for RM3) and runs its SearchCollection with its defaults: BM25 k1 0.9, b 0.4; RM3 10
feedback documents, 10 terms, original query weight 0.5. Queries are given as lower-case words.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

CACHE = Path(os.environ.get("SEARCHER_BENCH_CACHE", Path.home() / ".cache" / "searcher-bench"))
PYSERINI = "pyserini==1.6.0"  # ships anserini-1.7.1-fatjar.jar
JAVA_HOMES = Path("/usr/lib/jvm")
MINIMUM_JAVA = 21
VERSION = re.compile(r'version "(\d+)')


class AnseriniUnavailable(Exception):
    """Why the peer cannot run here (no jar, no Java 21+): printed, and the peer skipped."""


def find_jar() -> Path:
    """The fat jar: $ANSERINI_JAR, the cache, or fetched once from pyserini's sdist on PyPI."""
    if given := os.environ.get("ANSERINI_JAR"):
        return Path(given)
    cached = sorted(CACHE.glob("anserini-*-fatjar.jar"))
    if cached:
        return cached[-1]
    return _fetch_jar()


def _fetch_jar() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    download = CACHE / "pyserini-sdist"
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", str(download)]
    command.append(PYSERINI)
    print(f"  anserini: fetching its jar ({' '.join(command[3:])})", file=sys.stderr)
    if subprocess.run(command, capture_output=True).returncode != 0:
        raise AnseriniUnavailable("pip could not download the pyserini sdist that carries Anserini's jar")
    for archive in download.glob("pyserini-*.tar.gz"):
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                if member.name.endswith("-fatjar.jar"):
                    member.name = Path(member.name).name
                    tar.extract(member, CACHE, filter="data")
                    shutil.rmtree(download)
                    return CACHE / member.name
    raise AnseriniUnavailable("the pyserini sdist holds no Anserini fat jar")


def java_major(java: str) -> int:
    try:
        shown = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    except OSError:
        return 0
    found = VERSION.search(shown)
    return int(found.group(1)) if found else 0


def find_java() -> str:
    """A Java 21+ runtime: $ANSERINI_JAVA, `java` on the PATH, or the newest JDK under /usr/lib/jvm."""
    candidates = [os.environ.get("ANSERINI_JAVA"), shutil.which("java")]
    candidates += [str(p) for p in sorted(JAVA_HOMES.glob("*/bin/java"), reverse=True)]
    for java in filter(None, candidates):
        if java_major(java) >= MINIMUM_JAVA:
            return java
    raise AnseriniUnavailable(f"no Java {MINIMUM_JAVA}+ runtime (set ANSERINI_JAVA)")


class Anserini:
    """One collection indexed by Anserini; `runs(queries, rm3)` ranks every query."""

    def __init__(self, documents: list[dict], work: Path) -> None:
        self.java, self.jar = find_java(), find_jar()
        self.work = work
        source = work / "docs"
        source.mkdir(parents=True, exist_ok=True)
        with (source / "docs.jsonl").open("w", encoding="utf-8") as out:
            for d in documents:
                out.write(json.dumps({"id": d["id"], "contents": f"{d['title']}\n{d['text']}"}) + "\n")
        self.index = work / "index"
        self._run("io.anserini.index.IndexCollection", "-collection", "JsonCollection", "-input", str(source),
                  "-index", str(self.index), "-generator", "DefaultLuceneDocumentGenerator", "-threads", "1",
                  "-storePositions", "-storeDocvectors", "-quiet")  # fmt: skip

    def runs(self, queries: dict[str, str], rm3: bool = False, depth: int = 1000) -> dict[str, list[str]]:
        topics, output = self.work / "topics.tsv", self.work / ("rm3.trec" if rm3 else "bm25.trec")
        words = {qid: " ".join(re.findall(r"\w+", text.lower())) for qid, text in queries.items()}
        topics.write_text("".join(f"{q}\t{w}\n" for q, w in words.items() if w), encoding="utf-8")
        model = ["-bm25", "-rm3"] if rm3 else ["-bm25"]
        self._run("io.anserini.search.SearchCollection", "-index", str(self.index), "-topics", str(topics),
                  "-topicReader", "TsvString", "-output", str(output), "-hits", str(depth), "-threads", "1",
                  *model)  # fmt: skip
        found: dict[str, list[str]] = {qid: [] for qid in queries}
        for line in output.read_text(encoding="utf-8").splitlines():
            qid, _, doc, *_ = line.split()
            found[qid].append(doc)
        return found

    def _run(self, main: str, *arguments: str) -> None:
        command = [self.java, "-Xmx2g", "--add-modules", "jdk.incubator.vector", "-cp", str(self.jar), main, *arguments]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise AnseriniUnavailable(f"{main.rsplit('.', 1)[-1]} failed: {' / '.join(tail)}")
