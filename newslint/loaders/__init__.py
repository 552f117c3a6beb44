"""Built-in loaders, registered through the plugin hook like any other."""
from __future__ import annotations

from ..hookspecs import hookimpl
from .plaintext import load_text


@hookimpl
def newslint_register_loaders(register):
    register("txt", (".txt", ".text"), load_text)
