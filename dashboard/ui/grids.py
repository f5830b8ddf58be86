"""A data grid sent only when someone wants it: under an expander that reruns the page when it opens.

A grid costs a page load its script chunk and a canvas; a long list that most visits do not read
(every row of a list whose first rows the page shows, every column of a phone's narrowed table)
then costs nothing until it is opened, and stays one tap away.
"""
from __future__ import annotations

import streamlit as st


def when_opened(label: str, data, *, key: str, expander_key: str, **kwargs) -> None:
    """An expander titled `label` (a table icon; its state keyed `expander_key`): closed, nothing inside
    it is sent; opened, the page reruns and it holds st.dataframe(data, key=key, **kwargs)."""
    every = st.expander(label, icon=":material/table_view:", key=expander_key, on_change="rerun")
    if every.open:
        with every:
            st.dataframe(data, key=key, **kwargs)
