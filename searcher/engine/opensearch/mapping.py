"""searcher's schema and analyzer as OpenSearch index settings and mappings.

The analyzer reproduces analysis.py's `news_analyzer` with OpenSearch's own parts, so the cluster
indexes the same terms Whoosh does (tests/test_opensearch_engine.py compares them on the seeds):
- a pattern tokenizer with analysis.py's word-group pattern, in Java's regex dialect;
- a model number's hyphens ("S-400", "COVID-19", "F-35A": analysis.joins_across) and a spaced model
  number's space ("S 400") dropped by a `pattern_replace` whose lookarounds read the parts beside
  each hyphen (a part longer than PART_LOOKBEHIND characters is read by its last ones only);
- the other hyphens split the group into its words (word_delimiter_graph, apostrophes kept as
  letters): "Rad53-dependent" is `rad53` and `depend`;
- a possessive 's and inner apostrophes dropped, lowercase, accent folding, analysis.py's stopwords
  (Lucene's English ones) and its minimum token length of 2, Snowball's English stems (porter2).

A plain word is scored as the Whoosh engine scores it (engine/whoosh/bm25f.py): BM25F_MIX times
Robertson's BM25F over title and body plus the rest times the per-field BM25 sum below. BM25F's
normalised, weighted frequency of each field comes from a `bm25f` subfield whose scripted similarity
returns exactly that (weight x tf / (1 - b + b dl / avgdl)); the query sums the two and saturates the
sum once in a script_score, times the word's idf (translate.py).

Titles are scored as the Whoosh engine scores them (BM25F with a field boost of 2 on the title's
term frequencies, not on its score): the title analyzer repeats each term at its own position, so
a title word counts twice while the title's length does not grow (Lucene leaves stacked tokens out
of the length), and the title's BM25 parameters undo the doubled average length (title_similarity).
"""

from __future__ import annotations

from searcher.analysis import ANALYZER_VERSION, INNER_INVISIBLE, INVISIBLE, STOP_WORDS

# Bump when the settings or mapping change: an index built with another version must be rebuilt.
MAPPING_VERSION = 8  # 2: site and folders; 3: the title's doubled term frequencies and BM25 parameters;
# 4: the bm25f subfields of title and body; 5: Snowball's English stemmer (porter2); 6: a hyphen joins
# only a model number's parts; 7: Lucene's English stopwords (analysis.STOP_WORDS); 8: soft hyphens and
# zero-width characters inside a word dropped (drop_invisible)
# BM25's saturation and length normalisation, as the Whoosh engine's (engine/whoosh/searching.py).
BM25_K1, BM25_B = 1.2, 0.75
# The Whoosh engine's title field boost: each title word counts this many times.
TITLE_TERM_WEIGHT = 2
# The Whoosh engine's BM25F (engine/whoosh/bm25f.py gives the measurements behind them): saturation,
# each field's length normalisation and weight, and BM25F's share of a plain word's score.
BM25F_K1 = 2.0
BM25F_B = {"title": 0.3, "body": 0.75}
BM25F_WEIGHT = {"title": 3.0, "body": 1.0}
BM25F_MIX = 0.7

