"""Cheap necessary conditions tried before an expensive pattern scan.

Most articles hold no date, byline or source phrase at all, so the patterns
looking for them read the whole text and find nothing. A `regex` pattern with
no literal start (a `\\b`, a lookbehind, a case-insensitive alternation) is
tried at every position, at ~100 ns a character; Python's substring test runs
at ~1 ns a character, a one-character one at memchr speed. So a rule first asks
whether the text holds one of a few literal strings ("needles") that every match
of its pattern must contain, and runs the pattern only if it does: the answer
is the same, only the work for texts the pattern cannot match is saved.

Needles are case-folded and looked for in `folded(text)`, so one set serves
case-insensitive patterns too.
"""
from __future__ import annotations

from collections.abc import Iterable

import regex

from newslint.lazy import lazy

_ASCII_DIGITS = "0123456789"
_DIGIT = lazy(r"\d")


def folded(text: str) -> str:
    """`text` case-folded so that whatever a case-insensitive pattern matches
    (simple or full case folding) folds to what the pattern's literal folds to.

    `str.casefold` is Unicode full case folding ("ß" -> "ss", "ﬁ" -> "fi"),
    which agrees with the regex module's matching for every character but one:
    regex matches "İ" with "i", and casefold gives "i" + U+0307 COMBINING DOT
    ABOVE. Dropping the dots keeps that "i" next to its neighbours; no needle
    holds a U+0307, so no needle occurrence is lost by it.
    """
    return text.casefold().replace("\u0307", "")


class Needles:
    """Literal strings (case-folded), at least one of which every match of a
    pattern holds."""

    __slots__ = ("all", "ascii")

    def __init__(self, needles: Iterable[str]):
        self.all = tuple(dict.fromkeys(folded(n) for n in needles))
        #: an ASCII text cannot hold a needle with another character, and
        #: `in` would still read all of it for a Latin-1 one
        self.ascii = tuple(n for n in self.all if n.isascii())

    def found_in(self, folded_text: str) -> bool:
        """Does `folded_text` (see `folded`) hold one of the needles?"""
        for needle in self.ascii if folded_text.isascii() else self.all:
            if needle in folded_text:
                return True
        return False


def covering(needles: Iterable[str], phrases: Iterable[str]) -> list[str]:
    """`needles`, plus every phrase that holds none of them (so a phrase added
    to a word list is never missed by a hand-picked set of needles)."""
    chosen = [folded(n) for n in needles]
    return chosen + [folded(p) for p in phrases if not any(n in folded(p) for n in chosen)]


def has_digit(text: str) -> bool:
    """Does `text` hold a decimal digit as the patterns' `\\d` sees one (any
    Unicode Nd character)? For ASCII text, ten one-character tests."""
    if text.isascii():
        for digit in _ASCII_DIGITS:
            if digit in text:
                return True
        return False
    return _DIGIT.search(text) is not None


def trie_pattern(words) -> str:
    """One regex alternation for many literal words, as a trie: "jan(?:uary)?|..."
    tries each starting letter once instead of every word in turn."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [regex.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and len(alts[0]) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body
    return build(trie)
