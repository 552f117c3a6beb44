"""The plugin manager: built-in plugins plus the `newslint` entry-point group."""
from __future__ import annotations

import importlib
import os
import re
import sys
from importlib.machinery import PathFinder

import pluggy

from newslint import hookspecs

#: Built-in plugins, registered under the same names as their entry points, so
#: an installed copy and a source checkout behave alike.
DEFAULT_PLUGINS = {
    "loaders": "newslint.loaders",
    "formatters": "newslint.formatters",
    "declarative": "newslint.checks.declarative",
    "core": "newslint.checks.core",
    "boilerplate": "newslint.checks.boilerplate",
    "repetition": "newslint.checks.repetition",
    "dates": "newslint.checks.dates",
    "attribution": "newslint.checks.attribution",
    "damage": "newslint.checks.damage",
    "dedup": "newslint.dedup",
}

#: Set to 0/false/no to load no third-party plugins (built-ins still load).
DISABLE_ENV = "NEWSLINT_LOAD_PLUGINS"


class PluginError(Exception):
    """A third-party plugin could not be loaded."""


def third_party_enabled() -> bool:
    return os.environ.get(DISABLE_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def get_plugin_manager(extra_plugins=(), load_entry_points: bool | None = None) -> pluggy.PluginManager:
    """Build a plugin manager with the hook specs, the built-ins, the
    entry-point plugins (unless disabled) and `extra_plugins` (objects or modules)."""
    pm = pluggy.PluginManager("newslint")
    pm.add_hookspecs(hookspecs)
    for name, module in DEFAULT_PLUGINS.items():
        pm.register(importlib.import_module(module), name=name)
    if load_entry_points is None:
        load_entry_points = third_party_enabled()
    if load_entry_points and may_declare_plugins():
        from importlib.metadata import entry_points
        for ep in entry_points(group="newslint"):
            if pm.get_plugin(ep.name) is not None or ep.value in DEFAULT_PLUGINS.values():
                continue
            try:
                pm.register(ep.load(), name=ep.name)
            except Exception as exc:  # a broken plugin must not hide the others
                raise PluginError(f"plugin {ep.name!r} ({ep.value}) failed to load: {exc}") from exc
    for plugin in extra_plugins:
        pm.register(plugin)
    return pm


def may_declare_plugins() -> bool:
    """Whether an installed distribution may declare a `newslint` entry point
    besides the built-ins. Read straight from the `entry_points.txt` of the
    distributions on sys.path, as importlib.metadata reads them: a few ms, where
    importing importlib.metadata and parsing every distribution's entry points
    costs 20-40 ms of each start-up. What this look cannot see through (a zip or
    an egg on sys.path, another finder of distributions, an unreadable file)
    answers True, and importlib.metadata decides."""
    folders = distribution_folders()
    if folders is None:
        return True
    builtins = set(DEFAULT_PLUGINS.values())
    for folder in folders:
        try:
            with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as fh:
                text = fh.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
            continue
        except (OSError, ValueError):
            return True
        if "newslint" in text and any(key not in DEFAULT_PLUGINS and value not in builtins
                                      for key, value in _group(text, "newslint")):
            return True  # an entry point get_plugin_manager would not skip
    return False


def installed_version(name: str) -> str | None:
    """The version of the installed distribution `name` (None when there is
    none), from its folder's name (`NAME-VERSION.dist-info`), the first on
    sys.path, as importlib.metadata finds it; importlib.metadata answers where
    this look cannot see."""
    folders = distribution_folders()
    if folders is None:
        from importlib.metadata import PackageNotFoundError, version
        try:
            return version(name)
        except PackageNotFoundError:
            return None
    wanted = _normalized(name)
    for folder in folders:
        project, _, found = os.path.basename(folder).lower().rpartition(".")[0].partition("-")
        if _normalized(project) == wanted:
            return found
    return None


def distribution_folders() -> list[str] | None:
    """The `.dist-info` and `.egg-info` folders of the distributions on
    sys.path, in its order; None when sys.path holds what a directory listing
    cannot see into (a zip or an egg) or another finder offers distributions."""
    if any(hasattr(finder, "find_distributions") and finder is not PathFinder
           for finder in sys.meta_path):
        return None
    found = []
    for entry in sys.path:
        folder = entry or "."
        if folder.lower().endswith(".egg") or os.path.isfile(folder):
            return None
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        found += [os.path.join(folder, name) for name in names
                  if name.lower().endswith((".dist-info", ".egg-info"))]
    return found


def _normalized(project: str) -> str:
    return re.sub(r"[-_.]+", "_", project).lower()


def _group(text: str, group: str) -> list[tuple[str, str]]:
    """(name, value) of the entries of `group` in an entry_points.txt, parsed
    as importlib.metadata parses it."""
    out, section = [], None
    for line in map(str.strip, text.splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
        elif section == group:
            name, _, value = line.partition("=")
            out.append((name.strip(), value.strip()))
    return out
