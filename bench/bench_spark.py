"""Benchmark the Spark mode's `dedup` against single-machine `newslint dedup`
and print a Markdown table.

    python bench/bench_spark.py --n 50000 [--work DIR] [--master local[2]] [--keep first]

Generates (or reuses) a corpus of JSON Lines records with planted
near-copies (bench/gen_corpus.py), then, on the same files:
- `newslint dedup DIR --format json --no-cache -j CORES` in a child process:
  wall time, CPU time (the process and its workers);
- `newslint.integrations.spark` dedup on `--master` (files read by Spark,
  per article in Arrow batches, LSH banding as a shuffle, verification,
  large-star/small-star components), written as Parquet: wall time, CPU time
  of the whole process tree (driver, JVM, Python workers, read from /proc);
- the clusters of both compared (the same members and the same article kept);
- pair recall and precision against the planted truth: a planted pair is
  positive when its true Jaccard (computed by the generator, independently
  of newslint) is at or above the threshold; predicted pairs are all pairs
  of articles in one cluster;
- what grows with the corpus: signature and shingle-set storage, band rows
  shuffled, candidate pairs, verified edges (counted after the timed run).
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gen_corpus  # noqa: E402

NEWSLINT = str(Path(sys.executable).with_name("newslint"))


def corpus(work: Path, n: int, seed: int) -> Path:
    """The generated records under work/spark-N; the truth beside them (a
    JSON file inside would be read as an article)."""
    root, truth = work / f"spark-{n}", work / f"truth-{n}.json"
    if not truth.is_file():
        shutil.rmtree(root, ignore_errors=True)
        started = time.time()
        gen_corpus.generate(root, n, seed=seed, jsonl=1.0, md=0.0)
        (root / "truth.json").rename(truth)
        print(f"generated {n:,} articles in {time.time() - started:.0f} s", file=sys.stderr)
    return root


def single_machine(root: Path, keep: str, cores: int) -> tuple[float, float, list[dict]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.time()
    done = subprocess.run([NEWSLINT, "dedup", root.name, "--format", "json", "--no-cache",
                           "--no-progress", "-j", str(cores), "--keep", keep],
                          cwd=root.parent, capture_output=True, text=True)
    wall = time.time() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(done.stdout)["clusters"]


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and every descendant (alive, or waited for)."""
    ticks = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(stat[1]), []).append(int(entry))
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in stat[11:15]) / ticks   # utime stime cutime cstime
        todo += children.get(current, [])
    return total


def on_spark(root: Path, keep: str, master: str, out: Path):
    from pyspark.sql import functions as F

    from newslint.config import load_settings
    from newslint.integrations.spark.api import dedup_settings, dedup_source
    from newslint.integrations.spark.session import session
    from newslint.integrations.spark.sources import files
    from newslint.run.engine import Engine
    os.environ.setdefault("PYSPARK_SUBMIT_ARGS", "--driver-memory 3g pyspark-shell")
    spark = session(master, {"spark.ui.enabled": "false"})
    os.chdir(root.parent)
    cpu_before = tree_cpu(os.getpid())
    started = time.time()
    settings = dedup_settings(load_settings(None, Path(root.name)), None)
    settings.cache = False
    source = files(spark, [root.name], settings, Engine(settings).registry, [])
    clustered, pipeline, _ = dedup_source(source, settings, keep)
    shutil.rmtree(out, ignore_errors=True)
    clustered.drop("finding").write.parquet(str(out))
    rows = [r.asDict() for r in spark.read.parquet(str(out)).collect()]
    wall = time.time() - started
    cpu = tree_cpu(os.getpid()) - cpu_before
    metrics = growth(pipeline)
    spark.stop()
    return wall, cpu, rows, metrics


