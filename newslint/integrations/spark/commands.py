"""What `newslint spark check|dedup` does (newslint/cli/spark.py parses the
command line): read, run, write Parquet, and report as the CLI does."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from newslint.config import ConfigError, Settings
from newslint.integrations.spark.api import CLUSTER_COLUMNS, dedup_settings, dedup_source, lint_source
from newslint.integrations.spark.sources import Source, files, rows
from newslint.loaders.records import merge_fields
from newslint.model import InputError
from newslint.run.engine import Engine

SORT = ("path", "line", "column", "code", "message")   # Finding.sort_key


@dataclass
class Report:
    summary: str
    failed: bool
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def start(master: str | None) -> SparkSession:
    from newslint.integrations.spark.session import session
    try:
        return session(master)
    except Exception as exc:  # no Java, a bad master URL: say so in one line
        raise ConfigError(f"cannot start Spark (is Java 17+ installed? `java -version`): "
                          f"{' '.join(str(exc).split())[:300]}") from None


def input_kind(inputs: list[str], given: str) -> str:
    if given != "auto":
        return given
    first = inputs[0].rstrip("/")
    if first.endswith(".parquet") or (os.path.isdir(first) and any(
            name.endswith(".parquet") for name in os.listdir(first))):
        return "parquet"
    return "files"


def source_of(spark: SparkSession, inputs: list[str], kind: str, settings: Settings,
              args: Any, errors: list[InputError]) -> Source:
    if kind == "files":
        return files(spark, inputs, settings, Engine(settings).registry, errors)
    try:
        df = spark.read.parquet(*inputs)
    except Exception as exc:
        raise ConfigError(f"{', '.join(inputs)}: cannot read as Parquet: "
                          f"{' '.join(str(exc).split())[:300]}") from None
    id_column = args.id_column or next(
        (n for n in merge_fields(settings.fields)["id"] if n in df.columns), None)
    if id_column is None or id_column not in df.columns:
        raise ConfigError(f"{inputs[0]}: no id column {id_column or 'id'!r} (name one with "
                          f"--id-column; columns: {', '.join(df.columns)})")
    return rows(df, settings, id=id_column)


def _write(df: DataFrame, output: str, overwrite: bool) -> None:
    df.write.mode("overwrite" if overwrite else "errorifexists").parquet(output)


def _input_lines(spark_errors: DataFrame, local: list[InputError]) -> list[str]:
    found = [(e.path, e.line, e.message) for e in local]
    found += [(r.path, r.line, r.message) for r in spark_errors.collect()]
    return [f"{path}:{line}: {message}" if line else f"{path}: {message}"
            for path, line, message in sorted(found, key=lambda e: (e[0], e[1] or 0))]


def check(spark: SparkSession, inputs: list[str], kind: str, output: str, settings: Settings,
          args: Any) -> Report:
    local: list[InputError] = []
    source = source_of(spark, inputs, kind, settings, args, local)
    result = lint_source(source, settings, args.partitions)
    _write(result.findings.orderBy(*SORT), output, args.overwrite)
    written = spark.read.parquet(output)
    counts = {r.severity: r["count"] for r in written.groupBy("severity").count().collect()}
    errors = _input_lines(result.errors, local)
    articles = result.pipeline.articles.where(F.col("kind") == "a").count()
    total = sum(counts.values())
    summary = (f"Checked {articles:,} article{'s' * (articles != 1)}: {total:,} finding"
               f"{'s' * (total != 1)} ({counts.get('error', 0):,} errors, "
               f"{counts.get('warning', 0):,} warnings, {counts.get('info', 0):,} infos), "
               f"written to {output}.")
    failed = bool(errors) or bool(counts.get("error") or counts.get("warning"))
    return Report(summary, failed, errors, result.notices + result.pipeline.worker_notices())


def dedup(spark: SparkSession, inputs: list[str], kind: str, output: str, settings: Settings,
          args: Any) -> Report:
    local: list[InputError] = []
    settings = dedup_settings(settings, args.threshold)
    source = source_of(spark, inputs, kind, settings, args, local)
    clustered, pipeline, _ = dedup_source(source, settings, args.keep, args.partitions)
    columns = clustered.select(F.col("id").alias("__newslint_cid"), *CLUSTER_COLUMNS)
    if source.kind == "rows":
        table = source.original.join(columns, F.col(source.id_column).cast("string")
                                     == F.col("__newslint_cid"), "left")
    else:
        base = pipeline.articles.where(F.col("kind") == "a").select("id", "path", "record",
                                                                    "length")
        table = base.join(columns, F.col("id") == F.col("__newslint_cid"), "left")
    table = table.drop("__newslint_cid").fillna(False, subset=["drop"])
    _write(table, output, args.overwrite)
    written = spark.read.parquet(output)
    stats = written.agg(F.countDistinct("cluster").alias("clusters"),
                        F.count("cluster").alias("members"),
                        F.sum(F.col("drop").cast("long")).alias("drop"),
                        F.count("*").alias("articles")).collect()[0]
    errors = _input_lines(pipeline.errors(), local)
    summary = (f"{stats.clusters:,} cluster{'s' * (stats.clusters != 1)}, {stats.members:,} "
               f"articles in them, {stats.drop or 0:,} to drop (of {stats.articles:,} articles "
               f"checked), written to {output}.")
    return Report(summary, bool(errors) or stats.clusters > 0, errors,
                  pipeline.notices + pipeline.worker_notices())
