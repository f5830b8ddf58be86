"""Headlines against small hand-built frames: rises, falls, ties, small samples, no data.

Every expected sentence is worked out by hand from the rows written out in each test.
"""
from datetime import date

import pandas as pd
import pytest

from dashboard.core import periods
from dashboard.views import headlines as h


def streets(*rows) -> pd.DataFrame:
    """A ranked_streets-like frame from (code, name, rank, rank_change, score, tickets, population) rows."""
    df = pd.DataFrame(rows, columns=["street_code", "name_zh", "rank", "rank_change", "score", "tickets",
                                     "population"])
    df["rank"] = df["rank"].astype("Int64")
    df["rank_change"] = df["rank_change"].astype("Int64")
    df["per_10k"] = 10_000 * df["tickets"] / df["population"]
    return df


A = ("1", "德胜街道", 1, 0, 97.5, 40, 100_000)
B = ("2", "什刹海街道", 2, 3, 95.0, 30, 50_000)
C = ("3", "牛街街道", 3, -2, 90.25, 20, 40_000)


def kpi(tickets, valid, resolution, small=False):
    return {"tickets": tickets, "valid": valid, "resolution_rate": resolution, "small_sample": small}


# --- wording helpers --------------------------------------------------------------------------


@pytest.mark.parametrize("d, text", [(0.003, "上升0.3个百分点"), (-0.012, "下降1.2个百分点"), (0.0004, "持平"),
                                     (-0.0004, "持平"), (0.0005, "上升0.1个百分点")])
def test_points_phrase(d, text):
    assert h.points_phrase(d) == text


def test_period_phrase():
    march = periods.Window(date(2024, 3, 1), date(2024, 3, 31))
    assert h.period_phrase("month", march) == "2024年3月"
    year = periods.Window(date(2023, 4, 1), date(2024, 3, 31))
    assert h.period_phrase("12m", year) == "近12个月"
    assert h.period_phrase("custom", periods.Window(date(2024, 3, 5), date(2024, 3, 20))) == "2024-03-05至2024-03-20"
    cycle = periods.Window(date(2024, 2, 19), date(2024, 3, 18))
    assert h.period_phrase("cycle", cycle) == "考核月（2024-02-19 至 2024-03-18）"


def test_subject_phrase():
    assert h.subject_phrase([]) == "全区"
    assert h.subject_phrase(["德胜街道"]) == "德胜街道"
    assert h.subject_phrase(["德胜街道", "牛街街道"]) == "德胜街道、牛街街道"
    assert h.subject_phrase(["a", "b", "c"], ["供暖"]) == "所选3个街道供暖类诉求"
    assert h.subject_phrase([], ["供暖", "噪声扰民"]) == "全区供暖、噪声扰民类诉求"
    assert h.subject_phrase([], list("甲乙丙丁")) == "全区甲、乙、丙等4类诉求"


# --- 1. KPIs ----------------------------------------------------------------------------------------


def test_kpis_rise_and_the_biggest_riser():
    # 什刹海 rose 3 places to 2nd: the district's biggest move up
    text = h.kpis("2024年3月", "全区", kpi(90, 80, 0.981), kpi(85, 75, 0.978), streets(A, B, C))
    assert text == "2024年3月全区解决率98.1%，环比上升0.3个百分点；什刹海街道综合成绩升至第2位"


def test_kpis_fall_and_only_falls():
    only_falls = streets(("1", "德胜街道", 1, 0, 97.5, 40, 100_000), ("3", "牛街街道", 2, -1, 90.0, 20, 40_000))
    text = h.kpis("近12个月", "全区", kpi(90, 80, 0.95), kpi(85, 75, 0.962), only_falls)
    assert text == "近12个月全区解决率95.0%，环比下降1.2个百分点；牛街街道综合成绩降至第2位"


def test_kpis_flat_and_no_moves():
    still = streets(("1", "德胜街道", 1, 0, 97.5, 40, 100_000), ("2", "牛街街道", 2, 0, 90.0, 20, 40_000))
    text = h.kpis("2024年3月", "全区", kpi(9, 8, 0.9), kpi(9, 8, 0.9), still)
    assert text == "2024年3月全区解决率90.0%，环比持平；各街道排名与上期持平"


def test_kpis_tied_risers_are_named_together():
    tied = streets(("1", "德胜街道", 1, 2, 97.5, 40, 100_000), ("2", "什刹海街道", 2, 2, 95.0, 30, 50_000),
                   ("3", "牛街街道", 3, -4, 90.0, 20, 40_000))
    assert h.rank_phrase(tied) == "德胜街道、什刹海街道排名各上升2位"


