"""Reference data every layer may read: the district's 15 streets (reference/streets.csv).

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
