"""`--fix`: apply fixes to the files' text until nothing more changes, then
write the file atomically, keeping its line endings and mode."""
from __future__ import annotations

import os
import tempfile
from typing import Iterable

from newslint.config import ConfigError
from newslint.fixes import apply_edits, fixable
from newslint.model import Article, Fix
from newslint.run.files import discover

MAX_ROUNDS = 10


def fix_article(engine, article: Article, unsafe: bool = False) -> tuple[str, list[Fix]]:
    """Fixed text of one article and the fixes applied. Rounds repeat until no
    fix applies, since one fix can make another possible."""
    if article.source is None:
        return "", []
    source, applied = article.source, []
    for _ in range(MAX_ROUNDS):
        fixes = fixable(engine.check_article(article), unsafe)
        if not fixes:
            break
        new_source, used = apply_edits(source, fixes)
        if new_source == source:
            break
        applied.extend(used)
        source = new_source
        reloaded = list(engine.load(article.path, _encode(source, article), article.format))
        if len(reloaded) != 1 or not isinstance(reloaded[0], Article):
            break
        article = reloaded[0]
    return source, applied


def _encode(source: str, article: Article) -> bytes:
    return source.replace("\n", article.extra.get("newline", "\n")).encode("utf-8")


def fix_paths(engine, paths: Iterable[str], unsafe: bool = False) -> int:
    """Fix every single-article text file under `paths`; return the number of
    fixes applied. Files whose text cannot be edited (HTML, JSON) are left alone."""
    total = 0
    for path in discover(paths, engine.settings, engine.registry, []):
        if os.path.islink(path):
            continue  # never write through a link: it may point outside the checked tree
        try:
            data = engine.read(path)
        except Exception:
            continue  # the check run reports the read error
        articles = [a for a in engine.load(path, data) if isinstance(a, Article)]
        if len(articles) != 1 or articles[0].record is not None or articles[0].source is None:
            continue
        source, applied = fix_article(engine, articles[0], unsafe)
        if applied:
            try:
                write_atomic(path, _encode(source, articles[0]))
            except OSError as exc:  # the file is left as it was
                raise ConfigError(f"{path}: cannot write the fixed file: {exc.strerror or exc}") from None
            total += len(applied)
    return total


def write_atomic(path: str, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename over the
    original, keeping its permission bits."""
    folder = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=".newslint-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
