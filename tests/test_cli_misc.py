"""Small promises: `newslint rule CODE --examples` on a user's rule and with
--help, a readable str(finding), a typed package, pre-commit docs that name
no tag the repository does not have."""
import re
from pathlib import Path

import pytest

from newslint import Linter
from newslint.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
USER_RULE = """code: NL901
name: boilerplate-house-promo
kind: phrase
summary: Our own promo line.
message: "promo line: {match}"
docs: {what: Flags the promo line., why: It is not news.}
patterns: ['buy our app today!?']
examples: {fail: ["T\\n\\nBuy our app today!"], pass: ["T\\n\\nWe did not buy the app."]}
"""


def test_rule_examples_run_for_a_user_rule(tmp_path, capsys):
    (tmp_path / "NL901.yaml").write_text(USER_RULE, encoding="utf-8")
    assert main(["rule", "NL901", "--examples", "--rule-dir", str(tmp_path)]) == 0
    assert "NL901: 1 fail and 1 pass examples, 0 not as documented" in capsys.readouterr().out
    (tmp_path / "NL901.yaml").write_text(USER_RULE.replace("We did not buy", "Buy our app today!"
                                                           "\\n\\nWe did not buy"), encoding="utf-8")
    assert main(["rule", "NL901", "--examples", "--rule-dir", str(tmp_path)]) == 1
    assert "pass example 0 was flagged" in capsys.readouterr().out


def test_rule_help_and_a_misspelt_rule(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["rule", "--help"])
    assert exc.value.code == 0 and "--examples" in capsys.readouterr().out
    assert main(["rule", "missing-dat"]) == 2
    assert "did you mean 'missing-date'?" in capsys.readouterr().err


def test_a_finding_reads_as_one_line():
    finding = Linter(select=["missing-date"]).check(
        "Ferry\n\nThe ferry runs again on Tuesday, the port authority said.").findings[0]
    assert str(finding) == (f"{finding.path}:3:25: NL301 [missing-date] no absolute publication "
                            "date; only relative date: 'Tuesday' (warning)")


def test_the_package_is_typed():
    assert (ROOT / "newslint" / "py.typed").is_file()
    assert '"newslint" = ["py.typed"]' in (ROOT / "pyproject.toml").read_text()


def test_pre_commit_docs_name_no_release_tag():
    for doc in (ROOT / "README.md", ROOT / "docs" / "integrations.md"):
        assert not re.search(r"rev: v\d", doc.read_text(encoding="utf-8")), doc
