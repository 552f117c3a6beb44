"""Small text helpers shared by loaders and checks."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterator

from newslint.lazy import lazy
from newslint.model import Article

_PUNCT_SPACE = lazy(r"[\p{P}\p{S}\s]+")


@dataclass(frozen=True, slots=True)
class Line:
    """One physical line of body text.

    `line` is the file line; `start`/`end` are offsets into `article.source`
    (None when the article has no editable source); `end` excludes the newline.
    """

    text: str
    line: int
    start: int | None
    end: int | None
    block: int  # index of the block the line belongs to


def body_lines(article: Article) -> Iterator[Line]:
    """Every line of every body block, with file line numbers and offsets.

    A dozen rules walk the lines of each article, so they are split once and
    kept in `article.extra`, keyed by the blocks and record line they come
    from (a copy of the article with other blocks does not reuse them)."""
    cached = article.extra.get("_body_lines")
    if cached is None or cached[0] is not article.blocks or cached[1] != article.record_line:
        cached = (article.blocks, article.record_line, tuple(_split_lines(article)))
        article.extra["_body_lines"] = cached
    return iter(cached[2])


def _split_lines(article: Article) -> Iterator[Line]:
    for index, block in enumerate(article.blocks):
        offset = block.start
        for i, text in enumerate(block.text.split("\n")):
            line = block.line if article.record_line is not None else block.line + i
            end = offset + len(text) if offset is not None else None
            yield Line(text, line, offset, end, index)
            if offset is not None:
                offset = end + 1


def normalize(text: str) -> str:
    """Case-, accent-width-, punctuation- and whitespace-insensitive form for comparisons."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _PUNCT_SPACE.sub(" ", text).strip()


def split_paragraphs(source: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the blank-line separated paragraphs of source[start:]."""
    pos, n = start, len(source)
    while pos < n:
        # skip blank lines
        while pos < n:
            nl = source.find("\n", pos)
            line_end = n if nl == -1 else nl
            if source[pos:line_end].strip():
                break
            pos = line_end + 1
        if pos >= n:
            return
        begin = pos
        end = pos
        while pos < n:
            nl = source.find("\n", pos)
            line_end = n if nl == -1 else nl
            if not source[pos:line_end].strip():
                break
            end = line_end
            pos = line_end + 1
        yield begin, end


LIST_ROW_WORDS = 10  # a list or table row holds at most this many words
LIST_ROW_CHARS = 100
LIST_RUN = 3  # ... and stands among at least this many such rows in a row


def list_rows(texts: list[str], min_run: int = LIST_RUN, sentences: bool = False) -> set[int]:
    """Indexes of `texts` that are rows of a list or table (a table of contents,
    a price list, interview or FAQ headings, a track list, a menu): short lines,
    not ending like a sentence unless `sentences` ("Snack: an apple."), in a run
    of at least `min_run` of them."""
    rows: set[int] = set()
    run: list[int] = []
    for i, text in enumerate([*texts, ""]):
        text = text.strip()
        if text and len(text) <= LIST_ROW_CHARS and len(text.split()) <= LIST_ROW_WORDS \
                and (sentences or not text.endswith((".", "。"))):
            run.append(i)
            continue
        if len(run) >= min_run:
            rows.update(run)
        run = []
    return rows
