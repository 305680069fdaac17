"""An index that knows when it is damaged: every file's checksum recorded at commit, every file
changed since it was last found sound read again when the index is opened, all of them by
`searcher check` and the merged ones by an update. Every kind of damage to every kind of file gives
the one-line message naming the file (never a traceback, never a wrong answer), `check` names the
file, and `--rebuild` recovers."""

from __future__ import annotations

import gc
import json
import time
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli
from searcher.engine import close_engines
from searcher.engine.whoosh import checksums, stamps

INDEX = Path("index")
DAMAGED_END = "rebuild it with: searcher index --rebuild"
# What a user asks of an index: ranked words, a date-sorted and faceted search (the date, year,
# month and dated columns), an article in full (stored fields), the topics (the taxonomy copy).
COMMANDS = (
    ("search", "--json", "S-400"),
    ("search", "--json", "--sort", "newest", "--facets", "--timeline", "Turkey"),
    ("show", "--json", "002"),
    ("topics", "--json"),
)
# Whoosh files of one segment by what they hold, and the other files of a generation.
SEGMENT_KINDS = ("trm", "pst", "_stored.col", "_body_len.col", "_title_len.col", "_topics_len.col",
                 "story.col", "date.col", "dated.col", "year.col", "month.col")  # fmt: skip


@pytest.fixture
def seed_index(runner: CliRunner, isolated: Path) -> Path:
    """The seeds and one dated record: the seeds state no date, and an index without a dated
    article has no date, year, month or dated column to damage."""
    record = {"id": "dated", "title": "S-400 parts reach Turkey", "date": "2019-07-12",
              "text": "The first parts of the S-400 air defense system reached Ankara on Friday."}  # fmt: skip
    Path("seeds", "dated.jsonl").write_text(json.dumps(record) + "\n")
    result = runner.invoke(cli, ["index", "seeds"])
    assert result.exit_code == 0, result.stderr
    return isolated / "index"


