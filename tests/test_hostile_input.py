"""Property-based tests: whatever bytes a stranger commits or a scraper
fetches, every loader and every rule turn them into findings or clear input
errors. Nothing raises out of the engine, nothing hangs, no rule or loader
reports an internal error, and every finding points at a line of the file.

Each property feeds its inputs to every registered loader (txt, md, html,
json, jsonl, ...) with every rule selected, off-by-default ones included.
"""
from __future__ import annotations

import json
import os
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from newslint.config import Settings
from newslint.run.engine import Engine
from newslint.model import SEVERITIES, Finding, InputError

#: examples hypothesis tries per property (the README's Reliability section quotes these)
EXAMPLES_PER_PROPERTY = 100
EXAMPLES_PER_RUN_PROPERTY = 30
#: seconds one example may take across all loaders before it counts as a hang
HANG_SECONDS = 10

PROPERTY = settings(max_examples=EXAMPLES_PER_PROPERTY, deadline=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
INTERNAL = ("internal error", "please report it")


class Hang(BaseException):
    """Raised by the wall-clock guard; a BaseException so that the engine's
    `except Exception` safety nets cannot swallow it."""


@contextmanager
def time_limit(seconds: float):
    def expire(signum, frame):
        raise Hang(f"no result after {seconds}s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def engine():
    return Engine(Settings(select=["ALL"], extend_select=["ALL"], cache=False))


def max_line(data: bytes) -> int:
    """The most lines any reading of `data` can have (\\n, \\r\\n or \\r ends)."""
    return data.count(b"\n") + data.count(b"\r") + 1


def assert_sound(findings: list[Finding], errors: list[InputError], lines: int | None) -> None:
    """Errors and findings are well formed; findings point at one of the first
    `lines` lines (every line of its own file when `lines` is None)."""
    for error in errors:
        assert isinstance(error, InputError) and error.message.strip()
        assert not any(word in error.message for word in INTERNAL), error
    for f in findings:
        assert isinstance(f, Finding) and f.severity in SEVERITIES and f.message.strip()
        assert not any(word in f.message for word in INTERNAL), f
        limit = lines if lines is not None else max_line(Path(f.path).read_bytes())
        assert 1 <= f.line <= limit and f.column >= 1, f


def check_everywhere(engine: Engine, data: bytes) -> None:
    """`data` through every loader with every rule; all must come back sound."""
    notices = len(engine.notices)
    with time_limit(HANG_SECONDS):
        for name, loader in sorted(engine.registry.loaders.items()):
            result = engine.process_bytes(f"hostile{loader.extensions[0]}", data, fmt=name)
            findings = [f for article in result.articles for f in article.findings]
            event(f"{name}: {'articles' if result.articles else 'input error only'}")
            assert_sound(findings, result.errors, max_line(data))
    assert engine.notices[notices:] == []


def test_every_format_has_a_loader(engine):
    assert {"txt", "md", "html", "json", "jsonl"} <= set(engine.registry.loaders)
    assert len(engine.rules) == len(engine.registry.rules)  # ALL really is all


# -- arbitrary input ---------------------------------------------------------------
@PROPERTY
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes(engine, data):
    check_everywhere(engine, data)


@PROPERTY
@given(text=st.text(max_size=3000))
def test_arbitrary_unicode(engine, text):
    check_everywhere(engine, text.encode("utf-8"))


LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\x0b", "\x0c", "\x85"])
WORDS = st.sampled_from(["The", "council", "said", "on", "Tuesday", "Reuters", "By", "Jane",
                         "Roe", "2024-03-01", "Click", "here", "Subscribe", "Advertisement",
                         "Read", "more:", "\u00e9t\u00e9", "\u4e2d\u6587", "\u0645\u0631\u062d\u0628\u0627",
                         "\U0001f600", "\u200b", "\ufeff", "\x00", "\x1b[31m", "%", "::error::", "{line}",
                         "newslint: disable=ALL", "newslint: disable=NL1", "<!--", "-->", "#", "---"])


@PROPERTY
@given(parts=st.lists(st.one_of(WORDS, LINE_ENDS, st.just(" ")), max_size=400))
def test_article_like_text(engine, parts):
    check_everywhere(engine, "".join(parts).encode("utf-8"))


@PROPERTY
@given(text=st.text(max_size=1500), encoding=st.sampled_from(["cp1252", "latin-1", "utf-16",
                                                               "utf-8-sig", "utf-32"]))
def test_other_encodings(engine, text, encoding):
    check_everywhere(engine, text.encode(encoding, "replace"))


# -- HTML-ish ----------------------------------------------------------------------
TAGS = ["html", "head", "body", "article", "main", "div", "section", "p", "span", "h1", "h2",
        "h3", "li", "ul", "blockquote", "script", "style", "nav", "footer", "aside", "table",
        "td", "tr", "time", "a", "br", "meta", "title", "template", "svg", "iframe", "pre"]
ATTRS = ["class", "id", "itemprop", "property", "name", "content", "datetime", "charset",
         "href", "type", "http-equiv", "lang"]
ATTR = st.builds(lambda k, q, v: f" {k}={q}{v}{q}", st.sampled_from(ATTRS),
                 st.sampled_from(['"', "'", ""]), st.text(max_size=20))
HTML_TOKEN = st.one_of(
    st.builds(lambda t, a, close: f"<{t}{''.join(a)}{'/' if close else ''}>",
              st.sampled_from(TAGS), st.lists(ATTR, max_size=3), st.booleans()),
    st.builds(lambda t: f"</{t}>", st.sampled_from(TAGS)),
    st.text(max_size=40), WORDS,
    st.builds(lambda t: f"<!--{t}-->", st.text(max_size=30)),
    st.sampled_from([
        "<!-- newslint: disable=NL101 -->", "<![CDATA[x]]>", "&amp;", "&#0;", "&#x110000;",
        "&#99999999999;", "&nbsp;", "&bogus;", "<!DOCTYPE html>", "<?xml version='1.0'?>",
        '<meta charset="utf-16">', '<meta charset="rot13">', '<meta charset="unicode_escape">',
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": ',
        '"2024-02-30", "author": [{"name": null}, 7]}</script>',
        '<script type="application/ld+json">[[[[[[[[[[[[[[[[[[[[[[</script>',
        '<meta property="article:published_time" content="">', "<", ">", "</", "<p", "=\"",
        '<time datetime="9999-99-99">', "<div><div><div><div><div>",
    ]))


@PROPERTY
@given(tokens=st.lists(HTML_TOKEN, max_size=80))
def test_html_like_text(engine, tokens):
    check_everywhere(engine, "".join(tokens).encode("utf-8"))


# -- JSON / JSON Lines-ish ---------------------------------------------------------------
KEYS = st.sampled_from(["text", "content", "body", "title", "headline", "date", "published",
                        "author", "authors", "byline", "url", "source", "site", "language",
                        "id", "newslint_disable", "name", ""]) | st.text(max_size=8)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=60) | WORDS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=12)
