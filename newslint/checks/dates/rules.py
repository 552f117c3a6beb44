"""missing-date rules (NL301-NL399): no absolute publication date, or an
implausible one (see `publication.py` for where a date is looked for)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from newslint.checks.dates.publication import publication_date
from newslint.model import Article, Finding
from newslint.rule import ArticleRule, parse_examples
from newslint.text.dates import DateMatch


def _quote(items) -> str:
    texts = list(dict.fromkeys(i.text if isinstance(i, DateMatch) else i for i in items))
    return ", ".join(f"'{t}'" for t in texts[:3]) + (f" and {len(texts) - 3} more" if len(texts) > 3 else "")


class MissingDate(ArticleRule):
    code = "NL301"
    name = "missing-date"
    level = "warning"
    summary = "No absolute publication date in the metadata or near the top of the text."
    docs = {
        "what": "Flags articles with no publication date: none in the metadata (HTML meta tags, "
                "JSON-LD, `<time>`, front matter, JSON fields) and none in the title, the first "
                "five blocks (first 1,500 characters) or a dateline in the last two blocks. "
                "Recognised forms include ISO 8601, `Nov. 3, 2023`, `3 novembre 2023`, "
                "`3 ноября 2023`, `9 oktober 2020`, `24 نيسان / أبريل 2020`, Persian Solar Hijri "
                "`2 تیر 1399`, Thai Buddhist-era `21 ม.ค.2561`, `15 अगस्त 2020`, `03.11.2023`, "
                "`11/03/2023`, RFC 2822, `2023年11月6日` and `令和2年3月16日`, in any script's "
                "digits. A date in the prose (\"the lowest since 6 March 2002\") is an event's, "
                "not the publication date: only a dateline position counts. When "
                "only relative dates are found (\"Wednesday\", \"2 hours ago\", \"вчера\") the "
                "message quotes them. A metadata date newslint cannot read is not flagged.",
        "why": "An undated news article cannot be placed in time: readers, archives and "
               "deduplication need to know which of two versions came first, and a scraper that "
               "lost the date usually lost other page furniture too.",
        "example": "Putin and Xi held a video call Wednesday\n\nThe two leaders spoke ...",
        "fix": "Keep the publication date when scraping: a `date:` field in front matter, a "
               "JSON `date` field, or a dateline such as `Published: 2023-11-03` near the top.",
    }
    examples = parse_examples({
        "fail": ["Leaders hold talks\n\nThe two leaders met to discuss trade and security.",
                 "Leaders held a video call Wednesday\n\nThe two leaders discussed trade."],
        "pass": ["Leaders hold talks\n\nPublished: Nov. 3, 2023 5:04 PM ET\n\nThe leaders met.",
                 " date 2025-12-03 LEADERS HOLD TALKS\n\nThe two leaders met in Moscow.",
                 "Gipfel in Moskau\n\nMoskau, 3. November 2023. Die beiden trafen sich.",
                 {"text": "---\ntitle: Talks\ndate: 2023-11-03\n---\n\nThe leaders met.",
                  "format": "md"}],
    }, "NL301")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        found = publication_date(article)
        if found.iso or found.unreadable:
            return
        if not found.relative:
            yield self.finding(article, "no publication date in the metadata or near the top "
                               "(or in a dateline at the end) of the text")
            return
        first = found.relative[0]
        line, column = found.position(first)
        plural = "s" if len({getattr(r, "text", r) for r in found.relative}) > 1 else ""
        yield self.finding(article, f"no absolute publication date; only relative date{plural}: "
                           f"{_quote(found.relative)}", line=line, column=column,
                           data={"relative": [getattr(r, "text", r) for r in found.relative]})


class ImplausibleDate(ArticleRule):
    code = "NL302"
    name = "missing-date-implausible"
    level = "warning"
    summary = "The publication date is in the future or before 1990."
    docs = {
        "what": "Flags a publication date later than tomorrow or earlier than `min_year`: one "
                "from the metadata, or one in the text after a label (`Published:`, `Updated`, "
                "`Publié le` ...), in a wire dateline (`MOSCOW, 3 Nov 2023 —`) or on a line "
                "that is little more than the date. A date in a headline or in running prose may "
                "be the date of an event, so it is not flagged.",
        "why": "A future or very old date is usually a parsing slip (day and month swapped, a "
               "two-digit year, an event date taken for the publication date) and sorts the "
               "article into the wrong place.",
        "example": "Talks\n\nPublished: 12 March 1985\n\nThe leaders met.",
        "fix": "Correct the date in the source or in the scraper's date parsing.",
        "options": "`today` (an ISO date such as \"2024-05-01\") replaces the real date, for "
                   "reproducible runs; `min_year` is the earliest plausible year; "
                   "`max_days_ahead` how far in the future a date may be.",
    }
    options = {"today": None, "min_year": 1990, "max_days_ahead": 1}
    examples = parse_examples({
        "fail": ["Talks\n\nPublished: 12 March 1985\n\nThe leaders met in Moscow.",
                 "Talks\n\nPublished: 2150-01-01\n\nThe leaders met in Moscow."],
        "pass": ["Talks\n\nPublished: 12 March 2015\n\nThe leaders met in Moscow.",
                 ("Talks\n\nThe leaders met in Moscow, as they did on 12 March 1985 and again "
                  "after the treaty that both governments signed.")],
    }, "NL302")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        found = publication_date(article)
        if not found.iso or not found.dateline:
            return
        today = _today(options.get("today"))
        if today is None:
            yield self.finding(article, f"option 'today' must be a date such as \"2024-05-01\", "
                               f"not {options.get('today')!r}", level="error")
            return
        date = dt.date.fromisoformat(found.iso)
        where = "in the text" if found.source == "text" else f"in the metadata ({found.source})"
        if date > today + dt.timedelta(days=options["max_days_ahead"]):
            problem = f"is in the future (today is {today.isoformat()})"
        elif date.year < options["min_year"]:
            problem = f"is before {options['min_year']}"
        else:
            return
        line, column = found.position(found.match)
        yield self.finding(article, f"publication date {found.iso} {where} {problem}",
                           line=line, column=column, data={"date": found.iso})


def _today(value: object) -> dt.date | None:
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None
