"""`newslint index stats|list|show|remove|clear|export|import` on a folder
index and on Redis (a real server)."""
import json
import random

import pytest
from redis_server import redis_server, redis_url  # noqa: F401 (fixtures)
from test_api import edited, random_text

from newslint.cli.main import main
from newslint.dedup.index import NearDupIndex
from newslint.dedup.minhash import signature
from newslint.dedup.shingles import shingle


@pytest.fixture(params=["folder", "redis"])
def spec(request, tmp_path):
    return str(tmp_path / "idx") if request.param == "folder" else request.getfixturevalue("redis_url")


def fill(spec) -> None:
    rng = random.Random(5)
    a = random_text(rng, 150)
    with NearDupIndex.open(spec) as index:
        index.check_in("https://example.org/a", signature(shingle(a).hashes), now=1_700_000_000)
        index.check_in("https://example.org/b", signature(shingle(random_text(rng, 150)).hashes),
                       now=1_700_000_100)
        index.check_in("https://example.org/copy", signature(shingle(edited(a, rng, 3)).hashes),
                       now=1_700_000_200)


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(["index", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_list_show(spec, capsys):
    fill(spec)
    code, out, _ = cli(capsys, "stats", "--index", spec)
    assert code == 0 and "articles: 3 (2 originals, 1 recorded as near-duplicates" in out
    assert "num_perm=128, threshold=0.5, LSH 26 bands x 3 rows" in out
    code, out, _ = cli(capsys, "list", "--index", spec)
    assert out.splitlines() == [
        "2023-11-14T22:13:20Z  https://example.org/a  original",
        "2023-11-14T22:15:00Z  https://example.org/b  original",
        "2023-11-14T22:16:40Z  https://example.org/copy  duplicate of https://example.org/a"]
    code, out, _ = cli(capsys, "list", "--index", spec, "--format", "jsonl")
    assert [json.loads(line)["cluster"] for line in out.splitlines()] == [
        "https://example.org/a", "https://example.org/b", "https://example.org/a"]
    code, out, _ = cli(capsys, "show", "https://example.org/a", "--index", spec)
    lines = out.splitlines()
    assert code == 0 and lines[2:4] == ["  original", "  near-duplicates (estimated similarity): 1"]
    assert lines[4].endswith("https://example.org/copy  (recorded as a duplicate of this one)")
    code, out, err = cli(capsys, "show", "https://example.org/none", "--index", spec)
    assert code == 1 and "no article https://example.org/none" in err


def test_remove_and_clear(spec, capsys):
    fill(spec)
    code, out, _ = cli(capsys, "remove", "https://example.org/b", "https://example.org/none",
                       "--index", spec)
    assert code == 1 and out.startswith("removed 1 of 2 ids")
    with NearDupIndex.open(spec) as index:
        assert sorted(e.key for e in index.entries()) == ["https://example.org/a",
                                                          "https://example.org/copy"]
    code, _, err = cli(capsys, "clear", "--index", spec)
    assert code == 2 and "add --yes" in err
    code, out, _ = cli(capsys, "clear", "--index", spec, "--yes")
    assert code == 0 and "cleared 2 entries" in out
    with NearDupIndex.open(spec, threshold=0.9) as index:   # emptied: new settings are welcome
        assert len(index) == 0


def test_export_then_import_into_the_other_backend(tmp_path, redis_url, capsys):
    folder = str(tmp_path / "idx")
    fill(folder)
    assert main(["index", "export", "--index", folder, "-o", str(tmp_path / "x.jsonl")]) == 0
    lines = (tmp_path / "x.jsonl").read_text().splitlines()
    assert json.loads(lines[0]) == {"newslint-index": 1, "num_perm": 128, "bands": 26,
                                    "rows": 3, "threshold": 0.5}
    assert len(lines) == 4 and "pickle" not in lines[1]
    capsys.readouterr()
    code, out, _ = cli(capsys, "import", str(tmp_path / "x.jsonl"), "--index", redis_url)
    assert code == 0 and "imported 3 entries; 0 lines with errors" in out
    with NearDupIndex.open(folder) as a, NearDupIndex.open(redis_url) as b:
        left = sorted((e.key, e.first_seen, e.of, e.signature.tobytes()) for e in a.entries())
        right = sorted((e.key, e.first_seen, e.of, e.signature.tobytes()) for e in b.entries())
        assert left == right
        copy = a.get("https://example.org/copy").signature
        assert b.query(copy) == a.query(copy)


def test_import_reports_bad_lines_and_keeps_the_good_ones(tmp_path, capsys):
    good = NearDupIndex.open(None)
    sig = signature(shingle(random_text(random.Random(1), 100)).hashes)
    from newslint.dedup.transfer import entry_line
    from newslint.dedup.entries import Entry
    lines = ['{"newslint-index": 1, "num_perm": 128, "threshold": 0.5}',
             entry_line(Entry("ok", sig, 5.0)), "not json", '{"id": "x", "first_seen": 1, '
             '"of": [], "signature": "AAAA"}', '{"id": 3}']
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    code, out, err = cli(capsys, "import", str(tmp_path / "in.jsonl"), "--index", str(tmp_path / "i"))
    assert code == 1 and "imported 1 entries; 3 lines with errors" in out
    assert "in.jsonl:3: invalid JSON" in err and "in.jsonl:4: signature must be base64" in err
    assert "in.jsonl:5: id must be" in err and "Traceback" not in err
    (tmp_path / "pickled.jsonl").write_bytes(b"\x80\x04\x95 not an export")
    code, _, err = cli(capsys, "import", str(tmp_path / "pickled.jsonl"), "--index", str(tmp_path / "i"))
    assert code in (1, 2) and "Traceback" not in err
    good.close()


def test_ids_are_escaped_and_missing_indexes_are_clear_errors(tmp_path, capsys):
    sig = signature(shingle(random_text(random.Random(2), 100)).hashes)
    with NearDupIndex.open(str(tmp_path / "idx")) as index:
        index.check_in("evil\x1b[31m\nid\u202e", sig)
    code, out, _ = cli(capsys, "list", "--index", str(tmp_path / "idx"))
    assert "evil\\x1b[31m\\x0aid\\u202e  original" in out and "\x1b" not in out
    code, _, err = cli(capsys, "stats", "--index", str(tmp_path / "nowhere"))
    assert code == 2 and "no near-duplicate index in" in err
    code, _, err = cli(capsys, "show", "--index", str(tmp_path / "idx"))
    assert code == 2 and "needs ids" in err
