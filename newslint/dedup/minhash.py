"""MinHash signatures computed with numpy, bit-for-bit those of datasketch.

datasketch 2.0's default scheme ("affine32") pre-mixes each 32-bit input hash
with the MurmurHash3 32-bit finaliser and applies the permutations
`a_k * h + b_k mod 2^32` (a_k odd, so each is a bijection), keeping the minimum
per permutation. We do the same for all shingles of an article as one
(num_perm x shingles) block of numpy operations, against cached contiguous
tiles of a and b so that numpy runs them in its SIMD loops, instead of
datasketch's per-value Python hashing (SHA-1 by default), so a signature here equals
`MinHash(num_perm, seed, hashfunc=<our 32-bit shingle hash>).update_batch(...)`
and converts to `MinHash(hashvalues=sig, scheme="affine32")` / `LeanMinHash`.

The summary a corpus rule caches per article is compact bytes (no pickle):
a header (version, shingle sizes, counts, fingerprints, the boilerplate lines
left out) followed by the uint32 signature.
"""
from __future__ import annotations

import math
import struct
import sys
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from newslint.dedup.shingles import Shingles

SUMMARY_VERSION = 3  # 3: skipped lines are body-line positions (2: file lines)
SEED = 1
# 32 bytes, every field at an offset that is a multiple of its size, so a table
# of summaries can be read as uint32 columns (see matching.load_corpus).
_HEADER = struct.Struct("<BBBxHHI4xQQ")  # version, k_words, k_chars, num_perm,
#                                         skipped lines, shingles, set hash, text hash
HEADER = np.dtype([("version", "u1"), ("k_words", "u1"), ("k_chars", "u1"), ("pad", "u1"),
                   ("num_perm", "<u2"), ("skipped", "<u2"), ("shingles", "<u4"),
                   ("pad2", "<u4"), ("set_hash", "<u8"), ("text_hash", "<u8")])
assert HEADER.itemsize == _HEADER.size == 32
# 0-d arrays: numpy takes them faster than scalars in array operations
_FMIX32 = tuple(np.array(c, dtype=np.uint32) for c in (16, 0x85EBCA6B, 13, 0xC2B2AE35))
_HALF = np.array(32, dtype=np.uint64)
_LITTLE_ENDIAN = sys.byteorder == "little"
MAX_SKIPPED = 0xFFFF

