"""Ranking functions chosen by leave-one-collection-out: searcher's scoring recomputed outside the
engine, from the terms the Whoosh engine indexed, so a family of settings is measured on all six IR
collections in seconds instead of rebuilding an index (or writing a Whoosh matcher) per setting.

Three families, each a grid of K1, B and the title's weight, with searcher's bonuses (coordination,
proximity on the RERANK_DEPTH best; ranking.py) on top:
- per-field: the engine before BM25F. Each field is its own BM25 (its own idf and length
  normalisation) and the two are added; the title's weight multiplies its term frequencies
  (Whoosh's field_boost). The engine still scores fielded clauses so (per_field_part).
- bm25f: Robertson, Zaragoza and Taylor's BM25F. Each field's term frequency is normalised by that
  field's length (its own B), weighted, the fields' sum saturated once with K1, and the idf taken
  from the larger of the two fields' document frequencies (Lucene's CombinedFieldQuery does so).
- mixed: each word's score MIX times its BM25F score plus (1 - MIX) times the engine's per-field
  one (an interpolation of the two rankings, word by word, before the bonuses). The engine ships
  one of these (engine/whoosh/bm25f.py): today().

Then families around today's setting, each a small grid with today's value in it, so leaving one
collection out may keep it: BM25+'s lower bound on the BM25F part (Lv and Zhai's delta, a word's
presence worth delta x idf whatever the document's length), an idf exponent (rare words weigh more
against common ones in long queries), the query-term saturation K3 (infinite: a word said n times
counts n times, as bm25s and Lucene do), the bonuses' weights (coordination, proximity), BM25F's
saturation K1 with its share of the score (NPL's short abstracts score better at Lucene's K1 1.2), and the
stemmer (Whoosh's Porter, which searcher used before Snowball's, as a second model). Then what
the engine could know at query time: K1 and B by the query's length (short-query-k1,
k1-by-query-length), the idf's shape (idf-kind), term dependence (proximity: more words, an
unordered window), and a second scorer needing no K1 (DPH, Dirichlet query likelihood) fused on
the best RERANK_DEPTH (fusion-dph, fusion-ql) or added to every word's score (dph-word), and what
coordination counts: each word alike or by its idf (coordination-idf). A family
counts only if its held-out mean rises by MIN_GAIN and no collection falls by more than
FALL_TOLERANCE.

Leave-one-collection-out: for each collection, the setting with the best mean nDCG@10 on the other
five is chosen and scored on it; the held-out scores are what a setting chosen this way would give
on a collection it was never tuned on. Baseline in the same run: the engine's own search of every
query (tests/bench/relevance.py's runs), beside the model of today's setting, so any gap between the
model and the engine shows. Needs numpy (installed with bm25s, in the bench extra).

    python tests/bench/rankmodel.py [--data ../shared/data/ir-collection] [--only cranfield,med]
        [--families bm25+,idf-power,query-tf,bonuses,saturation,stemmer]
        [--families short-query-k1,k1-by-query-length,idf-kind,proximity,fusion-dph,fusion-ql,dph-word]
        [--families coordination-idf]
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import NamedTuple

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))  # this checkout's searcher, not the installed one
from common import table, write_json  # noqa: E402
from ircollections import Collection, all_collections  # noqa: E402
from ireval import evaluate  # noqa: E402
from relevance import DEPTH, searcher_index, searcher_runs, without_excluded  # noqa: E402

from searcher.engine.bonuses import MAX_BONUS_WORDS  # noqa: E402

FIELDS = ("title", "body")
# The grids: today's setting is in the per-field one (K1 1.2, B 0.75, title weight 2).
PER_FIELD_GRID = {"k1": (0.9, 1.2, 2.0), "b": (0.5, 0.75, 0.9), "title_weight": (1.0, 1.5, 2.0, 3.0)}
BM25F_GRID = {"k1": (1.2, 2.0, 2.5, 3.0), "b": (0.75,), "title_b": (0.3, 0.5, 0.75), "title_weight": (1.0, 2.0, 3.0)}
MIXED_GRID = {"k1": (2.0, 2.5), "b": (0.75,), "title_b": (0.3, 0.5), "title_weight": (2.0, 3.0), "mix": (0.3, 0.5, 0.7)}
# Families varied around today's setting (each grid holds today's value too).
AROUND_TODAY = {
    "bm25+": {"delta": (0.05, 0.1, 0.25, 0.5, 1.0)},
    "idf-power": {"idf_power": (1.25, 1.5, 2.0)},
    # The idf's shape: rank-bm25's (Robertson and Sparck Jones' without the + 1; SciFact's best
    # peer) or log(N / n).
    "idf-kind": {"idf_kind": ("rsj", "log")},
    "query-tf": {"query_k3": (0.5, 3.0, math.inf)},
    "bonuses": {"coordination": (0.0, 0.5, 1.0, 1.5), "near_boost": (0.0, 0.3, 0.6)},
    # What coordination counts: each word the same ((m - 1) / (n - 1) for m of n words), or each by
    # its idf (the share of the query's idf a document holds beyond its best word), with its weight.
    "coordination-idf": {"coordination_by": ("count", "idf"), "coordination": (0.5, 1.0, 1.5)},
    # BM25F's saturation and its share of the word's score: NPL's abstracts are some 20 words long,
    # where a higher K1 rewards a word said twice more than a lower one.
    "saturation": {"k1": (1.2, 1.5, 2.0), "mix": (0.5, 0.7, 1.0)},
    # Saturation by the query's length: NPL's and SciFact's queries are the shortest (7-10 stems)
    # and their documents want a low K1, LISA's the longest (39) and want K1 2.0. Either K1 and B
    # of their own for a query short enough to earn the bonuses, or K1 x (stems / 12) ** power.
    "short-query-k1": {"short_k1": (0.9, 1.2, 1.6), "short_b": (0.6, 0.75)},
    "k1-by-query-length": {"k1_power": (0.25, 0.5, 1.0)},
    # Term dependence: proximity for queries of up to NEAR_WORDS stems, neighbouring words in order
    # within NEAR_SLOP worth NEAR_BOOST times both words' scores, or else (Metzler and Croft's
    # unordered window) in either order within NEAR_WINDOW positions, worth half of that.
    "proximity": {"near_words": (3, 6, 12), "near_slop": (1, 4), "near_window": (0, 8), "near_boost": (0.15, 0.3)},
    # A second scorer fused on the RERANK_DEPTH best of a query that earns the bonuses: its scores
    # there min-max normalised, times WEIGHT times the best BM25F score, added. DPH (Amati's
    # divergence from randomness, no parameter) or Dirichlet-smoothed query likelihood (mu a
    # multiple of the average document length), both over title and body as one text.
    "fusion-dph": {"dph_weight": (0.1, 0.2, 0.3, 0.4, 0.5)},
    "fusion-ql": {"ql_weight": (0.1, 0.2, 0.3, 0.4, 0.5), "ql_mu": (1.0, 2.0, 4.0)},
    # DPH added to every word's score (WEIGHT x its DPH score), for every query or only for the
    # short ones (at most 12 stems).
    "dph-word": {"dph_word": (0.1, 0.2, 0.3, 0.5, 0.8), "dph_word_words": (12, 10_000)},
}
# Where a query's length changes the scoring: at most this many stems is a short query (where the
# engine's bonuses stop).
SHORT_QUERY_WORDS = MAX_BONUS_WORDS
IDF_FLOOR = 0.01  # the "rsj" idf's least: a word in most documents still counts a little
FAMILIES = ("per-field", "bm25f", "mixed", *AROUND_TODAY, "stemmer")
# A family counts when its held-out mean nDCG@10 rises by at least MIN_GAIN (less is a query or two
# of the 735) and no collection falls by more than FALL_TOLERANCE.
MIN_GAIN = 0.002
FALL_TOLERANCE = 0.005


class Setting(NamedTuple):
    family: str  # "per-field", "bm25f" or "mixed" (the BM25F part's settings; the rest is today's)
    k1: float
    b: float  # the body's B (both fields' for per-field)
    title_b: float
    title_weight: float
    mix: float = 1.0  # the BM25F score's share in "mixed"
    delta: float = 0.0  # BM25+'s lower bound, on the BM25F part
    idf_power: float = 1.0
    query_k3: float = 1.0  # ranking.QUERY_TF_K3; math.inf: linear
    coordination: float = 1.0  # ranking.COORDINATION
    near_boost: float = 0.15  # ranking.NEAR_BOOST
    stemmer: str = "snowball"  # or "porter": Whoosh's, as searcher stemmed before
    short_k1: float = 0.0  # BM25F's K1 for a short query (0: K1)
    short_b: float = 0.0  # the body's B for a short query (0: B)
    k1_power: float = 0.0  # K1 x (stems / SHORT_QUERY_WORDS) ** k1_power
    near_words: int = 12  # ranking.MAX_NEAR_WORDS
    near_slop: int = 1  # ranking.NEAR_SLOP (in order)
    near_window: int = 8  # ranking.NEAR_WINDOW: either order, when not in order (0: none)
    dph_weight: float = 0.0  # DPH fused on the best RERANK_DEPTH
    ql_weight: float = 0.0  # query likelihood fused on the best RERANK_DEPTH
    ql_mu: float = 1.0  # Dirichlet's mu, in average document lengths
    dph_word: float = 0.0  # DPH added to each word's score
    dph_word_words: int = 10_000  # ... for queries of at most this many stems
    idf_kind: str = "lucene"  # Model.idf's
    coordination_by: str = "idf"  # bonuses.coordination_share's idf weights, or "count": each word alike

    def label(self) -> str:
        title_b = f" title B {self.title_b}" if self.family != "per-field" else ""
        mix = f" mix {self.mix}" if self.family == "mixed" else ""
        extra = "".join(
            f" {name} {getattr(self, name)}"
            for name in ("delta", "idf_power", "query_k3", "coordination", "near_boost", "stemmer", *_NEW_FIELDS)
            if getattr(self, name) != Setting._field_defaults[name]
        )
        return f"{self.family} K1 {self.k1} B {self.b}{title_b} title x{self.title_weight}{mix}{extra}"


_NEW_FIELDS = ("idf_kind", "short_k1", "short_b", "k1_power", "near_words", "near_slop", "near_window", "dph_weight",
               "ql_weight", "ql_mu", "dph_word", "dph_word_words", "coordination_by")  # fmt: skip


def per_field_part() -> Setting:
    """The engine's per-field BM25 (half of a plain word's score, and every fielded clause's), read
    from its constants."""
    from searcher.engine.whoosh import bm25f, store

    k1, b = bm25f.PER_FIELD_PARAMETERS["K1"], bm25f.PER_FIELD_PARAMETERS["B"]
    return Setting("per-field", k1, b, b, store.TITLE_BOOST)


def today() -> Setting:
    """The engine's setting of a plain word's score (bm25f.py), read from its constants."""
    from searcher.engine.whoosh import bm25f, ranking

    return Setting("mixed", bm25f.BM25F_K1, bm25f.BM25F_B["body"], bm25f.BM25F_B["title"],
                   bm25f.BM25F_WEIGHT["title"], bm25f.BM25F_MIX, query_k3=ranking.QUERY_TF_K3,
                   coordination=ranking.COORDINATION, near_boost=ranking.NEAR_BOOST,
                   near_words=ranking.MAX_NEAR_WORDS, near_slop=ranking.NEAR_SLOP,
                   near_window=ranking.NEAR_WINDOW)  # fmt: skip


def settings(families: tuple[str, ...] = FAMILIES) -> list[Setting]:
    """Every setting of the families asked for, today's first."""
    found = [today()]
    if "per-field" in families:
        found += [
            per_field_part(),
            *(Setting("per-field", k1, b, b, w) for k1, b, w in itertools.product(*PER_FIELD_GRID.values())),
        ]
    if "bm25f" in families:
        found += [Setting("bm25f", *values) for values in itertools.product(*BM25F_GRID.values())]
    if "mixed" in families:
        found += [Setting("mixed", *values) for values in itertools.product(*MIXED_GRID.values())]
    for family, grid in AROUND_TODAY.items():
        if family in families:
            found += [
                today()._replace(**dict(zip(grid, values, strict=True))) for values in itertools.product(*grid.values())
            ]
    if "stemmer" in families:
        found.append(today()._replace(stemmer="porter"))
    return list(dict.fromkeys(found))


