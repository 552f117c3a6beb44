"""Word n-gram statistics of an article, numpy-vectorised: the repetition
rules run on every article of large corpora. Words are hashed all at once (a
polynomial hash from prefix sums), n-gram hashes are built incrementally, and
counting is one sort per n."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from .repetition_text import Para

_U64 = np.uint64
_MIX = _U64(0x9E3779B97F4A7C15)
_BASE = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
#: a shingle shared by more paragraphs than this is a stock phrase: skipped when
#: pairing paragraphs, which keeps the pairing linear on pathological input
MAX_SHINGLE_PARAGRAPHS = 50


_POWERS: dict[int, np.ndarray] = {}


def _powers(base: int, n: int) -> np.ndarray:
    """base**0 .. base**n modulo 2**64 (a cached table, grown by doubling)."""
    table = _POWERS.get(base)
    if table is None or len(table) <= n:
        size = max(n + 1, 2 * len(table) if table is not None else 4096)
        table = np.empty(size, _U64)
        table[0] = 1
        table[1:] = np.cumprod(np.full(size - 1, base, _U64))
        _POWERS[base] = table
    return table[:n + 1]


def word_hashes(joined: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(64-bit hash, length) of each space-separated word of `joined`, all at
    once: a polynomial hash from prefix sums, shifted back by the inverse
    power of each word's start so equal words hash alike wherever they are."""
    data = np.frombuffer(joined, np.uint8)
    spaces = np.flatnonzero(data == 32)
    starts = np.concatenate([[0], spaces + 1])
    ends = np.concatenate([spaces, [len(data)]])
    prefix = np.concatenate([[_U64(0)], np.cumsum((data.astype(_U64) + _U64(1)) * _powers(_BASE, len(data))[:-1])])
    hashes = (prefix[ends] - prefix[starts]) * _powers(_BASE_INVERSE, len(data))[starts]
    mixed = hashes * _MIX
    return mixed ^ (mixed >> _U64(29)), (ends - starts).astype(np.int64)


class Counted(NamedTuple):
    """Distinct n-grams: their first position, count, and the positions of
    every occurrence grouped by n-gram (`order[starts[j]:starts[j] + counts[j]]`)."""

    first: np.ndarray
    counts: np.ndarray
    order: np.ndarray
    starts: np.ndarray


class WordGrams:
    """Hashes of every word n-gram of some paragraphs, built incrementally;
    shares are of the characters in words (spaces excluded)."""

    def __init__(self, paras: list[Para], base: WordGrams | None = None):
        self.paras = paras
        self.owner = np.repeat(np.asarray([p.index for p in paras], np.int64),
                               np.asarray([p.size for p in paras], np.int64))
        if not paras:
            unigrams, self.lengths = np.empty(0, _U64), np.empty(0, np.int64)
        elif base is None:
            unigrams, self.lengths = word_hashes(b" ".join(p.key for p in paras))
        else:  # a subset of the base's paragraphs: reuse its word hashes
            keep = np.isin(base.owner, [p.index for p in paras])
            unigrams, self.lengths = base._hashes[1][keep], base.lengths[keep]
        self.total = max(int(self.lengths.sum()), 1)
        self._hashes = [np.empty(0, _U64), unigrams]
        self._counted: dict[int, Counted] = {}
        self._words: list[bytes] | None = None

    @property
    def size(self) -> int:
        return len(self.lengths)

    def hashes(self, n: int) -> np.ndarray:
        while len(self._hashes) <= n:
            m = len(self._hashes)
            self._hashes.append(self._hashes[m - 1][:-1] * _MIX + self._hashes[1][m - 1:])
        return self._hashes[n]

    def counted(self, n: int) -> Counted:
        if n not in self._counted:
            hashes = self.hashes(n)
            order = np.argsort(hashes)
            ranked = hashes[order]
            starts = np.flatnonzero(np.concatenate([[True], ranked[1:] != ranked[:-1]]))
            counts = np.diff(np.concatenate([starts, [len(ranked)]]))
            first = np.minimum.reduceat(order, starts) if len(order) else order
            self._counted[n] = Counted(first, counts, order, starts)
        return self._counted[n]

    def text(self, position: int, n: int) -> str:
        if self._words is None:
            self._words = b" ".join(p.key for p in self.paras).split(b" ")
        return b" ".join(self._words[position:position + n]).decode("utf-8", "replace")

    def share(self, position: int, n: int, count: int) -> float:
        return float(self.lengths[position:position + n].sum()) * count / self.total

    def top(self, n: int) -> tuple[int, int, float] | None:
        """(position, count, character share) of the most repeated n-gram."""
        if len(self.hashes(n)) == 0:
            return None
        counted = self.counted(n)
        count = int(counted.counts.max())
        if count < 2:
            return None
        position = int(counted.first[counted.counts == count].min())  # ties: the earliest
        return position, count, self.share(position, n, count)

    def duplicated_share(self, n: int) -> float:
        """Share of the characters in words covered by a repeat of an earlier n-gram."""
        if len(self.hashes(n)) == 0:
            return 0.0
        counted = self.counted(n)
        repeated = np.ones(len(counted.order), bool)
        repeated[counted.first] = False
        starts = np.flatnonzero(repeated)
        size = self.size + 1
        depth = np.cumsum(np.bincount(starts, minlength=size) - np.bincount(starts + n, minlength=size))
        return float(self.lengths[depth[:-1] > 0].sum()) / self.total


def near_copies(grams: WordGrams, candidates: set[int], k: int = 2,
                threshold: float = 0.7) -> dict[int, tuple[float, int]]:
    """For each later candidate block, the earlier candidate block whose set of
    word k-grams is most similar to its own (Jaccard >= threshold)."""
    hashes = grams.hashes(k)
    if not len(hashes) or not candidates:
        return {}
    start = grams.owner[:len(hashes)]
    keep = (start == grams.owner[k - 1:]) & np.isin(start, np.fromiter(candidates, np.int64))
    hashes, paras = hashes[keep], start[keep]
    order = np.lexsort((paras, hashes))  # by shingle, then by paragraph
    hashes, paras = hashes[order], paras[order]
    distinct = np.ones(len(hashes), bool)
    distinct[1:] = (hashes[1:] != hashes[:-1]) | (paras[1:] != paras[:-1])
    hashes, paras = hashes[distinct], paras[distinct]
    sizes = np.bincount(paras)
    shared = _in_several(hashes)
    # a block can only reach the threshold if that share of its shingles occur elsewhere
    possible = np.bincount(paras[shared], minlength=len(sizes)) >= threshold * np.maximum(sizes, 1)
    keep = shared & possible[paras]
    hashes, paras = hashes[keep], paras[keep]
    shared = _in_several(hashes)
    if not shared.any():
        return {}
    common: Counter[tuple[int, int]] = Counter()
    bounds = np.flatnonzero(np.diff(hashes[shared])) + 1
    for group in np.split(paras[shared], bounds):
        members = group.tolist()
        if len(members) <= MAX_SHINGLE_PARAGRAPHS:
            common.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    best: dict[int, tuple[float, int]] = {}
    for (a, b), count in common.items():
        similarity = count / (int(sizes[a]) + int(sizes[b]) - count)
        if similarity >= threshold and similarity > best.get(b, (0.0, 0))[0]:
            best[b] = (similarity, a)
    return best


def _in_several(ranked: np.ndarray) -> np.ndarray:
    """For sorted values: whether each value occurs more than once."""
    same = ranked[1:] == ranked[:-1]
    out = np.zeros(len(ranked), bool)
    out[1:] |= same
    out[:-1] |= same
    return out
