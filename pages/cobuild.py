"""共建结对: the 共建项目 funnel and what is overdue by unit; the 263 communities by 结对共建."""
import streamlit as st

from dashboard import ui
from dashboard.core import metrics
from dashboard.render import maps, party_charts, party_maps
from dashboard.views import party_tables, party_work

ctx = ui.context()
st.title("共建结对")
ui.stamp(ctx)
names = dict(ctx.choices.streets)
data = ui.page_data(party_work.cobuild_page, ctx)   # every section's numbers, once per view

# --- 共建项目 ------------------------------------------------------------------------------------------
st.subheader("共建项目：认领 → 实施 → 完成", help=ui.help_for("project_on_time_rate"))
projects = data["projects"]
if projects.empty:
    ui.empty_state("所选期间没有计划完成的共建项目。")
else:
    left, right = st.columns([2, 3], gap="large")
    with left:
        ui.chart(party_charts.funnel(party_work.project_funnel(projects), "stage", "projects", "项"),
                 key="cobuild_funnel")
        st.caption(f"计划完成日在 {ctx.window.label()} 的项目；已取消的不计。")
    with right:
        st.markdown("**逾期项目（按单位）**")
        by_unit = party_tables.overdue_unit_table(party_work.overdue_by_unit(projects))
        if by_unit.empty:
            st.success("没有逾期未完成的项目。", icon=":material/check_circle:")
        else:
            st.dataframe(by_unit, hide_index=True, key="cobuild_overdue_units", height=min(36 * len(by_unit) + 40, 320))
    listed = projects.sort_values(["overdue", "days_late"], ascending=False)
    table = party_tables.project_table(listed, names)
    shown = table.head(party_tables.LIST_ROWS)   # the screen shows the most overdue; the CSV has every project
    ui.phone.dataframe(shown, hide_index=True, key="cobuild_projects", height=min(36 * len(shown) + 40, 420),
                       phone_columns=["项目", "状态", "逾期天数", "街道"], more=None)
    if len(shown) < len(table):
        st.caption(f"显示逾期最久的 {len(shown):,} 项，共 {len(table):,} 项；完整列表请下载CSV。")
    ui.csv_download(table, "共建项目", key="cobuild_projects_csv")

# --- 结对共建 map ------------------------------------------------------------------------------------------
st.subheader("结对共建：社区覆盖与活跃", help=ui.help_for("pairing_coverage") + "\n\n" + ui.help_for("pairing_activity"))
ui.community_scope(ctx, "结对覆盖率与活跃率（按街道统计；地图只标所选社区）")
ps = data["streets"]
communities = data["pairings"]
m1, m2 = st.columns(2)
for col, key in zip((m1, m2), ("pairing_coverage", "pairing_activity")):
    col.metric(metrics.PARTY_METRICS[key].label, metrics.PARTY_METRICS[key].format(ps.district[key]), border=True,
               help=ui.help_for(key))
coverage = ps.streets.set_index("street_code")["pairing_coverage"]
deck = party_maps.pairing_deck(data["shapes"], coverage, communities, names)
map_col, side = st.columns([4, 1])
map_col.pydeck_chart(deck, key="cobuild_map", height=620)
with side:
    st.html(party_maps.legend_html())
    finite = coverage.dropna()
    if len(finite):
        m = metrics.PARTY_METRICS["pairing_coverage"]
        st.html(maps.legend_html(m.scale, finite.min(), finite.max(), "街道" + m.label, m.format))
    st.caption("边界为示意。" if ctx.choices.schematic_boundaries else "边界为导入的街道边界。")
unpaired = communities[communities["pairs"] == 0]
st.markdown(f"**没有在结对的社区**（{len(unpaired)} 个）")
if unpaired.empty:
    st.success("每个社区都有在结对的机关企事业党组织。", icon=":material/check_circle:")
else:
    table = unpaired.assign(街道=unpaired["street_code"].map(names))[["街道", "name_zh", "population"]].rename(
        columns={"name_zh": "社区", "population": "人口"})
    st.dataframe(table, hide_index=True, key="cobuild_unpaired", height=min(36 * len(table) + 40, 320))
    ui.csv_download(table, "无结对社区", key="cobuild_unpaired_csv")
