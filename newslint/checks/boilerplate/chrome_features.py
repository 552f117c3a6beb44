"""Shallow text features of the lines of a page, for the page-chrome classifier.

In the spirit of jusText and Kohlschütter et al. ("Boilerplate detection using
shallow text features", 2010): each line is described by its length, words,
stopword density (in the page's language), sentence shape, title case, digits,
link-like text, chrome vocabulary and position, and by the same few measures
of its neighbours, which carry most of the signal (a run of short lines is a
menu, a run of headline-shaped lines is a list of other stories).

Stopword lists: jusText's stoplists (BSD 2-Clause, `data/STOPWORDS-LICENSE.txt`)
for English, German, French, Spanish, Russian, Portuguese, Italian and Dutch.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import regex

DATA = Path(__file__).resolve().parent / "data"

WORD_RE = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’\-]*")
TERMINAL_RE = regex.compile(r"[.!?…:;][\"'”’»)\]]*$")
SENTENCE_RE = regex.compile(r"[.!?…][\"'”’»)]*\s+[\"'“‘«(]?\p{Lu}")
LINKISH_RE = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.uk|de|fr|es|ru)\b|@\w|#\w", re.I)
SEPARATOR_RE = re.compile(r"\s[|•·/»›>\-–—]\s|^[|•·»›>\-–—*]\s*|\s[|•·»›]$")
YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}:\d\d\b")
BULLET_RE = regex.compile(r"^(?:[-*•·–—▪►]|\d{1,2}[.)])\s")
QUOTE_RE = re.compile(r"[\"“”„«»]")

#: words and phrases of page chrome, by kind; the first match names a run's kind
#: (kept short and multilingual: en, de, fr, es, ru)
KIND_PATTERNS: dict[str, str] = {
    "cookie banner": r"cookies?|consent|einwilligung|consentement|consentimiento|куки|файлы cookie",
    "share/follow": r"share|shares|tweet|facebook|twitter|linkedin|whatsapp|pinterest|instagram|"
                    r"telegram|reddit|e-?mail|follow(?: us)?|teilen|partager|compartir|"
                    r"поделиться|подписаться|rss|print|drucken|imprimer|imprimir",
    "footer/legal": r"©|copyright|all rights reserved|privacy|terms(?: of (?:use|service))?|"
                    r"impressum|datenschutz|mentions légales|confidentialité|aviso legal|"
                    r"privacidad|политика конфиденциальности|все права защищены|contact us|"
                    r"about us|careers|sitemap|accessibility|kontakt|contacto|контакты",
    "comments": r"comments?|reply|replies|kommentar\w*|commentaires?|comentarios?|"
                r"комментари\w*|ответить|log ?in|sign ?in|sign ?up|register|anmelden|"
                r"connexion|iniciar sesión|войти|регистрация",
    "ads": r"advertisement|advertising|sponsored|anzeige|werbung|publicité|publicidad|реклама",
    "newsletter": r"newsletter|subscribe|subscription|abonn\w+|suscr\w+|рассылк\w+",
    "caption/credit": r"photo|photograph|image|credit|getty|reuters|afp|ap photo|shutterstock|"
                      r"foto|bild|crédit|фото",
    "pagination": r"next|previous|prev|page \d+|older|newer|weiter|zurück|suivant|précédent|"
                  r"siguiente|anterior|далее|назад|load more|show more|more stories",
    "navigation menu": r"home|menu|search|skip to (?:main )?content|navigation|sections?|"
                       r"startseite|suche|accueil|recherche|inicio|buscar|главная|поиск",
}
KIND_RES = {kind: regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{p})(?![\p{{L}}\p{{N}}])", regex.I)
            for kind, p in KIND_PATTERNS.items()}
ANY_KIND_RE = regex.compile("|".join(f"(?:{r.pattern})" for r in KIND_RES.values()), regex.I)

NAMES = (
    "bias", "log_chars", "log_words", "short", "medium", "long", "stop_density", "terminal",
    "sentences", "title_case", "headline", "digits", "linkish", "separators", "year",
    "bullet", "quotes", "commas", "all_caps", "chrome_words", "chrome_density",
    "position", "head", "tail", "repeated",
) + tuple(f"kind:{kind}" for kind in KIND_PATTERNS)
CONTEXT = ("short", "stop_density", "terminal", "log_words", "chrome_words", "headline")
CONTEXT_OFFSETS = (-2, -1, 1, 2)


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    raw = json.loads((DATA / "stopwords.json").read_text(encoding="utf-8"))
    return {lang: frozenset(words) for lang, words in raw["languages"].items()}


def page_language(words: list[str]) -> str:
    """The language whose stopwords cover most of the page's words (English when none do)."""
    lists = stopwords()
    best, best_hits = "en", 0
    for lang, stops in lists.items():
        hits = sum(1 for w in words if w in stops)
        if hits > best_hits:
            best, best_hits = lang, hits
    return best


