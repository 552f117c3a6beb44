"""Where the articles come from: the rows of a DataFrame (one article per row,
as JSON records), or files read whole by Spark (`binaryFile`) and loaded by
newslint's own loaders, as `newslint check` loads them."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from newslint.config import ConfigError, Settings
from newslint.integrations.spark.worker import ROW_ID, ROW_LINE, ROW_PATH
from newslint.loaders.records import merge_fields
from newslint.model import InputError

FIELD_KEYS = ("text", "title", "date", "authors", "url", "outlet", "language", "disable")


@dataclass
class Source:
    frame: DataFrame
    kind: str            # "rows" or "files"
    layout: Any          # rows: the field names; files: (absolute prefix, shown prefix) pairs
    id_column: str | None = None   # rows: the input's id column
    original: DataFrame | None = None   # rows: the DataFrame as given


def rows(df: DataFrame, settings: Settings, id: str = "id", path: str | None = None,
         line: str | None = None, **fields: str | list[str] | None) -> Source:
    """A DataFrame whose rows are articles. `fields` name the columns of each
    record field (`text="body"`, or a list: the first non-empty wins), over
    `[fields]` of the settings and the loader's defaults."""
    columns = set(df.columns)
    for name, value in (("id", id), ("path", path), ("line", line)):
        if value is not None and value not in columns:
            raise ConfigError(f"{name} column {value!r} is not in the DataFrame "
                              f"(columns: {', '.join(df.columns)})")
    given = {k: ([v] if isinstance(v, str) else list(v)) for k, v in fields.items()
             if v is not None}
    unknown = sorted(set(given) - set(FIELD_KEYS))
    if unknown:
        raise ConfigError(f"unknown field {unknown[0]!r} (known: {', '.join(FIELD_KEYS)})")
    names = merge_fields({**settings.fields, **given})
    wanted = sorted({n for key in FIELD_KEYS for n in names[key] if n in columns})
    if not any(n in columns for n in names["text"]):
        raise ConfigError(f"no text column: looked for {', '.join(names['text'])} "
                          f"(columns: {', '.join(df.columns)})")
    frame = df.select(F.col(id).cast("string").alias(ROW_ID),
                      (F.col(path).cast("string") if path else F.lit(None).cast("string"))
                      .alias(ROW_PATH),
                      (F.col(line).cast("long") if line else F.lit(None).cast("long"))
                      .alias(ROW_LINE), *[F.col(n) for n in wanted])
    return Source(frame, "rows", {key: list(value) for key, value in names.items()}, id, df)


def files(spark: SparkSession, paths: Iterable[str], settings: Settings, registry,
          errors: list[InputError]) -> Source:
    """Files and folders: local ones are found as `newslint check` finds them
    (same walk, exclude globs, spelling of paths); others (s3a://, hdfs://...)
    are listed by Spark, recursively, keeping the extensions newslint reads."""
    from newslint.run.files import discover
    local, remote, roots = [], [], []
    for raw in paths:
        if "://" in raw and not raw.startswith("file://"):
            remote.append(raw)
            continue
        found = list(discover([raw], settings, registry, errors))
        local += [os.path.abspath(p) for p in found]
        absolute = os.path.abspath(raw)
        if Path(raw).is_dir():
            shown = "" if str(Path(raw)) == "." else os.path.join(str(Path(raw)), "")
            roots.append((os.path.join(absolute, ""), shown))
        else:
            roots.append((absolute, str(Path(raw))))
    roots.sort(key=lambda r: -len(r[0]))
    reader = spark.read.format("binaryFile")
    frames = []
    if local:
        frames.append(reader.load(local))
    if remote:
        frames.append(reader.option("recursiveFileLookup", "true").load(remote))
    if not frames:
        schema = "path string, modificationTime timestamp, length long, content binary"
        frames.append(spark.createDataFrame([], schema))
    frame = frames[0] if len(frames) == 1 else frames[0].unionByName(frames[1])
    return Source(frame.select("path", "content"), "files", roots)
