"""Input made to exhaust newslint: a rule pattern that takes gigabytes to
compile, one line of a million citation markers, standard input with no end
and a record nested a hundred thousand deep. (issue 26, lines 7, 9 and 10)"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newslint.checks.attribution.rules import inline_citations
from newslint.checks.attribution.patterns import CITATION_RE
from newslint.cli.main import main
from newslint.config import Settings
from newslint.model import Article, Block
from newslint.run.engine import Engine

#: time for 4n / time for n: linear is 4, quadratic 16
SCALING_MAX_RATIO = 8


# -- line 7: patterns bounded when compiled ----------------------------------------------------
RULE = """\
code: NL993
name: user-bomb
kind: phrase
summary: A pattern that repeats too much.
message: "found {{match}}"
docs: {{what: Nothing., why: Tests.}}
examples: {{pass: ["T\\n\\nb"], fail: ["T\\n\\na"]}}
match: search
patterns: ['{pattern}']
"""


@pytest.mark.parametrize("pattern", [
    "(?:a{65535}){65535}",          # 23 bytes, about 18 GB to compile
    "(?:(?:(?:a{100}){100}){100})",
    "[ab]{1000}(?:c{1000}){1000}",
])
def test_a_pattern_that_repeats_too_much_is_refused_before_compiling(tmp_path, capsys, pattern):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bomb.yaml").write_text(RULE.format(pattern=pattern))
    (tmp_path / "a.txt").write_text("Title\n\nA line.\n")
    start = time.monotonic()
    code = main(["check", str(tmp_path / "a.txt"), "--rule-dir", str(rules), "--no-cache",
                 "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and time.monotonic() - start < 5
    assert "bomb.yaml: field 'patterns[0]' repeats too much" in err and len(err.splitlines()) == 1


def test_a_pattern_of_many_characters_is_refused(tmp_path, capsys):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "long.yaml").write_text(RULE.format(pattern="|".join(["word"] * 2000)))
    (tmp_path / "a.txt").write_text("Title\n\nA line.\n")
    assert main(["check", str(tmp_path / "a.txt"), "--rule-dir", str(rules), "--no-cache",
                 "--no-progress"]) == 2
    assert "characters long, over the limit" in capsys.readouterr().err


def test_the_size_counts_every_counted_repeat():
    from newslint.checks.declarative.bounds import MAX_EXPANDED, expanded_size
    assert expanded_size("abc") == 3 and expanded_size("(?:ab){2,5}") == 10
    assert expanded_size("a{3}b+") == 4 and expanded_size(r"\p{L}{10}[x{9}]") == 11
    assert expanded_size("(?:a{65535}){65535}") > MAX_EXPANDED


# -- line 9: NL402 on one long line --------------------------------------------------------
def _article(text: str) -> Article:
    return Article(id="a.txt", path="a.txt", format="txt", title="Title", title_line=1,
                   blocks=(Block(text, 3, 3, 7, 7 + len(text)),), source=f"Title\n\n{text}\n")


def _seconds_for_nl402(engine: Engine, markers: int) -> float:
    article = _article("Claims " + "[1]" * markers + " end.")
    start = time.perf_counter()
    found = engine.check_article(article)
    assert [dict(f.data)["count"] for f in found] == [markers]
    return time.perf_counter() - start


def test_nl402_is_linear_on_one_long_line():
    engine = Engine(Settings(select=["NL402"], cache=False))
    small = min(_seconds_for_nl402(engine, 25_000) for _ in range(3))
    large = min(_seconds_for_nl402(engine, 100_000) for _ in range(3))
    assert large / small < SCALING_MAX_RATIO, (small, large)


def _quadratic_inline_citations(text: str) -> list:
    return [m for m in CITATION_RE.finditer(text)
            if text[text.rfind("\n", 0, m.start()) + 1:m.start()].strip()]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["[1]", "[2, 3]", " ", "\n", "text", "\t", "[x]", "\n[4] "]),
                max_size=40).map("".join))
def test_the_linear_marker_search_finds_what_the_old_one_did(text):
    assert [m.span() for m in inline_citations(text)] == \
        [m.span() for m in _quadratic_inline_citations(text)]


# -- line 10: standard input ------------------------------------------------------------------
#: The peak is the process's own VmHWM: ru_maxrss survives fork and exec on Linux, so a child
#: of a large pytest process (after the Spark tests) would report the parent's size.
MEASURE = """\
import resource, sys
from newslint.cli.main import main
code = main(sys.argv[1:])
try:
    with open("/proc/self/status") as fh:
        peak = next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.stderr.write(f"\\npeak-kb {peak}\\n")
sys.exit(code)
"""


def stdin_run(data: bytes, *argv: str) -> tuple[int, str, str, int]:
    """(exit code, stdout, stderr, peak memory in MB) of `newslint check -`."""
    run = subprocess.run([sys.executable, "-c", MEASURE, "check", "-", "--no-progress", *argv],
                         input=data, capture_output=True, timeout=120)
    err = run.stderr.decode()
    body, _, peak = err.rpartition("\npeak-kb ")
    return run.returncode, run.stdout.decode(), body, int(peak) // 1024


GOOD = json.dumps({"title": "Council vote", "text": "The council approved the budget on "
                   "1 March 2024, Reuters reported.", "url": "https://example.com/a"})


def test_a_record_over_the_limit_is_an_error_and_the_stream_goes_on():
    huge = json.dumps({"title": "Huge", "text": "word " * 4_000_000})   # 20 MB on one line
    code, out, err, peak = stdin_run(f"{GOOD}\n{huge}\n{GOOD}\n".encode(), "--format", "jsonl",
                                     "--max-file-size", "1000000")
    lines = [json.loads(line) for line in out.splitlines()]
    errors = [line["error"] for line in lines if "error" in line]
    assert [e["line"] for e in errors] == [2] and "over the limit of 1,000,000 bytes" in \
        errors[0]["message"]
    assert peak < 250, peak   # the 20 MB record is never held whole


def test_a_whole_input_over_the_limit_is_refused_without_being_read_whole():
    code, out, err, peak = stdin_run(b"Title\n\n" + b"word " * 8_000_000, "--stdin-format", "txt",
                                     "--max-file-size", "1000000", "--format", "json")
    errors = json.loads(out)["errors"]
    assert code == 1 and errors[0]["message"] == \
        "input is over the limit of 1,000,000 bytes (setting max-file-size)"
    assert peak < 250, peak


def test_a_deeply_nested_record_is_an_error_and_the_stream_goes_on():
    nested = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    code, out, err, _ = stdin_run(f"{GOOD}\n{nested}\n{GOOD}\n".encode(), "--format", "json")
    report = json.loads(out)
    assert [(e["line"], "nested too deeply" in e["message"]) for e in report["errors"]] == [(2, True)]
    assert report["summary"]["articles"] == 2          # lines 1 and 3 checked
    assert "Traceback" not in err and code == 1
