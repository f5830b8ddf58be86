"""The shared filter state and its URL form, as pure functions (no Streamlit here).

URL parameters (any view is a link):
    period    a preset key of periods.PRESETS (month, prev_month, 3m, 12m, ytd, cycle)
    from, to  YYYY-MM-DD or YYYY-MM (a custom window; `to` in YYYY-MM means the month's end)
    street    street codes or Chinese names (full or short), repeated or comma-separated
    category  level-1 categories, repeated or comma-separated
    sub       level-2 categories
    community community ids or names, within the chosen streets (a community alone implies its street)
Invalid values never raise: they produce a notice and fall back to the default.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from . import periods

DEFAULT_PERIOD = "12m"
FILTER_KEYS = ("period", "from", "to", "street", "community", "category", "sub")
_SPLIT = re.compile(r"[,，、;；]+")


@dataclass(frozen=True)
class Choices:
    """What the live snapshot offers to filter on."""

    streets: Mapping[str, str]            # code -> full Chinese name, in display order
    short_names: Mapping[str, str]        # code -> short name
    categories: Mapping[str, Sequence[str]]  # level 1 -> its level-2 categories
    first_day: date
    as_of: date
    cycle_start_day: int = 19
    schematic_boundaries: bool = True     # any street still drawn with a 示意 boundary
    communities: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, street code)

    def communities_of(self, streets: Sequence[str]) -> list[str]:
        """The ids of the communities of `streets`, in display order."""
        return [cid for cid, (_, street) in self.communities.items() if street in streets]


@dataclass(frozen=True)
class FilterState:
    """One view's filters.  `period` is a preset key or 'custom' (then start/end count)."""

    period: str = DEFAULT_PERIOD
    start: date | None = None
    end: date | None = None
    streets: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    subcategories: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()

    def window(self, choices: Choices) -> periods.Window:
        """The days this state selects."""
        if self.period == "custom" and self.start and self.end:
            return periods.Window(self.start, self.end)
        return periods.preset(self.period, choices.as_of, choices.cycle_start_day)


@dataclass
class Parsed:
    """A parse result: the state and the notices to show for what was ignored."""

    state: FilterState
    notices: list[str] = field(default_factory=list)


def _values(params: Mapping[str, str | Sequence[str]], key: str) -> list[str]:
    raw = params.get(key)
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [v.strip() for item in items for v in _SPLIT.split(str(item)) if v.strip()]


def normalize_name(text: str) -> str:
    """Fold full-width characters and strip spaces and the 街道/办事处 suffixes."""
    t = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    for suffix in ("街道办事处", "办事处", "街道"):
        if t.endswith(suffix) and len(t) > len(suffix):
            t = t[: -len(suffix)]
            break
    return t


