"""What runs inside Spark's Python workers: one newslint engine per worker
process, and the conversions between Arrow record batches and newslint's
records (articles in, findings out).

Spark reuses a Python worker for many tasks (`spark.python.worker.reuse`,
on by default), so the engine (plugins, rules, compiled patterns) is built
once per process and kept here, keyed by the settings it was built from.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa

from newslint.config import Settings
from newslint.model import Article, Edit, Finding, Fix, InputError, LoadError
from newslint.run.engine import Engine

NEAR, LINES = "NL601", "NL120"   # the corpus rules the Spark mode distributes
_ENGINES: dict[str, Engine] = {}


@dataclass(frozen=True)
class Spec:
    """What a worker needs to build its engine: the settings (as JSON-safe
    values), which article rules run ("all", or only the "boilerplate" ones
    when a run needs no more than the lines they flag) and which corpus
    rules summarize."""

    settings: dict[str, Any]
    rules: str = "all"
    corpus: tuple[str, ...] = (NEAR, LINES)

    @classmethod
    def of(cls, settings: Settings, rules: str = "all",
           corpus: tuple[str, ...] = (NEAR, LINES)) -> "Spec":
        values = asdict(settings)
        values["root"] = str(settings.root)
        values["config_path"] = str(settings.config_path) if settings.config_path else None
        return cls(values, rules, tuple(corpus))

    def key(self) -> str:
        return json.dumps([self.settings, self.rules, self.corpus], sort_keys=True, default=str)


def settings_of(values: dict[str, Any]) -> Settings:
    known = {f.name for f in fields(Settings)}
    settings = Settings(**{k: v for k, v in values.items() if k in known})
    settings.root = Path(values["root"])
    settings.config_path = Path(values["config_path"]) if values.get("config_path") else None
    return settings


def engine_for(spec: Spec) -> Engine:
    """This process's engine for `spec` (built on first use)."""
    key = spec.key()
    engine = _ENGINES.get(key)
    if engine is None:
        engine = Engine(settings_of(spec.settings))
        if spec.rules == "boilerplate":
            engine.article_rules = list(engine.boilerplate_rules)
        engine.corpus_rules = [r for r in engine.corpus_rules if r.code in spec.corpus]
        _ENGINES[key] = engine
    engine.notices = []
    return engine


# -- articles in ---------------------------------------------------------------------------
#: the columns a row source passes besides the record's own fields
ROW_ID, ROW_PATH, ROW_LINE = "__newslint_id", "__newslint_path", "__newslint_line"


def row_articles(engine: Engine, batch: pa.RecordBatch, fields_map: dict[str, list[str]]
                 ) -> Iterator[Article | InputError]:
    """A DataFrame row is a record, as a line of a JSON Lines file is: its
    columns are the record's fields (named by `fields_map`, as `[fields]` in
    newslint.toml does). The article's id is the row id; its path is the
    `path` column when one is given, else the row id; its line is the `line`
    column when given (the record's line in a file), else lines are counted
    inside the text."""
    from dataclasses import replace

    from newslint.loaders.records import article_from_record
    for record in batch.to_pylist():
        row_id, path, line = record.pop(ROW_ID), record.pop(ROW_PATH), record.pop(ROW_LINE)
        if row_id is None:
            yield InputError(str(path or "(row)"), "row has no id")
            continue
        path = str(path) if path is not None else str(row_id)
        try:
            article = article_from_record(record, path, line, fields_map, "jsonl")
        except LoadError as exc:
            yield InputError(path, f"row {row_id}: {exc.message}", line)
            continue
        if article.id != row_id:
            article = replace(article, id=str(row_id))
        yield engine.enrich(article)


def file_articles(engine: Engine, batch: pa.RecordBatch, roots: list[tuple[str, str]]
                  ) -> Iterator[Article | InputError]:
    """Whole files (Spark's `binaryFile` rows: path, content), loaded by
    newslint's own loaders, so ids, lines and errors are those of `newslint
    check` on the same files. `roots` maps Spark's file URIs back to the paths
    as the user spelled them."""
    limit = engine.settings.max_file_size
    for uri, content in zip(batch.column("path").to_pylist(), batch.column("content").to_pylist()):
        path = display_path(uri, roots)
        if engine.registry.loader_for(path) is None:
            continue
        if len(content) > limit:
            yield InputError(path, f"file is {len(content):,} bytes, over the limit of "
                                   f"{limit:,} (setting max-file-size)")
            continue
        yield from engine.load(path, content)


def display_path(uri: str, roots: list[tuple[str, str]]) -> str:
    """A Spark file URI (`file:/abs/path`) as the user spelled the input."""
    local = uri[len("file://"):] if uri.startswith("file://") else \
        uri[len("file:"):] if uri.startswith("file:") else None
    if local is None:
        return uri
    for prefix, shown in roots:   # longest first
        if prefix.endswith("/") and local.startswith(prefix):
            return shown + local[len(prefix):]
        if local == prefix:
            return shown
    return local


# -- findings out --------------------------------------------------------------------------
FINDING_FIELDS = [("id", pa.string()), ("path", pa.string()), ("line", pa.int64()),
                  ("column", pa.int64()), ("end_line", pa.int64()), ("end_column", pa.int64()),
                  ("code", pa.string()), ("rule", pa.string()), ("severity", pa.string()),
                  ("message", pa.string()), ("fix", pa.string()), ("article", pa.string()),
                  ("data", pa.string())]
FINDINGS = pa.schema(FINDING_FIELDS)
FINDINGS_DDL = ("id string, path string, line long, column long, end_line long, "
                "end_column long, code string, rule string, severity string, message string, "
                "fix string, article string, data string")


def finding_batch(rows: list[tuple[str, Finding]]) -> pa.RecordBatch:
    """(article id, finding) pairs as a batch of FINDINGS: the fields of the
    JSON output, `fix` and `data` as JSON text."""
    cols: dict[str, list] = {name: [] for name, _ in FINDING_FIELDS}
    for article_id, f in rows:
        d = f.to_dict()
        cols["id"].append(article_id)
        for name in ("path", "line", "column", "end_line", "end_column", "code", "rule",
                     "severity", "message", "article"):
            cols[name].append(d.get(name))
        cols["fix"].append(json.dumps(d["fix"], ensure_ascii=False) if "fix" in d else None)
        cols["data"].append(json.dumps(d["data"], ensure_ascii=False) if "data" in d else None)
    return pa.RecordBatch.from_pydict(cols, schema=FINDINGS)


def finding_to_json(f: Finding) -> str:
    return json.dumps(f.to_dict(), ensure_ascii=False)


def finding_from_dict(d: dict[str, Any]) -> Finding:
    fix = d.get("fix")
    if fix is not None:
        fix = Fix(tuple(Edit(e["start"], e["end"], e["text"]) for e in fix["edits"]),
                  fix["description"], fix["safe"])
    return Finding(d["path"], d["line"], d["column"], d["end_line"], d["end_column"], d["code"],
                   d["rule"], d["severity"], d["message"], fix, d.get("article"),
                   tuple(sorted(d.get("data", {}).items())))


def row_to_dict(row: dict[str, Any]) -> dict[str, Any]:
    """A FINDINGS row (a dict) as `Finding.to_dict()` gives it (the JSON output)."""
    out = {k: row[k] for k in ("path", "line", "column", "end_line", "end_column", "code",
                               "rule", "severity", "message")}
    if row.get("article") is not None:
        out["article"] = row["article"]
    if row.get("fix") is not None:
        out["fix"] = json.loads(row["fix"])
    if row.get("data") is not None:
        out["data"] = json.loads(row["data"])
    return out
