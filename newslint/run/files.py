"""Finding the files to check: folders walked recursively, hidden folders and
the cache folder skipped, exclude globs honoured, known extensions only.

Links found in a folder: a link to a folder is not walked; a link to a file
is followed only when the file it leads to is inside the folder being walked
(else an input error says it was not followed: a repository could plant a
link to `~/.ssh/id_rsa.txt` and have it quoted). A file named on the command
line is read wherever it leads. Files that are not regular files (a FIFO, a
device) are refused when read (`Engine.read`)."""
from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Iterable, Iterator

from newslint.config import DEFAULT_CACHE_DIR, Settings
from newslint.model import InputError
from newslint.registry import Registry
from newslint.run.gitignore import GitIgnored

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
    ignore = GitIgnored() if settings.respect_gitignore else None
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            if settings.force_exclude and forced_out(path, settings, ignore, True):
                continue
            found = _walk(path, settings, registry, cache, errors, ignore)
        elif settings.force_exclude and forced_out(path, settings, ignore, False):
            continue  # pre-commit passes every changed file by name
        elif path.exists() or path.is_symlink():
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


def forced_out(path: Path, settings: Settings, ignore: GitIgnored | None, is_dir: bool) -> bool:
    """With force-exclude: a path given by name that `exclude` or .gitignore leaves out."""
    return is_excluded(path, settings) or (
        ignore is not None and ignore.ignored(str(path), is_dir=is_dir, parents=True))


def _walk(top: Path, settings: Settings, registry: Registry, cache: Path,
          errors: list[InputError], ignore: GitIgnored | None = None) -> Iterator[str]:
    """`os.walk(top)` top-down, folders and files in name order, links to
    folders not walked, links to files outside `top` not followed."""
    root = os.path.realpath(top)
    stack = [str(top)]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            continue
        here = Path(folder)
        absolute = os.path.abspath(folder) if ignore is not None else ""
        dirs, files = [], []
        for entry in entries:
            (dirs if _is_dir(entry) else files).append(entry)
        # str(here / name), spelled with strings: a Path per file costs more
        # than the rest of the walk in a folder of 10,000 articles
        prefix = "" if folder == "." else os.path.join(folder, "")
        for entry in sorted(files, key=lambda e: e.name):
            name = entry.name
            if name.startswith(".") or registry.loader_for(name) is None:
                continue
            path = prefix + name
            if settings.exclude and is_excluded(Path(path), settings):
                continue
            if ignore is not None and ignore.in_folder(absolute, name):
                continue
            if entry.is_symlink() and not _inside(os.path.realpath(path), root):
                errors.append(InputError(path, "a symbolic link to a file outside the checked "
                                         "folder; not followed"))
                continue
            yield path
        walked = sorted((d.name for d in dirs if not d.name.startswith(".")
                         and d.name not in ALWAYS_SKIPPED and not d.is_symlink()
                         and resolved(here / d.name) != cache
                         and not is_excluded(here / d.name, settings)
                         and not (ignore and ignore.in_folder(absolute, d.name, True))),
                        reverse=True)
        stack.extend(name if folder == "." else os.path.join(folder, name) for name in walked)


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(os.path.join(root, ""))
