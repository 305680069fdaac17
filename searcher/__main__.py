"""Allows ``python -m searcher``."""

from searcher.cli import main

main()