def family_of(s: Setting) -> str:
    """The family a setting belongs to: today's own is in every family; one varied around today's
    belongs to the family whose grid holds every value it changes."""
    if s.stemmer != "snowball":
        return "stemmer"
    changed = {name: value for name, value in s._asdict().items() if value != getattr(today(), name)}
    for family, grid in AROUND_TODAY.items():
        if changed and all(name in grid and value in grid[name] for name, value in changed.items()):
            return family
    return s.family


def porter_analyzer():  # noqa: ANN201 - a whoosh analyzer
    """searcher's analyzer as it was with Whoosh's Porter stemmer (the "stemmer" family's other side)."""
    from whoosh.analysis import CharsetFilter, LowercaseFilter, StemFilter, StopFilter
    from whoosh.lang.porter import stem
    from whoosh.support.charset import accent_map

    from searcher.analysis import STOP_WORDS, NewsTokenizer, PossessiveFilter

    folding = PossessiveFilter() | LowercaseFilter() | CharsetFilter(accent_map)
    return NewsTokenizer() | folding | StopFilter(stoplist=STOP_WORDS) | StemFilter(stemfn=stem)


class Terms(NamedTuple):
    """One field's postings of one stem: document numbers, frequencies, positions."""

    docs: np.ndarray
    freqs: np.ndarray
    positions: list[tuple[int, ...]]


