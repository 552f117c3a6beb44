"""Repetition inside one article: paragraphs repeated verbatim or nearly, the
title repeated in the body, a sentence repeated as a pull quote, and text so
repetitive (Gopher-style statistics, keyword stuffing) that it was written for
search engines rather than readers.

Blocks are compared as word sequences: lower-cased, split on spaces and on
common punctuation. These rules run on every article of large corpora, so an
article is tokenised once (cached beside its blocks) and the word statistics
are numpy-vectorised.
"""
from __future__ import annotations

import re
import string
from collections import Counter
from typing import Any, Iterator, NamedTuple

import numpy as np

from ..fixes import remove_lines
from ..hookspecs import hookimpl
from ..model import Article, Block, Edit, Finding, Fix
from ..rule import ArticleRule, parse_examples

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
#: scripts written without spaces between words: word n-grams mean nothing there
SPACELESS = re.compile("[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff"
                       "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


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
    def grams(self) -> "WordGrams":
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


# -- word n-gram statistics -------------------------------------------------------------
_U64 = np.uint64
_MIX = _U64(0x9E3779B97F4A7C15)
_BASE = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
#: a shingle shared by more paragraphs than this is a stock phrase: skipped when
#: pairing paragraphs, which keeps the pairing linear on pathological input
MAX_SHINGLE_PARAGRAPHS = 50


_POWERS: dict[int, np.ndarray] = {}


def _powers(base: int, n: int) -> np.ndarray:
    """base**0 .. base**n modulo 2**64 (a cached table, grown by doubling)."""
    table = _POWERS.get(base)
    if table is None or len(table) <= n:
        size = max(n + 1, 2 * len(table) if table is not None else 4096)
        table = np.empty(size, _U64)
        table[0] = 1
        table[1:] = np.cumprod(np.full(size - 1, base, _U64))
        _POWERS[base] = table
    return table[:n + 1]


def word_hashes(joined: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(64-bit hash, length) of each space-separated word of `joined`, all at
    once: a polynomial hash from prefix sums, shifted back by the inverse
    power of each word's start so equal words hash alike wherever they are."""
    data = np.frombuffer(joined, np.uint8)
    spaces = np.flatnonzero(data == 32)
    starts = np.concatenate([[0], spaces + 1])
    ends = np.concatenate([spaces, [len(data)]])
    prefix = np.concatenate([[_U64(0)], np.cumsum((data.astype(_U64) + _U64(1)) * _powers(_BASE, len(data))[:-1])])
    hashes = (prefix[ends] - prefix[starts]) * _powers(_BASE_INVERSE, len(data))[starts]
    mixed = hashes * _MIX
    return mixed ^ (mixed >> _U64(29)), (ends - starts).astype(np.int64)


class Counted(NamedTuple):
    """Distinct n-grams: their first position, count, and the positions of
    every occurrence grouped by n-gram (`order[starts[j]:starts[j] + counts[j]]`)."""

    first: np.ndarray
    counts: np.ndarray
    order: np.ndarray
    starts: np.ndarray


class WordGrams:
    """Hashes of every word n-gram of some paragraphs, built incrementally;
    shares are of the characters in words (spaces excluded)."""

    def __init__(self, paras: list[Para], base: "WordGrams | None" = None):
        self.paras = paras
        self.owner = np.repeat(np.asarray([p.index for p in paras], np.int64),
                               np.asarray([p.size for p in paras], np.int64))
        if not paras:
            unigrams, self.lengths = np.empty(0, _U64), np.empty(0, np.int64)
        elif base is None:
            unigrams, self.lengths = word_hashes(b" ".join(p.key for p in paras))
        else:  # a subset of the base's paragraphs: reuse its word hashes
            keep = np.isin(base.owner, [p.index for p in paras])
            unigrams, self.lengths = base._hashes[1][keep], base.lengths[keep]
        self.total = max(int(self.lengths.sum()), 1)
        self._hashes = [np.empty(0, _U64), unigrams]
        self._counted: dict[int, Counted] = {}
        self._words: list[bytes] | None = None

    @property
    def size(self) -> int:
        return len(self.lengths)

    def hashes(self, n: int) -> np.ndarray:
        while len(self._hashes) <= n:
            m = len(self._hashes)
            self._hashes.append(self._hashes[m - 1][:-1] * _MIX + self._hashes[1][m - 1:])
        return self._hashes[n]

    def counted(self, n: int) -> Counted:
        if n not in self._counted:
            hashes = self.hashes(n)
            order = np.argsort(hashes)
            ranked = hashes[order]
            starts = np.flatnonzero(np.concatenate([[True], ranked[1:] != ranked[:-1]]))
            counts = np.diff(np.concatenate([starts, [len(ranked)]]))
            first = np.minimum.reduceat(order, starts) if len(order) else order
            self._counted[n] = Counted(first, counts, order, starts)
        return self._counted[n]

    def text(self, position: int, n: int) -> str:
        if self._words is None:
            self._words = b" ".join(p.key for p in self.paras).split(b" ")
        return b" ".join(self._words[position:position + n]).decode("utf-8", "replace")

    def share(self, position: int, n: int, count: int) -> float:
        return float(self.lengths[position:position + n].sum()) * count / self.total

    def top(self, n: int) -> tuple[int, int, float] | None:
        """(position, count, character share) of the most repeated n-gram."""
        if len(self.hashes(n)) == 0:
            return None
        counted = self.counted(n)
        count = int(counted.counts.max())
        if count < 2:
            return None
        position = int(counted.first[counted.counts == count].min())  # ties: the earliest
        return position, count, self.share(position, n, count)

    def duplicated_share(self, n: int) -> float:
        """Share of the characters in words covered by a repeat of an earlier n-gram."""
        if len(self.hashes(n)) == 0:
            return 0.0
        counted = self.counted(n)
        repeated = np.ones(len(counted.order), bool)
        repeated[counted.first] = False
        starts = np.flatnonzero(repeated)
        size = self.size + 1
        depth = np.cumsum(np.bincount(starts, minlength=size) - np.bincount(starts + n, minlength=size))
        return float(self.lengths[depth[:-1] > 0].sum()) / self.total


def near_copies(grams: WordGrams, candidates: set[int], k: int = 3,
                threshold: float = 0.8) -> dict[int, tuple[float, int]]:
    """For each later candidate block, the earlier candidate block whose set of
    word k-grams is most similar to its own (Jaccard >= threshold)."""
    hashes = grams.hashes(k)
    if not len(hashes) or not candidates:
        return {}
    start = grams.owner[:len(hashes)]
    keep = (start == grams.owner[k - 1:]) & np.isin(start, np.fromiter(candidates, np.int64))
    hashes, paras = hashes[keep], start[keep]
    order = np.lexsort((paras, hashes))  # by shingle, then by paragraph
    hashes, paras = hashes[order], paras[order]
    distinct = np.ones(len(hashes), bool)
    distinct[1:] = (hashes[1:] != hashes[:-1]) | (paras[1:] != paras[:-1])
    hashes, paras = hashes[distinct], paras[distinct]
    sizes = np.bincount(paras)
    shared = _in_several(hashes)
    # a block can only reach the threshold if that share of its shingles occur elsewhere
    possible = np.bincount(paras[shared], minlength=len(sizes)) >= threshold * np.maximum(sizes, 1)
    keep = shared & possible[paras]
    hashes, paras = hashes[keep], paras[keep]
    shared = _in_several(hashes)
    if not shared.any():
        return {}
    common: Counter[tuple[int, int]] = Counter()
    bounds = np.flatnonzero(np.diff(hashes[shared])) + 1
    for group in np.split(paras[shared], bounds):
        members = group.tolist()
        if len(members) <= MAX_SHINGLE_PARAGRAPHS:
            common.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    best: dict[int, tuple[float, int]] = {}
    for (a, b), count in common.items():
        similarity = count / (int(sizes[a]) + int(sizes[b]) - count)
        if similarity >= threshold and similarity > best.get(b, (0.0, 0))[0]:
            best[b] = (similarity, a)
    return best


def _in_several(ranked: np.ndarray) -> np.ndarray:
    """For sorted values: whether each value occurs more than once."""
    same = ranked[1:] == ranked[:-1]
    out = np.zeros(len(ranked), bool)
    out[1:] |= same
    out[:-1] |= same
    return out


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


def spaceless(text: str) -> bool:
    sample = text[:1000]
    return len(SPACELESS.findall(sample)) > 0.3 * len(sample)


def _article(title: str, *paragraphs_: str) -> str:
    return "\n\n".join((title, *paragraphs_))


_P1 = ("China has been pivotal in this dynamic, bolstering Russia's economy by purchasing oil "
       "and supplying components for its industries.")
_P2 = ("Both leaders frame their alliance as a commitment to a multipolar world, in opposition "
       "to U.S. dominance.")
_P3 = ("As the world watches the military parade in Red Square, the symbolic weight of this "
       "collaboration is plain.")


class DuplicateParagraph(ArticleRule):
    code = "NL201"
    name = "duplicate-paragraph"
    level = "warning"
    summary = "A paragraph repeated verbatim in the same article."
    fix_safety = "safe"
    docs = {
        "what": "Flags each later copy of a paragraph (or line) that repeats an earlier one of the "
                "same article, compared without regard to case, spacing and punctuation, and "
                "names the line of the first occurrence. Blocks of fewer than `min_words` words "
                "or `min_chars` characters are ignored (short repeated labels are boilerplate); "
                "repeated headline-like lines are reported by `duplicate-paragraph-title`.",
        "why": "Scrapers and CMS templates duplicate blocks when a page renders a paragraph twice "
               "(teaser and body, mobile and desktop). The copy inflates the text, skews every "
               "statistic computed on it and reads as an error.",
        "example": "Line 7: `China has been pivotal in this dynamic, ...`\n"
                   "Line 10: `China has been pivotal in this dynamic, ...` (flagged)",
        "fix": "Safe: the later copy is deleted; the first occurrence stays.",
    }
    options = {"min_words": MIN_WORDS, "min_chars": MIN_CHARS}
    examples = parse_examples({
        "fail": [_article("Putin and Xi meet", _P1, _P2, _P3, _P1),
                 "Putin and Xi meet\n\n" + "\n".join([_P1, _P2, _P3, _P1, _P2])],
        "pass": [_article("Putin and Xi meet", _P1, _P2, _P3),
                 _article("Putin and Xi meet", _P1, "Photo: Reuters", _P2, "Photo: Reuters")],
    }, "NL201")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        for later, first in repeats(body(article).paras, options["min_words"], options["min_chars"]):
            if is_headline(later):
                continue  # duplicate-paragraph-title reports it
            fix = removal(article, later.block, f"remove the repeated paragraph (first at line {first.line})")
            yield self.at_block(article, later.block, f"duplicates the paragraph at line {first.line}",
                                fix=fix, data={"first_line": first.line})


class RepeatedTitle(ArticleRule):
    code = "NL203"
    name = "duplicate-paragraph-title"
    level = "warning"
    summary = "The title, or a headline-like line, repeated in the body."
    fix_safety = "safe"
    docs = {
        "what": "Flags a body line equal to the article's title (compared without regard to case "
                "and punctuation), and a headline-like line (one line of at most "
                "`max_headline_words` words, not ending in a full stop) that appears twice. A "
                "heading that opens the body of a Markdown or HTML page and restates its title "
                "is ordinary document structure and is left alone.",
        "why": "Extractors often take the headline from both the page header and the article "
               "body. The repeat is noise in the text and makes the article look longer and more "
               "repetitive than it is.",
        "example": "Line 2: `Putin and Xi Solidify Alliance Ahead of WWII Victory Celebrations`\n"
                   "Line 4: the same line again (flagged)",
        "fix": "Safe: the repeated line is deleted.",
    }
    options = {"max_headline_words": 25}
    examples = parse_examples({
        "fail": [_article("Putin and Xi Solidify Alliance", "Putin and Xi Solidify Alliance", _P1),
                 "Putin and Xi Solidify Alliance Ahead of WWII Victory Celebrations in Moscow and "
                 "Beijing, as leaders of both countries say the partnership has no limits and will "
                 "grow.\nPutin and Xi Solidify Alliance Ahead of WWII Celebrations\n\n"
                 "Putin and Xi Solidify Alliance Ahead of WWII Celebrations\n" + _P1],
        "pass": [_article("Putin and Xi Solidify Alliance", _P1, _P2),
                 {"text": "---\ntitle: Putin and Xi meet\n---\n# Putin and Xi meet\n\n" + _P1,
                  "format": "md"}],
    }, "NL203")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        text = body(article)
        lines = leading_lines(text)
        title = words_key(article.title or "")
        max_words = options["max_headline_words"]
        for para in lines:
            if title and para.key == title and para.size >= 2 and not self._opening_heading(para, text.paras):
                where = f" (line {article.title_line})" if article.title_line else ""
                yield self._finding(article, para, f"repeats the title{where}", article.title_line)
        for later, first in repeats(lines):
            if is_headline(later, max_words) and later.key != title:
                yield self._finding(article, later, f"repeats the headline at line {first.line}", first.line)

    @staticmethod
    def _opening_heading(para: Para, paras: list[Para]) -> bool:
        return para.block.kind == "heading" and para.index == paras[0].index

    def _finding(self, article: Article, para: Para, message: str, first_line: int | None) -> Finding:
        fix = removal(article, para.block, "remove the repeated headline")
        return self.at_block(article, para.block, message, fix=fix,
                             data={"first_line": first_line} if first_line else None)


class PullQuote(ArticleRule):
    code = "NL204"
    name = "duplicate-paragraph-pull-quote"
    level = "info"
    summary = "A sentence of the article repeated on its own as a pull quote."
    docs = {
        "what": "Flags a short block (`min_words` to `max_words` words, ending like a sentence) "
                "whose words also occur, in order, inside a longer paragraph of the same article: "
                "a pull quote that the extractor kept as body text.",
        "why": "On the page a pull quote is a design element; in extracted text it is a repeated "
               "sentence that interrupts the story. It may be intended, so this is information "
               "only.",
        "example": "Paragraph: `... the two leaders aim to reshape global power balances during a "
                   "period of turbulence.`\nLater block: `The two leaders aim to reshape global "
                   "power balances.` (flagged)",
        "fix": "None: decide whether the pull quote should stay; delete the block if not.",
    }
    options = {"min_words": 6, "max_words": 40}
    examples = parse_examples({
        "fail": [_article("Putin and Xi talk", "By reinforcing their partnership, the two leaders "
                          "aim to reshape global power balances during a period of significant "
                          "international turbulence, officials said.",
                          "The two leaders aim to reshape global power balances.", _P2)],
        "pass": [_article("Putin and Xi talk", "The two leaders spoke by video link on Wednesday, "
                          "officials in both capitals said.", "Global power balances", _P2)],
    }, "NL204")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        paras = body(article).paras
        padded = {p.index: b" " + p.key + b" " for p in paras}
        for para in paras:
            if not options["min_words"] <= para.size <= options["max_words"] \
                    or not para.block.text.strip().endswith(SENTENCE_END):
                continue
            needle = b" " + para.key + b" "
            for other in paras:
                if other.size >= para.size + 5 and needle in padded[other.index]:
                    yield self.at_block(article, para.block, "repeats a sentence of the paragraph "
                                        f"at line {other.line} as a pull quote",
                                        data={"first_line": other.line})
                    break


class NearDuplicate(ArticleRule):
    code = "NL202"
    name = "duplicate-paragraph-near"
    level = "warning"
    summary = "A paragraph that nearly repeats an earlier one of the same article."
    fix_safety = "unsafe"
    docs = {
        "what": "Flags a paragraph of at least `min_words` words that shares at least `threshold` "
                "of its word `shingle_words`-grams (Jaccard similarity) with an earlier paragraph "
                "of the same article, without being an exact copy (`duplicate-paragraph` reports "
                "those).",
        "why": "A paragraph repeated with a word or two changed is the same defect as an exact "
               "copy (a teaser and its body, two renders of one block), but exact matching "
               "misses it.",
        "example": "Line 6: `China has been pivotal, bolstering Russia's economy by buying oil.`\n"
                   "Line 9: `China has been pivotal, bolstering Russia's economy by buying gas.`",
        "fix": "Unsafe: the later paragraph is deleted. Check first that the change in wording "
               "carries no new information.",
    }
    options = {"threshold": 0.8, "shingle_words": 3, "min_words": 10}
    examples = parse_examples({
        "fail": [_article("Putin and Xi meet", _P1, _P2, _P1.replace("its industries", "its "
                          "many industries"), _P3)],
        "pass": [_article("Putin and Xi meet", _P1, _P2, _P3),
                 _article("Putin and Xi meet", _P1, "China has been pivotal in the talks, the "
                          "ministry said, and has supplied no weapons to either side.")],
    }, "NL202")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        problem = option_problem(options, {"threshold": (0.01, 1.0), "shingle_words": (1, 10),
                                           "min_words": (1, 10_000)})
        if problem:
            yield self.finding(article, f"rule {self.code}: {problem}", level="error")
            return
        text = body(article)
        exact = {later.index for later, _ in text.copies}
        candidates = {p.index for p in text.paras if p.size >= options["min_words"] and p.index not in exact}
        by_index = {p.index: p for p in text.paras}
        k = options["shingle_words"]
        for j, (similarity, i) in sorted(near_copies(text.grams, candidates, k, options["threshold"]).items()):
            later, first = by_index[j], by_index[i]
            fix = removal(article, later.block, f"remove the near-copy of the paragraph at line "
                          f"{first.line}", safe=False)
            yield self.at_block(article, later.block, f"nearly repeats the paragraph at line "
                                f"{first.line} ({similarity:.0%} of their {k}-word sequences are "
                                "shared)", fix=fix, data={"first_line": first.line,
                                                          "similarity": round(similarity, 3)})


def distinct_paragraphs(text: Body) -> list[Para]:
    """The paragraphs without the exact and near copies the other rules report."""
    copies = {later.index for later, _ in text.copies}
    candidates = {p.index for p in text.paras if p.size >= 10 and p.index not in copies}
    copies.update(near_copies(text.grams, candidates))
    return [p for p in text.paras if p.index not in copies]


def duplicate_shares(keys: list[bytes]) -> tuple[float, float]:
    """(fraction of items, fraction of characters) that repeat an earlier item."""
    seen: set[bytes] = set()
    count = chars = 0
    for key in keys:
        if key in seen:
            count, chars = count + 1, chars + len(key)
        seen.add(key)
    return count / max(len(keys), 1), chars / max(sum(map(len, keys)), 1)


_STUFFED = ("Putin Xi Jinping live: what is happening",
            *(f"{opening} the Putin Xi Jinping live coverage, {body} Every Putin Xi Jinping live "
              f"update matters, analysts said, and readers follow each meeting closely as the "
              f"partnership between the two countries grows deeper and wider every single year."
              for opening, body in (("Welcome to", "we look at the summit."),
                                    ("Inside", "trade deals top the agenda."),
                                    ("Beyond", "military drills come next."),
                                    ("After", "energy talks continue."))))


class KeywordStuffing(ArticleRule):
    code = "NL205"
    name = "duplicate-paragraph-keyword-stuffing"
    level = "warning"
    summary = "Text so repetitive it was written for search engines: keyword stuffing."
    docs = {
        "what": "Measures repetition the way the Gopher quality filters do (Rae et al. 2021, "
                "table A1): the share of duplicate lines and paragraphs (by count and by "
                "characters), the share of the text taken by the most repeated 2-, 3- and 4-word "
                "sequence, and the share covered by repeated 5- to 10-word sequences; each has a "
                "limit (the Gopher defaults). It also catches keyword stuffing that these "
                "whole-text shares miss: one `stuffing_ngram`-word phrase (with at least two "
                "words of four letters or more) repeated `stuffing_min_count` times or more and "
                "spread over at least `stuffing_paragraph_share` of the long paragraphs (at least "
                "`stuffing_min_paragraphs` of them). Blocks that `duplicate-paragraph` and "
                "`duplicate-paragraph-title` report are counted once, so one defect is not "
                "reported twice. Texts of fewer than `min_words` words are skipped, and so are the "
                "word statistics of texts in scripts written without spaces (Chinese, Japanese, "
                "Thai, ...), where words cannot be split reliably.",
        "why": "Content farms repeat a search phrase (\"Putin Xi Jinping live\") in every "
               "paragraph. Such text carries little information, ranks badly and poisons "
               "training data; the Gopher filters drop it from language-model corpora.",
        "example": "`When we look at the Putin Xi Jinping live dynamic ...`, `Every time Putin Xi "
                   "Jinping live updates emerge ...`, `... on Putin Xi Jinping live developments`",
        "fix": "None: the text must be rewritten or dropped.",
        "options": "Fractions are of the length of the words (in UTF-8 bytes; spaces and punctuation "
                   "excluded). "
                   "`top_ngram_char_fractions` are the limits for 2-, 3- and 4-grams, "
                   "`dup_ngram_char_fractions` for 5- to 10-grams.",
    }
    options = {"dup_line_fraction": 0.30, "dup_paragraph_fraction": 0.30,
               "dup_line_char_fraction": 0.20, "dup_paragraph_char_fraction": 0.20,
               "top_ngram_char_fractions": [0.20, 0.18, 0.16],
               "dup_ngram_char_fractions": [0.15, 0.14, 0.13, 0.12, 0.11, 0.10],
               "min_words": 50, "stuffing_ngram": 4, "stuffing_min_count": 6,
               "stuffing_min_paragraphs": 4, "stuffing_paragraph_share": 0.6,
               "long_paragraph_words": 40}
    examples = parse_examples({
        "fail": ["\n\n".join(_STUFFED + (_STUFFED[1].replace("Welcome to", "More on"),
                                         _STUFFED[2].replace("Inside", "Around"))),
                 _article("Buy cheap", *(["Buy cheap shoes online now."] * 1 + [
                     f"Buy cheap shoes online now, buy cheap shoes online today, number {i}."
                     for i in range(12)]))],
        "pass": [_article("Putin and Xi meet", _P1, _P2, _P3, "The two leaders met in Moscow on "
                          "Thursday for talks on trade, energy and security, officials said, "
                          "before a parade on Red Square that drew leaders from 25 countries.")],
    }, "NL205")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        problem = option_problem(options, {**dict.fromkeys(
            ("dup_line_fraction", "dup_paragraph_fraction", "dup_line_char_fraction",
             "dup_paragraph_char_fraction", "top_ngram_char_fractions", "dup_ngram_char_fractions",
             "stuffing_paragraph_share"), (0.0, 1.0)), "stuffing_ngram": (2, 10),
            **dict.fromkeys(("min_words", "stuffing_min_count", "stuffing_min_paragraphs",
                             "long_paragraph_words"), (1, 1_000_000))})
        if problem:
            yield self.finding(article, f"rule {self.code}: {problem}", level="error")
            return
        text = body(article)
        kept = distinct_paragraphs(text)
        if sum(p.size for p in kept) < options["min_words"]:
            return
        grams = None
        if not spaceless(article.text):
            grams = text.grams if len(kept) == len(text.paras) else WordGrams(kept, text.grams)
        problem = self._block_problem(kept, options) or (grams and self._ngram_problem(grams, options))
        if problem:
            yield self._finding(article, kept, grams, problem)
        elif grams is not None and (stuffed := self._stuffing(grams, kept, options)):
            yield self._stuffed(article, grams, options["stuffing_ngram"], *stuffed,
                                line=article.blocks[grams.owner[stuffed[0]]].line)

    @staticmethod
    def _block_problem(kept: list[Para], options: dict[str, Any]) -> tuple[str, float, float] | None:
        lines = [k for p in kept for k in ([p.key] if "\n" not in p.block.text.strip()
                                           else filter(None, map(words_key, p.block.text.split("\n"))))]
        para_count, para_chars = duplicate_shares([p.key for p in kept])
        line_count, line_chars = duplicate_shares(lines)
        for label, value, key in (("duplicate lines", line_count, "dup_line_fraction"),
                                  ("duplicate paragraphs", para_count, "dup_paragraph_fraction"),
                                  ("characters in duplicate lines", line_chars, "dup_line_char_fraction"),
                                  ("characters in duplicate paragraphs", para_chars,
                                   "dup_paragraph_char_fraction")):
            if value > options[key]:
                return label, value, options[key]
        return None

    @staticmethod
    def _ngram_problem(grams: WordGrams, options: dict[str, Any]) -> tuple[str, float, float] | None:
        for n, limit in enumerate(options["top_ngram_char_fractions"], start=2):
            top = grams.top(n)
            if top and top[2] > limit:
                return f"the most repeated {n}-word sequence", top[2], limit
        limits = options["dup_ngram_char_fractions"]
        for i, limit in enumerate(limits):
            share = grams.duplicated_share(5 + i)
            if share > limit:
                return f"text in repeated {5 + i}-word sequences", share, limit
            if share <= min(limits[i:]):
                break  # longer repeats cover no more text than shorter ones
        return None

    @staticmethod
    def _stuffing(grams: WordGrams, kept: list[Para],
                  options: dict[str, Any]) -> tuple[int, int, int, int] | None:
        """(position, count, paragraphs, long paragraphs) of a stuffed phrase."""
        n = options["stuffing_ngram"]
        long = {p.index for p in kept if p.size >= options["long_paragraph_words"]}
        if len(long) < options["stuffing_min_paragraphs"] or len(grams.hashes(n)) == 0:
            return None
        first, counts, order, starts = grams.counted(n)
        frequent = np.flatnonzero(counts >= options["stuffing_min_count"])
        for j in frequent[np.lexsort((first[frequent], -counts[frequent]))][:10]:
            position, count = int(first[j]), int(counts[j])
            if int((grams.lengths[position:position + n] >= 4).sum()) < 2:
                continue  # a run of short function words ("at the end of")
            occurrences = order[starts[j]:starts[j] + count]
            spread = len(long & set(grams.owner[occurrences].tolist()))
            if spread >= options["stuffing_min_paragraphs"] \
                    and spread >= options["stuffing_paragraph_share"] * len(long):
                return position, count, spread, len(long)
        return None

    def _finding(self, article: Article, kept: list[Para], grams: WordGrams | None,
                 problem: tuple[str, float, float]) -> Finding:
        label, value, limit = problem
        message = f"repetitive text: {label} make up {value:.0%} of it (limit {limit:.0%})"
        data: dict[str, Any] = {"measure": label, "value": round(value, 4), "limit": limit}
        top = most_repeated(grams)
        if top:
            n, position, count, share = top
            message += (f"; the most repeated phrase '{grams.text(position, n)}' occurs {count} "
                        f"times ({share:.1%} of the text)")
            data.update(ngram=grams.text(position, n), count=count, fraction=round(share, 4))
        return self.finding(article, message, line=kept[0].line, data=data)

    def _stuffed(self, article: Article, grams: WordGrams, n: int, position: int, count: int,
                 spread: int, long: int, line: int) -> Finding:
        phrase, share = grams.text(position, n), grams.share(position, n, count)
        return self.finding(article, f"keyword stuffing: '{phrase}' occurs {count} times, in "
                            f"{spread} of {long} long paragraphs ({share:.1%} of the text)",
                            line=line, data={"measure": "keyword stuffing", "ngram": phrase,
                                             "count": count, "fraction": round(share, 4),
                                             "paragraphs": spread})


def most_repeated(grams: WordGrams | None) -> tuple[int, int, int, float] | None:
    """(n, position, count, fraction) of the 2- to 4-gram taking the largest share."""
    if grams is None:
        return None
    found = [(n, *top) for n in (4, 3, 2) if (top := grams.top(n))]
    return max(found, key=lambda t: t[3], default=None)


@hookimpl
def newslint_register_rules(register):
    register(DuplicateParagraph())
    register(NearDuplicate())
    register(RepeatedTitle())
    register(PullQuote())
    register(KeywordStuffing())
