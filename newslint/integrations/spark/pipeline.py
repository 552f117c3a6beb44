"""The distributed run, step by step (see the package docstring)."""
from __future__ import annotations

import json
from typing import Iterator

import pyarrow as pa
from pyspark import StorageLevel
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from newslint.config import ConfigError, Settings
from newslint.integrations.spark.articles import ARTICLES_DDL, stage_articles
from newslint.integrations.spark.clusters import CLUSTERED_DDL, assemble
from newslint.integrations.spark.components import components
from newslint.integrations.spark.lines import CORPUS_FINDINGS_DDL, repeated_line_findings
from newslint.integrations.spark.near import verified_edges
from newslint.integrations.spark.sources import Source
from newslint.integrations.spark.worker import (
    FINDINGS_DDL,
    LINES,
    NEAR,
    Spec,
    engine_for,
    finding_batch,
    finding_from_dict,
)
from newslint.model import Metadata, Suppression
from newslint.results import ArticleResult
from newslint.rule import ArticleRef, RuleDefinitionError
from newslint.run.engine import Engine

PARTITIONS_PER_CORE = 4   # stage 1 is CPU-bound: small tasks balance the cores


class Pipeline:
    """One run over one source: stage 1 once (kept with MEMORY_AND_DISK, as
    every later step reads it), then what `lint` or `dedup` needs of it."""

    def __init__(self, source: Source, settings: Settings, rules: str = "all",
                 corpus: tuple[str, ...] = (NEAR, LINES), partitions: int | None = None):
        try:
            engine = Engine(settings)
        except RuleDefinitionError as exc:
            raise ConfigError(str(exc)) from None
        self.notices = [f"corpus rule {r.code} ({r.name}) is not distributed: skipped"
                        for r in engine.corpus_rules if r.code not in (NEAR, LINES)]
        self.codes = tuple(r.code for r in engine.corpus_rules if r.code in corpus)
        self.options = {code: engine.options[code] for code in self.codes}
        self.rules = {code: engine.registry.rules[code] for code in self.codes}
        _check_options(self.rules, self.options)
        self.spec = Spec.of(settings, rules, self.codes)
        frame = source.frame
        spark = frame.sparkSession
        wanted = partitions or spark.sparkContext.defaultParallelism * PARTITIONS_PER_CORE
        if frame.rdd.getNumPartitions() < wanted:
            frame = frame.repartition(wanted)
        spec, kind, layout = self.spec, source.kind, source.layout
        self.articles = frame.mapInArrow(
            lambda batches: stage_articles(batches, spec, kind, layout), ARTICLES_DDL) \
            .persist(StorageLevel.MEMORY_AND_DISK)
        # computed now, in one job: the later queries run several jobs at once
        # (adaptive execution), and each would otherwise wait for, or start
        # Python workers for, the same per-article stage
        self.rows = self.articles.count()

    # -- what stage 1 gave besides articles -----------------------------------------------
    def errors(self) -> DataFrame:
        return self.articles.where(F.col("kind") == "e").select("path", "line", "message")

    def worker_notices(self) -> list[str]:
        return [r.message for r in self.articles.where(F.col("kind") == "n")
                .select("message").collect()]

    # -- corpus rules ---------------------------------------------------------------------
    def repeated_lines(self) -> DataFrame:
        if LINES not in self.codes:
            return self._no_findings()
        return repeated_line_findings(self.articles, self.spec, self.options[LINES],
                                      self.rules[LINES])

    def clustered(self, keep: str = "first", problems: DataFrame | None = None) -> DataFrame:
        """CLUSTERED rows: every article in a near-duplicate cluster, with its
        NL601 finding; `problems` (id, problems) for keep="best"."""
        spark = self.articles.sparkSession
        if NEAR not in self.codes:
            return spark.createDataFrame([], CLUSTERED_DDL)
        options = self.options[NEAR]
        usable = self.articles.where(F.col("sk").isNotNull())
        edges = verified_edges(usable, options["threshold"], options["num_perm"]) \
            .localCheckpoint()
        labels = components(edges.select(F.col("a").alias("u"), F.col("b").alias("v")))
        members = usable.select("id", "path", "record", "line", "length", "sk", "th")
        if problems is not None:
            members = members.join(problems, "id", "left")
        else:
            members = members.withColumn("problems", F.lit(0).cast("long"))
        members = members.join(labels.select(F.col("node").alias("sk"), "root"), "sk", "left") \
            .withColumn("comp", F.coalesce("root", "sk"))
        groups = members.groupBy("comp").agg(
            F.collect_list(F.struct("id", "path", "record", "line", "length", "sk", "th",
                                    "problems")).alias("members"),
            F.count("*").alias("size")).where(F.col("size") >= 2)
        linked = edges.join(labels.select(F.col("node").alias("a"), F.col("root").alias("comp")),
                            "a").groupBy("comp").agg(
            F.collect_list(F.struct("a", "b", "sim", "est")).alias("edges"))
        spec = self.spec
        return groups.join(linked, "comp", "left").select("comp", "members", "edges") \
            .mapInArrow(lambda batches: assemble(batches, spec, keep), CLUSTERED_DDL)

    # -- the end: every article's findings, suppressions applied ---------------------------
    def findings(self, corpus_findings: DataFrame) -> DataFrame:
        grouped = corpus_findings.groupBy("id").agg(F.collect_list("finding").alias("corpus"))
        articles = self.articles.where(F.col("kind") == "a") \
            .select("id", "path", "record", "line", "length", "findings", "sups")
        spec = self.spec
        return articles.join(grouped, "id", "left").mapInArrow(
            lambda batches: _final(batches, spec), FINDINGS_DDL)

    def _no_findings(self) -> DataFrame:
        return self.articles.sparkSession.createDataFrame([], CORPUS_FINDINGS_DDL)

    def close(self) -> None:
        self.articles.unpersist()


def _check_options(rules: dict, options: dict) -> None:
    """The corpus rules' options, checked on the driver (a one-line error)."""
    for code, rule in rules.items():
        try:
            rule.check_options(options[code])
        except ValueError as exc:
            raise ConfigError(f"{rule.name}: {exc}") from None


def _final(batches: Iterator[pa.RecordBatch], spec: Spec) -> Iterator[pa.RecordBatch]:
    from newslint.run.runner import final_findings
    engine = engine_for(spec)
    for batch in batches:
        out = []
        for row in batch.to_pylist():
            ref = ArticleRef(row["id"], row["path"], row["record"], row["line"], True, None,
                             row["length"])
            item = ArticleResult(
                ref=ref, findings=[finding_from_dict(d) for d in json.loads(row["findings"])],
                suppressions=[Suppression(**{**s, "selectors": tuple(s["selectors"])})
                              for s in json.loads(row["sups"])],
                summaries={}, meta=Metadata())
            corpus = [finding_from_dict(json.loads(f)) for f in row["corpus"] or ()]
            out += [(ref.id, f) for f in final_findings(engine, item, item.findings + corpus)]
        yield finding_batch(out)
