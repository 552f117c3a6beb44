"""The near-duplicate index on a real Redis server: shared between Linters and
processes, atomic under concurrency, loud when Redis goes away, and in
agreement with the SQLite file index."""
import json
import random
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from redis_server import RedisServer, free_port, redis_server, redis_url  # noqa: F401 (fixtures)
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler
from test_api import CLEAN, edited, planted_corpus, random_text

from newslint import Linter
from newslint.config import ConfigError
from newslint.dedup.index import NearDupIndex
from newslint.dedup.minhash import signature
from newslint.dedup.redis_index import IndexUnavailable
from newslint.dedup.shingles import shingle
from newslint.integrations.scrapy import NewslintPipeline

TESTS = Path(__file__).resolve().parent


def test_linters_sharing_redis_see_each_others_articles(redis_url):
    first = Linter(select=["NL601"], index=redis_url)
    second = Linter(select=["NL601"], index=redis_url)
    assert first.check(CLEAN).duplicates == []
    result = second.check({**CLEAN, "url": "https://example.org/elsewhere"})
    assert [d for d, _ in result.duplicates] == ["https://example.org/buses"]
    assert "near-duplicate of https://example.org/buses" in result.findings[0].message


def test_prefixes_keep_indexes_apart_and_settings_are_checked(redis_url):
    Linter(select=["NL601"], index=redis_url + "?prefix=one").check(CLEAN)
    other = Linter(select=["NL601"], index=redis_url + "?prefix=two")
    assert other.check({**CLEAN, "url": "https://example.org/x"}).duplicates == []
    with pytest.raises(IndexUnavailable, match="was built with other settings"):
        Linter(select=["NL601"], index=redis_url + "?prefix=one",
               options={"NL601": {"threshold": 0.9}})


def test_reinserting_a_key_leaves_its_old_buckets(redis_url):
    index = NearDupIndex.open(redis_url)
    rng = random.Random(5)
    old, new = (signature(shingle(random_text(rng)).hashes) for _ in range(2))
    index.check_in("a", old)
    index.check_in("a", new)
    assert index.query(old) == [] and index.query(new) == ["a"] and len(index) == 1
    assert np.array_equal(index.get("a").signature, new) and index.get("missing") is None


WORKER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from test_api import planted_corpus
    from newslint import Linter
    from newslint.dedup.minhash import decode
    url, which, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    items, pairs = planted_corpus(seed=11, originals={originals})
    linter = Linter(select=["NL601"], index=url)
    while not go.exists():
        time.sleep(0.005)
    found = {{r.id: [d for d, _ in r.duplicates] for r in map(linter.check, items[which::2])}}
    index = linter.index.store
    deadline = time.monotonic() + 30
    while len(index) < len(items) and time.monotonic() < deadline:
        time.sleep(0.01)
    seen = 0
    for item in items:
        article = linter.article(item)
        summary = decode(linter.index.rule.summarize(article, linter.index.options))
        seen += article.id in index.query(summary.signature)
    print(json.dumps({{"found": found, "seen": seen}}))
