"""The cluster index's life as a user meets it: bad URLs and an unreachable cluster in one line, the
one-writer lease, a killed rebuild that leaves searches answering, a killed update that is never
seen half-done, and a three-node cluster that keeps answering, with nothing lost, when a node dies."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli
from searcher.engine import close_engines, open_engine
from tests.conftest import wait_for
from tests.opensearch_node import Cluster, NodeUnavailable, start_cluster

S400_SEEDS = ["seeds/001_404ae92723a5d202.txt", "seeds/003_64ddee58b6d909bd.txt", "seeds/004_b3c8d90984622411.txt"]


def _search_ids(runner: CliRunner, url: str, query: str) -> list[str]:
    result = runner.invoke(cli, ["--engine", url, "search", "--json", "-n", "50", query])
    assert result.exit_code == 0, result.stderr
    return sorted(hit["id"] for hit in json.loads(result.stdout)["hits"])


# Without a node: what the command says about the URL and a cluster it cannot reach.


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("opensearch://admin:secret@localhost:9200/news", "credentials do not belong in the engine URL"),
        ("opensearch://localhost:9200/News!", "is not a usable index name"),
        ("opensearch://localhost:notaport/news", "bad port"),
    ],
)
def test_a_bad_engine_url_is_a_usage_error_in_one_line(runner: CliRunner, url: str, said: str):
    result = runner.invoke(cli, ["--engine", url, "search", "putin"])
    assert result.exit_code == 2
    assert said in result.stderr and "Traceback" not in result.stderr


def test_an_unreachable_cluster_is_one_line_and_exit_1(runner: CliRunner):
    pytest.importorskip("opensearchpy", reason='the OpenSearch engine needs: pip install "searcher[opensearch]"')
    from tests.opensearch_node import free_port

    url = f"opensearch://127.0.0.1:{free_port()}/news"  # nothing listens there
    result = runner.invoke(cli, ["--engine", url, "stats"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot reach OpenSearch at {url}")
    assert len(result.stderr.strip().splitlines()) == 1
    close_engines()


# On the session's node.


@pytest.fixture
def engine_url(opensearch_node: Cluster) -> Iterator[str]:
    pytest.importorskip("opensearchpy", reason='the OpenSearch engine needs: pip install "searcher[opensearch]"')
    name = f"life-{uuid.uuid4().hex[:12]}"
    yield f"opensearch://127.0.0.1:{opensearch_node.nodes[0].http_port}/{name}"
    close_engines()
    from opensearchpy import OpenSearch

    client = OpenSearch(opensearch_node.url)
    client.indices.delete(index=f"{name}-*", expand_wildcards="all", ignore_unavailable=True)
    client.close()


@pytest.mark.opensearch
def test_a_second_writer_waits_for_the_lease_then_gives_up(runner: CliRunner, engine_url: str):
    assert runner.invoke(cli, ["--engine", engine_url, "index", "seeds"]).exit_code == 0
    with open_engine(engine_url).writer_lock(timeout=5, on_wait=None):
        result = runner.invoke(cli, ["--engine", engine_url, "index", "--lock-timeout", "1"])
    assert result.exit_code == 1
    assert "is writing to" in result.stderr and "gave up after 1s" in result.stderr
    assert runner.invoke(cli, ["--engine", engine_url, "index"]).exit_code == 0  # released


@pytest.mark.opensearch
def test_a_killed_rebuild_leaves_the_alias_and_is_cleaned_up_next_run(runner: CliRunner, engine_url: str):
    assert runner.invoke(cli, ["--engine", engine_url, "index", "seeds"]).exit_code == 0
    engine = open_engine(engine_url)
    served = engine.physical()
    half_built = engine.new_generation()  # what a rebuild killed before its switch leaves
    assert _search_ids(runner, engine_url, "S-400") == S400_SEEDS
    assert engine.physical() == served
    assert runner.invoke(cli, ["--engine", engine_url, "index"]).exit_code == 0
    assert not engine.client.indices.exists(index=half_built.name)
    assert engine.physical() == served


@pytest.mark.opensearch
def test_a_rebuild_moves_the_alias_and_drops_the_old_generation(runner: CliRunner, engine_url: str):
    assert runner.invoke(cli, ["--engine", engine_url, "index", "seeds"]).exit_code == 0
    engine = open_engine(engine_url)
    old = engine.physical()
    assert runner.invoke(cli, ["--engine", engine_url, "index", "--rebuild"]).exit_code == 0
    assert engine.physical() != old and not engine.client.indices.exists(index=old)
    assert _search_ids(runner, engine_url, "S-400") == S400_SEEDS


@pytest.mark.opensearch
def test_a_search_whose_generation_a_rebuild_deletes_on_its_way_reads_the_new_one(runner: CliRunner, engine_url: str):
    """A rebuild in another process publishes its generation and deletes the old one just as a
    search reaches the cluster, addressed to the old one: the search answers from the new."""
    assert runner.invoke(cli, ["--engine", engine_url, "index", "seeds"]).exit_code == 0
    engine = open_engine(engine_url)  # the one the command below uses (one engine per URL and process)
    old, real_search, raced = engine.physical(), engine.client.search, []

    def search_racing_a_rebuild(*args, index: str, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the client's own
        if not raced:
            raced.append(index)
            rebuild = [sys.executable, "-m", "searcher", "--engine", engine_url, "index", "--rebuild", "seeds"]
            subprocess.run(rebuild, check=True, capture_output=True)
            index = old  # where the cluster had routed this request before the switch
        return real_search(*args, index=index, **kwargs)

    engine.client.search = search_racing_a_rebuild
    try:
        found = _search_ids(runner, engine_url, "S-400")
    finally:
        engine.client.search = real_search
    assert raced and engine.physical() != old and not engine.client.indices.exists(index=old)
    assert found == S400_SEEDS


# An update killed half-way: one run's writes are seen all at once or not at all.

# Enough records that the update sends several bulk requests (500 actions each) before it is killed.
UPDATE_RECORDS = 4000


def _write_records(word: str) -> Path:
    """./corpus/records.jsonl: UPDATE_RECORDS harbour reports, each naming `word` once."""
    path = Path("corpus", "records.jsonl")
    path.parent.mkdir(exist_ok=True)
    lines = [json.dumps({"id": f"harbour-{i}", "title": f"Harbour report {i}",
                         "text": f"The harbour master counted {i} ships and one {word} crane today."})
             for i in range(UPDATE_RECORDS)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _total(runner: CliRunner, url: str, word: str) -> int:
    result = runner.invoke(cli, ["--engine", url, "search", "--count", "--no-collapse", word])
    assert result.exit_code == 0, result.stderr
    return int(result.stdout)


def _generations(engine) -> set[str]:  # noqa: ANN001 - the OpenSearch engine
    return set(engine.client.indices.get(index=f"{engine.location.name}-gen-*"))


def _kill_update_half_way(engine) -> None:  # noqa: ANN001 - the OpenSearch engine
    """Runs `searcher index` in a process of its own and SIGKILLs it once the cluster has taken some
    of its writes, then refreshes every index of the name, as a restart or any client could. The
    dead run's writer lease is run out at once (it would be after LOCK_LEASE seconds)."""
    from searcher.engine.opensearch.writing import LOCK_ID

    def written() -> int:  # documents the cluster took into the name's generations, wherever they went
        stats = engine.client.indices.stats(index=f"{engine.location.name}-gen-*", metric="indexing")["indices"]
        return sum(each["primaries"]["indexing"]["index_total"] for name, each in stats.items()
                   if not name.endswith("-files"))  # fmt: skip

    before = written()
    command = [sys.executable, "-m", "searcher", "--engine", str(engine.location), "index"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: written() > before or process.poll() is not None, timeout=300)
        assert process.poll() is None, "the update finished before it could be killed half-way"
    finally:
        process.kill()
        process.wait()
    engine.client.indices.refresh(index=f"{engine.location.name}*")
    lock = f"{engine.location.name}-lock"
    engine.client.update(index=lock, id=LOCK_ID, body={"doc": {"expires": 0}}, refresh=True)


