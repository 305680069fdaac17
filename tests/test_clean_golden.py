"""The golden set: small pages covering each cleaning rule, with the output they must give.

Each tests/golden/NAME.(html|txt) has NAME.expected.json: title, paragraphs kept, and each dropped
block with its reason. A change to the cleaner that alters any of them fails here; if the change is
right, regenerate with `python tests/test_clean_golden.py` and review the diff.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from searcher.clean import clean
from searcher.models import CleanedDocument, SourceDocument

GOLDEN = Path(__file__).resolve().parent / "golden"
PAGES = sorted(p for p in GOLDEN.iterdir() if p.suffix in (".html", ".txt"))


def cleaned(page: Path) -> CleanedDocument:
    kind = "html" if page.suffix == ".html" else "text"
    return clean(SourceDocument(page.stem, page, kind, page.read_text(encoding="utf-8")))


def summary(result: CleanedDocument) -> dict:
    return {
        "title": result.title,
        "paragraphs": list(result.paragraphs),
        "dropped": [{"reason": d.reason, "text": d.text} for d in result.dropped],
        "date_candidates": [list(c) for c in result.date_candidates],
    }


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_golden_page(page: Path):
    expected = json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert summary(cleaned(page)) == expected


def test_a_page_without_a_story_gives_an_empty_body():
    assert cleaned(GOLDEN / "noarticle.html").body == ""


if __name__ == "__main__" and sys.argv[1:] == []:
    for page in PAGES:
        target = page.with_suffix(".expected.json")
        target.write_text(json.dumps(summary(cleaned(page)), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {target}")


def test_clean_command_says_when_a_page_has_no_story(runner):
    from searcher.cli import cli

    page = str(GOLDEN / "noarticle.html")
    human = runner.invoke(cli, ["clean", page])
    assert human.exit_code == 0 and "no story found" in human.stdout
    machine = runner.invoke(cli, ["clean", "--json", page])
    assert json.loads(machine.stdout)["story_found"] is False
    assert {d["reason"] for d in json.loads(machine.stdout)["dropped"]} >= {"navigation", "page footer"}


# --- the failure shapes of pages the cleaner was never tuned on, each with its golden page ------


def test_an_unclosed_title_is_the_headline_not_the_page_source():
    result = cleaned(GOLDEN / "unclosed-title.html")
    assert result.title == "Council approves new tram line"
    assert result.body.startswith("The city council voted on Tuesday")


def test_a_story_inside_an_unknown_tag_in_the_head_is_the_body():
    result = cleaned(GOLDEN / "head-story.html")
    assert len(result.paragraphs) == 3 and "environment agency" in result.body


def test_a_list_of_other_headlines_after_the_story_is_dropped():
    result = cleaned(GOLDEN / "related-headlines.html")
    for headline in ("Other news", "Goalkeeper ruled out", "More articles in Soccer", "Don't Miss", "Fans vote"):
        assert headline not in result.body
    assert result.body.endswith("talks with two other senior players were going well.")


@pytest.mark.parametrize("heading", ["More Great Gazette Stories", "Other local news", "Latest sport headlines"])
def test_a_related_heading_naming_the_site_or_the_section_drops_the_list_below_it(heading: str):
    page = (GOLDEN / "related-headlines.html").read_text(encoding="utf-8")
    page = page.replace("<p>Other news:</p>", f"<p>{heading}</p>")
    body = clean(SourceDocument("p", Path("p.html"), "html", page)).body
    assert heading not in body and "Goalkeeper ruled out" not in body


def test_a_subheading_that_reads_like_a_related_list_stays_when_prose_follows():
    page = (GOLDEN / "related-headlines.html").read_text(encoding="utf-8")
    lead = "<p>Other news:</p>"
    page = page.replace(lead, f"{lead}<p>The goalkeeper, he said, would miss the first month of the season.</p>")
    body = clean(SourceDocument("p", Path("p.html"), "html", page)).body
    assert "Other news:\nThe goalkeeper, he said" in body


def test_a_comment_thread_without_a_widget_is_dropped():
    result = cleaned(GOLDEN / "comment-thread.html")
    for comment in ("Comments are now closed", "Stephen B:", "Margaret T:", "YOUR SAY", "Must be Registered", "Anne:"):
        assert comment not in result.body
    assert result.body.endswith("Mobile library routes are not affected.")


def test_a_long_comment_thread_is_never_kept_instead_of_the_story():
    page = (GOLDEN / "comment-thread.html").read_text(encoding="utf-8")
    start, end = page.index("<p>Stephen B:"), page.index("<h4>YOUR SAY")
    page = page[:start] + page[start:end] * 8 + page[end:]  # the readers' words outweigh the story 8 to 1
    body = clean(SourceDocument("p", Path("p.html"), "html", page)).body
    assert body.startswith("The county's twelve libraries") and "Stephen B:" not in body


@pytest.mark.parametrize("name", ["related-headlines.html", "comment-thread.html"])
def test_text_mode_drops_the_same_lists_and_threads(name: str):
    from extraction import flatten

    html = cleaned(GOLDEN / name)
    text = clean(SourceDocument("p", Path("p.txt"), "text", flatten((GOLDEN / name).read_text(encoding="utf-8"))))
    assert text.paragraphs == html.paragraphs


def test_a_recipes_ingredients_and_answers_beside_its_method_are_kept():
    body = cleaned(GOLDEN / "recipe.html").body
    for line in ("250 g red lentils", "Juice of 1 lemon", "Soften the onion", "Can I freeze it?", "if the stock is."):
        assert line in body
    assert "More soups" not in body and "Home" not in body


def test_a_table_of_results_beside_the_report_is_kept():
    result = cleaned(GOLDEN / "results-table.html")
    assert {"Amy Clarke", "21:04", "Moor Runners"} <= set(result.paragraphs)
    assert "Fixtures" not in result.body


def test_comments_signed_below_their_text_are_dropped_without_a_heading():
    result = cleaned(GOLDEN / "signed-comments.html")
    for comment in ("We gave up waiting", "The pontoon should", "Meanwhile the fees", "Does anyone know"):
        assert comment not in result.body
    assert result.body.endswith("What do you do with your boat in the winter?")


def test_a_comment_heading_wearing_a_comment_id_still_opens_the_comment_section():
    result = cleaned(GOLDEN / "comment-heading.html")
    assert "Half past five is no use" not in result.body and "Twenty people a night" not in result.body
    assert result.body.endswith("because the boats were full.")
    assert ("Comments", "comment section") in {(d.text, d.reason) for d in result.dropped}


def test_comment_counts_under_a_blogs_posts_drop_no_later_post():
    result = cleaned(GOLDEN / "blog-front.html")
    for post in ("The first frost came", "Digging in the manure", "The stables at", "Saving seed", "half the fun"):
        assert post in result.body
    assert "4 comments" not in result.body and "2 comments" not in result.body


def test_a_german_storys_related_pointers_and_list_are_dropped():
    result = cleaned(GOLDEN / "related-german.html")
    for line in ("Lesen Sie auch", "Ähnliche Beiträge", "Musikschule sucht neue Räume", "Theater plant"):
        assert line not in result.body
    assert result.body.endswith("falls sie kaum genutzt wird.")


def test_comment_signatures_are_named_and_do_not_date_the_story():
    result = cleaned(GOLDEN / "signed-comments.html")
    reasons = {d.text: d.reason for d in result.dropped}
    assert reasons["Posted by: Jenny at November 13, 2012 08:02 AM"] == "comment signature"
    assert [date for date, _ in result.date_candidates] == ["November 12, 2012"]


def test_a_story_subheading_named_comment_opens_no_comment_section():
    result = cleaned(GOLDEN / "comment-subheading.html")
    for line in ("Comment", "Reporters need people", "Briefing", "Open doors."):
        assert line in result.paragraphs or any(p.startswith(line) for p in result.paragraphs)
    assert "Great list, thanks" not in result.body


def test_a_page_builders_widgets_hold_the_story():
    result = cleaned(GOLDEN / "builder-widgets.html")
    assert result.body.startswith("For a month I spent half an hour a day")
    assert result.body.endswith("after the test was over.")
    assert "Ten apps for travellers" not in result.body


def test_a_story_told_in_its_photos_captions_keeps_them():
    result = cleaned(GOLDEN / "photo-story.html")
    assert result.body.startswith("The festival opened on Saturday morning")
    assert "the festival ended with fireworks over the water at ten." in result.body


def test_a_storys_photo_captions_still_go():
    result = cleaned(GOLDEN / "news.html")
    assert "photo caption" in {d.reason for d in result.dropped}


def test_a_short_post_is_not_outweighed_by_the_sidebar():
    result = cleaned(GOLDEN / "short-post.html")
    assert result.body == '"I know I\'m tired and shouldn\'t say this..." – "Then don\'t." – "Fine."'


def test_ruby_readings_are_not_glued_into_the_words():
    """Furigana printed above a word is left out, so the word itself is found."""
    body = "\n".join(cleaned(GOLDEN / "ruby.html").paragraphs)
    assert "東京に新しい駅ができました。" in body
    assert "とうきょう" not in body and "(" not in body