""")


def test_two_processes_inserting_at_once_both_see_every_article(redis_url, tmp_path):
    originals = 60
    script = tmp_path / "worker.py"
    script.write_text(WORKER.format(tests=str(TESTS), originals=originals))
    go = tmp_path / "go"
    workers = [subprocess.Popen([sys.executable, str(script), redis_url, str(which), str(go)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for which in (0, 1)]   # 0 inserts the originals, 1 their copies
    time.sleep(1.5)  # both have imported newslint and opened the index
    go.touch()
    outputs = [w.communicate(timeout=120) for w in workers]
    for worker, (out, err) in zip(workers, outputs):
        assert worker.returncode == 0, err[-2000:]
    reports = [json.loads(out) for out, _ in outputs]
    assert [r["seen"] for r in reports] == [2 * originals, 2 * originals]
    found = {**reports[0]["found"], **reports[1]["found"]}
    _, pairs = planted_corpus(seed=11, originals=originals)
    for original, copy in pairs:   # whichever came second names the first, exactly once
        assert sorted([found[original], found[copy]]) in ([[], [copy]], [[], [original]])
    assert len(NearDupIndex.open(redis_url)) == 2 * originals


def test_redis_going_away_is_a_clear_error_not_a_silent_loss(tmp_path):
    server = RedisServer(tmp_path / "redis").start()
    try:
        linter = Linter(select=["NL601"], index=server.url)
        linter.check(CLEAN)
    finally:
        server.stop()
    with pytest.raises(IndexUnavailable, match=re.escape(server.url)) as failure:
        linter.check({**CLEAN, "url": "https://example.org/after"})
    assert isinstance(failure.value, ConfigError) and "Connection refused" in str(failure.value)


def test_scrapy_pipelines_share_the_redis_index(redis_url, tmp_path):
    pipelines = [NewslintPipeline.from_crawler(get_crawler(settings_dict={
        "NEWSLINT_INDEX": redis_url, "NEWSLINT_SELECT": "NL601", "NEWSLINT_DROP_ON": "duplicate"}))
        for _ in range(2)]
    assert pipelines[0].process_item(dict(CLEAN))["newslint"]["duplicates"] == []
    with pytest.raises(DropItem, match="near-duplicate of https://example.org/buses"):
        pipelines[1].process_item({**CLEAN, "url": "https://example.org/mirror"})
    server = RedisServer(tmp_path / "redis").start()
    crawler = get_crawler(settings_dict={"NEWSLINT_INDEX": server.url, "NEWSLINT_SELECT": "NL601"})
    pipeline = NewslintPipeline.from_crawler(crawler)
    server.stop()
    with pytest.raises(IndexUnavailable, match=re.escape(server.url)):
        pipeline.process_item(dict(CLEAN))
    assert crawler.stats.get_value("newslint/index_errors") == 1


def test_unreachable_redis_stops_the_pipeline_at_start_without_the_password():
    url = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    with pytest.raises(IndexUnavailable) as failure:
        NewslintPipeline.from_crawler(get_crawler(settings_dict={"NEWSLINT_INDEX": url}))
    message = str(failure.value)
    assert "redis://:***@127.0.0.1" in message and "hunter2" not in message


def test_redis_and_file_index_give_the_same_matches(redis_url, tmp_path):
    rng = random.Random(3)
    items = []
    for n in range(40):
        text = random_text(rng)
        items.append({"id": f"orig-{n}", "text": text})
        for k in range(n % 4):  # 0 to 3 copies, from close to far (1 to 9 words changed)
            items.append({"id": f"copy-{n}-{k}", "text": edited(text, rng, changes=1 + 4 * k)})
    rng.shuffle(items)
    on_redis = Linter(select=["NL601"], index=redis_url)
    on_file = Linter(select=["NL601"], index=tmp_path / "index")
    redis_results = [(r.id, r.duplicates) for r in on_redis.check_many(items)]
    file_results = [(r.id, r.duplicates) for r in on_file.check_many(items)]
    assert redis_results == file_results
    assert sum(bool(d) for _, d in redis_results) >= 40  # the copies were found
    signatures = [signature(shingle(item["text"]).hashes) for item in items]
    assert [on_redis.index.store.query(s) for s in signatures] == \
        [on_file.index.store.query(s) for s in signatures]


def test_insert_and_query_is_atomic_on_the_server(redis_url):
    """Eight clients store the same 40 texts under their own keys at once: for
    each text exactly one client (the first) may see no earlier copy."""
    from concurrent.futures import ThreadPoolExecutor
    rng = random.Random(9)
    signatures = [signature(shingle(random_text(rng)).hashes) for _ in range(40)]
    clients = [NearDupIndex.open(redis_url) for _ in range(8)]

    def store(client_number):
        client = clients[client_number]
        return [client.check_in(f"c{client_number}-t{n}", s) for n, s in enumerate(signatures)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        seen = list(pool.map(store, range(8)))
    for n in range(40):
        assert sum(not per_client[n] for per_client in seen) == 1
    assert len(clients[0]) == 8 * 40
