"""`newslint report PATH... -o report.html`: one self-contained HTML report of
a corpus (summary, charts, findings table, articles with their findings
highlighted, near-duplicate clusters side by side).

It runs the configured rules plus near-duplicate (NL601), like `newslint
dedup`, then loads again the articles the report shows text of (those with
findings and the members of clusters) and writes the `html` format.
`newslint check --format html` writes the same page for the rules it ran.
"""
from __future__ import annotations

import argparse
import glob
import os
import sys
from pathlib import Path
from typing import Any

from newslint.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    config_args,
    csv,
    output,
    run_and_tell,
    settings_for,
)
from newslint.cli.dedup import RULE, build_clusters, choose_keep
from newslint.config import ConfigError
from newslint.model import Article
from newslint.results import RunResult
from newslint.run.engine import Engine

#: characters of article text a report embeds at most (--max-text-mb): a
#: 50,000-article corpus is some 180 MB of text, far more than a page that
#: opens in two seconds can hold
DEFAULT_MAX_TEXT = 20_000_000


def add_parser(sub) -> None:
    p = sub.add_parser(
        "report", help="write a self-contained HTML report of a corpus",
        description="Check the articles under PATH (all configured rules plus near-duplicate) and "
        "write one HTML file: summary, findings per rule and per site, quality scores, "
        "publication dates, a searchable findings table, each article with its findings "
        "highlighted, and near-duplicate clusters compared side by side. It loads nothing "
        "from the network when opened.",
        epilog="Exit codes: 0 no finding of level warning or error, 1 there are (or an input "
        "could not be read), 2 usage or configuration error.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    p.add_argument("--output-file", "-o", type=Path, required=True, metavar="FILE",
                   help="the HTML file to write")
    p.add_argument("--title", default=None, help="the page title (default: newslint report)")
    p.add_argument("--max-text-mb", type=float, default=DEFAULT_MAX_TEXT / 1e6, metavar="MB",
                   help="embed at most this many million characters of article text "
                   "(default: %(default)g); articles past it are listed without their text")
    p.add_argument("--keep", choices=("first", "longest", "best"), default="first",
                   help="which article of a near-duplicate cluster is the original to keep")
    p.add_argument("--select", type=csv, metavar="RULES", help="only these rules")
    p.add_argument("--ignore", type=csv, default=[], metavar="RULES", help="leave out these rules")
    p.add_argument("--extend-select", type=csv, default=[], metavar="RULES",
                   help="add these rules to the selection")
    p.add_argument("--exclude", type=csv, default=[], metavar="GLOBS", help="paths to skip")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    p.add_argument("--cache-dir", metavar="DIR", help="cache folder")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N", help="worker processes")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    config_args(p)


def run(args: argparse.Namespace) -> int:
    settings = settings_for(args, Path(args.paths[0]))
    settings.corpus = []
    if args.select is None or RULE not in args.select:
        settings.extend_select = [*settings.extend_select, RULE]
    leave_out_output(settings, args.output_file)
    engine = Engine(settings)
    result = run_and_tell(engine, args.paths, progress=not args.no_progress)
    formatter = engine.registry.formatters["html"]
    if args.max_text_mb < 0:
        raise ConfigError("--max-text-mb must be 0 or more")
    extras = collect(engine, result, args.keep, int(args.max_text_mb * 1e6))
    with output(args) as stream:
        formatter(result, stream, {"report": extras, "title": args.title})
    print(f"newslint: wrote {args.output_file} ({_count(result.articles, 'article')}, "
          f"{_count(len(result.findings), 'finding')}, "
          f"{_count(len(extras['clusters']), 'near-duplicate cluster')})", file=sys.stderr)
    return EXIT_FINDINGS if result.failed and not args.exit_zero else EXIT_OK


def leave_out_output(settings, output: Path) -> None:
    """A report written inside the checked folder is an .html file the next
    run would check as an article: exclude it, spelled as the file walk may
    meet it (relative to the root, absolute, as given), glob-escaped."""
    spellings = {os.path.normpath(output), os.path.abspath(output), os.path.relpath(output)}
    try:
        spellings.add(output.resolve().relative_to(Path(settings.root).resolve()).as_posix())
    except (ValueError, OSError, RuntimeError):
        pass
    settings.exclude = [*settings.exclude, *(glob.escape(s) for s in sorted(spellings))]


def collect(engine: Engine, result: RunResult, keep: str = "first",
            max_text: int = DEFAULT_MAX_TEXT) -> dict[str, Any]:
    """What the HTML report needs besides the run: the near-duplicate clusters
    (with the article to keep) and the text of the articles it shows, loaded
    again until `max_text` characters: cluster members first (their diffs
    need both sides), then articles with findings in path order."""
    clusters, first = [], {}
    for cluster in build_clusters(result.findings):
        kept = choose_keep(cluster.members, keep)
        clusters.append({"keep": kept.id, "members": [m.id for m in cluster.members],
                         "pairs": cluster.pairs})
        for m in cluster.members:
            first.setdefault(m.path, set()).add(m.id)
    rest: dict[str, set[str]] = {}
    for f in result.findings:
        rest.setdefault(f.path, set()).add(f.article or f.path)
    articles: dict[str, Article] = {}
    used = 0
    for path, ids in [*first.items(), *sorted(rest.items())]:
        if used >= max_text:
            break
        for article in load_articles(engine, path):
            if article.id in ids and article.id not in articles:
                articles[article.id] = article
                used += sum(len(b.text) for b in article.blocks)
    return {"articles": articles, "clusters": clusters, "text_budget": max_text}


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def load_articles(engine: Engine, path: str) -> list[Article]:
    """The articles of one file as its loader gives them (no enrichers, no
    rules); a file that cannot be read again gives none (the run reported it)."""
    loader = engine.registry.loader_for(path)
    if loader is None:
        return []
    try:
        data = engine.read(path)
        return [a for a in loader.load(path, data, engine.settings) if isinstance(a, Article)]
    except Exception:  # OSError, LoadError, a loader bug: the run already reported it
        return []
