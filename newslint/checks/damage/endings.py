"""How an article may end without being cut off: a citation or credit in
brackets, an agency tag, a name or title, a list, a note on the authors (used
by `damage-truncated-ending`)."""
from __future__ import annotations

from newslint.checks.damage.common import count_words
from newslint.lazy import lazy
from newslint.text.agencies import AGENCY

#: the end of a sentence followed by more text
SENTENCE_BREAK_RE = lazy(r"(?:[.!?\u2026][\p{Pe}\p{Pf}\"']*\s+|[\u3002\uff01\uff1f\u061f"
                         r"\u06d4\u0964\u0965\u104b][\p{Pe}\p{Pf}\"']*\s*)(?=\S)")

#: a closing citation or credit in brackets ("… [ Bloomberg ]", "… (IANS)", "…【共同】")
BRACKET_END_RE = lazy(r"[\[(\uff08\u3010]\s*[^\[\]()\n]{1,40}?\s*[\])\uff09\u3011]\s*$")
#: an agency tag closing the text ("… said on Monday.PTI", "… — AFP")
AGENCY_END_RE = lazy(rf"(?:^|[\s\-\u2013\u2014.!?\p{{Pf}}\"'])(?-i:{AGENCY})\s*$")
#: words that may stand lower case inside a title ("Manager of the IAB Tech Lab")
TITLE_GLUE = frozenset({"of", "the", "and", "de", "la", "del", "di", "in", "for", "on", "a", "&"})

BIO_RE = lazy(r"^(?:\p{Lu}[\p{L}\p{M}'’.-]+\s+){1,4}(?:is|was|es|fue|est|ist|war|é|è|является)\s+\S")
MAX_BIO_WORDS = 60


def about_the_authors(text: str) -> bool:
    """A closing note on the authors, every sentence "<Name> is …" ("Martín
    Schapiro es abogado administrativista y analista internacional")."""
    sentences = SENTENCE_BREAK_RE.split(text.strip())
    return count_words(text) <= MAX_BIO_WORDS and all(BIO_RE.match(s) for s in sentences)


def list_or_title_ending(sentence: str) -> bool:
    """A sentence that ends on a name or title ("… General Manager of the IAB
    Tech Lab", "… his book The Art of War") or is a list ("Wendy Whelan, In
    Transit, The Reagan Show"): an ending, not a cut."""
    items = [i.split() for i in sentence.split(",")]
    if len(items) >= 3 and all(0 < len(i) <= 5 for i in items[1:]):
        return True
    words = sentence.split()
    run = 0
    for word in reversed(words):
        if word[:1].isupper():
            run += 1
        elif word.lower() not in TITLE_GLUE:
            break
    return run >= 2 and run < len(words) and words[-1][:1].isupper()
