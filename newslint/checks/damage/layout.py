"""Damage to the article's shape: cut off at the end, runs of blank lines,
walls of text, and bodies too short to be an article."""
from __future__ import annotations

import re
from typing import Any, Iterator

import regex

from newslint.checks.damage.common import block_words, could_be_over, count_words
from newslint.checks.damage.endings import (
    AGENCY_END_RE,
    BRACKET_END_RE,
    SENTENCE_BREAK_RE,
    about_the_authors,
    list_or_title_ending,
)
from newslint.checks.damage.title import DATE_LINE
from newslint.fixes import replace_span
from newslint.lazy import lazy
from newslint.model import Article, Block, Finding
from newslint.rule import ArticleRule, parse_examples

#: sentence-ending punctuation of many scripts, then closing quotes, brackets or emphasis
TERMINAL_RE = lazy(
    r"(?:[.!?\u2026\u203c\u2047-\u2049\u3002\uff01\uff1f\uff61\u061f\u06d4\u0964\u0965\u104a"
    r"\u104b\u1362\u0589]|\p{So})[\p{Pe}\p{Pf}\p{Pi}\"'*_]*$")
#: the closing marks of TERMINAL_RE, none of which is one of its sentence marks
CLOSER_RE = lazy(r"[\p{Pe}\p{Pf}\p{Pi}\"'*_]")
CREDIT_RE = lazy(
    r"^(?:[-\u2013\u2014\u2015~]+\s*\S|\(.*\)$|\[.*\]$|[\u3010\uff08\u3014\u300c\u300e].*[\u3011\uff09"
    r"\u3015\u300d\u300f]$|\(c\)|\u00a9|(?-i:[Bb]y\s+\p{Lu})|(?:source|sources|photo|photos|photograph|image|"
    r"images|picture|video|credit|credits|reporting|additional reporting|editing|edited by|"
    r"writing by|written by|compiled by|translated by|via|copyright|follow|read more|read also|"
    r"the author|the writer|el autor|la autora|l['’]auteur|l['’]autrice|der autor|die autorin|"
    r"o autor|a autora|l['’]autore|l['’]autrice|de auteur|автор|"
    r"see also|related|tags?|topics?|filed under|contact|e-?mail|share|posted in|"
    r"categor(?:y|ies))\b)",
    regex.IGNORECASE)
#: calls to action that close many pages ("Follow us on WhatsApp"), in any language
PROMO_RE = lazy(r"\b(?:whatsapp|telegram|facebook|twitter|instagram|youtube|tiktok|"
                r"linkedin|newsletter|subscribe|google news|app store|google play)\b",
                regex.IGNORECASE)
ADDRESS_RE = lazy(r"^(?:https?://|www\.|@|#)|@|\.[a-z]{2,6}(?:/\S*)?$", regex.IGNORECASE)
LIST_ITEM_RE = lazy(r"^\s*(?:[-*+\u2022]\s|\d{1,3}[.)]\s|\||>)")
#: scripts whose sentences end without punctuation marks
UNPUNCTUATED_RE = lazy(r"[\p{Thai}\p{Lao}\p{Khmer}]")


