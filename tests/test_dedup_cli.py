"""`newslint dedup`: clusters, --keep, --drop-list, JSON, exit codes."""
import json

import pytest

from newslint.cli.main import main
from tests.dedup.test_dedup import text_of, words, write


def run(capsys, *argv):
    code = main(["dedup", "--no-progress", "--no-cache", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """Cluster 1: a, b (a plus a subscribe prompt and a paragraph: longest, one
    warning), c (exact copy of a). Cluster 2: e, f (exact copy). d alone."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "newslint.toml", 'select = ["boilerplate-subscribe-prompt"]\n')
    base, other = text_of(words(1, 150)), text_of(words(2, 150))
    write(tmp_path / "in" / "a.txt", f"A\n\n{base}\n")
    write(tmp_path / "in" / "b.txt", f"B\n\n{base}\n\nSubscribe to our newsletter\n\n"
          f"{text_of(words(3, 40))}\n")
    write(tmp_path / "in" / "c.txt", f"C\n\n{base}\n")
    write(tmp_path / "in" / "d.txt", f"D\n\n{text_of(words(4, 150))}\n")
    write(tmp_path / "in" / "e.txt", f"E\n\n{other}\n")
    write(tmp_path / "in" / "f.txt", f"F\n\n{other}\n")
    return tmp_path


@pytest.mark.parametrize("keep, dropped", [("first", ["b", "c", "f"]),
                                           ("longest", ["a", "c", "f"]),
                                           ("best", ["b", "c", "f"])])
def test_keep_and_drop_list(folder, capsys, keep, dropped):
    code, out, _ = run(capsys, "in", "--keep", keep, "--drop-list", "drop.txt")
    assert code == 1
    assert (folder / "drop.txt").read_text() == "".join(f"in/{n}.txt\n" for n in dropped)
    assert "2 clusters, 5 articles in them, 3 to drop (of 6 articles checked)." in out


def test_best_prefers_fewer_warnings_over_length(folder, capsys):
    code, out, _ = run(capsys, "in", "--keep", "best", "--format", "json")
    report = json.loads(out)
    assert code == 1
    first = report["clusters"][0]
    by_id = {m["id"]: m for m in first["members"]}
    assert by_id["in/b.txt"]["findings"] == 1 and by_id["in/b.txt"]["length"] > by_id["in/a.txt"]["length"]
    assert first["keep"] == "in/a.txt" and first["drop"] == ["in/b.txt", "in/c.txt"]


def test_text_report_lists_members_and_similarities(folder, capsys):
    code, out, _ = run(capsys, "in")
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == "Cluster 1 (3 articles)"
    assert lines[1].startswith("  keep  in/a.txt  (") and lines[2].startswith("  drop  in/b.txt  (")
    assert "    in/a.txt ~ in/c.txt: exact copy" in lines
    assert any(line.startswith("    in/a.txt ~ in/b.txt: 0.") for line in lines)


def test_json_report(folder, capsys):
    code, out, _ = run(capsys, "in", "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["summary"] == {"articles": 6, "clusters": 2, "in_clusters": 5,
                                               "drop": 3}
    pairs = {(p["a"], p["b"]): p for p in report["clusters"][0]["pairs"]}
    assert set(pairs) == {("in/a.txt", "in/b.txt"), ("in/a.txt", "in/c.txt"),
                          ("in/b.txt", "in/c.txt")}
    assert pairs[("in/a.txt", "in/c.txt")]["exact"] is True
    assert 0.5 <= pairs[("in/a.txt", "in/b.txt")]["similarity"] < 1
    assert [m["id"] for m in report["clusters"][1]["members"]] == ["in/e.txt", "in/f.txt"]


def test_no_cluster_exits_zero(folder, capsys):
    code, out, _ = run(capsys, "in/a.txt", "in/d.txt", "in/e.txt", "--drop-list", "drop.txt")
    assert code == 0 and out.startswith("0 clusters")
    assert (folder / "drop.txt").read_text() == ""


def test_threshold_option(folder, capsys):
    code, out, _ = run(capsys, "in", "--threshold", "1.0", "--format", "json")
    assert code == 1
    assert [c["drop"] for c in json.loads(out)["clusters"]] == [["in/c.txt"], ["in/f.txt"]]


@pytest.mark.parametrize("argv", [["in", "--threshold", "1.5"], ["in", "--threshold", "0"],
                                  ["in", "--drop-list", "missing/dir/drop.txt"]])
def test_usage_errors_exit_two(folder, capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.startswith("newslint: error: ")


def test_unknown_keep_is_a_usage_error(folder, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["dedup", "in", "--keep", "shortest"])
    assert exc.value.code == 2


def test_unreadable_input_is_reported(folder, capsys):
    code, _, err = run(capsys, "in/a.txt", "in/nope.txt")
    assert code == 1 and "in/nope.txt: no such file or directory" in err
