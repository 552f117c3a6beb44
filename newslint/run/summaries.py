"""The corpus rules' summaries of every article of a run, packed.

A run over 100,000 articles kept a dict and two bytes objects per article
until the corpus rules had seen them all (about 1.4 KB each, most of it
object overhead). Here each rule's summaries go into one growing buffer with
their end offsets, and each article's reference into one list; a corpus rule
gets a `PackedCorpus`: the (reference, summary) pairs `CorpusRule.report`
takes, which a rule that knows it can also read as one buffer
(`PackedBlobs.joined`) without a copy.
"""
from __future__ import annotations

from array import array
from typing import Iterator, Sequence

from newslint.rule import ArticleRef


class PackedBlobs(Sequence[bytes]):
    """Summaries stored end to end in one buffer; item i is a bytes copy of one."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.ends = array("Q")

    def append(self, data: bytes) -> None:
        self.buffer += data
        self.ends.append(len(self.buffer))

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        start = self.ends[i - 1] if i > 0 else 0
        return bytes(self.buffer[start:self.ends[i]])

    def __iter__(self) -> Iterator[bytes]:
        start, view = 0, memoryview(self.buffer)
        try:
            for end in self.ends:
                yield bytes(view[start:end])
                start = end
        finally:
            view.release()

    def lengths(self) -> list[int]:
        start, out = 0, []
        for end in self.ends:
            out.append(end - start)
            start = end
        return out

    def joined(self, index: Sequence[int]) -> bytes | memoryview:
        """The summaries at `index` (ascending positions) end to end: the buffer
        itself, not a copy, when `index` is all of them."""
        if len(index) == len(self):
            return memoryview(self.buffer)
        return b"".join([self[int(i)] for i in index])


class PackedCorpus(Sequence[tuple[ArticleRef, bytes]]):
    """One rule's view of a `SummaryStore`: the articles that have its summary."""

    def __init__(self, refs: list[ArticleRef], blobs: PackedBlobs) -> None:
        self.refs = refs
        self.blobs = blobs

    def __len__(self) -> int:
        return len(self.refs)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return list(zip(self.refs[i], self.blobs[i]))
        return self.refs[i], self.blobs[i]

    def __iter__(self) -> Iterator[tuple[ArticleRef, bytes]]:
        return zip(self.refs, self.blobs)


class SummaryStore:
    """Every article's reference and, per corpus rule, its summary."""

    def __init__(self, codes: Sequence[str]) -> None:
        self.refs: list[ArticleRef] = []
        self._blobs = {code: PackedBlobs() for code in codes}
        self._positions = {code: array("L") for code in codes}

    def add(self, ref: ArticleRef, summaries: dict[str, bytes]) -> None:
        position = len(self.refs)
        self.refs.append(ref)
        for code, data in summaries.items():
            blobs = self._blobs.get(code)
            if blobs is not None:
                blobs.append(data)
                self._positions[code].append(position)

    def __len__(self) -> int:
        return len(self.refs)

    def corpus(self, code: str) -> PackedCorpus:
        """The (reference, summary) pairs of the articles that have `code`'s summary."""
        positions = self._positions[code]
        refs = self.refs if len(positions) == len(self.refs) else [self.refs[i] for i in positions]
        return PackedCorpus(refs, self._blobs[code])

    def pairs(self) -> Iterator[tuple[ArticleRef, dict[str, bytes]]]:
        """(reference, {rule code: summary}) per article, as the index look-up takes them."""
        iterators = {code: zip(self._positions[code], blobs) for code, blobs in self._blobs.items()}
        pending = {code: next(it, None) for code, it in iterators.items()}
        for position, ref in enumerate(self.refs):
            summaries = {}
            for code, item in pending.items():
                if item is not None and item[0] == position:
                    summaries[code] = item[1]
                    pending[code] = next(iterators[code], None)
            yield ref, summaries
