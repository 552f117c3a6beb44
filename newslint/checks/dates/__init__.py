"""Missing and implausible dates (NL301-NL399), and the enricher that puts
the publication date found in an article into `article.meta`."""
from __future__ import annotations

from newslint.checks.dates import rules
from newslint.checks.dates.publication import publication_date
from newslint.hookspecs import hookimpl
from newslint.rule import rules_in


@hookimpl
def newslint_register_rules(register):
    for rule in rules_in(rules):
        register(rule)


@hookimpl
def newslint_enrich_article(article, settings):
    """Fill `meta.date` from the text when the metadata has none, and
    normalise a metadata date to ISO `YYYY-MM-DD`."""
    found = publication_date(article)
    if found.iso and (found.iso, found.source) != (article.meta.date, article.meta.date_source):
        return article.with_meta(date=found.iso, date_source=found.source)
    return None
