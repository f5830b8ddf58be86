"""吹哨报到: open and overdue whistles, the league table of answering departments, and one whistle's 报到."""
import streamlit as st

from dashboard import ui
from dashboard.views import party_tables, party_work

ctx = ui.context()
st.title("吹哨报到")
ui.stamp(ctx)
names = dict(ctx.choices.streets)

open_list = party_work.whistle_register(ctx, open_only=True)
everything = party_work.whistle_register(ctx)
if everything.empty:
    ui.empty_state("所选时间和街道范围内没有吹哨记录。")
    st.stop()
total = int(everything["total"].iloc[0])
overdue = int((open_list["overdue_responses"] > 0).sum())
c1, c2, c3 = st.columns(3)
c1.metric("吹哨", f"{total:,}", border=True, help="所选期间、所选街道（社区）的吹哨件数。")
c2.metric("未办结", f"{len(open_list):,}" if len(open_list) < party_work.REGISTER_ROWS else f"{len(open_list):,}+",
          border=True)
c3.metric("有逾期未报到的未办结吹哨", f"{overdue:,}", border=True, help=ui.help_for("report_on_time_rate"))

# --- the register ------------------------------------------------------------------------------------
st.subheader("吹哨台账", help="逾期未报到：应报到时间已过、单位仍未报到。")
tab_open, tab_all = st.tabs([f"未办结（{len(open_list):,}）", f"全部（{total:,}）"])
for tab, df, name in ((tab_open, open_list, "未办结吹哨"), (tab_all, everything, "吹哨台账")):
    with tab:
        if df.empty:
            ui.empty_state("没有未办结的吹哨。")
            continue
        table = party_tables.register_table(df, names)
        ui.phone.dataframe(table, hide_index=True, key=f"whistles_{name}", height=min(36 * len(table) + 40, 420),
                           phone_columns=["街道", "逾期未报到", "报到", "类别"], more=None)
        ui.csv_download(table, name, key=f"whistles_{name}_csv")

# --- drill to one whistle -------------------------------------------------------------------------------
st.subheader("单次吹哨的报到情况")
ids = list(everything["whistle_id"])
labels = {r.whistle_id: f"{r.whistle_id} · {names.get(r.street_code, '')} · {r.category_l2} · {r.whistled_at:%m-%d %H:%M}"
          for r in everything.itertuples()}
picked = ui.url_selectbox("选择吹哨", ids, key="whistle", default=ids[0], format_func=labels.get)
st.dataframe(party_tables.response_table(party_work.whistle_detail(ctx, picked)), hide_index=True,
             key="whistles_detail")

# --- departments ------------------------------------------------------------------------------------------
st.subheader("报到单位排行", help=ui.help_for("report_on_time_rate") + "\n\n" + ui.help_for("party_floor"))
league = party_tables.league_table(party_work.unit_league(ctx))
ui.phone.dataframe(league, hide_index=True, key="whistles_units", phone_columns=["排名", "单位", "按时报到率"], more=None,
                   column_config={"按时报到率": st.column_config.NumberColumn(format="percent")})
ui.csv_download(league, "报到单位排行", key="whistles_units_csv")
