"""Built-in loaders, registered through the plugin hook like any other."""
from __future__ import annotations

from ..hookspecs import hookimpl
from .html import load_html
from .markdown import load_markdown
from .plaintext import load_text
from .records import load_json, load_jsonl


@hookimpl
def newslint_register_loaders(register):
    register("txt", (".txt", ".text"), load_text)
    register("md", (".md", ".markdown"), load_markdown)
    register("html", (".html", ".htm"), load_html)
    register("json", (".json",), load_json)
    register("jsonl", (".jsonl", ".ndjson"), load_jsonl)
