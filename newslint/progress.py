"""A progress bar on stderr, only when stderr is a terminal."""
from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, enabled: bool = True, stream=None, every: float = 0.2):
        self.stream = stream or sys.stderr
        self.enabled = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.count = 0
        self.started = time.monotonic()
        self.last = 0.0
        self.every = every

    def advance(self, n: int = 1) -> None:
        self.count += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            rate = self.count / max(now - self.started, 1e-9)
            self.stream.write(f"\r  checked {self.count:,} files ({rate:,.0f}/s)")
            self.stream.flush()

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        if self.enabled and self.count:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
