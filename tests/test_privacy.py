"""Personal data: keyed caller hashes and masked free text (dashboard/core/privacy.py)."""
from __future__ import annotations

import stat

import pytest

from dashboard.core import privacy


@pytest.mark.parametrize("text, masked", [
    ("电话13812345678，请回电", "电话138****5678，请回电"),
    ("+86 138-1234-5678", "138****5678"),
    ("手机：１３８１２３４５６７８。", "手机：138****5678。"),       # full-width digits; 。 stays full-width
    ("座机010-66012345或66012345", "座机010-****2345或****2345"),
    ("身份证11010219900307123X号", "身份证******************号"),
    ("旧证110102900307123", "旧证***************"),
    ("12345热线，2024年3月，3号楼502室", "12345热线，2024年3月，3号楼502室"),  # short numbers are kept
    ("工单号2024030512345678", "工单号2024030512345678"),                    # longer runs are no phone
], ids=["mobile", "mobile-+86", "full-width", "landline", "id-18", "id-15", "short-numbers", "long-run"])
def test_mask_text(text, masked):
    assert privacy.mask_text(text) == masked


def test_mask_text_masks_the_callers_own_name():
    assert privacy.mask_text("我是王小明，王小明的家在3号楼", ("王小明",)) == "我是王**，王**的家在3号楼"
    assert privacy.mask_text("王先生来电", ("王",)) == "王先生来电"  # one character would mask everything
    assert privacy.mask_text(None) is None


@pytest.mark.parametrize("spelling", ["13812345678", "+86 138 1234 5678", "0086-138-1234-5678", "１３８１２３４５６７８"])
def test_one_caller_one_key_whatever_the_spelling(spelling):
    assert privacy.caller_key(spelling, b"s") == privacy.caller_key("13812345678", b"s")


def test_caller_key_is_keyed_and_short():
    k = privacy.caller_key("010-66012345", b"secret-a")
    assert len(k) == 16 and int(k, 16) >= 0
    assert k == privacy.caller_key("66012345", b"secret-a")          # local Beijing numbers get 010
    assert k != privacy.caller_key("010-66012345", b"secret-b")      # without the secret, no match
    assert privacy.caller_key("", b"s") is None and privacy.caller_key("无", b"s") is None


def test_secret_file_is_created_once_private(tmp_path, monkeypatch):
    monkeypatch.delenv(privacy.SECRET_ENV, raising=False)
    first = privacy.load_secret(tmp_path)
    path = tmp_path / privacy.SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(first) == 64
    assert privacy.load_secret(tmp_path) == first
    monkeypatch.setenv(privacy.SECRET_ENV, "from-the-environment")
    assert privacy.load_secret(tmp_path) == b"from-the-environment"
