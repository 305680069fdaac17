"""Where an OpenSearch index lives (`opensearch://host:port/name`) and the client that reaches it.

Credentials never come from the URL (a command line is visible to every user of the machine and
kept in shell history): they come from the environment. TLS certificates are verified unless the
user turns that off explicitly.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple
from urllib.parse import urlsplit

from searcher.errors import EngineUnavailableError, IndexMissingError, SearcherError

SCHEMES = {"opensearch": "http", "opensearchs": "https"}
USER_VARIABLE = "SEARCHER_OPENSEARCH_USER"
PASSWORD_VARIABLE = "SEARCHER_OPENSEARCH_PASSWORD"
CA_CERTS_VARIABLE = "SEARCHER_OPENSEARCH_CA_CERTS"
VERIFY_VARIABLE = "SEARCHER_OPENSEARCH_VERIFY_CERTS"
# An index name OpenSearch accepts, less what would collide with searcher's own companion indexes.
INDEX_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,200}")
# Seconds a request may take; bulk requests of a loaded cluster are the slow ones.
REQUEST_TIMEOUT = 60
# Retries of a request whose node did not answer (another node of the cluster is tried).
REQUEST_RETRIES = 3


class Location(NamedTuple):
    """The cluster's nodes and the index name (an alias: the physical indexes are its generations)."""

    scheme: str  # http or https
    hosts: tuple[tuple[str, int], ...]
    name: str

    def __str__(self) -> str:
        scheme = next(key for key, value in SCHEMES.items() if value == self.scheme)
        return f"{scheme}://{','.join(f'{host}:{port}' for host, port in self.hosts)}/{self.name}"


def is_engine_url(text: str) -> bool:
    """Whether an index location names a cluster rather than a folder."""
    return any(text.startswith(f"{scheme}://") for scheme in SCHEMES)


def parse_location(url: str) -> Location:
    """opensearch://host[:port][,host[:port]...]/name (opensearchs:// for TLS); SearcherError when malformed."""
    scheme, _, rest = url.partition("://")
    if scheme not in SCHEMES:
        raise SearcherError(f"{url!r} is not an engine URL; expected opensearch://host:port/index-name")
    netloc, _, name = rest.partition("/")
    if "@" in netloc:
        raise SearcherError(
            f"credentials do not belong in the engine URL; set {USER_VARIABLE} and {PASSWORD_VARIABLE} instead"
        )
    name = name.strip("/")
    if not INDEX_NAME.fullmatch(name):
        raise SearcherError(f"{name!r} is not a usable index name (lowercase letters, digits, '-', '_' and '.')")
    hosts = tuple(_host(part, url) for part in netloc.split(",") if part)
    if not hosts:
        raise SearcherError(f"no host in the engine URL {url!r}")
    return Location(SCHEMES[scheme], hosts, name)


def _host(part: str, url: str) -> tuple[str, int]:
    parsed = urlsplit(f"//{part}")
    try:
        port = parsed.port or 9200
    except ValueError:
        raise SearcherError(f"bad port in the engine URL {url!r}") from None
    if not parsed.hostname:
        raise SearcherError(f"no host in the engine URL {url!r}")
    return parsed.hostname, port


def client(location: Location):  # noqa: ANN201 - opensearchpy is imported only here
    """A client for the location, with credentials and TLS settings from the environment."""
    try:
        from opensearchpy import OpenSearch
    except ImportError:
        raise SearcherError(
            'the OpenSearch engine needs the opensearch-py client: pip install "searcher[opensearch]"'
        ) from None
    # The client logs every refused request with a traceback at WARNING; searcher expects some refusals
    # (an alias not there yet, a lock already taken) and reports the others itself, in one line.
    logging.getLogger("opensearch").setLevel(logging.ERROR)
    user, password = os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE)
    tls = location.scheme == "https"
    options: dict = {
        "hosts": [{"host": host, "port": port} for host, port in location.hosts],
        "use_ssl": tls,
        "verify_certs": tls and os.environ.get(VERIFY_VARIABLE, "1") not in ("0", "false", "no"),
        "ssl_show_warn": True,
        "timeout": REQUEST_TIMEOUT,
        "max_retries": REQUEST_RETRIES,
        "retry_on_timeout": True,
    }
    if tls and os.environ.get(CA_CERTS_VARIABLE):
        options["ca_certs"] = os.environ[CA_CERTS_VARIABLE]
    if user:
        options["http_auth"] = (user, password or "")
    return OpenSearch(**options)


@contextmanager
def cluster_errors(location: Location) -> Iterator[None]:
    """The client's transport and HTTP errors as one line naming the cluster, never a traceback."""
    from opensearchpy.exceptions import ConnectionError as NoConnection
    from opensearchpy.exceptions import NotFoundError, TransportError

    try:
        yield
    except NotFoundError as error:
        if error.error != "index_not_found_exception":
            raise EngineUnavailableError(f"OpenSearch at {location} refused a request ({_reason(error)})") from error
        raise IndexMissingError(f"no index at {location}; build one with: searcher --engine URL index PATH") from error
    except NoConnection as error:
        raise EngineUnavailableError(f"cannot reach OpenSearch at {location} ({_reason(error)})") from error
    except TransportError as error:
        raise EngineUnavailableError(f"OpenSearch at {location} refused a request ({_reason(error)})") from error


def _reason(error: Exception) -> str:
    info = getattr(error, "info", None)
    if isinstance(info, dict) and isinstance(info.get("error"), dict):
        cause = info["error"].get("root_cause") or [info["error"]]
        return f"{cause[0].get('type')}: {cause[0].get('reason')}"
    return str(getattr(error, "error", "") or error)[:300]
