"""Stage 0, sources: the article files under a user's paths, read as source documents."""

from searcher.sources.decode import decode
from searcher.sources.files import FoundFile, find_files
from searcher.sources.read import DEFAULT_MAX_BYTES, read_documents

__all__ = ["DEFAULT_MAX_BYTES", "FoundFile", "decode", "find_files", "read_documents"]
