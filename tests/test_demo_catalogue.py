"""The demo's catalogue files (dashboard/demo/data/) agree with each other and with core."""
from __future__ import annotations

from dashboard.core import limits, reference
from dashboard.demo import catalogue


def test_categories_read_from_the_data_files():
    cats = catalogue.CATEGORIES
    assert len(cats.l2) == 60 and len(set(cats.l2.to_pylist())) == 60
    assert len(set(cats.l1.to_pylist())) == 16
    assert abs(cats.share.sum() - 1) < 1e-12
    assert set(cats.limit_h.tolist()) == {t.hours for t in limits.TIME_LIMITS}
    assert (cats.template_count >= 2).all() and len(cats.templates) == cats.template_count.sum()
    assert set(cats.l2.filter(cats.evening).to_pylist()) == {"生活噪声", "商业噪声", "广场舞噪声", "设备噪声", "夜间施工"}


def test_places_fit_the_reference_streets():
    streets = reference.load_streets()
    assert set(catalogue.COMMUNITY_STEMS) == set(streets["short_zh"])
    assert len(catalogue.CIRCLES) == 16 and {c.street for c in catalogue.CIRCLES} <= set(streets["short_zh"])
    assert set(catalogue.OUTSIDE_FACILITIES) == set(catalogue.FACILITIES) and len(catalogue.FACILITIES) == 10
    assert set(catalogue.VISITOR_FACTOR) <= set(streets["short_zh"])


def test_rhythm_and_channels():
    assert len(catalogue.WEEKDAY_FACTOR) == 7 and catalogue.HOUR_PROFILES.shape == (4, 24)
    assert catalogue.CHANNELS[0] == "12345电话" and abs(sum(catalogue.CHANNEL_SHARE) - 1) < 1e-12
    years = [int(str(d)[:4]) for d in catalogue.LUNAR_NEW_YEAR]
    assert years == list(range(2019, 2031))
