"""Hostile input, crashes and concurrency: a one-line message, the right exit code, and an index
that still answers a known query afterwards."""

from __future__ import annotations

import errno
import gc
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searcher.cli import cli

INDEX = Path("index")


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def known_query_answers() -> None:
    """The seeds are still searchable: S-400 finds its three articles."""
    result = invoke("search", "--json", "S-400")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["total"] == 3


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def indexed(*paths: str):
    result = invoke("index", "seeds", *paths)
    assert "Traceback" not in result.stderr
    return result


def failure_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("searcher: failed: ")]


# --- inputs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("binary.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00", "binary file (contains NUL bytes)"),
        ("nul.html", b"<p>story</p>\x00\x00", "binary file (contains NUL bytes)"),
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\t\r\n  ", "empty file"),
    ],
)
def test_unusable_files_are_named_with_the_reason(name: str, data: bytes, reason: str):
    Path("seeds", name).write_bytes(data)
    result = indexed()
    assert result.exit_code == 1
    assert failure_lines(result.stderr) == [f"searcher: failed: seeds/{name}: {reason}"]
    known_query_answers()


@pytest.mark.parametrize(
    ("name", "data", "query"),
    [
        ("latin.txt", "Zeppelin caf\u00e9 story\n\nThe caf\u00e9 served a zeppelin crew.\n".encode("cp1252"), "café"),
        ("utf16.txt", "Zeppelin story\n\nThe zeppelin landed in Ankara.\n".encode("utf-16"), "zeppelin"),
        ("bom.txt", b"\xef\xbb\xbfZeppelin story\n\nThe zeppelin landed.\n", "zeppelin"),
        (
            "koi8.html",
            '<meta charset="koi8-r"><title>Дирижабль</title><p>Дирижабль прилетел в Москву.</p>'.encode("koi8-r"),
            "дирижабль",
        ),
    ],
)  # fmt: skip
def test_other_encodings_are_decoded_and_found(name: str, data: bytes, query: str):
    Path("seeds", name).write_bytes(data)
    assert indexed().exit_code == 0
    result = invoke("search", "--json", query)
    assert [h["id"] for h in json.loads(result.stdout)["hits"]] == [f"seeds/{name}"]


def test_a_file_over_the_size_limit_is_skipped_with_a_message():
    Path("seeds/huge.txt").write_text("A line of a long dump. " * 5000)
    result = indexed("--max-size", "0.05")
    assert result.exit_code == 1
    assert failure_lines(result.stderr)[0].startswith(
        "searcher: failed: seeds/huge.txt: file is 115,000 bytes, over the limit"
    )
    known_query_answers()


def test_a_single_line_of_50_mb_is_skipped_by_the_default_limit():
    Path("seeds/line.txt").write_bytes(b"x" * (50 * 1024 * 1024))
    result = indexed()
    assert result.exit_code == 1
    assert "over the limit of 20,971,520" in failure_lines(result.stderr)[0]
    known_query_answers()


def test_html_nested_a_hundred_thousand_levels_is_indexed_as_text():
    depth = 100_000
    page = (
        "<html><body>" + "<div>" * depth + "<p>The zeppelin landed in Ankara.</p>" + "</div>" * depth + "</body></html>"
    )
    Path("seeds/deep.html").write_text(page)
    started = time.monotonic()
    assert indexed().exit_code == 0
    assert time.monotonic() - started < 60
    result = invoke("search", "--json", "zeppelin")
    assert [h["id"] for h in json.loads(result.stdout)["hits"]] == ["seeds/deep.html"]


def test_an_unreadable_file_is_named_and_the_rest_indexed(monkeypatch: pytest.MonkeyPatch):
    Path("seeds/locked.txt").write_text("Locked story\n\nSecret zeppelin.\n")
    real_open = Path.open

    def guarded(self: Path, *args, **kwargs):  # noqa: ANN002, ANN003
        if self.name == "locked.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    with monkeypatch.context() as patched:  # undo() would also undo the fixture's chdir
        patched.setattr(Path, "open", guarded)
        result = indexed()
    assert result.exit_code == 1
    assert failure_lines(result.stderr) == ["searcher: failed: seeds/locked.txt: cannot read file: Permission denied"]


