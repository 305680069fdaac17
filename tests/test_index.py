"""Index updates cost what changed, and never leave a broken or foreign index behind."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from searcher.errors import IndexLockedError, IndexOutdatedError, NotAnIndexError, SearcherError
from searcher.index import update_index, writer_lock
from searcher.models import SearchOptions
from searcher.search import search
from tests.conftest import FIXTURES, seed_path

INDEX = Path("index")


def ids(query: str) -> list[str]:
    return sorted(h.id for h in search(INDEX, query, SearchOptions(limit=100)).hits)


def counts(report) -> tuple[int, int, int, int, int]:
    return report.added, report.updated, report.removed, report.unchanged, len(report.failed)


def test_second_run_skips_everything():
    assert counts(update_index(INDEX, [Path("seeds")])) == (5, 0, 0, 0, 0)
    assert counts(update_index(INDEX)) == (0, 0, 0, 5, 0)


def test_changed_added_and_deleted_files_are_updated():
    update_index(INDEX, [Path("seeds")])
    changed = seed_path("000")
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA zeppelin was also mentioned.\n", encoding="utf-8")
    Path("seeds/new.txt").write_text("Zeppelin museum opens\n\nA zeppelin museum opened in Friedrichshafen.\n")
    seed_path("004").unlink()
    assert counts(update_index(INDEX)) == (1, 1, 1, 3, 0)
    assert ids("zeppelin") == ["seeds/000_29fc2f77633a1f9b.txt", "seeds/new.txt"]
    assert ids("S400") == ["seeds/001_404ae92723a5d202.txt", "seeds/003_64ddee58b6d909bd.txt"]


def test_touched_but_identical_file_is_unchanged():
    update_index(INDEX, [Path("seeds")])
    later = time.time() + 10
    os.utime(seed_path("002"), (later, later))
    assert counts(update_index(INDEX)) == (0, 0, 0, 5, 0)


def test_jsonl_records_are_tracked_one_by_one():
    shutil.copy(FIXTURES / "articles.jsonl", "articles.jsonl")
    update_index(INDEX, [Path("articles.jsonl")])
    lines = Path("articles.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[1])
    record["text"] += " A zeppelin flew over."
    Path("articles.jsonl").write_text("\n".join([lines[0], json.dumps(record)]) + "\n", encoding="utf-8")
    assert counts(update_index(INDEX)) == (0, 1, 1, 1, 0)
    assert ids("zeppelin") == ["rec-talks-2017"]


def test_failed_files_are_reported_and_the_rest_indexed():
    Path("seeds/binary.txt").write_bytes(b"\x00\x01\x02")
    Path("seeds/empty.txt").write_text("")
    report = update_index(INDEX, [Path("seeds")])
    assert report.added == 5
    assert sorted(Path(p).name for p, _ in report.failed) == ["binary.txt", "empty.txt"]


def test_rebuild_switches_to_a_new_generation_and_removes_the_old():
    update_index(INDEX, [Path("seeds")])
    old = (INDEX / "CURRENT").read_text().strip()
    assert counts(update_index(INDEX, rebuild=True)) == (5, 0, 0, 0, 0)
    new = (INDEX / "CURRENT").read_text().strip()
    assert new != old and not (INDEX / old).exists()
    assert ids("S-400") == [
        "seeds/001_404ae92723a5d202.txt",
        "seeds/003_64ddee58b6d909bd.txt",
        "seeds/004_b3c8d90984622411.txt",
    ]


def test_a_failed_rebuild_leaves_the_old_index_searchable(monkeypatch: pytest.MonkeyPatch):
    update_index(INDEX, [Path("seeds")])

    def crash(*_args, **_kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr("searcher.index.update._Job._apply", crash)
        update_index(INDEX, rebuild=True)
    assert len(ids("S-400")) == 3
    assert [p.name for p in INDEX.glob("gen-*")] == [(INDEX / "CURRENT").read_text().strip()]


def test_a_second_writer_times_out_with_a_message():
    INDEX.mkdir()
    waits: list[str] = []
    with writer_lock(INDEX, timeout=1), pytest.raises(IndexLockedError, match="another searcher is writing"):
        update_index(INDEX, [Path("seeds")], lock_timeout=0.3, on_wait=waits.append)
    assert waits and "waiting" in waits[0]


def test_a_foreign_folder_is_never_written_into():
    Path("notes").mkdir()
    Path("notes/todo.txt").write_text("keep me")
    with pytest.raises(NotAnIndexError):
        update_index(Path("notes"), [Path("seeds")])
    assert os.listdir("notes") == ["todo.txt"]


def test_a_changed_taxonomy_asks_for_a_rebuild(tmp_path: Path):
    update_index(INDEX, [Path("seeds")])
    custom = tmp_path / "mine.toml"
    custom.write_text('[[topic]]\nname = "x"\ndescription = "x"\nterms = { "putin" = 9 }\n')
    with pytest.raises(IndexOutdatedError, match="rebuild"):
        update_index(INDEX, taxonomy_path=custom)
    update_index(INDEX, taxonomy_path=custom, rebuild=True)
    assert search(INDEX, "topic:x").total == 5


@pytest.fixture
def parallel_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes even for the seeds, which are far below the size that normally needs them."""
    monkeypatch.setattr("searcher.index.update.PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr("searcher.index.update.PARALLEL_MIN_DOCUMENTS", 0)


def test_parallel_build_indexes_the_same_as_serial(parallel_always):
    shutil.copy(FIXTURES / "articles.jsonl", "seeds/articles.jsonl")
    assert counts(update_index(INDEX, [Path("seeds")], procs=2)) == (8, 0, 0, 0, 0)
    assert ids("S-400") == [
        "seeds/001_404ae92723a5d202.txt",
        "seeds/003_64ddee58b6d909bd.txt",
        "seeds/004_b3c8d90984622411.txt",
    ]
    assert ids("pipeline") == ["rec-gas-2019"]
    assert search(INDEX, "topic:energy").total == 3


def test_parallel_workers_report_documents_that_cannot_be_cleaned(parallel_always, monkeypatch: pytest.MonkeyPatch):
    import searcher.pipeline

    real = searcher.pipeline.process

    def fragile(document, taxonomy):
        if "004" in document.id:
            raise SearcherError("cannot be cleaned (RecursionError)")
        return real(document, taxonomy)

    monkeypatch.setattr(searcher.pipeline, "process", fragile)
    report = update_index(INDEX, [Path("seeds")], procs=2)
    assert counts(report) == (4, 0, 0, 0, 1)
    assert report.failed[0][1] == "cannot be cleaned (RecursionError)"
    monkeypatch.setattr(searcher.pipeline, "process", real)
    assert counts(update_index(INDEX)) == (1, 0, 0, 4, 0)  # the failed one is tried again


def test_renamed_file_is_a_removal_and_an_addition():
    update_index(INDEX, [Path("seeds")])
    seed_path("003").rename("seeds/renamed.txt")
    assert counts(update_index(INDEX)) == (1, 0, 1, 4, 0)
    assert "seeds/renamed.txt" in ids("S-400")


def test_a_jsonl_file_renamed_keeps_its_record_ids():
    shutil.copy(FIXTURES / "articles.jsonl", "seeds/a.jsonl")
    update_index(INDEX, [Path("seeds")])
    Path("seeds/a.jsonl").rename("seeds/b.jsonl")
    assert counts(update_index(INDEX)) == (3, 0, 3, 5, 0)
    assert ids("pipeline") == ["rec-gas-2019"]


def test_a_record_moved_between_files_is_not_lost():
    lines = (FIXTURES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    Path("seeds/a.jsonl").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    Path("seeds/b.jsonl").write_text(lines[2] + "\n", encoding="utf-8")
    update_index(INDEX, [Path("seeds")])
    Path("seeds/a.jsonl").write_text(lines[0] + "\n", encoding="utf-8")
    Path("seeds/b.jsonl").write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    report = update_index(INDEX)
    assert report.failed == []
    assert ids("ceasefire") == ["rec-talks-2017"]


@pytest.mark.parametrize(
    "query",
    ["Putin", "Putin OR gas", "Putin AND gas", "Putin -S-400", "NOT Putin", "elect*", "putn~", '"air defense"',
     "topic:energy", "date:[2016 to 2017]", "*", "(Putin OR Erdogan) AND NOT topic:conflict"],
)  # fmt: skip
def test_fast_counts_equal_whooshs_own_after_updates(query: str):
    from searcher.engine.whoosh.docsets import count_matches
    from searcher.engine.whoosh.searching import open_searcher
    from searcher.engine.whoosh.translate import to_whoosh
    from searcher.search.query import query_tree

    update_index(INDEX, [Path("seeds")])
    changed = seed_path("000")
    changed.write_text(changed.read_text(encoding="utf-8") + "\nErdogan spoke about gas.\n", encoding="utf-8")
    seed_path("002").unlink()
    update_index(INDEX)  # leaves deleted documents in the old segment
    searcher = open_searcher(INDEX)
    parsed = to_whoosh(query_tree(query), searcher.schema)
    assert count_matches(searcher, parsed) == len(searcher.search(parsed, limit=None))


def test_the_index_keeps_dropped_blocks_shortened(tmp_path: Path):
    """`show` explains what went; the index does not keep a second copy of every page's furniture."""
    from searcher.search import get_article

    menu = " ".join(f"Section{i}" for i in range(200))
    page = tmp_path / "page.html"
    page.write_text(
        f"<html><body><nav>{menu}</nav><article><h1>Harbour reopens after storm</h1>"
        "<p>The harbour reopened on Monday after a storm closed it for three days, the port said.</p>"
        "<p>Ferries to the islands will run to the normal timetable from Tuesday morning.</p></article>"
        "</body></html>",
        encoding="utf-8",
    )
    update_index(tmp_path / "index", [page])
    article = get_article(tmp_path / "index", "page")
    assert [d.reason for d in article.dropped] == ["navigation", "repeats the title"]
    assert article.dropped[0].text.startswith("Section0 Section1") and len(article.dropped[0].text) == 160


def test_an_index_of_the_previous_analyzer_asks_for_a_rebuild_and_finds_split_words_after(
    monkeypatch: pytest.MonkeyPatch,
):
    """ANALYZER_VERSION 4 splits "Rad53-dependent": an index cut the old way is refused with the
    rebuild hint, and the rebuilt one finds the gene by its name."""
    from searcher.engine.whoosh import store

    Path("seeds/yeast.txt").write_text(
        "Checkpoint study\n\nThe arrest was Rad53-dependent in every strain we grew.\n", encoding="utf-8"
    )
    current = store.ANALYZER_VERSION
    monkeypatch.setattr(store, "ANALYZER_VERSION", 3)
    update_index(INDEX, [Path("seeds")])
    monkeypatch.setattr(store, "ANALYZER_VERSION", current)
    with pytest.raises(IndexOutdatedError, match="rebuild it with: searcher index --rebuild"):
        search(INDEX, "Rad53")
    update_index(INDEX, rebuild=True)
    assert [hit.title for hit in search(INDEX, "Rad53").hits] == ["Checkpoint study"]
