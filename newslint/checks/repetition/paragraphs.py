"""The article text as the repetition rules see it: body blocks tokenised
once into words (lower-cased, split on spaces and common punctuation), cached
beside the blocks, and the helpers the rules share (which blocks repeat, which
lines look like headlines, how to remove a block)."""
from __future__ import annotations

from typing import Any

from newslint.checks.repetition.near import near_copies
from newslint.checks.repetition.stats import WordGrams
from newslint.checks.repetition.tokens import Para, letters, para, tokenize
from newslint.fixes import remove_lines
from newslint.model import Article, Block, Edit, Fix

#: a block shorter than this (words or characters) is never reported as a
#: repeat on its own: short repeated lines are labels, which boilerplate rules own
MIN_WORDS, MIN_CHARS = 4, 30
SENTENCE_END = tuple(".!?\u2026\"'\u201d\u2019\u00bb)")


def words_keys(texts: list[str]) -> list[bytes]:
    """`words_key` of several texts, tokenised in one pass."""
    return tokenize(texts) if texts else []


def words_key(text: str) -> bytes:
    return tokenize([text])[0]


_new_tuple = tuple.__new__


class Body:
    """An article's non-empty body blocks, tokenised once for all the rules,
    and what several rules derive from them (computed when first asked for)."""

    def __init__(self, article: Article):
        keys = tokenize([b.text for b in article.blocks])
        # tuple.__new__ skips the NamedTuple's Python-level __new__ (a third of the cost)
        self.paras = [_new_tuple(Para, (i, b, k, k.count(b" ") + 1))
                      for i, (b, k) in enumerate(zip(article.blocks, keys)) if k]
        self._copies: list[tuple[Para, Para]] | None = None
        self._grams: WordGrams | None = None
        # near_copies results by (candidates, k, threshold): duplicate-paragraph-near
        # and keyword stuffing ask the same question with the default options
        self._near: dict[tuple, dict[int, tuple[float, int]]] = {}

    @property
    def copies(self) -> list[tuple[Para, Para]]:
        if self._copies is None:  # the set test: most articles repeat no block
            self._copies = repeats(self.paras) if repeated([p.key for p in self.paras]) else []
        return self._copies

    @property
    def grams(self) -> WordGrams:
        """Word n-grams of the whole body."""
        if self._grams is None:
            self._grams = WordGrams(self.paras)
        return self._grams

    def near_copies(self, candidates: set[int], k: int = 2,
                    threshold: float = 0.7) -> dict[int, tuple[float, int]]:
        key = (frozenset(candidates), k, threshold)
        if key not in self._near:
            self._near[key] = near_copies(self.grams, candidates, k, threshold)
        return self._near[key]


def body(article: Article) -> Body:
    """The article's `Body`, cached beside its blocks (an enricher that
    replaces the blocks invalidates it)."""
    cached = article.extra.get("_repetition_body")
    if cached is None or cached[0] is not article.blocks:
        cached = (article.blocks, Body(article))
        article.extra["_repetition_body"] = cached
    return cached[1]


def body_ready(article: Article) -> bool:
    """Whether `body(article)` is cached (by another rule): then the exact
    tests cost less than the prefilters on letters that otherwise spare
    tokenising the blocks."""
    cached = article.extra.get("_repetition_body")
    return cached is not None and cached[0] is article.blocks


def block_letters(article: Article) -> list[bytes]:
    """Each block's `letters`."""
    return letters([b.text for b in article.blocks]) if article.blocks else []


def repeated(keys: list[bytes]) -> bool:
    """Whether a non-empty key occurs twice."""
    present = [k for k in keys if k]
    return len(set(present)) < len(present)


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
    glued = [p for p in text.paras if "\n" in p.block.text and p.index not in copies]
    firsts = dict(zip((p.index for p in glued),
                      words_keys([p.block.text.partition("\n")[0] for p in glued])))
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
        if type(options[key]) in _PLAIN_NUMBERS and low <= options[key] <= high:
            continue  # the usual case, checked without building a list
        values = options[key] if isinstance(options[key], list) else [options[key]]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and low <= v <= high
                   for v in values):
            return f"option {key} must be {'numbers' if isinstance(options[key], list) else 'a number'} " \
                   f"between {low} and {high} (got {options[key]!r})"
    return None
