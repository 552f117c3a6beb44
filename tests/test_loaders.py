"""Loaders: Markdown, HTML, JSON and JSON Lines (and their registration).

Line numbers and offsets are checked on small inline fixtures; metadata and
block lines of real pages on the newspaper4k corpus when it is present.
"""
from __future__ import annotations

import html as html_lib
import json
import re
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newslint.loaders import newslint_register_loaders
from newslint.loaders.html import MAX_DEPTH, defuse_markup, load_html
from newslint.loaders.plaintext import load_text
from newslint.loaders.markdown import MAX_ALIASES, load_markdown
from newslint.loaders.records import article_from_record, load_json, load_jsonl
from newslint.model import Article, LoadError

NEWSPAPER4K = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "newspaper4k"

LOADERS = {".md": load_markdown, ".html": load_html, ".json": load_json, ".jsonl": load_jsonl}


def load(tmp_path: Path, name: str, content: str | bytes, settings_=None) -> list:
    """Write `content` to tmp_path/name and run the loader for its extension."""
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    loader = LOADERS[path.suffix]
    return list(loader(str(path), path.read_bytes(), settings_))


def load_one(tmp_path: Path, name: str, content: str | bytes) -> Article:
    items = load(tmp_path, name, content)
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def assert_offsets(article: Article) -> None:
    for block in article.blocks:
        assert article.source[block.start:block.end] == block.text
        assert block.end_line >= block.line


def file_line(text: str, number: int) -> str:
    return text.split("\n")[number - 1]


# -- registration ----------------------------------------------------------------------
def test_every_format_is_registered():
    found = {}
    newslint_register_loaders(register=lambda name, exts, load: found.update({name: (exts, load)}))
    assert set(found) >= {"txt", "md", "html", "json", "jsonl"}
    assert found["md"][0] == (".md", ".markdown")
    assert found["html"][0] == (".html", ".htm")
    assert found["jsonl"][0] == (".jsonl", ".ndjson")
    assert found["json"][1] is load_json


# -- Markdown --------------------------------------------------------------------------
MARKDOWN = textwrap.dedent("""\
    ---
    title: "Storm hits the coast"
    date: 2024-03-01 08:30:00
    authors: [Ann Lee, {name: Bo Chen}]
    outlet: Coast Times
    url: https://example.com/storm
    lang: en
    newslint:
      disable: [NL101, boilerplate-nav]
    newslint-disable: "NL201,NL202"
    ---
    # Storm hits the coast

    The storm reached the coast on Friday
    and cut power to thousands.

    <!-- newslint: disable=NL301,repeated-line -->
    Crews worked through the night.

    ```python
    print("not prose")
    ```

    ## What comes next
    Forecasters expect calm weather.
    """)


def test_markdown_front_matter_metadata_and_lines(tmp_path):
    article = load_one(tmp_path, "a.md", MARKDOWN)
    assert article.format == "md" and article.id.endswith("a.md")
    assert article.title == "Storm hits the coast" and article.title_line == 2
    assert article.meta.date == "2024-03-01T08:30:00"
    assert article.meta.date_source == "front-matter"
    assert article.meta.authors == ("Ann Lee", "Bo Chen")
    assert (article.meta.outlet, article.meta.url, article.meta.language) == (
        "Coast Times", "https://example.com/storm", "en")
    assert article.extra["front_matter"]["date"] == "2024-03-01T08:30:00"
    assert article.source == MARKDOWN and article.extra["newline"] == "\n"
    assert article.source[article.body_start:].startswith("# Storm hits the coast")
    assert_offsets(article)
    got = [(b.kind, b.line, b.end_line, b.text.split("\n")[0]) for b in article.blocks]
    assert got == [
        ("heading", 12, 12, "# Storm hits the coast"),  # front-matter title: H1 stays a block
        ("paragraph", 14, 15, "The storm reached the coast on Friday"),
        ("paragraph", 18, 18, "Crews worked through the night."),
        ("heading", 24, 24, "## What comes next"),
        ("paragraph", 25, 25, "Forecasters expect calm weather."),
    ]
    for block in article.blocks:
        assert file_line(MARKDOWN, block.line).startswith(block.text.split("\n")[0])


