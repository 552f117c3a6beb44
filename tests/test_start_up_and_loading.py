"""The fast paths of loading and start-up give what the slower forms they
replace gave: paragraphs found by one pattern are the line-by-line walk's, the
Markdown line test never skips a line a pattern would match, the engine reads
files whole without a buffered file object, a rule that fails midway reports
only its error; plugins and versions are looked for without importlib.metadata
unless a plugin may be installed; and a `check` imports no other subcommand."""
from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from newslint import ArticleRule, hookimpl
from newslint.config import Settings
from newslint.loaders.common import PARAGRAPH_RE, paragraph_blocks
from newslint.loaders.markdown import ATX_RE, BREAK_RE, FENCE_RE, MARKS, SETEXT_RE
from newslint.plugins import installed_version, may_declare_plugins
from newslint.run.engine import Engine, _read_all
from newslint.text.lines import split_paragraphs

#: pieces of hostile text: every kind of space str.isspace knows, markers, words
PIECES = ["\n", "\n", "\n\n", " ", "\t", "\x0b", "\x0c", "\x1c", "\x85", "\u00a0", "\u2028",
          "\u3000", "a", "word", "Word.", "#", "-", "=", "*", "_", "`", "~", "```", "---", "   "]


def texts(seed: int, count: int = 400):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 40)))


def test_the_paragraph_pattern_finds_the_paragraphs_of_the_line_walk():
    for text in texts(1):
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        for start in starts[:3]:
            walk = list(split_paragraphs(text, start))
            assert [(m.start(), m.end()) for m in PARAGRAPH_RE.finditer(text, start)] == walk, text


def test_paragraph_blocks_from_inside_a_line_walk_the_lines():
    text = "head line\n\nSecond paragraph\nstill.\n\nThird."
    blocks = paragraph_blocks(text, 3)  # inside the first line: the walk
    assert [(b.text, b.line, b.start) for b in blocks] == [
        ("d line", 1, 3), ("Second paragraph\nstill.", 3, 11), ("Third.", 6, 36)]


def test_a_markdown_line_without_a_mark_matches_no_block_pattern():
    rng = random.Random(2)
    lines = [line for text in texts(3, 2000) for line in text.split("\n")]
    lines += ["   ```", "    ```", "~~~ python", "###### six", "  ===", "- - -", " * * *", "___", "a"]
    for _ in range(2000):
        lines.append(" " * rng.randrange(0, 5) + "".join(rng.choice("`~#=-*_ \ta") for _ in range(6)))
    for line in lines:
        if any(p.match(line) for p in (FENCE_RE, ATX_RE, SETEXT_RE, BREAK_RE)):
            assert line[:4].lstrip(" ")[:1] in MARKS, repr(line)


def test_read_all_reads_to_the_end_and_stops_at_the_limit(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"0123456789" * 10_000)
    for size, limit, expected in ((100_000, 100_001, 100_000), (10, 100_001, 100_000),  # grew
                                  (0, 100_001, 100_000), (100_000, 5, 5), (10, 50_000, 50_000)):
        fd = os.open(path, os.O_RDONLY)
        try:
            assert len(_read_all(fd, size, limit)) == expected
        finally:
            os.close(fd)


class FailsMidway(ArticleRule):
    code, name, summary = "NL971", "fake-fails-midway", "Finds one thing, then crashes."
    docs = {"what": "Crashes after a finding.", "why": "Tests."}

    def check(self, article, options):
        yield self.finding(article, "found before the crash")
        raise ZeroDivisionError("boom")


class Plugin:
    @hookimpl
    def newslint_register_rules(self, register):
        register(FailsMidway())


def test_a_rule_failing_midway_reports_its_error_and_not_its_first_findings(tmp_path):
    engine = Engine(Settings(select=["NL971", "NL002"], cache=False), extra_plugins=[Plugin()])
    article = next(iter(engine.load("a.txt", b"Title\n\nSome text.\n")))
    findings = [f for f in engine.check_article(article) if f.code == "NL971"]
    assert [f.severity for f in findings] == ["error"]
    assert "internal error in rule NL971" in findings[0].message


def fake_distribution(site, name: str, entry_points: str) -> None:
    dist = site / f"{name}-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(entry_points)


@pytest.mark.parametrize("entry_points, declares", [
    ("[console_scripts]\nx = x:main\n", False),
    ("[newslint]\nloaders = newslint.loaders\n  # a comment\n", False),  # a built-in again
    ("[newslint]\nbanana = fake_plugin\n", True),
    ("[console_scripts]\nnewslint = x:main\n[newslint]\n banana=fake_plugin \n", True),
])
def test_an_installed_plugin_is_seen_without_importlib_metadata(tmp_path, monkeypatch,
                                                                   entry_points, declares):
    site = tmp_path / "site"
    fake_distribution(site, "fake_plugin", entry_points)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if not p.endswith(".zip")] + [str(site)])
    assert may_declare_plugins() is declares


def test_a_zip_on_the_path_leaves_the_answer_to_importlib_metadata(tmp_path, monkeypatch):
    archive = tmp_path / "lib.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    monkeypatch.setattr(sys, "path", [*sys.path, str(archive)])
    assert may_declare_plugins() is True


@pytest.mark.parametrize("name", ["PyYAML", "pyyaml", "pluggy", "numpy", "typing-extensions",
                                  "no-such-distribution"])
def test_installed_versions_are_importlib_metadata_s(name):
    from importlib.metadata import PackageNotFoundError, version
    try:
        expected = version(name)
    except PackageNotFoundError:
        expected = None
    assert installed_version(name) == expected


def test_a_check_imports_what_it_runs_and_no_more(tmp_path):
    (tmp_path / "a.md").write_text("# Title\n\nSome text of the article.\n")
    code = ("import sys\nfrom newslint.cli.main import main\n"
            f"main(['check', {str(tmp_path / 'a.md')!r}, '--no-cache', '-o', '/dev/null'])\n"
            "print(' '.join(sorted(sys.modules)))")
    env = {**os.environ, "NEWSLINT_LOAD_PLUGINS": "1"}
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                env=env, check=True).stdout.split())
    assert "newslint.cli.check" in loaded and "newslint.checks.dates" in loaded
    unused = {"newslint.cli.report", "newslint.cli.spark", "newslint.cli.index",
              "newslint.cli.show", "newslint.cli.dedup", "newslint.cli.rules", "newslint.cli.stdin",
              "newslint.run.fixer", "newslint.run.baseline", "newslint.run.annotate",
              "newslint.formatters.html", "newslint.loaders.html",
              "importlib.metadata"}  # no third-party plugin installed: not needed
    assert not unused & loaded
