"""Scraping damage (NL501-NL599): text cut off, glued or spread out, garbled
characters, markup left behind, a damaged headline, bodies too long or too short."""
from __future__ import annotations

from newslint.checks.damage import layout, markup, spacing, title
from newslint.hookspecs import hookimpl
from newslint.rule import rules_in


@hookimpl
def newslint_register_rules(register):
    for rule in rules_in(layout, markup, spacing, title):
        register(rule)
