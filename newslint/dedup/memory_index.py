"""The in-memory near-duplicate index, compact enough for a long stream.

An article takes one row: its signature (in blocks of `BLOCK` rows), first-seen
time and `of` keys. Its `bands` LSH bucket keys (`lsh.band_keys`, each band
seeded differently, so keys of different bands do not meet) point at the row:
new keys wait in a small dict and are merged into one sorted uint64 array
(with the rows beside it) every `MERGE_AT` keys, so 100,000 articles take
about 100 MB (signatures 51 MB, buckets 31 MB) instead of the ~2 KB of dict
entries per article a dict per band costs. A key checked again gets a new row;
the old row is dead (its buckets are skipped) until a compaction rebuilds the
arrays when dead rows outnumber live ones.
"""
from __future__ import annotations

from array import array
from typing import Iterable, Iterator

import numpy as np

from newslint.dedup.entries import Entry, matches, recorded_of
from newslint.dedup.lsh import band_keys

BLOCK = 4096
MERGE_AT = 65536
EMPTY: tuple[str, ...] = ()


class MemoryIndex:
    def __init__(self, num_perm: int, bands: int, rows: int):
        self.num_perm, self.bands, self.rows = num_perm, bands, rows
        self.params = {"num_perm": num_perm, "bands": bands, "rows": rows}
        self._reset()

    def _reset(self) -> None:
        self.row_of: dict[str, int] = {}
        self.keys: list[str | None] = []      # row -> key (None: dead row)
        self.blocks: list[np.ndarray] = []
        self.first: array = array("d")
        self.of: list[tuple[str, ...]] = []
        self.sorted_keys = np.empty(0, dtype=np.uint64)
        self.sorted_rows = np.empty(0, dtype=np.int64)
        self.pending: dict[int, list[int]] = {}
        self.pending_count = 0

    # -- the backend interface ----------------------------------------------------------
    def check_in(self, key: str, signature: np.ndarray, threshold: float, now: float
                 ) -> list[tuple[str, float]]:
        buckets = self._bucket_keys(signature)
        stored = self.entries_for(self._query(buckets))
        found = matches(key, signature, stored.values(), threshold)
        row = self.row_of.get(key)
        first = self.first[row] if row is not None else now
        self.insert(Entry(key, signature, first, recorded_of(found, stored)), buckets)
        return found

    def insert(self, entry: Entry, buckets: list[int] | None = None) -> None:
        old = self.row_of.pop(entry.key, None)
        if old is not None:
            self._kill(old)
        row = len(self.keys)
        if row % BLOCK == 0:
            self.blocks.append(np.empty((BLOCK, self.num_perm), dtype=np.uint32))
        self.blocks[row // BLOCK][row % BLOCK] = entry.signature
        self.keys.append(entry.key)
        self.first.append(entry.first_seen)
        self.of.append(tuple(entry.of) or EMPTY)
        self.row_of[entry.key] = row
        for bucket in buckets if buckets is not None else self._bucket_keys(entry.signature):
            self.pending.setdefault(bucket, []).append(row)
        self.pending_count += self.bands
        if self.pending_count >= MERGE_AT:
            self._merge()

    def query(self, signature: np.ndarray) -> list[str]:
        return self._query(self._bucket_keys(signature))

    def _query(self, buckets: list[int]) -> list[str]:
        rows: set[int] = set()
        if len(self.sorted_keys):
            wanted = np.array(buckets, dtype=np.uint64)
            low = np.searchsorted(self.sorted_keys, wanted, "left")
            high = np.searchsorted(self.sorted_keys, wanted, "right")
            for lo, hi in zip(low.tolist(), high.tolist()):
                if hi > lo:
                    rows.update(self.sorted_rows[lo:hi].tolist())
        for bucket in buckets:
            rows.update(self.pending.get(bucket, ()))
        return sorted(k for k in (self.keys[r] for r in rows) if k is not None)

    def entries_for(self, keys: Iterable[str]) -> dict[str, Entry]:
        out = {}
        for key in keys:
            row = self.row_of.get(key)
            if row is not None:
                out[key] = self._entry(row)
        return out

    def entries(self) -> Iterator[Entry]:
        for row in sorted(self.row_of.values()):
            yield self._entry(row)

    def remove(self, keys: list[str]) -> int:
        removed = 0
        for key in keys:
            row = self.row_of.pop(key, None)
            if row is not None:
                self._kill(row)
                removed += 1
        return removed

    def clear(self) -> None:
        self._reset()

    def __len__(self) -> int:
        return len(self.row_of)

    def close(self) -> None:
        pass

    # -- rows and buckets -------------------------------------------------------------------
    def _entry(self, row: int) -> Entry:
        return Entry(self.keys[row], self.blocks[row // BLOCK][row % BLOCK].copy(),
                     self.first[row], self.of[row])

    def _bucket_keys(self, signature: np.ndarray) -> list[int]:
        return band_keys(signature[None, :], self.bands, self.rows)[:, 0].tolist()

    def _kill(self, row: int) -> None:
        self.keys[row] = None
        self.of[row] = EMPTY
        dead = len(self.keys) - len(self.row_of)
        if dead > max(BLOCK, len(self.row_of)):
            self._compact()

    def _merge(self) -> None:
        if not self.pending:
            return
        keys = np.fromiter((k for k, rows in self.pending.items() for _ in rows), dtype=np.uint64,
                           count=self.pending_count)
        rows = np.fromiter((r for rows in self.pending.values() for r in rows), dtype=np.int64,
                           count=self.pending_count)
        order = np.argsort(keys, kind="stable")
        keys, rows = keys[order], rows[order]
        at = np.searchsorted(self.sorted_keys, keys, "right")
        self.sorted_keys = np.insert(self.sorted_keys, at, keys)
        self.sorted_rows = np.insert(self.sorted_rows, at, rows)
        self.pending, self.pending_count = {}, 0

    def _compact(self) -> None:
        """Rebuild without the dead rows (keys checked again, removed keys)."""
        live = [self._entry(row) for row in sorted(r for r in self.row_of.values())]
        self._reset()
        for entry in live:
            self.insert(entry)
