"""Patterns of the unattributed-source rules (newslint.checks.attribution.rules), each
with the needles (see newslint.text.needles) that every match of it holds:
the rules run a pattern only over a text that holds one of its needles."""
from __future__ import annotations

from collections.abc import Iterator

import regex

from newslint.lazy import lazy
from newslint.text.agencies import AGENCY
from newslint.text.needles import Needles, folded, trie_pattern

_NAME_WORD = r"\p{Lu}[\p{L}\p{M}'’.\-]*"
_NAME = (rf"{_NAME_WORD}(?:[ \t]+(?:{_NAME_WORD}|de|da|del|der|van|von|la|le|du|di|bin|al|and|und"
         rf"|et|y|&)|,[ \t]*{_NAME_WORD}){{0,8}}")
BYLINE_RE = lazy(
    rf"^[ \t]*(?:(?i:(?:written|posted|story|words|text|reporting|report)[ \t]+)?(?i:by|von|par|por|door|di)"
    rf"[ \t:]+|(?i:author|autor|auteur|autore|auteur|автор|текст)[ \t]*:[ \t]*)(?P<name>{_NAME})"
    rf"(?P<tail>[ \t]*(?:[,|•·–—\-]|\b(?:for|in|at|für|pour|para)\b)[^\n]{{0,80}})?[ \t]*$",
    regex.MULTILINE | regex.V1)
#: "Patricio Candia | Palma de Mallorca | 08/01/2014": a name, a separator, and a date
NAME_DATE_RE = lazy(r"^[ \t]*(?P<name>\p{Lu}[\p{L}\p{M}'’-]+(?:[ \t]+\p{Lu}[\p{L}\p{M}.'’-]+){1,3})"
                    r"[ \t]*[|,·•–—][^\n]{0,80}$", regex.MULTILINE | regex.V1)
VIEW_COUNTER_RE = lazy(r"\d[\d.,]*\s*[KkMm]?\s+(?:views|Aufrufe|vues|vistas|просмотр\w*)")
#: How the line of a BYLINE_RE match starts after its blanks, case-folded ("reporting" is
#: in "report"): a cheap test of each line before the pattern reads the text.
BYLINE_STARTS = ("written", "posted", "story", "words", "text", "report", "by", "von", "par",
                 "por", "door", "di", "author", "autor", "auteur", "автор", "текст")


def byline_lines(text: str) -> Iterator[regex.Match]:
    """`BYLINE_RE.finditer(text)`: each match is a whole line (`^...$`) that
    starts as a byline does (BYLINE_STARTS), so only such lines are tried
    (the engine would try the pattern at every position of the text)."""
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        head = line.lstrip(" \t")[:16]
        # an ASCII first letter folds to its lower case: most lines end here
        if (not head[:1].isascii() or head[:1].lower() in _BYLINE_FIRST) \
                and folded(head).startswith(BYLINE_STARTS):
            m = BYLINE_RE.match(text, start, end)  # `$` and `\b` see the same at `end`
            if m:
                yield m
        start = end + 1


def line_matches(pattern, text: str) -> Iterator[regex.Match]:
    """`pattern.finditer(text)` for a pattern whose every match is a whole
    line (`^...$` with MULTILINE, nothing that reads a line break): matched at
    each line start instead of tried at every position."""
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        m = pattern.match(text, start, end)
        if m:
            yield m
        start = end + 1


_BYLINE_FIRST = frozenset(start[0] for start in BYLINE_STARTS)
NOT_A_NAME = lazy(r"(?i)(?:mon|tues|wednes|thurs|fri|satur|sun)day|january|february|march"
                  r"|april|may|june|july|august|september|october|november|december|the end")