SIGNATURE_BLOCK = 1 << 17  # permuted values computed at once: 512 KB of uint32
TILE_STEP = 128            # shingles: the widths of the blocks are multiples of this
MAX_TILE_STEPS = 8         # and at most this many: at most 8 tiles of each kind per num_perm
                           # (4.7 MB in all for 128 permutations)


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) uint32 arrays, drawn exactly as datasketch 2.0 draws them for
    the affine32 scheme."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def block_width(num_perm: int) -> int:
    """Shingles per block of at most `SIGNATURE_BLOCK` permuted values (a
    multiple of TILE_STEP)."""
    return min(max(SIGNATURE_BLOCK // num_perm // TILE_STEP, 1), MAX_TILE_STEPS) * TILE_STEP


@lru_cache(maxsize=32)
def _tiles(num_perm: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(a, b), each value repeated `width` times, as contiguous (num_perm,
    width) arrays. numpy runs an operation over whole contiguous operands in
    one SIMD loop, but row by row when an operand is a broadcast column."""
    return tuple(np.repeat(c, width).reshape(num_perm, width) for c in permutations(num_perm))


def hash32(shingle_hashes: np.ndarray, size: int | None = None) -> np.ndarray:
    """Fold 64-bit shingle hashes to the 32-bit input hashes of affine32 (low
    half XOR high half). With `size`, the result is that long, filled up with
    copies of the first hash."""
    n = len(shingle_hashes)
    out = np.empty(n if size is None else size, dtype=np.uint32)
    if _LITTLE_ENDIAN:  # the halves as a uint32 view: one operation
        halves = np.ascontiguousarray(shingle_hashes, dtype=np.uint64).view(np.uint32)
        np.bitwise_xor(halves[0::2], halves[1::2], out=out[:n])
    else:
        folded = np.right_shift(shingle_hashes, _HALF)
        folded ^= shingle_hashes
        out[:n] = folded  # the low 32 bits
    if len(out) > n:
        out[n:] = out[0]
    return out


def fmix32(values: np.ndarray) -> np.ndarray:
    """The MurmurHash3 32-bit finaliser, applied in place to uint32 `values`
    (which is returned)."""
    s1, m1, s2, m2 = _FMIX32
    shifted = np.right_shift(values, s1)
    values ^= shifted
    values *= m1
    np.right_shift(values, s2, out=shifted)
    values ^= shifted
    values *= m2
    np.right_shift(values, s1, out=shifted)
    values ^= shifted
    return values


def signature(shingle_hashes: np.ndarray, num_perm: int = 128) -> np.ndarray:
    """The MinHash signature (uint32[num_perm]) of a set of 64-bit shingle hashes."""
    if len(shingle_hashes) == 0:
        return np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    # Whole blocks of TILE_STEP columns: the last one is filled up with copies of
    # a hash already there, which leave every minimum as it is.
    blocks = -(-len(shingle_hashes) // TILE_STEP) * TILE_STEP
    hashed = fmix32(hash32(shingle_hashes, blocks))
    largest = block_width(num_perm)
    out = None
    for start in range(0, blocks, largest):  # memory stays bounded on a huge file
        chunk = hashed[start:start + largest]
        a, b = _tiles(num_perm, len(chunk))
        # array arithmetic wraps modulo 2^32 silently (only scalar arithmetic warns)
        permuted = np.multiply(a, chunk)
        np.add(permuted, b, out=permuted)
        least = np.minimum.reduce(permuted, axis=1)  # the ufunc: no Python layer
        out = least if out is None else np.minimum(out, least, out=out)
    return out


def lean_minhash(sig: np.ndarray, seed: int = SEED):
    """`sig` as a `datasketch.LeanMinHash` (scheme affine32, the same seed), for
    a user's own `MinHashLSH`. datasketch is an optional extra
    (`pip install newslint[datasketch]`), imported only here."""
    try:
        from datasketch import LeanMinHash
    except ImportError:
        raise ImportError("datasketch is not installed: pip install 'newslint[datasketch]'") from None
    return LeanMinHash(seed=seed, hashvalues=np.asarray(sig, dtype=np.uint64), scheme="affine32")


def standard_error(similarity: float, num_perm: int) -> float:
    """Standard error of the MinHash estimate of a Jaccard similarity."""
    return math.sqrt(max(similarity * (1 - similarity), 0.0) / num_perm)


@dataclass(frozen=True)
class Summary:
    """What the near-duplicate rule keeps per article (see `encode`)."""

    k_words: int
    k_chars: int
    shingles: int
    set_hash: int
    text_hash: int
    skipped: tuple[int, ...]
    signature: np.ndarray


def encode(shingles: Shingles, skipped: tuple[int, ...], k_words: int, k_chars: int,
           num_perm: int) -> bytes:
    skipped = tuple(sorted(skipped))[:MAX_SKIPPED]
    header = _HEADER.pack(SUMMARY_VERSION, k_words, k_chars, num_perm, len(skipped),
                          len(shingles), shingles.set_hash(), shingles.text_hash)
    lines = struct.pack(f"<{len(skipped)}I", *skipped) if skipped else b""
    return header + lines + signature(shingles.hashes, num_perm).astype("<u4", copy=False).tobytes()


def decode(data: bytes) -> Summary | None:
    """The summary in `data`, or None when it is not one of ours (another
    version, truncated)."""
    if len(data) < _HEADER.size or data[0] != SUMMARY_VERSION:
        return None
    _, k_words, k_chars, num_perm, n_skipped, count, set_hash, text_hash = \
        _HEADER.unpack_from(data)
    if len(data) != _HEADER.size + 4 * (n_skipped + num_perm):
        return None
    skipped = np.frombuffer(data, dtype="<u4", count=n_skipped, offset=_HEADER.size)
    sig = np.frombuffer(data, dtype="<u4", offset=_HEADER.size + 4 * n_skipped)
    return Summary(k_words, k_chars, count, set_hash, text_hash,
                   tuple(int(x) for x in skipped), sig)
