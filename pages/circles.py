"""便民生活圈 (being built: see issue 4)."""
import streamlit as st

from dashboard import ui

ctx = ui.context()
st.title("便民生活圈")
ui.stamp(ctx)
circles = ui.run("circles", streets=list(ctx.state.streets))
st.dataframe(circles, hide_index=True)
