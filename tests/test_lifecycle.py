"""The index's life with real processes: killed rebuilds, two writers, searches during writes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
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
    first = searcher_process("index", "seeds", "corpus")
    second = searcher_process("index", "seeds", "corpus")
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
