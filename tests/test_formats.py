"""What scrapers save, read as articles: compressed pages, Markdown, web archives (WARC), JSONL
records with a headline only; and everything else counted and named, never skipped silently."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from searcher.cli import cli

PAGE = """<html><head><title>Harbour reopens | Port Daily</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour reopens after storm</h1>
<p>The harbour reopened on Monday after a storm closed it for three days, the port authority said.</p>
<p>Fishing boats returned to their moorings by the afternoon, and ferries resumed their crossings.</p>
</article></body></html>"""


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.stderr, result.stderr
    return result


def hits(query: str) -> list[dict]:
    result = invoke("search", "--json", "-n", "50", query)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["hits"]


def summary(stderr: str) -> str:
    return stderr.strip().splitlines()[-1]


def write_warc(path: Path, records: list[tuple[str, str, bytes, str]]) -> None:
    """A gzip-compressed WARC file: a warcinfo record, then for each (uri, content type, payload,
    status) a request and a response record, as crawlers write them."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for uri, content_type, payload, status in records:
            asked = b"GET / HTTP/1.1\r\n\r\n"
            request = writer.create_warc_record(uri, "request", payload=io.BytesIO(asked), length=len(asked))
            writer.write_record(request)
            fields = [("Content-Type", content_type), ("Content-Length", str(len(payload)))]
            headers = StatusAndHeaders(status, fields, protocol="HTTP/1.1")
            response = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(payload), length=len(payload), http_headers=headers
            )
            response.rec_headers.replace_header("WARC-Date", "2019-07-12T08:30:00Z")
            writer.write_record(response)


def test_compressed_pages_text_and_records_are_read(tmp_path: Path):
    Path("seeds/page.html.gz").write_bytes(gzip.compress(PAGE.encode("utf-8")))
    Path("seeds/brief.txt.gz").write_bytes(gzip.compress(b"Lighthouse keeper retires\n\nThe last keeper left.\n"))
    record = {"id": "zipped-1", "title": "Ferry strike ends", "text": "The ferry strike ended on Friday."}
    Path("seeds/feed.jsonl.gz").write_bytes(gzip.compress((json.dumps(record) + "\n").encode("utf-8")))
    result = invoke("index", "seeds")
    assert result.exit_code == 0, result.stderr
    assert summary(result.stderr).startswith("searcher: 8 added, 0 updated, 0 removed, 0 unchanged, 0 failed")
    assert [(h["id"], h["title"]) for h in hits("harbour")] == [("seeds/page.html.gz", "Harbour reopens after storm")]
    assert [h["id"] for h in hits("lighthouse")] == ["seeds/brief.txt.gz"]
    assert [h["id"] for h in hits("ferry strike")][0] == "zipped-1"


def test_a_broken_or_oversized_gzip_file_is_named_and_the_rest_indexed():
    Path("seeds/broken.html.gz").write_bytes(b"\x1f\x8b\x08\x00 not really gzip")
    Path("seeds/bomb.txt.gz").write_bytes(gzip.compress(b"word " * 300_000))  # 1.5 MB from a few KB
    result = invoke("index", "--max-size", "1", "seeds")
    assert result.exit_code == 1
    assert "failed: seeds/broken.html.gz: not a readable gzip file" in result.stderr
    assert "failed: seeds/bomb.txt.gz: decompresses to over the limit of 1,048,576 bytes" in result.stderr
    assert "5 added" in summary(result.stderr)


def test_markdown_is_read_as_its_text():
    Path("seeds/note.md").write_text(
        "# Canal locks to close for repairs\n\nThe **canal trust** said the [locks](https://example.org/locks) "
        "will close in May.\n\n![A lock gate](gate.jpg)\n\n- Boats must leave by April.\n",
        encoding="utf-8",
    )
    assert invoke("index", "seeds").exit_code == 0
    found = hits("canal locks")
    assert [(h["id"], h["title"]) for h in found] == [("seeds/note.md", "Canal locks to close for repairs")]
    article = json.loads(invoke("show", "--json", "seeds/note.md").stdout)
    assert "The canal trust said the locks will close in May." in article["body"]
    assert "**" not in article["body"] and "https://" not in article["body"]


