"""near-duplicate (NL601): shingles, signatures, LSH, verification, engine runs, cache, index."""
import json
import math
import random
import re
import shutil
import sqlite3

import numpy as np
import pytest

from tests.conftest import NEWSPAPER4K, SEEDS
from newslint.config import Settings
from newslint.dedup import lsh
from newslint.dedup.index import NearDupIndex
from newslint.dedup.redis_index import IndexUnavailable
from newslint.dedup.matching import find_matches
from newslint.dedup.minhash import SUMMARY_VERSION, block_width, decode, encode, permutations, signature
from newslint.dedup.rule import NearDuplicate
from newslint.dedup.shingles import jaccard, shingle, tokens
from newslint.run.engine import Engine
from newslint.rule import ArticleRef

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def words(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(n)]


def text_of(ws: list[str]) -> str:
    """Words as paragraphs of 60 words, sentences of 12."""
    sentences = [" ".join(ws[i:i + 12]).capitalize() + "." for i in range(0, len(ws), 12)]
    return "\n\n".join(" ".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5))


def true_jaccard(a: str, b: str) -> float:
    """5-word-shingle Jaccard computed independently of newslint."""
    def sh(t):
        w = re.findall(r"[a-z0-9]+", t.lower())
        return {tuple(w[i:i + 5]) for i in range(len(w) - 4)}
    return len(sh(a) & sh(b)) / len(sh(a) | sh(b))


def edited(ws: list[str], every: int, seed: int) -> list[str]:
    out = list(ws)
    for i in range(3, len(out), every):
        out[i] = words(seed + i, 1)[0] + "x"
    return out


def run(paths, select=("NL601",), **settings):
    settings.setdefault("cache", False)
    engine = Engine(Settings(select=list(select) if select else None, **settings))
    result = engine.run([str(p) for p in paths])
    return result, [f for f in result.findings if f.code == "NL601"]


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- shingles and signatures ------------------------------------------------------------
def test_normalisation_ignores_case_punctuation_and_whitespace():
    a = shingle("The Minister said:  \u201cWe will act,\u201d on Tuesday.\nThen left.")
    b = shingle("the minister said we will act on tuesday then   left")
    assert np.array_equal(a.hashes, b.hashes) and a.text_hash == b.text_hash
    assert len(a) == 6  # 10 words -> 6 five-word shingles


def test_spaceless_scripts_are_shingled_by_characters():
    words_, chars = tokens("日本の首相は火曜日に会見した。 Reuters reported ข่าววันนี้")
    assert chars.startswith("日本の首相は") and "ข่าววันนี้" in chars
    assert words_ == ["reuters", "reported"]
    chinese = "我们今天在北京召开了关于经济发展的重要会议"
    assert len(shingle(chinese)) == len(chinese) - 4
    changed = chinese.replace("经济", "文化")
    assert 0.3 < jaccard(shingle(chinese).hashes, shingle(changed).hashes) < 1.0


@pytest.mark.parametrize("n_words", [300, 9000])  # 9,000: more than one block of shingles
def test_signature_is_bit_for_bit_datasketch(n_words):
    from datasketch import LeanMinHash, MinHash
    hashes = shingle(text_of(words(1, n_words))).hashes
    assert n_words < 1000 or len(hashes) > 2 * block_width(128)
    ours = signature(hashes)
    theirs = MinHash(num_perm=128, hashfunc=int)
    theirs.update_batch([int(h ^ (h >> np.uint64(32))) & 0xFFFFFFFF for h in hashes])
    assert np.array_equal(ours, theirs.hashvalues)
    assert np.array_equal(permutations(128)[0], theirs.permutations[0])
    lean = LeanMinHash(MinHash(hashvalues=ours, scheme="affine32"))
    assert lean.jaccard(LeanMinHash(theirs)) == 1.0


