"""`--fix`: apply fixes to the files' text until nothing more changes, then
write the file back, changing the fixed bytes and nothing else.

- Only the fixed spans change (`rawtext.RawText`): the BOM, each line's
  encoding and ending stay; the result must decode to the fixed text, or
  the file is left alone.
- Compare and swap: the file is read under an advisory lock (so two `--fix`
  runs take turns), the fixed bytes go to a temporary file in the same
  folder (`.newslint-fix-PID-RANDOM.tmp`, fsync'ed), and it replaces the file
  only if the file still holds what was read (same inode, stat and bytes);
  otherwise the fix starts again from the new content, up to CAS_ATTEMPTS.
- Owner, group and mode are kept; a file that cannot keep them, is
  read-only, or has other hard links is not rewritten (a notice says why).
- Temporary files a killed run left behind (its process gone) are removed.
"""
from __future__ import annotations

import os
import re
import secrets
import stat
from typing import Iterable

from newslint.config import ConfigError
from newslint.fixes import apply_edits, fixable
from newslint.model import Article, Fix
from newslint.run.files import discover
from newslint.run.suppress import apply_suppressions
from newslint.run.rawtext import CannotSplice, RawText

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

MAX_ROUNDS = 10
#: times a file that changed while it was being fixed is fixed again from its new content
CAS_ATTEMPTS = 3
TEMP_PREFIX = ".newslint-fix-"
TEMP_RE = re.compile(r"\.newslint-fix-(\d+)-[0-9a-f]+\.tmp")


class NotFixed(Exception):
    """The file is left as it is; the message says why."""


def fix_article(engine, article: Article, unsafe: bool = False) -> tuple[str, list[Fix]]:
    """Fixed text of one article and the fixes applied. Rounds repeat until no
    fix applies, since one fix can make another possible."""
    if article.source is None:
        return "", []
    source, applied = article.source, []
    for _ in range(MAX_ROUNDS):
        fixes = fixes_to_apply(engine, article, unsafe)
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


def fixes_to_apply(engine, article: Article, unsafe: bool) -> list[Fix]:
    """The fixes of one round: those of the article's findings that it does not
    suppress (a line, a range, the whole article), safe ones only unless `unsafe`."""
    found = apply_suppressions(engine.check_article(article), list(article.suppressions),
                               engine.registry, None)
    return fixable(found, unsafe)


def _encode(source: str, article: Article) -> bytes:
    return source.replace("\n", article.extra.get("newline", "\n")).encode("utf-8")


def fix_bytes(engine, article: Article, data: bytes, unsafe: bool = False
              ) -> tuple[bytes, list[Fix]]:
    """`fix_article` on a file's bytes: the fixed bytes and the fixes applied.
    A round whose bytes do not read back as its fixed text is not kept."""
    source, applied = article.source, []
    for _ in range(MAX_ROUNDS):
        fixes = fixes_to_apply(engine, article, unsafe)
        if not fixes:
            break
        new_source, used = apply_edits(source, fixes)
        if new_source == source:
            break
        try:
            new_data = RawText(data).splice(source, [e for f in used for e in f.edits])
        except CannotSplice as exc:
            if not applied:
                raise NotFixed(str(exc)) from None
            break
        reloaded = list(engine.load(article.path, new_data, article.format))
        if len(reloaded) != 1 or not isinstance(reloaded[0], Article) \
                or reloaded[0].source != new_source:
            if not applied:
                raise NotFixed("the fixed bytes would not read back as the fixed text")
            break
        applied.extend(used)
        source, data, article = new_source, new_data, reloaded[0]
    return data, applied


def fix_paths(engine, paths: Iterable[str], unsafe: bool = False,
              notices: list[str] | None = None, log: list[tuple[str, Fix]] | None = None) -> int:
    """Fix every single-article text file under `paths`; return the number of
    fixes applied. Files whose text cannot be edited (HTML, JSON) are left
    alone; files that cannot be rewritten safely get a notice."""
    total, cleaned = 0, set()
    for path in discover(paths, engine.settings, engine.registry, []):
        if os.path.islink(path):
            continue  # never write through a link: it may point outside the checked tree
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in cleaned:
            cleaned.add(folder)
            remove_stale_temporaries(folder)
        try:
            total += fix_file(engine, path, unsafe, log)
        except NotFixed as exc:
            if notices is not None:
                notices.append(f"{path}: not fixed: {exc}")
    return total


