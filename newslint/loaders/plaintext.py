"""Plain text: blank lines separate paragraphs; the first line is the title when
it is shaped like a headline (`headline_shaped`), else there is no title and every
paragraph is body.

Suppression: a line of its own `newslint: disable=CODE,name` (left out of the
body); `newslint: disable-next-line=CODE`; `disable=CODE` ... `enable=CODE`.
"""
from __future__ import annotations

from typing import Iterator

import regex

from newslint.loaders.common import (
    TEXT_SUPPRESS_RE,
    decode,
    line_of,
    marker_suppressions,
    normalize_newlines,
    paragraph_blocks,
)
from newslint.model import Article, Block, LoadError


def load_text(path: str, data: bytes, settings=None) -> Iterator[Article]:
    text, warning = decode(data)
    yield article_from_text(path, text, "txt", warning)


def article_from_text(path: str, text: str, fmt: str = "txt", warning: str | None = None,
                      **fields) -> Article:
    source, newline = normalize_newlines(text)
    if not source.strip():
        raise LoadError("empty file: no text to check")
    markers, skip = [], set()
    if "newslint:" in source:  # every marker says it: most articles need no regex scan
        for m in TEXT_SUPPRESS_RE.finditer(source):
            markers.append((m.group(1), m.group(2), line_of(source, m.start())))
            skip.add(m.start() + (len(m.group(0)) - len(m.group(0).lstrip())))
    suppressions = marker_suppressions(markers, source, {line for _, _, line in markers})
    blocks = paragraph_blocks(source, 0, skip)
    title, title_line, blocks = split_title(source, blocks)
    extra: dict = {"newline": newline}
    if warning:
        extra["encoding_warning"] = warning
    return Article(id=path, path=path, format=fmt, title=title, title_line=title_line,
                   blocks=tuple(blocks), source=source, suppressions=tuple(suppressions),
                   extra=extra, **fields)


MAX_TITLE_CHARS = 200
MAX_TITLE_WORDS = 25
MAX_UNSPACED_TITLE = 80  # characters, for scripts written without spaces (CJK, Thai)
LONG_SENTENCE_WORDS = 12  # a line ending in a full stop with more words is a sentence
TWO_SENTENCES_RE = regex.compile(r"\p{Ll}{2,}[.!?]\s+[\p{Lu}\p{Lo}]|[。！？]\s*\S")
SENTENCE_END = (".", "。", "…", ":", ";", ",")


def headline_shaped(line: str) -> bool:
    """Short, one sentence at most, not ending like a running sentence: a headline,
    not a 47-word lead paragraph."""
    line = line.strip()
    words = line.split()
    if not line or len(line) > MAX_TITLE_CHARS or len(words) > MAX_TITLE_WORDS:
        return False
    if len(words) <= 2 and len(line) > MAX_UNSPACED_TITLE:
        return False
    if TWO_SENTENCES_RE.search(line):
        return False
    return not (line.endswith(SENTENCE_END) and (len(words) > LONG_SENTENCE_WORDS
                                                 or line.endswith((":", ";", ","))))


def split_title(source: str, blocks: list[Block]) -> tuple[str | None, int | None, list[Block]]:
    """Take the first line as the title when it is headline-shaped and not the
    start of a hard-wrapped paragraph; return the body blocks without it."""
    if not blocks:
        return None, None, blocks
    first = blocks[0]
    head, _, rest = first.text.partition("\n")
    wrapped = rest[:1].islower()  # "The minister said\non Monday that ...": one paragraph
    if not headline_shaped(head) or wrapped:
        return None, None, blocks
    body = blocks[1:]
    if rest.strip():
        start = first.start + len(head) + 1
        lead = len(rest) - len(rest.lstrip("\n"))
        body.insert(0, Block(rest.lstrip("\n"), first.line + 1 + lead, first.end_line,
                             start + lead, first.end, first.kind))
    return head.strip(), first.line, body
