"""党建引领: the 15 streets on the party-building metrics beside their hotline 综合成绩, the
organisations per street, and the district's totals against its published figures."""
import streamlit as st

from dashboard import ui
from dashboard.core import metrics
from dashboard.render import party_charts
from dashboard.ui import columns
from dashboard.views import party, party_tables

ctx = ui.context()
st.title("党建引领")
ui.stamp(ctx)
ui.community_scope(ctx, "街道党建指标与排名（各专题页的台账按所选社区）")

ps = party.street_metrics(ctx)
if not ps.has_data:
    ui.empty_state("当前快照没有党建引领数据。请在“数据管理”导入党组织、吹哨报到、共建项目、结对、实事和议事数据。")
    st.stop()
st.caption("党建指标按所选时间范围统计，类别筛选不适用（共建项目、结对和议事没有12345类别）。"
           + ui.help_for("party_floor"))

# --- the district's figures ---------------------------------------------------------------------
cards = party_tables.district_cards(ps, party.HEADLINE_KEYS)
for row in (cards[:3], cards[3:]):      # two rows of three: the labels are long
    for col, (key, value, caption) in zip(st.columns(3), row):
        col.metric(metrics.PARTY_METRICS[key].label, value, border=True, help=ui.help_for(key))
        col.caption(caption)

# --- the streets ranked -------------------------------------------------------------------------
st.subheader("街道排名", help="按所选指标排名；分母不足的街道照常显示、不参与排名。右侧为同期接诉即办综合成绩与排名。")
key = st.selectbox("排名依据", party.RANK_KEYS, format_func=lambda k: metrics.PARTY_METRICS[k].label, key="rank_by",
                   bind="query-params", help="选一个党建指标给街道排名；各指标的口径见表头左侧指标卡的问号。")
table = party_tables.party_ranking_table(party.ranked_by(ps, key), key, ps.band, ctx.state.streets)
ui.phone.dataframe(table, hide_index=True, key="party_ranking", row_height=34, height=34 * (len(table) + 1) + 3,
                   column_config={"街道代码": None}, more=None, phone_columns=list(table.columns[:4]),
                   phone_widths=dict(zip(table.columns[:4], columns.PARTY_PHONE_WIDTHS)))
ui.csv_download(table, "党建引领街道排名", key="party_ranking_csv")

left, right = st.columns(2, gap="large")
with left:
    st.subheader("吹哨强度", help=ui.help_for("whistle_intensity"))
    ui.chart(party_charts.intensity_dots(ps.streets, ps.band), key="party_intensity")
with right:
    st.subheader("各街道党组织与党员")
    ui.chart(party_charts.org_bars(ps.streets), key="party_orgs")

# --- against the published figures ------------------------------------------------------------------
st.subheader("全区总量与公开数字", help="看板数值取所选期末当天；公开数字来自西城区公开报道。")
pub = party_tables.published_table(party.published(ctx))
st.dataframe(pub, hide_index=True, key="party_published",
             column_config={"看板÷公开": st.column_config.NumberColumn(format="%.1f%%"),
                            "看板数值": st.column_config.NumberColumn(format="localized"),
                            "公开数字": st.column_config.NumberColumn(format="localized")})
ui.csv_download(pub, "党建总量对照", key="party_published_csv")
