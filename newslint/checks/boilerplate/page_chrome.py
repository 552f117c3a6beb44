"""Page chrome in whole-page text: menus, story lists, share/follow lines,
footers, captions, comment widgets, ads, cookie banners, pagination and the
page's `<title>` line, found by their shape and their neighbours, not by known
phrases (see `chrome_features` and `chrome_model`).
"""
from __future__ import annotations

import regex
from typing import Any, Callable, Iterator

from newslint.checks.boilerplate.chrome_features import (
    WORD_RE, LowerWords, lower_words, page_features, page_language, run_kind)
from newslint.checks.boilerplate.chrome_vocabulary import chrome_words, is_metadata_line
from newslint.checks.boilerplate.chrome_model import chrome_probabilities, chrome_runs, load_model
from newslint.fixes import remove_lines
from newslint.model import Article, Finding
from newslint.rule import ArticleRule, parse_examples
from newslint.text.lines import Line, body_lines

#: a page <title>: "Headline | Site", "Headline - Site", "Site: Headline" ...
TITLE_PARTS_RE = regex.compile(r"\s+(?:[|•·»›/\-–—:]{1,2}|::)\s+")
PROSE_WORDS = 12

_MENU = "\n".join(["Home", "News", "Politics", "Business", "Opinion", "Sport", "Culture",
                   "Travel", "Video", "Podcasts", "Newsletters", "Subscribe", "Sign in"])
_ARTICLE = ("The council voted on Tuesday to rebuild the harbour wall, ending a dispute that has "
            "divided the town for years, the clerk said after the meeting.\n\n"
            "Work on the wall will start in the spring and is expected to take two years, "
            "according to the plan the councillors approved by seven votes to two.\n\n"
            "Residents who had opposed the plan said they would keep watching the costs, which "
            "the town's own engineers put at four million pounds over the two years.")
_TIMES = "\n".join(["Monday", "Early boat at seven", "Tuesday", "Two boats at nine and three",
                    "Wednesday", "Early boat at seven", "Thursday", "Two boats at nine and three",
                    "Friday", "One boat at noon"])
_FOOTER = "\n".join(["About us", "Contact us", "Careers", "Advertise with us", "Terms of use",
                     "Privacy policy", "Cookie settings", "© 2025 Harbour Gazette Ltd. All rights "
                     "reserved."])


