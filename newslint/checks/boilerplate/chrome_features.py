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
from typing import Callable

from newslint.checks.boilerplate import chrome_vocabulary as vocabulary


DATA = Path(__file__).resolve().parent / "data"

#: scripts written without spaces (Chinese, Japanese, Thai): each character
#: counts as a word, so their lines are not all one-word "menu items"
_NOSPACE = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD_RE = re.compile(rf"[{_NOSPACE}]|[^\W{_NOSPACE}_][^\W{_NOSPACE}_'’\-]*(?:['’\-][^\W{_NOSPACE}_]+)*")
TERMINAL_RE = re.compile(r"[.!?…:;。！？；：][\"'”’»)\]」』）]*$")
SENTENCE_RE = re.compile(r"[.!?…][\"'”’»)]*\s+[\"'“‘«(]?[A-ZÀ-ÖØ-ÞА-ЯЁ]|[。！？]")
LINKISH_RE = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.uk|de|fr|es|ru)\b|@\w|#\w", re.I)
SEPARATOR_RE = re.compile(r"\s[|•·/»›>\-–—]\s|^[|•·»›>\-–—*]\s*|\s[|•·»›]$")
YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}:\d\d\b")
BULLET_RE = re.compile(r"(?:[-+*•·–—▪►]|\d{1,2}[.)])\s")
QUOTE_RE = re.compile(r"[\"“”„«»]")
DIGITS = str.maketrans("", "", "0123456789")

NAMES = (
    "bias", "log_chars", "log_words", "short", "medium", "long", "stop_density", "terminal",
    "sentences", "title_case", "headline", "digits", "linkish", "separators", "year",
    "bullet", "quotes", "commas", "all_caps", "chrome_words", "chrome_density",
    "position", "head", "tail", "repeated",
) + tuple(f"kind:{kind}" for kind in vocabulary.NAMES)
CONTEXT = ("short", "stop_density", "terminal", "log_words", "chrome_words", "headline")
CONTEXT_OFFSETS = (-2, -1, 1, 2)


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    raw = json.loads((DATA / "stopwords.json").read_text(encoding="utf-8"))
    return {lang: frozenset(words) for lang, words in raw["languages"].items()}


def lower_words(text: str) -> list[str]:
    """The words of a line, lower-cased (as `_key` and the vocabulary read them)."""
    return WORD_RE.findall(text.lower())


class LowerWords(dict):
    """lower_words of each line of one page, found once for the several
    passes that read them (the page's language, its vocabulary, its keys)."""

    def __missing__(self, text: str) -> list[str]:
        words = self[text] = WORD_RE.findall(text.lower())
        return words


def page_language(lines: list[str], words_of: Callable[[str], list[str]] = lower_words) -> str | None:
    """The language whose stopwords cover most of the page's words (its first
    LANGUAGE_SAMPLE words), or None when no list covers MIN_COVERAGE of them:
    a language the classifier has no stopwords for, whose lines it cannot judge.
    `words_of`: a line's lower_words (a LowerWords' look-up)."""
    words: list[str] = []
    for text in lines:
        words += words_of(text)
        if len(words) >= LANGUAGE_SAMPLE:
            break
    best, best_hits = None, 0
    for lang, stops in stopwords().items():
        hits = sum(1 for w in words if w in stops)
        if hits > best_hits:
            best, best_hits = lang, hits
    return best if words and best_hits >= MIN_COVERAGE * len(words) else None


LANGUAGE_SAMPLE = 1000  # words enough to tell the page's language
MIN_COVERAGE = 0.1


def line_features(text: str, stops: frozenset[str], position: float, head: bool, tail: bool,
                  repeated: int) -> list[float]:
    """The features of one line, in `NAMES` order."""
    words = WORD_RE.findall(text)
    lower = [w.lower() for w in words]
    n = len(words) or 1
    initials = [w[0] for w in words if w[0].isalpha()]
    upper = sum(1 for ch in initials if ch.isupper())
    chrome = vocabulary.chrome_words(text, lower)
    terminal = TERMINAL_RE.search(text) is not None
    size = len(text) or 1
    kinds = [float(kind in chrome) for kind in vocabulary.NAMES] if chrome else NO_KINDS
    return [
        1.0, math.log1p(len(text)), math.log1p(len(words)),
        float(len(words) <= 3), float(3 < len(words) <= 12), float(len(words) > 25),
        sum(1 for w in lower if w in stops) / n,
        float(terminal),
        math.log1p(len(SENTENCE_RE.findall(text))),
        upper / len(initials) if initials else 0.0,
        float(4 <= len(words) <= 20 and not terminal and bool(initials)
              and upper >= 0.6 * len(initials)),
        (len(text) - len(text.translate(DIGITS))) / size,
        float(LINKISH_RE.search(text) is not None),
        math.log1p(len(SEPARATOR_RE.findall(text))),
        float(YEAR_RE.search(text) is not None),
        float(BULLET_RE.match(text) is not None),
        float(QUOTE_RE.search(text) is not None),
        text.count(",") / n,
        float(len(text) >= 4 and text.isupper()),
        float(bool(chrome)), min(len(chrome) / n, 1.0),
        position, float(head), float(tail), math.log1p(repeated),
        *kinds,
    ]


