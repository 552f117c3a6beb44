"""Built-in loaders, registered through the plugin hook like any other."""
from __future__ import annotations

from newslint.hookspecs import hookimpl
from newslint.loaders.markdown import load_markdown
from newslint.loaders.plaintext import load_text
from newslint.loaders.records import load_json, load_jsonl


def load_html(path: str, data: bytes, settings=None):
    """The HTML loader, imported on first use: BeautifulSoup costs ~0.1 s of
    start-up that a run without HTML files does not need to pay."""
    from newslint.loaders.html import load_html as load
    return load(path, data, settings)


@hookimpl
def newslint_register_loaders(register):
    register("txt", (".txt", ".text"), load_text)
    register("md", (".md", ".markdown"), load_markdown)
    register("html", (".html", ".htm"), load_html)
    register("json", (".json",), load_json)
    register("jsonl", (".jsonl", ".ndjson"), load_jsonl)
