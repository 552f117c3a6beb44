"""unattributed-source rules (NL401-NL499): who wrote or reported this, and
are the claims in it sourced?

- NL401 `unattributed-source`: no author, no outlet and no attribution line.
- NL402 `unattributed-source-dangling-citation`: `[1]`-style markers and nothing
  they could point to.
- NL403 `unattributed-source-vague`: "analysts note", "Experten zufolge", ...
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import regex

from newslint.checks.attribution.patterns import (  # noqa: F401  (the patterns, importable from here as before)
    _LAST_WORD,
    ATTRIBUTION_NEEDLES,
    ATTRIBUTION_PATTERNS,
    BYLINE_RE,
    BYLINE_STARTS,
    CITATION_RE,
    DETERMINERS,
    FOOTNOTE_LINE_RE,
    NAME_DATE_RE,
    NOT_A_NAME,
    OUTLET_BEFORE_RE,
    REFERENCES_RE,
    REPORTED_NEEDLES,
    REPORTED_RE,
    URL_RE,
    VAGUE,
    VAGUE_NEEDLES,
    VAGUE_RE,
    VIEW_COUNTER_RE,
    byline_lines,
    line_matches,
)
from newslint.lazy import lazy
from newslint.model import Article, Finding
from newslint.rule import ArticleRule, parse_examples
from newslint.text.dates import first_absolute
from newslint.text.needles import has_digit
from newslint.text.pieces import ArticleText, excerpt, whole_text


BY_RE = lazy(r"\s*(?i:by)\s")


def has_attribution(scan: ArticleText) -> bool:
    """An attribution line or phrase anywhere in the scanned text. A pattern
    with needles is tried only on the lines holding one (none of them runs
    over a line break)."""
    for pattern, needles in zip(ATTRIBUTION_PATTERNS, ATTRIBUTION_NEEDLES):
        found = pattern.search(scan.text) if needles is None else \
            next(scan.finditer_near(pattern, needles), None)
        if found:
            return True
    return any(OUTLET_BEFORE_RE.search(scan.text, max(0, m.start() - 100), m.start())
               for m in scan.finditer_near(REPORTED_RE, REPORTED_NEEDLES))


def byline(article: Article) -> tuple[str | None, str | None]:
    """(a byline name near the top or bottom, a rejected byline-like line)."""
    scan = excerpt(article, 6, 2000, 3, 600)
    rejected = None
    for m in byline_lines(scan.text):
        if VIEW_COUNTER_RE.search(m.group(0)):
            rejected = rejected or m.group(0).strip()
        elif len(m.group(0).strip()) <= 150 and not NOT_A_NAME.fullmatch(m.group("name").split()[0]):
            return m.group("name"), None
    # a name-and-date line needs a date and a view counter a number: no digit, neither
    if not has_digit(scan.text):
        return None, rejected
    for m in line_matches(NAME_DATE_RE, scan.text):
        if first_absolute(m.group(0)):
            return m.group("name"), None
    for line in scan.text.split("\n"):
        if len(line) <= 150 and BY_RE.match(line) and VIEW_COUNTER_RE.search(line):
            rejected = rejected or line.strip()
    return None, rejected


class UnattributedSource(ArticleRule):
    code = "NL401"
    name = "unattributed-source"
    level = "warning"
    summary = "Nothing says who wrote or published the article: no author, outlet or source line."
    docs = {
        "what": "Flags articles with no author (metadata or a byline such as `By Jane Doe`, "
                "`Von …`, `Par …`, `Por …`, `Автор: …` near the top or bottom), no outlet (site "
                "name in the metadata) and no attribution anywhere in the text: `Source:`, "
                "`Quelle:`, `Fuente:`, `Источник:`, `Via …`, `According to <Name>`, "
                "`<Outlet> reported`, `told Reuters`, a wire dateline `(AP) —`, `Reporting by`, "
                "`©`. A `by <name> 45 views` line is a view counter, not a byline.",
        "why": "Readers and downstream systems weigh a report by who stands behind it; content "
               "farms and rewritten wire copy drop exactly that.",
        "example": "Leaders meet\n\nThe two leaders met on Tuesday to discuss trade.",
        "fix": "Keep the byline and the outlet when scraping (front matter `author:` / "
               "`source:`, JSON `authors` / `outlet`), or add a `Source:` line.",
    }
    examples = parse_examples({
        "fail": ["Leaders meet\n\nThe two leaders met on Tuesday to discuss trade and security.",
                 "Leaders meet\n\nby Jhon Lennon 45 views\n\nThe two leaders met to discuss trade."],
        "pass": ["Leaders meet\n\nBy Jane Doe\n\nThe two leaders met to discuss trade.",
                 "Leaders meet\n\nThe two leaders met to discuss trade.\n\nSource: Kyiv Post",
                 "Leaders meet\n\nMOSCOW (AP) — The two leaders met to discuss trade.",
                 {"text": "---\ntitle: Talks\nauthor: Jane Doe\n---\n\nThe leaders met.",
                  "format": "md"}],
    }, "NL401")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        if article.meta.authors or article.meta.outlet:
            return
        name, rejected = byline(article)
        if name:
            return
        scan = whole_text(article)
        if has_attribution(scan):
            return
        note = f" ('{rejected}' is a view counter, not a byline)" if rejected else ""
        yield self.finding(article, "no author, outlet or source attribution: nothing says who "
                           f"wrote or reported this{note}")


def has_references(text: str, after: int) -> bool:
    """A references/sources section or any URL anywhere, or footnote or
    numbered lines (`[1] …`, `1. …`) after offset `after`."""
    return bool(URL_RE.search(text) or REFERENCES_RE.search(text)
                or FOOTNOTE_LINE_RE.search(text, after))


def _has_bracket(article: Article) -> bool:
    return "[" in (article.title or "") or any("[" in block.text for block in article.blocks)


def inline_citations(text: str) -> list[regex.Match]:
    """Citation markers inside a line (one that starts a line is a footnote).
    Linear: each look back stops at the previous marker, and a marker after
    another on the same line has text before it (that marker)."""
    out, searched_to, line_start, previous = [], 0, 0, -1
    for m in CITATION_RE.finditer(text):
        newline = text.rfind("\n", searched_to, m.start())
        if newline != -1:
            line_start = newline + 1
        searched_to = m.start()
        if previous >= line_start or not text[line_start:m.start()].isspace() \
                and m.start() > line_start:
            out.append(m)
        previous = m.start()
    return out


class DanglingCitation(ArticleRule):
    code = "NL402"
    name = "unattributed-source-dangling-citation"
    level = "warning"
    summary = "Citation markers such as [1] or [1, 2] with no reference list to resolve them."
    docs = {
        "what": "Flags `[1]`, `[1, 2]`, `[3–5]` citation markers when the article has no "
                "references or sources section (a `References` or `Sources:` heading on a line "
                "of its own; a `Source: Outlet` line names the article's source, not a reference "
                "list), no footnote or numbered lines (`[1] …`, `1. …`) "
                "and no URL at all. Points at the first marker and counts them.",
        "why": "Markers that point nowhere look like sourcing but are not: the list was lost in "
               "scraping, or the text was generated and never had one.",
        "example": "Talks\n\nThe leaders met to discuss trade [1, 2].",
        "fix": "Keep the reference list when scraping, or remove the markers.",
    }
    examples = parse_examples({
        "fail": ["Talks\n\nThe leaders met to discuss trade [1, 2]. Both sides agreed [3–5]."],
        "pass": [("Talks\n\nThe leaders met to discuss trade [1].\n\nReferences\n\n[1] Kyiv Post, "
                  "3 November 2023."),
                 "Talks\n\nThe leaders met [1].\n\n1. https://example.com/report",
                 "Talks\n\nThe leaders met [1] to discuss trade.\n\nSources:\nKyiv Post (1)"],
    }, "NL402")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        if not _has_bracket(article):  # every marker starts with "[": no need to join the text
            return
        scan = whole_text(article)
        markers = inline_citations(scan.text)
        if not markers or has_references(scan.text, markers[0].end()):
            return
        first = markers[0]
        line, column = scan.position(first.start())
        end_line, end_column = scan.position(first.end())
        count = f"{len(markers)} citation markers" if len(markers) > 1 else "a citation marker"
        yield self.finding(article, f"{count} ('{first.group(0)}' first) but no reference list, "
                           "footnotes or links for them to point to", line=line, column=column,
                           end_line=end_line, end_column=end_column, data={"count": len(markers)})


def vague_phrases(scan: ArticleText) -> list[regex.Match]:
    """Vague attributions, leaving out English ones right after a name
    ("JPMorgan analysts say")."""
    return [m for m in scan.finditer_between(VAGUE_RE, VAGUE_NEEDLES)
            if m.lastgroup != "en" or not _named_before(scan.text, m.start())]


def _named_before(text: str, start: int) -> bool:
    """Is the word just before `start` (same line, nothing between) capitalised
    and not a determiner: a name such as "JPMorgan" or "Kremlin"?"""
    last = _LAST_WORD.search(text, max(0, start - 40), start)
    if not last or last.start() == max(0, start - 40) and start > 40:
        return False
    word = last.group(1)
    return word[:1].isupper() and word[-1].isalnum() and word.casefold() not in DETERMINERS


class VagueAttribution(ArticleRule):
    code = "NL403"
    name = "unattributed-source-vague"
    level = "info"
    summary = "Claims attributed to unnamed groups: \"analysts note\", \"experts say\", ..."
    docs = {
        "what": "Lists vague attributions in English, German, French, Spanish and Russian: "
                "\"analysts note\", \"observers described\", \"sources said\", \"it is believed "
                "that\", \"Experten zufolge\", \"selon des observateurs\", \"según analistas\", "
                "\"по мнению экспертов\". One finding per article, at the first phrase, quoting "
                "them all. It does not check whether a named source is given nearby, so it is "
                "information, not a warning.",
        "why": "Unnamed experts and observers cannot be checked; rewritten and generated articles "
               "use them to sound sourced.",
        "example": "Talks\n\nAnalysts note that the meeting matters.",
        "fix": "Name the analysts or the report, or cut the claim.",
    }
    examples = parse_examples({
        "fail": ["Talks\n\nAnalysts note that the meeting matters. Critics argue otherwise.",
                 "Gipfel\n\nExperten zufolge ist das Treffen ein Signal an den Westen.",
                 "Встреча\n\nПо мнению экспертов, встреча стала сигналом Западу."],
        "pass": ["Talks\n\nJane Doe, an analyst at Example Bank, said the meeting matters.",
                 "Talks\n\nGoldman Sachs analysts note that the meeting matters."],
    }, "NL403")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        scan = whole_text(article)
        phrases = vague_phrases(scan)
        if not phrases:
            return
        places = [(m.group(0), scan.position(m.start())[0]) for m in phrases]
        listed = ", ".join(f"'{text}' (line {line})" for text, line in places[:6])
        more = f" and {len(places) - 6} more" if len(places) > 6 else ""
        line, column = scan.position(phrases[0].start())
        end_line, end_column = scan.position(phrases[0].end())
        yield self.finding(article, f"vague attribution: {listed}{more}", line=line, column=column,
                           end_line=end_line, end_column=end_column,
                           data={"phrases": [text for text, _ in places]})
