"""The page-chrome classifier's model: two stacked logistic regressions whose
weights ship as data (`data/chrome_model.json`, made by `bench/train_chrome.py`).

Stage 1 scores each line from its own shallow features and its neighbours'
(`chrome_features.page_features`). Stage 2 smooths: it scores each line again
from stage 1's probabilities around it (the line before and after, windows of
2, 5 and 10 lines, and how much of the whole page stage 1 took for chrome), so
a short line inside a menu is chrome and the same line inside an article is
not; but a line stage 1 finds more likely article than chrome stays article.
A line is chrome when its probability reaches the model's
`threshold`, or reaches `extend_threshold` next to a chrome line (hysteresis,
as in jusText's context-sensitive pass: a run grows over its weaker edges).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from newslint.lazy import lazy_module

np = lazy_module("numpy")

MODEL_PATH = Path(__file__).resolve().parent / "data" / "chrome_model.json"
STAGE2_NAMES = ("bias", "logit", "p_prev", "p_next", "mean2", "mean5", "mean10", "page_mean",
                "log_lines")


@lru_cache(maxsize=1)
def load_model(path: str = str(MODEL_PATH)) -> dict[str, Any]:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    for stage in ("stage1", "stage2"):
        for key in ("mean", "std", "weights"):
            raw[stage][key] = np.asarray(raw[stage][key], dtype=np.float64)
    return raw


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def linear(stage: dict[str, Any], x) -> Any:
    """The stage's logits for the rows of x (standardised as in training)."""
    return ((x - stage["mean"]) / stage["std"]) @ stage["weights"]


def window_mean(p, half: int):
    """Mean of p over [i - half, i + half], clipped at the ends (cumulative sums)."""
    n = len(p)
    c = np.concatenate(([0.0], np.cumsum(p)))
    lo = np.clip(np.arange(n) - half, 0, n)
    hi = np.clip(np.arange(n) + half + 1, 0, n)
    return (c[hi] - c[lo]) / (hi - lo)


def stage2_features(logit):
    p = sigmoid(logit)
    prev = np.concatenate(([p[0] if len(p) else 0.0], p[:-1]))
    nxt = np.concatenate((p[1:], [p[-1] if len(p) else 0.0]))
    return np.column_stack([np.ones(len(p)), logit, prev, nxt, window_mean(p, 2),
                            window_mean(p, 5), window_mean(p, 10),
                            np.full(len(p), p.mean() if len(p) else 0.0),
                            np.full(len(p), np.log1p(len(p)))])


#: a line stage 1 finds more likely article than chrome keeps stage 1's
#: probability: its neighbours alone (a short article between a long menu and
#: a long footer) never make it chrome
STAGE1_FLOOR = 0.5


def combined(stage1: dict[str, Any], stage2: dict[str, Any], x):
    """Each line's probability of being chrome: stage 2's, or stage 1's where
    that is under STAGE1_FLOOR."""
    logit = linear(stage1, x)
    first = sigmoid(logit)
    return np.where(first >= STAGE1_FLOOR, sigmoid(linear(stage2, stage2_features(logit))), first)


def chrome_probabilities(rows: list[list[float]], model: dict[str, Any] | None = None):
    """The probability that each line (a row of page features) is chrome."""
    model = model or load_model()
    return combined(model["stage1"], model["stage2"], np.asarray(rows, dtype=np.float64))


def chrome_flags(p, threshold: float, extend: float) -> list[bool]:
    """Lines at or above `threshold`, grown over neighbours at or above `extend`."""
    flags = [bool(x >= threshold) for x in p]
    weak = [bool(x >= extend) for x in p]
    for i in range(1, len(flags)):
        flags[i] = flags[i] or (flags[i - 1] and weak[i])
    for i in range(len(flags) - 2, -1, -1):
        flags[i] = flags[i] or (flags[i + 1] and weak[i])
    return flags


SHORT_RUN = 2  # runs of up to this many lines need `short_threshold`


def chrome_runs(p, threshold: float, extend: float, short_threshold: float) -> list[tuple[int, int]]:
    """(first, last) line index of each run of chrome: `chrome_flags`, less
    the runs of one or two lines none of which reaches `short_threshold` (a
    table row or a list item between paragraphs looks like a short menu)."""
    out, start = [], None
    flags = chrome_flags(p, threshold, extend) + [False]
    for i, flag in enumerate(flags):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start > SHORT_RUN or max(p[start:i]) >= short_threshold:
                out.append((start, i - 1))
            start = None
    return out
