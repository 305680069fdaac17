"""Near-duplicate detection: syndicated copies of one story get the same story key, different
stories don't.

The key is a bottom-k MinHash sketch over 5-word shingles of the cleaned body: its STORY_HASHES
smallest shingle hashes. Copies with small edits keep their smallest values (two copies with 95% of
their shingles in common get the same key about nine times in ten); different stories would have to
share both smallest values, which common phrases alone do not do. One value per article lets the
search fold copies while it collects hits, through a column, as Lucene's field collapsing does.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import zlib

STORY_HASHES = 2
SHINGLE_WORDS = 5
# Every key has this length, so the search reads keys from a fixed-width column (a variable-width
# one decodes the offsets of every document each time it is opened).
STORY_KEY_CHARS = 9 * STORY_HASHES - 1
WORD = re.compile(r"\w+")


def story_key(body: str) -> str:
    """The body's story key ("001a2b3c-0f00ba12"); empty for bodies too short to tell copies apart."""
    words = WORD.findall(body.lower())
    if len(words) < SHINGLE_WORDS * 2:
        return ""
    shingles = map(" ".join, zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False))
    hashes = heapq.nsmallest(STORY_HASHES, set(map(zlib.crc32, map(str.encode, shingles))))
    if len(hashes) < STORY_HASHES:
        return ""
    return "-".join(f"{value:08x}" for value in hashes)


def own_story(doc_id: str) -> str:
    """A key no other article has, for a body too short to tell copies apart: "_" and a hash of its id."""
    return "_" + hashlib.blake2b(doc_id.encode("utf-8"), digest_size=STORY_KEY_CHARS // 2).hexdigest()
