"""Which rules run, and where: --select/--ignore/--extend-select by code, code
prefix or name (the longest match wins, as in flake8 and ruff), per-file
ignores, and per-rule options."""
from __future__ import annotations

import fnmatch
from pathlib import Path, PurePath
from typing import Any, Iterable

from newslint.config import ConfigError, Settings
from newslint.registry import Registry
from newslint.rule import Rule


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


def check_selectors(selectors: Iterable[str], registry: Registry, origin: str) -> None:
    rules = registry.sorted_rules()
    for sel in selectors:
        if not any(_specificity(sel, r) for r in rules):
            raise ConfigError(f"{origin}: '{sel}' matches no rule (see `newslint rules`)")


def matches(selectors: Iterable[str], rule: Rule) -> int:
    return max((_specificity(s, rule) for s in selectors), default=0)


def enabled_rules(settings: Settings, registry: Registry) -> list[Rule]:
    check_selectors([*(settings.select or []), *settings.ignore, *settings.extend_select],
                    registry, "select/ignore")
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
    options = dict(rule.options)
    for key in (rule.code, rule.name):
        for name, value in settings.rules.get(key, {}).items():
            name = name.replace("-", "_")
            if name not in options:
                raise ConfigError(f"rules.{key}: unknown option '{name}' "
                                  f"(known: {', '.join(options) or 'none'})")
            if options[name] is not None and not isinstance(value, type(options[name])) \
                    and not (isinstance(options[name], float) and isinstance(value, int)):
                raise ConfigError(f"rules.{key}.{name}: expected {type(options[name]).__name__}")
            options[name] = value
    return options


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
