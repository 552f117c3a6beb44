"""What checking produces, per article, per file and per run, and how a file's
result is stored in the cache (JSON, never pickle)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .model import Edit, Finding, Fix, InputError, Metadata, Suppression
from .rule import ArticleRef, Rule


@dataclass
class ArticleResult:
    ref: ArticleRef
    findings: list[Finding]
    suppressions: list[Suppression]
    summaries: dict[str, bytes]
    meta: Metadata


@dataclass
class FileResult:
    path: str
    articles: list[ArticleResult] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)

    def to_payload(self) -> dict[str, Any]:
        return {"errors": [e.to_dict() for e in self.errors], "articles": [
            {"ref": a.ref.to_dict(), "findings": [f.to_dict() for f in a.findings],
             "suppressions": [[list(s.selectors), s.line] for s in a.suppressions],
             "meta": a.meta.to_dict()} for a in self.articles]}

    @classmethod
    def from_payload(cls, path: str, payload: dict[str, Any],
                     summaries: dict[str, dict[str, bytes]], target: bool) -> "FileResult":
        articles = []
        for item in payload["articles"]:
            ref = ArticleRef(**{**item["ref"], "is_target": target})
            meta = item["meta"]
            articles.append(ArticleResult(
                ref=ref, findings=[finding_from_dict(f) for f in item["findings"]],
                suppressions=[Suppression(tuple(s), line) for s, line in item["suppressions"]],
                summaries=summaries.get(ref.id, {}),
                meta=Metadata(**{**meta, "authors": tuple(meta.get("authors") or ())})))
        errors = [InputError(e["path"], e["message"], e.get("line")) for e in payload["errors"]]
        return cls(path, articles, errors)


def finding_from_dict(d: dict[str, Any]) -> Finding:
    fix = None
    if d.get("fix"):
        f = d["fix"]
        fix = Fix(tuple(Edit(e["start"], e["end"], e["text"]) for e in f["edits"]),
                  f["description"], f["safe"])
    return Finding(d["path"], d["line"], d["column"], d["end_line"], d["end_column"], d["code"],
                   d["rule"], d["severity"], d["message"], fix, d.get("article"),
                   tuple(sorted((d.get("data") or {}).items())))


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    files: int = 0
    articles: int = 0
    fixed: int = 0
    metadata: dict[str, Metadata] = field(default_factory=dict)  # article id -> detected metadata
    outlets: dict[str, str] = field(default_factory=dict)        # article id -> outlet/site
    notices: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Exit 1: a finding of level warning or error, or an unreadable input."""
        return bool(self.errors) or any(f.severity in ("error", "warning") for f in self.findings)

    def summary(self) -> dict[str, Any]:
        by_rule = Counter(f"{f.code} {f.rule}" for f in self.findings)
        by_severity = Counter(f.severity for f in self.findings)
        return {"files": self.files, "articles": self.articles, "findings": len(self.findings),
                "errors": len(self.errors), "fixed": self.fixed,
                "by_severity": dict(sorted(by_severity.items())),
                "by_rule": dict(sorted(by_rule.items()))}

    def by_outlet(self) -> dict[str, int]:
        counts = Counter(self.outlets.get(f.article or f.path) or "(unknown)" for f in self.findings)
        return dict(counts.most_common())
