"""The plugin manager: built-in plugins plus the `newslint` entry-point group."""
from __future__ import annotations

import importlib
import os
from importlib.metadata import entry_points

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
    if load_entry_points:
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
