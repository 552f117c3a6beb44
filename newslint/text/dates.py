"""Finding publication dates in the text scrapers leave behind.

`find_dates(text)` makes one pass of one compiled pattern over `text` and
returns every absolute date, as an ISO `YYYY-MM-DD` string (always Gregorian)
with its offsets and line. Forms: ISO 8601 dates and datetimes (`2023-11-06`,
`2023-11-06T17:04Z`, `2016-06-13T1603Z`, `2023/11/06`, Korean `2023. 11. 6.`),
day-month-year and month-day-year with month names or abbreviations in the
languages of `calendars.py` (`3 novembre 2023`, `3. November 2023`, `3 de
noviembre de 2023`, `3 ноября 2023`, `9 oktober 2020`, `24 نيسان / أبريل 2020`,
`15 अगस्त 2020`, Thai Buddhist-era `21 ม.ค.2561`, Persian Solar Hijri `2 تیر
1399`, `Nov. 3, 2023`, RFC 2822 `Mon, 06 Nov 2023 17:04:00 +0000`), numeric
`03.11.2023` (day first) and `11/03/2023` (month first unless the language
says otherwise or only day-first is possible), CJK/Korean `2023年11月6日` /
`2023년 11월 6일` and Japanese eras `令和2年3月16日`. Digits may be any
script's (Arabic-Indic `٢٤`, Persian `۱۳۹۹`, Devanagari, Bengali, Thai).

`find_relative(text)` finds relative-only dates ("Wednesday", "2 hours ago",
"heute", "hier", "ayer", "вчера"), a second pattern run only when a message
needs them. `parse_date(value)` normalises a metadata date (any form above, a
compact `20231106`, or a Unix timestamp) to ISO.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from newslint.lazy import lazy
from newslint.text.calendars import MONTH_NUMBER, SOLAR_HIJRI, gregorian
from newslint.text.needles import Needles, covering, folded, has_digit, trie_pattern
from newslint.text.pieces import ArticleText

#: Relative-only dates, by language. "hier" is French "yesterday" but German
#: and Dutch "here", so it needs French context (see `_relative_ok`).
RELATIVE = {
    "en": ("today", "yesterday", "tonight", "this morning", "this afternoon", "this evening",
           "this week", "last night", "last week", "monday", "tuesday", "wednesday", "thursday",
           "friday", "saturday", "sunday"),
    "de": ("heute", "gestern", "vorgestern", "diese woche", "letzte woche", "montag", "dienstag",
           "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag"),
    "fr": ("aujourd'hui", "aujourd’hui", "avant-hier", "hier", "cette semaine", "lundi", "mardi",
           "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "es": ("hoy", "anteayer", "ayer", "esta semana", "lunes", "martes", "miércoles", "jueves",
           "viernes", "sábado"),
    "ru": ("сегодня", "вчера", "позавчера", "на этой неделе", "в понедельник", "во вторник",
           "в среду", "в четверг", "в пятницу", "в субботу", "в воскресенье"),
}
RELATIVE_LANGUAGE = {phrase: lang for lang, phrases in RELATIVE.items() for phrase in phrases}
#: "N units ago" in each language: the word that opens or closes it -> language
COUNT_LANGUAGE = {"ago": "en", "назад": "ru", "vor": "de", "il y a": "fr", "hace": "es"}
_UNITS_AFTER = (r"minutes?|hours?|days?|weeks?|минуту|минуты|минут|часа|часов|час|день|дня"
                r"|дней")
_UNITS_BEFORE = r"minuten|stunden?|tagen|minutes?|heures?|jours?|minutos?|horas?|días?"
NOWADAYS = frozenset({"today", "heute", "aujourd'hui", "aujourd’hui", "hoy", "сегодня"})

_MONTH = trie_pattern(MONTH_NUMBER)
_TIME = r"(?:(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?|T\d{4}(?:\d{2})?)(?:Z|[+-]\d{2}:?\d{2})?)?"
_MONTH_END = r"(?:(?<=\.)|(?!\w))"  # "ม.ค.2561": an abbreviation's dot ends it
#: Absolute dates. Every form is anchored on a digit, which the regex engine
#: finds fast; "Nov. 3, 2023" puts its month in a lookbehind.
ABSOLUTE = lazy(
    rf"(?<![\w.:/-])(?:"
    rf"(?P<iso_y>\d{{4}})(?P<iso_sep>[-/.])(?P<iso_sp> ?)(?P<iso_m>\d{{1,2}})(?P=iso_sep)(?P=iso_sp)"
    rf"(?P<iso_d>\d{{1,2}}){_TIME}(?![\w/-]|\.\d)"
    rf"|(?P<num_a>\d{{1,2}})(?P<num_sep>[./-])(?P<num_b>\d{{1,2}})(?P=num_sep)"
    rf"(?P<num_y>\d{{4}})(?![\w/-]|\.\d)"
    rf"|(?P<dn_d>\d{{1,2}})(?:st|nd|rd|th|er|\.|º)?\s*(?:de\s+)?(?P<dn_m>{_MONTH}){_MONTH_END}\.?"
    rf"(?:\s*/\s*{_MONTH}{_MONTH_END}\.?)?(?:\s*,?\s*|\s+de\s+)(?P<dn_y>\d{{4}})(?!\d)"
    rf"|(?P<cjk_y>\d{{4}})\s*[年년]\s*(?P<cjk_m>\d{{1,2}})\s*[月월]\s*(?P<cjk_d>\d{{1,2}})\s*[日일]"
    rf"|(?=\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d))"
    rf"(?<=(?<!\w)(?P<md_m>{_MONTH}){_MONTH_END}\.?[ \t]{{0,3}})"
    rf"(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d),?\s+(?P<md_y>\d{{4}})(?!\d))"
    rf"|(?<=(?P<era>令和|平成|昭和)\s*)(?P<era_y>\d{{1,2}})\s*年\s*(?P<era_m>\d{{1,2}})\s*月"
    rf"\s*(?P<era_d>\d{{1,2}})\s*日",
    regex.IGNORECASE,
)
#: Japanese era names -> the Gregorian year before the era's first year
ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}
#: Relative-only dates: looked for only when there is no absolute one.
RELATIVE_PATTERN = lazy(
    rf"(?<!\w)(?:(?P<rel>{trie_pattern(RELATIVE_LANGUAGE)})"
    rf"|(?P<count>\d+ (?:{_UNITS_AFTER}) (?:ago|назад))"
    rf"|(?P<count_before>(?:vor|il y a|hace) \d+ (?:{_UNITS_BEFORE})))(?!\w)",
    regex.IGNORECASE,
)
#: Needles (see datefind_needles) for RELATIVE_PATTERN's words, most likely first:
#: "day" stands for the English weekdays, "today" and "yesterday", "hier" also for
#: "avant-hier"; `covering` adds any phrase none of them is part of.
RELATIVE_NEEDLES = Needles(covering(
    ("day", "this ", "last ", "tonight", "heute", "gestern", "woche", "montag", "dienstag",
     "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag", "aujourd", "hier",
     "semaine", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hoy",
     "ayer", "semana", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "сегодня",
     "вчера", "недел", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"),
    RELATIVE_LANGUAGE))
#: ... and for its counts, which also need a digit: " ago" / " назад" after the unit,
#: "vor " / "il y a " / "hace " before the number (literal spaces in the pattern)
COUNT_NEEDLES = Needles((" ago", " назад", "vor ", "il y a ", "hace "))
#: RELATIVE_PATTERN reads no line break: each of its matches holds one of these on its line
WORD_OR_COUNT_NEEDLES = Needles((*RELATIVE_NEEDLES.all, *COUNT_NEEDLES.all))
_FRENCH_WORDS = lazy(r"(?<!\w)(?:le|la|les|des|est|une|et|du|dans|qui|que|pour)(?!\w)",
                     regex.IGNORECASE)
#: years accepted as dates at all; plausibility is the rule's business
MIN_YEAR, MAX_YEAR = 1800, 2199


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a text: `iso` for an absolute date, None for a relative one.

    `start`/`end` are offsets into the searched text, `line` its 1-based line.
    """

    text: str
    start: int
    end: int
    line: int
    iso: str | None
    form: str  # "iso", "numeric", "day-month", "month-day", "cjk", "relative"

    @property
    def may_mean_now(self) -> bool:
        """"today" and its kin often mean "nowadays" ("the world today")."""
        return self.form == "relative" and self.text.casefold() in NOWADAYS


