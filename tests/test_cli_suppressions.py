"""Suppressions by line and range in each format's comment form,
--add-suppressions, and --baseline with fingerprints that survive edits."""
import json

import pytest

from newslint.cli.main import main

BODY = ["The ferry , which was late, runs again.", "The boat , said the captain, is new.",
        "One , two.", "Three , four.", "Five , six."]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stray_lines(capsys, name):
    """The lines NL503 flags in `name` (and NL001's)."""
    _, out, _ = run(capsys, "check", name, "--no-cache", "--select", "NL503,NL001", "--format", "json")
    return sorted((f["code"], f["line"]) for f in json.loads(out)["findings"])


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_plain_text_next_line_and_range(here, capsys):
    (here / "a.txt").write_text("\n".join([
        "Ferry service resumes", "", "newslint: disable-next-line=NL503", BODY[0], "", BODY[1], "",
        "newslint: disable=damage-space-before-punctuation", BODY[2], "", BODY[3],
        "newslint: enable=damage-space-before-punctuation", "", BODY[4]]) + "\n")
    assert stray_lines(capsys, "a.txt") == [("NL503", 6), ("NL503", 14)]


@pytest.mark.parametrize("name, wrap", [("b.md", "<!-- {} -->"), ("c.html", "<!-- {} -->")])
def test_comment_forms(here, capsys, name, wrap):
    marker = lambda text: wrap.format(f"newslint: {text}")  # noqa: E731
    lines = [marker("disable-next-line=NL503"), BODY[0], BODY[1], marker("disable=NL503"), BODY[2],
             marker("enable=NL503"), BODY[4]]
    if name.endswith(".html"):
        lines = ["<html><body><h1>Ferry</h1>"] + [ln if ln.startswith("<!--") else f"<p>{ln}</p>"
                                                   for ln in lines] + ["</body></html>"]
    else:
        lines = ["# Ferry", ""] + lines
    (here / name).write_text("\n".join(lines) + "\n")
    found = stray_lines(capsys, name)
    assert [code for code, _ in found] == ["NL503", "NL503"]
    assert [line for _, line in found] == [lines.index(ln) + 1 for ln in lines
                                           if BODY[1] in ln or BODY[4] in ln]


def test_a_disable_never_enabled_still_covers_the_article(here, capsys):
    (here / "a.txt").write_text(f"Ferry\n\n{BODY[0]}\n\nnewslint: disable=NL503\n\n{BODY[1]}\n")
    assert stray_lines(capsys, "a.txt") == []


def test_an_unused_line_suppression_is_reported(here, capsys):
    (here / "a.txt").write_text(f"Ferry\n\nnewslint: disable-next-line=NL503\nA clean line.\n\n{BODY[1]}\n")
    assert stray_lines(capsys, "a.txt") == [("NL001", 3), ("NL503", 6)]


def test_fix_leaves_suppressed_findings(here, capsys):
    (here / "a.txt").write_text(f"Ferry\n\nnewslint: disable-next-line=NL503\n{BODY[0]}\n\n{BODY[1]}\n")
    run(capsys, "check", "a.txt", "--no-cache", "--select", "NL503", "--fix")
    text = (here / "a.txt").read_text()
    assert BODY[0] in text and BODY[1] not in text and "The boat, said" in text


def test_add_suppressions_then_a_clean_run(here, capsys):
    (here / "a.txt").write_text(f"Ferry\n\n  {BODY[0]}\n\n{BODY[1]}\n")
    (here / "b.md").write_text(f"---\ntitle: Ferry\n---\n\n{BODY[0]}\n")
    (here / "c.html").write_text(f"<html><body><h1>Ferry</h1><p>{BODY[0]}</p></body></html>\n")
    code, _, err = run(capsys, "check", ".", "--no-cache", "--select", "NL503", "--add-suppressions")
    assert code == 0 and "added 3 suppressions in 2 files" in err
    assert (here / "a.txt").read_text().splitlines()[2] == "  newslint: disable-next-line=NL503"
    assert "<!-- newslint: disable-next-line=NL503 -->\n" + BODY[0] in (here / "b.md").read_text()
    assert "newslint" not in (here / "c.html").read_text()
    code, out, _ = run(capsys, "check", ".", "--no-cache", "--select", "NL503,NL001")
    assert code == 1 and out.count("NL503") == 1 and "c.html" in out


def test_baseline_written_then_only_new_findings(here, capsys):
    (here / "a.txt").write_text(f"Ferry\n\n{BODY[0]}\n\n{BODY[1]}\n")
    argv = ["check", "a.txt", "--no-cache", "--select", "NL503", "--baseline", "base.json"]
    code, _, err = run(capsys, *argv)
    assert code == 0 and "wrote the baseline base.json with 2 findings" in err
    rows = json.loads((here / "base.json").read_text())["findings"]
    assert len(rows) == 2 and all(len(r["fingerprint"]) == 24 for r in rows)
    code, out, err = run(capsys, *argv)
    assert code == 0 and "0 findings" in out and "2 findings in the baseline" in err
    # edits elsewhere move the known findings: still known; a new one is reported
    (here / "a.txt").write_text(f"Ferry\n\nA new first paragraph.\n\n{BODY[2]}\n\n{BODY[0]}\n\n{BODY[1]}\n")
    code, out, _ = run(capsys, *argv)
    assert code == 1 and out.count("NL503") == 1 and "a.txt:5:4" in out
    # a second copy of a known finding is new
    (here / "a.txt").write_text(f"Ferry\n\n{BODY[0]}\n\n{BODY[1]}\n\n{BODY[0]}\n")
    code, out, _ = run(capsys, *argv)
    assert code == 1 and out.count("NL503") == 1


def test_a_broken_baseline_is_exit_2(here, capsys):
    (here / "a.txt").write_text(f"Ferry\n\n{BODY[0]}\n")
    (here / "base.json").write_text("[1, 2]")
    code, _, err = run(capsys, "check", "a.txt", "--no-cache", "--baseline", "base.json")
    assert code == 2 and "not a newslint baseline" in err and "Traceback" not in err
