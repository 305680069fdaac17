"""The paths an index is built from, as a user manages them: a mistyped path is refused, a rebuild
can replace them, a path can be forgotten, a missing drive loses nothing, a file that failed is
reported once, and a run with nothing to do writes nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from searcher.cli import cli


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.stderr, result.stderr
    return result


def total(query: str) -> int:
    result = invoke("search", "--json", query)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["total"]


def roots() -> list[str]:
    return json.loads(invoke("stats", "--json").stdout)["roots"]


def news_folder(name: str = "news") -> Path:
    folder = Path(name)
    folder.mkdir()
    (folder / "harbour.txt").write_text("Harbour reopens\n\nThe harbour reopened after the storm.\n", encoding="utf-8")
    return folder


def snapshot(index: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime_ns for p in index.rglob("*") if p.is_file() and p.name != "LOCK"}


def test_a_path_that_does_not_exist_is_refused_before_anything_is_written():
    assert invoke("index", "seeds").exit_code == 0
    before = roots()
    result = invoke("index", "seeds", "/no/such/path")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: no such file or folder: /no/such/path; nothing was indexed"
    assert roots() == before
    assert invoke("index").exit_code == 0  # later runs are not stuck on it


def test_a_rebuild_with_paths_replaces_the_index_paths():
    invoke("index", "seeds")
    news = news_folder()
    result = invoke("index", "--rebuild", str(news))
    assert result.exit_code == 0, result.stderr
    assert roots() == [str(news.resolve())]
    assert total("harbour") == 1 and total("S-400") == 0


def test_forget_drops_a_path_and_its_articles():
    invoke("index", "seeds")
    news = news_folder()
    result = invoke("index", str(news))
    assert "note: this index also holds ./seeds" in result.stderr
    result = invoke("forget", "seeds")
    assert result.exit_code == 0, result.stderr
    assert "forgot seeds and its articles" in result.stderr
    assert "5 removed" in result.stderr
    assert roots() == [str(news.resolve())]
    assert total("S-400") == 0 and total("harbour") == 1
    again = invoke("index")  # and it stays forgotten: the next run does not read the seeds again
    assert "0 added, 0 updated, 0 removed, 1 unchanged, 0 failed" in again.stderr
    assert total("S-400") == 0


def test_forgetting_a_path_the_index_does_not_hold_changes_nothing():
    invoke("index", "seeds")
    result = invoke("forget", "elsewhere")
    assert result.exit_code == 2
    assert "is not one of the index's paths" in result.stderr and "nothing was changed" in result.stderr
    assert total("S-400") == 3


def test_a_missing_corpus_folder_keeps_its_articles_until_it_is_back():
    news = news_folder()
    invoke("index", "seeds", str(news))
    news.rename("unmounted")
    result = invoke("index")
    assert result.exit_code == 1
    assert "failed: " in result.stderr and "no such file or folder" in result.stderr
    assert "0 removed" in result.stderr
    assert total("harbour") == 1
    Path("unmounted").rename(news)
    back = invoke("index")
    assert back.exit_code == 0, back.stderr
    assert "0 added, 0 updated, 0 removed, 6 unchanged, 0 failed" in back.stderr
    assert total("harbour") == 1


def test_a_file_that_failed_and_did_not_change_is_reported_once():
    Path("seeds/empty.txt").write_text("", encoding="utf-8")
    first = invoke("index", "seeds")
    assert first.exit_code == 1 and "failed: seeds/empty.txt: empty file" in first.stderr
    again = invoke("index")
    assert again.exit_code == 0, again.stderr
    assert "failed: seeds/empty.txt" not in again.stderr
    assert "0 failed (1 failed before and unchanged)" in again.stderr
    assert "failed before, unchanged: seeds/empty.txt: empty file" in invoke("-v", "index").stderr
    Path("seeds/empty.txt").write_text("Quarry reopens\n\nThe quarry reopened.\n", encoding="utf-8")
    fixed = invoke("index")
    assert fixed.exit_code == 0 and "1 added" in fixed.stderr
    assert total("quarry") == 1


def test_a_run_with_nothing_to_do_writes_nothing():
    invoke("index", "seeds")
    invoke("index")  # the first update may fold the build's segments
    before = snapshot(Path("index"))
    result = invoke("index")
    assert result.exit_code == 0 and "0 added, 0 updated, 0 removed, 5 unchanged" in result.stderr
    assert snapshot(Path("index")) == before


def test_a_touched_file_is_read_once_and_then_skipped_by_its_time():
    invoke("index", "seeds")
    seed = next(Path("seeds").glob("001_*.txt"))
    os.utime(seed, (seed.stat().st_atime + 10, seed.stat().st_mtime + 10))
    assert "5 unchanged" in invoke("index").stderr
    before = snapshot(Path("index"))
    assert "5 unchanged" in invoke("index").stderr
    assert snapshot(Path("index")) == before


def test_an_empty_index_says_it_is_empty_not_damaged():
    Path("empty").mkdir()
    assert invoke("index", "empty").exit_code == 0
    result = invoke("search", "oil")
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert "holds no articles" in message and "empty" in message and "damaged" not in message
    assert "searcher index PATH" in message
