"""Plain text: the first non-empty line is the title; blank lines separate paragraphs.

Suppression: a line of its own `newslint: disable=CODE,name` (left out of the body).
"""
from __future__ import annotations

from typing import Iterator

from newslint.loaders.common import (
    TEXT_SUPPRESS_RE,
    decode,
    line_of,
    normalize_newlines,
    paragraph_blocks,
    selectors,
)
from newslint.model import Article, Block, LoadError, Suppression


def load_text(path: str, data: bytes, settings=None) -> Iterator[Article]:
    text, warning = decode(data)
    yield article_from_text(path, text, "txt", warning)


def article_from_text(path: str, text: str, fmt: str = "txt", warning: str | None = None,
                      **fields) -> Article:
    source, newline = normalize_newlines(text)
    if not source.strip():
        raise LoadError("empty file: no text to check")
    suppressions, skip = [], set()
    for m in TEXT_SUPPRESS_RE.finditer(source):
        suppressions.append(Suppression(selectors(m.group(1)), line_of(source, m.start())))
        skip.add(m.start() + (len(m.group(0)) - len(m.group(0).lstrip())))
    blocks = paragraph_blocks(source, 0, skip)
    title, title_line, blocks = split_title(source, blocks)
    extra: dict = {"newline": newline}
    if warning:
        extra["encoding_warning"] = warning
    return Article(id=path, path=path, format=fmt, title=title, title_line=title_line,
                   blocks=tuple(blocks), source=source, suppressions=tuple(suppressions),
                   extra=extra, **fields)


MAX_TITLE = 300


def split_title(source: str, blocks: list[Block]) -> tuple[str | None, int | None, list[Block]]:
    """Take the first non-empty line as the title (unless it is too long to be
    one) and return the body blocks without it."""
    if not blocks:
        return None, None, blocks
    first = blocks[0]
    head, _, rest = first.text.partition("\n")
    if len(head.strip()) > MAX_TITLE:
        return None, None, blocks
    body = blocks[1:]
    if rest.strip():
        start = first.start + len(head) + 1
        lead = len(rest) - len(rest.lstrip("\n"))
        body.insert(0, Block(rest.lstrip("\n"), first.line + 1 + lead, first.end_line,
                             start + lead, first.end, first.kind))
    return head.strip(), first.line, body
