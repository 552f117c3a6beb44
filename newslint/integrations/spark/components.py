"""Connected components of a graph held as a DataFrame of edges, with the
alternating large-star / small-star algorithm of Kiveris, Lattanzi,
Mirrokni, Rastogi and Vassilvitskii, "Connected Components in MapReduce and
Beyond" (SoCC 2014): O(log^2 n) rounds of joins and aggregations, no state
on the driver. Each node ends up linked to the smallest node of its
component.

- large-star: every node u links each neighbour v > u to m(u), the smallest
  of u and its neighbours;
- small-star: every node u links itself and each neighbour v < u to m(u),
  the smallest of u and its smaller neighbours.
The rounds stop when the edges form stars around their smallest node: no
node is both a leaf and a centre, and no leaf has two centres.
"""
from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

MAX_ROUNDS = 64


def _large_star(edges: DataFrame) -> DataFrame:
    both = edges.select(F.col("u").alias("x"), F.col("v").alias("y")) \
        .union(edges.select(F.col("v").alias("x"), F.col("u").alias("y")))
    low = both.groupBy("x").agg(F.least(F.min("y"), F.col("x")).alias("m"))
    return both.join(low, "x").where(F.col("y") > F.col("x")) \
        .select(F.col("y").alias("u"), F.col("m").alias("v")).distinct()


def _small_star(edges: DataFrame) -> DataFrame:
    down = edges.select(F.greatest("u", "v").alias("x"), F.least("u", "v").alias("y"))
    low = down.groupBy("x").agg(F.min("y").alias("m"))
    leaves = down.join(low, "x").select(F.col("y").alias("u"), F.col("m").alias("v"))
    centres = low.select(F.col("x").alias("u"), F.col("m").alias("v"))
    return leaves.union(centres).where(F.col("u") != F.col("v")).distinct()


def _is_star_forest(edges: DataFrame) -> bool:
    """Every edge (leaf u, centre v) with v < u, each leaf once, no centre a
    leaf: one aggregation (one job) per round."""
    down = edges.select(F.greatest("u", "v").alias("leaf"), F.least("u", "v").alias("centre"))
    roles = down.select(F.col("leaf").alias("node"), F.lit(1).alias("as_leaf"),
                        F.lit(0).alias("as_centre")) \
        .union(down.select(F.col("centre").alias("node"), F.lit(0), F.lit(1)))
    wrong = roles.groupBy("node").agg(F.sum("as_leaf").alias("l"), F.sum("as_centre").alias("c")) \
        .where((F.col("l") > 1) | ((F.col("l") == 1) & (F.col("c") > 0)))
    return wrong.limit(1).count() == 0


def components(edges: DataFrame) -> DataFrame:
    """(node, root): each node of `edges` (columns u, v) with the smallest node
    of its connected component."""
    current = edges.select("u", "v").where(F.col("u") != F.col("v")).localCheckpoint()
    rounds = 0
    while not _is_star_forest(current):
        rounds += 1
        if rounds > MAX_ROUNDS:  # pragma: no cover - it converges in O(log^2 n) rounds
            raise RuntimeError(f"connected components did not converge in {MAX_ROUNDS} rounds")
        current = _small_star(_large_star(current)).localCheckpoint()
    down = current.select(F.greatest("u", "v").alias("node"), F.least("u", "v").alias("root"))
    return down.union(down.select(F.col("root").alias("node"), "root")).distinct()
