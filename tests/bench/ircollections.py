"""The six IR test collections under shared/data/ir-collection, read into one shape.

A ranking change that helps one collection and hurts the others is tuning, not progress, so the
benchmarks score every change on all of them; this module hides each collection's own file format
and judgment conventions (see each folder's README.md) behind one record per collection.

    python tests/bench/ircollections.py [--root ../shared/data/ir-collection]

The module shares its name with the standard library's: run it as a script, or load it by path
(importlib), since `import collections` finds the standard library's module first.
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

ORDER = ("cranfield", "cacm", "med", "lisa", "npl", "scifact")


class Collection(NamedTuple):
    """Documents, queries and relevance judgments of one test collection, as the benchmarks use them."""

    name: str
    documents: list[dict]  # each {"id": str, "title": str, "text": str}; text never empty
    queries: dict[str, str]  # qid -> query text
    qrels: dict[str, dict[str, float]]  # qid -> {docid: gain > 0}, judged-relevant documents only
    exclude: dict[str, str]  # qid -> docid to remove from that query's ranking
    convention: str  # how the judgments were read


# --- shared helpers ---------------------------------------------------------------------------------

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def collapse(text: str) -> str:
    """Whitespace runs (line breaks of the fixed-width files) as single spaces."""
    return " ".join(text.split())


def read_text(path: Path) -> str:
    """The file's text without stray control bytes (CACM has two 0x19 bytes inside words)."""
    return CONTROL_CHARACTERS.sub("", path.read_text(encoding="latin-1"))


def number(value: str) -> str:
    """An id as the documents and queries spell it: qrels files pad with zeros ("01", "0046")."""
    return str(int(value))


def document(doc_id: str, title: str, text: str) -> dict:
    """A document record whose text is never empty, so every document can be indexed."""
    return {"id": doc_id, "title": title, "text": text or title or "(empty)"}


def binary_qrels(pairs: Iterable[tuple[str, str]]) -> dict[str, dict[str, float]]:
    """{qid: {docid: 1.0}} from (qid, docid) pairs, for collections that judge relevant or not."""
    qrels: dict[str, dict[str, float]] = {}
    for qid, doc_id in pairs:
        qrels.setdefault(number(qid), {})[number(doc_id)] = 1.0
    return qrels


# --- Cranfield: copied from relevance.py, so its figures stay identical ------------------------------

CRANFIELD_CONVENTION = (
    "codes 1-4 relevant, gain 5-code; each query's source document (-1) removed from rankings; "
    "qids are positions 1-225 (queries.tsv), not cran.qry's .I numbers"
)


def read_documents(path: Path) -> list[dict]:
    """The SMART file as records: .I id, .T title, .W text without the title it repeats, as the
    cleaner stores a news article (headline apart from the body)."""
    records, current, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        marker = re.match(r"^\.([ITABW])(?:\s+(\d+))?\s*$", line)
        if marker:
            if marker.group(1) == "I":
                current = {"id": marker.group(2), "T": [], "W": []}
                records.append(current)
            field = marker.group(1)
        elif current is not None and field in ("T", "W"):
            current[field].append(line.strip())
    documents = []
    for record in records:
        title, text = " ".join(record["T"]), " ".join(record["W"])
        body = text[len(title) :].strip() if title and text.startswith(title) else text
        documents.append({"id": record["id"], "title": title, "text": body or title or "(empty)"})
    return documents