@pytest.mark.parametrize("count", [1, 127, 128, 129, 1000])  # blocks are filled up to 128
@pytest.mark.parametrize("num_perm", [16, 128, 300])
def test_signature_of_any_size_is_datasketch(count, num_perm):
    from datasketch import MinHash
    hashes = np.random.default_rng(count).integers(0, 1 << 64, count, dtype=np.uint64)
    theirs = MinHash(num_perm=num_perm, hashfunc=int)
    theirs.update_batch([int(h ^ (h >> np.uint64(32))) & 0xFFFFFFFF for h in hashes])
    assert np.array_equal(signature(hashes, num_perm), theirs.hashvalues)


def test_ascii_text_takes_a_short_cut_to_the_same_shingles():
    text = text_of(words(5, 200)).replace("a", "A")
    assert text.isascii()
    fast = shingle(text)
    slow = shingle(text + " \u2014")  # a dash (not ASCII): the general way, same words
    assert np.array_equal(fast.hashes, slow.hashes) and fast.text_hash == slow.text_hash
    assert len(fast) == len(text.split()) - 4


def test_linter_minhash_is_the_indexed_signature_as_a_datasketch_leanminhash():
    from datasketch import LeanMinHash, MinHashLSH
    from newslint import Linter
    linter = Linter(select=["NL601"])
    base = words(3, 300)
    a = {"url": "https://example.org/a", "title": "A", "text": text_of(base)}
    b = {**a, "url": "https://example.org/b", "text": text_of(edited(base, 30, 1))}
    ma, mb = linter.minhash(a), linter.minhash(b)
    assert isinstance(ma, LeanMinHash) and ma.seed == 1 and len(ma) == 128
    linter.check(a)   # bit for bit what the index stores
    assert np.array_equal(ma.hashvalues, linter.index.store.get("https://example.org/a").signature)
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    lsh.insert("a", ma)
    assert lsh.query(mb) == ["a"]
    assert ma.jaccard(mb) == dict(linter.check(b).duplicates)["https://example.org/a"]


def test_datasketch_is_needed_only_for_leanminhash(monkeypatch):
    import sys
    from newslint.dedup.minhash import lean_minhash
    monkeypatch.setitem(sys.modules, "datasketch", None)
    with pytest.raises(ImportError, match=r"pip install 'newslint\[datasketch\]'"):
        lean_minhash(signature(shingle(text_of(words(4, 100))).hashes))


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.72, 0.9])
def test_band_params_are_datasketch_optimum(threshold):
    from datasketch.lsh import _optimal_param
    assert lsh.band_params(threshold, 128) == _optimal_param(threshold, 128, *lsh.LSH_WEIGHTS)


def test_summary_roundtrip_and_foreign_bytes():
    found = shingle(text_of(words(2, 100)))
    data = encode(found, (3, 7), 5, 5, 128)
    summary = decode(data)
    assert summary.shingles == len(found) and summary.skipped == (3, 7)
    assert np.array_equal(summary.signature, signature(found.hashes))
    other_version = bytes([SUMMARY_VERSION + 1]) + data[1:]
    assert decode(other_version) is None and decode(data[:-1]) is None and decode(b"") is None


def test_few_target_buckets_give_the_same_pairs():
    rng = np.random.default_rng(0)
    sigs = rng.integers(0, 4, size=(300, 128), dtype=np.uint32)  # many collisions
    keys = lsh.band_keys(sigs, 26, 3)
    targets = np.zeros(300, dtype=bool)
    targets[[5, 77]] = True
    few = lsh.candidate_pairs(keys, targets)
    targets_all = np.ones(300, dtype=bool)
    every = lsh.candidate_pairs(keys, targets_all)
    expected = every[np.isin(every[:, 0], [5, 77]) | np.isin(every[:, 1], [5, 77])]
    assert len(few) and sorted(map(tuple, few)) == sorted(map(tuple, expected))


