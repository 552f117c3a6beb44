"""Command line: `newslint check`, `newslint rules`, `newslint rule`,
`newslint dedup`, `newslint index`, `newslint report`, `newslint show`, `newslint spark`; one module per subcommand, each with `add_parser` and `run`.

Exit codes: 0 no finding of level warning or error; 1 there are (or an input
could not be read); 2 usage or configuration error.
"""
from __future__ import annotations

import argparse
import gc
import sys

from newslint.cli import check, dedup, index, report, rules, show, spark
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

COMMANDS = {"check": check.run, "rules": rules.list_rules, "rule": rules.show_rule,
            "dedup": dedup.run, "index": index.run, "report": report.run,
            "show": show.run, "spark": spark.run}


class Parser(argparse.ArgumentParser):
    """argparse with a usage error on one line (`newslint check: error: ...`),
    not the whole usage block, as for every other usage error; exit code 2."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="newslint", description="Lint scraped news: boilerplate, duplicates, missing dates "
        "and sources, scraping damage, and near-duplicate articles across a corpus.",
        epilog="Exit codes: 0 clean, 1 findings of level warning/error or unreadable input, "
        "2 usage or configuration error. `newslint COMMAND --help` for more.")
    parser.add_argument("--version", action="version", version=f"newslint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    check.add_parser(sub)
    rules.add_parsers(sub)
    dedup.add_parser(sub)
    index.add_parser(sub)
    report.add_parser(sub)
    show.add_parser(sub)
    spark.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
