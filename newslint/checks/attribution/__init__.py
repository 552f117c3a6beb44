"""Unattributed sources (NL401-NL499): no byline, outlet or source line,
citation markers with no reference list, only vague attribution."""
from __future__ import annotations

from newslint.checks.attribution import rules
from newslint.hookspecs import hookimpl
from newslint.rule import rules_in


@hookimpl
def newslint_register_rules(register):
    for rule in rules_in(rules):
        register(rule)
