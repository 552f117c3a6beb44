"""`newslint show`: the articles as newslint reads them, with metadata sources
and body blocks at their file lines."""
import json

import pytest

from newslint.cli.main import main

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<title>Harbour wall to be rebuilt - Harbour Gazette</title>
<meta name="author" content="Ada Brennock">
<meta property="og:site_name" content="Harbour Gazette">
<meta property="article:published_time" content="2025-11-20T08:30:00Z">
</head>
<body><article>
<h1>Harbour wall to be rebuilt</h1>
<p>The council voted on Tuesday to rebuild the harbour wall, the clerk said.</p>
<p>Work will start in the spring and take two years.</p>
</article></body></html>
"""


def show(capsys, *args):
    code = main(["show", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_gives_title_meta_sources_and_blocks(tmp_path, capsys):
    page = tmp_path / "a.html"
    page.write_text(PAGE, encoding="utf-8")
    code, out, _ = show(capsys, page, "--format", "json")
    assert code == 0
    article = json.loads(out)["articles"][0]
    assert article["path"] == str(page) and article["title"].startswith("Harbour wall")
    assert article["blocks"] == [
        {"line": 11, "end_line": 11, "text": "The council voted on Tuesday to rebuild the harbour "
                                             "wall, the clerk said."},
        {"line": 12, "end_line": 12, "text": "Work will start in the spring and take two years."}]
    meta = article["meta"]
    assert meta["authors"] == [{"value": "Ada Brennock", "source": "meta tag", "line": 5}]
    assert meta["outlet"] == {"value": "Harbour Gazette", "source": "meta tag", "line": 6}
    assert meta["date"]["value"].startswith("2025-11-20") and meta["date"]["line"] == 7
    assert meta["url"] is None


def test_text_lists_blocks_with_their_lines(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("Harbour wall\n\nBy Ada Brennock\n\nThe council voted on Tuesday.\n\n"
                    "Work starts in spring.\n", encoding="utf-8")
    code, out, _ = show(capsys, path)
    assert code == 0
    assert "  title: Harbour wall (line 1)" in out
    assert "  authors: Ada Brennock (text, line 3)" in out
    assert "      5 The council voted on Tuesday." in out and "      7 Work starts in spring." in out


def test_records_point_at_their_line(tmp_path, capsys):
    path = tmp_path / "feed.jsonl"
    rows = [{"title": f"Story {i}", "text": f"Body {i}.", "url": f"https://x.example/{i}"}
            for i in range(2)]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    code, out, _ = show(capsys, path, "--format", "json")
    articles = json.loads(out)["articles"]
    assert [a["meta"]["url"] for a in articles] == [
        {"value": f"https://x.example/{i}", "source": "record field", "line": i + 1} for i in range(2)]


def test_unreadable_input_is_one_line_and_exit_1(tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    code, out, err = show(capsys, tmp_path / "empty.txt", tmp_path / "missing.txt")
    assert code == 1 and out == ""
    assert len(err.strip().split("\n")) == 2 and "Traceback" not in err
    assert "missing.txt: error: no such file or directory" in err


def test_no_path_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["show"])
    assert exc.value.code == 2
