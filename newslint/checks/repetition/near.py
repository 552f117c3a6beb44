"""Near-copy paragraphs: pairs of blocks sharing most of their word k-grams
(`duplicate-paragraph-near`, and the near copies keyword stuffing sets aside).
A cheap test on the k-gram count bounds rules most articles out before the
k-grams are sorted."""
from __future__ import annotations

from collections import Counter

from newslint.checks.repetition.stats import WordGrams
from newslint.lazy import lazy_module

np = lazy_module("numpy")

#: a shingle shared by more paragraphs than this is a stock phrase: skipped when
#: pairing paragraphs, which keeps the pairing linear on pathological input
MAX_SHINGLE_PARAGRAPHS = 50


def near_copies(grams: WordGrams, candidates: frozenset[int], k: int = 2,
                threshold: float = 0.7) -> dict[int, tuple[float, int]]:
    """For each later candidate block, the earlier candidate block whose set of
    word k-grams is most similar to its own (Jaccard >= threshold)."""
    hashes = grams.hashes(k)
    if not len(hashes) or not candidates or not _pairable(grams, candidates, k, threshold):
        return {}
    start = grams.owner[:len(hashes)]
    is_candidate = np.zeros(int(grams.owner[-1]) + 1, bool)  # a lookup: np.isin costs much more
    is_candidate[list(candidates)] = True
    keep = (start == grams.owner[k - 1:]) & is_candidate[start]
    hashes, paras = hashes[keep], start[keep]
    # by shingle, then by paragraph: positions ascend and paragraphs with them,
    # so a stable sort by shingle alone gives lexsort((paras, hashes)), cheaper
    order = hashes.argsort(kind="stable")
    hashes, paras = hashes[order], paras[order]
    distinct = np.ones(len(hashes), bool)
    distinct[1:] = (hashes[1:] != hashes[:-1]) | (paras[1:] != paras[:-1])
    hashes, paras = hashes[distinct], paras[distinct]
    sizes = np.bincount(paras)
    shared = _in_several(hashes)
    # a block can only reach the threshold if that share of its shingles occur elsewhere
    possible = np.bincount(paras[shared], minlength=len(sizes)) >= threshold * np.maximum(sizes, 1)
    keep = shared & possible[paras]
    hashes, paras = hashes[keep], paras[keep]
    shared = _in_several(hashes)
    if not shared.any():
        return {}
    common: Counter[tuple[int, int]] = Counter()
    bounds = np.flatnonzero(np.diff(hashes[shared])) + 1
    for group in np.split(paras[shared], bounds):
        members = group.tolist()
        if len(members) <= MAX_SHINGLE_PARAGRAPHS:
            common.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    best: dict[int, tuple[float, int]] = {}
    for (a, b), count in common.items():
        similarity = count / (int(sizes[a]) + int(sizes[b]) - count)
        if similarity >= threshold and similarity > best.get(b, (0.0, 0))[0]:
            best[b] = (similarity, a)
    return best


def _pairable(grams: WordGrams, candidates: frozenset[int], k: int, threshold: float) -> bool:
    """Whether two candidate blocks or more could pass near_copies' test that
    `threshold` of a block's distinct shingles occur in another block (a pair
    needs two), from the shingle count bounds alone. A shingle shared with another block,
    or repeated inside the block, occurs twice in the text: if r of the block's
    m shingle positions hold such a shingle, at most r of its shingles are
    shared and at least m - r are distinct, so r < threshold * max(m - r, 1)
    rules it out."""
    edges, needs = [], []  # where each candidate's k-grams start and end, and its m
    start = 0
    for p in grams.paras:
        m = p.size - k + 1
        if m > 0 and p.index in candidates:
            edges += (start, start + m)
            needs.append(m)
        start += p.size
    if len(needs) < 2:
        return False
    often = grams.count_bounds(k) >= 2
    if edges[-1] == len(often):
        edges.pop()  # the last block's k-grams run to the end: reduceat's last sum
    # sums over [start, end) of each candidate, and over the gaps between them
    counts = np.add.reduceat(often, edges, dtype=np.intp).tolist()[::2]
    able = 0
    for m, r in zip(needs, counts):
        able += r >= threshold * max(m - r, 1)
    return able >= 2


def _in_several(ranked: np.ndarray) -> np.ndarray:
    """For sorted values: whether each value occurs more than once."""
    same = ranked[1:] == ranked[:-1]
    out = np.zeros(len(ranked), bool)
    out[1:] |= same
    out[:-1] |= same
    return out


TEMPLATE_FAMILY = 3  # this many paragraphs written on one template are a list
TEMPLATE_SIMILARITY = 0.8  # ... each at least this much of the threshold like another


def templated_lists(text, candidates: frozenset[int], k: int, threshold: float) -> set[int]:
    """Paragraphs of a list written on one template ("Faces Places is streaming on
    Netflix ...", "The Square is streaming on Hulu ..."): families of at least
    `TEMPLATE_FAMILY` paragraphs, each nearly like another, by union-find."""
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent.setdefault(i, i) != i:
            i = parent[i]
        return i
    for j, (_, i) in text.near_copies(candidates, k, threshold * TEMPLATE_SIMILARITY).items():
        parent[root(j)] = root(i)
    sizes: dict[int, int] = {}
    for i in parent:
        sizes[root(i)] = sizes.get(root(i), 0) + 1
    return {i for i in parent if sizes[root(i)] >= TEMPLATE_FAMILY}
