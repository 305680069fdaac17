"""Story keys: copies of one story share a key, different stories do not."""

from __future__ import annotations

from conftest import seed_path

from searcher.engine.fingerprint import story_key


def body(number: str) -> str:
    return seed_path(number).read_text(encoding="utf-8")


def test_an_exact_copy_and_a_lightly_edited_copy_share_the_key():
    original = body("001")
    edited = original.replace("\n", "\n\n", 3) + "\nThis story was updated with a correction.\n"
    assert story_key(original) == story_key(original.upper()) == story_key(edited) != ""


def test_different_stories_have_different_keys():
    keys = {story_key(body(number)) for number in ("000", "001", "002", "003", "004")}
    assert len(keys) == 5


def test_a_body_too_short_to_tell_has_no_key():
    assert story_key("Oil prices rose on Monday.") == ""
