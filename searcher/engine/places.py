"""Where an article comes from, as terms to filter on: the site of its URL (`site:bbc.co.uk`) and
the folders of its file (`path:sport`). Engine-neutral, so every engine indexes and queries the
same terms.
"""

from __future__ import annotations

import os
import posixpath
import re
from urllib.parse import urlsplit

# The host's first label that names no site of its own: www.bbc.co.uk is bbc.co.uk.
GENERIC_HOST_PREFIXES = ("www.", "www1.", "www2.", "m.", "amp.")
# What a host name is made of (letters of any script, digits, hyphens, dots): anything else is no site.
HOST = re.compile(r"[\w-]+(?:\.[\w-]+)*")
# Folder runs are taken from this many trailing parts of a path at most: a path's terms grow with
# the square of its depth, and a user names a folder near the file (bbc/sport), or an absolute one.
FOLDER_RUN_PARTS = 8


def url_host(url: str | None) -> str | None:
    """The lower-case host of a URL without a generic prefix (www.), or None when it has none."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip() if "//" in url else "//" + url.strip()).hostname
    except ValueError:  # a malformed URL (an unclosed IPv6 bracket) names no site
        return None
    if not host:
        return None
    host = host.rstrip(".").lower()
    if not HOST.fullmatch(host):  # "not a url" parses as a host with spaces
        return None
    for prefix in GENERIC_HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            return host[len(prefix) :]
    return host


def site_terms(url: str | None) -> list[str]:
    """What `site:` matches for an article with this URL: its host and every domain above it
    (news.bbc.co.uk, bbc.co.uk, co.uk, uk), and each of its labels, so `site:bbc` finds bbc.com too."""
    host = url_host(url)
    if host is None:
        return []
    labels = host.split(".")
    suffixes = [".".join(labels[i:]) for i in range(len(labels))]
    return list(dict.fromkeys([*suffixes, *labels]))


def site_query_term(text: str) -> str:
    """A `site:` value as the term it matches: a host or domain, or a whole URL, read as its site."""
    return url_host(text) or text.strip().lower()


def folder_terms(path: str) -> list[str]:
    """What `path:` matches for a file: every absolute folder above it (and itself), and every run
    of whole names in its path (sport, bbc/sport, bbc/sport/001.txt), as a user names a folder."""
    normalized = posixpath.normpath(path)
    parts = [part for part in normalized.split("/") if part]
    absolute = ["/" + "/".join(parts[: end + 1]) for end in range(len(parts))] if normalized.startswith("/") else []
    tail = parts[-FOLDER_RUN_PARTS:]
    runs = ["/".join(tail[start:end]) for start in range(len(tail)) for end in range(start + 1, len(tail) + 1)]
    return list(dict.fromkeys([*absolute, *runs]))


def folder_query_term(text: str) -> str:
    """A `path:` value as the term it matches: ~ expanded, ./ and a trailing / dropped."""
    return posixpath.normpath(os.path.expanduser(text.strip()))
