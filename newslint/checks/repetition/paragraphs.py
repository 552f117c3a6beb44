"""The article text as the repetition rules see it: one analysis per article
(`Body`), cached beside the blocks and shared by every rule of the family: the
body blocks tokenised once into words (lower-cased, split on spaces and common
punctuation), which blocks repeat, the leading lines and the title's words,
the word n-gram statistics and near copies; and the helpers the rules share
(which lines look like headlines, how to remove a block)."""
from __future__ import annotations

from typing import Any

from newslint.checks.repetition.near import near_copies
from newslint.checks.repetition.stats import WordGrams
from newslint.checks.repetition.tokens import Para, para, tokenize
from newslint.fixes import remove_lines
from newslint.model import Article, Block, Edit, Fix

#: a block shorter than this (words or characters) is never reported as a
#: repeat on its own: short repeated lines are labels, which boilerplate rules own
MIN_WORDS, MIN_CHARS = 4, 30
SENTENCE_END = tuple(".!?\u2026\"'\u201d\u2019\u00bb)")


def words_keys(texts: list[str]) -> list[bytes]:
    """The words of several texts (see `tokenize`), tokenised in one pass."""
    return tokenize(texts) if texts else []


_new_tuple = tuple.__new__


class Body:
    """An article's non-empty body blocks, tokenised once for all the rules,
    and what several rules derive from them (computed when first asked for).
    Every rule of the family starts here, so the blocks are tokenised once
    and cheap exact tests (a set of the blocks' words) rule most articles out."""

    def __init__(self, article: Article):
        keys = tokenize([b.text for b in article.blocks])
        # tuple.__new__ skips the NamedTuple's Python-level __new__ (a third of the cost)
        self.paras = [_new_tuple(Para, (i, b, k, k.count(b" ") + 1))
                      for i, (b, k) in enumerate(zip(article.blocks, keys)) if k]
        self.title = article.title or ""
        #: whether two blocks have the same words (a superset of every exact repeat)
        self.any_repeat = repeated([p.key for p in self.paras])
        #: whether a block holds several lines (else the lines are the blocks)
        self.multiline = any(["\n" in p.block.text for p in self.paras])
        self._copies: list[tuple[Para, Para]] | None = None
        self._grams: WordGrams | None = None
        self._leading: tuple[list[bytes], dict[int, bytes], bytes] | None = None
        self._candidates: dict[int, frozenset[int]] = {}
        # near_copies results by (candidates, k, threshold): duplicate-paragraph-near
        # and keyword stuffing ask the same question with the default options
        self._near: dict[tuple, dict[int, tuple[float, int]]] = {}

    @property
    def copies(self) -> list[tuple[Para, Para]]:
        if self._copies is None:
            self._copies = repeats(self.paras) if self.any_repeat else []
        return self._copies

    @property
    def grams(self) -> WordGrams:
        """Word n-grams of the whole body."""
        if self._grams is None:
            self._grams = WordGrams(self.paras)
        return self._grams

    @property
    def leading(self) -> tuple[list[bytes], dict[int, bytes], bytes]:
        """(the words of each of `leading_lines`, the words of the first line of
        each multi-line block they take it from, the title's words); the
        first lines and the title are tokenised in one pass."""
        if self._leading is None and not self.multiline:
            self._leading = ([p.key for p in self.paras], {}, tokenize([self.title])[0])
        elif self._leading is None:
            copies = {later.index for later, _ in self.copies}
            glued = [p for p in self.paras if "\n" in p.block.text and p.index not in copies]
            *firsts, title = tokenize([p.block.text.partition("\n")[0] for p in glued] + [self.title])
            by_block = dict(zip((p.index for p in glued), firsts))
            keys = [p.key if "\n" not in p.block.text else by_block[p.index]
                    for p in self.paras if "\n" not in p.block.text or by_block.get(p.index)]
            self._leading = (keys, by_block, title)
        return self._leading

    def candidates(self, min_words: int) -> frozenset[int]:
        """The blocks of at least `min_words` words that are not exact copies:
        those `duplicate-paragraph-near` compares."""
        if min_words not in self._candidates:
            copies = {later.index for later, _ in self.copies}
            self._candidates[min_words] = frozenset([p.index for p in self.paras
                                                     if p.size >= min_words and p.index not in copies])
        return self._candidates[min_words]

    def near_copies(self, candidates: frozenset[int], k: int = 2,
                    threshold: float = 0.7) -> dict[int, tuple[float, int]]:
        key = (candidates, k, threshold)
        if key not in self._near:
            self._near[key] = near_copies(self.grams, candidates, k, threshold)
        return self._near[key]


def body(article: Article) -> Body:
    """The article's `Body`, cached beside its blocks (an enricher that
    replaces the blocks, or a copy of the article with another title,
    invalidates it)."""
    cached = article.extra.get("_repetition_body")
    if cached is None or cached[0] is not article.blocks or cached[1].title != (article.title or ""):
        cached = (article.blocks, Body(article))
        article.extra["_repetition_body"] = cached
    return cached[1]


def repeated(keys: list[bytes]) -> bool:
    """Whether a non-empty key occurs twice (keys of different lengths differ:
    their lengths are compared first, which spares hashing long keys)."""
    present = [k for k in keys if k]
    return len(set(map(len, present))) < len(present) and len(set(present)) < len(present)


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
    firsts = text.leading[1]
    out = []
    for p in text.paras:
        if "\n" not in p.block.text:
            out.append(p)
        elif firsts.get(p.index):
            block, first = p.block, p.block.text.partition("\n")[0]
            end = None if block.start is None else block.start + len(first)
            out.append(para(p.index, Block(first, block.line, block.line, block.start, end, "line"),
                            firsts[p.index]))
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


_PLAIN_NUMBERS = (int, float)


def option_problem(options: dict[str, Any], ranges: dict[str, tuple[float, float]]) -> str | None:
    """What is wrong with the first option (a number, or a list of numbers)
    outside its range; None when all are fine."""
    for key, (low, high) in ranges.items():
        value = options[key]
        if type(value) in _PLAIN_NUMBERS:
            if low <= value <= high:
                continue  # the usual cases, checked without building a list
        elif type(value) is list:
            for number in value:
                if type(number) not in _PLAIN_NUMBERS or not low <= number <= high:
                    break
            else:
                continue
        values = options[key] if isinstance(options[key], list) else [options[key]]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and low <= v <= high
                   for v in values):
            return f"option {key} must be {'numbers' if isinstance(options[key], list) else 'a number'} " \
                   f"between {low} and {high} (got {options[key]!r})"
    return None
