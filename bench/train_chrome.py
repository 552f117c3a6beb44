"""Train the page-chrome classifier (NL130) and write its weights as JSON.

    python bench/train_chrome.py [--data ../shared/corpora/readability] [--check]

Reproducible: no randomness. The pages of the set are split by a hash of their
name: about 30% are held out (listed in `bench/chrome_split.json`) and never
seen in training; the rest train. Training examples are the non-empty lines of
each training dump (chrome = not in `labels.json`; pages in a language without a stopword
list are left out, as the rule leaves them alone), the same dumps cut down
to the article and 12 lines of chrome on either side (smaller pages, as many
scraped pages are), and, as extra clean examples, the lines of the same
pages' clean `bodies/`.

Stage 1 is an L2-regularised logistic regression (Newton's method) on the
shallow features of `chrome_features`; stage 2 is one on stage 1's scores
around each line. The thresholds come from out-of-fold scores: the training
pages in 3 folds, each scored by both stages trained on the other two. The
threshold is the lowest at which the out-of-fold precision reaches
`--precision` (the labels' noise keeps the measurable precision of these
training pages lower than that of the held-out ones) with at most
`--clean-share` of the clean body lines flagged; the extend threshold the
lowest at which it stays above `--extend-precision`. The held-out figures are
printed and stored in the model file (`held_out`), they are the honest ones.
`--check` trains and compares with the shipped file instead of writing it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from newslint.checks.boilerplate.chrome_features import (  # noqa: E402
    feature_names, page_features, page_language)
from newslint.checks.boilerplate.chrome_model import (  # noqa: E402
    MODEL_PATH, STAGE2_NAMES, chrome_runs, combined, linear, sigmoid, stage2_features)

DEFAULT_DATA = HERE.parent.parent.parent / "shared" / "corpora" / "readability"
SPLIT_PATH = HERE / "chrome_split.json"
HELD_OUT_SHARE = 0.3
FOLDS = 3
CROP_MARGIN = 12
#: a run of one or two lines is reported only from this probability (set by
#: hand: such runs are where clean bodies' table rows and list items end up)
SHORT_THRESHOLD = 0.96


def held_out(name: str) -> bool:
    return int(hashlib.sha1(name.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < HELD_OUT_SHARE


def page(path: Path, content: set[int] | None, margin: int | None = None):
    """(feature rows, labels, line numbers) for one file: its non-empty lines
    but the first (the title, which the rule does not classify); labels 1 =
    chrome (all 0 for a clean body). With `margin`, only the article's lines
    and `margin` lines of chrome on either side: a smaller page, as many
    scraped pages are."""
    raw = path.read_text(encoding="utf-8").split("\n")
    numbers = [i + 1 for i, text in enumerate(raw) if text.strip()][1:]
    labels = [0 if content is None or n in content else 1 for n in numbers]
    if margin is not None and 0 in labels:
        first, last = labels.index(0), len(labels) - 1 - labels[::-1].index(0)
        keep = slice(max(0, first - margin), last + margin + 1)
        numbers, labels = numbers[keep], labels[keep]
    lines = [raw[i - 1].strip() for i in numbers]
    language = page_language(lines)
    return (np.asarray(page_features(lines, language)), np.asarray(labels, float),
            numbers if language else None)


def fit(x, y, l2: float, weight=None):
    """Logistic regression by Newton's method; returns (mean, std, weights)."""
    mean, std = x.mean(0), x.std(0)
    mean[0], std[0] = 0.0, 1.0  # the bias column stays 1
    std[std == 0] = 1.0
    z = (x - mean) / std
    w = np.zeros(x.shape[1])
    sample = np.ones(len(y)) if weight is None else weight
    for _ in range(30):
        p = sigmoid(z @ w)
        grad = z.T @ (sample * (p - y)) + l2 * w
        hess = (z * (sample * p * (1 - p))[:, None]).T @ z + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return {"mean": mean, "std": std, "weights": w}


def stage2_rows(stage1, pages):
    out = []
    for rows, _, _ in pages:
        out.append(stage2_features(linear(stage1, rows)))
    return np.vstack(out)


def fit_both(pages, l2):
    """Stage 1 on the pages' features, stage 2 on stage 1's scores of the same pages."""
    stage1 = fit(np.vstack([p[0] for p in pages]), np.concatenate([p[1] for p in pages]), l2)
    stage2 = fit(stage2_rows(stage1, pages), np.concatenate([p[1] for p in pages]), l2)
    return stage1, stage2


def train(groups, l2):
    """groups: per training page, its examples (the dump first). Returns both
    stages trained on all of them and each dump's out-of-fold probabilities:
    scored by both stages trained on the other folds (a page's examples stay
    in one fold, so no page is scored by a model that saw it)."""
    stage1, stage2 = fit_both([p for group in groups for p in group], l2)
    out_of_fold = [None] * len(groups)
    for k in range(FOLDS):
        rest = [p for i, group in enumerate(groups) if i % FOLDS != k for p in group]
        part1, part2 = fit_both(rest, l2)
        for i in range(k, len(groups), FOLDS):
            out_of_fold[i] = combined(part1, part2, groups[i][0][0])
    return stage1, stage2, out_of_fold


