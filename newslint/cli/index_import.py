"""`newslint index import FILE...`: entries from `newslint index export` files
(JSON Lines, `dedup.transfer`) into a folder or Redis index. A bad line is an
error naming the file and line, and the other lines are still imported (exit
1); an entry replaces one with the same id. Into an existing index the
signatures must have its `num_perm`; a new index takes the export's settings."""
from __future__ import annotations

import sys

from newslint.cli.common import EXIT_FINDINGS, EXIT_OK
from newslint.config import ConfigError
from newslint.dedup.index import NearDupIndex
from newslint.dedup.transfer import BadLine, read_entry, read_header
from newslint.text.safe import one_line

BATCH = 1000


def import_files(spec: str, files: list[str]) -> int:
    bad = imported = 0
    for name in files:
        try:
            with open(name, encoding="utf-8", errors="strict") as fh:
                counts = _import_one(spec, name, fh)
        except OSError as exc:
            raise ConfigError(f"{name}: cannot read: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            print(f"newslint: error: {name}: not UTF-8 text ({exc.reason}); stopped there",
                  file=sys.stderr)
            bad += 1
            continue
        imported += counts[0]
        bad += counts[1]
    print(f"imported {imported:,} entries; {bad:,} lines with errors")
    return EXIT_FINDINGS if bad else EXIT_OK


def _import_one(spec: str, name: str, lines) -> tuple[int, int]:
    try:
        settings = read_header(next(lines, ""))
    except BadLine as exc:
        raise ConfigError(f"{name}:1: {exc}") from None
    bad = imported = 0
    with NearDupIndex.open(spec, settings["threshold"], settings["num_perm"], adopt=True) as index:
        if index.num_perm != settings["num_perm"]:
            raise ConfigError(f"{name}: signatures of {settings['num_perm']} permutations cannot go "
                              f"into an index of {index.num_perm}")
        batch = []
        for number, line in enumerate(lines, start=2):
            if not line.strip():
                continue
            try:
                batch.append(read_entry(line, settings["num_perm"]))
            except BadLine as exc:
                print(f"newslint: error: {name}:{number}: {one_line(exc)}", file=sys.stderr)
                bad += 1
                continue
            if len(batch) >= BATCH:
                index.insert_many(batch)
                imported, batch = imported + len(batch), []
        index.insert_many(batch)
        imported += len(batch)
    return imported, bad
