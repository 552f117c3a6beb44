"""What each CLI command does (the parser lives in cli.py)."""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

from .config import ConfigError
from .engine import Engine
from .plugins import PluginError
from .rule import RuleDefinitionError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def run_command(args) -> int:
    try:
        if args.command == "check":
            return check(args)
        if args.command == "rules":
            return list_rules(args)
        if args.command == "rule":
            return show_rule(args)
        if args.command == "dedup":
            from .dedup_cli import dedup
            return dedup(args)
    except (RuleDefinitionError, PluginError) as exc:
        raise ConfigError(str(exc)) from None
    raise ConfigError(f"unknown command {args.command!r}")


def make_engine(args, start: Path | None = None) -> Engine:
    from .cli import settings_for
    return Engine(settings_for(args, start))


@contextmanager
def output(args):
    path = getattr(args, "output_file", None)
    if path is None:
        yield sys.stdout
        return
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write: {exc.strerror}") from None


def check(args) -> int:
    paths = args.paths or ["."]
    if args.unsafe_fixes and not args.fix:
        raise ConfigError("--unsafe-fixes goes with --fix")
    start = next((Path(p) for p in paths if p != "-"), None)
    engine = make_engine(args, start)
    fmt = args.format or "text"
    formatter = engine.registry.formatters.get(fmt)
    if formatter is None:
        raise ConfigError(f"unknown format {fmt!r}")
    options = {"statistics": args.statistics, "quiet": args.quiet, "verbose": args.verbose}
    if paths == ["-"]:
        from .stdin import check_stdin
        return check_stdin(engine, args, formatter, options)
    if "-" in paths:
        raise ConfigError("- (stdin) cannot be mixed with paths")
    fixed = 0
    if args.fix:
        from .fixer import fix_paths
        fixed = fix_paths(engine, paths, unsafe=args.unsafe_fixes)
    from .progress import Progress
    with Progress(enabled=not args.no_progress) as progress:
        result = engine.run(paths, progress=progress)
    result.fixed = fixed
    for notice in result.notices:
        print(f"newslint: warning: {notice}", file=sys.stderr)
    with output(args) as stream:
        formatter(result, stream, options)
    return EXIT_FINDINGS if result.failed and not args.exit_zero else EXIT_OK


def list_rules(args) -> int:
    engine = make_engine(args)
    rules = engine.registry.sorted_rules()
    if args.format == "json":
        print(json.dumps([r.to_dict() for r in rules], indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        from .docs import rule_table
        print(rule_table(rules))
    else:
        width = max((len(r.name) for r in rules), default=10)
        for r in rules:
            flags = ("" if r.default_enabled else " (off by default)") + (
                f" [fix: {r.fix_safety}]" if r.fix_safety else "")
            print(f"{r.code}  {r.name:<{width}}  {r.level:<7}  {r.scope:<7}  {r.summary}{flags}")
    return EXIT_OK


def show_rule(args) -> int:
    engine = make_engine(args)
    rule = engine.registry.rule(args.rule)
    if rule is None:
        raise ConfigError(f"no rule named {args.rule!r} (see `newslint rules`)")
    print(rule.doc_markdown(), end="")
    return EXIT_OK
