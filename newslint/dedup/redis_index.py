"""The near-duplicate index on a Redis server, shared by every process and
machine that points at the same `redis://host:port/db`.

Keys (all under one prefix, default "newslint", set with `?prefix=NAME`):
- `P:meta`     hash: the format and LSH parameters; opening an index built
               with other parameters is an error naming the fix, not a silent mix.
- `P:sig`      hash: article key -> signature (little-endian uint32 bytes).
- `P:kb`       hash: article key -> its band keys (16 hex digits each), so a
               key inserted again leaves its old buckets.
- `P:of`       hash: article key -> JSON list of the keys it duplicates (absent
               or `[]` for an original).
- `P:seen`     hash: article key -> when it was first seen (Unix time).
- `P:b<B>:<K>` set: the article keys whose band B has key K.

Band keys are `lsh.band_keys`, the same the in-process index uses, so a Redis
index and a file index give the same candidates. `check_in` is one Lua script,
atomic on the server: it compares the candidates' signatures (equal values
counted in Lua; the threshold passed as a count), leaves out the article itself
and the entries recorded as its duplicates, and stores the article with what
it duplicates, so of two processes inserting near-duplicates at once exactly
one sees the other. Redis Cluster is not supported (the script touches keys it
cannot declare).

Values under these keys are not trusted: a signature of the wrong length, a
member or key that is not UTF-8, an `of` that is not a JSON list are skipped
with a notice naming the key, never a traceback and never silently. Every
Redis error becomes `IndexUnavailable` naming the URL (without its password):
an insert that fails raises, it is never dropped silently.
"""
from __future__ import annotations

import json
import math
from typing import Callable, Iterable, Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from newslint.config import ConfigError
from newslint.dedup.entries import MAX_OF, Entry, damaged, signature_from_bytes
from newslint.dedup.lsh import band_keys

FORMAT = "1"
DEFAULT_PREFIX = "newslint"
TIMEOUT = 5.0  # seconds for connecting and for each command
LSH = ("num_perm", "bands", "rows")

_BUCKETS = """
local function buckets(prefix, bands)
  local out = {}
  for i = 0, (#bands / 16) - 1 do
    out[#out + 1] = prefix .. ':b' .. i .. ':' .. string.sub(bands, i * 16 + 1, i * 16 + 16)
  end
  return out
end
local function forget(prefix, kb, key)
  local old = redis.call('HGET', kb, key)
  if old then
    for _, bucket in ipairs(buckets(prefix, old)) do redis.call('SREM', bucket, key) end
  end
end
"""

_CHECK_IN = _BUCKETS + """
local sigs, kb, ofs, seen = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix, key, sig, bands = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local need, now, most = tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7])
local found, bad, originals, others = {}, {}, {}, {}
local mine = buckets(prefix, bands)
for _, member in ipairs(redis.call('SUNION', unpack(mine))) do
  local other = member ~= key and redis.call('HGET', sigs, member)
  if other and #other ~= #sig then
    bad[#bad + 1] = member
  elseif other then
    local skip, original = false, true
    local of = redis.call('HGET', ofs, member)
    if of then
      local ok, list = pcall(cjson.decode, of)
      if ok and type(list) == 'table' then
        for _, k in ipairs(list) do
          original = false
          if k == key then skip = true end
        end
      else
        bad[#bad + 1] = member
      end
    end
    if not skip then
      local same = 0
      for i = 1, #sig, 4 do
        if string.sub(sig, i, i + 3) == string.sub(other, i, i + 3) then same = same + 1 end
      end
      if same >= need then
        found[#found + 1] = member
        found[#found + 1] = same
        if original then originals[#originals + 1] = {member, same}
        else others[#others + 1] = {member, same} end
      end
    end
  end
end
forget(prefix, kb, key)
for _, bucket in ipairs(mine) do redis.call('SADD', bucket, key) end
redis.call('HSET', sigs, key, sig)
redis.call('HSET', kb, key, bands)
-- what it duplicates: the originals first, then the others, most similar first (as entries.recorded_of)
local function order(a, b) if a[2] ~= b[2] then return a[2] > b[2] end return a[1] < b[1] end
table.sort(originals, order)
table.sort(others, order)
local keys = {}
for _, group in ipairs({originals, others}) do
  for _, pair in ipairs(group) do
    if #keys < most then keys[#keys + 1] = pair[1] end
  end
end
if #keys > 0 then redis.call('HSET', ofs, key, cjson.encode(keys)) else redis.call('HDEL', ofs, key) end
redis.call('HSETNX', seen, key, now)
return {found, bad}
"""

