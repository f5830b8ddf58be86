"""Exports: CSV that Excel opens with Chinese intact."""
from __future__ import annotations

import pandas as pd


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as CSV in UTF-8 with a BOM (Excel on Windows needs the BOM for Chinese)."""
    return df.to_csv(index=False).encode("utf-8-sig")
