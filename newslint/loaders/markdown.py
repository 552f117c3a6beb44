"""Markdown: optional YAML front matter, then the body.

Front matter (between `---` lines at the very top) is read with
`yaml.SafeLoader` only (a subclass that keeps impossible dates as strings).
More than `MAX_FRONT_MATTER` bytes, `MAX_ALIASES` aliases or `MAX_NESTING`
open brackets are refused before parsing, and turning the result into plain
data has a node budget, so alias bombs and self-referencing YAML cannot
explode. Dates become ISO strings.

Title: front-matter `title`, else the first `# ` heading, else the first line when it is
shaped like a headline (as for plain text), else none.
Body blocks keep file lines and offsets into `Article.source` (the whole file).
Fenced code, thematic breaks and comment-only lines are not prose; headings
are blocks of kind "heading". Suppression: `newslint: {disable: [...]}` or
`newslint-disable: ...` in the front matter, `<!-- newslint: disable=... -->`
in the body.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import yaml

from newslint.loaders.common import (
    SUPPRESS_RE,
    decode,
    line_of,
    marker_suppressions,
    normalize_newlines,
    paragraph_blocks,
    selectors,
)
from newslint.loaders.plaintext import split_title
from newslint.model import Article, Block, LoadError, Metadata, Suppression

MAX_FRONT_MATTER = 64 * 1024
MAX_ALIASES = 100
MAX_NESTING = 50  # open [ and { at once: PyYAML's scanner slows down sharply with depth
MAX_NODES = 10_000

OPEN_RE = re.compile(r"---[ \t]*\n")
CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
ATX_RE = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")
NOT_NEWLINE_RE = re.compile(r"[^\n]")
NEWLINE_RE = re.compile(r"\n")
SETEXT_RE = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")
BREAK_RE = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")

KEYS = {"date": ("date", "published", "publish_date", "pubdate", "published_at"),
        "authors": ("author", "authors", "byline"),
        "outlet": ("source", "outlet", "site", "publisher"),
        "url": ("url", "link"), "language": ("lang", "language"), "title": ("title",)}


#: libyaml's safe loader when PyYAML was built with it (10x faster: 50 µs for
#: a typical front matter instead of 460), else the pure-Python one
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrontMatterLoader(SAFE_LOADER):
    """A safe loader, except that an impossible date (2024-13-45) stays a string."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                  FrontMatterLoader.construct_yaml_timestamp)


def load_markdown(path: str, data: bytes, settings=None) -> Iterator[Article]:
    text, warning = decode(data)
    source, newline = normalize_newlines(text)
    front, key_lines, body_start = read_front_matter(source)
    if not source[body_start:].strip():
        raise LoadError("empty file: no text to check")
    body = scan_body(source, body_start)
    title, title_line, blocks = choose_title(source, front, key_lines, body)
    extra: dict[str, Any] = {"newline": newline, "front_matter": front}
    if warning:
        extra["encoding_warning"] = warning
    yield Article(id=path, path=path, format="md", title=title, title_line=title_line,
                  blocks=tuple(blocks), meta=front_matter_metadata(front), source=source,
                  body_start=body_start,
                  suppressions=tuple(front_matter_suppressions(front, key_lines) + marker_suppressions(
                      body.markers, source, {line for _, _, line in body.markers})),
                  extra=extra)


def choose_title(source: str, front: dict, key_lines: dict[str, int],
                 body: Body) -> tuple[str | None, int | None, list[Block]]:
    """Front-matter title, else the first `# ` heading (left out of the body),
    else the first line as for plain text."""
    blocks = sorted(body.paragraphs + body.headings, key=lambda b: b.start) \
        if body.headings else body.paragraphs  # paragraphs come in file order
    title = _value(_lowered(front), "title")
    if title is not None:
        return title, key_lines.get("title"), blocks
    if body.title is not None:
        return (*body.title, [b for b in blocks if b.start != body.title_start])
    title, title_line, blocks = split_title(source, blocks)
    title = title.lstrip("#").strip() if title else None
    return title or None, title_line if title else None, blocks


# -- front matter ------------------------------------------------------------------
def read_front_matter(source: str) -> tuple[dict, dict[str, int], int]:
    """(data, key -> file line, body start offset)."""
    opening = OPEN_RE.match(source)
    if not opening:
        return {}, {}, 0
    closing = CLOSE_RE.search(source, opening.end())
    if not closing:
        raise LoadError("line 1: front matter opened with '---' is never closed", 1)
    data, key_lines = parse_front_matter(source[opening.end():closing.start()], 2)
    return data, key_lines, min(closing.end() + 1, len(source))


