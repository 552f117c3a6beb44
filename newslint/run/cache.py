"""The per-file result cache, in SQLite (never pickle).

A row per file: its stat (mtime, size) and what checking it produced: the
article findings under one fingerprint (version, rules, options) and the
corpus rules' summaries under another. A rerun reuses a row when the
stat and the fingerprint match, so unchanged files are not even read.

A second table remembers whole runs (`runs`): the result of a run keyed by a
digest of everything it depends on (each file's path and stat, the rules,
options and code), so a rerun over an unchanged corpus reads one row.

SQLite gives atomic commits (a killed run leaves the old or the new state),
locking between concurrent runs, and a versioned format (`user_version`). A
cache that cannot be opened or has another version is rebuilt with a warning.

The cache lives in the checked repository, so it is never believed: it is
opened with SQLite's defensive settings and must hold exactly newslint's
tables (a trigger, a view or another column makes it rebuilt), and every row
carries a keyed checksum (`newslint.trust.row_mac`, the key kept outside the
repository): a row that fails it, forged or damaged, is ignored with a
warning and rewritten. A file's row matches while its mtime, change time,
size and inode are the same (a same-size edit followed by `touch -r` changes
the change time).
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from newslint.run.payload import unpack_summaries
from newslint.trust import KeyUnavailable, row_mac, secret_key

FORMAT_VERSION = 9  # 9: corpus snapshots; 8: summaries by article position; 7: in the file's row
#: `refs` repeats the payload's article references: a corpus file (checked only
#: for the corpus rules) needs nothing else, and reading it is 10x cheaper.
#: `summaries` holds the corpus rules' summaries of the file's articles
#: (`payload.pack_summaries`), under the row's checksums: one checksum per file
#: instead of one per summary made a pre-commit run over 20,000 cached corpus
#: files check 20,000 checksums instead of 60,000.
SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    ino INTEGER NOT NULL,
    findings_fp TEXT,
    summary_fp TEXT,
    payload TEXT NOT NULL,
    refs TEXT NOT NULL,
    summaries BLOB NOT NULL,
    mac TEXT NOT NULL,
    refs_mac TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS memo (
    rule TEXT NOT NULL,
    key TEXT NOT NULL,
    value REAL NOT NULL,
    mac TEXT NOT NULL,
    PRIMARY KEY (rule, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    key TEXT PRIMARY KEY,
    written REAL NOT NULL,
    result BLOB NOT NULL,
    mac TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS corpora (
    key TEXT PRIMARY KEY,
    written REAL NOT NULL,
    data BLOB NOT NULL,
    mac TEXT NOT NULL
);
"""
#: the pragmas SQLite's security advice gives for files from elsewhere
DEFENSIVE = ("PRAGMA trusted_schema=OFF", "PRAGMA cell_size_check=ON", "PRAGMA mmap_size=0")
#: checksum failures named one by one in a run's warnings (the rest counted)
NAMED_FAILURES = 3


#: paths looked up per query by `get_many`
LOOKUP_BATCH = 500
#: whole-run results kept (`put_run`), the newest; each is zlib-compressed JSON
#: (a run over 10,000 articles with 22,000 findings: about 0.5 MB)
RUNS_KEPT = 4
#: corpus snapshots kept (`put_corpus`, see run/snapshot.py), the newest
CORPORA_KEPT = 2


@dataclass
class CachedFile:
    findings_fp: str | None
    summary_fp: str | None
    payload: dict[str, Any] | None          # None when only the refs were read
    summaries: dict[int, dict[str, bytes]]  # article's position in the file -> rule code -> summary
    refs: list[dict[str, Any]] | None = None  # the articles' references, when payload is None


