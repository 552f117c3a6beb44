"""Metadata of an HTML page: title, publication date, authors, outlet, URL, language.

Date: see `html_dates.py`. Authors: meta tags, JSON-LD,
then markup (itemprop=author, rel=author, byline classes). Kept apart from the
body extraction in `html.py`: this module reads the parsed tree only.
"""
from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup

from newslint.loaders.html_dates import find_date
from newslint.loaders.html_tree import attr, first, in_comments, short_text, text_of
from newslint.model import Metadata

AUTHOR_KEYS = ("article:author", "author", "article_author", "og:article:author", "dc.creator",
               "dcterms.creator", "sailthru.author", "parsely-author", "byl")
ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Report|NewsArticle|WebPage", re.IGNORECASE)
NAME_SPLIT_RE = re.compile(r"\s*(?:[,;|&\u3001]|\band\b)\s*")
BY_RE = re.compile(r"^(?:(?:posted|written|story|words|text|analysis|reporting)\s+)?"
                   r"(?:by|von|par|por|door|di|av|przez|автор|текст|بقلم|كتب|كتبت|نویسنده|লিখেছেন|โดย)"
                   r"[:\s]+", re.IGNORECASE)
EMAIL_NAME_RE = re.compile(r"^\S+@\S+\s*\((.+)\)$")
URL_RE = re.compile(r"^(?:https?:)?//|^www\.", re.IGNORECASE)
MAX_JSONLD_NODES = 20_000



def page_title(soup: BeautifulSoup, meta: dict) -> tuple[str | None, int | None]:
    """og:title, twitter:title, <title>, first <h1>; with the line it was found on."""
    for key in ("og:title", "twitter:title"):
        if key in meta:
            return " ".join(meta[key][0][0].split()), meta[key][0][1]
    for name in ("title", "h1"):
        tag = soup.find(name)
        text = text_of(tag) if tag else ""
        if text:
            return text, tag.sourceline
    return None, None


def page_metadata(soup: BeautifulSoup, meta: dict, page: str) -> Metadata:
    """What the page says about itself; `page` is its text (for htmldate)."""
    objects = jsonld_objects(soup)
    html = soup.find("html")
    language = (attr(html, "lang") if html else "") or first(
        meta, ("content-language", "dc.language", "language", "og:locale"))
    url = _page_url(soup, meta)
    date, date_source = find_date(soup, meta, objects, page, url, language or None)
    return Metadata(
        date=date, date_source=date_source, authors=find_authors(soup, meta, objects),
        outlet=find_outlet(meta, objects, url),
        url=url, language=language or None)


OUTLET_KEYS = ("application-name", "publisher", "dc.publisher", "dcterms.publisher",
               "citation_publisher", "article:publisher")
HOST_RE = re.compile(r"^(?:https?:)?//(?:www\d?\.)?([^/:?#\s]+)", re.IGNORECASE)


def find_outlet(meta: dict, objects: list[dict], url: str | None) -> str | None:
    """og:site_name, JSON-LD publisher, other publisher metas (not a URL), else
    the host of the page's URL ("nytimes.com")."""
    named = first(meta, ("og:site_name",)) or _jsonld_publisher(objects)
    if named:
        return named
    for key in OUTLET_KEYS:
        value = first(meta, (key,))
        if value and not URL_RE.match(value):
            return value
    host = HOST_RE.match(url or "")
    return host.group(1).lower() if host else None


def _page_url(soup: BeautifulSoup, meta: dict) -> str | None:
    canonical = attr(soup.find("link", rel="canonical"), "href")
    if URL_RE.match(canonical):
        return canonical
    return first(meta, ("og:url",)) or canonical or None


def meta_tags(soup: BeautifulSoup) -> dict[str, list[tuple[str, int | None]]]:
    """name/property/itemprop/http-equiv (lower case) -> [(content, line)] of any
    element with a non-empty content attribute."""
    found: dict[str, list[tuple[str, int | None]]] = {}
    for tag in soup.find_all(attrs={"content": True}):
        value = attr(tag, "content")
        if not value:
            continue
        for key_attr in ("name", "property", "itemprop", "http-equiv"):
            key = attr(tag, key_attr).lower()
            if key:
                found.setdefault(key, []).append((value, tag.sourceline))
    return found


def jsonld_objects(soup: BeautifulSoup) -> list[dict]:
    """Every dict in every readable JSON-LD script, article-like types first."""
    objects: list[dict] = []
    for script in soup.find_all("script", attrs={"type": re.compile(r"ld\+json", re.IGNORECASE)}):
        stack = lenient_json(script.get_text())
        while stack and len(objects) < MAX_JSONLD_NODES:
            item = stack.pop()
            if isinstance(item, dict):
                objects.append(item)
                stack.extend(reversed([v for v in item.values() if isinstance(v, (dict, list))]))
            elif isinstance(item, list):
                stack.extend(reversed(item))
    kinds = [ARTICLE_TYPES.search(str(o.get("@type", ""))) is not None for o in objects]
    return [o for _, o in sorted(zip(kinds, objects), key=lambda p: not p[0])]


JSON_WRAPPER_RE = re.compile(r"^\s*(?:(?:<|&lt;)!--|(?://|/\*)?\s*(?:<|&lt;)!\[CDATA\[(?:\s*\*/)?)?\s*")


def lenient_json(text: str) -> list:
    """The JSON values in a script's text, read as browsers' JSON-LD consumers
    do: control characters inside strings allowed, a comment or CDATA opener
    skipped, values written one after another read each, trailing junk (a
    `;`, a closing comment) ignored. [] when nothing readable."""
    decoder = json.JSONDecoder(strict=False)
    values, pos = [], JSON_WRAPPER_RE.match(text).end()
    while pos < len(text) and len(values) < 20:
        try:
            value, pos = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            break
        values.append(value)
        while pos < len(text) and text[pos] in " \t\r\n;,":
            pos += 1
    return values


def _jsonld_value(objects: list[dict], key: str) -> object:
    return next((o[key] for o in objects if o.get(key)), None)


def _jsonld_publisher(objects: list[dict]) -> str | None:
    publisher = _jsonld_value(objects, "publisher")
    publisher = publisher[0] if isinstance(publisher, list) and publisher else publisher
    name = publisher.get("name") if isinstance(publisher, dict) else publisher
    return name.strip() if isinstance(name, str) and name.strip() else None


def split_names(raw: str) -> list[str]:
    """'By A, B and C' -> ['A', 'B', 'C']; drops URLs and over-long pieces."""
    names = []
    raw = " ".join(raw.split())
    email = EMAIL_NAME_RE.match(raw)  # RSS: "jane@example.com (Jane Doe)"
    raw = email.group(1) if email else raw
    for part in NAME_SPLIT_RE.split(BY_RE.sub("", raw)):
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
    url = first(meta, AUTHOR_KEYS)
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


def _markup_authors(soup, meta, objects) -> list[str]:
    groups = (soup.find_all(attrs={"itemprop": re.compile(r"\bauthor\b", re.IGNORECASE)}, limit=10),
              soup.find_all(rel="author", limit=10),
              soup.find_all(["author", "dc:creator"], limit=10),  # RSS/Atom items, Dublin Core
              soup.find_all(class_=re.compile(r"byline|author", re.IGNORECASE), limit=20))
    for tags in groups:
        names = []
        for tag in (t for t in tags if not in_comments(t)):
            named = tag.find(attrs={"itemprop": "name"}) or tag.find("name")
            names.extend(split_names(attr(tag, "content")[:100] or short_text(named or tag, 100)))
        if names:
            return names
    return []
