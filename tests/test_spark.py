"""The Spark mode (`newslint.integrations.spark`, `newslint spark`) on a real
local Spark (local[2]): the same findings and clusters as the single-machine
command line on the same articles, exactly. One SparkSession for the whole
test session (starting one takes seconds), configured for small inputs (TEST_CONF)."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from newslint.cli.main import main

pyspark = pytest.importorskip("pyspark", reason="the Spark tests need the extra newslint[spark]")

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 1000   # generated articles: planted near-copies at Jaccard 0.3 ... 1.0


#: A small local Spark for tests of a few thousand rows, where Spark's fixed cost per job is
#: most of the time: two shuffle partitions; no web UI; adaptive execution off (it runs every
#: shuffle stage of a query as a job of its own: the connected-components rounds made ten times
#: the jobs); no whole-stage code generation (each query is new and run once: compiling its Java
#: costs more than it saves; 16% of the CPU); the JVM's quick compiler only (C2 spends more CPU
#: compiling than a short run gets back) and its serial collector (two cores).
TEST_CONF = {"spark.sql.shuffle.partitions": "2",
             "spark.ui.enabled": "false",
             "spark.sql.adaptive.enabled": "false",
             "spark.sql.codegen.wholeStage": "false",
             "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"}


@pytest.fixture(scope="session")
def spark():
    from newslint.integrations.spark.session import session
    spark = session("local[2]", TEST_CONF)
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated corpus of JSON Lines records (bench/gen_corpus.py)."""
    spec = importlib.util.spec_from_file_location("gen_corpus", ROOT / "bench" / "gen_corpus.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    out = tmp_path_factory.mktemp("generated") / "corpus"
    gen.generate(out, ARTICLES, seed=24, jsonl=1.0, md=0.0)
    return out


@pytest.fixture(scope="module")
def frame(spark, generated):
    """The generated records as one DataFrame, made once for the tests that read it."""
    return record_frame(spark, generated)


def cli_json(capsys, monkeypatch, folder: Path, *argv: str) -> dict:
    monkeypatch.chdir(folder.parent)
    capsys.readouterr()
    main([*argv[:1], folder.name, *argv[1:], "--format", "json", "--no-cache"])
    return json.loads(capsys.readouterr().out)


def record_frame(spark, folder: Path):
    """The records of the JSON Lines files as a DataFrame of articles, with
    their file and line (so ids are those of `newslint check`)."""
    rows = []
    for path in sorted(folder.rglob("*.jsonl")):
        rel = path.relative_to(folder.parent).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            if line.strip():
                record = json.loads(line)
                rows.append((f"{rel}:{number}", rel, number, record["title"], record["text"]))
    return spark.createDataFrame(rows, "id string, file string, line long, headline string, "
                                       "body string")


def canonical(findings: list[dict]) -> list[str]:
    return sorted(json.dumps(f, sort_keys=True, ensure_ascii=False) for f in findings)


def spark_findings(frame) -> list[dict]:
    from newslint.integrations.spark.worker import row_to_dict
    return [row_to_dict(row.asDict()) for row in frame.collect()]


def test_lint_gives_the_findings_of_newslint_check(frame, generated, capsys, monkeypatch):
    from newslint.integrations.spark import lint
    expected = cli_json(capsys, monkeypatch, generated, "check")["findings"]
    found = spark_findings(lint(frame, text="body", title="headline", path="file", line="line"))
    assert {f["code"] for f in expected} >= {"NL601", "NL301", "NL401"}
    assert sum(f["code"] == "NL601" for f in expected) > 50
    assert canonical(found) == canonical(expected)


def test_dedup_gives_the_clusters_of_newslint_dedup(frame, generated, capsys, monkeypatch):
    from newslint.integrations.spark import dedup
    expected = cli_json(capsys, monkeypatch, generated, "dedup", "--keep", "best")
    rows = [r.asDict() for r in dedup(frame, keep="best", text="body", title="headline",
                                      path="file", line="line").collect()]
    assert len(rows) == frame.count()
    clusters: dict[str, set] = {}
    for row in rows:
        if row["cluster"] is not None:
            clusters.setdefault(row["cluster"], set()).add(row["id"])
    assert sorted(map(sorted, clusters.values())) == \
        sorted(sorted(m["id"] for m in c["members"]) for c in expected["clusters"])
    dropped = {r["id"]: r["duplicate_of"] for r in rows if r["drop"]}
    assert dropped == {d: c["keep"] for c in expected["clusters"] for d in c["drop"]}
    pairs = {(p["a"], p["b"]): p["similarity"] for c in expected["clusters"] for p in c["pairs"]}
    for row in rows:
        key = tuple(sorted((row["id"], row["duplicate_of"] or "")))
        if key in pairs:
            assert round(row["similarity"], 4) == pairs[key]
    assert all((r["cluster"] is None) == (r["similarity"] is None) for r in rows)


def test_spark_command_on_the_sample_corpus(spark, tmp_path, capsys, monkeypatch):
    """`newslint spark check` reads every format through newslint's loaders
    (txt, md, html, json, jsonl) with the corpus's newslint.toml: the findings
    of `newslint check corpus/`, byte for byte."""
    monkeypatch.chdir(ROOT)
    main(["check", "corpus", "--format", "json", "--no-cache"])
    expected = json.loads(capsys.readouterr().out)
    out = tmp_path / "findings.parquet"
    code = main(["spark", "check", "corpus", str(out), "--master", "local[2]"])
    captured = capsys.readouterr()
    assert code == 1
    assert f"Checked {expected['summary']['articles']} articles: " \
           f"{len(expected['findings'])} findings" in captured.out
    found = spark_findings(spark.read.parquet(str(out)))
    assert canonical(found) == canonical(expected["findings"])
    assert main(["spark", "check", "corpus", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_spark_dedup_command(spark, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    main(["dedup", "corpus/near-duplicates", "--format", "json", "--no-cache"])
    expected = json.loads(capsys.readouterr().out)["clusters"]
    out = tmp_path / "dedup.parquet"
    assert main(["spark", "dedup", "corpus/near-duplicates", str(out), "--keep", "first"]) == 1
    assert "1 cluster, 3 articles in them, 2 to drop (of 4 articles checked)" \
        in capsys.readouterr().out
    rows = {r.id: r for r in spark.read.parquet(str(out)).collect()}
    assert len(rows) == 4
    for cluster in expected:
        for member in cluster["members"]:
            row = rows[member["id"]]
            assert row.drop == (not member["keep"])
            assert row.duplicate_of == (None if member["keep"] else cluster["keep"])


def test_connected_components_large_star_small_star(spark):
    from newslint.integrations.spark.components import components
    edges = [(1, 2), (2, 3), (3, 4), (4, 5), (10, 11), (12, 11), (20, 21), (21, 22), (22, 20),
             (7, 30), (30, 8)]
    frame = spark.createDataFrame(edges, "u long, v long")
    roots = {r.node: r.root for r in components(frame).collect()}
    assert roots == {**{n: 1 for n in (1, 2, 3, 4, 5)}, **{n: 10 for n in (10, 11, 12)},
                     **{n: 20 for n in (20, 21, 22)}, **{n: 7 for n in (7, 8, 30)}}


def test_missing_pyspark_says_how_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "newslint.integrations.spark.commands", None)
    assert main(["spark", "check", "corpus", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "pip install 'newslint[spark]'" in err and "Traceback" not in err
