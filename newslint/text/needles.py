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

One set asks with `found_in`: one substring test per needle, each a pass over
the text. Where several sets are asked about one text, `NeedleScan(folded)`
finds every needle of every set in one Aho-Corasick pass (ahocorasick_rs):
an article's whole text is asked about some 150 needles, and 150 passes of
`in` cost ten times that one pass. It also tells where they are, so a pattern
can be tried only around them (`ArticleText.finditer_near`).
"""
from __future__ import annotations

import threading
from collections.abc import Iterable

import regex

from newslint.lazy import lazy

_ASCII_DIGITS = "0123456789"
_DIGIT = lazy(r"\d")
#: every needle of every `Needles` set made so far -> its number in `_NEEDLES`
_NUMBER: dict[str, int] = {}
_NEEDLES: list[str] = []
_AUTOMATON: list = [None, 0, 1]  # the automaton, how many needles it was built for, the longest
_LOCK = threading.Lock()


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

    __slots__ = ("all", "ascii", "numbers", "newest")

    def __init__(self, needles: Iterable[str]):
        self.all = tuple(dict.fromkeys(folded(n) for n in needles))
        if any(not n or "\n" in n for n in self.all):
            raise ValueError("a needle is empty or holds a line break")  # see finditer_near
        #: an ASCII text cannot hold a needle with another character, and
        #: `in` would still read all of it for a Latin-1 one
        self.ascii = tuple(n for n in self.all if n.isascii())
        #: the needles' numbers in `NeedleScan.present`
        self.numbers = frozenset(map(_number, self.all))
        self.newest = max(self.numbers, default=-1)

    def found_in(self, folded_text: str) -> bool:
        """Does `folded_text` (see `folded`) hold one of the needles?"""
        for needle in self.ascii if folded_text.isascii() else self.all:
            if needle in folded_text:
                return True
        return False


def _number(needle: str) -> int:
    with _LOCK:
        if needle not in _NUMBER:
            _NUMBER[needle] = len(_NEEDLES)
            _NEEDLES.append(needle)
        return _NUMBER[needle]


def _automaton():
    """One Aho-Corasick automaton of every needle made so far (a DFA: about
    twice as fast to search as the NFAs, and small for a few hundred needles),
    how many needles it holds and the longest one's length; built again when a
    new set brought new needles."""
    with _LOCK:
        if _AUTOMATON[0] is None or _AUTOMATON[1] != len(_NEEDLES):
            import ahocorasick_rs  # on first use: a run served from the cache needs none
            size = len(_NEEDLES)
            automaton = ahocorasick_rs.AhoCorasick(
                _NEEDLES[:size], implementation=ahocorasick_rs.Implementation.DFA)
            _AUTOMATON[:] = [automaton, size, max(map(len, _NEEDLES[:size]), default=1)]
        return tuple(_AUTOMATON)


#: A text is scanned this many characters at a time, and the places of at most
#: MAX_PLACES needle occurrences are kept: a hostile text of ten million "="
#: would otherwise make a list of ten million matches. Past that, `starts` is
#: None (the patterns then read the whole text) and only which needles occur is kept.
CHUNK = 1 << 15
MAX_PLACES = 50_000


class NeedleScan:
    """Every needle of every `Needles` set in one folded text (see `folded`),
    found in one pass: `holds(needles)` is `needles.found_in(folded_text)`,
    `starts(needles)` the offsets where the set's needles begin, in order
    (None past MAX_PLACES occurrences)."""

    __slots__ = ("text", "present", "_found", "_size", "_places")

    def __init__(self, folded_text: str):
        automaton, self._size, longest = _automaton()
        self.text = folded_text
        present: set[int] = set()
        found: list[tuple[int, int]] | None = []
        for lo in range(0, len(folded_text), CHUNK):
            # a chunk and the overlap that a needle starting in it may reach into
            matches = self._matches(automaton, folded_text[lo:lo + CHUNK + longest - 1])
            if lo + CHUNK < len(folded_text):
                matches = [m for m in matches if m[1] < CHUNK]  # the next chunk has the others
            present.update(number for number, _, _ in matches)
            found += [(number, lo + start) for number, start, _ in matches]
            if len(found) > MAX_PLACES:  # the others, one substring test each
                found = None
                present.update(number for number, needle in enumerate(_NEEDLES[:self._size])
                               if number not in present and needle in folded_text)
                break
        self._found = found
        self.present = frozenset(present)
        self._places: dict[int, list[int]] | None = None

    def _matches(self, automaton, text: str) -> list[tuple[int, int, int]]:
        try:
            return automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:  # a lone surrogate (undecodable bytes): one needle at a time
            return [(number, at, at + len(needle))
                    for number, needle in enumerate(_NEEDLES[:self._size])
                    for at in _occurrences(needle, text)]

    def holds(self, needles: Needles) -> bool:
        if needles.newest >= self._size:  # a set made after this scan
            return needles.found_in(self.text)
        return not needles.numbers.isdisjoint(self.present)

    def starts(self, needles: Needles) -> list[int] | None:
        if self._found is None:
            return None
        if needles.newest >= self._size:
            return sorted({at for n in needles.all for at in _occurrences(n, self.text)})
        if self._places is None:  # each needle's places, gathered on the first call
            self._places = {}
            for number, start in self._found:
                self._places.setdefault(number, []).append(start)
        places = [self._places[n] for n in needles.numbers & self.present]
        if len(places) == 1:
            return places[0]  # in order already: one needle's matches come in order
        return sorted({start for starts in places for start in starts})


def _occurrences(needle: str, text: str) -> Iterable[int]:
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


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
