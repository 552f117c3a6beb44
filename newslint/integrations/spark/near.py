"""Near-duplicate candidates and their verification, distributed.

As `dedup.matching` does in one process: articles with the same shingle set
(the same set key) are one group and only one copy of each set takes part;
LSH banding proposes candidate pairs of sets; pairs whose MinHash estimate is
more than `PREFILTER_SE` standard errors below the threshold are dropped; the
others are verified with the exact Jaccard similarity of the shingle sets.

- Banding is a shuffle: one row per (set, band) with its band key, a self-join
  on (band, key), so the sets of one bucket meet in one task (the candidate
  pairs of a bucket are all its pairs, as in `lsh.candidate_pairs`).
- Verification joins each distinct pair with both sets' signatures and
  shingle hashes, and computes estimate and Jaccard with the single-machine
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
    """(a, b, similarity, estimated) for the candidate pairs at or above the threshold."""
    pairs = candidate_pairs(usable)
    wanted = pairs.select(F.col("a").alias("sk")).union(pairs.select(F.col("b").alias("sk"))) \
        .distinct()
    sets = usable.join(wanted, "sk", "left_semi").dropDuplicates(["sk"]).select("sk", "sig", "sh")
    joined = pairs.join(sets.select(F.col("sk").alias("a"), F.col("sig").alias("sig_a"),
                                    F.col("sh").alias("sh_a")), "a") \
        .join(sets.select(F.col("sk").alias("b"), F.col("sig").alias("sig_b"),
                          F.col("sh").alias("sh_b")), "b")
    return joined.select("a", "b", "sig_a", "sig_b", "sh_a", "sh_b").mapInArrow(
        lambda batches: _verify(batches, threshold, num_perm), EDGES_DDL)


def _verify(batches: Iterator[pa.RecordBatch], threshold: float, num_perm: int
            ) -> Iterator[pa.RecordBatch]:
    from newslint.dedup.matching import PREFILTER_SE
    from newslint.dedup.minhash import standard_error
    from newslint.dedup.shingles import jaccard
    floor = threshold - PREFILTER_SE * standard_error(threshold, num_perm)
    for batch in batches:
        a, b = batch.column("a").to_pylist(), batch.column("b").to_pylist()
        out: dict[str, list] = {"a": [], "b": [], "sim": [], "est": []}
        if len(a):
            sig_a, sig_b = (_matrix(batch.column(name), "<u4") for name in ("sig_a", "sig_b"))
            estimates = (sig_a == sig_b).mean(axis=1)   # lsh.estimated_similarity, row by row
            for i in np.flatnonzero(estimates >= floor).tolist():
                similarity = jaccard(np.frombuffer(batch.column("sh_a")[i].as_py(), "<u8"),
                                     np.frombuffer(batch.column("sh_b")[i].as_py(), "<u8"))
                if similarity >= threshold:
                    for key, value in (("a", a[i]), ("b", b[i]), ("sim", similarity),
                                       ("est", False)):
                        out[key].append(value)
        yield pa.RecordBatch.from_pydict(out, schema=EDGES)


def _matrix(column: pa.Array, dtype: str) -> np.ndarray:
    rows = column.to_pylist()
    return np.frombuffer(b"".join(rows), dtype=dtype).reshape(len(rows), -1)