class Model:
    """A collection's documents as the engine indexed them, as postings, and its queries as the
    engine parses them (stems with how often each is said, and the stems that earn bonuses)."""

    def __init__(self, collection: Collection, index: Path, analyzer=None) -> None:  # noqa: ANN001 - whoosh's
        from whoosh.util.numeric import byte_to_length, length_to_byte

        from searcher.analysis import news_analyzer
        from searcher.engine import close_engines
        from searcher.engine.whoosh.searching import open_searcher

        close_engines()
        stored = {fields["id"]: fields for fields in open_searcher(index).all_stored_fields()}
        analyzer = analyzer or news_analyzer()
        self.collection = collection
        self.ids = [d["id"] for d in collection.documents]
        self.count = len(self.ids)
        gathered: dict[str, dict[str, dict[int, list[int]]]] = {f: defaultdict(dict) for f in FIELDS}
        lengths = {f: np.zeros(self.count) for f in FIELDS}
        for number, doc_id in enumerate(self.ids):
            fields = stored[doc_id]  # the title is indexed only when it is a headline
            texts = {"title": fields.get("display_title", "") if fields.get("title_is_headline") else "",
                     "body": fields.get("body", "")}  # fmt: skip
            for field, text in texts.items():
                stems = [token.text for token in analyzer(text)]
                lengths[field][number] = len(stems)
                for position, stem in enumerate(stems):
                    gathered[field][stem].setdefault(number, []).append(position)
        self.terms = {
            field: {
                stem: Terms(
                    np.array(list(found)),
                    np.array([len(p) for p in found.values()], float),
                    [tuple(p) for p in found.values()],
                )  # fmt: skip
                for stem, found in by_stem.items()
            }
            for field, by_stem in gathered.items()
        }
        self.average = {f: lengths[f].mean() for f in FIELDS}  # Whoosh: exact total over documents
        # Whoosh stores each length in a byte (lossy above a few words) and scores with that.
        self.lengths = {f: np.array([byte_to_length(length_to_byte(int(n))) for n in lengths[f]]) for f in FIELDS}
        self.queries = {qid: _parsed(text, analyzer) for qid, text in collection.queries.items()}

    def idf(self, frequency: int, kind: str = "lucene") -> float:
        """ranking.NewsBM25F's idf ("lucene"), or Robertson and Sparck Jones' own without Lucene's
        + 1 ("rsj": a word in more than half the documents is worth almost nothing, floored at
        IDF_FLOOR), or log(N / n) ("log")."""
        if kind == "rsj":
            return max(IDF_FLOOR, math.log((self.count - frequency + 0.5) / (frequency + 0.5)))
        if kind == "log":
            return math.log(self.count / frequency)
        return math.log(1 + (self.count - frequency + 0.5) / (frequency + 0.5))

    def frequency(self, stem: str) -> int:
        """The larger of the stem's title and body document frequencies (BM25F's idf is of it)."""
        return max((len(self.terms[f][stem].docs) for f in FIELDS if stem in self.terms[f]), default=0)

    def norm(self, field: str, docs: np.ndarray, b: float) -> np.ndarray:
        return (1 - b) + b * self.lengths[field][docs] / self.average[field]

    def word_scores(self, stem: str, s: Setting) -> dict[str, np.ndarray]:
        """The stem's score in every document (0 where absent), for each field with the per-field
        family, as one ("any") with BM25F; empty when no document holds it."""
        found = {f: self.terms[f][stem] for f in FIELDS if stem in self.terms[f]}
        if not found:
            return {}
        if s.family == "mixed":
            combined = self.word_scores(stem, s._replace(family="bm25f"))["any"]
            by_field = self.word_scores(stem, per_field_part()._replace(idf_power=s.idf_power, idf_kind=s.idf_kind))
            return {"any": s.mix * combined + (1 - s.mix) * sum(by_field.values())}
        weight = {"title": s.title_weight, "body": 1.0}
        if s.family == "per-field":
            by_field = {}
            for field, terms in found.items():
                freqs, scores = terms.freqs * weight[field], np.zeros(self.count)
                norm = self.norm(field, terms.docs, s.b)
                idf = self.idf(len(terms.docs), s.idf_kind) ** s.idf_power
                scores[terms.docs] = idf * freqs * (s.k1 + 1) / (freqs + s.k1 * norm)
                by_field[field] = scores
            return by_field
        b = {"title": s.title_b, "body": s.b}
        combined, present = np.zeros(self.count), np.zeros(self.count)
        for field, terms in found.items():
            combined[terms.docs] += weight[field] * terms.freqs / self.norm(field, terms.docs, b[field])
            present[terms.docs] = 1.0
        idf = self.idf(max(len(terms.docs) for terms in found.values()), s.idf_kind) ** s.idf_power
        return {"any": idf * (combined * (s.k1 + 1) / (s.k1 + combined) + s.delta * present)}

    def ranking(self, qid: str, s: Setting) -> list[str]:
        """The query's ranked ids, BM25 then the bonuses on the best RERANK_DEPTH, as the engine does."""
        from searcher.engine.whoosh import ranking

        counts, stems = self.queries[qid]
        s = for_query(s, len(stems) or len(counts))
        with_dph = s.dph_word and len(stems) <= s.dph_word_words
        total, per_word = np.zeros(self.count), {}
        for stem, count in counts.items():
            by_field = self.word_scores(stem, s)
            if by_field:
                if with_dph:
                    by_field = {"any": sum(by_field.values()) + s.dph_word * self.dph(stem)}
                per_word[stem] = by_field
                total += _query_weight(count, s.query_k3) * sum(by_field.values())
        matched = np.nonzero(total)[0]
        order = matched[np.lexsort((matched, -total[matched]))]
        if ranking.earns_bonuses(stems):
            head = order[: ranking.RERANK_DEPTH]
            rescored = total[head] + self._bonuses(head, stems, per_word, s) + self._fused(head, counts, total, s)
            order = np.concatenate([head[np.lexsort((head, -rescored))], order[ranking.RERANK_DEPTH :]])
        return [self.ids[i] for i in order[: DEPTH + 1]]

    def _text(self) -> tuple[np.ndarray, float]:
        """Title and body as one text: each document's length and the collection's total."""
        if not hasattr(self, "_text_lengths"):
            self._text_lengths = self.lengths["title"] + self.lengths["body"]
        return self._text_lengths, float(self._text_lengths.sum())

    def text_freqs(self, stem: str) -> np.ndarray:
        """How often the stem occurs in each document's title and body together."""
        freqs = np.zeros(self.count)
        for field in FIELDS:
            terms = self.terms[field].get(stem)
            if terms is not None:
                freqs[terms.docs] += terms.freqs
        return freqs

    def dph(self, stem: str) -> np.ndarray:
        """Amati's DPH score of the stem in every document (0 where absent), title and body as one
        text, as Terrier computes it (a term making up the whole document scores 0)."""
        lengths, total = self._text()
        freqs = self.text_freqs(stem)
        held = freqs > 0
        tf, dl = freqs[held], np.maximum(lengths[held], 1)
        f = np.minimum(tf / dl, 0.999)
        average, collection_freq = total / self.count, freqs.sum()
        gain = tf * np.log2(tf * average / dl * self.count / collection_freq) + 0.5 * np.log2(2 * np.pi * tf * (1 - f))
        scores = np.zeros(self.count)
        scores[held] = np.maximum((1 - f) ** 2 / (tf + 1) * gain, 0.0)
        return scores

    def query_likelihood(self, docs: np.ndarray, counts: Counter, s: Setting) -> np.ndarray:
        """Dirichlet-smoothed query likelihood of these documents (rank-equivalent form), title
        and body as one text, mu a multiple (ql_mu) of the average length."""
        lengths, total = self._text()
        mu = s.ql_mu * total / self.count
        scores, said = np.zeros(len(docs)), 0.0
        for stem, count in counts.items():
            freqs = self.text_freqs(stem)
            if freqs.sum():
                weight = _query_weight(count, s.query_k3)
                scores += weight * np.log1p(freqs[docs] / (mu * freqs.sum() / total))
                said += weight
        return scores + said * np.log(mu / (lengths[docs] + mu))

    def _fused(self, head: np.ndarray, counts: Counter, total: np.ndarray, s: Setting) -> np.ndarray:
        """The second scorers' part on the best documents: each min-max normalised over them,
        times its weight and the best BM25F score."""
        extra = np.zeros(len(head))
        if len(head) < 2:
            return extra
        second = []
        if s.dph_weight:
            dph = sum(_query_weight(count, s.query_k3) * self.dph(stem)[head] for stem, count in counts.items())
            second.append((s.dph_weight, dph))
        if s.ql_weight:
            second.append((s.ql_weight, self.query_likelihood(head, counts, s)))
        for weight, scores in second:
            span = scores.max() - scores.min()
            if span > 0:
                extra += weight * total[head].max() * (scores - scores.min()) / span
        return extra

    def _bonuses(
        self, head: np.ndarray, stems: list[str], per_word: dict[str, dict[str, np.ndarray]], s: Setting
    ) -> np.ndarray:
        """ranking.bonuses: coordination over the words' scores, proximity for short queries."""
        from searcher.engine.whoosh import ranking

        n = len(stems)
        held, words = np.zeros(len(head)), np.zeros(len(head))
        weights = {stem: self.idf(self.frequency(stem)) if stem in per_word else 0.0 for stem in stems}
        if s.coordination_by == "count":
            weights = dict.fromkeys(stems, 1.0)
        ordered = sorted(weights.values(), reverse=True)
        weighed, best = np.zeros(len(head)), np.zeros(len(head))
        for stem in stems:
            if stem in per_word:
                scores = sum(per_word[stem].values())[head]
                held += scores
                words += scores > 0
                weight = np.where(scores > 0, weights[stem], 0.0)
                weighed, best = weighed + weight, np.maximum(best, weight)
        if n <= ranking.MAX_PAIR_WORDS:
            share = (weighed - best) / sum(ordered[1:]) if sum(ordered[1:]) > 0 else np.zeros(len(head))
            extra = np.where(words >= 2, held * s.coordination * share, 0.0)
        else:
            extra = np.where(words == n, held * s.coordination, 0.0)
        if s.near_boost and n <= s.near_words:
            for i, docnum in enumerate(head):
                for first, second in itertools.pairwise(stems):
                    extra[i] += s.near_boost * self._proximity(docnum, per_word, first, second, s)
        return extra

    def _proximity(self, docnum: int, per_word: dict, first_stem: str, second_stem: str, s: Setting) -> float:
        """Both words' scores for each field where they occur in this order within NEAR_SLOP
        positions (per field as the engine does; once, over the combined score, for BM25F), to be
        multiplied by NEAR_BOOST; half that where they are only within an unordered window."""
        first, second, bonus, best = per_word.get(first_stem, {}), per_word.get(second_stem, {}), 0.0, 0.0
        for field in FIELDS:
            before, after = self._positions(field, first_stem, docnum), self._positions(field, second_stem, docnum)
            near = _nearness(before, after, s.near_slop, s.near_window)
            if not near:
                continue
            if "any" in first and "any" in second:
                best = max(best, near)
            elif field in first and field in second:
                bonus += near * (first[field][docnum] + second[field][docnum])
        if best:
            return best * (first["any"][docnum] + second["any"][docnum])
        return bonus

    def _positions(self, field: str, stem: str, docnum: int) -> tuple[int, ...]:
        terms = self.terms[field].get(stem)
        if terms is None:
            return ()
        i = int(np.searchsorted(terms.docs, docnum))
        return terms.positions[i] if i < len(terms.docs) and terms.docs[i] == docnum else ()

    def scores(self, s: Setting) -> dict[str, float]:
        runs = {qid: self.ranking(qid, s) if self.queries[qid][0] else [] for qid in self.queries}
        return evaluate(without_excluded(runs, self.collection.exclude), self.collection.qrels)


