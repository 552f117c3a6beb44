"""Settings: `[tool.newslint]` in pyproject.toml or a `newslint.toml`, found
from the checked path upward, then overridden by command-line options."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from dataclasses import fields as dc_fields
from pathlib import Path
from typing import Any

from newslint.trust import USER_SETTINGS, screen_repository_table

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILES = ("newslint.toml", ".newslint.toml", "pyproject.toml")
DEFAULT_CACHE_DIR = ".newslint_cache"
DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024


class ConfigError(Exception):
    """A configuration file or option is wrong (exit code 2)."""


@dataclass
class Settings:
    select: list[str] | None = None           # None: every default-enabled rule
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # per-rule options
    corpus: list[str] = field(default_factory=list)                 # corpus roots
    exclude: list[str] = field(default_factory=list)
    rule_dirs: list[str] = field(default_factory=list)
    fields: dict[str, list[str]] = field(default_factory=dict)      # JSON field names
    cache_dir: str | None = None
    cache: bool = True
    index: str | None = None                  # near-duplicate index location (path or redis://)
    index_namespace: str | None = None        # ids of path-named articles in the index
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    jobs: int = 0                             # 0: all cores
    respect_gitignore: bool = True            # skip what a git repository's .gitignore ignores
    force_exclude: bool = False               # exclude / .gitignore also for files given by name
    root: Path = field(default_factory=Path.cwd)  # folder of the config file (or cwd)
    config_path: Path | None = None
    notices: list[str] = field(default_factory=list)  # settings a repository's config may not set

    def cache_path(self) -> Path:
        return Path(self.cache_dir) if self.cache_dir else self.root / DEFAULT_CACHE_DIR


_LISTS = ("select", "ignore", "extend_select", "corpus", "exclude", "rule_dirs")


def find_config(start: Path) -> Path | None:
    """The nearest newslint.toml, or pyproject.toml with a [tool.newslint] table."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILES:
            path = candidate / name
            if not path.is_file():
                continue
            if name != "pyproject.toml" or "newslint" in _read_toml(path).get("tool", {}):
                return path
    return None


def load_settings(config: Path | None = None, start: Path | None = None) -> Settings:
    """Settings from an explicit config file, or the one found from `start` upward."""
    path = config if config is not None else find_config(start or Path.cwd())
    if path is None:
        return Settings(root=Path.cwd())
    if not path.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    table = config_table(path)
    table, notices = screen_repository_table(table, path.resolve().parent, str(path))
    settings = settings_from_dict(table, str(path))
    settings.notices = notices
    settings.root = path.resolve().parent
    settings.config_path = path
    settings.rule_dirs = [str((settings.root / d)) for d in settings.rule_dirs]
    if settings.cache_dir:
        settings.cache_dir = str(settings.root / settings.cache_dir)
    settings.corpus = [str(settings.root / c) for c in settings.corpus]
    return settings


#: settings whose values are paths, relative to the folder of the file that sets them
PATH_SETTINGS = ("rule-dirs", "corpus", "cache-dir")


def config_table(path: Path, extending: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The settings table of `path` ([tool.newslint] of a pyproject.toml, the
    top level of a newslint.toml), over the one its `extend = "PATH"` names
    (relative to it; recursively): its own keys win, and the `rules`,
    `per-file-ignores` and `fields` tables are merged key by key (a rule's
    options one by one). Paths the extended file sets are made absolute."""
    data = _read_toml(path)
    raw = data.get("tool", {}).get("newslint", {}) if path.name == "pyproject.toml" else data
    table = {key.replace("_", "-"): value for key, value in raw.items()}
    base_name = table.pop("extend", None)
    if base_name is None:
        return table
    if not isinstance(base_name, str):
        raise ConfigError(f"{path}: setting 'extend' must be the path of a config file")
    base = path.resolve().parent / base_name
    if base.resolve() in (*extending, path.resolve()):
        raise ConfigError(f"{path}: setting 'extend' = {base_name!r} extends itself (a cycle)")
    if not base.is_file():
        raise ConfigError(f"{path}: setting 'extend': {base_name}: configuration file not found")
    inherited = config_table(base, (*extending, path.resolve()))
    for key in PATH_SETTINGS:
        value = inherited.get(key)
        if isinstance(value, str):
            inherited[key] = os.path.normpath(base.resolve().parent / value)
        elif isinstance(value, list):
            inherited[key] = [os.path.normpath(base.resolve().parent / v) if isinstance(v, str) else v
                              for v in value]
    merged = {**inherited, **table}
    for key in ("rules", "per-file-ignores", "fields"):
        if isinstance(inherited.get(key), dict) and isinstance(table.get(key), dict):
            merged[key] = {**inherited[key], **table[key]}
            if key == "rules":
                merged[key].update({name: {**inherited[key].get(name, {}), **options}
                                    for name, options in table[key].items()
                                    if isinstance(options, dict)
                                    and isinstance(inherited[key].get(name, {}), dict)})
    return merged


def settings_from_dict(table: dict[str, Any], origin: str = "options") -> Settings:
    known = {f.name for f in dc_fields(Settings)} - {"root", "config_path", "notices"}
    settings = Settings()
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key not in known:
            raise ConfigError(f"{origin}: unknown setting '{raw_key}'")
        setattr(settings, key, _checked(key, value, origin, raw_key))
    return settings


def _checked(key: str, value: Any, origin: str, raw_key: str) -> Any:
    where = f"{origin}: setting '{raw_key}'"
    if key in _LISTS:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where} must be a list of strings")
    elif key in ("per_file_ignores", "fields"):
        if not isinstance(value, dict) or not all(
                isinstance(v, list) and all(isinstance(x, str) for x in v) for v in value.values()):
            raise ConfigError(f"{where} must map names to lists of strings")
    elif key == "rules":
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            raise ConfigError(f"{where} must map rule codes or names to option tables")
    elif key in ("max_file_size", "jobs"):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"{where} must be a whole number >= 0")
    elif key in ("cache", "respect_gitignore", "force_exclude"):
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false")
    elif key in ("cache_dir", "index", "index_namespace"):
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a string")
    return value


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def load_user_settings(path: Path) -> dict[str, Any]:
    """The settings of the user's own config (`newslint.trust.user_config_path`),
    believed as they are: only those a repository's config may not set
    (`trust.USER_SETTINGS`), relative paths read from the file's folder."""
    if not path.is_file():
        raise ConfigError(f"{path}: user configuration file not found")
    table = _read_toml(path)
    wrong = sorted(k for k in table if k.replace("_", "-") not in USER_SETTINGS)
    if wrong:
        raise ConfigError(f"{path}: setting '{wrong[0]}' belongs in the project's config; the "
                          f"user config holds only {', '.join(sorted(USER_SETTINGS))}")
    checked = settings_from_dict(table, str(path))
    base = path.resolve().parent
    out: dict[str, Any] = {}
    for raw_key in table:
        key = raw_key.replace("-", "_")
        value = getattr(checked, key)
        if key in ("rule_dirs", "corpus"):
            value = [str(base / v) for v in value]
        elif key == "cache_dir" or key == "index" and "://" not in value:
            value = str(base / value)
        out[key] = value
    return out
