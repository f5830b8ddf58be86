"""The demo's party-building layer (红墙先锋): the nine tables of core/schema.PARTY_TABLES and the
每月一题 topics (TOPIC_TABLES).

Calibrated to the district's published figures on the data's last day (../shared/reference/
FACTS.md, "Party-building-led governance"; targets in data/party.toml) and tied to the tickets:
whistles and action items fall where the tickets are.  Each table draws from its own seeded
stream, new numbers beside the ticket streams, so the other tables stay byte-identical.

    party_world.py     the places, ticket weights and calendar, and shared helpers
    party_orgs.py      units, organisations, pairings and their activities
    party_projects.py  共建项目
    party_whistles.py  吹哨 and 报到
    party_items.py     action items and 议事 sessions
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from .party_items import deliberation_table, item_table, topic_table
from .party_orgs import org_table, pairing_tables, unit_table
from .party_projects import project_table
from .party_whistles import whistle_tables
from .party_world import make_world
from .plan import Plan
from .sampling import (
    STREAM_DELIBERATIONS,
    STREAM_ITEMS,
    STREAM_ORGS,
    STREAM_PAIRINGS,
    STREAM_PROJECTS,
    STREAM_UNITS,
    STREAM_WHISTLES,
)


def party_tables(seed: int, data_as_of: date, streets: pd.DataFrame, communities: pd.DataFrame,
                 plan: Plan) -> dict[str, pd.DataFrame]:
    """The nine party tables and monthly_topics as DataFrames (extra working columns included;
    conform drops them)."""
    world = make_world(seed, data_as_of, streets, communities, plan)
    units = unit_table(world, world.rng(STREAM_UNITS))
    orgs = org_table(world, units, world.rng(STREAM_ORGS))
    pairings, activities = pairing_tables(world, orgs, world.rng(STREAM_PAIRINGS))
    whistles, responses = whistle_tables(world, units, world.rng(STREAM_WHISTLES))
    items = item_table(world, world.rng(STREAM_ITEMS))
    return {
        "party_orgs": orgs, "units": units, "pairings": pairings, "pairing_activities": activities,
        "cobuild_projects": project_table(world, units, world.rng(STREAM_PROJECTS)),
        "whistles": whistles, "whistle_responses": responses, "action_items": items,
        "deliberations": deliberation_table(world, items, world.rng(STREAM_DELIBERATIONS)),
        "monthly_topics": topic_table(items),
    }
