"""Near-duplicate articles across a corpus: shingles, MinHash signatures
(numpy, compatible with datasketch), LSH banding, exact verification.

The built-in plugin "dedup" registers the corpus rule near-duplicate (NL601);
`newslint dedup` (newslint/dedup_cli.py) turns its findings into clusters.
"""
from __future__ import annotations

from newslint.dedup.rule import NearDuplicate
from newslint.hookspecs import hookimpl

__all__ = ["NearDuplicate"]


@hookimpl
def newslint_register_rules(register):
    register(NearDuplicate())
