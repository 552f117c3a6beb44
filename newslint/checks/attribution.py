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

from ..datefind import (
    ArticleText,
    block_piece,
    first_absolute,
    title_piece,
    top_and_tail,
    trie_pattern,
)
from ..hookspecs import hookimpl
from ..model import Article, Finding
from ..rule import ArticleRule, parse_examples

_NAME_WORD = r"\p{Lu}[\p{L}\p{M}'’.\-]*"
_NAME = (rf"{_NAME_WORD}(?:[ \t]+(?:{_NAME_WORD}|de|da|del|der|van|von|la|le|du|di|bin|al|and|und"
         rf"|et|y|&)|,[ \t]*{_NAME_WORD}){{0,8}}")
BYLINE_RE = regex.compile(
    rf"^[ \t]*(?:(?i:(?:written|posted|story|words|text|reporting|report)[ \t]+)?(?i:by|von|par|por)"
    rf"[ \t:]+|(?i:author|autor|auteur|автор|текст)[ \t]*:[ \t]*)(?P<name>{_NAME})"
    rf"(?P<tail>[ \t]*(?:[,|•·–—\-]|\b(?:for|in|at|für|pour|para)\b)[^\n]{{0,80}})?[ \t]*$",
    regex.MULTILINE | regex.V1)
#: "Patricio Candia | Palma de Mallorca | 08/01/2014": a name, a separator, and a date
NAME_DATE_RE = regex.compile(r"^[ \t]*(?P<name>\p{Lu}[\p{L}\p{M}'’-]+(?:[ \t]+\p{Lu}[\p{L}\p{M}.'’-]+){1,3})"
                             r"[ \t]*[|,·•–—][^\n]{0,80}$", regex.MULTILINE | regex.V1)
VIEW_COUNTER_RE = regex.compile(r"\d[\d.,]*\s*[KkMm]?\s+(?:views|Aufrufe|vues|vistas|просмотр\w*)")
NOT_A_NAME = regex.compile(r"(?i)(?:mon|tues|wednes|thurs|fri|satur|sun)day|january|february|march"
                           r"|april|may|june|july|august|september|october|november|december|the end")
_AGENCY = (r"AP|AFP|Reuters|dpa|DPA|EFE|ANSA|TASS|ТАСС|Xinhua|UPI|PTI|IANS|Interfax|Bloomberg|RIA"
           r"|РИА Новости|Интерфакс|Kyodo|Yonhap|KNA|APA|SDA|Belga|ANP|Europa Press")
_ATTRIBUTION = (
    (r"(?<!\p{Ll})(?:Source|Sources|SOURCE|SOURCES|Source attribution|Quelle|Quellen|Fuente|Fuentes"
     r"|Fonte|Fontes|Источник|Источники|Bron)[ \t]*:[ \t]*\S"),
    r"^[ \t]*(?i:via)[ \t]*:?[ \t]+\p{Lu}",
    (r"\b(?:[Aa]ccording to|[Ss]elon|[Ss]eg[úu]n|[Dd]e acuerdo con|[Пп]о данным|[Пп]о словам"
     r"|[Пп]о сообщению|[Сс]ообщает|told|a déclaré à|dijo a)[ \t]+"
     r"(?:the[ \t]+|l['’]|la[ \t]+|le[ \t]+|el[ \t]+|los[ \t]+)?\p{Lu}"),
    rf"\((?:{_AGENCY}|\p{{Lu}}{{2,6}})\)[ \t]*[—–-]",
    (r"\b(?:[Aa]dditional reporting by|[Rr]eporting by|[Ee]diting by|[Ww]ith reporting from"
     r"|[Ww]ritten by|[Mm]it Material von|[Aa]vec l['’]?AFP|[Cc]on información de|[Пп]о материалам)"
     r"[ \t]+\S"),
    r"(?:©|\((?i:c)\))[ \t]*(?:\d{4}[ \t]*)?\p{L}|(?i:copyright)[ \t]+(?:©[ \t]*)?(?:\d{4}[ \t]+)?\p{Lu}",
    r"【[^】\n]{0,20}(?:AFP|AP|時事|共同|ロイター)[^】\n]{0,10}】|\(\p{Hangul}{1,10}=\p{Hangul}{1,10}\)",
    r"(?:新华社|中新社|本报|\p{Han}{1,6}社)\p{Han}{0,8}\d{1,2}月\d{1,2}日(?:电|讯)|[（(]记者",
)
#: Searched one by one: each has a literal or narrow start the engine finds
#: fast, where one alternation of them all would be tried at every position.
ATTRIBUTION_PATTERNS = tuple(regex.compile(p, regex.V1 | regex.MULTILINE) for p in _ATTRIBUTION)


