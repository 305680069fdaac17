"""Trains the cleaner's block model (searcher/clean/block_model.json) from the extraction sets' gold
text, and reports leave-one-dataset-out quality beside the rules alone and trafilatura, same run.

Each page is split into blocks and judged by the rules (searcher/clean/classify.py rule_verdicts);
every block gets judge.py's features (the rules' verdict among them) and a label from the set's
gold: story when its text is in the gold (a short block as a whole phrase, a longer one by its word
3-grams, half of them at least), for trafilatura-eval when it holds a must-have snippet (not story
when it holds a must-not-have one; neither: unlabelled). A block weighs its share of its page's
words, a page the same as every other page of its set, and each set the same, in HTML and as the
page flattened to text (clean.py's flattening): no set and no long page dominates.

Validation: for each of the seven sets, a model trained on the six others cleans that set (its
dragnet figure is on the test split; dragnet trains on its training split; wcxb-dev articles, forums
and other kinds are reported apart) with the set's own metric. The shipped model is then trained on
all seven. Requires scikit-learn (`pip install scikit-learn`, a bench extra); the file written is
read at run time in plain Python. The same data and code give the same file (--check compares).

    python tests/bench/train_blocks.py [--data ../shared/data] [--sample N] [--no-write] [--check]
        [--kind logistic|trees] [--json FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
from clean import (  # noqa: E402
    load_aeb,
    load_trafilatura_eval,
    norm,
    searcher_html,
    searcher_text,
    snippet_scores,
    trafilatura_extractor,
)
from common import table, write_json  # noqa: E402
from extraction import (  # noqa: E402
    aeb_scores,
    flatten,
    load_cleaneval,
    load_cleanportaleval,
    load_dragnet,
    load_readability,
    verdicts_fingerprint,
    wcxb_loader,
    word_f1,
)

from searcher.clean import judge  # noqa: E402
from searcher.clean.blocks import text_paragraphs  # noqa: E402
from searcher.clean.classify import candidates, rule_verdicts  # noqa: E402
from searcher.clean.html import html_blocks  # noqa: E402
from searcher.clean.judge import FEATURES, MODEL_FILE, WORD, PageSignals, block_features  # noqa: E402

SHORT_BLOCK_TOKENS = 5  # below this a block is story only as a whole phrase of the gold
GRAM = 3
GRAM_SHARE = 0.5  # a longer block is story when half its word 3-grams are in the gold
TREES = 60  # boosted trees of depth 3: the size that stopped gaining in leave-one-out (see the commit)
DEPTH = 3
RATE = 0.1
# Pages per set trained on (a fixed sample, every k-th in id order): all of them took half an hour
# on two cores.
TRAIN_PAGES = 150
DIGITS = 6  # weights are rounded so that the file is small and the same on every machine

# set: (what it trains on, what it is judged on: {report name: (pages, truth) loader}, metric)
Loader = Callable[[Path, int | None], tuple[dict[str, str], dict]]


def _folder(name: str) -> Callable[[Path], Path]:
    return lambda data: data / "article-extraction" / name


SETS: dict[str, dict] = {
    "scrapinghub-aeb": {
        "root": _folder("scrapinghub-aeb"),
        "train": lambda root, n: load_aeb(root, None, n),
        "judged": {"scrapinghub-aeb": lambda root, n: load_aeb(root, None, n)},
        "metric": "aeb",
    },
    "trafilatura-eval": {
        "root": _folder("trafilatura-eval"),
        "train": lambda root, n: load_trafilatura_eval(root, None, n),
        "judged": {"trafilatura-eval": lambda root, n: load_trafilatura_eval(root, None, n)},
        "metric": "snippets",
    },
    "dragnet": {
        "root": _folder("dragnet"),
        "train": lambda root, n: load_dragnet(root, n, "training"),
        "judged": {"dragnet (test)": lambda root, n: load_dragnet(root, n, "test")},
        "metric": "word",
    },
    "cleaneval": {
        "root": _folder("cleaneval"),
        "train": load_cleaneval,
        "judged": {"cleaneval (final)": load_cleaneval},
        "metric": "word",
    },
    "readability": {
        "root": _folder("readability"),
        "train": load_readability,
        "judged": {"readability": load_readability},
        "metric": "word",
    },
    "cleanportaleval": {
        "root": _folder("cleanportaleval"),
        "train": load_cleanportaleval,
        "judged": {"cleanportaleval": load_cleanportaleval},
        "metric": "word",
    },
    "wcxb-dev": {
        "root": _folder("wcxb-dev"),
        # Articles and forums: the other kinds' gold (a listing's links, a product grid) is what a
        # news cleaner should drop, and pages without a story are a matter for the rules.
        "train": wcxb_loader({"article", "forum"}),
        "judged": {
            "wcxb-dev articles": wcxb_loader({"article"}),
            "wcxb-dev forums": wcxb_loader({"forum"}),
            "wcxb-dev other": wcxb_loader(None, {"article", "forum"}),
        },
        "metric": "word",
    },
}


# --- labelled blocks -------------------------------------------------------------------------------


def page_blocks(html: str, text_mode: bool) -> tuple[list, list]:
    """A page's blocks and their rules' verdicts as the cleaner makes them, HTML or flattened."""
    if text_mode:
        blocks = text_paragraphs(flatten(html))
        return blocks, block_features(blocks, rule_verdicts(blocks, "", True), PageSignals(), True)
    page = html_blocks(html)
    blocks, reasons, _ = candidates(page.blocks, page.title, False, page.outside, page.signals.thread)
    return blocks, block_features(blocks, reasons, page.signals, False)


def gold_labeller(gold: str) -> Callable[[str], bool | None]:
    """Whether a block's text is in a page's gold text (see the module's docstring)."""
    tokens = WORD.findall(gold.lower())
    joined = f" {' '.join(tokens)} "
    grams = {tuple(tokens[i : i + GRAM]) for i in range(len(tokens) - GRAM + 1)}

    def label(text: str) -> bool | None:
        words = WORD.findall(text.lower())
        if not words:
            return None
        if len(words) < SHORT_BLOCK_TOKENS:
            return f" {' '.join(words)} " in joined
        own = [tuple(words[i : i + GRAM]) for i in range(len(words) - GRAM + 1)]
        return sum(g in grams for g in own) >= GRAM_SHARE * len(own)

    return label


def snippet_labeller(note: dict) -> Callable[[str], bool | None]:
    """trafilatura-eval: a block holding a must-have snippet (or held by one) is story, one holding
    a must-not-have snippet is not; other blocks are unlabelled."""
    wanted = [norm(s) for s in note["with"] if norm(s)]
    unwanted = [norm(s) for s in note["without"] if norm(s)]

    def label(text: str) -> bool | None:
        text = norm(text)
        if len(text) >= 20 and any(s in text or text in s for s in wanted):
            return True
        if any(s in text for s in unwanted):
            return False
        return None

    return label


def labelled_page(job: tuple[str, str, object]) -> list[tuple[list[float], int, float, bool]]:
    """(features, label, weight, text mode) of one page's blocks in both modes; each mode's
    weights sum to 1."""
    kind, html, truth = job
    labeller = snippet_labeller(truth) if kind == "snippets" else gold_labeller(truth)
    out = []
    for text_mode in (False, True):
        try:
            blocks, rows = page_blocks(html, text_mode)
        except Exception as error:  # a page the cleaner cannot read teaches nothing; the bench names it
            print(f"  skipped a page: {type(error).__name__}: {error}", file=sys.stderr)
            continue
        labelled = []
        for block, row in zip(blocks, rows, strict=True):
            label = labeller(block.text)
            if label is not None:
                labelled.append((row, int(label), len(WORD.findall(block.text))))
        total = sum(words for _, _, words in labelled)
        out.extend((row, label, words / total, text_mode) for row, label, words in labelled if total)
    return out


def labelled_set(pages: dict[str, str], truth: dict, kind: str, workers: int) -> list:
    """Every block of a set, its page's weights divided by the set's page count."""
    jobs = [(kind, pages[p], truth[p]) for p in pages]
    with multiprocessing.Pool(workers) as pool:
        per_page = pool.map(labelled_page, jobs, chunksize=8)
    scale = 1.0 / max(len(pages), 1)
    return [(row, label, weight * scale, mode) for page in per_page for row, label, weight, mode in page]


# --- models ----------------------------------------------------------------------------------------


def train(examples: list, kind: str) -> dict:
    """The models judge.py reads, one for HTML and one for text, each trained on its mode's
    (features, label, weight) examples."""
    return {
        "features": list(FEATURES),
        "html": _train([e for e in examples if not e[3]], kind),
        "text": _train([e for e in examples if e[3]], kind),
    }


def _train(examples: list, kind: str) -> dict:
    import numpy as np

    x = np.array([e[0] for e in examples], dtype=float)
    y = np.array([e[1] for e in examples])
    w = np.array([e[2] for e in examples]) * len(examples) / sum(e[2] for e in examples)
    if kind == "logistic":
        return _logistic(x, y, w)
    return _trees(x, y, w)


def _logistic(x, y, w) -> dict:  # noqa: ANN001 - numpy arrays
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    fitted = LogisticRegression(C=1.0, max_iter=5000).fit((x - mean) / scale, y, sample_weight=w)
    weights = fitted.coef_[0] / scale
    bias = float(fitted.intercept_[0] - (fitted.coef_[0] * mean / scale).sum())
    return {
        "kind": "logistic",
        "weights": [round(float(v), DIGITS) for v in weights],
        "bias": round(bias, DIGITS),
        "_fitted": fitted,
    }


def _trees(x, y, w) -> dict:  # noqa: ANN001 - numpy arrays
    from sklearn.ensemble import GradientBoostingClassifier

    fitted = GradientBoostingClassifier(n_estimators=TREES, max_depth=DEPTH, learning_rate=RATE, random_state=0)
    fitted.fit(x, y, sample_weight=w)
    trees = []
    for estimator in fitted.estimators_[:, 0]:
        tree = estimator.tree_
        rows = []
        for node in range(tree.node_count):
            leaf = tree.children_left[node] < 0
            rows.append(
                [
                    -1 if leaf else int(tree.feature[node]),
                    0.0 if leaf else round(float(tree.threshold[node]), DIGITS),
                    int(tree.children_left[node]),
                    int(tree.children_right[node]),
                    round(float(tree.value[node][0][0]), DIGITS) if leaf else 0.0,
                ]
            )
        trees.append(rows)
    base = float(fitted._raw_predict_init(x[:1])[0, 0])  # the prior's log-odds, where boosting starts
    return {
        "kind": "trees",
        "base": round(base, DIGITS),
        "rate": RATE,
        "trees": trees,
        "_fitted": fitted,
    }


# Where the model may overrule the rules: a dropped block is taken back from TAKE_BACK_FROM belief
# on, a kept one dropped below DROP_BELOW; 2.0 and 0.0 never (the rules alone). Chosen per mode as
# the pair that gains most on average over the left-out sets while losing on none of them.
TAKE_BACK_FROM = (0.5, 0.6, 0.7, 0.8, 0.9, 2.0)
DROP_BELOW = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
NEVER = (2.0, 0.0)


_KEPT_ONLY = {
    "kind": "logistic",
    "weights": [10.0] + [0.0] * (len(FEATURES) - 1),
    "bias": -5.0,
    "take_back_from": NEVER[0],
    "drop_below": NEVER[1],
}
RULES_ONLY = {"features": list(FEATURES), "html": _KEPT_ONLY, "text": _KEPT_ONLY}  # the rules' verdicts unchanged


# --- judging a set with a model --------------------------------------------------------------------

_MODEL: dict | None = None


def _use(model: dict) -> None:
    global _MODEL
    _MODEL = judge.load_model(model)
    judge.shipped_model = lambda: _MODEL  # the cleaner asks judge.shipped_model() for its model


def _clean_page(job: tuple[str, bool, bool]) -> str:
    html, text_mode, with_title = job
    try:
        return searcher_text(flatten(html), with_title) if text_mode else searcher_html(html, with_title)
    except Exception as error:  # the bench names a page that fails instead of stopping
        print(f"  {type(error).__name__}: {error}", file=sys.stderr)
        return ""


def cleaned(model: dict, pages: dict[str, str], text_mode: bool, with_title: bool, workers: int) -> dict[str, str]:
    jobs = [(html, text_mode, with_title) for html in pages.values()]
    with multiprocessing.Pool(workers, initializer=_use, initargs=(model,)) as pool:
        return dict(zip(pages, pool.map(_clean_page, jobs, chunksize=8), strict=True))


def score(metric: str, outputs: dict[str, str], truth: dict) -> dict[str, float]:
    if metric == "aeb":
        return aeb_scores(outputs, truth)
    if metric == "snippets":
        return snippet_scores(outputs, truth)
    return word_f1(outputs, truth)


# --- the run ---------------------------------------------------------------------------------------


def fingerprint(data: dict[str, list]) -> str:
    """What the model was trained from: the labelled examples themselves."""
    digest = hashlib.sha256()
    for name in sorted(data):
        digest.update(name.encode())
        digest.update(json.dumps(data[name], separators=(",", ":")).encode())
    return digest.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--sample", type=int, help="Judge at most N pages per set (a fixed sample).")
    parser.add_argument(
        "--train-pages", type=int, default=TRAIN_PAGES, help="Train on a fixed sample of N pages per set."
    )
    parser.add_argument("--kind", choices=["logistic", "trees"], default="trees")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-validate", action="store_true", help="Train and write only.")
    parser.add_argument("--no-write", action="store_true", help="Report only; leave block_model.json as it is.")
    parser.add_argument("--check", action="store_true", help="Fail unless retraining gives the shipped file.")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    present = {name: spec for name, spec in SETS.items() if spec["root"](args.data).is_dir()}
    missing = sorted(set(SETS) - set(present))
    if missing:
        sys.exit(f"train_blocks: sets missing under {args.data / 'article-extraction'}: {', '.join(missing)}")
    examples = {}
    for name, spec in present.items():
        pages, truth = spec["train"](spec["root"](args.data), args.train_pages)
        examples[name] = labelled_set(pages, truth, spec["metric"], args.workers)
        stories = sum(e[1] for e in examples[name])
        print(f"  {name}: {len(pages)} pages, {len(examples[name])} labelled blocks, {stories} story", file=sys.stderr)
    report: dict = {"kind": args.kind, "sets": {}}
    thresholds = {mode: dict(zip(("take_back_from", "drop_below"), NEVER, strict=True)) for mode in ("html", "text")}
    if not args.no_validate:
        report["sets"] = validate(examples, present, args)
        thresholds = report["sets"]["thresholds"]
    elif MODEL_FILE.is_file():  # retraining alone keeps the thresholds validation chose
        shipped = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
        thresholds = {mode: shipped[mode] for mode in ("html", "text")}
    model = _with_thresholds(train([e for name in sorted(examples) for e in examples[name]], args.kind), thresholds)
    model["trained_on"] = {name: len(examples[name]) for name in sorted(examples)}
    model["fingerprint"] = fingerprint(examples)
    model["verdicts"] = verdicts_fingerprint()
    text = json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n"
    if args.check:
        same = MODEL_FILE.read_text(encoding="utf-8") == text
        print(f"retrained model {'matches' if same else 'DIFFERS FROM'} {MODEL_FILE.name}")
        sys.exit(0 if same else 1)
    if not args.no_write and args.train_pages == TRAIN_PAGES:
        MODEL_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {MODEL_FILE} ({len(text) / 1000:.1f} KB)")
    print(f"wrote {write_json('train_blocks', report, args.json)}")


def candidate_page(job: tuple[str, bool]) -> tuple[list[str], list[list[float]]]:
    html, text_mode = job
    try:
        blocks, rows = page_blocks(html, text_mode)
    except Exception:  # scored as an empty output, as the cleaning passes do
        return [], []
    return [b.text for b in blocks], rows


def validate(examples: dict[str, list], present: dict[str, dict], args: argparse.Namespace) -> dict:
    """Leave one set out: the model of the six others on it, the rules alone, and trafilatura.
    First the overruling thresholds are chosen on the left-out sets' blocks (outputs made of the
    blocks judged story, no title), then each set is cleaned for real with them."""
    folds = {}
    for held_out, spec in present.items():
        model = train([e for name in sorted(examples) if name != held_out for e in examples[name]], args.kind)
        for report_name, load in spec["judged"].items():
            pages, truth = load(spec["root"](args.data), args.sample)
            folds[report_name] = (spec, model, pages, truth)
    thresholds = {mode: choose_thresholds(folds, mode, args.workers) for mode in ("html", "text")}
    trafilatura = trafilatura_extractor()
    results: dict = {"thresholds": thresholds}
    rows = []
    for report_name, (spec, model, pages, truth) in folds.items():
        chosen = _with_thresholds(model, thresholds)
        with_title = spec["metric"] == "snippets"
        systems = {
            "rules (HTML)": cleaned(RULES_ONLY, pages, False, with_title, args.workers),
            "model, left out (HTML)": cleaned(chosen, pages, False, with_title, args.workers),
            "rules (text)": cleaned(RULES_ONLY, pages, True, with_title, args.workers),
            "model, left out (text)": cleaned(chosen, pages, True, with_title, args.workers),
        }
        if trafilatura:
            systems["trafilatura"] = {p: _safe(trafilatura, html) for p, html in pages.items()}
        scores = {system: score(spec["metric"], out, truth) for system, out in systems.items()}
        results[report_name] = scores
        for system, s in scores.items():
            rows.append([report_name, len(pages), system, s["f1"], s["precision"], s["recall"]])
        print(table(["set", "pages", "system", "F1", "P", "R"], rows[-len(scores) :]), flush=True)
    print()
    print(f"thresholds (take back from, drop below): {thresholds}")
    print("leave-one-dataset-out (each set judged by a model trained on the six others)")
    print(table(["set", "pages", "system", "F1", "P", "R"], rows))
    return results


def choose_thresholds(folds: dict, mode: str, workers: int) -> dict:
    """The (take back, drop below) pair of the grid gaining most on average over the left-out
    sets, among those losing on none (the rules alone, which lose nothing, always qualify)."""
    text_mode = mode == "text"
    gains: dict[tuple[float, float], list[float]] = {}
    for report_name, (spec, model, pages, truth) in folds.items():
        with multiprocessing.Pool(workers) as pool:
            judged = pool.map(candidate_page, [(html, text_mode) for html in pages.values()], chunksize=8)
        beliefs = [_beliefs(model[mode], rows) for _, rows in judged]
        scores = {}
        for pair in [NEVER, *((t, d) for t in TAKE_BACK_FROM for d in DROP_BELOW)]:
            outputs = {
                page: "\n".join(
                    text
                    for text, row, belief in zip(texts, rows, page_beliefs, strict=True)
                    if (belief >= pair[1] if row[0] else belief >= pair[0])
                )
                for page, (texts, rows), page_beliefs in zip(pages, judged, beliefs, strict=True)
            }
            scores[pair] = score(spec["metric"], outputs, truth)["f1"]
        for pair, value in scores.items():
            gains.setdefault(pair, []).append(value - scores[NEVER])
        print(
            f"  {mode} {report_name}: rules {scores[NEVER]:.3f}, best pair {max(scores.values()):.3f}", file=sys.stderr
        )
    safe = {pair: sum(g) / len(g) for pair, g in gains.items() if min(g) >= 0}
    take_back, drop_below = max(sorted(safe), key=safe.__getitem__)
    print(
        f"  {mode}: take back from {take_back}, drop below {drop_below}: mean gain {safe[(take_back, drop_below)]:+.4f}"
    )
    return {"take_back_from": take_back, "drop_below": drop_below, "mean_gain": safe[(take_back, drop_below)]}


def _beliefs(model: dict, rows: list[list[float]]) -> list[float]:
    fitted = model.get("_fitted")
    if fitted is not None and rows:
        return [float(p) for p in fitted.predict_proba(rows)[:, 1]]
    return [judge.story_probability(model, row) for row in rows]


def _with_thresholds(model: dict, thresholds: dict) -> dict:
    """The model as shipped: its thresholds set, the learning library's own object left out."""
    out = {"features": model["features"]}
    for mode in ("html", "text"):
        out[mode] = {k: v for k, v in model[mode].items() if not k.startswith("_")}
        out[mode].update({k: thresholds[mode][k] for k in ("take_back_from", "drop_below")})
    return out


def _safe(extract: Callable[[str], str], html: str) -> str:
    try:
        return extract(html)
    except Exception:  # trafilatura raises on odd pages: an empty output, as clean.py scores it
        return ""


if __name__ == "__main__":
    main()
