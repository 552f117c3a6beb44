"""`newslint index export` / `import`: an index as JSON Lines, no pickle.

The first line is a header, `{"newslint-index": 1, "num_perm": 128, "bands":
26, "rows": 3, "threshold": 0.5}`; then one line per article:
`{"id": ..., "first_seen": <Unix time>, "of": [ids it duplicates],
"signature": <base64 of num_perm little-endian uint32>}`. The signature is
datasketch's `LeanMinHash(seed=1, hashvalues=...)` (scheme affine32), so an
export can also be loaded into a `datasketch.MinHashLSH`.
"""
from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Iterable, Iterator

import numpy as np

from newslint.dedup.entries import Entry

FORMAT = 1
HEADER_KEY = "newslint-index"
MAX_ID = 4096


class BadLine(ValueError):
    """A line of an export that cannot be imported (the message says why)."""


def header(params: dict) -> str:
    return json.dumps({HEADER_KEY: FORMAT, **{k: params[k] for k in
                                              ("num_perm", "bands", "rows", "threshold")
                                              if k in params}})


def entry_line(entry: Entry) -> str:
    return json.dumps({"id": entry.key, "first_seen": entry.first_seen, "of": list(entry.of),
                       "signature": base64.b64encode(entry.signature.astype("<u4").tobytes())
                       .decode("ascii")}, ensure_ascii=False)


def export_lines(params: dict, entries: Iterable[Entry]) -> Iterator[str]:
    yield header(params)
    for entry in entries:
        yield entry_line(entry)


def read_header(line: str) -> dict:
    try:
        data = json.loads(line)
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get(HEADER_KEY) != FORMAT:
        raise BadLine(f"not a newslint index export (the first line must be "
                      f'{{"{HEADER_KEY}": {FORMAT}, ...}})')
    num_perm, threshold = data.get("num_perm"), data.get("threshold", 0.5)
    if not isinstance(num_perm, int) or not 16 <= num_perm <= 1024:
        raise BadLine("num_perm must be a whole number from 16 to 1024")
    if not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise BadLine("threshold must be a number above 0 and at most 1")
    return {"num_perm": num_perm, "threshold": float(threshold)}


def read_entry(line: str, num_perm: int) -> Entry:
    """One article line; raises BadLine saying what is wrong."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError) as exc:
        raise BadLine(f"invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise BadLine("a line must be a JSON object")
    key, first, of, sig = (data.get(k) for k in ("id", "first_seen", "of", "signature"))
    if not isinstance(key, str) or not key or len(key) > MAX_ID:
        raise BadLine(f"id must be a string of 1 to {MAX_ID} characters")
    if isinstance(first, bool) or not isinstance(first, (int, float)) or not math.isfinite(first):
        raise BadLine("first_seen must be a number (Unix time)")
    if not isinstance(of, list) or not all(isinstance(k, str) for k in of):
        raise BadLine("of must be a list of ids")
    try:
        raw = base64.b64decode(sig if isinstance(sig, str) else "", validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 4 * num_perm:
        raise BadLine(f"signature must be base64 of {num_perm} little-endian uint32 "
                      f"({4 * num_perm} bytes)")
    return Entry(key, np.frombuffer(raw, dtype="<u4").astype(np.uint32), float(first), tuple(of))
