"""Train the page-chrome classifier (NL130) and write its weights as JSON.

    python bench/train_chrome.py [--data ../shared/corpora/readability] [--check]

Reproducible: no randomness. The pages of the set are split by a hash of their
name: about 30% are held out (listed in `bench/chrome_split.json`) and never
seen in training; the rest train. Training examples are the non-empty lines of
each training dump (chrome = not in `labels.json`) and, as extra clean
examples, the lines of the same pages' clean `bodies/`.

Stage 1 is an L2-regularised logistic regression (Newton's method) on the
shallow features of `chrome_features`; stage 2 is one on stage 1's
probabilities around each line, which it learns from out-of-fold stage-1
scores (3 folds of the training pages), so it does not learn to trust an
over-fitted stage 1. The threshold is the lowest one at which the out-of-fold
precision on the training pages reaches `--precision` and at most
`--clean-share` of the clean body lines are flagged. The held-out figures are
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

from newslint.checks.boilerplate.chrome_features import feature_names, page_features  # noqa: E402
from newslint.checks.boilerplate.chrome_model import (  # noqa: E402
    MODEL_PATH, STAGE2_NAMES, linear, sigmoid, stage2_features)

DEFAULT_DATA = HERE.parent.parent.parent / "shared" / "corpora" / "readability"
SPLIT_PATH = HERE / "chrome_split.json"
HELD_OUT_SHARE = 0.3
FOLDS = 3


def held_out(name: str) -> bool:
    return int(hashlib.sha1(name.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < HELD_OUT_SHARE


def page(path: Path, content: set[int] | None):
    """(feature rows, labels, line numbers) for one file: its non-empty lines
    but the first (the title, which the rule does not classify); labels 1 =
    chrome (all 0 for a clean body)."""
    raw = path.read_text(encoding="utf-8").split("\n")
    numbers = [i + 1 for i, text in enumerate(raw) if text.strip()][1:]
    lines = [raw[i - 1].strip() for i in numbers]
    rows = page_features(lines)
    labels = [0 if content is None or n in content else 1 for n in numbers]
    return np.asarray(rows), np.asarray(labels, float), numbers


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


def train(pages, l2):
    x = np.vstack([p[0] for p in pages])
    y = np.concatenate([p[1] for p in pages])
    stage1 = fit(x, y, l2)
    folds = [pages[k::FOLDS] for k in range(FOLDS)]
    second, labels = [], []
    for k in range(FOLDS):
        rest = [p for j in range(FOLDS) if j != k for p in folds[j]]
        part = fit(np.vstack([p[0] for p in rest]), np.concatenate([p[1] for p in rest]), l2)
        second.append(stage2_rows(part, folds[k]))
        labels.append(np.concatenate([p[1] for p in folds[k]]))
    stage2 = fit(np.vstack(second), np.concatenate(labels), l2)
    out_of_fold = sigmoid(linear(stage2, np.vstack(second)))
    return stage1, stage2, out_of_fold, np.concatenate(labels)


def probabilities(stage1, stage2, pages):
    return [sigmoid(linear(stage2, stage2_features(linear(stage1, rows))))
            for rows, _, _ in pages]


def pick_threshold(p, y, clean_p, precision: float, clean_share: float) -> float:
    for t in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        print(f"out of fold, threshold {t}: {figures(p, y, t)}, clean {(clean_p >= t).mean():.4f}")
    for t in np.arange(0.30, 0.995, 0.005):
        got = p >= t
        tp, fp = (got & (y == 1)).sum(), (got & (y == 0)).sum()
        if tp and tp / (tp + fp) >= precision and (clean_p >= t).mean() <= clean_share:
            return round(float(t), 3)
    return 0.995


def figures(p, y, t):
    got = p >= t
    tp, fp, fn = (got & (y == 1)).sum(), (got & (y == 0)).sum(), (~got & (y == 1)).sum()
    return {"recall": round(float(tp / max(tp + fn, 1)), 4),
            "precision": round(float(tp / max(tp + fp, 1)), 4), "chrome_lines": int(tp + fn)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--l2", type=float, default=3.0)
    parser.add_argument("--precision", type=float, default=0.985)
    parser.add_argument("--clean-share", type=float, default=0.002)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    labels = json.loads((args.data / "labels.json").read_text())
    names = sorted(labels)
    test = [n for n in names if held_out(n)]
    train_names = [n for n in names if not held_out(n)]
    dumps = {n: page(args.data / "dumps" / n, set(labels[n])) for n in names}
    bodies = {n: page(args.data / "bodies" / n, None) for n in names}
    train_pages = [dumps[n] for n in train_names] + [bodies[n] for n in train_names]
    stage1, stage2, oof, oof_y = train(train_pages, args.l2)
    clean_oof = np.concatenate(probabilities(stage1, stage2, [bodies[n] for n in train_names]))
    # the threshold from out-of-fold dump lines only (bodies are all clean)
    dump_count = sum(len(dumps[n][1]) for n in train_names)
    threshold = pick_threshold(_dump_part(oof, train_pages, train_names),
                               np.concatenate([dumps[n][1] for n in train_names]),
                               clean_oof, args.precision, args.clean_share)
    assert dump_count == len(np.concatenate([dumps[n][1] for n in train_names]))
    test_p = np.concatenate(probabilities(stage1, stage2, [dumps[n] for n in test]))
    test_y = np.concatenate([dumps[n][1] for n in test])
    test_clean = np.concatenate(probabilities(stage1, stage2, [bodies[n] for n in test]))
    held = figures(test_p, test_y, threshold)
    held["clean_body_lines_flagged"] = round(float((test_clean >= threshold).mean()), 4)
    model = {
        "about": "page-chrome classifier NL130; made by bench/train_chrome.py, see its docstring",
        "features": feature_names(), "stage2_features": list(STAGE2_NAMES),
        "stage1": {k: [round(float(v), 6) for v in stage1[k]] for k in ("mean", "std", "weights")},
        "stage2": {k: [round(float(v), 6) for v in stage2[k]] for k in ("mean", "std", "weights")},
        "threshold": threshold, "l2": args.l2, "trained_on": len(train_names),
        "held_out": dict(held, pages=len(test)),
    }
    print(f"pages: {len(train_names)} training, {len(test)} held out; threshold {threshold}")
    print(f"held out: {json.dumps(model['held_out'])}")
    if args.check:
        shipped = json.loads(MODEL_PATH.read_text())
        same = shipped["stage1"] == model["stage1"] and shipped["stage2"] == model["stage2"]
        print("shipped model reproduced" if same else "shipped model differs")
        sys.exit(0 if same else 1)
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n")
    SPLIT_PATH.write_text(json.dumps({"held_out": sorted(Path(n).stem for n in test)}, indent=1) + "\n")
    print(f"wrote {MODEL_PATH} and {SPLIT_PATH}")


def _dump_part(oof, train_pages, train_names):
    """Out-of-fold probabilities of the dump lines only, in train_names order."""
    folds = [train_pages[k::FOLDS] for k in range(FOLDS)]
    pieces, pos = {}, 0
    for fold in folds:
        for p in fold:
            pieces[id(p)] = oof[pos:pos + len(p[1])]
            pos += len(p[1])
    return np.concatenate([pieces[id(p)] for p in train_pages[:len(train_names)]])


if __name__ == "__main__":
    main()
