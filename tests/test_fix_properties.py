"""Properties of `--fix`, checked on generated articles: clean sentences with
injected scraping damage and page furniture.

- text no fixed finding covers is never changed: every other non-blank line
  of the original survives intact and in order (blank lines are layout: once a
  fix removes a paragraph, the blank lines around it may merge into a run that
  a later round collapses);
- fixing is idempotent: a second pass finds nothing more to fix;
- files are rewritten atomically, keeping their line endings and mode.
"""
from __future__ import annotations

import contextlib
import io
import os
import stat
import tempfile
from pathlib import Path

from hypothesis import given, settings, strategies as st

from newslint.cli.main import main
from newslint.config import Settings
from newslint.run.engine import Engine
from newslint.run.fixer import MAX_ROUNDS, fix_article
from newslint.fixes import apply_edits, fixable
from newslint.model import Article, Finding

ENGINE = Engine(Settings(cache=False))

TITLES = ["Council approves new ferry route", "Library reopens after two years of repairs",
          "Harbour dredging to start in spring", "Rail strike called off after late talks"]
SENTENCES = [
    "The council approved the new ferry route on Tuesday, officials said.",
    "The service will run every half hour from seven in the morning.",
    "Bicycles will be carried free of charge, the operator confirmed.",
    "Councillors voted by 31 to 4 to approve the scheme.",
    "The running costs are expected to be covered by fares within three years.",
    "Residents of Quay Street have asked for quieter evenings.",
    "Work will begin in June and is expected to take about ten weeks.",
    "A public competition will be held to name the boat.",
]
#: page furniture the boilerplate rules remove (each a block of its own)
FURNITURE = ["No time to read?\nGet a summary", "Advertisement", "Share this article",
             "Follow us on Twitter", "Previous Article\n\nStorm closes coastal road"]


def stray_space(sentence: str) -> str:
    return sentence.replace(", ", " ,", 1) if ", " in sentence else sentence[:-1] + " ."


def glued(pair: tuple[str, str]) -> str:
    return pair[0] + pair[1]


def entity(sentence: str) -> str:
    first, rest = sentence.split(" ", 1)
    return f"{first}&nbsp;{rest.replace(' ', ' &amp; ', 1)}"


def tags(sentence: str) -> str:
    first, rest = sentence.split(" ", 1)
    return f"{first}<br/>{rest.replace(' ', ' <b>', 1)}</b>"


def mojibake(sentence: str) -> str:
    first, rest = sentence.split(" ", 1)
    return f"{first}â€™s {rest}"


sentence = st.sampled_from(SENTENCES)
paragraph = st.one_of(
    st.lists(sentence, min_size=1, max_size=3).map(" ".join),
    sentence.map(stray_space),
    st.tuples(sentence, sentence).map(glued),
    sentence.map(entity),
    sentence.map(tags),
    sentence.map(mojibake),
    st.sampled_from(FURNITURE),
)
separator = st.sampled_from(["\n\n", "\n\n", "\n\n\n", "\n\n\n\n\n", "\n \n\t\n"])
ending = st.sampled_from(["", "\n", "\n\n\n"])
title_line = st.sampled_from(TITLES).flatmap(lambda t: st.sampled_from(
    [t, t.upper(), " date 2024-02-11 " + t]))


@st.composite
def articles(draw, markdown: bool = False) -> str:
    """An article text: a title, then paragraphs of clean or damaged text."""
    title = ("# " if markdown else "") + draw(title_line)
    body = draw(st.lists(paragraph, min_size=1, max_size=7))
    text = title
    for part in body:
        text += draw(separator) + part
    return text + draw(ending)


texts = st.one_of(articles().map(lambda t: (t, "article.txt")),
                  articles(markdown=True).map(lambda t: (t, "article.md")))


def load(text: str, path: str = "article.txt") -> Article:
    [article] = ENGINE.load(path, text.encode("utf-8"))
    return article


def covered_lines(findings: list[Finding], unsafe: bool) -> set[int]:
    """Lines inside the span of a finding whose fix is about to be applied."""
    return {number for finding in findings
            if finding.fix is not None and (finding.fix.safe or unsafe)
            for number in range(finding.line, finding.end_line + 1)}


