"""Where a near-duplicate index lives, checked before a run starts: a folder,
or a `redis://host:port/db` URL (also `rediss://`, `unix://`) whose port and
database number are numbers. Light on purpose: the command line checks
`--index` with it without importing numpy or redis."""
from __future__ import annotations

from urllib.parse import urlsplit

from newslint.config import ConfigError

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def is_redis(spec: str) -> bool:
    return spec.startswith(REDIS_SCHEMES)


def check_index_spec(spec: str) -> None:
    """Raise ConfigError for a Redis URL that cannot be one (the message
    leaves out the password)."""
    if not is_redis(spec) or spec.startswith("unix://"):
        return
    shown = spec.split("@", 1)[1] if "@" in spec else spec.split("://", 1)[1]
    try:
        parts = urlsplit(spec)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ConfigError(f"--index: not a valid Redis URL (redis://host:port/db): "
                          f"...{shown}: {exc}") from None
    database = parts.path.strip("/")
    if database and not database.isdigit():
        raise ConfigError(f"--index: not a valid Redis URL (redis://host:port/db): ...{shown}: "
                          f"the database must be a number, not {database!r}")
    if not parts.hostname:
        raise ConfigError(f"--index: not a valid Redis URL (redis://host:port/db): ...{shown}: "
                          "no host")