def line_features(text: str, stops: frozenset[str], position: float, head: bool, tail: bool,
                  repeated: int) -> dict[str, float]:
    words = WORD_RE.findall(text)
    n = len(words)
    lower = [w.lower() for w in words]
    alpha = [w for w in words if w[0].isalpha()]
    upper = sum(1 for w in alpha if w[0].isupper())
    chrome = len(ANY_KIND_RE.findall(text))
    digits = sum(ch.isdigit() for ch in text)
    letters = [ch for ch in text if ch.isalpha()]
    terminal = bool(TERMINAL_RE.search(text))
    return {
        "bias": 1.0,
        "log_chars": math.log1p(len(text)),
        "log_words": math.log1p(n),
        "short": float(n <= 3),
        "medium": float(3 < n <= 12),
        "long": float(n > 25),
        "stop_density": sum(1 for w in lower if w in stops) / n if n else 0.0,
        "terminal": float(terminal),
        "sentences": math.log1p(len(SENTENCE_RE.findall(text))),
        "title_case": upper / len(alpha) if alpha else 0.0,
        "headline": float(4 <= n <= 20 and not terminal and bool(alpha) and upper >= 0.6 * len(alpha)),
        "digits": digits / len(text) if text else 0.0,
        "linkish": float(bool(LINKISH_RE.search(text))),
        "separators": math.log1p(len(SEPARATOR_RE.findall(text))),
        "year": float(bool(YEAR_RE.search(text))),
        "bullet": float(bool(BULLET_RE.match(text))),
        "quotes": float(bool(QUOTE_RE.search(text))),
        "commas": text.count(",") / n if n else 0.0,
        "all_caps": float(len(letters) >= 4 and all(ch.isupper() for ch in letters)),
        "chrome_words": float(chrome > 0),
        "chrome_density": min(chrome / n, 1.0) if n else 0.0,
        "position": position,
        "head": float(head),
        "tail": float(tail),
        "repeated": math.log1p(repeated),
        **{f"kind:{kind}": float(bool(chrome) and bool(r.search(text))) for kind, r in KIND_RES.items()},
    }


def feature_names() -> list[str]:
    names = list(NAMES)
    for offset in CONTEXT_OFFSETS:
        names += [f"{name}@{offset:+d}" for name in CONTEXT]
    names += ["window_short", "window_prose", "gap_prose_before", "gap_prose_after",
              "outside_prose"]
    return names


def is_prose(f: dict[str, float]) -> bool:
    return f["log_words"] >= math.log1p(12) and f["terminal"] > 0 and f["stop_density"] >= 0.2


def page_features(lines: list[str]) -> list[list[float]]:
    """One feature vector (in `feature_names()` order) per line of a page (its
    non-empty lines in order, the title left out)."""
    all_words = [w.lower() for text in lines for w in WORD_RE.findall(text)]
    stops = stopwords()[page_language(all_words)]
    n = len(lines)
    edge = max(3, n // 10)
    keys = [" ".join(WORD_RE.findall(text.lower())) for text in lines]
    seen = Counter(keys)
    base = [line_features(text, stops, i / max(n - 1, 1), i < edge, i >= n - edge,
                          seen[key] - 1 if key else 0) for i, (text, key) in enumerate(zip(lines, keys))]
    prose = [is_prose(f) for f in base]
    prose_at = [i for i, p in enumerate(prose) if p]
    first, last = (prose_at[0], prose_at[-1]) if prose_at else (n, -1)
    out = []
    for i, f in enumerate(base):
        row = [f[name] for name in NAMES]
        for offset in CONTEXT_OFFSETS:
            j = i + offset
            g = base[j] if 0 <= j < n else None
            row += [g[name] if g else 0.0 for name in CONTEXT]
        window = base[max(0, i - 4): i + 5]
        row.append(sum(g["short"] for g in window) / len(window))
        row.append(sum(prose[max(0, i - 4): i + 5]) / len(window))
        row.append(math.log1p(_gap(prose, i, -1)))
        row.append(math.log1p(_gap(prose, i, 1)))
        row.append(float(i < first or i > last))
        out.append(row)
    return out


def _gap(prose: list[bool], i: int, step: int) -> int:
    """Lines from i to the nearest prose line in direction `step` (50 when none)."""
    j, k = i + step, 1
    while 0 <= j < len(prose) and k < 50:
        if prose[j]:
            return k
        j, k = j + step, k + 1
    return 50


def run_kind(lines: list[str]) -> str:
    """The kind of a run of chrome lines: the chrome vocabulary most of its lines
    use, else its shape (short lines: a menu; headline-shaped lines: a story list)."""
    counts = {kind: sum(1 for text in lines if r.search(text)) for kind, r in KIND_RES.items()}
    kind, hits = max(counts.items(), key=lambda kv: kv[1])
    if hits and hits * 2 >= len(lines):
        return kind
    words = [len(WORD_RE.findall(text)) for text in lines]
    if sum(1 for n in words if n <= 3) * 2 >= len(lines):
        return "navigation menu"
    if sum(1 for n in words if 4 <= n <= 20) * 2 >= len(lines) and len(lines) >= 2:
        return "story list"
    return kind if hits else "page chrome"
