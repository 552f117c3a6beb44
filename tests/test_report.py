"""`newslint report` and `check --format html` without a browser: the page is
self-contained, its data block holds the hostile text exactly and cannot be
broken out of, and the numbers are the run's (tests/test_report_browser.py
opens the page in Chromium)."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest
from report_corpus import EVIL_NAME, IMG, JS_URL, SCRIPT_CLOSE, make_corpus

from newslint.cli.main import main
from newslint.formatters.html import script_json
from newslint.formatters.report_data import build
from newslint.model import Article, Block, Edit, Finding, Fix, Metadata
from newslint.results import RunResult, quality_score

DATA_BLOCK = re.compile(r'<script type="application/json" id="report-(?:data|texts)">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = make_corpus(tmp_path_factory.mktemp("corpus"))
    out = tmp_path_factory.mktemp("out") / "report.html"
    code = main(["report", str(folder), "-o", str(out), "--no-cache", "--no-progress"])
    return code, out.read_text(encoding="utf-8"), folder


def page_data(page: str) -> dict:
    data, texts = (json.loads(block) for block in DATA_BLOCK.findall(page))
    return {**data, "texts": texts}


#: every element the report's own markup uses
PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "a", "header", "h1", "nav", "ul",
             "li", "main", "section", "h2", "dl", "div", "dt", "dd", "span", "figure", "h3", "svg",
             "defs", "pattern", "rect", "line", "g", "text", "figcaption", "details", "summary",
             "table", "thead", "tr", "th", "tbody", "td", "noscript", "p", "form", "label", "kbd",
             "input", "select", "option", "caption", "button", "del", "ins", "footer", "script",
             "polyline", "title", "code"}


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, attrs))


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, dict)):
        for item in value.values() if isinstance(value, dict) else value:
            yield from strings(item)


def test_report_exits_like_check_and_writes_one_self_contained_page(report):
    code, page, _ = report
    assert code == 1
    assert page.startswith("<!DOCTYPE html>")
    assert re.findall(r"<script\b[^>]*>", page) == [
        '<script type="application/json" id="report-data">',
        '<script type="application/json" id="report-texts">', "<script>"]
    assert page.count("</script>") == 3
    assert not re.search(r"""\s(?:src|href)\s*=\s*["']?(?:https?:|//)""", page)   # nothing fetched
    assert "<link" not in page and "@import" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src &#x27;none&#x27;" in csp


def test_the_policy_allows_exactly_the_inline_script_and_style(report):
    _, page, _ = report
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', page).group(1).replace("&#x27;", "'")
    script = re.search(r"<script>(.*)</script>\s*</body>", page, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    for text, directive in ((script, "script-src"), (style, "style-src")):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in csp


def test_hostile_text_is_data_never_markup(report):
    _, page, _ = report
    for raw in DATA_BLOCK.findall(page):
        assert "<" not in raw and ">" not in raw and "&" not in raw
    texts = "\n".join(strings(page_data(page)))
    for payload in (SCRIPT_CLOSE, IMG, JS_URL, EVIL_NAME):
        assert payload in texts                       # shown to the reader, exactly
    tags = Tags()
    tags.feed(page)
    assert {t for t, _ in tags.seen} <= PAGE_TAGS     # no <img>, <svg onload>, ... from articles
    attributes = {name for _, attrs in tags.seen for name, _ in attrs}
    assert not {a for a in attributes if a.startswith("on")}
    assert {v for _, attrs in tags.seen for n, v in attrs if n == "href"} == {
        "#summary", "#charts", "#findings", "#clusters"}


def test_the_summary_and_tables_are_the_runs(report):
    code, page, folder = report
    data = page_data(page)
    out = folder.parent / "check.json"
    main(["check", str(folder), "--format", "json", "-o", str(out), "--no-cache", "--no-progress"])
    checked = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["findings"]) == checked["summary"]["findings"] > 20
    assert f'<span class="big">{checked["summary"]["articles"]:,}</span>' in page
    rules = {(r[0], r[1]) for r in data["rules"]}
    assert rules == {(f["code"], f["rule"]) for f in checked["findings"]}
    hostile = [c for c in data["clusters"] if "hostile" in data["articles"][c[0]][0]]
    assert len(data["clusters"]) == 2 and len(hostile) == 1 and len(hostile[0][1]) == 2
    for cluster in data["clusters"]:            # every member's text is embedded for the diff
        for index in [cluster[0], *(copy[0] for copy in cluster[1])]:
            assert data["texts"][index]["blocks"]
    assert "<dt>Duplicates dropped</dt><dd><span class=\"big\">4</span>" in page   # 2 of 3, twice


