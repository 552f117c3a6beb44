"""`newslint check PATH...`: lint articles, print the findings."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from newslint.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    config_args,
    csv,
    output,
    warn,
)
from newslint.cli.configs import engines_for, merged, show_settings
from newslint.cli.progress import Progress
from newslint.config import ConfigError
from newslint.dedup.spec import check_index_spec
from newslint.model import SEVERITIES
from newslint.results import RunResult
from newslint.run.selection import did_you_mean
from newslint.text.safe import one_line

# Imported where they are used, as the options that need them are given: stdin
# (`-`), --fix, --diff, --add-suppressions and --baseline; a plain check does
# not pay for their modules at start-up.

FORMATS = ("text", "json", "jsonl", "sarif", "github", "html")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "check", help="check articles (files, folders, or - for stdin)",
        description="Check articles in .txt, .md, .html, .json and .jsonl files. Folders are "
        "walked recursively (hidden folders and the cache folder are skipped).")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .); - reads stdin")
    p.add_argument("--format", default=None, metavar="FORMAT",
                   help=f"output format: {', '.join(FORMATS)} or a plugin's (default: text)")
    p.add_argument("--select", type=csv, metavar="RULES",
                   help="only these rules: codes, code prefixes (NL1) or names, comma separated")
    p.add_argument("--ignore", type=csv, default=[], metavar="RULES", help="leave out these rules")
    p.add_argument("--extend-select", type=csv, default=[], metavar="RULES",
                   help="add these rules to the selection (also rules that are off by default)")
    p.add_argument("--fix", action="store_true", help="apply safe fixes to .txt and .md files")
    p.add_argument("--unsafe-fixes", action="store_true", help="with --fix, apply unsafe fixes too")
    p.add_argument("--diff", action="store_true",
                   help="print what --fix would change as a unified diff, write nothing; "
                   "exit 1 when there is a diff")
    p.add_argument("--fix-only", action="store_true",
                   help="apply the fixes and report nothing else (implies --fix)")
    p.add_argument("--show-fixes", action="store_true",
                   help="with --fix, list the fixes applied, per file")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--add-suppressions", action="store_true",
                   help="write a disable-next-line marker above each line with findings "
                   "(.txt and .md files), then exit 0")
    p.add_argument("--baseline", type=Path, metavar="FILE",
                   help="report only findings not in FILE; a FILE that does not exist is "
                   "written with today's findings (exit 0)")
    p.add_argument("--fail-level", choices=SEVERITIES[::-1], default="warning",
                   help="exit 1 for a finding of this level or above (default: warning)")
    p.add_argument("--show-settings", metavar="PATH",
                   help="print the settings that govern PATH (config file, rules, levels, "
                   "options) and exit")
    p.add_argument("--statistics", action="store_true",
                   help="only the counts per rule and per source/site, not each finding")
    p.add_argument("--output-format", choices=("concise", "full"), default="concise",
                   help="text format: one line per finding, or with the article's line and a "
                   "caret under it (full)")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line (text format)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="JSON output includes each article's detected metadata (date, authors...)")
    p.add_argument("--corpus", action="append", default=[], metavar="DIR",
                   help="compare the checked files with every article under DIR (repeatable)")
    p.add_argument("--index", metavar="PATH_OR_URL",
                   help="near-duplicate index: a folder, or redis://host:port/db")
    p.add_argument("--index-namespace", metavar="NAME",
                   help="ids of this corpus's files in the index: NAME:path (default: the name of "
                   "the folder of newslint.toml, or of the working folder)")
    p.add_argument("--exclude", type=csv, default=[], metavar="GLOBS", help="paths to skip")
    p.add_argument("--no-respect-gitignore", dest="respect_gitignore", action="store_false",
                   default=None, help="also check what a git repository's .gitignore ignores")
    p.add_argument("--force-exclude", action="store_true", default=None,
                   help="apply exclude and .gitignore to files given by name too (pre-commit)")
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
    config_args(p)


def run(args) -> int:
    paths = args.paths or ["."]
    args.fix = args.fix or args.fix_only
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise ConfigError("--unsafe-fixes goes with --fix or --diff")
    if args.diff and args.fix:
        raise ConfigError("--diff shows the fixes without applying them: not with --fix")
    if args.show_settings is not None:
        show_settings(args, args.show_settings)
        return EXIT_OK
    groups = engines_for(args, paths)
    engine = groups[0][0]
    fmt = args.format or "text"
    formatter = engine.registry.formatters.get(fmt)
    if formatter is None:
        raise ConfigError(f"--format: unknown format {fmt!r}{_choices(fmt, engine.registry.formatters)}")
    if args.stdin_format not in engine.registry.loaders:
        raise ConfigError(f"--stdin-format: unknown format {args.stdin_format!r}"
                          f"{_choices(args.stdin_format, engine.registry.loaders)}")
    for each, _ in groups:
        if each.settings.index:
            check_index_spec(each.settings.index)
    options = {"statistics": args.statistics, "quiet": args.quiet, "verbose": args.verbose,
               "output_format": args.output_format}
    if paths == ["-"]:
        from newslint.cli.stdin import check_stdin
        return check_stdin(engine, args, formatter, options)
    if "-" in paths:
        raise ConfigError("- (stdin) cannot be mixed with paths")
    if args.diff:
        return _print_diffs(args, groups)
    log: list = []
    result = _run_groups(args, groups, log)
    if args.fix_only:
        _report_fixes(log, sys.stdout if args.show_fixes else None)
        return EXIT_OK
    if args.add_suppressions:
        from newslint.run.annotate import add_suppressions
        added, files = add_suppressions(result.findings, result.notices)
        for notice in result.notices:
            warn(notice)
        note(f"added {added} suppression{'s' * (added != 1)} in {files} file{'s' * (files != 1)}")
        return EXIT_OK
    baseline_written = _apply_baseline(args, result)
    if fmt == "html":
        from newslint.cli.report import collect
        options["report"] = collect(engine, result)
    for notice in result.notices:
        warn(notice)
    if not result.files and not result.errors:
        warn(f"no files to check in {' '.join(paths)} "
             f"(looked for {', '.join(sorted(engine.registry.by_extension))})")
    with output(args) as stream:
        formatter(result, stream, options)
        if args.show_fixes and args.fix:
            _report_fixes(log, stream if fmt == "text" else sys.stderr)
    if baseline_written:
        return EXIT_OK
    return EXIT_FINDINGS if result.fails(args.fail_level) and not args.exit_zero else EXIT_OK


def _print_diffs(args, groups) -> int:
    """--diff: the unified diff of every file --fix would change."""
    from newslint.run.preview import fix_diffs
    files = fixes = 0
    notices: list[str] = []
    with output(args) as stream:
        for each, group in groups:
            for _, diff, count in fix_diffs(each, group, args.unsafe_fixes, notices):
                stream.write(diff)
                files, fixes = files + 1, fixes + count
    for notice in notices:
        warn(notice)
    note(f"would fix {fixes} finding{'s' * (fixes != 1)} in {files} file{'s' * (files != 1)}")
    return EXIT_FINDINGS if files else EXIT_OK


def _report_fixes(log: list, stream) -> None:
    """"Fixed N findings:" and, per file, each kind of fix with its count."""
    print(f"Fixed {len(log)} finding{'s' * (len(log) != 1)}" + (":" if log and stream else "."),
          file=stream or sys.stdout)
    if stream is None:
        return
    by_file: dict[str, Counter] = {}
    for path, fix in log:
        by_file.setdefault(path, Counter())[fix.description] += 1
    for path, counts in by_file.items():
        print(f"  {path}:", file=stream)
        for description, count in counts.most_common():
            print(f"    {count} x {description}", file=stream)


def _run_groups(args, groups, log: list | None = None) -> RunResult:
    """Each engine's paths fixed (with --fix) and checked; one result."""
    if args.fix:
        from newslint.run.fixer import fix_paths
    results, refused = [], []
    with Progress(enabled=not args.no_progress) as progress:
        for each, group in groups:
            fixed = fix_paths(each, group, unsafe=args.unsafe_fixes, notices=refused,
                              log=log) if args.fix else 0
            for notice in refused:
                warn(notice)
            refused.clear()
            results.append(each.run(group, progress=progress))
            results[-1].fixed = fixed
    return results[0] if len(results) == 1 else merged(results)


def _apply_baseline(args, result: RunResult) -> bool:
    """With --baseline: write it when it does not exist (True), else leave
    out of `result` the findings it holds."""
    if args.baseline is None:
        return False
    from newslint.run.baseline import Baseline
    baseline = Baseline(args.baseline)
    if not args.baseline.exists():
        baseline.write(result.findings)
        note(f"wrote the baseline {args.baseline} with {len(result.findings)} findings")
        return True
    result.findings, known = baseline.new_findings(result.findings)
    if known:
        note(f"{known} finding{'s' * (known != 1)} in the baseline {args.baseline} not shown")
    return False


def _choices(given: str, known) -> str:
    """"; did you mean 'x'? (choose from a, b)" for an unknown name."""
    return f"{did_you_mean(given, known)} (choose from {', '.join(sorted(known))})"


def note(message: str) -> None:
    """What a run did, on stderr (not a warning)."""
    print(f"newslint: {one_line(message)}", file=sys.stderr)
