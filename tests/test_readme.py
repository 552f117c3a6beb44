"""The README keeps its promises: the two commands first, a current rule table,
and CI running exactly the README's test command."""
from pathlib import Path

from newslint.config import Settings
from newslint.cli.rules import TABLE_END, TABLE_START, rule_table
from newslint.run.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
INSTALL_AND_RUN = "pip install . && newslint check corpus/"
TEST_COMMAND = "pip install -c constraints.txt -e '.[test]' && python -m pytest"


def test_readme_starts_with_the_two_commands():
    blocks = README.split("```")
    assert blocks[1].strip() == "bash\n" + INSTALL_AND_RUN
    assert blocks[3].strip() == "bash\n" + TEST_COMMAND


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert TEST_COMMAND in ci.splitlines()


def test_rule_table_is_current():
    rules = Engine(Settings(cache=False)).registry.sorted_rules()
    start, end = README.index(TABLE_START), README.index(TABLE_END) + len(TABLE_END)
    assert README[start:end] == rule_table(rules), "regenerate: newslint rules --format markdown"
