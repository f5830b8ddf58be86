"""便民生活圈 analytics: completeness, coverage, gaps and the complaint comparison.

Pure pandas/numpy (no Streamlit, no I/O): query results in, frames and dicts out, so the
page, the briefing and the tests compute every figure the same way.  The sentences and
display tables made from these frames are in circle_tables.

Method — the one place it is defined (the page states it in Chinese):

* Walking reach.  No street network is at hand, so a walk of t minutes reaches the
  straight-line radius r = t × m_per_min ÷ directness (geo.walk_radius_m; 80 m/min and
  1.3 by default, both settings).  Equivalently, a straight-line distance d is estimated
  as d × directness ÷ m_per_min walking minutes.  Straight-line buffers overstate reach
  (a published check found +65 % area and +337 % facilities against network isochrones);
  dividing by the directness factor only partly corrects that.
* Categories and walk tiers (TIER_MINUTES).  Beijing's 8 basic functions plus 综合超市 and
  药店, with the MOFCOM walk tiers: 5 min 便利店; 8 min 早餐, 药店, 洗染, 美容美发, 蔬菜零售;
  15 min 综合超市, 便民维修.  Our own decisions for the two the tiers do not name:
  末端配送 8 min (parcels are picked up on foot, several times a week, like daily shopping);
  家政 15 min (the housekeeper comes to the home; residents seldom walk to the shop).
* Completeness of a circle: a category counts only if some facility of it (any facility,
  whichever circle it is filed under) lies within the category's tier radius of the circle
  centre.  Score = categories present (of 10).
* Coverage of residents: a community reaches a category when its nearest facility of that
  category lies within the tier radius of the community point; it is fully covered when it
  reaches all 10.  Shares are weighted by community population.
* Inside / outside: a community is inside when its point lies within the catchment
  (walk_minutes radius) of some circle launched by the window's end.
* 生活服务 complaints (SERVICE_L1, SERVICE_L2): the level-1 category 市场管理 (consumer disputes,
  prepaid cards, unlicensed trading, prices, food safety: the neighbourhood shops and services a
  circle organises) and the level-2 categories 便民网点 (公共服务: "no breakfast/vegetable/repair
  stall nearby") and 老年餐桌 (养老助餐: meals).  Not heating, noise, property management etc.,
  which a circle cannot change.
* Before/after (difference-in-differences, `did`): for each circle, the communities inside its
  catchment are compared with the communities outside every circle's catchment ("areas
  without a circle"), on 生活服务 tickets per 1,000 residents per month over the DID_MONTHS
  full calendar months before the launch month and the DID_MONTHS after it (the launch month
  itself, a transition, is left out).  DiD = change inside − change outside, so what changed
  everywhere (season, trend) cancels.  Too small to conclude: a window outside the data, fewer
  than DID_MIN_TICKETS tickets on either side, or |DiD| within two standard errors
  (Poisson counts) — the page says so instead of a verdict.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from ..core import geo

# Beijing's 8 basic functions + 综合超市 + 药店, ordered by walk tier, then as FACTS.md lists them.
TIER_MINUTES: dict[str, int] = {
    "便利店": 5,
    "早餐": 8, "蔬菜零售": 8, "药店": 8, "洗染": 8, "美容美发": 8, "末端配送": 8,
    "综合超市": 15, "便民维修": 15, "家政": 15,
}
CATEGORIES: tuple[str, ...] = tuple(TIER_MINUTES)
TIER_NOTE = ("步行时限按商务部《城市一刻钟便民生活圈建设指南》：5分钟便利店；8分钟早餐、药店、洗染、美容美发、"
             "蔬菜零售；15分钟综合超市、便民维修。指南未列的两项由本看板确定：末端配送（快递柜/驿站）按8分钟，"
             "居民取件频繁且步行前往；家政按15分钟，服务多为上门，居民很少步行去门店。")

# 生活服务 complaints: every level-2 of these level-1 categories, plus these level-2 categories.
SERVICE_L1: tuple[str, ...] = ("市场管理",)
SERVICE_L2: tuple[str, ...] = ("便民网点", "老年餐桌")
SERVICE_NOTE = ("生活服务类诉求 = 一级类别“市场管理”（消费纠纷、预付卡退费、无照经营、价格、食品安全）"
                "＋二级类别“便民网点”（公共服务）和“老年餐桌”（养老助餐）；供暖、噪声、物业等生活圈改变不了的诉求不计。")

DID_MONTHS = 6          # full calendar months on each side of the launch month
DID_MIN_TICKETS = 30    # fewer tickets than this inside (or outside) the catchment: too small to conclude
DID_Z = 2.0             # |DiD| within DID_Z standard errors: not distinguishable from noise

_STATUS_TEXT = {
    "down": "投用后相对下降",
    "up": "投用后相对上升",
    "noise": "随机波动内，不能下结论",
    "too_small": "样本太少，不能下结论",
    "outside_data": "前后窗口超出数据范围",
    "no_residents": "步行范围内没有社区",
    "no_control": "没有圈外社区可作对照",
}


# --- walking reach ------------------------------------------------------------------------------

def walk_minutes(distance_m, m_per_min: float, directness: float):
    """Estimated walking minutes of a straight-line distance: d × directness ÷ speed."""
    return np.asarray(distance_m, dtype=float) * directness / m_per_min


def tier_radii(m_per_min: float, directness: float, tiers: Mapping[str, int] = TIER_MINUTES) -> dict[str, float]:
    """Straight-line radius (m) of each category's walk tier."""
    return {c: geo.walk_radius_m(t, m_per_min, directness) for c, t in tiers.items()}


