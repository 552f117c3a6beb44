"""The page-chrome classifier's model: two stacked logistic regressions whose
weights ship as data (`data/chrome_model.json`, made by `bench/train_chrome.py`).

Stage 1 scores each line from its own shallow features and its neighbours'
(`chrome_features.page_features`). Stage 2 smooths: it scores each line again
from stage 1's probabilities around it (the line before and after, windows of
2, 5 and 10 lines, and how much of the whole page stage 1 took for chrome), so
a short line inside a menu is chrome and the same line inside an article is
not. A line is chrome when stage 2's probability reaches the model's threshold.
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


def chrome_probabilities(rows: list[list[float]], model: dict[str, Any] | None = None):
    """Stage 2's probability that each line (a row of page features) is chrome."""
    model = model or load_model()
    x = np.asarray(rows, dtype=np.float64)
    logit = linear(model["stage1"], x)
    second = stage2_features(logit)
    return sigmoid(linear(model["stage2"], second))