@pytest.fixture
def settled_index(seed_index: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed index as a user meets it a while after it was written: its files settled, so the
    first command stamps them as verified and later ones read only what changed since."""
    monkeypatch.setattr(stamps, "SETTLED_NS", -(10**18))
    assert invoke("search", "S-400").exit_code == 0
    stamped = json.loads((generation() / stamps.STAMPS_FILE).read_text())
    assert set(stamped) == set(json.loads((generation() / "searcher.json").read_text())["checksums"]["files"])
    return seed_index


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    close_engines()
    return result


def generation() -> Path:
    return next(INDEX.glob("gen-*"))


def file_of_kind(kind: str) -> Path:
    if kind == "toc":
        return next(generation().glob("_MAIN_*.toc"))
    if kind == "taxonomy.toml":
        return generation() / "taxonomy.toml"
    return next(generation().glob(f"MAIN_*.{kind}"))


def damage(path: Path, how: str) -> None:
    """A failing disk's or a careless tool's damage: half the file gone, three bytes flipped, or a
    4 KB block zeroed (all of a small file)."""
    data = bytearray(path.read_bytes())
    if how == "truncate":
        data = data[: len(data) // 2]
    elif how == "flip":
        for at in {len(data) // 3, len(data) // 2, 2 * len(data) // 3}:
            data[at] ^= 0x5A
    else:
        start = len(data) // 4 if len(data) > 8192 else 0
        data[start : start + 4096] = bytes(len(data[start : start + 4096]))
    assert bytes(data) != path.read_bytes()
    path.write_bytes(bytes(data))


def answers() -> list[tuple[int, str]]:
    return [(result.exit_code, result.stdout) for result in map(lambda args: invoke(*args), COMMANDS)]


def damaged_line(result) -> str:  # noqa: ANN001 - click Result
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: index at index is damaged ("), lines[0]
    assert lines[0].endswith(DAMAGED_END)
    return lines[0]


def test_the_manifest_records_a_checksum_of_every_file_of_the_generation(seed_index: Path):
    manifest = json.loads((generation() / "searcher.json").read_text())
    recorded = manifest["checksums"]["files"]
    on_disk = {p.name for p in generation().iterdir()} - {
        "searcher.json",
        "files.json",
        "MAIN_WRITELOCK",
        stamps.STAMPS_FILE,
    }
    assert set(recorded) == on_disk
    for name, (size, crc) in recorded.items():
        data = (generation() / name).read_bytes()
        assert (size, crc) == (len(data), f"{zlib.crc32(data):08x}"), name
    assert manifest["checksums"]["toc"] == file_of_kind("toc").name


def test_check_verifies_a_sound_index(seed_index: Path):
    result = invoke("check")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("13 files verified (0.2 MB) in index/gen-")
    assert result.stdout.rstrip().endswith(": no damage")
    report = json.loads(invoke("check", "--json").stdout)
    assert (report["ok"], report["files"], report["damaged"], report["note"]) == (True, 13, [], None)


# Whoosh leaves the files of a segment it failed to open for the garbage collector to close; a
# command ends right after the error anyway, so the warnings are not the behaviour under test.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("how", ["truncate", "flip", "zero"])
@pytest.mark.parametrize("kind", [*SEGMENT_KINDS, "toc", "taxonomy.toml"])
def test_damage_to_any_file_is_reported_by_every_command_and_rebuild_recovers(settled_index: Path, kind: str, how: str):
    before = answers()
    damaged_file = file_of_kind(kind)
    time.sleep(0.05)  # past the kernel's coarse tick for file times, as any later write is
    damage(damaged_file, how)
    for args in COMMANDS:  # the file changed since it was stamped: every open reads it again
        line = damaged_line(invoke(*args))
        assert line.startswith(f"Error: index at index is damaged ({damaged_file.name}, "), args
    checked = invoke("check")
    assert checked.exit_code == 1
    named, summary = checked.stderr.splitlines()
    assert named.startswith(f"searcher: damaged: {damaged_file.name} (")
    assert summary == "Error: index at index is damaged (1 of 13 files); " + DAMAGED_END
    assert invoke("index", "--rebuild").exit_code == 0
    assert answers() == before
    gc.collect()  # close what Whoosh leaked here, under this test's warning filter


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("kind", ["pst", "trm", "_stored.col", "story.col"])
def test_damage_to_a_file_written_moments_ago_is_reported_too(seed_index: Path, kind: str):
    """Files changed within the last seconds are never stamped (a write in the same tick of the
    clock could hide behind the stamp), so they are read at every open until they settle."""
    damaged_file = file_of_kind(kind)
    damage(damaged_file, "flip")
    line = damaged_line(invoke("search", "S-400"))
    assert line.startswith(f"Error: index at index is damaged ({damaged_file.name}, "), line
    assert not (generation() / stamps.STAMPS_FILE).exists()
    gc.collect()


def test_a_stamped_index_opens_without_reading_its_files_again(settled_index: Path, monkeypatch: pytest.MonkeyPatch):
    read = []
    original = checksums._problem
    monkeypatch.setattr(checksums, "_problem", lambda *args: read.append(args[1]) or original(*args))
    assert invoke("search", "S-400").exit_code == 0
    assert read == []
    Path("seeds/new.txt").write_text("Zeppelin\n\nA zeppelin landed in Ankara.\n")
    assert invoke("index").exit_code == 0
    read.clear()
    assert invoke("search", "zeppelin").exit_code == 0
    assert read, "the update's new segment is read at the next open"
    assert all(name.startswith(("MAIN_", "_MAIN_")) for name in read), read  # not the unchanged taxonomy copy


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"MAIN_x.pst": "stamp"}', "[" * 100_000, " " * (2 << 20)])
def test_a_damaged_stamps_file_only_means_the_files_are_read_again(settled_index: Path, content: str):
    (generation() / stamps.STAMPS_FILE).write_text(content)
    postings = file_of_kind("pst")
    time.sleep(0.05)
    damage(postings, "flip")
    assert damaged_line(invoke("search", "S-400")).startswith(f"Error: index at index is damaged ({postings.name}, ")


def test_stamps_of_an_index_this_user_cannot_write_go_to_their_cache(
    settled_index: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(stamps, "writable", lambda folder: False)
    where = stamps.location(generation())
    assert where.is_relative_to(Path("cache", "searcher", "verified").resolve())
    assert invoke("search", "S-400").exit_code == 0
    assert json.loads(where.read_text()).keys() == json.loads((generation() / stamps.STAMPS_FILE).read_text()).keys()


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_damaged_file_is_never_blessed_by_an_update(seed_index: Path):
    postings = file_of_kind("pst")
    damage(postings, "flip")
    Path("seeds/new.txt").write_text("Zeppelin\n\nA zeppelin landed in Ankara.\n")
    result = invoke("index")
    assert damaged_line(result).startswith(f"Error: index at index is damaged ({postings.name}, postings: checksum")
    assert "damaged" in invoke("check").stderr  # the update wrote nothing, and recorded nothing as sound
    gc.collect()


def test_a_commit_the_manifest_does_not_describe_yet_is_opened_and_check_says_so(seed_index: Path):
    manifest_file = generation() / "searcher.json"
    before = manifest_file.read_text()
    Path("seeds/new.txt").write_text("Zeppelin\n\nA zeppelin landed in Ankara.\n")
    assert invoke("index").exit_code == 0
    manifest_file.write_text(before)  # as if the update had stopped between Whoosh's commit and the manifest
    result = invoke("search", "--json", "zeppelin")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["total"] == 1
    checked = invoke("check")
    assert checked.exit_code == 0, checked.stderr
    assert checked.stderr.startswith("searcher: note: the files on disk are a commit the manifest does not describe")


def test_an_index_written_before_checksums_opens_and_check_says_to_rebuild(seed_index: Path):
    manifest_file = generation() / "searcher.json"
    manifest = json.loads(manifest_file.read_text())
    del manifest["checksums"]
    manifest_file.write_text(json.dumps(manifest))
    assert invoke("search", "S-400").exit_code == 0
    checked = invoke("check")
    assert checked.exit_code == 0, checked.stderr
    assert "searcher: note: no checksums are recorded" in checked.stderr
