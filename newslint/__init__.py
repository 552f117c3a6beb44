"""newslint: a content-quality and deduplication linter for scraped news."""
from __future__ import annotations

from .hookspecs import hookimpl
from .model import Article, Block, Finding, Fix, Edit, Metadata, InputError, LoadError
from .rule import ArticleRule, CorpusRule, ArticleRef, Example

__version__ = "0.1.0"

__all__ = [
    "Linter", "lint", "CheckResult",
    "Article", "Block", "Finding", "Fix", "Edit", "Metadata", "InputError", "LoadError",
    "ArticleRule", "CorpusRule", "ArticleRef", "Example", "hookimpl", "__version__",
]


def __getattr__(name: str):
    """`Linter`, `lint` and `CheckResult` are imported on first use, so that
    `import newslint` stays light (and the engine can import this package)."""
    if name in ("Linter", "lint", "CheckResult"):
        from . import api
        return getattr(api, name)
    raise AttributeError(f"module 'newslint' has no attribute {name!r}")
