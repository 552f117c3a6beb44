"""Words as 64-bit hashes, and counting hashes by bucket: the array work under
the repetition statistics (`stats.WordGrams`). On an article's few kilobytes
the cost is in the number of numpy calls and in what they allocate, not in
the data: arrays are filled in place, and array methods and ufuncs are used
rather than the slower-to-call numpy functions."""
from __future__ import annotations

import threading

from newslint.lazy import lazy_module

np = lazy_module("numpy")

U64 = "u8"  # numpy dtype
MIX = 0x9E3779B97F4A7C15
_BASE = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
#: bucket tables up to this size are reused (one per thread); larger ones are
#: made for the call (`np.bincount`), so a huge text leaves no huge table behind
REUSED_TABLE = 1 << 16

_POWERS: dict[int, np.ndarray] = {}
_TABLES = threading.local()


def powers(base: int, n: int) -> np.ndarray:
    """base**0 .. base**n modulo 2**64 (a cached table, grown by doubling)."""
    table = _POWERS.get(base)
    if table is None or len(table) <= n:
        size = max(n + 1, 2 * len(table) if table is not None else 4096)
        table = np.empty(size, U64)
        table[0] = 1
        table[1:] = np.cumprod(np.full(size - 1, base, U64))
        _POWERS[base] = table
    return table[:n + 1]


def word_hashes(joined: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(64-bit hash, length) of each space-separated word of `joined`, all at
    once: a polynomial hash from prefix sums, shifted back by the inverse
    power of each word's start so equal words hash alike wherever they are."""
    data = np.frombuffer(joined, np.uint8)
    spaces = (data == 32).nonzero()[0]
    starts = np.empty(len(spaces) + 1, np.int64)
    starts[0] = 0
    np.add(spaces, 1, out=starts[1:])
    ends = np.empty(len(spaces) + 1, np.int64)
    ends[:-1] = spaces
    ends[-1] = len(data)
    prefix = np.empty(len(data) + 1, U64)
    prefix[0] = 0
    terms = np.add(data, 1, dtype=U64)
    terms *= powers(_BASE, len(data))[:-1]
    terms.cumsum(out=prefix[1:])
    hashes = prefix.take(ends)
    hashes -= prefix.take(starts)
    hashes *= powers(_BASE_INVERSE, len(data)).take(starts)
    hashes *= np.uint64(MIX)
    hashes ^= hashes >> np.uint64(29)
    return hashes, ends - starts


def bucket_counts(buckets: np.ndarray, size: int) -> np.ndarray:
    """For each entry, how many entries share its bucket (buckets are below
    `size`): `np.bincount(buckets)[buckets]`, counted in a zeroed table kept
    for the next call (and set back to zeros after) rather than in a new
    table that bincount allocates and zeroes every time: the table is much
    larger than the text."""
    if size > REUSED_TABLE:
        return np.bincount(buckets).take(buckets)
    table = getattr(_TABLES, "table", None)
    if table is None:
        table = _TABLES.table = np.zeros(REUSED_TABLE, np.int64)
    np.add.at(table, buckets, 1)
    counts = table.take(buckets)
    table[buckets] = 0
    return counts
