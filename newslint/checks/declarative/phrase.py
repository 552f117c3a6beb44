"""Declarative rules: one YAML file per rule in `rules/` (or a user's folder).

Common fields: code, name, kind, level, summary, message, docs (what, why,
example, fix, options), examples (pass, fail), options, fix. The `kind` picks
the check; kinds are a closed set registered through the plugin hook
`newslint_register_rule_kinds`, and each kind validates its own fields.

Kind `phrase`: `patterns` (regular expressions, `regex` module syntax) tried on
every body line (and the title with `title: true`); `match: line` needs the
whole stripped line to match, `match: search` anywhere in it. `followed_by: N`
also flags the next N non-empty lines (the neighbouring headline after a
"Next Article" link); with `followed_by_max_words: W` only a following line of
at most W words that is not itself a match counts as such a neighbour (so a
real paragraph after the link is never taken). `merge_adjacent: true` reports
a run of matching lines with nothing between them ("No time to read?" / "Get
a summary") as one finding with one fix. `fix: remove-line` deletes the
flagged lines.

Rule files may come from the checked repository, so they are bounded: a
`message` may only quote `{match}`, `{line}` and `{lines}`; a file expanding
to more than MAX_RULE_VALUES values (YAML alias bombs) is refused; and every
match runs with a MATCH_TIMEOUT, after which the rule reports an error for
that article, and after MAX_TIMEOUTS such lines stops for the rest of the run.

The built-in rules (rules/) are compiled on first use, and their patterns
run only on the lines that one quick search lets through
(declarative_prefilter), which no line they match fails.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Collection, Iterator

import regex

# the field checks live in declarative_fields; other rule kinds import them from here
from newslint.checks.declarative.bounds import check_bounds
from newslint.checks.declarative.fields import (  # noqa: F401
    COMMON_FIELDS,
    MAX_RULE_VALUES,
    MESSAGE_FIELDS,
    check_message,
    check_size,
    common_fields,
)
from newslint.checks.declarative.dispatch import TABLE, article_candidates, split_leads
from newslint.checks.declarative.prefilter import line_prefilter
from newslint.fixes import remove_lines
from newslint.model import Article, Finding
from newslint.rule import ArticleRule, RuleDefinitionError
from newslint.text.lines import Line, body_lines

#: seconds one pattern may spend on one line before the rule reports a timeout
MATCH_TIMEOUT = 0.25
#: after this many timed-out lines a rule stops matching for the rest of the run
#: (each further article gets one error finding), so a catastrophic pattern
#: costs at most MAX_TIMEOUTS * MATCH_TIMEOUT seconds per process
MAX_TIMEOUTS = 3


def builtin_rules_dir() -> Path:
    """The rules/ folder: `newslint/rules` in an installed wheel (the data
    package `newslint.rules`), or the top-level `rules/` of a source checkout."""
    package = Path(__file__).resolve().parents[2]  # newslint/checks/declarative/phrase.py
    for folder in (package / "rules", package.parent / "rules"):
        if folder.is_dir():
            return folder
    return package / "rules"  # the registry reports it missing, naming the path


def is_builtin(origin: str) -> bool:
    """Whether a rule file is one of ours (in builtin_rules_dir)."""
    try:
        return Path(origin).resolve().is_relative_to(builtin_rules_dir().resolve())
    except (OSError, ValueError):
        return False


#: patterns that cannot be joined into one alternation: numbered groups and
#: recursion would refer to another pattern's groups
NUMBERED_GROUP_RE = regex.compile(r"\(\?\(|\\[1-9]|\\g<\d|\(\?[+-]?\d|\(\?R\)|\(\?&|\(\?P>")
Matchers = list[tuple[int | None, regex.Pattern]]


def compile_patterns(raw: Any, origin: str, ignore_case: bool) -> Matchers:
    """(index, pattern) pairs for `PhraseRule._match` to try. All patterns are
    joined into one alternation when they can be (index None), since each
    timed match costs a fixed ~15 microseconds and a rule may have twenty
    patterns: a line matches the alternation exactly when it matches one of
    them. Else each pattern is compiled on its own, and errors name it."""
    check_sources(raw, origin)
    flags = regex.V1 | (regex.IGNORECASE if ignore_case else 0)
    if len(raw) > 1 and not any(NUMBERED_GROUP_RE.search(p) for p in raw):
        joined = _joined(raw, flags)
        if joined is not None:
            return [(None, joined)]
    out = []
    for i, pattern in enumerate(raw):
        try:
            out.append((i, regex.compile(pattern, flags)))
        except regex.error as exc:
            raise RuleDefinitionError(f"{origin}: field 'patterns[{i}]' is not a valid pattern: {exc}") from None
    return out


def check_sources(raw: Any, origin: str) -> None:
    if not isinstance(raw, list) or not raw or not all(isinstance(p, str) for p in raw):
        raise RuleDefinitionError(f"{origin}: field 'patterns' must be a non-empty list of strings")
    check_bounds(raw, origin)  # before compiling: compiling is not under the match timeout


def _joined(raw: list[str], flags: int) -> regex.Pattern | None:
    """The alternation of `raw`, each pattern in a group of its own; None when
    it does not compile or a pattern's parentheses ran into another's."""
    names = [f"nlpattern{i}" for i in range(len(raw))]
    try:
        joined = regex.compile("|".join(f"(?P<{n}>{p})" for n, p in zip(names, raw)), flags)
    except regex.error:
        return None
    positions = [joined.groupindex.get(n, -1) for n in names]
    return joined if -1 not in positions and positions == sorted(set(positions)) else None


class _PatternTimeout(TimeoutError):
    """Pattern number `index` of a rule (None: one of the joined patterns) ran
    out of time on a line."""

    def __init__(self, index: int | None):
        super().__init__(index)
        self.index = index


class PhraseRule(ArticleRule):
    """Flags body lines that match one of a list of patterns."""

    sources: list[str] = []  # the patterns as written
    ignore_case: bool = True
    #: one of our rules (rules/): its patterns are compiled on first use, and
    #: its lines prefiltered (declarative_prefilter; user patterns may be of
    #: any size and shape, and are matched line by line, as written)
    builtin: bool = False
    match: str = "line"
    followed_by: int = 0
    followed_by_max_words: int | None = None
    merge_adjacent: bool = False
    title: bool = False
    message: str = "{match}"
    _timeouts: int = 0  # lines on which a pattern timed out in this process
    _compiled: Matchers | None = None
    _prefilter: re.Pattern | None | bool = False  # False: not built yet
    _slot: int | None | bool = False  # the rule's slot in dispatch.TABLE; False: not yet

    @property
    def matchers(self) -> Matchers:
        """The compiled patterns (see compile_patterns). Compiling with full case
        folding takes ~20 ms a rule, which a run that never needs them (the
        prefilter rules out most lines) should not pay at start-up."""
        if self._compiled is None:
            self._compiled = compile_patterns(self.sources, self.origin, self.ignore_case)
        return self._compiled

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        if self._timeouts >= MAX_TIMEOUTS:
            return iter([self.finding(
                article, f"rule {self.code} ({self.name}) is switched off for the rest of the "
                f"run: its patterns took longer than {MATCH_TIMEOUT}s on {self._timeouts} lines; "
                "fix the pattern", level="error")])
        candidates = self._candidates(article)
        if candidates is not None and not candidates:
            return iter(())  # no line can match (most articles: no generator to make)
        return self._check(article, candidates)

    def _check(self, article: Article, candidates: Collection[int] | None) -> Iterator[Finding]:
        lines = list(body_lines(article))
        flagged: set[int] = set()
        for i, line in enumerate(lines):
            if i in flagged or (candidates is not None and i not in candidates):
                continue
            try:
                hit = self._match(line.text)
            except _PatternTimeout as slow:
                self._timeouts += 1
                which = "a pattern" if slow.index is None else f"pattern {slow.index + 1}"
                yield self.finding(article, f"rule {self.code} ({self.name}): {which} took longer "
                                   f"than {MATCH_TIMEOUT}s on this line and was stopped; "
                                   "the rest of the article was not checked by this rule",
                                   line=line.line, level="error")
                return  # one slow pattern must not cost MATCH_TIMEOUT on every line
            if hit is None:
                continue
            flagged.add(i)
            group = [line] + (self._adjacent(lines, i, flagged) if self.merge_adjacent else [])
            group += self._following(lines, i + len(group) - 1, flagged)
            yield self._finding(article, group, hit)

    @property
    def prefilter(self) -> re.Pattern | None:
        """The search for the lines that may match (see declarative_prefilter),
        made on first use; None: every line is matched."""
        if self._prefilter is False:
            usable = self.builtin and self.match == "line"
            self._prefilter = line_prefilter(self.sources, self.ignore_case) if usable else None
        return self._prefilter

    @property
    def slot(self) -> int | None:
        """The rule's slot in the shared table of leads (declarative_dispatch),
        made on first use; None: every line is matched. The leads are the
        prefilter's, and a line gets through where a lead that can start
        with its first character matches at its start."""
        if self._slot is False:
            usable = self.builtin and self.match == "line"
            leads = split_leads(self.sources, self.ignore_case) if usable else None
            self._slot = None if leads is None else TABLE.slot(
                leads, re.IGNORECASE if self.ignore_case else 0)
        return self._slot

    def _candidates(self, article: Article) -> Collection[int] | None:
        """Indexes of the lines that may match (None: all of them): the lines
        that pass the prefilter's leads, which no line the patterns match can
        fail, found for all built-in rules at once (declarative_dispatch)."""
        slot = self._slot if self._slot is not False else self.slot
        return None if slot is None else article_candidates(article, slot, self.ignore_case)

    def _match(self, text: str):
        stripped = text.strip()
        for index, pattern in self.matchers:
            try:
                if self.match == "line":
                    hit = pattern.fullmatch(stripped, timeout=MATCH_TIMEOUT)
                else:
                    hit = pattern.search(stripped, timeout=MATCH_TIMEOUT)
            except TimeoutError:
                raise _PatternTimeout(index) from None
            if hit:
                return hit
        return None

    def _following(self, lines: list[Line], i: int, flagged: set[int]) -> list[Line]:
        out = []
        for j in range(i + 1, len(lines)):
            if len(out) >= self.followed_by:
                break
            if not lines[j].text.strip():
                continue
            if self.followed_by_max_words is not None and not self._is_neighbour(lines[j].text):
                break
            out.append(lines[j])
            flagged.add(j)
        return out

    def _adjacent(self, lines: list[Line], i: int, flagged: set[int]) -> list[Line]:
        """The matching lines that directly follow line i (no line between)."""
        out = []
        for j in range(i + 1, len(lines)):
            if not _next_to(lines[j - 1], lines[j]):
                break
            try:
                if self._match(lines[j].text) is None:
                    break
            except TimeoutError:
                break  # the main loop reports it
            out.append(lines[j])
            flagged.add(j)
        return out

    def _is_neighbour(self, text: str) -> bool:
        if len(text.split()) > self.followed_by_max_words:
            return False
        try:
            return self._match(text) is None
        except TimeoutError:
            return False

    def _finding(self, article: Article, group: list[Line], hit) -> Finding:
        first, last = group[0], group[-1]
        quoted = " / ".join(ln.text.strip() for ln in group)
        message = self.message.format(match=hit.group(0), line=first.text.strip(), lines=quoted)
        fix = None
        if self.fix_safety and first.start is not None:
            fix = remove_lines(article, first.start, last.end, f"remove {self.name} line",
                               safe=self.fix_safety == "safe")
        lead = len(first.text) - len(first.text.lstrip())
        return self.finding(article, message, line=first.line, column=lead + 1,
                            end_line=last.line, end_column=len(last.text.rstrip()) + 1, fix=fix)


def _next_to(before: Line, after: Line) -> bool:
    """Whether `after` is the line right below `before` in the file."""
    if before.end is not None and after.start is not None:
        return after.start == before.end + 1
    return after.line == before.line + 1


def build_phrase_rule(data: dict[str, Any], origin: str) -> PhraseRule:
    unknown = set(data) - set(COMMON_FIELDS) - {"patterns", "match", "followed_by",
                                                 "followed_by_max_words", "merge_adjacent",
                                                 "ignore_case", "title"}
    if unknown:
        raise RuleDefinitionError(f"{origin}: unknown field '{sorted(unknown)[0]}'")
    match = data.get("match", "line")
    if match not in ("line", "search"):
        raise RuleDefinitionError(f"{origin}: field 'match' must be 'line' or 'search'")
    followed_by = data.get("followed_by", 0)
    if not isinstance(followed_by, int) or not 0 <= followed_by <= 5:
        raise RuleDefinitionError(f"{origin}: field 'followed_by' must be a whole number 0-5")
    max_words = data.get("followed_by_max_words")
    if max_words is not None and (not isinstance(max_words, int) or isinstance(max_words, bool)
                                  or max_words < 1):
        raise RuleDefinitionError(f"{origin}: field 'followed_by_max_words' must be a whole number >= 1")
    merge_adjacent = data.get("merge_adjacent", False)
    if not isinstance(merge_adjacent, bool):
        raise RuleDefinitionError(f"{origin}: field 'merge_adjacent' must be true or false")
    fix = data.get("fix")
    if fix not in (None, "remove-line"):
        raise RuleDefinitionError(f"{origin}: field 'fix' must be 'remove-line' or absent")
    message = check_message(data.get("message"), origin)
    fields = common_fields(data, origin)
    check_sources(data.get("patterns"), origin)
    rule = PhraseRule(
        **fields, message=message, match=match, followed_by=followed_by,
        followed_by_max_words=max_words, merge_adjacent=merge_adjacent,
        sources=data["patterns"], ignore_case=data.get("ignore_case", True),
        builtin=is_builtin(origin), fix_safety="safe" if fix else None,
    )
    if not rule.builtin:
        rule.matchers  # noqa: B018 - a user's pattern errors are reported on load
    return rule
