"""Damage to the headline: shouted in capitals, or a date line glued to it."""
from __future__ import annotations

from typing import Any, Iterator

import regex

from newslint.lazy import lazy
from newslint.model import Article, Edit, Finding, Fix
from newslint.rule import ArticleRule, parse_examples

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?\s+"
_TIME = (r"(?:[T\s,]+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[ap]\.?m\.?)?"
         r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}|[A-Z]{2,4}\b))?)?")
NUMERIC_DATE = r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})"
WRITTEN_DATE = (rf"(?:{_WEEKDAY})?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
                rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}})")
DATE = rf"(?:(?P<numeric>{NUMERIC_DATE})|{WRITTEN_DATE}){_TIME}"
LABEL = (r"(?P<label>(?:date[d:]?|published(?:\s+on)?|updated(?:\s+on)?|posted(?:\s+on)?"
         r"|last\s+updated)\s*:?\s*)")
SEPARATOR = r"(?P<sep>\s*[|•·—–-]\s*|\s*)"
DATE_AT_START = lazy(rf"^\s*(?P<date>{LABEL}?{DATE}){SEPARATOR}(?P<rest>\S.*?)\s*$",
                     regex.IGNORECASE)
DATE_AT_END = lazy(rf"^\s*(?P<rest>.*?\S){SEPARATOR}(?P<date>{LABEL}?{DATE})\s*$",
                   regex.IGNORECASE)
#: a whole line that is a date (with an optional label), for other rules
DATE_LINE = lazy(rf"^\s*{LABEL}?{DATE}\s*$", regex.IGNORECASE)
MIN_HEADLINE_WORDS = 2
#: every DATE holds a year, four digits in a row: a title without one is
#: answered by one quick search instead of two slow matches
YEAR_RE = lazy(r"\d{4}")


def headline_date(article: Article) -> regex.Match | None:
    """glued_date of the article's title, found once for the two rules that
    need it (kept in `article.extra` for this title)."""
    cached = article.extra.get("_glued_date")
    if cached is None or cached[0] is not article.title:
        cached = article.extra["_glued_date"] = (article.title, glued_date(article.title))
    return cached[1]


def glued_date(title: str) -> regex.Match | None:
    """The date marker glued to the start or end of a headline, if any.

    Precision first: a written date ("March 3, 2024") counts only with a label
    ("Published"), a separator ("|", "—") or no space at all between it and
    the words; a numeric date ("2024-03-03") always counts."""
    if not YEAR_RE.search(title):
        return None
    for pattern in (DATE_AT_START, DATE_AT_END):
        m = pattern.match(title)
        if m is None or len(m.group("rest").split()) < MIN_HEADLINE_WORDS:
            continue
        if m.group("label") or m.group("numeric") or m.group("sep").strip() or _glued(m):
            return m
    return None


def _glued(m: regex.Match) -> bool:
    """No space at all between the date and a word ("Nov 3, 2023Headline")."""
    if m.group("sep"):
        return False
    rest = m.group("rest")
    neighbour = rest[0] if m.start("rest") > m.start("date") else rest[-1]
    return neighbour.isalpha()


class DateInHeadline(ArticleRule):
    code = "NL508"
    name = "damage-date-in-headline"
    level = "warning"
    fix_safety = "unsafe"
    summary = "A date line glued to the start or end of the headline."
    docs = {
        "what": "Flags headlines that begin or end with a date marker: `date 2025-12-03 CHINA "
                "AND RUSSIA…`, `2023-11-03 | Title`, `Nov 3, 2023Headline`, `Title — Published "
                "March 3, 2024`. Numeric dates always count; a written date counts only with a "
                "label (date, published, updated, posted), a separator (`|`, `•`, `—`, `-`) or "
                "no space before the words, so headlines such as `June 4, 1989: the night…` "
                "pass.",
        "why": "The scraper merged the page's date line into the headline: titles no longer "
               "match across copies of the story, and the date is hidden from tools that look "
               "for it in its own line.",
        "example": "2023-11-03 | Markets fall as rates rise",
        "fix": "Unsafe: keep the headline words on the title line and move the date marker to "
               "a line of its own after it (plain text, and Markdown `#` titles). Unsafe "
               "because where the date ends and the headline begins is a guess, and the "
               "article's first body paragraph changes.",
    }
    examples = parse_examples({
        "fail": [" date 2025-12-03 CHINA AND RUSSIA SEND A MESSAGE\n\nThe talks in Moscow ended.",
                 "Nov 3, 2023Markets fall as rates rise\n\nStocks fell on Friday.",
                 "Markets fall as rates rise | 03.11.2023\n\nStocks fell on Friday."],
        "pass": ["June 4, 1989: the night the tanks came\n\nThe square was quiet.",
                 "Markets fall in 2023 as rates rise\n\nStocks fell on Friday."],
    }, "NL508")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        if not article.title or article.title_line is None:
            return
        m = headline_date(article)
        if m is None:
            return
        date = m.group("date").strip()
        yield self.finding(article, f"date {date!r} glued to the headline",
                           line=article.title_line, fix=_split_fix(article, m),
                           data={"date": date, "headline": m.group("rest")})


