"""Random draws of the demo: one seeded numpy Generator per stream, and a few samplers.

Each part of the data draws from its own Generator, seeded by (seed, stream[, month]), so
changing one part (say, the facility list) leaves the others byte-identical, and nothing
depends on global or hash-based state.
"""
from __future__ import annotations

import numpy as np

# The streams, one per part of the data (tickets: STREAM_MONTH and the month's index).
STREAM_COMMUNITIES, STREAM_CIRCLES, STREAM_FACILITIES, STREAM_PLAN, STREAM_MONTH = range(1, 6)
# The party layer's streams: new numbers, so the tables above stay byte-identical.
(STREAM_UNITS, STREAM_ORGS, STREAM_PAIRINGS, STREAM_PROJECTS, STREAM_WHISTLES, STREAM_ITEMS,
 STREAM_DELIBERATIONS) = range(6, 13)
# The planted effect's thinning of the tickets (effect.py, with the month's index).
STREAM_PLANTED = 13


def stream_rng(seed: int, *stream: int) -> np.random.Generator:
    """The Generator of one random stream: seeded by the demo's seed and the stream's numbers."""
    return np.random.default_rng([seed, *stream])


def sigmoid(x):
    """The logistic function 1 / (1 + e^-x), elementwise."""
    return 1.0 / (1.0 + np.exp(-x))


def draw(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    """`n` indices drawn with probability proportional to `weights` (inverse CDF)."""
    cdf = np.cumsum(weights, dtype=float)
    cdf /= cdf[-1]
    return np.searchsorted(cdf, rng.random(n), side="right")


def split_integer(total: int, weights: np.ndarray) -> np.ndarray:
    """`total` split in proportion to `weights` into integers summing to it (largest remainder)."""
    raw = weights / weights.sum() * total
    out = np.floor(raw).astype(np.int64)
    out[np.argsort(out - raw, kind="stable")[: total - out.sum()]] += 1
    return out
