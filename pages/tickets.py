"""诉求明细 (staff only): repeat-complaint leads (未诉先办) and the ticket list of the filtered view."""
import streamlit as st

from dashboard import ui
from dashboard.core import fmt, plain
from dashboard.views import tickets

ctx = ui.context()
ui.require("staff")
st.title("诉求明细")
ui.stamp(ctx)
n_total = tickets.total(ctx)
if n_total == 0:
    ui.empty_state()
    st.stop()

# --- repeats: leads for proactive work -------------------------------------------------------------
st.subheader("重复诉求 · 未诉先办线索", help="同一来电人（加密标识）或同一地点同类诉求，30天内≥3次。")
lists = tickets.repeats(ctx)
tabs = st.tabs([f"{r.name}（{fmt.cut_count(r.rows)}）" for r in lists])
for tab, r in zip(tabs, lists):
    with tab:
        if r.table is None:
            ui.empty_state(r.empty)
            continue
        st.dataframe(r.table, hide_index=True, key=f"tickets_{r.query}")
        ui.csv_download(r.table, r.name, key=f"tickets_{r.query}_csv")
        if r.note:
            st.caption(plain.md(r.note))

# --- tickets -------------------------------------------------------------------------------------------
st.subheader("工单明细")
rows = tickets.ticket_list(ctx)
st.caption(f"显示最新 {len(rows):,} 件，共 {n_total:,} 件；完整列表请下载CSV（筛选结果的全部 {n_total:,} 件）。")
st.dataframe(rows, hide_index=True, key="tickets_list", height=420)
ui.csv_download(ui.deferred("ticket_list", **ctx.params(), limit=n_total), "工单明细", key="tickets_list_csv",
                rows=n_total)
