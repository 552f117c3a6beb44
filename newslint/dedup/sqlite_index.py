"""The near-duplicate index in a SQLite file: `FOLDER/neardup.sqlite`.

The file is versioned (`user_version`) and records the LSH parameters; writes
are transactions (a killed process leaves the old or the new state), and
SQLite's locking lets several processes share the file: `check_in` holds the
write lock from look-up to insertion, so of two processes storing copies at
once exactly one sees the other. A damaged file is rebuilt empty with a
warning; a file built with other near-duplicate settings, or a database that
is not a newslint index, is an error naming the fix (nothing is emptied
silently). A version 1 file (no first-seen time, no `of`) is upgraded in place.
"""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from newslint.dedup.entries import Entry, damaged, matches, recorded_of, signature_from_bytes
from newslint.dedup.lsh import band_keys
from newslint.dedup.redis_index import IndexUnavailable, settings_text

FILE_NAME = "neardup.sqlite"
FORMAT_VERSION = 2
TABLES = {"meta", "signatures", "buckets"}
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS signatures (key TEXT PRIMARY KEY, signature BLOB NOT NULL,
                                       first_seen REAL NOT NULL DEFAULT 0,
                                       of TEXT NOT NULL DEFAULT '[]');
CREATE TABLE IF NOT EXISTS buckets (band INTEGER NOT NULL, bucket INTEGER NOT NULL,
                                    key TEXT NOT NULL, PRIMARY KEY (band, bucket, key))
    WITHOUT ROWID;
