"""What the near-duplicate index keeps per article (`Entry`), and the rule
every backend applies to its candidates (`matches`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np


@dataclass(frozen=True)
class Entry:
    """One article in the index: its key, MinHash signature, when it was first
    seen (Unix time) and the keys it was found a near-duplicate of (empty for
    an original)."""

    key: str
    signature: np.ndarray
    first_seen: float
    of: tuple[str, ...] = ()

    @property
    def cluster(self) -> str:
        """The original this entry belongs with (itself for an original)."""
        return self.of[0] if self.of else self.key


def matches(key: str | None, signature: np.ndarray, stored: Iterable[Entry],
            threshold: float) -> list[tuple[str, float]]:
    """The rule every backend applies to its candidates: not the article itself,
    not an entry recorded as its duplicate, estimated similarity >= threshold."""
    out = []
    for entry in stored:
        if entry.key == key or (key is not None and key in entry.of):
            continue
        similarity = float(np.mean(entry.signature == signature))
        if similarity >= threshold:
            out.append((entry.key, similarity))
    return sorted(out, key=lambda pair: (-pair[1], pair[0]))


MAX_OF = 32   # ids kept in an entry's `of`: a cluster of 10,000 copies stays linear


def recorded_of(found: list[tuple[str, float]], stored: dict[str, Entry]) -> tuple[str, ...]:
    """What a new entry records as the ids it duplicates: the originals it
    matched first (so a re-checked original always finds itself named and is
    never taken for a copy of its copy), then the other matches, most similar
    first, at most MAX_OF in all."""
    originals = [k for k, _ in found if k in stored and not stored[k].of]
    others = [k for k, _ in found if not (k in stored and not stored[k].of)]
    return tuple((originals + others)[:MAX_OF])


def signature_from_bytes(data: bytes, num_perm: int) -> np.ndarray | None:
    """A stored signature, or None when its length is not num_perm uint32s."""
    if not isinstance(data, (bytes, bytearray, memoryview)) or len(data) != 4 * num_perm:
        return None
    return np.frombuffer(bytes(data), dtype="<u4").astype(np.uint32)


def damaged(where: str, key: object, what: str) -> str:
    """A notice for an index entry that is skipped."""
    return f"{where}: skipped a damaged near-duplicate index entry {key!r}: {what}"