PROSE = st.lists(st.one_of(WORDS, LINE_ENDS, st.just(" ")), max_size=120).map("".join)
RECORD = st.one_of(
    st.dictionaries(KEYS, JSON_VALUE | PROSE, max_size=8),
    st.fixed_dictionaries({"text": PROSE}, optional={
        "title": PROSE | JSON_VALUE, "date": WORDS | JSON_VALUE, "authors": JSON_VALUE,
        "url": st.text(max_size=30), "source": JSON_VALUE, "newslint_disable": JSON_VALUE}))


def damaged(line: str, cut: int, mode: str) -> str:
    if mode == "truncate":
        return line[:cut % (len(line) + 1)]
    if mode == "garbage":
        return line[:cut % (len(line) + 1)] + "}{,\x00\"\\u12"
    return line


@PROPERTY
@given(records=st.lists(st.tuples(RECORD, st.integers(0, 500),
                                  st.sampled_from(["keep"] * 8 + ["truncate", "garbage"])),
                        max_size=12),
       as_list=st.booleans())
def test_json_like_text(engine, records, as_list):
    lines = [damaged(json.dumps(r, ensure_ascii=False), cut, mode) for r, cut, mode in records]
    text = ("[" + ",\n".join(lines) + "]") if as_list else "\n".join(lines)
    check_everywhere(engine, text.encode("utf-8"))


