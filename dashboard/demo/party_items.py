"""Action items (为民实事, 重点提升事项, 一号工程, 每月一题) and the 议事 sessions behind them.

Items go where the tickets are: each addresses a ticket category (level 1) and a community
drawn by (tickets there)^focus, so the communities and categories with most complaints get
most items.  为民实事 has one list a year for three years, as long as it takes for the
published number to be done by the last day; 重点提升事项 are the published 1,902; a handful
of 一号工程 per street run three years; 每月一题 has its problems a month and 400+ tasks a
year.  Items from 议事 mostly have the session they came from.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import schema
from .party_catalogue import DELIBERATIONS, ITEMS, MONTHLY_TITLES, TICKET_L1, TICKET_L1_SHARE, TOPICS
from .party_world import (
    NAT,
    World,
    days_between,
    month_end,
    numbered,
    pick,
    settle,
    spans,
    ticket_cells,
    topics_of,
    year_start,
)
from .sampling import draw, split_integer

_POOL = 1500          # 为民实事 drawn per year before the list length is chosen
_TOPIC_CATEGORY = np.array([t.category for t in TOPICS], dtype=object)
_TOPIC_NAME = np.array([t.topic for t in TOPICS], dtype=object)


def item_table(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """Every action item of the programs' three years, statuses as of the last day.

    Besides the schema's columns, `identified` is the day an item was put on its list.
    """
    parts = [_people(world, rng), _key_items(world, rng), _number_one(world, rng), _monthly(world, rng)]
    items = pd.concat(parts, ignore_index=True)
    items.insert(0, "item_id", numbered("I", len(items), 5))
    return items


def _items(world: World, rng: np.random.Generator, program: str, year: np.ndarray, identified: np.ndarray,
           due: np.ndarray, l1: np.ndarray | None = None, streets: np.ndarray | None = None,
           topic_id: np.ndarray | None = None) -> pd.DataFrame:
    """Items of one program, given their years, listing and due days; the rest drawn here."""
    spec, as_of, n = ITEMS["program"][program], world.as_of, len(year)
    community, drawn_l1 = ticket_cells(world, rng, n, ITEMS["ticket_focus"], streets)
    l1 = drawn_l1 if l1 is None else l1
    street = world.street_of[community] if streets is None else streets
    named = rng.random(n) >= spec.get("street_level", ITEMS["street_level"])
    topic = topics_of(rng, l1)
    source = pick(rng, schema.SOURCES, spec["sources"], n)
    classified = ~np.isin(source, ("走访", "交办")) | (rng.random(n) >= ITEMS["unclassified"])
    identified = np.minimum(identified, as_of)
    started = identified + spans(rng, *spec["start_days"], n)
    finish = np.maximum(due + np.round(rng.normal(*spec["slip_days"], n)).astype(np.int64), started + 7)
    finish = np.where(rng.random(n) < spec["never_done"], NAT, finish)
    cancelled = rng.random(n) < spec["cancelled"]
    closes = np.maximum(month_end(year, 12), due) + ITEMS["list_closes_days"]
    status, done_on = settle(as_of, started, finish, cancelled, closes, waiting="计划")
    place = np.where(named, world.places[community], world.street_names[street])
    return pd.DataFrame({
        "title_zh": place + _TOPIC_NAME[topic], "program": program, "category": _TOPIC_CATEGORY[topic],
        "category_l1": np.where(classified, np.array(TICKET_L1, dtype=object)[l1], None),
        "street_code": world.street_codes[street],
        "community_id": np.where(named, world.community_ids[community], None),
        "source": source, "topic_id": topic_id, "planned_year": year,
        "started_on": np.where(started <= as_of, started, NAT), "due_on": due, "status": status,
        "done_on": done_on, "identified": identified,
    })


def _listed(world: World, rng: np.random.Generator, program: str, year: np.ndarray) -> pd.DataFrame:
    """Items of a yearly list: put on it early in the year, due by month (most by December)."""
    spec = ITEMS["program"][program]
    identified = year_start(year) + spans(rng, 0, spec["identified_days"] - 1, len(year))
    due = month_end(year, 1 + draw(rng, np.array(spec["due_month_weights"], dtype=float), len(year)))
    return _items(world, rng, program, year, identified, due)


def _people(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """为民实事: three yearly lists of equal length, the shortest with the published number done."""
    pool = _listed(world, rng, "为民实事", np.repeat(np.array(world.years), _POOL))
    done = (pool["status"] == "完成").to_numpy().reshape(len(world.years), _POOL)
    total = np.cumsum(done, axis=1).sum(axis=0)
    if total[-1] < ITEMS["people_done"]:
        raise ValueError("party.toml: the 为民实事 pool is too small for people_done")
    length = int(np.argmax(total >= ITEMS["people_done"])) + 1
    return pool[np.tile(np.arange(_POOL) < length, len(world.years))]


def _key_items(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """重点提升事项: the published number, spread evenly over the three years."""
    per_year = split_integer(ITEMS["key_items"], np.ones(len(world.years)))
    return _listed(world, rng, "重点提升事项", np.repeat(np.array(world.years), per_year))


def _number_one(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """一号工程: a handful per street, listed in the first year, due at the end of the third."""
    lo, hi = ITEMS["one_per_street"]
    streets = np.repeat(np.arange(len(world.street_codes)), rng.integers(lo, hi + 1, len(world.street_codes)))
    n, first = len(streets), world.years[0]
    identified = year_start(first) + spans(rng, 0, ITEMS["program"]["一号工程"]["identified_days"] - 1, n)
    due = np.repeat(month_end(world.years[-1], 12), n)
    return _items(world, rng, "一号工程", np.full(n, first), identified, due, streets=streets)


def _monthly(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """每月一题: each year's problems over its months, each on one ticket category, its tasks
    spread over the communities by tickets; problems of months after the last day are left out."""
    parts = []
    for year in world.years:
        problems = ITEMS["monthly_problems"].get(str(year), ITEMS["monthly_problems_other"])
        month = 1 + np.arange(problems) * 12 // problems
        l1 = draw(rng, TICKET_L1_SHARE ** ITEMS["ticket_focus"], problems)
        within = np.arange(problems) - np.searchsorted(month, month) + 1   # the problem's number in its month
        tasks = split_integer(ITEMS["monthly_tasks_per_year"], np.ones(problems))
        keep = month_end(year, month - 1) + 1 <= world.as_of   # the month has begun
        m, k, c = (np.repeat(a[keep], tasks[keep]) for a in (month, within, l1))
        identified = month_end(year, m - 1) + 1
        due = month_end(year, m) + ITEMS["program"]["每月一题"]["due_after_month_days"]
        topic_id = np.array([f"T{year}-{a:02d}-{b}" for a, b in zip(m, k)], dtype=object)
        part = _items(world, rng, "每月一题", np.full(len(m), year), identified, due, l1=c, topic_id=topic_id)
        part["topic_l1"] = np.array(TICKET_L1, dtype=object)[c]   # the topic's category (category_l1 may be blank)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def topic_table(items: pd.DataFrame) -> pd.DataFrame:
    """每月一题 topics: one row for each topic the items use, on its problem's ticket category
    (every level 2), titled from monthly_topic_titles.csv: a category's n-th topic takes its
    n-th title (cycling).  No random draw: the items decide everything."""
    tasks = items[items["topic_id"].notna()]
    topics = tasks.drop_duplicates("topic_id")[["topic_id", "topic_l1"]].rename(columns={"topic_l1": "category_l1"})
    topics = topics.sort_values("topic_id", kind="stable", ignore_index=True)
    parts = topics["topic_id"].str.extract(r"^T(\d{4})-(\d{2})-\d+$")
    topics["year"], topics["month"] = parts[0].astype(int), parts[1].astype(int)
    nth = topics.groupby("category_l1").cumcount()
    topics["title_zh"] = [MONTHLY_TITLES[c][k % len(MONTHLY_TITLES[c])] for c, k in zip(topics["category_l1"], nth)]
    topics["category_l2"] = None
    return topics


def deliberation_table(world: World, items: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """议事 sessions from the first program year to the last day: those behind 议事 items, held
    shortly before the item was listed, and the many others on the three platforms."""
    spec, as_of = DELIBERATIONS, world.as_of
    points = rng.choice(len(world.community_ids), spec["demo_points"], replace=False)   # 楼门院示范点
    behind = items[(items["source"] == "议事") & (rng.random(len(items)) < spec["linked"])]
    n = len(behind)
    community = pd.Index(world.community_ids).get_indexer(behind["community_id"])
    platform = pick(rng, schema.PLATFORMS, spec["linked_platforms"], n)
    platform[(platform == "楼门院示范点") & ~np.isin(community, points)] = "楼院议事"
    platform[community < 0] = "西城家园"
    linked = pd.DataFrame({
        "platform": platform, "street_code": behind["street_code"].to_numpy(),
        "community_id": behind["community_id"].to_numpy(),
        "held_on": behind["identified"].to_numpy().astype("datetime64[D]") - spans(rng, *spec["held_before_days"], n),
        "category": behind["category"].to_numpy(),
        "outcome": pick(rng, schema.OUTCOMES, spec["outcomes_linked"], n), "item_id": behind["item_id"].to_numpy(),
    })
    first = year_start(world.years[0])
    years = ((as_of - first).astype(np.int64) + 1) / 365.25
    volume = {"楼院议事": spec["platforms"] * spec["sessions_per_platform"], "楼门院示范点": spec["demo_points"] *
              spec["sessions_per_point"], "西城家园": spec["online_per_year"]}
    others = [_sessions(world, rng, p, int(rng.poisson(v * years)), first, points) for p, v in volume.items()]
    out = pd.concat([linked, *others], ignore_index=True)
    mean = out["platform"].map({p: a[1] for p, a in spec["attendees"].items()}).to_numpy(dtype=float)
    fewest = out["platform"].map({p: a[0] for p, a in spec["attendees"].items()}).to_numpy()
    out["attendees"] = fewest + rng.poisson(rng.gamma(2.0, mean / 2))
    out = out.sort_values("held_on", kind="stable", ignore_index=True)
    out.insert(0, "meeting_id", numbered("M", len(out), 6))
    return out


def _sessions(world: World, rng: np.random.Generator, platform: str, n: int, first: np.datetime64,
              points: np.ndarray) -> pd.DataFrame:
    """`n` sessions on `platform` that led to no item: in the demonstration points' communities
    (楼门院示范点) or anywhere by residents, on topics that follow the tickets."""
    spec = DELIBERATIONS
    if platform == "楼门院示范点":
        community = points[rng.integers(0, len(points), n)]
    else:
        community = draw(rng, world.population.astype(float), n)
    online = (platform == "西城家园") & (rng.random(n) < spec["online_without_community"])
    _, l1 = ticket_cells(world, rng, n, 1.0)
    return pd.DataFrame({
        "platform": platform, "street_code": world.street_codes[world.street_of[community]],
        "community_id": np.where(online, None, world.community_ids[community]),
        "held_on": days_between(rng, first, world.as_of, n), "category": _TOPIC_CATEGORY[topics_of(rng, l1)],
        "outcome": pick(rng, schema.OUTCOMES, spec["outcomes_other"], n), "item_id": None,
    })

