"""Helpers shared by the damage rules: word counts that work for scripts
written without spaces, and findings that fall back to the block's line when
the article has no editable source (HTML)."""
from __future__ import annotations

import re
from typing import Any

import regex

from ..model import Article, Finding, Fix
from ..rule import Rule
from ..text import Line

#: Scripts written without spaces between words, with the average number of
#: letters per word used to estimate a word count.
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_SOUTHEAST_ASIAN = regex.compile(r"[\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}&&\p{L}]", regex.V1)
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
#: a whitespace-delimited token holding at least one letter or digit
_WORD_RE = regex.compile(r"[^\s\p{L}\p{N}]*[\p{L}\p{N}]\S*")
#: in ASCII text: from a token's first letter or digit to its end, so one match
#: per whitespace-separated token holding one (4x faster than testing each token)
_ASCII_WORD_RE = re.compile(r"[A-Za-z0-9]\S*")
CJK_LETTERS_PER_WORD = 1.5
SOUTHEAST_ASIAN_LETTERS_PER_WORD = 4


def count_words(text: str) -> int:
    """Words in `text`: whitespace-separated tokens holding a letter or digit,
    plus an estimate for scripts written without spaces (Chinese, Japanese,
    Thai, Lao, Khmer, Burmese) from their number of letters."""
    if text.isascii():
        return len(_ASCII_WORD_RE.findall(text))
    cjk = len(_CJK.findall(text))
    southeast = len(_SOUTHEAST_ASIAN.findall(text))
    spaced_text = _UNSPACED.sub(" ", text) if cjk or southeast else text
    spaced = len(_WORD_RE.findall(spaced_text))
    return spaced + round(cjk / CJK_LETTERS_PER_WORD) + round(southeast / SOUTHEAST_ASIAN_LETTERS_PER_WORD)


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