NO_KINDS = [0.0] * len(vocabulary.NAMES)
INDEX = {name: i for i, name in enumerate(NAMES)}
CONTEXT_INDEX = [INDEX[name] for name in CONTEXT]
SHORT, LOG_WORDS, TERMINAL, STOPS = (INDEX[k] for k in ("short", "log_words", "terminal",
                                                          "stop_density"))


def feature_names() -> list[str]:
    names = list(NAMES)
    for offset in CONTEXT_OFFSETS:
        names += [f"{name}@{offset:+d}" for name in CONTEXT]
    names += ["window_short", "window_prose", "gap_prose_before", "gap_prose_after",
              "outside_prose"]
    return names


def is_prose(f: list[float]) -> bool:
    return f[LOG_WORDS] >= PROSE_LOG_WORDS and f[TERMINAL] > 0 and f[STOPS] >= 0.2


PROSE_LOG_WORDS = math.log1p(12)
LOG_GAP = [math.log1p(k) for k in range(51)]


def page_features(lines: list[str], language: str | None = None,
                  words_of: Callable[[str], list[str]] = lower_words) -> list[list[float]]:
    """One feature vector (in `feature_names()` order) per line of a page (its
    non-empty lines in order, the title left out), `language` its language
    (`page_language`; None: no stopwords)."""
    stops = stopwords().get(language or "", frozenset())
    n = len(lines)
    edge = max(3, n // 10)
    keys = [" ".join(words_of(text)) for text in lines]
    seen = Counter(keys)
    base = [line_features(text, stops, i / max(n - 1, 1), i < edge, i >= n - edge,
                          seen[key] - 1 if key else 0) for i, (text, key) in enumerate(zip(lines, keys))]
    prose = [is_prose(f) for f in base]
    prose_at = [i for i, p in enumerate(prose) if p]
    first, last = (prose_at[0], prose_at[-1]) if prose_at else (n, -1)
    before, after = gaps(prose, range(n)), gaps(prose, range(n - 1, -1, -1))
    empty = [0.0] * len(CONTEXT_INDEX)
    context = [[f[k] for k in CONTEXT_INDEX] for f in base]
    out = []
    for i, f in enumerate(base):
        row = list(f)
        for offset in CONTEXT_OFFSETS:
            j = i + offset
            row += context[j] if 0 <= j < n else empty
        lo, hi = max(0, i - 4), min(n, i + 5)
        row.append(sum(base[j][SHORT] for j in range(lo, hi)) / (hi - lo))
        row.append(sum(prose[lo:hi]) / (hi - lo))
        row.append(LOG_GAP[before[i]])
        row.append(LOG_GAP[after[i]])
        row.append(float(i < first or i > last))
        out.append(row)
    return out


def gaps(prose: list[bool], order: range) -> list[int]:
    """For each line, the lines to the nearest prose line met walking in
    `order` (at most MAX_GAP)."""
    out = [MAX_GAP] * len(prose)
    last = None
    for i in order:
        if last is not None:
            out[i] = min(abs(i - last), MAX_GAP)
        if prose[i]:
            last = i
    return out


MAX_GAP = 50


def line_kind(text: str) -> str | None:
    """What one chrome line is: the first kind its vocabulary names, else its
    shape (a word or three: a menu item; a headline: another story)."""
    words = WORD_RE.findall(text.lower())
    kinds = vocabulary.chrome_words(text, words)
    if kinds:
        return min(kinds, key=vocabulary.NAMES.index)
    if len(words) <= 3:
        return "navigation menu"
    if len(words) <= 20 and TERMINAL_RE.search(text) is None:
        return "story list"
    return None


def run_kind(lines: list[str]) -> str:
    """The kind of a run of chrome lines: the kind of most of its lines, else
    its three commonest kinds (of 2+ lines and a tenth of the run), in the
    order they come."""
    kinds = [line_kind(text) for text in lines]
    counts = Counter(k for k in kinds if k)
    if not counts:
        return "page chrome"
    top, hits = counts.most_common(1)[0]
    if hits * 5 >= len(lines) * 3:
        return top
    common = [k for k, n in counts.most_common(3) if n * 10 >= len(lines) and n >= 2] or [top]
    ordered = sorted(common, key=kinds.index)
    return ", ".join(ordered[:-1]) + " and " + ordered[-1] if len(ordered) > 1 else ordered[0]
