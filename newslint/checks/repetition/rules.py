"""Repetition inside one article: paragraphs repeated verbatim or nearly, the
title repeated in the body, and a sentence repeated as a pull quote. The
Gopher-style repetition statistics and keyword stuffing are in
`repetition_stuffing`; the tokenised text in `repetition_text`.
"""
from __future__ import annotations

from typing import Any, Iterator

import regex

from newslint.checks.repetition.paragraphs import (
    MIN_CHARS,
    MIN_WORDS,
    SENTENCE_END,
    body,
    is_headline,
    leading_lines,
    option_problem,
    removal,
    repeated,
    repeats,
)
from newslint.checks.repetition.near import templated_lists
from newslint.checks.repetition.quotes import quote_sources
from newslint.checks.repetition.tokens import Para
from newslint.model import Article, Finding
from newslint.rule import ArticleRule, parse_examples
from newslint.text.lines import list_rows

TOP_PARAGRAPHS = 3  # a headline scraped twice repeats within the first paragraphs
LIST_MARK_RE = regex.compile(r"^(?:[-*+•–]\s|\d{1,3}[.)]\s|[A-Za-z][.)]\s)")


def _article(title: str, *paragraphs_: str) -> str:
    return "\n\n".join((title, *paragraphs_))


_P1 = ("China has been pivotal in this dynamic, bolstering Russia's economy by purchasing oil "
       "and supplying components for its industries.")
_P2 = ("Both leaders frame their alliance as a commitment to a multipolar world, in opposition "
       "to U.S. dominance.")
_P3 = ("As the world watches the military parade in Red Square, the symbolic weight of this "
       "collaboration is plain.")


def ref(article: Article, para: Para, noun: str = "the paragraph") -> str:
    """How a message names a block: by its file line, or by its number where
    every block has the same line (a record in a JSON or JSON Lines file)."""
    if article.record_line is None:
        return f"{noun} at line {para.line}"
    return f"paragraph {para.index + 1}" if noun == "the paragraph" else f"{noun} in paragraph {para.index + 1}"


class DuplicateParagraph(ArticleRule):
    code = "NL201"
    name = "duplicate-paragraph"
    level = "warning"
    summary = "A paragraph repeated verbatim in the same article."
    fix_safety = "safe"
    docs = {
        "what": "Flags each later copy of a paragraph (or line) that repeats an earlier one of the "
                "same article, compared without regard to case, spacing and punctuation, and "
                "names the line of the first occurrence. Blocks of fewer than `min_words` words "
                "or `min_chars` characters are ignored (short repeated labels are boilerplate); "
                "repeated headline-like lines are reported by `duplicate-paragraph-title`; "
                "rows of a list or table (three or more short blocks in a row, such as a menu or "
                "a recipe) may repeat.",
        "why": "Scrapers and CMS templates duplicate blocks when a page renders a paragraph twice "
               "(teaser and body, mobile and desktop). The copy inflates the text, skews every "
               "statistic computed on it and reads as an error.",
        "example": "Line 7: `China has been pivotal in this dynamic, ...`\n"
                   "Line 10: `China has been pivotal in this dynamic, ...` (flagged)",
        "fix": "Safe: the later copy is deleted; the first occurrence stays.",
    }
    options = {"min_words": MIN_WORDS, "min_chars": MIN_CHARS}
    examples = parse_examples({
        "fail": [_article("Putin and Xi meet", _P1, _P2, _P3, _P1),
                 "Putin and Xi meet\n\n" + "\n".join([_P1, _P2, _P3, _P1, _P2])],
        "pass": [_article("Putin and Xi meet", _P1, _P2, _P3),
                 _article("Putin and Xi meet", _P1, "Photo: Reuters", _P2, "Photo: Reuters"),
                 _article("A week of meals", _P1, "Monday", "Lunch: lentil soup with bread.",
                          "Snack: an apple and a handful of almonds.", "Tuesday",
                          "Lunch: baked potato with beans.", "Snack: an apple and a handful of "
                          "almonds.", _P2)],
    }, "NL201")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        text = body(article)
        if not text.any_repeat:
            return  # no two blocks have the same words
        paras = text.paras
        found = repeats(paras, options["min_words"], options["min_chars"])
        rows = {paras[i].index for i in list_rows([p.block.text for p in paras], sentences=True)} \
            if found else set()
        for later, first in found:
            if is_headline(later):
                continue  # duplicate-paragraph-title reports it
            if later.index in rows and first.index in rows:
                continue  # rows of a list or table: a menu, a recipe, a timetable
            fix = removal(article, later.block, f"remove the repeated paragraph ({ref(article, first)})")
            yield self.at_block(article, later.block, f"duplicates {ref(article, first)}",
                                fix=fix, data={"first_line": first.line})


