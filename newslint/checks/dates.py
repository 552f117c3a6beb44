"""missing-date rules (NL301-NL399), and the enricher that puts the
publication date found in an article's text into `article.meta`.

Where a date comes from, first match wins: the metadata (HTML meta tags,
JSON-LD, `<time>`, front matter, JSON fields), normalised to ISO; else a
dateline in the title or the first blocks ("Published: Nov. 3, 2023", a short
line holding a date, " date 2025-12-03" glued to a headline); else a dateline
in the last blocks; else a date in the prose of the first blocks, if it could
be a publication date (1990 to tomorrow).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import regex

from ..datefind import (
    ArticleText,
    DateMatch,
    find_dates,
    find_relative,
    parse_date,
    top_and_tail,
)
from ..hookspecs import hookimpl
from ..model import Article, Finding
from ..rule import ArticleRule, parse_examples

TOP_BLOCKS, TOP_CHARS, TAIL_BLOCKS, TAIL_CHARS = 5, 1500, 2, 400
SHORT_LINE = 100  # a line this short holding a date is a dateline
BARE_LINE = 25  # ... and one with this little besides the date is certainly one
WIRE_DATELINE_RE = regex.compile(r"^[^\n]{0,30}$")  # "MOSCOW, 3 Nov 2023 —": a short lead-in
DASH_AFTER_RE = regex.compile(r"[ \t,]*[—–-]")
EARLIEST_PROSE_YEAR = 1990
LABEL_RE = regex.compile(
    r"(?<!\w)(?:published|updated|posted|dated?|first published|veröffentlicht|aktualisiert|stand"
    r"|publié|mis à jour|publicado|actualizado|опубликовано|обновлено|дата)(?!\w)[^.!?\n]{0,30}$",
    regex.IGNORECASE)


@dataclass(frozen=True)
class DateEvidence:
    """What an article says about its publication date.

    `iso` is the date (None if there is none), `source` where it came from
    ("text" or the metadata's `date_source`), `match` the text match when it came
    from the text, `dateline` whether it certainly is a publication date
    (`is_dateline(strict=True)`; always True for metadata), `relative` the
    relative-only dates seen when there is no absolute one (`meta_relative` those
    in an unreadable metadata value), and `unreadable` a metadata value that is
    neither.
    """

    iso: str | None = None
    source: str | None = None
    match: DateMatch | None = None
    dateline: bool = False
    meta_relative: tuple[str, ...] = ()
    unreadable: str | None = None
    scan: ArticleText | None = field(default=None, compare=False)
    language: str | None = field(default=None, compare=False)

    @cached_property
    def relative(self) -> tuple[DateMatch | str, ...]:
        """Looked for in the text only when asked: of the enricher and the two
        rules, only NL301 wants them, and most articles have no date at all."""
        if self.iso is not None or self.scan is None:
            return ()
        in_text = [d for d in find_relative(self.scan.text, self.language)
                   if _counts_as_relative(self.scan, d)]
        return (*self.meta_relative, *in_text)

    def position(self, item: DateMatch | str | None) -> tuple[int | None, int]:
        if isinstance(item, DateMatch) and self.scan is not None:
            return self.scan.position(item.start)
        return None, 1


def publication_date(article: Article) -> DateEvidence:
    """The article's date evidence, found once per article and metadata (the
    enricher and two rules ask) and kept in `article.extra`."""
    key = (article.meta, article.title)
    cached = article.extra.get("_publication_date")
    if cached is not None and cached[0] is article.blocks and cached[1] == key:
        return cached[2]
    found = _publication_date(article)
    article.extra["_publication_date"] = (article.blocks, key, found)
    return found


def _publication_date(article: Article) -> DateEvidence:
    raw, source = article.meta.date, article.meta.date_source
    meta_relative: list[str] = []
    if raw and source != "text":
        iso = parse_date(raw, article.meta.language)
        if iso:
            return DateEvidence(iso, source or "meta", dateline=True)
        meta_relative = [d.text for d in find_relative(str(raw)[:200])]
        if not meta_relative:
            return DateEvidence(source=source, unreadable=str(raw))
    scan = ArticleText(article, top_and_tail(article, TOP_BLOCKS, TOP_CHARS, TAIL_BLOCKS, TAIL_CHARS))
    absolute = find_dates(scan.text, language=article.meta.language)
    chosen = _choose(scan, absolute) if absolute else None  # most articles: no date to weigh
    if chosen:
        return DateEvidence(chosen.iso, "text", chosen, is_dateline(scan, chosen, strict=True),
                            scan=scan)
    if raw and parse_date(raw):  # marked "text" by someone else; our scan finds nothing
        return DateEvidence(parse_date(raw), source, dateline=True)
    return DateEvidence(meta_relative=tuple(meta_relative), scan=scan,
                        language=article.meta.language)


def is_dateline(scan: ArticleText, match: DateMatch, strict: bool = False) -> bool:
    """After a label such as "Published"; outside the title also in a wire
    dateline ("MOSCOW, 3 Nov 2023 —") or on a line that is little more than the
    date. Unless `strict`, also anywhere in the title or on a short line: a
    headline's or a short line's date may be an event's."""
    before = scan.text[max(0, match.start - 60):match.start].rpartition("\n")[2]
    if LABEL_RE.search(before):
        return True
    in_title = scan.piece_at(match.start)[0].kind == "title"
    line = len(scan.line_around(match.start).strip())
    if not in_title and (line - len(match.text) <= BARE_LINE or WIRE_DATELINE_RE.match(before)
                         and DASH_AFTER_RE.match(scan.text, match.end)):
        return True
    return not strict and (in_title or line <= SHORT_LINE)


def _choose(scan: ArticleText, absolute: list[DateMatch]) -> DateMatch | None:
    datelines = [d for d in absolute if is_dateline(scan, d)]
    for kinds in (("title", "top"), ("tail",)):
        found = next((d for d in datelines if scan.piece_at(d.start)[0].kind in kinds), None)
        if found:
            return found
    latest = dt.date.today() + dt.timedelta(days=1)
    return next((d for d in absolute if scan.piece_at(d.start)[0].kind != "tail"
                 and EARLIEST_PROSE_YEAR <= int(d.iso[:4])
                 and dt.date.fromisoformat(d.iso) <= latest), None)


def _counts_as_relative(scan: ArticleText, match: DateMatch) -> bool:
    """Relative dates count in the title and first blocks; at the end and for
    words that often mean "nowadays" ("today", "heute") only on a dateline."""
    if match.may_mean_now or scan.piece_at(match.start)[0].kind == "tail":
        return is_dateline(scan, match)
    return True


@hookimpl
def newslint_enrich_article(article, settings):
    """Fill `meta.date` from the text when the metadata has none, and
    normalise a metadata date to ISO `YYYY-MM-DD`."""
    found = publication_date(article)
    if found.iso and (found.iso, found.source) != (article.meta.date, article.meta.date_source):
        return article.with_meta(date=found.iso, date_source=found.source)
    return None


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
                "`3 ноября 2023`, `03.11.2023`, `11/03/2023`, RFC 2822 and `2023年11月6日`. When "
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


@hookimpl
def newslint_register_rules(register):
    register(MissingDate())
    register(ImplausibleDate())