REPORTED_RE = regex.compile(r"\b(?:reported|reports|said in a statement|berichtete|meldete"
                            r"|a rapporté|informó)\b")
#: "<Outlet> reported": a wire agency or two to five capitalised words
OUTLET_BEFORE_RE = regex.compile(
    rf"(?<!\w)(?:{_AGENCY}|\p{{Lu}}[\p{{L}}.&'’-]+(?:[ \t]+\p{{Lu}}[\p{{L}}.&'’-]+){{1,4}})"
    r"(?:[ \t]+first)?[ \t]+$", regex.V1)


def has_attribution(text: str) -> bool:
    if any(p.search(text) for p in ATTRIBUTION_PATTERNS):
        return True
    return any(OUTLET_BEFORE_RE.search(text, max(0, m.start() - 100), m.start())
               for m in REPORTED_RE.finditer(text))


CITATION_RE = regex.compile(r"\[(\d{1,3}(?:[ \t]*[,–—-][ \t]*\d{1,3})*)\](?!\()")
FOOTNOTE_LINE_RE = regex.compile(r"^[ \t]*(?:\[\d{1,3}\]|\^\d{1,3}|\d{1,3}[.)])[ \t]*\S", regex.M)
REFERENCES_RE = regex.compile(
    r"^[ \t]*(?:#+[ \t]*)?(?i:references?|sources?|notes|footnotes|bibliography|works cited"
    r"|citations|quellen|einzelnachweise|anmerkungen|literatur|références|referencias|fuentes"
    r"|notas|bibliografía|источники|литература|примечания|ссылки)[ \t]*:?[ \t]*$",
    regex.M | regex.V1)
URL_RE = regex.compile(r"https?://|\bwww\.\w", regex.I)

_EN_NOUN = (r"analysts|observers|experts|critics|commentators|insiders|sources|pundits|watchers"
            r"|onlookers|skeptics|sceptics|people familiar with the matter|people close to the matter")
_EN_VERB = (r"say|said|note|noted|argue|argued|believe|believed|caution|cautioned|warn|warned"
            r"|suggest|suggested|describe|described|contend|contended|claim|claimed|point out"
            r"|pointed out|fear|feared|predict|predicted|estimate|estimated|expect|expected|think"
            r"|thought|agree|agreed|insist|insisted|speculate|speculated")
VAGUE = {
    "en": rf"(?:(?:some|many|several|most|other)\s+)?(?:{_EN_NOUN})\s+(?:have\s+|had\s+)?(?:{_EN_VERB})"
          rf"|according to (?:some |many |several |unnamed |anonymous )?(?:{_EN_NOUN}|reports)"
          r"|it is (?:widely |generally |often )?(?:believed|said|thought|rumou?red|understood"
          r"|claimed|alleged) that|(?:some|many) (?:say|said|believe|argue|argued|claim)"
          r"|(?:unnamed|anonymous) (?:sources?|officials?)|sources (?:close to|familiar with)",
    "de": r"(?:Experten|Beobachtern|Analysten|Kritikern|Insidern|Kreisen) zufolge"
          r"|laut (?:Experten|Beobachtern|Analysten|Insidern|Kritikern)"
          r"|(?:Experten|Beobachter|Analysten|Kritiker|Insider) (?:sagen|meinen|glauben|warnen"
          r"|befürchten|gehen davon aus|schätzen)|wie es (?:heißt|hieß)|aus (?:gut )?informierten Kreisen",
    "fr": r"selon (?:des |certains |plusieurs |les |de nombreux )?(?:observateurs|experts|analystes"
          r"|sources|spécialistes|commentateurs)|selon certains|de source sûre|on dit que"
          r"|(?:les|des|certains|plusieurs) (?:observateurs|experts|analystes|spécialistes"
          r"|commentateurs|critiques) (?:estiment|notent|soulignent|affirment|pensent|jugent|craignent)",
    "es": r"según (?:algunos |varios |los |las )?(?:analistas|expertos|observadores|fuentes"
          r"|especialistas)|según algunos|fuentes (?:cercanas|consultadas|próximas)"
          r"|(?:los |algunos |varios |muchos )?(?:analistas|expertos|observadores|críticos) (?:dicen"
          r"|señalan|advierten|creen|afirman|opinan|consideran|sostienen)|se (?:cree|dice) que",
    "ru": r"по мнению (?:экспертов|аналитиков|наблюдателей|специалистов|критиков|некоторых)"
          r"|по словам (?:экспертов|аналитиков|наблюдателей|источников|специалистов)"
          r"|(?:эксперты|аналитики|наблюдатели|критики|специалисты) (?:считают|отмечают|говорят"
          r"|полагают|предупреждают|утверждают)|по некоторым данным|по информации источников"
          r"|источники (?:сообщают|утверждают|сообщили)|как считают",
}
#: The first word of every phrase in VAGUE: a cheap test that rules out most
#: word starts before the phrases are tried. Add the first word of a new phrase here.
_VAGUE_FIRST = (
    "some many several most other analysts observers experts critics commentators insiders sources "
    "pundits watchers onlookers skeptics sceptics people according it unnamed anonymous "
    "experten beobachtern analysten kritikern insidern kreisen laut beobachter kritiker insider wie "
    "aus selon de on les des certains plusieurs según fuentes los algunos varios muchos analistas "
    "expertos observadores críticos se по эксперты аналитики наблюдатели критики специалисты "
    "источники как")
