"""The test node itself: a real OpenSearch 2.19 answering on loopback with the plugins searcher needs."""

from __future__ import annotations

import json
import urllib.request

import pytest

pytestmark = pytest.mark.opensearch

# Hyphens of every kind analysis.joins_across tells apart: model numbers joined, other words split.
HYPHENATED_PROSE = (
    "Rad53-dependent checkpoints and IL-6-mediated signals in p53-deficient cells; a 19-year-old "
    "flew the F-35A, two MiG-29s and a T-shirt-clad MH-17 crew; 3-D scans of COVID-19-related cases, "
    "anti-IL-6 drugs, the Boeing-737-800, mid-1990s S-400's, X-ray 1939-1945 and 2019-20 \u2010 "
    "H1N1\u2011infected CD4\u2010positive T-cells"
)
# Soft hyphens and zero-width characters inside words (joined), and a zero-width space as the word
# break of Thai and Japanese (kept).
INVISIBLE_PROSE = (
    "Ital\u00adiens Wirt\u00adschafts\u00adleistung, F-3\u00ad5 and S\u00ad400, zero\u200bwidth "
    "Mi\u200cGs Mi\u200dGs Sta\u2060tistik \ufeffamt\u00ad \u0e20\u0e32\u0e29\u0e32\u200b\u0e44\u0e17\u0e22 "
    "\u6771\u4eac\u200b\u5927\u962a word\u200b break"
)


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def test_node_is_opensearch_2_19(opensearch_node) -> None:  # noqa: ANN001 - a fixture
    info = _get(opensearch_node.url)
    assert info["version"]["distribution"] == "opensearch"
    assert info["version"]["number"].startswith("2.19.")


def test_node_has_the_analysis_and_script_modules(opensearch_node) -> None:  # noqa: ANN001 - a fixture
    request = urllib.request.Request(
        f"{opensearch_node.url}/_analyze",
        data=json.dumps({"tokenizer": "whitespace", "filter": ["word_delimiter_graph", "porter_stem"],
                         "text": "S-400 missiles"}).encode(),
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:
        tokens = [token["token"] for token in json.load(response)["tokens"]]
    assert tokens == ["S", "400", "missil"]


def test_the_cluster_analyzer_cuts_and_folds_words_as_searchers_own(opensearch_node) -> None:  # noqa: ANN001 - a fixture
    """Same tokens as analysis.py's analyzer up to the stemmer, on the seeds and on model-number
    cases (the stems: the next test)."""
    from whoosh.analysis import CharsetFilter, LowercaseFilter, StopFilter
    from whoosh.support.charset import accent_map

    from searcher.analysis import STOP_WORDS, NewsTokenizer, PossessiveFilter
    from searcher.engine.opensearch.mapping import ANALYSIS, STEMMING

    folding = PossessiveFilter() | LowercaseFilter() | CharsetFilter(accent_map)
    unstemmed = NewsTokenizer() | folding | StopFilter(stoplist=STOP_WORDS)
    filters = [name for name in ANALYSIS["analyzer"]["news"]["filter"] if name not in STEMMING]
    texts = ["S-400 and S400 and S 400, F-35s, COVID-19, Su-57", "Russia's O'Neil de-escalation al-Assad 2019-20 Café",
             INVISIBLE_PROSE]  # fmt: skip
    _assert_same_terms(opensearch_node.url, {"tokenizer": "news_words", "filter": filters}, unstemmed, texts)


def test_the_cluster_analyzer_stems_as_searchers_own(opensearch_node) -> None:  # noqa: ANN001 - a fixture
    """Both engines stem with Snowball's English stemmer: the same terms for the seeds and for the
    words Whoosh's old Porter stemmer got wrong ("planned", "automated" and "automation")."""
    from searcher.analysis import news_analyzer

    texts = [
        "planned automated automation investigated dying generalizations",
        "S-400s, F-35s, 1990s, Russia's",
        INVISIBLE_PROSE,
    ]
    _assert_same_terms(opensearch_node.url, {"analyzer": "news"}, news_analyzer(), texts)


def _assert_same_terms(url: str, analysis: dict, local, texts: list[str]) -> None:  # noqa: ANN001 - a whoosh analyzer
    """The node's terms (its _analyze with `analysis`, on an index made with searcher's mapping) equal
    the `local` analyzer's for each text, the hyphenated prose and every seed."""
    from searcher.engine.opensearch.mapping import index_body
    from tests.conftest import SEEDS

    texts = [*texts, HYPHENATED_PROSE, *(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))]
    _request(url, "PUT", "/analyzer-check", index_body(1, 0, {}))
    try:
        for text in texts:
            answer = _request(url, "POST", "/analyzer-check/_analyze", {**analysis, "text": text})
            assert [token["token"] for token in answer["tokens"]] == [token.text for token in local(text)], text[:60]
    finally:
        _request(url, "DELETE", "/analyzer-check")


def _request(url: str, method: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"{url}{path}", method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)