def _nearness(before: tuple[int, ...], after: tuple[int, ...], slop: int, window: int) -> float:
    """1 when a position of `after` follows one of `before` within `slop`; else 0.5 when the two
    are within `window` of each other in either order; else 0."""
    following = set(after)
    if any(p + gap in following for p in before for gap in range(1, slop + 1)):
        return 1.0
    if window and any(abs(p - q) <= window for p in before for q in after if p != q):
        return 0.5
    return 0.0


def for_query(s: Setting, stems: int) -> Setting:
    """The setting a query of this many stems is scored with: its own K1 and B when short (the
    short-query family), or K1 scaled by its length (k1-by-query-length)."""
    if stems <= SHORT_QUERY_WORDS and (s.short_k1 or s.short_b):
        s = s._replace(k1=s.short_k1 or s.k1, b=s.short_b or s.b)
    if s.k1_power:
        s = s._replace(k1=min(6.0, max(0.3, s.k1 * (max(stems, 1) / SHORT_QUERY_WORDS) ** s.k1_power)))
    return s


def _query_weight(count: int, k3: float) -> float:
    """ranking.query_term_weight with this K3 (infinite: the count itself)."""
    return count if math.isinf(k3) else (k3 + 1) * count / (k3 + count)


def _parsed(text: str, analyzer) -> tuple[Counter, list[str]]:  # noqa: ANN001 - a whoosh analyzer
    """A query as the engine reads it: each plain word's stems with its count, and the bonus stems
    (by `analyzer`; the engine's own stems when it is the engine's)."""
    from searcher.analysis import news_analyzer
    from searcher.engine import query as q
    from searcher.errors import QueryError
    from searcher.search.query import parse_query

    try:
        parsed = parse_query(text)
    except QueryError:
        return Counter(), []
    counts: Counter = Counter()
    pending = [parsed.words]
    while pending:
        node = pending.pop()
        if isinstance(node, q.All | q.Any):
            pending.extend(node.clauses)
        elif isinstance(node, q.Word):
            for token in analyzer(node.text, mode="query"):
                counts[token.text] += node.count
    if analyzer is news_analyzer() or not parsed.stems:
        return counts, list(parsed.stems)
    return counts, list(dict.fromkeys(token.text for token in analyzer(text, mode="query")))


