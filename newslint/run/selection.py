"""Which rules run, and where: --select/--ignore/--extend-select by code, code
prefix or name (the longest match wins, as in flake8 and ruff), per-file
ignores, per-rule options and levels; all checked before a run starts, with
a suggestion for a misspelt rule or option."""
from __future__ import annotations

import difflib
import fnmatch
from pathlib import Path, PurePath
from typing import Any, Iterable

from newslint.config import ConfigError, Settings
from newslint.registry import Registry
from newslint.rule import SEVERITIES, Rule

#: the key of a rule's table that sets its level instead of an option
LEVEL_KEY = "level"


def _specificity(selector: str, rule: Rule) -> int:
    """How closely `selector` names `rule`: 0 for no match, else longer is closer."""
    sel = selector.strip()
    if not sel:
        return 0
    if sel.upper() == "ALL":
        return 1
    if sel.lower() == rule.name:
        return 100
    if rule.code.startswith(sel.upper()):
        return 1 + len(sel)
    if rule.name.startswith(sel.lower()) and sel.endswith("-"):
        return 1 + len(sel)
    if sel.lower() == rule.name.split("-")[0]:  # a family: "boilerplate"
        return 2
    return 0


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """"; did you mean 'x'?" for the choice closest to a misspelt `word`, or ""."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f"; did you mean '{lowered[close[0]]}'?" if close else ""


def check_selectors(selectors: Iterable[str], registry: Registry, origin: str) -> None:
    rules = registry.sorted_rules()
    for sel in selectors:
        if not any(_specificity(sel, r) for r in rules):
            hint = did_you_mean(sel, [n for r in rules for n in (r.code, r.name)])
            raise ConfigError(f"{origin}: '{sel}' matches no rule{hint or ' (see `newslint rules`)'}")


def config_origin(settings: Settings, default: str) -> str:
    """The config file for messages: relative to the working folder when inside it."""
    if settings.config_path is None:
        return default
    try:
        return Path(settings.config_path).resolve().relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        return str(settings.config_path)


def check_settings(settings: Settings, registry: Registry) -> None:
    """Per-file ignores and per-rule tables name rules that exist, with their
    known options, in range, and a level that is one (before anything runs)."""
    origin = config_origin(settings, "settings")
    for pattern, selectors in settings.per_file_ignores.items():
        check_selectors(selectors, registry, f"{origin}: per-file-ignores '{pattern}'")
    for key in settings.rules:
        if registry.rule(key) is None:
            names = [n for r in registry.sorted_rules() for n in (r.code, r.name)]
            raise ConfigError(f"{origin}: rules.{key}: no such rule{did_you_mean(key, names)}")
    for rule in registry.sorted_rules():
        rule_options(settings, rule)
        rule_level(settings, rule)


def matches(selectors: Iterable[str], rule: Rule) -> int:
    return max((_specificity(s, rule) for s in selectors), default=0)


def enabled_rules(settings: Settings, registry: Registry) -> list[Rule]:
    check_selectors([*(settings.select or []), *settings.ignore, *settings.extend_select],
                    registry, "select/ignore")
    check_settings(settings, registry)
    out = []
    for rule in registry.sorted_rules():
        if settings.select is None:
            chosen = 1 if rule.default_enabled else 0
        else:
            chosen = matches(settings.select, rule)
        chosen = max(chosen, matches(settings.extend_select, rule))
        if chosen and chosen > matches(settings.ignore, rule):
            out.append(rule)
    return out


def rule_options(settings: Settings, rule: Rule) -> dict[str, Any]:
    """The rule's options with those its table (by code or name) sets, checked."""
    options = dict(rule.options)
    origin = config_origin(settings, "options")
    used = rule.name
    for key in (rule.code, rule.name):
        for name, value in settings.rules.get(key, {}).items():
            name = name.replace("-", "_")
            if name == LEVEL_KEY:
                continue
            where = f"{origin}: rules.{key}"
            if name not in options:
                hint = did_you_mean(name, [*options, LEVEL_KEY])
                raise ConfigError(f"{where}: unknown option '{name}'{hint} "
                                  f"(known: {', '.join([*options, LEVEL_KEY])})")
            default = options[name]
            if default is not None and (not isinstance(value, type(default)) or (
                    isinstance(value, bool) and not isinstance(default, bool))) \
                    and not (isinstance(default, float) and isinstance(value, int)
                             and not isinstance(value, bool)):
                raise ConfigError(f"{where}.{name}: expected {type(default).__name__} "
                                  f"(got {value!r})")
            options[name] = value
            used = key
    try:
        rule.check_options(options)
    except ValueError as exc:
        raise ConfigError(f"{origin}: rules.{used}: {exc}") from None
    return options


def rule_level(settings: Settings, rule: Rule) -> str:
    """The level the rule's table sets (`level = "info"`), else its own."""
    level = rule.level
    for key in (rule.code, rule.name):
        value = settings.rules.get(key, {}).get(LEVEL_KEY, level)
        if value not in SEVERITIES:
            origin = config_origin(settings, "options")
            raise ConfigError(f"{origin}: rules.{key}.level: must be one of "
                              f"{', '.join(SEVERITIES)} (got {value!r})")
        level = value
    return level


def ignored_here(settings: Settings, path: str, rule_code: str, rule_name: str,
                 registry: Registry) -> bool:
    if not settings.per_file_ignores:
        return False
    rule = registry.rules[rule_code]
    rel = _relative(path, settings)
    for pattern, selectors in settings.per_file_ignores.items():
        if _glob(rel, pattern) and matches(selectors, rule):
            return True
    return False


def _relative(path: str, settings: Settings) -> str:
    try:
        return Path(path).resolve().relative_to(settings.root.resolve()).as_posix()
    except (ValueError, OSError):
        return PurePath(path).as_posix()


def _glob(rel: str, pattern: str) -> bool:
    return fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, pattern.rstrip("/") + "/*") \
        or fnmatch.fnmatch(PurePath(rel).name, pattern)
