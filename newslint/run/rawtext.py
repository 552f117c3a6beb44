"""Where the decoded text of a .txt or .md file lies in its bytes, so `--fix`
can change the fixed spans and nothing else.

A loader reads a file as `decode` then `normalize_newlines`
(`newslint.loaders.common`): a UTF-8 BOM dropped, UTF-8, or line by line
Windows-1252 / Latin-1 for the lines that are not, and `\\r\\n` and `\\r`
read as `\\n` when the file uses them. `RawText` splits the bytes the same
way, so an offset into the source maps to a byte offset, and `splice` puts
each edit's text, encoded as its line is and with its line's own ending, in
place of the edited bytes: the BOM, the encoding of every other line, every
line's own ending (mixed endings, a lone CR) stay as they were. The caller
checks that the result decodes to the fixed text (`fixer.fix_bytes`).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterable

from newslint.model import Edit

BOM = b"\xef\xbb\xbf"
_ENDINGS = re.compile(rb"\r\n|\r|\n")
_NEWLINE_ONLY = re.compile(rb"\n")


class CannotSplice(Exception):
    """An edit cannot be written in the file's own encoding."""


class RawText:
    def __init__(self, data: bytes):
        self.data = data
        self.bom = len(BOM) if data.startswith(BOM) else 0
        body = data[self.bom:]
        try:
            body.decode("utf-8")
            segment_encodings = None  # all UTF-8
        except UnicodeDecodeError:
            segment_encodings = [_encoding_of(part) for part in body.split(b"\n")]
        crlf = b"\r\n" in body or (b"\r" in body and b"\n" not in body)
        self.starts: list[int] = []    # byte offset where each source line starts
        self.ends: list[int] = []      # ... and where its text ends (its ending starts)
        self.encodings: list[str] = []
        pos, segment = self.bom, 0
        for m in (_ENDINGS if crlf else _NEWLINE_ONLY).finditer(data, self.bom):
            self._line(pos, m.start(), segment, segment_encodings)
            if data[m.end() - 1] == 0x0A:
                segment += 1
            pos = m.end()
        self._line(pos, len(data), segment, segment_encodings)
        self.default_ending = _first_ending(data, self.starts, self.ends)

    def _line(self, start: int, end: int, segment: int, encodings: list[str] | None) -> None:
        self.starts.append(start)
        self.ends.append(end)
        self.encodings.append("utf-8" if encodings is None else encodings[segment])

    def splice(self, source: str, edits: Iterable[Edit]) -> bytes:
        """The file's bytes with `edits` (offsets into `source`, not
        overlapping) applied; linear in the size of the file and the edits."""
        line_starts = _line_starts(source)
        pieces, kept_to = [], 0
        cursor = _Cursor(self, source, line_starts)
        for edit in sorted(edits, key=lambda e: (e.start, e.end)):
            begin, line = cursor.byte(edit.start)
            end, _ = cursor.byte(edit.end)
            pieces.append(self.data[kept_to:begin])
            pieces.append(self._encode(edit.text, line))
            kept_to = end
        pieces.append(self.data[kept_to:])
        return b"".join(pieces)

    def _encode(self, text: str, line: int) -> bytes:
        ending = self.data[self.ends[line]:self.starts[line + 1]] \
            if line + 1 < len(self.starts) else self.default_ending
        encoding = self.encodings[line]
        try:
            return ending.join(part.encode(encoding) for part in text.split("\n"))
        except UnicodeEncodeError:
            raise CannotSplice(f"the fix writes {text!r}, which {encoding} cannot hold") from None


class _Cursor:
    """Source offset -> byte offset, for ascending offsets: each line's text
    is encoded once, from the last position on, so the whole is linear."""

    def __init__(self, raw: RawText, source: str, line_starts: list[int]):
        self.raw, self.source, self.line_starts = raw, source, line_starts
        self.line, self.char, self.at = -1, 0, 0

    def byte(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.line_starts, offset) - 1
        start = self.line_starts[line]
        if line >= len(self.raw.starts):
            raise CannotSplice("the file's lines do not match its text")
        if line != self.line or offset < start + self.char:
            self.line, self.char, self.at = line, 0, self.raw.starts[line]
        column = offset - start
        text = self.source[start + self.char:start + column]
        encoding = self.raw.encodings[line]
        self.at += len(text) if encoding != "utf-8" else len(text.encode("utf-8", "surrogatepass"))
        self.char = column
        if self.at > self.raw.ends[line]:
            raise CannotSplice("the file's lines do not match its text")
        return self.at, line


def _line_starts(source: str) -> list[int]:
    starts, pos = [0], source.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = source.find("\n", pos + 1)
    return starts


def _encoding_of(segment: bytes) -> str:
    """The encoding `loaders.common.decode` reads one line of a file that is
    not all UTF-8 with: UTF-8, else Windows-1252, else Latin-1."""
    for encoding in ("utf-8", "cp1252"):
        try:
            segment.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"


def _first_ending(data: bytes, starts: list[int], ends: list[int]) -> bytes:
    return data[ends[0]:starts[1]] if len(starts) > 1 else b"\n"
