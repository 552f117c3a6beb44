"""Built-in output formats: text, json, jsonl, sarif, github, html."""
from __future__ import annotations

from newslint.formatters.machine import format_github, format_json, format_jsonl
from newslint.formatters.sarif import format_sarif
from newslint.formatters.text import format_text
from newslint.hookspecs import hookimpl


def format_html(result, stream, options) -> None:
    """The HTML report, imported on first use: its module and the statistics it
    builds on are start-up that every other format does not need to pay."""
    from newslint.formatters.html import format_html as write
    write(result, stream, options)


@hookimpl
def newslint_register_formatters(register):
    register("text", format_text)
    register("json", format_json)
    register("jsonl", format_jsonl)
    register("sarif", format_sarif)
    register("github", format_github)
    register("html", format_html)
