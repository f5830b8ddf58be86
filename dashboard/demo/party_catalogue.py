"""The party layer's catalogue: data/party.toml and its CSVs (see data/README.md), read once.

party.toml holds the calibration targets and shares; party_units.csv the named departments and
utilities, unit_templates.csv how the streets' 科站队所 and the stationed units are named,
cobuild_categories.csv the 共建项目 categories, item_topics.csv the topics of action items by
the ticket category they address, monthly_topic_titles.csv the titles of 每月一题 topics.
Every vocabulary value is checked against core/schema.py.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..core import schema
from .catalogue import CATEGORIES, read_rows, read_toml


class Unit(NamedTuple):
    """A named unit (party_units.csv) or a naming template (unit_templates.csv)."""

    name: str                   # the name, or the template with {street} / {place}
    kind: str                   # schema.UNIT_KINDS
    answers: tuple[str, ...]    # the ticket categories (level 1) it answers whistles about


class Topic(NamedTuple):
    """An action-item topic of item_topics.csv."""

    l1: str                     # the ticket category it addresses
    category: str               # the program's own category (为民实事's five)
    topic: str                  # the title's ending, after the place


def _units(name: str, column: str) -> tuple[Unit, ...]:
    return tuple(Unit(r[column], r["kind"], tuple(r["answers"].split())) for r in read_rows(name))


PARTY = read_toml("party.toml")
ORGANISATIONS: dict = PARTY["organisations"]
UNITS: dict = PARTY["units"]
PAIRINGS: dict = PARTY["pairings"]
PROJECTS: dict = PARTY["projects"]
WHISTLES: dict = PARTY["whistles"]
ITEMS: dict = PARTY["items"]
DELIBERATIONS: dict = PARTY["deliberations"]

NAMED_UNITS = _units("party_units.csv", "name")
UNIT_TEMPLATES = _units("unit_templates.csv", "template")

_COBUILD = read_rows("cobuild_categories.csv")
COBUILD_CATEGORIES = tuple(r["category"] for r in _COBUILD)
COBUILD_WEIGHTS = np.array([float(r["weight"]) for r in _COBUILD])
COBUILD_TITLES = tuple(tuple(r["titles"].split("|")) for r in _COBUILD)

TOPICS = tuple(Topic(r["category_l1"], r["program_category"], r["topic"]) for r in read_rows("item_topics.csv"))
# 每月一题 titles by the ticket category a month's topic covers (monthly_topic_titles.csv)
MONTHLY_TITLES: dict[str, tuple[str, ...]] = {}
for _r in read_rows("monthly_topic_titles.csv"):
    MONTHLY_TITLES.setdefault(_r["category_l1"], ())
    MONTHLY_TITLES[_r["category_l1"]] += (_r["title"],)
PROGRAM_CATEGORIES = tuple(dict.fromkeys(t.category for t in TOPICS))

# the ticket categories (level 1) in catalogue order, and their share of all tickets
TICKET_L1 = tuple(dict.fromkeys(CATEGORIES.l1.to_pylist()))
TICKET_L1_SHARE = np.array([CATEGORIES.share[np.array(CATEGORIES.l1.to_pylist()) == c].sum() for c in TICKET_L1])


def _check() -> None:
    """Refuse a catalogue that uses values the schema or the tickets do not know."""
    l1 = set(TICKET_L1)
    units = NAMED_UNITS + UNIT_TEMPLATES
    problems = [u.name for u in units if u.kind not in schema.UNIT_KINDS or not set(u.answers) <= l1]
    problems += [t.topic for t in TOPICS if t.l1 not in l1]
    problems += [f"no unit answers {c}" for c in l1 - {a for u in units for a in u.answers}]
    problems += [f"no topic for {c}" for c in l1 - {t.l1 for t in TOPICS}]
    problems += [f"no 每月一题 title for {c}" for c in l1 - set(MONTHLY_TITLES)]
    problems += [f"每月一题 titles for unknown {c}" for c in set(MONTHLY_TITLES) - l1]
    problems += [p for p in ITEMS["program"] if p not in schema.PROGRAMS]
    if len(PROGRAM_CATEGORIES) != 5:
        problems.append("为民实事 has five categories")
    if problems:
        raise ValueError(f"party catalogue: {problems}")


_check()
