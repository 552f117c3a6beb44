"""Reading standard input within `max-file-size`: one JSON Lines record, or
the whole input in another format, is never held beyond the limit a file
would be (a 102 MB record used to take 7.2 GB), and a record that is too
long or nested too deeply is an error entry while the stream goes on."""
from __future__ import annotations

import json
from typing import IO, Any, Iterator

from newslint.model import InputError, LoadError
from newslint.results import FileResult

#: what is read at a time from the rest of a record that is over the limit
DRAIN_CHUNK = 1 << 20


def bounded_lines(stream: IO[bytes], limit: int) -> Iterator[bytes]:
    """The lines of `stream`; a line over `limit` bytes is cut to its first
    `limit + 1` bytes (so `parse_record` refuses it) and the rest is read
    and dropped piece by piece, never held."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            rest = line
            while rest and not rest.endswith(b"\n"):
                rest = stream.readline(DRAIN_CHUNK)
        yield line


def parse_record(raw: bytes, limit: int) -> Any:
    """The JSON value of one line. Raises LoadError when it is over the limit,
    nested too deeply or not JSON (ValueError, as `json.loads`)."""
    if len(raw) > limit:
        raise LoadError(f"record is over the limit of {limit:,} bytes (setting max-file-size); "
                        "skipped")
    try:
        return json.loads(raw)
    except RecursionError:
        raise LoadError("invalid JSON: nested too deeply") from None


def read_input(engine, path: str, stream: IO[bytes], fmt: str) -> FileResult:
    """A whole input in one format (not JSON Lines), read up to the limit."""
    limit = engine.settings.max_file_size
    data = stream.read(limit + 1)
    if len(data) > limit:
        return FileResult(path, errors=[InputError(
            path, f"input is over the limit of {limit:,} bytes (setting max-file-size)")],
            unread=True)
    return engine.process_bytes(path, data, fmt=fmt)
