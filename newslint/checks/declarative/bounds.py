"""Limits on a rule's patterns, checked before they are compiled: the match
timeout bounds matching, not compiling, and `regex` compiles a counted
repeat by copying its operand, so the 23 bytes `(?:a{65535}){65535}` ask
for about 18 GB. `expanded_size` is the number of atoms the compiled
pattern holds once every counted repeat `{m}`, `{m,n}`, `{m,}` is written
out (an atom is a character, a class or an escape; `*`, `+`, `?` repeat
without copying): groups add up their parts, a repeat multiplies its
operand by its largest count. A pattern over MAX_PATTERN_CHARS characters
or MAX_EXPANDED atoms, or a rule over MAX_RULE_EXPANDED atoms in all, is
refused with an error naming the file and pattern."""
from __future__ import annotations

import re

from newslint.rule import RuleDefinitionError

MAX_PATTERN_CHARS = 5_000
#: (?:a{1000}){100} (100,000 atoms) takes 0.09 s and 40 MB to compile; the
#: built-in rules' largest pattern holds 2,165 atoms, all of one rule's 3,781
MAX_EXPANDED = 100_000
MAX_RULE_EXPANDED = 400_000

_COUNT = re.compile(r"\{(\d*)(?:,(\d*))?\}")
#: an escape whose argument is in braces (\p{L}, \N{DASH}, \x{263a}, \g{1})
_BRACED_ESCAPE = re.compile(r"\\[pPNxuUgk]\{[^}]*\}|\\.", re.DOTALL)


def expanded_size(pattern: str) -> int:
    """The pattern's atoms with counted repeats written out (see the module)."""
    stack: list[int] = [0]     # the size of each open group so far
    last: list[int] = [0]      # the size of the last operand in each open group
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            escape = _BRACED_ESCAPE.match(pattern, i)
            i = escape.end() if escape else n
            _add(stack, last, 1)
            continue
        if c == "[":
            i = _class_end(pattern, i)
            _add(stack, last, 1)
            continue
        if c == "(":
            stack.append(0)
            last.append(0)
            i += 3 if pattern.startswith("(?:", i) else 1
            continue
        if c == ")" and len(stack) > 1:
            size = stack.pop()
            last.pop()
            _add(stack, last, size)
            i += 1
            continue
        if c == "{":
            count = _COUNT.match(pattern, i)
            if count is not None:
                times = max(int(count.group(1) or 0), int(count.group(2) or 0))
                stack[-1] += last[-1] * (times - 1)   # the operand written out `times` times
                last[-1] *= times
                i = count.end()
                continue
        if c in "*+?|^$.":
            i += 1
            if c == ".":
                _add(stack, last, 1)
            continue
        _add(stack, last, 1)
        i += 1
    while len(stack) > 1:  # unbalanced: regex reports it when compiling
        size = stack.pop()
        last.pop()
        _add(stack, last, size)
    return stack[0]


def _add(stack: list[int], last: list[int], size: int) -> None:
    stack[-1] += size
    last[-1] = size


def _class_end(pattern: str, start: int) -> int:
    """The index after the character class that opens at `start` (V1 sets nest)."""
    depth, i, n = 0, start, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            depth += 1
            if pattern.startswith("[^]", i) or pattern.startswith("[]", i):
                i += 3 if pattern[i + 1] == "^" else 2
                continue
        elif c == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def check_bounds(patterns: list[str], origin: str) -> None:
    """Raise RuleDefinitionError for a pattern (or a rule) over the limits."""
    total = 0
    for i, pattern in enumerate(patterns):
        where = f"{origin}: field 'patterns[{i}]'"
        if len(pattern) > MAX_PATTERN_CHARS:
            raise RuleDefinitionError(f"{where} is {len(pattern):,} characters long, over the "
                                      f"limit of {MAX_PATTERN_CHARS:,}")
        size = expanded_size(pattern)
        if size > MAX_EXPANDED:
            raise RuleDefinitionError(f"{where} repeats too much: written out it holds "
                                      f"{size:,} atoms, over the limit of {MAX_EXPANDED:,} "
                                      "(use * or + instead of large {m,n} counts)")
        total += size
    if total > MAX_RULE_EXPANDED:
        raise RuleDefinitionError(f"{origin}: field 'patterns' holds {total:,} atoms written "
                                  f"out, over the limit of {MAX_RULE_EXPANDED:,} for one rule")