_AGENCY = AGENCY
#: (pattern, needles): a pattern is searched only on the lines that hold one of
#: its needles (`ArticleText.finditer_near`: no match of these runs over a line
#: break, and every one holds a needle); None: everywhere (it starts with a rare
#: character or a capitalised word, which the regex engine finds fast on its own).
_ATTRIBUTION = (
    ((r"(?<!\p{Ll})(?:Source|Sources|SOURCE|SOURCES|Source attribution|Quelle|Quellen|Fuente|Fuentes"
      r"|Fonte|Fontes|Источник|Источники|Bron)[ \t]*:[ \t]*\S"),
     ("source", "quelle", "fuente", "fonte", "источник", "bron")),  # its lookbehind first: slow
    (r"^[ \t]*(?i:via)[ \t]*:?[ \t]+\p{Lu}", ("via",)),
    ((r"\b(?:[Aa]ccording to|[Ss]elon|[Ss]eg[úu]n|[Dd]e acuerdo con|[Пп]о данным|[Пп]о словам"
      r"|[Пп]о сообщению|[Сс]ообщает|told|a déclaré à|dijo a)[ \t]+"
      r"(?:the[ \t]+|l['’]|la[ \t]+|le[ \t]+|el[ \t]+|los[ \t]+)?\p{Lu}"),
     ("according to", "selon", "según", "segun", "de acuerdo con", "по данным", "по словам",
      "по сообщению", "сообщает", "told", "a déclaré à", "dijo a")),
    (rf"\((?:{_AGENCY}|\p{{Lu}}{{2,6}})\)[ \t]*[—–-]", None),
    ((r"\b(?:[Aa]dditional reporting by|[Rr]eporting by|[Ee]diting by|[Ww]ith reporting from"
      r"|[Ww]ritten by|[Mm]it Material von|[Aa]vec l['’]?AFP|[Cc]on información de|[Пп]о материалам)"
      r"[ \t]+\S"),
     ("reporting ", "editing by", "written by", "mit material von", "afp", "con información de",
      "по материалам")),
    (r"(?:©|\((?i:c)\))[ \t]*(?:\d{4}[ \t]*)?\p{L}|(?i:copyright)[ \t]+(?:©[ \t]*)?(?:\d{4}[ \t]+)?\p{Lu}",
     ("©", "(c)", "copyright")),
    (r"【[^】\n]{0,20}(?:AFP|AP|時事|共同|ロイター)[^】\n]{0,10}】|\(\p{Hangul}{1,10}=\p{Hangul}{1,10}\)",
     ("【", "=")),
    (r"(?:新华社|中新社|本报|\p{Han}{1,6}社)\p{Han}{0,8}\d{1,2}月\d{1,2}日(?:电|讯)|[（(]记者",
     ("月", "记者")),
)
#: Searched one by one: each has a literal or narrow start the engine finds
#: fast, or needles, where one alternation of them all would be tried at every position.
ATTRIBUTION_PATTERNS = tuple(lazy(p, regex.V1 | regex.MULTILINE) for p, _ in _ATTRIBUTION)
ATTRIBUTION_NEEDLES = tuple(needles and Needles(needles) for _, needles in _ATTRIBUTION)


#: every match holds a needle of REPORTED_NEEDLES and no line break (see above)
REPORTED_RE = lazy(r"\b(?:reported|reports|said in a statement|berichtete|meldete"
                   r"|a rapporté|informó)\b")
REPORTED_NEEDLES = Needles(("report", "said in a statement", "berichtete", "meldete", "a rapporté",
                            "informó"))
#: "<Outlet> reported": a wire agency or two to five capitalised words
OUTLET_BEFORE_RE = lazy(
    rf"(?<!\w)(?:{_AGENCY}|\p{{Lu}}[\p{{L}}.&'’-]+(?:[ \t]+\p{{Lu}}[\p{{L}}.&'’-]+){{1,4}})"
    r"(?:[ \t]+first)?[ \t]+$", regex.V1)


CITATION_RE = lazy(r"\[(\d{1,3}(?:[ \t]*[,–—-][ \t]*\d{1,3})*)\](?!\()")
FOOTNOTE_LINE_RE = lazy(r"^[ \t]*(?:\[\d{1,3}\]|\^\d{1,3}|\d{1,3}[.)])[ \t]*\S", regex.M)
REFERENCES_RE = lazy(
    r"^[ \t]*(?:#+[ \t]*)?(?i:references?|sources?|notes|footnotes|bibliography|works cited"
    r"|citations|quellen|einzelnachweise|anmerkungen|literatur|références|referencias|fuentes"
    r"|notas|bibliografía|источники|литература|примечания|ссылки)[ \t]*:?[ \t]*$",
    regex.M | regex.V1)
URL_RE = lazy(r"https?://|\bwww\.\w", regex.I)

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
VAGUE_RE = lazy(rf"\b(?={trie_pattern(VAGUE_FIRST_WORDS)}\b)(?:{_VAGUE_ALTERNATIVES})(?!\w)",
                regex.IGNORECASE | regex.V1)
#: Needles for VAGUE_RE: its matches are looked for only between the punctuation
#: marks around them (`ArticleText.finditer_between`: a phrase is made of letters
#: and blanks only). Every phrase holds one of these nouns ("criti" for critics and
#: critiques, "eptic" for skeptics and sceptics, "observ" for observers, observateurs and
#: observadores) or, where it has none, its own words ("it is ", "selon ", "wie es ",
#: "some sa" for "some say" and "some said", "dit que" for "on dit que"): the rarer a
#: needle, the fewer stretches of text the pattern is tried on. tests/checks/
#: test_attribution.py spells out every phrase of VAGUE and checks it holds one.
VAGUE_NEEDLES = Needles((
    "analyst", "analist", "observ", "beobachter", "expert", "criti", "crític", "kritiker",
    "commentat", "insider", "source", "pundit", "watcher", "onlooker", "eptic", "the matter",
    "according to", "it is ", "some sa", "some believ", "some argu", "some claim", "many sa",
    "many believ", "many argu", "many claim", "unnamed", "anonymous", "zufolge", "wie es ",
    "informierten", "selon ", "dit que", "cree que", "dice que", "spécialiste", "según",
    "fuentes ", "по мнению",
    "по словам", "эксперты", "аналитики", "наблюдатели", "критики", "специалисты",
    "по некоторым данным", "по информации источников", "источники", "как считают"))
_LAST_WORD = lazy(r"(\S+)[ \t]+$")
DETERMINERS = frozenset({"the", "some", "many", "most", "several", "other", "these", "those",
                         "such", "a", "an", "both", "all", "few", "but", "and", "yet", "as", "while"})

