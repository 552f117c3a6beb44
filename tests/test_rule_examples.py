"""Every rule documents itself and proves its own pass/fail examples."""
import pytest

from newslint.config import Settings
from newslint.run.engine import Engine
from newslint.run.examples import check_rule_examples

REGISTRY = Engine(Settings(cache=False)).registry
RULES = REGISTRY.sorted_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_examples(rule):
    assert rule.examples.get("fail") and rule.examples.get("pass")
    assert check_rule_examples(rule) == []


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_docs(rule):
    doc = rule.doc_markdown()
    assert rule.docs["what"] and rule.docs["why"]
    assert f"# {rule.name} ({rule.code})" in doc
    assert "## What it does" in doc and "## Why is this bad?" in doc


def test_codes_and_names_unique():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)
