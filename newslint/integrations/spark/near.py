"""Near-duplicate candidates and their verification, distributed.

As `dedup.matching` does in one process: articles with the same shingle set
(the same set key) are one group and only one copy of each set takes part;
LSH banding proposes candidate pairs of sets; pairs whose MinHash estimate is
more than `PREFILTER_SE` standard errors below the threshold are dropped; the
others are verified with the exact Jaccard similarity of the shingle sets.

- Banding is a shuffle: one row per (set, band) with its band key, a self-join
  on (band, key), so the sets of one bucket meet in one task (the candidate
  pairs of a bucket are all its pairs, as in `lsh.candidate_pairs`).
- Verification joins each distinct pair with both sets' signatures first
  (512 bytes each) and keeps the pairs the prefilter keeps, then joins those
  with both shingle sets; estimate and Jaccard come from the single-machine
  functions (`lsh`, `shingles.jaccard`), so every edge is the one the
  single-machine run finds.
"""
from __future__ import annotations

from typing import Iterator

import numpy as np
import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

EDGES_DDL = "a long, b long, sim double, est boolean"
EDGES = pa.schema([("a", pa.int64()), ("b", pa.int64()), ("sim", pa.float64()),
                   ("est", pa.bool_())])


def candidate_pairs(usable: DataFrame) -> DataFrame:
    """Distinct (a, b) set keys, a < b, that share at least one LSH band key."""
    bands = usable.select("sk", F.posexplode("bands").alias("band", "key")).distinct()
    left, right = bands.alias("l"), bands.alias("r")
    return left.join(right, (F.col("l.band") == F.col("r.band"))
                     & (F.col("l.key") == F.col("r.key")) & (F.col("l.sk") < F.col("r.sk"))) \
        .select(F.col("l.sk").alias("a"), F.col("r.sk").alias("b")).distinct()


def verified_edges(usable: DataFrame, threshold: float, num_perm: int) -> DataFrame:
    """(a, b, similarity, estimated) for the candidate pairs at or above the
    threshold. The 512-byte signatures are joined first and the pairs the
    MinHash prefilter drops go; only the others get both shingle sets."""
    pairs = candidate_pairs(usable)
    signatures = usable.join(_keys_of(pairs), "sk", "left_semi").dropDuplicates(["sk"]) \
        .select("sk", "sig")
    likely = _both(pairs, signatures, "sig").mapInArrow(
        lambda batches: _prefilter(batches, threshold, num_perm), "a long, b long")
    sets = usable.join(_keys_of(likely), "sk", "left_semi").dropDuplicates(["sk"]) \
        .select("sk", "sh")
    return _both(likely, sets, "sh").mapInArrow(
        lambda batches: _verify(batches, threshold), EDGES_DDL)


def _keys_of(pairs: DataFrame) -> DataFrame:
    return pairs.select(F.col("a").alias("sk")).union(pairs.select(F.col("b").alias("sk"))) \
        .distinct()


def _both(pairs: DataFrame, table: DataFrame, column: str) -> DataFrame:
    """`pairs` (a, b) with `column` of `table` (sk, column) for a and for b."""
    return pairs.join(table.select(F.col("sk").alias("a"), F.col(column).alias(f"{column}_a")),
                      "a") \
        .join(table.select(F.col("sk").alias("b"), F.col(column).alias(f"{column}_b")), "b") \
        .select("a", "b", f"{column}_a", f"{column}_b")


def _prefilter(batches: Iterator[pa.RecordBatch], threshold: float, num_perm: int
               ) -> Iterator[pa.RecordBatch]:
    """The pairs whose MinHash estimate is within PREFILTER_SE standard errors
    of the threshold (`matching.group_edges`)."""
    from newslint.dedup.matching import PREFILTER_SE
    from newslint.dedup.minhash import standard_error
    floor = threshold - PREFILTER_SE * standard_error(threshold, num_perm)
    for batch in batches:
        keep: list[int] = []
        if batch.num_rows:
            sig_a, sig_b = (_matrix(batch.column(name), "<u4") for name in ("sig_a", "sig_b"))
            estimates = (sig_a == sig_b).mean(axis=1)   # lsh.estimated_similarity, row by row
            keep = np.flatnonzero(estimates >= floor).tolist()
        yield pa.RecordBatch.from_pydict(
            {"a": batch.column("a").take(keep), "b": batch.column("b").take(keep)},
            schema=pa.schema([("a", pa.int64()), ("b", pa.int64())]))


def _verify(batches: Iterator[pa.RecordBatch], threshold: float) -> Iterator[pa.RecordBatch]:
    """Exact Jaccard similarity of the shingle sets; the pairs at or above the threshold."""
    from newslint.dedup.shingles import jaccard
    for batch in batches:
        out: dict[str, list] = {"a": [], "b": [], "sim": [], "est": []}
        sets_a, sets_b = batch.column("sh_a").to_pylist(), batch.column("sh_b").to_pylist()
        for a, b, set_a, set_b in zip(batch.column("a").to_pylist(), batch.column("b").to_pylist(),
                                      sets_a, sets_b):
            similarity = jaccard(np.frombuffer(set_a, "<u8"), np.frombuffer(set_b, "<u8"))
            if similarity >= threshold:
                for key, value in (("a", a), ("b", b), ("sim", similarity), ("est", False)):
                    out[key].append(value)
        yield pa.RecordBatch.from_pydict(out, schema=EDGES)


def _matrix(column: pa.Array, dtype: str) -> np.ndarray:
    rows = column.to_pylist()
    return np.frombuffer(b"".join(rows), dtype=dtype).reshape(len(rows), -1)
