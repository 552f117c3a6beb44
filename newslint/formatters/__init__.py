"""Built-in output formats: text, json, jsonl, sarif, github."""
from __future__ import annotations

from ..hookspecs import hookimpl
from .machine import format_json, format_jsonl, format_github
from .sarif import format_sarif
from .text import format_text


@hookimpl
def newslint_register_formatters(register):
    register("text", format_text)
    register("json", format_json)
    register("jsonl", format_jsonl)
    register("sarif", format_sarif)
    register("github", format_github)
