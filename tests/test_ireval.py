"""The benchmark's ranking metrics against values worked out by hand."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))
from ireval import average_precision, evaluate, ndcg_at, precision_at, recall_at  # noqa: E402

GAINS = {"a": 3.0, "b": 1.0, "c": 2.0}


def test_average_precision_by_hand():
    # relevant at ranks 1 and 3 of 3 relevant: (1/1 + 2/3) / 3
    assert average_precision(["a", "x", "b", "y"], GAINS) == pytest.approx((1 + 2 / 3) / 3)


def test_ndcg_by_hand():
    dcg = 1.0 / math.log2(2) + 3.0 / math.log2(3)
    idcg = 3.0 / math.log2(2) + 2.0 / math.log2(3) + 1.0 / math.log2(4)
    assert ndcg_at(["b", "a"], GAINS) == pytest.approx(dcg / idcg)
    assert ndcg_at(["a", "c", "b"], GAINS) == pytest.approx(1.0)


def test_precision_and_recall_by_hand():
    run = ["a", "x", "c"]
    assert precision_at(run, GAINS, k=10) == pytest.approx(0.2)
    assert recall_at(run, GAINS, k=2) == pytest.approx(1 / 3)


def test_evaluate_averages_over_judged_queries_and_scores_missing_runs_zero():
    qrels = {"1": {"a": 1.0}, "2": {"b": 2.0}, "3": {"z": 0.0}}
    scores = evaluate({"1": ["a"]}, qrels)
    assert scores["map"] == pytest.approx(0.5) and scores["p@10"] == pytest.approx(0.05)