class RepeatedTitle(ArticleRule):
    code = "NL203"
    name = "duplicate-paragraph-title"
    level = "warning"
    summary = "The title, or a headline-like line, repeated in the body."
    fix_safety = "safe"
    docs = {
        "what": "Flags a body line equal to the article's title (compared without regard to case "
                "and punctuation), and a headline-like line (one line of at most "
                "`max_headline_words` words, not ending in a full stop) repeated where a scraper "
                "takes a headline twice: within the first three paragraphs or right after "
                "itself. Left alone: a heading that opens the body of a Markdown or HTML page "
                "and restates its title; sub-headings that recur further down (a table of "
                "contents and its sections), rows of a list or table, questions repeated in an "
                "interview, list items.",
        "why": "Extractors often take the headline from both the page header and the article "
               "body. The repeat is noise in the text and makes the article look longer and more "
               "repetitive than it is.",
        "example": "Line 2: `Putin and Xi Solidify Alliance Ahead of WWII Victory Celebrations`\n"
                   "Line 4: the same line again (flagged)",
        "fix": "Safe: the repeated line is deleted.",
    }
    options = {"max_headline_words": 25}
    examples = parse_examples({
        "fail": [_article("Putin and Xi Solidify Alliance", "Putin and Xi Solidify Alliance", _P1),
                 "Putin and Xi Solidify Alliance Ahead of WWII Victory Celebrations in Moscow and "
                 "Beijing, as leaders of both countries say the partnership has no limits and will "
                 "grow.\nPutin and Xi Solidify Alliance Ahead of WWII Celebrations\n\n"
                 "Putin and Xi Solidify Alliance Ahead of WWII Celebrations\n" + _P1],
        "pass": [_article("Putin and Xi Solidify Alliance", _P1, _P2),
                 _article("Five questions for two mayors", _P1, "What will be your first "
                          "priority in office?", _P2, "What will be your first priority in "
                          "office?", _P3),
                 _article("A guide to island ferries", "Timetables for the summer season",
                          "Fares and passes for residents", "Accessibility on board the ferries",
                          _P1, "Timetables for the summer season", _P2,
                          "Fares and passes for residents", _P3),
                 {"text": "---\ntitle: Putin and Xi meet\n---\n# Putin and Xi meet\n\n" + _P1,
                  "format": "md"}],
    }, "NL203")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        text = body(article)
        keys, _, title = text.leading
        if not (title and title in keys) \
                and not (repeated(keys) if text.multiline else text.any_repeat):  # the same keys
            return  # neither the title nor a leading line occurs twice
        lines = leading_lines(text)
        max_words = options["max_headline_words"]
        for para in lines:
            if title and para.key == title and para.size >= 2 and not self._opening_heading(para, text.paras):
                where = f" (line {article.title_line})" if article.title_line and article.record is None else ""
                yield self._finding(article, para, f"repeats the title{where}", article.title_line)
        rows = {lines[i].index for i in list_rows([p.block.text for p in lines])}
        top = {p.index for p in text.paras[:TOP_PARAGRAPHS]}
        for later, first in repeats(lines):
            if is_headline(later, max_words) and later.key != title \
                    and self._scraped_twice(later, first, rows, top):
                yield self._finding(article, later, f"repeats {ref(article, first, 'the headline')}",
                                    first.line)

    @staticmethod
    def _scraped_twice(later: Para, first: Para, rows: set[int], top: set[int]) -> bool:
        """A headline taken twice: at the top of the body or right after itself;
        not a sub-heading that recurs (a table of contents, a list or table row,
        an interview question, a caption or credit further down)."""
        text = first.block.text.strip()
        if first.index in rows or text.endswith("?") or LIST_MARK_RE.match(text):
            return False
        return first.index in top or later.index == first.index + 1

    @staticmethod
    def _opening_heading(para: Para, paras: list[Para]) -> bool:
        return para.block.kind == "heading" and para.index == paras[0].index

    def _finding(self, article: Article, para: Para, message: str, first_line: int | None) -> Finding:
        fix = removal(article, para.block, "remove the repeated headline")
        return self.at_block(article, para.block, message, fix=fix,
                             data={"first_line": first_line} if first_line else None)