# -- the rule through the engine ------------------------------------------------------------
def test_planted_duplicates_found_with_partner_and_exact_similarity(tmp_path):
    base = words(10, 400)
    texts = {"base": text_of(base), "near": text_of(edited(base, 40, 99)),
             "mid": text_of(edited(base, 20, 98)), "far": text_of(edited(base, 10, 97))}
    for name, text in texts.items():
        write(tmp_path / f"{name}.txt", f"Title {name}\n\n{text}\n")
    for i in range(5):
        write(tmp_path / f"other{i}.txt", f"Other {i}\n\n{text_of(words(100 + i, 300))}\n")
    _, found = run([tmp_path])
    by_path = {f.path.rsplit("/", 1)[-1]: f for f in found}
    j_near, j_mid = true_jaccard(texts["base"], texts["near"]), true_jaccard(texts["base"], texts["mid"])
    j_far = true_jaccard(texts["base"], texts["far"])
    assert j_near > j_mid > 0.5 > j_far > 0.2
    assert set(by_path) == {"base.txt", "near.txt", "mid.txt"}
    near = dict(by_path["near.txt"].data)["duplicates"]
    assert [d["id"].rsplit("/", 1)[-1] for d in near] == ["base.txt", "mid.txt"]
    assert near[0]["similarity"] == pytest.approx(j_near, abs=1e-4) and not near[0]["estimated"]
    assert f"mid.txt ({math.floor(j_mid * 100) / 100:.2f})" in by_path["base.txt"].message


def test_exact_copy_says_exact(tmp_path):
    text = f"A title\n\n{text_of(words(3, 200))}\n"
    write(tmp_path / "a.txt", text)
    write(tmp_path / "b.txt", text.replace("A title", "Another headline"))
    _, found = run([tmp_path])
    assert [f.message for f in found] == [f"exact copy of {tmp_path / 'b.txt'}",
                                          f"exact copy of {tmp_path / 'a.txt'}"]


def test_syndicated_copy_with_other_boilerplate_is_found(tmp_path):
    body = text_of(words(4, 120))  # short: the boilerplate is a large share of it
    write(tmp_path / "site_a.txt", f"Headline\n\n{body}\n")
    write(tmp_path / "site_b.txt", "Headline\n\nSubscribe to our newsletter\n\nNo time to read?\n"
          f"Get a summary\n\n{body}\n\nNo time to read?\nGet a summary\n")
    _, found = run([tmp_path])  # alone: the boilerplate lines count against the similarity
    assert [f.message.rsplit("/", 1)[-1] for f in found] == ["site_b.txt (similarity 0.88)",
                                                             "site_a.txt (similarity 0.88)"]
    _, found = run([tmp_path], select=None)  # with the boilerplate rules: left out
    assert [f.message.rsplit("/", 1)[-1] for f in found] == ["site_b.txt", "site_a.txt"]
    assert found[0].message.startswith("exact copy of ")


def test_boilerplate_lines_are_left_out_of_the_summary(engine_factory):
    from newslint.loaders.plaintext import article_from_text
    body = text_of(words(9, 60))
    article = article_from_text("a.txt", f"T\n\nSubscribe to our newsletter today\n\n{body}\n")
    engine = engine_factory()
    summary = decode(engine.article_result(article).summaries["NL601"])
    assert summary.skipped == (0,)  # the first body line, by position
    assert summary.shingles == len(shingle(body)) == 60 - 4


def one_line_page(paragraphs: list[str], furniture: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs + ([furniture] if furniture else []))
    return (f"<html><head><title>Story</title></head><body><h1>Story</h1><article>{body}"
            f"</article></body></html>")


