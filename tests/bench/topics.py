"""Topic assignment with the default taxonomy (no corpus-specific file), on general news.

1. BBC News (2,225 articles, five sections): each section mapped onto the IPTC top level
   (business -> economy, entertainment -> arts, politics, sport, tech -> science); an article's
   topics count as their top-level ancestors. Beside it, in the same run, a supervised baseline:
   multinomial naive Bayes on the same stemmed tokens, 5-fold cross-validated.
2. Reuters-21578: every story with a body and at least one of its (economic) TOPICS categories,
   saved as text, whose gold is economy: coverage and the share tagged economy.
Reports coverage (articles with at least one topic), per-topic precision, recall and F1, macro-F1.

    python tests/bench/topics.py [--data ../shared/data] [--taxonomy FILE] [--reuters-every 5]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))  # this checkout's searcher, not the installed one

from common import table, write_json  # noqa: E402
from reuters import stories  # noqa: E402

from searcher.analysis import news_analyzer  # noqa: E402
from searcher.enrich.topics import load_taxonomy  # noqa: E402
from searcher.models import SourceDocument  # noqa: E402
from searcher.pipeline import process  # noqa: E402
from searcher.sources import FoundFile, read_documents  # noqa: E402

FOLDS = 5
# BBC's sections as IPTC top-level topics of the default taxonomy.
BBC_SECTIONS = {"business": "economy", "entertainment": "arts", "politics": "politics", "sport": "sport",
                "tech": "science"}  # fmt: skip


def load(data: Path) -> list[tuple[str, object]]:
    """(gold topic, SourceDocument) for every article, in a fixed order."""
    items = []
    for path in sorted(data.glob("*/*.txt")):
        documents, _ = read_documents(FoundFile(path, f"{path.parent.name}/{path.name}"))
        items.append((BBC_SECTIONS.get(path.parent.name, path.parent.name), documents[0]))
    return items


def reuters(data: Path, every: int) -> list[SourceDocument]:
    """Every Nth Reuters story with a body and a TOPICS category, as a text file without metadata."""
    picked = []
    for sgml in sorted(data.glob("reut2-*.sgm")):
        for record in stories(sgml):
            if record["topics"] and record["text"] not in (record["title"], "(empty)"):
                text = f"{record['title']}\n\n{record['text']}\n"
                picked.append(SourceDocument(record["id"], Path(f"saved/{record['id']}.txt"), "text", text))
    return picked[::every]


def top_level(taxonomy, topics: tuple[str, ...]) -> set[str]:  # noqa: ANN001 - a Taxonomy
    """Each topic as its top-level ancestor (itself when it is one)."""
    return {(taxonomy.ancestors(t) or (t,))[-1] for t in topics}


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
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--taxonomy", type=Path, help="A taxonomy file (default: the built-in one).")
    parser.add_argument("--reuters-every", type=int, default=5, help="Take every Nth Reuters story (default 5).")
    parser.add_argument(
        "--json", type=Path, help="Where to write the results (default tests/bench/results/topics.json)."
    )
    args = parser.parse_args()
    if not (args.data / "bbc-news").is_dir():
        print(f"skipped: no BBC News data at {args.data / 'bbc-news'}")
        return

    items = load(args.data / "bbc-news")
    gold = [label for label, _ in items]
    labels = sorted(set(gold))
    taxonomy = load_taxonomy(args.taxonomy)

    started = time.perf_counter()
    articles = [process(document, taxonomy) for _, document in items]
    pipeline_seconds = time.perf_counter() - started
    ours = scores(gold, [top_level(taxonomy, a.topics) for a in articles], labels)
    top1 = scores(gold, [top_level(taxonomy, a.topics[:1]) for a in articles], labels)

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
    print(f"1. BBC News: {len(items)} articles, sections mapped onto IPTC; taxonomy {taxonomy.source}")
    headers = ["topic", "tax P", "tax R", "tax F1", "top-1 F1", "NB P", "NB R", "NB F1"]
    print(table(headers, rows))
    print(f"coverage: {1 - ours['untagged_share']:.1%} of articles got a topic; pipeline {pipeline_seconds:.1f}s")
    print(f"ratio taxonomy/naive-Bayes macro-F1: {ours['macro_f1'] / baseline['macro_f1']:.3f}x "
          f"(naive Bayes is supervised, {FOLDS}-fold cross-validated, {baseline_seconds:.1f}s)")  # fmt: skip

    results = {"bbc": {"articles": len(items), "taxonomy": ours, "taxonomy_top1": top1, "naive_bayes": baseline,
                       "ratio_macro_f1": ours["macro_f1"] / baseline["macro_f1"]}}  # fmt: skip
    wire = reuters(args.data / "reuters21578", args.reuters_every)
    if wire:
        tagged = [top_level(taxonomy, process(document, taxonomy).topics) for document in wire]
        wire_scores = scores(["economy"] * len(wire), tagged, ["economy"])
        results["reuters"] = {"articles": len(wire), **wire_scores}
        economy = wire_scores["per_topic"]["economy"]
        print(f"\n2. Reuters-21578: {len(wire)} stories with a category (every {args.reuters_every}th), gold economy")
        print(table(["coverage", "economy recall", "economy F1 (= macro-F1)"],
                    [[1 - wire_scores["untagged_share"], economy["recall"], economy["f1"]]]))  # fmt: skip
    print(f"wrote {write_json('topics', results, args.json)}")


if __name__ == "__main__":
    main()
