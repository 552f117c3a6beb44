"""Metadata of an HTML page: title, publication date, authors, outlet, URL, language.

Date: meta tags, then JSON-LD, then `<time>`; as a last resort a date written in
a short dateline element (date_source "text"). Authors: meta tags, JSON-LD,
then markup (itemprop=author, rel=author, byline classes). Kept apart from the
body extraction in `html.py`: this module reads the parsed tree only.
"""
from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup, Tag

from newslint.model import Metadata

DATE_KEYS = ("article:published_time", "og:article:published_time", "og:published_time",
             "datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
             "published_time", "article.published", "article_date_original", "dc.date.issued",
             "dc.date", "dcterms.issued", "dcterms.date", "dcterms.created", "date",
             "sailthru.date", "parsely-pub-date", "cxenseparse:recs:publishtime",
             "original-publish-date", "datecreated", "article.created", "displaydate", "pdate",
             "rnews:datepublished", "og:pubdate", "publication_date", "release_date")
AUTHOR_KEYS = ("article:author", "author", "article_author", "og:article:author", "dc.creator",
               "dcterms.creator", "sailthru.author", "parsely-author", "byl")
ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Report|NewsArticle|WebPage", re.IGNORECASE)
NAME_SPLIT_RE = re.compile(r"\s*(?:[,;|&\u3001]|\band\b)\s*")
BY_RE = re.compile(r"^(?:(?:posted|written|story|words|text|analysis|reporting)\s+)?by[:\s]+", re.IGNORECASE)
URL_RE = re.compile(r"^(?:https?:)?//|^www\.", re.IGNORECASE)
MAX_JSONLD_NODES = 20_000
COMMENTS_RE = re.compile(r"comment|disqus|respuesta|reply", re.IGNORECASE)
DATE_TEXT_RE = re.compile(r"\b(?:19|20)\d\d(?:-\d\d?-\d\d?|/\d\d?/\d\d?|\.\d\d?\.\d\d?|年\d\d?月\d\d?日)"
                          r"(?:[ T]\d\d?:\d\d(?::\d\d)?)?")
DATE_CLASS_RE = re.compile(r"date|time|info|publish|posted|byline|dateline|meta", re.IGNORECASE)


def page_title(soup: BeautifulSoup, meta: dict) -> tuple[str | None, int | None]:
    """og:title, twitter:title, <title>, first <h1>; with the line it was found on."""
    for key in ("og:title", "twitter:title"):
        if key in meta:
            return " ".join(meta[key][0][0].split()), meta[key][0][1]
    for name in ("title", "h1"):
        tag = soup.find(name)
        text = _text_of(tag) if tag else ""
        if text:
            return text, tag.sourceline
    return None, None


def page_metadata(soup: BeautifulSoup, meta: dict, container: Tag) -> Metadata:
    objects = jsonld_objects(soup)
    date, date_source = find_date(soup, meta, objects, container)
    html = soup.find("html")
    language = _attr(html, "lang") if html else ""
    return Metadata(
        date=date, date_source=date_source, authors=find_authors(soup, meta, objects),
        outlet=_first(meta, ("og:site_name", "application-name")) or _jsonld_publisher(objects),
        url=_page_url(soup, meta),
        language=language or _first(meta, ("content-language", "dc.language", "language")))


def _page_url(soup: BeautifulSoup, meta: dict) -> str | None:
    canonical = _attr(soup.find("link", rel="canonical"), "href")
    if URL_RE.match(canonical):
        return canonical
    return _first(meta, ("og:url",)) or canonical or None


def meta_tags(soup: BeautifulSoup) -> dict[str, list[tuple[str, int | None]]]:
    """name/property/itemprop/http-equiv (lower case) -> [(content, line)] of any
    element with a non-empty content attribute."""
    found: dict[str, list[tuple[str, int | None]]] = {}
    for tag in soup.find_all(attrs={"content": True}):
        value = _attr(tag, "content")
        if not value:
            continue
        for key_attr in ("name", "property", "itemprop", "http-equiv"):
            key = _attr(tag, key_attr).lower()
            if key:
                found.setdefault(key, []).append((value, tag.sourceline))
    return found


def _attr(tag, name: str) -> str:
    value = tag.get(name) if isinstance(tag, Tag) else None
    value = " ".join(value) if isinstance(value, list) else value
    return value.strip() if isinstance(value, str) else ""


def _first(meta: dict, keys: tuple[str, ...]) -> str | None:
    return next((meta[key][0][0] for key in keys if key in meta), None)


