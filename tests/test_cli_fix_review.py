"""Reviewing fixes (--diff, --show-fixes, --fix-only) and the text output's
forms (--statistics alone, --output-format full)."""
import shutil
from pathlib import Path

import pytest

from newslint.cli.main import main

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def story(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(CORPUS / "damage" / "stray-space.txt", tmp_path / "story.txt")
    return tmp_path / "story.txt"


def test_diff_writes_nothing_and_exits_1(story, capsys):
    before = story.read_bytes()
    code, out, err = run(capsys, "check", "story.txt", "--no-cache", "--diff")
    assert code == 1 and story.read_bytes() == before
    assert out.startswith("--- a/story.txt\n+++ b/story.txt\n@@ ")
    assert "-Islanders had campaigned for years for a proper building ,and" in out
    assert "+Islanders had campaigned for years for a proper building, and" in out
    assert "would fix 2 findings in 1 file" in err
    run(capsys, "check", "story.txt", "--no-cache", "--fix")
    code, out, err = run(capsys, "check", "story.txt", "--no-cache", "--diff")
    assert code == 0 and out == "" and "would fix 0 findings" in err


def test_diff_is_not_fix(story, capsys):
    code, _, err = run(capsys, "check", "story.txt", "--diff", "--fix")
    assert code == 2 and "--diff" in err


def test_show_fixes_lists_them_per_file(story, capsys):
    code, out, _ = run(capsys, "check", "story.txt", "--no-cache", "--select", "NL503", "--fix",
                       "--show-fixes")
    assert code == 0
    assert out.splitlines()[-3:] == ["Fixed 2 findings:", "  story.txt:",
                                     "    2 x remove the space before ','"]


def test_fix_only_fixes_and_reports_nothing_else(story, capsys):
    (story.parent / "dates.txt").write_text((CORPUS / "dates" / "relative-only.txt").read_text())
    code, out, _ = run(capsys, "check", ".", "--no-cache", "--fix-only")
    assert code == 0 and out == "Fixed 2 findings.\n"
    assert " ,and" not in story.read_text()


def test_statistics_alone_prints_only_the_tables(capsys, monkeypatch):
    monkeypatch.chdir(CORPUS.parent)
    code, out, _ = run(capsys, "check", "corpus/damage", "--no-cache", "--statistics")
    assert code == 1 and ": NL" not in out  # no finding lines
    assert any(line.split()[1:3] == ["NL503", "damage-space-before-punctuation"]
               for line in out.splitlines() if line.strip())
    assert out.splitlines()[-1].startswith("Checked ")


def test_output_format_full_shows_the_line_and_a_caret(story, capsys):
    code, out, _ = run(capsys, "check", "story.txt", "--no-cache", "--select", "NL503",
                       "--output-format", "full")
    lines = out.splitlines()
    at = lines.index(next(ln for ln in lines if ln.startswith("story.txt:11:57:")))
    assert lines[at + 1].startswith("   11 | ") and "proper building ,and" in lines[at + 1]
    caret = lines[at + 2]
    assert caret.rstrip().endswith("^")
    # the caret stands under the column of the finding: the space before the comma
    assert lines[at + 1][caret.index("^")] == " " and lines[at + 1][caret.index("^") + 1] == ","
    code, concise, _ = run(capsys, "check", "story.txt", "--no-cache", "--select", "NL503")
    assert len(concise.splitlines()) == len(lines) - 4