def test_check_format_html_and_a_clean_exit(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text("Harbour quay opens\n\nBy Ann Reed, The Gazette\n\nPublished "
                                  "3 March 2024\n\nThe new quay opened on Sunday with a short "
                                  "ceremony attended by the harbour board and the mayor of the town.\n",
                                  encoding="utf-8")
    out = tmp_path / "r.html"
    code = main(["check", str(folder), "--format", "html", "-o", str(out), "--no-cache",
                 "--no-progress", "--select", "NL101"])
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert page_data(page)["findings"] == [] and "newslint report" in page


def test_an_unwritable_report_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Title\n\nSome text here.\n", encoding="utf-8")
    code = main(["report", str(tmp_path), "-o", str(tmp_path / "no" / "such" / "r.html"),
                 "--no-cache", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "cannot write" in err and "Traceback" not in err


def test_script_json_escapes_what_could_end_the_element():
    text = script_json({"a": "</script><!--<script>&\u2028\u2029"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"a": "</script><!--<script>&\u2028\u2029"}


def _article(record: bool = False) -> Article:
    source = "First para.\n\nSecond para here.\n\nThird."
    blocks = (Block("First para.", 3, 3, 0, 11), Block("Second para here.", 5, 5, 13, 30),
              Block("Third.", 7, 7, 32, 38))
    return Article(id="f.jsonl:4" if record else "f.txt", path="f.jsonl" if record else "f.txt",
                   format="jsonl" if record else "txt", title="T", title_line=None if record else 1,
                   blocks=blocks, source=source, line_offset=0 if record else 2,
                   record=4 if record else None, record_line=4 if record else None)


def _finding(line: int, code="NL503", severity="warning", article=None, fix=None,
             columns=(1, 1)) -> Finding:
    return Finding(path="f.jsonl" if article else "f.txt", line=line, column=columns[0],
                   end_line=line, end_column=columns[1], code=code, rule="damage-x",
                   severity=severity, message="m", fix=fix, article=article)


def test_highlights_follow_lines_and_in_records_the_fix_offsets():
    plain = _article()
    result = RunResult(findings=[_finding(5), _finding(1, "NL507"), _finding(5, columns=(8, 12))],
                       articles=1, metadata={"f.txt": Metadata(date="2024-03-05")})
    data = build(result, {"articles": {"f.txt": plain}})["data"]
    assert [f[6] for f in data["findings"]] == [[1], [-1], [1]]
    assert len(data["findings"][0]) == 7                      # the whole line: no span
    block, start, end = data["findings"][2][7]                # columns 8-12 of line 5
    assert plain.blocks[block].text[start:end] == "para"
    record = _article(record=True)
    fix = Fix((Edit(14, 20, ""),), "remove")
    result = RunResult(findings=[_finding(4, article="f.jsonl:4", fix=fix),
                                 _finding(4, "NL301", article="f.jsonl:4")], articles=1)
    data = build(result, {"articles": {"f.jsonl:4": record}})["data"]
    assert [f[6] for f in data["findings"]] == [[1], []]
    assert data["findings"][0][7] == [1, 1, 7]                # the fix's characters


def test_scores_and_dates_in_the_report_are_the_librarys():
    findings = [_finding(3, "NL101", "error"), _finding(5), _finding(7, "NL403", "info")]
    meta = {"f.txt": Metadata(date="2024-03-05"), "g.txt": Metadata(), "h.txt": Metadata(date="soon"),
            "i.txt": Metadata(date="2024-01-20")}
    built = build(RunResult(findings=findings, articles=4, metadata=meta))
    assert built["data"]["articles"][0][5] == quality_score(findings) == 70
    assert dict(built["charts"]["scores"])["70-79"] == 1 and dict(built["charts"]["scores"])["100"] == 3
    timeline = built["charts"]["timeline"]
    assert timeline["series"] == [("2024-01", 1, 100.0), ("2024-02", 0, None), ("2024-03", 1, 70.0)]
    assert (timeline["missing"], timeline["unreadable"]) == (1, 1)


def test_a_long_article_keeps_the_context_of_its_findings():
    from newslint.formatters import report_data
    blocks = tuple(Block("x" * 1000, 2 * i + 1, 2 * i + 1) for i in range(200))
    article = Article(id="f.txt", path="f.txt", format="txt", title=None, title_line=None, blocks=blocks)
    result = RunResult(findings=[_finding(201)], articles=1)
    text = build(result, {"articles": {"f.txt": article}})["data"]["texts"][0]
    kept = [i for i, b in enumerate(text["blocks"]) if b is not None]
    assert kept == list(range(100 - report_data.CUT_CONTEXT, 101 + report_data.CUT_CONTEXT))
    assert text["cut"] == 200 - len(kept)


def test_a_report_written_into_the_checked_folder_is_not_checked_next_time(tmp_path):
    (tmp_path / "a.txt").write_text("Harbour quay opens\n\nShare this article\n\nThe new quay "
                                    "opened on Sunday with a short ceremony.\n", encoding="utf-8")
    out = tmp_path / "site" / "report[1].html"
    out.parent.mkdir()
    for _ in range(2):
        assert main(["report", str(tmp_path), "-o", str(out), "--no-cache", "--no-progress"]) == 1
    data = page_data(out.read_text(encoding="utf-8"))
    assert {row[0] for row in data["articles"]} == {str(tmp_path / "a.txt")}
    assert '<span class="big">1</span><span class="detail">in 1 file' in out.read_text(encoding="utf-8")
