"""Which paths a git repository's `.gitignore` files leave out (`respect-
gitignore`, on by default; `--no-respect-gitignore`), as git reads them: every
`.gitignore` from the repository's top folder (the nearest one holding `.git`)
down to the path's folder, the deeper one deciding, the last matching line of
a file winning (`!` lines re-include), and `.git/info/exclude` below them all.
Outside a git repository nothing is ignored. The matching is `pathspec`'s
GitIgnoreSpec, git's own rules.

A repository's ignore files are untrusted like the rest of it: a file is read
up to MAX_BYTES and its first MAX_LINES patterns, and a line with more than
MAX_WILDCARDS `*` is skipped (such patterns become regular expressions that
backtrack badly on long names). What is left out only means more files are
checked."""
from __future__ import annotations

import os
import re
from typing import Any

MAX_BYTES = 256 * 1024
MAX_LINES = 2_000
MAX_WILDCARDS = 8


class Spec:
    """The patterns of one ignore file, relative to its folder."""

    def __init__(self, lines: list[str]):
        patterns = [line for line in lines if line.strip() and not line.startswith("#")]
        kept = [line for line in patterns[:MAX_LINES] if line.count("*") <= MAX_WILDCARDS]
        import pathspec  # on first use: 90 ms of start-up that a folder without .gitignore never pays
        self.spec = pathspec.GitIgnoreSpec.from_lines(kept)
        self.quick = _any_pattern(self.spec)

    def decide(self, relative: str) -> bool | None:
        """True ignored, False re-included (`!`), None no line matches."""
        if self.quick is not None and not self.quick.match(relative):
            return None
        return self.spec.check_file(relative).include


def _any_pattern(spec: Any) -> re.Pattern | None:
    """One expression any of the patterns matches: most paths match none,
    and one match answers for them (3 us for ten patterns, where asking
    pathspec costs 10 us)."""
    sources = [p.regex.pattern for p in spec.patterns if getattr(p, "regex", None) is not None]
    try:
        return re.compile("|".join(f"(?:{s.replace('(?P<ps_d>', '(?:')})" for s in sources)
                          if sources else "(?!)")
    except re.error:
        return None


class GitIgnored:
    """Answers `ignored(path)` for the paths of one run, reading each
    folder's `.gitignore` once."""

    def __init__(self) -> None:
        self._specs: dict[str, Spec | None] = {}
        self._tops: dict[str, str | None] = {}
        self._chains: dict[str, list[tuple[str, Spec]]] = {}

    def ignored(self, path: str, is_dir: bool = False, parents: bool = False) -> bool:
        """Whether git ignores `path`; with `parents`, also when a folder above
        it (inside the repository) is ignored, as for a file passed by name."""
        absolute = os.path.abspath(path)
        top = self._top(os.path.dirname(absolute))
        if top is None:
            return False
        if parents:
            folder = os.path.dirname(absolute)
            chain = []
            while folder != top and folder.startswith(os.path.join(top, "")):
                chain.append(folder)
                folder = os.path.dirname(folder)
            if any(self._decide(f, top, True) for f in reversed(chain)):
                return True
        return self._decide(absolute, top, is_dir)

    def in_folder(self, folder: str, name: str, is_dir: bool = False) -> bool:
        """Whether git ignores `name` in `folder` (an absolute, normalised
        path): the walk's question, asked once per file."""
        top = self._top(folder)
        return top is not None and self._decide(os.path.join(folder, name), top, is_dir, folder)

    def _decide(self, absolute: str, top: str, is_dir: bool, folder: str | None = None) -> bool:
        name = absolute.replace(os.sep, "/") + ("/" if is_dir else "")
        for base, spec in self._chain(folder or os.path.dirname(absolute), top):
            decided = spec.decide(name[len(base) + 1:])
            if decided is not None:
                return decided
        return False

    def _chain(self, folder: str, top: str) -> list[tuple[str, Spec]]:
        """The ignore files that apply in `folder`, the deepest first, each
        with its folder (spelled with "/")."""
        chain = self._chains.get(folder)
        if chain is None:
            if folder == top or len(folder) <= len(top):
                chain = [(folder, s) for s in (self._spec(os.path.join(top, ".gitignore")),
                                               self._spec(os.path.join(top, ".git", "info", "exclude")))
                         if s is not None]
            else:
                own = self._spec(os.path.join(folder, ".gitignore"))
                chain = ([(folder, own)] if own else []) + self._chain(os.path.dirname(folder), top)
            self._chains[folder] = chain
        return [(base.replace(os.sep, "/"), spec) for base, spec in chain] if os.sep != "/" else chain

    def _top(self, folder: str) -> str | None:
        """The repository's top folder above `folder`, None outside one."""
        if folder not in self._tops:
            parent = os.path.dirname(folder)
            if os.path.exists(os.path.join(folder, ".git")):
                self._tops[folder] = folder
            else:
                self._tops[folder] = None if parent == folder else self._top(parent)
        return self._tops[folder]

    def _spec(self, file: str) -> Spec | None:
        if file not in self._specs:
            try:
                with open(file, "rb") as fh:
                    data = fh.read(MAX_BYTES)
            except OSError:
                self._specs[file] = None
            else:
                lines = data.decode("utf-8", "replace").splitlines()
                self._specs[file] = Spec(lines) if lines else None
        return self._specs[file]