class TruncatedEnding(ArticleRule):
    code = "NL501"
    name = "damage-truncated-ending"
    level = "warning"
    summary = "The article ends mid-sentence: the text was probably cut off."
    docs = {
        "what": "Flags an article whose last body paragraph ends without sentence-ending "
                "punctuation (`.` `!` `?` `…`, CJK `。！？`, Arabic `؟`, Devanagari `।`, Burmese "
                "`။`…, optionally followed by closing quotes or brackets), often in the middle "
                "of a word. Not flagged: a last paragraph, or last sentence, that is a credit or "
                "source line (`Source: Kyiv Post`, `— Reuters`, `(Reporting by …)`, `Photo: …`, "
                "`(c)AFP`, `By Jane Roe`, `The author is …`, a note on the authors "
                "`<Name> is …`), a closing citation or credit in brackets (`[ Bloomberg ]`), an "
                "agency tag (`…PTI`), a name or title (`… of the IAB Tech Lab`), a list "
                "(`A, B, C`), a call to follow the outlet on a social network, a web "
                "or e-mail address, a date line; a list item, a Markdown heading, text in Thai, "
                "Lao or Khmer (written without full stops), or a single sentence of fewer than "
                "`heading_words` words (a headline, caption or link: often the next article's "
                "title); a last sentence in capitals or holding ` | ` (navigation). HTML pages "
                "are not checked: their last text block is usually navigation or a caption.",
        "why": "Truncated text is a sign the scraper hit a length limit or a paywall: the "
               "article is incomplete, and its last sentence says something it did not say.",
        "example": "…with far-reaching implications for internation",
        "fix": "None: fetch the article again or drop it.",
        "options": "`heading_words`: a last paragraph of one sentence with fewer words is "
                   "treated as a headline or link, not prose.",
    }
    options = {"heading_words": 16}
    examples = parse_examples({
        "fail": ["Talks end\n\nThe talks ended. The meeting in Moscow had implications for internation",
                 "Talks end\n\nThe meeting in Moscow on Friday had far-reaching implications for "
                 "the region and for the rest of the internation"],
        "pass": ["Talks end\n\nThe meeting had far-reaching implications.\n\nSource: Kyiv Post",
                 "Talks end\n\nThe meeting had implications for the region, the ministry said [ Bloomberg ]",
                 "Talks end\n\nThe meeting had implications for the region, the minister told reporters PTI",
                 "Talks end\n\nThe meeting had implications.\n\nAnn Lee is a reporter in Moscow. "
                 "Bo Chen es analista internacional",
                 "Talks end\n\nThe meeting had “far-reaching implications.”\n\n"
                 "(Reporting by Jane Roe; editing by John Doe)",
                 "Talks end\n\nThe meeting had implications.\n\nNext Article\n\n"
                 "Spain’s green hydrogen push: leadership, challenges, and local milestones"],
    }, "NL501")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        if not article.blocks or article.format == "html":
            return
        block = article.blocks[-1]
        last = block.text.rstrip().rsplit("\n", 1)[-1].strip()
        if block.kind == "heading" or _ends_properly(last, options["heading_words"]) \
                or about_the_authors(block.text):
            return
        tail = last[-40:].lstrip()
        yield self.finding(article, f"the text ends mid-sentence: '…{tail}'",
                           line=block.end_line, column=1, data={"ending": tail})


def _ends_properly(line: str, heading_words: int) -> bool:
    """Whether a last line ends a text acceptably: with punctuation, or with
    something that is not prose (a heading, a credit, an address, a date)."""
    if not line or _terminal(line) or UNPUNCTUATED_RE.search(line) \
            or LIST_ITEM_RE.match(line) or _heading_like(line, heading_words):
        return True
    last = SENTENCE_BREAK_RE.split(line)[-1]
    return bool(CREDIT_RE.match(line) or CREDIT_RE.match(last) or PROMO_RE.search(last)
                or ADDRESS_RE.search(last.split()[-1]) or DATE_LINE.match(last)
                or " | " in last or _shouted(last) or BRACKET_END_RE.search(last)
                or AGENCY_END_RE.search(last[-60:]) or list_or_title_ending(last))


def _terminal(line: str) -> bool:
    """TERMINAL_RE.search(line), tried only where a match can start (searching
    tried every position of a long line): a sentence mark is no closing mark,
    so a match starts right before the run of closing marks that ends the line."""
    start = len(line)
    while start and CLOSER_RE.match(line, start - 1):
        start -= 1
    return start > 0 and TERMINAL_RE.match(line, start - 1) is not None


MAX_SHOUTED = 200
MAX_WORD_LENGTH = 40


def _shouted(text: str) -> bool:
    """Link or button text in capitals ("FULL STORY"), not a sentence."""
    if len(text) > MAX_SHOUTED:
        return False
    # counted with the loops in C; no character is both upper and lower case
    upper, lower = sum(map(str.isupper, text)), sum(map(str.islower, text))
    return upper + lower >= 4 and not lower


def _heading_like(line: str, heading_words: int) -> bool:
    """One sentence of a few words: a headline, a caption or a link, not a paragraph."""
    if len(line) > heading_words * MAX_WORD_LENGTH:
        return False
    return count_words(line) < heading_words and not SENTENCE_BREAK_RE.search(line)


#: (stdlib `re`: plain characters only, so the same matches, found 3x faster)
BLANK_RUN_RE = re.compile(r"\n(?:[ \t]*\n){2,}")
FENCE_RE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})", re.MULTILINE)


