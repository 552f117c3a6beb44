"""A progress line on stderr for long runs: only when stderr is a terminal, so
it never mixes into redirected or machine-readable output.

    checked 12,400 of 100,000 files (2,480/s, 35 s left)

It appears after `delay` seconds (a quick run shows nothing), is redrawn at
most every `every` seconds, and is erased when the run ends.
"""
from __future__ import annotations

import sys
import time

#: seconds before the line first appears, and between redraws
DELAY, EVERY = 1.0, 0.2


class Progress:
    def __init__(self, enabled: bool = True, stream=None, every: float | None = None,
                 delay: float | None = None):
        self.stream = stream or sys.stderr
        self.enabled = enabled and _is_terminal(self.stream)
        self.count = 0
        self.total = 0
        self.started = time.monotonic()
        self.every = EVERY if every is None else every
        self.next_draw = self.started + (DELAY if delay is None else delay)
        self.drawn = 0  # width of the line on screen

    def expect(self, files: int) -> None:
        """`files` more files are coming (called as they are found)."""
        self.total += files

    def advance(self, n: int = 1) -> None:
        self.count += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now >= self.next_draw:
            self.next_draw = now + self.every
            self._draw(self.line(now))

    __call__ = advance

    def line(self, now: float) -> str:
        rate = self.count / max(now - self.started, 1e-9)
        if self.total > self.count:
            left = (self.total - self.count) / rate if rate else 0.0
            return (f"checked {self.count:,} of {self.total:,} files "
                    f"({rate:,.0f}/s, {_duration(left)} left)")
        return f"checked {self.count:,} files ({rate:,.0f}/s)"

    def _draw(self, text: str) -> None:
        pad = " " * max(0, self.drawn - len(text))
        self.stream.write(f"\r{text}{pad}")
        self.stream.flush()
        self.drawn = len(text)

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * self.drawn + "\r")
            self.stream.flush()
            self.drawn = 0


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # no isatty, or a closed stream
        return False


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    return f"{minutes // 60} h {minutes % 60:02d} min"
