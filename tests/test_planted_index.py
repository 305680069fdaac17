"""An index folder is data, never code: a table of contents with a planted pickle payload, in a
forged index or in a real one, is refused as damaged and runs nothing."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh import index as whoosh_index
from whoosh.filedb.structfile import StructFile

from searcher.cli import cli
from searcher.engine.whoosh.store import build_schema

MARKER = "planted-payload-ran"


class Payload:
    """Unpickling this creates the MARKER folder: what an attacker's __reduce__ would do."""

    def __reduce__(self) -> tuple:
        return (os.mkdir, (MARKER,))


def write_toc(path: Path, schema: bytes, segments: object, generation: int = 1) -> None:
    """A Whoosh table of contents, field by field as Whoosh writes one (whoosh.index.TOC.write)."""
    stream = StructFile(path.open("wb"))
    for size in (whoosh_index._INT_SIZE, whoosh_index._LONG_SIZE, whoosh_index._FLOAT_SIZE):  # noqa: SLF001
        stream.write_varint(size)
    stream.write_int(-12345)
    stream.write_int(whoosh_index._CURRENT_TOC_VERSION)  # noqa: SLF001
    for number in (2, 7, 5):
        stream.write_varint(number)
    stream.write_string(schema)
    stream.write_int(generation)
    stream.write_int(0)
    stream.write_pickle(segments)
    stream.close()


def searched(index: Path) -> subprocess.CompletedProcess:
    """`searcher search` in a process of its own, as a user would run it on a shared index."""
    return subprocess.run(
        [sys.executable, "-m", "searcher", "--index", str(index), "search", "S-400"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_a_forged_index_with_a_planted_schema_runs_nothing():
    generation = Path("forged/gen-1")
    generation.mkdir(parents=True)
    Path("forged/CURRENT").write_text("gen-1\n", encoding="utf-8")
    manifest = {"format": "searcher-index", "schema_version": 4, "analyzer_version": 2, "roots": []}
    (generation / "searcher.json").write_text(json.dumps(manifest), encoding="utf-8")
    write_toc(generation / "_MAIN_1.toc", pickle.dumps(Payload(), 2), [])
    result = searched(Path("forged"))
    assert not Path(MARKER).exists()
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize("planted", ["segments", "segment inside the list"])
def test_a_real_index_whose_table_of_contents_was_replaced_runs_nothing(planted: str):
    assert CliRunner().invoke(cli, ["index", "seeds"]).exit_code == 0
    toc = next(Path("index").glob("gen-*/_MAIN_*.toc"))
    generation = int(toc.stem.rsplit("_", 1)[1])
    segments = Payload() if planted == "segments" else [Payload()]
    write_toc(toc, pickle.dumps(build_schema(), 2), segments, generation)
    result = searched(Path("index"))
    assert not Path(MARKER).exists()
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "is damaged" in lines[0] and "searcher index --rebuild" in lines[0]
    rebuilt = CliRunner().invoke(cli, ["index", "--rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert not Path(MARKER).exists()
    assert searched(Path("index")).returncode == 0
