"""Rules about the input itself: suppressions that suppress nothing, text that
was not valid UTF-8."""
from __future__ import annotations

from typing import Any, Iterator

from newslint.model import Article, Finding
from newslint.rule import ArticleRule, parse_examples


class UnusedSuppression(ArticleRule):
    """Reported by the engine after suppressions are applied (it needs every
    other rule's findings first), so `check` itself finds nothing."""

    code = "NL001"
    name = "unused-suppression"
    level = "info"
    summary = "A `newslint: disable=` marker that suppressed no finding."
    docs = {
        "what": "Flags a suppression marker (`<!-- newslint: disable=NL101 -->`, a `newslint: "
                "disable=...` line in plain text, the `newslint` front-matter key or the "
                "`newslint_disable` JSON field) naming a rule that reported nothing there.",
        "why": "Stale suppressions hide the next real problem of that kind and make readers "
               "wonder what was wrong.",
        "example": "newslint: disable=NL101\n\nA clean article with no summary prompt.",
        "fix": "Delete the marker, or the selectors in it that are no longer needed.",
    }
    examples = parse_examples({
        "fail": ["Title\n\nnewslint: disable=NL301\n\nPublished 2024-03-01 by Jane Roe, "
                 "Reuters. A full and proper sentence ends here."],
        "pass": ["Title\n\nA body that needs no suppression at all. Published 2024-03-01."],
    }, "NL001")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        return iter(())


class EncodingFallback(ArticleRule):
    code = "NL002"
    name = "encoding-fallback"
    level = "warning"
    summary = "The file is not valid UTF-8 and was decoded with the Windows-1252 fallback."
    docs = {
        "what": "Flags files whose bytes are not valid UTF-8. newslint then decodes them as "
                "Windows-1252 (bytes it leaves undefined as Latin-1) so the other rules still run.",
        "why": "A pipeline that assumes UTF-8 will garble or drop such text; the fallback is a "
               "guess and can be wrong.",
        "example": "A file saved as Windows-1252: `caf\\xe9` instead of `caf\\xc3\\xa9`.",
        "fix": "Re-encode the file as UTF-8 (`iconv -f cp1252 -t utf-8`).",
    }
    examples = parse_examples({
        "fail": [{"text": "Caf\u00e9 news\n\nLe caf\u00e9 est ouvert.", "format": "txt-cp1252"}],
        "pass": ["Caf\u00e9 news\n\nLe caf\u00e9 est ouvert."],
    }, "NL002")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        warning = article.extra.get("encoding_warning")
        if warning:
            yield self.finding(article, warning, line=1)
