"""Trains the text crop's line model (searcher/clean/crop_model.json) from the extraction sets' gold
text, and reports leave-one-dataset-out quality of text mode against HTML mode, same run.

Each page is flattened to text three ways (clean.py's flattenings: one line a block, a browser's
innerText, a text browser's dump), split into paragraphs and judged by the rules up to the crop
(searcher/clean/classify.py verdicts_before_crop); every line the rules keep gets stretch.py's
features and a label from the set's gold (train_blocks.py's: story when its text is in the gold,
for trafilatura-eval when it holds a must-have snippet, not story for a must-not-have one). A line
weighs its share of its page's words, a page the same as every other page of its set, each
flattening a third of its page and each set the same: no set, page or flattening dominates.

Validation: for each of the seven sets, a model trained on the six others crops that set's pages in
each flattening (dragnet on its test split, trained on its training split; wcxb-dev on its articles),
with the set's own metric, beside HTML mode on the same pages (the target is 0.95 of HTML's F1),
at each belief threshold of THRESHOLDS; the threshold whose worst left-out set and flattening keeps
the largest share of HTML's F1 is shipped. The shipped model is then trained on all seven (--no-validate keeps the
shipped threshold). Requires scikit-learn (a bench extra); the file
written is read at run time in plain Python. The same data and code give the same file (--check).

    python tests/bench/train_crop.py [--data ../shared/data] [--sample N] [--no-validate] [--check]
        [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from clean import searcher_text  # noqa: E402
from common import table, write_json  # noqa: E402
from extraction import crop_fingerprint, flatten, flatten_inner_text, flatten_text_browser  # noqa: E402
from train_blocks import (  # noqa: E402
    SETS,
    TRAIN_PAGES,
    WORD,
    _clean_page,
    _train,
    fingerprint,
    gold_labeller,
    score,
    snippet_labeller,
)

from searcher.clean import stretch  # noqa: E402
from searcher.clean.blocks import text_paragraphs  # noqa: E402
from searcher.clean.classify import verdicts_before_crop  # noqa: E402
from searcher.clean.stretch import CROP_FEATURES, CROP_MODEL_FILE, crop_features  # noqa: E402

# The belief from which a line speaks for the story (stretch.py line_values), chosen as the one
# whose lowest share of HTML's F1 over the left-out sets and flattenings is highest (the target is
# 0.95 of HTML on every set; a tie goes to the best mean F1).
THRESHOLDS = (0.3, 0.4, 0.5, 0.6)
FLATTENINGS = {"lines": flatten, "innerText": flatten_inner_text, "dump": flatten_text_browser}
JUDGED = {  # the pages each left-out set is judged on (its report name in train_blocks.SETS)
    "scrapinghub-aeb": "scrapinghub-aeb",
    "trafilatura-eval": "trafilatura-eval",
    "dragnet": "dragnet (test)",
    "cleaneval": "cleaneval (final)",
    "readability": "readability",
    "cleanportaleval": "cleanportaleval",
    "wcxb-dev": "wcxb-dev articles",
}


def labelled_page(job: tuple[str, str, object]) -> list[tuple[list[float], int, float]]:
    """(features, label, weight) of the lines the rules keep before the crop, in each flattening;
    a flattening's weights sum to a third."""
    metric, html, truth = job
    labeller = snippet_labeller(truth) if metric == "snippets" else gold_labeller(truth)
    out = []
    for to_text in FLATTENINGS.values():
        blocks = text_paragraphs(to_text(html))
        reasons = verdicts_before_crop(blocks, True)
        labelled = []
        for block, reason, row in zip(blocks, reasons, crop_features(blocks, reasons), strict=True):
            label = labeller(block.text) if reason is None else None
            if label is not None:
                labelled.append((row, int(label), len(WORD.findall(block.text))))
        total = sum(words for _, _, words in labelled) * len(FLATTENINGS)
        out.extend((row, label, words / total) for row, label, words in labelled if total)
    return out


def labelled_set(pages: dict[str, str], truth: dict, metric: str, workers: int) -> list:
    jobs = [(metric, pages[p], truth[p]) for p in pages]
    with multiprocessing.Pool(workers) as pool:
        per_page = pool.map(labelled_page, jobs, chunksize=8)
    scale = 1.0 / max(len(pages), 1)
    return [(row, label, weight * scale) for page in per_page for row, label, weight in page]


def train(examples: dict[str, list], leave_out: str | None = None) -> dict:
    """The model of every set but `leave_out`, in the form stretch.py reads."""
    chosen = [
        (row, label, weight, True)
        for name in sorted(examples)
        if name != leave_out
        for row, label, weight in examples[name]
    ]
    model = _train(chosen, "trees")
    return {"features": list(CROP_FEATURES), "model": {k: v for k, v in model.items() if not k.startswith("_")}}


_MODEL: dict | None = None


def _use(model: dict) -> None:
    global _MODEL
    _MODEL = stretch.load_crop_model(model)
    stretch.shipped_crop_model = lambda: _MODEL  # the crop asks stretch.shipped_crop_model() for its model


def _clean_text(job: tuple[str, str, bool]) -> str:
    flattening, html, with_title = job
    try:
        return searcher_text(FLATTENINGS[flattening](html), with_title)
    except Exception as error:  # the bench names a page that fails instead of stopping
        print(f"  {type(error).__name__}: {error}", file=sys.stderr)
        return ""


