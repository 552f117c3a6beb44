"""Benchmark near-duplicate detection (NL601) and print a Markdown table.

    python bench/bench_dedup.py --n 10000 [--out DIR] [--threshold 0.5] [--signatures-only]

Generates (or reuses) a corpus with bench/gen_corpus.py, then measures:
- text -> MinHash signature (128 permutations, shingling included), CPU time
  per article in the same run on the same texts: ours (numpy over 64-bit
  shingle hashes), plain datasketch (`MinHash.update_batch` with its default
  SHA-1 hashing) and rensa's `RMinHash` (Rust; `pip install rensa`, a
  benchmark peer only, skipped with a row saying so when missing), with the
  ratios against the targets; and that our signatures equal datasketch's bit
  for bit when it is given our shingle hash;
- LSH candidate search over all signatures: our numpy banding against
  datasketch `MinHashLSH` insert + query with the same (b, r);
- `newslint check --select near-duplicate` end to end in a child process:
  cold (empty cache) and warm (unchanged corpus, median of 5 runs, against
  the 10x target), articles per second, peak
  memory (ru_maxrss of the largest process, and the sum over the process tree
  sampled every 0.1 s), CPU time (user + system, workers included: unlike
  wall time it does not depend on what else the machine is doing), cache
  size on disk;
- the pre-commit path: two new files checked against the whole corpus;
- precision and recall on the planted pairs (true Jaccard computed by the
  generator, independently of newslint).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import regex

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gen_corpus  # noqa: E402
from newslint.dedup.lsh import band_keys, band_params, candidate_pairs  # noqa: E402
from newslint.dedup.minhash import SEED, hash32, signature  # noqa: E402
from newslint.dedup.shingles import shingle  # noqa: E402

WORDS_RE = regex.compile(r"[\p{L}\p{N}\p{M}]+")
PEER_WORDS_RE = re.compile(r"\w+")


def body_of(root: Path, article_id: str) -> str:
    """An article's body as newslint sees it (title and front matter left out)."""
    path, _, record = article_id.partition(".jsonl:")
    if record:
        line = (root / f"{path}.jsonl").read_text(encoding="utf-8").split("\n")[int(record) - 1]
        return json.loads(line)["text"]
    text = (root / article_id).read_text(encoding="utf-8")
    if article_id.endswith(".md"):
        text = text.split("\n---\n", 1)[1]
        return text.strip()
    return text.split("\n", 2)[2]


# -- signatures and LSH ------------------------------------------------------------------
SIGNATURE_TARGETS = {"datasketch": 5.0, "rensa": 1.0}  # issue 23: ours at least this many times


def string_shingles(text: str) -> list[str]:
    """The plain way to shingle for a MinHash library: the words of the
    case-folded text (the standard library's `re`, `\\w+`: faster than the
    `regex` module), joined five by five. Case and punctuation are ignored, as
    newslint ignores them."""
    words = PEER_WORDS_RE.findall(text.casefold())
    return [" ".join(words[i:i + 5]) for i in range(max(len(words) - 4, 1))]


def signature_makers() -> dict[str, object]:
    """Text -> MinHash signature (128 permutations), shingling included: ours,
    datasketch `update_batch` (SHA-1 of each shingle, its default) and, when
    installed, rensa's `RMinHash` (Rust) on the same shingles, and rensa on
    whitespace-split words (no case folding or punctuation handling: less work
    than the others do, the fastest way to call it)."""
    from datasketch import MinHash
    permutations = MinHash(num_perm=128).permutations  # made once, as a careful user would

    def ours(text: str):
        return signature(shingle(text).hashes)

    def datasketch(text: str):
        m = MinHash(num_perm=128, permutations=permutations, scheme="affine32")
        m.update_batch({s.encode() for s in string_shingles(text)})
        return m.hashvalues
    makers = {"ours": ours, "datasketch": datasketch}
    try:
        from rensa import RMinHash
    except ImportError:
        return makers

    def rensa(text: str):
        m = RMinHash(num_perm=128, seed=SEED)
        m.update(string_shingles(text))
        return m.digest()

    def rensa_split(text: str):
        words = text.split()
        m = RMinHash(num_perm=128, seed=SEED)
        m.update([" ".join(words[i:i + 5]) for i in range(max(len(words) - 4, 1))])
        return m.digest()
    return {**makers, "rensa": rensa, "rensa_split": rensa_split}