LETTER_OR_DIGIT = r"[\p{L}\p{N}]"
# analysis.py's SPACED_MODEL and WORD, with [^\W_] (a Unicode letter or digit) written for Java;
# LETTERS lets invisible characters inside a word as analysis.LETTERS does (drop_invisible drops them).
SPACED_MODEL = rf"(?<!{LETTER_OR_DIGIT})[B-HJ-Z] \p{{Nd}}{{2,4}}(?!{LETTER_OR_DIGIT})"
LETTERS = f"{LETTER_OR_DIGIT}+(?:{INNER_INVISIBLE}{LETTER_OR_DIGIT}+)*"
WORD = rf"{LETTERS}(?:['\u2019]{LETTERS})*(?:[-\u2010\u2011]{LETTERS}(?:['\u2019]{LETTERS})*)*"
# analysis.joins_across as the hyphens it drops, in Java's regex dialect. PART is a character of one
# hyphenated part; Java's lookbehind needs a bound, so a part is read back at most PART_LOOKBEHIND
# characters (a longer "word" before a hyphen is no model number's).
PART = r"[\p{L}\p{N}'\u2019]"
HYPHEN = r"[-\u2010\u2011]"
PART_LOOKBEHIND = 99
JOINED_HYPHEN = "|".join(
    [
        # a number after letters: "COVID-19", "MH-17", "MiG-29s"
        rf"(?<=\p{{L}}{PART}{{0,{PART_LOOKBEHIND}}}){HYPHEN}(?=\p{{Nd}}+(?:['\u2019]?[sS])?(?!{PART}))",
        # a single letter before a part holding a digit: "S-400", "F-35A"
        rf"(?<!{PART}\p{{L}})(?<=\p{{L}}){HYPHEN}(?={PART}*?\p{{Nd}})",
        # a single letter after a part holding a digit: "3-D"
        rf"(?<=\p{{Nd}}{PART}{{0,{PART_LOOKBEHIND}}}){HYPHEN}(?=\p{{L}}(?!{PART}))",
    ]
)

# The stemming filters, last before the title's doubling.
STEMMING = ["number_plurals", "news_stemmer"]
# The analyzer up to stopwords and stemming: the words as written, split and folded as searcher's own.
SURFACE_FILTERS = ["drop_invisible", "join_model_numbers", "split_compounds", "drop_possessive", "drop_apostrophes",
                   "lowercase", "asciifolding"]  # fmt: skip
ANALYSIS = {
    "tokenizer": {"news_words": {"type": "pattern", "pattern": f"{SPACED_MODEL}|{WORD}", "group": 0}},
    "filter": {
        # analysis.visible: a token's soft hyphens and zero-width characters, before the hyphens are read
        # (a token filter leaves its offsets on the written word).
        "drop_invisible": {
            "type": "pattern_replace",
            "pattern": INVISIBLE.pattern,
            "replacement": "",
        },
        "join_model_numbers": {"type": "pattern_replace", "pattern": f" |{JOINED_HYPHEN}", "replacement": ""},
        "split_compounds": {
            "type": "word_delimiter_graph",
            "split_on_case_change": False,
            "split_on_numerics": False,
            "stem_english_possessive": False,
            "generate_word_parts": True,
            "generate_number_parts": True,
            "preserve_original": False,
            "type_table": ["' => ALPHA", "\u2019 => ALPHA"],
        },
        "drop_possessive": {"type": "pattern_replace", "pattern": "['\u2019][sS]$", "replacement": ""},
        "drop_apostrophes": {"type": "pattern_replace", "pattern": "['\u2019]", "replacement": ""},
        "news_stopwords": {"type": "stop", "stopwords": sorted(STOP_WORDS)},
        # Each term once more at the same position (TITLE_TERM_WEIGHT 2): its frequency doubles, the
        # field's length does not.
        # (OpenSearch has no keyword_repeat filter: two capture groups of the whole term, each emitted.)
        "count_twice": {"type": "pattern_capture", "patterns": ["((.+))"], "preserve_original": False},
        "news_min_length": {"type": "length", "min": 2},
        # Snowball's English stemmer (Lucene's "porter2"), after a number's plural loses its s
        # ("S-400s", "1990s"), as analysis.stem_word.
        "number_plurals": {"type": "pattern_replace", "pattern": "(?<=\\p{Nd})s$", "replacement": ""},
        "news_stemmer": {"type": "stemmer", "language": "porter2"},
    },
    "analyzer": {
        "news": {
            "type": "custom",
            "tokenizer": "news_words",
            "filter": [*SURFACE_FILTERS, "news_stopwords", "news_min_length", *STEMMING],
        },
        "news_title": {
            "type": "custom",
            "tokenizer": "news_words",
            "filter": [*SURFACE_FILTERS, "news_stopwords", "news_min_length", *STEMMING, "count_twice"],
        },
        # The words as written (folded, not stemmed), for did-you-mean's phrase suggester.
        "news_surface": {"type": "custom", "tokenizer": "news_words", "filter": SURFACE_FILTERS},
    },
}