def leave_one_out(found: dict[Setting, dict[str, dict[str, float]]], names: list[str]) -> dict[str, tuple]:
    """For each collection, the setting best on the mean nDCG@10 of the others, and its scores there."""
    held = {}
    for name in names:
        others = [n for n in names if n != name]
        chosen = max(found, key=lambda s: (sum(found[s][n]["ndcg@10"] for n in others), s == today()))
        held[name] = (chosen, found[chosen][name])
    return held


def verdict(held: dict[str, tuple], baseline: dict[str, dict[str, float]], names: list[str]) -> str:
    """What leaving one collection out says of a family against today's setting: kept when every
    fold chose today's; counts when the held-out mean nDCG@10 rises by MIN_GAIN with no collection
    falling by more than FALL_TOLERANCE."""
    if all(held[n][0] == today() for n in names):
        return "today's kept"
    gain = sum(held[n][1]["ndcg@10"] - baseline[n]["ndcg@10"] for n in names) / len(names)
    falls = any(held[n][1]["ndcg@10"] < baseline[n]["ndcg@10"] - FALL_TOLERANCE for n in names)
    return "counts" if gain >= MIN_GAIN and not falls else "does not count"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ir-collection"))
    parser.add_argument("--only", help="Comma-separated collection names (default: all present).")
    parser.add_argument("--families", default=",".join(FAMILIES), help=f"Comma-separated, of: {', '.join(FAMILIES)}.")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    families = tuple(f for f in FAMILIES if f in set(args.families.split(",")))
    collections = all_collections(args.data)
    if args.only:
        collections = [c for c in collections if c.name in set(args.only.split(","))]
    if not collections:
        print(f"skipped: no IR collection under {args.data}")
        return
    work = Path(tempfile.mkdtemp(prefix="searcher-rankmodel-"))
    names = [c.name for c in collections]
    grid = settings(families)
    found: dict[Setting, dict[str, dict[str, float]]] = {s: {} for s in grid}
    engine = {}
    for collection in collections:
        index = searcher_index(collection, work)
        runs = searcher_runs(index, collection.queries)
        engine[collection.name] = evaluate(without_excluded(runs, collection.exclude), collection.qrels)
        models = {"snowball": Model(collection, index)}
        if "stemmer" in families:
            models["porter"] = Model(collection, index, porter_analyzer())
        for s in grid:
            found[s][collection.name] = models[s.stemmer].scores(s)
        print(f"  {collection.name}: {len(grid)} settings", file=sys.stderr)

    def cells(scores: dict[str, float]) -> list[str]:
        return [f"{scores['ndcg@10']:.3f} / {scores['map']:.3f}"]

    def mean(scores: dict[str, dict[str, float]]) -> str:
        return f"{sum(scores[n]['ndcg@10'] for n in names) / len(names):.3f}"

    baseline = found[today()]
    rows = [
        ["engine (searcher search)", *(c for n in names for c in cells(engine[n])), mean(engine)],
        [
            f"model of today's setting ({today().label()})",
            *(c for n in names for c in cells(baseline[n])),
            mean(baseline),
        ],
    ]
    outcome: dict[str, dict] = {}
    for family in families:
        family_found = {s: r for s, r in found.items() if s == today() or family_of(s) == family}
        held = leave_one_out(family_found, names)
        said = verdict(held, baseline, names)
        held_scores = {n: held[n][1] for n in names}
        label = f"{family}: leave-one-collection-out ({said})"
        rows.append([label, *(c for n in names for c in cells(held_scores[n])), mean(held_scores)])
        best = max(family_found, key=lambda s: sum(family_found[s][n]["ndcg@10"] for n in names))
        if len(family_found) == 2:  # one alternative: show it, whichever wins
            best = next(s for s in family_found if s != today())
            title = f"{family}: the other ({best.label()})"
        else:
            title = f"{family}: best on all ({best.label()})"
        rows.append([title, *(c for n in names for c in cells(found[best][n])), mean(found[best])])
        outcome[family] = {"held_out": {n: {"chosen": held[n][0].label(), **held[n][1]} for n in names},
                           "best_on_all": best.label(), "verdict": said}  # fmt: skip
        print(f"{family}, chosen on the other collections:")
        for n in names:
            print(f"  {n}: {held[n][0].label()}")
    print(table(["nDCG@10 / MAP", *names, "mean nDCG@10"], rows))
    result = {"engine": engine, "today": today().label(), "families": outcome,
              "grid": {s.label(): r for s, r in found.items()}}  # fmt: skip
    print(f"wrote {write_json('rankmodel', result, args.json)}")


if __name__ == "__main__":
    main()