def signature_speed(texts: list[str], batch: int = 25) -> dict[str, float]:
    """Signatures per second of CPU time from article text, for every maker,
    timed in alternating batches (a new order each batch) so that load changes
    on the machine hit all alike."""
    makers = signature_makers()
    spent = dict.fromkeys(makers, 0.0)
    order = list(makers)
    for start in range(0, len(texts), batch):
        random.Random(start).shuffle(order)
        for name in order:
            make = makers[name]
            began = time.process_time()
            for text in texts[start:start + batch]:
                make(text)
            spent[name] += time.process_time() - began
    return {name: len(texts) / seconds for name, seconds in spent.items()}


def same_as_datasketch(texts: list[str]) -> int:
    """How many of `texts` get a signature equal, bit for bit, to datasketch's
    `MinHash.update_batch` given newslint's 32-bit shingle hash as `hashfunc`."""
    from datasketch import MinHash
    same = 0
    for text in texts:
        hashes = shingle(text).hashes
        theirs = MinHash(num_perm=128, seed=SEED, hashfunc=int)
        theirs.update_batch([int(h) for h in hash32(hashes)])
        same += bool(np.array_equal(signature(hashes), theirs.hashvalues))
    return same


def signature_rows(texts: list[str]) -> list[tuple[str, str]]:
    speed = signature_speed(texts)
    words = sum(len(WORDS_RE.findall(t)) for t in texts) / len(texts)
    checked = texts[:200]
    rows = [(f"text -> signature, 128 permutations, shingling included ({len(texts):,} texts, "
             f"{words:,.0f} words on average): ours", per_text(speed["ours"])),
            ("bit for bit datasketch (`hashfunc` = our 32-bit shingle hash)",
             f"{same_as_datasketch(checked)} of {len(checked)} signatures equal")]
    peers = [("datasketch", "datasketch `update_batch` (`re` words, case-folded; SHA-1)"),
             ("rensa", "rensa `RMinHash` (Rust), the same shingles"),
             ("rensa_split", "rensa `RMinHash` on whitespace-split words (no case folding)")]
    for name, label in peers:
        if name not in speed:
            rows.append((f"same, {label}", "skipped: rensa is not installed (pip install rensa)"))
            continue
        ratio = speed["ours"] / speed[name]
        target = SIGNATURE_TARGETS.get(name)
        verdict = f"; target >= {target:g}x: {'met' if ratio >= target else 'NOT met'}" if target else ""
        rows.append((f"same, {label}", f"{per_text(speed[name])} (ours {ratio:.2f}x as fast{verdict})"))
    return rows


def per_text(per_second: float) -> str:
    return f"{1000 / per_second:.3f} ms CPU ({per_second:,.0f}/s)"


def lsh_speed(signatures: np.ndarray, threshold: float) -> dict[str, float]:
    from datasketch import LeanMinHash, MinHash, MinHashLSH
    bands, rows = band_params(threshold, signatures.shape[1])
    start = time.perf_counter()
    ours = candidate_pairs(band_keys(signatures, bands, rows), np.ones(len(signatures), bool))
    ours_s = time.perf_counter() - start
    lean = [LeanMinHash(MinHash(hashvalues=s, scheme="affine32")) for s in signatures]
    start = time.perf_counter()
    index = MinHashLSH(num_perm=signatures.shape[1], params=(bands, rows))
    for i, m in enumerate(lean):
        index.insert(i, m, check_duplication=False)
    theirs = {(min(i, j), max(i, j)) for i, m in enumerate(lean) for j in index.query(m) if j != i}
    theirs_s = time.perf_counter() - start
    assert theirs == set(map(tuple, ours.tolist())), "numpy banding and MinHashLSH disagree"
    return {"ours": ours_s, "datasketch": theirs_s, "pairs": len(ours), "bands": bands, "rows": rows}


# -- a child process with its peak memory ----------------------------------------------------
def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, AttributeError):
            pass
    return total


def code_snapshot(folder: Path) -> dict[str, str]:
    """Copy newslint and its rules to `folder` and return an environment that
    runs the copy: the cache is keyed by the code's files, so edits made to the
    working tree during a run must not turn the warm run cold."""
    repo = Path(__file__).resolve().parents[1]
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(repo / "newslint", folder / "newslint",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(repo / "rules", folder / "rules")
    return {**os.environ, "PYTHONPATH": str(folder)}


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.1):
            peak[0] = max(peak[0], tree_rss(proc.pid))
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    stop.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,  # with its workers
            "maxrss": usage.ru_maxrss * 1024, "tree_peak": peak[0]}


