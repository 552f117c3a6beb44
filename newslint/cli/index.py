"""`newslint index stats|list|show|remove|clear|export|import`: look into and
manage a near-duplicate index (a folder or `redis://...`), the same on both.

The index is `--index`, else `index` from the config. It is opened with the
settings it was built with, so these commands work whatever the current
near-duplicate options are (`clear` is the fix the other commands name when
those options changed). Ids are printed with control and bidirectional
characters escaped (`\\xNN`, `\\uNNNN`).
"""
from __future__ import annotations

import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

from newslint.cli.common import EXIT_FINDINGS, EXIT_OK, config_args, output, settings_for
from newslint.config import ConfigError

# The index modules (numpy) are imported when a subcommand of `index` runs:
# `newslint check` served from the cache never needs them.

ACTIONS = ("stats", "list", "show", "remove", "clear", "export", "import")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def add_parser(sub) -> None:
    p = sub.add_parser("index", help="look into and manage a near-duplicate index",
                       description="Look into and manage the near-duplicate index that `check "
                       "--index`, stdin, the library and the Scrapy pipeline keep (a folder or "
                       "redis://host:port/db).")
    p.add_argument("action", choices=ACTIONS, help="stats: counts and settings; list: every "
                   "article (id, first seen, cluster); show ID: its near-duplicates; remove ID...; "
                   "clear: remove everything (with --yes); export: JSON Lines with signatures; "
                   "import FILE...")
    p.add_argument("args", nargs="*", metavar="ID_OR_FILE", help="ids (show, remove) or files (import)")
    p.add_argument("--index", metavar="PATH_OR_URL", help="the index (default: `index` in the config)")
    p.add_argument("--format", choices=("text", "jsonl"), default="text", help="for list and show")
    p.add_argument("--yes", action="store_true", help="clear: really remove every entry")
    p.add_argument("--output-file", "-o", type=Path, metavar="FILE", help="write here (export, list)")
    config_args(p)


def run(args) -> int:
    spec = args.index or settings_for(args).index
    if not spec:
        raise ConfigError("no index given: use --index FOLDER|redis://... or `index` in newslint.toml")
    if args.action in ("show", "remove", "import") and not args.args:
        raise ConfigError(f"newslint index {args.action} needs "
                          f"{'files' if args.action == 'import' else 'ids'}")
    if args.action not in ("show", "remove", "import") and args.args:
        raise ConfigError(f"newslint index {args.action} takes no ids or files")
    from newslint.dedup.index import NearDupIndex, is_redis
    if args.action == "import":
        return _import(spec, args)
    if not is_redis(spec) and not (Path(spec) / "neardup.sqlite").is_file():
        raise ConfigError(f"no near-duplicate index in {spec} (no neardup.sqlite there)")
    notices: list[str] = []
    with NearDupIndex.open(spec, threshold=None, num_perm=None, warn=notices.append) as index:
        code = ACTIONS_RUN[args.action](index, spec, args)
    for notice in notices:
        print(f"newslint: warning: {shown(notice)}", file=sys.stderr)
    return code


def shown(text: str) -> str:
    """`text` on one line with control and bidi characters escaped."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                       else f"\\u{ord(m.group()):04x}", text)


def when(timestamp: float) -> str:
    if not timestamp:
        return "unknown"
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _where(spec: str, index) -> str:
    from newslint.dedup.index import is_redis
    if is_redis(spec):
        return f"{index.backend.url} (Redis, prefix {index.backend.prefix!r})"
    return f"{Path(spec) / 'neardup.sqlite'} (SQLite)"


def _stats(index, spec: str, args) -> int:
    total = duplicates = 0
    first = last = None
    for entry in index.entries():
        total += 1
        duplicates += bool(entry.of)
        if entry.first_seen:
            first = min(first or entry.first_seen, entry.first_seen)
            last = max(last or entry.first_seen, entry.first_seen)
    params = index.params
    with output(args) as out:
        out.write(f"index: {shown(_where(spec, index))}\n"
                  f"articles: {total:,} ({total - duplicates:,} originals, {duplicates:,} "
                  f"recorded as near-duplicates of another)\n"
                  f"settings: num_perm={params['num_perm']}, threshold={params.get('threshold', '?')}, "
                  f"LSH {params['bands']} bands x {params['rows']} rows\n")
        if first is not None:
            out.write(f"first seen: {when(first)} to {when(last)}\n")
    return EXIT_OK


def _list(index, spec: str, args) -> int:
    rows = sorted(((e.first_seen, e.key, e.of) for e in index.entries()), key=lambda r: r[:2])
    with output(args) as out:
        for first, key, of in rows:
            if args.format == "jsonl":
                out.write(json.dumps({"id": key, "first_seen": when(first),
                                      "cluster": of[0] if of else key, "of": list(of)},
                                     ensure_ascii=False) + "\n")
            else:
                role = f"duplicate of {shown(of[0])}" + (f" (+{len(of) - 1})" if len(of) > 1 else "") \
                    if of else "original"
                out.write(f"{when(first)}  {shown(key)}  {role}\n")
    return EXIT_OK


def _show(index, spec: str, args) -> int:
    missing = 0
    with output(args) as out:
        for key in args.args:
            entry = index.get(key)
            if entry is None:
                print(f"newslint: no article {shown(key)!s} in the index", file=sys.stderr)
                missing += 1
                continue
            similar = [(k, s) for k, s in index.similar(entry.signature) if k != key]
            copies = index.backend.entries_for([k for k, _ in similar])
            if args.format == "jsonl":
                out.write(json.dumps({"id": key, "first_seen": when(entry.first_seen),
                                      "of": list(entry.of), "near_duplicates": [
                                          {"id": k, "similarity": round(s, 4),
                                           "duplicate_of_this": k in copies and key in copies[k].of}
                                          for k, s in similar]}, ensure_ascii=False) + "\n")
                continue
            out.write(f"{shown(key)}\n  first seen: {when(entry.first_seen)}\n")
            out.write(f"  duplicate of: {', '.join(map(shown, entry.of))}\n" if entry.of
                      else "  original\n")
            out.write(f"  near-duplicates (estimated similarity): {len(similar)}\n")
            for other, similarity in similar:
                tag = ""
                if other in copies and key in copies[other].of:
                    tag = "  (recorded as a duplicate of this one)"
                elif other in entry.of:
                    tag = "  (this one is recorded as its duplicate)"
                out.write(f"    {similarity:.2f}  {shown(other)}{tag}\n")
    return EXIT_FINDINGS if missing else EXIT_OK


def _remove(index, spec: str, args) -> int:
    removed = index.remove(args.args)
    print(f"removed {removed} of {len(args.args)} ids from {shown(_where(spec, index))}")
    return EXIT_OK if removed == len(args.args) else EXIT_FINDINGS


def _clear(index, spec: str, args) -> int:
    count = len(index)
    if not args.yes:
        raise ConfigError(f"`newslint index clear` removes all {count:,} entries of "
                          f"{_where(spec, index)}: add --yes")
    index.clear()
    print(f"cleared {count:,} entries from {shown(_where(spec, index))}")
    return EXIT_OK


def _export(index, spec: str, args) -> int:
    from newslint.dedup.transfer import export_lines
    with output(args) as out:
        for line in export_lines(index.params, index.entries()):
            out.write(line + "\n")
    return EXIT_OK


def _import(spec: str, args) -> int:
    from newslint.cli.index_import import import_files
    return import_files(spec, args.args)


ACTIONS_RUN = {"stats": _stats, "list": _list, "show": _show, "remove": _remove,
               "clear": _clear, "export": _export}
