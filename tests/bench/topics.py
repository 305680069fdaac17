"""Topic assignment measured on the BBC News dataset (five sections, one per article).

Runs the real pipeline (clean, enrich) with the example taxonomy written for BBC's five sections,
and in the same run a supervised baseline: multinomial naive Bayes on the same stemmed tokens,
5-fold cross-validated. Reports per-topic precision, recall and F1, and macro-F1.

    python tests/bench/topics.py [--data ../shared/data/bbc-news] [--taxonomy FILE]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from searcher.analysis import news_analyzer
from searcher.enrich.topics import load_taxonomy
from searcher.pipeline import process
from searcher.sources import FoundFile, read_documents

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import table, write_json  # noqa: E402

EXAMPLE_TAXONOMY = Path(__file__).resolve().parents[2] / "searcher" / "enrich" / "data" / "examples" / "bbc-news.toml"
FOLDS = 5


def load(data: Path) -> list[tuple[str, object]]:
    """(gold topic, SourceDocument) for every article, in a fixed order."""
    items = []
    for path in sorted(data.glob("*/*.txt")):
        documents, _ = read_documents(FoundFile(path, f"{path.parent.name}/{path.name}"))
        items.append((path.parent.name, documents[0]))
    return items


def scores(gold: list[str], predicted: list[set[str]], labels: list[str]) -> dict:
    """Per-label precision, recall and F1 (a prediction is a set: an article may get several topics)."""
    per = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and label in p)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != label and label in p)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and label not in p)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[label] = {"precision": precision, "recall": recall, "f1": f1}
    macro = sum(v["f1"] for v in per.values()) / len(per)
    untagged = sum(1 for p in predicted if not p) / len(predicted)
    return {"per_topic": per, "macro_f1": macro, "untagged_share": untagged}


def naive_bayes(tokens: list[list[str]], gold: list[str], labels: list[str]) -> list[set[str]]:
    """Out-of-fold predictions of a multinomial naive Bayes with add-one smoothing."""
    order = list(range(len(gold)))
    random.Random(0).shuffle(order)
    predicted: list[set[str]] = [set() for _ in gold]
    for fold in range(FOLDS):
        test = set(order[fold::FOLDS])
        counts: dict[str, Counter] = defaultdict(Counter)
        priors: Counter = Counter()
        for i in order:
            if i not in test:
                counts[gold[i]].update(tokens[i])
                priors[gold[i]] += 1
        vocabulary = set().union(*counts.values())
        totals = {label: sum(counts[label].values()) + len(vocabulary) for label in labels}
        for i in test:
            best = max(
                labels,
                key=lambda label: (
                    math.log(priors[label] + 1)
                    + sum(math.log((counts[label][t] + 1) / totals[label]) for t in tokens[i] if t in vocabulary)
                ),
            )
            predicted[i] = {best}
    return predicted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/bbc-news"))
    parser.add_argument("--taxonomy", type=Path, default=EXAMPLE_TAXONOMY)
    parser.add_argument(
        "--json", type=Path, help="Where to write the results (default tests/bench/results/topics.json)."
    )
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: no BBC News data at {args.data}")
        return

    items = load(args.data)
    gold = [label for label, _ in items]
    labels = sorted(set(gold))
    taxonomy = load_taxonomy(args.taxonomy)

    started = time.perf_counter()
    articles = [process(document, taxonomy) for _, document in items]
    pipeline_seconds = time.perf_counter() - started
    ours = scores(gold, [set(a.topics) for a in articles], labels)
    top1 = scores(gold, [set(a.topics[:1]) for a in articles], labels)

    analyzer = news_analyzer()
    tokens = [[t.text for t in analyzer(f"{a.title}\n{a.body}")] for a in articles]
    started = time.perf_counter()
    baseline = scores(gold, naive_bayes(tokens, gold, labels), labels)
    baseline_seconds = time.perf_counter() - started

    rows = []
    for label in labels:
        o, t, b = ours["per_topic"][label], top1["per_topic"][label], baseline["per_topic"][label]
        rows.append([label, o["precision"], o["recall"], o["f1"], t["f1"], b["precision"], b["recall"], b["f1"]])
    rows.append(["macro", "", "", ours["macro_f1"], top1["macro_f1"], "", "", baseline["macro_f1"]])
    print(f"BBC News: {len(items)} articles, {len(labels)} topics; taxonomy {args.taxonomy.name}")
    headers = ["topic", "tax P", "tax R", "tax F1", "top-1 F1", "NB P", "NB R", "NB F1"]
    print(table(headers, rows))
    print(f"taxonomy: {ours['untagged_share']:.1%} of articles got no topic; pipeline {pipeline_seconds:.1f}s")
    print(f"ratio taxonomy/naive-Bayes macro-F1: {ours['macro_f1'] / baseline['macro_f1']:.2f}x "
          f"(naive Bayes is supervised, {FOLDS}-fold cross-validated, {baseline_seconds:.1f}s)")  # fmt: skip
    written = write_json(
        "topics",
        {
            "articles": len(items),
            "taxonomy": ours,
            "taxonomy_top1": top1,
            "naive_bayes": baseline,
            "ratio_macro_f1": ours["macro_f1"] / baseline["macro_f1"],
        },  # fmt: skip
        args.json,
    )
    print(f"wrote {written}")


if __name__ == "__main__":
    main()
