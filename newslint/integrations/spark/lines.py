"""Corpus-learned boilerplate (NL120, `boilerplate-repeated-line`) as a
distributed aggregation: the same decisions as `RepeatedLine.report`, with
the counts made by Spark instead of numpy in one process.

1. every summarized body line becomes a row (article, site, line hash,
   number, length);
2. distinct articles per line hash over the corpus, and per (line hash, site)
   within the site (a shuffle by hash), and the number of articles per site;
3. per article, how much of its text it shares with other articles (lines
   found in two or more): a copy is not a template user;
4. a line is reported when it occurs in `RepeatedLine.articles_needed`
   articles of the corpus (and has enough words), or else in
   max(`site_min_articles`, `site_min_fraction` of the site) articles of its
   own site (a site smaller than `site_min_articles` never), in an article that
   is a template user; the finding is worded by the rule itself.
"""
from __future__ import annotations

from typing import Iterator

import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from newslint.integrations.spark.worker import LINES, Spec, engine_for, finding_to_json
from newslint.rule import ArticleRef

ELIGIBLE = 1 << 31          # the high bits of a summarized line number (repeated_lines)
SITE_ELIGIBLE = 1 << 30
MAX_LINE = SITE_ELIGIBLE - 1
CORPUS_FINDINGS_DDL = "id string, finding string"
CORPUS_FINDINGS = pa.schema([("id", pa.string()), ("finding", pa.string())])


def repeated_line_findings(articles: DataFrame, spec: Spec, options: dict, rule) -> DataFrame:
    """(id, finding JSON) of NL120 over the stage-1 `articles`."""
    summarized = articles.where(F.col("lh").isNotNull())
    total = summarized.count()
    needed = rule.articles_needed(total, options)
    spark = articles.sparkSession
    if total < min(needed, options["site_min_articles"]):
        return spark.createDataFrame([], CORPUS_FINDINGS_DDL)
    lines = summarized.select("id", "site", F.explode(F.arrays_zip("lh", "ll", "lc")).alias("x")) \
        .select("id", "site", F.col("x.lh").alias("h"), F.col("x.ll").alias("n"),
                F.col("x.lc").alias("c"))
    site_size = summarized.groupBy("site").agg(F.count("*").alias("size"))
    counted = lines.join(_shared(lines, "h", "found"), "h", "left") \
        .withColumn("hs", F.col("h").bitwiseXOR(F.col("site")))
    counted = counted.join(_shared(counted, "hs", "site_found"), "hs", "left") \
        .join(site_size, "site").fillna(1, subset=["found", "site_found"])
    per_article = counted.groupBy("id").agg(
        F.sum(F.when(F.col("found") >= 2, F.col("c")).otherwise(0)).alias("shared"),
        F.sum("c").alias("chars"))
    users = per_article.where(F.col("shared").cast("double")
                              <= F.lit(float(options["max_shared_text"]))
                              * F.col("chars").cast("double")).select("id")
    site_needed = F.greatest(F.lit(options["site_min_articles"]).cast("double"),
                             F.ceil(F.lit(float(options["site_min_fraction"]))
                                    * F.col("size").cast("double")).cast("double"))
    corpus_hit = (F.col("found") >= needed) & (F.col("n").bitwiseAND(ELIGIBLE) != 0)
    site_hit = (F.col("size") >= options["site_min_articles"]) \
        & (F.col("site_found").cast("double") >= site_needed) \
        & (F.col("n").bitwiseAND(SITE_ELIGIBLE) != 0) & ~corpus_hit
    hits = counted.where(corpus_hit | site_hit).join(users, "id", "left_semi").select(
        "id", "n", F.when(corpus_hit, F.col("found")).otherwise(F.col("site_found")).alias("k"),
        F.when(corpus_hit, F.lit(f"{total:,} articles"))
        .otherwise(F.concat(F.format_number("size", 0), F.lit(" articles of its site")))
        .alias("of"))
    refs = articles.where(F.col("kind") == "a").select("id", "path", "record",
                                                       F.col("line").alias("ref_line"))
    hits = hits.join(refs, "id").select("id", "path", "record", "ref_line", "n",
                                        F.col("k").alias("found"), "of")
    return hits.mapInArrow(lambda batches: _findings(batches, spec), CORPUS_FINDINGS_DDL)


def _shared(lines: DataFrame, key: str, name: str) -> DataFrame:
    """(key, distinct articles with it) for the keys found in two or more."""
    return lines.select(key, "id").distinct().groupBy(key) \
        .agg(F.count("*").alias(name)).where(F.col(name) >= 2)


def _findings(batches: Iterator[pa.RecordBatch], spec: Spec) -> Iterator[pa.RecordBatch]:
    engine = engine_for(spec)
    rule = engine.registry.rules[LINES]
    for batch in batches:
        ids, found = [], []
        for row in batch.to_pylist():
            ref = ArticleRef(row["id"], row["path"], row["record"], row["ref_line"], True)
            ids.append(row["id"])
            found.append(finding_to_json(rule.line_finding(ref, row["n"] & MAX_LINE,
                                                           row["found"], row["of"])))
        yield pa.RecordBatch.from_pydict({"id": ids, "finding": found}, schema=CORPUS_FINDINGS)
