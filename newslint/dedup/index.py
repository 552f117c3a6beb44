"""A near-duplicate index that grows as articles are checked: the library API's,
`check --index`'s and stdin's.

`NearDupIndex.open(spec)` picks a backend: None keeps it in memory
(`memory_index.MemoryIndex`), a folder keeps it in `FOLDER/neardup.sqlite`
(`sqlite_index.SQLiteIndex`), and `redis://host:port/db` shares it on a Redis
server (`redis_index.RedisIndex`). All use `lsh.band_keys`, so they agree on
candidates, and all keep the same record per article (`Entry`).

The rules every backend follows (README "The near-duplicate index"):
- an article's key is its canonical id (`identity.canonical_id`);
- `check_in(key, signature)` is one atomic step: the entries similar to the
  signature (estimate at or above the threshold) are found, then the article
  is stored under `key` with `of` = those keys. So the first seen is the
  original (`of` empty) and a later near-copy is recorded as a duplicate *of* it;
- an entry recorded as a duplicate of `key` is never a match for `key`: a
  dropped copy never becomes a reason to drop its original;
- the entry under `key` itself is never a match (re-checking an article is not
  a duplicate of itself), and checking `key` again replaces its signature and
  `of` (an edited article replaces its own entry) but keeps `first_seen`.

Signatures are `minhash.signature` arrays (uint32[num_perm]); (bands, rows)
come from `lsh.band_params(threshold, num_perm)`. The index holds signatures
only, so its similarities are MinHash estimates (standard error
sqrt(J(1-J)/num_perm), at most 0.044 for 128 permutations).

A backend implements `check_in(key, signature, threshold, now) -> [(key,
similarity)]`, `insert(entry)`, `query(signature) -> keys`, `entries_for(keys)
-> {key: Entry}`, `entries() -> Iterator[Entry]`, `remove(keys) -> int`,
`clear()`, `__len__`, `close()`, and `params` (the LSH parameters it was built
with).
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from newslint.dedup.entries import Entry, matches
from newslint.dedup.lsh import band_params, checked_signature
from newslint.dedup.spec import check_index_spec


def is_redis(spec: str | Path | None) -> bool:
    return spec is not None and str(spec).startswith(("redis://", "rediss://", "unix://"))


class NearDupIndex:
    """An index of article signatures with LSH candidate look-up."""

    def __init__(self, backend, threshold: float = 0.5):
        self.backend = backend
        self.threshold = threshold
        self.num_perm = backend.num_perm

    @classmethod
    def open(cls, spec: str | Path | None = None, threshold: float | None = 0.5,
             num_perm: int | None = 128, warn: Callable[[str], None] | None = None,
             adopt: bool = False) -> "NearDupIndex":
        """None: in memory; "redis://...": Redis; anything else: a folder for the
        SQLite file. With `adopt` (or `threshold=None`/`num_perm=None`) an
        existing index keeps the settings it was built with (`newslint
        index`). Raises `IndexUnavailable` when the place cannot be used or,
        without `adopt`, was built with other settings."""
        adopt = adopt or threshold is None or num_perm is None
        threshold = 0.5 if threshold is None else threshold
        num_perm = 128 if num_perm is None else num_perm
        bands, rows = band_params(threshold, num_perm)
        params = {"num_perm": num_perm, "bands": bands, "rows": rows, "threshold": threshold}
        if spec is None:
            from newslint.dedup.memory_index import MemoryIndex
            backend = MemoryIndex(num_perm, bands, rows)
        elif is_redis(spec):
            from newslint.dedup.redis_index import RedisIndex
            check_index_spec(str(spec))
            backend = RedisIndex(str(spec), params, adopt, warn)
        else:
            from newslint.dedup.sqlite_index import SQLiteIndex
            backend = SQLiteIndex(spec, params, adopt, warn)
        return cls(backend, float(backend.params.get("threshold", threshold)))

    # -- checking ----------------------------------------------------------------------
    def check_in(self, key: str, signature: np.ndarray, now: float | None = None
                 ) -> list[tuple[str, float]]:
        """The entries this article is a near-duplicate of ((key, estimated
        similarity), most similar first), found and recorded in one atomic step
        (see the module docstring)."""
        signature = checked_signature(signature, self.num_perm)
        return self.backend.check_in(key, signature, self.threshold,
                                     time.time() if now is None else now)

    def similar(self, signature: np.ndarray, exclude: str | None = None
                ) -> list[tuple[str, float]]:
        """(key, estimated similarity) of the entries at or above the threshold,
        most similar first, leaving out `exclude` and its recorded duplicates;
        nothing is stored."""
        signature = checked_signature(signature, self.num_perm)
        found = self.backend.entries_for(self.query(signature))
        return matches(exclude, signature, found.values(), self.threshold)

    # -- looking in ------------------------------------------------------------------------
    def query(self, signature: np.ndarray) -> list[str]:
        """Keys sharing an LSH bucket with `signature` (candidates, unverified)."""
        return self.backend.query(checked_signature(signature, self.num_perm))

    def get(self, key: str) -> Entry | None:
        return self.backend.entries_for([key]).get(key)

    def entries(self) -> Iterator[Entry]:
        return self.backend.entries()

    def insert(self, entry: Entry) -> None:
        """Store an entry as it is (import); replaces one under the same key."""
        self.backend.insert(Entry(entry.key, checked_signature(entry.signature, self.num_perm),
                                  float(entry.first_seen), tuple(entry.of)))

    def insert_many(self, entries: Iterable[Entry]) -> None:
        """`insert` for many entries (one transaction per batch where the backend has them)."""
        checked = [Entry(e.key, checked_signature(e.signature, self.num_perm), float(e.first_seen),
                         tuple(e.of)) for e in entries]
        many = getattr(self.backend, "insert_many", None)
        if many is not None:
            many(checked)
        else:
            for entry in checked:
                self.backend.insert(entry)

    def remove(self, keys: Iterable[str]) -> int:
        return self.backend.remove(list(keys))

    def clear(self) -> None:
        self.backend.clear()

    @property
    def params(self) -> dict:
        return dict(self.backend.params)

    def __len__(self) -> int:
        return len(self.backend)

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> "NearDupIndex":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
