"""Rules about the input itself (NL001-NL099): suppressions that suppress
nothing, text that was not valid UTF-8."""
from __future__ import annotations

from newslint.checks.core import rules
from newslint.hookspecs import hookimpl
from newslint.rule import rules_in


@hookimpl
def newslint_register_rules(register):
    for rule in rules_in(rules):
        register(rule)