# -- precision and recall ---------------------------------------------------------------------
def predicted_pairs(results: Path) -> dict[tuple[str, str], float]:
    out = {}
    for f in json.loads(results.read_text())["findings"]:
        if f["code"] != "NL601":
            continue
        own = os.path.normpath(f.get("article") or f["path"])
        for d in f["data"]["duplicates"]:
            key = tuple(sorted((own, os.path.normpath(d["id"]))))
            out[key] = d["similarity"]
    return out


def quality(root: Path, truth: dict, predicted: dict, threshold: float) -> dict[str, float]:
    planted = {tuple(sorted((p["a"], p["b"]))): p["jaccard"] for p in truth["pairs"]}
    true_j = {pair: planted.get(pair) for pair in predicted}
    for pair, j in true_j.items():  # a pair nobody planted: measure it
        if j is None:
            true_j[pair] = gen_corpus.jaccard(body_of(root, pair[0]), body_of(root, pair[1]))
    correct = sum(1 for pair in predicted if true_j[pair] >= threshold)
    high = [pair for pair, j in planted.items() if j >= threshold + 0.05]
    at = [pair for pair, j in planted.items() if j >= threshold]
    below = [pair for pair, j in planted.items() if j < threshold]
    return {"predicted": len(predicted), "precision": correct / len(predicted) if predicted else 1.0,
            "recall_high": sum(p in predicted for p in high) / len(high), "n_high": len(high),
            "recall_at": sum(p in predicted for p in at) / len(at), "n_at": len(at),
            "below_reported": sum(p in predicted for p in below), "n_below": len(below),
            "max_error": max((abs(predicted[p] - true_j[p]) for p in predicted), default=0.0)}


