"""Pages without a story: a listing, a product grid, a login wall give an empty body and say what
they are; a story never does, whatever surrounds it; indexing names such a page instead of
indexing its title alone.

The golden pages are in tests/golden/no-story/ (apart from tests/golden/, whose pages the trained
block model's fingerprint covers). Real pages: a fixed sample of story pages from ../shared/data,
none of which may be flagged (tests/bench/no_story.py measures every page of the seven sets).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SHARED_DATA
from extraction import load_readability

from searcher.clean import clean
from searcher.clean.blocks import Block
from searcher.clean.page import FURNITURE_ONLY, declared_types, story_verdict
from searcher.cli import cli
from searcher.models import SourceDocument

GOLDEN = Path(__file__).resolve().parent / "golden"
NO_STORY = GOLDEN / "no-story"


def cleaned(page: Path):  # noqa: ANN201 - a CleanedDocument
    return clean(SourceDocument(page.stem, page, "html", page.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("page", "kind"), [("section-front", "listing"), ("product-grid", "listing"), ("login-wall", "login wall")]
)
def test_a_page_without_a_story_has_an_empty_body_and_says_what_it_is(page: str, kind: str):
    result = cleaned(NO_STORY / f"{page}.html")
    assert result.body == "" and not result.story_found
    assert result.no_story.kind == kind


def test_what_a_listing_kept_is_shown_as_dropped():
    result = cleaned(NO_STORY / "section-front.html")
    dropped = {d.text: d.reason for d in result.dropped}
    summary = "Dock workers stayed away for a second day as talks with the port authority broke down."
    assert dropped[summary] == "no story on the page"
    assert result.no_story.evidence == "12 teasers under other articles' headlines, 100% of its text"


def test_a_declared_product_list_names_its_declaration():
    assert "itemlist, product" in cleaned(NO_STORY / "product-grid.html").no_story.evidence


def test_a_short_story_above_a_list_of_teasers_is_kept():
    result = cleaned(NO_STORY / "story-above-teasers.html")
    assert result.story_found
    assert result.paragraphs[0].startswith("The city council voted on Tuesday")


def test_a_page_declaring_a_story_is_never_a_listing():
    page = (NO_STORY / "section-front.html").read_text(encoding="utf-8")
    declared = page.replace('content="website"', 'content="article"')
    assert clean(SourceDocument("p", Path("p.html"), "html", declared)).story_found


@pytest.mark.parametrize("page", sorted(p.name for p in GOLDEN.glob("*.html") if p.stem != "noarticle"))
def test_the_golden_stories_are_stories(page: str):
    assert cleaned(GOLDEN / page).story_found


def test_a_page_of_furniture_alone_has_no_story():
    assert cleaned(GOLDEN / "noarticle.html").no_story == FURNITURE_ONLY


def test_a_text_whose_every_line_is_dropped_has_no_story():
    text = "READ MORE: Ships leave port\nRelated: Storm hits coast\n"
    result = clean(SourceDocument("t", Path("t.txt"), "text", text))
    assert result.body == "" and result.no_story == FURNITURE_ONLY


def test_a_login_box_beside_a_story_is_no_login_wall():
    story = [Block("The city council voted on Tuesday to build a tram line to the harbour. " * 3, "p")]
    html = '<form><input type="password" name="p"></form><p>Sign in</p>'
    assert story_verdict(story, story, html) is None


def test_declared_types_are_read_from_json_ld_microdata_and_open_graph():
    html = (
        '<script type="application/ld+json">{"@graph": [{"@type": ["WebPage", "CollectionPage"]}]}</script>'
        '<div itemscope itemtype="https://Schema.org/Product"></div><meta content="article" property="og:type">'
    )
    assert declared_types(html) == {"webpage", "collectionpage", "product", "article"}


# --- what `searcher clean` and `searcher index` do with such a page ------------------------------


def test_clean_command_shows_why_a_page_has_no_story(runner):
    page = str(NO_STORY / "login-wall.html")
    human = runner.invoke(cli, ["clean", page])
    assert human.exit_code == 0
    assert "(no story found: login wall; a password field and 84 characters asking to sign in)" in human.stdout
    machine = json.loads(runner.invoke(cli, ["clean", "--json", page]).stdout)
    assert machine["story_found"] is False and machine["body"] == ""
    evidence = "a password field and 84 characters asking to sign in"
    assert machine["no_story"] == {"kind": "login wall", "evidence": evidence}


def test_clean_json_of_a_story_has_no_no_story_reason(runner):
    machine = json.loads(runner.invoke(cli, ["clean", "--json", str(GOLDEN / "news.html")]).stdout)
    assert machine["story_found"] is True and machine["no_story"] is None


def test_indexing_names_a_page_without_a_story_and_indexes_the_rest(runner, tmp_path: Path):
    corpus = tmp_path / "pages"
    corpus.mkdir()
    for name in ("section-front.html", "story-above-teasers.html"):
        (corpus / name).write_text((NO_STORY / name).read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(cli, ["index", str(corpus)])
    assert result.exit_code == 0, result.stderr
    assert "1 added" in result.stderr and "1 skipped: no story on the page (listing 1)" in result.stderr
    verbose = runner.invoke(cli, ["-v", "index", str(corpus)])
    assert "skipped: " in verbose.stderr and "section-front.html: no story on the page (listing)" in verbose.stderr
    found = json.loads(runner.invoke(cli, ["search", "--json", "dock workers"]).stdout)
    assert [hit["id"] for hit in found["hits"]] == ["pages/story-above-teasers.html"]  # not the listing


def test_a_page_of_furniture_alone_is_indexed_by_its_title(runner, tmp_path: Path):
    corpus = tmp_path / "pages"
    corpus.mkdir()
    (corpus / "noarticle.html").write_text((GOLDEN / "noarticle.html").read_text(encoding="utf-8"))
    result = runner.invoke(cli, ["index", str(corpus)])
    assert result.exit_code == 0 and "1 added" in result.stderr and "skipped" not in result.stderr


def test_parallel_workers_name_pages_without_a_story_too(runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from searcher.index import update

    monkeypatch.setattr(update, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(update, "PARALLEL_MIN_DOCUMENTS", 0)
    corpus = tmp_path / "pages"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"login-{i}.html").write_text((NO_STORY / "login-wall.html").read_text(encoding="utf-8"))
    (corpus / "story.html").write_text((GOLDEN / "news.html").read_text(encoding="utf-8"))
    result = runner.invoke(cli, ["index", "--jobs", "2", str(corpus)])
    assert result.exit_code == 0, result.stderr
    assert "1 added" in result.stderr and "3 skipped: no story on the page (login wall 3)" in result.stderr


# --- real story pages: none is flagged ---------------------------------------------------------


READABILITY = SHARED_DATA / "article-extraction" / "readability"


def test_no_story_page_of_a_real_sample_is_flagged():
    if not READABILITY.is_dir():
        pytest.skip(f"Mozilla Readability's test pages are not at {READABILITY} (third-party data, kept outside)")
    pages, _ = load_readability(READABILITY, 40)
    flagged = {
        pid: result.no_story
        for pid, html in pages.items()
        if not (result := clean(SourceDocument(pid, Path(f"{pid}.html"), "html", html))).story_found
    }
    assert flagged == {}
