"""A near-duplicate index that grows as articles are checked (the library API's).

`NearDupIndex.open(spec)` picks a backend: None keeps it in memory, a folder
keeps it in `FOLDER/neardup.sqlite` (`sqlite_index.SQLiteIndex`), and
`redis://host:port/db` shares it on a Redis server (`redis_index.RedisIndex`).
A backend implements `insert(key, signature)`, `insert_and_query(key,
signature)` (atomic: the candidates seen before inserting), `query(signature)
-> candidate keys`, `get(key) -> signature or None`, `get_many(keys)`,
`__len__` and `close()`; all use `lsh.band_keys`, so they agree on candidates.

Signatures are `minhash.signature` arrays (uint32[num_perm]); (bands, rows)
come from `lsh.band_params(threshold, num_perm)`. The index holds signatures
only, so the similarities it gives are MinHash estimates (standard error
sqrt(J(1-J)/num_perm), at most 0.044 for 128 permutations).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from newslint.dedup.lsh import band_keys, band_params, checked_signature


class NearDupIndex:
    """An index of article signatures with LSH candidate look-up."""

    def __init__(self, backend, threshold: float = 0.5):
        self.backend = backend
        self.threshold = threshold
        self.num_perm = backend.num_perm

    @classmethod
    def open(cls, spec: str | Path | None = None, threshold: float = 0.5, num_perm: int = 128,
             warn: Callable[[str], None] | None = None) -> "NearDupIndex":
        """None: in memory; "redis://...": Redis; anything else: a folder for the SQLite file.
        Raises `IndexUnavailable` when the place cannot be used."""
        bands, rows = band_params(threshold, num_perm)
        if spec is None:
            backend = MemoryIndex(num_perm, bands, rows)
        elif str(spec).startswith(("redis://", "rediss://", "unix://")):
            from newslint.dedup.redis_index import RedisIndex
            backend = RedisIndex(str(spec), num_perm, bands, rows)
        else:
            from newslint.dedup.sqlite_index import SQLiteIndex
            backend = SQLiteIndex(spec, num_perm, bands, rows, warn)
        return cls(backend, threshold)

    def insert(self, key: str, signature: np.ndarray) -> None:
        self.backend.insert(key, signature)

    def insert_and_query(self, key: str, signature: np.ndarray) -> list[str]:
        return self.backend.insert_and_query(key, signature)

    def query(self, signature: np.ndarray) -> list[str]:
        return self.backend.query(signature)

    def get(self, key: str) -> np.ndarray | None:
        return self.backend.get(key)

    def similar(self, signature: np.ndarray, candidates: Iterable[str] | None = None
                ) -> list[tuple[str, float]]:
        """(key, estimated similarity) of the candidates (default: `query`) whose
        estimate reaches the threshold, most similar first."""
        keys = self.query(signature) if candidates is None else list(candidates)
        stored = self.backend.get_many(keys)
        signature = checked_signature(signature, self.num_perm)
        scored = [(key, float(np.mean(sig == signature))) for key, sig in stored.items()]
        return sorted([(k, s) for k, s in scored if s >= self.threshold], key=lambda x: (-x[1], x[0]))

    def __len__(self) -> int:
        return len(self.backend)

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> "NearDupIndex":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class MemoryIndex:
    """The in-memory backend: a dict of signatures and one dict of buckets per band."""

    def __init__(self, num_perm: int, bands: int, rows: int):
        self.num_perm, self.bands, self.rows = num_perm, bands, rows
        self.signatures: dict[str, np.ndarray] = {}
        self.buckets: list[dict[int, set[str]]] = [{} for _ in range(bands)]

    def insert(self, key: str, signature: np.ndarray) -> None:
        signature = checked_signature(signature, self.num_perm)
        old = self.signatures.get(key)
        if old is not None:
            for band, bucket in enumerate(self._keys(old)):
                self.buckets[band][bucket].discard(key)
        self.signatures[key] = signature
        for band, bucket in enumerate(self._keys(signature)):
            self.buckets[band].setdefault(bucket, set()).add(key)

    def insert_and_query(self, key: str, signature: np.ndarray) -> list[str]:
        found = [k for k in self.query(signature) if k != key]
        self.insert(key, signature)
        return found

    def query(self, signature: np.ndarray) -> list[str]:
        found: set[str] = set()
        for band, bucket in enumerate(self._keys(checked_signature(signature, self.num_perm))):
            found.update(self.buckets[band].get(bucket, ()))
        return sorted(found)

    def get(self, key: str) -> np.ndarray | None:
        return self.signatures.get(key)

    def get_many(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        return {k: self.signatures[k] for k in keys if k in self.signatures}

    def __len__(self) -> int:
        return len(self.signatures)

    def close(self) -> None:
        pass

    def _keys(self, signature: np.ndarray) -> list[int]:
        return [int(k) for k in band_keys(signature[None, :], self.bands, self.rows)[:, 0]]