def _text_of(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _short_text(tag: Tag, limit: int) -> str:
    """The tag's text (whitespace collapsed), or "" if longer than `limit`;
    stops reading early, so a huge element costs little."""
    pieces, size = [], 0
    for piece in tag.strings:
        size += len(piece.strip())
        if size > limit:
            return ""
        pieces.append(piece)
    return " ".join(" ".join(pieces).split())


def jsonld_objects(soup: BeautifulSoup) -> list[dict]:
    """Every dict in every readable JSON-LD script, article-like types first."""
    objects: list[dict] = []
    for script in soup.find_all("script", attrs={"type": re.compile(r"ld\+json", re.IGNORECASE)}):
        try:
            stack = [json.loads(script.get_text())]
        except (ValueError, RecursionError):
            continue
        while stack and len(objects) < MAX_JSONLD_NODES:
            item = stack.pop()
            if isinstance(item, dict):
                objects.append(item)
                stack.extend(reversed([v for v in item.values() if isinstance(v, (dict, list))]))
            elif isinstance(item, list):
                stack.extend(reversed(item))
    kinds = [ARTICLE_TYPES.search(str(o.get("@type", ""))) is not None for o in objects]
    return [o for _, o in sorted(zip(kinds, objects), key=lambda p: not p[0])]


def _jsonld_value(objects: list[dict], key: str) -> object:
    return next((o[key] for o in objects if o.get(key)), None)


def _jsonld_publisher(objects: list[dict]) -> str | None:
    publisher = _jsonld_value(objects, "publisher")
    publisher = publisher[0] if isinstance(publisher, list) and publisher else publisher
    name = publisher.get("name") if isinstance(publisher, dict) else publisher
    return name.strip() if isinstance(name, str) and name.strip() else None


def find_date(soup: BeautifulSoup, meta: dict, objects: list[dict], container: Tag):
    date = _first(meta, DATE_KEYS)
    if date:
        return date, "meta"
    date = _jsonld_value(objects, "datePublished") or _jsonld_value(objects, "dateCreated")
    if isinstance(date, str) and date.strip():
        return date.strip(), "json-ld"
    times = [t for t in soup.find_all("time") if _attr(t, "datetime")]
    preferred = [t for t in times if "datepublished" in _attr(t, "itemprop").lower()
                 or t.has_attr("pubdate") or "publish" in _attr(t, "class").lower()]
    inside = [t for t in times if any(p is container or p.name == "article" for p in t.parents)]
    chosen = (preferred or inside or [None])[0]
    if chosen:
        return _attr(chosen, "datetime"), "time"
    return _date_in_text(soup)


def _date_in_text(soup: BeautifulSoup) -> tuple[str | None, str | None]:
    """Last resort: a full date written in a short dateline-like element."""
    for tag in soup.find_all(class_=DATE_CLASS_RE, limit=50):
        found = DATE_TEXT_RE.search(_short_text(tag, 120))
        if found and not _in_comments(tag):
            return found.group(0), "text"
    return None, None


def split_names(raw: str) -> list[str]:
    """'By A, B and C' -> ['A', 'B', 'C']; drops URLs and over-long pieces."""
    names = []
    for part in NAME_SPLIT_RE.split(BY_RE.sub("", " ".join(raw.split()))):
        part = BY_RE.sub("", part).strip(" .:-\u2014")
        if part and len(part) <= 80 and not URL_RE.match(part):
            names.append(part)
    return names


def _unique(names: list[str]) -> tuple[str, ...]:
    """Drop repeats (case-insensitive), keeping the first spelling and order."""
    first: dict[str, str] = {}
    for name in names:
        first.setdefault(name.casefold(), name)
    return tuple(first.values())


def find_authors(soup: BeautifulSoup, meta: dict, objects: list[dict]) -> tuple[str, ...]:
    """Meta tags, then JSON-LD, then markup; a profile URL only when nothing else."""
    for source in (_meta_authors, _jsonld_authors, _markup_authors):
        names = _unique(source(soup, meta, objects))
        if names:
            return names
    url = _first(meta, AUTHOR_KEYS)
    return (url,) if url else ()


def _meta_authors(soup, meta, objects) -> list[str]:
    return [n for key in AUTHOR_KEYS for value, _ in meta.get(key, ()) for n in split_names(value)]


def _jsonld_authors(soup, meta, objects) -> list[str]:
    raw = _jsonld_value(objects, "author") or _jsonld_value(objects, "creator")
    names = []
    for item in raw if isinstance(raw, list) else [raw]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str):
            names.extend(split_names(name))
    return names


def _in_comments(tag: Tag) -> bool:
    """Inside a reader-comments section (whose authors are not the article's)."""
    return any(COMMENTS_RE.search(_attr(p, "class") + " " + _attr(p, "id")) for p in tag.parents)


def _markup_authors(soup, meta, objects) -> list[str]:
    groups = (soup.find_all(attrs={"itemprop": re.compile(r"\bauthor\b", re.IGNORECASE)}, limit=10),
              soup.find_all(rel="author", limit=10),
              soup.find_all(class_=re.compile(r"byline|author", re.IGNORECASE), limit=20))
    for tags in groups:
        names = []
        for tag in (t for t in tags if not _in_comments(t)):
            named = tag.find(attrs={"itemprop": "name"})
            names.extend(split_names(_attr(tag, "content")[:100] or _short_text(named or tag, 100)))
        if names:
            return names
    return []
