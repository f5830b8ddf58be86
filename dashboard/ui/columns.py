"""st.column_config for the display tables views build (Streamlit objects, so they live in ui)."""
from __future__ import annotations

import streamlit as st

from .widgets import help_for


def ranking_columns() -> dict:
    """st.column_config for views.tables.ranking_table (help texts are the metrics' 口径)."""
    pct = dict(format="%.2f%%")
    return {
        "排名": st.column_config.TextColumn(help=help_for("rank"), width="small"),
        "变化": st.column_config.TextColumn(help="与上期排名相比：↑上升 ↓下降", width="small"),
        "分类": st.column_config.TextColumn(help=help_for("class"), width="small"),
        "综合成绩": st.column_config.NumberColumn(help=help_for("score"), format="%.2f"),
        "响应率(%)": st.column_config.NumberColumn(help=help_for("response_rate"), **pct),
        "解决率(%)": st.column_config.NumberColumn(help=help_for("resolution_rate"), **pct),
        "满意率(%)": st.column_config.NumberColumn(help=help_for("satisfaction_rate"), **pct),
        "工单量": st.column_config.NumberColumn(help=help_for("tickets"), format="localized"),
        "每万人工单": st.column_config.NumberColumn(help=help_for("per_10k"), format="%.1f"),
        "有效回访": st.column_config.NumberColumn(help="有效回访工单数，三率的分母", format="localized"),
        "近12月": st.column_config.LineChartColumn(help="近12个月综合成绩走势", width="small"),
        "街道代码": None,
    }


# on a phone the ranking shows these, narrowed to fit 360 px; the rest is one tap away (ui.phone.dataframe)
RANKING_PHONE = ["排名", "街道", "综合成绩", "变化", "分类"]
RANKING_PHONE_WIDTHS = {"排名": 44, "街道": 100, "综合成绩": 74, "变化": 48, "分类": 60}
# 党建引领's ranking on a phone: 排名, 街道, the ranked metric and the hotline's 综合成绩 in 360 px
PARTY_PHONE_WIDTHS = (44, 96, 92, 92)