@pytest.mark.parametrize("fmt", ["html", "jsonl"])
def test_boilerplate_sharing_a_line_with_the_text_leaves_only_that_line_out(tmp_path, fmt):
    """A one-line HTML page (or a JSON record) whose line 1 holds a boilerplate
    finding: only the boilerplate line is left out, so the copy is still found."""
    paragraphs = [text_of(words(40 + n, 50)) for n in range(4)]
    copy = [p.replace(" ", "  ", 1) for p in paragraphs[:3]] + [text_of(words(90, 8))]
    if fmt == "html":
        write(tmp_path / "a.html", one_line_page(paragraphs, "Read more: other stories"))
        write(tmp_path / "b.html", one_line_page(copy))
    else:
        write(tmp_path / "a.jsonl", json.dumps({"title": "Story", "text": "\n\n".join(
            paragraphs + ["Read more: other stories"])}) + "\n")
        write(tmp_path / "b.jsonl", json.dumps({"title": "Story", "text": "\n\n".join(copy)}) + "\n")
    result, found = run([tmp_path], select=None)   # every default rule
    assert any(f.rule == "boilerplate-read-more" for f in result.findings)
    assert len(found) == 2, [f.message for f in found]
    _, alone = run([tmp_path])                     # near-duplicate alone: the line stays in
    with_rules = float(found[0].message.rsplit("similarity ", 1)[1].rstrip(")"))
    without = float(alone[0].message.rsplit("similarity ", 1)[1].rstrip(")"))
    assert with_rules > without


def test_seed_articles_on_one_meeting_are_not_duplicates(tmp_path):
    if not SEEDS.is_dir():
        pytest.skip("seed articles not available")
    for path in SEEDS.glob("0*.txt"):
        shutil.copy(path, tmp_path / path.name)
    result, found = run([tmp_path], select=None)
    assert result.articles == 5 and found == []


def test_real_corpus_finds_its_one_real_duplicate(tmp_path):
    if not NEWSPAPER4K.is_dir():
        pytest.skip("newspaper4k corpus not available")
    result, found = run([NEWSPAPER4K / "txt"])
    assert result.articles >= 25
    assert sorted(f.path.rsplit("/", 1)[-1] for f in found) == \
        ["cleveland.com1.txt", "video_article_01.txt"]
    assert "similarity 0.9" in found[0].message


