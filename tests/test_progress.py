"""The progress line: on a terminal only, never in redirected or machine-readable
output, with the total the runner announces, erased at the end."""
import io
import json
import os
import pty
import sys

import pytest

from newslint.cli import progress as progress_module
from newslint.cli.main import main
from newslint.config import Settings
from newslint.run.engine import Engine
from newslint.cli.progress import Progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def write_articles(folder, n):
    folder.mkdir(exist_ok=True)
    for i in range(n):
        (folder / f"a{i:03d}.txt").write_text(
            f"Story {i}\n\nThe council met on Monday, 3 March 2025, said Anna Berg of "
            f"the Daily Post. It approved plan number {i} after a long debate.\n", encoding="utf-8")


def test_nothing_is_written_when_the_stream_is_not_a_terminal():
    stream = io.StringIO()
    with Progress(stream=stream, delay=0, every=0) as bar:
        bar.expect(5)
        for _ in range(5):
            bar.advance()
    assert bar.count == 5
    assert stream.getvalue() == ""


def test_a_terminal_sees_count_total_and_rate_then_the_line_is_erased():
    stream = FakeTerminal()
    with Progress(stream=stream, delay=0, every=0) as bar:
        bar.expect(10)
        bar.advance(3)
        shown = stream.getvalue()
    assert shown.startswith("\rchecked 3 of 10 files (")
    assert "/s, " in shown and " left)" in shown
    assert stream.getvalue().endswith("\r" + " " * len(shown.strip("\r")) + "\r")


def test_a_quick_run_shows_nothing_before_the_delay():
    stream = FakeTerminal()
    with Progress(stream=stream, delay=60, every=0) as bar:
        bar.advance(100)
    assert stream.getvalue() == ""


def test_disabled_shows_nothing_even_on_a_terminal():
    stream = FakeTerminal()
    with Progress(enabled=False, stream=stream, delay=0, every=0) as bar:
        bar.advance()
    assert stream.getvalue() == ""


def test_a_closed_or_odd_stream_counts_as_no_terminal():
    closed = io.StringIO()
    closed.close()
    assert not Progress(stream=closed).enabled
    assert not Progress(stream=object()).enabled


def test_a_real_pseudo_terminal_is_detected():
    leader, follower = pty.openpty()
    try:
        with os.fdopen(follower, "w", closefd=False) as tty:
            with Progress(stream=tty, delay=0, every=0) as bar:
                bar.advance()
            assert bar.enabled
        assert b"checked 1 files" in os.read(leader, 1000)
    finally:
        os.close(leader)
        os.close(follower)


def test_the_runner_announces_targets_and_ticks_once_per_file(tmp_path):
    write_articles(tmp_path / "c", 4)
    stream = FakeTerminal()
    with Progress(stream=stream, delay=0, every=0) as bar:
        Engine(Settings(cache=False, jobs=1)).run([str(tmp_path / "c")], progress=bar)
    assert (bar.count, bar.total) == (4, 4)
    assert "checked 4 of 4 files" not in stream.getvalue()  # done: no "of" once complete
    assert "checked 1 of 4 files" in stream.getvalue()


def test_the_corpus_files_are_announced_too(tmp_path):
    write_articles(tmp_path / "c", 3)
    bar = Progress(stream=io.StringIO())
    settings = Settings(cache=False, jobs=1, corpus=[str(tmp_path / "c")])
    Engine(settings).run([str(tmp_path / "c" / "a000.txt")], progress=bar)
    assert (bar.count, bar.total) == (3, 3)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "sarif", "github", "text"])
def test_machine_readable_output_stays_clean_with_a_terminal_on_stderr(tmp_path, monkeypatch,
                                                                       capsys, fmt):
    write_articles(tmp_path / "c", 3)
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    monkeypatch.setattr(progress_module, "EVERY", 0.0)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    main(["check", str(tmp_path / "c"), "--no-cache", "--format", fmt, "-j", "1"])
    out = capsys.readouterr().out
    assert "\r" not in out and "files (" not in out
    if fmt == "json":
        json.loads(out)
    assert "\rchecked 1 of 3 files" in terminal.getvalue()


def test_no_progress_keeps_a_terminal_quiet(tmp_path, monkeypatch):
    write_articles(tmp_path / "c", 3)
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    main(["check", str(tmp_path / "c"), "--no-cache", "--no-progress", "-q", "-j", "1"])
    assert "checked" not in terminal.getvalue()


def test_durations_read_naturally():
    assert progress_module._duration(4.4) == "4 s"
    assert progress_module._duration(125) == "2 min 05 s"
    assert progress_module._duration(7260) == "2 h 01 min"