def read_judgments(folder: Path) -> tuple[dict[str, str], dict[str, dict[str, float]], dict[str, str]]:
    """Queries by position (queries.tsv), graded qrels (gain 5 - code) and each query's source document."""
    queries = {}
    for line in (folder / "queries.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        qid, _, text = line.split("\t")
        queries[qid] = text
    qrels: dict[str, dict[str, float]] = {}
    source: dict[str, str] = {}
    for line in (folder / "cranqrel").read_text(encoding="utf-8").split("\n"):
        parts = line.split()
        if len(parts) < 3:
            continue
        qid, doc, code = parts[0], parts[1], int(parts[2])
        if code == -1:
            source[qid] = doc
        elif 1 <= code <= 4:
            qrels.setdefault(qid, {})[doc] = 5.0 - code
    return queries, qrels, source


def read_cranfield(folder: Path) -> Collection:
    """Cranfield exactly as tests/bench/relevance.py reads it."""
    queries, qrels, source = read_judgments(folder)
    return Collection(
        "cranfield", read_documents(folder / "cran.all.1400"), queries, qrels, source, CRANFIELD_CONVENTION
    )


# --- SMART files (CACM, MED) -------------------------------------------------------------------------

SMART_MARKER = re.compile(r"^\.(?:I\s+(\d+)|([A-Z]))\s*$")


def smart_records(path: Path) -> dict[str, dict[str, str]]:
    """{id: {field letter: text}}: each record starts with `.I id`, each field marker sits alone on its line."""
    records: dict[str, dict[str, list[str]]] = {}
    fields: dict[str, list[str]] | None = None
    field = None
    for line in read_text(path).splitlines():
        marker = SMART_MARKER.match(line)
        if marker and marker.group(1):
            record_id = number(marker.group(1))
            if record_id in records:
                raise ValueError(f"{path}: record .I {record_id} appears twice")
            fields, field = records.setdefault(record_id, {}), None
        elif marker:
            field = marker.group(2)
            if fields is not None:
                fields.setdefault(field, [])
        elif fields is not None and field:
            fields[field].append(line)
    return {rid: {letter: collapse(" ".join(lines)) for letter, lines in fs.items()} for rid, fs in records.items()}


def smart_queries(path: Path) -> dict[str, str]:
    """The .W text of each query; a record without text (CACM's trailing `.I 0`) is no query."""
    return {qid: fields["W"] for qid, fields in smart_records(path).items() if fields.get("W")}


def judgment_columns(path: Path, qid_column: int, doc_column: int) -> list[tuple[str, str]]:
    """(qid, docid) from a whitespace-separated judgments file, one judgment a line."""
    rows = [line.split() for line in read_text(path).splitlines() if line.strip()]
    return [(row[qid_column], row[doc_column]) for row in rows]


def read_cacm(folder: Path) -> Collection:
    """CACM: .T title, .W abstract (1,617 documents have none); .B/.A/.N/.X/.K/.C are not text."""
    records = smart_records(folder / "cacm.all")
    documents = [document(doc_id, fields.get("T", ""), fields.get("W", "")) for doc_id, fields in records.items()]
    qrels = binary_qrels(judgment_columns(folder / "qrels.text", 0, 1))
    convention = "every qrels.text line (qid docid 0 0) relevant, gain 1; zero-padded ids read as integers; queries: .W"
    return Collection("cacm", documents, smart_queries(folder / "query.text"), qrels, {}, convention)


def read_med(folder: Path) -> Collection:
    """MED: .W text only, no title field."""
    documents = [
        document(doc_id, "", fields.get("W", "")) for doc_id, fields in smart_records(folder / "MED.ALL").items()
    ]
    qrels = binary_qrels(judgment_columns(folder / "MED.REL", 0, 2))
    convention = "every MED.REL line (qid 0 docid 1; doc id in the 3rd column) relevant, gain 1"
    return Collection("med", documents, smart_queries(folder / "MED.QRY"), qrels, {}, convention)


# --- LISA ----------------------------------------------------------------------------------------------

LISA_RECORD = re.compile(r"^Document\s+(\d+)[ \t]*\n(.*?)^\*{44}[ \t]*$", re.M | re.S)
LISA_QUERY = re.compile(r"^(\d+)[ \t]*\n(.*?)#", re.M | re.S)
BLANK_LINE = re.compile(r"\n[ \t]*\n")


def lisa_documents(folder: Path) -> list[dict]:
    """The 14 LISA files in name order; a record's title runs up to its first blank line."""
    documents = []
    for path in sorted(folder.glob("LISA[0-9].[0-9][0-9][0-9]")):
        for doc_id, body in LISA_RECORD.findall(read_text(path)):
            title, _, abstract = BLANK_LINE.sub("\0", body, count=1).partition("\0")
            documents.append(document(number(doc_id), collapse(title), collapse(abstract)))
    return documents


def counted_lists(path: Path) -> dict[str, dict[str, float]]:
    """LISARJ.NUM: a stream of integers `qid n d1 ... dn`, wrapped over lines."""
    numbers = read_text(path).split()
    pairs, at = [], 0
    while at < len(numbers):
        qid, count = numbers[at], int(numbers[at + 1])
        relevant = numbers[at + 2 : at + 2 + count]
        if len(relevant) != count:
            raise ValueError(f"{path}: query {qid} lists {len(relevant)} documents, not {count}")
        pairs += [(qid, doc_id) for doc_id in relevant]
        at += 2 + count
    return binary_qrels(pairs)


def read_lisa(folder: Path) -> Collection:
    """LISA: judgments from LISARJ.NUM, which the README calls current (LISA.REL is the older set)."""
    queries = {number(qid): collapse(text) for qid, text in LISA_QUERY.findall(read_text(folder / "LISA.QUE"))}
    convention = "LISARJ.NUM (qid n d1..dn) relevant, gain 1; the older LISA.REL is not used"
    return Collection("lisa", lisa_documents(folder), queries, counted_lists(folder / "LISARJ.NUM"), {}, convention)


# --- NPL -----------------------------------------------------------------------------------------------


def slash_blocks(path: Path) -> list[list[str]]:
    """Records separated by lines holding only `/`; the last one in rlv-ass has no closing `/`."""
    blocks = re.split(r"^\s*/\s*$", read_text(path), flags=re.M)
    return [block.split() for block in blocks if block.strip()]


def read_npl(folder: Path) -> Collection:
    """NPL (Vaswani): `id` line then text; no title field. Queries are upper-case in the file."""
    documents = [document(number(words[0]), "", " ".join(words[1:])) for words in slash_blocks(folder / "doc-text")]
    queries = {number(words[0]): " ".join(words[1:]).lower() for words in slash_blocks(folder / "query-text")}
    qrels = binary_qrels((words[0], doc_id) for words in slash_blocks(folder / "rlv-ass") for doc_id in words[1:])
    convention = "rlv-ass lists each query's relevant documents, gain 1; queries lower-cased as the README advises"
    return Collection("npl", documents, queries, qrels, {}, convention)


# --- SciFact -------------------------------------------------------------------------------------------

QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
SCIFACT_CLAIMS = "claims_validation.csv"


def csv_rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    """One CSV of the zip, read in memory (abstracts are long fields)."""
    csv.field_size_limit(1 << 30)
    with archive.open(name) as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))


