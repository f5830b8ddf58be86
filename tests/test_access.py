"""Login and roles: pure role mapping, and AppTest's simulated users for every role and local mode."""
from pathlib import Path

import fixture_data
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core import auth

APP = str(Path(__file__).resolve().parent.parent / "app.py")
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "dashboard", "client_secret": "s", "server_metadata_url": "https://idp.example/.well-known"}
ROLES = {"admin": ["chief@xicheng.gov.cn"], "staff": ["@xicheng.gov.cn"], "viewer": ["@beijing.gov.cn"]}


def test_role_for():
    assert auth.role_for("chief@xicheng.gov.cn", ROLES) == "admin"          # exact beats domain
    assert auth.role_for("Li.Si@XiCheng.gov.cn ", ROLES) == "staff"          # case and spaces folded
    assert auth.role_for("wang@beijing.gov.cn", ROLES) == "viewer"
    assert auth.role_for("eve@evil.com", ROLES) is None
    assert auth.role_for("eve@sub.xicheng.gov.cn", ROLES) is None            # a domain is not its subdomains
    assert auth.role_for(None, ROLES) is None and auth.role_for("no-at-sign", ROLES) is None
    assert auth.role_for("a@x.cn", {"viewer": ["@x.cn"], "staff": ["x.cn"]}) == "staff"  # highest wins


def test_access_rules():
    local = auth.access_for({}, {})
    assert (local.mode, local.role) == ("local", "admin")
    out = auth.access_for({"auth": AUTH, "roles": ROLES}, {"is_logged_in": False})
    assert out.role is None and not out.can("viewer")
    viewer = auth.access_for({"auth": AUTH, "roles": ROLES}, {"is_logged_in": True, "email_verified": True, "email": "w@beijing.gov.cn"})
    assert viewer.can("viewer") and not viewer.can("staff") and not viewer.can_open("data_admin")
    assert viewer.can_open("hotline")
    with pytest.raises(ValueError, match="unknown roles"):
        auth.access_for({"auth": AUTH, "roles": {"root": ["a@b.c"]}}, {"is_logged_in": True, "email_verified": True, "email": "a@b.c"})


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("access-data")
    fixture_data.build(d)
    return d


def app_as(data, monkeypatch, user: dict | None, page: str | None = None) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data))
    at = AppTest.from_file(APP, default_timeout=60)
    if user is not None:
        at.secrets["auth"] = AUTH
        at.secrets["roles"] = ROLES
        at.user = user
    at.query_params["from"], at.query_params["to"] = "2024-03", "2024-03"
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def downloads(at) -> int:
    return len(at.get("download_button"))


def test_logged_out_sees_only_a_login_button(data, monkeypatch):
    at = app_as(data, monkeypatch, {"is_logged_in": False})
    assert [b.label for b in at.button] == ["登录"]
    assert not at.metric and not at.dataframe


def test_unknown_account_is_refused(data, monkeypatch):
    at = app_as(data, monkeypatch, {"is_logged_in": True, "email_verified": True, "email": "eve@evil.com"})
    assert "未获授权" in at.error[0].value
    assert not at.metric and not at.dataframe


def test_viewer_sees_aggregates_only(data, monkeypatch):
    user = {"is_logged_in": True, "email_verified": True, "email": "wang@beijing.gov.cn"}
    at = app_as(data, monkeypatch, user)
    assert at.metric and downloads(at) == 0                       # KPIs yes, exports no
    at = app_as(data, monkeypatch, user, "pages/hotline.py")
    assert at.dataframe and not any("工单编号" in d.value.columns for d in at.dataframe)
    assert not at.get("page_link")                                 # no link to a page it cannot open
    for page in ("pages/tickets.py", "pages/data_admin.py"):       # not in this role's navigation
        with pytest.raises(ValueError):
            app_as(data, monkeypatch, user, page)


def test_staff_gets_detail_and_exports_but_not_admin(data, monkeypatch):
    user = {"is_logged_in": True, "email_verified": True, "email": "li@xicheng.gov.cn"}
    at = app_as(data, monkeypatch, user, "pages/tickets.py")
    assert any("工单编号" in d.value.columns for d in at.dataframe)
    assert any("来电人标识" in d.value.columns for d in at.dataframe)
    assert downloads(at) >= 1
    with pytest.raises(ValueError):
        app_as(data, monkeypatch, user, "pages/data_admin.py")


def test_admin_opens_data_management(data, monkeypatch):
    at = app_as(data, monkeypatch, {"is_logged_in": True, "email_verified": True, "email": "chief@xicheng.gov.cn"}, "pages/data_admin.py")
    assert at.title[0].value == "数据管理" and not at.error


def test_local_mode_says_so_and_is_admin(data, monkeypatch):
    at = app_as(data, monkeypatch, None)
    assert any("本地模式" in c.value for c in at.sidebar.caption)
    assert downloads(at) >= 1
    at = app_as(data, monkeypatch, None, "pages/data_admin.py")
    assert at.title[0].value == "数据管理" and not at.error
    assert any("本地模式" in c.value for c in at.sidebar.caption)     # the frame ran on this page too

