"""Shared loader helpers: decoding, suppression markers, paragraph blocks."""
from __future__ import annotations

import re

from newslint.model import Block, LoadError, Suppression
from newslint.text.lines import split_paragraphs

#: `newslint: disable=NL101,boilerplate-nav` (inside an HTML comment in Markdown
#: and HTML, or alone on a line in plain text); also `disable-next-line=` and
#: `enable=` (which closes a `disable=` range). Group 1 the verb, 2 the selectors.
VERBS = r"(disable-next-line|disable|enable)"
SUPPRESS_RE = re.compile(r"newslint:\s*" + VERBS + r"\s*=\s*([A-Za-z0-9_,\- ]+)")
HTML_SUPPRESS_RE = re.compile(r"<!--\s*newslint:\s*" + VERBS + r"\s*=\s*([A-Za-z0-9_,\- ]+?)\s*-->")
TEXT_SUPPRESS_RE = re.compile(r"^[ \t]*newslint:\s*" + VERBS + r"\s*=\s*([A-Za-z0-9_,\- ]+?)[ \t]*$",
                              re.M)

FALLBACK_ENCODING = "cp1252"


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode file bytes. UTF-8 (with or without BOM) first; otherwise each line
    that is not valid UTF-8 gets the documented fallback: Windows-1252, then
    Latin-1 for bytes 1252 leaves undefined. Valid UTF-8 lines stay UTF-8, so
    one stray Windows-1252 byte does not garble the rest of the file. Returns
    (text, warning); the warning names the first bad line. Raises LoadError
    for binary data (NUL bytes)."""
    if data.find(b"\x00", 0, 8192) != -1 or data.find(b"\x00", max(len(data) - 8192, 0)) != -1:
        raise LoadError("binary file (contains NUL bytes); not an article")
    try:  # "utf-8-sig" without its codec's Python-level wrapper
        return (data[3:] if data.startswith(b"\xef\xbb\xbf") else data).decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    bad: list[int] = []
    used = "Windows-1252"
    for i, raw in enumerate(lines):
        try:
            lines[i] = raw.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(i + 1)
            try:
                lines[i] = raw.decode(FALLBACK_ENCODING)
            except UnicodeDecodeError:
                lines[i], used = raw.decode("latin-1"), "Windows-1252 (and Latin-1)"
    others = len(bad) - 1
    where = f"line {bad[0]}" + (f" and {others} other line{'s' if others > 1 else ''}" if others else "")
    return "\n".join(lines), (f"not valid UTF-8 on {where}; "
                              f"{'those lines' if len(bad) > 1 else 'that line'} decoded as {used}")


def normalize_newlines(text: str) -> tuple[str, str]:
    """Return text with \\n line ends and the file's own line end to write back."""
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text and "\n" not in text else "\n")
    if newline != "\n":
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, newline


def marker_suppressions(markers: list[tuple[str, str, int]], source: str,
                        skipped: set[int] = frozenset()) -> list[Suppression]:
    """Suppressions from the markers of an article, (verb, selectors, line)
    in line order: `disable-next-line=` covers the next line that is neither
    blank nor a marker (`skipped` lines); `disable=X` closed by a later
    `enable=X` covers the lines between, and without one the whole article
    (as it always did). An `enable=` naming some of a `disable=`'s selectors
    closes those; the others stay open."""
    if not markers:
        return []
    lines = source.split("\n")
    out: list[Suppression] = []
    open_groups: list[int] = []  # indexes in `out` of disable= markers still open
    for verb, raw, line in markers:
        names = selectors(raw)
        if verb == "disable-next-line":
            target = next((n for n in range(line + 1, len(lines) + 1)
                           if lines[n - 1].strip() and n not in skipped), line + 1)
            out.append(Suppression(names, line, target, target))
        elif verb == "disable":
            open_groups.append(len(out))
            out.append(Suppression(names, line, line, None))
        else:
            closing = {name.lower() for name in names}
            for index in list(open_groups):
                group = out[index]
                closed = tuple(n for n in group.selectors if n.lower() in closing)
                if not closed:
                    continue
                rest = tuple(n for n in group.selectors if n.lower() not in closing)
                out[index] = Suppression(closed, group.line, group.line, line)
                open_groups.remove(index)
                if rest:
                    open_groups.append(len(out))
                    out.append(Suppression(rest, group.line, group.line, None))
    for index in open_groups:  # never enabled again: the whole article
        out[index] = Suppression(out[index].selectors, out[index].line)
    return sorted(out, key=lambda sup: sup.line)


