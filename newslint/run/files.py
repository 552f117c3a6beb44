"""Finding the files to check: folders walked recursively, hidden folders and
the cache folder skipped, exclude globs honoured, known extensions only."""
from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Iterable, Iterator

from newslint.config import DEFAULT_CACHE_DIR, Settings
from newslint.model import InputError
from newslint.registry import Registry

ALWAYS_SKIPPED = {DEFAULT_CACHE_DIR, "node_modules", "__pycache__"}


def is_excluded(path: Path, settings: Settings) -> bool:
    if not settings.exclude:
        return False
    try:
        rel = resolved(path).relative_to(resolved(settings.root)).as_posix()
    except ValueError:
        rel = path.as_posix()
    parts = rel.split("/")
    for pattern in settings.exclude:
        pattern = pattern.rstrip("/")
        if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, pattern + "/*") \
                or any(fnmatch.fnmatch(part, pattern) for part in parts):
            return True
    return False


def resolved(path: Path) -> Path:
    """`path.resolve()`, or the absolute path when it cannot be resolved (a
    symlink loop raises RuntimeError on Python < 3.13, OSError after)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def discover(paths: Iterable[str], settings: Settings, registry: Registry,
             errors: list[InputError]) -> Iterator[str]:
    """Yield checkable files under `paths` in a stable order, each once.
    Problems (missing paths, unknown explicit file types) go to `errors`."""
    seen: set[str] = set()
    cache = resolved(settings.cache_path())
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = _walk(path, settings, registry, cache)
        elif path.is_file() or path.is_symlink():
            if registry.loader_for(path.name) is None:
                errors.append(InputError(str(path), "no loader for this file type "
                                         f"(known: {', '.join(sorted(registry.by_extension))})"))
                continue
            found = iter([str(path)])
        else:
            errors.append(InputError(str(path), "no such file or directory"))
            continue
        for item in found:
            key = os.path.normpath(item)
            if key not in seen:
                seen.add(key)
                yield item


def _walk(top: Path, settings: Settings, registry: Registry, cache: Path) -> Iterator[str]:
    for folder, dirs, files in os.walk(top, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ALWAYS_SKIPPED
                         and resolved(here / d) != cache
                         and not is_excluded(here / d, settings))
        # str(here / name), spelled with strings: a Path per file costs more
        # than the rest of the walk in a folder of 10,000 articles
        prefix = "" if str(here) == "." else os.path.join(str(here), "")
        for name in sorted(files):
            if name.startswith(".") or registry.loader_for(name) is None:
                continue
            path = prefix + name
            if settings.exclude and is_excluded(Path(path), settings):
                continue
            yield path
