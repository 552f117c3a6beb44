"""A module imported on first use.

numpy takes 40-50 ms to import (`python -X importtime`, 2026-12-07) and a rerun
served from the cache never touches it. `np = lazy_module("numpy")` gives a stand-in that
imports numpy when one of its attributes is first read and then copies the
module's namespace into itself, so every later `np.xxx` is a plain attribute
look-up. Module-level code must not read `np.xxx` (that would import it at once):
constants such as dtypes are written as strings ("<u8") or Python ints.
"""
from __future__ import annotations

import importlib
import sys
import types
from typing import Any


class LazyModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        module = importlib.import_module(self.__name__)
        self.__dict__.update(module.__dict__)
        return getattr(module, name)


def lazy_module(name: str) -> Any:
    """The module itself when it is already imported, else a `LazyModule`."""
    return sys.modules.get(name) or LazyModule(name)