"""
UPGRADE_1 = ("ALTER TABLE signatures ADD COLUMN first_seen REAL NOT NULL DEFAULT 0",
             "ALTER TABLE signatures ADD COLUMN of TEXT NOT NULL DEFAULT '[]'")
LSH = ("num_perm", "bands", "rows")


class SQLiteIndex:
    """The file backend (see the module docstring and `index.NearDupIndex`)."""

    def __init__(self, folder: str | Path, params: dict, adopt: bool = False,
                 warn: Callable[[str], None] | None = None):
        self.params = dict(params)
        self.path = Path(folder) / FILE_NAME
        self.warn = warn or (lambda message: None)
        self._warned: set[str] = set()
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IndexUnavailable(f"cannot create the near-duplicate index folder {folder}: "
                                   f"{exc.strerror or exc}") from None
        self.db = self._open(adopt)
        self.num_perm, self.bands, self.rows = (int(self.params[k]) for k in LSH)

    # -- the backend interface ------------------------------------------------------
    def check_in(self, key: str, signature: np.ndarray, threshold: float, now: float
                 ) -> list[tuple[str, float]]:
        def step() -> list[tuple[str, float]]:
            stored = self._entries_for(self._query(signature))
            found = matches(key, signature, stored.values(), threshold)
            first = self.db.execute("SELECT first_seen FROM signatures WHERE key=?",
                                    (key,)).fetchone()
            self._insert(Entry(key, signature, first[0] if first else now,
                               recorded_of(found, stored)))
            return found
        return self._write(step)

    def insert(self, entry: Entry) -> None:
        self._write(lambda: self._insert(entry))

    def insert_many(self, entries: list[Entry]) -> None:
        self._write(lambda: [self._insert(entry) for entry in entries])

    def query(self, signature: np.ndarray) -> list[str]:
        return self._read(lambda: self._query(signature))

    def entries_for(self, keys: Iterable[str]) -> dict[str, Entry]:
        keys = list(keys)
        return self._read(lambda: self._entries_for(keys))

    def entries(self) -> Iterator[Entry]:
        last = ("", -1.0)
        while True:   # in pages, so a big index is never read at once
            rows = self._read(lambda: self.db.execute(
                "SELECT key, signature, first_seen, of FROM signatures "
                "WHERE (first_seen, key) > (?, ?) ORDER BY first_seen, key LIMIT 1000",
                (last[1], last[0])).fetchall())
            for row in rows:
                entry = self._entry(*row)
                if entry is not None:
                    yield entry
            if len(rows) < 1000:
                return
            last = (rows[-1][0], rows[-1][2])

    def remove(self, keys: list[str]) -> int:
        def step() -> int:
            return sum(self._delete(key) for key in keys)
        return self._write(step)

    def clear(self) -> None:
        self._write(lambda: [self.db.execute(f"DELETE FROM {t}") for t in ("signatures", "buckets")])

    def __len__(self) -> int:
        return self._read(lambda: self.db.execute("SELECT count(*) FROM signatures").fetchone()[0])

    def close(self) -> None:
        self.db.close()

    # -- rows ---------------------------------------------------------------------------
    def _bucket_keys(self, signature: np.ndarray) -> list[int]:
        keys = band_keys(signature[None, :], self.bands, self.rows)[:, 0]
        return [int(k) for k in keys.view(np.int64)]  # SQLite integers are signed

    def _query(self, signature: np.ndarray) -> list[str]:
        buckets = self._bucket_keys(signature)
        # one indexed look-up per band, joined in one statement (a row-value IN over
        # (band, bucket) made SQLite scan the whole table: 27 ms an article at 3,000)
        query = " UNION ".join(["SELECT key FROM buckets WHERE band=? AND bucket=?"] * len(buckets))
        values = [v for band, bucket in enumerate(buckets) for v in (band, bucket)]
        found = {k for (k,) in self.db.execute(query, values)}
        return sorted(k for k in found if isinstance(k, str))

    def _entries_for(self, keys: list[str]) -> dict[str, Entry]:
        out = {}
        for start in range(0, len(keys), 500):
            part = keys[start:start + 500]
            marks = ",".join("?" * len(part))
            for row in self.db.execute("SELECT key, signature, first_seen, of FROM signatures "
                                       f"WHERE key IN ({marks})", part):
                entry = self._entry(*row)
                if entry is not None:
                    out[entry.key] = entry
        return out

    def _entry(self, key, blob, first_seen, of) -> Entry | None:
        signature = signature_from_bytes(blob, self.num_perm)
        if signature is None:
            self._notice(key, f"a signature of {len(blob) if isinstance(blob, bytes) else 0} "
                         f"bytes, not {4 * self.num_perm}")
            return None
        try:
            keys = json.loads(of)
            if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
                raise ValueError
        except (TypeError, ValueError):
            self._notice(key, "its duplicate-of list is not a JSON list of ids; read as empty")
            keys = []
        first = float(first_seen) if isinstance(first_seen, (int, float)) else 0.0
        return Entry(key, signature, first, tuple(keys))

    def _notice(self, key: str, what: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self.warn(damaged(str(self.path), key, what))

    def _delete(self, key: str) -> bool:
        old = self.db.execute("SELECT signature FROM signatures WHERE key=?", (key,)).fetchone()
        if old is None:
            return False
        signature = signature_from_bytes(old[0], self.num_perm)
        if signature is not None:  # its buckets by primary key, not a scan of the table
            self.db.executemany("DELETE FROM buckets WHERE band=? AND bucket=? AND key=?",
                                [(band, bucket, key) for band, bucket in
                                 enumerate(self._bucket_keys(signature))])
        else:
            self.db.execute("DELETE FROM buckets WHERE key=?", (key,))
        self.db.execute("DELETE FROM signatures WHERE key=?", (key,))
        return True

    def _insert(self, entry: Entry) -> None:
        self._delete(entry.key)   # leaves its old buckets
        self.db.execute("INSERT INTO signatures VALUES (?, ?, ?, ?)",
                        (entry.key, entry.signature.astype("<u4").tobytes(), entry.first_seen,
                         json.dumps(list(entry.of), ensure_ascii=False)))
        self.db.executemany("INSERT OR IGNORE INTO buckets VALUES (?, ?, ?)",
                            [(band, bucket, entry.key) for band, bucket in
                             enumerate(self._bucket_keys(entry.signature))])

    # -- transactions and damage ---------------------------------------------------------
    def _write(self, work: Callable):
        def transaction():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                result = work()
                self.db.execute("COMMIT")
                return result
            except BaseException:
                # SQLite may have rolled back already (a full disk does): a second
                # ROLLBACK would fail with "cannot rollback" and hide the cause
                if self.db.in_transaction:
                    try:
                        self.db.execute("ROLLBACK")
                    except sqlite3.DatabaseError:
                        pass
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
            self.db = self._connect(adopt=False)
            return work()

    def _open(self, adopt: bool) -> sqlite3.Connection:
        try:
            return self._connect(adopt)
        except sqlite3.DatabaseError as exc:
            if not _is_corrupt(exc):
                raise IndexUnavailable(f"near-duplicate index {self.path}: {exc}") from None
            self.warn(f"{self.path}: not a near-duplicate index ({exc}); rebuilding it empty")
            self._remove()
            return self._connect(adopt)

    def _connect(self, adopt: bool) -> sqlite3.Connection:
        db = self._raw_connect()
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version not in (0, 1, FORMAT_VERSION) or not tables <= TABLES or (tables and not version):
            db.close()
            raise IndexUnavailable(f"{self.path} is not a newslint near-duplicate index (a database "
                                   f"of another format); move it away or use another folder")
        if version:
            self._check_params(db, adopt)
        if version == 1:
            db.execute("BEGIN IMMEDIATE")
            for statement in UPGRADE_1:
                db.execute(statement)
            db.execute(f"PRAGMA user_version={FORMAT_VERSION}")
            db.execute("COMMIT")
        if version == 0:  # new: schema, parameters and version in one transaction
            db.execute("BEGIN IMMEDIATE")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                           [(k, str(v)) for k, v in self.params.items()])
            db.execute(f"PRAGMA user_version={FORMAT_VERSION}")
            db.execute("COMMIT")
        db.execute("SELECT count(*) FROM signatures").fetchone()  # fails fast when damaged
        return db

    def _check_params(self, db: sqlite3.Connection, adopt: bool) -> None:
        have = dict(db.execute("SELECT name, value FROM meta").fetchall())
        if adopt and all(str(have.get(k, "")).isdigit() for k in LSH):
            self.params.update({k: int(have[k]) for k in LSH})
            if "threshold" in have:
                self.params["threshold"] = float(have["threshold"])
            return
        if any(str(have.get(k)) != str(self.params[k]) for k in LSH):
            if not db.execute("SELECT count(*) FROM signatures").fetchone()[0]:
                db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",  # empty: nothing lost
                               [(k, str(v)) for k, v in self.params.items()])
                return
            raise IndexUnavailable(
                f"near-duplicate index {self.path} was built with other settings "
                f"({settings_text(have)}) than this run ({settings_text(self.params)}); use the "
                f"near-duplicate options it was built with, another folder, or empty it with "
                f"`newslint index clear --yes --index {self.path.parent}`")

    def _raw_connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        # WAL with synchronous=NORMAL: a killed process still leaves the old or the new
        # state (no corruption); only a power cut may lose the last commits. With FULL,
        # each article's commit waited for an fsync: 19 ms per article, 3x slower.
        db.execute("PRAGMA synchronous=NORMAL")
        return db

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
