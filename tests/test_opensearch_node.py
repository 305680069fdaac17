"""The test node itself: a real OpenSearch 2.19 answering on loopback with the plugins searcher needs."""

from __future__ import annotations

import json
import urllib.request

import pytest

pytestmark = pytest.mark.opensearch


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
