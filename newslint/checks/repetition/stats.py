"""Word n-gram statistics of an article, numpy-vectorised: the repetition
rules run on every article of large corpora. Words are hashed all at once (a
polynomial hash from prefix sums) and n-gram hashes are built incrementally.
Nothing is sorted in the usual case: a count of every n-gram by a bucket of its
hash (an upper bound, in three array operations) finds the few places where an
n-gram can repeat, and only those are compared, in a dict. A long, repetitive
text, with many such places, is sorted instead."""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import NamedTuple

from newslint.checks.repetition.hashing import MIX, U64, bucket_counts, word_hashes
from newslint.checks.repetition.tokens import Para
from newslint.lazy import lazy_module

np = lazy_module("numpy")

#: up to this many places where an n-gram may repeat are compared one by one
#: in a dict; more (a long, repetitive text) are sorted, all at once
SPARSE_LIMIT = 1024


class Counted(NamedTuple):
    """Distinct n-grams: their first position, count, and the positions of
    every occurrence grouped by n-gram (`order[starts[j]:starts[j] + counts[j]]`)."""

    first: np.ndarray
    counts: np.ndarray
    order: np.ndarray
    starts: np.ndarray


def _table_mask(n: int) -> int:
    """A power of two of 16 to 32 per n-gram (at most 2**22: a huge text only
    gets looser bounds), minus one."""
    return (1 << min((16 * max(n, 1)).bit_length(), 22)) - 1


