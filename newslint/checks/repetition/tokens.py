"""The words of article text as bytes: lower-cased UTF-8, split on spaces and
common punctuation. `tokenize` gives each text's words joined by single
spaces (the keys the repetition rules compare)."""
from __future__ import annotations

import string
from typing import NamedTuple

from newslint.lazy import lazy_module
from newslint.model import Block

np = lazy_module("numpy")

#: non-ASCII punctuation and spaces common enough in news to split words on
WIDE_SEPARATORS = ("\u00ab\u00bb\u201c\u201d\u2018\u2019\u201e\u201a\u2039\u203a\u2026\u2013\u2014"
                   "\u2015\u00b7\u2022\u00a0\u2009\u202f\u3000\u3001\u3002\uff0c\uff0e\uff1a\uff1b"
                   "\uff01\uff1f\u300c\u300d\uff08\uff09\u00bf\u00a1")
_SEPARATORS = bytes(i for i in range(128) if chr(i) in string.punctuation or chr(i).isspace())
_TO_SPACES = bytes.maketrans(_SEPARATORS, b" " * len(_SEPARATORS))
_LOWER_TO_SPACES = bytes.maketrans(_SEPARATORS + string.ascii_uppercase.encode(),
                                   b" " * len(_SEPARATORS) + string.ascii_lowercase.encode())
#: below this many bytes `split_words` costs less than `squeeze_spaces` (numpy)
SMALL = 1500


def tokenize(texts: list[str]) -> list[bytes]:
    """Each text as its words (lower-cased UTF-8) joined by single spaces. One
    pass over all the texts: joining them and translating bytes is much faster
    than a regular expression or a split per block."""
    data = _translated(texts)
    return split_words(data) if len(data) < SMALL else squeeze_spaces(data)


def split_words(data: bytes) -> list[bytes]:
    """The NUL-separated chunks of translated `data`, each as its words joined by
    single spaces, by splitting (after the translation the only ASCII
    whitespace left is the space): the way for a title or a few lines."""
    return [b" ".join(chunk.split()) for chunk in data.split(b"\x00")]


def squeeze_spaces(data: bytes) -> list[bytes]:
    """`split_words` without making an object of every word: the way for a body."""
    return [chunk.strip(b" ") for chunk in _single_spaced(data).split(b"\x00")]


def _translated(texts: list[str]) -> bytes:
    """The texts lower-cased, UTF-8 encoded and joined by NUL bytes (a NUL
    inside a text becomes a space), with separators made spaces. ASCII text
    (O(1) to tell in CPython) is lower-cased by the same byte translation."""
    if any("\x00" in t for t in texts):
        texts = [t.replace("\x00", " ") for t in texts]
    joined = "\x00".join(texts)
    if joined.isascii():  # ASCII text holds none of the wide separators
        return joined.encode("ascii").translate(_LOWER_TO_SPACES)
    for separator in WIDE_SEPARATORS:
        if separator in joined:
            joined = joined.replace(separator, " ")
    return joined.lower().encode("utf-8", "replace").translate(_TO_SPACES)


def _single_spaced(data: bytes) -> bytes:
    """`data` with every run of spaces made one space: `b" ".join(data.split())`
    but for the ends, without making an object of every word (and on a few
    kilobytes faster than a regular expression)."""
    codes = np.frombuffer(data, np.uint8)
    space = codes == 32
    keep = np.empty(len(codes), bool)  # np.ones is a Python function: slower to call
    keep[:1] = True
    np.logical_not(space[1:] & space[:-1], out=keep[1:])  # a space after a space goes
    return codes[keep].tobytes()


class Para(NamedTuple):
    """A body block and its words (`key`: the words joined by spaces)."""

    index: int
    block: Block
    key: bytes
    size: int  # words

    @property
    def line(self) -> int:
        return self.block.line


def para(index: int, block: Block, key: bytes) -> Para:
    return Para(index, block, key, key.count(b" ") + 1)