def test_markdown_suppressions_of_every_form(tmp_path):
    article = load_one(tmp_path, "a.md", MARKDOWN)
    found = {(s.selectors, s.line) for s in article.suppressions}
    assert found == {(("NL101", "boilerplate-nav"), 8), (("NL201", "NL202"), 10),
                     (("NL301", "repeated-line"), 17)}
    assert not any("newslint" in b.text for b in article.blocks)
    flat_list = load_one(tmp_path, "b.md", "---\nnewslint-disable: [NL1, NL2]\n---\nText.\n")
    assert flat_list.suppressions[0].selectors == ("NL1", "NL2")
    assert flat_list.suppressions[0].line == 2


def test_markdown_title_from_first_h1_is_removed_from_body(tmp_path):
    text = "Intro line before.\n\n# The Title #\n\nBody text here.\n"
    article = load_one(tmp_path, "a.md", text)
    assert (article.title, article.title_line) == ("The Title", 3)
    assert [b.text for b in article.blocks] == ["Intro line before.", "Body text here."]
    assert [b.line for b in article.blocks] == [1, 5]


def test_markdown_title_falls_back_to_first_line(tmp_path):
    article = load_one(tmp_path, "a.md", "Plain title\n\nFirst paragraph.\n\nSecond.\n")
    assert (article.title, article.title_line) == ("Plain title", 1)
    assert [(b.text, b.line) for b in article.blocks] == [("First paragraph.", 3), ("Second.", 5)]
    assert_offsets(article)


def test_markdown_crlf_and_setext_heading(tmp_path):
    raw = "---\r\ntitle: T\r\n---\r\nSection\r\n-------\r\nText after.\r\n"
    article = load_one(tmp_path, "a.md", raw)
    assert article.extra["newline"] == "\r\n"
    assert [(b.kind, b.text, b.line) for b in article.blocks] == [
        ("heading", "Section", 4), ("paragraph", "Text after.", 6)]
    assert_offsets(article)


def test_markdown_alias_bomb_is_refused_with_its_line(tmp_path):
    aliases = " ".join(["*a"] * (MAX_ALIASES + 1))
    text = f"---\ntitle: x\nbase: &a [1, 2]\nlots: [{aliases.replace(' ', ', ')}]\n---\nBody.\n"
    with pytest.raises(LoadError) as err:
        load(tmp_path, "a.md", text)
    assert err.value.line == 4 and "aliases" in err.value.message and "line 4" in err.value.message


def test_markdown_billion_laughs_under_the_alias_limit_is_refused(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]")
    text = "---\n" + "\n".join(lines) + "\n---\nBody text.\n"
    with pytest.raises(LoadError) as err:
        load(tmp_path, "a.md", text)
    assert "refusing" in err.value.message


def test_markdown_self_referencing_yaml_does_not_hang(tmp_path):
    article = load_one(tmp_path, "a.md", "---\nloop: &l [1, *l]\ntitle: T\n---\nBody.\n")
    assert article.title == "T"
    assert article.extra["front_matter"]["loop"] == [1, "<recursive>"]


@pytest.mark.parametrize("front, line, words", [
    ("title: [unclosed\n", 3, "invalid YAML"),
    ("- just\n- a list\n", 2, "mapping"),
    ("obj: !!python/object/apply:os.system ['echo hi']\n", 2, "invalid YAML"),
    ("x: " + "y" * (65 * 1024) + "\n", 2, "KiB"),
    ("a: " + "[" * 30000 + "\n", 2, "nested"),
], ids=["syntax", "not-mapping", "python-tag", "too-large", "too-deep"])
def test_markdown_bad_front_matter_is_a_load_error(tmp_path, front, line, words):
    with pytest.raises(LoadError) as err:
        load(tmp_path, "a.md", f"---\n{front}---\nBody.\n")
    assert err.value.line == line and words in err.value.message