def reach(points: pd.DataFrame, facilities: pd.DataFrame, *, id_col: str, lat_col: str = "lat",
          lon_col: str = "lon", m_per_min: float, directness: float,
          tiers: Mapping[str, int] = TIER_MINUTES) -> pd.DataFrame:
    """For every point and category: the nearest facility and whether it is within the tier.

    `points` has id_col, lat_col, lon_col; `facilities` has category, name_zh, lat, lon.
    Returns one row per (point, category) in `tiers` order: id_col, category, tier_minutes,
    distance_m (straight line; inf when the category has no facility at all), minutes
    (estimated walk), nearest (facility name or None), within (facilities of the category
    inside the tier radius) and reached (within ≥ 1).
    """
    ids = points[id_col].to_numpy()
    n = len(ids)
    radii = tier_radii(m_per_min, directness, tiers)
    dist = geo.haversine_m(points[lat_col].to_numpy(float)[:, None], points[lon_col].to_numpy(float)[:, None],
                           facilities["lat"].to_numpy(float)[None, :], facilities["lon"].to_numpy(float)[None, :])
    dist = np.asarray(dist).reshape(n, len(facilities))
    kind = facilities["category"].to_numpy()
    names = facilities["name_zh"].to_numpy()
    parts = []
    for cat, minutes in tiers.items():
        sel = kind == cat
        if n and sel.any():
            d = dist[:, sel]
            k = d.argmin(axis=1)
            nearest_d, nearest = d[np.arange(n), k], names[sel][k]
            within = (d <= radii[cat]).sum(axis=1)
        else:
            nearest_d, nearest, within = np.full(n, np.inf), np.full(n, None, dtype=object), np.zeros(n, int)
        parts.append(pd.DataFrame({id_col: ids, "category": cat, "tier_minutes": minutes, "distance_m": nearest_d,
                                   "nearest": nearest, "within": within}))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=[id_col, "category", "tier_minutes", "distance_m", "nearest", "within"])
    out["minutes"] = walk_minutes(out["distance_m"], m_per_min, directness)
    out["reached"] = out["within"] > 0
    return out


def _missing_lists(reach_df: pd.DataFrame, id_col: str) -> pd.DataFrame:
    """Per point: score (categories reached), missing (tuple, tier order), missing_text."""
    cats = list(reach_df["category"].drop_duplicates())
    wide = reach_df.pivot(index=id_col, columns="category", values="reached").reindex(columns=cats)
    reached = wide.to_numpy(dtype=bool)
    names = np.array(cats, dtype=object)
    missing = [tuple(names[~row]) for row in reached]
    return pd.DataFrame({"score": reached.sum(axis=1).astype(int), "missing": missing,
                         "missing_text": ["、".join(m) if m else "—" for m in missing]}, index=wide.index)


