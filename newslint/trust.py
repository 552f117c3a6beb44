"""What newslint believes from a checked repository, and what it does not.

A repository's own configuration (`newslint.toml`, `.newslint.toml`,
`[tool.newslint]` in `pyproject.toml`, or a file named with `--config`) is
written by whoever wrote the repository: a stranger's pull request can change
it. It may choose rules, options, excludes and field names, but not what
reaches outside the repository:

- `index` (a network URL or a folder anywhere) and `jobs` (processes started)
  are ignored when a repository config sets them;
- `cache-dir`, `rule-dirs` and `corpus` are kept only when they lead to a
  place inside the config file's folder (links resolved);
- `max-file-size` may lower the default limit, never raise it.

Each ignored setting gives a one-line notice naming the file and the setting.
The same settings are believed from the command line (`--index`, `-j`,
`--cache-dir`, `--rule-dir`, `--corpus`, `--max-file-size`) and from the
user's own config: `$NEWSLINT_USER_CONFIG`, else
`$XDG_CONFIG_HOME/newslint/newslint.toml` (`~/.config/newslint/newslint.toml`).

The cache found in a repository is not believed either: its rows carry a
keyed checksum (`row_mac`) whose key lives outside the repository
(`secret_key`), in `$XDG_CACHE_HOME/newslint/cache-key`
(`~/.cache/newslint/cache-key`), created with mode 0600.
"""
from __future__ import annotations

import hmac
import os
import secrets
import stat
import threading
from pathlib import Path
from typing import Any

#: settings a repository's config may not set at all
NEVER_FROM_REPOSITORY = {"index": "a repository's config may not reach the network or a folder "
                                  "outside it",
                         "jobs": "a repository's config may not set how many processes start"}
#: path settings a repository's config may set only inside its own folder
PATHS_INSIDE_REPOSITORY = ("cache-dir", "rule-dirs", "corpus")
#: what the user's own config holds: the settings a repository's config cannot fully set
USER_SETTINGS = ("index", "jobs", "cache-dir", "rule-dirs", "corpus", "max-file-size")
#: the default max-file-size: a repository's config may only lower it
MAX_FILE_SIZE_CEILING = 50 * 1024 * 1024
KEY_BYTES = 32


def screen_repository_table(table: dict[str, Any], root: Path, origin: str
                            ) -> tuple[dict[str, Any], list[str]]:
    """The settings table of a repository's config with what it may not set
    taken out, and one notice per setting taken out. `root` is the folder of
    the config file; relative paths are read from there."""
    kept: dict[str, Any] = {}
    notices: list[str] = []
    where = f"{origin}: setting"
    user = "use the command line or your own ~/.config/newslint/newslint.toml"
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key in NEVER_FROM_REPOSITORY:
            notices.append(f"{where} '{raw_key}' ignored: {NEVER_FROM_REPOSITORY[key]}; {user}")
            continue
        if key in PATHS_INSIDE_REPOSITORY:
            value, outside = _inside(value, root)
            if outside:
                notices.append(f"{where} '{raw_key}' ignored for {outside!r}: it leads out of "
                               f"the config file's folder; {user}")
            if value is None:
                continue
        elif key == "max-file-size" and isinstance(value, int) and not isinstance(value, bool) \
                and value > MAX_FILE_SIZE_CEILING:
            notices.append(f"{where} '{raw_key}' = {value:,} ignored: a repository's config may "
                           f"only lower the limit ({MAX_FILE_SIZE_CEILING:,}); {user}")
            continue
        kept[raw_key] = value
    return kept, notices


def _inside(value: Any, root: Path) -> tuple[Any, str | None]:
    """(the entries of `value` that lead inside `root`, the first one that does not)."""
    if isinstance(value, str):
        kept, outside = _inside([value], root)
        return (kept[0] if kept else None), outside
    if not isinstance(value, list):
        return value, None  # the type check in config names the mistake
    base = _real(root)
    kept, outside = [], None
    for entry in value:
        if not isinstance(entry, str):
            kept.append(entry)
            continue
        target = _real(root / entry)
        if target == base or base in target.parents:
            kept.append(entry)
        elif outside is None:
            outside = entry
    return kept, outside


def _real(path: Path) -> Path:
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):
        return path.absolute()


# -- the user's own config ---------------------------------------------------------------
def user_config_path() -> Path | None:
    """The user's own newslint.toml: `$NEWSLINT_USER_CONFIG`, else
    `$XDG_CONFIG_HOME/newslint/newslint.toml` (`~/.config/...`); None when it
    does not exist."""
    named = os.environ.get("NEWSLINT_USER_CONFIG")
    if named:
        return Path(named)
    base = os.environ.get("XDG_CONFIG_HOME") or _home(".config")
    if base is None:
        return None
    path = Path(base) / "newslint" / "newslint.toml"
    return path if path.is_file() else None


def _home(*parts: str) -> str | None:
    try:
        return str(Path.home().joinpath(*parts))
    except (RuntimeError, KeyError, OSError):
        return None


# -- the key of the cache's checksums -------------------------------------------------------
_KEY: bytes | None = None
_KEY_LOCK = threading.Lock()


class KeyUnavailable(Exception):
    """The key cannot be read or kept outside the repository."""


def key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or _home(".cache")
    if base is None:
        raise KeyUnavailable("no home folder to keep the cache key in")
    return Path(base) / "newslint" / "cache-key"


def secret_key() -> bytes:
    """This user's key for the cache's checksums, read once per process;
    created (mode 0600, 32 random bytes) when missing, replaced when it is
    not a private regular file of this user. Raises KeyUnavailable."""
    global _KEY
    with _KEY_LOCK:
        if _KEY is None:
            _KEY = _read_or_create(key_path())
        return _KEY


def _read_or_create(path: Path) -> bytes:
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        pass  # a link, another user's, readable by others, or the wrong size: replace it
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = secrets.token_bytes(KEY_BYTES)
        tmp = path.with_name(f".cache-key.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            os.write(fd, key)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        return _read_key(path)  # two processes creating it at once agree on the one that landed
    except (OSError, ValueError) as exc:
        raise KeyUnavailable(f"cannot keep the cache key in {path}: "
                             f"{getattr(exc, 'strerror', None) or exc}") from None


def _read_key(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        own = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
        if not stat.S_ISREG(info.st_mode) or not own or info.st_mode & 0o077:
            raise ValueError("not a private file of this user")
        key = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    if len(key) != KEY_BYTES:
        raise ValueError("wrong size")
    return key


def row_mac(key: bytes, *fields: Any) -> str:
    """A keyed checksum of a cache row's fields (HMAC-SHA256, 128 bits shown);
    each field is tagged by its type and prefixed by its length, so no two
    rows' fields run together alike."""
    parts = []
    for value in fields:
        if isinstance(value, str):
            data = b"s" + value.encode("utf-8", "surrogatepass")
        elif isinstance(value, bytes):
            data = b"b" + value
        else:
            data = b"r" + repr(value).encode()
        parts.append(len(data).to_bytes(8, "little"))
        parts.append(data)
    return hmac.digest(key, b"".join(parts), "sha256").hex()[:32]