def test_json_lines_records_are_named_by_line(tmp_path):
    base = words(5, 200)
    records = [{"title": "One", "text": text_of(words(6, 200))}, {"title": "Two", "text": text_of(base)},
               {"title": "Three", "text": text_of(base)}]
    write(tmp_path / "data" / "x.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    write(tmp_path / "copy.txt", f"Copy\n\n{text_of(edited(base, 30, 1))}\n")
    _, found = run([tmp_path])
    messages = {f.article or f.path: f.message for f in found}
    record = f"{tmp_path / 'data' / 'x.jsonl'}"
    j = math.floor(true_jaccard(text_of(base), text_of(edited(base, 30, 1))) * 100) / 100
    assert messages == {  # similarities verified by reloading the records, not estimated
        str(tmp_path / "copy.txt"): f"near-duplicate of 2 articles: {record}:2 ({j:.2f}), "
                                    f"{record}:3 ({j:.2f})",
        f"{record}:2": f"near-duplicate of 2 articles: {record}:3 (exact), "
                       f"{tmp_path / 'copy.txt'} ({j:.2f})",
        f"{record}:3": f"near-duplicate of 2 articles: {record}:2 (exact), "
                       f"{tmp_path / 'copy.txt'} ({j:.2f})"}


def test_checked_files_are_compared_with_the_corpus_only_as_targets(tmp_path):
    corpus = tmp_path / "corpus"
    for i in range(6):
        write(corpus / f"c{i}.txt", f"C{i}\n\n{text_of(words(20 + i, 250))}\n")
    write(corpus / "c_copy.txt", (corpus / "c0.txt").read_text())  # a duplicate inside the corpus
    new = write(tmp_path / "new.txt", "New\n\n" + text_of(edited(words(23, 250), 30, 5)) + "\n")
    _, found = run([new], corpus=[str(corpus)])
    assert [f.path for f in found] == [str(new)]
    assert f"near-duplicate of {corpus / 'c3.txt'} (similarity 0." in found[0].message


def test_unverifiable_pairs_show_an_estimate_with_its_error():
    base = words(7, 300)
    blobs = [encode(shingle(text_of(ws)), (), 5, 5, 128) for ws in (base, edited(base, 25, 1))]
    refs = [ArticleRef(id=f"<stdin>:{i}", path="<stdin>", record=i, line=i, is_target=True)
            for i in (1, 2)]
    matches = find_matches(refs, blobs, 0.5, 128, 20, lambda wanted: {})
    total, found = matches[0]
    assert total == 1 and found[0].estimated
    report = list(NearDuplicate().report(zip(refs, blobs), dict(NearDuplicate.options)))
    assert re.search(r"similarity ≈0\.\d\d±0\.0\d, estimated\)", report[0].message)


def test_many_copies_are_grouped_and_the_message_is_capped(tmp_path):
    text = f"T\n\n{text_of(words(8, 150))}\n"
    for i in range(60):
        write(tmp_path / f"copy{i:02d}.txt", text)
    _, found = run([tmp_path])
    assert len(found) == 60
    data = dict(found[0].data)
    assert data["count"] == 59 and len(data["duplicates"]) == 50
    assert found[0].message.startswith("near-duplicate of 59 articles: ")
    assert found[0].message.endswith(" (exact) and 54 more")


# -- the cache ------------------------------------------------------------------------------
def test_rerun_reads_no_file_the_verified_similarity_is_remembered(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    for i in range(8):
        write(corpus / f"c{i}.txt", f"C{i}\n\n{text_of(words(40 + i, 200))}\n")
    write(corpus / "near.txt", "Near\n\n" + text_of(edited(words(41, 200), 30, 3)) + "\n")
    settings = {"cache": True, "cache_dir": str(tmp_path / "cache")}
    _, found = run([corpus], **settings)
    reads, reloads = [], []
    monkeypatch.setattr(Engine, "read", lambda self, path: reads.append(path) or b"")
    from newslint.dedup import verify
    original = verify.ExactSets._read
    monkeypatch.setattr(verify.ExactSets, "_read",
                        lambda self, path: reloads.append(path) or original(self, path))
    _, found_again = run([corpus], **settings)
    assert reads == [] and reloads == []  # the pair's similarity came from the cache
    assert [f.message for f in found_again] == [f.message for f in found] and len(found) == 2
    assert [f.data for f in found_again] == [f.data for f in found]


def test_an_edited_article_is_verified_again(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    base = words(40, 200)
    write(corpus / "a.txt", f"A\n\n{text_of(base)}\n")
    near = write(corpus / "near.txt", "Near\n\n" + text_of(edited(base, 30, 3)) + "\n")
    settings = {"cache": True, "cache_dir": str(tmp_path / "cache")}
    _, found = run([corpus], **settings)
    write(near, "Near\n\n" + text_of(edited(base, 20, 3)) + "\n")  # more edits: less similar
    from newslint.dedup import verify
    reloads = []
    original = verify.ExactSets._read
    monkeypatch.setattr(verify.ExactSets, "_read",
                        lambda self, path: reloads.append(path) or original(self, path))
    _, found_again = run([corpus], **settings)
    assert sorted(p.rsplit("/", 1)[-1] for p in reloads) == ["a.txt", "near.txt"]
    before, after = (dict(f[0].data)["duplicates"][0]["similarity"] for f in (found, found_again))
    assert after == pytest.approx(true_jaccard(text_of(base), text_of(edited(base, 20, 3))),
                                  abs=1e-4)
    assert after < before


def test_precommit_path_reads_only_the_new_files(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    for i in range(10):
        write(corpus / f"c{i}.txt", f"C{i}\n\n{text_of(words(80 + i, 200))}\n")
    settings = {"cache": True, "cache_dir": str(tmp_path / "cache")}
    run([corpus], **settings)  # the corpus is in the cache
    new = write(corpus / "new.txt", "New\n\n" + text_of(edited(words(84, 200), 30, 2)) + "\n")
    reads = []
    original = Engine.read
    monkeypatch.setattr(Engine, "read", lambda self, path: reads.append(path) or original(self, path))
    _, found = run([new], corpus=[str(corpus)], **settings)
    assert reads == [str(new)]
    assert [f.path for f in found] == [str(new)] and "c4.txt (similarity 0." in found[0].message


def test_corrupt_cache_is_rebuilt_with_a_warning(tmp_path):
    for i in range(3):
        write(tmp_path / "in" / f"a{i}.txt", f"A{i}\n\n{text_of(words(60 + i, 150))}\n")
    write(tmp_path / "in" / "dup.txt", (tmp_path / "in" / "a1.txt").read_text())
    settings = {"cache": True, "cache_dir": str(tmp_path / "cache")}
    run([tmp_path / "in"], **settings)
    (tmp_path / "cache" / "cache.sqlite").write_bytes(b"\x8f garbage \x00" * 4000)
    result, found = run([tmp_path / "in"], **settings)
    assert any("rebuilding" in n for n in result.notices)
    assert sorted(f.message.rsplit("/", 1)[-1] for f in found) == ["a1.txt", "dup.txt"]
    _, found = run([tmp_path / "in"], **settings)  # and the rebuilt cache works
    assert len(found) == 2


# -- the stand-alone index ------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_index_finds_near_duplicates(tmp_path, backend):
    spec = None if backend == "memory" else tmp_path / "index"
    base = words(70, 300)
    sig = {name: signature(shingle(text_of(ws)).hashes) for name, ws in
           (("a", base), ("near", edited(base, 30, 1)), ("other", words(71, 300)))}
    with NearDupIndex.open(spec) as index:
        assert index.check_in("a", sig["a"]) == [] and index.check_in("other", sig["other"]) == []
        assert [k for k, _ in index.check_in("near", sig["near"])] == ["a"]
        assert [k for k, _ in index.similar(sig["near"])] == ["near", "a"]
        assert np.array_equal(index.get("a").signature, sig["a"]) and len(index) == 3
        assert index.get("near").of == ("a",) and index.get("a").of == ()
        index.check_in("a", sig["other"])  # replacing a key leaves its old buckets
        assert index.query(sig["near"]) == ["near"]


def test_index_file_persists_and_a_corrupt_file_is_rebuilt(tmp_path):
    sig = signature(shingle(text_of(words(72, 100))).hashes)
    with NearDupIndex.open(tmp_path) as index:
        index.check_in("a", sig)
    with NearDupIndex.open(tmp_path) as index:
        assert index.query(sig) == ["a"]
    (tmp_path / "neardup.sqlite").write_bytes(b"not sqlite at all" * 500)
    warnings = []
    with NearDupIndex.open(tmp_path, warn=warnings.append) as index:
        assert len(index) == 0
        index.check_in("b", sig)
    assert "rebuilding it empty" in warnings[0] and len(warnings) == 1
    # built with other LSH parameters: an error naming the fix, the entries kept
    with pytest.raises(IndexUnavailable, match="built with other settings.*newslint index clear"):
        NearDupIndex.open(tmp_path, threshold=0.8)
    with NearDupIndex.open(tmp_path) as index:
        assert index.query(sig) == ["b"]
    (tmp_path / "neardup.sqlite").unlink()
    foreign = sqlite3.connect(tmp_path / "neardup.sqlite")
    foreign.execute("CREATE TABLE users (name TEXT)")
    foreign.commit()
    foreign.close()
    with pytest.raises(IndexUnavailable, match="not a newslint near-duplicate index"):
        NearDupIndex.open(tmp_path)  # someone else's database: neither emptied nor written into
    assert sqlite3.connect(tmp_path / "neardup.sqlite").execute(
        "SELECT name FROM sqlite_master").fetchall() == [("users",)]
