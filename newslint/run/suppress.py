"""In-article suppressions and per-file ignores, applied after every rule ran;
suppressions that suppressed nothing become `unused-suppression` findings."""
from __future__ import annotations

from typing import Callable

from newslint.model import Finding, Suppression
from newslint.registry import Registry
from newslint.run.selection import matches


def apply_suppressions(findings: list[Finding], suppressions: list[Suppression],
                       registry: Registry, report_unused: Callable[[Suppression, str], Finding] | None
                       ) -> list[Finding]:
    """Drop findings a suppression names; report each selector that named nothing."""
    if not suppressions:
        return findings
    used: set[tuple[int, str]] = set()
    kept = []
    for finding in findings:
        rule = registry.rules.get(finding.code)
        hit = None
        for i, sup in enumerate(suppressions):
            if not sup.covers(finding.line):
                continue
            for sel in sup.selectors:
                if rule is not None and matches([sel], rule):
                    hit = (i, sel)
                    used.add(hit)
        if hit is None:
            kept.append(finding)
    if report_unused is not None:
        for i, sup in enumerate(suppressions):
            for sel in sup.selectors:
                if (i, sel) not in used:
                    kept.append(report_unused(sup, sel))
    return kept
