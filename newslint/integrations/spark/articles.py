"""Stage 1, per article, in the Spark workers: load, run the article rules,
and summarize for the corpus rules. One output row per article (kind "a"),
per input error ("e") and per notice ("n"):

- the article: id, path, record, line (where whole-article findings point),
  length (characters of body text);
- its article-rule findings and suppressions (JSON), applied at the end, when
  the corpus findings are known;
- NL120 (repeated template lines): the line hashes, numbers and lengths of
  `RepeatedLine.summarize`, and the hash of the article's site;
- NL601 (near-duplicates): the key of the exact shingle set, the hash of the
  normalised text, the MinHash signature (the single-machine one, bit for
  bit: the same `NearDuplicate.sketch`), its LSH band keys and the sorted
  shingle hashes (to verify candidate pairs exactly).
"""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, Iterator

import numpy as np
import pyarrow as pa

from newslint.integrations.spark.worker import (
    LINES,
    NEAR,
    Spec,
    engine_for,
    file_articles,
    finding_to_json,
    row_articles,
)
from newslint.model import Article, InputError
from newslint.run.engine import Engine, article_ref

_I64 = pa.int64()
ARTICLES = pa.schema([
    ("kind", pa.string()), ("id", pa.string()), ("path", pa.string()), ("record", _I64),
    ("line", _I64), ("length", _I64), ("message", pa.string()),
    ("findings", pa.string()), ("sups", pa.string()),
    ("lh", pa.list_(_I64)), ("ll", pa.list_(_I64)), ("lc", pa.list_(_I64)), ("site", _I64),
    ("sk", _I64), ("th", _I64), ("sig", pa.binary()), ("bands", pa.list_(_I64)),
    ("sh", pa.binary())])
ARTICLES_DDL = ("kind string, id string, path string, record long, line long, length long, "
                "message string, findings string, sups string, lh array<long>, "
                "ll array<long>, lc array<long>, site long, sk long, th long, sig binary, "
                "bands array<long>, sh binary")


def signed(values: np.ndarray) -> list[int]:
    """uint64 values as the int64 Spark stores (the same 64 bits)."""
    return np.asarray(values, dtype=np.uint64).view(np.int64).tolist()


def stage_articles(batches: Iterator[pa.RecordBatch], spec: Spec, source: str,
                   layout: Any) -> Iterator[pa.RecordBatch]:
    """mapInArrow: input batches (rows, or binaryFile rows) -> ARTICLES batches."""
    engine = engine_for(spec)
    near = _near_rule(engine)
    for batch in batches:
        items = row_articles(engine, batch, layout) if source == "rows" \
            else file_articles(engine, batch, layout)
        rows = []
        for item in items:
            if isinstance(item, InputError):
                rows.append({"kind": "e", "path": item.path, "line": item.line,
                             "message": item.message})
            else:
                rows.append(article_row(engine, item, near))
        rows += [{"kind": "n", "message": notice} for notice in engine.notices]
        engine.notices = []
        if near is not None:
            add_band_keys(rows, near)
        yield pa.RecordBatch.from_pylist(rows, schema=ARTICLES)


def _near_rule(engine: Engine):
    rule = next((r for r in engine.corpus_rules if r.code == NEAR), None)
    return (rule, engine.options[NEAR]) if rule is not None else None


def article_row(engine: Engine, article: Article, near) -> dict[str, Any]:
    findings = engine.check_article(article)
    ref = article_ref(article)
    row: dict[str, Any] = {
        "kind": "a", "id": ref.id, "path": ref.path, "record": ref.record, "line": ref.line,
        "length": ref.length, "findings": "[" + ",".join(map(finding_to_json, findings)) + "]",
        "sups": json.dumps([asdict(s) for s in article.suppressions])}
    if not engine.corpus_rules:
        return row
    engine.mark_boilerplate(article, findings)
    lines = engine.registry.rules.get(LINES)
    if lines is not None and lines in engine.corpus_rules:
        decoded = _summary(engine, article, lambda: lines.lines_of(
            lines.summarize(article, engine.options[LINES])), LINES)
        if decoded is not None:
            row["lh"], row["ll"], row["lc"] = (signed(decoded[0]), decoded[1].tolist(),
                                               decoded[2].tolist())
            row["site"] = signed(np.array([decoded[3]], np.uint64))[0]
    if near is not None:
        sketch = _summary(engine, article, lambda: near[0].sketch(article, near[1]), NEAR)
        if sketch is not None and len(sketch[0]) >= near[1]["min_shingles"]:
            _add_sketch(row, *sketch)
    return row


def _summary(engine: Engine, article: Article, call, code: str):
    try:
        return call()
    except Exception as exc:  # as Engine.summarize: a notice, the run goes on
        engine.notices.append(f"{article.id}: rule {code} could not summarize: {exc!r}")
        return None


def _add_sketch(row: dict[str, Any], shingles, blob: bytes) -> None:
    from newslint.dedup.matching import set_keys
    from newslint.dedup.minhash import decode
    summary = decode(blob)
    row["sk"] = signed(set_keys(np.array([summary.set_hash], np.uint64),
                                np.array([summary.shingles])))[0]
    row["th"] = signed(np.array([summary.text_hash], np.uint64))[0]
    row["sig"] = summary.signature.astype("<u4").tobytes()
    row["sh"] = shingles.hashes.astype("<u8").tobytes()


def add_band_keys(rows: list[dict[str, Any]], near) -> None:
    """The LSH band keys of the batch's signatures, in one numpy call
    (`lsh.band_keys`, as the single-machine run computes them)."""
    from newslint.dedup.lsh import band_keys, band_params
    with_sig = [row for row in rows if row.get("sig") is not None]
    if not with_sig:
        return
    options = near[1]
    bands, per_band = band_params(options["threshold"], options["num_perm"])
    matrix = np.frombuffer(b"".join(row["sig"] for row in with_sig), dtype="<u4")
    keys = band_keys(matrix.reshape(len(with_sig), -1), bands, per_band)
    for row, column in zip(with_sig, np.ascontiguousarray(keys.T).view(np.int64).tolist()):
        row["bands"] = column