def test_markdown_impossible_date_stays_a_string(tmp_path):
    article = load_one(tmp_path, "a.md", "---\ndate: 2024-13-45\npublished: 2024-02-03\n---\nBody.\n")
    assert article.meta.date == "2024-13-45"
    assert article.extra["front_matter"]["published"] == "2024-02-03"


def test_markdown_control_character_in_front_matter(tmp_path):
    with pytest.raises(LoadError) as err:
        load(tmp_path, "a.md", "---\ntitle: a\nauthor: b\x1f\n---\nBody.\n")
    assert err.value.line == 3 and "U+001F" in err.value.message


@settings(max_examples=300, deadline=None)
@given(front=st.text(max_size=120), body=st.text(max_size=120))
def test_markdown_any_front_matter_is_an_article_or_a_load_error(front, body):
    data = f"---\n{front}\n---\n{body}".encode("utf-8", "surrogatepass")
    try:
        assert_offsets(next(load_markdown("fuzz.md", data)))
    except LoadError as err:
        assert err.message


def test_markdown_unclosed_front_matter_and_empty_body(tmp_path):
    with pytest.raises(LoadError, match="never closed"):
        load(tmp_path, "a.md", "---\ntitle: x\nBody.\n")
    with pytest.raises(LoadError, match="empty file"):
        load(tmp_path, "b.md", "---\ntitle: x\n---\n  \n\n")


# -- HTML --------------------------------------------------------------------------------
PAGE = textwrap.dedent("""\
    <!DOCTYPE html>
    <html lang="de">
    <head>
      <title>Fallback title</title>
      <meta property="og:title" content="Flood in the valley">
      <meta property="OG:site_name" content="Valley News">
      <meta name="author" content="By Jo Park and Lee Kim">
      <link rel="canonical" href="https://example.com/flood">
      <script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-05-02"}</script>
      <meta property="article:published_time" content="2024-05-01T10:00:00Z">
    </head>
    <body>
      <nav><p>Home | World | Sport</p></nav>
      <article>
        <h1>Flood in the valley</h1>
        <p>The river rose
           overnight.</p>
        <h2>Damage</h2>
        <!-- newslint: disable=NL101, boilerplate-nav -->
        <p>Roads were <b>closed</b> and
           <a href="/x">schools</a> shut.</p>
        <ul><li>Item one</li>
        <li>Item two</li></ul>
        <blockquote>We will rebuild.</blockquote>
        <script>var notText = 1;</script>
        <p
           class="late">Tag spanning lines.</p>
      </article>
      <footer><p>Copyright</p></footer>
    </body>
    </html>
    """)


def test_html_blocks_have_file_lines(tmp_path):
    article = load_one(tmp_path, "p.html", PAGE)
    assert article.source is None and article.format == "html"
    got = [(b.kind, b.text, b.line, b.end_line) for b in article.blocks]
    assert got == [
        ("paragraph", "The river rose overnight.", 16, 17),
        ("heading", "Damage", 18, 18),
        ("paragraph", "Roads were closed and schools shut.", 20, 21),
        ("paragraph", "Item one", 22, 22),
        ("paragraph", "Item two", 23, 23),
        ("paragraph", "We will rebuild.", 24, 24),
        ("paragraph", "Tag spanning lines.", 27, 27),
    ]
    assert all(b.start is None and b.end is None for b in article.blocks)


def test_html_metadata_and_suppression(tmp_path):
    article = load_one(tmp_path, "p.html", PAGE)
    assert (article.title, article.title_line) == ("Flood in the valley", 5)
    assert (article.meta.date, article.meta.date_source) == ("2024-05-01", "meta")
    assert article.meta.authors == ("Jo Park", "Lee Kim")
    assert article.meta.outlet == "Valley News"
    assert article.meta.url == "https://example.com/flood"
    assert article.meta.language == "de"
    assert [(s.selectors, s.line) for s in article.suppressions] == [
        (("NL101", "boilerplate-nav"), 19)]


