"""The publication date of an article, and the evidence for it.

Where a date comes from, first match wins: the metadata (HTML meta tags,
JSON-LD, `<time>`, front matter, JSON fields), normalised to ISO; else a
dateline in the title or the first blocks ("Published: Nov. 3, 2023", a short
line holding a date, " date 2025-12-03" glued to a headline); else a dateline
in the last blocks. A date in the prose is never the publication date.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import regex

from newslint.model import Article
from newslint.text.dates import (
    DateMatch,
    find_dates,
    find_relative,
    parse_date,
    relative_in,
)
from newslint.text.pieces import ArticleText, excerpt, whole_text

TOP_BLOCKS, TOP_CHARS, TAIL_BLOCKS, TAIL_CHARS = 5, 1500, 2, 400
SHORT_LINE = 100  # a line this short holding a date is a dateline
SENTENCE_WORDS = 8  # a short line ending like a sentence with this many words is prose
BARE_LINE = 25  # ... and one with this little besides the date is certainly one
WIRE_DATELINE_RE = regex.compile(r"^[^\n]{0,30}$")  # "MOSCOW, 3 Nov 2023 —": a short lead-in
DASH_AFTER_RE = regex.compile(r"[ \t,]*[—–-]")
PLACE_BEFORE_RE = regex.compile(r"^\s*\p{Lu}[\p{L}\p{M} .'-]{0,28},\s*$")  # "Moskau, 3. November 2023."
STOP_AFTER_RE = regex.compile(r"[ \t,]*[—–\-.:(]")
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
        in_text = [d for d in relative_in(self.scan, self.language, whole_text(self.scan.article))
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
    scan = excerpt(article, TOP_BLOCKS, TOP_CHARS, TAIL_BLOCKS, TAIL_CHARS)
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
    around = scan.line_around(match.start).strip()
    line = len(around)
    if not in_title and (line - len(match.text) <= BARE_LINE or WIRE_DATELINE_RE.match(before)
                         and DASH_AFTER_RE.match(scan.text, match.end)
                         or PLACE_BEFORE_RE.match(before) and STOP_AFTER_RE.match(scan.text, match.end)):
        return True
    return not strict and (in_title or line <= SHORT_LINE and not _is_sentence(around))


def _is_sentence(line: str) -> bool:
    """A line of prose ("The final will kick off June 9, 2020, in Rome."), not
    a dateline ("By Ann Lee | June 9, 2020")."""
    return line.endswith((".", "!", "?", "。")) and len(line.split()) >= SENTENCE_WORDS


def _choose(scan: ArticleText, absolute: list[DateMatch]) -> DateMatch | None:
    """The first date in a dateline position, at the top, else at the end. A
    date in the prose ("the lowest since 6 March 2002") is an event's, never
    the publication date."""
    datelines = [d for d in absolute if is_dateline(scan, d)]
    for kinds in (("title", "top"), ("tail",)):
        found = next((d for d in datelines if scan.piece_at(d.start)[0].kind in kinds), None)
        if found:
            return found
    return None


def _counts_as_relative(scan: ArticleText, match: DateMatch) -> bool:
    """Relative dates count in the title and first blocks; at the end and for
    words that often mean "nowadays" ("today", "heute") only on a dateline."""
    if match.may_mean_now or scan.piece_at(match.start)[0].kind == "tail":
        return is_dateline(scan, match)
    return True
