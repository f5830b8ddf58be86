"""总览: the ranked overview leaders read before the monthly 点评会, no clicks needed."""
import streamlit as st

from dashboard import ui
from dashboard.core import fmt, periods
from dashboard.render import charts
from dashboard.views import analysis, tables

ctx = ui.context()
st.title("总览")
ui.stamp(ctx)

# --- data ------------------------------------------------------------------
cur = ctx.run("street_counts", **ctx.params(streets=False))
prev = ctx.run("street_counts", **ctx.params(ctx.previous, streets=False))
yoy = ctx.run("street_counts", **ctx.params(ctx.year_ago, streets=False))
k_cur, k_prev, k_yoy = (analysis.district_kpis(df, ctx.state.streets) for df in (cur, prev, yoy))

if k_cur["tickets"] == 0:
    ui.empty_state()
    st.stop()

# --- KPI cards ---------------------------------------------------------------
prev_label, yoy_label = "环比", "同比"
cards = [
    ("工单量", fmt.count(k_cur["tickets"]), fmt.change(k_cur["tickets"], k_prev["tickets"]),
     fmt.change(k_cur["tickets"], k_yoy["tickets"]), "tickets", "off"),
    ("响应率", fmt.rate(k_cur["response_rate"]), fmt.points(k_cur["response_rate"] - k_prev["response_rate"]),
     fmt.points(k_cur["response_rate"] - k_yoy["response_rate"]), "response_rate", "normal"),
    ("解决率", fmt.rate(k_cur["resolution_rate"]), fmt.points(k_cur["resolution_rate"] - k_prev["resolution_rate"]),
     fmt.points(k_cur["resolution_rate"] - k_yoy["resolution_rate"]), "resolution_rate", "normal"),
    ("满意率", fmt.rate(k_cur["satisfaction_rate"]),
     fmt.points(k_cur["satisfaction_rate"] - k_prev["satisfaction_rate"]),
     fmt.points(k_cur["satisfaction_rate"] - k_yoy["satisfaction_rate"]), "satisfaction_rate", "normal"),
    ("综合成绩", fmt.score(k_cur["score"]), fmt.score_delta(k_cur["score"] - k_prev["score"]),
     fmt.score_delta(k_cur["score"] - k_yoy["score"]), "score", "normal"),
]
for col, (label, value, d_prev, d_yoy, key, colour) in zip(st.columns(len(cards)), cards):
    col.metric(label, value, delta=ui.delta_or_none(d_prev), delta_description=prev_label, delta_color=colour,
               border=True, help=ui.help_for(key))
    col.caption(f"{yoy_label} {d_yoy}")
st.caption(f"环比对比 {ctx.previous.label()}，同比对比 {ctx.year_ago.label()}。")

# --- street ranking ------------------------------------------------------------
ranked = analysis.ranked_streets(cur, prev, ctx.settings)
spark_start = periods.add_months(ctx.window.end.replace(day=1), -11)
monthly = ctx.run("street_monthly", start=spark_start, end=ctx.window.end,
                 categories=list(ctx.state.categories), subs=list(ctx.state.subcategories))
trend = analysis.monthly_metric(monthly, "score", ctx.settings)
table = tables.ranking_table(ranked, trend, ctx.state.streets)

st.subheader("街道排名", help=ui.help_for("rank") + "\n\n" + ui.help_for("class"))
st.caption(analysis.movers_sentence(ranked))
st.dataframe(table, hide_index=True, key="overview_ranking", row_height=34, height=34 * (len(table) + 1) + 3,
             column_config=tables.ranking_columns(ui.help_for))
ui.csv_download(table.drop(columns=["近12月"]), "街道排名", key="overview_ranking_csv")

left, right = st.columns(2, gap="large")
with left:
    st.subheader("综合成绩分布", help=ui.help_for("score"))
    streets = ctx.run("streets")
    fig = charts.street_choropleth(streets, ranked.set_index("street_code")["score"], "综合成绩", fmt.score,
                                   scale=charts.QUALITY_SCALE, height=460, highlight=ctx.state.streets)
    st.plotly_chart(fig, key="overview_map", config={"displayModeBar": False})
with right:
    st.subheader("增长最多的类别", help="按一级类别比较本期与上期工单量，按增量排序。")
    growth = ctx.run("category_growth", **ctx.params(), prev_start=ctx.previous.start, prev_end=ctx.previous.end,
                    level=1)
    changes = analysis.category_changes(growth, top=8)
    st.plotly_chart(charts.category_change_bar(changes, "上期"), key="overview_categories",
                    config={"displayModeBar": False})
