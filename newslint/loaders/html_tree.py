"""Small readers of a parsed HTML tree shared by the metadata modules."""
from __future__ import annotations

import re

from bs4 import Tag

COMMENTS_RE = re.compile(r"comment|disqus|respuesta|reply", re.IGNORECASE)


def attr(tag, name: str) -> str:
    """The attribute's value, stripped ("" when absent; a list is joined)."""
    value = tag.get(name) if isinstance(tag, Tag) else None
    value = " ".join(value) if isinstance(value, list) else value
    return value.strip() if isinstance(value, str) else ""


def first(meta: dict, keys: tuple[str, ...]) -> str | None:
    """The first value of the first key of `keys` present in `meta` (see `meta_tags`)."""
    return next((meta[key][0][0] for key in keys if key in meta), None)


def text_of(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def short_text(tag: Tag, limit: int) -> str:
    """The tag's text (whitespace collapsed), or "" if longer than `limit`;
    stops reading early, so a huge element costs little."""
    pieces, size = [], 0
    for piece in tag.strings:
        size += len(piece.strip())
        if size > limit:
            return ""
        pieces.append(piece)
    return " ".join(" ".join(pieces).split())


def in_comments(tag: Tag) -> bool:
    """Inside a reader-comments section (whose dates and authors are not the article's)."""
    return any(COMMENTS_RE.search(attr(p, "class") + " " + attr(p, "id")) for p in tag.parents)