def cased_letters(text: str) -> int:
    """Letters that have a case. No character is both upper and lower case,
    so this is the count of `c.isupper() or c.islower()`, with the loop in C."""
    return sum(map(str.isupper, text)) + sum(map(str.islower, text))


def _split_fix(article: Article, m: regex.Match) -> Fix | None:
    """Headline words stay on the title line; the date goes on a line of its own after it."""
    source = article.source
    if source is None or article.record is not None or article.format not in ("txt", "md"):
        return None
    line_start = _line_start(source, article.title_line - article.line_offset)
    if line_start is None or line_start < article.body_start:
        return None  # the title comes from front matter, not from a line of text
    line_end = source.find("\n", line_start)
    line_end = len(source) if line_end == -1 else line_end
    at = source.find(article.title, line_start, line_end)
    if at == -1:
        return None
    return Fix((Edit(at, at + len(article.title), m.group("rest")),
                Edit(line_end, line_end, "\n\n" + m.group("date").strip())),
               "move the date to its own line after the headline", safe=False)


def _line_start(source: str, line: int) -> int | None:
    pos = 0
    for _ in range(line - 1):
        pos = source.find("\n", pos) + 1
        if pos == 0:
            return None
    return pos


class CapsHeadline(ArticleRule):
    code = "NL507"
    name = "damage-all-caps-headline"
    level = "warning"
    summary = "The headline is written in capital letters."
    docs = {
        "what": "Flags a headline in which at least `min_upper_ratio` of the cased letters are "
                "capitals and at least `min_words` words have two or more cased letters. A date "
                "marker glued to the headline is left out of the count. Scripts without case "
                "(Chinese, Arabic, Hindi…) are never flagged.",
        "why": "Capitals come from the page's styling (CSS `text-transform`) or from "
               "clickbait sources; as stored text they read as shouting, defeat case-sensitive "
               "matching and lose the case of names.",
        "example": "CHINA AND RUSSIA JUST SENT A MESSAGE TO THE WORLD",
        "fix": "None: the right case cannot be recovered automatically (acronyms such as "
               "NATO and U.S., names, and sentence vs. title case); retype the headline or take "
               "it from the page's metadata.",
        "options": "`min_upper_ratio`: share of capitals among cased letters. `min_words`: words "
                   "with two or more cased letters needed before the rule applies.",
    }
    options = {"min_upper_ratio": 0.8, "min_words": 3}
    option_ranges = {"min_upper_ratio": (0.0, 1.0)}
    examples = parse_examples({
        "fail": ["CHINA AND RUSSIA JUST SENT A MESSAGE TO THE WORLD\n\nThe talks ended.",
                 " date 2025-12-03 CHINA AND RUSSIA MEET\n\nThe talks ended."],
        "pass": ["NATO and EU leaders meet in Brussels\n\nThe talks ended.",
                 "NBA MVP\n\nThe race ended.", "最新消息\n\n会谈结束。"],
    }, "NL507")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        if not article.title:
            return
        m = headline_date(article)
        headline = m.group("rest") if m else article.title
        upper = sum(map(str.isupper, headline))
        cased = upper + sum(map(str.islower, headline))
        if not cased or upper / cased < options["min_upper_ratio"]:
            return
        ratio = upper / cased
        # (the words only for a headline in capitals: most are not)
        words = [w for w in headline.split() if cased_letters(w) >= 2]
        if len(words) >= options["min_words"]:
            yield self.finding(article, f"headline in capitals ({ratio:.0%} of its letters): "
                               f"{headline[:60]!r}", line=article.title_line,
                               data={"upper_ratio": round(ratio, 3)})
