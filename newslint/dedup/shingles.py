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
makes this several times faster than hashing each shingle string.
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
_FMIX64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_BASE = np.uint64(0xD6E8FEB86659FD93)          # odd, so invertible modulo 2^64
_BASE_INVERSE = np.uint64(pow(0xD6E8FEB86659FD93, -1, 1 << 64))
_WORD_START = np.uint64(0x2545F4914F6CDD1D)    # added to a word's first code point


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


_ASCII_KINDS = np.array([char_kind(chr(c)) for c in range(128)], dtype=np.uint8)


def fmix64(values: np.ndarray) -> np.ndarray:
    """The MurmurHash3 64-bit finaliser: an avalanching bijection on uint64."""
    shift, m1, m2 = _FMIX64
    values = values ^ (values >> shift)
    values = values * m1
    values = values ^ (values >> shift)
    values = values * m2
    return values ^ (values >> shift)


def code_points(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(code points, kinds) of the normalised text."""
    text = unicodedata.normalize("NFKC", text).casefold()
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if text.isascii():
        return points, _ASCII_KINDS[points]
    kinds = _ASCII_KINDS[np.minimum(points, 127)]  # 127 (DEL) is a separator
    high = np.flatnonzero(points > 127)
    distinct, where = np.unique(points[high], return_inverse=True)
    kinds[high] = np.array([char_kind(chr(c)) for c in distinct.tolist()], dtype=np.uint8)[where]
    return points, kinds


def tokens(text: str) -> tuple[list[str], str]:
    """(words, spaceless characters) of a text, normalised: the tokens the
    shingles are made of (for tests and tools; `shingle` does not build them)."""
    points, kinds = code_points(text)
    chars = "".join(map(chr, points[kinds == SPACELESS].tolist()))
    marked = "".join(chr(p) if k == WORD else " " for p, k in zip(points.tolist(), kinds.tolist()))
    return marked.split(), chars


def word_shingles(points: np.ndarray, is_word: np.ndarray, k: int) -> tuple[np.ndarray, bytes]:
    """(hashes of every run of k consecutive words, the normalised word stream
    as bytes). The words' code points are laid end to end, each word's first
    one marked; a window's hash is a polynomial over its code points, taken
    from prefix sums and shifted to start at the window (the base is odd, so
    its powers are invertible modulo 2^64)."""
    index = np.flatnonzero(is_word)
    if len(index) == 0:
        return np.empty(0, dtype=np.uint64), b""
    first = np.empty(len(index), dtype=bool)
    first[0] = True
    np.not_equal(index[1:] - index[:-1], 1, out=first[1:])
    starts = np.flatnonzero(first)
    values = points[index].astype(np.uint64) + np.uint64(1)
    values[starts] += _WORD_START
    k = min(k, len(starts))
    begin = starts[:len(starts) - k + 1]
    end = np.empty(len(begin), dtype=starts.dtype)  # exclusive end of each window
    end[:-1], end[-1] = starts[k:], len(index)
    powers, inverse = _powers(len(index))
    prefix = np.empty(len(index) + 1, dtype=np.uint64)
    prefix[0] = 0
    with np.errstate(over="ignore"):
        (values * powers).cumsum(out=prefix[1:])
        shifted = (prefix[end] - prefix[begin]) * inverse[begin]
        return fmix64(shifted + np.uint64(k)), values.tobytes()


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
    points, kinds = code_points(text)
    words, stream = word_shingles(points, kinds == WORD, k_words)
    spaceless = kinds == SPACELESS
    if spaceless.any():
        chars = points[spaceless].astype(np.uint64)
        with np.errstate(over="ignore"):
            words = np.concatenate([words, _windows(fmix64(chars + _CHAR_SALT), k_chars)])
        stream += b"|" + chars.tobytes()
    words.sort()
    distinct = words[np.concatenate(([True], words[1:] != words[:-1]))] if len(words) else words
    return Shingles(distinct, xxhash.xxh3_64_intdigest(stream))


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
