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

from newslint.checks.declarative.chars import CharSet, has_expanding, untranslated
from newslint.model import Article

#: first characters remembered (each costs ~100 class tests to sort out);
#: a text of many distinct ones (a CJK page) starts the memory again
MAX_CHARS = 65_536
#: combinations of leads compiled, per rule, before starting again
MAX_COMBINATIONS = 1024


class RuleLeads:
    """One rule's leads (`pattern_leads`), and its searches for the leads a
    first character admits."""

    def __init__(self, leads: list[tuple[str, CharSet | None]], flags: int) -> None:
        self.leads = [lead for lead, _ in leads]
        self.flags = flags
        self.firsts = [None if first is None else re.compile(first.source(), flags)
                       for _, first in leads]
        self.searches: dict[tuple[int, ...], re.Pattern | None] = {}

    def search_for(self, char: str) -> re.Pattern | None:
        """`\\n` and the leads whose patterns may match a line starting with
        `char` ("": an empty line); None when there are none."""
        chosen = tuple(i for i, first in enumerate(self.firsts)
                       if first is None or (char and first.fullmatch(char)))
        search = self.searches.get(chosen, False)
        if search is False:
            if len(self.searches) >= MAX_COMBINATIONS:
                self.searches.clear()
            leads = dict.fromkeys(self.leads[i] for i in chosen)
            search = re.compile("\\n(?:" + "|".join(leads) + ")", self.flags) if leads else None
            self.searches[chosen] = search
        return search


class LeadTable:
    """The leads of every built-in phrase rule that ran in this process, each
    rule in a slot (the same leads share one)."""

    def __init__(self) -> None:
        self.rules: list[RuleLeads] = []
        self.slots: dict[tuple, int] = {}
        self.by_char: dict[str, tuple[tuple[int, re.Pattern], ...]] = {}

    def slot(self, leads: list[tuple[str, CharSet | None]], flags: int) -> int:
        key = (flags, tuple((lead, None if first is None else first.source())
                            for lead, first in leads))
        if key not in self.slots:
            self.slots[key] = len(self.rules)
            self.rules.append(RuleLeads(leads, flags))
            self.by_char.clear()
        return self.slots[key]

    def candidates(self, lines: list[str], text: str) -> list[set[int]]:
        """Per slot, the indexes of the stripped `lines` that its leads let
        through; `text` is "\\n" before each of them."""
        found: list[set[int]] = [set() for _ in self.rules]
        by_char, pos = self.by_char, 0
        for i, line in enumerate(lines):
            tries = by_char.get(line[:1])
            if tries is None:
                tries = self._tries(line[:1])
            for slot, search in tries:
                if search.match(text, pos):
                    found[slot].add(i)
            pos += len(line) + 1
        return found

    def _tries(self, char: str) -> tuple[tuple[int, re.Pattern], ...]:
        if len(self.by_char) >= MAX_CHARS:
            self.by_char.clear()
        tries = tuple((slot, search) for slot, rule in enumerate(self.rules)
                      if (search := rule.search_for(char)) is not None)
        self.by_char[char] = tries
        return tries


TABLE = LeadTable()


def article_candidates(article: Article, slot: int, ignore_case: bool) -> set[int] | None:
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
    return cached[4][slot]


def _article_leads(article: Article) -> tuple:
    """(blocks, slots filled, whether the text holds a character that folds to
    several, whether one on which `regex` and the leads' `re` classes
    disagree, the candidates of each slot)."""
    lines = [line.strip() for block in article.blocks for line in block.text.split("\n")]
    text = "\n" + "\n".join(lines) if lines else ""
    odd = untranslated(text)
    found = [] if odd else TABLE.candidates(lines, text)
    return article.blocks, len(TABLE.rules), has_expanding(text), odd, found
