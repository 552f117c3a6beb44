"""The end-to-end gate: every article in corpus/ gives exactly the findings
listed in corpus/expected-findings.txt (reviewed by hand against
corpus/README.md). Regenerate after an intended change with
`NEWSLINT_UPDATE_EXPECTED=1 python -m pytest tests/test_corpus_gate.py`
and review the diff."""
import os
from pathlib import Path

import pytest

from newslint.config import load_settings
from newslint.run.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
EXPECTED = CORPUS / "expected-findings.txt"
#: articles that must pass outside clean/: date forms to recognise, and a
#: different article on the same story as the near-duplicates
CLEAN = {"french-date.txt", "dotted-date.txt", "ferry-different-story.txt"}


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    cwd = os.getcwd()
    os.chdir(ROOT)  # paths in the expected file are relative to the project
    try:
        settings = load_settings(start=CORPUS)  # corpus/newslint.toml
        settings.cache = False
        return Engine(settings).run(["corpus"])
    finally:
        os.chdir(cwd)


def finding_lines(result):
    return [f"{f.path}:{f.line}:{f.column}: {f.code} {f.rule} [{f.severity}]" for f in result.findings]


def test_corpus_matches_expected_findings(result):
    got = finding_lines(result)
    if os.environ.get("NEWSLINT_UPDATE_EXPECTED"):
        EXPECTED.write_text("\n".join(got) + "\n", encoding="utf-8")
    expected = EXPECTED.read_text(encoding="utf-8").splitlines()
    assert got == expected
    assert result.errors == []


def test_clean_articles_get_no_warning_or_error(result):
    bad = [line for line in finding_lines(result)
           if line.startswith("corpus/clean/") and "[info]" not in line]
    assert bad == []


def test_every_defect_article_is_flagged(result):
    flagged = {f.path for f in result.findings}
    defect_files = sorted(str(p.relative_to(ROOT)) for p in CORPUS.rglob("*")
                          if p.is_file() and p.suffix in (".txt", ".md", ".html", ".jsonl")
                          and "clean" not in p.parts and p.name not in CLEAN
                          and p.name not in ("README.md", "expected-findings.txt"))
    assert [p for p in defect_files if p not in flagged] == []


def test_same_story_is_not_a_near_duplicate(result):
    assert not [f for f in result.findings if f.code.startswith("NL6")
                and "ferry-different-story" in f.path + f.message]