class BlankLineRuns(ArticleRule):
    code = "NL504"
    name = "damage-blank-line-runs"
    level = "warning"
    fix_safety = "safe"
    summary = "Two or more blank lines in a row."
    docs = {
        "what": "Flags runs of two or more consecutive blank (or whitespace-only) lines in "
                "plain-text, Markdown and JSON text, each with its line span. Blank lines inside "
                "Markdown fenced code and front matter are left alone; HTML is not checked "
                "(its whitespace is not text).",
        "why": "Empty elements (ads, embeds, scripts) that the scraper removed leave their "
               "line breaks behind; the gaps break paragraph detection downstream and show "
               "where content is missing.",
        "example": "A paragraph.\n\n\n\n\nThe next paragraph.",
        "fix": "Safe: collapse each run to a single blank line (to a single line end at the "
               "end of the file).",
    }
    examples = parse_examples({
        "fail": ["Talks end\n\n\n\nThe talks in Moscow ended on Friday.\n",
                 "Talks end\n\nThe talks ended on Friday.\n \n\t\nThey resume on Monday.\n"],
        "pass": ["Talks end\n\nThe talks ended on Friday.\n\nThey resume on Monday.\n",
                 {"text": "# Talks\n\nCode:\n\n```\na\n\n\n\nb\n```\n", "format": "md"}],
    }, "NL504")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        source = article.source
        if source is None or article.format == "html":
            return
        fenced = _fenced_spans(source, article.body_start) if article.format == "md" else []
        for m in BLANK_RUN_RE.finditer(source, max(article.body_start - 1, 0)):
            if any(a <= m.start() < b for a, b in fenced):
                continue
            blank = m.group().count("\n") - 1
            at_end = m.end() == len(source)
            fix = replace_span(m.start(), m.end(), "\n" if at_end else "\n\n",
                               f"collapse {blank} blank lines into {0 if at_end else 1}")
            first, _ = article.position(m.start() + 1)
            last, _ = article.position(m.end() - 1)
            yield self.finding(article, f"{blank} blank lines in a row", line=first,
                               end_line=last, fix=fix, data={"blank_lines": blank})


def _fenced_spans(source: str, start: int) -> list[tuple[int, int]]:
    """(start, end) offsets of Markdown fenced code blocks in source[start:]."""
    if "```" not in source and "~~~" not in source:
        return []  # no fence: a quick test instead of trying FENCE_RE at every position
    marks = [m.start() for m in FENCE_RE.finditer(source, start)]
    spans = [(marks[i], marks[i + 1]) for i in range(0, len(marks) - 1, 2)]
    if len(marks) % 2:
        spans.append((marks[-1], len(source)))  # an unclosed fence runs to the end
    return spans


class WallOfText(ArticleRule):
    code = "NL509"
    name = "damage-wall-of-text"
    level = "info"
    summary = "A paragraph so long that paragraph breaks were probably lost."
    docs = {
        "what": "Flags body paragraphs longer than `max_words` words (words in Chinese, "
                "Japanese, Thai and Burmese are estimated from the number of letters). News "
                "paragraphs are short: the longest in the 28 newspaper4k test texts has 136 "
                "words, while the content-farm seed article's paragraphs have 292 to 533.",
        "why": "A wall of text usually means the scraper joined paragraphs (or a content farm "
               "wrote none): it is hard to read and summarisers and deduplication see one "
               "block instead of many.",
        "example": "A 500-word paragraph with no break.",
        "fix": "None: restore the paragraph breaks from the page.",
        "options": "`max_words`: the longest paragraph that is not flagged.",
    }
    options = {"max_words": 250}
    examples = parse_examples({
        "fail": ["Talks\n\n" + "The talks went on and on in Moscow. " * 60],
        "pass": ["Talks\n\n" + "The talks went on in Moscow. " * 20 + "\n\n"
                 + "They ended on Friday. " * 20],
    }, "NL509")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        limit = options["max_words"]
        for i, block in enumerate(article.blocks):
            if block.kind == "heading" or not could_be_over(block.text, limit):
                continue
            words = block_words(article).words(i)
            if words > limit:
                yield self._finding(article, block, words, limit)

    def _finding(self, article: Article, block: Block, words: int, limit: int) -> Finding:
        return self.at_block(article, block, f"paragraph of {words} words (over {limit}): "
                             f"{block.text[:40].strip()!r}…", data={"words": words})


class TooShort(ArticleRule):
    code = "NL510"
    name = "damage-too-short"
    level = "warning"
    summary = "The body is too short to be an article."
    docs = {
        "what": "Flags articles whose body (title excluded) has fewer than `min_words` words "
                "(words in Chinese, Japanese, Thai and Burmese are estimated from the number of "
                "letters). JSON records with no text at all are skipped: the loader reports them.",
        "why": "A few words are a teaser, a caption or an extraction failure, not an article; "
               "they pollute datasets and produce false near-duplicates.",
        "example": "Headline\n\nRead the full story on our app.",
        "fix": "None: extract the page again, or drop the record.",
        "options": "`min_words`: the fewest body words an article may have.",
    }
    options = {"min_words": 50}
    examples = parse_examples({
        "fail": ["Headline\n\nRead the full story on our app."],
        "pass": ["Headline\n\n" + "The talks in Moscow ended on Friday without a deal. " * 6],
    }, "NL510")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        if not article.blocks and article.record is not None:
            return
        words = block_words(article).total_below(options["min_words"])
        if words is not None:
            yield self.finding(article, f"the body has {words} words (fewer than "
                               f"{options['min_words']})", line=article.title_line
                               or (article.blocks[0].line if article.blocks else 1),
                               data={"words": words})
