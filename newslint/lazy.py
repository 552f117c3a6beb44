"""Work deferred to first use, so that start-up pays only for what a run needs.

Patterns compiled on first use: `regex` compiles in pure Python, and the rule
modules hold about 60 patterns: 70 ms at start-up (half of it for the
attribution and date patterns) that a run needing none of them spends for
nothing: a rerun served from the cache, `newslint rules`, `--select
near-duplicate`. A `LazyPattern` compiles on first use and then binds the
compiled pattern's methods on itself, so every later `PATTERN.search(...)`
costs what it costs on the compiled pattern.

Modules imported on first use: numpy takes 40-50 ms to import (`python -X
importtime`, 2026-12-07) and a rerun served from the cache never touches it.
`np = lazy_module("numpy")` gives a stand-in that imports numpy when one of its
attributes is first read and then copies the module's namespace into itself, so
every later `np.xxx` is a plain attribute look-up. Module-level code must not
read `np.xxx` (that would import it at once): constants such as dtypes are
written as strings ("<u8") or Python ints.
"""
from __future__ import annotations

import importlib
import sys
import threading
import types
from typing import Any, Callable

import regex

#: the methods bound on the lazy pattern once it is compiled (other attributes,
#: such as `.pattern` or `.groupindex`, are looked up on the compiled pattern)
BOUND = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split",
         "splititer", "scanner")
_LOCK = threading.Lock()


class LazyPattern:
    """`compiler(pattern, flags)` (by default `regex.compile`), done on first use."""

    def __init__(self, pattern: str | bytes, flags: int = 0,
                 compiler: Callable[[Any, int], Any] = regex.compile):
        self._source = (pattern, flags, compiler)

    def compiled(self) -> Any:
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            with _LOCK:  # two threads' first uses compile once
                compiled = self.__dict__.get("_compiled")
                if compiled is None:
                    pattern, flags, compiler = self._source
                    compiled = compiler(pattern, flags)
                    for name in BOUND:
                        if hasattr(compiled, name):
                            setattr(self, name, getattr(compiled, name))
                    self._compiled = compiled
        return compiled

    def __getattr__(self, name: str) -> Any:
        """Called only for what is not bound yet: the first use, and the rare
        attributes that are never bound."""
        if name.startswith("__") or name in ("_source", "_compiled"):
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"LazyPattern({self._source[0]!r}, {self._source[1]!r})"


def lazy(pattern: str | bytes, flags: int = 0) -> LazyPattern:
    """A `regex` pattern compiled on first use."""
    return LazyPattern(pattern, flags)


class LazyModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        module = importlib.import_module(self.__name__)
        self.__dict__.update(module.__dict__)
        return getattr(module, name)


def lazy_module(name: str) -> Any:
    """The module itself when it is already imported, else a `LazyModule`."""
    return sys.modules.get(name) or LazyModule(name)
