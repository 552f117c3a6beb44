"""Damage to the characters themselves: mojibake (UTF-8 read as Windows-1252)
and HTML tags or entities left in text."""
from __future__ import annotations

import html
from difflib import SequenceMatcher
from html.entities import html5
from typing import Any, Iterator

import regex

from newslint.checks.damage.common import at_line
from newslint.lazy import lazy
from newslint.model import Article, Edit, Finding, Fix
from newslint.rule import ArticleRule, parse_examples
from newslint.text.lines import Line, body_lines

MAX_SHOWN = 3


def _ftfy():
    """ftfy, imported on first use: 50 ms of start-up that ASCII text never needs."""
    import ftfy
    import ftfy.badness
    return ftfy


class Mojibake(ArticleRule):
    code = "NL505"
    name = "damage-mojibake"
    level = "warning"
    fix_safety = "unsafe"
    summary = "Garbled characters from text decoded with the wrong encoding (mojibake)."
    docs = {
        "what": "Flags sequences such as `â€™` (for `’`) or `Ã©` (for `é`): UTF-8 bytes that "
                "were decoded as Windows-1252 or Latin-1 somewhere upstream. Detection and the "
                "proposed repair come from ftfy (`ftfy.badness.is_bad`, `ftfy.fix_encoding`); "
                "a line is flagged only when ftfy both finds it bad and can repair it. This "
                "includes C1 control characters such as U+0093 standing for `“`: a Windows-1252 "
                "character (often an HTML reference like `&#147;`) read as Latin-1.",
        "why": "Readers see garbage where punctuation and accented letters belong, and search "
               "and deduplication treat the garbled words as different words.",
        "example": "The governmentâ€™s plan was announced at the cafÃ©.",
        "fix": "Unsafe: replace each garbled sequence with ftfy's repair. The repair is a "
               "guess about which encodings were mixed up; check it.",
    }
    examples = parse_examples({
        "fail": ["Plan\n\nThe governmentâ€™s plan was announced at the cafÃ© on Monday."],
        "pass": ["Plan\n\nThe government’s plan was announced at the café in Москва on "
                 "Monday — “quietly”."],
    }, "NL505")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        if all(block.text.isascii() for block in article.blocks):
            return  # ASCII lines are never checked: no need to split the lines
        for line in body_lines(article):
            if line.text.isascii():
                continue
            ftfy = _ftfy()
            if ftfy.badness.is_bad(line.text):
                repaired = ftfy.fix_encoding(line.text)
                if repaired != line.text:
                    yield self._finding(article, line, repaired)

    def _finding(self, article: Article, line: Line, repaired: str) -> Finding:
        changes = [(i1, i2, repaired[j1:j2]) for op, i1, i2, j1, j2 in
                   SequenceMatcher(None, line.text, repaired, autojunk=False).get_opcodes()
                   if op != "equal"]
        shown = ", ".join(_describe(line.text[a:b], new) for a, b, new in changes[:MAX_SHOWN])
        more = f" and {len(changes) - MAX_SHOWN} more" if len(changes) > MAX_SHOWN else ""
        fix = None
        if line.start is not None and article.source is not None:
            fix = Fix(tuple(Edit(line.start + a, line.start + b, new) for a, b, new in changes),
                      "repair the mojibake with ftfy", safe=False)
        return at_line(self, article, line, changes[0][0], changes[-1][1],
                       f"mojibake: {shown}{more}", fix=fix,
                       data={"repair": repaired})


def _describe(bad: str, good: str) -> str:
    if len(bad) == 1 and 0x80 <= ord(bad) <= 0x9F:
        return f"control character U+{ord(bad):04X} for {good!r}"
    return f"{bad!r} → {good!r}"


