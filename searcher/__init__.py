"""searcher: full-text search for folders of scraped news articles."""

__version__ = "0.1.0"
