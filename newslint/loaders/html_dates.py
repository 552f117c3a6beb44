"""The publication date of an HTML page, always as ISO `YYYY-MM-DD`, and where it came from.

First found wins:

1. **structured metadata** written for machines: published-time meta tags,
   JSON-LD `datePublished` of the page's article, `<time itemprop=datePublished>`
   / `<time pubdate>`. When these disagree the earliest is taken (a page often
   puts its last update in `article:published_time`); date_source "meta",
   "json-ld" or "time";
2. **htmldate** in its fast mode (no free-text search), the field's reference
   extractor: URL, header, `<abbr>`, date-classed elements, timestamps;
   date_source "htmldate";
3. newslint's own reading of the **page chrome**, for what htmldate misses or
   cannot read (more calendars and scripts, see `text.dates`): a `<time>`
   element, a date-classed element's `datetime`/`title`/short text; date_source
   "markup"; else a date in the page URL (`/2020/08/24/`), date_source "url".

A date in the article's prose is never taken here. htmldate is given the page
as text (it never downloads: see `_htmldate`); its extensive search costs more
and picks prose dates, so it stays off.
"""
from __future__ import annotations

import logging
import re

from bs4 import BeautifulSoup

from newslint.loaders.html_tree import attr, in_comments, short_text
from newslint.text.dates import find_dates, parse_date

PUBLISHED_KEYS = ("article:published_time", "og:article:published_time", "og:published_time",
                  "datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
                  "published_time", "article.published", "article_date_original",
                  "dc.date.issued", "dc.date", "dcterms.issued", "dcterms.date",
                  "dcterms.created", "date", "sailthru.date", "parsely-pub-date",
                  "cxenseparse:recs:publishtime", "original-publish-date", "datecreated",
                  "article.created", "displaydate", "pdate", "rnews:datepublished", "og:pubdate",
                  "publication_date", "release_date", "citation_publication_date",
                  "citation_date", "prism.publicationdate", "dc.date.created")
DATE_CLASS_RE = re.compile(r"date|time|publish|posted|submitted|dateline|byline|meta|info|fecha"
                           r"|datum|data|zeit|tarih|fech", re.IGNORECASE)
TITLE_DATE_RE = re.compile(r"^\s*(?:19|20)\d\d-?[01]\d-?[0-3]\d")  # title="2016-06-13T1603Z"
URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|[-_.]|$)")
MARKUP_LIMIT = 120  # characters of a date-classed element's text worth reading
logging.getLogger("htmldate").addHandler(logging.NullHandler())


def find_date(soup: BeautifulSoup, meta: dict, objects: list[dict], page: str,
              url: str | None = None, language: str | None = None) -> tuple[str | None, str | None]:
    """(ISO date, date_source) of the page, or (None, None); see the module doc."""
    found = structured_date(soup, meta, objects, language)
    if found:
        return found
    iso = _htmldate(page, url)
    if iso:
        return iso, "htmldate"
    return markup_date(soup, language) or url_date(url) or (None, None)


def structured_date(soup, meta, objects, language=None) -> tuple[str, str] | None:
    """The earliest of the machine-readable publication dates."""
    candidates = []
    for key in PUBLISHED_KEYS:
        if key in meta:
            candidates.append((parse_date(meta[key][0][0], language), "meta"))
    article = next((o for o in objects if o.get("datePublished") or o.get("dateCreated")), None)
    if article:
        raw = article.get("datePublished") or article.get("dateCreated")
        candidates.append((parse_date(raw if isinstance(raw, str) else None, language), "json-ld"))
    for tag in soup.find_all("time", limit=50):
        if ("datepublished" in attr(tag, "itemprop").lower() or tag.has_attr("pubdate")) \
                and not in_comments(tag):
            candidates.append((parse_date(attr(tag, "datetime") or short_text(tag, MARKUP_LIMIT),
                                          language), "time"))
            break
    dated = [c for c in candidates if c[0]]
    return min(dated, key=lambda c: c[0]) if dated else None


def _htmldate(page: str, url: str | None) -> str | None:
    """htmldate's fast mode on the page text. htmldate downloads its argument
    when it is a string that looks like a URL: the page is passed with a
    newline in front, which no URL has, so it is always read as HTML."""
    try:
        from htmldate import find_date as htmldate_find
    except ImportError:  # an install without it still finds structured and markup dates
        return None
    try:
        found = htmldate_find("\n" + page, extensive_search=False, original_date=True,
                              url=url if url and url.startswith("http") else None)
    except Exception:  # noqa: BLE001 - a third-party parser's failure must not stop the load
        return None
    return parse_date(found) if found else None


def markup_date(soup: BeautifulSoup, language: str | None = None) -> tuple[str, str] | None:
    """A date in a `<time>` element or a short date-classed element of the page chrome."""
    tags = (soup.find_all("time", limit=20) + soup.find_all(class_=DATE_CLASS_RE, limit=50)
            + soup.find_all(title=TITLE_DATE_RE, limit=10))
    for tag in tags:
        if in_comments(tag):
            continue
        for value in (attr(tag, "datetime"), attr(tag, "title"), short_text(tag, MARKUP_LIMIT)):
            iso = _one_date(value, language)
            if iso:
                return iso, "markup"
    return None


def _one_date(value: str, language: str | None) -> str | None:
    if not value:
        return None
    iso = parse_date(value, language)
    if iso:
        return iso
    found = find_dates(value, language=language)
    return found[0].iso if found else None


def url_date(url: str | None) -> tuple[str, str] | None:
    m = URL_DATE_RE.search(url or "")
    iso = parse_date("-".join(f"{int(x):02d}" for x in m.groups())) if m else None
    return (iso, "url") if iso else None