def test_kpis_one_street_is_not_named_twice():
    text = h.kpis("2024年3月", "牛街街道", kpi(20, 18, 0.9), kpi(20, 18, 0.95), streets(A, B, C), ("3",))
    assert text == "2024年3月牛街街道解决率90.0%，环比下降5.0个百分点；综合成绩降至第3位"


def test_kpis_small_sample_and_no_comparison():
    # 12 valid callbacks under the threshold; the previous period had no valid callback at all
    unranked = streets(("1", "德胜街道", None, None, 87.75, 10, 100_000))
    text = h.kpis("2024年3月", "全区", kpi(14, 12, 11 / 12, small=True), kpi(0, 0, float("nan")), unranked)
    assert text == "2024年3月全区解决率91.7%（有效回访仅12件，样本不足，仅供参考），上期无有效回访可比"


def test_kpis_no_tickets_no_callbacks():
    assert h.kpis("2023年1月", "全区", kpi(0, 0, float("nan")), kpi(0, 0, float("nan"))) == "2023年1月全区没有工单"
    assert (h.kpis("2024年3月", "德胜街道", kpi(3, 0, float("nan")), kpi(1, 1, 1.0))
            == "2024年3月德胜街道工单3件，尚无有效回访，三率无法计算")


def test_rank_phrase_for_one_unranked_street():
    df = streets(("1", "德胜街道", None, None, 80.0, 3, 100_000))
    assert h.rank_phrase(df, ("1",)) == "德胜街道有效回访不足，未参与排名"
    df = streets(("1", "德胜街道", 2, None, 80.0, 3, 100_000))
    assert h.rank_phrase(df, ("1",)) == "德胜街道综合成绩居第2位"


# --- 2. ranking -------------------------------------------------------------------------------------


def test_ranking_leader_riser_faller():
    assert h.ranking(streets(A, B, C)) == "德胜街道以97.50分居首；什刹海街道上升3位至第2位，牛街街道下降2位至第3位"


def test_ranking_leader_who_is_the_riser_is_said_once():
    up_to_first = streets(("2", "什刹海街道", 1, 3, 97.5, 30, 50_000), ("1", "德胜街道", 2, -1, 95.0, 40, 100_000))
    assert h.ranking(up_to_first) == "什刹海街道上升3位，以97.50分居首；德胜街道下降1位至第2位"


def test_ranking_tie_for_first_and_small_samples():
    df = streets(("1", "德胜街道", 1, 0, 100.0, 40, 100_000), ("2", "什刹海街道", 1, 1, 100.0, 30, 50_000),
                 ("3", "牛街街道", None, None, 60.0, 3, 40_000), ("4", "椿树街道", None, None, float("nan"), 0, 40_000))
    # 椿树 has no ticket at all: not counted as a small sample
    assert h.ranking(df) == "德胜街道、什刹海街道以100.00分并列第一；什刹海街道上升1位至第1位；1个街道样本不足未排名"


def test_ranking_nothing_rankable_or_no_previous_period():
    df = streets(("1", "德胜街道", None, None, 90.0, 5, 100_000))
    assert h.ranking(df, 30) == "各街道有效回访均不足30件，本期不排名"
    first_period = streets(("1", "德胜街道", 1, None, 90.0, 5, 100_000), ("2", "牛街街道", 2, None, 80.0, 5, 1))
    assert h.ranking(first_period) == "德胜街道以90.00分居首"


def test_ranking_names_a_selected_street_once():
    assert h.ranking(streets(A, B, C), selected=("2",)).count("什刹海街道") == 1
    assert h.ranking(streets(A, B, C), selected=("1",)).count("德胜街道") == 1


# --- 3. intensity (per 10,000 residents) ------------------------------------------------------------


def test_intensity_most_and_least():
    # per 10k: 德胜 4.0, 什刹海 6.0, 牛街 5.0; district 90 / 190,000 × 10,000 = 4.7368…
    assert h.intensity(streets(A, B, C)) == ("每万人工单最多的是什刹海街道（6.0件），为全区平均（4.7件）的1.3倍；"
                                             "最少的是德胜街道（4.0件）")


def test_intensity_tie_and_one_street():
    tie = streets(("1", "德胜街道", 1, 0, 90.0, 50, 100_000), ("2", "什刹海街道", 2, 0, 90.0, 25, 50_000))
    assert h.intensity(tie) == "每万人工单最多的是德胜街道、什刹海街道（各5.0件），为全区平均（5.0件）的1.0倍"
    assert h.intensity(streets(A, B, C), ("3",)) == "牛街街道每万人工单5.0件，为全区平均（4.7件）的1.1倍，居全区第2高"
    assert h.intensity(streets(("1", "德胜街道", None, None, 0.0, 0, 100_000))) == "所选范围内没有工单"


