"""Command line: `newslint check`, `newslint rules`, `newslint rule`,
`newslint dedup`, `newslint index`, `newslint report`, `newslint show`, `newslint spark`; one module per subcommand, each with `add_parser` and `run`.

Exit codes: 0 no finding of level warning or error; 1 there are (or an input
could not be read); 2 usage or configuration error.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import sys
from typing import Callable

from newslint.cli.common import EXIT_OK, EXIT_USAGE, usage_error
from newslint.config import ConfigError
from newslint.plugins import PluginError
from newslint.rule import RuleDefinitionError
from newslint.version import __version__

#: the cyclic collector's thresholds for a command-line run. A run makes
#: hundreds of thousands of small objects that live to its end (findings,
#: article references, cached rows) and few reference cycles; with the
#: default (700, 10, 10) the collector walks them again and again, about 0.2 s
#: of a rerun over 10,000 articles with one of them edited. Older generations
#: keep the default ratios: with (200_000, 30, 30) the cold run's peak memory
#: went from 120 MB to 300 MB. Restored on return: a program that calls main()
#: keeps its own setting.
GC_THRESHOLDS = (50_000, 10, 10)

#: each subcommand: its module in newslint.cli (whose `add_parser(sub)` adds it) and
#: the function there that runs it. Only the module of the command being run is
#: imported: `newslint check` does not load the code of `report`, `spark` or `index`;
#: `newslint --help` and an unknown command import them all.
MODULES = {"check": ("check", "run"), "rules": ("rules", "list_rules"),
           "rule": ("rules", "show_rule"), "dedup": ("dedup", "run"), "index": ("index", "run"),
           "report": ("report", "run"), "show": ("show", "run"), "spark": ("spark", "run")}


def _module(command: str):
    return importlib.import_module(f"newslint.cli.{MODULES[command][0]}")


def _runner(command: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        return getattr(_module(command), MODULES[command][1])(args)
    run.__name__ = f"run_{command}"
    return run


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {name: _runner(name) for name in MODULES}


class Parser(argparse.ArgumentParser):
    """argparse with a usage error on one line (`newslint check: error: ...`),
    not the whole usage block, as for every other usage error; exit code 2."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for every subcommand, or only for `command` (its module alone imported)."""
    parser = Parser(
        prog="newslint", description="Lint scraped news: boilerplate, duplicates, missing dates "
        "and sources, scraping damage, and near-duplicate articles across a corpus.",
        epilog="Exit codes: 0 clean, 1 findings of level warning/error or unreadable input, "
        "2 usage or configuration error. `newslint COMMAND --help` for more.")
    parser.add_argument("--version", action="version", version=f"newslint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = [command] if command in MODULES else MODULES
    for module in dict.fromkeys(MODULES[name][0] for name in names):
        cli = importlib.import_module(f"newslint.cli.{module}")
        cli.add_parser(sub)
    return parser


def command_in(argv: list[str]) -> str | None:
    """The subcommand `argv` names: its first word that is not an option (the
    top-level options, --help and --version, take no value)."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(command_in(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    saved = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        return COMMANDS[args.command](args)
    except (RuleDefinitionError, PluginError) as exc:
        return usage_error(str(exc))
    except ConfigError as exc:
        return usage_error(str(exc))
    except KeyboardInterrupt:
        print("newslint: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    finally:
        gc.set_threshold(*saved)
