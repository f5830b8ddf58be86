"""The demo's planted, known effect: completed action items of one category thin that
category's later tickets in their community (data/effect.toml: the category and the share).

A ticket of the planted category in a community whose first completed item of that category
was done before the ticket's day (done_on < the ticket's created_at date) is dropped with
probability `share`.  The draws come from a stream of their own (STREAM_PLANTED and the
month), one uniform per generated ticket, so every other table, every other ticket and the
tickets of a build without the effect (share 0) are the same as before.  Street-level items
(no community) plant nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .catalogue import CATEGORIES, read_toml
from .sampling import STREAM_PLANTED, stream_rng

_SETTINGS = read_toml("effect.toml")
PLANTED_CATEGORY: str = _SETTINGS["category"]
PLANTED_SHARE: float = float(_SETTINGS["share"])
_US_PER_DAY = 86_400 * 1_000_000
_NEVER = np.iinfo(np.int64).max
# level-2 category index -> True where its level 1 is the planted category
_PLANTED_L2 = np.array(CATEGORIES.l1.to_pylist(), dtype=object) == PLANTED_CATEGORY
if not _PLANTED_L2.any():
    raise ValueError(f"effect.toml: {PLANTED_CATEGORY} is not a ticket category")


@dataclass(frozen=True)
class Planted:
    """Where and from when the effect acts: per community index, the first microsecond of the
    day after its first completed item of the category was done (int64 max: never)."""

    share: float
    from_us: np.ndarray
    items: int                    # completed items of the category with a community

    def meta(self) -> dict:
        """What the snapshot's manifest records (details.generator.planted_effect)."""
        return {"category": PLANTED_CATEGORY, "share": self.share, "completed_items": self.items,
                "communities": int((self.from_us != _NEVER).sum()),
                "rule": "该类已完成事项所在社区，完成日之后的同类工单按此比例随机剔除"}


def planted(items: pd.DataFrame | None, community_ids: np.ndarray, share: float) -> Planted:
    """The effect of `share` given the action items (None or without the column: no item)."""
    if not 0.0 <= share < 1.0:
        raise ValueError("planted_effect must be a share in [0, 1)")
    from_us = np.full(len(community_ids), _NEVER, dtype=np.int64)
    if items is None or "category_l1" not in items:
        return Planted(share, from_us, 0)
    done = items[(items["status"] == "完成") & (items["category_l1"] == PLANTED_CATEGORY)
                 & items["community_id"].notna() & items["done_on"].notna()]
    community = pd.Index(community_ids).get_indexer(done["community_id"])
    done, community = done[community >= 0], community[community >= 0]   # a community the demo lacks: none
    day_after = (pd.to_datetime(done["done_on"]).to_numpy().astype("datetime64[D]") + 1).astype("datetime64[us]")
    np.minimum.at(from_us, community, day_after.astype(np.int64))
    return Planted(share, from_us, len(done))


def keep_mask(p: Planted, seed: int, m: int, created_us: np.ndarray, cat: np.ndarray, comm: np.ndarray,
              placed: np.ndarray) -> np.ndarray | None:
    """Which of month `m`'s tickets survive (None: all of them), vectorised.

    `cat` are level-2 category indices, `comm` community indices, `placed` False for tickets
    without a community; the draw is made for every ticket so it does not depend on the others.
    """
    if p.share == 0.0:
        return None
    u = stream_rng(seed, STREAM_PLANTED, m).random(len(created_us))
    hit = _PLANTED_L2[cat] & placed & (created_us >= p.from_us[comm]) & (u < p.share)
    return ~hit if hit.any() else None