class PageChrome(ArticleRule):
    code = "NL130"
    name = "boilerplate-page-chrome"
    level = "warning"
    summary = "A run of page chrome (menu, story list, footer, share bar ...) in the article text."
    fix_safety = "unsafe"
    docs = {
        "what": "Finds the page chrome a naive scraper saves with the article: navigation menus, "
                "lists of other stories' headlines, share/follow bars, footers and legal lines, "
                "captions and photo credits, comment widgets, ad labels, cookie banners, "
                "pagination, and the page `<title>` line (the headline with the site's name, "
                "repeated above the headline). Each non-empty line is scored by a classifier "
                "on shallow text features in the spirit of jusText and Kohlschütter et al. "
                "(length, words, stopword density in the page's language, sentence shape, "
                "title case, digits, link-like text, chrome vocabulary, position, lines "
                "repeated on the page) and, above all, the same features of its neighbours: "
                "a run of short lines is a menu, a run of headline-shaped lines a story list. "
                "A second stage smooths the scores over windows of 2 to 10 lines. One "
                "finding is reported per run of chrome lines (`lines 1-42: navigation menu, "
                "42 lines`), its kind named from the run's vocabulary or shape. Articles of "
                "fewer than `min_lines` non-empty lines are left alone.\n\n"
                "The weights are data, `newslint/checks/boilerplate/data/chrome_model.json`, "
                "two logistic regressions trained by `bench/train_chrome.py` (no randomness: "
                "it reproduces the file) on 70% of the readability test pages (whole-page "
                "text dumps with the article's lines labelled, and the clean article "
                "bodies as extra clean examples); 30% of the pages are held out and the "
                "figures on them are stored in the file. Stopword lists: jusText's "
                "(BSD 2-Clause) for English, German, French, Spanish, Russian, Portuguese, "
                "Italian and Dutch; the page's language is the one whose stopwords cover "
                "most of its words.",
        "why": "Menus, story lists and footers are not the article. They mislead every "
               "model and reader downstream (the story list names other events), and they "
               "make unrelated pages of one site look alike. Phrase rules only know the "
               "wordings they list; most chrome is single words and other stories' "
               "headlines.",
        "example": "A page saved whole: 13 menu lines (`Home`, `News`, `Politics` ...), the "
                   "article's three paragraphs, then `About us`, `Contact us`, `Privacy "
                   "policy`, `© 2025 Harbour Gazette Ltd. All rights reserved.` The menu and "
                   "the footer are two findings; the article is untouched.",
        "fix": "Unsafe: the run's lines are deleted. The classifier can be wrong (a list of "
               "short items inside an article looks like a menu), so review the finding "
               "before applying it with `--unsafe-fixes`.",
        "options": "`threshold`: the probability from which a line is chrome (the model's "
                   "own, chosen for precision, when null); `short_run_threshold`: a run of one "
                   "or two lines is reported only when one of its lines reaches this "
                   "probability (the model's own when null; a table row or a list item between "
                   "paragraphs looks like a short menu); `min_lines`: articles with fewer non-empty lines are not "
                   "classified; `min_chrome_lines`: the classifier runs only on a text with at "
                   "least this many short lines that use the vocabulary of page chrome (share, "
                   "sign in, privacy, ©, newsletter ...), the sign of a whole page.",
    }
    options = {"threshold": None, "short_run_threshold": None, "min_lines": 8,
               "min_chrome_lines": 3}
    examples = parse_examples({
        "fail": [f"Harbour wall to be rebuilt | Harbour Gazette\n\n{_MENU}\n\nHarbour wall to be "
                 f"rebuilt\n\n{_ARTICLE}\n\n{_FOOTER}"],
        "pass": [f"Harbour wall to be rebuilt\n\n{_ARTICLE}\n\nThe vote was the council's last "
                 "before the summer break. Its next meeting, on the town's bus routes, is set "
                 "for September, the clerk said.",
                 f"Ferry timetable changes\n\n{_ARTICLE}\n\nThe winter crossings:\n\n{_TIMES}"
                 "\n\nTickets can be bought on board or at the harbour office."],
    }, "NL130")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        # judged on the blocks' lines first: most articles stop here, and need
        # no Line objects (body_lines yields the same lines, in this order)
        texts = [text for block in article.blocks for text in block.text.split("\n")
                 if text.strip()]
        if len(texts) < options["min_lines"] or all(map(_prose, texts)):
            return
        texts = [text.strip() for text in texts]
        words_of = LowerWords().__getitem__
        if not looks_like_a_page(texts, options["min_chrome_lines"], words_of):
            return
        language = page_language(texts, words_of)
        if language is None:
            return  # no stopword list fits: the classifier cannot judge these lines
        lines = [ln for ln in body_lines(article) if ln.text.strip()]
        title = self._page_title(article, lines)
        if title is not None:
            yield title
        model = load_model()
        threshold = options["threshold"] if options["threshold"] is not None else model["threshold"]
        extend = min(threshold, model["extend_threshold"])
        short = options["short_run_threshold"]
        short = model["short_run_threshold"] if short is None else short
        probability = chrome_probabilities(page_features(texts, language, words_of), model)
        headline = _headline_keys(article.title)
        for i, text in enumerate(texts):
            if " ".join(words_of(text)) in headline or is_metadata_line(text):
                probability[i] = 0.0  # the article's own headline, byline or dateline
        for first, last in chrome_runs(probability, threshold, extend,
                                       short):
            yield self._run_finding(article, lines[first:last + 1])

    def _run_finding(self, article: Article, run: list[Line]) -> Finding:
        kind = run_kind([ln.text.strip() for ln in run])
        first, last = run[0], run[-1]
        where = f"line {first.line}" if first.line == last.line else f"lines {first.line}-{last.line}"
        count = f"{len(run)} line{'s' if len(run) > 1 else ''}"
        fix = None
        if first.start is not None and last.end is not None:
            fix = remove_lines(article, first.start, last.end, f"remove the {kind}", safe=False)
        return self.finding(article, f"{where}: {kind}, {count}", line=first.line,
                            end_line=last.line, end_column=len(last.text.rstrip()) + 1, fix=fix,
                            data={"kind": kind, "lines": len(run)})

    def _page_title(self, article: Article, lines: list[Line]) -> Finding | None:
        """The title line when it is the page's <title>: the headline joined to
        the site's name, with the headline itself repeated in the first lines."""
        if article.title is None or article.title_line is None or article.source is None:
            return None
        parts = [p for p in TITLE_PARTS_RE.split(article.title.strip()) if p]
        if len(parts) < 2:
            return None
        head = {_key(ln.text) for ln in lines[:max(10, len(lines) // 2)]}
        if not any(_key(p) in head and len(WORD_RE.findall(p)) >= 3 for p in parts):
            return None
        start = article.source.find(article.title)
        fix = None
        if start != -1:
            fix = remove_lines(article, start, start + len(article.title), "remove the page title",
                               safe=False)
        return self.finding(article, f"line {article.title_line}: page title (the headline "
                            "with the site's name; the headline follows)",
                            line=article.title_line, fix=fix, data={"kind": "page title", "lines": 1})


def looks_like_a_page(texts: list[str], needed: int,
                      words_of: Callable[[str], list[str]] = lower_words) -> bool:
    """Whether at least `needed` short lines use the vocabulary of page chrome
    (share, sign in, privacy, ©, newsletter ...): the evidence that the text is
    a whole page, not an article with a list of short lines (a menu of school
    meals, a timetable) that only looks like a navigation menu."""
    found = 0
    for text in texts:
        if not _prose(text) and chrome_words(text, words_of(text)):
            found += 1
            if found >= needed:
                return True
    return False


def _prose(text: str) -> bool:
    """A long line that ends a sentence: article text, whatever its neighbours."""
    stripped = text.rstrip()
    # (split at most PROSE_WORDS - 1 times: as many parts as words, up to PROSE_WORDS)
    return stripped.endswith((".", "!", "?", "\"", "”", "»")) \
        and len(stripped.split(None, PROSE_WORDS - 1)) >= PROSE_WORDS


def _headline_keys(title: str | None) -> set[str]:
    """The title and, for "Headline | Site", its longest part, as `_key`s of 2+
    words (the site's name, the shorter part, is chrome)."""
    if not title:
        return set()
    longest = max(TITLE_PARTS_RE.split(title.strip()), key=len)
    return {key for key in (_key(title), _key(longest)) if key.count(" ") >= 1}


def _key(text: str) -> str:
    return " ".join(WORD_RE.findall(text.lower()))