@pytest.mark.opensearch
def test_a_killed_update_is_never_seen_and_the_next_run_publishes_it_whole(runner: CliRunner, engine_url: str):
    _write_records("alpha")
    assert runner.invoke(cli, ["--engine", engine_url, "index", "corpus"]).exit_code == 0
    engine = open_engine(engine_url)
    served = engine.physical()
    _write_records("omega")  # every record changes

    _kill_update_half_way(engine)

    assert engine.physical() == served
    assert (_total(runner, engine_url, "alpha"), _total(runner, engine_url, "omega")) == (UPDATE_RECORDS, 0)
    assert runner.invoke(cli, ["--engine", engine_url, "index"]).exit_code == 0
    assert (_total(runner, engine_url, "alpha"), _total(runner, engine_url, "omega")) == (0, UPDATE_RECORDS)
    assert _generations(engine) == {engine.physical(), f"{engine.physical()}-files"}  # the killed copy deleted


@pytest.mark.opensearch
def test_a_killed_update_of_files_changed_back_leaves_the_index_as_the_files_are(runner: CliRunner, engine_url: str):
    _write_records("alpha")
    assert runner.invoke(cli, ["--engine", engine_url, "index", "corpus"]).exit_code == 0
    engine = open_engine(engine_url)
    _write_records("omega")
    _kill_update_half_way(engine)
    _write_records("alpha")  # the edit undone before the next run: its records are unchanged again

    assert runner.invoke(cli, ["--engine", engine_url, "index"]).exit_code == 0
    engine.client.indices.refresh(index=f"{engine.location.name}*")
    assert (_total(runner, engine_url, "alpha"), _total(runner, engine_url, "omega")) == (UPDATE_RECORDS, 0)


