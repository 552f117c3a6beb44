"""Parts of an article's text joined into one string for one regex pass, with
the way back from an offset in that string to the file (used by the date and
attribution rules; re-exported by `newslint.text.dates`)."""
from __future__ import annotations

import bisect
from collections.abc import Iterator
from functools import cached_property
from itertools import accumulate
from typing import NamedTuple

import regex

from newslint.text.needles import Needles, NeedleScan, folded

#: Characters no phrase pattern of `ArticleText.finditer_between` takes in (it
#: reads letters and blanks only): ASCII digits and punctuation, and the
#: commonest other punctuation.
_STOPS = r"[!-@\[-`{-~\u00ab\u00bb\u2013\u2014\u2018\u2019\u201c\u201d\u201e\u2026\u3001\u3002\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f]"
STOP_AFTER = regex.compile(_STOPS)
STOP_BEFORE = regex.compile("(?r)" + _STOPS)


class Piece(NamedTuple):
    """A stretch of an article's text: `line` is the file line of its first
    character, `start` its offset in `article.source` when the text is an exact
    copy of the source there (else None), `kind` "title", "top", "tail" or "body".

    A named tuple, not a frozen dataclass: an article makes ten or more of these
    for each scan, and a tuple is built several times faster."""

    text: str
    line: int
    start: int | None
    kind: str


