"""Command line: `newslint check`, `newslint rules`, `newslint rule`, `newslint dedup`.

Exit codes: 0 no finding of level warning or error; 1 there are (or an input
could not be read); 2 usage or configuration error.
"""
from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from . import __version__
from .config import ConfigError, Settings, load_settings

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
#: the cyclic collector's thresholds for a command-line run. A run makes
#: hundreds of thousands of small objects that live to its end (findings,
#: article references, cached rows) and few reference cycles; with the
#: default (700, 10, 10) the collector walks them again and again, about 0.2 s
#: of a rerun over 10,000 articles with one of them edited. Older generations
#: keep the default ratios: with (200_000, 30, 30) the cold run's peak memory
#: went from 120 MB to 300 MB. Restored on return: a program that calls main()
#: keeps its own setting.
GC_THRESHOLDS = (50_000, 10, 10)
FORMATS = ("text", "json", "jsonl", "sarif", "github")


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newslint", description="Lint scraped news: boilerplate, duplicates, missing dates "
        "and sources, scraping damage, and near-duplicate articles across a corpus.",
        epilog="Exit codes: 0 clean, 1 findings of level warning/error or unreadable input, "
        "2 usage or configuration error. `newslint COMMAND --help` for more.")
    parser.add_argument("--version", action="version", version=f"newslint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _check_parser(sub)
    rules = sub.add_parser("rules", help="list the rules", description="List every rule with "
                           "its code, name, level, scope and whether it is on by default.")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    _config_args(rules)
    rule = sub.add_parser("rule", help="show one rule's documentation",
                          description="Print a rule's documentation (by code or name).")
    rule.add_argument("rule", metavar="CODE_OR_NAME")
    _config_args(rule)
    from .dedup_cli import add_dedup_parser
    add_dedup_parser(sub, _config_args)
    return parser


def _config_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="use this newslint.toml or pyproject.toml instead of searching upward")
    p.add_argument("--rule-dir", action="append", default=[], metavar="DIR",
                   help="also load declarative rules from DIR (repeatable)")


def _check_parser(sub) -> None:
    p = sub.add_parser(
        "check", help="check articles (files, folders, or - for stdin)",
        description="Check articles in .txt, .md, .html, .json and .jsonl files. Folders are "
        "walked recursively (hidden folders and the cache folder are skipped).")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .); - reads stdin")
    p.add_argument("--format", choices=FORMATS, default=None, help="output format (default: text)")
    p.add_argument("--select", type=_csv, metavar="RULES",
                   help="only these rules: codes, code prefixes (NL1) or names, comma separated")
    p.add_argument("--ignore", type=_csv, default=[], metavar="RULES", help="leave out these rules")
    p.add_argument("--extend-select", type=_csv, default=[], metavar="RULES",
                   help="add these rules to the selection (also rules that are off by default)")
    p.add_argument("--fix", action="store_true", help="apply safe fixes to .txt and .md files")
    p.add_argument("--unsafe-fixes", action="store_true", help="with --fix, apply unsafe fixes too")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--statistics", action="store_true", help="counts per rule and per source/site")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line (text format)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="JSON output includes each article's detected metadata (date, authors...)")
    p.add_argument("--corpus", action="append", default=[], metavar="DIR",
                   help="compare the checked files with every article under DIR (repeatable)")
    p.add_argument("--index", metavar="PATH_OR_URL",
                   help="near-duplicate index: a folder, or redis://host:port/db")
    p.add_argument("--exclude", type=_csv, default=[], metavar="GLOBS", help="paths to skip")
    p.add_argument("--stdin-format", default="jsonl", metavar="FORMAT",
                   help="format of the articles read from - (default: jsonl)")
    p.add_argument("--stdin-filename", default="<stdin>", metavar="NAME",
                   help="the path to report for stdin")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    p.add_argument("--cache-dir", metavar="DIR", help="cache folder (default: .newslint_cache "
                   "beside the config file)")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="worker processes (default: all cores)")
    p.add_argument("--max-file-size", type=int, metavar="BYTES", help="skip larger files with an error")
    p.add_argument("--output-file", "-o", type=Path, metavar="FILE", help="write the report here")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    _config_args(p)


def settings_for(args, start: Path | None = None) -> Settings:
    settings = load_settings(args.config, start)
    settings.rule_dirs += [str(d) for d in args.rule_dir]
    for name in ("select", "ignore", "extend_select", "exclude", "corpus"):
        value = getattr(args, name, None)
        if value:
            current = getattr(settings, name)
            setattr(settings, name, value if name == "select" else [*(current or []), *value])
    for name in ("cache_dir", "index", "jobs", "max_file_size"):
        value = getattr(args, name, None)
        if value is not None:
            setattr(settings, name, value)
    if getattr(args, "no_cache", False):
        settings.cache = False
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    from .commands import run_command
    saved = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        return run_command(args)
    except ConfigError as exc:
        return _usage_error(str(exc))
    except KeyboardInterrupt:
        print("newslint: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    finally:
        gc.set_threshold(*saved)


def _usage_error(message: str) -> int:
    print(f"newslint: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
