"""The corpus files of a run (`--corpus`, not checked themselves) remembered
together in one cache row: a snapshot of their article references and
summaries, each file with the stat it had.

A pre-commit hook checks a few changed files against a corpus of 20,000:
reading 20,000 file rows, each with its own checksum, was most of the run.
The snapshot is one row with one checksum; each of its files is used only
while its stat (mtime, change time, size, inode) is the same, the others are
read from their own rows or checked, as without it. It is written again when
more than SLACK of the corpus files were not in it as they are now.

Layout: 8 bytes (little-endian length of the index), the index as JSON,
then each file's summaries (`payload.pack_summaries`) end to end. An index
entry: [file key, mtime_ns, ctime_ns, size, inode, [article ref, ...],
offset, length] (the summaries' place after the index).
"""
from __future__ import annotations

import json
import os
import struct
from typing import Iterable

from newslint.results import FileResult
from newslint.run.payload import (
    corpus_result,
    pack_summaries,
    ref_to_list,
    unpack_summaries,
)

SLACK = 0.01   # rewritten when more of the corpus files than this were not in it as they are
_LENGTH = struct.Struct("<Q")

Stamp = tuple[int, int, int, int]
Entry = tuple[str, Stamp, list, bytes]   # file key, stamp, article refs, packed summaries


def stamp(stat: os.stat_result) -> Stamp:
    return stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino


class Snapshot:
    def __init__(self, data: bytes = b"") -> None:
        """Read a snapshot; ValueError when `data` does not hold one."""
        self.entries: dict[str, tuple[Stamp, list, int, int]] = {}
        self._data = memoryview(data)
        if not data:
            return
        try:
            (length,) = _LENGTH.unpack_from(data)
            index = json.loads(bytes(self._data[8:8 + length]))
        except (struct.error, UnicodeDecodeError, ValueError) as exc:
            raise ValueError(f"unreadable corpus snapshot: {exc}") from None
        base = 8 + length
        for entry in index if isinstance(index, list) else [None]:
            if not (isinstance(entry, list) and len(entry) == 8 and isinstance(entry[0], str)
                    and all(type(n) is int for n in entry[1:5] + entry[6:8])
                    and isinstance(entry[5], list) and base + entry[6] + entry[7] <= len(data)):
                raise ValueError("unreadable corpus snapshot: a malformed entry")
            self.entries[entry[0]] = (tuple(entry[1:5]), entry[5], base + entry[6], entry[7])

    def fresh(self, key: str, stat: os.stat_result | None) -> bool:
        entry = self.entries.get(key)
        return entry is not None and stat is not None and entry[0] == stamp(stat)

    def result(self, path: str, key: str, stat: os.stat_result | None) -> FileResult | None:
        """The file's result as remembered, if it is unchanged (None otherwise,
        or when the remembered articles are not under `path` as spelled now)."""
        if not self.fresh(key, stat):
            return None
        _, refs, start, length = self.entries[key]
        if not all(isinstance(ref, list) and len(ref) == 6 and ref[1] == path for ref in refs):
            return None
        return corpus_result(path, refs, unpack_summaries(bytes(self._data[start:start + length])))


def entry(key: str, stat: os.stat_result, result: FileResult) -> Entry:
    """What a snapshot keeps of a corpus file's result."""
    return (key, stamp(stat), [ref_to_list(a.ref) for a in result.articles],
            pack_summaries((i, a.summaries) for i, a in enumerate(result.articles)))


def encode(entries: Iterable[Entry]) -> bytes:
    index, blobs, offset = [], [], 0
    for key, file_stamp, refs, packed in entries:
        index.append([key, *file_stamp, refs, offset, len(packed)])
        blobs.append(packed)
        offset += len(packed)
    head = json.dumps(index, separators=(",", ":")).encode()
    return _LENGTH.pack(len(head)) + head + b"".join(blobs)
