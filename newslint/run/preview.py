"""`newslint check --diff`: what --fix would write, as a unified diff, with
nothing written (the same fixes, rounds and read-back check as --fix)."""
from __future__ import annotations

import difflib
import os
from typing import Iterable, Iterator

from newslint.model import Article
from newslint.run.files import discover
from newslint.run.fixer import NotFixed, fix_bytes


def fix_diffs(engine, paths: Iterable[str], unsafe: bool = False,
              notices: list[str] | None = None) -> Iterator[tuple[str, str, int]]:
    """(path, unified diff, fixes) for every file --fix would change."""
    for path in discover(paths, engine.settings, engine.registry, []):
        if os.path.islink(path):
            continue  # --fix never writes through a link either
        try:
            data = engine.read(path)
        except Exception:  # noqa: BLE001 - the check run reports what cannot be read
            continue
        articles = [a for a in engine.load(path, data) if isinstance(a, Article)]
        if len(articles) != 1 or articles[0].record is not None or articles[0].source is None:
            continue
        try:
            new_data, applied = fix_bytes(engine, articles[0], data, unsafe)
        except NotFixed as exc:
            if notices is not None:
                notices.append(f"{path}: not fixed: {exc}")
            continue
        if not applied or new_data == data:
            continue
        old_text = data.decode("utf-8", "replace").splitlines(keepends=True)
        new_text = new_data.decode("utf-8", "replace").splitlines(keepends=True)
        diff = "".join(difflib.unified_diff(old_text, new_text, f"a/{path}", f"b/{path}"))
        yield path, diff if diff.endswith("\n") else diff + "\n", len(applied)
