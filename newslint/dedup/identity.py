"""An article's identity in a near-duplicate index: the same article gets the
same key on every machine and in every run, different articles never share one.

- An article with a URL (`url` field, front matter, canonical link) is its URL,
  normalised: scheme and host lower-cased, default port and `#fragment`
  dropped (the path and query are kept: they name the page); a URL that is
  not http(s) loses its `#fragment` only.
- Else a record's own `id` field, under the namespace.
- Else its path relative to the corpus root (the folder of `newslint.toml`,
  or the working folder), `/`-separated, under the namespace, plus `:N` for
  the N-th record of a JSON Lines file.

The namespace (setting `index-namespace`, default: the root folder's name)
keeps two corpora that both hold `articles/story.txt` apart in a shared index,
while two checkouts of one corpus, with the same namespace, agree.
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str | None) -> str | None:
    """The normalised URL (an http(s) URL normalised, another one stripped of
    its fragment), or None when there is none."""
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return url.split("#", 1)[0] or url
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    if parts.username or parts.password:
        host = parts.netloc.rsplit("@", 1)[0] + "@" + host
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def default_namespace(root: str | os.PathLike) -> str:
    return os.path.basename(os.path.normpath(os.path.abspath(root))) or "root"


def path_id(path: str, root: str | os.PathLike, namespace: str, record: int | None = None) -> str:
    """`namespace:relative/path` (`:record` appended for a JSON Lines record)."""
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    except ValueError:  # another drive
        rel = os.path.abspath(path)
    rel = rel.replace(os.sep, "/")
    key = f"{namespace}:{rel}"
    return f"{key}:{record}" if record is not None else key


def article_key(url: str | None, record_id: str | None, fallback: str, namespace: str | None
                ) -> str:
    """URL first, then a record id (namespaced when a namespace is given), then `fallback`."""
    canonical = canonical_url(url)
    if canonical is not None:
        return canonical
    if record_id:
        return f"{namespace}:{record_id}" if namespace else str(record_id)
    return fallback
