"""SARIF 2.1.0 for GitHub code scanning."""
from __future__ import annotations

import hashlib
import json
from urllib.parse import quote
from typing import IO, Any

from newslint.results import RunResult
from newslint.text.safe import file_name_bytes
from newslint.version import __version__

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
HELP_URI = "https://github.com/newslint/newslint#rules"


def format_sarif(result: RunResult, stream: IO[str], options: dict[str, Any]) -> None:
    json.dump(sarif_log(result), stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def sarif_log(result: RunResult) -> dict[str, Any]:
    rules = sorted({r.code: r for r in result.rules}.values(), key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(rules)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "newslint", "version": __version__, "informationUri": HELP_URI,
                "rules": [_rule(r) for r in rules],
            }},
            "results": [_result(f, index) for f in result.findings],
            "invocations": [{
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": e.message},
                     "locations": [_location(e.path, e.line or 1, 1, e.line or 1, 1)]}
                    for e in result.errors],
            }],
        }],
    }


def _rule(rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.docs.get("what", rule.summary)},
        "help": {"text": rule.doc_markdown(), "markdown": rule.doc_markdown()},
        "defaultConfiguration": {"level": LEVELS[rule.level]},
        "properties": {"tags": [rule.name.split("-")[0]]},
    }


def _result(f, index: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.code,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": f.message},
        "locations": [_location(f.path, f.line, f.column, f.end_line, f.end_column)],
        "partialFingerprints": {"primaryLocationLineHash": _fingerprint(f)},
    }
    if f.code in index:
        out["ruleIndex"] = index[f.code]
    if f.article:
        out["properties"] = {"article": f.article}
    return out


def _location(path: str, line: int, column: int, end_line: int, end_column: int) -> dict[str, Any]:
    region = {"startLine": max(line, 1), "startColumn": max(column, 1),
              "endLine": max(end_line, line, 1)}
    if end_column > 1 and end_line >= line:
        region["endColumn"] = end_column
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(path)},
                                 "region": region}}


def _fingerprint(f) -> str:
    """Stable across line moves: rule, file and the finding's message."""
    digest = hashlib.sha256(f"{f.code}\0{f.path}\0{f.article or ''}\0{f.message}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"{digest[:16]}:1"


def _uri(path: str) -> str:
    """A relative URI reference (RFC 3986): the file name's bytes
    percent-encoded, `/` kept."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return quote(file_name_bytes(path), safe="/")
