"""Each page's data, declared once: page key (core/pages.py) -> the function returning every
section the page draws, given a Context and the page's own controls.

The pages call the same section functions one by one, between their widgets; the bench
and tests/test_architecture.py call these, so the bench times exactly what a page runs.
"""
from __future__ import annotations

from collections.abc import Callable

from . import circles, data_admin, hotline, outcomes, overview, party, party_work, profile, street_map, tickets

PAGE_DATA: dict[str, Callable[..., dict]] = {
    "overview": overview.page,
    "map": street_map.page,
    "hotline": hotline.page,
    "tickets": tickets.page,
    "profile": profile.page,
    "circles": circles.page,
    "party": party.page,
    "whistles": party_work.whistles_page,
    "cobuild": party_work.cobuild_page,
    "items": party_work.items_page,
    "deliberations": party_work.deliberations_page,
    "outcomes": outcomes.page,
    "data_admin": data_admin.page,
}
