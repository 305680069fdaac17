"""The topic hierarchy every engine widens topic filters with (topic:economy also finds energy),
read from the taxonomy copy an index keeps. Here rather than in enrich/, whose import (dates,
analyzers) would cost every search start-up about 12 ms for a few lines of TOML reading."""

from __future__ import annotations


def children_in(taxonomy_text: str) -> dict[str, list[str]]:
    """Each topic of a taxonomy file's text with the topics directly under it (a topic's `parent`),
    read leniently: an index's copy that cannot be read widens nothing."""
    import tomllib

    try:
        data = tomllib.loads(taxonomy_text)
    except ValueError:
        return {}
    children: dict[str, list[str]] = {}
    for t in data.get("topic", []):
        if isinstance(t, dict) and isinstance(t.get("name"), str) and isinstance(t.get("parent"), str):
            children.setdefault(t["parent"].strip().lower(), []).append(t["name"].strip().lower())
    return children


def topics_under(children: dict[str, list[str]], name: str) -> list[str]:
    """The topic and every topic under it, nearest first: what a filter on the topic matches."""
    found = [name]
    for current in found:
        found.extend(child for child in children.get(current, []) if child not in found)
    return found
