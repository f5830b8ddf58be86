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


def test_party_catalogue_fits_the_schema_and_the_tickets():
    from dashboard.core import schema
    from dashboard.demo import party_catalogue as party
    l1 = set(catalogue.CATEGORIES.l1.to_pylist())
    assert set(party.TICKET_L1) == l1 and abs(party.TICKET_L1_SHARE.sum() - 1) < 1e-12
    units = party.NAMED_UNITS + party.UNIT_TEMPLATES
    assert {u.kind for u in units} == set(schema.UNIT_KINDS)
    assert {c for u in units for c in u.answers} == l1          # someone answers whistles about each category
    assert {t.l1 for t in party.TOPICS} == l1 and len(party.PROGRAM_CATEGORIES) == 5   # 为民实事: 5 categories [S]
    assert set(party.ITEMS["program"]) == set(schema.PROGRAMS)
    w = party.WHISTLES
    assert len(w["levels"]) == len(schema.WHISTLE_LEVELS) and len(w["triggers"]) == len(schema.WHISTLE_TRIGGERS)
    assert set(w["sources"]) == set(schema.WHISTLE_TRIGGERS)
    assert all(len(p) == len(schema.SOURCES) for p in w["sources"].values())
    assert all(len(p["sources"]) == len(schema.SOURCES) for p in party.ITEMS["program"].values())
    assert set(party.DELIBERATIONS["attendees"]) == set(schema.PLATFORMS)
    assert len(party.PROJECTS["committee_levels"]) == len(schema.COMMITTEE_LEVELS)
    assert len(party.PROJECTS["end_month_weights"]) == 12 and len(party.COBUILD_CATEGORIES) == len(party.COBUILD_TITLES)