def title_similarity(k1: float = BM25_K1, b: float = BM25_B, weight: int = TITLE_TERM_WEIGHT) -> dict:
    """BM25 parameters that make Lucene's title score Whoosh's: with each term counted `weight` times,
    the frequency f = weight * tf and the average length (Lucene sums the frequencies) is weight times
    the real one, while a document's length is not; k1' (1 - b') = k1 (1 - b) and k1' b' / weight =
    k1 b keep the denominator f + k1 (1 - b + b dl / avgdl) of Whoosh's BM25F."""
    k1_title = k1 * (1 - b + weight * b)
    return {"type": "BM25", "k1": k1_title, "b": weight * k1 * b / k1_title}


def bm25f_similarity(field: str) -> dict:
    """A similarity scoring a term by BM25F's frequency of it in this field: the field's weight times
    the term frequency over the field's length normalisation, saturated later by the query."""
    b, weight = BM25F_B[field], BM25F_WEIGHT[field]
    source = (
        "double average = field.sumTotalTermFreq / (double) Math.max(field.docCount, 1);"
        f" double norm = {1 - b!r} + {b!r} * doc.length / Math.max(average, 1e-9);"
        f" return query.boost * {weight!r} * doc.freq / norm;"
    )
    return {"type": "scripted", "script": {"source": source}}


# OpenSearch's BM25 keeps Lucene's old (k1 + 1) factor, so the title's larger k1 would weigh its scores
# (k1' + 1) / (k1 + 1) times the body's: every query clause on the title is boosted by this to undo it.
TITLE_SCORE_SCALE = (BM25_K1 + 1) / (title_similarity()["k1"] + 1)


def index_body(shards: int, replicas: int, manifest: dict) -> dict:
    """Settings and mappings of one physical index; the manifest rides in the mapping's _meta."""
    keyword = {"type": "keyword"}
    stored_only = {"type": "keyword", "index": False, "doc_values": False}
    return {
        "settings": {
            "index": {
                "number_of_shards": shards,
                "number_of_replicas": replicas,
                # Changes become visible when a writer commits (it refreshes), never half-way through.
                "refresh_interval": "-1",
            },
            "analysis": ANALYSIS,
            "similarity": {
                "title_bm25": title_similarity(),
                "body_bm25": {"type": "BM25", "k1": BM25_K1, "b": BM25_B},
                "title_bm25f": bm25f_similarity("title"),
                "body_bm25f": bm25f_similarity("body"),
            },
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": manifest,
            "properties": {
                "id": keyword,
                "path": keyword,
                "source_key": keyword,
                # Searched with the plain analyzer: a query word is said once.
                "title": {
                    "type": "text",
                    "analyzer": "news_title",
                    "search_analyzer": "news",
                    "similarity": "title_bm25",
                    "fields": {"bm25f": {"type": "text", "analyzer": "news", "similarity": "title_bm25f"}},
                },  # fmt: skip
                "display_title": stored_only,
                "title_is_headline": {"type": "boolean", "index": False, "doc_values": False},
                "body": {
                    "type": "text",
                    "analyzer": "news",
                    "similarity": "body_bm25",
                    "fields": {
                        "words": {"type": "text", "analyzer": "news_surface"},
                        "bm25f": {"type": "text", "analyzer": "news", "similarity": "body_bm25f"},
                    },
                },
                "date": {"type": "date", "format": "strict_date"},
                "year": {"type": "integer"},
                "month": {"type": "integer"},
                "dated": {"type": "byte"},
                "date_precision": keyword,
                "date_source": keyword,
                "topics": keyword,
                "story": keyword,
                "url": stored_only,
                # Filters on where an article comes from (engine/places.py): its URL's site, its file's folders.
                "site": keyword,
                "folders": keyword,
                "dropped": stored_only,
                "content_hash": {"type": "keyword", "index": False},
                "size": {"type": "long", "index": False},
                "mtime": {"type": "double", "index": False},
            },
        },
    }


def versions() -> dict:
    """What an index must have been built with to be read by this searcher."""
    return {"mapping_version": MAPPING_VERSION, "analyzer_version": ANALYZER_VERSION}
