"""Declarative rules: the rule kinds that YAML files (the top-level `rules/`
folder, `rule-dirs`, `--rule-dir`) are written in, validated on load.

`phrase.py` is the `phrase` kind; `fields.py` reads and checks a rule file's
fields; `syntax.py`, `chars.py` and `prefilter.py` turn a rule's `regex`
patterns into fast `re` prefilters."""
from __future__ import annotations

from newslint.checks.declarative.phrase import build_phrase_rule, builtin_rules_dir
from newslint.hookspecs import hookimpl


@hookimpl
def newslint_register_rule_kinds(register):
    register("phrase", build_phrase_rule)


@hookimpl
def newslint_rule_dirs():
    return [builtin_rules_dir()]
