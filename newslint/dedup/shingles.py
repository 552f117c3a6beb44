"""From article text to a set of shingle hashes.

Text is normalised (NFKC, case-folded) and cut into tokens: words are runs of
letters, digits and marks (`\\p{L}\\p{N}\\p{M}`), so punctuation and
whitespace never matter. Scripts written without spaces between words (Han,
Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) have no reliable word
boundaries, so their letters form a second stream that is shingled by
characters. A Japanese article quoting an English name gives both streams.

Each distinct character is classified once with `regex` (Unicode properties
and script extensions); the text itself is then processed as a numpy array of
code points: word boundaries, and the hash of every k-word window from prefix
sums of a polynomial over the code points (then the MurmurHash3 64-bit
finaliser). There is no per-word or per-shingle Python work, which is what
makes this several times faster than hashing each shingle string. ASCII text
(NFKC leaves it as it is) skips the normalisation: its bytes go through a
table that gives each one's kind and case-folded value.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import numpy as np
import regex
import xxhash

SPACELESS_RE = regex.compile(r"[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Thai}"
                             r"\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}]")
WORD_CHAR_RE = regex.compile(r"[\p{L}\p{N}\p{M}]")
SEPARATOR, WORD, SPACELESS = 0, 1, 2

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)   # odd: each polynomial step is a bijection
_CHAR_SALT = np.uint64(0x51ED2701A1F0C3B5)     # keeps character shingles apart from word shingles
# Constants of in-place array operations are 0-d arrays: numpy takes them
# faster than scalars (a few hundred ns a call, on calls that take a microsecond).
_FMIX64 = tuple(np.array(c, dtype=np.uint64) for c in (33, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53))
_BASE = np.uint64(0xD6E8FEB86659FD93)          # odd, so invertible modulo 2^64
_BASE_INVERSE = np.uint64(pow(0xD6E8FEB86659FD93, -1, 1 << 64))
_WORD_START = np.array(0x2545F4914F6CDD1D, dtype=np.uint64)  # added to a word's first code point


@dataclass(frozen=True)
class Shingles:
    """The distinct shingle hashes of one text (sorted uint64) and a hash of
    its normalised token stream (equal for texts that differ only in case,
    punctuation and whitespace)."""

    hashes: np.ndarray
    text_hash: int

    def __len__(self) -> int:
        return len(self.hashes)

    def set_hash(self) -> int:
        """A fingerprint of the set: equal fingerprints mean equal sets."""
        return xxhash.xxh3_64_intdigest(self.hashes.tobytes())


@lru_cache(maxsize=65536)
def char_kind(char: str) -> int:
    if not WORD_CHAR_RE.match(char):
        return SEPARATOR
    return SPACELESS if SPACELESS_RE.match(char) else WORD


_UNKNOWN = 255
# The kind of every code point, filled in as characters are first seen (one
# look-up per text instead of sorting its non-ASCII characters each time).
# Threads may fill it at once: they write the same values.
_KINDS = np.full(0x110000, _UNKNOWN, dtype=np.uint8)
_KINDS[:128] = [char_kind(chr(c)) for c in range(128)]
_ASCII_IS_WORD = _KINDS[:256] == WORD  # indexed by bytes: 128..255 never occur in ASCII
# an ASCII byte -> the value of its case-folded character in the word stream
_ASCII_VALUES = np.array([ord(chr(c).casefold()) + 1 if c < 128 else 0 for c in range(256)],
                         dtype=np.uint64)


def fmix64(values: np.ndarray) -> np.ndarray:
    """The MurmurHash3 64-bit finaliser, an avalanching bijection on uint64,
    applied in place to `values` (which is returned)."""
    shift, m1, m2 = _FMIX64
    shifted = np.right_shift(values, shift)
    values ^= shifted
    values *= m1
    np.right_shift(values, shift, out=shifted)
    values ^= shifted
    values *= m2
    np.right_shift(values, shift, out=shifted)
    values ^= shifted
    return values


def code_points(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(code points, kinds) of the normalised text (NFKC, case-folded)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    kinds = _KINDS.take(points)
    if len(kinds) and np.maximum.reduce(kinds) == _UNKNOWN:  # characters seen for the first time
        unknown = np.flatnonzero(kinds == _UNKNOWN)
        distinct = np.unique(points[unknown])
        _KINDS[distinct] = [char_kind(chr(c)) for c in distinct.tolist()]
        kinds[unknown] = _KINDS.take(points[unknown])
    return points, kinds


def tokens(text: str) -> tuple[list[str], str]:
    """(words, spaceless characters) of a text, normalised: the tokens the
    shingles are made of (for tests and tools; `shingle` does not build them)."""
    points, kinds = code_points(text)
    chars = "".join(map(chr, points[kinds == SPACELESS].tolist()))
    marked = "".join(chr(p) if k == WORD else " " for p, k in zip(points.tolist(), kinds.tolist()))
    return marked.split(), chars


def word_shingles(values: np.ndarray, index: np.ndarray, k: int) -> np.ndarray:
    """The hashes of every run of k consecutive words. `values` (uint64,
    changed in place: they become the normalised word stream the text hash is
    taken of) are the words' code points
    plus one, laid end to end; `index` their positions in the text, where a
    gap starts a new word. Each word's first value is marked; a window's hash
    is a polynomial over its values, taken from prefix sums and shifted to
    start at the window (the base is odd, so its powers are invertible
    modulo 2^64)."""
    n = len(index)
    if n == 0:
        return values
    first = np.empty(n + 1, dtype=bool)  # and one past the end: where the last word ends
    first[0] = first[n] = True
    np.not_equal(np.subtract(index[1:], index[:-1]), 1, out=first[1:n])
    bounds = first.nonzero()[0]  # 1-d: nonzero without flatnonzero's Python layers
    words = len(bounds) - 1
    values[bounds[:words]] += _WORD_START
    k = min(k, words)
    begin, end = bounds[:words - k + 1], bounds[k:]  # each window's first value, and one past
    powers, inverse = _powers(n)
    prefix = np.empty(n + 1, dtype=np.uint64)
    prefix[0] = 0
    np.multiply(values, powers, out=prefix[1:])  # array arithmetic wraps modulo 2^64 silently
    np.add.accumulate(prefix[1:], out=prefix[1:])
    shifted = prefix.take(end)
    shifted -= prefix.take(begin)
    shifted *= inverse.take(begin)
    shifted += np.uint64(k)
    return fmix64(shifted)


_POWER_TABLES: tuple[np.ndarray, np.ndarray] = (np.empty(0, np.uint64), np.empty(0, np.uint64))


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(BASE^1..n, BASE^-1..-n) modulo 2^64, from a table grown as needed."""
    global _POWER_TABLES
    tables = _POWER_TABLES
    if len(tables[0]) < n:
        size = max(n, 1 << 16)
        with np.errstate(over="ignore"):
            tables = (np.cumprod(np.full(size, _BASE, dtype=np.uint64), dtype=np.uint64),
                      np.cumprod(np.full(size, _BASE_INVERSE, dtype=np.uint64), dtype=np.uint64))
        _POWER_TABLES = tables  # replaced whole, so other threads see one table or the other
    return tables[0][:n], tables[1][:n]