def growth(pipeline) -> dict:
    from pyspark.sql import functions as F

    from newslint.integrations.spark.near import candidate_pairs, verified_edges
    usable = pipeline.articles.where(F.col("sk").isNotNull())
    options = pipeline.options["NL601"]
    stats = usable.agg(F.count("*").alias("n"), F.sum(F.length("sig")).alias("sig"),
                       F.sum(F.length("sh")).alias("sh"),
                       F.countDistinct("sk").alias("sets")).collect()[0]
    bands = usable.select("sk", F.posexplode("bands")).distinct().count()
    return {"articles": stats.n, "sets": stats.sets, "signature_bytes": stats.sig,
            "shingle_bytes": stats.sh, "band_rows": bands,
            "candidates": candidate_pairs(usable).count(),
            "edges": verified_edges(usable, options["threshold"], options["num_perm"]).count()}


def pairs_of(groups: list[list[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/newslint-bench-spark"))
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--keep", default="first", choices=("first", "longest", "best"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args()
    cores = int(args.master.partition("[")[2].rstrip("]") or 1) if "[" in args.master else 1
    root = corpus(args.work, args.n, args.seed)
    truth = json.loads((root.parent / f"truth-{args.n}.json").read_text())
    cli_wall, cli_cpu, cli_clusters = single_machine(root, args.keep, cores)
    spark_wall, spark_cpu, rows, metrics = on_spark(root, args.keep, args.master,
                                                    args.work / f"out-{args.n}.parquet")
    groups: dict[str, list[str]] = {}
    for row in rows:
        groups.setdefault(row["cluster"], []).append(row["id"])
    spark_groups = sorted(sorted(g) for g in groups.values())
    cli_groups = sorted(sorted(m["id"] for m in c["members"]) for c in cli_clusters)
    same_keep = {c["keep"] for c in cli_clusters} == {r["id"] for r in rows if not r["drop"]}
    prefix = root.name + "/"
    planted = {tuple(sorted((prefix + p["a"], prefix + p["b"]))): p["jaccard"]
               for p in truth["pairs"]}
    positive = {p for p, j in planted.items() if j >= args.threshold}
    predicted = pairs_of(spark_groups)
    recall = len(predicted & positive) / len(positive)
    precision = len(predicted & positive) / len(predicted) if predicted else 1.0
    n = args.n
    table = [
        ("articles (JSON Lines records), planted pairs / with J >= threshold",
         f"{n:,} / {len(planted):,} / {len(positive):,}"),
        (f"`newslint dedup -j{cores}` wall / CPU", f"{cli_wall:.1f} s / {cli_cpu:.1f} s"),
        (f"Spark dedup on {args.master} wall / CPU (driver, JVM, Python workers)",
         f"{spark_wall:.1f} s / {spark_cpu:.1f} s"),
        ("per-core throughput, single machine (articles per core-second of wall time)",
         f"{n / cli_wall / cores:,.0f}"),
        ("per-core throughput, Spark", f"{n / spark_wall / cores:,.0f}"),
        ("single machine / Spark per-core throughput (wall; target <= 2)",
         f"{spark_wall / cli_wall:.2f}x"),
        ("same, by CPU time", f"{spark_cpu / cli_cpu:.2f}x"),
        ("clusters identical to `newslint dedup` (members and kept article)",
         "yes" if spark_groups == cli_groups and same_keep else "**no**"),
        ("clusters / articles in them", f"{len(spark_groups):,} / {len(rows):,}"),
        ("pair recall vs planted truth (target >= 0.99)", f"{recall:.4f}"),
        ("pair precision vs planted truth (target >= 0.99)", f"{precision:.4f}"),
        ("MinHash signatures kept (128 x uint32)", f"{metrics['signature_bytes'] / 1e6:.1f} MB"),
        ("exact shingle sets kept (uint64)", f"{metrics['shingle_bytes'] / 1e6:.1f} MB "
                                             f"({metrics['shingle_bytes'] / n / 8:,.0f} per article)"),
        ("band rows shuffled (distinct sets x bands)", f"{metrics['band_rows']:,}"),
        ("candidate pairs / verified edges", f"{metrics['candidates']:,} / {metrics['edges']:,}"),
    ]
    print(f"| measure ({n:,} articles, keep={args.keep}) | value |\n|---|---|")
    for name, value in table:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