class ArticleText:
    """Pieces of an article joined into one string, so one regex pass covers
    them all, with the way back from an offset in that string to the file."""

    SEPARATOR = "\n\n"

    def __init__(self, article, pieces: list[Piece]):
        self.article = article
        self.pieces = pieces
        texts = [p.text for p in pieces]
        self.text = self.SEPARATOR.join(texts)
        self.starts = self._offsets(texts)

    @classmethod
    def _offsets(cls, texts: list[str]) -> list[int]:
        """Where each of `texts` starts in their join."""
        gap = len(cls.SEPARATOR)
        return [0, *accumulate(len(text) + gap for text in texts[:-1])] if texts else []

    @cached_property
    def folded(self) -> str:
        """`text` case-folded, for the needle tests of several patterns."""
        return folded(self.text)

    @cached_property
    def needles(self) -> NeedleScan:
        """Where the needles of every set are in `folded`: one pass for all."""
        return NeedleScan(self.folded)

    @cached_property
    def aligned(self) -> bool:
        """Is each character of `text` one character of `folded`, so that an
        offset in one is the same character's in the other? Only a character
        that folds to two or more ("ß" -> "ss") can make `folded` longer, and
        only U+0307, which `folded` drops, shorter."""
        return len(self.folded) == len(self.text) and "\u0307" not in self.text

    def finditer_near(self, pattern, needles: Needles) -> Iterator[regex.Match]:
        """`pattern.finditer(text)`, for a pattern each match of which holds
        one of `needles` and no line break: the same matches, looked for only
        on the lines that hold a needle (a pattern tried at every position
        costs about 100 ns a character, and most lines hold none)."""
        if not self.needles.holds(needles):
            return iter(())
        starts = self._places(needles)
        return pattern.finditer(self.text) if starts is None else self._on_lines(pattern, starts)

    def _on_lines(self, pattern, starts: list[int]) -> Iterator[regex.Match]:
        text, end = self.text, -1
        for at in starts:
            if at <= end:  # on a line searched already
                continue
            begin = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            # from the line's start (lookbehinds still see the character before
            # it) to past its line break, so that lookaheads at its end see it
            yield from pattern.finditer(text, begin, end + 1)

    def finditer_between(self, pattern, needles: Needles) -> Iterator[regex.Match]:
        """`pattern.finditer(text)`, for a pattern each match of which holds one
        of `needles` and is made of letters and blanks only (it may run over a
        line break): the same matches, looked for only between the punctuation
        marks or digits (`STOP_AFTER`) around each needle."""
        if not self.needles.holds(needles):
            return iter(())
        starts = self._places(needles)
        return pattern.finditer(self.text) if starts is None else \
            self._between_stops(pattern, starts)

    def _places(self, needles: Needles) -> list[int] | None:
        """Where `needles` start in `text`, or None when that is not known: the
        offsets in `folded` are not the same, or there were too many to keep."""
        return self.needles.starts(needles) if self.aligned else None

    def _between_stops(self, pattern, starts: list[int]) -> Iterator[regex.Match]:
        text, begin_at = self.text, 0
        for at in starts:
            if at < begin_at:  # in a stretch searched already
                continue
            before = STOP_BEFORE.search(text, begin_at, at)
            begin = before.end() if before else begin_at
            after = STOP_AFTER.search(text, at)
            end = after.start() if after else len(text)
            yield from pattern.finditer(text, begin, end + 1)
            begin_at = end + 1

    def piece_at(self, offset: int) -> tuple[Piece, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.pieces[index], offset - self.starts[index]

    def position(self, offset: int) -> tuple[int, int]:
        """File (line, column) of an offset in `text`; column 1 when the piece
        is not an exact copy of the source (HTML, cleaned Markdown)."""
        piece, local = self.piece_at(offset)
        if piece.start is not None:
            return self.article.position(piece.start + local)
        return piece.line + piece.text.count("\n", 0, local), 1

    def line_around(self, offset: int) -> str:
        """The physical line of the piece that holds `offset`."""
        piece, local = self.piece_at(offset)
        begin = piece.text.rfind("\n", 0, local) + 1
        end = piece.text.find("\n", local)
        return piece.text[begin:end if end >= 0 else len(piece.text)]


def title_piece(article) -> Piece | None:
    if not article.title or article.title_line is None:
        return None
    start = None
    if article.source is not None and article.record_line is None:
        found = article.source.find(article.title, article.body_start)
        if found >= 0 and article.source.count("\n", 0, found) + 1 + article.line_offset \
                == article.title_line:
            start = found
    return Piece(article.title, article.title_line, start, "title")


def block_piece(article, block, kind: str, lo: int = 0, hi: int | None = None) -> Piece:
    """block.text[lo:hi] as a piece."""
    text = block.text[lo:hi]
    exact = _is_copy(article.source, block)
    line = block.line + block.text.count("\n", 0, lo) if lo else block.line
    return Piece(text, line, block.start + lo if exact else None, kind)


def _is_copy(source: str | None, block) -> bool:
    """`source[block.start:block.end] == block.text`, without copying the
    slice (an article's blocks are tested for each scan of its text)."""
    start, end, text = block.start, block.end, block.text
    if source is None or start is None:
        return False
    if start < 0 or end is not None and end < 0 or not text:
        return source[start:end] == text
    stop = len(source) if end is None else min(end, len(source))
    return stop - start == len(text) and source.startswith(text, start)


def top_and_tail(article, top_blocks: int, top_chars: int, tail_blocks: int,
                 tail_chars: int) -> list[Piece]:
    """The title, the first blocks up to `top_chars` characters and the last
    `tail_blocks` blocks (their final `tail_chars` characters) as pieces,
    with no text in two pieces."""
    return _pieces(article, _top_and_tail_spans(article, top_blocks, top_chars, tail_blocks,
                                                tail_chars))


Span = tuple[int, int, "int | None", str]  # block index, lo, hi, kind: block.text[lo:hi]


def _top_and_tail_spans(article, top_blocks: int, top_chars: int, tail_blocks: int,
                        tail_chars: int) -> list[Span]:
    budget, blocks = top_chars, article.blocks
    spans: list[Span] = []
    taken: list[int] = []  # characters of block i already in a top piece
    for index, block in enumerate(blocks[:top_blocks]):
        if budget <= 0:
            break
        spans.append((index, 0, budget, "top"))
        size = len(block.text)
        taken.append(min(budget, size))
        budget -= size
    for index in range(max(0, len(blocks) - tail_blocks), len(blocks)):
        text = blocks[index].text
        lo = max(taken[index] if index < len(taken) else 0, len(text) - tail_chars)
        if lo < len(text):
            spans.append((index, lo, None, "tail"))
    return spans


def _pieces(article, spans: list[Span]) -> list[Piece]:
    """The title's piece (if it has one) and the spans' pieces."""
    title = title_piece(article)
    pieces = [title] if title else []
    blocks = article.blocks
    pieces += [block_piece(article, blocks[i], kind, lo, hi) for i, lo, hi, kind in spans]
    return pieces


class LazyText(ArticleText):
    """The title and stretches of an article's blocks as one ArticleText. The
    text is joined at once; the pieces, with their places in the file, only
    when an offset is looked up (most articles have no finding to place, and a
    page of 300 blocks takes 80 µs to place them)."""

    def __init__(self, article, spans: list[Span]):
        self.article = article
        self.spans = spans
        blocks = article.blocks
        texts = [blocks[i].text[lo:hi] for i, lo, hi, _ in spans]
        if article.title and article.title_line is not None:  # as `title_piece` has it
            texts.insert(0, article.title)
        self.text = self.SEPARATOR.join(texts)

    @cached_property
    def pieces(self) -> list[Piece]:  # type: ignore[override]
        return _pieces(self.article, self.spans)

    @cached_property
    def starts(self) -> list[int]:  # type: ignore[override]
        return self._offsets([p.text for p in self.pieces])


def excerpt(article, top_blocks: int, top_chars: int, tail_blocks: int,
            tail_chars: int) -> ArticleText:
    """`ArticleText(article, top_and_tail(...))`, placing its pieces only when asked."""
    return LazyText(article, _top_and_tail_spans(article, top_blocks, top_chars, tail_blocks,
                                                 tail_chars))


def whole_text(article) -> ArticleText:
    """The title and every block, built once per article: three attribution
    rules scan it, and it is kept in `article.extra` while the article's text
    and place in its file are the same."""
    key = (article.title, article.title_line, article.body_start, article.line_offset,
           article.record_line)
    cached = article.extra.get("_whole_text")
    if (cached is not None and cached[0] is article.blocks and cached[1] is article.source
            and cached[2] == key):
        return cached[3]
    scan = LazyText(article, [(i, 0, None, "body") for i in range(len(article.blocks))])
    article.extra["_whole_text"] = (article.blocks, article.source, key, scan)
    return scan
