"""Which lines can a `match: line` phrase rule possibly flag? One stdlib `re`
search over the whole article answers, so the exact patterns (the `regex`
module, with full case folding and a timeout: ~4 microseconds a line) run
only on the few lines that pass. Only the built-in rules use it (see
PhraseRule.builtin): their patterns are reviewed, and tests/test_fast_paths.py
checks what follows on them.

The search looks for the *lead* of each pattern at the start of each line:
the pattern's first elements, translated to `re` with every element widened,
never narrowed, and cut off after a few literal characters. Why a line the
pattern matches always passes:

- every string the pattern matches begins with a string its lead matches:
  the lead keeps the elements it translates in order, drops zero-width
  assertions (lookarounds, anchors, word boundaries; a look-ahead bounding
  the length of the line stays, as it is), makes atomic groups and lazy or
  possessive repeats plain ones, keeps the first repetition of an element
  repeated at least once, and stops at an element it cannot translate;
- each translated element accepts every character the `regex` element accepts
  (tests compare them over all of Unicode): a literal is matched with its
  cases as `regex` lists them, `\\p{L}` becomes "not a space", `\\s` the list
  of `regex`'s spaces, `\\d` `re`'s digits plus the planes where newer Unicode
  adds some, anything else "any character but a newline";
- the classes a lead writes with data of one Unicode version (`\\s` as a
  list, `\\d` and `\\p{So}` with `re`'s own classes, which follow Python's
  version, not `regex`'s) may miss a character a newer (or older) `regex`
  puts in them: the search is skipped for an article holding a character
  on which the two engines disagree (declarative_chars.Agreement judges the
  characters the articles bring, with the installed `regex`);
- full case folding can match one character with two (`ß` with `ss`): the
  search is skipped for an article holding a character that folds to more
  than one (`regex`'s own list), and a lead stops after an element that may
  match such a fold (it takes its first character as any character);
- the lines are searched stripped, each after a newline, and no translated
  element matches a newline, so each line is tried once and on its own;
- a look-ahead before the leads holds the first character of every string a
  pattern matches (classes widened in the same way), and is left out when a
  pattern may match an empty line or start with any character.

A pattern whose syntax might mean something else to `re` (nested sets,
fuzzy matching, inline flags...) has no lead: its rule matches every line.
Worst case stays linear: a lead holds at most one unbounded run, of one
class, before any literal (possessive when what follows cannot start with
its characters), then elements of bounded length.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

from newslint.checks.declarative.chars import (
    ANY_CHAR,
    EXPANDING,
    SPACE,
    SPACES,
    CharSet,
    literal,
    placeholder,
    sre,
)
from newslint.checks.declarative.syntax import parsed

#: literal characters after which a lead stops: enough to be selective
ENOUGH_LITERALS = 6
#: the longest bounded repetition a lead translates whole
MAX_BOUNDED = 16
CHAR_OPS = (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN)
ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
#: (atomic groups and possessive repeats are Python 3.11's; 3.10 cannot parse them)
ATOMIC_GROUP = getattr(sre, "ATOMIC_GROUP", None)
GROUPS = (sre.SUBPATTERN, ATOMIC_GROUP)
REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None))
POSSESSIVE = sys.version_info >= (3, 11)


def line_prefilter(patterns: list[str], ignore_case: bool) -> re.Pattern | None:
    """`\\n` followed by the lead of one of `patterns`, or None when one of
    them has no lead (then every line is a candidate). A look-ahead for the
    characters a match can start with comes first: `re` tries alternatives
    one after the other, and most lines start with none of those characters."""
    found = pattern_leads(patterns, ignore_case)
    if found is None:
        return None
    leads = list(dict.fromkeys(lead for lead, _ in found))
    starts: CharSet | None = CharSet(ignore_case)
    for _, first in found:
        starts = None if first is None or starts is None else starts.merge(first)
    look = f"(?={starts.source()})" if starts is not None else ""
    # re's case-insensitive matching is a superset of regex's for the
    # characters a lead writes as themselves (see declarative_chars.literal)
    return re.compile(f"\\n{look}(?:" + "|".join(leads) + ")", re.IGNORECASE if ignore_case else 0)


def pattern_leads(patterns: list[str], ignore_case: bool) -> list[tuple[str, CharSet | None]] | None:
    """Per pattern, its lead and a class holding the first character of every
    string it matches (None: any character, or it may match an empty line);
    None when a pattern has no lead."""
    out = []
    for pattern in patterns:
        nodes = parsed(pattern)
        found = lead_and_first(nodes, ignore_case) if nodes is not None else None
        if found is None:
            return None
        out.append(found)
    return out


def lead_and_first(nodes: Any, ignore_case: bool) -> tuple[str, CharSet | None] | None:
    """The lead of a sequence of `re` parse nodes and the class of the first
    characters of its matches (see pattern_leads); None when it has no lead."""
    translator = _Translator(ignore_case)
    lead = translator.lead(nodes)
    return (lead, translator.first(nodes)) if lead else None


def candidate_lines(prefilter: re.Pattern, text: str) -> set[int]:
    """Indexes of the lines of `text` ("\\n" before each stripped line) that
    the prefilter lets through (newlines counted from one match to the next:
    counting from the start each time would make a text of many matching
    lines cost their number times its length)."""
    lines, line, counted = set(), 0, 0
    for m in prefilter.finditer(text):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        lines.add(line)
    return lines


@dataclass
class _Step:
    """A lead translated so far: `done` when it stopped inside what it read
    (nothing that follows may be appended), `literals` literal characters on
    every path, `star` once it holds its one unbounded repetition."""

    source: str
    done: bool
    literals: int
    star: bool


def _runs_next(nodes: Any) -> bool:
    """Whether the next element that is not an assertion is an unbounded run."""
    for op, av in nodes:
        if op not in ZERO_WIDTH:
            return op in REPEATS and av[1] == sre.MAXREPEAT
    return False


def _inner(op: Any, av: Any) -> Any:
    """The nodes inside a group."""
    return av[-1] if op is sre.SUBPATTERN else av


class _Translator:
    """Reads `re`'s parse of a pattern: its lead, the first characters of its
    matches, and its one-character elements as `re` classes."""

    def __init__(self, ignore_case: bool):
        self.ignore_case = ignore_case

    def lead(self, parsed: Any) -> str:
        return self._sequence(parsed, 0, False).source

    def _sequence(self, nodes: Any, literals: int, star: bool) -> _Step:
        parts = []
        for i, (op, av) in enumerate(nodes):
            if op in ZERO_WIDTH:  # dropped, which only widens, unless it bounds a run
                parts.append(self._length_bound(op, av) if _runs_next(nodes[i + 1:]) else "")
                continue
            if literals >= ENOUGH_LITERALS:
                return _Step("".join(parts), True, literals, star)
            step = self._node(op, av, literals, star, nodes[i + 1:])
            parts.append(step.source)
            literals, star = step.literals, step.star
            if step.done:
                return _Step("".join(parts), True, literals, star)
        return _Step("".join(parts), False, literals, star)

    @staticmethod
    def _length_bound(op: Any, av: Any) -> str:
        """A look-ahead for the length of the rest of the line, `(?=.{1,120}$)`,
        kept before an unbounded run: it spares a long line of the run's
        characters a try at each of them (`.` is any character but a newline,
        and the line ends before a newline or at the end of the text)."""
        if op is not sre.ASSERT or av[0] != 1 or len(av[1]) != 2:
            return ""
        (repeat, (low, high, body)), end = av[1][0], av[1][1]
        if repeat is not sre.MAX_REPEAT or list(body) != [(sre.ANY, None)] \
                or end not in ((sre.AT, sre.AT_END), (sre.AT, sre.AT_END_STRING)):
            return ""
        most = "" if high == sre.MAXREPEAT else high
        return f"(?=[^\\n]{{{low},{most}}}(?:\\n|\\Z))"

    def _node(self, op: Any, av: Any, literals: int, star: bool, rest: Any = ()) -> _Step:
        if op in CHAR_OPS:
            chars, expands = self.chars(op, av)
            if expands:  # may match a fold such as "ss": its first character, then stop
                return _Step(ANY_CHAR, True, literals, star)
            counts = op is sre.LITERAL and placeholder(av) is None
            return _Step(chars, False, literals + counts, star)
        if op in GROUPS:  # atomic: widened to a plain group
            step = self._sequence(_inner(op, av), literals, star)
            return _Step(f"(?:{step.source})", step.done, step.literals, step.star)
        if op is sre.BRANCH:
            steps = [self._sequence(branch, literals, star) for branch in av[1]]
            return _Step("(?:" + "|".join(s.source for s in steps) + ")", any(s.done for s in steps),
                         min(s.literals for s in steps), any(s.star for s in steps))
        if op in REPEATS:  # lazy and possessive: widened to greedy
            return self._repeat(*av, literals, star, rest)
        return _Step("", True, literals, star)  # back-references, conditionals

    def _repeat(self, low: int, high: int, body: Any, literals: int, star: bool,
                rest: Any) -> _Step:
        if high <= MAX_BOUNDED:
            whole = self._whole(body)
            if whole is not None:
                return _Step(f"(?:{whole}){{{low},{high}}}", False, literals, star)
        elif high == sre.MAXREPEAT and not star and not literals and len(body) == 1 \
                and body[0][0] in CHAR_OPS:
            chars, expands = self.chars(*body[0])
            if not expands:  # the one unbounded repetition, of one character
                keep = "+" if self._never_gives_back(body[0], rest) else ""
                return _Step(f"{chars}{{{low},}}{keep}", False, literals, True)
        if low >= 1:  # its first repetition
            step = self._sequence(body, literals, star)
            return _Step(f"(?:{step.source})", True, step.literals, step.star)
        return _Step("", True, literals, star)

    def _never_gives_back(self, element: Any, rest: Any) -> bool:
        """Whether a run of `element` may be possessive: when no character it
        matches can start what follows (then giving one back never lets the
        rest match), a run of junk costs one pass, not one try per character.
        Only a class of listed characters and spaces is checked (Python 3.11+)."""
        chars = CharSet(self.ignore_case)
        if not POSSESSIVE or not self._fill(*element, chars) or chars.kinds - {SPACE}:
            return False
        follows = self.first(rest)
        if follows is None:
            return False
        starts = re.compile(follows.source(), re.IGNORECASE if self.ignore_case else 0)
        members = [chr(c) for c in chars.codes] + (list(SPACES) if SPACE in chars.kinds else [])
        return not any(starts.fullmatch(c) for c in members)

    def _whole(self, nodes: Any) -> str | None:
        """All of `nodes`, when it is of bounded length."""
        parts = []
        for op, av in nodes:
            if op in ZERO_WIDTH:
                continue
            if op in CHAR_OPS:
                chars, expands = self.chars(op, av)
                part = None if expands else chars
            elif op in GROUPS:
                inner = self._whole(_inner(op, av))
                part = None if inner is None else f"(?:{inner})"
            elif op is sre.BRANCH:
                branches = [self._whole(branch) for branch in av[1]]
                part = None if None in branches else "(?:" + "|".join(branches) + ")"
            elif op in REPEATS and av[1] <= MAX_BOUNDED:
                inner = self._whole(av[2])
                part = None if inner is None else f"(?:{inner}){{{av[0]},{av[1]}}}"
            else:
                part = None
            if part is None:
                return None
            parts.append(part)
        return "".join(parts)

    def chars(self, op: Any, av: Any) -> tuple[str, bool]:
        """A `re` class holding every character the element matches (never a
        newline), and whether, with full case folding, the element may also
        match several characters: `regex` lets a set holding a character that
        folds to several (ß) match its fold ("ss")."""
        if op is sre.LITERAL and placeholder(av) is None and chr(av) not in EXPANDING:
            return literal(av, self.ignore_case), False
        chars = CharSet(self.ignore_case)
        if not self._fill(op, av, chars):
            return ANY_CHAR, self.ignore_case and chars.expands
        return chars.source(), self.ignore_case and chars.expands

    def _fill(self, op: Any, av: Any, chars: CharSet) -> bool:
        """Puts the characters of a one-character element in a new `chars`;
        False when it matches any character but a newline."""
        if op is sre.ANY or op is sre.NOT_LITERAL:
            return False
        items = [(op, av)] if op is sre.LITERAL else list(av)
        for kind, value in items:
            if kind is sre.NEGATE:  # (a negated set never matches a fold)
                return False
            if kind is sre.LITERAL:
                chars.add(value, value)
            elif kind is sre.RANGE:
                chars.add(*value)
            elif kind is sre.CATEGORY and value in (sre.CATEGORY_SPACE, sre.CATEGORY_DIGIT):
                chars.category(value)
            else:
                chars.expands = True
                return False
        # a set of one class escape is that class in `regex`, which never expands
        chars.expands |= chars.letters and len(items) > 1
        return True

    def first(self, parsed: Any) -> CharSet | None:
        """A class holding the first character of every string the pattern
        matches; None when that may be any character, or none (it matches "")."""
        chars = CharSet(self.ignore_case)
        return chars if self._first(parsed, chars) is False else None

    def _first(self, nodes: Any, chars: CharSet) -> bool | None:
        """Adds to `chars` the characters a match of `nodes` may start with,
        and says whether `nodes` may match the empty string (None: any start)."""
        for op, av in nodes:
            if op in ZERO_WIDTH:
                continue
            if op in CHAR_OPS:
                one = CharSet(self.ignore_case)
                if not self._fill(op, av, one) or (self.ignore_case and one.expands):
                    return None
                chars.codes |= one.codes
                chars.kinds |= one.kinds
                return False
            if op in GROUPS:
                empty = self._first(_inner(op, av), chars)
            elif op is sre.BRANCH:
                ends = [self._first(branch, chars) for branch in av[1]]
                empty = None if None in ends else any(ends)
            elif op in REPEATS:
                empty = self._first(av[2], chars)
                empty = None if empty is None else empty or av[0] == 0
            else:
                return None
            if not empty:
                return empty  # None or False
        return True


