"""newslint: a content-quality and deduplication linter for scraped news."""
from __future__ import annotations

from newslint.hookspecs import hookimpl
from newslint.model import (
    Article,
    Block,
    Edit,
    Finding,
    Fix,
    InputError,
    LoadError,
    Metadata,
)
from newslint.rule import ArticleRef, ArticleRule, CorpusRule, Example
from newslint.version import __version__

__all__ = [
    "Linter", "lint", "CheckResult",
    "Article", "Block", "Finding", "Fix", "Edit", "Metadata", "InputError", "LoadError",
    "ArticleRule", "CorpusRule", "ArticleRef", "Example", "hookimpl", "__version__",
]


def __getattr__(name: str):
    """`Linter`, `lint` and `CheckResult` are imported on first use, so that
    `import newslint` stays light."""
    if name in ("Linter", "lint", "CheckResult"):
        from newslint.api import linter
        return getattr(linter, name)
    raise AttributeError(f"module 'newslint' has no attribute {name!r}")