def test_html_date_and_author_fallbacks(tmp_path):
    jsonld = textwrap.dedent("""\
        <html><head><script type="application/ld+json">{broken</script>
        <script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "S"},
          {"@type": "NewsArticle", "datePublished": "2023-02-03T04:05:06Z",
           "author": [{"@type": "Person", "name": "Ada One"}, "Bob Two"],
           "publisher": {"name": "Graph Times"}}]}</script></head>
        <body><p>Some article text that is long enough.</p></body></html>""")
    article = load_one(tmp_path, "j.html", jsonld)
    assert (article.meta.date, article.meta.date_source) == ("2023-02-03", "json-ld")
    assert article.meta.authors == ("Ada One", "Bob Two")
    assert article.meta.outlet == "Graph Times"

    markup = textwrap.dedent("""\
        <html><body><time datetime="2020-01-01">old</time>
        <article><span class="byline">By Cy Three</span>
        <time itemprop="datePublished" datetime="2022-07-08">July 8</time>
        <p>Article text.</p></article>
        <div class="comments"><span class="author">Troll</span></div></body></html>""")
    article = load_one(tmp_path, "m.html", markup)
    assert (article.meta.date, article.meta.date_source) == ("2022-07-08", "time")
    assert article.meta.authors == ("Cy Three",)

    profile = '<meta property="article:author" content="https://facebook.com/someone"><p>Text.</p>'
    assert load_one(tmp_path, "u.html", profile).meta.authors == ("https://facebook.com/someone",)


def test_html_unclosed_paragraphs_are_separate_blocks(tmp_path):
    page = ("<html><body><div class='story'>\n<p>First <b>para</b>\n<p>Second para\n"
            "<p>Third para\n</div><div>Related: nothing</div></body></html>")
    article = load_one(tmp_path, "u.html", page)
    assert [(b.text, b.line) for b in article.blocks] == [
        ("First para", 2), ("Second para", 3), ("Third para", 4)]


def test_html_text_straight_in_divs_split_at_br(tmp_path):
    long = "This sentence is long enough to count as a paragraph of its own. " * 2
    page = (f"<html><body><div class='body'>{long}<br><br>\n{long}<br>\nshort</div>"
            f"<div>Related: nothing</div></body></html>")
    article = load_one(tmp_path, "br.html", page)
    assert [(b.text, b.line) for b in article.blocks] == [(long.strip(), 1), (long.strip(), 2)]


def test_html_article_cut_into_sections_is_read_whole_without_comments(tmp_path):
    para = "The council voted to rebuild the harbour wall after years of argument, {}."
    part = lambda n: "<div class='text'>\n" + "".join(
        f"<p>{para.format(f'part {n} point {i}')}</p>\n" for i in range(3)) + "</div>\n"
    page = ("<html><body><div class='page'>\n<div class='story'>\n"
            f"<div class='section'>\n{part(1)}</div>\n<figure><img src='x.jpg'></figure>\n"
            f"<div class='section'>\n{part(2)}</div>\n<div class='section'>\n{part(3)}</div>\n"
            "</div>\n"
            "<div class='comments'>\n" + "".join(
                f"<div class='comment-body'><p>{para.format(f'a reader, comment {i}')}</p></div>\n"
                for i in range(6)) + "</div></div></body></html>")
    texts = [b.text for b in load_one(tmp_path, "s.html", page).blocks]
    assert texts == [para.format(f"part {n} point {i}") for n in (1, 2, 3) for i in range(3)]


@pytest.mark.parametrize("markup", [
    "<p>unclosed <b>bold <i>italic</p></div></span><p>next",
    "<![if !supportLists]><p>text</p><![endif]>",
    "<p>a < b > c &#xffffffff; &#0; &bogus;</p></p></html></html>",
    "<html><head><title>T</title></head><body><p>x<![CDATA[y]]></p><?php echo 1 ?>",
    "<table><tr><td><p>cell<td>cell2</table></p></tr>",
    "<p>" + "<span>" * 500 + "deep but fine",
    '<meta charset="utf-8"><p class=">">odd attr</p><div <p>broken tag',
    "<!-- unterminated comment <p>text",
    "<script type='application/ld+json'>" + "[" * 50000 + "</script><p>text</p>",
], ids=lambda m: re.sub(r"\W+", "_", m[:24]))
def test_malformed_html_never_raises_other_errors(tmp_path, markup):
    try:
        article = load_one(tmp_path, "bad.html", markup)
    except LoadError as err:
        assert err.message
    else:
        assert all(b.text for b in article.blocks)


