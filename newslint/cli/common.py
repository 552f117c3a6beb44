"""What the subcommands share: exit codes, the config options every command
takes, settings from config plus command line, the output stream."""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

from newslint.config import ConfigError, Settings, load_settings
from newslint.run.engine import Engine

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def config_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="use this newslint.toml or pyproject.toml instead of searching upward")
    p.add_argument("--rule-dir", action="append", default=[], metavar="DIR",
                   help="also load declarative rules from DIR (repeatable)")


def settings_for(args, start: Path | None = None) -> Settings:
    settings = load_settings(args.config, start)
    settings.rule_dirs += [str(d) for d in args.rule_dir]
    for name in ("select", "ignore", "extend_select", "exclude", "corpus"):
        value = getattr(args, name, None)
        if value:
            current = getattr(settings, name)
            setattr(settings, name, value if name == "select" else [*(current or []), *value])
    for name in ("cache_dir", "index", "index_namespace", "jobs", "max_file_size"):
        value = getattr(args, name, None)
        if value is not None:
            if name in ("jobs", "max_file_size") and value < 0:
                raise ConfigError(f"--{name.replace('_', '-')} must be a whole number >= 0 "
                                  f"(got {value})")
            setattr(settings, name, value)
    if getattr(args, "no_cache", False):
        settings.cache = False
    return settings


def make_engine(args, start: Path | None = None) -> Engine:
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


def usage_error(message: str) -> int:
    print(f"newslint: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_USAGE
