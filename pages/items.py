"""实事项目: 为民实事, 重点提升事项, 一号工程 and 每月一题 — street × program progress and what is late."""
import streamlit as st

from dashboard import ui
from dashboard.core import metrics, schema
from dashboard.render import party_charts
from dashboard.views import party_tables, party_work

ctx = ui.context()
st.title("实事项目")
ui.stamp(ctx)
names = dict(ctx.choices.streets)

programs = st.pills("项目类别", schema.PROGRAMS, selection_mode="multi", key="programs", bind="query-params")
items = party_work.items(ctx, tuple(programs or ()))
live = items[items["status"] != "取消"]
if live.empty:
    ui.empty_state(f"{ctx.window.start.year}—{ctx.window.end.year}年度没有计划的实事项目。")
    st.stop()
years = f"{ctx.window.start.year}" + (f"—{ctx.window.end.year}" if ctx.window.end.year != ctx.window.start.year else "")
c1, c2, c3, c4 = st.columns(4)
c1.metric("计划事项", f"{len(live):,}", border=True, help=f"{years}年度计划的事项（已取消的不计）。")
c2.metric(metrics.PARTY_METRICS["item_done_rate"].label, metrics.PARTY_METRICS["item_done_rate"].format(live["done"].mean()),
          border=True, help=ui.help_for("item_done_rate"))
c3.metric(metrics.PARTY_METRICS["item_on_time_rate"].label,
          metrics.PARTY_METRICS["item_on_time_rate"].format(live["on_time"].mean()), border=True,
          help=ui.help_for("item_on_time_rate"))
c4.metric("逾期未完成", f"{int(live['late'].sum()):,}", border=True, help="计划完成日已过、至期末仍未完成的事项。")

st.subheader("街道 × 类别进度", help="格内为已完成/计划；颜色为完成率。")
board = party_work.item_board(items, names)
ui.chart(party_charts.board_heatmap(board), key="items_board")
board_table = party_tables.board_table(board)
with st.expander("进度表（可下载）"):
    st.dataframe(board_table, hide_index=True, key="items_board_table",
                 column_config={"完成率": st.column_config.NumberColumn(format="percent")})
    ui.csv_download(board_table, "实事进度", key="items_board_csv")

st.subheader("逾期未完成的事项", help="计划完成日已过、至期末仍未完成；按计划完成日排序。")
late = items[items["late"]]
if late.empty:
    st.success("没有逾期未完成的事项。", icon=":material/check_circle:")
else:
    table = party_tables.item_table(late, names)
    ui.phone.dataframe(table, hide_index=True, key="items_late", height=min(36 * len(table) + 40, 420),
                       phone_columns=["事项", "街道", "计划完成", "状态"], more=None)
    ui.csv_download(table, "逾期事项", key="items_late_csv")
st.caption(f"全部 {len(items):,} 项（含已取消）的清单：")
ui.csv_download(party_tables.item_table(items, names), "全部实事项目", key="items_all_csv")
