"""街道地图: the 15 streets coloured by a chosen metric; click a street for its profile."""
import streamlit as st

from dashboard import ui
from dashboard.core import filters, metrics
from dashboard.render import maps
from dashboard.views import street_map, tables

ctx = ui.context()
st.title("街道地图")
ui.stamp(ctx)

# --- controls ----------------------------------------------------------------
c1, c2 = st.columns([5, 2])
metric = c1.segmented_control("着色指标", street_map.MAP_METRICS, format_func=lambda k: metrics.METRICS[k].label,
                              default="score", required=True, key="metric", bind="query-params")
layers = c2.pills("叠加图层", list(street_map.LAYERS), format_func=street_map.LAYERS.get, selection_mode="multi",
                  key="layers", bind="query-params")

# --- data ------------------------------------------------------------------------
view = street_map.street_map(ctx, metric, tuple(layers or ()))
if view.ranked["tickets"].sum() == 0:
    ui.empty_state()
    st.stop()
m = view.metric

# --- map -----------------------------------------------------------------------------
deck = maps.street_deck(
    view.streets, view.values, view.value_text, m.label, m.scale, hexbins=view.hexbins, circles=view.circles,
    selected=ctx.state.streets[0] if len(ctx.state.streets) == 1 else None, extra=view.tooltip,
    tooltip_lines=street_map.TOOLTIP_LINES)
map_col, side = st.columns([4, 1])
with map_col:
    event = st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key="street_map",
                            height=680)
with side:
    finite = view.values.dropna()
    st.html(maps.legend_html(m.scale, finite.min(), finite.max(), m.label, m.format))
    st.caption(ui.help_for(m.key))
    st.caption("边界为示意（由街道中心点与面积生成），仅供参考。" if ctx.choices.schematic_boundaries
               else "边界为导入的街道边界。")
    if view.circles is not None:
        st.caption(f"蓝圈为生活圈步行范围：步行分钟 × {ctx.settings.walk_m_per_min:g}米/分钟 ÷ 绕行系数"
                   f"{ctx.settings.route_directness:g}（直线距离估算，可能高估覆盖）。")
    st.caption("点击街道查看街道画像。")

picked = (event.selection.objects.get("streets") or []) if event else []
if picked:
    code = picked[0]["street_code"]
    st.switch_page("pages/profile.py", query_params={**filters.to_params(ctx.state), "focus": code})

# --- the numbers behind the colours --------------------------------------------------------
st.subheader("各街道数值")
ui.community_scope(ctx, "街道着色与各街道数值（工单密度图层按所选社区）")
table = tables.street_values_table(view.ranked.reset_index(), metric)
st.dataframe(table, hide_index=True, key="map_values")
ui.csv_download(table, "各街道数值", key="map_values_csv")
