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
    """A fresh working directory holding a copy of the seeds, with no index and no colour settings."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEARCHER_INDEX", raising=False)
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
