"""Text that is safe to print: what newslint writes quotes file names and
article text written by strangers, and neither may turn into a terminal
escape, a second line, text shown in another order, or a crash.

- `escaped(text)`: every character that is not printable text is shown as an
  escape: C0/C1 controls and DEL (`\\x1b`, `\\n`), bidirectional controls and
  other invisible format characters (`\\u202e`), line and paragraph separators
  (`\\u2028`), and the bytes of a file name that are not UTF-8 (Python keeps
  them as lone surrogates, `\\udcff`; shown as the byte, `\\xff`).
- `one_line(text)`: runs of whitespace as one space, then `escaped`.
- `encodable(text)`: lone surrogates replaced by their escapes, so any
  UTF-8 writer accepts the text (for JSON values and database keys).
- `file_name_bytes(path)`: the name's own bytes (for NUL-separated lists).
"""
from __future__ import annotations

import os
import re

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: controls, DEL and C1, surrogates, and the format/separator characters that can
#: reorder or hide text (bidi embeddings, overrides and isolates, marks, U+2028/9)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069"
                     "\ufeff\ufff9-\ufffb\ud800-\udfff]")


def _escape(m: re.Match) -> str:
    char = m.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escaped(text: str) -> str:
    """`text` with every unsafe character shown as an escape (see the module)."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def one_line(text: object) -> str:
    """`text` on one line: whitespace runs as one space, unsafe characters escaped."""
    return escaped(" ".join(str(text).split()))


def encodable(text: str) -> str:
    """`text` without lone surrogates (each shown as its escape), so that it
    can be encoded as UTF-8; text that has none is returned as it is."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", _escape, text)


def file_name_bytes(path: str) -> bytes:
    """The bytes of a file name as the file system has them."""
    return os.fsencode(path)