# Three nodes, one replica of each shard.


@pytest.fixture(scope="module")
def three_nodes(opensearch_classpath: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    from tests.conftest import _skip_or_fail

    try:
        cluster = start_cluster(opensearch_classpath, tmp_path_factory.mktemp("three"), size=3, name="three")
    except NodeUnavailable as error:
        _skip_or_fail(str(error))
        raise
    yield cluster
    cluster.stop()


@pytest.mark.opensearch
def test_a_three_node_cluster_answers_with_everything_when_a_node_dies(runner: CliRunner, three_nodes: Cluster):
    pytest.importorskip("opensearchpy", reason='the OpenSearch engine needs: pip install "searcher[opensearch]"')
    hosts = ",".join(f"127.0.0.1:{node.http_port}" for node in three_nodes.nodes)
    url = f"opensearch://{hosts}/news"
    assert runner.invoke(cli, ["--engine", url, "index", "seeds"]).exit_code == 0
    engine = open_engine(url)
    settings = engine.client.indices.get_settings(index=engine.physical())
    assert next(iter(settings.values()))["settings"]["index"]["number_of_replicas"] == "1"
    engine.client.cluster.health(index=engine.physical(), wait_for_status="green")
    before = _search_ids(runner, url, "Putin")

    three_nodes.nodes[0].kill()  # the first node listed, maybe the elected manager: a crash, not a shutdown
    close_engines()  # a new command: a new client, which finds the dead node itself

    assert _search_ids(runner, url, "Putin") == before
    assert _search_ids(runner, url, "S-400") == S400_SEEDS
    stats = runner.invoke(cli, ["--engine", url, "stats", "--json"])
    assert stats.exit_code == 0, stats.stderr
    assert json.loads(stats.stdout)["documents"] == 5


@pytest.mark.opensearch
def test_a_three_node_cluster_takes_an_update_after_a_node_died(runner: CliRunner, three_nodes: Cluster):
    """The update's copy of the index (a clone, one replica) is made on the nodes left."""
    pytest.importorskip("opensearchpy", reason='the OpenSearch engine needs: pip install "searcher[opensearch]"')
    alive = [node for node in three_nodes.nodes if node.process and node.process.poll() is None]
    url = f"opensearch://{','.join(f'127.0.0.1:{node.http_port}' for node in alive)}/update-after-death"
    assert runner.invoke(cli, ["--engine", url, "index", "seeds"]).exit_code == 0
    if len(alive) == len(three_nodes.nodes):
        alive[0].kill()
        close_engines()
    Path("seeds", "harbour.txt").write_text("Harbour cranes\n\nThe harbour master counted twelve cranes.\n")

    result = runner.invoke(cli, ["--engine", url, "index"])

    assert result.exit_code == 0, result.stderr
    assert _search_ids(runner, url, "cranes") == ["seeds/harbour.txt"]
    assert _search_ids(runner, url, "S-400") == S400_SEEDS
