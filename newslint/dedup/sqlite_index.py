"""The near-duplicate index in a SQLite file: `FOLDER/neardup.sqlite`.

The file is versioned (`user_version`) and records the LSH parameters; writes
are transactions (a killed process leaves the old or the new state), and
SQLite's locking lets several processes share the file. A corrupt or foreign
file, or one built with other parameters, is rebuilt empty with a warning.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from newslint.dedup.lsh import band_keys
from newslint.dedup.lsh import checked_signature as _checked
from newslint.dedup.redis_index import IndexUnavailable

FILE_NAME = "neardup.sqlite"
FORMAT_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS signatures (key TEXT PRIMARY KEY, signature BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS buckets (band INTEGER NOT NULL, bucket INTEGER NOT NULL,
                                    key TEXT NOT NULL, PRIMARY KEY (band, bucket, key))
    WITHOUT ROWID;
"""


class SQLiteIndex:
    """The file backend (see the module docstring)."""

    def __init__(self, folder: str | Path, num_perm: int, bands: int, rows: int,
                 warn: Callable[[str], None] | None = None):
        self.num_perm, self.bands, self.rows = num_perm, bands, rows
        self.path = Path(folder) / FILE_NAME
        self.warn = warn or (lambda message: None)
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IndexUnavailable(f"cannot create the near-duplicate index folder {folder}: "
                                   f"{exc.strerror or exc}") from None
        self.db = self._open()

    # -- the backend interface ------------------------------------------------------
    def insert(self, key: str, signature: np.ndarray) -> None:
        self._write(lambda: self._insert(key, _checked(signature, self.num_perm)))

    def insert_many(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Insert many signatures in one transaction."""
        items = [(k, _checked(s, self.num_perm)) for k, s in items]
        self._write(lambda: [self._insert(k, s) for k, s in items])

    def insert_and_query(self, key: str, signature: np.ndarray) -> list[str]:
        signature = _checked(signature, self.num_perm)

        def both() -> list[str]:
            found = [k for k in self._query(signature) if k != key]
            self._insert(key, signature)
            return found
        return self._write(both)

    def query(self, signature: np.ndarray) -> list[str]:
        signature = _checked(signature, self.num_perm)
        return self._read(lambda: self._query(signature))

    def get(self, key: str) -> np.ndarray | None:
        return self.get_many([key]).get(key)

    def get_many(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        keys = list(keys)

        def read() -> dict[str, np.ndarray]:
            out = {}
            for start in range(0, len(keys), 500):
                part = keys[start:start + 500]
                marks = ",".join("?" * len(part))
                for key, blob in self.db.execute(
                        f"SELECT key, signature FROM signatures WHERE key IN ({marks})", part):
                    out[key] = np.frombuffer(blob, dtype="<u4").astype(np.uint32)
            return out
        return self._read(read)

    def __len__(self) -> int:
        return self._read(lambda: self.db.execute("SELECT count(*) FROM signatures").fetchone()[0])

    def close(self) -> None:
        self.db.close()

    # -- queries ----------------------------------------------------------------------
    def _bucket_keys(self, signature: np.ndarray) -> list[int]:
        keys = band_keys(signature[None, :], self.bands, self.rows)[:, 0]
        return [int(k) for k in keys.view(np.int64)]  # SQLite integers are signed

    def _query(self, signature: np.ndarray) -> list[str]:
        found: set[str] = set()
        for band, bucket in enumerate(self._bucket_keys(signature)):
            found.update(k for (k,) in self.db.execute(
                "SELECT key FROM buckets WHERE band=? AND bucket=?", (band, bucket)))
        return sorted(found)

    def _insert(self, key: str, signature: np.ndarray) -> None:
        old = self.db.execute("SELECT signature FROM signatures WHERE key=?", (key,)).fetchone()
        if old is not None:  # leave the old buckets
            old_signature = np.frombuffer(old[0], dtype="<u4").astype(np.uint32)
            self.db.executemany("DELETE FROM buckets WHERE band=? AND bucket=? AND key=?",
                                [(band, bucket, key) for band, bucket in
                                 enumerate(self._bucket_keys(old_signature))])
        self.db.execute("INSERT OR REPLACE INTO signatures VALUES (?, ?)",
                        (key, signature.astype("<u4").tobytes()))
        self.db.executemany("INSERT OR IGNORE INTO buckets VALUES (?, ?, ?)",
                            [(band, bucket, key) for band, bucket in
                             enumerate(self._bucket_keys(signature))])

    # -- transactions and damage ---------------------------------------------------------
    def _write(self, work: Callable):
        def transaction():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                result = work()
                self.db.execute("COMMIT")
                return result
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        return self._read(transaction)

    def _read(self, work: Callable):
        try:
            return work()
        except sqlite3.DatabaseError as exc:
            if not _is_corrupt(exc):
                raise IndexUnavailable(f"near-duplicate index {self.path}: {exc}") from None
            self.warn(f"{self.path}: damaged near-duplicate index ({exc}); rebuilding it empty")
            self.db.close()
            self._remove()
            self.db = self._connect()
            return work()

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            if not _is_corrupt(exc):
                raise IndexUnavailable(f"near-duplicate index {self.path}: {exc}") from None
            self.warn(f"{self.path}: not a near-duplicate index ({exc}); rebuilding it empty")
            self._remove()
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = self._raw_connect()
        version = db.execute("PRAGMA user_version").fetchone()[0]
        want = {"num_perm": str(self.num_perm), "bands": str(self.bands), "rows": str(self.rows)}
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        foreign = version not in (0, FORMAT_VERSION) or not tables <= {"meta", "signatures", "buckets"}
        if foreign or (version and self._meta(db) != want):
            db.close()
            self.warn(f"{self.path}: a database of another format or a near-duplicate index "
                      f"built with other parameters; rebuilding it empty")
            self._remove()
            db, version = self._raw_connect(), 0
        if version == 0:  # new: schema, parameters and version in one transaction
            db.execute("BEGIN IMMEDIATE")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", want.items())
            db.execute(f"PRAGMA user_version={FORMAT_VERSION}")
            db.execute("COMMIT")
        db.execute("SELECT count(*) FROM signatures").fetchone()  # fails fast when damaged
        return db

    def _raw_connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    @staticmethod
    def _meta(db: sqlite3.Connection) -> dict[str, str]:
        try:
            return dict(db.execute("SELECT name, value FROM meta").fetchall())
        except sqlite3.DatabaseError:
            return {}

    def _remove(self) -> None:
        for suffix in ("-wal", "-shm", "-journal", ""):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise IndexUnavailable(f"cannot rebuild {self.path}: {exc.strerror}") from None


def _is_corrupt(exc: Exception) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


