"""The vocabulary of page chrome, by kind, in English, German, French, Spanish
and Russian: words a line of chrome tends to use. They are features of the
classifier (it learns how much each kind counts) and name a run's kind; no
word flags a line by itself.

Kept as word sets (looked up per word, 15x faster than one regular
expression of alternatives over the line) plus a few multi-word phrases.
"""
from __future__ import annotations

import re

import regex

KINDS: dict[str, str] = {
    "cookie banner": "cookie cookies consent einwilligung consentement consentimiento куки",
    "share/follow": "share shares shared tweet facebook twitter linkedin whatsapp pinterest "
                    "instagram telegram reddit email e-mail follow teilen partager compartir "
                    "поделиться подписаться rss print drucken imprimer imprimir youtube",
    "footer/legal": "copyright privacy terms impressum datenschutz confidentialité privacidad "
                    "careers sitemap accessibility kontakt contacto контакты jobs imprint "
                    "cookies-richtlinie agb",
    "comments": "comment comments reply replies commentaire commentaires comentario comentarios "
                "ответить login logout register anmelden connexion войти регистрация",
    "ads": "advertisement advertising advertise sponsored anzeige werbung publicité publicidad "
           "реклама",
    "newsletter": "newsletter newsletters subscribe subscription subscribers unsubscribe",
    "caption/credit": "photo photos photograph image images credit getty reuters afp "
                      "shutterstock foto fotos bild crédit фото illustration",
    "pagination": "next previous prev older newer weiter zurück suivant précédent siguiente "
                  "anterior далее назад",
    "navigation menu": "home menu search navigation section sections startseite suche accueil "
                       "recherche inicio buscar главная поиск",
}
PREFIXES: dict[str, tuple[str, ...]] = {
    "comments": ("kommentar", "комментари"),
    "newsletter": ("abonn", "suscr", "рассылк", "подписк"),
}
PHRASES: dict[str, str] = {
    "cookie banner": r"файлы cookie",
    "share/follow": r"copy link|follow us",
    "footer/legal": r"all rights reserved|terms of (?:use|service)|mentions légales|aviso legal|"
                    r"политика конфиденциальности|все права защищены|contact us|about us",
    "comments": r"log in|sign in|sign up|iniciar sesión",
    "caption/credit": r"ap photo",
    "pagination": r"page \d+|load more|show more|more stories|read more",
    "navigation menu": r"skip to (?:main )?content",
}
NAMES = tuple(KINDS)
WORD_KIND = {word: kind for kind, words in KINDS.items() for word in words.split()}
ALL_PREFIXES = tuple(p for prefixes in PREFIXES.values() for p in prefixes)
PREFIX_KIND = {p: kind for kind, prefixes in PREFIXES.items() for p in prefixes}
PHRASE_RE = re.compile("|".join(f"(?P<k{i}>{PHRASES[kind]})" for i, kind in enumerate(NAMES)
                                if kind in PHRASES), re.I)
GROUP_KIND = {f"k{i}": kind for i, kind in enumerate(NAMES)}
#: the first words of the phrases: the phrase search runs only on lines that have one
PHRASE_STARTS = frozenset(re.sub(r"\(\?:|[()?]", "", alt).split()[0].lower()
                          for pattern in PHRASES.values() for alt in pattern.split("|"))


def chrome_words(text: str, lower_words: list[str]) -> list[str]:
    """The kind of each chrome word or phrase in a line (`lower_words`: its
    words, lower-cased), in no particular order."""
    found = []
    for word in lower_words:
        kind = WORD_KIND.get(word)
        if kind is None and word.startswith(ALL_PREFIXES):
            kind = next(PREFIX_KIND[p] for p in ALL_PREFIXES if word.startswith(p))
        if kind is not None:
            found.append(kind)
    if "©" in text:
        found.append("footer/legal")
    if not PHRASE_STARTS.isdisjoint(lower_words):
        found += [GROUP_KIND[m.lastgroup] for m in PHRASE_RE.finditer(text)]
    return found


#: a byline or a dateline: the article's metadata (the date and attribution
#: rules read them), never chrome nor a site's template
METADATA_RE = regex.compile(
    r"(?:(?:posted|written|words|text|reporting)\s+)?(?:by|von|par|por|de|автор:?)\s+\p{Lu}"
    r"|(?:published|updated|posted|veröffentlicht|aktualisiert|publié|mis à jour|publicado|"
    r"actualizado|опубликовано|обновлено)\b.*\d", regex.I | regex.V0)


def is_metadata_line(text: str) -> bool:
    """A short line that is a byline ("By Ada Brennock") or a dateline ("Published: ...")."""
    return len(text) <= 120 and METADATA_RE.match(text.strip()) is not None
