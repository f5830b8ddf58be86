"""接诉即办: trends, categories, time limits, hotspots and the weekday × hour pattern."""
import streamlit as st

from dashboard import ui
from dashboard.core import filters, fmt
from dashboard.render import charts
from dashboard.views import hotline

ctx = ui.context()
st.title("接诉即办")
ui.stamp(ctx)

# --- trend -------------------------------------------------------------------------------
st.subheader("工单与三率走势", help=ui.help_for("tickets"))
grain = st.segmented_control("粒度", list(charts.GRAIN_LABELS), format_func=charts.GRAIN_LABELS.get,
                             default=hotline.default_grain(ctx.window), required=True, key="grain",
                             bind="query-params")
trend = hotline.trend(ctx, grain)
if trend.total["tickets"] == 0:
    ui.empty_state()
    st.stop()
prev_total = trend.prev["tickets"].sum()
st.caption(f"本期 {ctx.window.label()} 共 {fmt.count(trend.total['tickets'])} 件；对比期 {ctx.previous.label()} 共 "
           f"{fmt.count(prev_total)} 件（{fmt.change(trend.total['tickets'], prev_total)}）。")
a, b = st.columns(2)
with a:
    ui.chart(charts.volume_trend(trend.cur, trend.prev, grain, "本期", "对比期"), key="hotline_volume")
with b:
    ui.chart(charts.rate_trend(trend.cur, grain), key="hotline_rates")

# --- categories, with drill from level 1 to level 2 ----------------------------------------
st.subheader("诉求类别", help="按一级类别统计；选择一个一级类别可下钻到二级类别。")
level1 = hotline.categories(ctx).level1
drill = st.selectbox("下钻一级类别", [hotline.ALL_CATEGORIES, *level1["category"]], key="drill",
                     bind="query-params")
ui.chart(charts.category_bars(hotline.categories(ctx, drill).shown), key="hotline_categories")

# --- time limits -------------------------------------------------------------------------------
st.subheader("办理时效", help=ui.help_for("overdue"))
times, times_table = hotline.handling(ctx)
c1, c2 = st.columns([1, 2])
with c1:
    ui.chart(charts.overdue_bars(times), key="hotline_overdue")
c2.dataframe(times_table, hide_index=True, key="hotline_times",
             column_config={"按时率": st.column_config.NumberColumn(format="percent", help="已办结工单中按时办结的比例"),
                            "联系中位": st.column_config.TextColumn(help="受理到首次联系诉求人的中位时长（小时）"),
                            "办结中位": st.column_config.TextColumn(help="受理到办结的中位时长（小时）"),
                            "办结P90": st.column_config.TextColumn(help="90%的工单在此时长（小时）内办结")})
with c2:
    ui.csv_download(times_table, "办理时效", key="hotline_times_csv")

# --- hotspots --------------------------------------------------------------------------------------
st.subheader("热点社区（每千人工单）", help=f"社区工单量 ÷ 社区人口 × 1000；人口少于{hotline.HOTSPOT_MIN_POPULATION}的社区"
                                    "不参与排序。")
hot_table = hotline.hotspots(ctx)
st.dataframe(hot_table, hide_index=True, key="hotline_hotspots",
             column_config={"解决率": st.column_config.NumberColumn(format="percent")})
ui.csv_download(hot_table, "热点社区", key="hotline_hotspots_csv")

# --- weekday × hour --------------------------------------------------------------------------------
st.subheader("来电时段分布")
ui.chart(charts.weekday_hour_heatmap(hotline.weekday_hour(ctx)), key="hotline_heatmap")

# --- the lists staff work from are on 诉求明细 -------------------------------------------------------------
if ctx.access.can("staff"):
    st.page_link("pages/tickets.py", label="重复诉求线索与工单明细：见「诉求明细」", icon=":material/list_alt:",
                 query_params=filters.to_params(ctx.state))