def printed_sentences(value: str) -> list[str]:
    """The sentences of a numpy-printed array (`['a.'\\n 'b.']`, no commas), escapes such as \\n decoded."""
    return [ast.literal_eval(quoted) for quoted in QUOTED.findall(value)]


def read_scifact(folder: Path) -> Collection:
    """SciFact claims against abstracts; BEIR's scifact test set is SciFact's validation split."""
    with zipfile.ZipFile(folder / "scifact.zip") as archive:
        corpus, claims = csv_rows(archive, "corpus_train.csv"), csv_rows(archive, SCIFACT_CLAIMS)
    documents = [
        document(row["doc_id"], collapse(row["title"]), collapse(" ".join(printed_sentences(row["abstract"]))))
        for row in corpus
    ]
    queries = {row["id"]: collapse(row["claim"]) for row in claims}  # one row per evidence: ids repeat
    qrels = binary_qrels((row["id"], doc_id) for row in claims for doc_id in re.findall(r"\d+", row["cited_doc_ids"]))
    convention = (
        f"claims_test has no labels (README), so {SCIFACT_CLAIMS} (= BEIR scifact test) are the queries; "
        "each claim's cited_doc_ids relevant, gain 1 (NEI claims included)"
    )
    return Collection("scifact", documents, queries, qrels, {}, convention)


# --- the collections -----------------------------------------------------------------------------------

READERS: dict[str, Callable[[Path], Collection]] = {
    "cranfield": read_cranfield,
    "cacm": read_cacm,
    "med": read_med,
    "lisa": read_lisa,
    "npl": read_npl,
    "scifact": read_scifact,
}


def read_collection(folder: Path) -> Collection | None:
    """The collection the folder's name says, or None when the folder is absent (the data is not shipped)."""
    if folder.name not in READERS:
        raise ValueError(f"unknown collection {folder.name!r}; expected one of {', '.join(ORDER)}")
    return READERS[folder.name](folder) if folder.is_dir() else None


def all_collections(root: Path) -> list[Collection]:
    """The collections present under root, in a fixed order so reports line up run after run."""
    return [found for name in ORDER if (found := read_collection(root / name)) is not None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path("../shared/data/ir-collection"))
    args = parser.parse_args()
    collections = all_collections(args.root)
    if not collections:
        print(f"no collections under {args.root}")
        return
    print(f"{'collection':<10} {'documents':>9} {'queries':>7} {'judged':>6} {'relevant pairs':>14}")
    for c in collections:
        pairs = sum(len(judged) for judged in c.qrels.values())
        print(f"{c.name:<10} {len(c.documents):>9} {len(c.queries):>7} {len(c.qrels):>6} {pairs:>14}")
    print()
    for c in collections:
        print(f"{c.name}: {c.convention}")


if __name__ == "__main__":
    main()
