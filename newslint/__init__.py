"""newslint: a content-quality and deduplication linter for scraped news."""
from __future__ import annotations

from .hookspecs import hookimpl
from .model import Article, Block, Finding, Fix, Edit, Metadata, InputError, LoadError
from .rule import ArticleRule, CorpusRule, ArticleRef, Example

__version__ = "0.1.0"

__all__ = [
    "Article", "Block", "Finding", "Fix", "Edit", "Metadata", "InputError", "LoadError",
    "ArticleRule", "CorpusRule", "ArticleRef", "Example", "hookimpl", "__version__",
]