def parse_front_matter(text: str, first_line: int) -> tuple[dict, dict[str, int]]:
    """Parse YAML that starts at file line `first_line`; (data, key -> file line)."""
    if len(text.encode("utf-8", "replace")) > MAX_FRONT_MATTER:
        raise _refuse(first_line, f"front matter larger than {MAX_FRONT_MATTER // 1024} KiB")
    loader = None
    try:
        _check_nesting(text, first_line)
        _count_aliases(text, first_line)
        loader = FrontMatterLoader(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, first_line) from None
    except RecursionError:
        raise _refuse(first_line, "front matter YAML nested too deeply") from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise LoadError(f"line {first_line}: unreadable front matter: {exc}", first_line) from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise LoadError(f"line {first_line}: front matter must be a mapping of keys, "
                        f"not {type(data).__name__}", first_line)
    key_lines = {str(key.value).lower(): first_line + key.start_mark.line
                 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    return plain_data(data, first_line), key_lines


def _yaml_error(exc: yaml.YAMLError, text: str, first_line: int) -> LoadError:
    if isinstance(exc, yaml.reader.ReaderError):
        line = first_line + text.count("\n", 0, max(exc.position, 0))
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        problem = f"character U+{char:04X} is not allowed in YAML"
    else:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = str(getattr(exc, "problem", None) or exc).splitlines()[0]
    return LoadError(f"line {line}: invalid YAML front matter: {problem}", line)


def _refuse(line: int, why: str) -> LoadError:
    return LoadError(f"line {line}: {why}; refusing to read it", line)


def _check_nesting(text: str, first_line: int) -> None:
    depth = 0
    for m in re.finditer(r"[\[\]{}]", text):
        depth = depth + 1 if m.group() in "[{" else max(depth - 1, 0)
        if depth > MAX_NESTING:
            raise _refuse(first_line + text.count("\n", 0, m.start()),
                          f"front matter YAML nested more than {MAX_NESTING} levels deep")


def _count_aliases(text: str, first_line: int) -> None:
    count = 0
    if "*" not in text:  # an alias is written *name
        return
    for token in yaml.scan(text, Loader=SAFE_LOADER):
        if isinstance(token, yaml.AliasToken):
            count += 1
            if count > MAX_ALIASES:
                raise _refuse(first_line + token.start_mark.line,
                              f"front matter uses more than {MAX_ALIASES} YAML aliases")


def plain_data(data: dict, first_line: int = 1) -> dict:
    """Copy with ISO-string dates and str keys, built without recursion; a
    container inside itself becomes "<recursive>"; over MAX_NODES -> LoadError."""
    root: dict = {}
    stack: list[tuple[Any, Any, tuple[int, ...]]] = [(data, root, (id(data),))]
    budget = MAX_NODES
    while stack:
        src, dst, path = stack.pop()
        for key, value in (src.items() if isinstance(src, dict) else enumerate(src)):
            budget -= 1
            if budget < 0:
                raise _refuse(first_line, f"front matter expands to more than {MAX_NODES} values")
            child: Any = _scalar(value)
            if isinstance(value, (dict, list, tuple)):
                child = "<recursive>" if id(value) in path else ({} if isinstance(value, dict) else [])
                if child != "<recursive>":
                    stack.append((value, child, path + (id(value),)))
            if isinstance(dst, dict):
                dst[str(_scalar(key))] = child
            else:
                dst.append(child)
    return root


def _scalar(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return value if value is None or isinstance(value, (str, int, float, bool, dict, list, tuple)) \
        else str(value)


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


def _lowered(data: dict) -> dict:
    return {k.lower(): v for k, v in data.items()}


def _value(lowered: dict, field: str, convert=_text) -> Any:
    """The first of the keys for `field` that has a value (`lowered`: the
    front matter with lower-case keys)."""
    for key in KEYS[field]:
        found = convert(lowered.get(key))
        if found:
            return found
    return None


def _names(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(dict.fromkeys(n for n in map(_text, items[:50]) if n))


def front_matter_metadata(data: dict) -> Metadata:
    lowered = _lowered(data)
    date = _value(lowered, "date")
    return Metadata(date=date, date_source="front-matter" if date else None,
                    authors=_value(lowered, "authors", _names) or (),
                    outlet=_value(lowered, "outlet"), url=_value(lowered, "url"),
                    language=_value(lowered, "language"))


def front_matter_suppressions(data: dict, key_lines: dict[str, int]) -> list[Suppression]:
    lowered = {k.lower(): v for k, v in data.items()}
    nested = lowered.get("newslint")
    found = [("newslint", nested.get("disable") if isinstance(nested, dict) else None),
             ("newslint-disable", lowered.get("newslint-disable"))]
    out = []
    for key, raw in found:
        if isinstance(raw, list):
            raw = [x for x in raw if isinstance(x, str)]
        if isinstance(raw, (str, list)) and selectors(raw):
            out.append(Suppression(selectors(raw), key_lines.get(key, 1)))
    return out


# -- body ----------------------------------------------------------------------------
class Body:
    """What a scan of the Markdown body found."""

    def __init__(self) -> None:
        self.paragraphs: list[Block] = []
        self.headings: list[Block] = []
        self.markers: list[tuple[str, str, int]] = []  # (verb, selectors, line)
        self.title: tuple[str, int] | None = None
        self.title_start: int | None = None
        self.hidden: list[tuple[int, int]] = []  # (start, end) of text that is not prose
        self.code: list[tuple[int, int]] = []


def scan_body(source: str, start: int) -> Body:
    body = Body()
    _scan_lines(source, start, body)
    _scan_comments(source, start, body)
    visible = _blank_out(source, body.hidden)
    body.paragraphs = paragraph_blocks(visible, start)
    return body


#: the characters a fence, heading, setext underline or thematic break starts
#: with, after at most three spaces: a line whose first four characters hold
#: none of them is prose (or blank), with no pattern to try
MARKS = frozenset("`~#=-*_")


#: a line that may open a fence or be a heading, underline or thematic break: at
#: the start, and after a newline (a search for a literal newline skips ahead fast,
#: where a `^` pattern is tried at every character)
MARKED_RE = re.compile(r" {0,3}[`~#=*_-]")
MARKED_LINE_RE = re.compile(r"\n {0,3}[`~#=*_-]")


def _scan_lines(source: str, start: int, body: Body) -> None:
    if not (MARKED_RE.match(source, start) or MARKED_LINE_RE.search(source, start)):
        return  # prose only: no line for the patterns below
    fence, previous = None, None  # open fence marker; previous line if it was prose
    for pos, end, number in _lines(source, start):
        text = source[pos:end]
        marked = text[:4].lstrip(" ")[:1] in MARKS
        if fence is None and not marked:
            previous = (pos, end, number) if text.strip() else None
            continue
        opening = FENCE_RE.match(text)
        if fence is not None or opening:
            body.hidden.append((pos, end))
            body.code.append((pos, end))
            if fence is None:
                fence = opening.group(1)
            elif text.strip().startswith(fence[0] * len(fence)) and not text.strip(fence[0] + " \t"):
                fence = None
            previous = None
            continue
        heading, prose = ATX_RE.match(text), False
        if heading:
            _add_heading(source, body, pos, end, number, heading.group(1),
                         _heading_text(text[heading.end():]))
        elif previous and SETEXT_RE.match(text):
            body.hidden.append((pos, end))
            level = "#" if text.strip()[0] == "=" else "##"
            _add_heading(source, body, *previous, level, source[previous[0]:previous[1]].strip())
        elif BREAK_RE.match(text):
            body.hidden.append((pos, end))
        else:
            prose = bool(text.strip())
        previous = (pos, end, number) if prose else None


def _heading_text(rest: str) -> str:
    """ATX heading text without its optional closing `#`s (no regex: linear)."""
    rest = rest.strip()
    trimmed = rest.rstrip("#")
    if trimmed != rest and (not trimmed or trimmed[-1] in " \t"):
        return trimmed.rstrip()
    return rest


def _add_heading(source: str, body: Body, pos: int, end: int, line: int, level: str, text: str) -> None:
    body.hidden.append((pos, end))
    begin = pos + len(source[pos:end]) - len(source[pos:end].lstrip())
    stop = pos + len(source[pos:end].rstrip())
    if level == "#" and body.title is None and text.strip():
        body.title, body.title_start = (text.strip(), line), begin
    body.headings.append(Block(source[begin:stop], line, line, begin, stop, kind="heading"))


def _lines(source: str, start: int) -> Iterator[tuple[int, int, int]]:
    pos, number = start, line_of(source, start)
    while pos < len(source):
        end = source.find("\n", pos)
        end = len(source) if end == -1 else end
        yield pos, end, number
        pos, number = end + 1, number + 1


def iter_comments(text: str, start: int = 0) -> Iterator[tuple[int, int, str]]:
    """(start, end, inner text) of each `<!-- ... -->`, in linear time."""
    pos = text.find("<!--", start)
    while pos != -1:
        close = text.find("-->", pos + 4)
        if close == -1:
            return
        yield pos, close + 3, text[pos + 4:close]
        pos = text.find("<!--", close + 3)


def _scan_comments(source: str, start: int, body: Body) -> None:
    if source.find("<!--", start) == -1:
        return
    code_starts = [s for s, _ in body.code]  # code lines come in file order
    line_starts = [0] + [m.end() for m in NEWLINE_RE.finditer(source)]
    for begin, end, inner in iter_comments(source, start):
        at = bisect.bisect_right(code_starts, begin) - 1
        if at >= 0 and begin < body.code[at][1]:
            continue
        marker = SUPPRESS_RE.search(inner)
        if marker:
            line = bisect.bisect_right(line_starts, begin)
            body.markers.append((marker.group(1), marker.group(2), line))
        line_start = source.rfind("\n", 0, begin) + 1
        line_end = source.find("\n", end)
        line_end = len(source) if line_end == -1 else line_end
        if not source[line_start:begin].strip() and not source[end:line_end].strip():
            body.hidden.append((line_start, line_end))


def _blank_out(source: str, ranges: list[tuple[int, int]]) -> str:
    """`source` with the given ranges turned into spaces (newlines kept), so
    offsets stay valid and hidden lines separate paragraphs like blank lines."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, last = [], 0
    for start, end in merged:
        pieces.append(source[last:start])
        pieces.append(NOT_NEWLINE_RE.sub(" ", source[start:end]))
        last = end
    pieces.append(source[last:])
    return "".join(pieces)
