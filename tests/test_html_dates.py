"""HTML publication dates (loaders/html_dates.py): structured metadata, htmldate,
the page chrome in many languages and calendars, the URL; always ISO; never prose."""
from __future__ import annotations

import pytest

from newslint.loaders.html import load_html
from newslint.loaders.html_meta import lenient_json

BODY = "<p>" + "Some article text that is long enough to be a paragraph. " * 3 + "</p>"


def date_of(page: str) -> tuple[str | None, str | None]:
    article = next(load_html("p.html", page.encode()))
    return article.meta.date, article.meta.date_source


def chrome(element: str, lang: str = "en") -> str:
    return f'<html lang="{lang}"><body><header>{element}</header><article>{BODY}</article></body></html>'


@pytest.mark.parametrize(("element", "lang", "iso"), [
    ('<span class="entry-date">March 11, 2020</span>', "en", "2020-03-11"),
    ('<span class="date">17/03/2020</span>', "en", "2020-03-17"),
    ('<div class="meta">13 Oct 2020 18:29</div>', "en", "2020-10-13"),
    ('<div class="fecha">jueves 2 de abril de 2020</div>', "es", "2020-04-02"),
    ('<div class="date">Sunday, July 05, 2020</div>', "en", "2020-07-05"),
    ('<div class="meta">13 Jan 2020, 22:11 GMT+10</div>', "en", "2020-01-13"),
    ('<div class="date">24 نيسان / أبريل 2020</div>', "ar", "2020-04-24"),
    ('<div class="date">٢٤ أبريل ٢٠٢٠</div>', "ar", "2020-04-24"),
    ('<div class="date">2 تير 1399</div>', "fa", "2020-06-22"),
    ('<div class="date">۲ تیر ۱۳۹۹</div>', "fa", "2020-06-22"),
    ('<div class="date">9 oktober 2020</div>', "nl", "2020-10-09"),
    ('<div class="date">21 ม.ค.2561</div>', "th", "2018-01-21"),
    ('<div class="date">15 अगस्त 2020</div>', "hi", "2020-08-15"),
    ('<div class="date">১৫ আগস্ট ২০২০</div>', "bn", "2020-08-15"),
    ('<div class="submitted">Submitted on Mon, 2019-01-21 13:49</div>', "en", "2019-01-21"),
    ('<span title="2016-06-13T1603Z">Monday</span>', "en", "2016-06-13"),
    ('<time datetime="2021-05-06T10:00">May 6</time>', "en", "2021-05-06"),
])
def test_dates_in_page_chrome_in_many_forms_and_languages(element, lang, iso):
    assert date_of(chrome(element, lang))[0] == iso


def test_date_only_in_the_url():
    page = ('<html><head><link rel="canonical" href="https://news.example/2020/08/24/story">'
            f'</head><body><article>{BODY}</article></body></html>')
    assert date_of(page)[0] == "2020-08-24"


def test_structured_dates_are_iso_and_the_earliest_wins():
    page = ('<html><head><meta property="article:published_time" content="2024-12-07T12:43:39Z">'
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2024-12-06T22:00:40Z"}</script></head>'
            f'<body>{BODY}</body></html>')
    assert date_of(page) == ("2024-12-06", "json-ld")
    compact = f'<html><head><meta name="date" content="20200316T13:00:00Z"></head><body>{BODY}</body></html>'
    assert date_of(compact) == ("2020-03-16", "meta")


def test_json_ld_with_control_characters_or_trailing_data_is_read():
    page = ('<html><head><script type="application/ld+json">\n<![CDATA[\n{"@type": "NewsArticle",'
            ' "headline": "tab\there", "datePublished": "2020-03-16"}\n;//junk</script></head>'
            f'<body>{BODY}</body></html>')
    assert date_of(page) == ("2020-03-16", "json-ld")
    assert lenient_json('{"a": 1}{"b": 2} trailing') == [{"a": 1}, {"b": 2}]
    assert lenient_json("{broken") == []


def test_a_date_in_the_prose_is_not_the_publication_date():
    page = ("<html><body><article><p>The index fell to its lowest since 6 March 2002, traders "
            "said on the floor of the exchange, and the final will kick off June 9, 2020.</p>"
            "</article></body></html>")
    assert date_of(page) == (None, None)


def test_htmldate_is_never_handed_a_url_to_download(monkeypatch):
    import htmldate.utils
    def no_network(*args, **kwargs):
        raise AssertionError("htmldate tried to download")
    monkeypatch.setattr(htmldate.utils, "fetch_url", no_network)
    article = next(load_html("u.html", b"https://example.invalid/2020/01/02/x"))
    assert article.meta.date in (None, "2020-01-02")


def test_cached_results_depend_on_the_htmldate_version(monkeypatch, tmp_path):
    from newslint.run import fingerprint
    fingerprint.code_stamp.cache_clear()
    before = fingerprint.code_stamp()
    other = tmp_path / "htmldate-0.0.1.dist-info"  # another htmldate, first on sys.path
    other.mkdir()
    (other / "METADATA").write_text("Metadata-Version: 2.1\nName: htmldate\nVersion: 0.0.1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    fingerprint.code_stamp.cache_clear()
    try:
        assert fingerprint.code_stamp() != before
    finally:
        fingerprint.code_stamp.cache_clear()