class PullQuote(ArticleRule):
    code = "NL204"
    name = "duplicate-paragraph-pull-quote"
    level = "info"
    summary = "A sentence of the article repeated on its own as a pull quote."
    docs = {
        "what": "Flags a short block (`min_words` to `max_words` words, ending like a sentence) "
                "whose words also occur, in order, inside a longer paragraph of the same article: "
                "a pull quote that the extractor kept as body text.",
        "why": "On the page a pull quote is a design element; in extracted text it is a repeated "
               "sentence that interrupts the story. It may be intended, so this is information "
               "only.",
        "example": "Paragraph: `... the two leaders aim to reshape global power balances during a "
                   "period of turbulence.`\nLater block: `The two leaders aim to reshape global "
                   "power balances.` (flagged)",
        "fix": "None: decide whether the pull quote should stay; delete the block if not.",
    }
    options = {"min_words": 6, "max_words": 40}
    examples = parse_examples({
        "fail": [_article("Putin and Xi talk", "By reinforcing their partnership, the two leaders "
                          "aim to reshape global power balances during a period of significant "
                          "international turbulence, officials said.",
                          "The two leaders aim to reshape global power balances.", _P2)],
        "pass": [_article("Putin and Xi talk", "The two leaders spoke by video link on Wednesday, "
                          "officials in both capitals said.", "Global power balances", _P2)],
    }, "NL204")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        paras = body(article).paras
        quotes = [p for p in paras if options["min_words"] <= p.size <= options["max_words"]
                  and p.block.text.strip().endswith(SENTENCE_END)]
        sources = quote_sources(paras, quotes, max(1, options["min_words"]))
        for para in quotes:
            if para.index in sources:
                other = sources[para.index]
                yield self.at_block(article, para.block, f"repeats a sentence of "
                                    f"{ref(article, other)} as a pull quote",
                                    data={"first_line": other.line})


class NearDuplicate(ArticleRule):
    code = "NL202"
    name = "duplicate-paragraph-near"
    level = "warning"
    summary = "A paragraph that nearly repeats an earlier one of the same article."
    fix_safety = "unsafe"
    docs = {
        "what": "Flags a paragraph of at least `min_words` words that shares at least `threshold` "
                "of its word `shingle_words`-grams (Jaccard similarity) with an earlier paragraph "
                "of the same article, without being an exact copy (`duplicate-paragraph` reports "
                "those). Not flagged: items of a list written on one template (three or more "
                "paragraphs alike, such as \"<film> is streaming on <service> ...\").",
        "why": "A paragraph repeated with a word or two changed is the same defect as an exact "
               "copy (a teaser and its body, two renders of one block), but exact matching "
               "misses it.",
        "example": "Line 6: `China has been pivotal, bolstering Russia's economy by buying oil.`\n"
                   "Line 9: `China has been pivotal, bolstering Russia's economy by buying gas.`",
        "fix": "Unsafe: the later paragraph is deleted. Check first that the change in wording "
               "carries no new information.",
    }
    options = {"threshold": 0.7, "shingle_words": 2, "min_words": 10}
    option_ranges = {"threshold": (0.01, 1.0), "shingle_words": (1, 10), "min_words": (1, 10_000)}
    examples = parse_examples({
        "fail": [_article("Putin and Xi meet", _P1, _P2, _P1.replace("its industries", "its "
                          "many industries"), _P3)],
        "pass": [_article("Putin and Xi meet", _P1, _P2, _P3),
                 _article("Putin and Xi meet", _P1, "China has been pivotal in the talks, the "
                          "ministry said, and has supplied no weapons to either side."),
                 _article("Films of the year", *(f"{film} is currently streaming on {where} and "
                          "available to rent digitally on Google Play and YouTube." for film, where
                          in (("Faces Places", "Netflix"), ("The Square", "Hulu"),
                              ("Princess Cyd", "Netflix"))))],
    }, "NL202")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        problem = option_problem(options, self.option_ranges)
        if problem:
            yield self.finding(article, f"rule {self.code}: {problem}", level="error")
            return
        text = body(article)
        candidates = text.candidates(options["min_words"])
        k = options["shingle_words"]
        near = text.near_copies(candidates, k, options["threshold"])
        if not near:
            return
        templated = templated_lists(text, candidates, k, options["threshold"])
        by_index = {p.index: p for p in text.paras}
        for j, (similarity, i) in sorted(near.items()):
            if j in templated:
                continue
            later, first = by_index[j], by_index[i]
            fix = removal(article, later.block, f"remove the near-copy of {ref(article, first)}",
                          safe=False)
            yield self.at_block(article, later.block, f"nearly repeats {ref(article, first)} "
                                f"({similarity:.0%} of their {k}-word sequences are "
                                "shared)", fix=fix, data={"first_line": first.line,
                                                          "similarity": round(similarity, 3)})