def test_html_constructs_that_never_close_are_defused():
    text = "<p>a</p><!-- ok --><![if x]>y<![endif]><![foo[x]]><!-- open <b>c</b> <x"
    assert defuse_markup(text) == (
        "<p>a</p><!-- ok --><![if x]>y<![endif]>&lt;![foo[x]]>&lt;!-- open <b>c</b> &lt;x")
    assert defuse_markup(PAGE) == PAGE


@pytest.mark.parametrize("pattern", ["<!--", "<a b=\"", "<![CDATA[ >", "<!-- >", "<a\n", "<?x"])
def test_html_hostile_repetitions_load_in_linear_time(tmp_path, pattern):
    """Python's html.parser rescans to the end for each of these (quadratic);
    20,000 repetitions took minutes before `defuse_markup`."""
    try:
        load(tmp_path, "h.html", pattern * 20_000 + "<p>end</p>")
    except LoadError:
        pass


def test_html_nested_too_deeply_is_a_load_error(tmp_path):
    with pytest.raises(LoadError, match="nested too deeply"):
        load(tmp_path, "deep.html", "<div>" * (MAX_DEPTH + 500) + "<p>text</p>")


def test_html_declared_charset_is_used_when_not_utf8(tmp_path):
    raw = '<meta charset="gb2312"><title>标题</title><p>中文正文。</p>'.encode("gb2312")
    article = load_one(tmp_path, "zh.html", raw)
    assert article.title == "标题" and article.blocks[0].text == "中文正文。"
    assert "encoding_warning" not in article.extra


def test_html_without_text_is_a_load_error(tmp_path):
    with pytest.raises(LoadError, match="no text"):
        load(tmp_path, "e.html", '<html><head><meta http-equiv="refresh" content="0"></head></html>')


# -- JSON and JSON Lines -----------------------------------------------------------------
def test_jsonl_addressing_with_a_broken_line_in_the_middle(tmp_path):
    lines = [
        json.dumps({"title": "One", "text": "First para.\n\nSecond para.", "author": "A. One",
                    "date": "2024-01-02", "url": "https://e.com/1", "source": "E",
                    "lang": "en", "id": "r1", "newslint_disable": ["NL101", "dup"]}),
        "",
        '{"text": "broken',
        json.dumps([1, 2]),
        json.dumps({"headline": "No text"}),
        json.dumps({"content": "Last one.\r\nSame paragraph."}),
    ]
    items = load(tmp_path, "r.jsonl", "\n".join(lines) + "\n")
    assert [type(i).__name__ for i in items] == ["Article", "LoadError", "LoadError",
                                                  "LoadError", "Article"]
    first, last = items[0], items[4]
    assert first.id.endswith("r.jsonl:1") and (first.record, first.record_line) == (1, 1)
    assert first.format == "jsonl" and (first.title, first.title_line) == ("One", 1)
    assert first.meta.date == "2024-01-02" and first.meta.date_source == "field"
    assert first.meta.authors == ("A. One",) and first.meta.outlet == "E"
    assert first.meta.url == "https://e.com/1" and first.meta.language == "en"
    assert first.extra["record_id"] == "r1"
    assert [(s.selectors, s.line) for s in first.suppressions] == [(("NL101", "dup"), 1)]
    assert [(b.text, b.line) for b in first.blocks] == [("First para.", 1), ("Second para.", 1)]
    assert_offsets(first)
    assert last.id.endswith("r.jsonl:6") and last.record_line == 6
    assert last.source == "Last one.\nSame paragraph." and last.extra["newline"] == "\r\n"
    assert all(b.line == 6 for b in last.blocks)
    assert [(e.line, e.message.split(":")[0]) for e in items[1:4]] == [
        (3, "line 3"), (4, "line 4"), (5, "line 5")]
    assert "invalid JSON" in items[1].message and "no text field" in items[3].message