def fix_file(engine, path: str, unsafe: bool = False, log: list[tuple[str, Fix]] | None = None
             ) -> int:
    """Fix one file with compare and swap (see the module docstring); return
    the number of fixes written. Raises NotFixed."""
    for _ in range(CAS_ATTEMPTS):
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                         | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return 0  # the check run reports what cannot be read
        try:
            written = _fix_open_file(engine, path, fd, unsafe, log)
        finally:
            os.close(fd)
        if written is not None:
            return written
    raise NotFixed(f"it changed while it was being fixed, {CAS_ATTEMPTS} times; run --fix again")


def _fix_open_file(engine, path: str, fd: int, unsafe: bool,
                   log: list[tuple[str, Fix]] | None = None) -> int | None:
    """The number of fixes written, or None when the file changed meanwhile."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > engine.settings.max_file_size:
        return 0  # the check run reports it
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another --fix run: take turns
    if not _same_file(path, info := os.fstat(fd)):
        return None  # replaced while we waited for the lock
    data = _read_all(fd, engine.settings.max_file_size + 1)
    articles = [a for a in engine.load(path, data) if isinstance(a, Article)]
    if len(articles) != 1 or articles[0].record is not None or articles[0].source is None:
        return 0
    new_data, applied = fix_bytes(engine, articles[0], data, unsafe)
    if not applied:
        return 0
    _writable(path, info)
    tmp = _write_temporary(path, new_data, info)
    try:
        if not _same_file(path, info) or _read_all(fd, len(data) + 1) != data:
            return None  # changed since it was read: fix the new content
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot write the fixed file: {exc.strerror or exc}") from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
    if log is not None:
        log.extend((path, fix) for fix in applied)
    return len(applied)


def _same_file(path: str, info: os.stat_result) -> bool:
    try:
        now = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns, now.st_ctime_ns) == \
        (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _read_all(fd: int, limit: int) -> bytes:
    chunks, offset = [], 0
    while offset < limit:
        chunk = os.pread(fd, min(1 << 20, limit - offset), offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _writable(path: str, info: os.stat_result) -> None:
    if info.st_nlink > 1:
        raise NotFixed(f"it has {info.st_nlink} hard links, and rewriting it would split them")
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise NotFixed("it is read-only")


def _write_temporary(path: str, data: bytes, info: os.stat_result) -> str:
    """The fixed bytes in a new file beside `path`, with its owner, group and
    mode, flushed to disk. Raises NotFixed when the owner cannot be kept and
    ConfigError when the disk refuses the write."""
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the fixed file: {exc.strerror or exc}") from None
    try:
        try:
            if hasattr(os, "fchown") and (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
                os.fchown(fd, info.st_uid, info.st_gid)
        except PermissionError:
            raise NotFixed(f"it belongs to another user (uid {info.st_uid}, gid {info.st_gid}) "
                           "and the fixed file could not keep that owner") from None
        os.fchmod(fd, stat.S_IMODE(info.st_mode))
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException as exc:
        os.close(fd)
        os.unlink(tmp)
        if isinstance(exc, OSError):  # the file is left as it was
            raise ConfigError(f"{path}: cannot write the fixed file: "
                              f"{exc.strerror or exc}") from None
        raise
    os.close(fd)
    return tmp


def replace_file(path: str, data: bytes) -> None:
    """Write `data` over the regular file `path` as --fix does: a temporary
    file beside it with its owner and mode, flushed, then renamed over it.
    Never through a link. Raises NotFixed or ConfigError."""
    if os.path.islink(path):
        raise NotFixed("it is a symbolic link")
    info = os.stat(path)
    _writable(path, info)
    tmp = _write_temporary(path, data, info)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the file: {exc.strerror or exc}") from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def remove_stale_temporaries(folder: str) -> list[str]:
    """Remove the temporary files of killed `--fix` runs in `folder`: named
    as this module names them, regular files of this user, their process gone."""
    removed = []
    try:
        names = [n for n in os.listdir(folder) if n.startswith(TEMP_PREFIX)]
    except OSError:
        return removed
    for name in names:
        m = TEMP_RE.fullmatch(name)
        path = os.path.join(folder, name)
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if m is None or not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() \
                or _alive(int(m.group(1))):
            continue
        try:
            os.unlink(path)
            removed.append(path)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True
