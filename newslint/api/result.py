"""What the library API tells about one checked article."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newslint.model import Article, Finding, Metadata


@dataclass(frozen=True, slots=True)
class DropReason:
    """Why an article was dropped. `kind` is "duplicate", "error", "warning",
    "score", or the rule selector from `drop_on` that matched (e.g. "NL101")."""

    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


@dataclass
class CheckResult:
    """What `Linter.check` found out about one article."""

    id: str
    findings: list[Finding]
    metadata: Metadata
    score: int
    duplicates: list[tuple[str, float]] = field(default_factory=list)  # (id, similarity)
    dropped: bool = False
    drop_reasons: list[DropReason] = field(default_factory=list)
    article: Article | None = field(default=None, repr=False)

    @property
    def is_duplicate(self) -> bool:
        return bool(self.duplicates)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready): what the Scrapy pipeline writes on an item."""
        meta = self.metadata
        return {"id": self.id, "score": self.score,
                "findings": [f.to_dict() for f in self.findings],
                "duplicates": [{"id": i, "similarity": round(s, 4)} for i, s in self.duplicates],
                "metadata": {"date": meta.date, "date_source": meta.date_source,
                             "authors": list(meta.authors), "outlet": meta.outlet,
                             "url": meta.url, "language": meta.language},
                "dropped": self.dropped, "drop_reasons": [str(r) for r in self.drop_reasons]}
