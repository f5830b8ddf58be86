"""Row-level checks shared by every import kind: reasons, streets, communities, coordinates,
dates and counts, rejects.

A row that fails a check is not dropped silently: it collects a reason, and the rows with
reasons go to the rejects file with their source line numbers.
"""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from ..core import geo
from ..core.config import Settings
from ..core.filters import normalize_name, street_aliases
from ..core.privacy import mask_name, mask_text
from .readers import EXTRA, PROBLEM, RawTable, parse_dates, parse_datetimes, parse_floats

# "Inside the district" for boundaries: the district bbox [D] lon 116.315–116.393,
# lat 39.868–39.972, widened by ≈1 km on every side.
DISTRICT_BBOX = (116.30, 39.85, 116.41, 39.98)
# Points are checked against the real boundaries once imported (a margin for geocoding
# noise at the border), else against the hand-drawn outline with a margin that covers its
# drawing error (it is up to ≈1.1 km off the real border in places).
IMPORTED_MARGIN_M = 150.0
SCHEMATIC_MARGIN_M = 1200.0
_PREFIXES = ("北京市", "北京", "西城区")
_COMMUNITY_SUFFIXES = ("社区居民委员会", "社区居委会", "居委会", "社区")
CRS_CHOICES = ("wgs84", "gcj02")
# Coordinate columns as every kind with points spells them.
POINT_ALIASES = {"lon": ("经度", "longitude", "lng"), "lat": ("纬度", "latitude")}


@dataclass
class Reference:
    """What rows are checked against: the base snapshot's streets, communities, circles, and
    (for the references of the party-building kinds) its other tables by name."""

    streets: pd.DataFrame
    communities: pd.DataFrame
    circles: pd.DataFrame
    settings: Settings
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    ticket_categories: frozenset[str] = frozenset()   # level 1 in the base's tickets (monthly_topics)
    lookup: dict[str, str] = field(init=False)
    area: object = field(init=False)  # district area in local metres, prepared for point tests

    def __post_init__(self):
        self.lookup = street_aliases(zip(self.streets["street_code"], self.streets["name_zh"], self.streets["short_zh"]))
        self.area = district_area(self.streets)
        shapely.prepare(self.area)


def street_key(text: str) -> str:
    """A street name as written in exports -> its lookup key: filters.normalize_name after
    dropping the 北京市/西城区 prefix handling units often carry (西城区德胜街道)."""
    t = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    for p in _PREFIXES:
        if t.startswith(p) and len(t) > len(p):
            t = t[len(p):]
    return normalize_name(t)


def community_key(name: str) -> str:
    """A community name folded for matching: NFKC, no spaces, no 社区/居委会 suffix."""
    t = unicodedata.normalize("NFKC", str(name)).strip().replace(" ", "")
    for s in _COMMUNITY_SUFFIXES:
        if t.endswith(s) and len(t) > len(s):
            return t[: -len(s)]
    return t


def resolve_streets(values: pd.Series, lookup: dict[str, str]) -> pd.Series:
    """Street names/codes -> codes (None where unknown or blank)."""
    found = {v: lookup.get(street_key(v)) if v else None for v in values.unique()}  # few spellings, many rows
    return values.map(found).astype(object)


