"""The article text as the repetition rules see it: body blocks tokenised
once into words (lower-cased, split on spaces and common punctuation), cached
beside the blocks, and the helpers the rules share (which blocks repeat, which
lines look like headlines, how to remove a block)."""
from __future__ import annotations

import string
from typing import Any, NamedTuple

from ..fixes import remove_lines
from ..model import Article, Block, Edit, Fix
from .repetition_stats import WordGrams

#: a block shorter than this (words or characters) is never reported as a
#: repeat on its own: short repeated lines are labels, which boilerplate rules own
MIN_WORDS, MIN_CHARS = 4, 30
SENTENCE_END = tuple(".!?\u2026\"'\u201d\u2019\u00bb)")
#: non-ASCII punctuation and spaces common enough in news to split words on
WIDE_SEPARATORS = ("\u00ab\u00bb\u201c\u201d\u2018\u2019\u201e\u201a\u2039\u203a\u2026\u2013\u2014"
                   "\u2015\u00b7\u2022\u00a0\u2009\u202f\u3000\u3001\u3002\uff0c\uff0e\uff1a\uff1b"
                   "\uff01\uff1f\u300c\u300d\uff08\uff09\u00bf\u00a1")
_ASCII_SEPARATORS = bytes(32 if i < 128 and (chr(i) in string.punctuation or chr(i).isspace()) else i
                          for i in range(256))


def tokenize(texts: list[str]) -> list[bytes]:
    """Each text as its words (lower-cased UTF-8) joined by single spaces. One
    pass over all the texts: joining them and splitting bytes is much faster
    than a regular expression per block."""
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        joined = "\x00".join(t.replace("\x00", " ") for t in texts)
    for separator in WIDE_SEPARATORS:
        if separator in joined:
            joined = joined.replace(separator, " ")
    data = joined.lower().encode("utf-8", "replace").translate(_ASCII_SEPARATORS)
    return [b" ".join(chunk.split()) for chunk in data.split(b"\x00")]


def words_key(text: str) -> bytes:
    return tokenize([text])[0]


class Para(NamedTuple):
    """A body block and its words (`key`: the words joined by spaces)."""

    index: int
    block: Block
    key: bytes
    size: int  # words

    @property
    def line(self) -> int:
        return self.block.line


def para(index: int, block: Block, key: bytes) -> Para:
    return Para(index, block, key, key.count(b" ") + 1)


class Body:
    """An article's non-empty body blocks, tokenised once for all the rules."""

    def __init__(self, article: Article):
        keys = tokenize([b.text for b in article.blocks])
        self.paras = [para(i, b, k) for i, (b, k) in enumerate(zip(article.blocks, keys)) if k]
        self._copies: list[tuple[Para, Para]] | None = None
        self._grams: WordGrams | None = None

    @property
    def copies(self) -> list[tuple[Para, Para]]:
        if self._copies is None:
            self._copies = repeats(self.paras)
        return self._copies

    @property
    def grams(self) -> WordGrams:
        """Word n-grams of the whole body."""
        if self._grams is None:
            self._grams = WordGrams(self.paras)
        return self._grams


def body(article: Article) -> Body:
    """The article's `Body`, cached beside its blocks (an enricher that
    replaces the blocks invalidates it)."""
    cached = article.extra.get("_repetition_body")
    if cached is None or cached[0] is not article.blocks:
        cached = (article.blocks, Body(article))
        article.extra["_repetition_body"] = cached
    return cached[1]


def is_short(p: Para, min_words: int = MIN_WORDS, min_chars: int = MIN_CHARS) -> bool:
    return p.size < min_words or len(p.block.text.strip()) < min_chars


def is_headline(p: Para, max_words: int = 25) -> bool:
    """A single short line without a sentence-final full stop: a headline."""
    text = p.block.text.strip()
    return "\n" not in text and p.size <= max_words and not text.endswith((".", "!", ";", ",", ":"))


def repeats(paras: list[Para], min_words: int = MIN_WORDS,
            min_chars: int = MIN_CHARS) -> list[tuple[Para, Para]]:
    """(later copy, first occurrence) for every block that repeats an earlier one."""
    first: dict[bytes, Para] = {}
    out = []
    for p in paras:
        if is_short(p, min_words, min_chars):
            continue
        if p.key in first:
            out.append((p, first[p.key]))
        else:
            first[p.key] = p
    return out


def leading_lines(text: Body) -> list[Para]:
    """Single-line blocks as they are, and the first line of each longer block
    (where extractors glue a headline to the paragraph below it), except in
    blocks that repeat an earlier block (duplicate-paragraph reports those)."""
    copies = {later.index for later, _ in text.copies}
    out = []
    for p in text.paras:
        first, newline, _ = p.block.text.partition("\n")
        if not newline:
            out.append(p)
        elif p.index not in copies and (key := words_key(first)):
            block = p.block
            end = None if block.start is None else block.start + len(first)
            out.append(para(p.index, Block(first, block.line, block.line, block.start, end, "line"), key))
    return out


def removal(article: Article, block: Block, description: str, safe: bool = True) -> Fix | None:
    """A fix deleting a block. A line inside a paragraph takes the newline
    before it, so several such lines in a row can be removed in one pass."""
    source = article.source
    if source is None or block.start is None or block.end is None:
        return None
    at_line_start = block.start >= 2 and source[block.start - 1] == "\n"
    inside_paragraph = at_line_start and source[block.start - 2] != "\n"
    at_line_end = block.end == len(source) or source[block.end] == "\n"
    if inside_paragraph and at_line_end:
        return Fix((Edit(block.start - 1, block.end, ""),), description, safe)
    return remove_lines(article, block.start, block.end, description, safe)


def option_problem(options: dict[str, Any], ranges: dict[str, tuple[float, float]]) -> str | None:
    """What is wrong with the first option (a number, or a list of numbers)
    outside its range; None when all are fine."""
    for key, (low, high) in ranges.items():
        values = options[key] if isinstance(options[key], list) else [options[key]]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and low <= v <= high
                   for v in values):
            return f"option {key} must be {'numbers' if isinstance(options[key], list) else 'a number'} " \
                   f"between {low} and {high} (got {options[key]!r})"
    return None