# --- 4. trend -----------------------------------------------------------------------------------------


def months(*rows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["bucket", "tickets", "valid", "resolution_rate", "small_sample"])
    df["bucket"] = pd.to_datetime(df["bucket"])
    return df


def test_trend_peak_and_rise():
    df = months(("2024-01-01", 100, 80, 0.90, False), ("2024-02-01", 150, 120, 0.92, False),
                ("2024-03-01", 120, 100, 0.95, False))
    assert h.trend(df) == "近3个月工单量高峰在2024年2月（150件）；解决率由2024年1月的90.0%升至2024年3月的95.0%"


def test_trend_fall_tie_small_sample():
    df = months(("2024-01-01", 150, 80, 0.95, False), ("2024-02-01", 150, 120, 0.92, False),
                ("2024-03-01", 10, 8, 0.75, True))
    assert h.trend(df) == ("近3个月工单量高峰在2024年1月、2024年2月（各150件）；解决率由2024年1月的95.0%降至"
                           "2024年3月的75.0%（2024年3月样本不足）")


def test_trend_flat_one_month_and_empty():
    flat = months(("2024-02-01", 10, 10, 0.9, False), ("2024-03-01", 20, 10, 0.9, False))
    assert h.trend(flat) == "近2个月工单量高峰在2024年3月（20件）；解决率保持在90.0%"
    assert h.trend(months(("2024-03-01", 14, 12, 11 / 12, False))) == "2024年3月工单14件，解决率91.7%"
    assert h.trend(months(("2024-03-01", 0, 0, float("nan"), True))) == "所选范围内没有工单"


# --- 5. categories --------------------------------------------------------------------------------------


def changes(*rows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["category", "tickets", "prev_tickets"])
    df["change"] = df["tickets"] - df["prev_tickets"]
    return df


def test_categories_growth_new_and_second_tie():
    df = changes(("供暖", 4, 2), ("物业管理", 6, 0), ("噪声扰民", 4, 2), ("市容环卫", 1, 3))
    assert h.categories(df) == "与上期相比，物业管理类诉求增加最多（+6件，新增），其次是供暖、噪声扰民（各+2件）"


def test_categories_growth_with_percent():
    df = changes(("供暖", 1234 + 2176, 2176), ("噪声扰民", 400, 79))
    assert h.categories(df) == "与上期相比，供暖类诉求增加最多（+1,234件，+56.7%），其次是噪声扰民（+321件）"


def test_categories_tied_growth_falls_flat_empty_and_one():
    assert (h.categories(changes(("供暖", 5, 2), ("噪声扰民", 4, 1)))
            == "与上期相比，供暖、噪声扰民类诉求增加最多（各+3件）")
    assert (h.categories(changes(("供暖", 1, 5), ("噪声扰民", 3, 4)))
            == "与上期相比，各类别工单均未增加，供暖减少最多（-4件）")
    assert h.categories(changes(("供暖", 3, 3))) == "与上期相比，供暖类诉求持平"
    assert h.categories(changes(("供暖", 3, 3), ("噪声扰民", 1, 1))) == "与上期相比，各类别工单量持平"
    assert h.categories(changes(("供暖", 0, 0))) == "所选范围内没有工单"
    assert h.categories(changes(("供暖", 2, 4)), "2024年2月") == "与2024年2月相比，供暖类诉求减少2件（-50.0%）"


# --- 6. circles' gaps ---------------------------------------------------------------------------------------


def summary(circles, complete, residents, share, gap=None):
    return {"circles": circles, "complete_circles": complete, "residents": residents, "covered_share": share,
            "top_gap": gap}


def test_circle_gaps():
    gap = {"category": "蔬菜零售", "tier_minutes": 8, "residents": 41_200, "communities": 23}
    assert (h.circle_gaps(summary(16, 10, 1_100_000, 0.632, gap), 10)
            == "16个便民生活圈中10个业态齐全；63.2%的居民步行可达全部10类业态，蔬菜零售缺口最大（23个社区8分钟内够不着）")
    assert (h.circle_gaps(summary(16, 16, 1_100_000, 1.0), 10)
            == "16个便民生活圈10类业态全部齐全；100.0%的居民步行可达全部10类业态")
    assert h.circle_gaps(summary(1, 0, 0, float("nan")), 10) == "1个便民生活圈业态均不齐全"
    assert h.circle_gaps(summary(0, 0, 0, float("nan")), 10) == "所选范围内没有便民生活圈和社区"
