"""Building and applying fixes. Edits are offsets into `Article.source`."""
from __future__ import annotations

from bisect import bisect_right
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
    text and the fixes applied. Linear in the text and the number of fixes
    (plus a sort): the taken spans are kept in order of their start, so a fix
    is checked against its neighbours only, and the text is joined once."""
    chosen = choose_fixes(fixes)
    return splice_text(source, [e for f in chosen for e in f.edits]), chosen


def choose_fixes(fixes: Iterable[Fix]) -> list[Fix]:
    """The fixes `apply_edits` applies: in order of their first edit, each one
    that overlaps none taken before it."""
    chosen: list[Fix] = []
    starts: list[int] = []
    taken: list[tuple[int, int]] = []
    for fix in sorted(fixes, key=lambda f: (min(e.start for e in f.edits), f.description)):
        spans = [(e.start, e.end) for e in fix.edits]
        if any(_clashes(span, starts, taken) for span in spans):
            continue
        chosen.append(fix)
        for span in spans:
            at = bisect_right(starts, span[0])
            starts.insert(at, span[0])
            taken.insert(at, span)
    return chosen


def _clashes(span: tuple[int, int], starts: list[int], taken: list[tuple[int, int]]) -> bool:
    """Does `span` overlap a taken span? Taken spans do not overlap each other,
    so only those starting just before it and those starting inside it can."""
    at = bisect_right(starts, span[0])
    if at and _overlaps(span, taken[at - 1]):
        return True
    for i in range(at, len(taken)):
        if taken[i][0] > span[1]:
            return False
        if _overlaps(span, taken[i]):
            return True
    return False


def splice_text(source: str, edits: Iterable[Edit]) -> str:
    """`source` with non-overlapping edits applied, joined in one pass."""
    pieces, kept_to = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        pieces.append(source[kept_to:e.start])
        pieces.append(e.text)
        kept_to = e.end
    pieces.append(source[kept_to:])
    return "".join(pieces)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions clash only at the same point or inside
        return a[0] == b[0] or (b[0] < a[0] < b[1]) or (a[0] < b[0] < a[1])
    return a[0] < b[1] and b[0] < a[1]


def fixable(findings: Iterable[Finding], unsafe: bool) -> list[Fix]:
    return [f.fix for f in findings if f.fix is not None and (f.fix.safe or unsafe)]
