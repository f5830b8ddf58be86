"""议事协商: 议事 → 达成共识 → 立项 → 办结, by platform and street."""
import streamlit as st

from dashboard import ui
from dashboard.core import metrics
from dashboard.render import party_charts
from dashboard.views import party_tables, party_work

ctx = ui.context()
st.title("议事协商")
ui.stamp(ctx)
names = dict(ctx.choices.streets)

funnel = party_work.meeting_funnel(ctx)
if funnel.empty:
    ui.empty_state("所选时间和街道范围内没有议事记录。")
    st.stop()
totals = party_work.funnel_totals(funnel)
m = metrics.PARTY_METRICS["meeting_conversion"]
stages = dict(zip(totals["stage"], totals["count"]))
c1, c2, c3 = st.columns(3)
c1.metric("议事场次", f"{stages['议事']:,}", border=True)
c2.metric("参与人次", f"{int(funnel['attendees'].sum()):,}", border=True)
c3.metric(m.label, m.format(stages["立项"] / stages["议事"]), border=True, help=ui.help_for("meeting_conversion"))

left, right = st.columns([2, 3], gap="large")
with left:
    st.subheader("议事 → 立项 → 办结")
    ui.chart(party_charts.funnel(totals, "stage", "count", "场"), key="meetings_funnel")
    st.caption("达成共识 = 完全赞同或部分赞同；办结 = 形成的项目至期末已完成。")
with right:
    st.subheader("按平台与街道")
    table = party_tables.funnel_table(funnel, names)
    st.dataframe(table, hide_index=True, key="meetings_table", height=min(36 * len(table) + 40, 460))
    ui.csv_download(table, "议事协商", key="meetings_csv")
