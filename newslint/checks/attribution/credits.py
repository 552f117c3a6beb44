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

from newslint.checks.attribution.patterns import _AGENCY, NOT_A_NAME, byline_lines
from newslint.lazy import lazy
from newslint.model import Article
from newslint.text.agencies import AGENCY_NAMES
from newslint.text.needles import Needles, folded

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
#: more bylines and credit lines, each with a `name` group (one or more names) and the
#: needles (case-folded) one of which it holds: a pattern runs only on a text holding one
_CREDITS = (
    (rf"^[ \t]*(?i:texto?|testo|tekst|reportage|reporter|redakteur(?:in)?)[ \t]*:[ \t]*(?P<name>{_NAMES})[ \t]*$",
     ("text", "testo", "tekst", "reportage", "reporter", "redakteur")),
    (rf"^[ \t]*(?:بقلم|كتب|كتبت|نویسنده|نوشته|گزارش)[ \t]*:?[ \t]*(?P<name>{_NAMES})[ \t]*$",
     ("بقلم", "كتب", "نویسنده", "نوشته", "گزارش")),
    (rf"^[ \t]*โดย[ \t]*(?P<name>{_NAMES})[ \t]*$", ("โดย",)),
    (r"^[ \t]*(?P<name>(?:[\p{L}\p{M}]+[ \t]+){0,3}(?:संवाददाता|प्रतिनिधि|ब्यूरो))(?:[ \t]*,[ \t]*[\p{L}\p{M} ]{1,30})?[ \t]*$",
     ("संवाददाता", "प्रतिनिधि", "ब्यूरो")),
    (r"^[ \t]*[\p{L}\p{M} ]{1,30},[ \t]*(?P<name>(?:[\p{L}\p{M}]+[ \t]+){0,2}(?:संवाददाता|प्रतिनिधि))[ \t]*$",
     ("संवाददाता", "प्रतिनिधि")),
    (r"[（(][ \t]*(?:责任)?(?:编辑|作者|记者|撰稿|文)[ \t]*[：:][ \t]*(?P<name>[^）)\n]{1,40})[）)]",
     ("编辑", "作者", "记者", "撰稿", "文")),
    (r"^[ \t]*(?:作者|记者|撰文|文)[ \t]*[：:|][ \t]*(?P<name>[\p{Han}·]{2,6}(?:[ \t、，,]+[\p{Han}·]{2,6}){0,3})[ \t]*$",
     ("作者", "记者", "文")),
    (r"[（(](?P<name>[\p{Han}\p{Katakana}\p{Hiragana}]{2,8})記者[）)]", ("記者",)),
    (r"(?:^|[ \t(（])(?P<name>\p{Hangul}{2,4})[ \t]+기자(?:[ \t]*=|[ \t]|$)", ("기자",)),
)
CREDIT_RES = tuple(lazy(p, regex.M | regex.V1) for p, _ in _CREDITS)
CREDIT_NEEDLES = tuple(Needles(n) for _, n in _CREDITS)
CREDIT_LINE_ONLY = tuple(p.startswith("^") for p, _ in _CREDITS)  # read the short lines only
ROLE_NEEDLES = Needles(("staff", "correspondent", "desk", "editorial", "agencies", "wire service",
                        "redaktion", "rédaction", "redacción", "редакция"))
_NAME_SPLIT = regex.compile(r"[ \t]*(?:[,;、，]|\band\b|\bund\b|\bet\b|\by\b|\be\b)[ \t]*|[ \t]+(?=\p{Han})")
#: an agency or outlet named by a tag: "(AP) —", "…PTI" at the end, "[ Bloomberg ]", "Source: X"
AGENCY_NAME_RE = lazy(rf"(?:{_AGENCY})", regex.V1)
AGENCY_DATELINE_RE = lazy(rf"\((?P<outlet>{_AGENCY})\)[ \t]*[—–-]", regex.V1)
AGENCY_END_RE = lazy(rf"(?:^|[ \t—–\-(\[.!?”\"])[ \t]*(?P<outlet>{_AGENCY})[ \t]*[)\]]?[ \t]*$", regex.V1)
SOURCE_LINE_RE = lazy(r"^[ \t]*(?:Source|Quelle|Fuente|Fonte|Источник|Bron|来源|出典|출처)[ \t]*[:：][ \t]*"
                      r"(?P<outlet>[^\n]{2,60}?)[ \t.]*$", regex.M | regex.V1)