def resolve_communities(communities: pd.DataFrame, street: pd.Series,
                        values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(community_id or None, unknown mask): each value is a community id, or a community name
    (in any spelling community_key folds) within the row's street."""
    c = communities
    by_name = {(s, community_key(n)): cid for cid, s, n in zip(c["community_id"], c["street_code"], c["name_zh"])}
    ids = set(c["community_id"])
    found = [v if v in ids else by_name.get((s, community_key(v))) if v else None
             for s, v in zip(street, values)]
    out = pd.Series(found, index=values.index, dtype=object)
    return out, (values != "") & out.isna()


def district_area(streets: pd.DataFrame):
    """Where points may lie (local metres): the imported boundaries, else the outline, with margins."""
    if len(streets) and (streets["boundary_kind"] == "imported").all():
        polys = [shape(json.loads(g)) for g in streets["geometry_geojson"]]
        return geo.project(shapely.union_all(polys)).buffer(IMPORTED_MARGIN_M)
    bbox = shapely.box(*DISTRICT_BBOX)
    return geo.project(bbox).intersection(geo.project(geo.district_outline()).buffer(SCHEMATIC_MARGIN_M))


class Reasons:
    """Why each row is rejected ('' = accepted); several reasons are joined with '；'."""

    def __init__(self, index: pd.Index):
        self.text = pd.Series("", index=index, dtype=object)

    def add(self, mask: pd.Series, reason: str, values: pd.Series | None = None) -> None:
        """Record `reason` for the rows in `mask`, followed by the row's value from `values` if given."""
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        why = reason + values[mask].astype(str) if values is not None else reason
        cur = self.text[mask]
        self.text[mask] = cur.where(cur == "", cur + "；") + why

    @property
    def ok(self) -> pd.Series:
        """True for the rows without any reason: the accepted ones."""
        return self.text == ""


def check_extra_cells(raw: RawTable, reasons: Reasons) -> None:
    """Rows with more cells than the header (a delimiter inside an unquoted field), and rows the
    reader could not read faithfully (an XLSX formula without a result)."""
    reasons.add(raw.cells[EXTRA] != "", "列数多于表头（可能有未加引号的逗号）")
    problem = raw.cells[PROBLEM]
    reasons.add(problem != "", "", problem)


def coordinates(raw: RawTable, reasons: Reasons, ref: Reference, crs: str, *,
                required: bool) -> tuple[pd.Series, pd.Series]:
    """(lat, lon) in WGS-84; bad, half-given, swapped or out-of-district points are rejected."""
    lon, bad_lon = parse_floats(raw.field("lon"))
    lat, bad_lat = parse_floats(raw.field("lat"))
    reasons.add(bad_lon | bad_lat, "经纬度不是数字")
    given = lon.notna() & lat.notna()
    reasons.add(lon.notna() ^ lat.notna(), "只有经度或只有纬度")
    if required:
        reasons.add(~given & ~bad_lon & ~bad_lat, "缺少经纬度")
    swapped = given & lon.between(30, 50) & lat.between(100, 130)
    reasons.add(swapped, "经纬度疑似填反（经度应约116.3，纬度约39.9）")
    if crs == "gcj02" and given.any():
        wlon, wlat = geo.gcj02_to_wgs84(lon[given].to_numpy(), lat[given].to_numpy())
        lon[given], lat[given] = wlon, wlat
    x, y = geo.to_local_m(lon.fillna(0).to_numpy(), lat.fillna(0).to_numpy())
    inside = pd.Series(shapely.contains_xy(ref.area, x, y), index=lon.index)
    reasons.add(given & ~swapped & ~inside, "坐标在西城区范围外")
    keep = given & ~swapped
    return lat.where(keep), lon.where(keep)


def timestamps(raw: RawTable, reasons: Reasons, name: str, label: str) -> pd.Series:
    """A date-time field (readers.parse_datetimes); unreadable cells are rejected naming `label`."""
    values, bad = parse_datetimes(raw.field(name))
    reasons.add(bad, f"{label}无法识别：", raw.field(name))
    return values


def dates(raw: RawTable, reasons: Reasons, name: str, label: str) -> pd.Series:
    """A date field (readers.parse_dates: date objects or None); unreadable cells are rejected."""
    values, bad = parse_dates(raw.field(name))
    reasons.add(bad, f"{label}无法识别：", raw.field(name))
    return values


# The most a count of each kind can plausibly be (a number above it is a typo, a unit mix-up or
# an overflow such as 1e30, and is quarantined): 西城's largest street has ~130,000 residents.
COUNT_LIMITS = {"population": 300_000, "members": 50_000, "activities": 1_000, "attendees": 10_000}
COUNT_LIMIT_DEFAULT = 1_000_000


def counts(raw: RawTable, reasons: Reasons, name: str, label: str, *, required: bool = True,
           units: str = "") -> pd.Series:
    """A count field as float64 (NaN where blank): anything but a whole number is rejected, a
    number above its plausible limit (COUNT_LIMITS) too, and so is a blank cell when `required`.
    Trailing `units` (人, 次) are allowed."""
    text = raw.text(name)
    values, bad = parse_floats(text.str.rstrip(units) if units else text)
    wrong = bad | (values < 0) | ~np.isfinite(values.fillna(0)) | (values.notna() & (values % 1 != 0))
    reasons.add(wrong | (values.isna() & required), f"{label}不是非负整数：", raw.field(name))
    limit = COUNT_LIMITS.get(name, COUNT_LIMIT_DEFAULT)
    reasons.add(~wrong & (values > limit), f"{label}超出合理范围（0–{limit:,}）：", raw.field(name))
    return values


def rejects_frame(raw: RawTable, reasons: Reasons, *, name_cols=(), text_cols=()) -> pd.DataFrame:
    """The rejected rows for the rejects file: line, reason and the row's cells, with names
    (`name_cols`) and phone/ID numbers (`text_cols` and cells beyond the header) masked, so the
    file can be shared to fix the source without leaking callers."""
    bad = ~reasons.ok
    out = raw.cells.loc[bad].copy()
    for c in name_cols:
        out[c] = out[c].map(mask_name)
    for c in [*text_cols, EXTRA]:
        out[c] = out[c].map(lambda v: mask_text(v) if v else v)
    out = out.drop(columns=[PROBLEM])
    if not (out[EXTRA] != "").any():
        out = out.drop(columns=[EXTRA])
    out.insert(0, "原因", reasons.text[bad])
    out.insert(0, "源文件行号", raw.line[bad.to_numpy()])
    return out.reset_index(drop=True)


@dataclass
class Prepared:
    """One file after the row checks: canonical accepted rows and the rejects."""

    table: pd.DataFrame           # accepted rows, canonical columns, later duplicates already won
    rejects: pd.DataFrame
    duplicates: int = 0           # rows of this file replaced by a later row with the same id
    notes: list[str] = field(default_factory=list)
    last_day: date | None = None  # the newest day the rows speak of (for data_as_of)


def keep_last(df: pd.DataFrame, key: str | Sequence[str]) -> tuple[pd.DataFrame, int]:
    """Rows with a repeated `key` (a column, or several together): the later one wins.
    Returns (rows, how many were dropped)."""
    dup = df.duplicated(key if isinstance(key, str) else list(key), keep="last")
    return df.loc[~dup], int(dup.sum())
