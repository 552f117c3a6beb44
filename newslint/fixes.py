"""Building and applying fixes. Edits are offsets into `Article.source`."""
from __future__ import annotations

from typing import Iterable

from newslint.model import Article, Edit, Finding, Fix


def remove_lines(article: Article, start: int, end: int, description: str,
                 safe: bool = True) -> Fix | None:
    """A fix deleting the whole lines that source[start:end] lies on, and one
    blank line beside them when the removal would leave two blank lines."""
    source = article.source
    if source is None or start is None or end is None:
        return None
    begin = source.rfind("\n", 0, start) + 1
    stop = source.find("\n", end)
    stop = len(source) if stop == -1 else stop + 1
    blank_before = begin == 0 or source.startswith("\n", begin - 1) and (begin < 2 or source[begin - 2] == "\n")
    blank_after = stop >= len(source) or source[stop] == "\n"
    if blank_before and blank_after:
        if stop < len(source):
            stop += 1
        elif begin > 0:
            begin -= 1  # the last paragraph: take the blank line before it
    elif stop >= len(source) and begin > 0 and not source.endswith("\n"):
        begin -= 1  # last line without a newline: take the newline before it
    return Fix((Edit(begin, stop, ""),), description, safe)


def replace_span(start: int, end: int, text: str, description: str, safe: bool = True) -> Fix:
    return Fix((Edit(start, end, text),), description, safe)


def apply_edits(source: str, fixes: Iterable[Fix]) -> tuple[str, list[Fix]]:
    """Apply non-overlapping fixes (first come first served); return the new
    text and the fixes applied."""
    chosen: list[Fix] = []
    taken: list[tuple[int, int]] = []
    for fix in sorted(fixes, key=lambda f: (min(e.start for e in f.edits), f.description)):
        spans = [(e.start, e.end) for e in fix.edits]
        if any(_overlaps(s, t) for s in spans for t in taken):
            continue
        chosen.append(fix)
        taken.extend(spans)
    edits = sorted((e for f in chosen for e in f.edits), key=lambda e: (e.start, e.end), reverse=True)
    for e in edits:
        source = source[:e.start] + e.text + source[e.end:]
    return source, chosen


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions clash only at the same point or inside
        return a[0] == b[0] or (b[0] < a[0] < b[1]) or (a[0] < b[0] < a[1])
    return a[0] < b[1] and b[0] < a[1]


def fixable(findings: Iterable[Finding], unsafe: bool) -> list[Fix]:
    return [f.fix for f in findings if f.fix is not None and (f.fix.safe or unsafe)]
