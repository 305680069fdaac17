"""The text crop's trained line model: shipped as a small data file read in plain Python, fresh for
the rules and features it was trained on, and choosing the story's stretch of a scraped text."""

from __future__ import annotations

import json

from extraction import crop_fingerprint
from test_clean_text import clean_text

from searcher.clean.blocks import text_paragraphs
from searcher.clean.classify import verdicts_before_crop
from searcher.clean.stretch import CROP_FEATURES, CROP_MODEL_FILE, line_values

RETRAIN = "python tests/bench/train_crop.py --no-validate"

MENU = ["Home", "World", "Business", "Sport", "Weather", "Sign in", "Subscribe"]
STORY = [
    "Harbour workers in Rotterdam walked out on Monday over a plan to automate two more terminals, "
    "halting the loading of container ships for most of the day.",
    "The union said the plan would cost eight hundred jobs within three years, and that the port "
    "authority had not answered its letters since the spring.",
    "A spokeswoman for the port said talks would resume on Thursday and that no ship had been "
    "turned away, though several were waiting at anchor off the coast.",
]
FOOTER = ["About us", "Contact", "Privacy policy", "Terms of use", "© 2026 Harbour Times"]


def test_the_model_file_is_small_and_scores_the_features_the_crop_computes():
    model = json.loads(CROP_MODEL_FILE.read_text(encoding="utf-8"))
    assert CROP_MODEL_FILE.stat().st_size < 200_000
    assert tuple(model["features"]) == CROP_FEATURES, f"retrain: {RETRAIN}"
    assert model["model"]["kind"] == "trees"


def test_the_model_is_not_stale():
    """Trained on the verdicts and features the code gives now, on our golden pages."""
    model = json.loads(CROP_MODEL_FILE.read_text(encoding="utf-8"))
    assert model["verdicts"] == crop_fingerprint(), f"crop_model.json is stale: retrain with {RETRAIN}"


def test_prose_speaks_for_the_story_and_menu_lines_against_it():
    blocks = text_paragraphs("\n".join([*MENU, "", *STORY, "", *FOOTER]))
    values = dict(zip((b.text for b in blocks), line_values(blocks, verdicts_before_crop(blocks, True)), strict=True))
    assert all(values[line] > 20 for line in STORY)  # most of their words count
    assert all(values[line] < 1 for line in MENU + FOOTER if line in values)  # less than a word of prose


def test_a_scraped_page_keeps_its_story_and_drops_its_menus_and_footer():
    result = clean_text("\n".join([*MENU, "", "Dockers strike over automation plan", "", *STORY, "", *FOOTER]))
    assert list(result.paragraphs) == STORY
    assert result.title == "Dockers strike over automation plan"


def test_a_story_in_a_language_without_stopword_lists_is_kept():
    """The model reads no stopword shares: a paragraph of Latin (or Russian) is prose too."""
    latin = (
        "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut "
        "labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco."
    )
    russian = (
        "Портовые рабочие Роттердама в понедельник прекратили работу из-за плана автоматизации двух "
        "терминалов, и погрузка контейнеровозов остановилась почти на весь день."
    )
    for paragraph in (latin, russian):
        result = clean_text("\n".join(["Test document title", "", paragraph]))
        assert list(result.paragraphs) == [paragraph]


def test_a_results_table_with_no_prose_is_kept_whole():
    """A wire service's weekly figures are all table: nothing in them says where a story starts, so
    none of it goes (the crop had kept the first five rows and cut the rest)."""
    table = [
        "CENTRAL BANK WEEKLY REPORT - MARCH 4",
        "    One week ended March 3       Daily avgs-Mlns",
        " Foreign deposits.............311 down.......17",
        " Gold stock................12,140 unch.........",
        " Custody holdings.........171,402 down......218",
        " Overnight rate avg.........5.80 vs.......6.05",
        "    Factors on Wednesday, March 3",
        " Bank borrowings............1,420 vs........512",
        " Including extended credits....85 vs........240",
        " Matched sales..............7,930 vs......3,105",
        " Float........................880 vs......2,010",
        "",
        " Reuter",
    ]
    result = clean_text("\n".join(table))
    kept = " ".join(result.paragraphs)
    assert all(" ".join(row.split()) in kept for row in table[1:] if row.strip())
