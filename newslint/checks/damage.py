"""Scraping damage (NL501-NL599): text cut off, glued or spread out, garbled
characters, markup left behind, a damaged headline, bodies too long or too short.

The rules live in the `damage_*` modules by concern; this plugin registers them all.
"""
from __future__ import annotations

from ..hookspecs import hookimpl
from .damage_layout import BlankLineRuns, TooShort, TruncatedEnding, WallOfText
from .damage_markup import HtmlLeftovers, Mojibake
from .damage_spacing import GluedSentences, SpaceBeforePunctuation
from .damage_title import CapsHeadline, DateInHeadline

RULES = (TruncatedEnding, GluedSentences, SpaceBeforePunctuation, BlankLineRuns, Mojibake,
         HtmlLeftovers, CapsHeadline, DateInHeadline, WallOfText, TooShort)


@hookimpl
def newslint_register_rules(register):
    for rule in RULES:
        register(rule())
