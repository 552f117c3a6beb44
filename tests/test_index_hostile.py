"""Hostile or mismatched index contents (issue 26, lines 11, 13, 14): an index
is never emptied by a settings change, values planted under newslint's Redis
keys are skipped with a notice naming them (never a traceback, never a silent
miss), and id-less items of two Linters never share a key."""
import pytest
import redis
from redis_server import redis_server, redis_url  # noqa: F401 (fixtures)
from test_api import CLEAN

from newslint import Linter
from newslint.cli.main import main
from newslint.dedup.index import NearDupIndex
from newslint.dedup.redis_index import IndexUnavailable

COPY = {**CLEAN, "url": "https://example.org/copy",
        "text": CLEAN["text"].replace("Tuesday", "Monday")}


def test_sqlite_index_with_other_settings_is_an_error_not_emptied(tmp_path, capsys):
    with Linter(select=["NL601"], index=tmp_path / "idx") as linter:
        linter.check(CLEAN)
    with pytest.raises(IndexUnavailable, match=r"built with other settings.*newslint index clear"):
        Linter(select=["NL601"], index=tmp_path / "idx", options={"NL601": {"threshold": 0.8}})
    (tmp_path / "a.txt").write_text("A\n\n" + CLEAN["text"] + "\n")
    code = main(["check", str(tmp_path / "a.txt"), "--index", str(tmp_path / "idx"),
                 "--select", "NL601", "--no-cache", "--config", str(_config(tmp_path, 0.8))])
    err = capsys.readouterr().err
    assert code == 2 and "newslint index clear --yes --index" in err and "Traceback" not in err
    with NearDupIndex.open(tmp_path / "idx") as index:
        assert [e.key for e in index.entries()] == ["https://example.org/buses"]  # kept


def _config(tmp_path, threshold):
    path = tmp_path / "newslint.toml"
    path.write_text(f"[rules.NL601]\nthreshold = {threshold}\n")
    return path


@pytest.mark.parametrize("planted", [b"\x01\x02\x03\x04\x05", b"\x01\x02\x03\x04"])
def test_a_wrong_length_signature_in_redis_is_skipped_with_a_notice(redis_url, planted, caplog):
    linter = Linter(select=["NL601"], index=redis_url)
    linter.check(CLEAN)
    redis.Redis.from_url(redis_url).hset("newslint:sig", CLEAN["url"], planted)
    result = linter.check(COPY)   # no traceback
    assert result.duplicates == []
    notices = [n for n in linter.engine.notices if CLEAN["url"] in n]
    assert notices and "damaged near-duplicate index entry" in notices[0]
    assert "damaged near-duplicate index entry" in caplog.text
    with NearDupIndex.open(redis_url) as index:  # reading it back: skipped, not a crash
        assert sorted(e.key for e in index.entries()) == [COPY["url"]]


def test_a_non_utf8_bucket_member_is_skipped_and_the_real_match_still_found(redis_url):
    linter = Linter(select=["NL601"], index=redis_url)
    linter.check(CLEAN)
    server = redis.Redis.from_url(redis_url)
    stranger = b"\xff\xfe-not-utf8"
    server.hset("newslint:sig", stranger, server.hget("newslint:sig", CLEAN["url"]))
    for bucket in server.scan_iter(match="newslint:b*"):
        server.sadd(bucket, stranger)
    result = linter.check(COPY)
    assert [d for d, _ in result.duplicates] == [CLEAN["url"]]
    assert any("not UTF-8" in n for n in linter.engine.notices)
    with NearDupIndex.open(redis_url) as index:
        assert sorted(e.key for e in index.entries()) == sorted([CLEAN["url"], COPY["url"]])


def test_a_hostile_redis_index_under_check_is_a_warning_not_a_traceback(redis_url, tmp_path,
                                                                         capsys, monkeypatch):
    (tmp_path / "a.txt").write_text("A\n\n" + CLEAN["text"] + "\n")
    (tmp_path / "b.txt").write_text("B\n\n" + COPY["text"] + "\n")
    monkeypatch.chdir(tmp_path)
    main(["check", "a.txt", "--index", redis_url, "--select", "NL601", "--no-cache"])
    server = redis.Redis.from_url(redis_url)
    for key in server.hkeys("newslint:sig"):
        server.hset("newslint:sig", key, b"12345")
        server.hset("newslint:of", key, b"\xff not json")
    capsys.readouterr()
    code = main(["check", "b.txt", "--index", redis_url, "--select", "NL601", "--no-cache"])
    err = capsys.readouterr().err
    assert code == 0 and "Traceback" not in err
    assert "damaged near-duplicate index entry" in err and "a.txt" in err


def test_two_linters_started_at_once_give_id_less_items_different_keys(tmp_path):
    first = Linter(select=["NL601"], index=tmp_path / "idx")
    second = Linter(select=["NL601"], index=tmp_path / "idx")
    text = "Night buses\n\n" + CLEAN["text"]
    assert first.check(text).duplicates == []
    result = second.check(text)   # a verbatim copy from another process
    assert len(result.duplicates) == 1 and result.duplicates[0][1] == 1.0
