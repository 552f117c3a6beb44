"""Unattributed sources (NL401-NL499): no byline, outlet or source line,
citation markers with no reference list, only vague attribution; and the
enricher that puts the authors and outlet a text states into `article.meta`."""
from __future__ import annotations

from newslint.checks.attribution import rules
from newslint.checks.attribution.credits import credits
from newslint.hookspecs import hookimpl
from newslint.rule import rules_in


@hookimpl
def newslint_register_rules(register):
    for rule in rules_in(rules):
        register(rule)


@hookimpl
def newslint_enrich_article(article, settings):
    """Fill `meta.authors` / `meta.outlet` from the bylines, credit lines and
    agency tags of the text when the metadata has none."""
    meta = article.meta
    if meta.authors and meta.outlet:
        return None
    authors, outlet = credits(article)
    changes = {}
    if authors and not meta.authors:
        changes["authors"] = authors
    if outlet and not meta.outlet:
        changes["outlet"] = outlet
    return article.with_meta(**changes) if changes else None
