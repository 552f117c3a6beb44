"""`newslint spark check|dedup INPUT... OUTPUT`: `newslint check` and
`newslint dedup` on Apache Spark (the extra `newslint[spark]`), reading
Parquet, or JSON Lines and the other formats newslint reads, and writing
Parquet. PySpark is imported only when the command runs."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from newslint.cli.common import EXIT_FINDINGS, EXIT_OK, config_args, csv, settings_for
from newslint.config import ConfigError
from newslint.dedup.clusters import KEEP_POLICIES

INSTALL_HINT = ("`newslint spark` needs PySpark and a Java 17+ runtime: "
                "pip install 'newslint[spark]' (and e.g. apt-get install openjdk-17-jre-headless)")


def add_parser(sub) -> None:
    p = sub.add_parser("spark", help="check or deduplicate a corpus on Apache Spark",
                       description="Run `newslint check` or `newslint dedup` on Apache Spark. "
                       "INPUT: Parquet files or folders (one article per row), or files and "
                       "folders of any format newslint reads (JSON Lines ...). OUTPUT: a "
                       "Parquet folder. " + INSTALL_HINT + ".")
    actions = p.add_subparsers(dest="spark_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="findings, one row per finding")
    dedup = actions.add_parser("dedup", help="every article with its near-duplicate cluster")
    for q in (check, dedup):
        q.add_argument("inputs", nargs="+", metavar="INPUT")
        q.add_argument("output", metavar="OUTPUT", help="Parquet folder to write")
        q.add_argument("--input-format", choices=("auto", "parquet", "files"), default="auto",
                       help="parquet: rows are articles; files: newslint's loaders (auto: "
                       "parquet when INPUT ends in .parquet or is a folder of .parquet files)")
        q.add_argument("--id-column", metavar="NAME",
                       help="Parquet: the column of unique article ids (default: the first "
                       "[fields] id name present, `id`)")
        q.add_argument("--master", metavar="URL", help="Spark master (default local[*]; "
                       "spark-submit's when run by it)")
        q.add_argument("--partitions", type=int, metavar="N",
                       help="tasks for the per-article stage (default 4 per core)")
        q.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists")
        q.add_argument("--select", type=csv, metavar="CODES")
        q.add_argument("--ignore", type=csv, metavar="CODES")
        q.add_argument("--extend-select", type=csv, metavar="CODES")
        config_args(q)
    dedup.add_argument("--keep", choices=KEEP_POLICIES, default="first",
                       help="which article of a cluster to keep (as `newslint dedup --keep`)")
    dedup.add_argument("--threshold", type=float, metavar="J",
                       help="Jaccard similarity that makes a near-duplicate (default 0.5)")


def run(args: argparse.Namespace) -> int:
    try:
        import newslint.integrations.spark.commands as commands
    except ImportError as exc:
        raise ConfigError(f"{INSTALL_HINT} ({exc})") from None
    output = args.output
    if "://" not in output and os.path.exists(output) and not args.overwrite:
        raise ConfigError(f"{output}: already exists (use --overwrite to replace it)")
    settings = settings_for(args, Path(args.inputs[0]))
    settings.cache = False
    spark = commands.start(args.master)
    kind = commands.input_kind(args.inputs, args.input_format)
    if args.spark_command == "check":
        report = commands.check(spark, args.inputs, kind, output, settings, args)
    else:
        report = commands.dedup(spark, args.inputs, kind, output, settings, args)
    for line in report.warnings:
        print(f"newslint: warning: {line}", file=sys.stderr)
    for line in report.errors:
        print(f"newslint: error: {line}", file=sys.stderr)
    print(report.summary)
    return EXIT_FINDINGS if report.failed else EXIT_OK
