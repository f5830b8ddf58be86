"""The demo's catalogue: the literal data in data/ (see data/README.md), read once.

Categories, community-name stems, circles, facility brands, channels and the volume
rhythm are data files rather than code; this module turns them into the tuples and arrays
the generator uses.  CSVs are read with the csv module and numbers with float()/int(), so
every value is exactly what its text says, and rows keep their file order.
"""
from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pyarrow as pa

from ..core import limits

DATA_DIR = Path(__file__).parent / "data"

# The seasonal profiles a category can follow; plan.season_matrix has one column per name.
SEASONS = ("flat", "heating", "summer", "rain", "snow", "catkins", "building")


def read_rows(name: str) -> list[dict[str, str]]:
    """The rows of data/`name` as dicts of strings, in file order."""
    with open(DATA_DIR / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_toml(name: str) -> dict:
    """data/`name`, parsed."""
    with open(DATA_DIR / name, "rb") as f:
        return tomllib.load(f)


# --- ticket categories --------------------------------------------------------------------

@dataclass(frozen=True)
class Categories:
    """The level-2 categories as parallel arrays, indexed by category number."""

    l1: pa.Array
    l2: pa.Array
    share: np.ndarray           # share of all tickets over a year
    season: np.ndarray          # index into SEASONS
    limit_h: np.ndarray
    difficulty: np.ndarray      # logit offset of resolving
    evening: np.ndarray         # bool: night-time nuisance hour profile
    template_start: np.ndarray
    template_count: np.ndarray
    templates: pa.Array


def load_categories() -> Categories:
    """The categories of category_shares.csv, subcategories.csv and ticket_texts.csv."""
    l1_share = {r["category_l1"]: float(r["share_pct"]) for r in read_rows("category_shares.csv")}
    subs = read_rows("subcategories.csv")
    texts: dict[str, list[str]] = {}
    for r in read_rows("ticket_texts.csv"):
        texts.setdefault(r["category_l2"], []).append(r["content"])
    names = [s["category_l2"] for s in subs]
    if len(set(names)) != len(names) or set(names) != set(texts) or {s["category_l1"] for s in subs} != set(l1_share):
        raise ValueError("category files disagree: level-2 names must be unique and the same in every file")
    l1_weight: dict[str, float] = {}
    for s in subs:  # summed in file order, as the shares below divide by it
        l1_weight[s["category_l1"]] = l1_weight.get(s["category_l1"], 0) + float(s["weight"])
    share = [l1_share[s["category_l1"]] / 100 * float(s["weight"]) / l1_weight[s["category_l1"]] for s in subs]
    counts = np.array([len(texts[n]) for n in names])
    return Categories(
        l1=pa.array([s["category_l1"] for s in subs]),
        l2=pa.array(names),
        share=np.array(share),
        season=np.array([SEASONS.index(s["season"]) for s in subs]),
        limit_h=np.array([limits.hours_of(s["time_limit"]) for s in subs], dtype=np.int64),
        difficulty=np.array([float(s["difficulty"]) for s in subs], dtype=float),
        evening=np.array([s["evening"] == "yes" for s in subs]),
        template_start=np.concatenate([[0], np.cumsum(counts)[:-1]]),
        template_count=counts,
        templates=pa.array([t for n in names for t in texts[n]]),
    )


CATEGORIES = load_categories()


# --- places -------------------------------------------------------------------------------

class Circle(NamedTuple):
    """A 便民生活圈 of circles.csv."""

    name: str           # the circle is called name + 便民生活圈
    street: str         # short name of its street
    walk_minutes: int


class FacilityCategory(NamedTuple):
    """A facility category of facilities.toml."""

    brands: tuple[str, ...]
    per_circle: tuple[int, int]  # fewest, most in a complete circle
    missing_weight: float        # relative chance that an incomplete circle lacks it


def load_circles() -> tuple[Circle, ...]:
    """The 16 circles of circles.csv, in file order."""
    return tuple(Circle(r["name"], r["street"], int(r["walk_minutes"])) for r in read_rows("circles.csv"))


def load_facilities() -> tuple[dict[str, FacilityCategory], dict[str, int]]:
    """facilities.toml: the categories (file order) and the counts outside circles (file order)."""
    data = read_toml("facilities.toml")
    categories = {c["name"]: FacilityCategory(tuple(c["brands"]), tuple(c["per_circle"]), float(c["missing_weight"]))
                  for c in data["category"]}
    return categories, {o["category"]: o["count"] for o in data["outside"]}


_NAMES = read_toml("community_names.toml")
COMMUNITY_STEMS: dict[str, tuple[str, ...]] = {street: tuple(s) for street, s in _NAMES["stems"].items()}
PLACE_ENDINGS: str = _NAMES["place_endings"]
DIRECTION_SUFFIXES: tuple[str, ...] = tuple(_NAMES["direction_suffixes"])
PLACE_SUFFIXES: tuple[str, ...] = tuple(_NAMES["place_suffixes"])
CIRCLES = load_circles()
FACILITIES, OUTSIDE_FACILITIES = load_facilities()

# --- volume rhythm and channels -----------------------------------------------------------

_VOLUME = read_toml("volume.toml")
VISITOR_FACTOR: dict[str, float] = _VOLUME["visitor_factor"]
WEEKDAY_FACTOR: tuple[float, ...] = tuple(_VOLUME["weekday"]["factor"])  # Mon..Sun
LUNAR_NEW_YEAR = tuple(np.array(_VOLUME["spring_festival"]["new_year"], dtype="datetime64[D]"))
SPRING_FESTIVAL_DIP: dict[int, float] = dict(zip(_VOLUME["spring_festival"]["days_from_new_year"],
                                                 _VOLUME["spring_festival"]["factor"], strict=True))
_HOUR_ROWS = read_rows("hour_profiles.csv")
# (4, 24) hour-of-day weights: weekday, weekend, evening weekday, evening weekend
HOUR_PROFILES = np.array([[float(r[profile]) for r in _HOUR_ROWS]
                          for profile in ("weekday", "weekend", "evening_weekday", "evening_weekend")])
_CHANNEL_ROWS = read_rows("channels.csv")
CHANNELS = tuple(r["channel"] for r in _CHANNEL_ROWS)
CHANNEL_SHARE = tuple(float(r["share"]) for r in _CHANNEL_ROWS)            # at the window's start
CHANNEL_DRIFT = tuple(float(r["drift_per_year"]) for r in _CHANNEL_ROWS)   # per year
CALLBACK_VALID = tuple(float(r["callback_valid"]) for r in _CHANNEL_ROWS)  # share of valid callbacks