def street_aliases(rows: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Every accepted spelling of a street -> its code, from (code, full name, short name) rows:
    the code, both names as written and as normalize_name folds them (德胜街道, 德胜, 广内)."""
    table: dict[str, str] = {}
    for code, name, short in rows:
        for alias in (code, name, short):
            table[alias] = table[normalize_name(alias)] = code
    return table


def street_lookup(choices: Choices) -> dict[str, str]:
    """Every accepted spelling of a street offered by `choices` -> its code."""
    return street_aliases((code, name, choices.short_names.get(code, name)) for code, name in choices.streets.items())


# A link may reach before or after the data, within reason: beyond this a window is an error
# (and far dates would overflow the comparison periods).
_REACH_YEARS = 5


def reach(choices: Choices) -> tuple[date, date]:
    """The earliest and latest day a window may cover: the data's years ± _REACH_YEARS."""
    return date(choices.first_day.year - _REACH_YEARS, 1, 1), date(choices.as_of.year + _REACH_YEARS, 12, 31)


def md_escape(text: str) -> str:
    """A URL value made safe to echo in a markdown notice: shown as code, so no link, image or
    formatting in it is rendered (backticks and control characters dropped, length capped)."""
    clean = "".join(ch for ch in str(text) if ch != "`" and ch.isprintable())[:80]
    return f"`{clean}`"


def community_name_key(text: str) -> str:
    """A community name folded for matching (full-width, spaces, the 社区/居委会 suffixes)."""
    t = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    for suffix in ("社区居委会", "居委会", "社区"):
        if t.endswith(suffix) and len(t) > len(suffix):
            return t[: -len(suffix)]
    return t


def _communities(values: list[str], choices: Choices, streets: list[str], notices: list[str]) -> list[str]:
    """URL community values (ids or names) -> ids, within the chosen streets when there are any."""
    by_name: dict[str, list[str]] = {}
    for cid, (name, _) in choices.communities.items():
        by_name.setdefault(community_name_key(name), []).append(cid)
    found, unknown, outside = [], [], []
    for v in values:
        ids = [v] if v in choices.communities else by_name.get(community_name_key(v), [])
        inside = [c for c in ids if not streets or choices.communities[c][1] in streets]
        if inside:
            found.extend(inside)
        else:
            (outside if ids else unknown).append(v)
    if unknown:
        notices.append(f"未识别的社区：{'、'.join(map(md_escape, unknown[:5]))}，已忽略")
    if outside:
        notices.append(f"社区不属于所选街道：{'、'.join(map(md_escape, outside[:5]))}，已忽略")
    order = list(choices.communities)
    return sorted(set(found), key=order.index)


def _parse_date(text: str, end_of_month: bool) -> date:
    if re.fullmatch(r"\d{4}-\d{1,2}", text):
        y, m = map(int, text.split("-"))
        d = date(y, m, 1)
        return periods.month_end(d) if end_of_month else d
    return date.fromisoformat(text)


def parse(params: Mapping[str, str | Sequence[str]], choices: Choices) -> Parsed:
    """URL parameters -> FilterState, with a notice for every value that was ignored."""
    notices: list[str] = []
    period = (_values(params, "period") or [DEFAULT_PERIOD])[0]
    if period not in periods.PRESETS:
        notices.append(f"时间参数 period={md_escape(period)} 无法识别，已使用默认（近12个月）")
        period = DEFAULT_PERIOD
    start = end = None
    raw_from, raw_to = _values(params, "from"), _values(params, "to")
    if raw_from or raw_to:
        try:
            start = _parse_date(raw_from[0], False) if raw_from else choices.first_day
            end = _parse_date(raw_to[0], True) if raw_to else choices.as_of
            if start > end:
                raise ValueError("from > to")
            lo, hi = reach(choices)
            if start < lo or end > hi:
                raise ValueError("too far from the data")
            period = "custom"
        except ValueError:
            notices.append(f"日期参数 from={md_escape(raw_from[0] if raw_from else '')} to={md_escape(raw_to[0] if raw_to else '')} 无效（应为 YYYY-MM-DD 或 "
                           "YYYY-MM，起始不晚于结束，且在数据前后5年内），已使用默认时间范围")
            start = end = None
            period = DEFAULT_PERIOD if period == "custom" else period
    elif period == "custom":
        notices.append("自定义时间缺少 from/to，已使用默认时间范围")
        period = DEFAULT_PERIOD

    lookup = street_lookup(choices)
    streets, unknown = [], []
    for v in _values(params, "street"):
        code = lookup.get(v) or lookup.get(normalize_name(v))
        if code is None:
            unknown.append(v)
        elif code not in streets:
            streets.append(code)
    if unknown:
        notices.append(f"未识别的街道：{'、'.join(map(md_escape, unknown[:5]))}，已忽略")

    def pick(key: str, allowed: Sequence[str], what: str) -> tuple[str, ...]:
        good, bad = [], []
        for v in _values(params, key):
            (good if v in allowed else bad).append(v)
        if bad:
            notices.append(f"未识别的{what}：{'、'.join(map(md_escape, bad[:5]))}，已忽略")
        return tuple(dict.fromkeys(good))

    cats = pick("category", list(choices.categories), "一级类别")
    subs_allowed = [s for c in (cats or choices.categories) for s in choices.categories[c]]
    subs = pick("sub", subs_allowed, "二级类别")
    communities = _communities(_values(params, "community"), choices, streets, notices)
    if not streets:   # a community alone (a link from a community's staff) implies its street
        streets = list(dict.fromkeys(choices.communities[c][1] for c in communities))
    order = list(choices.streets)
    state = FilterState(period, start, end, tuple(sorted(streets, key=order.index)), cats, subs, tuple(communities))
    return Parsed(state, notices)


def to_params(state: FilterState) -> dict[str, list[str]]:
    """FilterState -> URL parameters (defaults left out, so links stay short)."""
    out: dict[str, list[str]] = {}
    if state.period == "custom" and state.start and state.end:
        out["from"], out["to"] = [state.start.isoformat()], [state.end.isoformat()]
    elif state.period != DEFAULT_PERIOD:
        out["period"] = [state.period]
    if state.streets:
        out["street"] = list(state.streets)
    if state.communities:
        out["community"] = list(state.communities)
    if state.categories:
        out["category"] = list(state.categories)
    if state.subcategories:
        out["sub"] = list(state.subcategories)
    return out


def community_note(state: FilterState, section: str) -> str:
    """The caption for a section the 社区 filter does not narrow ('' when no community is chosen)."""
    return f"社区筛选不适用于{section}：这里按街道全部社区统计。" if state.communities else ""


def describe(state: FilterState, choices: Choices) -> str:
    """A one-line Chinese description of the filters (for stamps on exports and slides)."""
    w = state.window(choices)
    streets = "、".join(choices.short_names.get(c, c) for c in state.streets) or f"全区{len(choices.streets)}个街道"
    if state.communities:
        streets += "（" + "、".join(choices.communities.get(c, (c, ""))[0] for c in state.communities) + "）"
    cats = "、".join(state.categories + state.subcategories) or "全部类别"
    return f"{w.label()}｜{streets}｜{cats}"
