"""接诉即办: trends, categories, time limits, hotspots, repeat complaints and the ticket list."""
import streamlit as st

from dashboard import ui
from dashboard.core import fmt, metrics
from dashboard.render import charts
from dashboard.views import analysis, tables

TABLE_ROWS = 2000

ctx = ui.context()
st.title("接诉即办")
ui.stamp(ctx)
params = ctx.params()
prev_params = ctx.params(ctx.previous)

# --- trend -------------------------------------------------------------------------------
st.subheader("工单与三率走势", help=ui.help_for("tickets"))
default_grain = "day" if ctx.window.days <= 45 else "week" if ctx.window.days <= 120 else "month"
grain = st.segmented_control("粒度", list(charts.GRAIN_LABELS), format_func=charts.GRAIN_LABELS.get,
                             default=default_grain, required=True, key="grain", bind="query-params")
cur = analysis.complete_buckets(ctx.run("trend", **params, grain=grain), ctx.window, grain)
if cur["tickets"].sum() == 0:
    ui.empty_state()
    st.stop()
prev = analysis.complete_buckets(ctx.run("trend", **prev_params, grain=grain), ctx.previous, grain)
total = metrics.totals(cur)
st.caption(f"本期 {ctx.window.label()} 共 {fmt.count(total['tickets'])} 件；对比期 {ctx.previous.label()} 共 "
           f"{fmt.count(prev['tickets'].sum())} 件（{fmt.change(total['tickets'], prev['tickets'].sum())}）。")
a, b = st.columns(2)
a.plotly_chart(charts.volume_trend(cur, prev, grain, "本期", "对比期"), key="hotline_volume")
b.plotly_chart(charts.rate_trend(metrics.add_rates(cur), metrics.LABELS, grain), key="hotline_rates")

# --- categories, with drill from level 1 to level 2 ----------------------------------------
st.subheader("诉求类别", help="按一级类别统计；选择一个一级类别可下钻到二级类别。")
l1 = ctx.run("category_growth", **params, prev_start=ctx.previous.start, prev_end=ctx.previous.end, level=1)
drill = st.selectbox("下钻一级类别", ["（全部一级类别）", *l1["category"]], key="drill", bind="query-params")
if drill == "（全部一级类别）":
    cats = l1
else:
    cats = ctx.run("category_growth", **{**params, "categories": [drill]}, prev_start=ctx.previous.start,
                  prev_end=ctx.previous.end, level=2)
st.plotly_chart(charts.category_bars(cats), key="hotline_categories")

# --- time limits -------------------------------------------------------------------------------
st.subheader("办理时效", help=ui.help_for("overdue"))
times = ctx.run("handling_times", **params)
c1, c2 = st.columns([1, 2])
c1.plotly_chart(charts.overdue_bars(times), key="hotline_overdue")
times_table = tables.handling_table(times)
c2.dataframe(times_table, hide_index=True, key="hotline_times",
             column_config={"按时率": st.column_config.NumberColumn(format="percent", help="已办结工单中按时办结的比例"),
                            "联系中位": st.column_config.TextColumn(help="受理到首次联系诉求人的中位时长（小时）"),
                            "办结中位": st.column_config.TextColumn(help="受理到办结的中位时长（小时）"),
                            "办结P90": st.column_config.TextColumn(help="90%的工单在此时长（小时）内办结")})
with c2:
    ui.csv_download(times_table, "办理时效", key="hotline_times_csv")

# --- hotspots and repeats --------------------------------------------------------------------------
st.subheader("热点社区（每千人工单）", help="社区工单量 ÷ 社区人口 × 1000；人口少于500的社区不参与排序。")
hot = ctx.run("hotspot_communities", **params, min_population=500)
hot_table = tables.hotspot_table(hot)
st.dataframe(hot_table, hide_index=True, key="hotline_hotspots",
             column_config={"解决率": st.column_config.NumberColumn(format="percent")})
ui.csv_download(hot_table, "热点社区", key="hotline_hotspots_csv")

# --- weekday × hour --------------------------------------------------------------------------------
st.subheader("来电时段分布")
st.plotly_chart(charts.weekday_hour_heatmap(ctx.run("weekday_hour", **params)), key="hotline_heatmap")

# --- detail: staff only (a viewer sees aggregates) ---------------------------------------------
if not ctx.access.can("staff"):
    st.info("重复诉求线索与工单明细需工作人员权限。", icon="🔒")
    st.stop()

st.subheader("重复诉求 · 未诉先办线索", help="同一来电人（加密标识）或同一地点同类诉求，30天内≥3次。")
REPEATS = [  # (query, tab and CSV name, table builder, what an empty list means, note)
    ("repeat_callers", "重复来电人", tables.repeat_callers_table, "所选范围内没有30天内来电3次及以上的来电人。",
     "来电人标识为号码的加密散列前8位，无法还原号码。"),
    ("repeat_places", "同一地点同类诉求", tables.repeat_places_table,
     "所选范围内没有30天内同一地点同类诉求3次及以上的情况。", None),
]
lists = [ctx.run(query, **params) for query, *_ in REPEATS]
tabs = st.tabs([f"{name}（{fmt.cut_count(df)}）" for (_, name, *_), df in zip(REPEATS, lists)])
for tab, (query, name, build, empty, note), df in zip(tabs, REPEATS, lists):
    with tab:
        if df.empty:
            ui.empty_state(empty)
            continue
        table = build(df)
        st.dataframe(table, hide_index=True, key=f"hotline_{query}")
        ui.csv_download(table, name, key=f"hotline_{query}_csv")
        if note:
            st.caption(note)

# --- tickets ----------------------------------------------------------------------------------------
st.subheader("工单明细")
n_total = int(total["tickets"])
rows = ctx.run("ticket_list", **params, limit=TABLE_ROWS)
st.caption(f"筛选结果共 {n_total:,} 件，表格显示最新 {min(n_total, TABLE_ROWS):,} 件；下载的CSV包含筛选结果的全部 "
           f"{n_total:,} 件。")
st.dataframe(rows, hide_index=True, key="hotline_tickets", height=420)
ui.csv_download(ui.deferred("ticket_list", **params, limit=n_total), "工单明细", key="hotline_tickets_csv",
                rows=n_total)
