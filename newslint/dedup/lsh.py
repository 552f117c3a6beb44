"""Locality-sensitive hashing over MinHash signatures, banded with numpy.

The signature is cut into b bands of r values; two articles become a
candidate pair when all r values of some band agree, which happens with
probability 1 - (1 - J^r)^b for Jaccard similarity J.

(b, r) come from datasketch's `MinHashLSH` optimiser (reimplemented here with
numpy: importing datasketch pulls in scipy, a second of start-up; a test checks
both give the same parameters), weighted 0.05 for false positives and 0.95
for false negatives: a false positive costs one vectorised
signature comparison here (candidates are then checked against the threshold),
a false negative is a duplicate lost for good. For threshold 0.5 and 128
permutations this gives b=26, r=3: a pair at J=0.55 becomes a candidate with
probability 0.991, where the unweighted optimum (25, 5) gives only 0.725.

Banding is done here rather than with `MinHashLSH.insert`/`query` because it is
one numpy pass over the whole signature matrix (bench/bench_dedup.py measures
both): band keys are 64-bit hashes of each band's values, pairs come from
sorting each band's keys and taking the runs of equal keys.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

LSH_WEIGHTS = (0.05, 0.95)   # (false positive, false negative) weights for the optimiser
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_GRID = 1001                 # integration points for band_params
BAND_AT_A_TIME = 4096        # above this many signatures, band_keys works one band at a time
FEW_TARGETS = 0.05           # below this share of targets, only their buckets are looked at


@lru_cache(maxsize=16)
def band_params(threshold: float, num_perm: int,
                weights: tuple[float, float] = LSH_WEIGHTS) -> tuple[int, int]:
    """(bands, rows per band) minimising the weighted false positive and false
    negative areas under the S-curve, as `datasketch.MinHashLSH` chooses them
    (same grid order: bands, then rows, the first minimum wins)."""
    pairs = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)])
    bands, rows = pairs[:, :1].astype(float), pairs[:, 1:].astype(float)
    below = np.linspace(0.0, threshold, _GRID)
    above = np.linspace(threshold, 1.0, _GRID)
    false_pos = _area(1 - (1 - below ** rows) ** bands, below)
    false_neg = _area((1 - above ** rows) ** bands, above)
    best = int(np.argmin(weights[0] * false_pos + weights[1] * false_neg))
    return int(pairs[best, 0]), int(pairs[best, 1])


def _area(values: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Trapezoid integral of each row of `values` over the evenly spaced `grid`."""
    step = grid[1] - grid[0]
    return step * (values.sum(axis=1) - (values[:, 0] + values[:, -1]) / 2)


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    return 1.0 - (1.0 - similarity ** rows) ** bands


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """uint64[bands, n]: one key per band per signature (signatures: uint32[n, num_perm]).
    All bands at once, one numpy step per row of a band (a single signature,
    as an index look-up has, costs 3 small operations instead of 78); for
    many signatures, one band at a time, so no uint64 copy of the whole
    matrix is made (62 MB at 100,000 articles)."""
    if len(signatures) > BAND_AT_A_TIME:
        return _band_keys_banded(signatures, bands, rows)
    block = signatures[:, :bands * rows].astype(np.uint64).reshape(len(signatures), bands, rows)
    key = np.broadcast_to(np.arange(1, bands + 1, dtype=np.uint64), (len(signatures), bands))
    with np.errstate(over="ignore"):
        for col in range(rows):
            key = key * _MULTIPLIER + block[:, :, col]
        key = key ^ (key >> np.uint64(29))
    return np.ascontiguousarray(key.T)


def _band_keys_banded(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """What band_keys gives, computed band by band."""
    out = np.empty((bands, len(signatures)), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            key = np.full(len(signatures), band + 1, dtype=np.uint64)
            for col in range(band * rows, (band + 1) * rows):
                key *= _MULTIPLIER
                key += signatures[:, col]
            np.bitwise_xor(key, key >> np.uint64(29), out=out[band])
    return out


def candidate_pairs(keys: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """int64[m, 2] distinct pairs (i < j) that share a band key and include at
    least one target (`targets`: bool[n])."""
    n = keys.shape[1]
    few = targets.sum() < FEW_TARGETS * n
    codes = []
    for band_key in keys:
        index = np.arange(n)
        if few:  # only the buckets a target falls in
            index = index[np.isin(band_key, band_key[targets])]
        codes.extend(_bucket_pairs(band_key[index], index, n))
    if not codes:
        return np.empty((0, 2), dtype=np.int64)
    code = np.unique(np.concatenate(codes))
    pairs = np.stack([code // n, code % n], axis=1)
    return pairs[targets[pairs[:, 0]] | targets[pairs[:, 1]]]


def _bucket_pairs(key: np.ndarray, index: np.ndarray, n: int) -> list[np.ndarray]:
    """Pair codes i * n + j for all i < j of `index` with equal `key`."""
    order = np.argsort(key, kind="stable")
    key, index = key[order], index[order]
    if len(key) < 2:
        return []
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    sizes = np.diff(np.append(starts, len(key)))
    out = []
    two = starts[sizes == 2]
    if len(two):  # the common case, without a Python loop
        a, b = index[two], index[two + 1]
        out.append(np.minimum(a, b) * n + np.maximum(a, b))
    for start, size in zip(starts[sizes > 2], sizes[sizes > 2]):
        members = np.sort(index[start:start + size])
        i, j = np.triu_indices(size, 1)
        out.append(members[i] * n + members[j])
    return out


def estimated_similarity(signatures: np.ndarray, pairs: np.ndarray,
                         chunk: int = 65536) -> np.ndarray:
    """MinHash estimates of the Jaccard similarity of each pair."""
    out = np.empty(len(pairs), dtype=np.float64)
    for start in range(0, len(pairs), chunk):
        part = pairs[start:start + chunk]
        out[start:start + chunk] = (signatures[part[:, 0]] == signatures[part[:, 1]]).mean(axis=1)
    return out


def checked_signature(signature: np.ndarray, num_perm: int) -> np.ndarray:
    signature = np.asarray(signature, dtype=np.uint32)
    if signature.shape != (num_perm,):
        raise ValueError(f"signature has shape {signature.shape}, expected ({num_perm},)")
    return signature