def test_json_list_addressing(tmp_path):
    text = ('[\n  {"text": "Zero."},\n  "not an object",\n\n  {\n    "body": "Two.",\n'
            '    "authors": ["X", {"name": "Y"}]\n  }\n]\n')
    items = load(tmp_path, "l.json", text)
    zero, error, two = items
    assert zero.id.endswith("l.json#0") and (zero.record, zero.record_line) == (0, 2)
    assert isinstance(error, LoadError) and error.line == 3 and error.message.startswith("line 3")
    assert two.id.endswith("l.json#2") and (two.record, two.record_line) == (2, 5)
    assert two.meta.authors == ("X", "Y") and two.format == "json"
    assert two.blocks[0].line == 5


def test_json_single_object_and_file_errors(tmp_path):
    single = load_one(tmp_path, "s.json", '\n{"text": "Alone.", "title": "T"}')
    assert single.record_line == 2 and single.record is not None and single.title == "T"
    with pytest.raises(LoadError) as err:
        load(tmp_path, "bad.json", '[\n {"text": "a"},\n {"text": \n]')
    assert err.value.line == 4 and "invalid JSON" in err.value.message
    with pytest.raises(LoadError, match="object or a list"):
        load(tmp_path, "num.json", "42")
    with pytest.raises(LoadError, match="no text field"):
        load(tmp_path, "none.json", '{"title": "only"}')
    with pytest.raises(LoadError, match="nested too deeply"):
        load(tmp_path, "deep.json", "[" * 100000)


def test_record_fields_from_settings(tmp_path):
    fields = SimpleNamespace(fields={"text": ["story"], "title": ["name"], "disable": ["skip"]})
    items = load(tmp_path, "f.jsonl", json.dumps({"story": "Custom.", "name": "N",
                                                  "skip": "NL1,NL2"}) + "\n", fields)
    article = items[0]
    assert article.text == "Custom." and article.title == "N"
    assert article.suppressions[0].selectors == ("NL1", "NL2")


def test_article_from_record_for_library_use():
    article = article_from_record({"text": "Line one.\n\nLine three."}, "<api>", None)
    assert article.id == "<api>" and article.record_line is None
    assert [b.line for b in article.blocks] == [1, 3]
    article = article_from_record({"text": "x"}, "in.jsonl", 7, {"text": ["text"]}, "jsonl")
    assert article.id == "in.jsonl:7" and article.blocks[0].line == 7
    with pytest.raises(LoadError):
        article_from_record(["no"], "in.jsonl", 1)
    with pytest.raises(LoadError, match="must be a string"):
        article_from_record({"text": 5}, "in.jsonl", 1)


# -- every loader: encodings, binary and empty files -----------------------------------
SAMPLES = {".md": "Titl\xe9\n\nCaf\xe9 text.\n", ".html": "<p>Caf\xe9 text.</p>",
           ".json": '{"text": "Caf\xe9 text."}', ".jsonl": '{"text": "Caf\xe9 text."}\n'}


@pytest.mark.parametrize("ext", sorted(LOADERS))
def test_non_utf8_bytes_fall_back_with_a_warning(tmp_path, ext):
    article = load_one(tmp_path, "enc" + ext, SAMPLES[ext].encode("cp1252"))
    assert "Café" in article.text + (article.title or "")
    assert "not valid UTF-8" in article.extra["encoding_warning"]


