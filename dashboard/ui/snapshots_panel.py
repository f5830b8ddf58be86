"""The snapshot list and rollback, shared by 数据管理 and the frame's refusal of a damaged
snapshot (so an admin can recover from the UI even when the live snapshot cannot be opened)."""
from __future__ import annotations

import streamlit as st

from ..ingest import admin as ingest_admin
from ..store import snapshot

COUNT = st.column_config.NumberColumn(format="localized")


def show() -> None:
    """Snapshots newest first (damaged manifests listed as 损坏) and a rollback to any of them."""
    infos = snapshot.list_snapshots()
    live = snapshot.current_id()
    st.dataframe(ingest_admin.snapshot_table(infos, live, snapshot.damaged_manifests()), hide_index=True,
                 key="admin_snapshots", column_config={"工单数": COUNT})
    older = [i.id for i in infos if i.id != live]
    target = st.selectbox("回滚到快照", older, index=None, placeholder="选择一个较早的快照", key="admin_rollback_target",
                          help="回滚先校验快照文件，只移动“当前快照”指针，不删除任何快照，可随时再切回。")
    if st.button("回滚", disabled=target is None, key="admin_rollback"):
        try:
            info = snapshot.rollback(target)
        except snapshot.SnapshotError as e:
            st.error(str(e))
        else:
            st.session_state["admin_last_import"] = None
            st.toast(f"当前快照已切换为 {info.id}")
            st.rerun()
