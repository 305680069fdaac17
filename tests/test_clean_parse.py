"""The page's tree as the cleaner builds it: the lean builder (html.py) makes each element and
string itself instead of through beautifulsoup4's general calls, and must leave exactly the tree
bs4's own calls would build from the same parser events."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from searcher.clean import html

GOLDEN = Path(__file__).resolve().parent / "golden"
LINKS = ("parent", "previous_element", "next_element", "previous_sibling", "next_sibling")
TRICKY = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Type"
content="text/html; charset=utf-8"><title>A page</title>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A page"}</script>
<style>p { color: red }</style></head><body>
<div class="story"> <p>First <b>bold</b> <i>and</i> <a href="/x">linked</a> words.</p>
<!-- a comment --> <pre>  kept
   as written  </pre><textarea> a  b </textarea>
<svg xmlns="http://www.w3.org/2000/svg"><text>drawn</text></svg>
<p>Unclosed paragraph<p>and the next &amp; last one<br>after a break
<template><p>never shown</p></template><table><tr><td>cell</td><td> </td></tr></table>
</div><noscript><p>without scripts</p></noscript>text after the body
"""


class _BS4Built(html._LeanLXMLBuilder):
    """The lean builder's choices (what is skipped, where whitespace goes), each element and
    string made by bs4's own handle_starttag and endData."""

    def _open(self, name: str, attrib: dict) -> None:
        self.soup.handle_starttag(name, None, None, attrib, namespaces=self.active_namespace_prefixes[-1])

    def _end_data(self) -> None:
        self.soup.endData()


def _differences(lean: BeautifulSoup, built: BeautifulSoup) -> list[str]:
    left, right = [lean, *lean.descendants], [built, *built.descendants]
    if len(left) != len(right):
        return [f"{len(left)} nodes, not {len(right)}"]
    at_left = {id(node): i for i, node in enumerate(left)}
    at_right = {id(node): i for i, node in enumerate(right)}
    found = []
    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        if type(a) is not type(b) or (not isinstance(a, Tag) and str(a) != str(b)):
            found.append(f"node {i}: {a!r} is not {b!r}")
            continue
        mine, theirs = dict(vars(a)), dict(vars(b))
        for link in LINKS:
            x, y = mine.pop(link, None), theirs.pop(link, None)
            if (x and at_left.get(id(x))) != (y and at_right.get(id(y))):
                found.append(f"node {i}: {link} differs")
        x, y = mine.pop("contents", []), theirs.pop("contents", [])
        if [at_left[id(c)] for c in x] != [at_right[id(c)] for c in y]:
            found.append(f"node {i}: contents differ")
        if i == 0:
            continue  # the soup itself: its builder and parser state are the run's own
        if mine != theirs or any(type(mine[k]) is not type(theirs[k]) for k in mine):
            found.append(f"node {i} <{a.name}>: {mine} is not {theirs}")
        elif isinstance(a, Tag) and [type(v) for v in a.attrs.values()] != [type(v) for v in b.attrs.values()]:
            found.append(f"node {i} <{a.name}>: attribute types differ")
    return found


PAGES = [("tricky", TRICKY)] + [(page.name, page.read_text(encoding="utf-8")) for page in sorted(GOLDEN.glob("*.html"))]


@pytest.mark.skipif(html.LXMLTreeBuilder is None, reason="lxml is not installed")
@pytest.mark.parametrize(("name", "page"), PAGES, ids=[name for name, _ in PAGES])
def test_the_lean_builder_builds_the_tree_bs4_builds(name: str, page: str):
    lean = html.parse(page)
    built = BeautifulSoup(page, builder=_BS4Built(multi_valued_attributes=None))
    assert _differences(lean, built) == []
    assert lean.decode() == built.decode()


def test_every_date_class_word_holds_one_the_survey_looks_for_first():
    """survey() rules out an element's ASCII class and id before searching rules.DATE_CLASS when
    none of DATE_CLASS_WORDS is in them: a word added to the pattern needs one of them too."""
    from searcher.clean import rules

    groups = re.findall(r"\(\?:([^()]*)\)", rules.DATE_CLASS.pattern)
    words = max((group.split("|") for group in groups), key=len)
    assert len(words) > 3
    assert [w for w in words if not any(part in w.lower() for part in html.DATE_CLASS_WORDS)] == []


@pytest.mark.parametrize(
    ("marks", "dated"),
    [("post-date", True), ("entry-DATE meta", True), ("posted-on", True), ("tımestamp", True), ("dated", False),
     ("updated-date", False), ("nav menu", False)],
)  # fmt: skip
def test_date_classes_are_read_as_the_pattern_reads_them(marks: str, dated: bool):
    page = f'<p><span class="{marks}">May 1, 2024</span><b id="{marks}">1</b><i class="x" id="{marks}">2</i></p>'
    for soup in (html.parse(page), BeautifulSoup(page, "html.parser")):  # class as one string, and as words
        assert [html._marked_as_date(tag) for tag in soup.find_all(["span", "b", "i"])] == [dated] * 3
