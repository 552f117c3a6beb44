"""Boilerplate (NL101-NL199): page furniture left in the article text.

The phrase rules are declarative files in the top-level `rules/boilerplate/`
folder (loaded by the `declarative` plugin); the rules written in code live
here."""
from __future__ import annotations

from newslint.checks.boilerplate import page_chrome, repeated_lines
from newslint.hookspecs import hookimpl
from newslint.rule import rules_in


@hookimpl
def newslint_register_rules(register):
    for rule in rules_in(page_chrome, repeated_lines):
        register(rule)
