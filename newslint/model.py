"""The records every part of newslint passes around: articles, blocks, findings, fixes.

Loaders make `Article`s, checks make `Finding`s, formatters print them. All are
immutable so they can cross threads and processes safely.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from typing import Any

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of body text (a paragraph, a line, a heading) and where it came from.

    `line`/`end_line` are 1-based lines in the original file. `start`/`end` are
    character offsets into `Article.source` when the article has an editable
    source (plain text, Markdown, a JSON text field), else None.
    """

    text: str
    line: int
    end_line: int
    start: int | None = None
    end: int | None = None
    kind: str = "paragraph"  # "paragraph", "heading", "line"


@dataclass(frozen=True, slots=True)
class Metadata:
    date: str | None = None          # as found (ISO string or raw text)
    date_source: str | None = None   # "meta", "front-matter", "json-ld", "time", "field", "text"
    authors: tuple[str, ...] = ()
    outlet: str | None = None
    url: str | None = None
    language: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """As JSON wants it (what `dataclasses.asdict` gives, 20x cheaper)."""
        return {"date": self.date, "date_source": self.date_source, "authors": list(self.authors),
                "outlet": self.outlet, "url": self.url, "language": self.language}


@dataclass(frozen=True, slots=True)
class Suppression:
    """A `newslint: disable=...` marker found in an article, at `line`. It
    covers the lines `first` to `last` (`disable-next-line`: the next line;
    `disable` ... `enable`: the range), or the whole article (None)."""

    selectors: tuple[str, ...]
    line: int
    first: int | None = None
    last: int | None = None

    def covers(self, line: int) -> bool:
        return self.first is None or self.first <= line <= (self.last if self.last is not None
                                                             else line)


@dataclass(frozen=True, slots=True)
class Article:
    """A loaded article.

    `id` is unique in a run: the path, plus `:LINE` for a record inside a JSON
    Lines file or `#INDEX` for a record inside a JSON list.
    `source` is the editable text that fixes apply to (None for HTML).
    `body_start` is the offset in `source` where the body begins (after front
    matter), `line_offset` the file line of `source`'s first line minus one, and
    `record_line` the file line of a JSON record (every position in the record
    maps to that line).
    """

    id: str
    path: str
    format: str
    title: str | None
    title_line: int | None
    blocks: tuple[Block, ...]
    meta: Metadata = field(default_factory=Metadata)
    source: str | None = None
    body_start: int = 0
    line_offset: int = 0
    record: int | None = None
    record_line: int | None = None
    suppressions: tuple[Suppression, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The body as plain text, paragraphs separated by blank lines."""
        return "\n\n".join(b.text for b in self.blocks)

    def with_meta(self, **changes: Any) -> "Article":
        return replace(self, meta=replace(self.meta, **changes))

    def position(self, offset: int) -> tuple[int, int]:
        """File (line, column), 1-based, of a character offset into `source`."""
        if self.record_line is not None or self.source is None:
            return (self.record_line or 1, 1)
        starts = self.extra.get("_line_starts")
        if starts is None:
            starts = [0] + [i + 1 for i, ch in enumerate(self.source) if ch == "\n"]
            self.extra["_line_starts"] = starts
        index = bisect.bisect_right(starts, offset) - 1
        return (index + 1 + self.line_offset, offset - starts[index] + 1)


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace source[start:end] with `text`."""

    start: int
    end: int
    text: str = ""


@dataclass(frozen=True, slots=True)
class Fix:
    edits: tuple[Edit, ...]
    description: str
    safe: bool = True


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    rule: str
    severity: str
    message: str
    fix: Fix | None = None
    article: str | None = None  # record id for records inside JSON / JSON Lines files
    data: tuple[tuple[str, Any], ...] = ()  # extra machine-readable facts (similarity, date...)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def __str__(self) -> str:
        """One line, as `newslint check` prints it: `path:line:col: CODE [rule] message (level)`."""
        return f"{self.path}:{self.line}:{self.column}: {self.code} [{self.rule}] {self.message} " \
               f"({self.severity})"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path, "line": self.line, "column": self.column,
            "end_line": self.end_line, "end_column": self.end_column,
            "code": self.code, "rule": self.rule, "severity": self.severity,
            "message": self.message,
        }
        if self.article is not None:
            out["article"] = self.article
        if self.fix is not None:
            out["fix"] = {
                "description": self.fix.description, "safe": self.fix.safe,
                "edits": [{"start": e.start, "end": e.end, "text": e.text} for e in self.fix.edits],
            }
        if self.data:
            out["data"] = dict(self.data)
        return out


@dataclass(frozen=True, slots=True)
class InputError:
    """An input that could not be read or parsed at all."""

    path: str
    message: str
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "message": self.message}
        if self.line is not None:
            out["line"] = self.line
        return out


class LoadError(Exception):
    """Raised by loaders for input that cannot be turned into an article."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