# --- completeness of circles -------------------------------------------------------------------

def completeness(circles: pd.DataFrame, circle_reach: pd.DataFrame, n_categories: int = len(CATEGORIES)) -> pd.DataFrame:
    """Circles ranked by completeness: how many of the categories have a facility within tier.

    `circle_reach` is `reach(circles, …, id_col="circle_id", lat_col="center_lat",
    lon_col="center_lon")`.  Returns the circles' columns plus score (categories present),
    share (score ÷ n_categories), missing (tuple), missing_text ('、'-joined or '—') and rank
    (1 = most complete, ties share), sorted by score (desc) then circle_id.
    """
    if circles.empty:
        return circles.assign(score=pd.Series(dtype=int), share=pd.Series(dtype=float), missing=None,
                              missing_text=pd.Series(dtype=str), rank=pd.Series(dtype=int))
    lists = _missing_lists(circle_reach, "circle_id")
    out = circles.merge(lists, left_on="circle_id", right_index=True, how="left")
    out["share"] = out["score"] / n_categories
    out = out.sort_values(["score", "circle_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out["rank"] = out["score"].rank(ascending=False, method="min").astype(int)
    return out


# --- coverage of residents -------------------------------------------------------------------------

def community_access(communities: pd.DataFrame, community_reach: pd.DataFrame) -> pd.DataFrame:
    """Per community: its columns plus score, missing, missing_text and covered_all (reaches every category).

    `community_reach` is `reach(communities, …, id_col="community_id")`.
    """
    lists = _missing_lists(community_reach, "community_id")
    out = communities.merge(lists, left_on="community_id", right_index=True, how="left")
    out["score"] = out["score"].fillna(0).astype(int)
    out["missing"] = [m if isinstance(m, tuple) else () for m in out["missing"]]
    out["missing_text"] = out["missing_text"].fillna("—")
    out["covered_all"] = out["missing"].map(len) == 0
    return out


def coverage(access: pd.DataFrame, by: str | None = "street_code") -> pd.DataFrame:
    """Share of residents who reach every category within its tier, per `by` (None = all together).

    Returns residents, communities, covered_residents, share (covered ÷ residents, NaN when
    there are no residents) and gap_communities (communities missing ≥ 1 category).
    """
    df = access.assign(_covered=access["population"].where(access["covered_all"], 0),
                       _gap=(~access["covered_all"]).astype(int), _all="全部")
    g = df.groupby(by or "_all", sort=False)
    out = pd.DataFrame({"residents": g["population"].sum(), "communities": g.size(),
                        "covered_residents": g["_covered"].sum(), "gap_communities": g["_gap"].sum()})
    out["share"] = (out["covered_residents"] / out["residents"].where(out["residents"] > 0)).astype(float)
    return out.reset_index().rename(columns={"_all": "scope"})


def category_coverage(communities: pd.DataFrame, community_reach: pd.DataFrame) -> pd.DataFrame:
    """Per category (tier order): residents reaching it within tier, their share, and who lacks it.

    Returns category, tier_minutes, residents, reached_residents, share, lacking_residents,
    lacking_communities.
    """
    pop = communities.set_index("community_id")["population"]
    df = community_reach[community_reach["community_id"].isin(pop.index)].copy()
    df["population"] = df["community_id"].map(pop)
    df["reached_pop"] = df["population"].where(df["reached"], 0)
    df["lacking"] = (~df["reached"]).astype(int)
    g = df.groupby(["category", "tier_minutes"], sort=False)
    out = g.agg(residents=("population", "sum"), reached_residents=("reached_pop", "sum"),
                lacking_communities=("lacking", "sum")).reset_index()
    out["lacking_residents"] = out["residents"] - out["reached_residents"]
    out["share"] = (out["reached_residents"] / out["residents"].where(out["residents"] > 0)).astype(float)
    return out


def gaps(communities: pd.DataFrame, community_reach: pd.DataFrame) -> pd.DataFrame:
    """The 缺什么补什么 list: one row per (community, category it lacks), most residents first.

    Returns community_id, name_zh, street_code (plus street_name if present), population
    (= residents affected), category, tier_minutes, minutes (estimated walk to the nearest
    facility of the category; inf = none in the data) and nearest (its name).  Sorted by
    population (desc), then community_id, then tier order.
    """
    keep = [c for c in ("community_id", "name_zh", "street_code", "street_name", "population") if c in communities]
    order = {c: i for i, c in enumerate(community_reach["category"].drop_duplicates())}
    missing = community_reach.loc[~community_reach["reached"],
                                  ["community_id", "category", "tier_minutes", "minutes", "nearest"]]
    out = communities[keep].merge(missing, on="community_id", how="inner")
    out["_order"] = out["category"].map(order)
    out = out.sort_values(["population", "community_id", "_order"], ascending=[False, True, True], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


def top_gap(cat_cov: pd.DataFrame) -> pd.Series | None:
    """The category lacking for the most residents (ties: more communities, then tier order); None if none lacks."""
    lacking = cat_cov[cat_cov["lacking_residents"] > 0]
    if lacking.empty:
        return None
    lacking = lacking.assign(_order=np.arange(len(lacking)))
    return lacking.sort_values(["lacking_residents", "lacking_communities", "_order"],
                               ascending=[False, False, True], kind="stable").iloc[0]


# --- catchments and the complaint comparison --------------------------------------------------------

def launched_by(circles: pd.DataFrame, day: date) -> pd.DataFrame:
    """The circles launched on or before `day` (an unknown launch date counts as launched)."""
    launched = pd.to_datetime(circles["launched_on"])
    return circles[launched.isna() | (launched <= pd.Timestamp(day))]


def catchment_pairs(communities: pd.DataFrame, circles: pd.DataFrame, *, m_per_min: float,
                    directness: float) -> pd.DataFrame:
    """(community_id, circle_id) for every community whose point lies in a circle's catchment.

    The catchment is the circle's walk_minutes turned into a straight-line radius
    (geo.walk_radius_m).  Returns columns community_id, circle_id, distance_m.
    """
    if communities.empty or circles.empty:
        return pd.DataFrame({"community_id": pd.Series(dtype=str), "circle_id": pd.Series(dtype=str),
                             "distance_m": pd.Series(dtype=float)})
    d = np.asarray(geo.haversine_m(communities["lat"].to_numpy(float)[:, None],
                                   communities["lon"].to_numpy(float)[:, None],
                                   circles["center_lat"].to_numpy(float)[None, :],
                                   circles["center_lon"].to_numpy(float)[None, :]))
    radius = np.array([geo.walk_radius_m(m, m_per_min, directness) for m in circles["walk_minutes"]])
    i, j = np.nonzero(d <= radius[None, :])
    return pd.DataFrame({"community_id": communities["community_id"].to_numpy()[i],
                         "circle_id": circles["circle_id"].to_numpy()[j], "distance_m": d[i, j]})


def inside_outside(communities: pd.DataFrame, inside_ids, tickets: pd.DataFrame) -> pd.DataFrame:
    """生活服务 tickets per 1,000 residents, inside vs outside the circles' catchments.

    `tickets` has community_id, tickets (the window's count); `inside_ids` the communities
    inside some catchment.  Returns a frame indexed 'inside', 'outside' with residents,
    communities, tickets and per_1k (tickets ÷ residents × 1000 over the window; NaN
    without residents).
    """
    counts = tickets.set_index("community_id")["tickets"] if len(tickets) else pd.Series(dtype=float)
    df = communities.assign(_inside=communities["community_id"].isin(set(inside_ids)),
                            _tickets=communities["community_id"].map(counts).fillna(0).astype(int))
    rows = {}
    for key, flag in (("inside", True), ("outside", False)):
        part = df[df["_inside"] == flag]
        residents, n = int(part["population"].sum()), int(part["_tickets"].sum())
        rows[key] = {"residents": residents, "communities": len(part), "tickets": n,
                     "per_1k": 1000 * n / residents if residents > 0 else float("nan")}
    return pd.DataFrame.from_dict(rows, orient="index")


def service_filter(categories: Mapping[str, Sequence[str]], picked_l1: Sequence[str] = (),
                   picked_l2: Sequence[str] = ()) -> tuple[list[str], list[str]] | None:
    """The ($categories, $subs) lists that select 生活服务 tickets under the shared category filter.

    `categories` maps level 1 to its level-2 names (filters.Choices.categories).  The 生活服务
    level-2 set is every level 2 of SERVICE_L1 plus SERVICE_L2, narrowed to the picked level-1
    / level-2 categories (empty = no narrowing).  Returns None when nothing is left — the
    caller must then show an empty state, never query with empty (= all) lists.
    """
    pairs = [(l1, l2) for l1, subs in categories.items() for l2 in subs
             if (l1 in SERVICE_L1 or l2 in SERVICE_L2)
             and (not picked_l1 or l1 in picked_l1) and (not picked_l2 or l2 in picked_l2)]
    if not pairs:
        return None
    return list(dict.fromkeys(p[0] for p in pairs)), list(dict.fromkeys(p[1] for p in pairs))


def full_months(first_day: date, last_day: date) -> tuple[date, date] | None:
    """First days of the first and last calendar months wholly inside [first_day, last_day]; None if none."""
    first = first_day.replace(day=1)
    if first_day.day != 1:
        first = (pd.Timestamp(first) + pd.DateOffset(months=1)).date()
    nxt = (pd.Timestamp(last_day) + pd.Timedelta(days=1)).date()
    last = (pd.Timestamp(nxt.replace(day=1)) - pd.DateOffset(months=1)).date()
    return (first, last) if first <= last else None


def _month(d, k: int = 0) -> pd.Timestamp:
    return pd.Timestamp(d).to_period("M").to_timestamp() + pd.DateOffset(months=k)


def verdict(did_value: float, se: float, treated_n: int, control_n: int, min_tickets: int) -> str:
    """The rule for "too small to say": fewer than `min_tickets` tickets on either side -> too_small;
    within DID_Z standard errors of zero -> noise; else down or up."""
    if treated_n < min_tickets or control_n < min_tickets:
        return "too_small"
    if not abs(did_value) > DID_Z * se:
        return "noise"
    return "down" if did_value < 0 else "up"


def did(circles: pd.DataFrame, communities: pd.DataFrame, monthly: pd.DataFrame, *, first_month: date,
        last_month: date, m_per_min: float, directness: float, all_circles: pd.DataFrame | None = None,
        months: int = DID_MONTHS, min_tickets: int = DID_MIN_TICKETS) -> pd.DataFrame:
    """Difference-in-differences of 生活服务 tickets around each circle's launch.

    Treated: the communities inside the circle's catchment.  Control: the communities
    outside every circle's catchment (`all_circles`, default `circles`; pass all circles
    when `circles` is a filtered subset).  Windows: the `months` full months before the
    launch month (pre) and the `months` after it (post); both must lie within
    [first_month, last_month] (first days of the first/last full months of data).

    `monthly` has community_id, month (first day), tickets.  Rates are tickets per 1,000
    residents per month.  did = (treated_post − treated_pre) − (control_post − control_pre);
    se is its Poisson standard error, 1000/months × sqrt(T/Tpop² + C/Cpop²) with T, C the
    tickets of both windows.  status: down | up | noise | too_small (fewer than
    `min_tickets` tickets inside or outside) | outside_data | no_residents | no_control.
    """
    all_circles = circles if all_circles is None else all_circles
    pairs = catchment_pairs(communities, all_circles, m_per_min=m_per_min, directness=directness)
    pop = communities.set_index("community_id")["population"].astype(float)
    control = pop.index.difference(pd.Index(pairs["community_id"].unique()))
    m = monthly.assign(month=pd.to_datetime(monthly["month"]).dt.to_period("M").dt.to_timestamp())
    per = (m.pivot_table(index="community_id", columns="month", values="tickets", aggfunc="sum", fill_value=0)
           if len(m) else pd.DataFrame(dtype=int))
    lo, hi = _month(first_month), _month(last_month)
    rows = []
    for c in circles.itertuples(index=False):
        launch = _month(c.launched_on) if pd.notna(c.launched_on) else None
        pre = pd.date_range(_month(launch, -months), periods=months, freq="MS") if launch is not None else None
        post = pd.date_range(_month(launch, 1), periods=months, freq="MS") if launch is not None else None
        treated = pd.Index(pairs.loc[pairs["circle_id"] == c.circle_id, "community_id"].unique())
        row = {"circle_id": c.circle_id, "name_zh": c.name_zh, "street_code": c.street_code,
               "launched_on": c.launched_on, "treated_communities": len(treated),
               "treated_residents": int(pop.reindex(treated).sum()), "control_communities": len(control),
               "control_residents": int(pop.reindex(control).sum()),
               "pre_start": pre[0].date() if pre is not None else None,
               "post_end": post[-1].date() if post is not None else None}
        if launch is None or pre[0] < lo or post[-1] > hi:
            rows.append({**row, "status": "outside_data"})
            continue
        if row["treated_residents"] <= 0:
            rows.append({**row, "status": "no_residents"})
            continue
        if row["control_residents"] <= 0:
            rows.append({**row, "status": "no_control"})
            continue
        counts = {}
        for group, ids in (("treated", treated), ("control", control)):
            block = per.reindex(index=ids, columns=pre.append(post), fill_value=0)
            counts[f"{group}_pre_n"] = int(block[pre].to_numpy().sum())
            counts[f"{group}_post_n"] = int(block[post].to_numpy().sum())
        rates = {f"{g}_{w}": 1000 * counts[f"{g}_{w}_n"] / row[f"{g}_residents"] / months
                 for g in ("treated", "control") for w in ("pre", "post")}
        value = (rates["treated_post"] - rates["treated_pre"]) - (rates["control_post"] - rates["control_pre"])
        t_n = counts["treated_pre_n"] + counts["treated_post_n"]
        c_n = counts["control_pre_n"] + counts["control_post_n"]
        se = 1000 / months * math.sqrt(t_n / row["treated_residents"] ** 2 + c_n / row["control_residents"] ** 2)
        rows.append({**row, **counts, **rates, "did": value, "se": se,
                     "status": verdict(value, se, t_n, c_n, min_tickets)})
    cols = ["circle_id", "name_zh", "street_code", "launched_on", "pre_start", "post_end", "treated_communities",
            "treated_residents", "control_communities", "control_residents", "treated_pre_n", "treated_post_n",
            "control_pre_n", "control_post_n", "treated_pre", "treated_post", "control_pre", "control_post",
            "did", "se", "status"]
    out = pd.DataFrame(rows, columns=cols)
    out["verdict"] = out["status"].map(_STATUS_TEXT)
    return out


def pooled_did(did_df: pd.DataFrame, months: int = DID_MONTHS, min_tickets: int = DID_MIN_TICKETS) -> dict | None:
    """All evaluable circles stacked: each circle's treated and control windows summed.

    Rates are total tickets ÷ total resident-windows (per 1,000 residents per month), so a
    big catchment weighs more.  The standard error treats the stacked counts as Poisson and
    independent (the control is shared between circles, so it is somewhat optimistic).
    Returns None when no circle could be evaluated, else a dict with circles, the four
    rates, did, se, status and verdict.
    """
    ok = did_df[did_df["did"].notna()] if "did" in did_df else did_df.iloc[0:0]
    if ok.empty:
        return None
    tpop, cpop = ok["treated_residents"].sum(), ok["control_residents"].sum()
    sums = {k: int(ok[f"{k}_n"].sum()) for k in ("treated_pre", "treated_post", "control_pre", "control_post")}
    rates = {k: 1000 * v / (tpop if k.startswith("treated") else cpop) / months for k, v in sums.items()}
    value = (rates["treated_post"] - rates["treated_pre"]) - (rates["control_post"] - rates["control_pre"])
    t_n, c_n = sums["treated_pre"] + sums["treated_post"], sums["control_pre"] + sums["control_post"]
    se = 1000 / months * math.sqrt(t_n / tpop ** 2 + c_n / cpop ** 2)
    status = verdict(value, se, t_n, c_n, min_tickets)
    return {"circles": len(ok), **rates, **{f"{k}_n": v for k, v in sums.items()}, "did": value, "se": se,
            "status": status, "verdict": _STATUS_TEXT[status]}
