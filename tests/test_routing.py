"""The one workaround for Streamlit's legacy pages/ routing (dashboard/ui/routing.py)."""
from __future__ import annotations

from pathlib import Path

import fixture_data
import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from dashboard.ui import routing

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="module")
def routing_data(tmp_path_factory):
    d = tmp_path_factory.mktemp("routing-data")
    fixture_data.build(d)
    return d


def test_a_page_reached_by_legacy_routing_is_rerun_through_app_py(routing_data, monkeypatch):
    """With legacy routing on (a fresh server's first request; every AppTest run without the
    conftest's fixture), a page script is entered first; it reroutes through app.py, so the
    frame (filters, stamp) runs and the page still shows its own content."""
    monkeypatch.undo()                       # drop the autouse fixture: legacy routing as Streamlit leaves it
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(routing_data))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["from"], at.query_params["to"] = "2024-03", "2024-03"
    at.run()
    at.switch_page("pages/profile.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="f_period").value == "custom"      # app.py's frame ran, with the link's window
    assert [t.value for t in at.title] == ["街道画像"]            # and then the page
    assert not routing.legacy_routing_on()


def test_keep_legacy_routing_off_patches_new_page_managers(monkeypatch):
    PagesManager.uses_pages_directory = True
    routing.keep_legacy_routing_off(monkeypatch)
    PagesManager(APP)
    assert not routing.legacy_routing_on()
    monkeypatch.undo()
    PagesManager.uses_pages_directory = True      # without the patch a new manager leaves it as it was
    PagesManager(APP)
    assert routing.legacy_routing_on()
    PagesManager.uses_pages_directory = False
