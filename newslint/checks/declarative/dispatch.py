"""All built-in phrase rules' prefilters in one pass over an article's lines.

A rule's prefilter (declarative_prefilter) tries the leads of its patterns
at the start of every line: with case folding `re` tries them one after the
other, ~1 microsecond a line for each of eleven rules. Here each line's
first character picks, once for all rules, the leads that can start with it
(`pattern_leads` gives each lead the class of the first characters of its
pattern's matches), and only those are tried, at the line's start; most
lines start a match of no lead, and cost one dictionary look-up.

Why a line a pattern matches is still a candidate of its rule: the pattern's
lead matches at the line's start (declarative_prefilter), and its first
character is in the pattern's class (the class the prefilter's look-ahead
is made of), so that lead is among the ones tried. An empty line is tried
with the leads of patterns that may match an empty line (class None).
"""
from __future__ import annotations

import re

from typing import Any

from newslint.checks.declarative.chars import CharSet, has_expanding, untranslated
from newslint.checks.declarative.prefilter import GROUPS, REPEATS, ZERO_WIDTH, _inner, lead_and_first, sre
from newslint.checks.declarative.syntax import parsed
from newslint.model import Article

#: first characters remembered (each costs ~100 class tests to sort out);
#: a text of many distinct ones (a CJK page) starts the memory again
MAX_CHARS = 65_536
#: combinations of leads compiled, per rule, before starting again
MAX_COMBINATIONS = 1024
#: the most parts a pattern is split into (see split_leads)
MAX_PARTS = 64


def split_leads(patterns: list[str], ignore_case: bool) -> list[tuple[str, CharSet | None]] | None:
    """Like declarative_prefilter.pattern_leads, with each pattern first split
    at the alternatives it starts with: `(?:get|show) a` is `get a` and
    `show a`, an optional start `(?:the )?story` is `the story` and `story`
    (a string the pattern matches is one a part matches). Each part has a
    lead and first characters of its own: a line starting with "S" is tried
    with `show a`, not with `get a` too."""
    out = []
    for pattern in patterns:
        nodes = parsed(pattern)
        if nodes is None:
            return None
        for part in _parts(list(nodes)):
            found = lead_and_first(part, ignore_case)
            if found is None:
                return None
            out.append(found)
    return out


def _parts(nodes: list[Any]) -> list[list[Any]]:
    """`nodes` (a sequence of `re` parse nodes) as sequences that together
    match what it matches: its first alternation, group or optional element
    opened, recursively, up to MAX_PARTS sequences (else `nodes` whole)."""
    if not nodes:
        return [nodes]
    (op, av), rest = nodes[0], nodes[1:]
    if op in ZERO_WIDTH:  # kept in front of each part (it may bound a line's length)
        return [[(op, av)] + part for part in _parts(rest)]
    if op is sre.BRANCH:
        options = [list(branch) + rest for branch in av[1]]
    elif op in GROUPS:  # (atomic ones widened to plain ones, as a lead does)
        options = [list(_inner(op, av)) + rest]
    elif op in REPEATS and av[0] == 0 and av[1] == 1:
        options = [list(av[2]) + rest, rest]
    else:
        return [nodes]
    out: list[list[Any]] = []
    for option in options:
        out += _parts(option)
        if len(out) > MAX_PARTS:
            return [nodes]
    return out


class RuleLeads:
    """One rule's leads (`pattern_leads`), and its searches for the leads a
    first character admits."""

    def __init__(self, leads: list[tuple[str, CharSet | None]], flags: int) -> None:
        self.leads = [lead for lead, _ in leads]
        self.flags = flags
        self.firsts = [None if first is None else re.compile(first.source(), flags)
                       for _, first in leads]
        self.searches: dict[tuple[str, ...], re.Pattern | None] = {}

    def chosen(self, char: str) -> list[str]:
        """The leads whose patterns may match a line starting with `char` ("":
        an empty line), each once."""
        return list(dict.fromkeys(lead for lead, first in zip(self.leads, self.firsts)
                                  if first is None or (char and first.fullmatch(char))))

    def search_for(self, char: str) -> re.Pattern | None:
        """`\\n` and the leads `chosen` for `char`; None when there are none."""
        leads = tuple(self.chosen(char))
        search = self.searches.get(leads, False)
        if search is False:
            if len(self.searches) >= MAX_COMBINATIONS:
                self.searches.clear()
            search = self.searches[leads] = any_of(leads, self.flags)
        return search


