"""Helpers shared by the damage rules: word counts that work for scripts
written without spaces, and findings that fall back to the block's line when
the article has no editable source (HTML)."""
from __future__ import annotations

from typing import Any

import regex

from newslint.lazy import lazy
from newslint.model import Article, Finding, Fix
from newslint.rule import Rule
from newslint.text.lines import Line

#: Scripts written without spaces between words, with the average number of
#: letters per word used to estimate a word count.
_CJK = lazy(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_SOUTHEAST_ASIAN = lazy(r"[\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}&&\p{L}]", regex.V1)
_UNSPACED = lazy(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
#: a whitespace-delimited token holding at least one letter or digit
_WORD_RE = lazy(r"[^\s\p{L}\p{N}]*[\p{L}\p{N}]\S*")
_NOT_WORD_OR_SPACE_RE = lazy(r"[^\s\p{L}\p{N}]+")
#: ASCII text as bytes, for counting its words without making a string of
#: each (which matching r"[A-Za-z0-9]\S*" did, at 10x the cost): the bytes a
#: word can hold become "a", spaces (str.isspace: \t-\r, \x1c-\x1f, " ") become
#: " ", and all other ASCII (punctuation) is deleted
_SPACES = bytes(c for c in range(128) if chr(c).isspace())
_WORD_BYTES = bytes.maketrans(_SPACES + bytes(c for c in range(128) if chr(c).isalnum()),
                              b" " * len(_SPACES) + b"a" * 62)
_PUNCTUATION = bytes(c for c in range(128) if not chr(c).isalnum() and not chr(c).isspace())
CJK_LETTERS_PER_WORD = 1.5
SOUTHEAST_ASIAN_LETTERS_PER_WORD = 4


def count_words(text: str) -> int:
    """Words in `text`: whitespace-separated tokens holding a letter or digit,
    plus an estimate for scripts written without spaces (Chinese, Japanese,
    Thai, Lao, Khmer, Burmese) from their number of letters."""
    if text.isascii():
        return _ascii_words(text)
    if not _UNSPACED.search(text):  # (it holds both scripts below: one scan for the two)
        return _spaced_words(text)
    cjk = len(_CJK.findall(text))
    southeast = len(_SOUTHEAST_ASIAN.findall(text))
    spaced_text = _UNSPACED.sub(" ", text) if cjk or southeast else text
    spaced = _spaced_words(spaced_text)
    return spaced + round(cjk / CJK_LETTERS_PER_WORD) + round(southeast / SOUTHEAST_ASIAN_LETTERS_PER_WORD)


#: the body's UTF-8 bytes with punctuation sorted into classes, so that one
#: fast `in` (not a regular expression tried at each of thousands of
#: positions) tells whether any line can hold a damage of spacing: . ! ? ->
#: ".", , ; : -> ",", space and tab -> " ", A-Z and every byte of a non-ASCII
#: character -> "A", anything else (the newline too) -> "x"
_MARK_CLASSES = bytes.maketrans(
    bytes(range(256)),
    bytes(46 if c in b".!?" else 44 if c in b",;:" else 32 if c in b" \t"
          else 65 if 65 <= c <= 90 or c >= 128 else 120 for c in range(256)))


def spacing_marks(article: Article) -> bytes:
    """The body's text as mark classes (see _MARK_CLASSES), made once for the
    rules that need it (kept in `article.extra` for these blocks)."""
    cached = article.extra.get("_spacing_marks")
    if cached is None or cached[0] is not article.blocks:
        text = "\n".join(block.text for block in article.blocks)
        marks = text.encode("utf-8", "surrogatepass").translate(_MARK_CLASSES)
        cached = article.extra["_spacing_marks"] = (article.blocks, marks)
    return cached[1]


def _spaced_words(text: str) -> int:
    """len(_WORD_RE.findall(text)), 30% faster: with all that is neither a
    space nor a letter or digit deleted (\\x1c-\\x1f too, which are spaces to
    str.split but not to regex), the words are what str.split finds."""
    return len(_NOT_WORD_OR_SPACE_RE.sub("", text).split())


def _ascii_words(text: str) -> int:
    """Whitespace-separated tokens holding an ASCII letter or digit. Deleting
    punctuation leaves each token its letters and digits ("a"s), none when it
    had none, and keeps the spaces between tokens: each word then starts with
    an "a" at the start or after a space."""
    marks = text.encode("ascii").translate(_WORD_BYTES, _PUNCTUATION)
    return marks.count(b" a") + marks.startswith(b"a")


class BlockWords:
    """count_words of each body block, counted on first need and once for the
    rules that need them (kept in `article.extra` for these blocks, like
    body_lines): the rules only ask whether a count passes a bound, which
    the first blocks (or, see could_be_over, a block's length) often answer."""

    def __init__(self, blocks: tuple) -> None:
        self.blocks = blocks
        self.counts: list[int | None] = [None] * len(blocks)

    def words(self, i: int) -> int:
        count = self.counts[i]
        if count is None:
            count = self.counts[i] = count_words(self.blocks[i].text)
        return count

    def total_below(self, limit: int) -> int | None:
        """The words of all blocks when they are fewer than `limit`, else None
        (counted until the sum reaches it)."""
        total = 0
        for i in range(len(self.blocks)):
            total += self.words(i)
            if total >= limit:
                return None
        return total if total < limit else None


def could_be_over(text: str, limit: int) -> bool:
    """Whether `text` may have more than `limit` words: an ASCII text of n
    characters holds at most (n + 1) // 2 (each word is a letter or digit,
    and a space or the end after it), so most paragraphs need no count."""
    return not text.isascii() or (len(text) + 1) // 2 > limit


def block_words(article: Article) -> BlockWords:
    """The article's BlockWords (kept in `article.extra` for these blocks)."""
    cached = article.extra.get("_block_words")
    if cached is None or cached.blocks is not article.blocks:
        cached = article.extra["_block_words"] = BlockWords(article.blocks)
    return cached


def at_line(rule: Rule, article: Article, line: Line, start: int, end: int, message: str,
            fix: Fix | None = None, **kw: Any) -> Finding:
    """A finding on line.text[start:end]: exact columns when the line has
    source offsets, else the line itself (HTML has no editable source)."""
    if line.start is not None and article.source is not None:
        return rule.at_span(article, line.start + start, line.start + end, message, fix=fix, **kw)
    return rule.finding(article, message, line=line.line, **kw)


def context(text: str, start: int, end: int, width: int = 20) -> str:
    """text[start:end] with up to `width` characters either side, on one line."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    out = text[left:right].strip()
    return ("…" if left > 0 else "") + out + ("…" if right < len(text) else "")
