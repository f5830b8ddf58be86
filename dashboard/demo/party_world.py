"""What the party layer's tables are drawn from, and the helpers they share.

`World` holds the places (streets, communities), where the tickets are (the plan's community
weights and the categories' shares), the calendar (the data's last day, the ticket window, the
programs' three years) and the seed.  The helpers draw places where tickets are, pick values
by weight, name things in Chinese numerals and settle the status of planned work on a day.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from .party_catalogue import TICKET_L1, TICKET_L1_SHARE, TOPICS
from .plan import Plan
from .sampling import draw, stream_rng

NAT = np.datetime64("NaT", "D")
PROGRAM_YEARS = 3              # 为民实事 three years running [S]; the lists of the last three years
_CN_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class World:
    """Places, ticket weights and the calendar of the demo, as arrays by position."""

    seed: int
    as_of: np.datetime64          # the data's last day (datetime64[D])
    first_day: np.datetime64      # the ticket window's first day
    years: tuple[int, ...]        # the programs' years, the last one the year of `as_of`
    street_codes: np.ndarray
    street_short: np.ndarray      # 德胜, 什刹海, …
    street_names: np.ndarray      # 德胜街道, …
    community_ids: np.ndarray
    community_names: np.ndarray   # 德胜里社区, …
    places: np.ndarray            # each community's name without 社区, to start names of things in it
    community_lat: np.ndarray
    community_lon: np.ndarray
    population: np.ndarray        # of each community
    street_of: np.ndarray         # street index of each community
    ticket_weight: np.ndarray     # relative tickets of each community (the plan's)
    plan: Plan

    def rng(self, stream: int) -> np.random.Generator:
        """The seeded Generator of one of the party layer's streams."""
        return stream_rng(self.seed, stream)

    @property
    def street_weight(self) -> np.ndarray:
        """Relative tickets of each street: where residents and visitors are."""
        return np.bincount(self.street_of, self.ticket_weight, len(self.street_codes))


def make_world(seed: int, data_as_of: date, streets: pd.DataFrame, communities: pd.DataFrame, plan: Plan) -> World:
    """The world of the party layer: the demo's streets and communities and its ticket plan."""
    as_of = np.datetime64(data_as_of, "D")
    last_year = data_as_of.year
    return World(
        seed=seed, as_of=as_of, first_day=plan.first_day.astype("datetime64[D]"),
        years=tuple(range(last_year - PROGRAM_YEARS + 1, last_year + 1)),
        street_codes=streets["street_code"].to_numpy(dtype=object),
        street_short=streets["short_zh"].to_numpy(dtype=object),
        street_names=streets["name_zh"].to_numpy(dtype=object),
        community_ids=communities["community_id"].to_numpy(dtype=object),
        community_names=communities["name_zh"].to_numpy(dtype=object),
        places=communities["name_zh"].str.removesuffix("社区").to_numpy(dtype=object),
        community_lat=communities["lat"].to_numpy(), community_lon=communities["lon"].to_numpy(),
        population=communities["population"].to_numpy(),
        street_of=plan.community_street, ticket_weight=plan.community_weight, plan=plan,
    )


def pick(rng: np.random.Generator, options: Sequence, weights, n: int) -> np.ndarray:
    """`n` of `options` drawn in proportion to `weights`, as an object array."""
    return np.asarray(options, dtype=object)[draw(rng, np.asarray(weights, dtype=float), n)]


def ticket_cells(world: World, rng: np.random.Generator, n: int, focus: float,
                 streets: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """`n` (community, level-1 category) index pairs drawn where the tickets are.

    A pair's chance is (its share of tickets)^`focus`: with focus > 1 action concentrates
    on the communities and categories with most complaints.  The demo's tickets draw
    community and category independently, so the two draws are independent too.  With
    `streets` (one street index per draw) each community is drawn within its street.
    """
    weight = world.ticket_weight ** focus
    community = draw(rng, weight, n) if streets is None else communities_in(world, rng, streets, weight)
    return community, draw(rng, TICKET_L1_SHARE ** focus, n)


def communities_in(world: World, rng: np.random.Generator, streets: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """A community index for each street index in `streets`, drawn within it by `weight`."""
    out = np.empty(len(streets), dtype=np.int64)
    for s in np.unique(streets):
        mine = np.flatnonzero(world.street_of == s)
        at = streets == s
        out[at] = mine[draw(rng, weight[mine], int(at.sum()))]
    return out


def topics_of(rng: np.random.Generator, l1: np.ndarray) -> np.ndarray:
    """A topic (index into TOPICS) for each level-1 category index, drawn among its topics."""
    by_l1 = [np.flatnonzero([t.l1 == c for t in TOPICS]) for c in TICKET_L1]
    u = rng.random(len(l1))
    return np.array([by_l1[k][int(x * len(by_l1[k]))] for k, x in zip(l1, u)], dtype=np.int64)


def days_between(rng: np.random.Generator, lo, hi, n: int | None = None) -> np.ndarray:
    """Days drawn uniformly from [lo, hi] (datetime64[D], scalars or arrays)."""
    lo, hi = np.asarray(lo, dtype="datetime64[D]"), np.asarray(hi, dtype="datetime64[D]")
    span = (hi - lo).astype(np.int64) + 1
    size = n if n is not None else np.broadcast(lo, hi).shape
    return lo + (rng.random(size) * span).astype(np.int64)


def spans(rng: np.random.Generator, lo: int, hi: int, n: int) -> np.ndarray:
    """`n` spans of `lo`..`hi` days (timedelta64[D]), drawn uniformly."""
    return (lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)).astype("timedelta64[D]")


def year_start(year) -> np.ndarray:
    """1 January of `year` (an int or an int array), as datetime64[D]."""
    return (np.asarray(year, dtype=np.int64) - 1970).astype("datetime64[Y]").astype("datetime64[D]")


def month_end(year, month) -> np.ndarray:
    """The last day of `month` (1–12) of `year` (ints or int arrays), as datetime64[D]."""
    months = (np.asarray(year, dtype=np.int64) - 1970) * 12 + np.asarray(month, dtype=np.int64)
    return months.astype("datetime64[M]").astype("datetime64[D]") - 1


def settle(as_of: np.datetime64, start: np.ndarray, finish: np.ndarray, cancelled: np.ndarray,
           closes: np.ndarray, waiting: str) -> tuple[np.ndarray, np.ndarray]:
    """Status and done_on on `as_of` of work planned to start on `start` and done on `finish`.

    `finish` NaT or after `closes` (the day its list closes) means it is never done: 未完成
    once the list has closed, 实施 before.  Not started yet: `waiting` (计划, 认领).
    """
    done = (finish <= as_of) & (finish <= closes) & ~cancelled
    status = np.where(cancelled, "取消", np.where(start > as_of, waiting, np.where(
        done, "完成", np.where(closes < as_of, "未完成", "实施")))).astype(object)
    return status, np.where(done, finish, NAT)


def cn_number(n: int) -> str:
    """`n` (1–99) in Chinese numerals: 一, 十, 十二, 二十三."""
    tens, ones = divmod(int(n), 10)
    head = ("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else ""
    return head + (_CN_DIGITS[ones] if ones else "")


def numbered(prefix: str, n: int, width: int) -> list[str]:
    """`n` ids: prefix + a zero-padded sequence number from 1."""
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]
