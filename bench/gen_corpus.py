"""Generate a synthetic news corpus with planted near-duplicates.

    python bench/gen_corpus.py OUT --n 10000 [--seed 7] [--jsonl 0.1] [--md 0.2]

Articles (~600 words, normal spread) are drawn from a seeded vocabulary of
pseudo-words, emitted as phrases of one to four words from a Zipf-weighted
phrase table (so common phrases recur across articles, as in real news), and
from a topic model: articles on one topic share names, places and a few long
quotes (same-topic articles that are not duplicates). Planted pairs:
- edited copies at Jaccard levels 0.30 ... 0.95 (words replaced at random
  until the 5-word-shingle Jaccard, computed here independently of newslint,
  is at the level),
- syndicated copies: the same body with a different site header and footer
  ("Subscribe to our newsletter", "No time to read? Get a summary", ...),
- exact copies (1.0).
Each article is a .txt (title line, blank line, paragraphs), a .md with front
matter, or a record in a .jsonl file of 100 records. `OUT/truth.json` lists
every planted pair with its true Jaccard on the body text as files carry it
(`jaccard`) and without the header/footer lines (`jaccard_body`).
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np

SHINGLE = 5
LEVELS = (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 0.95)
HEADERS = ("Subscribe to our newsletter", "No time to read? Get a summary",
           "Sign up for breaking news alerts", "Follow us on social media for more updates",
           "Advertisement", "Read more: our coverage of the week's top stories")
WORD_RE = re.compile(r"[a-z0-9]+")


def words_of(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def shingle_set(text: str, k: int = SHINGLE) -> set[tuple[str, ...]]:
    w = words_of(text)
    return {tuple(w[i:i + k]) for i in range(max(len(w) - k + 1, 1))}


def jaccard(a: str | set, b: str | set, k: int = SHINGLE) -> float:
    """5-word-shingle Jaccard of two ASCII texts (or shingle sets), computed
    independently of newslint."""
    sa = a if isinstance(a, set) else shingle_set(a, k)
    sb = b if isinstance(b, set) else shingle_set(b, k)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


class Generator:
    def __init__(self, seed: int, topics: int = 200):
        self.rng = np.random.default_rng(seed)
        syllables = np.array([c + v for c in "bcdfghjklmnprstvwz"
                              for v in ("a", "e", "i", "o", "u", "ai", "ou")])  # an array once
        self.vocab = np.array(sorted({"".join(self.rng.choice(syllables, self.rng.integers(1, 4)))
                                      for _ in range(30000)}))
        self.phrases = [" ".join(self.rng.choice(self.vocab, self.rng.integers(1, 5)))
                        for _ in range(20000)]
        self.phrase_array = np.array(self.phrases, dtype=object)
        weights = 1.0 / np.arange(1, len(self.phrases) + 1) ** 0.9
        self.phrase_p = weights / weights.sum()
        self.topics = [self._topic() for _ in range(topics)]

    def _topic(self) -> dict:
        names = [" ".join(self.rng.choice(self.vocab, 2)).title() for _ in range(12)]
        quotes = [" ".join(self.rng.choice(self.vocab, self.rng.integers(8, 16))) for _ in range(4)]
        return {"names": names, "quotes": quotes}

    def article(self, topic: dict) -> tuple[str, list[str]]:
        """(title, paragraphs) of about 600 words."""
        target = max(150, int(self.rng.normal(600, 150)))
        units = iter(self._units(topic, target))
        paragraphs, count = [], 0
        while count < target:
            sentences = []
            for _ in range(self.rng.integers(2, 6)):
                text = " ".join(next(units) for _ in range(self.rng.integers(4, 12)))
                sentences.append(text[0].upper() + text[1:] + ".")
            paragraphs.append(" ".join(sentences))
            count += len(paragraphs[-1].split())
        title = " ".join(self.rng.choice(self.vocab, 6)).capitalize()
        return title, paragraphs

    def _units(self, topic: dict, words: int) -> list[str]:
        """Enough phrases for `words` words: mostly Zipf-weighted common
        phrases, some topic names (8%) and topic quotes (1.5%)."""
        n = words + 200
        rolls = self.rng.random(n)
        picked = self.phrase_array[self.rng.choice(len(self.phrases), size=n, p=self.phrase_p)]
        names = np.array(topic["names"], dtype=object)[self.rng.integers(len(topic["names"]), size=n)]
        quotes = np.array([f'"{q}"' for q in topic["quotes"]], dtype=object)[
            self.rng.integers(len(topic["quotes"]), size=n)]
        return np.where(rolls < 0.08, names, np.where(rolls < 0.095, quotes, picked)).tolist()

    def edited(self, paragraphs: list[str], level: float) -> tuple[list[str], float]:
        """A copy whose Jaccard with `paragraphs` is just above `level`
        (binary search on the share of words replaced)."""
        original = shingle_set("\n\n".join(paragraphs))
        low, high, best = 0.0, 1.0, (paragraphs, 1.0)
        seed = int(self.rng.integers(1 << 30))
        for _ in range(11):
            rate = (low + high) / 2
            changed = _replace_words(paragraphs, rate, np.random.default_rng(seed), self.vocab)
            j = jaccard(original, "\n\n".join(changed))
            if j >= level:
                low, best = rate, (changed, j)
            else:
                high = rate
        return best


def _replace_words(paragraphs: list[str], rate: float, rng, vocab) -> list[str]:
    out = []
    for para in paragraphs:
        words = para.split(" ")
        hit = rng.random(len(words)) < rate
        for i in np.flatnonzero(hit):
            words[i] = str(rng.choice(vocab))
        out.append(" ".join(words))
    return out


class Writer:
    """Writes articles as .txt, .md or JSON Lines records; returns their ids."""

    def __init__(self, out: Path, rng, jsonl: float, md: float):
        self.out, self.rng, self.jsonl, self.md = out, rng, jsonl, md
        self.count, self.records, self.record_file = 0, 0, None

    def write(self, title: str, body: str) -> str:
        self.count += 1
        folder = self.out / "articles" / f"{self.count // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        roll = self.rng.random()
        if roll < self.jsonl:
            return self._record(title, body)
        if roll < self.jsonl + self.md:
            path = folder / f"a{self.count:06d}.md"
            path.write_text(f"---\ntitle: {title}\n---\n\n{body}\n", encoding="utf-8")
        else:
            path = folder / f"a{self.count:06d}.txt"
            path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        return path.relative_to(self.out).as_posix()

    def _record(self, title: str, body: str) -> str:
        if self.record_file is None or self.records >= 100:
            name = self.out / "records" / f"r{self.count:06d}.jsonl"
            name.parent.mkdir(parents=True, exist_ok=True)
            self.record_file, self.records = name, 0
        with self.record_file.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"title": title, "text": body}) + "\n")
        self.records += 1
        return f"{self.record_file.relative_to(self.out).as_posix()}:{self.records}"


def generate(out: Path, n: int, seed: int = 7, jsonl: float = 0.1, md: float = 0.2,
             planted_share: float = 0.1) -> dict:
    gen = Generator(seed)
    writer = Writer(out, gen.rng, jsonl, md)
    pairs = []
    per_kind = max(1, int(n * planted_share / 2 / (len(LEVELS) + 2)))
    plan = [("edit", level) for level in LEVELS for _ in range(per_kind)] + \
        [("syndicated", None)] * per_kind + [("exact", 1.0)] * per_kind
    for kind, level in plan:
        topic = gen.topics[gen.rng.integers(len(gen.topics))]
        title, paras = gen.article(topic)
        copy, body_j = paras, 1.0
        head, foot = [], []
        if kind == "edit":
            copy, body_j = gen.edited(paras, level)
        elif kind == "syndicated":
            head, foot = list(gen.rng.choice(HEADERS, 2, replace=False)), [str(gen.rng.choice(HEADERS))]
        body_a, body_b = "\n\n".join(paras), "\n\n".join(head + copy + foot)
        a, b = writer.write(title, body_a), writer.write(title, body_b)
        pairs.append({"a": a, "b": b, "kind": kind, "level": level,
                      "jaccard": round(jaccard(body_a, body_b), 4), "jaccard_body": round(body_j, 4)})
    while writer.count < n:
        title, paras = gen.article(gen.topics[gen.rng.integers(len(gen.topics))])
        writer.write(title, "\n\n".join(paras))
    truth = {"n": writer.count, "seed": seed, "shingle_words": SHINGLE, "pairs": pairs}
    (out / "truth.json").write_text(json.dumps(truth, indent=1))
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=10000, help="number of articles")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jsonl", type=float, default=0.1, help="share written as JSON Lines records")
    parser.add_argument("--md", type=float, default=0.2, help="share written as Markdown")
    args = parser.parse_args()
    truth = generate(args.out, args.n, args.seed, args.jsonl, args.md)
    print(f"{truth['n']} articles, {len(truth['pairs'])} planted pairs in {args.out}")


if __name__ == "__main__":
    main()
