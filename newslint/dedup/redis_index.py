"""The near-duplicate index on a Redis server, shared by every process and
machine that points at the same `redis://host:port/db`.

Keys (all under one prefix, default "newslint", set with `?prefix=NAME`):
- `P:meta`     hash: the format and LSH parameters; opening an index built
               with other parameters is an error, not a silent mix.
- `P:sig`      hash: article key -> signature (little-endian uint32 bytes).
- `P:kb`       hash: article key -> its band keys (16 hex digits each), so a
               key inserted again leaves its old buckets.
- `P:b<B>:<K>` set: the article keys whose band B has key K.

Band keys are `lsh.band_keys`, the same the in-process index uses, so a Redis
index and a file index give the same candidates. Inserting is one Lua script,
atomic on the server: a key's signature and its buckets change together, and
`insert_and_query` returns the candidates seen before the insertion, so of two
processes inserting near-duplicates at once exactly one sees the other.
Redis Cluster is not supported (the script touches keys it cannot declare).

Every Redis error becomes `IndexUnavailable` naming the URL (without its
password): an insert that fails raises, it is never dropped silently.
"""
from __future__ import annotations

from typing import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from newslint.config import ConfigError
from newslint.dedup.lsh import band_keys

FORMAT = "1"
DEFAULT_PREFIX = "newslint"
TIMEOUT = 5.0  # seconds for connecting and for each command

_INSERT = """
local sigs, kb, prefix = KEYS[1], KEYS[2], ARGV[1]
local key, sig, bands, query = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local buckets, found = {}, {}
for i = 0, (#bands / 16) - 1 do
  buckets[#buckets + 1] = prefix .. ':b' .. i .. ':' .. string.sub(bands, i * 16 + 1, i * 16 + 16)
end
if query == '1' then
  for _, member in ipairs(redis.call('SUNION', unpack(buckets))) do
    if member ~= key then found[#found + 1] = member end
  end
end
local old = redis.call('HGET', kb, key)
if old then
  for i = 0, (#old / 16) - 1 do
    redis.call('SREM', prefix .. ':b' .. i .. ':' .. string.sub(old, i * 16 + 1, i * 16 + 16), key)
  end
end
for _, bucket in ipairs(buckets) do redis.call('SADD', bucket, key) end
redis.call('HSET', sigs, key, sig)
redis.call('HSET', kb, key, bands)
return found
"""


class IndexUnavailable(ConfigError):
    """The index cannot be reached or used; the message names where it is. A
    `ConfigError`, so the command line prints it and exits with code 2."""


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + netloc))


def split_prefix(url: str) -> tuple[str, str]:
    """(url without the `prefix` query parameter, prefix)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    prefix = next((v for k, v in query if k == "prefix"), DEFAULT_PREFIX) or DEFAULT_PREFIX
    rest = urlencode([(k, v) for k, v in query if k != "prefix"])
    return urlunsplit(parts._replace(query=rest)), prefix


class RedisIndex:
    """NearDupIndex backend on Redis: insert(key, signature), query(signature),
    get(key), len(); plus insert_and_query(key, signature), atomic."""

    def __init__(self, url: str, num_perm: int, bands: int, rows: int):
        import redis
        self.url = redacted(url)
        self.num_perm, self.bands, self.rows = num_perm, bands, rows
        address, self.prefix = split_prefix(url)
        self._errors = (redis.RedisError, OSError)
        with self._talking("connect"):
            self.client = redis.Redis.from_url(address, socket_timeout=TIMEOUT,
                                               socket_connect_timeout=TIMEOUT)
            self._script = self.client.register_script(_INSERT)
            self._check_meta()

    # -- the backend interface ----------------------------------------------------------
    def insert(self, key: str, signature: np.ndarray) -> None:
        self._run_insert(key, signature, query=False)

    def insert_and_query(self, key: str, signature: np.ndarray) -> list[str]:
        """Insert, and return the other keys that shared a bucket with
        `signature` just before (one atomic step on the server)."""
        return self._run_insert(key, signature, query=True)

    def query(self, signature: np.ndarray) -> list[str]:
        buckets = [f"{self.prefix}:b{i}:{k}" for i, k in enumerate(self._band_keys(signature))]
        with self._talking("query"):
            return sorted(m.decode() for m in self.client.sunion(buckets))

    def get(self, key: str) -> np.ndarray | None:
        with self._talking("read"):
            data = self.client.hget(f"{self.prefix}:sig", key)
        return None if data is None else np.frombuffer(data, dtype="<u4").astype(np.uint32)

    def get_many(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        keys = list(keys)
        if not keys:
            return {}
        with self._talking("read"):
            values = self.client.hmget(f"{self.prefix}:sig", keys)
        return {k: np.frombuffer(v, dtype="<u4").astype(np.uint32)
                for k, v in zip(keys, values) if v is not None}

    def __len__(self) -> int:
        with self._talking("count"):
            return int(self.client.hlen(f"{self.prefix}:sig"))

    def close(self) -> None:
        try:
            self.client.close()
        except self._errors:
            pass

    # -- details ----------------------------------------------------------------------------
    def _run_insert(self, key: str, signature: np.ndarray, query: bool) -> list[str]:
        signature = self._checked(signature)
        bands = "".join(self._band_keys(signature))
        with self._talking("insert into"):
            found = self._script(keys=[f"{self.prefix}:sig", f"{self.prefix}:kb"],
                                 args=[self.prefix, key, signature.astype("<u4").tobytes(),
                                       bands, "1" if query else "0"])
        return sorted(m.decode() for m in found)

    def _band_keys(self, signature: np.ndarray) -> list[str]:
        keys = band_keys(self._checked(signature)[None, :], self.bands, self.rows)[:, 0]
        return [f"{int(k):016x}" for k in keys]

    def _checked(self, signature: np.ndarray) -> np.ndarray:
        signature = np.asarray(signature, dtype=np.uint32)
        if signature.shape != (self.num_perm,):
            raise ValueError(f"signature has shape {signature.shape}, expected ({self.num_perm},)")
        return signature

    def _check_meta(self) -> None:
        want = {"format": FORMAT, "num_perm": str(self.num_perm), "bands": str(self.bands),
                "rows": str(self.rows)}
        meta_key = f"{self.prefix}:meta"
        pipe = self.client.pipeline(transaction=True)
        for name, value in want.items():
            pipe.hsetnx(meta_key, name, value)
        pipe.hgetall(meta_key)
        have = {k.decode(): v.decode() for k, v in pipe.execute()[-1].items()}
        if any(have.get(k) != v for k, v in want.items()):
            raise IndexUnavailable(
                f"near-duplicate index {self.url} (prefix {self.prefix!r}) was built with other "
                f"settings ({_params(have)}) than this run ({_params(want)}); use another "
                f"?prefix= or delete its keys")

    def _talking(self, action: str):
        return _Talking(self, action)


class _Talking:
    """Turns Redis and socket errors into IndexUnavailable naming the URL."""

    def __init__(self, index: RedisIndex, action: str):
        self.index, self.action = index, action

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is not None and isinstance(exc, self.index._errors):
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise IndexUnavailable(f"cannot {self.action} the near-duplicate index at "
                                   f"{self.index.url}: {reason}") from exc
        return False


def _params(values: dict[str, str]) -> str:
    return ", ".join(f"{k}={values.get(k, '?')}" for k in ("format", "num_perm", "bands", "rows"))