_PUT = _BUCKETS + """
local sigs, kb, ofs, seen = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix, key, sig, bands, of, first = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
forget(prefix, kb, key)
for _, bucket in ipairs(buckets(prefix, bands)) do redis.call('SADD', bucket, key) end
redis.call('HSET', sigs, key, sig)
redis.call('HSET', kb, key, bands)
redis.call('HSET', ofs, key, of)
redis.call('HSET', seen, key, first)
return 1
"""

_REMOVE = _BUCKETS + """
local sigs, kb, ofs, seen = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix, removed = ARGV[1], 0
for i = 2, #ARGV do
  forget(prefix, kb, ARGV[i])
  removed = removed + redis.call('HDEL', sigs, ARGV[i])
  redis.call('HDEL', kb, ARGV[i])
  redis.call('HDEL', ofs, ARGV[i])
  redis.call('HDEL', seen, ARGV[i])
end
return removed
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
    """NearDupIndex backend on Redis (see the module docstring and `index.NearDupIndex`)."""

    def __init__(self, url: str, params: dict, adopt: bool = False,
                 warn: Callable[[str], None] | None = None):
        import redis
        self.url = redacted(url)
        self.params = dict(params)
        self.warn = warn or (lambda message: None)
        self._warned: set = set()
        address, self.prefix = split_prefix(url)
        self._errors = (redis.RedisError, OSError)
        self._keys = [f"{self.prefix}:{name}" for name in ("sig", "kb", "of", "seen")]
        with self._talking("connect"):
            self.client = redis.Redis.from_url(address, socket_timeout=TIMEOUT,
                                               socket_connect_timeout=TIMEOUT)
            self._check_in = self.client.register_script(_CHECK_IN)
            self._put = self.client.register_script(_PUT)
            self._remove = self.client.register_script(_REMOVE)
            self._check_meta(adopt)
        self.num_perm, self.bands, self.rows = (int(self.params[k]) for k in LSH)

    # -- the backend interface ----------------------------------------------------------
    def check_in(self, key: str, signature: np.ndarray, threshold: float, now: float
                 ) -> list[tuple[str, float]]:
        need = min(self.num_perm, math.ceil(threshold * self.num_perm - 1e-9))
        with self._talking("insert into"):
            found, bad = self._check_in(keys=self._keys, args=[
                self.prefix, key, signature.astype("<u4").tobytes(),
                "".join(self._band_keys(signature)), need, repr(float(now)), MAX_OF])
        for member in bad:
            self._notice(member, "a signature of the wrong length or an `of` that is not a "
                         "JSON list; not compared")
        out = []
        for member, same in zip(found[::2], found[1::2]):
            name = self._text(member)
            if name is not None:
                out.append((name, int(same) / self.num_perm))
        return sorted(out, key=lambda pair: (-pair[1], pair[0]))

    def insert(self, entry: Entry) -> None:
        with self._talking("insert into"):
            self._put(keys=self._keys, args=[
                self.prefix, entry.key, entry.signature.astype("<u4").tobytes(),
                "".join(self._band_keys(entry.signature)),
                json.dumps(list(entry.of), ensure_ascii=False), repr(float(entry.first_seen))])

    def query(self, signature: np.ndarray) -> list[str]:
        buckets = [f"{self.prefix}:b{i}:{k}" for i, k in enumerate(self._band_keys(signature))]
        with self._talking("query"):
            members = self.client.sunion(buckets)
        return sorted(k for k in map(self._text, members) if k is not None)

    def entries_for(self, keys: Iterable[str]) -> dict[str, Entry]:
        keys = list(keys)
        if not keys:
            return {}
        with self._talking("read"):
            pipe = self.client.pipeline(transaction=False)
            for name in self._keys[:1] + self._keys[2:]:
                pipe.hmget(name, keys)
            sigs, ofs, seens = pipe.execute()
        out = {}
        for key, sig, of, seen in zip(keys, sigs, ofs, seens):
            entry = self._entry(key, sig, of, seen)
            if entry is not None:
                out[key] = entry
        return out

    def entries(self) -> Iterator[Entry]:
        cursor, seen = 0, set()   # HSCAN may return a key twice while the hash grows
        while True:
            with self._talking("read"):
                cursor, page = self.client.hscan(self._keys[0], cursor, count=500)
            page = {raw: value for raw, value in page.items() if raw not in seen}
            seen.update(page)
            names = {raw: self._text(raw) for raw in page}
            good = [raw for raw, name in names.items() if name is not None]
            if good:
                with self._talking("read"):
                    pipe = self.client.pipeline(transaction=False)
                    pipe.hmget(self._keys[2], good)
                    pipe.hmget(self._keys[3], good)
                    ofs, seens = pipe.execute()
                for raw, of, seen in zip(good, ofs, seens):
                    entry = self._entry(names[raw], page[raw], of, seen)
                    if entry is not None:
                        yield entry
            if not cursor:
                return

    def remove(self, keys: list[str]) -> int:
        if not keys:
            return 0
        with self._talking("remove from"):
            return int(self._remove(keys=self._keys, args=[self.prefix, *keys]))

    def clear(self) -> None:
        """Delete every key under the prefix (meta included: the next run sets it)."""
        pattern = "".join("\\" + c if c in "*?[]\\" else c for c in self.prefix) + ":*"
        with self._talking("clear"):
            batch = []
            for name in self.client.scan_iter(match=pattern, count=1000):
                batch.append(name)
                if len(batch) >= 1000:
                    self.client.delete(*batch)
                    batch = []
            if batch:
                self.client.delete(*batch)

    def __len__(self) -> int:
        with self._talking("count"):
            return int(self.client.hlen(self._keys[0]))

    def close(self) -> None:
        try:
            self.client.close()
        except self._errors:
            pass

    # -- details ----------------------------------------------------------------------------
    def _entry(self, key: str, sig, of, seen) -> Entry | None:
        if sig is None:
            return None
        signature = signature_from_bytes(sig, self.num_perm)
        if signature is None:
            self._notice(key, f"a signature of {len(sig)} bytes, not {4 * self.num_perm}")
            return None
        keys: list = []
        if of is not None:
            try:
                keys = json.loads(of)
                if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
                    raise ValueError
            except (UnicodeDecodeError, ValueError):
                self._notice(key, "its duplicate-of list is not a JSON list of ids; read as empty")
                keys = []
        try:
            first = float(seen) if seen is not None else 0.0
        except (TypeError, ValueError):
            first = 0.0
        return Entry(key, signature, first if math.isfinite(first) else 0.0, tuple(keys))

    def _text(self, raw) -> str | None:
        """A member or key read back from Redis; None (with a notice) when not UTF-8."""
        if isinstance(raw, str):
            return raw
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self._notice(raw, "its id is not UTF-8")
            return None

    def _notice(self, key, what: str) -> None:
        if isinstance(key, bytes):
            key = key.decode("utf-8", "backslashreplace")
        if key not in self._warned:
            self._warned.add(key)
            self.warn(damaged(f"{self.url} (prefix {self.prefix!r})", key, what))

    def _band_keys(self, signature: np.ndarray) -> list[str]:
        keys = band_keys(signature[None, :], self.bands, self.rows)[:, 0]
        return [f"{int(k):016x}" for k in keys]

    def _check_meta(self, adopt: bool) -> None:
        meta_key = f"{self.prefix}:meta"
        have = {k.decode("utf-8", "replace"): v.decode("utf-8", "replace")
                for k, v in self.client.hgetall(meta_key).items()}
        if adopt and have.get("format") == FORMAT and all(have.get(k, "").isdigit() for k in LSH):
            self.params.update({k: int(have[k]) for k in LSH})
            try:
                self.params["threshold"] = float(have.get("threshold", self.params["threshold"]))
            except ValueError:
                pass
            return
        want = {"format": FORMAT, **{k: str(self.params[k]) for k in LSH}}
        if have and not self.client.hlen(self._keys[0]):
            self.client.delete(meta_key)  # an empty index takes this run's settings
        pipe = self.client.pipeline(transaction=True)
        for name, value in {**want, "threshold": str(self.params["threshold"])}.items():
            pipe.hsetnx(meta_key, name, value)
        pipe.hgetall(meta_key)
        have = {k.decode("utf-8", "replace"): v.decode("utf-8", "replace")
                for k, v in pipe.execute()[-1].items()}
        if any(have.get(k) != v for k, v in want.items()):
            raise IndexUnavailable(
                f"near-duplicate index {self.url} (prefix {self.prefix!r}) was built with other "
                f"settings ({settings_text(have)}) than this run ({settings_text(want)}); use the "
                f"near-duplicate options it was built with, another ?prefix=, or empty it with "
                f"`newslint index clear --yes --index URL`")

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


def settings_text(values: dict) -> str:
    """The LSH settings of an index, for messages."""
    return ", ".join(f"{k}={values.get(k, '?')}" for k in ("format", "num_perm", "bands", "rows")
                     if k != "format" or k in values)
