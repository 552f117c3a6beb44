"""Who wrote and who published an article, read from its text: bylines and
credit lines in many languages, agency tags and source lines.

`credits(article)` returns (authors, outlet) found near the top or the end;
the family's enricher puts them into `article.meta` when the metadata has
none, so `--verbose` JSON and `--statistics` show them.

Forms: "By Jane Doe", "By staff reporter, Nordvik Today" (the outlet after the
comma), "Von", "Par", "Por", "Door", "Di", "Автор:", "Текст:", Arabic "بقلم" /
"كتب:", Persian "نویسنده:", Thai "โดย"; Hindi credit lines ("जागरण संवाददाता",
"…, संवाददाता"); Chinese "（编辑：严玉洁 王辉）", "记者 X", "作者：X"; Korean
"홍길동 기자"; Japanese "（X記者）"; an agency tag "(AP) —", "…PTI", "[ Bloomberg ]"
or "Source: Kyiv Post" names the outlet.
"""
from __future__ import annotations

import regex

from newslint.checks.attribution.patterns import _AGENCY, BYLINE_RE, NOT_A_NAME
from newslint.lazy import lazy
from newslint.model import Article
from newslint.text.pieces import top_and_tail

MAX_CREDIT_LINE = 150
ROLE = (r"(?i:staff reporters?|staff writers?|our (?:special )?correspondents?|special correspondents?"
        r"|correspondents?|news desk|web desk|online desk|editorial (?:team|board|staff)|staff"
        r"|agencies|wire services?|redaktion|la rédaction|redacción|редакция)")
_OUTLET = r"\p{Lu}[\p{L}\p{M}\p{N}.&'’-]*(?:[ \t]+(?:of|the|de|du|del|\p{Lu}[\p{L}\p{M}\p{N}.&'’-]*)){0,5}"
#: "By staff reporter, Nordvik Today" and other role bylines, with an optional outlet
ROLE_BYLINE_RE = lazy(
    rf"^[ \t]*(?i:by|von|par|por|door|di)[ \t:]+(?P<name>{ROLE})"
    rf"(?:[ \t]*[,|•·–—-][ \t]*(?P<outlet>{_OUTLET}))?[ \t.]*$", regex.M | regex.V1)
#: the outlet after a personal byline: "By Jane Doe, Reuters" / "By Jane Doe | The Globe"
BYLINE_OUTLET_RE = lazy(rf"^[ \t]*(?:[,|•·–—-]|for|for the)[ \t]*(?P<outlet>{_OUTLET})[ \t.]*$",
                        regex.V1)
_NAMES = r"[\p{L}\p{M}][\p{L}\p{M} .'’-]{1,60}?"
#: more bylines and credit lines: each has a `name` (one or more names) group
CREDIT_RES = tuple(lazy(p, regex.M | regex.V1) for p in (
    rf"^[ \t]*(?i:texto?|testo|tekst|reportage|reporter|redakteur(?:in)?)[ \t]*:[ \t]*(?P<name>{_NAMES})[ \t]*$",
    rf"^[ \t]*(?:بقلم|كتب|كتبت|نویسنده|نوشته|گزارش)[ \t]*:?[ \t]*(?P<name>{_NAMES})[ \t]*$",
    rf"^[ \t]*โดย[ \t]*(?P<name>{_NAMES})[ \t]*$",
    r"^[ \t]*(?P<name>(?:[\p{L}\p{M}]+[ \t]+){0,3}(?:संवाददाता|प्रतिनिधि|ब्यूरो))(?:[ \t]*,[ \t]*[\p{L}\p{M} ]{1,30})?[ \t]*$",
    r"^[ \t]*[\p{L}\p{M} ]{1,30},[ \t]*(?P<name>(?:[\p{L}\p{M}]+[ \t]+){0,2}(?:संवाददाता|प्रतिनिधि))[ \t]*$",
    r"[（(][ \t]*(?:责任)?(?:编辑|作者|记者|撰稿|文)[ \t]*[：:][ \t]*(?P<name>[^）)\n]{1,40})[）)]",
    r"^[ \t]*(?:作者|记者|撰文|文)[ \t]*[：:|][ \t]*(?P<name>[\p{Han}·]{2,6}(?:[ \t、，,]+[\p{Han}·]{2,6}){0,3})[ \t]*$",
    r"[（(](?P<name>[\p{Han}\p{Katakana}\p{Hiragana}]{2,8})記者[）)]",
    r"(?:^|[ \t(（])(?P<name>\p{Hangul}{2,4})[ \t]+기자(?:[ \t]*=|[ \t]|$)",
))
_NAME_SPLIT = regex.compile(r"[ \t]*(?:[,;、，]|\band\b|\bund\b|\bet\b|\by\b|\be\b)[ \t]*|[ \t]+(?=\p{Han})")
#: an agency or outlet named by a tag: "(AP) —", "…PTI" at the end, "[ Bloomberg ]", "Source: X"
AGENCY_DATELINE_RE = lazy(rf"\((?P<outlet>{_AGENCY})\)[ \t]*[—–-]", regex.V1)
AGENCY_END_RE = lazy(rf"(?:^|[ \t—–\-(\[.!?”\"])[ \t]*(?P<outlet>{_AGENCY})[ \t]*[)\]]?[ \t]*$", regex.V1)
SOURCE_LINE_RE = lazy(r"^[ \t]*(?:Source|Quelle|Fuente|Fonte|Источник|Bron|来源|出典|출처)[ \t]*[:：][ \t]*"
                      r"(?P<outlet>[^\n]{2,60}?)[ \t.]*$", regex.M | regex.V1)


def credits(article: Article) -> tuple[tuple[str, ...], str | None]:
    """(authors, outlet) that the article's text states, near its top or end."""
    pieces = top_and_tail(article, 6, 2000, 3, 600)
    text = "\n".join(p.text for p in pieces)
    authors, outlet = _bylines(text)
    return authors, outlet or _outlet_tag(text)


def _bylines(text: str) -> tuple[tuple[str, ...], str | None]:
    for m in ROLE_BYLINE_RE.finditer(text):
        return (m.group("name").strip(),), m.group("outlet")
    for m in BYLINE_RE.finditer(text):
        if len(m.group(0).strip()) <= MAX_CREDIT_LINE and not NOT_A_NAME.fullmatch(m.group("name").split()[0]):
            tail = BYLINE_OUTLET_RE.match(m.group("tail") or "")
            names = _split(m.group("name"))
            agency = next((n for n in names if regex.fullmatch(_AGENCY, n)), None)
            outlet = tail.group("outlet") if tail else agency
            return tuple(n for n in names if n != agency), outlet
    for pattern in CREDIT_RES:
        for m in pattern.finditer(text):
            names = _split(m.group("name"))
            if names and len(m.group(0).strip()) <= MAX_CREDIT_LINE:
                return names, None
    return (), None


def _split(raw: str) -> tuple[str, ...]:
    parts = [p.strip(" .:-—") for p in _NAME_SPLIT.split(" ".join(raw.split()))]
    return tuple(dict.fromkeys(p for p in parts if p and len(p) <= 60))


def _outlet_tag(text: str) -> str | None:
    for pattern in (AGENCY_DATELINE_RE, SOURCE_LINE_RE):
        m = pattern.search(text)
        if m:
            return m.group("outlet").strip()
    m = AGENCY_END_RE.search(text.rstrip()[-80:])
    return m.group("outlet") if m else None
