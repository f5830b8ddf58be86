"""总览: the ranked overview leaders read before the monthly 点评会, no clicks needed."""
import streamlit as st

from dashboard import ui
from dashboard.core import metrics, plain
from dashboard.render import charts
from dashboard.ui import columns
from dashboard.views import overview

KPI_KEYS = ("tickets", "response_rate", "resolution_rate", "satisfaction_rate", "score")

ctx = ui.context()
st.title("总览")
ui.stamp(ctx)

# --- KPI cards ---------------------------------------------------------------
k = overview.kpis(ctx)
if k.cur["tickets"] == 0:
    ui.empty_state()
    st.stop()
for col, key in zip(st.columns(len(KPI_KEYS)), KPI_KEYS):
    m = metrics.METRICS[key]
    col.metric(m.label, m.format(k.cur[key]), delta=ui.delta_or_none(m.change(k.cur[key], k.prev[key])),
               delta_description="环比", delta_color=m.delta_color, border=True, help=ui.help_for(key))
    col.caption(f"同比 {m.change(k.cur[key], k.yoy[key])}")
st.caption(overview.comparison_caption(ctx))

# --- street ranking ------------------------------------------------------------
r = overview.street_ranking(ctx)
st.subheader("街道排名", help=ui.help_for("rank") + "\n\n" + ui.help_for("class"))
ui.community_scope(ctx, "街道排名与综合成绩分布")
st.caption(plain.md(r.movers))
ui.phone.dataframe(r.table, hide_index=True, key="overview_ranking", row_height=34, height=34 * (len(r.table) + 1) + 3,
                   column_config=columns.ranking_columns(), phone_columns=columns.RANKING_PHONE,
                   phone_widths=columns.RANKING_PHONE_WIDTHS)
ui.csv_download(r.table.drop(columns=["近12月"]), "街道排名", key="overview_ranking_csv")

left, right = st.columns(2, gap="large")
with left:
    score = metrics.METRICS["score"]
    st.subheader("综合成绩分布", help=ui.help_for("score"))
    shapes, scores = overview.score_map(ctx, r.ranked)
    fig = charts.street_choropleth(shapes, scores, score.label, score.format, scale=score.scale, height=460,
                                   highlight=ctx.state.streets)
    ui.chart(fig, key="overview_map")
with right:
    st.subheader("增长最多的类别", help="按一级类别比较本期与上期工单量，按增量排序。")
    ui.chart(charts.category_change_bar(overview.growing_categories(ctx), "上期"), key="overview_categories")
