"""街道地图: the 15 streets coloured by a chosen metric; click a street for its profile."""
import streamlit as st

from dashboard import ui
from dashboard.core import filters, fmt, geo, metrics
from dashboard.render import charts, maps
from dashboard.views import analysis, tables

MAP_METRICS = ("score", "tickets", "per_10k", "per_km2", "response_rate", "resolution_rate", "satisfaction_rate")
LAYERS = {"density": "工单密度", "circles": "便民生活圈"}

ctx = ui.context()
st.title("街道地图")
ui.stamp(ctx)

# --- controls ----------------------------------------------------------------
c1, c2 = st.columns([5, 2])
metric = c1.segmented_control("着色指标", MAP_METRICS, format_func=metrics.LABELS.get, default="score",
                              required=True, key="metric", bind="query-params")
layers = c2.pills("叠加图层", list(LAYERS), format_func=LAYERS.get, selection_mode="multi", key="layers",
                  bind="query-params")

# --- data ------------------------------------------------------------------------
cur = ctx.run("street_counts", **ctx.params(streets=False))
prev = ctx.run("street_counts", **ctx.params(ctx.previous, streets=False))
ranked = analysis.ranked_streets(cur, prev, ctx.settings).set_index("street_code")
if ranked["tickets"].sum() == 0:
    ui.empty_state()
    st.stop()
streets = ctx.run("streets")
show = fmt.for_metric(metric)
values = ranked[metric]
value_text = values.map(show)
extra = ranked.assign(
    工单=ranked["tickets"].map(fmt.count), 每万人=ranked["per_10k"].map(fmt.per),
    综合成绩=ranked["score"].map(fmt.score), 排名=ranked["rank"].map(fmt.rank),
    三率=[f"{fmt.rate(a)} / {fmt.rate(b)} / {fmt.rate(c)}" for a, b, c in
         zip(ranked["response_rate"], ranked["resolution_rate"], ranked["satisfaction_rate"])],
)[["工单", "每万人", "综合成绩", "排名", "三率"]]
hexbins = ctx.run("ticket_grid", **ctx.params()) if "density" in (layers or []) else None
circles = None
if "circles" in (layers or []):
    circles = ctx.run("circles", streets=[])
    circles["radius_m"] = geo.walk_radius_m(circles["walk_minutes"], ctx.settings.walk_m_per_min,
                                            ctx.settings.route_directness)

# --- map -----------------------------------------------------------------------------
deck = maps.street_deck(
    streets, values, value_text, metrics.LABELS[metric], charts.scale_for(metric), hexbins=hexbins, circles=circles,
    selected=ctx.state.streets[0] if len(ctx.state.streets) == 1 else None, extra=extra,
    tooltip_lines=("工单量 {工单}，每万人 {每万人}", "综合成绩 {综合成绩}（{排名}）", "响应/解决/满意 {三率}"))
map_col, side = st.columns([4, 1])
with map_col:
    event = st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key="street_map",
                            height=680)
with side:
    finite = values.dropna()
    st.html(maps.legend_html(charts.scale_for(metric), finite.min(), finite.max(), metrics.LABELS[metric], show))
    st.caption(ui.help_for(metric))
    st.caption("边界为示意（由街道中心点与面积生成），仅供参考。" if ctx.choices.schematic_boundaries
               else "边界为导入的街道边界。")
    if circles is not None:
        st.caption(f"蓝圈为生活圈步行范围：步行分钟 × {ctx.settings.walk_m_per_min:g}米/分钟 ÷ 绕行系数"
                   f"{ctx.settings.route_directness:g}（直线距离估算，可能高估覆盖）。")
    st.caption("点击街道查看街道画像。")

picked = (event.selection.objects.get("streets") or []) if event else []
if picked:
    code = picked[0]["street_code"]
    st.switch_page("pages/profile.py", query_params={**filters.to_params(ctx.state), "focus": code})

# --- the numbers behind the colours --------------------------------------------------------
st.subheader("各街道数值")
table = tables.street_values_table(ranked.reset_index(), metric)
st.dataframe(table, hide_index=True, key="map_values")
ui.csv_download(table, "各街道数值", key="map_values_csv")
