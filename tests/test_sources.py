"""Reading what scrapers save: odd encodings, binaries, empty files and broken JSONL lines."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from searcher.errors import UnreadableDocumentError
from searcher.sources import FoundFile, find_files, read_documents
from tests.conftest import FIXTURES

STORY = "Ankara’s café owners welcome the talks.\n"


def read(path: Path):
    return read_documents(FoundFile(path, path.name))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.txt", STORY.encode("utf-8")),
        ("bom.txt", codecs.BOM_UTF8 + STORY.encode("utf-8")),
        ("utf16.txt", STORY.encode("utf-16")),
        ("cp1252.txt", STORY.encode("cp1252")),
    ],
)
def test_text_is_decoded_whatever_the_encoding(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    documents, problems = read(path)
    assert documents[0].content.strip() == STORY.strip() and problems == []


def test_html_charset_declaration_is_honoured(tmp_path: Path):
    path = tmp_path / "page.html"
    path.write_bytes('<meta charset="koi8-r"><p>Москва</p>'.encode("koi8-r"))
    assert "Москва" in read(path)[0][0].content


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"), (b"", "empty"), (b"  \n\t\n", "empty")],
)
def test_unusable_files_raise_a_one_line_reason(tmp_path: Path, data: bytes, message: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(UnreadableDocumentError, match=message):
        read(path)


def test_oversized_files_are_skipped_with_the_limit_named(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    with pytest.raises(UnreadableDocumentError, match="over the limit"):
        read_documents(FoundFile(path, path.name), max_bytes=100)


def test_jsonl_records_become_documents_with_their_fields():
    documents, problems = read(FIXTURES / "articles.jsonl")
    assert [d.id for d in documents] == ["rec-gas-2019", "rec-talks-2017", "rec-undated"]
    assert documents[0].topics == ("energy", "trade") and documents[0].date == "2019-01-14T09:30:00+03:00"
    assert problems == []


def test_malformed_jsonl_lines_are_reported_by_number_and_skipped(tmp_path: Path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "a", "text": "fine"}\n{broken\n[1, 2]\n{"id": "b"}\n'
        '{"id": "a", "text": "again"}\n{"id": "c", "text": "ok"}\n'
    )
    documents, problems = read(path)
    assert [d.id for d in documents] == ["a", "c"]
    assert [p.split(":")[0] for p in problems] == ["line 2", "line 3", "line 4", "line 5"]


def test_folders_are_walked_recursively_skipping_hidden_and_other_files(tmp_path: Path):
    (tmp_path / "news" / "2019").mkdir(parents=True)
    (tmp_path / "news" / ".cache").mkdir()
    for name in [
        "news/a.txt",
        "news/2019/b.html",
        "news/2019/c.jsonl",
        "news/notes.pdf",
        "news/.cache/d.txt",
        "news/.e.txt",
    ]:
        (tmp_path / name).write_text("x")
    found, failures = find_files([tmp_path / "news", tmp_path / "missing"])
    assert [f.doc_id for f in found] == ["news/a.txt", "news/2019/b.html", "news/2019/c.jsonl"]
    assert failures == [(str(tmp_path / "missing"), "no such file or folder")]


def test_symlink_loops_do_not_hang(tmp_path: Path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("story")
    (tmp_path / "news" / "loop").symlink_to(tmp_path / "news")
    found, _ = find_files([tmp_path / "news"])
    assert [f.doc_id for f in found] == ["news/a.txt"]
