"""One exception hierarchy for the core; the CLI turns each into a one-line message."""


class SearcherError(Exception):
    """Base of every error searcher reports to its user instead of a traceback."""


class UnreadableDocumentError(SearcherError):
    """A file could not be read or decoded as an article."""


# A document's failure crosses worker processes as its message, so a page without a story is told
# from a failure by how its message begins.
NO_STORY = "no story on the page"


class NoStoryError(SearcherError):
    """A page holds no story (a listing, a product page, a login wall): nothing of it to index."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"{NO_STORY}: {kind}")


def no_story_kind(reason: str) -> str | None:
    """The kind of page a NoStoryError's message names ("listing"), or None for other failures."""
    prefix = f"{NO_STORY}: "
    return reason[len(prefix) :] if reason.startswith(prefix) else None


class IndexMissingError(SearcherError):
    """No searcher index exists at the given location."""


class NotAnIndexError(SearcherError):
    """The directory holds something other than a searcher index; it is never loaded."""


class IndexCorruptError(SearcherError):
    """The index exists but cannot be opened or read."""


class IndexWriteError(SearcherError):
    """Writing the index failed (a full disk, say); searches still use the last complete index."""


class IndexLockedError(SearcherError):
    """Another process is writing to the index."""


class IndexEmptyError(SearcherError):
    """The index holds no articles, so there is nothing to search."""


class PathNotFoundError(SearcherError):
    """A path given to index does not exist; nothing was written."""


class IndexOutdatedError(SearcherError):
    """The index was built by an incompatible version of searcher and needs a rebuild."""


class QueryError(SearcherError):
    """The query cannot be understood."""


class QueryTooCostlyError(QueryError):
    """The query ran longer than one query may (its time budget)."""


class DocumentNotFoundError(SearcherError):
    """No document has the requested id."""


class TaxonomyError(SearcherError):
    """The topic taxonomy file is malformed."""


class EngineUnavailableError(SearcherError):
    """The search cluster holding the index cannot be reached, or refused a request."""


class UnknownTopicError(QueryError):
    """A topic filter names no topic the index knows."""
