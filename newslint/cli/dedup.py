"""`newslint dedup PATH...`: clusters of near-duplicate articles, which one of
each to keep, and the list of the others to drop.

It runs near-duplicate (NL601) and the boilerplate rules whose flagged lines it
leaves out (all the configured rules with `--keep best`, which counts each
article's warning and error findings) over PATH (cached like `newslint
check`), joins the articles NL601 matched into clusters (connected components
of the matches), and picks one article per cluster to keep:
`first` (by path, then record), `longest` (most body text), or `best` (fewest
findings of level warning or error, then longest, then first).
"""
from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from newslint.cli.common import config_args, output, run_and_tell, settings_for, warn
from newslint.config import ConfigError
from newslint.dedup.clusters import KEEP_POLICIES, Member, choose_keep
from newslint.run.engine import Engine
from newslint.text.safe import escaped, file_name_bytes

EXIT_OK, EXIT_CLUSTERS = 0, 1
RULE = "NL601"


@dataclass
class Cluster:
    members: list[Member]
    pairs: list[dict[str, Any]] = field(default_factory=list)
    keep: Member | None = None

    @property
    def drop(self) -> list[Member]:
        return [m for m in self.members if m is not self.keep]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "dedup", help="list clusters of near-duplicate articles and which to drop",
        description="Group the articles under PATH that are near-duplicates of each other "
        "(rule near-duplicate, NL601) into clusters, choose one article of each to keep, and "
        "optionally write the ids of the others to a file.",
        epilog="Exit codes: 0 no cluster, 1 clusters found (or an input could not be read), "
        "2 usage or configuration error.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument("--keep", choices=KEEP_POLICIES, default="first",
                   help="which article of a cluster to keep: first by path and record, longest "
                   "body, or best = fewest warning/error findings, then longest (default: first)")
    p.add_argument("--drop-list", type=Path, metavar="FILE",
                   help="write the ids of the articles to drop to FILE, one per line (an id "
                   "holding a line break or a control character is left out, with a warning: "
                   "use --drop-list0)")
    p.add_argument("--drop-list0", type=Path, metavar="FILE",
                   help="write the ids of the articles to drop to FILE, each ended by a NUL "
                   "byte, exactly as the file system spells them (for xargs -0)")
    p.add_argument("--threshold", type=float, metavar="J",
                   help="Jaccard similarity that makes a near-duplicate (default: the rule's "
                   "option, 0.5)")
    p.add_argument("--exclude", type=lambda v: [x.strip() for x in v.split(",") if x.strip()],
                   default=[], metavar="GLOBS", help="paths to skip")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    p.add_argument("--cache-dir", metavar="DIR", help="cache folder")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N", help="worker processes")
    p.add_argument("--output-file", "-o", type=Path, metavar="FILE", help="write the report here")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    config_args(p)


def run(args: argparse.Namespace) -> int:
    settings = settings_for(args, Path(args.paths[0]))
    settings.corpus = []   # clusters among PATH; `check --corpus` compares with an archive
    settings.extend_select = [*settings.extend_select, RULE]
    if args.threshold is not None:
        settings.rules = {**settings.rules, RULE: {**settings.rules.get(RULE, {}),
                                                   "threshold": args.threshold}}
    engine = Engine(settings)
    _check_rule_options(engine)
    if args.keep != "best":
        engine = only_what_dedup_needs(engine)
    result = run_and_tell(engine, args.paths, progress=not args.no_progress)
    clusters = build_clusters(result.findings)
    for cluster in clusters:
        cluster.keep = choose_keep(cluster.members, args.keep)
    if args.drop_list is not None:
        write_drop_list(args.drop_list, clusters)
    if args.drop_list0 is not None:
        write_drop_list0(args.drop_list0, clusters)
    with output(args) as stream:
        if args.format == "json":
            write_json(stream, clusters, result.articles, args.keep)
        else:
            write_text(stream, clusters, result.articles, counted=args.keep == "best")
    return EXIT_CLUSTERS if clusters or result.errors else EXIT_OK


def only_what_dedup_needs(engine: Engine) -> Engine:
    """The engine with near-duplicate and the rules it depends on: the enabled
    article-scope boilerplate rules, whose flagged lines it leaves out. Only
    `--keep best` needs every rule (it counts each article's findings)."""
    needed = [r.code for r in engine.rules if r.code == RULE
              or (r.scope == "article" and r in engine.boilerplate_rules)]
    settings = replace(engine.settings, select=needed, extend_select=[])
    return Engine(settings, pm=engine.pm, registry=engine.registry)


def _check_rule_options(engine) -> None:
    from newslint.dedup.rule import check_options
    rule = engine.registry.rules.get(RULE)
    if rule is None or rule not in engine.rules:
        raise ConfigError("rule near-duplicate (NL601) is switched off (see the ignore setting)")
    try:
        check_options(engine.options[RULE])
    except ValueError as exc:
        raise ConfigError(f"near-duplicate: {exc}") from None


