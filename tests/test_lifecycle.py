"""The index's life with real processes: killed rebuilds, two writers, searches during writes."""

from __future__ import annotations

import errno
import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli
from searcher.cli.output import progress_line
from searcher.engine.whoosh import writers
from searcher.index import update_index, writer_lock
from searcher.models import Progress
from searcher.search import index_stats
from tests.conftest import wait_for

INDEX = Path("index")


def big_corpus(records: int = 6000) -> Path:
    """A JSONL file large enough that indexing it takes a few seconds."""
    path = Path("corpus/big.jsonl")
    path.parent.mkdir(exist_ok=True)
    words = ["pipeline", "ministers", "talks", "gas", "border", "treaty", "summit", "election", "harvest", "markets"]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(records):
            text = " ".join(words[(i + j) % len(words)] for j in range(80)) + f" story{i}."
            handle.write(json.dumps({"id": f"r{i}", "title": f"Story {i}", "text": text}) + "\n")
    return path


def searcher_process(*args: str) -> subprocess.Popen:
    """`searcher ARGS` in a process of its own; finish it with communicate(), which closes its pipe."""
    return subprocess.Popen(
        [sys.executable, "-m", "searcher", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def generations() -> set[str]:
    return {p.name for p in INDEX.glob("gen-*")}


def seed_hits(runner: CliRunner) -> int:
    result = runner.invoke(cli, ["search", "--json", "S-400"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["total"]


def test_a_rebuild_killed_with_sigkill_leaves_the_old_index_answering(runner: CliRunner):
    update_index(INDEX, [Path("seeds")])
    before = generations()
    big_corpus()
    rebuild = searcher_process("index", "--rebuild", "seeds", "corpus")
    wait_for(lambda: len(generations()) > len(before))
    time.sleep(0.5)
    rebuild.send_signal(signal.SIGKILL)
    rebuild.communicate()
    assert seed_hits(runner) == 3
    assert (INDEX / "CURRENT").read_text().strip() in before
    result = runner.invoke(cli, ["index"])  # the next writer clears the half-built generation
    assert result.exit_code == 0
    assert generations() == before


def test_a_second_indexer_waits_then_fails_in_one_line():
    update_index(INDEX, [Path("seeds")])
    with writer_lock(INDEX, timeout=1):
        second = searcher_process("index", "--lock-timeout", "1")
        _, stderr = second.communicate(timeout=30)
    assert second.returncode == 1
    lines = stderr.strip().splitlines()
    assert lines[0].startswith("searcher: waiting for another searcher writing to index")
    assert lines[-1].startswith("Error: another searcher is writing to index; gave up after 1s")


def test_two_indexers_at_once_both_finish_and_agree():
    big_corpus(2000)
    # The second waits as long as the first takes: on a loaded machine that was over the default 30 s.
    first = searcher_process("index", "--lock-timeout", "600", "seeds", "corpus")
    second = searcher_process("index", "--lock-timeout", "600", "seeds", "corpus")
    first.communicate(timeout=120)
    second.communicate(timeout=120)
    assert (first.returncode, second.returncode) == (0, 0)
    runner = CliRunner()
    stats = json.loads(runner.invoke(cli, ["stats", "--json"]).stdout)
    assert stats["documents"] == 2005


def test_searches_answer_while_a_rebuild_writes(runner: CliRunner):
    update_index(INDEX, [Path("seeds")])
    big_corpus()
    rebuild = searcher_process("index", "--rebuild", "seeds", "corpus")
    answers = []
    while rebuild.poll() is None:
        answers.append(seed_hits(runner))
    _, stderr = rebuild.communicate()
    assert rebuild.returncode == 0, stderr
    assert answers and set(answers) == {3}
    assert json.loads(runner.invoke(cli, ["stats", "--json"]).stdout)["documents"] == 6005


def test_small_updates_do_not_pile_up_segments():
    update_index(INDEX, [Path("seeds")])
    for i in range(3):
        Path(f"seeds/extra{i}.txt").write_text(f"Extra story {i}\n\nA zeppelin story number {i}.\n")
        update_index(INDEX)
    Path("seeds/extra0.txt").unlink()
    update_index(INDEX)
    stats = index_stats(INDEX)
    assert (stats.segments, stats.documents) == (1, 7)


def test_optimize_merges_segments(runner: CliRunner, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(writers, "SMALL_SEGMENT_DOCS", 0)  # as if every update were large
    update_index(INDEX, [Path("seeds")])
    for i in range(3):
        Path(f"seeds/extra{i}.txt").write_text(f"Extra story {i}\n\nA zeppelin story number {i}.\n")
        update_index(INDEX)
    assert json.loads(runner.invoke(cli, ["stats", "--json"]).stdout)["segments"] > 1
    result = runner.invoke(cli, ["index", "--optimize"])
    assert result.exit_code == 0
    stats = json.loads(runner.invoke(cli, ["stats", "--json"]).stdout)
    assert (stats["segments"], stats["documents"]) == (1, 8)


def test_stats_describe_the_index(runner: CliRunner):
    dated = Path("seeds/2019/05")  # the seeds state no date of their own; a dated folder gives one
    dated.mkdir(parents=True)
    seed = next(Path("seeds").glob("004_*.txt"))
    seed.rename(dated / seed.name)
    update_index(INDEX, [Path("seeds")])
    result = runner.invoke(cli, ["stats"])
    assert result.exit_code == 0
    assert "documents:  5 (4 without a date)" in result.stdout
    assert "defence 5" in result.stdout and "2019 1" in result.stdout
    assert str(Path("seeds").resolve()) in result.stdout


def test_progress_line_shows_rate_and_time_left():
    line = progress_line(Progress(bytes_done=50, bytes_total=100, documents=1000), elapsed=10.0)
    assert line.startswith("indexing  50% ")
    assert "1,000 docs  100 docs/s  0:10 left" in line


def test_with_workers_progress_is_of_documents_indexed_not_files_read():
    # All files read, 1,000 documents queued, 100 of them cleaned and indexed by the workers.
    line = progress_line(Progress(bytes_done=100, bytes_total=100, documents=1000, prepared=100), elapsed=10.0)
    assert line.startswith("indexing  10% ")
    assert "100 docs  10 docs/s  1:30 left" in line
    half_read = progress_line(Progress(bytes_done=50, bytes_total=100, documents=500, prepared=250), elapsed=10.0)
    assert half_read.startswith("indexing  25% ")  # 250 of the 1,000 that the files read so far promise
    writing = progress_line(Progress(100, 100, 1000, "committing", prepared=900), elapsed=75.0)
    assert writing == "indexing: 900 of 1,000 documents cleaned; writing the index...  1:15 elapsed"


def test_no_progress_bar_when_stderr_is_not_a_terminal(runner: CliRunner):
    result = runner.invoke(cli, ["index", "seeds"])
    assert "\r" not in result.stderr and "docs/s" not in result.stderr


def test_schema_change_asks_for_a_rebuild(runner: CliRunner):
    update_index(INDEX, [Path("seeds")])
    manifest = next(INDEX.glob("gen-*/searcher.json"))
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "schema_version": 0}))
    result = runner.invoke(cli, ["search", "Putin"])
    assert result.exit_code == 1
    assert "rebuild it with: searcher index --rebuild" in result.stderr
    assert runner.invoke(cli, ["index", "--rebuild"]).exit_code == 0
    assert seed_hits(runner) == 3


# --- the file state commits with the index ------------------------------------------------------

KILLED_AT_STATE_SAVE = """
import os, signal, sys
from searcher.index import update
from searcher.cli import main

def killed(*_args):
    os.kill(os.getpid(), signal.SIGKILL)

update.save_state = killed
sys.argv = ["searcher", *sys.argv[1:]]
main()
"""


def killed_at_state_save(*args: str) -> int:
    """`searcher ARGS` in its own process, killed with SIGKILL once Whoosh has committed and
    before the file state is saved: the moment a crash used to make the next run add files twice."""
    process = subprocess.run([sys.executable, "-c", KILLED_AT_STATE_SAVE, *args], capture_output=True, timeout=120)
    return process.returncode


def documents(runner: CliRunner) -> int:
    return json.loads(runner.invoke(cli, ["stats", "--json"]).stdout)["documents"]


def test_a_kill_between_the_commit_and_the_file_state_adds_nothing_twice(runner: CliRunner):
    update_index(INDEX, [Path("seeds")])
    Path("seeds/new.txt").write_text("New story\n\nA zeppelin landed in Ankara.\n")
    assert killed_at_state_save("index") == -signal.SIGKILL
    result = runner.invoke(cli, ["index"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1].startswith("searcher: 0 added, 0 updated, 0 removed, 6 unchanged, 0 failed")
    assert documents(runner) == 6
    assert seed_hits(runner) == 3
    found = json.loads(runner.invoke(cli, ["search", "--json", "zeppelin"]).stdout)
    assert [hit["id"] for hit in found["hits"]] == ["seeds/new.txt"]


def test_a_full_disk_when_the_file_state_is_saved_adds_nothing_twice(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
):
    update_index(INDEX, [Path("seeds")])
    Path("seeds/new.txt").write_text("New story\n\nA zeppelin landed in Ankara.\n")
    from searcher.index import update

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(update, "save_state", full)
        result = runner.invoke(cli, ["index"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: cannot write the index at index (No space left on device); searches still use the last complete index"
    )
    again = runner.invoke(cli, ["index"])
    assert again.exit_code == 0, again.stderr
    assert documents(runner) == 6
    assert seed_hits(runner) == 3


@pytest.mark.parametrize(
    "damage",
    [b"", b"{not json", b"\xff\xfe", b"[1, 2]", b'{"format": "searcher-files", "whoosh_generation": 1, "files": 7}',
     b"[" * 100_000 + b"]" * 100_000],
    ids=["empty", "garbage", "not-utf8", "a-list", "hand-edited", "nested-100000-deep"],
)  # fmt: skip
def test_a_damaged_file_state_is_rebuilt_from_the_index(runner: CliRunner, damage: bytes):
    update_index(INDEX, [Path("seeds")])
    next(INDEX.glob("gen-*/files.json")).write_bytes(damage)
    Path("seeds/new.txt").write_text("New story\n\nA zeppelin landed in Ankara.\n")
    result = runner.invoke(cli, ["index"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1].startswith("searcher: 1 added, 0 updated, 0 removed, 5 unchanged, 0 failed")
    assert documents(runner) == 6
    assert seed_hits(runner) == 3


def test_a_record_moved_into_a_jsonl_file_that_sorts_earlier_stays_indexed(runner: CliRunner):
    Path("feeds").mkdir()
    Path("feeds/b.jsonl").write_text(
        '{"id": "moved", "text": "A zeppelin over Ankara."}\n{"id": "stays", "text": "A harvest story."}\n'
    )
    update_index(INDEX, [Path("seeds"), Path("feeds")])
    Path("feeds/a.jsonl").write_text('{"id": "moved", "text": "A zeppelin over Ankara."}\n')
    Path("feeds/b.jsonl").write_text('{"id": "stays", "text": "A harvest story."}\n')
    moved = runner.invoke(cli, ["index"])
    assert moved.exit_code == 0, moved.stderr
    assert moved.stderr.splitlines()[-1].startswith("searcher: 1 added, 0 updated, 1 removed, 6 unchanged, 0 failed")
    later = runner.invoke(cli, ["index"])
    assert later.stderr.splitlines()[-1].startswith("searcher: 0 added, 0 updated, 0 removed, 7 unchanged, 0 failed")
    assert documents(runner) == 7
    found = json.loads(runner.invoke(cli, ["search", "--json", "zeppelin"]).stdout)
    assert [(hit["id"], Path(hit["path"]).name) for hit in found["hits"]] == [("moved", "a.jsonl")]
    assert seed_hits(runner) == 3


# --- a damaged index: one line, and a rebuild with paths works from any state --------------------


def damage_current(how: str) -> None:
    current = INDEX / "CURRENT"
    if how == "folder":
        current.unlink()
        current.mkdir()
    elif how == "missing-generation":
        for generation in INDEX.glob("gen-*"):
            shutil.rmtree(generation)
    else:
        current.write_bytes(
            {"garbage": b"garbage\n", "empty": b"", "escape": b"../../etc\n", "not-utf8": b"\xff\xfe"}[how]
        )


def damage_manifest(how: str) -> None:
    manifest = next(INDEX.glob("gen-*/searcher.json"))
    data = json.loads(manifest.read_text())
    manifest.write_text({
        "truncated": manifest.read_text()[:20],
        "roots-a-string": json.dumps({**data, "roots": "/etc"}),
        "no-taxonomy": json.dumps({k: v for k, v in data.items() if k != "taxonomy"}),
        "nested-100000-deep": '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}",
    }[how])  # fmt: skip


DAMAGES = [(damage_current, how) for how in ("garbage", "empty", "escape", "not-utf8", "folder", "missing-generation")]
DAMAGES += [(damage_manifest, how) for how in ("truncated", "roots-a-string", "no-taxonomy", "nested-100000-deep")]


@pytest.mark.parametrize(("damage", "how"), DAMAGES, ids=[f"{d.__name__[7:]}-{how}" for d, how in DAMAGES])
def test_a_damaged_index_says_so_in_one_line_and_a_rebuild_with_paths_recovers(
    runner: CliRunner, damage: Callable[[str], None], how: str
):
    update_index(INDEX, [Path("seeds")])
    damage(how)
    for args in (["search", "S-400"], ["index"], ["stats"], ["index", "--rebuild"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, (args, result.stderr)
        assert lines[0].startswith("Error: ") and "damaged" in lines[0], (args, lines)
        assert lines[0].endswith("searcher index --rebuild PATH"), (args, lines)
    rebuilt = runner.invoke(cli, ["index", "--rebuild", "seeds"])
    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert rebuilt.stderr.splitlines()[-1].startswith("searcher: 5 added, 0 updated, 0 removed, 0 unchanged, 0 failed")
    assert documents(runner) == 5
    assert seed_hits(runner) == 3
    assert len(generations()) == 1


def test_a_rebuild_with_a_damaged_manifest_never_indexes_seeds_instead(runner: CliRunner):
    Path("corpus").mkdir()
    Path("corpus/a.txt").write_text("Zeppelin\n\nA zeppelin landed in Ankara.\n")
    update_index(INDEX, [Path("corpus")])
    damage_manifest("truncated")
    result = runner.invoke(cli, ["index", "--rebuild"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: the index at index is damaged and its paths cannot be read; "
        "rebuild it from yours with: searcher index --rebuild PATH"
    )
    assert runner.invoke(cli, ["index", "--rebuild", "corpus"]).exit_code == 0
    assert documents(runner) == 1


def test_a_search_racing_an_update_commit_answers_from_the_new_commit(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
):
    update_index(INDEX, [Path("seeds")])
    Path("seeds/new.txt").write_text("New story\n\nA zeppelin with S-400 missiles landed in Ankara.\n")
    from searcher.engine.whoosh import searching

    real_check = searching._holds_articles
    committed = []

    def commit_in_between(index_root: Path, searcher: object) -> None:
        """The search has opened the index; an update commits now, merging away its segment."""
        if not committed:
            committed.append(update_index(INDEX).added)
        real_check(index_root, searcher)

    with monkeypatch.context() as patched:
        patched.setattr(searching, "_holds_articles", commit_in_between)
        result = runner.invoke(cli, ["search", "--json", "S-400"])
    assert committed == [1]
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["total"] == 4


def test_a_failed_rebuild_of_a_damaged_index_keeps_the_damaged_generation(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
):
    update_index(INDEX, [Path("seeds")])
    before = generations()
    damage_manifest("truncated")  # its segments still hold every article: it is not deleted before a new one is whole
    from whoosh.filedb.filestore import FileStorage

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(FileStorage, "create_file", full)
        result = runner.invoke(cli, ["index", "--rebuild", "seeds"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: cannot write the index at index (No space left on device); searches still use the last complete index"
    )
    assert generations() == before
    assert runner.invoke(cli, ["index", "--rebuild", "seeds"]).exit_code == 0
    assert documents(runner) == 5
    assert seed_hits(runner) == 3
