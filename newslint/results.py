"""What checking produces, per article, per file and per run (how a file's
result is stored in the cache: `payload`)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from newslint.model import SEVERITIES, Finding, InputError, Metadata, Suppression
from newslint.rule import ArticleRef, Rule

#: What a finding of each level costs the quality score.
SCORE_WEIGHTS = {"error": 20, "warning": 8, "info": 2}
#: A rule costs the score at most this many times per article.
SCORE_MAX_PER_RULE = 3


def quality_score(findings: Iterable[Finding]) -> int:
    """100 minus 20 per error, 8 per warning and 2 per info finding, each rule
    counted at most 3 times (its costliest findings), never below 0.
    Deterministic: the order of the findings does not matter."""
    costs: dict[str, list[int]] = {}
    for finding in findings:
        costs.setdefault(finding.code, []).append(SCORE_WEIGHTS.get(finding.severity, 0))
    penalty = sum(sum(sorted(c, reverse=True)[:SCORE_MAX_PER_RULE]) for c in costs.values())
    return max(0, 100 - penalty)


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
    #: not read (an OS error, over the size limit): the cause may lie outside
    #: the file, so no result that includes this one is remembered
    unread: bool = False


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
        return self.fails("warning")

    def fails(self, level: str = "warning") -> bool:
        """An unreadable input, or a finding of `level` or above (--fail-level)."""
        wanted = SEVERITIES[:SEVERITIES.index(level) + 1]  # error, warning, info
        return bool(self.errors) or any(f.severity in wanted for f in self.findings)

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