def any_of(leads: tuple[str, ...] | list[str], flags: int) -> re.Pattern | None:
    """The search for `\\n` followed by one of `leads` (None when there are none)."""
    return re.compile("\\n(?:" + "|".join(leads) + ")", flags) if leads else None


class _Tries:
    """What a line starting with one character is tried with: one search for
    the leads of all slots (most lines match none), then each slot's."""

    def __init__(self, table: LeadTable, char: str) -> None:
        self.table, self.char = table, char
        chosen = [(rule.flags, rule.chosen(char)) for rule in table.rules]
        flags = {f for f, leads in chosen if leads}
        every = list(dict.fromkeys(lead for _, leads in chosen for lead in leads))
        #: None: no lead can start with `char`; False: slots of different flags
        self.any = any_of(every, flags.pop()) if len(flags) == 1 else (False if flags else None)
        self._slots: list[tuple[int, re.Pattern]] | None = None

    @property
    def slots(self) -> list[tuple[int, re.Pattern]]:
        """(slot, search) of the slots with leads for the character, made on
        first need (most characters start no line a lead matches)."""
        if self._slots is None:
            self._slots = [(slot, search) for slot, rule in enumerate(self.table.rules)
                           if (search := rule.search_for(self.char)) is not None]
        return self._slots


class LeadTable:
    """The leads of every built-in phrase rule that ran in this process, each
    rule in a slot (the same leads share one)."""

    def __init__(self) -> None:
        self.rules: list[RuleLeads] = []
        self.slots: dict[tuple, int] = {}
        self.by_char: dict[str, _Tries] = {}

    def slot(self, leads: list[tuple[str, CharSet | None]], flags: int) -> int:
        key = (flags, tuple((lead, None if first is None else first.source())
                            for lead, first in leads))
        if key not in self.slots:
            self.slots[key] = len(self.rules)
            self.rules.append(RuleLeads(leads, flags))
            self.by_char.clear()
        return self.slots[key]

    def candidates(self, lines: list[str], text: str) -> dict[int, set[int]]:
        """Per slot, the indexes of the stripped `lines` that its leads let
        through (a slot that lets none through is left out); `text` is "\\n"
        before each of them."""
        found: dict[int, set[int]] = {}
        by_char, pos = self.by_char, -1
        for i, line in enumerate(lines):
            pos += 1  # the newline before the line
            tries = by_char.get(line[:1])
            if tries is None:
                tries = self._tries(line[:1])
            if tries.any is not None and (tries.any is False or tries.any.match(text, pos)):
                for slot, search in tries.slots:
                    if search.match(text, pos):
                        found.setdefault(slot, set()).add(i)
            pos += len(line)
        return found

    def _tries(self, char: str) -> _Tries:
        if len(self.by_char) >= MAX_CHARS:
            self.by_char.clear()
        tries = self.by_char[char] = _Tries(self, char)
        return tries


TABLE = LeadTable()
NO_LINES: frozenset[int] = frozenset()


def article_candidates(article: Article, slot: int, ignore_case: bool) -> set[int] | frozenset[int] | None:
    """The indexes of the body lines (body_lines, in its order) that the rule
    in `slot` may match; None: all of them. Found for all slots in one pass
    and kept in `article.extra` for these blocks; made from the blocks' text
    (an article no line of which can match needs no Line objects)."""
    cached = article.extra.get("_phrase_candidates")
    if cached is None or cached[0] is not article.blocks or slot >= cached[1]:
        cached = article.extra["_phrase_candidates"] = _article_leads(article)
    if cached[3] or (cached[2] and ignore_case):
        # full case folding may match "ss" with ß, or the engines' Unicode
        # versions disagree on a character: the leads cannot tell
        return None
    return cached[4].get(slot, NO_LINES)


def _article_leads(article: Article) -> tuple:
    """(blocks, slots filled, whether the text holds a character that folds to
    several, whether one on which `regex` and the leads' `re` classes
    disagree, the candidates of each slot)."""
    lines = [line.strip() for block in article.blocks for line in block.text.split("\n")]
    text = "\n" + "\n".join(lines) if lines else ""
    odd = untranslated(text)
    found = {} if odd else TABLE.candidates(lines, text)
    return article.blocks, len(TABLE.rules), has_expanding(text), odd, found