def test_web_archive_pages_are_articles_with_their_address_and_date():
    write_warc(
        Path("seeds/crawl.warc.gz"),
        [
            ("https://port.example/harbour", "text/html; charset=utf-8", PAGE.encode("utf-8"), "200 OK"),
            ("https://port.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n", "200 OK"),
            ("https://port.example/old", "text/html", b"<p>Moved</p>", "301 Moved Permanently"),
        ],
    )
    result = invoke("index", "seeds")
    assert result.exit_code == 0, result.stderr
    assert summary(result.stderr).endswith(
        "; 6 skipped: not a page (web archive record) (request 3, warcinfo 1, image/png 1, HTTP 301 1)"
    )
    [page] = hits("harbour")
    assert page["id"] == "seeds/crawl.warc.gz#3"
    assert (page["date"], page["date_source"]) == ("2019-07-12", "archive")
    assert json.loads(invoke("show", "--json", page["id"]).stdout)["url"] == "https://port.example/harbour"
    listed = invoke("-v", "index", "--rebuild", "seeds").stderr
    assert "skipped: seeds/crawl.warc.gz#4: not a page (web archive record) (request)" in listed


def test_a_file_that_is_not_a_warc_is_named():
    Path("seeds/fake.warc").write_text("this is not a web archive\n", encoding="utf-8")
    result = invoke("index", "seeds")
    assert result.exit_code == 1
    assert "failed: seeds/fake.warc: not a readable WARC file" in result.stderr


def test_files_that_are_not_articles_are_counted_and_listed_with_verbose():
    for name in ("report.pdf", "scan.pdf", "photo.png", "README"):
        Path("seeds", name).write_bytes(b"%PDF-1.4 ...")
    result = invoke("index", "seeds")
    assert result.exit_code == 0
    assert summary(result.stderr).endswith("; 4 skipped: not an article format (.pdf 2, (none) 1, .png 1)")
    listed = invoke("-v", "index", "seeds").stderr
    assert "searcher: skipped: seeds/report.pdf: not an article format (.pdf)" in listed


def test_a_headline_only_record_is_an_article_and_an_empty_one_is_named():
    lines = [
        {"id": "brief-1", "title": "Central bank holds rates", "text": ""},
        {"id": "brief-2", "title": "Oil output steady"},
        {"id": "nothing", "text": "  "},
    ]
    Path("seeds/wire.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = invoke("index", "seeds")
    assert result.exit_code == 1
    assert "failed: seeds/wire.jsonl: line 3: missing 'text' or 'html'" in result.stderr
    assert [(h["id"], h["title"]) for h in hits("central bank rates")] == [("brief-1", "Central bank holds rates")]
    assert [h["id"] for h in hits("oil output")] == ["brief-2"]


def test_a_records_own_title_and_url_win_over_its_pages():
    record = {
        "id": "r1",
        "title": "Storm closes the harbour for three days",
        "html": PAGE,
        "url": "https://a.example/r1",
    }
    Path("seeds/pages.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert invoke("index", "seeds").exit_code == 0
    [found] = hits("harbour")
    assert found["title"] == "Storm closes the harbour for three days"
    assert json.loads(invoke("show", "--json", "r1").stdout)["url"] == "https://a.example/r1"


@pytest.mark.parametrize("name", ["story.TXT", "page.HTM", "notes.markdown", "feed.ndjson"])
def test_suffixes_are_read_whatever_their_case_or_spelling(name: str):
    text = (
        '{"id": "n1", "text": "Quarry blasting paused."}\n' if name.endswith("ndjson") else "Quarry blasting paused.\n"
    )
    Path("seeds", name).write_text(text, encoding="utf-8")
    assert invoke("index", "seeds").exit_code == 0
    assert len(hits("quarry")) == 1
