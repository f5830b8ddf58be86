"""Reference data every layer may read: the district's 15 streets (reference/streets.csv) and
the district's published party-building figures (reference/party_figures.csv).

The file holds published facts: 9-digit codes, names, centroids, areas, 2020 census
populations and community counts.  The demo builds on it, the import starts from it, the
pages order streets by it.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

REFERENCE_DIR = Path(__file__).parent / "reference"


def load_streets() -> pd.DataFrame:
    """The 15 streets of reference/streets.csv in the conventional order; code as street_code."""
    return pd.read_csv(REFERENCE_DIR / "streets.csv", dtype={"code": str}).rename(columns={"code": "street_code"})


def party_figures() -> pd.DataFrame:
    """The district's published party-building totals (key, label, value, unit, source), which the
    党建引领 page sets the snapshot's totals against (and the demo is calibrated to)."""
    return pd.read_csv(REFERENCE_DIR / "party_figures.csv")