def credits(article: Article) -> tuple[tuple[str, ...], str | None]:
    """(authors, outlet) that the article's text states, near its top or end.
    Line patterns read only the short lines (a credit line is short; most of an
    article is long paragraphs), the others the whole text."""
    text = _edges(article)
    short = "\n".join(line for line in text.split("\n") if len(line) <= MAX_CREDIT_LINE)
    authors, outlet = _bylines(text, short)
    return authors, outlet or _outlet_tag(text, short)


TOP_BLOCKS, TOP_CHARS, TAIL_BLOCKS, TAIL_CHARS = 6, 2000, 3, 600


def _edges(article: Article) -> str:
    """The title, the first blocks (up to TOP_CHARS characters) and the end of
    the last blocks: where bylines, credits and agency tags stand."""
    parts, budget = [article.title or ""], TOP_CHARS
    blocks = article.blocks
    for block in blocks[:TOP_BLOCKS]:
        if budget <= 0:
            break
        parts.append(block.text[:budget])
        budget -= len(block.text)
    first_tail = max(len(blocks) - TAIL_BLOCKS, min(len(blocks), TOP_BLOCKS))
    parts += [block.text[-TAIL_CHARS:] for block in blocks[first_tail:]]
    return "\n".join(parts)


def _bylines(text: str, short: str) -> tuple[tuple[str, ...], str | None]:
    folded_short = folded(short)
    if ROLE_NEEDLES.found_in(folded_short):
        for m in ROLE_BYLINE_RE.finditer(short):
            return (m.group("name").strip(),), m.group("outlet")
    for m in byline_lines(short):
        if not NOT_A_NAME.fullmatch(m.group("name").split()[0]):
            tail = BYLINE_OUTLET_RE.match(m.group("tail") or "")
            names = _split(m.group("name"))
            agency = next((n for n in names if AGENCY_NAME_RE.fullmatch(n)), None)
            outlet = tail.group("outlet") if tail else agency
            return tuple(n for n in names if n != agency), outlet
    for pattern, needles, line_only in zip(CREDIT_RES, CREDIT_NEEDLES, CREDIT_LINE_ONLY):
        # the others' needles are Chinese, Japanese and Korean words that their
        # patterns spell out as they are, and case folding changes no such
        # character: they are looked for in the text itself (not folded, 30 µs)
        if not needles.found_in(folded_short if line_only else text):
            continue
        for m in pattern.finditer(short if line_only else text):
            names = _split(m.group("name"))
            if names and len(m.group(0).strip()) <= MAX_CREDIT_LINE:
                return names, None
    return (), None


def _split(raw: str) -> tuple[str, ...]:
    parts = [p.strip(" .:-—") for p in _NAME_SPLIT.split(" ".join(raw.split()))]
    return tuple(dict.fromkeys(p for p in parts if p and len(p) <= 60))


def _outlet_tag(text: str, short: str) -> str | None:
    for pattern, where in ((AGENCY_DATELINE_RE, text), (SOURCE_LINE_RE, short)):
        m = pattern.search(where)
        if m:
            return m.group("outlet").strip()
    end = text.rstrip()[-80:]
    m = AGENCY_END_RE.search(end) if _ends_on_agency(end) else None
    return m.group("outlet") if m else None


def _ends_on_agency(end: str) -> bool:
    """Can AGENCY_END_RE match `end` (which ends on no blank)? Only if it ends
    on an agency's name, or on one and a closing bracket: the pattern, tried
    at each of 80 positions, costs 15 µs."""
    if end.endswith((")", "]")):
        end = end[:-1].rstrip(" \t")
    return end.endswith(AGENCY_NAMES)
