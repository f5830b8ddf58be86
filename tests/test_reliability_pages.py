"""Issue 14, item 18: small details a new user hit."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.core import filters
from dashboard.views import overview, tickets
from dashboard.views.context import choices_for, make_context

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_the_ticket_list_names_an_open_ticket_instead_of_none():
    df = pd.DataFrame({"工单编号": ["A", "B"], "办结时间": [pd.Timestamp("2024-03-05 08:01"), pd.NaT],
                       "社区": ["德胜里", None], "满意度": [None, "满意"]})
    out = tickets.ticket_blanks(df)
    assert out["办结时间"].tolist() == ["2024-03-05 08:01", "未办结"]
    assert out["社区"].tolist() == ["德胜里", "未匹配社区"] and out["满意度"].tolist() == ["—", "满意"]
    assert "None" not in out.astype(str).to_numpy().ravel().tolist()


def test_a_12_month_window_names_its_comparison_once(fixture_snapshot):
    choices = choices_for(fixture_snapshot)
    for period, once in (("12m", True), ("month", False)):
        state = filters.parse({"period": [period]}, choices).state
        text = overview.comparison_caption(make_context(fixture_snapshot, choices, state))
        ctx = make_context(fixture_snapshot, choices, state)
        assert (text.count(ctx.previous.label()) == 1) is True
        assert ("环比与同比均对比" in text) is once, text


def test_data_admin_shows_no_ticket_filters(fixture_dir, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(fixture_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert at.selectbox(key="f_period").value
    at.switch_page("pages/data_admin.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [s for s in at.sidebar.selectbox if s.key == "f_period"]
    assert not [m for m in at.sidebar.multiselect if m.key in ("f_street", "f_category")]
    assert at.tabs  # the page itself ran
