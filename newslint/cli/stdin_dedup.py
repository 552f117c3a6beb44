"""Near-duplicates on standard input (`newslint check -`), streamed.

Each article is compared, as it arrives, with the articles before it in the
stream, with `--index` (a folder or Redis: stdin's articles are added to it)
and with `--corpus` (read only), and its near-duplicate finding is written
with its other findings at once. Only signatures are kept (about 0.9 KB per
article in memory), never the articles: memory grows with the index, not
with the text streamed.

An article's id is its URL (normalised) when it has one, else
`<stdin>:LINE` (`--stdin-filename` names it), made unique to the run
(`@RUN`) when the index is stored, so a later run's line 3 is not taken for
this one's.
"""
from __future__ import annotations

import uuid

from newslint.dedup.identity import canonical_url
from newslint.results import ArticleResult
from newslint.run.duplicates import DuplicateIndex


class StreamDuplicates:
    def __init__(self, engine, index: DuplicateIndex):
        self.engine, self.index = engine, index
        self.stored = engine.settings.index is not None
        self.run = uuid.uuid4().hex[:12]

    @classmethod
    def open(cls, engine) -> "StreamDuplicates | None":
        """None when the near-duplicate rule is not selected."""
        index = DuplicateIndex.open(engine.settings.index, engine)
        if index is None:
            return None
        if engine.settings.corpus:
            index.load_reference(engine, engine.settings.corpus)
        return cls(engine, index)

    def key(self, item: ArticleResult) -> str:
        url = canonical_url(getattr(item.meta, "url", None))
        if url is not None:
            return url
        return f"{item.ref.id}@{self.run}" if self.stored else item.ref.id

    def findings(self, item: ArticleResult) -> list:
        blob = item.summaries.get(self.index.CODE, b"")
        duplicates = self.index.check_summary(self.key(item), blob)
        return self.index.findings(item.ref, duplicates)

    def close(self) -> None:
        self.index.close()
