"""Ranking metrics, exactly as defined in the IR literature (checked by tests/test_ireval.py).

qrels: {qid: {docid: gain}} with gain > 0 for relevant documents; a run: {qid: [docid, ...]} best first.
"""

from __future__ import annotations

import math


def ndcg_at(run: list[str], gains: dict[str, float], k: int = 10) -> float:
    """Normalised discounted cumulative gain at k (gain / log2(rank + 1), ideal from all judged gains)."""
    dcg = sum(gains.get(doc, 0.0) / math.log2(rank + 1) for rank, doc in enumerate(run[:k], start=1))
    ideal = sorted((g for g in gains.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal, start=1))
    return dcg / idcg if idcg else 0.0


def average_precision(run: list[str], gains: dict[str, float]) -> float:
    """Mean of the precision at each relevant document's rank, over all relevant documents."""
    relevant = {doc for doc, g in gains.items() if g > 0}
    if not relevant:
        return 0.0
    found, total = 0, 0.0
    for rank, doc in enumerate(run, start=1):
        if doc in relevant:
            found += 1
            total += found / rank
    return total / len(relevant)


def precision_at(run: list[str], gains: dict[str, float], k: int = 10) -> float:
    return sum(1 for doc in run[:k] if gains.get(doc, 0) > 0) / k


def recall_at(run: list[str], gains: dict[str, float], k: int = 100) -> float:
    relevant = {doc for doc, g in gains.items() if g > 0}
    return len(relevant & set(run[:k])) / len(relevant) if relevant else 0.0


def evaluate(runs: dict[str, list[str]], qrels: dict[str, dict[str, float]]) -> dict[str, float]:
    """Mean nDCG@10, MAP, P@10 and Recall@100 over the judged queries (a query with no run scores 0)."""
    judged = [q for q, gains in qrels.items() if any(g > 0 for g in gains.values())]
    totals = {"ndcg@10": 0.0, "map": 0.0, "p@10": 0.0, "recall@100": 0.0}
    for qid in judged:
        run, gains = runs.get(qid, []), qrels[qid]
        totals["ndcg@10"] += ndcg_at(run, gains)
        totals["map"] += average_precision(run, gains)
        totals["p@10"] += precision_at(run, gains)
        totals["recall@100"] += recall_at(run, gains)
    return {name: value / len(judged) for name, value in totals.items()}
