"""Reference data in core: the district's 15 streets."""
from __future__ import annotations

from dashboard.core import reference


def test_load_streets_gives_the_fifteen_streets_with_nine_digit_codes():
    streets = reference.load_streets()
    assert len(streets) == 15
    assert streets["street_code"].str.fullmatch(r"\d{9}").all() and streets["street_code"].is_unique
    assert streets["street_code"].str.startswith("110102").all()  # Xicheng's county code
    assert list(streets["short_zh"][:3]) == ["德胜", "什刹海", "西长安街"]  # the conventional order
    assert streets["name_zh"].str.endswith("街道").all() and streets["name_zh"].is_unique
    assert streets["population_2020"].sum() == 1_106_214  # 7th census [S]
    assert streets["communities"].sum() == 263
    assert {"centroid_lat", "centroid_lon", "area_km2", "name_en"} <= set(streets.columns)
