"""Bounded query cost: wildcard, prefix and fuzzy terms expand to at most MAX_EXPANSIONS indexed
terms, and a query runs for at most its time budget.

Measured on the 21,578-story Reuters index before these bounds: `s*` ran 42 s (it expands to
thousands of terms, each scored, counted and highlighted), `oil~2` 33 s, `a~2` and `*a*` over a
minute. Lucene caps the same expansions (FuzzyQuery's maxExpansions, 50; Elasticsearch's
max_clause_count) and bounds a search's time (timeAllowed, Elasticsearch's timeout).
"""

from __future__ import annotations

import heapq
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice

from whoosh import query as wq
from whoosh.reading import IndexReader

from searcher.engine.whoosh.docsets import TermSet
from searcher.errors import QueryTooCostlyError

# Terms one wildcard, prefix or fuzzy term may stand for: the most frequent are kept. 64 keeps every
# expansion of the bench's realistic queries (tests/bench/queries.txt) whole, and a query of a few
# such terms fast; Lucene's fuzzy default is 50.
MAX_EXPANSIONS = 64
# A wildcard or prefix with more terms than this matches as one set, each document scored its boost
# (docsets.TermSet), as Lucene's blended constant-score rewrite does above 16 terms: which of many
# spellings a document uses says little, and scoring them term by term was the cost of s*. Fuzzy
# terms are always scored, closest first (Lucene's top-terms rewrite).
SCORED_MAX_TERMS = 16
# Terms looked at, at most, to choose them: a prefix of one letter has thousands, an infix
# wildcard tens of thousands, and each term's frequency costs a lookup (3 s for *a*'s 19,572).
MAX_SCANNED = 2_000
EXPANDING = (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)
# Whoosh's matcher replacement (skipping documents that cannot reach the top hits) re-plans its
# tree of OR matchers every few documents, at a cost that grows with the tree: with s*'s 128 terms
# it was 33 of the search's 39 s, and without it the search took 5.7 s. Above this many terms it is
# turned off (the hits are the same; replacement only skips work).
REPLACE_MAX_TERMS = 16


def capped(query: wq.Query, reader: IndexReader, notices: dict[str, int]) -> wq.Query:
    """The query with each wildcard, prefix and fuzzy term replaced by its indexed terms (at most
    MAX_EXPANSIONS); `notices` gets each clause that had more, with how many it had."""
    if isinstance(query, EXPANDING):
        return _top_terms(query, reader, notices)
    return query.apply(lambda sub: capped(sub, reader, notices))


def notices_of(capped_clauses: dict[str, int]) -> tuple[str, ...]:
    """What a user is told of each capped clause."""
    return tuple(_notice(clause, count) for clause, count in capped_clauses.items())


def _notice(clause: str, count: int) -> str:
    if "~" in clause:
        return f"{clause} matches {count:,} terms; searched the {MAX_EXPANSIONS} closest"
    if count >= MAX_SCANNED:
        return (
            f"{clause} matches over {MAX_SCANNED:,} terms; searched {MAX_EXPANSIONS} of them "
            f"(the most frequent of the first {MAX_SCANNED:,})"
        )
    return f"{clause} matches {count:,} terms; searched the {MAX_EXPANSIONS} most frequent"


def _top_terms(query: wq.MultiTerm, reader: IndexReader, notices: dict[str, int]) -> wq.Query:
    """A fuzzy term's closest terms (then the most frequent, as Lucene's top-terms rewrite), or a
    wildcard's or prefix's most frequent."""
    field = query.field()
    if isinstance(query, wq.FuzzyTerm):
        found = fuzzy_terms(reader, field, query.text, query.maxdist, query.prefixlength)
        kept = found[:MAX_EXPANSIONS]
    else:
        found = list(islice((text for _, text in query.expanded_terms(reader)), MAX_SCANNED))
        kept = found
        if len(found) > MAX_EXPANSIONS:
            kept = heapq.nlargest(MAX_EXPANSIONS, found, key=lambda text: (reader.doc_frequency(field, text), text))
    if len(found) > MAX_EXPANSIONS:
        clause = _written(query)
        notices[clause] = max(notices.get(clause, 0), len(found))
    if not kept:
        return wq.NullQuery
    if len(kept) > SCORED_MAX_TERMS and not isinstance(query, wq.FuzzyTerm):
        return TermSet(field, tuple(sorted(kept)), boost=query.boost)
    terms = [wq.Term(field, text, boost=query.boost) for text in sorted(kept)]
    return terms[0] if len(terms) == 1 else wq.Or(terms)


def fuzzy_terms(reader: IndexReader, field: str, text: str, maxdist: int, prefix: int = 0) -> list[str]:
    """The field's terms within `maxdist` edits of text (Damerau-Levenshtein with adjacent
    transpositions, as Whoosh's own terms_within) sharing its first `prefix` characters, closest
    first, then the most frequent. rapidfuzz compares in C: Whoosh compares every term in Python,
    which took 2.4 s for one fuzzy term that matched nothing on the Reuters index."""
    from rapidfuzz import process  # only for fuzzy terms: a plain search never loads it
    from rapidfuzz.distance import OSA

    candidates = [term for term in lexicon(reader, field) if term.startswith(text[:prefix])] if prefix else None
    matches = process.extract(
        text, candidates if candidates is not None else lexicon(reader, field),
        scorer=OSA.distance, score_cutoff=maxdist, limit=None,
    )  # fmt: skip
    return [term for term, _, _ in sorted(matches, key=lambda m: (m[1], -reader.doc_frequency(field, m[0]), m[0]))]


def lexicon(reader: IndexReader, field: str) -> list[str]:
    """Every term of a field, in order, read once per open reader (the process's searcher keeps it)."""
    cache = reader.__dict__.setdefault("_searcher_lexicons", {})
    if field not in cache:
        cache[field] = [_text(term) for term in reader.lexicon(field)]
    return cache[field]


def _text(term: str | bytes) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def _written(query: wq.MultiTerm) -> str:
    """The clause as a user wrote it (translate.py keeps it), else as Whoosh holds it."""
    if getattr(query, "written", None):
        return query.written
    if isinstance(query, wq.FuzzyTerm):
        return f"{query.text}~{query.maxdist}"
    if isinstance(query, wq.Prefix):
        return f"{query.text}*"
    return query.text


@contextmanager
def time_budget(seconds: float | None, on_timeout: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Raises QueryTooCostlyError in the block once it has run `seconds` (after `on_timeout`, which
    drops what the interrupted search held). A SIGALRM timer, so it stops Whoosh's loops anywhere;
    only in the main thread, and never over a timer the program set itself (then: no budget)."""
    main = threading.current_thread() is threading.main_thread()
    if not seconds or not main or not hasattr(signal, "setitimer") or signal.getitimer(signal.ITIMER_REAL)[0]:
        yield
        return

    def over(signum: int, frame: object) -> None:
        raise QueryTooCostlyError(
            f"the query ran longer than {seconds:g} s, the limit for one query; "
            "narrow it (fewer wildcards and fuzzy terms, longer prefixes) or raise --time-limit"
        )

    previous = signal.signal(signal.SIGALRM, over)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    except QueryTooCostlyError:
        on_timeout()
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
