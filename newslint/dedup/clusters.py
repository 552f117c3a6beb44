"""Which article of a near-duplicate cluster to keep: the policies of
`newslint dedup --keep` (and of the Spark mode's `dedup`), in one place."""
from __future__ import annotations

from dataclasses import dataclass

KEEP_POLICIES = ("first", "longest", "best")


@dataclass
class Member:
    id: str
    path: str
    record: int | None
    length: int
    problems: int = 0   # findings of level warning or error, near-duplicate aside

    def order(self) -> tuple:
        return (self.path, self.record or 0, self.id)


def choose_keep(members: list[Member], how: str) -> Member:
    """`first` (by path, then record), `longest` (most body text) or `best`
    (fewest warning/error findings, then longest). `members` are in path
    order (`Member.order`), so min() keeps the first on ties."""
    if how not in KEEP_POLICIES:
        raise ValueError(f"keep must be one of {', '.join(KEEP_POLICIES)}, not {how!r}")
    if how == "longest":
        return min(members, key=lambda m: -m.length)
    if how == "best":
        return min(members, key=lambda m: (m.problems, -m.length))
    return members[0]