# -- Markdown with front matter -----------------------------------------------------------
YAML_VALUE = st.one_of(st.text(max_size=30), WORDS, st.sampled_from([
    "2024-03-01", "2024-02-30", "2024-03-01T25:61:00", "~", "null", "{", "[", "'", '"', ": :",
    "&a [1, 2]", "*a", "*missing", "<<: *a", "!!python/object/apply:os.system ['true']",
    "!!binary aGVsbG8=", "!!timestamp 2001-12-14", "!!set {a, b}", "!!omap [a: 1]", "1e400",
    "0x1F", "-.inf", ".nan", "|", ">", "? complex", "[[[[[[[[[[[[[[[[[[[[", "{a: {b: {c: ",
    "[NL101, boilerplate]", "{disable: [NL001, 7, null]}", "- a\n- b", "\t", "%YAML 1.1"]))
YAML_LINE = st.builds(lambda indent, k, v: f"{indent}{k}: {v}", st.sampled_from(["", "  ", "- "]),
                      st.sampled_from(["title", "date", "author", "authors", "source", "url",
                                       "lang", "newslint", "newslint-disable", "tags", "&a k",
                                       "*a", "? x"]) | st.text(max_size=6), YAML_VALUE)
MD_LINE = st.one_of(WORDS, st.text(max_size=40), st.sampled_from([
    "# Title", "## Sub", "```", "~~~", "***", "---", "===", "<!-- newslint: disable=NL301 -->",
    "<!--", "-->", "> quote", "* item", "1. item", "    code", "[link](http://x)", ""]))


FRONT_KEYS = st.sampled_from(["title", "date", "published", "author", "authors", "source",
                              "url", "lang", "newslint", "newslint-disable", "tags"])
PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), max_size=40)
YAML_DATA = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | PRINTABLE | st.dates() | st.datetimes(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(FRONT_KEYS | PRINTABLE, inner,
                                                                max_size=4), max_leaves=10)
VALID_FRONT = st.dictionaries(FRONT_KEYS | PRINTABLE, YAML_DATA, max_size=8).map(
    lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
HOSTILE_FRONT = st.lists(YAML_LINE, max_size=12).map("\n".join)


@PROPERTY
@given(front=st.one_of(VALID_FRONT, HOSTILE_FRONT,
                       st.tuples(VALID_FRONT, HOSTILE_FRONT).map("\n".join)),
       closed=st.sampled_from([True] * 4 + [False]), body=st.lists(MD_LINE, max_size=30))
def test_markdown_front_matter(engine, front, closed, body):
    body = ["The council met on Tuesday, officials said."] + body
    text = "---\n" + front + ("\n---\n" if closed else "\n") + "\n".join(body)
    check_everywhere(engine, text.encode("utf-8"))


# -- whole runs: corpus rules see the lot ------------------------------------------------------
FILE = st.tuples(st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl"]),
                 st.one_of(st.binary(max_size=400),
                           st.lists(st.one_of(WORDS, LINE_ENDS, HTML_TOKEN), max_size=60)
                           .map(lambda parts: "".join(parts).encode("utf-8"))))


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("hostile-runs")


@settings(max_examples=EXAMPLES_PER_RUN_PROPERTY, deadline=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=st.lists(FILE, min_size=1, max_size=6))
def test_engine_run_over_a_hostile_folder(engine, run_folder, files):
    folder = Path(tempfile.mkdtemp(dir=run_folder))
    for i, (ext, data) in enumerate(files):
        (folder / f"f{i}{ext}").write_bytes(data)
        (folder / f"copy{i}{ext}").write_bytes(data)  # duplicates feed the corpus rules
    notices = len(engine.notices)
    with time_limit(HANG_SECONDS):
        result = engine.run([str(folder)])
    assert result.files == 2 * len(files)
    assert_sound(result.findings, result.errors, None)
    assert engine.notices[notices:] == []
    assert {os.path.basename(e.path) for e in result.errors} <= {p.name for p in folder.iterdir()}
