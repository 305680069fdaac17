"""A parallel `searcher index` and its worker processes, killed and interrupted for real: a dead
worker fails the run instead of losing its articles, and a killed, stopped or interrupted run
leaves no worker behind holding the index."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli
from tests.conftest import wait_for

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds worker processes in /proc")

RECORDS = 400
# `searcher index --jobs 2` with worker processes whatever the size of the corpus, and each article
# taking 20 ms to prepare, so that a run lasts long enough to be killed in the middle.
PARALLEL_SLOW_INDEX = textwrap.dedent(
    """
    import sys, time
    import searcher.index.update as update
    import searcher.pipeline as pipeline
    update.PARALLEL_MIN_BYTES = update.PARALLEL_MIN_DOCUMENTS = 0
    real = pipeline.process
    def slow(document, taxonomy):
        time.sleep(0.02)
        return real(document, taxonomy)
    pipeline.process = slow
    from searcher.cli import main
    sys.argv = ["searcher", "index", "--jobs", "2", *sys.argv[1:]]
    main()
    """
)


def corpus() -> Path:
    path = Path("corpus/wire.jsonl")
    path.parent.mkdir(exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(RECORDS):
            text = f"Story {i} on the grain harvest and the markets, as the ministers met for talks. " * 5
            handle.write(json.dumps({"id": f"w{i}", "title": f"Harvest report {i}", "text": text}) + "\n")
    return path


def as_from_a_terminal() -> None:
    """A child's SIGINT as a terminal gives it: a suite run in the background (where the shell sets
    SIGINT to ignored, and children inherit that) still sends the interrupts these tests need."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_index(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", PARALLEL_SLOW_INDEX, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_from_a_terminal,
    )


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def workers(pid: int) -> list[int]:
    """The run's worker processes (multiprocessing may add a resource tracker: not a worker)."""
    found = []
    for child in children(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" not in command:
            found.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def running_workers(run: subprocess.Popen) -> list[int]:
    """Waits until the run has both its workers, well into the corpus."""
    wait_for(lambda: len(workers(run.pid)) == 2, timeout=60)
    time.sleep(1.0)
    return workers(run.pid)


def hits(query: str) -> int:
    result = CliRunner().invoke(cli, ["search", "--json", query])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["total"]


def test_a_worker_killed_mid_run_fails_the_run_and_the_next_run_redoes_it():
    source = corpus()
    run = start_index(str(source))
    os.kill(running_workers(run)[0], signal.SIGKILL)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert "a worker process was killed (SIGKILL) while indexing; nothing was written" in stderr
    again = CliRunner().invoke(cli, ["index", str(source)])
    assert again.exit_code == 0, again.stderr
    assert f"{RECORDS} added" in again.stderr
    assert hits("harvest") == RECORDS


def test_kill_9_of_a_parallel_rebuild_leaves_no_worker_and_no_lock():
    source = corpus()
    assert CliRunner().invoke(cli, ["index", "seeds"]).exit_code == 0
    run = start_index("--rebuild", str(source))
    left = running_workers(run)
    run.send_signal(signal.SIGKILL)
    run.communicate(timeout=30)
    wait_for(lambda: not any(alive(pid) for pid in left), timeout=5)
    assert hits("S-400") == 3  # the old index still answers
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["index", "--lock-timeout", "5", "seeds"])
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("stop", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_sigint_end_the_whole_run_in_one_line(stop: signal.Signals, code: int):
    source = corpus()
    assert CliRunner().invoke(cli, ["index", "seeds"]).exit_code == 0
    run = start_index("--rebuild", str(source))
    left = running_workers(run)
    run.send_signal(stop)
    _, stderr = run.communicate(timeout=30)
    assert run.returncode == code, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines == [
        "searcher: stopped; nothing of this run was written, and searches still use the last complete index"
    ]
    wait_for(lambda: not any(alive(pid) for pid in left), timeout=5)
    assert hits("S-400") == 3 and hits("harvest") == 0


STOPPED = "searcher: stopped; nothing of this run was written, and searches still use the last complete index"


def test_ctrl_c_at_a_terminal_stops_the_run_and_its_workers_in_one_line():
    """A terminal's Ctrl-C sends SIGINT to the whole foreground process group, workers included."""
    source = corpus()
    assert CliRunner().invoke(cli, ["index", "seeds"]).exit_code == 0
    run = subprocess.Popen(
        [sys.executable, "-c", PARALLEL_SLOW_INDEX, "--rebuild", str(source)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=as_from_a_terminal,
    )  # fmt: skip
    left = running_workers(run)
    os.killpg(run.pid, signal.SIGINT)
    _, stderr = run.communicate(timeout=30)
    assert run.returncode == 130, stderr
    assert [line for line in stderr.splitlines() if line.strip()] == [
        "searcher: stopped; nothing of this run was written, and searches still use the last complete index"
    ]
    wait_for(lambda: not any(alive(pid) for pid in left), timeout=5)
    assert hits("S-400") == 3 and hits("harvest") == 0


def test_ctrl_c_of_a_run_in_one_process_is_one_line_too():
    source = corpus()
    assert CliRunner().invoke(cli, ["index", "seeds"]).exit_code == 0
    serial = PARALLEL_SLOW_INDEX.replace('"--jobs", "2"', '"--jobs", "1"')
    run = subprocess.Popen(
        [sys.executable, "-c", serial, "--rebuild", str(source)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=as_from_a_terminal,
    )  # fmt: skip
    time.sleep(2.0)  # its 400 articles take 8 s to prepare
    os.killpg(run.pid, signal.SIGINT)
    _, stderr = run.communicate(timeout=30)
    assert run.returncode == 130, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines in ([STOPPED], ["searcher: interrupted"])  # stopped while indexing, or still starting
    assert hits("S-400") == 3 and hits("harvest") == 0


def test_ctrl_c_of_a_search_is_one_line_and_exit_130():
    assert CliRunner().invoke(cli, ["index", "seeds"]).exit_code == 0
    slow_search = (
        "import sys, time\n"
        "import searcher.search as search\n"
        "search.parse_query = lambda *args: time.sleep(60)\n"
        "from searcher.cli import main\n"
        "sys.argv = ['searcher', 'search', 'S-400']\n"
        "main()\n"
    )
    run = subprocess.Popen([sys.executable, "-c", slow_search], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, start_new_session=True, preexec_fn=as_from_a_terminal)  # fmt: skip
    time.sleep(2.0)
    os.killpg(run.pid, signal.SIGINT)
    stdout, stderr = run.communicate(timeout=30)
    assert run.returncode == 130, stderr
    assert stderr == "searcher: interrupted\n" and stdout == ""
