"""Shared fixtures: every test runs in its own working directory, so none touches a real index."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Third-party pages and gold (benchmarks), beside the repository as in CI; never copied into it.
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory holding a copy of the seeds, with no index, no colour settings, no
    config file and an empty cache (a user's own never reaches a test)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SEARCHER_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SEARCHER_INDEX", raising=False)
    monkeypatch.delenv("SEARCHER_ENGINE", raising=False)
    for credential in ("SEARCHER_OPENSEARCH_USER", "SEARCHER_OPENSEARCH_PASSWORD"):
        monkeypatch.delenv(credential, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def seed_index(runner: CliRunner, isolated: Path) -> Path:
    """An index of the seeds at ./index, built through the CLI as a user would."""
    from searcher.cli import cli

    result = runner.invoke(cli, ["index", "seeds"])
    assert result.exit_code == 0, result.stderr
    return isolated / "index"


def wait_for(condition, timeout: float = 30.0) -> None:  # noqa: ANN001 - a callable
    """Polls condition until it holds, failing the test after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def seed_path(number: str) -> Path:
    """The copied seed whose file name starts with `number`, e.g. "001"."""
    return next(Path("seeds").glob(f"{number}_*.txt"))


@pytest.fixture(scope="session")
def opensearch_classpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test node's class path, built once a session (skips, or fails under CI, where it cannot be)."""
    from tests.opensearch_node import NodeUnavailable, build_classpath, missing_tools

    _skip_or_fail(missing_tools())
    try:
        return build_classpath(tmp_path_factory.mktemp("opensearch-build"))
    except NodeUnavailable as error:
        _skip_or_fail(str(error))
        raise


@pytest.fixture(scope="session")
def opensearch_node(opensearch_classpath: str, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - a generator fixture
    """One real OpenSearch node for the session, on a loopback port, stopped by its PID at the end."""
    from tests.opensearch_node import NodeUnavailable, start_cluster

    try:
        cluster = start_cluster(opensearch_classpath, tmp_path_factory.mktemp("opensearch"), size=1)
    except NodeUnavailable as error:
        _skip_or_fail(str(error))
        raise
    yield cluster
    cluster.stop()


def _skip_or_fail(reason: str | None) -> None:
    """Skips the cluster tests for `reason`, or fails them when CI requires a node."""
    from tests.opensearch_node import REQUIRE_VARIABLE, required

    if reason is None:
        return
    if required():
        pytest.fail(f"{reason} ({REQUIRE_VARIABLE}=1)", pytrace=False)
    pytest.skip(reason)


# The seeds state no date the story ties to its own time; saved in dated folders, as a scraper
# files its pages, three of them get their folder's month (000 and 001 stay undated).
SEED_DATES = {"002": "2015-11-01", "003": "2016-10-01", "004": "2019-04-01"}


def lay_out_dated_corpus() -> None:
    """./seeds with three seeds moved into year/month folders (SEED_DATES), and ./fixtures holding
    the JSONL records and the saved page, whose dates and topics are known: a corpus with dates for
    the filter, sort and facet tests."""
    for number, day in SEED_DATES.items():
        folder = Path("seeds", *day.split("-")[:2])
        folder.mkdir(parents=True, exist_ok=True)
        seed = next(Path("seeds").glob(f"{number}_*.txt"))
        seed.rename(folder / seed.name)
    Path("fixtures").mkdir()
    for name in ("articles.jsonl", "page.html"):
        shutil.copy(FIXTURES / name, Path("fixtures", name))