def build_clusters(findings) -> list[Cluster]:
    """Connected components of the matches in NL601 findings."""
    members: dict[str, Member] = {}
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for f in findings:
        if f.code != RULE:
            continue
        data = dict(f.data)
        own = f.article or f.path
        members.setdefault(own, Member(own, f.path, _record(own, f.path), data.get("length", 0)))
        for other in data.get("duplicates", []):
            members.setdefault(other["id"], Member(other["id"], other["path"], other["record"],
                                                   other["length"]))
            key = tuple(sorted((own, other["id"])))
            pairs[key] = {"a": key[0], "b": key[1], "similarity": other["similarity"],
                          "exact": other["exact"], "estimated": other["estimated"]}
    for f in findings:
        member = members.get(f.article or f.path)
        if member is not None and f.code != RULE and f.severity in ("warning", "error"):
            member.problems += 1
    parent = {key: key for key in members}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key
    for a, b in pairs:
        parent[root(a)] = root(b)
    groups: dict[str, Cluster] = {}
    for key in sorted(members, key=lambda k: members[k].order()):
        groups.setdefault(root(key), Cluster([])).members.append(members[key])
    for (a, _), pair in sorted(pairs.items()):
        groups[root(a)].pairs.append(pair)
    return sorted(groups.values(), key=lambda c: c.members[0].order())


def _record(article_id: str, path: str) -> int | None:
    suffix = article_id[len(path):]
    return int(suffix[1:]) if suffix[:1] in (":", "#") and suffix[1:].isdigit() else None


def write_drop_list(path: Path, clusters: list[Cluster]) -> None:
    """One id per line. An id a line list cannot hold as it is (a line break,
    a control character, bytes that are not UTF-8) is left out with a warning:
    written escaped or split, it could name another file (`xargs rm`)."""
    lines = []
    for member in (m for c in clusters for m in c.drop):
        if escaped(member.id) != member.id:
            warn(f"{escaped(member.id)}: left out of --drop-list: its name holds a line break, "
                 "a control character or bytes that are not UTF-8; use --drop-list0")
        else:
            lines.append(f"{member.id}\n".encode("utf-8"))
    _write_bytes(path, b"".join(lines))


def write_drop_list0(path: Path, clusters: list[Cluster]) -> None:
    """Each id ended by a NUL byte, in the file system's own bytes (`xargs -0`)."""
    _write_bytes(path, b"".join(file_name_bytes(m.id) + b"\0" for c in clusters for m in c.drop))


def _write_bytes(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ConfigError(f"{escaped(str(path))}: cannot write: {exc.strerror or exc}") from None


def write_text(stream: TextIO, clusters: list[Cluster], articles: int, counted: bool) -> None:
    from newslint.dedup.rule import display, floor2
    for number, cluster in enumerate(clusters, start=1):
        print(f"Cluster {number} ({_count(len(cluster.members), 'article')})", file=stream)
        for m in cluster.members:
            action = "keep" if m is cluster.keep else "drop"
            problems = f", {m.problems} warning/error findings" if counted else ""
            print(f"  {action}  {escaped(display(m.id, m.path))}  ({m.length:,} chars{problems})",
                  file=stream)
        for pair in cluster.pairs:
            members = {m.id: m for m in cluster.members}
            similarity = "exact copy" if pair["exact"] else floor2(pair["similarity"]) + (
                " (estimated)" if pair["estimated"] else "")
            print(f"    {escaped(display(pair['a'], members[pair['a']].path))} ~ "
                  f"{escaped(display(pair['b'], members[pair['b']].path))}: {similarity}",
                  file=stream)
    dropped = sum(len(c.drop) for c in clusters)
    in_clusters = sum(len(c.members) for c in clusters)
    print(f"{_count(len(clusters), 'cluster')}, {_count(in_clusters, 'article')} in them, "
          f"{dropped} to drop (of {_count(articles, 'article')} checked).", file=stream)


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def write_json(stream: TextIO, clusters: list[Cluster], articles: int, keep: str) -> None:
    out = {"keep": keep, "clusters": [{
        "members": [{"id": m.id, "path": m.path, "record": m.record, "length": m.length,
                     "findings": m.problems if keep == "best" else None, "keep": m is c.keep}
                    for m in c.members],
        "keep": c.keep.id, "drop": [m.id for m in c.drop], "pairs": c.pairs} for c in clusters],
        "summary": {"articles": articles, "clusters": len(clusters),
                    "in_clusters": sum(len(c.members) for c in clusters),
                    "drop": sum(len(c.drop) for c in clusters)}}
    json.dump(out, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