VAGUE_FIRST_WORDS = _VAGUE_FIRST.split()
_VAGUE_ALTERNATIVES = "|".join(f"(?P<{lang}>{alts})" for lang, alts in VAGUE.items())
VAGUE_RE = regex.compile(rf"\b(?={trie_pattern(VAGUE_FIRST_WORDS)}\b)(?:{_VAGUE_ALTERNATIVES})(?!\w)",
                         regex.IGNORECASE | regex.V1)
_LAST_WORD = regex.compile(r"(\S+)[ \t]+$")
DETERMINERS = frozenset({"the", "some", "many", "most", "several", "other", "these", "those",
                         "such", "a", "an", "both", "all", "few", "but", "and", "yet", "as", "while"})


def whole_text(article: Article) -> ArticleText:
    pieces = [p for p in (title_piece(article),) if p]
    pieces += [block_piece(article, b, "body") for b in article.blocks]
    return ArticleText(article, pieces)


def byline(article: Article) -> tuple[str | None, str | None]:
    """(a byline name near the top or bottom, a rejected byline-like line)."""
    scan = ArticleText(article, top_and_tail(article, 6, 2000, 3, 600))
    rejected = None
    for m in BYLINE_RE.finditer(scan.text):
        if VIEW_COUNTER_RE.search(m.group(0)):
            rejected = rejected or m.group(0).strip()
        elif len(m.group(0).strip()) <= 150 and not NOT_A_NAME.fullmatch(m.group("name").split()[0]):
            return m.group("name"), None
    for m in NAME_DATE_RE.finditer(scan.text):
        if first_absolute(m.group(0)):
            return m.group("name"), None
    for line in scan.text.split("\n"):
        if VIEW_COUNTER_RE.search(line) and regex.match(r"\s*(?i:by)\s", line) and len(line) <= 150:
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
        if name or has_attribution(whole_text(article).text):
            return
        note = f" ('{rejected}' is a view counter, not a byline)" if rejected else ""
        yield self.finding(article, "no author, outlet or source attribution: nothing says who "
                           f"wrote or reported this{note}")


def has_references(text: str, after: int) -> bool:
    """A references/sources section or any URL anywhere, or footnote or
    numbered lines (`[1] …`, `1. …`) after offset `after`."""
    return bool(URL_RE.search(text) or REFERENCES_RE.search(text)
                or FOOTNOTE_LINE_RE.search(text, after))


def inline_citations(text: str) -> list[regex.Match]:
    """Citation markers inside a line (one that starts a line is a footnote)."""
    return [m for m in CITATION_RE.finditer(text)
            if text[text.rfind("\n", 0, m.start()) + 1:m.start()].strip()]


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
    return [m for m in VAGUE_RE.finditer(scan.text)
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


@hookimpl
def newslint_register_rules(register):
    register(UnattributedSource())
    register(DanglingCitation())
    register(VagueAttribution())