class Cache:
    def __init__(self, folder: Path, warn=None):
        self.folder = folder
        self.path = folder / "cache.sqlite"
        self.warn = warn or (lambda message: None)
        self._failures = 0
        try:
            self.key = secret_key()
        except KeyUnavailable as exc:
            self.warn(f"{self.path}: cache disabled: {exc}")
            self.db = None
            return
        self.db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            linked = [p for p in (self.folder, *self._files()) if p.is_symlink()]
            if linked:  # a checked-out repository could aim a link anywhere
                self.warn(f"{linked[0]}: cache disabled: it is a symbolic link, "
                          "and newslint does not write through links")
                return None
            _ignore_file(self.folder)
            return self._connect()
        except sqlite3.DatabaseError as exc:
            if not _is_corrupt(exc):
                self.warn(f"{self.path}: cache disabled for this run: {exc}")
                return None
            self.warn(f"{self.path}: unreadable cache ({exc}); rebuilding it")
            self._remove()
            try:
                return self._connect()
            except (sqlite3.DatabaseError, OSError) as again:
                self.warn(f"{self.path}: cache disabled: {again}")
        except OSError as exc:
            self.warn(f"{self.path}: cache disabled: {exc.strerror or exc}")
        return None

    def _connect(self) -> sqlite3.Connection:
        db = _defensive_connect(self.path)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        schema = _schema_of(db)
        if version not in (0, FORMAT_VERSION) or schema - _expected_schema():
            db.close()
            what = (f"cache format {version} is not {FORMAT_VERSION}" if version not in
                    (0, FORMAT_VERSION) else "the cache holds tables, triggers or views newslint "
                    "did not write")
            self.warn(f"{self.path}: {what}; rebuilding it")
            self._remove()
            db = _defensive_connect(self.path)
            version = 0
        db.executescript(SCHEMA)
        if version == 0:  # written once: every run writing it would queue behind the others
            db.execute(f"PRAGMA user_version={FORMAT_VERSION}")
        db.execute("SELECT count(*) FROM files").fetchone()  # fails fast on a corrupt file
        return db

    def _files(self) -> list[Path]:
        return [Path(f"{self.path}{suffix}") for suffix in ("-wal", "-shm", "-journal", "")]

    def _remove(self) -> None:
        """Delete the cache files, the main file last: a run killed half-way
        must not leave an old write-ahead log beside a new database."""
        for path in self._files():
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass

    # -- reading -------------------------------------------------------------
    def get(self, path: str, stat: os.stat_result) -> CachedFile | None:
        """The row of one file if its stat still matches."""
        return self.get_many([(path, stat)]).get(path)

    def get_many(self, paths: list[tuple[str, os.stat_result]], full: bool = True
                 ) -> dict[str, CachedFile]:
        """The rows of the files whose stat still matches, by path, in one query
        per LOOKUP_BATCH paths; with full=False the payload is left unread and
        only the article references (`refs`) are returned."""
        out: dict[str, CachedFile] = {}
        if self.db is None:
            return out
        for start in range(0, len(paths), LOOKUP_BATCH):
            batch = dict(paths[start:start + LOOKUP_BATCH])
            try:
                out.update(self._fetch(batch, full))
            except sqlite3.DatabaseError as exc:
                self._broken(exc)
                return {}
        return out

    def _fetch(self, stats: dict[str, os.stat_result], full: bool) -> dict[str, CachedFile]:
        marks = ",".join("?" * len(stats))
        column, mac_column, kind = ("payload", "mac", "files") if full else ("refs", "refs_mac", "refs")
        keys = {_db_key(path): path for path in stats}
        out = {}
        for key, mtime, ctime, size, ino, findings_fp, summary_fp, text, packed, mac in self.db.execute(
                f"SELECT path, mtime_ns, ctime_ns, size, ino, findings_fp, summary_fp, {column}, "
                f"summaries, {mac_column} FROM files WHERE path IN ({marks})", list(keys)):
            path = keys.get(key)
            if path is None or (mtime, ctime, size, ino) != _stamp(stats[path]):
                continue
            packed = bytes(packed) if isinstance(packed, (bytes, memoryview)) else None
            if packed is None or mac != row_mac(self.key, kind, key, mtime, ctime, size, ino,
                                                findings_fp, summary_fp, text, packed):
                self._failed(f"cache entry for {path}")
                continue
            try:
                value = json.loads(text)
                summaries = unpack_summaries(packed)
            except (ValueError, TypeError) as exc:  # one bad row: check the file again
                self.warn(f"{self.path}: unreadable entry for {path} ({exc}); checking it again")
                continue
            out[path] = CachedFile(findings_fp, summary_fp, value if full else None,
                                   summaries, None if full else value)
        return out

    # -- writing -------------------------------------------------------------------
    def put_many(self, rows: Iterable[tuple[str, os.stat_result, str | None, str | None,
                                             str, str, bytes]]) -> None:
        """Write rows in one transaction: all of them land, or none. A row:
        path, stat, fingerprints, and the payload, references and summaries
        as `payload.ship` gives them."""
        def write(db: sqlite3.Connection) -> None:
            for path, stat, findings_fp, summary_fp, text, refs, packed in rows:
                key, stamp = _db_key(path), _stamp(stat)
                db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (key, *stamp, findings_fp, summary_fp, text, refs, packed,
                            row_mac(self.key, "files", key, *stamp, findings_fp, summary_fp, text,
                                    packed),
                            row_mac(self.key, "refs", key, *stamp, findings_fp, summary_fp, refs,
                                    packed)))
        self._write(write)

    def _write(self, work: Callable[[sqlite3.Connection], None]) -> None:
        """Run `work` in one write transaction: all of it lands, or none."""
        if self.db is None:
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            work(self.db)
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.DatabaseError:
                pass
            self._broken(exc)

    # -- what corpus rules remember (`CorpusRule.remembers`) ---------------------
    def memo(self, rule: str) -> "RuleMemo":
        return RuleMemo(self, rule)

    def memo_get(self, rule: str, keys: list[str]) -> dict[str, float]:
        """The remembered values of `keys` whose checksum holds and whose value
        is a number; the others are left out (the rule computes them again and
        `memo_put` replaces them), with a warning."""
        out: dict[str, float] = {}
        bad = 0
        for start in range(0, len(keys) if self.db is not None else 0, LOOKUP_BATCH):
            batch = keys[start:start + LOOKUP_BATCH]
            try:
                rows = self.db.execute(
                    f"SELECT key, value, mac FROM memo WHERE rule=? AND key IN "
                    f"({','.join('?' * len(batch))})", [rule, *batch]).fetchall()
            except sqlite3.DatabaseError as exc:
                self._broken(exc)
                return {}
            for key, value, mac in rows:
                if type(value) is float and mac == row_mac(self.key, "memo", rule, key, value):
                    out[key] = value
                else:
                    bad += 1
        if bad:
            self.warn(f"{self.path}: {bad} remembered value(s) of rule {rule} failed their "
                      "checksum or type (not written by your newslint); computed again")
        return out

    def memo_put(self, rule: str, values: dict[str, float]) -> None:
        if values:
            self._write(lambda db: db.executemany(
                "INSERT OR REPLACE INTO memo VALUES (?, ?, ?, ?)",
                [(rule, key, float(value), row_mac(self.key, "memo", rule, key, float(value)))
                 for key, value in values.items()]))

    # -- whole runs: the result of a run over files that have not changed since -----
    def get_run(self, key: str) -> dict[str, Any] | None:
        found, data = self._signed_blob("SELECT result, mac FROM runs WHERE key=?", "run", key)
        if found and data is None:
            self.warn(f"{self.path}: unreadable run result (its checksum does not match: not "
                      "written by your newslint); checking the files")
        if data is None:
            return None
        try:
            return json.loads(zlib.decompress(data))
        except (zlib.error, ValueError, TypeError) as exc:
            self.warn(f"{self.path}: unreadable run result ({exc}); checking the files")
            return None

    def put_run(self, key: str, payload: dict[str, Any]) -> None:
        data = zlib.compress(json.dumps(payload, separators=(",", ":")).encode(), 1)

        def write(db: sqlite3.Connection) -> None:
            db.execute("INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?)",
                       (key, time.time(), data, row_mac(self.key, "run", key, data)))
            db.execute("DELETE FROM runs WHERE key NOT IN "
                       "(SELECT key FROM runs ORDER BY written DESC LIMIT ?)", (RUNS_KEPT,))
        self._write(write)

    # -- corpus snapshots: the corpus files of a run in one row (run/snapshot.py) ----
    def get_corpus(self, key: str) -> bytes | None:
        found, data = self._signed_blob("SELECT data, mac FROM corpora WHERE key=?", "corpus", key)
        if found and data is None:
            self._failed("corpus snapshot")
        return data

    def _signed_blob(self, query: str, kind: str, key: str) -> tuple[bool, bytes | None]:
        """(whether the row `key` exists, its blob when its checksum holds). A
        broken database counts as no row (it is reported by `_broken`)."""
        if self.db is None:
            return False, None
        try:
            row = self.db.execute(query, (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            self._broken(exc)
            return False, None
        if row is None:
            return False, None
        data = bytes(row[0]) if isinstance(row[0], (bytes, memoryview)) else None
        if data is None or row[1] != row_mac(self.key, kind, key, data):
            return True, None
        return True, data

    def put_corpus(self, key: str, data: bytes) -> None:
        def write(db: sqlite3.Connection) -> None:
            db.execute("INSERT OR REPLACE INTO corpora VALUES (?, ?, ?, ?)",
                       (key, time.time(), data, row_mac(self.key, "corpus", key, data)))
            db.execute("DELETE FROM corpora WHERE key NOT IN "
                       "(SELECT key FROM corpora ORDER BY written DESC LIMIT ?)", (CORPORA_KEPT,))
        self._write(write)

    def _failed(self, what: str) -> None:
        """A row that failed its checksum: forged, or damaged."""
        self._failures += 1
        if self._failures <= NAMED_FAILURES:
            self.warn(f"{self.path}: unreadable {what} (its checksum does not match: damaged, or "
                      "not written by your newslint); checking it again")
        elif self._failures == NAMED_FAILURES + 1:
            self.warn(f"{self.path}: more cache entries fail their checksum; checking them again")

    def _broken(self, exc: Exception) -> None:
        corrupt = _is_corrupt(exc)
        self.warn(f"{self.path}: cache error ({exc}); continuing without the cache"
                  + ("; it will be rebuilt on the next run" if corrupt else ""))
        try:
            self.db.close()
        except sqlite3.DatabaseError:
            pass
        self.db = None
        if corrupt:
            self._remove()

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


def _db_key(text: str) -> str:
    """A file's key as SQLite can store it: a name holding bytes that are not
    UTF-8 (lone surrogates in Python) is stored as a NUL and the hex of its
    bytes, which no real name starts with."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "\0" + text.encode("utf-8", "surrogatepass").hex()


def _stamp(stat: os.stat_result) -> tuple[int, int, int, int]:
    return stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino


def _defensive_connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=60, isolation_level=None)
    for pragma in DEFENSIVE:
        db.execute(pragma)
    setconfig = getattr(db, "setconfig", None)  # Python 3.12+
    if setconfig is not None:
        setconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE, True)
        setconfig(sqlite3.SQLITE_DBCONFIG_ENABLE_TRIGGER, False)
        setconfig(sqlite3.SQLITE_DBCONFIG_ENABLE_VIEW, False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def _schema_of(db: sqlite3.Connection) -> set[tuple]:
    return set(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())


_EXPECTED: set[tuple] | None = None


def _expected_schema() -> set[tuple]:
    """What newslint's SCHEMA makes, as sqlite_master lists it."""
    global _EXPECTED
    if _EXPECTED is None:
        db = sqlite3.connect(":memory:")
        db.executescript(SCHEMA)
        _EXPECTED = _schema_of(db)
        db.close()
    return _EXPECTED


def _is_corrupt(exc: Exception) -> bool:
    """True for a damaged or foreign file, False for a busy or locked one
    (another newslint run): only a damaged cache is thrown away."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def _ignore_file(folder: Path) -> None:
    """Keep the cache out of git without touching the repository's .gitignore."""
    marker = folder / ".gitignore"
    if not marker.exists():
        tmp = folder / f".gitignore.{os.getpid()}"
        tmp.write_text("# created by newslint\n*\n")
        os.replace(tmp, marker)


@dataclass
class RuleMemo:
    """One rule's part of the memo table (a `newslint.rule.Memo`)."""

    cache: Cache
    rule: str

    def get_many(self, keys: Iterable[str]) -> dict[str, float]:
        return self.cache.memo_get(self.rule, list(keys))

    def put_many(self, values: dict[str, float]) -> None:
        self.cache.memo_put(self.rule, values)
