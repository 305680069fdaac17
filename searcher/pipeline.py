"""Stages 1 and 2 together: source documents to Articles, for indexing and for `searcher clean`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from searcher.clean import clean
from searcher.clean.page import FURNITURE_ONLY
from searcher.enrich import enrich
from searcher.enrich.topics import Taxonomy, load_taxonomy
from searcher.errors import NoStoryError, SearcherError
from searcher.models import Article, SourceDocument
from searcher.sources import find_files, read_documents

# Pathological input (HTML nested beyond Python's recursion limit, a malformed page that trips the
# parser) fails that one document, never the run.
DOCUMENT_ERRORS = (
    RecursionError, MemoryError, ValueError, OverflowError, AssertionError, AttributeError, TypeError,
)  # fmt: skip


@dataclass(frozen=True)
class Failure:
    """A file, or a part of one, that could not be turned into an article."""

    path: str
    reason: str


def process(document: SourceDocument, taxonomy: Taxonomy) -> Article:
    """Clean one document, then enrich it. Raises SearcherError when it cannot be cleaned."""
    try:
        return enrich(clean(document), taxonomy)
    except DOCUMENT_ERRORS as error:
        raise SearcherError(f"cannot be cleaned ({type(error).__name__})") from error


class Preparer:
    """process() with one taxonomy, as the index stage hands it to an engine's writers. Picklable:
    a worker process that receives it loads the taxonomy from its file on first use."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.source = taxonomy.source
        self._taxonomy: Taxonomy | None = taxonomy

    def __getstate__(self) -> dict:
        return {"source": self.source}

    def __setstate__(self, state: dict) -> None:
        self.source, self._taxonomy = state["source"], None

    def __call__(self, document: SourceDocument) -> Article:
        """The article to index. A page found to hold no story (a listing, a login wall) raises
        NoStoryError, so that the run names it among what it passed over instead of indexing a
        title alone; a document whose every block was dropped keeps its title in the index, as the
        classifier may have failed on a story (a forum thread dropped as comments, say)."""
        if self._taxonomy is None:
            self._taxonomy = load_taxonomy(Path(self.source))
        article = process(document, self._taxonomy)
        if article.no_story is not None and article.no_story != FURNITURE_ONLY:
            raise NoStoryError(article.no_story.kind)
        return article


def articles_from(
    paths: list[Path], taxonomy_path: Path | None = None, skipped: list[tuple[str, str, str]] | None = None
) -> Iterator[Article | Failure]:
    """Every article under paths, in order, with a Failure for each file or record that could not be
    used; files and records that are not articles are added to `skipped`."""
    taxonomy = load_taxonomy(taxonomy_path)
    skipped = [] if skipped is None else skipped
    found, failed = find_files(paths, skipped)
    yield from (Failure(path, reason) for path, reason in failed)
    for item in found:
        try:
            documents, problems = read_documents(item, skipped=skipped)
        except SearcherError as error:
            yield Failure(str(item.path), str(error))
            continue
        yield from (Failure(str(item.path), problem) for problem in problems)
        for document in documents:
            try:
                yield process(document, taxonomy)
            except SearcherError as error:
                yield Failure(str(item.path), str(error))
