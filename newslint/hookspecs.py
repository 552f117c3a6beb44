"""Hook specifications: the only door through which loaders, rules, rule kinds,
formatters and article enrichers enter newslint. Built-ins use it too.

Every hook takes a `register` callback so the host validates and
de-duplicates what plugins give it.
"""
from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("newslint")
hookimpl = pluggy.HookimplMarker("newslint")


# -- reading input ------------------------------------------------------------
@hookspec
def newslint_register_loaders(register):
    """Register loaders: ``register(name, extensions, load)``.

    ``load(path: str, data: bytes, settings) -> Iterator[Article | LoadError]``
    turns a file's bytes into articles; ``extensions`` are lower-case suffixes
    such as ``".md"``. ``name`` is the format used by ``--stdin-format``.
    """


@hookspec
def newslint_enrich_article(article, settings):
    """Return a changed copy of a freshly loaded article (for example with a
    detected publication date in ``article.meta``), or None to leave it.
    Called in registration order, each implementation seeing the last result."""


# -- rules ----------------------------------------------------------------------
@hookspec
def newslint_register_rules(register):
    """Register rule objects written in code: ``register(rule)`` where ``rule``
    is an ``ArticleRule`` or ``CorpusRule`` instance."""


@hookspec
def newslint_register_rule_kinds(register):
    """Register kinds of declarative rule: ``register(kind, build)`` where
    ``build(data: dict, origin: str) -> Rule`` validates one rule file's data."""


@hookspec
def newslint_rule_dirs():
    """Return folders (paths) holding declarative rule files (``*.yaml``)."""


# -- output ---------------------------------------------------------------------
@hookspec
def newslint_register_formatters(register):
    """Register output formats: ``register(name, format)`` where
    ``format(result, stream, options) -> None`` writes a whole run's result."""
