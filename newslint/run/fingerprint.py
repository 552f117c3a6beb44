"""What a cached result depends on, digested: newslint's own code, rule
files, settings. A cached result is reused only while its fingerprint holds."""
from __future__ import annotations

import functools
import hashlib
import json
import os
from typing import Any

from newslint.plugins import installed_version


def definition_digest(origin: str) -> str:
    """Digest of a rule file's content ("" for rules written in code), so that
    editing a declarative rule invalidates the results cached under it."""
    if origin == "builtin" or not os.path.isfile(origin):
        return ""
    try:
        with open(origin, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()[:16]
    except OSError:
        return ""


@functools.lru_cache(maxsize=1)
def code_stamp() -> str:
    """Size and mtime of newslint's own modules (an edited rule, in a source
    checkout, invalidates cached results even when the version is unchanged),
    and the versions of the libraries in `RESULT_LIBRARIES`."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    stamp = []
    for folder, _, files in os.walk(package):
        for name in sorted(files):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                stamp.append((name, st.st_size, st.st_mtime_ns))
    return digest([sorted(stamp), _versions(RESULT_LIBRARIES)])


#: third-party libraries whose answers are part of a result (HTML dates come from htmldate)
RESULT_LIBRARIES = ("htmldate",)


def _versions(names: tuple[str, ...]) -> list[str | None]:
    """Installed versions: upgrading htmldate can change a page's date, so cached results go."""
    return [installed_version(name) for name in names]


def digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:24]