def validate(examples: dict[str, list], args: argparse.Namespace) -> dict:
    """Leave one set out: the model of the six others crops that set's pages in each flattening."""
    results, rows = {}, []
    for name, spec in SETS.items():
        report_name = JUDGED[name]
        pages, truth = spec["judged"][report_name](spec["root"](args.data), args.sample)
        with_title = spec["metric"] == "snippets"
        model = train(examples, leave_out=name)
        with multiprocessing.Pool(args.workers) as pool:
            jobs = [(h, False, with_title) for h in pages.values()]
            html = dict(zip(pages, pool.map(_clean_page, jobs, chunksize=8), strict=True))
        html_f1 = score(spec["metric"], html, truth)["f1"]
        results[report_name] = {"pages": len(pages), "html": html_f1}
        for threshold in THRESHOLDS:
            model["model"]["threshold"] = threshold
            with multiprocessing.Pool(args.workers, initializer=_use, initargs=(model,)) as pool:
                for flattening in FLATTENINGS:
                    jobs = [(flattening, h, with_title) for h in pages.values()]
                    outputs = dict(zip(pages, pool.map(_clean_text, jobs, chunksize=8), strict=True))
                    results[report_name][f"{flattening} at {threshold}"] = score(spec["metric"], outputs, truth)["f1"]
        print(f"  {report_name}: " + ", ".join(f"{k} {v:.4f}" for k, v in results[report_name].items()), flush=True)
    means = {t: _mean(results, t) for t in THRESHOLDS}
    lowest = {t: _lowest_share(results, t) for t in THRESHOLDS}
    chosen = max(THRESHOLDS, key=lambda t: (lowest[t], means[t]))
    for report_name, scores in results.items():
        html_f1 = scores["html"]
        row = [report_name, scores["pages"], html_f1]
        for flattening in FLATTENINGS:
            f1 = scores[f"{flattening} at {chosen}"]
            row.append(f"{f1:.4f} ({f1 / html_f1:.3f})" if html_f1 else f"{f1:.4f}")
        rows.append(row)
    print()
    print("mean text F1 over the left-out sets and flattenings, by threshold:", _rounded(means))
    print("lowest share of HTML's F1 over the left-out sets and flattenings, by threshold:", _rounded(lowest))
    print(f"text mode at threshold {chosen}, each set cropped by the model of the six others (share of HTML's F1)")
    print(table(["set", "pages", "HTML", *FLATTENINGS], rows))
    return {"threshold": chosen, "means": means, "lowest_shares": lowest, "sets": results}


def _lowest_share(results: dict, threshold: float) -> float:
    return min(s[f"{flattening} at {threshold}"] / s["html"] for s in results.values() for flattening in FLATTENINGS)


def _rounded(by_threshold: dict[float, float]) -> dict[float, float]:
    return {t: round(v, 4) for t, v in by_threshold.items()}


def _mean(results: dict, threshold: float) -> float:
    scores = [s[f"{flattening} at {threshold}"] for s in results.values() for flattening in FLATTENINGS]
    return sum(scores) / len(scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent.parent / "shared" / "data")
    parser.add_argument("--sample", type=int, help="Judge at most N pages per set (a fixed sample).")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-validate", action="store_true", help="Train and write only.")
    parser.add_argument("--no-write", action="store_true", help="Report only; leave crop_model.json as it is.")
    parser.add_argument("--check", action="store_true", help="Fail unless retraining gives the shipped file.")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    missing = sorted(name for name, spec in SETS.items() if not spec["root"](args.data).is_dir())
    if missing:
        sys.exit(f"train_crop: sets missing under {args.data / 'article-extraction'}: {', '.join(missing)}")
    examples = {}
    for name, spec in SETS.items():
        pages, truth = spec["train"](spec["root"](args.data), TRAIN_PAGES)
        examples[name] = labelled_set(pages, truth, spec["metric"], args.workers)
        stories = sum(e[1] for e in examples[name])
        print(f"  {name}: {len(pages)} pages, {len(examples[name])} labelled lines, {stories} story", file=sys.stderr)
    report = {} if args.no_validate else validate(examples, args)
    model = train(examples)
    if report:
        model["model"]["threshold"] = report["threshold"]
    elif CROP_MODEL_FILE.is_file():  # retraining alone keeps the threshold validation chose
        model["model"]["threshold"] = json.loads(CROP_MODEL_FILE.read_text(encoding="utf-8"))["model"]["threshold"]
    else:
        model["model"]["threshold"] = 0.5
    model["trained_on"] = {name: len(examples[name]) for name in sorted(examples)}
    model["fingerprint"] = fingerprint(examples)
    model["verdicts"] = crop_fingerprint()
    text = json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n"
    if args.check:
        same = CROP_MODEL_FILE.is_file() and CROP_MODEL_FILE.read_text(encoding="utf-8") == text
        print(f"retrained model {'matches' if same else 'DIFFERS FROM'} {CROP_MODEL_FILE.name}")
        sys.exit(0 if same else 1)
    if not args.no_write:
        CROP_MODEL_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {CROP_MODEL_FILE} ({len(text) / 1000:.1f} KB)")
    print(f"wrote {write_json('train_crop', report, args.json)}")


if __name__ == "__main__":
    main()
