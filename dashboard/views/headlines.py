"""One-sentence headlines written from the data, for briefing slides and exported briefs.

Pure functions of small frames (no Streamlit, no SQL): the briefing mode, the HTML and
the PPTX brief all take their headline from here, so they say the same thing.  Inputs
are the frames the rest of the engine already builds:

    ranked    analysis.ranked_streets (street_code, name_zh, rank, prev_rank, rank_change,
              score, small_sample, tickets, population, per_10k)
    kpis      metrics.totals rows (tickets, valid, the three rates, score, small_sample)
    monthly   metrics.add_rates over trend(grain=month) (bucket, tickets, valid, rates)
    changes   analysis.category_changes (category, tickets, prev_tickets, change)

Headlines carry no trailing full stop (they are titles).  Ties are named together
(「A、B并列第一」), small samples are said out loud, and a missing comparison is said
rather than shown as a change.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd

from ..core import fmt, metrics, periods

MAX_NAMES = 3  # name at most this many tied items, then 「等N个」


def _na(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and x != x)


def names(items: Sequence[str], unit: str = "个") -> str:
    """'德胜街道、什刹海街道'; more than MAX_NAMES: 'A、B、C等5个'."""
    items = list(items)
    if len(items) <= MAX_NAMES:
        return "、".join(items)
    return "、".join(items[:MAX_NAMES]) + f"等{len(items)}{unit}"


def kinds(categories: Sequence[str]) -> str:
    """'供暖类', '供暖、噪声扰民类', '甲、乙、丙等4类'."""
    return names(categories, "类") + ("类" if len(categories) <= MAX_NAMES else "")


def points_phrase(d) -> str:
    """A rate difference in words: 0.003 -> '上升0.3个百分点', -0.012 -> '下降1.2个百分点',
    anything that rounds to 0.0 -> '持平'."""
    v = round(100 * float(d), 1)
    if v == 0:
        return "持平"
    return f"{'上升' if v > 0 else '下降'}{abs(v):.1f}个百分点"


def month_label(d: date) -> str:
    """date(2026, 1, 1) -> '2026年1月'."""
    d = pd.Timestamp(d)
    return f"{d.year}年{d.month}月"


def period_phrase(period: str, window: periods.Window) -> str:
    """How a headline names the time window: a calendar month by name ('2026年10月'), a
    preset by its label ('近12个月'), anything else by its dates."""
    label = window.label()
    if "至" not in label:
        return label
    if period in periods.PRESETS and period != "custom":
        return periods.PRESETS[period] if period != "cycle" else f"考核月（{label}）"
    return label.replace(" ", "")


def subject_phrase(street_names: Sequence[str], categories: Sequence[str] = ()) -> str:
    """Who the numbers are about: '全区', '德胜街道', '所选3个街道', plus '供暖类诉求'."""
    if not street_names:
        who = "全区"
    elif len(street_names) == 1:
        who = street_names[0]
    elif len(street_names) == 2:
        who = "、".join(street_names)
    else:
        who = f"所选{len(street_names)}个街道"
    if categories:
        who += f"{kinds(categories)}诉求"
    return who


# --- 1. district KPIs --------------------------------------------------------------------------


def rank_phrase(ranked: pd.DataFrame, selected: Sequence[str] = (), *, named: bool = True) -> str:
    """The rank news of the selected streets (or of the district when none is selected):
    '德胜街道综合成绩升至第2位', '德胜街道、牛街街道排名各上升2位', '各街道排名与上期持平'.
    named=False leaves out the name of a single selected street (the sentence already has it)."""
    if len(selected) == 1:
        row = ranked[ranked["street_code"] == selected[0]]
        if row.empty:
            return ""
        r = row.iloc[0]
        who = r["name_zh"] if named else ""
        if _na(r["rank"]):
            return f"{who}有效回访不足，未参与排名"
        if _na(r["rank_change"]):
            return f"{who}综合成绩居第{int(r['rank'])}位"
        verb = "升至" if r["rank_change"] > 0 else "降至" if r["rank_change"] < 0 else "保持"
        return f"{who}综合成绩{verb}第{int(r['rank'])}位"
    rows = ranked[ranked["street_code"].isin(selected)] if selected else ranked
    moved = rows.dropna(subset=["rank", "rank_change"])
    if moved.empty:
        leaders = rows[rows["rank"] == 1]
        return f"{names(leaders['name_zh'], '个街道')}综合成绩居首" if len(leaders) else ""
    best = moved["rank_change"].max()
    if best > 0:
        up = moved[moved["rank_change"] == best].sort_values("rank")
        if len(up) == 1:
            return f"{up.iloc[0]['name_zh']}综合成绩升至第{int(up.iloc[0]['rank'])}位"
        return f"{names(up['name_zh'], '个街道')}排名各上升{int(best)}位"
    worst = moved["rank_change"].min()
    if worst < 0:
        down = moved[moved["rank_change"] == worst].sort_values("rank")
        if len(down) == 1:
            return f"{down.iloc[0]['name_zh']}综合成绩降至第{int(down.iloc[0]['rank'])}位"
        return f"{names(down['name_zh'], '个街道')}排名各下降{-int(worst)}位"
    return "各街道排名与上期持平"


def kpis(period: str, subject: str, cur: Mapping, prev: Mapping, ranked: pd.DataFrame | None = None,
         selected: Sequence[str] = ()) -> str:
    """'2026年10月全区解决率98.1%，环比上升0.3个百分点；德胜街道综合成绩升至第2位'."""
    head = f"{period}{subject}"
    if not cur["tickets"]:
        return f"{head}没有工单"
    if not cur["valid"]:
        return f"{head}工单{fmt.count(cur['tickets'])}件，尚无有效回访，三率无法计算"
    text = f"{head}解决率{fmt.rate(cur['resolution_rate'])}"
    if cur["small_sample"]:
        text += f"（有效回访仅{int(cur['valid'])}件，样本不足，仅供参考）"
    if not prev["valid"] or _na(prev["resolution_rate"]):
        text += "，上期无有效回访可比"
    else:
        text += f"，环比{points_phrase(cur['resolution_rate'] - prev['resolution_rate'])}"
    news = rank_phrase(ranked, selected, named=len(selected) != 1) if ranked is not None else ""
    return text + (f"；{news}" if news else "")


# --- 2. the street ranking --------------------------------------------------------------------


def ranking(ranked: pd.DataFrame, small_sample_min: int | None = None, selected: Sequence[str] = ()) -> str:
    """'什刹海街道以97.50分居首；德胜街道上升3位至第2位，牛街街道下降2位至第9位；1个街道样本不足未排名'.

    A leader that is also the biggest riser is said once ('展览路街道上升11位，以99.20分居首');
    one selected street gets its own place at the end."""
    active = ranked[ranked["tickets"] > 0]
    rankable = active.dropna(subset=["rank"])
    if rankable.empty:
        floor = f"{small_sample_min}件" if small_sample_min else "门槛"
        return f"各街道有效回访均不足{floor}，本期不排名"
    top = rankable[rankable["rank"] == rankable["rank"].min()]
    score = fmt.score(top.iloc[0]["score"])
    lead = (f"{top.iloc[0]['name_zh']}以{score}分居首" if len(top) == 1
            else f"{names(top['name_zh'], '个街道')}以{score}分并列第一")
    moved = rankable.dropna(subset=["rank_change"])
    moves = []
    for sign, verb in ((1, "上升"), (-1, "下降")):
        k = (sign * moved["rank_change"]).max() if len(moved) else 0
        if not k > 0:
            continue
        who = moved[sign * moved["rank_change"] == k].sort_values("rank")
        if len(who) > 1:
            moves.append(f"{names(who['name_zh'], '个街道')}各{verb}{int(k)}位")
        elif len(top) == 1 and who.iloc[0]["street_code"] == top.iloc[0]["street_code"]:
            lead = f"{who.iloc[0]['name_zh']}{verb}{int(k)}位，以{score}分居首"
        else:
            moves.append(f"{who.iloc[0]['name_zh']}{verb}{int(k)}位至第{int(who.iloc[0]['rank'])}位")
    parts = [lead]
    if moves:
        parts.append("，".join(moves))
    elif len(moved) and (moved["rank_change"] == 0).all():
        parts.append("排名与上期相同")
    unranked = len(active) - len(rankable)
    if unranked:
        parts.append(f"{unranked}个街道样本不足未排名")
    mine = ranked[ranked["street_code"].isin(selected[:1])] if len(selected) == 1 else ranked.iloc[:0]
    if len(mine) and mine.iloc[0]["name_zh"] not in "".join(parts):
        parts.append(rank_phrase(ranked, selected))
    return "；".join(parts)


# --- 3. the map: tickets per 10,000 residents ----------------------------------------------------


def intensity(ranked: pd.DataFrame, selected: Sequence[str] = ()) -> str:
    """'每万人工单最多的是大栅栏街道（312.4件），为全区平均（120.5件）的2.6倍；最少的是广安门外街道（80.1件）'."""
    known = ranked.dropna(subset=["per_10k"])
    known = known[known["population"] > 0]
    total = known["tickets"].sum()
    if not total:
        return "所选范围内没有工单"
    avg = 10_000 * total / known["population"].sum()
    if len(selected) == 1 and selected[0] in set(known["street_code"]):
        me = known[known["street_code"] == selected[0]].iloc[0]
        place = int((known["per_10k"] > me["per_10k"]).sum()) + 1
        return (f"{me['name_zh']}每万人工单{fmt.per(me['per_10k'])}件，为全区平均（{fmt.per(avg)}件）的"
                f"{me['per_10k'] / avg:.1f}倍，居全区第{place}高")
    hi = known[known["per_10k"] == known["per_10k"].max()]
    lo = known[known["per_10k"] == known["per_10k"].min()]
    v = hi.iloc[0]["per_10k"]
    who = (f"{hi.iloc[0]['name_zh']}（{fmt.per(v)}件）" if len(hi) == 1
           else f"{names(hi['name_zh'], '个街道')}（各{fmt.per(v)}件）")
    text = f"每万人工单最多的是{who}，为全区平均（{fmt.per(avg)}件）的{v / avg:.1f}倍"
    if len(known) > len(hi):
        low = (f"{lo.iloc[0]['name_zh']}（{fmt.per(lo.iloc[0]['per_10k'])}件）" if len(lo) == 1
               else f"{names(lo['name_zh'], '个街道')}（各{fmt.per(lo.iloc[0]['per_10k'])}件）")
        text += f"；最少的是{low}"
    return text


# --- 4. the trend --------------------------------------------------------------------------------


def trend(monthly: pd.DataFrame) -> str:
    """'近12个月工单量高峰在2026年1月（2.91万件）；解决率由2025年11月的95.1%升至2026年10月的97.3%'.

    `monthly` has one row per month (bucket, tickets, valid, resolution_rate, small_sample).
    The rate comparison skips months without valid callbacks and says when the last one
    is a small sample.
    """
    m = monthly[monthly["tickets"] > 0].sort_values("bucket")
    if m.empty:
        return "所选范围内没有工单"
    if len(m) == 1:
        r = m.iloc[0]
        return f"{month_label(r['bucket'])}工单{fmt.count(r['tickets'])}件，解决率{fmt.rate(r['resolution_rate'])}"
    peak = m[m["tickets"] == m["tickets"].max()]
    when = "、".join(month_label(b) for b in peak["bucket"].head(MAX_NAMES))
    text = (f"近{len(m)}个月工单量高峰在{when}（{'各' if len(peak) > 1 else ''}{fmt.count(peak.iloc[0]['tickets'])}件）")
    rated = m[m["valid"] > 0]
    if len(rated) >= 2:
        a, b = rated.iloc[0], rated.iloc[-1]
        d = round(100 * (b["resolution_rate"] - a["resolution_rate"]), 1)
        if d == 0:
            text += f"；解决率保持在{fmt.rate(b['resolution_rate'])}"
        else:
            text += (f"；解决率由{month_label(a['bucket'])}的{fmt.rate(a['resolution_rate'])}"
                     f"{'升' if d > 0 else '降'}至{month_label(b['bucket'])}的{fmt.rate(b['resolution_rate'])}")
        if b["small_sample"]:
            text += f"（{month_label(b['bucket'])}样本不足）"
    return text


# --- 5. the categories that grew ----------------------------------------------------------------


def categories(changes: pd.DataFrame, prev_label: str = "上期") -> str:
    """'与上期相比，供暖类诉求增加最多（+1,234件，+56.7%），其次是噪声扰民（+321件）'.

    `changes` holds every category (not only the top few), sorted by change, descending.
    """
    c = changes.sort_values(["change", "tickets"], ascending=False)
    if c.empty or not (c["tickets"].sum() or c["prev_tickets"].sum()):
        return "所选范围内没有工单"
    lead = f"与{prev_label}相比，"
    if len(c) == 1:
        r = c.iloc[0]
        d = int(r["change"])
        how = f"增加{d:,}件" if d > 0 else f"减少{-d:,}件" if d < 0 else "持平"
        return f"{lead}{kinds([r['category']])}诉求{how}" + (f"（{fmt.change(r['tickets'], r['prev_tickets'])}）" if d else "")
    best = c["change"].max()
    if best > 0:
        top = c[c["change"] == best]
        if len(top) > 1:
            return f"{lead}{kinds(list(top['category']))}诉求增加最多（各+{int(best):,}件）"
        r = top.iloc[0]
        text = f"{lead}{kinds([r['category']])}诉求增加最多（+{int(best):,}件，{fmt.change(r['tickets'], r['prev_tickets'])}）"
        rest = c[(c["change"] > 0) & (c["change"] < best)]
        if len(rest):
            second = rest[rest["change"] == rest["change"].max()]
            each = "各" if len(second) > 1 else ""
            text += f"，其次是{names(second['category'], '类')}（{each}+{int(second.iloc[0]['change']):,}件）"
        return text
    worst = c["change"].min()
    if worst == 0:
        return f"{lead}各类别工单量持平"
    low = c[c["change"] == worst]
    return f"{lead}各类别工单均未增加，{names(low['category'], '类')}减少最多（{int(worst):,}件）"


# --- 6. the circles' gaps --------------------------------------------------------------------------


def circle_gaps(summary: Mapping, n_categories: int) -> str:
    """'16个便民生活圈中6个业态齐全；63.2%的居民步行可达全部10类业态，便利店缺口最大（173个社区5分钟内够不着）'.

    `summary` is circle_tables.summarise_gaps's dict (circles, complete_circles, residents,
    covered_share, top_gap {category, tier_minutes, residents, communities} or None).
    """
    n, residents = summary["circles"], summary["residents"]
    if not n and not residents:
        return "所选范围内没有便民生活圈和社区"
    parts = []
    if n:
        done = summary["complete_circles"]
        parts.append(f"{n}个便民生活圈{n_categories}类业态全部齐全" if done == n
                     else f"{n}个便民生活圈中{done}个业态齐全" if done else f"{n}个便民生活圈业态均不齐全")
    if residents:
        text = f"{fmt.rate(summary['covered_share'])}的居民步行可达全部{n_categories}类业态"
        gap = summary.get("top_gap")
        if gap:
            text += f"，{gap['category']}缺口最大（{gap['communities']}个社区{gap['tier_minutes']}分钟内够不着）"
        parts.append(text)
    return "；".join(parts)


# --- 7. party-building ------------------------------------------------------------------------------


def party(district: Mapping, streets: pd.DataFrame, key: str = "report_on_time_rate") -> str:
    """'全区吹哨按时报到率40.0%、共建项目按期完成率33.3%、实事完成率40.0%；吹哨按时报到率最低的是什刹海街道（0.0%）'.

    `district` and `streets` are views.party.street_metrics's district row and streets; the lowest
    street on `key` is named only among streets above the sample floor.
    """
    shown = ("report_on_time_rate", "project_on_time_rate", "item_done_rate")
    parts = [f"{metrics.PARTY_METRICS[k].label}{metrics.PARTY_METRICS[k].format(district[k])}" for k in shown
             if not _na(district[k])]
    if not parts:
        return "所选期间没有可计算的党建引领指标"
    text = "全区" + "、".join(parts)
    ranked = streets[~streets[f"{key}_small"] & streets[key].notna()]
    if len(ranked) >= 2:
        low = ranked[ranked[key] == ranked[key].min()]
        m = metrics.PARTY_METRICS[key]
        text += f"；{m.label}最低的是{names(low['name_zh'], '个街道')}（{m.format(low[key].iloc[0])}）"
    return text
