"""Everything the plugins registered: loaders, rules, rule kinds, formatters."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from newslint.rule import Rule, RuleDefinitionError

#: libyaml's safe loader when PyYAML was built with it: ten times faster than
#: the pure-Python one, which cost 40 ms of every start-up reading rules/
SAFE_LOADER = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


def parse_yaml(text: str) -> Any:
    """`yaml.safe_load(text)`, with libyaml when available."""
    loader = SAFE_LOADER(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


@dataclass(frozen=True)
class Loader:
    name: str
    extensions: tuple[str, ...]
    load: Callable


class Registry:
    def __init__(self, pm, extra_rule_dirs: Iterable[str | Path] = ()):
        self.pm = pm
        self.loaders: dict[str, Loader] = {}
        self.by_extension: dict[str, Loader] = {}
        self._longest_first: list[str] | None = None  # extensions, for loader_for
        self.formatters: dict[str, Callable] = {}
        self.kinds: dict[str, Callable] = {}
        self.rules: dict[str, Rule] = {}
        self.by_name: dict[str, Rule] = {}
        pm.hook.newslint_register_loaders(register=self._add_loader)
        pm.hook.newslint_register_formatters(register=self._add_formatter)
        pm.hook.newslint_register_rule_kinds(register=self._add_kind)
        pm.hook.newslint_register_rules(register=self.add_rule)
        dirs = [Path(d) for group in pm.hook.newslint_rule_dirs() for d in (group or ())]
        for folder in [*dirs, *map(Path, extra_rule_dirs)]:
            self.load_rule_dir(folder)

    # -- registration callbacks ---------------------------------------------
    def _add_loader(self, name: str, extensions: Iterable[str], load: Callable) -> None:
        loader = Loader(name, tuple(e.lower() for e in extensions), load)
        self.loaders[name] = loader
        for ext in loader.extensions:
            self.by_extension[ext] = loader
        self._longest_first = None

    def _add_formatter(self, name: str, formatter: Callable) -> None:
        self.formatters[name] = formatter

    def _add_kind(self, kind: str, build: Callable) -> None:
        self.kinds[kind] = build

    def add_rule(self, rule: Rule) -> None:
        if not isinstance(rule, Rule):
            raise RuleDefinitionError(f"{rule!r} is not a newslint Rule")
        for key, table in ((rule.code, self.rules), (rule.name, self.by_name)):
            other = table.get(key)
            if other is not None and other is not rule:
                raise RuleDefinitionError(
                    f"rule {rule.code} ({rule.origin}): {key!r} is already used by {other.origin}")
        self.rules[rule.code] = rule
        self.by_name[rule.name] = rule

    # -- declarative rules --------------------------------------------------------
    def load_rule_dir(self, folder: Path) -> None:
        if not folder.is_dir():
            raise RuleDefinitionError(f"{folder}: rule folder does not exist")
        for path in sorted(folder.rglob("*.yaml")):
            self.add_rule(self.load_rule_file(path))

    def load_rule_file(self, path: Path) -> Rule:
        try:
            data = parse_yaml(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise RuleDefinitionError(f"{path}: cannot read rule file: {_one_line(exc)}") from None
        if not isinstance(data, dict):
            raise RuleDefinitionError(f"{path}: a rule file must be a mapping of fields")
        kind = data.get("kind")
        if kind not in self.kinds:
            known = ", ".join(sorted(self.kinds))
            raise RuleDefinitionError(f"{path}: field 'kind' must be one of: {known} (got {kind!r})")
        return self.kinds[kind](data, str(path))

    # -- look-ups -------------------------------------------------------------------
    def rule(self, key: str) -> Rule | None:
        return self.rules.get(key.upper()) or self.by_name.get(key.lower())

    def loader_for(self, path: str) -> Loader | None:
        name = path.lower()
        if self._longest_first is None:
            self._longest_first = sorted(self.by_extension, key=len, reverse=True)
        for ext in self._longest_first:
            if name.endswith(ext):
                return self.by_extension[ext]
        return None

    def sorted_rules(self) -> list[Rule]:
        return [self.rules[c] for c in sorted(self.rules)]


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