def find_dates(text: str, day_first: bool | None = None, language: str | None = None) -> list[DateMatch]:
    """Every absolute date in `text`, in order, in one pass.

    `day_first` decides ambiguous slash dates such as `11/03/2023`: None
    (default) reads them month first unless `language` (an ISO code such as
    "fr") is given and is not English.
    """
    lang = (language or "").lower()[:2]
    if day_first is None:
        day_first = bool(lang) and lang != "en"
    if not has_digit(text):  # every form of ABSOLUTE holds a \d
        return []
    out = []
    for m in ABSOLUTE.finditer(text):
        found = _absolute(m, day_first, lang == "fa")
        if found:
            start = m.start("md_m") if m.group("md_m") else m.start("era") if m.group("era") else m.start()
            out.append(DateMatch(text[start:m.end()], start, m.end(),
                                 text.count("\n", 0, start) + 1, *found))
    return out


def find_relative(text: str, language: str | None = None) -> list[DateMatch]:
    """Relative-only dates ("Wednesday", "2 hours ago", "вчера") in `text`, in
    one pass; `language` limits them to that language and English."""
    lang = (language or "").lower()[:2]
    if not _may_hold_relative(text):
        return []
    return [DateMatch(m.group(0), m.start(), m.end(), text.count("\n", 0, m.start()) + 1,
                      None, "relative")
            for m in RELATIVE_PATTERN.finditer(text) if _relative_ok(m, text, lang)]