def is_subsequence(items: list[str], of: list[str]) -> bool:
    rest = iter(of)
    return all(any(item == other for other in rest) for item in items)


def later_round_lines(text: str, path: str, unsafe: bool) -> set[str]:
    """Lines that fixes after the first round cover, by content: the first
    round's fixes can make new findings (a paragraph whose `&nbsp;` is
    unescaped becomes a duplicate of the next one). Rounds are replayed with
    the fixer's own building blocks, `fixable` and `apply_edits`."""
    source, contents = text, set()
    for round_number in range(MAX_ROUNDS):
        article = load(source, path)
        findings = ENGINE.check_article(article)
        if round_number:
            lines = source.split("\n")
            contents |= {lines[n - 1] for n in covered_lines(findings, unsafe)}
        source, applied = apply_edits(source, fixable(findings, unsafe))
        if not applied:
            break
    return contents


@settings(max_examples=100, deadline=None)
@given(case=texts, unsafe=st.booleans())
def test_fixes_leave_uncovered_lines_intact(case, unsafe):
    text, path = case
    article = load(text, path)
    covered = covered_lines(ENGINE.check_article(article), unsafe)
    new_text, applied = fix_article(ENGINE, article, unsafe)
    if not applied:
        new_text = text
    excused = later_round_lines(text, path, unsafe)
    kept = [line for number, line in enumerate(text.split("\n"), 1)
            if number not in covered and line.strip() and line not in excused]
    assert is_subsequence(kept, new_text.split("\n")), (text, new_text, sorted(covered))


@settings(max_examples=100, deadline=None)
@given(case=texts, unsafe=st.booleans())
def test_fixing_twice_changes_nothing(case, unsafe):
    text, path = case
    once, applied = fix_article(ENGINE, load(text, path), unsafe)
    if not applied:
        return
    again = load(once, path)
    left = [f.message for f in ENGINE.check_article(again)
            if f.fix is not None and (f.fix.safe or unsafe)]
    assert left == [], (text, once)  # no fix left that would change the text, or fail to
    twice, applied_again = fix_article(ENGINE, again, unsafe)
    assert applied_again == [], (once, twice)


@settings(max_examples=25, deadline=None)
@given(text=articles(), newline=st.sampled_from(["\n", "\r\n"]),
       mode=st.sampled_from([0o600, 0o640, 0o644, 0o664]), unsafe=st.booleans())
def test_fix_command_writes_atomically_keeping_newlines_and_mode(text, newline, mode, unsafe):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.txt"
        path.write_bytes(text.replace("\n", newline).encode("utf-8"))
        path.chmod(mode)
        expected, applied = fix_article(ENGINE, load(text, str(path)), unsafe)
        argv = ["check", "--fix", "--no-cache", "--no-progress", "-q", "-j", "1", str(path)]
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            main(argv + (["--unsafe-fixes"] if unsafe else []))
        data = path.read_bytes()
        assert data == (expected if applied else text).replace("\n", newline).encode("utf-8")
        if newline == "\r\n":
            assert data.count(b"\n") == data.count(b"\r\n")
        assert stat.S_IMODE(os.stat(path).st_mode) == mode
        assert os.listdir(folder) == ["article.txt"]  # no temporary file left behind


def test_generated_damage_is_what_the_rules_fix():
    """The generator's defects are ones the rules flag with a fix, so the
    properties above are not vacuous."""
    parts = [stray_space(SENTENCES[0]), glued((SENTENCES[1], SENTENCES[3])), entity(SENTENCES[0]),
             tags(SENTENCES[2]), mojibake(SENTENCES[3]), *FURNITURE]
    text = " date 2024-02-11 " + TITLES[0] + "\n\n\n\n" + "\n\n".join(parts) + "\n"
    fixed_codes = {f.code for f in ENGINE.check_article(load(text)) if f.fix is not None}
    assert {"NL101", "NL102", "NL103", "NL105", "NL107", "NL502", "NL503", "NL504", "NL505",
            "NL506", "NL508"} <= fixed_codes
    once, applied = fix_article(ENGINE, load(text), unsafe=True)
    assert len(applied) >= 12 and "â€™" not in once and "<br/>" not in once
