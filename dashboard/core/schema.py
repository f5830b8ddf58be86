"""Canonical snapshot schema: the tables every snapshot holds, as Arrow schemas.

The demo generator and the import both produce exactly these columns; the query
layer reads nothing else.  `conform()` casts a DataFrame onto a table's schema and
fails loudly on a missing column, so a bad producer cannot publish a bad snapshot.
"""
from __future__ import annotations

import pandas as pd
import pyarrow as pa

SCHEMA_VERSION = 1

# Satisfaction values as they appear in 12345 exports; null = not asked / no answer.
SATISFACTION_VALUES = ("满意", "基本满意", "不满意")

TS = pa.timestamp("us")  # naive Beijing local time, as the hotline records it

TABLES: dict[str, pa.Schema] = {
    "streets": pa.schema([
        ("street_code", pa.string()),      # 9-digit admin code, e.g. 110102010
        ("name_zh", pa.string()),
        ("short_zh", pa.string()),
        ("name_en", pa.string()),
        ("population", pa.int64()),
        ("area_km2", pa.float64()),
        ("centroid_lat", pa.float64()),
        ("centroid_lon", pa.float64()),
        ("geometry_geojson", pa.string()),  # GeoJSON Polygon/MultiPolygon, WGS-84
        ("boundary_kind", pa.string()),     # 'schematic' | 'imported'
    ]),
    "communities": pa.schema([
        ("community_id", pa.string()),
        ("street_code", pa.string()),
        ("name_zh", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("population", pa.int64()),
    ]),
    "circles": pa.schema([
        ("circle_id", pa.string()),
        ("name_zh", pa.string()),
        ("street_code", pa.string()),
        ("center_lat", pa.float64()),
        ("center_lon", pa.float64()),
        ("walk_minutes", pa.int32()),
        ("launched_on", pa.date32()),
    ]),
    "facilities": pa.schema([
        ("facility_id", pa.string()),
        ("category", pa.string()),
        ("name_zh", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("circle_id", pa.string()),        # nullable
        ("opened_on", pa.date32()),        # nullable
    ]),
    "tickets": pa.schema([
        ("ticket_id", pa.string()),
        ("created_at", TS),
        ("street_code", pa.string()),
        ("community_id", pa.string()),     # nullable
        ("category_l1", pa.string()),
        ("category_l2", pa.string()),
        ("channel", pa.string()),
        ("due_at", TS),
        ("contacted_at", TS),              # nullable
        ("closed_at", TS),                 # nullable
        ("callback_valid", pa.bool_()),
        ("contacted", pa.bool_()),
        ("resolved", pa.bool_()),
        ("satisfaction", pa.string()),     # 满意 | 基本满意 | 不满意 | null
        ("lat", pa.float64()),             # WGS-84, nullable
        ("lon", pa.float64()),
        ("caller_key", pa.string()),       # keyed hash, never a phone number; nullable
        ("content", pa.string()),          # free text with phone/ID numbers masked; nullable
    ]),
}

# Tables a snapshot must have; rollups derived from them are added at publish time.
SOURCE_TABLES = tuple(TABLES)


def conform(name: str, df: pd.DataFrame) -> pa.Table:
    """Return `df` as an Arrow table with exactly the columns and types of table `name`.

    Raises ValueError naming the missing columns; extra columns are dropped.
    """
    schema = TABLES[name]
    missing = [f.name for f in schema if f.name not in df.columns]
    if missing:
        raise ValueError(f"table {name}: missing columns {missing}")
    return pa.Table.from_pandas(df[[f.name for f in schema]], schema=schema, preserve_index=False)
