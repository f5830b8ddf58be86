"""便民生活圈 in words and tables: headline sentences and the display tables.

Made from circle_analysis's frames and dicts; pure pandas (no Streamlit, no I/O).  The
tables have Chinese headers, and the same frame is shown and exported.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..core import fmt
from .circle_analysis import CATEGORIES, DID_MIN_TICKETS, DID_Z, top_gap

# --- the before/after comparison in one sentence -----------------------------------------------------

def did_sentence(result: dict | None) -> str:
    """The pooled before/after result in one plain Chinese sentence."""
    if result is None:
        return "没有可评估的生活圈：建圈前后各需完整的对比窗口，且窗口须落在数据范围内。"
    change_in = result["treated_post"] - result["treated_pre"]
    change_out = result["control_post"] - result["control_pre"]
    head = (f"{result['circles']}个可评估生活圈：圈内居民的生活服务类诉求由每千人每月{result['treated_pre']:.2f}件"
            f"变为{result['treated_post']:.2f}件（{change_in:+.2f}），同期圈外由{result['control_pre']:.2f}件变为"
            f"{result['control_post']:.2f}件（{change_out:+.2f}）；两者相减，净变化{result['did']:+.2f}件"
            f"（随机误差约±{DID_Z * result['se']:.2f}）。")
    tail = {"down": "建圈后圈内诉求相对圈外明显下降。", "up": "建圈后圈内诉求相对圈外明显上升。",
            "noise": "净变化在随机波动范围内，不能据此认为建圈改变了诉求量。",
            "too_small": f"工单太少（圈内或圈外前后合计少于{DID_MIN_TICKETS}件），不能下结论。"}[result["status"]]
    return head + tail


# --- the gaps' headline, for the page and the briefing -----------------------------------------------

def summarise_gaps(comp: pd.DataFrame, access: pd.DataFrame, cat_cov: pd.DataFrame,
                   n_categories: int = len(CATEGORIES)) -> dict:
    """Headline-ready figures on the circles' gaps, from completeness, community_access and
    category_coverage (views.circles.assess computes them):

    - circles, complete_circles: how many circles, and how many have all categories in tier
    - worst_circle: {circle_id, name, street_code, score, of, missing (list)} or None
    - residents, covered_residents, covered_share (NaN without residents): residents reaching
      every category within its tier
    - top_gap: {category, tier_minutes, residents, communities} lacking it the most, or None
    - headline: one Chinese sentence with the three facts.
    """
    residents = int(access["population"].sum())
    covered = int(access.loc[access["covered_all"], "population"].sum())
    worst = None
    if len(comp):
        w = comp.sort_values(["score", "circle_id"], ascending=[True, True], kind="stable").iloc[0]
        worst = {"circle_id": w["circle_id"], "name": w["name_zh"], "street_code": w["street_code"],
                 "score": int(w["score"]), "of": n_categories, "missing": list(w["missing"])}
    gap = top_gap(cat_cov)
    top = None if gap is None else {"category": gap["category"], "tier_minutes": int(gap["tier_minutes"]),
                                    "residents": int(gap["lacking_residents"]),
                                    "communities": int(gap["lacking_communities"])}
    share = covered / residents if residents else float("nan")
    complete = int((comp["score"] == n_categories).sum()) if len(comp) else 0
    parts = []
    if len(comp):
        parts.append(f"{len(comp)}个生活圈中，{n_categories}类业态都在步行时限内的有{complete}个")
        if worst and worst["score"] < n_categories:
            parts.append(f"{worst['name']}最不完整（{worst['score']}/{n_categories}，缺{'、'.join(worst['missing'])}）")
    if residents:
        parts.append(f"{fmt.rate(share)}的居民在步行时限内可达全部{n_categories}类业态")
    if top:
        parts.append(f"缺口最大的是{top['category']}（{top['tier_minutes']}分钟内），涉及{top['communities']}个社区"
                     f"{fmt.count(top['residents'])}人")
    return {"circles": len(comp), "complete_circles": complete, "worst_circle": worst, "residents": residents,
            "covered_residents": covered, "covered_share": share, "top_gap": top,
            "headline": "；".join(parts) + "。" if parts else "所选范围内没有生活圈和社区。"}


# --- display tables (Chinese headers; the same frame is shown and exported) --------------------------

def _minutes_text(x: float) -> str:
    return "无此业态" if not np.isfinite(x) else f"{x:.1f}"


def completeness_table(comp: pd.DataFrame, street_names: Mapping[str, str]) -> pd.DataFrame:
    """The ranked circles with Chinese headers (步行分钟 = the catchment's walk minutes); the score and
    what is missing come right after the name, in sight on a phone before the table scrolls sideways."""
    return pd.DataFrame({
        "排名": comp["rank"].to_numpy(),
        "生活圈": comp["name_zh"].str.removesuffix("便民生活圈").to_numpy(),
        "业态得分": comp["score"].to_numpy(),
        "缺项": comp["missing_text"].to_numpy(),
        "街道": comp["street_code"].map(street_names).fillna(comp["street_code"]).to_numpy(),
        "建成日期": fmt.as_dates(comp["launched_on"]),
        "步行分钟": comp["walk_minutes"].to_numpy(),
    })


def coverage_table(cov: pd.DataFrame, street_names: Mapping[str, str]) -> pd.DataFrame:
    """Per-street coverage with Chinese headers, lowest share first."""
    df = cov.sort_values(["share", "street_code"], na_position="last", kind="stable")
    return pd.DataFrame({
        "街道": df["street_code"].map(street_names).to_numpy(),
        "社区": df["communities"].to_numpy(),
        "常住人口": df["residents"].to_numpy(),
        "全覆盖占比": df["share"].to_numpy(),
        "有缺项社区": df["gap_communities"].to_numpy(),
    })


def category_table(cat_cov: pd.DataFrame) -> pd.DataFrame:
    """Per-category coverage with Chinese headers, in tier order."""
    return pd.DataFrame({
        "业态": cat_cov["category"].to_numpy(),
        "步行时限": [f"{t}分钟" for t in cat_cov["tier_minutes"]],
        "可达居民占比": cat_cov["share"].to_numpy(),
        "缺少的居民": cat_cov["lacking_residents"].to_numpy(),
        "缺少的社区": cat_cov["lacking_communities"].to_numpy(),
    })


def gaps_table(gap_df: pd.DataFrame) -> pd.DataFrame:
    """The 缺什么补什么 list with Chinese headers (what the CSV holds)."""
    return pd.DataFrame({
        "社区": gap_df["name_zh"].to_numpy(),
        "街道": gap_df["street_name"].to_numpy() if "street_name" in gap_df else gap_df["street_code"].to_numpy(),
        "受影响居民": gap_df["population"].to_numpy(),
        "缺少业态": gap_df["category"].to_numpy(),
        "步行时限(分钟)": gap_df["tier_minutes"].to_numpy(),
        "最近同类设施(估算步行分钟)": [_minutes_text(x) for x in gap_df["minutes"]],
        "最近同类设施": gap_df["nearest"].fillna("—").to_numpy(),
    })


def circle_detail_table(circle_reach: pd.DataFrame) -> pd.DataFrame:
    """One circle's categories: tier, nearest facility and whether it counts."""
    return pd.DataFrame({
        "业态": circle_reach["category"].to_numpy(),
        "时限": [f"{t}分钟" for t in circle_reach["tier_minutes"]],
        "达标": np.where(circle_reach["reached"], "✓ 有", "✗ 缺").tolist(),
        "时限内设施": circle_reach["within"].to_numpy(),
        "最近(分钟)": [_minutes_text(x) for x in circle_reach["minutes"]],
        "最近设施": circle_reach["nearest"].fillna("—").to_numpy(),
    })


def did_table(did_df: pd.DataFrame) -> pd.DataFrame:
    """The evaluated circles' before/after comparison with Chinese headers (per 1,000 residents per month)."""
    did_df = did_df[did_df["did"].notna()]

    def r(col):
        return pd.to_numeric(did_df[col]).round(2).to_numpy()
    windows = [f"{p:%Y-%m}～{e:%Y-%m}" for p, e in zip(did_df["pre_start"], did_df["post_end"])]
    return pd.DataFrame({
        "生活圈": did_df["name_zh"].str.removesuffix("便民生活圈").to_numpy(),
        "建成日期": fmt.as_dates(did_df["launched_on"]),
        "对比窗口": windows,
        "圈内社区": did_df["treated_communities"].to_numpy(),
        "圈内建前": r("treated_pre"), "圈内建后": r("treated_post"),
        "圈外建前": r("control_pre"), "圈外建后": r("control_post"),
        "净变化": r("did"),
        "随机误差±": (DID_Z * pd.to_numeric(did_df["se"])).round(2).to_numpy(),
        "结论": did_df["verdict"].to_numpy(),
    })


def not_evaluated_text(did_df: pd.DataFrame) -> str:
    """'大栅栏（前后窗口超出数据范围）、…' for the circles the comparison could not evaluate; '' if none."""
    rest = did_df[did_df["did"].isna()]
    return "、".join(f"{n.removesuffix('便民生活圈')}（{v}）" for n, v in zip(rest["name_zh"], rest["verdict"]))
