"""The drop policy of the library API and the Scrapy pipeline: what makes a
pipeline drop an article. The quality score itself is `results.quality_score`
(re-exported here), so the HTML report computes the same number."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from newslint.api.result import CheckResult, DropReason
from newslint.config import ConfigError
from newslint.model import Finding
from newslint.results import SCORE_MAX_PER_RULE, SCORE_WEIGHTS, quality_score  # noqa: F401
from newslint.run.selection import check_selectors, matches

if TYPE_CHECKING:
    from newslint.run.engine import Engine

DROP_KEYWORDS = ("error", "warning", "duplicate")


class DropPolicy:
    """`drop_on`: "error" (a finding of level error), "warning" (of level
    warning or error), "duplicate" (a near-duplicate of an article seen
    before), or rule selectors ("NL101", "boilerplate") whose findings drop
    the article; `min_score`: drop below this quality score."""

    def __init__(self, drop_on: Iterable[str], min_score: int | float | None, engine: Engine):
        if isinstance(drop_on, str):
            drop_on = [drop_on]
        self.keywords = {d.lower() for d in drop_on if d.lower() in DROP_KEYWORDS}
        self.selectors = [d for d in drop_on if d.lower() not in DROP_KEYWORDS]
        check_selectors(self.selectors, engine.registry, "drop_on")
        if min_score is not None and (isinstance(min_score, bool)
                                      or not isinstance(min_score, (int, float))
                                      or not 0 <= min_score <= 100):
            raise ConfigError(f"min_score must be a number from 0 to 100, not {min_score!r}")
        self.min_score = min_score
        self.registry = engine.registry

    def reasons(self, result: CheckResult) -> list[DropReason]:
        out = []
        if "duplicate" in self.keywords and result.duplicates:
            other, similarity = result.duplicates[0]
            out.append(DropReason("duplicate", f"near-duplicate of {other} (similarity {similarity:.2f})"))
        levels = {"error"} if "warning" not in self.keywords else {"error", "warning"}
        if self.keywords & {"error", "warning"}:
            for level in ("error", "warning"):
                hits = [f for f in result.findings if f.severity == level and level in levels]
                if hits:
                    out.append(DropReason(level, _describe(hits)))
        for selector in self.selectors:
            hits = [f for f in result.findings if f.code in self.registry.rules
                    and matches([selector], self.registry.rules[f.code])]
            if hits:
                out.append(DropReason(selector, _describe(hits)))
        if self.min_score is not None and result.score < self.min_score:
            out.append(DropReason("score", f"quality score {result.score} is below {self.min_score}"))
        return out


def _describe(findings: list[Finding]) -> str:
    rules = sorted({f"{f.code} {f.rule}" for f in findings})
    count = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    return f"{count} ({', '.join(rules)})"