@pytest.mark.parametrize("ext", sorted(LOADERS))
@pytest.mark.parametrize("content", [b"", b"  \n\t\n", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"])
def test_binary_and_empty_files_are_load_errors(tmp_path, ext, content):
    with pytest.raises(LoadError):
        load(tmp_path, "x" + ext, content)


@pytest.mark.parametrize("ext", sorted(LOADERS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300),
                      st.text(alphabet="<>/!-=\"'{}[]:,#*&`~\n pa\u00e9\r", max_size=300)
                      .map(lambda s: s.encode("utf-8"))))
def test_loaders_only_yield_articles_or_load_errors(ext, data):
    loader = LOADERS[ext]
    try:
        for item in loader("fuzz" + ext, data, None):
            assert isinstance(item, (Article, LoadError))
            if isinstance(item, Article) and item.source is not None:
                assert_offsets(item)
    except LoadError:
        pass


# -- real pages (newspaper4k) -------------------------------------------------------------
def corpus_pages(with_metadata: bool = True) -> list[str]:
    if not NEWSPAPER4K.is_dir():
        return []
    names = sorted(p.stem for p in (NEWSPAPER4K / "html").glob("*.html"))
    return [n for n in names if not with_metadata or (NEWSPAPER4K / "metadata" / f"{n}.json").exists()]


def load_page(name: str) -> tuple[Article, str]:
    if not NEWSPAPER4K.is_dir():
        pytest.skip("newspaper4k corpus not available")
    path = NEWSPAPER4K / "html" / f"{name}.html"
    article = next(load_html(str(path), path.read_bytes()))
    text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    return article, text


def _visible(line: str) -> str:
    return "".join(html_lib.unescape(re.sub(r"<[^>]*>", "", line)).split())


@pytest.mark.parametrize("name", corpus_pages() or ["cnn_test_nlp", "time_001", "japanese_article"])
def test_real_pages_dates_authors_and_lines(name):
    article, text = load_page(name)
    known = json.loads((NEWSPAPER4K / "metadata" / f"{name}.json").read_text(encoding="utf-8"))
    if known.get("publish_date"):
        assert article.meta.date, f"{name}: no date; metadata has {known['publish_date']}"
        assert known["publish_date"][:4] in article.meta.date  # dates are kept as found
    if known.get("authors"):
        assert article.meta.authors, f"{name}: no authors; metadata has {known['authors']}"
    assert article.blocks
    lines = text.split("\n")
    for block in article.blocks:  # the block's text starts on `line` and ends on `end_line`
        assert _visible(block.text)[:8] in _visible(lines[block.line - 1]), (name, block)
        assert _visible(block.text)[-8:] in _visible(lines[block.end_line - 1]), (name, block)


def test_real_pages_known_values():
    article, _ = load_page("cnn_test_nlp")
    assert article.meta.authors == ("Eric Bradner",)
    assert article.meta.date.startswith("2016-12-18") and article.meta.date_source == "meta"
    article, _ = load_page("time_001")
    assert article.meta.authors == ("Alejandro de la Garza",)
    article, _ = load_page("japanese_article")
    assert article.meta.date_source == "json-ld" and article.meta.authors == ("日本経済新聞社",)
    article, _ = load_page("cnn_002")
    body = (NEWSPAPER4K / "txt" / "cnn_002.txt").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    assert [b.text for b in article.blocks if b.kind == "paragraph"][:3] == paragraphs[:3]


def test_plain_text_title_only_when_the_first_line_is_headline_shaped(tmp_path):
    def txt(text):
        return next(load_text("a.txt", text.encode()))

    lead = ("The central bank raised its main interest rate by half a percentage point on "
            "Thursday, the largest increase in two decades, as officials tried to tame inflation "
            "that has climbed to its highest level since the early 1980s and is squeezing "
            "households across the country.")
    article = txt(f"{lead}\n\nSecond paragraph of the story.\n")
    assert article.title is None and article.title_line is None
    assert [b.text for b in article.blocks] == [lead, "Second paragraph of the story."]
    headline = txt(f"Central bank raises rates by half a point\n\n{lead}\n")
    assert headline.title == "Central bank raises rates by half a point"
    assert [b.text for b in headline.blocks] == [lead]
    wrapped = txt("The minister said\non Monday that talks would go on.\n")
    assert wrapped.title is None and len(wrapped.blocks) == 1
    two = txt("Rates rise again. Markets fall.\n\nBody text here.\n")
    assert two.title is None
    cjk = txt("央行宣布加息\n\n央行周四宣布加息半个百分点。\n")
    assert cjk.title == "央行宣布加息"
    front = load_one(tmp_path, "f.md", f"---\ntitle: {lead}\n---\n\nBody text here.\n")
    assert front.title == lead