def shingle(text: str, k_words: int = 5, k_chars: int = 5) -> Shingles:
    """The shingle set of a text: k-word shingles of the words and k-character
    shingles of the spaceless-script characters. A stream shorter than k gives
    one shingle (the whole stream), so a short text still has a fingerprint."""
    if text.isascii():  # NFKC leaves ASCII as it is; case-folding is a table look-up
        raw = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        index = _ASCII_IS_WORD.take(raw).nonzero()[0]
        values = _ASCII_VALUES.take(raw.take(index))
        words = word_shingles(values, index, k_words)
        return Shingles(_distinct(words), xxhash.xxh3_64_intdigest(values))
    points, kinds = code_points(text)
    index = (kinds == WORD).nonzero()[0]
    values = np.add(points.take(index), 1, dtype=np.uint64)
    words = word_shingles(values, index, k_words)
    if not len(kinds) or np.maximum.reduce(kinds) != SPACELESS:
        return Shingles(_distinct(words), xxhash.xxh3_64_intdigest(values))
    chars = points[kinds == SPACELESS].astype(np.uint64)
    with np.errstate(over="ignore"):
        char_windows = _windows(fmix64(chars + _CHAR_SALT), k_chars)
    stream = values.tobytes() + b"|" + chars.tobytes()
    return Shingles(_distinct(np.concatenate([words, char_windows])), xxhash.xxh3_64_intdigest(stream))


def _distinct(hashes: np.ndarray) -> np.ndarray:
    """`hashes` sorted (in place) without repeats."""
    if len(hashes) < 2:
        return hashes
    hashes.sort()
    keep = np.empty(len(hashes), dtype=bool)
    keep[0] = True
    np.not_equal(hashes[1:], hashes[:-1], out=keep[1:])
    return hashes if np.logical_and.reduce(keep) else hashes[keep]


def _windows(token_hashes: np.ndarray, k: int) -> np.ndarray:
    """Hashes of every window of k consecutive tokens (order matters)."""
    n = len(token_hashes)
    if n == 0:
        return token_hashes
    k = min(k, n)
    count = n - k + 1
    combined = token_hashes[:count].copy()
    for j in range(1, k):
        combined = combined * _MULTIPLIER + token_hashes[j:j + count]
    return fmix64(combined + np.uint64(k))


def body_text(lines: Iterable[tuple[int, str]], skip: frozenset[int] | set[int]) -> str:
    """The text of (line key, text) pairs, leaving out the lines in `skip`."""
    return "\n".join(text for line, text in lines if line not in skip)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted, distinct uint64 arrays."""
    if len(a) == 0 and len(b) == 0:
        return 1.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)
