"""Topics from a user-editable taxonomy: weighted terms and phrases, matched on stems."""

from __future__ import annotations

import hashlib
import math
import tomllib
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from searcher.analysis import news_analyzer
from searcher.errors import TaxonomyError

# Titles say what a story is about more surely than any one sentence of the body.
TITLE_WEIGHT = 2
DEFAULT_THRESHOLD = 8.0
# A topic far weaker than the article's main one is a passing mention, not what it is about.
DEFAULT_MIN_SHARE = 0.4
DEFAULT_MAX_TOPICS = 4


@dataclass(frozen=True)
class Topic:
    name: str
    description: str
    terms: tuple[tuple[tuple[str, ...], float], ...]  # (stems of a term or phrase, weight)


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    threshold: float
    min_share: float
    max_topics: int
    fingerprint: str  # changes whenever the file does, so an index knows what built it
    source: str

    def assign(self, title: str, body: str) -> tuple[str, ...]:
        """The topics whose score reaches the threshold, best first."""
        stems = _stems(title) * TITLE_WEIGHT + _stems(body)
        counts = _ngram_counts(stems, max((len(t) for topic in self.topics for t, _ in topic.terms), default=1))
        scored = sorted(
            ((topic_score(topic, counts), topic.name) for topic in self.topics), key=lambda s: (-s[0], s[1])
        )
        floor = max(self.threshold, self.min_share * scored[0][0]) if scored else 0.0
        return tuple(name for score, name in scored[: self.max_topics] if score >= floor)


def _stems(text: str) -> list[str]:
    return [token.text for token in news_analyzer()(text)] if text else []


def _ngram_counts(stems: list[str], longest: int) -> Counter[tuple[str, ...]]:
    counts: Counter[tuple[str, ...]] = Counter()
    for n in range(1, longest + 1):
        counts.update(tuple(stems[i : i + n]) for i in range(len(stems) - n + 1))
    return counts


def topic_score(topic: Topic, counts: Counter[tuple[str, ...]]) -> float:
    """Weighted evidence for a topic; repeats count less and less (1 + log), so one word cannot carry it."""
    return sum(weight * (1 + math.log(counts[term])) for term, weight in topic.terms if counts[term])


def default_taxonomy_path() -> Path:
    return Path(str(resources.files("searcher.enrich") / "data" / "taxonomy.toml"))


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The taxonomy in a TOML file, the default one when no path is given."""
    path = path or default_taxonomy_path()
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except OSError as error:
        raise TaxonomyError(f"cannot read taxonomy {path}: {error.strerror}") from error
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise TaxonomyError(f"taxonomy {path} is not valid TOML: {error}") from error
    topics = tuple(_topic(entry, path) for entry in data.get("topic", []))
    threshold = _number(data, "threshold", DEFAULT_THRESHOLD, path)
    min_share = _number(data, "min_share", DEFAULT_MIN_SHARE, path)
    max_topics = int(_number(data, "max_topics", DEFAULT_MAX_TOPICS, path))
    fingerprint = hashlib.blake2b(raw, digest_size=8).hexdigest()
    return Taxonomy(topics, threshold, min_share, max_topics, fingerprint, str(path))


def _number(data: dict, key: str, default: float, path: Path) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise TaxonomyError(f"taxonomy {path}: {key!r} must be a positive number")
    return float(value)


def _topic(entry: object, path: Path) -> Topic:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
        raise TaxonomyError(f"taxonomy {path}: every [[topic]] needs a name")
    name = entry["name"].strip().lower()
    if "," in name:
        raise TaxonomyError(f"taxonomy {path}: topic name {name!r} may not contain a comma")
    terms = entry.get("terms", {})
    if not isinstance(terms, dict) or not all(isinstance(w, int | float) for w in terms.values()):
        raise TaxonomyError(f'taxonomy {path}: topic {name!r} needs terms = {{ "word" = weight, ... }}')
    compiled = tuple((tuple(_stems(term)), float(weight)) for term, weight in terms.items() if _stems(term))
    return Topic(name, str(entry.get("description", "")).strip(), compiled)
