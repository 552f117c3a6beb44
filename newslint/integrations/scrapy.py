"""A Scrapy item pipeline that checks every scraped article with newslint.

    ITEM_PIPELINES = {"newslint.integrations.scrapy.NewslintPipeline": 300}
    NEWSLINT_DROP_ON = ["duplicate", "error"]
    NEWSLINT_INDEX = "redis://localhost:6379/0"   # shared by every crawler

Settings (all optional):
- NEWSLINT_ENABLED: False turns the pipeline off (`NotConfigured`).
- NEWSLINT_CONFIG: a newslint.toml or pyproject.toml to read settings from.
- NEWSLINT_SELECT, NEWSLINT_IGNORE: rule selectors (a list or "NL1,NL4").
- NEWSLINT_OPTIONS: per-rule options, {"NL401": {"threshold": 0.9}}.
- NEWSLINT_FIELDS: item field names, as `fields` in newslint.toml.
- NEWSLINT_DROP_ON: what drops an item: "error", "warning", "duplicate" or
  rule selectors. Default: nothing; items are only annotated.
- NEWSLINT_MIN_SCORE: drop items whose quality score (0-100) is lower.
- NEWSLINT_INDEX: the near-duplicate index: unset (in memory, this crawl
  only), a folder (kept between crawls) or redis://host:port/db (shared).
- NEWSLINT_FIELD: the item field kept items get the findings in (default
  "newslint"; None to write nothing). A `scrapy.Item` needs that field declared.

Stats: newslint/items, newslint/findings/<CODE>, newslint/duplicates,
newslint/dropped, newslint/dropped/<reason kind>, newslint/invalid,
newslint/index_errors. When the index cannot be reached (Redis went away),
`process_item` raises `IndexUnavailable`: Scrapy logs the error with the URL
and the item is neither exported nor passed as checked.
"""
from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from newslint.api.linter import InvalidItem, Linter
from newslint.config import ConfigError
from newslint.dedup.redis_index import IndexUnavailable

logger = logging.getLogger(__name__)
DEFAULT_FIELD = "newslint"


class NewslintPipeline:
    def __init__(self, linter: Linter, field: str | None = DEFAULT_FIELD, stats=None):
        self.linter = linter
        self.field = field or None
        self.stats = stats
        self._warned_field: set[type] = set()

    @classmethod
    def from_crawler(cls, crawler) -> "NewslintPipeline":
        settings = crawler.settings
        if not settings.getbool("NEWSLINT_ENABLED", True):
            raise NotConfigured("newslint: NEWSLINT_ENABLED is False")
        linter = Linter(
            config=settings.get("NEWSLINT_CONFIG") or None,
            select=settings.getlist("NEWSLINT_SELECT") or None,
            ignore=settings.getlist("NEWSLINT_IGNORE") or None,
            options=settings.getdict("NEWSLINT_OPTIONS") or None,
            index=settings.get("NEWSLINT_INDEX") or None,
            drop_on=settings.getlist("NEWSLINT_DROP_ON"),
            min_score=_min_score(settings.get("NEWSLINT_MIN_SCORE")),
            **({"fields": settings.getdict("NEWSLINT_FIELDS")} if settings.get("NEWSLINT_FIELDS") else {}))
        field = settings.get("NEWSLINT_FIELD", DEFAULT_FIELD)
        return cls(linter, field=field, stats=crawler.stats)

    def close_spider(self, spider=None) -> None:
        self.linter.close()

    def process_item(self, item: Any, spider=None) -> Any:
        adapter = ItemAdapter(item)
        self._inc("newslint/items")
        try:
            result = self.linter.check(adapter.asdict())
        except InvalidItem as exc:
            return self._invalid(item, adapter, exc)
        except IndexUnavailable:  # Scrapy logs it; the item goes no further
            self._inc("newslint/index_errors")
            raise
        for finding in result.findings:
            self._inc(f"newslint/findings/{finding.code}")
        if result.is_duplicate:
            self._inc("newslint/duplicates")
        if result.dropped:
            self._inc("newslint/dropped")
            for reason in result.drop_reasons:
                self._inc(f"newslint/dropped/{reason.kind}")
            raise DropItem(f"newslint: {result.id}: " + "; ".join(map(str, result.drop_reasons)))
        self._annotate(item, adapter, result.to_dict())
        return item

    def _invalid(self, item: Any, adapter: ItemAdapter, exc: InvalidItem) -> Any:
        """An item newslint cannot read as an article (no text): dropped when
        errors drop items, else passed on with the error in the field."""
        self._inc("newslint/invalid")
        if "error" in self.linter.policy.keywords or "warning" in self.linter.policy.keywords:
            self._inc("newslint/dropped")
            self._inc("newslint/dropped/invalid")
            raise DropItem(f"newslint: {exc}")
        self._annotate(item, adapter, {"error": str(exc)})
        return item

    def _annotate(self, item: Any, adapter: ItemAdapter, value: dict) -> None:
        if self.field is None:
            return
        try:
            adapter[self.field] = value
        except KeyError:
            if type(item) not in self._warned_field:
                self._warned_field.add(type(item))
                logger.warning("newslint: %s has no field %r: declare it (`%s = scrapy.Field()`) "
                               "or set NEWSLINT_FIELD = None", type(item).__name__, self.field,
                               self.field)

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


def _min_score(raw: Any) -> float | None:
    if raw in (None, ""):
        return None
    try:
        return float(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"NEWSLINT_MIN_SCORE must be a number, not {raw!r}") from None