def relative_in(scan: ArticleText, language: str | None = None,
                within: ArticleText | None = None) -> list[DateMatch]:
    """`find_relative(scan.text, language)`, with the pattern tried only on
    the lines that hold one of its needles. `within` is a text that holds each
    piece of `scan` (the article's whole text, whose needles other rules look
    up too): when it holds none of the needles, neither does `scan`."""
    if within is not None and not within.needles.holds(WORD_OR_COUNT_NEEDLES):
        return []
    lang, text, found = (language or "").lower()[:2], scan.text, scan.needles
    if found.holds(RELATIVE_NEEDLES):
        needles = WORD_OR_COUNT_NEEDLES
    elif has_digit(text) and found.holds(COUNT_NEEDLES):
        needles = COUNT_NEEDLES
    else:
        return []
    return [DateMatch(m.group(0), m.start(), m.end(), text.count("\n", 0, m.start()) + 1,
                      None, "relative")
            for m in scan.finditer_near(RELATIVE_PATTERN, needles) if _relative_ok(m, text, lang)]


def _may_hold_relative(text: str) -> bool:
    """False when RELATIVE_PATTERN cannot match in `text`: it holds none of the
    needles of the relative words, and no digit or none of the needles of a count."""
    folded_text = folded(text)
    return (RELATIVE_NEEDLES.found_in(folded_text)
            or has_digit(text) and COUNT_NEEDLES.found_in(folded_text))


def _absolute(m: regex.Match, day_first: bool, persian: bool = False) -> tuple[str, str] | None:
    """(iso, form) for an absolute-date match, or None if it is no real date.
    `persian`: a year-first numeric date with a year of 1200-1499 is Solar Hijri."""
    g = m.groupdict()
    if g["iso_y"]:
        solar = persian and 1200 <= int(g["iso_y"]) < 1500
        return _iso(g["iso_y"], g["iso_m"], g["iso_d"], "iso", solar)
    if g["num_y"]:
        a, b = int(g["num_a"]), int(g["num_b"])
        month_first = g["num_sep"] == "/" and not day_first
        if month_first and a > 12 >= b or not month_first and b > 12 >= a:
            month_first = not month_first
        month, day = (a, b) if month_first else (b, a)
        return _iso(g["num_y"], month, day, "numeric")
    if g["dn_y"]:
        return _iso(g["dn_y"], _month(g["dn_m"]), g["dn_d"], "day-month")
    if g["md_y"]:
        return _iso(g["md_y"], _month(g["md_m"]), g["md_d"], "month-day")
    if g["era"]:
        return _iso(ERAS[g["era"]] + int(g["era_y"]), g["era_m"], g["era_d"], "cjk")
    return _iso(g["cjk_y"], g["cjk_m"], g["cjk_d"], "cjk")


def _month(name: str) -> int:
    key = " ".join(name.casefold().split())
    return MONTH_NUMBER.get(key) or MONTH_NUMBER[key.rstrip(".")]


def _iso(year, month, day, form: str, solar_hijri: bool = False) -> tuple[str, str] | None:
    month = int(month)
    if month > SOLAR_HIJRI:
        month, solar_hijri = month - SOLAR_HIJRI, True
    try:
        date = gregorian(int(year), month, int(day), solar_hijri)
    except (ValueError, OverflowError):
        return None
    return (date.isoformat(), form) if MIN_YEAR <= date.year <= MAX_YEAR else None


def _relative_ok(m: regex.Match, text: str, lang: str) -> bool:
    which = _relative_language(m)
    if lang and which not in (lang, "en"):
        return False
    if m.group(0).casefold() == "hier" and lang != "fr":
        return len(_FRENCH_WORDS.findall(text, 0, 2000)) >= 3
    return True


def _relative_language(m: regex.Match) -> str:
    if m.group("rel"):
        return RELATIVE_LANGUAGE[m.group("rel").casefold()]
    words = m.group(0).casefold().split()
    return COUNT_LANGUAGE.get(words[-1]) or COUNT_LANGUAGE.get(" ".join(words[:-2]), "en")


def first_absolute(text: str, **kw) -> DateMatch | None:
    found = find_dates(text, **kw)
    return found[0] if found else None


_COMPACT = lazy(r"(\d{4})(\d{2})(\d{2})(?:T?\d{2}:?\d{2}(?::?\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_EPOCH = lazy(r"\d{9,10}(?:\d{3})?(?:\.\d+)?")


def parse_date(value: object, language: str | None = None) -> str | None:
    """A metadata date (str, number, date or datetime) as ISO `YYYY-MM-DD`, or None."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip()
    compact = _COMPACT.fullmatch(raw)
    found = _iso(*compact.groups(), "iso") if compact else None
    if found:
        return found[0]
    if _EPOCH.fullmatch(raw):
        seconds = float(raw) / (1000 if len(raw.split(".")[0]) > 10 else 1)
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date().isoformat()
    found = first_absolute(raw[:500], language=language)
    return found.iso if found else None
