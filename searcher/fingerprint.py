"""Near-duplicate fingerprints: syndicated copies of one story share them, different stories don't.

A bottom-k MinHash sketch over 5-word shingles of the cleaned body: the FINGERPRINTS smallest shingle
hashes. Copies with small edits keep most of those smallest values; different stories share none.
One C-level hash per shingle keeps it cheap beside cleaning and indexing.
"""

from __future__ import annotations

import heapq
import re
import zlib

FINGERPRINTS = 4
# Copies share at least this many of the FINGERPRINTS values (for Jaccard 0.9, 95% of pairs do;
# for Jaccard 0.5, 31% do); fewer is a different story.
SAME_STORY = 3
SHINGLE_WORDS = 5
WORD = re.compile(r"\w+")


def fingerprints(body: str) -> tuple[str, ...]:
    """The body's sketch as keyword terms ("001a2b3c"); none for bodies too short to tell."""
    words = WORD.findall(body.lower())
    if len(words) < SHINGLE_WORDS * 2:
        return ()
    shingles = map(" ".join, zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False))
    hashes = heapq.nsmallest(FINGERPRINTS, set(map(zlib.crc32, map(str.encode, shingles))))
    return tuple(f"{value:08x}" for value in hashes)


def same_story(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    return bool(first) and len(set(first) & set(second)) >= SAME_STORY
