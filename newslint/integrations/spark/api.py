"""`lint` and `dedup` over a DataFrame (and over files, for `newslint spark`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from newslint.config import ConfigError, Settings, load_settings, settings_from_dict
from newslint.dedup.clusters import KEEP_POLICIES
from newslint.integrations.spark.pipeline import Pipeline
from newslint.integrations.spark.sources import Source, rows
from newslint.integrations.spark.worker import LINES, NEAR

CLUSTER_COLUMNS = ("cluster", "drop", "duplicate_of", "similarity")


@dataclass
class LintResult:
    findings: DataFrame     # FINDINGS: id + the fields of the JSON output
    errors: DataFrame       # path, line, message: inputs that could not be read
    pipeline: Pipeline
    notices: list[str] = field(default_factory=list)


def make_settings(config: str | Path | None = None, select: Iterable[str] | None = None,
                  ignore: Iterable[str] | None = None, extend_select: Iterable[str] | None = None,
                  options: Mapping[str, Mapping[str, Any]] | None = None,
                  settings: Settings | None = None) -> Settings:
    """The settings of a run: `config` (a newslint.toml or pyproject.toml; none:
    the defaults), then the selectors and per-rule options given."""
    base = settings or (load_settings(Path(config)) if config is not None else Settings())
    given: dict[str, Any] = {}
    for name, value in (("select", select), ("ignore", ignore), ("extend_select", extend_select)):
        if value is not None:
            given[name] = [value] if isinstance(value, str) else list(value)
    if options:
        given["rules"] = {k: dict(v) for k, v in options.items()}
    checked = settings_from_dict(given, "newslint.integrations.spark")
    for key in given:
        value = getattr(checked, key)
        setattr(base, key, {**base.rules, **value} if key == "rules" else value)
    base.cache = False
    return base


def lint(df: DataFrame, text: str | list[str] | None = None, title: str | list[str] | None = None,
         url: str | list[str] | None = None, date: str | list[str] | None = None, *,
         id: str = "id", path: str | None = None, line: str | None = None,
         config: str | Path | None = None, select: Iterable[str] | None = None,
         ignore: Iterable[str] | None = None, extend_select: Iterable[str] | None = None,
         options: Mapping[str, Mapping[str, Any]] | None = None, partitions: int | None = None,
         **fields: str | list[str] | None) -> DataFrame:
    """The findings of `newslint check` for the articles in `df`, one row per
    finding: `id` (the row's id) and the fields of the JSON output (`fix` and
    `data` as JSON text). Columns: `text=`, `title=`, `url=`, `date=` and the
    other record fields (`authors`, `outlet`, `language`, `disable`) name the
    columns (default: `[fields]` of the config, then the loader's defaults:
    text/content/body..., title/headline...). Rows that are not articles (no
    text) are left out; `lint_result` gives them as errors."""
    settings = make_settings(config, select, ignore, extend_select, options)
    source = rows(df, settings, id=id, path=path, line=line, text=text, title=title, url=url,
                  date=date, **fields)
    return lint_source(source, settings, partitions).findings


def lint_source(source: Source, settings: Settings, partitions: int | None = None) -> LintResult:
    pipeline = Pipeline(source, settings, partitions=partitions)
    corpus = pipeline.repeated_lines().unionByName(_near_findings(pipeline.clustered()))
    return LintResult(pipeline.findings(corpus), pipeline.errors(), pipeline, pipeline.notices)


def dedup(df: DataFrame, threshold: float | None = None, keep: str = "first", *, id: str = "id",
          text: str | list[str] | None = None, path: str | None = None, line: str | None = None,
          config: str | Path | None = None, select: Iterable[str] | None = None,
          ignore: Iterable[str] | None = None, extend_select: Iterable[str] | None = None,
          options: Mapping[str, Mapping[str, Any]] | None = None, partitions: int | None = None,
          **fields: str | list[str] | None) -> DataFrame:
    """`df` with four columns more: `cluster` (the id of the cluster's first
    article in path order; null outside clusters), `drop` (true for every
    member but the one kept), `duplicate_of` (the kept article's id) and
    `similarity` (verified Jaccard similarity to the kept article when the two
    match directly, else to the article's closest match). `keep` chooses the
    article kept as `newslint dedup --keep` does: first, longest or best."""
    settings = dedup_settings(make_settings(config, select, ignore, extend_select, options),
                              threshold)
    source = rows(df, settings, id=id, path=path, line=line, text=text, **fields)
    clustered, _, _ = dedup_source(source, settings, keep, partitions)
    return df.join(clustered.select(F.col("id").alias("__newslint_cid"), *CLUSTER_COLUMNS),
                   F.col(id).cast("string") == F.col("__newslint_cid"), "left") \
        .drop("__newslint_cid").fillna(False, subset=["drop"])


def dedup_settings(settings: Settings, threshold: float | None) -> Settings:
    """As `newslint dedup`: clusters among the input, NL601 selected, the threshold given."""
    settings.corpus = []
    settings.extend_select = [*settings.extend_select, NEAR]
    if threshold is not None:
        settings.rules = {**settings.rules, NEAR: {**settings.rules.get(NEAR, {}),
                                                   "threshold": float(threshold)}}
    return settings


def dedup_source(source: Source, settings: Settings, keep: str = "first",
                 partitions: int | None = None) -> tuple[DataFrame, Pipeline, DataFrame | None]:
    """(CLUSTERED rows, the pipeline, the findings when keep="best" computed them)."""
    if keep not in KEEP_POLICIES:
        raise ConfigError(f"keep must be one of {', '.join(KEEP_POLICIES)}, not {keep!r}")
    best = keep == "best"
    pipeline = Pipeline(source, settings, rules="all" if best else "boilerplate",
                        corpus=(NEAR, LINES) if best else (NEAR,), partitions=partitions)
    if NEAR not in pipeline.codes:
        raise ConfigError("rule near-duplicate (NL601) is switched off (see the ignore setting)")
    findings = problems = None
    if best:
        findings = pipeline.findings(pipeline.repeated_lines())
        problems = findings.where(F.col("severity").isin("warning", "error")) \
            .groupBy("id").agg(F.count("*").alias("problems"))
    return pipeline.clustered(keep, problems), pipeline, findings


def _near_findings(clustered: DataFrame) -> DataFrame:
    return clustered.where(F.col("finding").isNotNull()).select("id", "finding")
