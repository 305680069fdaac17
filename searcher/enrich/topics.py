"""Topics from a user-editable taxonomy: weighted terms and phrases, matched on stems, in a tree
(a topic may name a parent: its evidence counts for the parent, and it is shown in its place)."""

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
    parent: str | None = None


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    threshold: float
    min_share: float
    max_topics: int
    fingerprint: str  # changes whenever the file does, so an index knows what built it
    source: str

    def assign(self, title: str, body: str) -> tuple[str, ...]:
        """The most specific topics whose evidence reaches the threshold, best first.

        Every topic competes on its own terms; when none reaches the threshold, the top-level
        topics compete on their own terms plus their descendants' (scattered evidence of economic
        news is still economic news). A parent chosen beside one of its children gives way to it.
        """
        stems = _stems(title) * TITLE_WEIGHT + _stems(body)
        counts = _ngram_counts(stems, max((len(t) for topic in self.topics for t, _ in topic.terms), default=1))
        own = {topic.name: topic_score(topic, counts) for topic in self.topics}
        chosen = self._pick(list(own), own)
        if not chosen:
            evidence = {name: sum(own[d] for d in self.descendants(name)) for name in self.children(None)}
            chosen = self._pick(list(evidence), evidence)
        return tuple(chosen)

    def _pick(self, names: list[str], scores: dict[str, float]) -> list[str]:
        """The names that reach the floor, best first, a parent left out beside its child."""
        ranked = sorted(((scores[name], name) for name in names), key=lambda s: (-s[0], s[1]))
        floor = max(self.threshold, self.min_share * ranked[0][0]) if ranked else 0.0
        passing = [name for score, name in ranked if score >= floor]
        above = {ancestor for name in passing for ancestor in self.ancestors(name)}
        return [name for name in passing if name not in above][: self.max_topics]

    def ancestors(self, name: str) -> tuple[str, ...]:
        """The topics above name, nearest first."""
        parents = {topic.name: topic.parent for topic in self.topics}
        found: list[str] = []
        while (name := parents.get(name)) is not None and name not in found:
            found.append(name)
        return tuple(found)

    def children(self, name: str | None) -> list[str]:
        """The topics directly under name (under the top when name is None), in the file's order."""
        return [topic.name for topic in self.topics if topic.parent == name]

    def descendants(self, name: str) -> tuple[str, ...]:
        """The topic and every topic under it: what a filter on it matches."""
        found = [name]
        for current in found:
            found.extend(self.children(current))
        return tuple(found)


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


def example_taxonomies() -> dict[str, Path]:
    """The example taxonomies installed with the package, by name (the file name without .toml)."""
    folder = Path(str(resources.files("searcher.enrich") / "data" / "examples"))
    return {path.stem: path for path in sorted(folder.glob("*.toml"))}


def taxonomy_path(value: str) -> Path:
    """A taxonomy file given as a path or as the name of an installed example ("bbc-news")."""
    path = Path(value)
    if path.is_file():
        return path
    examples = example_taxonomies()
    if value in examples:
        return examples[value]
    names = ", ".join(examples) or "none"
    raise TaxonomyError(f"no taxonomy file {value!r}, and no installed example of that name (examples: {names})")


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
    _check_tree(topics, path)
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
    parent = entry.get("parent")
    if parent is not None and (not isinstance(parent, str) or not parent.strip()):
        raise TaxonomyError(f"taxonomy {path}: topic {name!r} has a parent that is not a topic name")
    return Topic(name, str(entry.get("description", "")).strip(), compiled, parent.strip().lower() if parent else None)


def _check_tree(topics: tuple[Topic, ...], path: Path) -> None:
    """Names are unique, every parent is a topic of the file, and no topic is its own ancestor."""
    parents = {}
    for topic in topics:
        if topic.name in parents:
            raise TaxonomyError(f"taxonomy {path}: topic {topic.name!r} is defined twice")
        parents[topic.name] = topic.parent
    for topic in topics:
        seen, current = {topic.name}, topic.parent
        while current is not None:
            if current not in parents:
                raise TaxonomyError(
                    f"taxonomy {path}: topic {topic.name!r} has parent {current!r}, which is not a topic"
                )
            if current in seen:
                raise TaxonomyError(f"taxonomy {path}: topic {topic.name!r} is under itself (a loop of parents)")
            seen.add(current)
            current = parents[current]