# -- the run ------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark near-duplicate detection.")
    parser.add_argument("--n", type=int, default=10000, help="articles in the corpus")
    parser.add_argument("--out", type=Path, help="corpus folder (default /tmp/newslint-bench-N)")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--sample", type=int, default=2000, help="texts for the signature speed")
    parser.add_argument("--signatures-only", action="store_true",
                        help="only the text -> signature rows (ours, datasketch, rensa)")
    args = parser.parse_args()
    root = (args.out or Path(f"/tmp/newslint-bench-{args.n}")).resolve()
    if not (root / "truth.json").exists():
        start = time.perf_counter()
        gen_corpus.generate(root, args.n)
        print(f"generated {args.n} articles in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    truth = json.loads((root / "truth.json").read_text())
    rows = run_all(root, truth, args)
    print(f"\n### near-duplicate benchmark: {truth['n']:,} articles, {len(truth['pairs'])} planted "
          f"pairs, threshold {args.threshold}, {os.cpu_count()} cores\n")
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


WARM_RUNS = 5       # warm runs timed; the median is reported
TARGET_WARM = 10    # a warm rerun at least this many times faster than the cold run


def run_all(root: Path, truth: dict, args) -> list[tuple[str, str]]:
    ids = sorted({p["a"] for p in truth["pairs"]} | {p["b"] for p in truth["pairs"]})
    files = sorted(str(p.relative_to(root)) for p in (root / "articles").rglob("*.txt"))
    texts = [body_of(root, i) for i in (files + ids)[:args.sample]]
    sig_rows = signature_rows(texts)
    if args.signatures_only:
        return sig_rows
    sigs = np.stack([signature(shingle(t).hashes) for t in texts])
    lsh = lsh_speed(sigs, args.threshold)
    cache = root.parent / f"{root.name}-cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = code_snapshot(root.parent / f"{root.name}-code")
    check = [sys.executable, "-m", "newslint", "check", ".", "--select", "near-duplicate",
             "--format", "json", "--no-progress", "--cache-dir", str(cache)]
    options = ["--config", str(write_config(root, args.threshold))]
    cold = timed(check + options + ["-o", str(root.parent / f"{root.name}-cold.json")], root, env)
    warm_cmd = check + options + ["-o", str(root.parent / f"{root.name}-warm.json")]
    warm = sorted((timed(warm_cmd, root, env) for _ in range(WARM_RUNS)),
                  key=lambda r: r["seconds"])[WARM_RUNS // 2]
    size = sum(p.stat().st_size for p in cache.glob("cache.sqlite*"))
    pre = precommit(root, check + options, truth, env)
    q = quality(root, truth, predicted_pairs(root.parent / f"{root.name}-cold.json"), args.threshold)
    mb = 1024 * 1024
    return sig_rows + [
        (f"LSH over {len(sigs):,} signatures (b={lsh['bands']}, r={lsh['rows']}), numpy banding",
         f"{lsh['ours'] * 1000:,.0f} ms ({lsh['pairs']:,} candidate pairs)"),
        ("same, datasketch MinHashLSH insert + query", f"{lsh['datasketch'] * 1000:,.0f} ms "
         f"({lsh['datasketch'] / lsh['ours']:.0f}x slower, same pairs)"),
        ("check --select near-duplicate, cold", f"{cold['seconds']:.1f} s wall, {cold['cpu']:.1f} s "
         f"CPU ({truth['n'] / cold['seconds']:,.0f} articles/s)"),
        ("peak memory, cold (largest process / whole tree)",
         f"{cold['maxrss'] / mb:,.0f} MB / {cold['tree_peak'] / mb:,.0f} MB"),
        (f"warm rerun, corpus unchanged (median of {WARM_RUNS})",
         f"{warm['seconds']:.2f} s wall, {warm['cpu']:.2f} s CPU "
         f"({cold['seconds'] / warm['seconds']:.1f}x less wall time, "
         f"{cold['cpu'] / warm['cpu']:.1f}x less CPU than cold; target >= {TARGET_WARM}x: "
         f"{'met' if cold['seconds'] / warm['seconds'] >= TARGET_WARM else 'NOT met'})"),
        ("peak memory, warm (process tree, sampled every 0.1 s)", f"{warm['tree_peak'] / mb:,.0f} MB"),
        ("cache on disk", f"{size / mb:,.1f} MB ({size / truth['n']:,.0f} bytes/article)"),
        ("pre-commit: 2 new files vs the corpus (warm cache)",
         f"{pre['seconds']:.2f} s wall, {pre['cpu']:.2f} s CPU, {pre['findings']} finding(s), "
         f"expected {pre['expected']}"),
        ("precision (reported pairs with true J >= threshold)",
         f"{q['precision']:.4f} ({q['predicted']} pairs reported)"),
        (f"recall, planted pairs with J >= {args.threshold + 0.05:.2f}",
         f"{q['recall_high']:.4f} (of {q['n_high']})"),
        (f"recall, planted pairs with J >= {args.threshold:.2f}", f"{q['recall_at']:.4f} (of {q['n_at']})"),
        (f"planted pairs below {args.threshold} reported", f"{q['below_reported']} (of {q['n_below']})"),
        ("largest difference between reported and true Jaccard", f"{q['max_error']:.4f}"),
    ]


def write_config(root: Path, threshold: float) -> Path:
    path = root.parent / f"{root.name}.toml"
    path.write_text(f'[rules.near-duplicate]\nthreshold = {threshold}\n')
    return path


def precommit(root: Path, check: list[str], truth: dict, env: dict[str, str]) -> dict:
    """Two new files inside the corpus: a syndicated copy of a corpus article
    and a new article; checked against the whole corpus (`--corpus .`)."""
    new = root / "new"
    new.mkdir(exist_ok=True)
    source = next(p["a"] for p in truth["pairs"] if p["a"].endswith(".txt"))
    (new / "copy.txt").write_text("Copied\n\nSubscribe to our newsletter\n\n"
                                  + body_of(root, source) + "\n", encoding="utf-8")
    gen = gen_corpus.Generator(seed=99)
    title, paras = gen.article(gen.topics[0])
    (new / "fresh.txt").write_text(title + "\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    out = root.parent / f"{root.name}-pre.json"
    cmd = [c for c in check if c != "."] + ["new/copy.txt", "new/fresh.txt", "--corpus", ".",
                                            "-o", str(out)]
    result = timed(cmd, root, env)
    findings = [f for f in json.loads(out.read_text())["findings"] if f["code"] == "NL601"]
    for path in new.iterdir():
        path.unlink()
    new.rmdir()
    return {"seconds": result["seconds"], "cpu": result["cpu"], "findings": len(findings),
            "expected": 1}


if __name__ == "__main__":
    main()