ENTITY_RE = lazy(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
DOUBLE_ENTITY_RE = lazy(r"&amp;(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
TAG_NAMES = ("a|abbr|article|aside|b|blockquote|br|button|center|cite|code|dd|div|dl|dt|em|"
             "figcaption|figure|font|footer|form|h[1-6]|header|hr|i|iframe|img|input|label|li|"
             "link|meta|nav|noscript|ol|option|p|picture|pre|q|s|script|section|select|small|"
             "source|span|strong|style|sub|sup|svg|table|tbody|td|th|thead|time|tr|u|ul|video")
TAG_RE = lazy(rf"</?(?:{TAG_NAMES})(?:\s[^<>\n]{{0,300}}?)?\s*/?>", regex.IGNORECASE)
#: tags whose removal should leave a space between the words they separated
BREAKING_TAGS = lazy(r"</?(?:br|p|div|li|h[1-6]|tr|td|th|hr|section|article)\b", regex.I)
MAX_UNESCAPE_ROUNDS = 3


class HtmlLeftovers(ArticleRule):
    code = "NL506"
    name = "damage-html-leftovers"
    level = "warning"
    fix_safety = "safe"
    summary = "HTML tags or character entities (`&amp;`, `<br/>`) left in the article text."
    docs = {
        "what": "Flags HTML character entities (`&amp;`, `&nbsp;`, `&#8217;`, only known ones "
                "ending in `;`) and common HTML tags (`<p>`, `</div>`, `<br/>`) in the text of "
                "plain-text, JSON and HTML articles. In Markdown, where inline HTML and entities "
                "are legitimate, only double-escaped entities (`&amp;amp;`, `&amp;#8217;`) are "
                "flagged. Lines with inline code (backticks) are skipped.",
        "why": "The text was escaped twice or extracted without its markup being removed: "
               "readers see `&amp;` and `<br/>` instead of `&` and a line break.",
        "example": "Profits rose 5&nbsp;% at AT&amp;T.<br/>Shares fell.",
        "fix": "Safe for entities: replace them with the characters they stand for "
               "(`html.unescape`; one level in Markdown). Unsafe for tags: remove them, leaving a "
               "space where a block or line-break tag separated two words.",
    }
    examples = parse_examples({
        "fail": ["Results\n\nProfits rose at AT&amp;T on Monday, the company said.",
                 "Results\n\nProfits rose on Monday.<br/>Shares fell, the company said.",
                 {"text": "# Results\n\nProfits rose at AT&amp;amp;T on Monday.\n", "format": "md"}],
        "pass": ["Results\n\nProfits rose at AT&T on Monday & shares < 5 > 3, the company said.",
                 {"text": "# Results\n\nProfits rose at AT&amp;T on Monday.<br>\n", "format": "md"}],
    }, "NL506")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        markdown = article.format == "md"
        if not any("&" in block.text or "<" in block.text for block in article.blocks):
            return  # only lines with & or < are checked: no need to split the lines
        for line in body_lines(article):
            if "&" not in line.text and "<" not in line.text or "`" in line.text:
                continue
            entities = list((DOUBLE_ENTITY_RE if markdown else ENTITY_RE).finditer(line.text))
            entities = [m for m in entities
                        if _known_entity("&" + m.group()[5:] if markdown else m.group())]
            if entities:
                yield self._entities(article, line, entities, markdown)
            tags = [] if markdown else list(TAG_RE.finditer(line.text))
            if tags:
                yield self._tags(article, line, tags)

    def _entities(self, article: Article, line: Line, found: list, markdown: bool) -> Finding:
        edits = tuple(Edit(m.start(), m.end(), _unescape(m.group(), 1 if markdown else None))
                      for m in found)
        return self._report(article, line, found, "HTML entity", edits, True)

    def _tags(self, article: Article, line: Line, found: list) -> Finding:
        edits = tuple(Edit(m.start(), m.end(), _tag_replacement(line.text, m)) for m in found)
        return self._report(article, line, found, "HTML tag", edits, False)

    def _report(self, article: Article, line: Line, found: list, what: str,
                edits: tuple[Edit, ...], safe: bool) -> Finding:
        shown = ", ".join(repr(m.group()) for m in found[:MAX_SHOWN])
        more = f" and {len(found) - MAX_SHOWN} more" if len(found) > MAX_SHOWN else ""
        fix = None
        if line.start is not None and article.source is not None:
            moved = tuple(Edit(line.start + e.start, line.start + e.end, e.text) for e in edits)
            verb = "unescape" if safe else "remove"
            fix = Fix(moved, f"{verb} the {what}s", safe=safe)
        plural = "s" if len(found) > 1 else ""
        return at_line(self, article, line, found[0].start(), found[-1].end(),
                       f"{what}{plural} left in the text: {shown}{more}", fix=fix)


def _known_entity(entity: str) -> bool:
    """Whether `&name;` / `&#123;` is an entity HTML defines."""
    if entity.startswith("&#"):
        return html.unescape(entity) != entity
    return entity[1:] in html5


def _unescape(text: str, rounds: int | None) -> str:
    for _ in range(rounds or MAX_UNESCAPE_ROUNDS):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return text


def _tag_replacement(text: str, m) -> str:
    before = text[m.start() - 1:m.start()]
    after = text[m.end():m.end() + 1]
    if BREAKING_TAGS.match(m.group()) and before and after and not before.isspace() \
            and not after.isspace():
        return " "
    return ""