def test_an_unreadable_folder_is_named_and_the_rest_indexed(monkeypatch: pytest.MonkeyPatch):
    Path("seeds/private").mkdir()
    Path("seeds/private/a.txt").write_text("Private\n\nA zeppelin.\n")
    real_scandir = os.scandir

    def guarded(path):  # noqa: ANN001, ANN202
        if str(path).endswith("private"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    with monkeypatch.context() as patched:
        patched.setattr(os, "scandir", guarded)
        result = indexed()
    assert result.exit_code == 1
    assert failure_lines(result.stderr) == ["searcher: failed: seeds/private: cannot read folder: Permission denied"]
    known_query_answers()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_a_file_without_read_permission_is_named():
    Path("seeds/closed.txt").write_text("Closed\n\nA zeppelin.\n")
    Path("seeds/closed.txt").chmod(0)
    result = indexed()
    assert result.exit_code == 1
    assert "seeds/closed.txt: cannot read file: Permission denied" in result.stderr


def test_symlink_loops_end():
    Path("seeds/loop").symlink_to(Path("seeds").resolve())
    assert indexed().exit_code == 0
    known_query_answers()


def test_hostile_file_names_are_shown_escaped():
    name = "bad \x1b[2J\nname.txt"
    Path("seeds", name).write_bytes(b"\x00binary")
    Path("seeds", "ok \x1b]0;x\x07.txt").write_text("Zeppelin\n\nA zeppelin landed.\n")
    result = indexed()
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "searcher: failed: seeds/bad \\x1b[2J\\nname.txt: binary file" in result.stderr
    shown = invoke("search", "zeppelin").stdout
    assert "\x1b" not in shown and "ok \\x1b]0;x\\x07.txt" in shown


def test_malformed_jsonl_lines_are_reported_by_number_and_the_rest_indexed():
    lines = ['{"id": "a", "text": "A zeppelin over Ankara."}', "{not json", "", '{"id": "b"}', '"a string"']
    Path("seeds/feed.jsonl").write_text("\n".join(lines) + "\n")
    result = indexed()
    assert result.exit_code == 1
    assert failure_lines(result.stderr) == [
        "searcher: failed: seeds/feed.jsonl: line 2: invalid JSON (Expecting property name enclosed in double quotes)",
        "searcher: failed: seeds/feed.jsonl: line 4: missing 'text' or 'html'",
        "searcher: failed: seeds/feed.jsonl: line 5: not a JSON object",
    ]
    assert json.loads(invoke("search", "--json", "zeppelin").stdout)["total"] == 1


def test_control_characters_in_articles_never_reach_the_terminal():
    Path("seeds/evil.txt").write_text(
        "Zeppelin \x1b[31mred\x1b[0m title\n\nThe zeppelin \x9b2J landed \u202eevil\u202c \x07here.\n", encoding="utf-8"
    )
    assert indexed().exit_code == 0
    for args in (["search", "zeppelin"], ["show", "evil"], ["clean", "seeds/evil.txt"]):
        shown = invoke(*args).stdout
        assert not any(c in shown for c in "\x1b\x9b\x07\u202e"), args
    data = invoke("search", "--json", "zeppelin").stdout
    assert not any(c in data for c in "\x1b\x9b\x07\u202e")
    json.loads(data)


# --- queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "(putin", "putin))", "AND", "OR OR", "NOT", "-", "--", "+", "title:", ":", "nosuch:field",
     "date:notadate", "date:[2019 to", "topic:", "*", "?", "~", "putin~~~", "\\", "'", "\x00", "S-400 AND (gas OR"],
)  # fmt: skip
def test_odd_queries_answer_or_fail_in_one_line_with_exit_2(query: str):
    indexed()
    result = invoke("search", "--", query)
    assert result.exit_code in (0, 2), result.stderr
    if result.exit_code == 2:
        assert one_line(result.stderr).startswith("Error: ")
    known_query_answers()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("putin^0", "Error: a boost must be a positive number: '^0' is not"),
        ('"air defense"^0', "Error: a boost must be a positive number: '^0' is not"),
        ("(putin erdogan)^0.0 turkey", "Error: a boost must be a positive number: '^0.0' is not"),
        ("putin^0." + "0" * 400 + "1", "Error: a boost must be a positive number: '^0.00000000…' is not"),
        ("putin^" + "9" * 400, "Error: a boost must be a positive number: '^9999999999…' is not"),
        ("(" * 60 + "putin^0.000001" + ")^0.000001" * 60,
         "Error: a boost must be a positive number (the query's boosts multiply to zero or infinity)"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("order", ["relevance", "newest"])
def test_a_zero_or_infinite_boost_is_a_query_error_never_index_damage(query: str, message: str, order: str):
    indexed()
    result = invoke("search", "--sort", order, "--", query)
    assert result.exit_code == 2, result.stderr
    assert one_line(result.stderr) == message
    assert invoke("search", "--json", "putin^0.5").exit_code == 0


def test_a_pasted_paragraph_is_searched_and_only_a_huge_query_is_refused_with_exit_2():
    indexed()
    pasted = invoke("search", "--json", "Putin spoke about the S-400 deal with Erdogan. " * 250)  # 12,000 characters
    assert pasted.exit_code == 0, pasted.stderr
    assert json.loads(pasted.stdout)["total"] >= 3
    result = invoke("search", "putin " * 4000)
    assert result.exit_code == 2
    assert one_line(result.stderr) == "Error: query is 24,000 characters long; the limit is 20,000"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_query_string_answers_or_fails_cleanly(query: str):
    if not Path("index/CURRENT").exists():
        indexed()
    result = invoke("search", "--json", "--", query) if query else invoke("search", "--json", "--", "x")
    assert result.exit_code in (0, 2), (query, result.stderr)
    if result.exit_code == 0:
        json.loads(result.stdout)
    else:
        one_line(result.stderr)


# --- crashes and faults -------------------------------------------------------------------------


def big_feed(records: int = 6000) -> None:
    """A JSONL feed that takes a few seconds to index."""
    Path("feed").mkdir()
    with Path("feed/big.jsonl").open("w", encoding="utf-8") as handle:
        for i in range(records):
            handle.write(json.dumps({"id": f"r{i}", "text": f"Story {i} about markets and the harvest. " * 20}) + "\n")


def test_kill_9_during_an_incremental_update_leaves_the_previous_state_answering():
    indexed()
    big_feed()
    update = subprocess.Popen(
        [sys.executable, "-m", "searcher", "index", "--jobs", "1", "feed"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(2.0)
    update.send_signal(signal.SIGKILL)
    update.wait()
    known_query_answers()
    result = invoke("index", "feed")  # the killed run never recorded "feed" among the index's paths
    assert result.exit_code == 0, result.stderr
    assert json.loads(invoke("stats", "--json").stdout)["documents"] == 6005


def test_a_full_disk_mid_run_gives_one_line_and_keeps_the_index(monkeypatch: pytest.MonkeyPatch):
    indexed()
    Path("seeds/new.txt").write_text("New\n\nA zeppelin story.\n")
    from whoosh.filedb.filestore import FileStorage

    def full(*_args, **_kwargs):  # noqa: ANN002, ANN003
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(FileStorage, "create_file", full)
        for args in (["index"], ["index", "--rebuild"]):
            result = invoke(*args)
            assert result.exit_code == 1
            assert one_line(result.stderr) == (
                "Error: cannot write the index at index (No space left on device); "
                "searches still use the last complete index"
            )
    known_query_answers()
    assert len(list(INDEX.glob("gen-*"))) == 1


# Whoosh leaves the files of a segment it failed to open for the garbage collector to close; a
# command ends right after the error anyway, so the warnings are not the behaviour under test.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_a_damaged_segment_is_reported_with_the_fix_and_rebuild_recovers(damage: str):
    indexed()
    generation = next(INDEX.glob("gen-*"))
    segment_file = next(generation.glob("*.trm"))
    if damage == "truncate":
        segment_file.write_bytes(segment_file.read_bytes()[:40])
    else:
        segment_file.unlink()
    result = invoke("search", "S-400")
    assert result.exit_code == 1
    line = one_line(result.stderr)
    assert line.startswith("Error: index at index is damaged") and line.endswith(
        "rebuild it with: searcher index --rebuild"
    )
    assert invoke("index", "--rebuild").exit_code == 0
    known_query_answers()
    gc.collect()  # close what Whoosh leaked here, under this test's warning filter, not a later test's


def test_several_searches_in_parallel_while_an_index_run_writes():
    indexed()
    big_feed(4000)
    writer = subprocess.Popen([sys.executable, "-m", "searcher", "index", "--rebuild", "seeds", "feed"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    rounds = 0
    while writer.poll() is None and rounds < 5:
        searches = [
            subprocess.Popen(
                [sys.executable, "-m", "searcher", "search", "--json", "S-400"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for _ in range(4)
        ]
        for search in searches:
            out, err = search.communicate(timeout=60)
            assert search.returncode == 0, err
            assert json.loads(out)["total"] == 3
        rounds += 1
    assert writer.wait(timeout=120) == 0
    assert rounds > 0


def test_a_whoosh_index_searcher_did_not_write_is_never_opened(monkeypatch: pytest.MonkeyPatch):
    from whoosh import index as whoosh_index
    from whoosh.fields import TEXT, Schema

    Path("foreign").mkdir()
    whoosh_index.create_in("foreign", Schema(body=TEXT))

    def refuse(*_args, **_kwargs):  # noqa: ANN002, ANN003
        raise AssertionError("a foreign index was opened")

    monkeypatch.setattr(whoosh_index, "open_dir", refuse)
    monkeypatch.setattr(whoosh_index, "FileIndex", refuse)  # what searcher opens its own indexes with
    for args in (["search", "putin"], ["index", "seeds"], ["stats"], ["show", "x"]):
        result = invoke("--index", "foreign", *args)
        assert result.exit_code == 1, args
        assert "foreign is not a searcher index" in one_line(result.stderr)


def test_a_generation_without_searchers_manifest_is_refused():
    indexed()
    generation = next(INDEX.glob("gen-*"))
    (generation / "searcher.json").write_text(json.dumps({"format": "something-else"}))
    result = invoke("search", "putin")
    assert result.exit_code == 1
    assert "was not written by searcher; refusing to open it" in one_line(result.stderr)


def filling_disk(monkeypatch: pytest.MonkeyPatch, room: int) -> None:
    """Every file Whoosh writes fails with ENOSPC once `room` bytes have been written in all."""
    from whoosh.filedb import structfile

    real_write = structfile.StructFile.write
    left = [room]

    def write(self, data: bytes) -> None:  # noqa: ANN001
        left[0] -= len(data)
        if left[0] < 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(structfile.StructFile, "write", write)


# Whoosh leaves the files it was writing when the disk filled for the garbage collector to close.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_disk_filling_up_mid_update_leaves_no_files_behind(monkeypatch: pytest.MonkeyPatch, jobs: str):
    indexed()
    generation = next(INDEX.glob("gen-*"))
    before = sorted(p.name for p in generation.iterdir())
    big_feed(3000)
    with monkeypatch.context() as patched:
        filling_disk(patched, 300_000)
        result = invoke("index", "--jobs", jobs, "feed")
    assert result.exit_code == 1
    assert one_line(result.stderr) in (
        "Error: cannot write the index at index (No space left on device); searches still use the last complete index",
        "Error: a worker process could not write (No space left on device) while indexing; nothing was written, "
        "and searches still use the last complete index",
    )
    assert sorted(p.name for p in generation.iterdir()) == before
    known_query_answers()
    again = invoke("index", "feed")
    assert again.exit_code == 0, again.stderr
    assert json.loads(invoke("stats", "--json").stdout)["documents"] == 3005
    gc.collect()  # close what Whoosh leaked here, under this test's warning filter


# --- one bad input never stops the run ----------------------------------------------------------

ZEPPELIN = "A zeppelin landed in Ankara on Tuesday."


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("late.jsonl", json.dumps({"id": "late", "text": ZEPPELIN, "date": "9999-12-31T23:00:00-05:00"}) + "\n"),
        ("early.jsonl", json.dumps({"id": "early", "text": ZEPPELIN, "date": "0001-01-01T01:00:00+05:00"}) + "\n"),
        ("late.html", '<meta property="article:published_time" content="9999-12-31T23:59:59-12:00">'
                      f"<title>Zeppelin</title><article><p>{ZEPPELIN}</p></article>"),
        ("rfc.jsonl", json.dumps({"id": "rfc", "text": ZEPPELIN, "date": "Fri, 31 Dec 9999 23:00:00 -0500"}) + "\n"),
    ],
    ids=["jsonl-after-9999", "jsonl-before-year-1", "html-published-time", "rfc-2822"],
)  # fmt: skip
def test_a_date_out_of_the_calendar_is_no_date_and_the_run_goes_on(name: str, content: str):
    Path("seeds", name).write_text(content)
    result = indexed()
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1].startswith("searcher: 6 added, 0 updated, 0 removed, 0 unchanged, 0 failed")
    hits = json.loads(invoke("search", "--json", "zeppelin").stdout)["hits"]
    assert [(hit["date"], hit["date_source"]) for hit in hits] == [(None, "none")]
    cleaned = invoke("clean", "--json", f"seeds/{name}")
    assert cleaned.exit_code == 0, cleaned.stderr
    assert json.loads(cleaned.stdout)["date"] is None
    known_query_answers()


def test_a_jsonl_line_nested_a_hundred_thousand_deep_is_one_failure():
    deep = '{"id": "deep", "text": "x", "n": ' + "[" * 100_000 + "]" * 100_000 + "}"
    Path("seeds/feed.jsonl").write_text(deep + "\n" + json.dumps({"id": "ok", "text": ZEPPELIN}) + "\n")
    result = indexed()
    assert result.exit_code == 1
    assert failure_lines(result.stderr) == ["searcher: failed: seeds/feed.jsonl: line 1: JSON nested too deeply"]
    assert json.loads(invoke("search", "--json", "zeppelin").stdout)["total"] == 1
    cleaned = invoke("clean", "seeds/feed.jsonl")
    assert cleaned.exit_code == 1
    assert failure_lines(cleaned.stderr) == ["searcher: failed: seeds/feed.jsonl: line 1: JSON nested too deeply"]
    assert "zeppelin" in cleaned.stdout
    known_query_answers()


def test_a_file_name_that_is_not_utf8_is_one_failure():
    name = os.fsdecode(b"caf\xe9.txt")  # Latin-1 bytes: Python hands them over as a lone surrogate
    Path("seeds", name).write_text(f"Zeppelin\n\n{ZEPPELIN}\n")
    result = indexed()
    assert result.exit_code == 1
    assert failure_lines(result.stderr) == [
        "searcher: failed: seeds/caf\\udce9.txt: file name is not valid UTF-8; rename it to index it"
    ]
    assert result.stderr.splitlines()[-1].startswith("searcher: 5 added")
    cleaned = invoke("clean", "seeds")
    assert cleaned.exit_code == 1 and "Traceback" not in cleaned.stderr
    known_query_answers()


def test_a_fifo_in_the_corpus_is_passed_over_without_blocking():
    os.mkfifo("seeds/pipe.txt")
    for args in (["index", "seeds"], ["clean", "seeds"]):
        run = subprocess.run([sys.executable, "-m", "searcher", *args], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        assert run.stderr.splitlines()[-1].endswith("1 skipped: not a regular file (fifo 1)")
    assert json.loads(invoke("stats", "--json").stdout)["documents"] == 5
    given = subprocess.run([sys.executable, "-m", "searcher", "index", "seeds/pipe.txt"],
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert given.returncode == 1
    assert failure_lines(given.stderr) == ["searcher: failed: seeds/pipe.txt: not a regular file (fifo)"]
    known_query_answers()


def test_a_link_to_a_file_outside_the_corpus_is_not_indexed():
    Path("secret.txt").write_text("Secret\n\nThe zeppelin password is swordfish.\n")
    Path("seeds/passwd.txt").symlink_to(Path("secret.txt").resolve())
    Path("seeds/inside.txt").symlink_to(next(Path("seeds").glob("001_*.txt")).resolve())
    result = invoke("-v", "index", "seeds")
    assert result.exit_code == 0, result.stderr
    assert "searcher: skipped: seeds/passwd.txt: a link to a file outside the indexed paths (link)" in result.stderr
    assert json.loads(invoke("search", "--json", "swordfish").stdout)["total"] == 0
    known_query_answers()


def test_a_lone_surrogate_in_jsonl_is_replaced_and_every_output_works():
    record = '{"id": "sur\\ud800", "title": "Zeppelin \\udfff", "text": "The zeppelin \\ud800 landed."}'
    Path("seeds/feed.jsonl").write_text(record + "\n")
    assert indexed().exit_code == 0
    Path("queries.tsv").write_text("q1\tzeppelin\n")
    batch = ["search", "--batch", "queries.tsv"]
    for args in (["search", "zeppelin"], ["search", "--json", "zeppelin"], ["show", "sur"], ["show", "--json", "sur"],
                 batch, [*batch, "--format", "trec"]):  # fmt: skip
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert "\ufffd" in result.stdout or "\\ufffd" in result.stdout, args
    assert json.loads(invoke("show", "--json", "sur").stdout)["title"] == "Zeppelin \ufffd"
    known_query_answers()


@pytest.mark.parametrize("option", ["--after", "--before"])
def test_a_period_at_the_end_of_the_calendar_is_a_filter(option: str):
    Path("seeds", "dated.jsonl").write_text(json.dumps({"id": "dated", "text": "A zeppelin.", "date": "2019-07-12"}))
    indexed()
    result = invoke("search", "--json", option, "9999-12", "zeppelin")
    assert result.exit_code == 0, result.stderr
    ids = [hit["id"] for hit in json.loads(result.stdout)["hits"]]
    assert ids == ([] if option == "--after" else ["dated"])  # the seeds themselves state no date
    known_query_answers()


def test_a_batch_line_that_is_not_utf8_fails_alone():
    indexed()
    Path("queries.tsv").write_bytes(b"q1\tS-400\nq2\tcaf\xe9\nq3\tErdogan\n")
    result = invoke("search", "--batch", "queries.tsv", "--format", "trec")
    assert result.exit_code == 2
    assert one_line(result.stderr) == "searcher: query 2: line 2: not UTF-8"
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["q1"] * 3 + ["q3"] * 4
    known_query_answers()


def test_trec_output_escapes_hostile_ids_and_query_ids():
    records = [
        {"id": f"osc\x1b]52;c;{'x' * 8}\x07 and space\nline", "text": ZEPPELIN},
        {"id": "csi\x9b2J", "text": ZEPPELIN},
    ]
    Path("seeds/feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    indexed()
    Path("queries.tsv").write_text("q \x1b[2J1\tzeppelin\n")
    result = invoke("search", "--batch", "queries.tsv", "--format", "trec")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert sorted(line.split()[2] for line in lines) == ["csi%C2%9B2J", "osc%1B]52;c;xxxxxxxx%07%20and%20space%0Aline"]
    assert all(len(line.split()) == 6 and line.split()[0] == "q%20%1B[2J1" for line in lines)
    assert not any(c in result.stdout for c in "\x1b\x07\x9b")


# --- damaged or unwritable places ----------------------------------------------------------------


def read_only_file_system(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every folder or file created under the working directory fails as on a read-only mount."""

    def refused(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "mkdir", refused)
    monkeypatch.setattr(os, "mkdir", refused)


@pytest.mark.parametrize("args", [["index", "seeds"], ["search", "S-400"]], ids=["index", "first-search"])
def test_a_new_index_on_a_read_only_file_system_is_one_line(monkeypatch: pytest.MonkeyPatch, args: list[str]):
    with monkeypatch.context() as patched:
        read_only_file_system(patched)
        result = invoke(*args)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == "Error: cannot create the index at index (Read-only file system)"
    assert "Traceback" not in result.stderr
    assert not INDEX.exists()
    known_query_answers()  # once the file system is writable, the first search builds it


def test_an_index_without_a_dated_article_has_counts_not_damage():
    Path("undated").mkdir()
    Path("undated/a.txt").write_text(f"Zeppelin\n\n{ZEPPELIN}\n")
    assert invoke("index", "undated").exit_code == 0
    stats = invoke("stats", "--json")
    assert stats.exit_code == 0, stats.stderr
    assert (json.loads(stats.stdout)["years"], json.loads(stats.stdout)["undated"]) == ({}, 1)
    for option in ("--facets", "--timeline"):
        result = invoke("search", "--json", option, "zeppelin")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["total"] == 1
    assert "Timeline: no dated matches" in invoke("search", "--timeline", "zeppelin").stdout


def test_a_missing_corpus_folder_is_one_failure_and_keeps_its_articles():
    Path("news").mkdir()
    Path("news/a.txt").write_text(f"Zeppelin\n\n{ZEPPELIN}\n")
    assert indexed("news").exit_code == 0
    Path("news").rename("unmounted")
    result = invoke("index")
    assert result.exit_code == 1
    assert failure_lines(result.stderr) == ["searcher: failed: news: no such file or folder"]
    assert result.stderr.splitlines()[-1].startswith("searcher: 0 added, 0 updated, 0 removed, 5 unchanged, 1 failed")
    assert json.loads(invoke("stats", "--json").stdout)["documents"] == 6
    assert json.loads(invoke("search", "--json", "zeppelin").stdout)["total"] == 1
    known_query_answers()


# --- memory -------------------------------------------------------------------------------------


def test_topics_with_a_huge_name_are_listed_without_padding_every_line_to_it():
    names = [f"t{i}" for i in range(200)] + ["x" * 200_000]
    Path("seeds/feed.jsonl").write_text(json.dumps({"id": "tags", "text": ZEPPELIN, "topics": names}) + "\n")
    assert indexed().exit_code == 0
    result = invoke("topics")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout) < 220_000  # the listing's own size; padded, it was 200 lines of 200,000
    assert f"{'t7':<32}  {1:>6}" in [line.rstrip() for line in result.stdout.splitlines()]
    known_query_answers()


def test_an_incremental_update_streams_its_files_instead_of_holding_them_all(monkeypatch: pytest.MonkeyPatch):
    from searcher.engine.whoosh import writers
    from searcher.index import update

    indexed()
    Path("more").mkdir()
    for i in range(30):
        Path(f"more/{i:02}.txt").write_text(f"Story {i}\n\nA zeppelin story number {i}.\n")
    read, read_at_first_add = [], []
    real_read, real_add = update.read_documents, writers.SerialWriter.add

    def counted_read(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        read.append(1)
        return real_read(*args, **kwargs)

    def first_add(self, document):  # noqa: ANN001, ANN202
        read_at_first_add.append(len(read)) if not read_at_first_add else None
        return real_add(self, document)

    with monkeypatch.context() as patched:
        patched.setattr(update, "PARALLEL_MIN_DOCUMENTS", 10)  # the look-ahead that picks the writer
        patched.setattr(update, "read_documents", counted_read)
        patched.setattr(writers.SerialWriter, "add", first_add)
        result = invoke("index", "--jobs", "1", "more")
    assert result.exit_code == 0, result.stderr
    assert (len(read), read_at_first_add) == (30, [10])  # not all 30 files held before the first is written
    assert json.loads(invoke("stats", "--json").stdout)["documents"] == 35
    known_query_answers()
