"""Repetition inside an article (NL201-NL299): duplicated paragraphs, a
repeated title, pull quotes, keyword stuffing."""
from __future__ import annotations

from newslint.checks.repetition import rules, stuffing
from newslint.hookspecs import hookimpl
from newslint.rule import rules_in


@hookimpl
def newslint_register_rules(register):
    for rule in rules_in(rules, stuffing):
        register(rule)