def selectors(raw: str | list | tuple | None) -> tuple[str, ...]:
    """'NL101, boilerplate-nav' or a list of them -> ('NL101', 'boilerplate-nav')."""
    if raw is None:
        return ()
    items = raw.split(",") if isinstance(raw, str) else [str(x) for x in raw]
    return tuple(s.strip() for s in items if s and s.strip())


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


#: a run of lines that are not blank (hold something besides whitespace), from
#: the start of its first line to the end of its last: a paragraph. `\s` is
#: what `str.isspace` counts as space, as in `text.split_paragraphs`; anchored at
#: line starts, so a long blank line is scanned once (linear time).
PARAGRAPH_RE = re.compile(r"^[^\S\n]*\S[^\n]*(?:\n[^\S\n]*\S[^\n]*)*", re.M)


def paragraph_blocks(source: str, start: int, skip: set[int] = frozenset()) -> list[Block]:
    """Blank-line separated paragraphs of source[start:] as blocks (offsets kept).
    The lines that start at an offset in `skip` (suppression markers) are left
    out, and split a paragraph they stand in."""
    if start and source[start - 1] != "\n":  # not at a line start: the line-by-line walk
        return _paragraph_blocks_from(source, start, skip, split_paragraphs(source, start))
    if skip:
        spans = (m.span() for m in PARAGRAPH_RE.finditer(source, start))
        return _paragraph_blocks_from(source, start, skip, spans)
    blocks: list[Block] = []
    line = source.count("\n", 0, start) + 1
    last = start
    for m in PARAGRAPH_RE.finditer(source, start):
        begin, end = m.span()
        line += source.count("\n", last, begin)
        last = begin
        text = m.group()
        if "\n" in text:
            blocks.extend(_split_unwrapped(source, begin, end, line))
        else:  # a paragraph on one line: most of them
            blocks.append(Block(text, line, line, begin, end))
    return blocks


def _paragraph_blocks_from(source: str, start: int, skip: set[int], spans) -> list[Block]:
    blocks: list[Block] = []
    line = source.count("\n", 0, start) + 1
    last = start
    for begin, end in spans:
        line += source.count("\n", last, begin)
        last = begin
        for part_begin, part_end in _without_lines(source, begin, end, skip):
            part_line = line + source.count("\n", begin, part_begin)
            blocks.extend(_split_unwrapped(source, part_begin, part_end, part_line))
    return blocks


def _without_lines(source: str, begin: int, end: int, skip: set[int]) -> list[tuple[int, int]]:
    """source[begin:end] cut around the lines starting at an offset in `skip`."""
    if not skip:
        return [(begin, end)]
    parts, at = [], begin
    for offset in sorted(o for o in skip if begin <= o < end):
        line_start = source.rfind("\n", 0, offset) + 1
        if line_start > at:
            parts.append((at, line_start - 1))
        line_end = source.find("\n", offset)
        at = end if line_end == -1 or line_end >= end else line_end + 1
    if at < end:
        parts.append((at, end))
    return [(b, e) for b, e in parts if source[b:e].strip()]


_TERMINAL = tuple('.!?:;"\u201d\u2019\u00bb)\u2026')


def _split_unwrapped(source: str, begin: int, end: int, line: int) -> list[Block]:
    """One block for a hard-wrapped paragraph; one block per line when the
    lines are paragraphs of their own (scrapers often put one paragraph on each
    line with no blank line between)."""
    text = source[begin:end]
    lines = text.split("\n")
    if len(lines) == 1:
        return [Block(text, line, line, begin, end)]
    inner = [ln.rstrip() for ln in lines[:-1]]
    wrapped = sum(1 for ln in inner if ln and not ln.endswith(_TERMINAL) and len(ln) <= 100)
    if wrapped * 2 > len(inner):
        return [Block(text, line, line + len(lines) - 1, begin, end)]
    out, pos = [], begin
    for i, ln in enumerate(lines):
        if ln.strip():
            out.append(Block(ln, line + i, line + i, pos, pos + len(ln), kind="line"))
        pos += len(ln) + 1
    return out