class WordGrams:
    """Hashes of every word n-gram of some paragraphs, built incrementally;
    shares are of the characters in words (spaces excluded)."""

    def __init__(self, paras: list[Para], base: WordGrams | None = None):
        self.paras = paras
        if not paras:
            unigrams, self.lengths = np.empty(0, U64), np.empty(0, np.int64)
        elif base is None:
            unigrams, self.lengths = word_hashes(b" ".join([p.key for p in paras]))
        else:  # a subset of the base's paragraphs: reuse its word hashes
            kept = np.zeros(int(base.owner[-1]) + 1, bool)  # a lookup: np.isin costs much more
            kept[[p.index for p in paras]] = True
            keep = kept[base.owner]
            unigrams, self.lengths = base._hashes[1][keep], base.lengths[keep]
        # the keys' lengths less the spaces between words (no array operation)
        self.total = max(sum([len(p.key) for p in paras]) - sum([p.size for p in paras]) + len(paras), 1)
        self._hashes = [np.empty(0, U64), unigrams]
        self._owner: np.ndarray | None = None
        self._count_bounds: dict[int, np.ndarray] = {}
        self._least_counts: dict[int, np.ndarray] = {}
        self._heaviest_bigram: int | None = None
        self._char_ends: np.ndarray | None = None

    @property
    def size(self) -> int:
        return len(self.lengths)

    @property
    def owner(self) -> np.ndarray:
        """The block index of each word."""
        if self._owner is None:
            self._owner = np.asarray([p.index for p in self.paras], np.int64).repeat(
                [p.size for p in self.paras])
        return self._owner

    @property
    def char_ends(self) -> np.ndarray:
        """The characters in words before each word (and after the last)."""
        if self._char_ends is None:
            self._char_ends = np.empty(self.size + 1, np.int64)
            self._char_ends[0] = 0
            self.lengths.cumsum(out=self._char_ends[1:])
        return self._char_ends

    def blocks_of(self, positions: list[int]) -> set[int]:
        """The block indexes of the words at these (few) positions."""
        ends = list(accumulate(p.size for p in self.paras))  # word positions where each block ends
        return {self.paras[bisect_right(ends, position)].index for position in positions}

    def hashes(self, n: int) -> np.ndarray:
        while len(self._hashes) <= n:
            m = len(self._hashes)
            self._hashes.append(self._hashes[m - 1][:-1] * MIX + self._hashes[1][m - 1:])
        return self._hashes[n]

    def text(self, position: int, n: int) -> str:
        """The words of the n-gram at `position`, cut out of the paragraphs' words
        joined by single spaces (each word before it adds its length and a space)."""
        ends = self.char_ends
        start, end = int(ends[position]) + position, int(ends[position + n]) + position + n - 1
        return b" ".join([p.key for p in self.paras])[start:end].decode("utf-8", "replace")

    def share(self, position: int, n: int, count: int) -> float:
        return float(self.lengths[position:position + n].sum()) * count / self.total

    # -- the statistics -------------------------------------------------------------
    def top(self, n: int) -> tuple[int, int, float] | None:
        """(position, count, character share) of the most repeated n-gram."""
        best = self.frequent(n, 2, 1)
        if not best:
            return None
        position, count = best[0][0], len(best[0])
        return position, count, self.share(position, n, count)

    def duplicated_share(self, n: int) -> float:
        """Share of the characters in words covered by a repeat of an earlier n-gram."""
        starts = self._candidates(n, 2)
        if len(starts) <= SPARSE_LIMIT:
            seen: set[int] = set()
            repeats = [p for p, gram in zip(starts.tolist(), self.hashes(n)[starts].tolist())
                       if gram in seen or seen.add(gram)]  # positions in order: sorted
            return self._covered_share(np.array(repeats, np.int64), n)
        counted = self._counted(n)
        repeated = np.ones(len(counted.order), bool)
        repeated[counted.first] = False
        starts = np.flatnonzero(repeated)
        size = self.size + 1
        depth = np.cumsum(np.bincount(starts, minlength=size) - np.bincount(starts + n, minlength=size))
        return float(self.lengths[depth[:-1] > 0].sum()) / self.total

    def frequent(self, n: int, min_count: int, limit: int) -> list[list[int]]:
        """The positions of the `limit` most frequent n-grams occurring at
        least `min_count` times (ties: the earliest first), each in order."""
        starts = self._candidates(n, min_count)
        if len(starts) > SPARSE_LIMIT:
            first, counts, order, begins = self._counted(n)
            frequent = np.flatnonzero(counts >= min_count)
            best = frequent[np.lexsort((first[frequent], -counts[frequent]))][:limit]
            return [sorted(order[begins[j]:begins[j] + counts[j]].tolist()) for j in best]
        places = [p for p in self._grouped(starts, n) if len(p) >= min_count]
        return sorted(places, key=len, reverse=True)[:limit]  # stable: ties stay in order

    # -- cheap upper bounds of them, for the rules' limits ---------------------------
    def top_share_bound(self, n: int) -> float:
        """An upper bound of `top(n)`'s share, from one pass over the bigrams:
        ceil(n / 2) of an n-gram's bigrams cover its words, and each occurs at
        least as often as the n-gram, so count x characters is at most ceil(n / 2)
        times the largest count bound x characters of a bigram."""
        if n < 2:
            return float("inf")
        if self._heaviest_bigram is None:
            chars = self.lengths[:-1] + self.lengths[1:]
            chars *= self.count_bounds(2)
            self._heaviest_bigram = int(np.maximum.reduce(chars)) if len(chars) else 0
        return -(-n // 2) * self._heaviest_bigram / self.total

    def duplicated_share_bound(self, n: int) -> float:
        """An upper bound of `duplicated_share(n)` without comparing n-grams:
        the share covered by every n-gram that may occur twice (or 1, for
        too many such n-grams to add up one by one)."""
        starts = self._candidates(n, 2)
        return self._covered_share(starts, n) if len(starts) <= SPARSE_LIMIT else 1.0

    # -- how: count bounds, then the few candidates (or a sort) ----------------------
    def count_bounds(self, n: int) -> np.ndarray:
        """For each position, at most how often its n-gram occurs: n-grams are
        counted by a bucket of their hash in a table of 16 to 32 per n-gram
        (bucket mates only add to a count). Cheaper than sorting the hashes."""
        if n not in self._count_bounds:
            hashes = self.hashes(n)
            mask = _table_mask(len(hashes))
            self._count_bounds[n] = bucket_counts(hashes.view(np.int64) & mask, mask + 1)
        return self._count_bounds[n]

    def least_counts(self, n: int) -> np.ndarray:
        """For each n-gram position, the count bound of its least frequent
        bigram (of its word, for n = 1): the n-gram occurs at most that often,
        since each of its occurrences holds an occurrence of that bigram. One
        array operation per n, from the (n - 1)-grams'."""
        if n <= 2:
            return self.count_bounds(n)
        if n not in self._least_counts:
            self._least_counts[n] = np.minimum(self.least_counts(n - 1)[:-1], self.count_bounds(2)[n - 2:])
        return self._least_counts[n]

    def _candidates(self, n: int, min_count: int) -> np.ndarray:
        """The positions of every occurrence of every n-gram occurring at
        least `min_count` times, and of some others: each occurrence of such
        an n-gram holds an occurrence of each of its bigrams, so those
        bigrams' count bounds reach `min_count`. Ordinary text has few."""
        if self.size < n:
            return np.empty(0, np.int64)
        return (self.least_counts(n) >= min_count).nonzero()[0]

    def _grouped(self, starts: np.ndarray, n: int) -> list[list[int]]:
        """The positions `starts` grouped by n-gram (compared by their 64-bit
        hashes, as the sort in `_counted` does) in order of first occurrence."""
        where: dict[int, list[int]] = {}
        for position, gram in zip(starts.tolist(), self.hashes(n)[starts].tolist()):
            where.setdefault(gram, []).append(position)
        return list(where.values())

    def _counted(self, n: int) -> Counted:
        """All the n-grams sorted by hash: the way to count a long, repetitive text."""
        hashes = self.hashes(n)
        order = np.argsort(hashes)
        ranked = hashes[order]
        begins = np.flatnonzero(np.concatenate([[True], ranked[1:] != ranked[:-1]]))
        counts = np.diff(np.concatenate([begins, [len(ranked)]]))
        first = np.minimum.reduceat(order, begins) if len(order) else order
        return Counted(first, counts, order, begins)

    def _covered_share(self, starts: np.ndarray, n: int) -> float:
        """Share of the characters in words covered by the n-grams at these
        positions (in increasing order): each n-gram adds its characters
        from where the stretch covered by the one before it ends."""
        if not len(starts):
            return 0.0
        ends = starts + n
        begins = np.empty_like(ends)  # where the stretch covered so far ends, or the start
        begins[0] = starts[0]
        np.maximum(starts[1:], ends[:-1], out=begins[1:])
        add = np.add.reduce  # the ufunc: ndarray.sum goes through a Python wrapper
        chars = self.char_ends
        return int(add(chars.take(ends)) - add(chars.take(begins))) / self.total
