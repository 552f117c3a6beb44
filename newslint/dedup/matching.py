"""From per-article summaries to verified near-duplicate matches.

1. Articles with identical shingle sets (same count and set fingerprint) are
   grouped; only one representative per group goes through LSH, so a corpus
   holding 1,000 copies of one text costs one entry, not 500,000 pairs.
2. LSH banding proposes candidate pairs of representatives (at least one
   side holding a target); their MinHash estimates drop the hopeless ones
   (estimate more than 3 standard errors below the threshold).
3. The remaining pairs are verified: exact Jaccard similarity of the shingle
   sets, which are loaded again (`verify.ExactSets`). Only when an article
   cannot be reloaded exactly is the estimate used, and the match says so.
   A verified similarity is remembered in the cache (`PairMemo`), so the next
   run reads only the articles of pairs it has not seen.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from newslint.dedup.lsh import (
    band_keys,
    band_params,
    candidate_pairs,
    estimated_similarity,
)
from newslint.dedup.minhash import (
    HEADER,
    SUMMARY_VERSION,
    Summary,
    decode,
    standard_error,
)
from newslint.dedup.shingles import jaccard
from newslint.rule import ArticleRef, Memo

MAX_MATCHES = 50       # partners kept per article (the most similar first)
PREFILTER_SE = 3.0     # candidates estimated this many standard errors below the threshold go
_COUNT_MIX = np.uint64(0xD6E8FEB86659FD93)

ExactSetLoader = Callable[[dict[str, tuple[str, Summary]]], dict[str, np.ndarray]]


@dataclass(frozen=True)
class Match:
    other: int           # position of the other article in the caller's list
    similarity: float    # Jaccard similarity of the shingle sets
    exact: bool          # the same normalised text
    estimated: bool      # a MinHash estimate: the articles could not be re-read


@dataclass
class Corpus:
    """The summaries that take part, as arrays (row k is the caller's `index[k]`)."""

    index: np.ndarray        # int64[n]
    signatures: np.ndarray   # uint32[n, num_perm] (little-endian; may be a strided view)
    set_key: np.ndarray      # uint64[n]: set fingerprint mixed with the shingle count
    text_hash: np.ndarray    # uint64[n]
    targets: np.ndarray      # bool[n]


def load_corpus(blobs: Sequence[bytes], targets: Sequence[bool], num_perm: int,
                min_shingles: int) -> Corpus:
    """The usable summaries, read with numpy: blobs of one length (nearly all
    have the same) are joined and viewed as a table of headers and signatures."""
    sizes = getattr(blobs, "lengths", None)  # a packed sequence tells them without copies
    lengths = np.array(sizes(), dtype=np.int64) if sizes is not None else \
        np.fromiter(map(len, blobs), dtype=np.int64, count=len(blobs))
    low = int(lengths.min()) if len(lengths) else 0
    parts = [part for length in (np.flatnonzero(np.bincount(lengths - low)) + low).tolist()
             if (part := _same_length(blobs, np.flatnonzero(lengths == length), length,
                                      num_perm, min_shingles)) is not None]
    if len(parts) == 1:   # the usual case: no copy
        index, heads, signatures = parts[0]
    else:
        index = np.concatenate([p[0] for p in parts] or [np.empty(0, np.int64)])
        order = np.argsort(index, kind="stable")
        index = index[order]
        heads = np.concatenate([p[1] for p in parts] or [np.empty(0, HEADER)])[order]
        signatures = np.concatenate([p[2] for p in parts] or [np.empty((0, num_perm), "<u4")])
        signatures = signatures[order]
    return Corpus(index=index, signatures=signatures,
                  set_key=set_keys(heads["set_hash"], heads["shingles"]), text_hash=heads["text_hash"].astype(np.uint64),
                  targets=np.asarray(targets, dtype=bool)[index])


def set_keys(set_hashes: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """uint64 keys of shingle sets: the set fingerprint mixed with the shingle
    count (equal keys: the same set)."""
    with np.errstate(over="ignore"):
        return np.asarray(set_hashes, np.uint64) ^ (np.asarray(counts).astype(np.uint64)
                                                     * _COUNT_MIX)


def _same_length(blobs: Sequence[bytes], index: np.ndarray, length: int, num_perm: int,
                 min_shingles: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(positions, headers, signatures) of the usable blobs at `index`, all `length` long."""
    width = 4 * num_perm
    skipped = (length - HEADER.itemsize - width) // 4
    if skipped < 0 or HEADER.itemsize + 4 * skipped + width != length:
        return None
    joined = getattr(blobs, "joined", None)  # packed: the buffer itself when index is all
    table = np.frombuffer(joined(index) if joined is not None else
                          b"".join([blobs[i] for i in index]), dtype="<u4")
    table = table.reshape(len(index), length // 4)
    heads = np.ascontiguousarray(table[:, :HEADER.itemsize // 4]).view(HEADER).reshape(-1)
    usable = (heads["version"] == SUMMARY_VERSION) & (heads["num_perm"] == num_perm) \
        & (heads["skipped"] == skipped) & (heads["shingles"] >= min_shingles)
    signatures = table[:, -num_perm:]  # a view: the header and skipped lines are 4-byte units
    if not usable.all():
        index, heads, signatures = index[usable], heads[usable], signatures[usable]
    return index, heads, signatures


def find_matches(refs: Sequence[ArticleRef], blobs: Sequence[bytes], threshold: float,
                 num_perm: int, min_shingles: int, exact_sets: ExactSetLoader,
                 memo: PairMemo | None = None) -> dict[int, tuple[int, list[Match]]]:
    """{position of a target in `refs`: (number of matches, the first MAX_MATCHES,
    most similar first)}. `memo` remembers verified similarities between runs."""
    corpus = load_corpus(blobs, [r.is_target for r in refs], num_perm, min_shingles)
    if len(corpus.index) < 2:
        return {}
    _, reps, group = np.unique(corpus.set_key, return_index=True, return_inverse=True)
    group_targets = np.zeros(len(reps), dtype=bool)
    np.logical_or.at(group_targets, group, corpus.targets)

    def load_sets(rows: set[int]) -> dict[int, np.ndarray]:
        wanted = {refs[corpus.index[row]].id: (refs[corpus.index[row]].path,
                                               decode(blobs[corpus.index[row]])) for row in rows}
        found = exact_sets(wanted)
        return {row: found[refs[corpus.index[row]].id] for row in rows
                if refs[corpus.index[row]].id in found}

    edges = group_edges(corpus, reps, group_targets, threshold, num_perm, load_sets, memo)
    return matches_per_target(corpus, group, group_targets, edges)


def group_edges(corpus: Corpus, reps: np.ndarray, group_targets: np.ndarray, threshold: float,
                num_perm: int, load_sets: Callable[[set[int]], dict[int, np.ndarray]],
                memo: PairMemo | None = None) -> list[tuple[int, int, float, bool]]:
    """Verified (group, group, similarity, estimated) edges at or above the threshold."""
    bands, rows = band_params(threshold, num_perm)
    keys = band_keys(corpus.signatures, bands, rows)[:, reps]  # keys of all, then pick: no copy
    pairs = candidate_pairs(keys, group_targets)                # of the signatures themselves
    estimates = estimated_similarity(corpus.signatures, reps[pairs])
    likely = estimates >= threshold - PREFILTER_SE * standard_error(threshold, num_perm)
    pairs, estimates = pairs[likely], estimates[likely]
    names = memo.names(corpus.set_key[reps[pairs]]) if memo is not None else [None] * len(pairs)
    known = memo.recall(names) if memo is not None else {}
    unknown = {int(reps[g]) for name, pair in zip(names, pairs.tolist()) if name not in known
               for g in pair}
    sets = load_sets(unknown) if unknown else {}
    edges, learned = [], {}
    for (g1, g2), estimate, name in zip(pairs.tolist(), estimates.tolist(), names):
        a, b = sets.get(int(reps[g1])), sets.get(int(reps[g2]))
        if name in known:
            similarity, estimated = known[name], False
        elif a is not None and b is not None:
            similarity, estimated = jaccard(a, b), False
            learned[name] = similarity
        else:
            similarity, estimated = estimate, True
        if similarity >= threshold:
            edges.append((g1, g2, similarity, estimated))
    if memo is not None:
        memo.learn(learned)
    return edges


class PairMemo:
    """Exact similarities verified in earlier runs. A pair is named by the
    two shingle sets' fingerprints (`Corpus.set_key`: the hash of the
    normalised text and the shingle count) and the shingle sizes, so a name
    stands for one pair of shingle sets: its Jaccard similarity never changes,
    and an edited article gets a new name. This spares a warm rerun reading
    the articles of every candidate pair again."""

    def __init__(self, store: Memo, k_words: int, k_chars: int):
        self.store = store
        self.prefix = f"{k_words}/{k_chars}:"

    def names(self, set_keys: np.ndarray) -> list[str]:
        """One name per row of uint64[n, 2] set keys (the pair in either order)."""
        ordered = np.sort(set_keys, axis=1).tolist() if len(set_keys) else []
        return [f"{self.prefix}{a:016x}{b:016x}" for a, b in ordered]

    def recall(self, names: list[str]) -> dict[str, float]:
        return self.store.get_many(names) if names else {}

    def learn(self, values: dict[str, float]) -> None:
        if values:
            self.store.put_many(values)


def matches_per_target(corpus: Corpus, group: np.ndarray, group_targets: np.ndarray,
                       edges: list[tuple[int, int, float, bool]]
                       ) -> dict[int, tuple[int, list[Match]]]:
    """{position of a target: (number of matches, the first MAX_MATCHES of them)}."""
    order = np.argsort(group, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(group, minlength=len(group_targets)))))

    def members(g: int) -> np.ndarray:  # rows of group g, in input order
        return order[bounds[g]:bounds[g + 1]]
    neighbours: dict[int, list[tuple[int, float, bool]]] = {}
    for g1, g2, similarity, estimated in edges:
        neighbours.setdefault(g1, []).append((g2, similarity, estimated))
        neighbours.setdefault(g2, []).append((g1, similarity, estimated))
    copies = np.flatnonzero((np.diff(bounds) > 1) & group_targets).tolist()
    out: dict[int, tuple[int, list[Match]]] = {}
    for g in sorted(set(copies) | {g for g in neighbours if group_targets[g]}):
        rows, linked = members(g), neighbours.get(g, [])
        total = len(rows) - 1 + sum(len(members(other)) for other, _, _ in linked)
        for row in rows[corpus.targets[rows]]:
            found = [Match(int(corpus.index[m]), 1.0,
                           bool(corpus.text_hash[m] == corpus.text_hash[row]), False)
                     for m in rows[:MAX_MATCHES + 1] if m != row]
            for other, similarity, estimated in linked:
                found += [Match(int(corpus.index[m]), similarity, False, estimated)
                          for m in members(other)[:MAX_MATCHES]]
            found.sort(key=lambda m: (-m.similarity, not m.exact, m.other))
            out[int(corpus.index[row])] = (total, found[:MAX_MATCHES])
    return out
