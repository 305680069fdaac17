"""Where articles come from: their URL in results, and `site:` and `path:` filters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import cli
from searcher.engine.places import folder_terms, site_terms

PAGE = """<html><head><title>{title} | The Daily</title>{link}</head>
<body><article><h1>{title}</h1><p>{text}</p><p>More of the story follows: {title}, as told by our
correspondent, with all that {text}</p></article></body></html>"""


def page(title: str, text: str, link: str = "") -> str:
    return PAGE.format(title=title, text=text, link=link)


@pytest.fixture
def places_index(runner: CliRunner) -> None:
    """Saved pages (a canonical link, an og:url, none) in nested folders, and records with URLs."""
    Path("news/bbc/sport").mkdir(parents=True)
    Path("news/bbc/business").mkdir(parents=True)
    Path("news/other folder").mkdir(parents=True)
    Path("news/bbc/sport/1.html").write_text(
        page("Cup final in Ankara", "The pipeline cup final was played.",
             '<link rel="canonical" href="https://www.bbc.co.uk/sport/cup">'), encoding="utf-8")  # fmt: skip
    og_url = '<meta property="og:url" content="https://news.bbc.com/business/pipeline">'
    Path("news/bbc/business/1.html").write_text(
        page("Pipeline shares rise", "Shares in the pipeline firm rose.", og_url), encoding="utf-8"
    )
    Path("news/other folder/2.html").write_text(page("Pipeline opened", "The pipeline was opened."), encoding="utf-8")
    records = [{"id": "r1", "title": "Pipeline politics", "text": "The pipeline divides the parties.",
                "url": "https://example.org/politics/pipeline"}]  # fmt: skip
    Path("news/feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = runner.invoke(cli, ["index", "news"])
    assert result.exit_code == 0, result.stderr


def ids(runner: CliRunner, *query: str) -> list[str]:
    result = runner.invoke(cli, ["search", "--format", "ids", "-n", "50", *query])
    assert result.exit_code == 0, result.stderr
    return sorted(result.stdout.splitlines())


def test_json_hits_carry_the_url_from_canonical_og_url_or_the_record(runner: CliRunner, places_index):
    data = json.loads(runner.invoke(cli, ["search", "--json", "pipeline"]).stdout)
    urls = {hit["id"]: hit["url"] for hit in data["hits"]}
    assert urls == {
        "news/bbc/sport/1.html": "https://www.bbc.co.uk/sport/cup",
        "news/bbc/business/1.html": "https://news.bbc.com/business/pipeline",
        "news/other folder/2.html": None,
        "r1": "https://example.org/politics/pipeline",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("site:bbc.co.uk", ["news/bbc/sport/1.html"]),
        ("site:www.bbc.co.uk", ["news/bbc/sport/1.html"]),
        ("site:BBC.com", ["news/bbc/business/1.html"]),
        ("site:news.bbc.com", ["news/bbc/business/1.html"]),
        ("site:bbc", ["news/bbc/business/1.html", "news/bbc/sport/1.html"]),
        ("url:example.org", ["r1"]),
        ("site:https://example.org/anything", ["r1"]),
        ("site:nowhere.net", []),
    ],
)
def test_site_filters_by_the_url_s_host(runner: CliRunner, places_index, query: str, expected: list[str]):
    assert ids(runner, "pipeline", query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("path:sport", ["news/bbc/sport/1.html"]),
        ("path:bbc", ["news/bbc/business/1.html", "news/bbc/sport/1.html"]),
        ("path:news/bbc/business", ["news/bbc/business/1.html"]),
        ("path:bbc/sport/", ["news/bbc/sport/1.html"]),
        ('path:"other folder"', ["news/other folder/2.html"]),
        ("path:feed.jsonl", ["r1"]),
        ("path:spo", []),
    ],
)
def test_path_filters_by_folder(runner: CliRunner, places_index, query: str, expected: list[str]):
    assert ids(runner, "pipeline", query) == expected


def test_path_takes_an_absolute_folder(runner: CliRunner, places_index):
    folder = Path("news/bbc").resolve()
    assert ids(runner, "pipeline", f"path:{folder}") == ["news/bbc/business/1.html", "news/bbc/sport/1.html"]


def test_a_filter_alone_lists_its_articles(runner: CliRunner, places_index):
    assert ids(runner, "site:bbc.co.uk") == ["news/bbc/sport/1.html"]


def test_site_and_path_never_change_the_scores(runner: CliRunner, places_index):
    def scores(*query: str) -> dict[str, float]:
        data = json.loads(runner.invoke(cli, ["search", "--json", *query]).stdout)
        return {hit["id"]: hit["score"] for hit in data["hits"]}

    everything = scores("pipeline shares")
    narrowed = scores("pipeline shares path:bbc")
    assert narrowed == {key: everything[key] for key in narrowed}


def test_site_terms_are_the_host_its_domains_and_labels():
    assert site_terms("https://www.bbc.co.uk/news") == ["bbc.co.uk", "co.uk", "uk", "bbc", "co"]
    assert site_terms(None) == [] and site_terms("not a url") == [] and site_terms("http://[::1") == []


def test_folder_terms_are_absolute_folders_and_runs_of_names():
    terms = folder_terms("/data/bbc/sport/257.txt")
    assert {"/data", "/data/bbc/sport", "sport", "bbc/sport", "sport/257.txt", "/data/bbc/sport/257.txt"} <= set(terms)
    assert "spo" not in terms and "/bbc" not in terms