def probabilities(stage1, stage2, pages):
    return [combined(stage1, stage2, rows) if numbers is not None else np.zeros(len(rows))
            for rows, _, numbers in pages]


def flagged(p, t: float, low: float):
    """The lines the rule reports at these thresholds (`chrome_runs`)."""
    out = np.zeros(len(p), bool)
    for first, last in chrome_runs(p, t, low, SHORT_THRESHOLD):
        out[first:last + 1] = True
    return out


def pick_thresholds(pages, clean, precision: float, extend_precision: float,
                    clean_share: float) -> tuple[float, float]:
    """The lowest threshold at which the out-of-fold precision reaches
    `precision`, then the lowest extend threshold at which it stays above
    `extend_precision`, at most `clean_share` of the clean lines being flagged
    (pages: [(p, y)], clean: [p])."""
    def ok(t, low, target):
        f = figures(pages, t, low)
        share = sum(flagged(p, t, low).sum() for p in clean) / sum(len(p) for p in clean)
        return f["precision"] >= target and share <= clean_share, f, share
    high = next((round(float(t), 3) for t in np.arange(0.5, 0.995, 0.005)
                 if ok(t, t, precision)[0]), 0.995)
    low = high
    for t in np.arange(high, 0.295, -0.05):
        good, f, share = ok(high, t, extend_precision)
        print(f"out of fold, thresholds {high} / {t:.2f}: {f}, clean {share:.4f}")
        if not good:
            break
        low = round(float(t), 3)
    return high, low


def figures(pages, t, low):
    tp = fp = fn = 0
    for p, y in pages:
        got = flagged(p, t, low)
        tp += (got & (y == 1)).sum()
        fp += (got & (y == 0)).sum()
        fn += (~got & (y == 1)).sum()
    return {"recall": round(float(tp / max(tp + fn, 1)), 4),
            "precision": round(float(tp / max(tp + fp, 1)), 4), "chrome_lines": int(tp + fn)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--l2", type=float, default=3.0)
    parser.add_argument("--precision", type=float, default=0.95)
    parser.add_argument("--extend-precision", type=float, default=0.95)
    parser.add_argument("--clean-share", type=float, default=0.003)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    labels = json.loads((args.data / "labels.json").read_text())
    names = sorted(labels)
    test = [n for n in names if held_out(n)]
    dumps = {n: page(args.data / "dumps" / n, set(labels[n])) for n in names}
    # pages in a language without stopwords: the rule leaves them alone, training too
    train_names = [n for n in names if not held_out(n) and dumps[n][2] is not None]
    bodies = {n: page(args.data / "bodies" / n, None) for n in names}
    groups = [(dumps[n], bodies[n], page(args.data / "dumps" / n, set(labels[n]), CROP_MARGIN))
              for n in train_names]
    # the thresholds from out-of-fold scores of the dump lines (bodies are all clean)
    stage1, stage2, oof_pages = train(groups, args.l2)
    clean = probabilities(stage1, stage2, [bodies[n] for n in train_names])
    threshold, extend = pick_thresholds([(p, dumps[n][1]) for p, n in zip(oof_pages, train_names)],
                                        clean, args.precision, args.extend_precision,
                                        args.clean_share)
    test_p = probabilities(stage1, stage2, [dumps[n] for n in test])
    held = figures([(p, dumps[n][1]) for p, n in zip(test_p, test)], threshold, extend)
    test_clean = probabilities(stage1, stage2, [bodies[n] for n in test])
    held["clean_body_lines_flagged"] = round(sum(flagged(p, threshold, extend).sum()
                                                 for p in test_clean)
                                             / sum(len(p) for p in test_clean), 4)
    model = {
        "about": "page-chrome classifier NL130; made by bench/train_chrome.py, see its docstring",
        "features": feature_names(), "stage2_features": list(STAGE2_NAMES),
        "stage1": {k: [round(float(v), 6) for v in stage1[k]] for k in ("mean", "std", "weights")},
        "stage2": {k: [round(float(v), 6) for v in stage2[k]] for k in ("mean", "std", "weights")},
        "threshold": threshold, "extend_threshold": extend,
        "short_run_threshold": SHORT_THRESHOLD, "l2": args.l2, "trained_on": len(train_names),
        "held_out": dict(held, pages=len(test)),
    }
    print(f"pages: {len(train_names)} training, {len(test)} held out; thresholds {threshold} / "
          f"{extend}")
    print(f"held out: {json.dumps(model['held_out'])}")
    if args.check:
        shipped = json.loads(MODEL_PATH.read_text())
        same = shipped["stage1"] == model["stage1"] and shipped["stage2"] == model["stage2"]
        print("shipped model reproduced" if same else "shipped model differs")
        sys.exit(0 if same else 1)
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n")
    SPLIT_PATH.write_text(json.dumps({"held_out": sorted(Path(n).stem for n in test)}, indent=1) + "\n")
    print(f"wrote {MODEL_PATH} and {SPLIT_PATH}")


if __name__ == "__main__":
    main()
