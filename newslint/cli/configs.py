"""Which configuration governs which path, as in ruff: the nearest
`newslint.toml` (or `pyproject.toml` with `[tool.newslint]`) above each path
given on the command line, so `newslint check a/ b/` checks b/ with
b/newslint.toml; `--config FILE` makes one file govern them all. And
`--show-settings PATH`: what governs PATH, resolved."""
from __future__ import annotations

import json
import sys
from dataclasses import fields
from pathlib import Path
from typing import Iterable, TextIO

from newslint.cli.common import make_engine
from newslint.config import find_config
from newslint.results import RunResult
from newslint.run.engine import Engine
from newslint.run.selection import config_origin


def engines_for(args, paths: list[str]) -> list[tuple[Engine, list[str]]]:
    """One engine per configuration file, with the paths it governs, in the
    order the paths were given (one engine for all with --config or stdin)."""
    if args.config is not None or "-" in paths:
        return [(make_engine(args, next((Path(p) for p in paths if p != "-"), None)), paths)]
    groups: dict[Path | None, list[str]] = {}
    for path in paths:
        found = find_config(Path(path))
        groups.setdefault(found.resolve() if found else None, []).append(path)
    return [(make_engine(args, Path(group[0])), group) for group in groups.values()]


def merged(results: Iterable[RunResult]) -> RunResult:
    """The results of several engines' runs as one run's."""
    out = RunResult()
    codes: set[str] = set()
    for result in results:
        out.findings.extend(result.findings)
        out.errors.extend(result.errors)
        out.rules.extend(r for r in result.rules if r.code not in codes)
        codes.update(r.code for r in result.rules)
        out.files += result.files
        out.articles += result.articles
        out.fixed += result.fixed
        out.metadata.update(result.metadata)
        out.outlets.update(result.outlets)
        out.notices.extend(n for n in result.notices if n not in out.notices)
    out.findings.sort(key=lambda f: f.sort_key())
    out.rules.sort(key=lambda r: r.code)
    return out


def show_settings(args, path: str, stream: TextIO | None = None) -> None:
    """The settings that govern `path`: the config file, every setting, the
    rules that run with their level and the options that differ from the
    rule's defaults (JSON values, one per line)."""
    engine = engines_for(args, [path])[0][0]
    stream = stream or sys.stdout
    settings = engine.settings
    print(f"# settings for {path}", file=stream)
    print(f"config = {json.dumps(config_origin(settings, '') or None)}", file=stream)
    for item in fields(settings):
        if item.name in ("config_path", "rules"):
            continue
        value = getattr(settings, item.name)
        print(f"{item.name.replace('_', '-')} = {json.dumps(value, default=str)}", file=stream)
    print(f"\n# {len(engine.rules)} rules run (code name level options)", file=stream)
    for rule in engine.rules:
        changed = {k: v for k, v in engine.options[rule.code].items() if rule.options.get(k) != v}
        level = engine.levels.get(rule.code, rule.level)
        print(f"{rule.code} {rule.name} {level}" + (f" {json.dumps(changed)}" if changed else ""),
              file=stream)
