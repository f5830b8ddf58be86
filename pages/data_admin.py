"""数据管理: import real exports (in a separate process), snapshots and rollback, data health."""
import streamlit as st

from dashboard import ui
from dashboard.core import config
from dashboard.ingest import admin as ingest_admin
from dashboard.views import data_admin

ctx = ui.context()
ui.require("admin")
st.title("数据管理")
ui.stamp(ctx)
data_dir = config.data_dir()
COUNT = st.column_config.NumberColumn(format="localized")

import_tab, snapshots_tab, health_tab = st.tabs(["导入数据", "快照与回滚", "数据体检"])

# --- import ------------------------------------------------------------------------------------
with import_tab:
    st.caption("导入在独立进程中运行：全部文件通过检查才发布新快照；失败时当前数据不变。"
               "姓名和电话号码不会进入快照。")
    c1, c2 = st.columns(2)
    kind = c1.selectbox("数据类型", list(ingest_admin.KIND_LABELS), format_func=ingest_admin.KIND_LABELS.get,
                        key="admin_kind")
    crs = c2.radio("文件中的坐标系", list(ingest_admin.CRS_LABELS), format_func=ingest_admin.CRS_LABELS.get,
                   horizontal=True, key="admin_crs")
    uploads = st.file_uploader("选择文件（可多选，同一类型）", type=ingest_admin.UPLOAD_TYPES[kind],
                               accept_multiple_files=True, key=f"admin_files_{kind}")
    if st.button("校验并导入", type="primary", disabled=not uploads, key="admin_import"):
        busy = ingest_admin.import_running(data_dir)
        wait = f"另一个导入正在进行，本次导入排队等待（最多 {ctx.settings.import_lock_wait_s:g} 秒）…"
        with st.spinner(wait if busy else "正在导入…"):
            uploaded = [(f.name, f.getvalue()) for f in uploads]
            st.session_state["admin_last_import"] = ingest_admin.run_in_subprocess(
                uploaded, kind, crs, config.data_location())   # the folder or s3://… the app reads
        st.rerun()  # the new snapshot (if any) becomes this page's snapshot
    last = st.session_state.get("admin_last_import")
    if last:
        if last["code"] == 0:
            st.success("导入成功，已发布新快照。", icon=":material/check_circle:")
        elif last["code"] == 1:
            st.error("导入被拒绝，当前数据未改变。原因见下方。", icon=":material/block:")
        else:
            st.error(f"导入未能运行：{last['stderr'] or '未知错误'}", icon=":material/warning:")
        if last["stdout"]:
            st.code(last["stdout"], language=None)

# --- snapshots -----------------------------------------------------------------------------------
with snapshots_tab:
    ui.snapshots_panel.show()

# --- data health ----------------------------------------------------------------------------------
with health_tab:
    tables_health, months_health = data_admin.health(ctx)
    st.subheader("各表概况", help="行数、日期范围，以及每张表最值得关注的缺口。")
    st.dataframe(ingest_admin.health_table(tables_health), hide_index=True, key="admin_health",
                 column_config={"行数": COUNT})
    st.subheader("工单逐月", help="某月工单为 0 或骤减，通常说明导出不完整或漏导了一个月。")
    months = ingest_admin.months_table(months_health)
    st.dataframe(months, hide_index=True, key="admin_months",
                 column_config={c: COUNT for c in months.columns if c not in ("月份", "提示")})
    st.subheader("最近的导入", help="每次导入的结果与隔离行；隔离文件中的电话、姓名已脱敏。")
    history = ingest_admin.history_table(ingest_admin.import_history(data_dir))
    if history.empty:
        st.caption("还没有导入记录。")
    else:
        st.dataframe(history.drop(columns=["隔离文件"]), hide_index=True, key="admin_history",
                     column_config={c: COUNT for c in ("读取", "接受", "隔离")})
        rejects = [r for r in history["隔离文件"] if r]
        if rejects:
            pick = st.selectbox("下载隔离明细", rejects, key="admin_rejects_pick")
            path = ingest_admin.rejects_path(data_dir, pick)
            if path is not None:
                st.download_button("下载 CSV", path.read_bytes(), file_name=path.name, mime="text/csv",
                                   key="admin_rejects_download", icon=":material/download:")
