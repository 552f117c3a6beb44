"""Benchmark the near-duplicate index's promises and print a Markdown table.

    python bench/bench_index.py [--n 10000] [--stdin 100000] [--work DIR] [--parts replay,two,stdin,dedup]

- **replay**: the same stream of `--n` articles (bench/gen_corpus.py, planted
  near-copies at Jaccard 0.30 ... 1.0, each item with a URL) checked three
  times through the library (`Linter(select=[near-duplicate, boilerplate],
  drop_on={"duplicate"})`) on a folder index and on Redis, and through the
  Scrapy pipeline (`NEWSLINT_INDEX` folder), a new Linter or pipeline per run:
  the items kept must be the same every time, no item that is not the later
  member of a planted pair may be dropped (originals lost), and planted copies
  at Jaccard >= 0.6 must be dropped;
- **two**: the corpus's .txt/.md files spread over folders X, O, Y; two
  processes run `check X O` and `check O Y --index redis://...` at the same
  time on one Redis index, one process runs `check X O Y` on a fresh one:
  the near-duplicate pairs they report must be the same;
- **stdin**: `--stdin` JSON lines (random text, 1% exact and 1% near copies
  planted later in the stream) piped to `newslint check - --select
  near-duplicate`: peak RSS (ru_maxrss of the child), and the planted copies
  found; at a tenth of the size too, to show memory follows the index;
- **dedup**: `newslint dedup` (only what it needs), `dedup --keep best`
  (every rule, as before) and `check --select near-duplicate` on 2,000 of
  the articles, no cache, median of 3, side by side.
Redis parts need a `redis-server` binary (tests/redis_server.py starts one).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parent / "tests")]

import bench_index_parts as parts  # noqa: E402
import gen_corpus  # noqa: E402

NEWSLINT = str(Path(sys.executable).with_name("newslint"))


def corpus(work: Path, n: int) -> tuple[Path, dict]:
    root = work / f"c{n}"
    if not (root / "truth.json").exists():
        gen_corpus.generate(root, n)
    return root, json.loads((root / "truth.json").read_text())


def child(argv: list[str], stdin_path: Path | None = None, cwd: Path | None = None) -> dict:
    """Run a command; wall time, its output and the child's peak RSS."""
    began = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(stdin_path, "rb") if stdin_path else open(os.devnull, "rb") as fh:
        run = subprocess.run(argv, stdin=fh, capture_output=True, text=True, cwd=cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": time.perf_counter() - began, "out": run.stdout, "err": run.stderr,
            "code": run.returncode, "rss_mb": after / 1024 if after > before else None}


def stdin_part(work: Path, size: int, rows: list) -> None:
    for n in (size // 10, size):
        path, planted = parts.stdin_lines(work / f"stdin{n}.jsonl", n)
        run = child(["/usr/bin/time", "-f", "%M", NEWSLINT, "check", "-", "--select",
                     "near-duplicate", "--format", "jsonl"], stdin_path=path)
        peak_kb = int(run["err"].strip().splitlines()[-1])
        flagged = {json.loads(line)["line"] for line in run["out"].splitlines() if line.strip()}
        found = sum(line in flagged for line in planted)
        extra = len(flagged - set(planted))
        rows.append((f"stdin: {n:,} JSON lines ({path.stat().st_size / 1e6:.0f} MB) streamed",
                     f"peak RSS {peak_kb / 1024:.0f} MB; {found:,} of {len(planted):,} planted "
                     f"copies found, {extra} other lines flagged; {run['seconds']:.0f} s "
                     f"({n / run['seconds']:,.0f} lines/s)"))


def dedup_part(root: Path, rows: list) -> None:
    folders = [str(root / "articles" / "000"), str(root / "articles" / "001")]
    commands = {
        "dedup": [NEWSLINT, "dedup", *folders, "--no-cache", "--no-progress"],
        "dedup --keep best (every rule)": [NEWSLINT, "dedup", *folders, "--no-cache",
                                           "--no-progress", "--keep", "best"],
        "check --select near-duplicate": [NEWSLINT, "check", *folders, "--select",
                                          "near-duplicate", "--no-cache", "--no-progress", "-q"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(3):   # interleaved: the machine's load hits all three alike
        for name, argv in commands.items():
            times[name].append(child(argv)["seconds"])
    base = statistics.median(times["check --select near-duplicate"])
    files = sum(len(os.listdir(f)) for f in folders)
    for name, spent in times.items():
        rows.append((f"{name}, {files:,} files, no cache (median of 3)",
                     f"{statistics.median(spent):.1f} s ({statistics.median(spent) / base:.2f}x "
                     f"check --select near-duplicate)"))


class Rows(list):
    """The table's rows, each also printed to stderr as soon as it is measured."""

    def append(self, row: tuple[str, str]) -> None:
        super().append(row)
        print(f"| {row[0]} | {row[1]} |", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--stdin", type=int, default=100000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/newslint-bench-index"))
    parser.add_argument("--parts", default="replay,two,stdin,dedup")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    root, truth = corpus(args.work, args.n)
    wanted = set(args.parts.split(","))
    rows = Rows()
    server = parts.start_redis(args.work) if wanted & {"replay", "two"} else None
    try:
        if "replay" in wanted:
            parts.replay_part(root, truth, args.work, server, rows)
        if "two" in wanted:
            parts.two_processes_part(root, truth, args.work, server, NEWSLINT, rows)
    finally:
        if server is not None:
            server.stop()
    if "stdin" in wanted:
        stdin_part(args.work, args.stdin, rows)
    if "dedup" in wanted:
        dedup_part(root, rows)
    print(f"\nShared machine ({os.cpu_count()} cores, other jobs running), "
          f"{time.strftime('%Y-%m-%d')}; numpy {np.__version__}.\n")
    print("| measure | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
